// Package submission holds periodic reports (báo cáo định kỳ): a unit's
// report form for one period, and its way from draft to approval. It says
// who may do what to a report, when a report is due and whether it came on
// time, and what the reporting targets (T1.2) count. It does not touch the
// database: internal/store keeps the reports.
package submission

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
)

// Status is where a report stands. A report nobody has saved yet has
// status None.
type Status string

const (
	None      Status = ""
	Draft     Status = "draft"     // being filled in
	Submitted Status = "submitted" // sent to the level above, awaiting approval
	Approved  Status = "approved"  // approved: the unit's figures for the period are locked
	Returned  Status = "returned"  // sent back with a reason: editable, to be sent again
)

// Label is the status as users read it.
func (s Status) Label() string {
	switch s {
	case None:
		return "Chưa nhập"
	case Draft:
		return "Đang soạn"
	case Submitted:
		return "Đã gửi, chờ duyệt"
	case Approved:
		return "Đã duyệt"
	case Returned:
		return "Bị trả lại"
	}
	return string(s)
}

// Editable reports whether the unit may still change the report: once
// sent, it waits for the level above, which approves it or returns it.
func (s Status) Editable() bool { return s == None || s == Draft || s == Returned }

// Reported reports whether the report has been sent (and not returned).
func (s Status) Reported() bool { return s == Submitted || s == Approved }

// Submission is one unit's report for a form and period.
type Submission struct {
	Program   string
	Form      string
	Unit      unit.Unit
	Period    period.Period
	Status    Status
	Narrative string // the monthly report's text
	Version   int64  // changes with every save; 0 before the first
	// Deadline is the one in force when the report was first sent
	// (YYYY-MM-DD); empty until then.
	Deadline    string
	SubmittedAt time.Time // the last time it was sent
	SubmittedBy string
	// FirstSubmittedAt is the first sending, which timeliness is judged
	// by; ReturnedAt the last return (or reopening). Zero when unknown:
	// reports sent before these were kept show SubmittedAt as the first.
	FirstSubmittedAt time.Time
	ReturnedAt       time.Time
	// OnTime: the first sending was on or before the deadline. A report
	// returned for a correction and sent again still came on time.
	OnTime    bool
	DecidedAt time.Time // approved, returned or reopened
	DecidedBy string
	Reason    string // why it was returned or reopened
	UpdatedAt time.Time
	UpdatedBy string
}

// Deadlines are a form's deadlines for one period, by submitting level:
// the one an administrator set, else the form's default, moved to the next
// working day when it falls on a day off (DeadlineOf).
type Deadlines map[unit.Kind]string

// For is the deadline unit's report sub is judged by — the one rule every
// page, reminder, count and template follows: the deadline in force when
// the report was first sent, which it keeps (a later change of deadline
// does not turn an on-time report late); else its level's.
func (d Deadlines) For(k unit.Kind, sub Submission) string {
	if sub.Deadline != "" {
		return sub.Deadline
	}
	return d[k]
}

// Workdays moves a day off to the next working day (calendar.Calendar).
type Workdays interface {
	NextWorkday(day string) string
}

// DeadlineOf is when units of kind k must send a form for p: set, if an
// administrator set one (YYYY-MM-DD), else the form's default. A default
// that falls on a weekend or a holiday moves to the next working day, as a
// legal time limit does (Bộ luật Dân sự 2015, Điều 148); a date an
// administrator chose is kept as chosen. days may be nil: no day is off.
func DeadlineOf(set string, p period.Period, k unit.Kind, days Workdays) string {
	if set != "" {
		return set
	}
	d := form.DefaultDeadline(p, k).Format(time.DateOnly)
	if days != nil {
		d = days.NextWorkday(d)
	}
	return d
}

// OnTime reports whether a report sent at t meets deadline: any time on
// the deadline's day in Vietnam is on time.
func OnTime(t time.Time, deadline string) bool { return clock.Today(t) <= deadline }

// PastDeadline reports whether deadline has passed at now.
func PastDeadline(deadline string, now time.Time) bool { return clock.Today(now) > deadline }

// Standing is a unit's place on the completeness page.
type Standing string

const (
	OnTimeReport  Standing = "dung_han" // sent, on time
	LateReport    Standing = "tre_han"  // sent, after the deadline
	OverdueReport Standing = "qua_han"  // deadline passed, not sent
	NotDueReport  Standing = "chua_nop" // not sent, not yet due
	// ReturnedReport: sent, then returned for a correction and not yet
	// sent again. It was sent, so it is not "overdue, not sent"; its
	// first sending still says whether it came on time.
	ReturnedReport Standing = "tra_lai"
)

// Label is the standing as the completeness page writes it.
func (s Standing) Label() string {
	switch s {
	case OnTimeReport:
		return "Đã nộp đúng hạn"
	case LateReport:
		return "Đã nộp muộn"
	case OverdueReport:
		return "Quá hạn, chưa nộp"
	case NotDueReport:
		return "Chưa nộp (chưa đến hạn)"
	case ReturnedReport:
		return "Bị trả lại, chờ gửi lại"
	}
	return string(s)
}

// StandingOf places a report: sent on time or late, returned and waiting
// to be sent again, overdue, or not yet sent and not yet due.
func StandingOf(sub Submission, deadline string, now time.Time) Standing {
	switch {
	case sub.Status == Returned:
		return ReturnedReport
	case sub.Status.Reported() && sub.OnTime:
		return OnTimeReport
	case sub.Status.Reported():
		return LateReport
	case PastDeadline(deadline, now):
		return OverdueReport
	}
	return NotDueReport
}

// Action is a change of a report's status.
type Action string

const (
	Save    Action = "save"    // save a draft
	Submit  Action = "submit"  // send to the level above
	Approve Action = "approve" // approve and lock
	Return  Action = "return"  // send back with a reason
	Reopen  Action = "reopen"  // unlock an approved report, with a reason
)

// Check says whether the action may be taken on a report in status s,
// and if not, why, in Vietnamese (a Conflict error: the report's state
// does not allow it).
func Check(s Status, a Action, name string) error {
	ok := false
	switch a {
	case Save, Submit:
		ok = s.Editable()
	case Approve, Return:
		ok = s == Submitted
	case Reopen:
		ok = s == Approved
	}
	if ok {
		return nil
	}
	switch {
	case s == Approved && (a == Save || a == Submit):
		return errs.New(errs.Conflict, "Báo cáo %s đã được duyệt và số liệu đã khóa: không sửa được nữa. Nếu cần sửa, hãy đề nghị lãnh đạo cấp trên mở khóa.", name)
	case s == Submitted && (a == Save || a == Submit):
		return errs.New(errs.Conflict, "Báo cáo %s đã gửi và đang chờ cấp trên duyệt: không sửa được. Nếu cần sửa, hãy đề nghị cấp trên trả lại báo cáo.", name)
	case a == Reopen:
		return errs.New(errs.Conflict, "Báo cáo %s chưa được duyệt nên không có gì để mở khóa (trạng thái: %s).", name, strings.ToLower(s.Label()))
	}
	return errs.New(errs.Conflict, "Báo cáo %s đang ở trạng thái «%s»: chỉ duyệt hoặc trả lại được báo cáo đã gửi.", name, s.Label())
}

// Submitters are the units that send a form: of the given units (a
// subtree), those of a submitting kind.
func Submitters(units []unit.Unit) []unit.Unit {
	var out []unit.Unit
	for _, u := range units {
		if form.Submits(u.Kind) {
			out = append(out, u)
		}
	}
	return out
}

// Module is the module that computes T1.2's figures from reports: the
// count of reports due and of reports sent on time.
const Module = "submission"

// Source is the source of those data elements.
const Source = "derived:" + Module

// CountedElements names the elements a form's reports are counted in: due, the
// reports a unit had to send (1 for a period once it is overdue or sent),
// and onTime, the part of them sent on time. They are the program's
// elements with Source of the form's period type, the part naming the
// whole as its denominator. ok is false when the program counts no
// reports of this form.
func CountedElements(p *program.Program, f form.Form) (due, onTime string, ok bool) {
	var derived []program.DataElement
	for _, e := range p.DataElements {
		if e.Source == Source && e.PeriodType == f.PeriodType.String() {
			derived = append(derived, e)
		}
	}
	for _, part := range derived {
		if i := slices.IndexFunc(derived, func(e program.DataElement) bool { return e.Code == part.Denominator }); i >= 0 {
			return derived[i].Code, part.Code, true
		}
	}
	return "", "", false
}

// Count is what a unit's report adds to the counts: whether it was due,
// and whether it came on time. Nothing is counted before the deadline
// unless the report was sent: a month that is not over owes nothing yet.
func Count(sub Submission, deadline string, now time.Time) (due, onTime bool) {
	if sub.Status.Reported() || sub.SubmittedBy != "" {
		return true, sub.OnTime
	}
	return PastDeadline(deadline, now), false
}

// Name names a report in messages: "Báo cáo năm, Năm 2024, Xã Hợp Thịnh".
func Name(f form.Form, u unit.Unit, p period.Period) string {
	return fmt.Sprintf("«%s» %s của %s", f.Name, strings.ToLower(p.Label()[:1])+p.Label()[1:], u.Name)
}
