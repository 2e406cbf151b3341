package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/submission"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// ConflictError refuses a write because what it would replace changed
// after the writer loaded it. It carries both sides, so the form can show
// them; nothing of the write was applied.
type ConflictError struct {
	err       *errs.Error
	Values    []ValueConflict
	Narrative *TextConflict
}

func (e *ConflictError) Error() string { return e.err.Error() }
func (e *ConflictError) Unwrap() error { return e.err }

// ValueConflict is one figure someone else changed meanwhile.
type ValueConflict struct {
	Line    int     // the row of the write
	Stored  float64 // what is stored now
	Present bool    // false if nothing is stored (never, since values are not deleted)
	By      string  // who stored it
	At      time.Time
	Yours   float64 // what this write would have stored
}

// TextConflict is a report text someone else changed meanwhile.
type TextConflict struct {
	Stored, By string
	At         time.Time
}

func conflict(values []ValueConflict, text *TextConflict) *ConflictError {
	n := len(values)
	if text != nil {
		n++
	}
	return &ConflictError{
		err:    errs.New(errs.Conflict, "Có %d ô đã được người khác sửa sau khi bạn mở biểu mẫu. Chưa có gì được ghi: hãy xem hai giá trị bên dưới, giữ giá trị nào thì để ở ô đó, rồi lưu lại.", n),
		Values: values, Narrative: text,
	}
}

// checkLoaded compares what the writer's form showed with what is stored
// now, inside the write transaction (after the values lock), so two
// editors cannot both pass the check and then overwrite each other.
func (s *Store) checkLoaded(ctx context.Context, c *sql.Conn, values []value.Value, existing map[valueKey]storedValue, codes periodCodes, loaded map[int]Loaded) error {
	if len(loaded) == 0 {
		return nil
	}
	var out []ValueConflict
	for _, v := range values {
		l, ok := loaded[v.Line]
		if !ok {
			continue
		}
		cur, has := existing[valueKey{v.Element.ID, codes.of(v.Period), v.Unit.Path}]
		if has == l.Present && (!has || cur.value == l.Value) {
			continue
		}
		if has && cur.value == v.Number {
			continue // the other editor stored what this one types: nothing is lost
		}
		vc := ValueConflict{Line: v.Line, Stored: cur.value, Present: has, Yours: v.Number}
		if has {
			if err := c.QueryRowContext(ctx, `SELECT actor, at FROM value_changes WHERE id = $1`, cur.changeID).Scan(&vc.By, &vc.At); err != nil {
				return err
			}
		}
		out = append(out, vc)
	}
	if len(out) == 0 {
		return nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return conflict(out, nil)
}

const submissionCols = `program, form, unit_id, period, status, narrative, deadline, submitted_at, submitted_by, on_time, decided_at, decided_by, reason, updated_at, updated_by`

func scanSubmission(sc interface{ Scan(...any) error }) (submission.Submission, int64, error) {
	var sub submission.Submission
	var unitID int64
	var per, status string
	var submitted, decided sql.NullTime
	var onTime sql.NullBool
	err := sc.Scan(&sub.Program, &sub.Form, &unitID, &per, &status, &sub.Narrative, &sub.Deadline, &submitted, &sub.SubmittedBy, &onTime,
		&decided, &sub.DecidedBy, &sub.Reason, &sub.UpdatedAt, &sub.UpdatedBy)
	if err != nil {
		return sub, 0, err
	}
	sub.Status = submission.Status(status)
	sub.Period, err = period.Parse(per)
	sub.SubmittedAt, sub.DecidedAt, sub.OnTime = submitted.Time, decided.Time, onTime.Bool
	return sub, unitID, err
}

// loadSubmission returns the unit's report, with status None when nobody
// has saved it yet.
func loadSubmission(ctx context.Context, q queryer, prog, formCode string, u unit.Unit, p period.Period) (submission.Submission, error) {
	sub, _, err := scanSubmission(q.QueryRowContext(ctx, `SELECT `+submissionCols+` FROM submissions
		WHERE program = $1 AND form = $2 AND period = $3 AND unit_id = $4`, prog, formCode, p.String(), u.ID))
	if err == sql.ErrNoRows {
		sub, err = submission.Submission{Program: prog, Form: formCode, Period: p}, nil
	}
	sub.Unit = u
	return sub, err
}

// Submission returns a unit's report for a form and period; a report
// nobody has saved has status None.
func (s *Store) Submission(ctx context.Context, prog, formCode string, u unit.Unit, p period.Period) (submission.Submission, error) {
	return loadSubmission(ctx, s.DB, prog, formCode, u, p)
}

// Submissions returns every saved report of a form and period, by unit id.
func (s *Store) Submissions(ctx context.Context, prog, formCode string, p period.Period) (map[int64]submission.Submission, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+submissionCols+` FROM submissions WHERE program = $1 AND form = $2 AND period = $3`, prog, formCode, p.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]submission.Submission{}
	for rows.Next() {
		sub, id, err := scanSubmission(rows)
		if err != nil {
			return nil, err
		}
		out[id] = sub
	}
	return out, rows.Err()
}

func submissionKey(sub submission.Submission) string {
	return sub.Program + "/" + sub.Form + "/" + sub.Unit.Code + "@" + sub.Unit.ValidFrom + "/" + sub.Period.String()
}

// putSubmission inserts or updates the report's row and audits the change
// from before.
func putSubmission(ctx context.Context, q queryer, a audit.Actor, action string, before, after submission.Submission, now time.Time) error {
	after.UpdatedAt, after.UpdatedBy = now.UTC(), a.Name
	nullTime := func(t time.Time) sql.NullTime { return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()} }
	onTime := sql.NullBool{Bool: after.OnTime, Valid: after.SubmittedBy != ""}
	_, err := q.ExecContext(ctx, `INSERT INTO submissions (`+submissionCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (program, form, period, unit_id) DO UPDATE SET status = excluded.status, narrative = excluded.narrative,
			deadline = excluded.deadline, submitted_at = excluded.submitted_at, submitted_by = excluded.submitted_by, on_time = excluded.on_time,
			decided_at = excluded.decided_at, decided_by = excluded.decided_by, reason = excluded.reason,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		after.Program, after.Form, after.Unit.ID, after.Period.String(), string(after.Status), after.Narrative, after.Deadline,
		nullTime(after.SubmittedAt), after.SubmittedBy, onTime, nullTime(after.DecidedAt), after.DecidedBy, after.Reason, after.UpdatedAt, after.UpdatedBy)
	if err != nil {
		return err
	}
	state := func(x submission.Submission) any {
		if x.Status == submission.None {
			return nil
		}
		m := map[string]any{"status": string(x.Status)}
		if x.SubmittedBy != "" {
			m["on_time"] = x.OnTime
			m["deadline"] = x.Deadline
		}
		if x.Reason != "" {
			m["reason"] = x.Reason
		}
		return m
	}
	return writeAudit(ctx, q, a, action, "submission", submissionKey(after), state(before), state(after))
}

// FormSave is one save of a report form: its figures, its text, and
// whether it is sent as well.
type FormSave struct {
	Actor   audit.Actor
	Scope   unit.Unit // the writer's unit: only its subtree may be written
	Program *program.Program
	Form    form.Form
	Unit    unit.Unit
	Period  period.Period
	// Rows are the figures typed or changed; Loaded, by row line, what the
	// form showed for each when it was opened.
	Rows   []value.Row
	Loaded map[int]Loaded
	// Narrative is the report's text when the form has one and it was
	// changed; NarrativeLoaded is the text the form was opened with.
	Narrative       *string
	NarrativeLoaded string
	Submit          bool
	Now             time.Time
}

// SaveForm saves a report form in one transaction: its figures through
// the same validation as every import, its text, and its status (a draft,
// or sent). If anything another editor changed meanwhile would be
// replaced, nothing is written and a *ConflictError says what.
func (s *Store) SaveForm(ctx context.Context, f FormSave) (value.Summary, error) {
	var sum value.Summary
	err := s.inWriteConn(ctx, func(c *sql.Conn) error {
		before, err := loadSubmission(ctx, c, f.Program.Code, f.Form.Code, f.Unit, f.Period)
		if err != nil {
			return err
		}
		action := submission.Save
		if f.Submit {
			action = submission.Submit
		}
		if err := submission.Check(before.Status, action, submission.Name(f.Form, f.Unit, f.Period)); err != nil {
			return err
		}
		after := before
		var text *TextConflict
		if f.Narrative != nil && *f.Narrative != before.Narrative {
			if before.Narrative != f.NarrativeLoaded {
				text = &TextConflict{Stored: before.Narrative, By: before.UpdatedBy, At: before.UpdatedAt}
			}
			after.Narrative = *f.Narrative
		}
		if len(f.Rows) > 0 {
			sum, err = s.importValues(ctx, c, f.Rows, ImportOptions{Actor: f.Actor, Scope: f.Scope, Source: "biểu " + f.Form.Code,
				Today: submission.Today(f.Now), Loaded: f.Loaded})
			if ce, ok := err.(*ConflictError); ok && text != nil {
				ce.Narrative = text
			}
			if err != nil {
				return err
			}
		}
		if text != nil {
			return conflict(nil, text)
		}
		if after.Status == submission.None || after.Status == submission.Draft {
			after.Status = submission.Draft
		}
		if f.Submit {
			after.Status, after.SubmittedAt, after.SubmittedBy, after.Reason = submission.Submitted, f.Now, f.Actor.Name, ""
			if before.SubmittedBy == "" {
				set, err := deadlines(ctx, c, f.Program.Code, f.Form.Code, f.Period)
				if err != nil {
					return err
				}
				after.Deadline = submission.Deadline(set[f.Unit.Kind], f.Period, f.Unit.Kind)
				after.OnTime = submission.OnTime(f.Now, after.Deadline)
			}
		}
		if err := putSubmission(ctx, c, f.Actor, string(action), before, after, f.Now); err != nil {
			return err
		}
		if f.Submit {
			return s.writeCounts(ctx, c, f.Program, f.Form, f.Period, []counted{{f.Unit, true, after.OnTime}})
		}
		return nil
	})
	return sum, err
}

// Decision is an approver's decision on a unit's report.
type Decision struct {
	Actor   audit.Actor
	Program *program.Program
	Form    form.Form
	Unit    unit.Unit
	Period  period.Period
	Reason  string // why it is returned or reopened
	Now     time.Time
}

func (d Decision) name() string { return submission.Name(d.Form, d.Unit, d.Period) }

// decide applies an approver's action to a report in one transaction,
// serialised with every write of values.
func (s *Store) decide(ctx context.Context, d Decision, a submission.Action, fn func(c *sql.Conn, sub *submission.Submission) error) error {
	return s.inWriteConn(ctx, func(c *sql.Conn) error {
		before, err := loadSubmission(ctx, c, d.Program.Code, d.Form.Code, d.Unit, d.Period)
		if err != nil {
			return err
		}
		if err := submission.Check(before.Status, a, d.name()); err != nil {
			return err
		}
		if a != submission.Approve && strings.TrimSpace(d.Reason) == "" {
			return errs.WithDetails("Hãy ghi lý do.", []errs.Detail{{Field: "reason", Code: errs.MissingReason}})
		}
		after := before
		after.DecidedAt, after.DecidedBy, after.Reason = d.Now, d.Actor.Name, strings.TrimSpace(d.Reason)
		if err := fn(c, &after); err != nil {
			return err
		}
		return putSubmission(ctx, c, d.Actor, string(a), before, after, d.Now)
	})
}

// Approve approves a sent report and locks the unit's figures for the
// period (its subtree's too). A unit's report is approved only after
// every report of the units directly below it that send the form.
func (s *Store) Approve(ctx context.Context, d Decision) error {
	return s.decide(ctx, d, submission.Approve, func(c *sql.Conn, sub *submission.Submission) error {
		rows, err := c.QueryContext(ctx, `SELECT u.name, COALESCE(s.status, '') FROM units u
			LEFT JOIN submissions s ON s.unit_id = u.id AND s.program = $1 AND s.form = $2 AND s.period = $3
			WHERE u.parent_id = $4 AND u.valid_from <= $5 AND u.valid_to >= $5 AND u.kind IN ('province', 'district', 'commune')
			ORDER BY u.code`, d.Program.Code, d.Form.Code, d.Period.String(), d.Unit.ID, rollup.AsOf(d.Unit, d.Period))
		if err != nil {
			return err
		}
		defer rows.Close()
		var waiting []string
		for rows.Next() {
			var name, status string
			if err := rows.Scan(&name, &status); err != nil {
				return err
			}
			if submission.Status(status) != submission.Approved {
				waiting = append(waiting, fmt.Sprintf("%s (%s)", name, strings.ToLower(submission.Status(status).Label())))
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(waiting) > 0 {
			return errs.New(errs.Conflict, "Chưa duyệt được báo cáo %s: còn %d đơn vị cấp dưới chưa được duyệt: %s.", d.name(), len(waiting), strings.Join(waiting, ", "))
		}
		sub.Status, sub.Reason = submission.Approved, ""
		return lockPeriod(ctx, c, d.Actor, d.Unit, d.Period, true)
	})
}

// Return sends a report back to its unit with a reason; the unit can then
// correct it and send it again.
func (s *Store) Return(ctx context.Context, d Decision) error {
	return s.decide(ctx, d, submission.Return, func(_ *sql.Conn, sub *submission.Submission) error {
		sub.Status = submission.Returned
		return nil
	})
}

// Reopen unlocks an approved report's figures, with a reason, and returns
// the report to its unit to correct and send again. A report whose level
// above is approved stays locked under that approval: that one is reopened
// first.
func (s *Store) Reopen(ctx context.Context, d Decision) error {
	return s.decide(ctx, d, submission.Reopen, func(c *sql.Conn, sub *submission.Submission) error {
		var parent string
		err := c.QueryRowContext(ctx, `SELECT u.name FROM submissions s JOIN units u ON u.id = s.unit_id
			WHERE s.unit_id = $1 AND s.program = $2 AND s.form = $3 AND s.period = $4 AND s.status = 'approved'`,
			d.Unit.ParentID, d.Program.Code, d.Form.Code, d.Period.String()).Scan(&parent)
		if err == nil {
			return errs.New(errs.Conflict, "Báo cáo của cấp trên (%s) kỳ này đã được duyệt và đang khóa số liệu của cả đơn vị cấp dưới: hãy mở khóa báo cáo của %s trước.", parent, parent)
		}
		if err != sql.ErrNoRows {
			return err
		}
		sub.Status = submission.Returned
		if err := unlockPeriod(ctx, c, d.Actor, d.Unit, d.Period); err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		return nil
	})
}

// deadlines returns the deadlines an administrator set for a form and
// period, by level.
func deadlines(ctx context.Context, q queryer, prog, formCode string, p period.Period) (map[unit.Kind]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, deadline FROM form_deadlines WHERE program = $1 AND form = $2 AND period = $3`, prog, formCode, p.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[unit.Kind]string{}
	for rows.Next() {
		var k, d string
		if err := rows.Scan(&k, &d); err != nil {
			return nil, err
		}
		out[unit.Kind(k)] = d
	}
	return out, rows.Err()
}

// Deadlines returns the deadline of a form and period for each submitting
// level: the one an administrator set, else the default.
func (s *Store) Deadlines(ctx context.Context, prog, formCode string, p period.Period) (map[unit.Kind]string, error) {
	set, err := deadlines(ctx, s.DB, prog, formCode, p)
	if err != nil {
		return nil, err
	}
	out := map[unit.Kind]string{}
	for _, k := range form.SubmittingKinds {
		out[k] = submission.Deadline(set[k], p, k)
	}
	return out, nil
}

// SetDeadline sets the deadline (YYYY-MM-DD) of a form and period for
// units of kind k. Reports already sent keep the deadline they were judged
// by.
func (s *Store) SetDeadline(ctx context.Context, a audit.Actor, prog, formCode string, p period.Period, k unit.Kind, deadline string, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := deadlines(ctx, tx, prog, formCode, p)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO form_deadlines (program, form, period, kind, deadline, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (program, form, period, kind) DO UPDATE SET deadline = excluded.deadline, set_by = excluded.set_by, set_at = excluded.set_at`,
			prog, formCode, p.String(), string(k), deadline, a.Name, now.UTC()); err != nil {
			return err
		}
		old := submission.Deadline(before[k], p, k)
		return writeAudit(ctx, tx, a, "set_deadline", "form_deadline", prog+"/"+formCode+"/"+p.String()+"/"+string(k),
			map[string]string{"deadline": old}, map[string]string{"deadline": deadline})
	})
}

// Reminder is a reminder to a unit to send a report.
type Reminder struct {
	Program, Form string
	Period        period.Period
	UnitID        int64
	At            time.Time
	From          string // the reminding unit's name
	Actor         string
}

// Remind records a reminder from the level above to unit u to send its
// report.
func (s *Store) Remind(ctx context.Context, a audit.Actor, from unit.Unit, prog, formCode string, u unit.Unit, p period.Period, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO reminders (program, form, unit_id, period, at, from_unit, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			prog, formCode, u.ID, p.String(), now.UTC(), from.ID, a.Name); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, "remind", "submission", prog+"/"+formCode+"/"+u.Code+"@"+u.ValidFrom+"/"+p.String(), nil, map[string]string{"from": from.Code})
	})
}

func queryReminders(ctx context.Context, q queryer, query string, args ...any) ([]Reminder, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.program, r.form, r.period, r.unit_id, r.at, u.name, r.actor FROM reminders r JOIN units u ON u.id = r.from_unit `+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Reminder
	for rows.Next() {
		var r Reminder
		var per string
		if err := rows.Scan(&r.Program, &r.Form, &per, &r.UnitID, &r.At, &r.From, &r.Actor); err != nil {
			return nil, err
		}
		if r.Period, err = period.Parse(per); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Reminders returns the reminders sent for a form and period, oldest first.
func (s *Store) Reminders(ctx context.Context, prog, formCode string, p period.Period) ([]Reminder, error) {
	return queryReminders(ctx, s.DB, `WHERE r.program = $1 AND r.form = $2 AND r.period = $3 ORDER BY r.at, r.id`, prog, formCode, p.String())
}

// RemindersTo returns the reminders unit u received since a moment, newest
// first.
func (s *Store) RemindersTo(ctx context.Context, u unit.Unit, since time.Time) ([]Reminder, error) {
	return queryReminders(ctx, s.DB, `WHERE r.unit_id = $1 AND r.at >= $2 ORDER BY r.at DESC, r.id DESC LIMIT 50`, u.ID, since.UTC())
}

// counted is a unit's report as the reporting target counts it.
type counted struct {
	unit        unit.Unit
	due, onTime bool
}

// writeCounts stores the reports' counts (T1.2: reports due, reports on
// time) for the units, in the caller's transaction, through the same value
// store as every figure, so roll-ups and scorecards read them like any
// other. Units not yet due are skipped; nothing is written for a form whose
// program counts no reports.
func (s *Store) writeCounts(ctx context.Context, c *sql.Conn, prog *program.Program, f form.Form, p period.Period, units []counted) error {
	dueCode, onTimeCode, ok := submission.Counted(prog, f)
	if !ok {
		return nil
	}
	var rows []value.Row
	for _, u := range units {
		if !u.due {
			continue
		}
		n := len(rows) + 1
		rows = append(rows,
			value.Row{DataElement: dueCode, Period: p.String(), OrgUnit: u.unit.Code, Value: "1", Line: n},
			value.Row{DataElement: onTimeCode, Period: p.String(), OrgUnit: u.unit.Code, Value: map[bool]string{true: "1", false: "0"}[u.onTime], Line: n + 1})
	}
	if len(rows) == 0 {
		return nil
	}
	root, err := scanUnit(c.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`))
	if err != nil {
		return err
	}
	_, err = s.importValues(ctx, c, rows, ImportOptions{Actor: audit.Actor{Name: "hệ thống"}, Scope: root, Source: submission.Source,
		Today: p.EndDate(), derived: strings.TrimPrefix(submission.Source, "derived:")})
	return err
}

// SyncCounts brings the reporting counts of a form and period up to date
// for every unit that sends it in the program's tree: a unit that sent its
// report was counted when it did (SaveForm); this adds the units whose
// deadline has passed without a report, as due and not on time.
//
// There is no nightly job for it. It runs when someone looks at the
// period's reports (the completeness page) or sends one, and whoever
// serves scorecards may call SyncDueCounts now and then; each run reads the
// counts first and takes the write lock only when one is missing, so
// calling it often is cheap, and running it on several servers at once is
// harmless (the second writes nothing new).
func (s *Store) SyncCounts(ctx context.Context, prog *program.Program, f form.Form, p period.Period, now time.Time) error {
	dueCode, _, ok := submission.Counted(prog, f)
	if !ok || submission.Today(now) < p.StartDate() {
		return nil
	}
	owner, err := s.UnitDuring(ctx, prog.OwnerUnit, p.StartDate(), p.EndDate())
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	tree, err := s.Subtree(ctx, owner, rollup.AsOf(owner, p))
	if err != nil {
		return err
	}
	subs, err := s.Submissions(ctx, prog.Code, f.Code, p)
	if err != nil {
		return err
	}
	dl, err := s.Deadlines(ctx, prog.Code, f.Code, p)
	if err != nil {
		return err
	}
	// What is stored already: the due count of each unit.
	stored := map[string]bool{}
	lo, hi := unit.PathRange(owner.Path)
	rows, err := s.DB.QueryContext(ctx, `SELECT v.unit_path FROM data_values v JOIN data_elements e ON e.id = v.element_id
		WHERE e.code = $1 AND v.period = $2 AND v.unit_path >= $3 AND v.unit_path < $4`, dueCode, p.String(), lo, hi)
	if err != nil {
		return err
	}
	for rows.Next() {
		var path string
		if err := rows.Scan(&path); err != nil {
			rows.Close()
			return err
		}
		stored[path] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var missing []counted
	for _, u := range submission.Submitters(tree) {
		if stored[u.Path] {
			continue
		}
		sub := subs[u.ID]
		due, onTime := submission.Count(sub, dl[u.Kind], now)
		if due {
			missing = append(missing, counted{u, due, onTime})
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return s.inWriteConn(ctx, func(c *sql.Conn) error { return s.writeCounts(ctx, c, prog, f, p, missing) })
}

// SyncDueCounts runs SyncCounts for every program's counted forms, for the
// periods of the last year up to now: a background job for a server to run
// (on one server at a time, under an advisory lock on PostgreSQL), so the
// counts are complete even for a month nobody opened.
func (s *Store) SyncDueCounts(ctx context.Context, now time.Time) error {
	_, err := s.runExclusive(ctx, jobDueCounts, func() error { return s.syncDueCounts(ctx, now) })
	return err
}

func (s *Store) syncDueCounts(ctx context.Context, now time.Time) error {
	progs, err := s.Programs(ctx)
	if err != nil {
		return err
	}
	today, _ := time.Parse(time.DateOnly, submission.Today(now))
	for _, prog := range progs {
		for _, f := range form.Of(prog) {
			if _, _, ok := submission.Counted(prog, f); !ok {
				continue
			}
			for p := period.ForDate(f.PeriodType, today.AddDate(-1, 0, 0)); p.StartDate() <= submission.Today(now); p = p.Next() {
				if p.Year < prog.Term.From || p.Year > prog.Term.To {
					continue
				}
				if err := s.SyncCounts(ctx, prog, f, p, now); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// ImportSubmissions stores reports as they stand (the demo's history, or
// reports carried over from another system) in one transaction, with one
// audit entry, and the reporting counts of those sent.
func (s *Store) ImportSubmissions(ctx context.Context, a audit.Actor, prog *program.Program, subs []submission.Submission, now time.Time) error {
	return s.inWriteConn(ctx, func(c *sql.Conn) error {
		type group struct {
			form string
			p    period.Period
		}
		forms := map[string]form.Form{}
		var order []group
		counts := map[group][]counted{}
		rows := make([][]any, 0, len(subs))
		for _, sub := range subs {
			f, err := form.Find(prog, sub.Form)
			if err != nil {
				return errs.New(errs.Invalid, "%v", err)
			}
			onTime := sql.NullBool{Bool: sub.OnTime, Valid: sub.SubmittedBy != ""}
			var submitted, decided sql.NullTime
			if !sub.SubmittedAt.IsZero() {
				submitted = sql.NullTime{Time: sub.SubmittedAt.UTC(), Valid: true}
			}
			if !sub.DecidedAt.IsZero() {
				decided = sql.NullTime{Time: sub.DecidedAt.UTC(), Valid: true}
			}
			rows = append(rows, []any{prog.Code, sub.Form, sub.Unit.ID, sub.Period.String(), string(sub.Status), sub.Narrative, sub.Deadline,
				submitted, sub.SubmittedBy, onTime, decided, sub.DecidedBy, sub.Reason, now.UTC(), a.Name})
			forms[f.Code] = f
			if sub.SubmittedBy != "" {
				g := group{f.Code, sub.Period}
				if _, ok := counts[g]; !ok {
					order = append(order, g)
				}
				counts[g] = append(counts[g], counted{sub.Unit, true, sub.OnTime})
			}
		}
		if err := s.insertRows(ctx, c, "submissions", strings.Split(strings.ReplaceAll(submissionCols, " ", ""), ","), rows, ""); err != nil {
			return err
		}
		for _, g := range order {
			if err := s.writeCounts(ctx, c, prog, forms[g.form], g.p, counts[g]); err != nil {
				return err
			}
		}
		return writeAudit(ctx, c, a, "import", "submission", prog.Code, nil, map[string]int{"submissions": len(subs)})
	})
}
