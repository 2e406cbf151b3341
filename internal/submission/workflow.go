package submission

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/form"
	"mattran/internal/limits"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// Tx is what the report workflow asks of one transaction of the store
// (store.Tx implements it): the workflow holds the rules, the store the
// SQL. Every call runs inside the one transaction, so a report's status,
// its figures, its lock and its audit entries commit together.
type Tx interface {
	Now() time.Time
	// Report is a unit's report; status None when nobody saved it yet.
	Report(ctx context.Context, prog, formCode string, u unit.Unit, p period.Period) (Submission, error)
	// PutReport stores after and audits the change from before.
	PutReport(ctx context.Context, a audit.Actor, action string, before, after Submission) error
	// ReportsBelow are the reports of the committees directly below u in
	// the tree of p that send the form (status None for those not saved).
	ReportsBelow(ctx context.Context, prog, formCode string, u unit.Unit, p period.Period) ([]Submission, error)
	// ReportAbove is the report of u's parent, if u has one that sends the form.
	ReportAbove(ctx context.Context, prog, formCode string, u unit.Unit, p period.Period) (Submission, bool, error)
	// Deadlines are the form's deadlines for p by level (DeadlineOf).
	Deadlines(ctx context.Context, prog, formCode string, p period.Period) (Deadlines, error)
	LockPeriod(ctx context.Context, a audit.Actor, u unit.Unit, p period.Period, exact bool) error
	// UnlockPeriod removes the exact lock; NotFound when there is none.
	UnlockPeriod(ctx context.Context, a audit.Actor, u unit.Unit, p period.Period) error
	// WriteFigures writes typed figures through the one validation of
	// values, refusing with a *value.ConflictError those whose stored
	// value changed since it was loaded.
	WriteFigures(ctx context.Context, w FigureWrite) (value.Summary, error)
	// WriteDerived writes the figures a module computes (derived:<module>
	// elements), even into a locked period.
	WriteDerived(ctx context.Context, module string, rows []value.Row) (value.Summary, error)
}

// FigureWrite is the figures of one save of a form.
type FigureWrite struct {
	Actor  audit.Actor
	Scope  unit.Unit // the writer's unit: only its subtree may be written
	Source string
	Rows   []value.Row
	Loaded map[int]value.Loaded // by row line: what the form showed
}

// FormSave is one save of a report form: its figures, its text, and
// whether it is sent as well.
type FormSave struct {
	Actor   audit.Actor
	Scope   unit.Unit
	Program *program.Program
	Form    form.Form
	Unit    unit.Unit
	Period  period.Period
	// Rows are the figures typed or changed; Loaded, by row line, what the
	// form showed for each when it was opened.
	Rows   []value.Row
	Loaded map[int]value.Loaded
	// Narrative is the report's text when the form has one and it was
	// changed; NarrativeLoaded is the text the form was opened with.
	Narrative       *string
	NarrativeLoaded string
	Submit          bool
}

// SaveForm saves a report form: its figures, its text, and its status (a
// draft, or sent). If anything another editor changed meanwhile would be
// replaced, nothing is written and a *value.ConflictError says what. A
// report is sent once its level's deadline is fixed on it: the one in
// force at its first sending, which judges it from then on.
func SaveForm(ctx context.Context, tx Tx, f FormSave) (value.Summary, error) {
	var sum value.Summary
	before, err := tx.Report(ctx, f.Program.Code, f.Form.Code, f.Unit, f.Period)
	if err != nil {
		return sum, err
	}
	action := Save
	if f.Submit {
		action = Submit
	}
	if err := Check(before.Status, action, Name(f.Form, f.Unit, f.Period)); err != nil {
		return sum, err
	}
	if err := InTerm(f.Program, f.Period); err != nil {
		return sum, err
	}
	if f.Narrative != nil {
		if msg := limits.TooLong("Nội dung báo cáo", *f.Narrative, limits.Narrative); msg != "" {
			return sum, errs.New(errs.Invalid, "%s", msg)
		}
	}
	after := before
	var text *value.TextConflict
	if f.Narrative != nil && *f.Narrative != before.Narrative {
		if before.Narrative != f.NarrativeLoaded {
			text = &value.TextConflict{Stored: before.Narrative, By: before.UpdatedBy, At: before.UpdatedAt}
		}
		after.Narrative = *f.Narrative
	}
	if len(f.Rows) > 0 {
		sum, err = tx.WriteFigures(ctx, FigureWrite{Actor: f.Actor, Scope: f.Scope, Source: "biểu " + f.Form.Code, Rows: f.Rows, Loaded: f.Loaded})
		var ce *value.ConflictError
		if errors.As(err, &ce) && text != nil {
			ce.Narrative = text
		}
		if err != nil {
			return sum, err
		}
	}
	if text != nil {
		return sum, value.NewConflict(nil, text)
	}
	if after.Status == None || after.Status == Draft {
		after.Status = Draft
	}
	now := tx.Now()
	if f.Submit {
		after.Status, after.SubmittedAt, after.SubmittedBy, after.Reason = Submitted, now, f.Actor.Name, ""
		if before.SubmittedBy == "" {
			dl, err := tx.Deadlines(ctx, f.Program.Code, f.Form.Code, f.Period)
			if err != nil {
				return sum, err
			}
			after.Deadline = dl.For(f.Unit.Kind, before)
			after.OnTime = OnTime(now, after.Deadline)
			after.FirstSubmittedAt = now
		}
	}
	if err := tx.PutReport(ctx, f.Actor, string(action), before, after); err != nil {
		return sum, err
	}
	if f.Submit {
		return sum, WriteCounts(ctx, tx, f.Program, f.Form, f.Period, []Counted{{f.Unit, true, after.OnTime}})
	}
	return sum, nil
}

// Decision is an approver's decision on a unit's report.
type Decision struct {
	Actor   audit.Actor
	Program *program.Program
	Form    form.Form
	Unit    unit.Unit
	Period  period.Period
	Reason  string // why it is returned or reopened, or why an admin decides in the place of the level above
	// Override: an admin decides in the place of the level directly above
	// (access.Override); it needs a reason and is audited as such.
	Override bool
}

func (d Decision) name() string { return Name(d.Form, d.Unit, d.Period) }

// ApproveReport approves a sent report and locks the unit's figures for the
// period (its subtree's too). A unit's report is approved only after
// every report of the committees directly below it.
func ApproveReport(ctx context.Context, tx Tx, d Decision) error {
	return decide(ctx, tx, d, Approve, func(sub *Submission) error {
		below, err := tx.ReportsBelow(ctx, d.Program.Code, d.Form.Code, d.Unit, d.Period)
		if err != nil {
			return err
		}
		if waiting := Waiting(below); len(waiting) > 0 {
			var names []string
			for _, w := range waiting {
				names = append(names, fmt.Sprintf("%s (%s)", w.Unit.Name, strings.ToLower(w.Status.Label())))
			}
			return errs.New(errs.Conflict, "Chưa duyệt được báo cáo %s: còn %d đơn vị cấp dưới chưa được duyệt: %s.", d.name(), len(waiting), strings.Join(names, ", "))
		}
		sub.Status, sub.Reason = Approved, ""
		if d.Override {
			sub.Reason = strings.TrimSpace(d.Reason)
		}
		return tx.LockPeriod(ctx, d.Actor, d.Unit, d.Period, true)
	})
}

// ReturnReport sends a report back to its unit with a reason; the unit can then
// correct it and send it again.
func ReturnReport(ctx context.Context, tx Tx, d Decision) error {
	return decide(ctx, tx, d, Return, func(sub *Submission) error {
		sub.Status, sub.ReturnedAt = Returned, tx.Now()
		return nil
	})
}

// ReopenReport unlocks an approved report's figures, with a reason, and returns
// the report to its unit to correct and send again. A report whose level
// above is approved stays locked under that approval: that one is
// reopened first.
func ReopenReport(ctx context.Context, tx Tx, d Decision) error {
	return decide(ctx, tx, d, Reopen, func(sub *Submission) error {
		above, ok, err := tx.ReportAbove(ctx, d.Program.Code, d.Form.Code, d.Unit, d.Period)
		if err != nil {
			return err
		}
		if ok && above.Status == Approved {
			return errs.New(errs.Conflict, "Báo cáo của cấp trên (%s) kỳ này đã được duyệt và đang khóa số liệu của cả đơn vị cấp dưới: hãy mở khóa báo cáo của %s trước.", above.Unit.Name, above.Unit.Name)
		}
		sub.Status, sub.ReturnedAt = Returned, tx.Now()
		if err := tx.UnlockPeriod(ctx, d.Actor, d.Unit, d.Period); err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		return nil
	})
}

// decide applies an approver's action: the report must stand where the
// action applies, a return, a reopening and an override carry a reason.
func decide(ctx context.Context, tx Tx, d Decision, a Action, fn func(sub *Submission) error) error {
	before, err := tx.Report(ctx, d.Program.Code, d.Form.Code, d.Unit, d.Period)
	if err != nil {
		return err
	}
	if err := Check(before.Status, a, d.name()); err != nil {
		return err
	}
	if (a != Approve || d.Override) && strings.TrimSpace(d.Reason) == "" {
		code := errs.MissingReason
		if d.Override {
			code = errs.MissingOverride
		}
		return errs.WithDetails("Hãy ghi lý do.", []errs.Detail{{Field: "reason", Code: code}})
	}
	if msg := limits.TooLong("Lý do", strings.TrimSpace(d.Reason), limits.Reason); msg != "" {
		return errs.New(errs.Invalid, "%s", msg)
	}
	after := before
	after.DecidedAt, after.DecidedBy, after.Reason = tx.Now(), d.Actor.Name, strings.TrimSpace(d.Reason)
	if err := fn(&after); err != nil {
		return err
	}
	action := string(a)
	if d.Override {
		action += OverrideSuffix
	}
	return tx.PutReport(ctx, d.Actor, action, before, after)
}

// OverrideSuffix marks an audited decision an admin took in the place of
// the level above ("approve_override").
const OverrideSuffix = "_override"

// Waiting are the reports of below that are not yet approved: a report is
// approved only after them.
func Waiting(below []Submission) []Submission {
	var out []Submission
	for _, b := range below {
		if b.Status != Approved {
			out = append(out, b)
		}
	}
	return out
}

// Counted is a unit's report as the reporting target (T1.2) counts it.
type Counted struct {
	Unit        unit.Unit
	Due, OnTime bool
}

// WriteCounts stores the reports' counts (T1.2: reports due, reports on
// time) for the units, as figures of the submission module, so roll-ups
// and scorecards read them like any other. Units not yet due are skipped;
// nothing is written for a form whose program counts no reports.
func WriteCounts(ctx context.Context, tx Tx, prog *program.Program, f form.Form, p period.Period, units []Counted) error {
	dueCode, onTimeCode, ok := CountedElements(prog, f)
	if !ok {
		return nil
	}
	var rows []value.Row
	for _, u := range units {
		if !u.Due {
			continue
		}
		n := len(rows) + 1
		onTime := "0"
		if u.OnTime {
			onTime = "1"
		}
		rows = append(rows,
			value.Row{DataElement: dueCode, Period: p.String(), OrgUnit: u.Unit.Code, Value: "1", Line: n},
			value.Row{DataElement: onTimeCode, Period: p.String(), OrgUnit: u.Unit.Code, Value: onTime, Line: n + 1})
	}
	if len(rows) == 0 {
		return nil
	}
	_, err := tx.WriteDerived(ctx, Module, rows)
	return err
}

// Missing are the units whose reports are due and not yet counted: of the
// submitters, those without a stored due count whose report was sent or
// whose deadline has passed.
func Missing(submitters []unit.Unit, reports map[int64]Submission, dl Deadlines, counted map[string]bool, now time.Time) []Counted {
	var out []Counted
	for _, u := range submitters {
		if counted[u.Path] {
			continue
		}
		sub := reports[u.ID]
		if due, onTime := Count(sub, dl.For(u.Kind, sub), now); due {
			out = append(out, Counted{u, due, onTime})
		}
	}
	return out
}

// Choices are the decisions a report's state allows, so that a page offers
// only buttons that can succeed.
type Choices struct {
	Approve, Return, Reopen bool
	// Waiting are the reports below not yet approved, when they hold up
	// the approval of a sent report.
	Waiting []Submission
}

// ChoicesFor says which decisions a report allows: a sent report is
// returned, or approved once every report directly below it is; an
// approved report is reopened unless the report above it is approved too
// (that one is reopened first). above is nil when nothing above sends
// the form.
func ChoicesFor(sub Submission, below []Submission, above *Submission) Choices {
	var c Choices
	switch sub.Status {
	case Submitted:
		c.Return = true
		c.Waiting = Waiting(below)
		c.Approve = len(c.Waiting) == 0
	case Approved:
		c.Reopen = above == nil || above.Status != Approved
	}
	return c
}
