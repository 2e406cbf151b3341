package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"mattran/internal/audit"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/submission"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// checkLoaded compares what the writer's form showed with what is stored
// now, inside the write transaction (after the values lock), so two
// editors cannot both pass the check and then overwrite each other.
func (s *Store) checkLoaded(ctx context.Context, c *sql.Conn, values []value.Value, existing map[valueKey]storedValue, codes periodCodes, loaded map[int]value.Loaded) error {
	if len(loaded) == 0 {
		return nil
	}
	var out []value.Conflict
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
		vc := value.Conflict{Line: v.Line, Stored: cur.value, Present: has, Yours: v.Number}
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
	return value.NewConflict(out, nil)
}

const submissionCols = `program, form, unit_id, period, status, narrative, deadline, submitted_at, submitted_by, on_time, decided_at, decided_by, reason, updated_at, updated_by, first_submitted_at, returned_at`

func scanSubmission(sc interface{ Scan(...any) error }) (submission.Submission, int64, error) {
	var sub submission.Submission
	var unitID int64
	var per, status string
	var submitted, decided, first, returned sql.NullTime
	var onTime sql.NullBool
	err := sc.Scan(&sub.Program, &sub.Form, &unitID, &per, &status, &sub.Narrative, &sub.Deadline, &submitted, &sub.SubmittedBy, &onTime,
		&decided, &sub.DecidedBy, &sub.Reason, &sub.UpdatedAt, &sub.UpdatedBy, &first, &returned)
	if err != nil {
		return sub, 0, err
	}
	sub.Status = submission.Status(status)
	sub.Period, err = period.Parse(per)
	sub.SubmittedAt, sub.DecidedAt, sub.OnTime = submitted.Time, decided.Time, onTime.Bool
	sub.FirstSubmittedAt, sub.ReturnedAt = first.Time, returned.Time
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
func putSubmission(ctx context.Context, tx *Tx, a audit.Actor, action string, before, after submission.Submission) error {
	after.UpdatedAt, after.UpdatedBy = tx.now.UTC(), a.Name
	nullTime := func(t time.Time) sql.NullTime { return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()} }
	onTime := sql.NullBool{Bool: after.OnTime, Valid: after.SubmittedBy != ""}
	_, err := tx.exec(ctx, `INSERT INTO submissions (`+submissionCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT (program, form, period, unit_id) DO UPDATE SET status = excluded.status, narrative = excluded.narrative,
			first_submitted_at = excluded.first_submitted_at, returned_at = excluded.returned_at,
			deadline = excluded.deadline, submitted_at = excluded.submitted_at, submitted_by = excluded.submitted_by, on_time = excluded.on_time,
			decided_at = excluded.decided_at, decided_by = excluded.decided_by, reason = excluded.reason,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		after.Program, after.Form, after.Unit.ID, after.Period.String(), string(after.Status), after.Narrative, after.Deadline,
		nullTime(after.SubmittedAt), after.SubmittedBy, onTime, nullTime(after.DecidedAt), after.DecidedBy, after.Reason, after.UpdatedAt, after.UpdatedBy,
		nullTime(after.FirstSubmittedAt), nullTime(after.ReturnedAt))
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
	return tx.Audit(ctx, a, action, "submission", submissionKey(after), state(before), state(after))
}

// Report is a unit's report for a form and period, in the transaction.
func (tx *Tx) Report(ctx context.Context, prog, formCode string, u unit.Unit, p period.Period) (submission.Submission, error) {
	return loadSubmission(ctx, tx.c, prog, formCode, u, p)
}

// PutReport stores a report as after and audits the change from before.
func (tx *Tx) PutReport(ctx context.Context, a audit.Actor, action string, before, after submission.Submission) error {
	return putSubmission(ctx, tx, a, action, before, after)
}

// ReportsBelow are the reports of the committees directly below u, in the
// tree of p, that send forms: status None for those nobody saved.
func (tx *Tx) ReportsBelow(ctx context.Context, prog, formCode string, u unit.Unit, p period.Period) ([]submission.Submission, error) {
	return reportsBelow(ctx, tx.c, prog, formCode, u, p)
}

// ReportsBelow is Tx.ReportsBelow outside a transaction, for pages.
func (s *Store) ReportsBelow(ctx context.Context, prog, formCode string, u unit.Unit, p period.Period) ([]submission.Submission, error) {
	return reportsBelow(ctx, s.DB, prog, formCode, u, p)
}

func reportsBelow(ctx context.Context, q queryer, prog, formCode string, u unit.Unit, p period.Period) ([]submission.Submission, error) {
	kids, err := queryUnits(ctx, q, `SELECT `+unitCols+` FROM units WHERE parent_id = $1 AND valid_from <= $2 AND valid_to >= $2 ORDER BY code`,
		u.ID, rollup.AsOf(u, p))
	if err != nil {
		return nil, err
	}
	var out []submission.Submission
	for _, k := range submission.Submitters(kids) {
		sub, err := loadSubmission(ctx, q, prog, formCode, k, p)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, nil
}

// ReportAbove is the report of u's parent, when the parent sends forms.
func (tx *Tx) ReportAbove(ctx context.Context, prog, formCode string, u unit.Unit, p period.Period) (submission.Submission, bool, error) {
	return reportAbove(ctx, tx.c, prog, formCode, u, p)
}

// ReportAbove is Tx.ReportAbove outside a transaction, for pages.
func (s *Store) ReportAbove(ctx context.Context, prog, formCode string, u unit.Unit, p period.Period) (submission.Submission, bool, error) {
	return reportAbove(ctx, s.DB, prog, formCode, u, p)
}

func reportAbove(ctx context.Context, q queryer, prog, formCode string, u unit.Unit, p period.Period) (submission.Submission, bool, error) {
	if u.ParentID == 0 {
		return submission.Submission{}, false, nil
	}
	parent, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE id = $1`, u.ParentID))
	if err != nil || !form.Submits(parent.Kind) {
		return submission.Submission{}, false, err
	}
	sub, err := loadSubmission(ctx, q, prog, formCode, parent, p)
	return sub, err == nil, err
}

// Deadlines are a form's deadlines for p by level, in the transaction.
func (tx *Tx) Deadlines(ctx context.Context, prog, formCode string, p period.Period) (submission.Deadlines, error) {
	return tx.s.deadlines(ctx, tx.c, prog, formCode, p)
}

// WriteFigures writes a form's figures through the one validation of
// values (ImportValues), refusing those changed since the form loaded them.
func (tx *Tx) WriteFigures(ctx context.Context, w submission.FigureWrite) (value.Summary, error) {
	return tx.s.importValues(ctx, tx, w.Rows, ImportOptions{Actor: w.Actor, Scope: w.Scope, Source: w.Source,
		Today: clock.Today(tx.now), Loaded: w.Loaded})
}

// WriteDerived writes the figures a module computes from its own records
// (its derived:<module> elements), with the module as their author. They
// follow the module's records, so they are written even into a locked
// period: T1.2 counts December's report, due in January, after the year
// was approved. Any unit may be written: the module decides which.
func (tx *Tx) WriteDerived(ctx context.Context, module string, rows []value.Row) (value.Summary, error) {
	root, err := scanUnit(tx.c.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`))
	if err != nil {
		return value.Summary{}, err
	}
	return tx.s.importValues(ctx, tx, rows, ImportOptions{Actor: audit.Actor{Name: "hệ thống (" + module + ")"}, Scope: root,
		Source: "derived:" + module, Today: "9999-12-31", derived: module})
}

// deadlines reads the deadlines an administrator set for a form and
// period, and completes them with the defaults (submission.DeadlineOf).
func (s *Store) deadlines(ctx context.Context, q queryer, prog, formCode string, p period.Period) (submission.Deadlines, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, deadline FROM form_deadlines WHERE program = $1 AND form = $2 AND period = $3`, prog, formCode, p.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	set := map[unit.Kind]string{}
	for rows.Next() {
		var k, d string
		if err := rows.Scan(&k, &d); err != nil {
			return nil, err
		}
		set[unit.Kind(k)] = d
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	days, err := s.workdays(ctx, q)
	if err != nil {
		return nil, err
	}
	out := submission.Deadlines{}
	for _, k := range form.SubmittingKinds {
		out[k] = submission.DeadlineOf(set[k], p, k, days)
	}
	return out, nil
}

// Deadlines returns the deadline of a form and period for each submitting
// level: the one an administrator set, else the default.
func (s *Store) Deadlines(ctx context.Context, prog, formCode string, p period.Period) (submission.Deadlines, error) {
	return s.deadlines(ctx, s.DB, prog, formCode, p)
}

// SetDeadline sets the deadline (YYYY-MM-DD) of a form and period for
// units of kind k. Reports already sent keep the deadline they were judged
// by.
func (s *Store) SetDeadline(ctx context.Context, a audit.Actor, prog, formCode string, p period.Period, k unit.Kind, deadline string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		before, err := s.deadlines(ctx, tx.c, prog, formCode, p)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO form_deadlines (program, form, period, kind, deadline, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (program, form, period, kind) DO UPDATE SET deadline = excluded.deadline, set_by = excluded.set_by, set_at = excluded.set_at`,
			prog, formCode, p.String(), string(k), deadline, a.Name, tx.now.UTC()); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "set_deadline", "form_deadline", prog+"/"+formCode+"/"+p.String()+"/"+string(k),
			map[string]string{"deadline": before[k]}, map[string]string{"deadline": deadline})
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
func (s *Store) Remind(ctx context.Context, a audit.Actor, from unit.Unit, prog, formCode string, u unit.Unit, p period.Period) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.c.ExecContext(ctx, `INSERT INTO reminders (program, form, unit_id, period, at, from_unit, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			prog, formCode, u.ID, p.String(), tx.now.UTC(), from.ID, a.Name); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "remind", "submission", prog+"/"+formCode+"/"+u.Code+"@"+u.ValidFrom+"/"+p.String(), nil, map[string]string{"from": from.Code})
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

// SyncCounts brings the reporting counts of a form and period up to date
// for every unit that sends it in the program's tree: a unit that sent its
// report was counted when it did (submission.SaveForm); this adds the
// units whose deadline has passed without a report, as due and not on
// time (submission.Missing says which).
//
// There is no nightly job for it. It runs when someone looks at the
// period's reports (the completeness page), and the due-counts job runs it
// for the past year every half hour; each run reads the counts first and
// takes the write lock only when one is missing, so calling it often is
// cheap, and running it on several servers at once is harmless (the second
// writes nothing new).
func (s *Store) SyncCounts(ctx context.Context, prog *program.Program, f form.Form, p period.Period) error {
	now := s.now()
	dueCode, _, ok := submission.CountedElements(prog, f)
	if !ok || clock.Today(now) < p.StartDate() {
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
	counted := map[string]bool{}
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
		counted[path] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	missing := submission.Missing(submission.Submitters(tree), subs, dl, counted, now)
	if len(missing) == 0 {
		return nil
	}
	return s.WithTx(ctx, func(tx *Tx) error { return submission.WriteCounts(ctx, tx, prog, f, p, missing) })
}

// SyncDueCounts runs SyncCounts for every program's counted forms, for the
// periods of the last year up to now: the due-counts background job, so
// the counts are complete even for a month nobody opened.
func (s *Store) SyncDueCounts(ctx context.Context) error {
	progs, err := s.Programs(ctx)
	if err != nil {
		return err
	}
	today := clock.Today(s.now())
	from, _ := time.Parse(time.DateOnly, today)
	for _, prog := range progs {
		for _, f := range form.Of(prog) {
			if _, _, ok := submission.CountedElements(prog, f); !ok {
				continue
			}
			for p := period.ForDate(f.PeriodType, from.AddDate(-1, 0, 0)); p.StartDate() <= today; p = p.Next() {
				if p.Year < prog.Term.From || p.Year > prog.Term.To {
					continue
				}
				if err := s.SyncCounts(ctx, prog, f, p); err != nil {
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
func (s *Store) ImportSubmissions(ctx context.Context, a audit.Actor, prog *program.Program, subs []submission.Submission) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		type group struct {
			form string
			p    period.Period
		}
		forms := map[string]form.Form{}
		var order []group
		counts := map[group][]submission.Counted{}
		rows := make([][]any, 0, len(subs))
		for _, sub := range subs {
			f, ok := forms[sub.Form]
			if !ok {
				// Found once per form, not per report: deriving a
				// program's forms walks all its elements.
				var err error
				if f, err = form.Find(prog, sub.Form); err != nil {
					return errs.New(errs.Invalid, "%v", err)
				}
			}
			onTime := sql.NullBool{Bool: sub.OnTime, Valid: sub.SubmittedBy != ""}
			nullTime := func(t time.Time) sql.NullTime { return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()} }
			first := sub.FirstSubmittedAt
			if first.IsZero() {
				first = sub.SubmittedAt
			}
			rows = append(rows, []any{prog.Code, sub.Form, sub.Unit.ID, sub.Period.String(), string(sub.Status), sub.Narrative, sub.Deadline,
				nullTime(sub.SubmittedAt), sub.SubmittedBy, onTime, nullTime(sub.DecidedAt), sub.DecidedBy, sub.Reason, tx.now.UTC(), a.Name,
				nullTime(first), nullTime(sub.ReturnedAt)})
			forms[f.Code] = f
			if sub.SubmittedBy != "" {
				g := group{f.Code, sub.Period}
				if _, ok := counts[g]; !ok {
					order = append(order, g)
				}
				counts[g] = append(counts[g], submission.Counted{Unit: sub.Unit, Due: true, OnTime: sub.OnTime})
			}
		}
		if err := s.insertRows(ctx, tx.c, "submissions", strings.Split(strings.ReplaceAll(submissionCols, " ", ""), ","), rows, ""); err != nil {
			return err
		}
		for _, g := range order {
			if err := submission.WriteCounts(ctx, tx, prog, forms[g.form], g.p, counts[g]); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, a, "import", "submission", prog.Code, nil, map[string]int{"submissions": len(subs)})
	})
}
