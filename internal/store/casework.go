package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/unit"
	"mattran/internal/value"
	"mattran/internal/vn"
)

// Casework's SQL: the methods of casework.Tx on *Tx, and the reads its
// pages and API make on *Store.

const caseCols = `c.id, c.code, c.kind, c.unit_id, c.unit_path, u.name, COALESCE(c.activity_id, 0), c.received_on, c.channel, c.field,
	c.title, c.content, c.status, c.due_on, c.complex, c.remote, c.extensions, c.agency, c.dispatch_no, c.sent_on, c.answered_on,
	c.in_writing, c.summary, c.outcome, c.published, c.escalated_to, c.handler, c.duplicate_of, c.reminders, c.sealed, c.sealed_count, c.created_at`

const caseFrom = ` FROM cases c JOIN units u ON u.id = c.unit_id`

func day(s string) calendar.Date {
	d, _ := calendar.ParseDate(s)
	return d
}

func dayText(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func scanCase(sc interface{ Scan(...any) error }) (casework.Case, error) {
	var c casework.Case
	var kind, received, channel, status, due, sent, answered string
	var sealedCount int
	err := sc.Scan(&c.ID, &c.Code, &kind, &c.UnitID, &c.UnitPath, &c.UnitName, &c.ActivityID, &received, &channel, &c.Field,
		&c.Title, &c.Content, &status, &due, &c.Complex, &c.Remote, &c.Extensions, &c.Agency, &c.DispatchNo, &sent, &answered,
		&c.InWriting, &c.Summary, &c.Outcome, &c.Published, &c.EscalatedTo, &c.Handler, &c.DuplicateOf, &c.Reminders, &c.Sealed, &sealedCount, &c.CreatedAt)
	if err != nil {
		return c, err
	}
	c.Kind, c.Channel, c.Status = casework.Kind(kind), casework.Channel(channel), casework.Status(status)
	c.Received, c.Due, c.SentOn, c.AnsweredOn = day(received), day(due), day(sent), day(answered)
	if sealedCount > 0 && c.Sealed == nil {
		c.Sealed = []byte{}
	}
	return c, nil
}

// InsertCase stores a new case with its petitioners and files, and audits it.
func (tx *Tx) InsertCase(ctx context.Context, a audit.Actor, c *casework.Case) error {
	var sealed any
	sealedCount := 0
	if c.Sealed != nil {
		sealed, sealedCount = c.Sealed, 1
	}
	now := tx.now.UTC()
	c.CreatedAt = now
	err := tx.queryRow(ctx, `INSERT INTO cases (code, kind, unit_id, unit_path, activity_id, received_on, channel, field, title, content,
		content_folded, status, due_on, complex, remote, agency, sent_on, handler, sealed, sealed_count, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22) RETURNING id`,
		c.Code, string(c.Kind), c.UnitID, c.UnitPath, nullID(c.ActivityID), c.Received.String(), string(c.Channel), c.Field, c.Title, c.Content,
		vn.Fold(c.Content), string(c.Status), dayText(c.Due), c.Complex, c.Remote, c.Agency, dayText(c.SentOn), c.Handler,
		sealed, sealedCount, a.Name, now).Scan(&c.ID)
	if err != nil {
		return err
	}
	for i, p := range c.Petitioners {
		if _, err := tx.exec(ctx, `INSERT INTO case_petitioners (case_id, seq, name, name_folded, id_number, address, phone, is_group, members, anonymous)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, c.ID, i+1, p.Name, vn.Fold(p.Name), p.IDNumber, p.Address, p.Phone, p.Group, p.Members, p.Anonymous); err != nil {
			return err
		}
	}
	for i := range c.Files {
		f := &c.Files[i]
		if err := tx.queryRow(ctx, `INSERT INTO case_files (case_id, name, content_type, size, sha256, data) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			c.ID, f.Name, f.Type, f.Size, f.SHA256, f.Data).Scan(&f.ID); err != nil {
			return err
		}
	}
	if err := tx.caseEvent(ctx, a, c.ID, casework.Event{Action: casework.Create, On: c.Received, Note: c.Channel.Label()}); err != nil {
		return err
	}
	if err := tx.countCase(ctx, *c, 1, statDims...); err != nil {
		return err
	}
	tx.Stale(PageGroup("cases"))
	return tx.Audit(ctx, a, "create", "case", c.Code, nil, casework.View(*c))
}

func (tx *Tx) caseEvent(ctx context.Context, a audit.Actor, id int64, ev casework.Event) error {
	_, err := tx.exec(ctx, `INSERT INTO case_events (case_id, at, day, action, actor, note) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, tx.now.UTC(), dayText(ev.On), string(ev.Action), a.Name, ev.Note)
	return err
}

// Case reads a case in the transaction (without its files' data).
func (tx *Tx) Case(ctx context.Context, id int64) (casework.Case, error) {
	return readCase(ctx, tx.c, id)
}

func readCase(ctx context.Context, q queryer, id int64) (casework.Case, error) {
	c, err := scanCase(q.QueryRowContext(ctx, `SELECT `+caseCols+caseFrom+` WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.New(errs.NotFound, "Không có vụ việc số %d.", id)
	}
	if err != nil {
		return c, err
	}
	return c, loadCaseParts(ctx, q, &c)
}

func loadCaseParts(ctx context.Context, q queryer, c *casework.Case) error {
	rows, err := q.QueryContext(ctx, `SELECT name, id_number, address, phone, is_group, members, anonymous FROM case_petitioners WHERE case_id = $1 ORDER BY seq`, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p casework.Petitioner
		if err := rows.Scan(&p.Name, &p.IDNumber, &p.Address, &p.Phone, &p.Group, &p.Members, &p.Anonymous); err != nil {
			return err
		}
		c.Petitioners = append(c.Petitioners, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	frows, err := q.QueryContext(ctx, `SELECT id, name, content_type, size, sha256 FROM case_files WHERE case_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return err
	}
	defer frows.Close()
	for frows.Next() {
		var f casework.Attachment
		if err := frows.Scan(&f.ID, &f.Name, &f.Type, &f.Size, &f.SHA256); err != nil {
			return err
		}
		c.Files = append(c.Files, f)
	}
	return frows.Err()
}

// UpdateCase writes a case's new state, its event and the audit entry.
func (tx *Tx) UpdateCase(ctx context.Context, a audit.Actor, before, after casework.Case, ev casework.Event) error {
	_, err := tx.exec(ctx, `UPDATE cases SET status = $1, due_on = $2, extensions = $3, agency = $4, dispatch_no = $5, sent_on = $6,
		answered_on = $7, in_writing = $8, summary = $9, outcome = $10, published = $11, escalated_to = $12, handler = $13,
		duplicate_of = $14, reminders = $15, updated_at = $16 WHERE id = $17`,
		string(after.Status), dayText(after.Due), after.Extensions, after.Agency, after.DispatchNo, dayText(after.SentOn),
		dayText(after.AnsweredOn), after.InWriting, after.Summary, after.Outcome, after.Published, after.EscalatedTo, after.Handler,
		after.DuplicateOf, after.Reminders, tx.now.UTC(), after.ID)
	if err != nil {
		return err
	}
	if err := tx.caseEvent(ctx, a, after.ID, ev); err != nil {
		return err
	}
	var changed []string
	if before.Status != after.Status {
		changed = append(changed, "status")
	}
	if before.Agency != after.Agency {
		changed = append(changed, "agency")
	}
	if err := tx.countCase(ctx, before, -1, changed...); err != nil {
		return err
	}
	if err := tx.countCase(ctx, after, 1, changed...); err != nil {
		return err
	}
	tx.Stale(PageGroup("cases"))
	return tx.Audit(ctx, a, string(ev.Action), "case", after.Code, casework.View(before), casework.View(after))
}

// InsertActivity stores an activity and audits it.
func (tx *Tx) InsertActivity(ctx context.Context, a audit.Actor, act *casework.Activity) error {
	detail, err := json.Marshal(act.Detail)
	if err != nil {
		return err
	}
	if err := tx.queryRow(ctx, `INSERT INTO case_activities (kind, unit_id, unit_path, held_on, title, place, detail, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, string(act.Kind), act.UnitID, act.UnitPath, act.Held.String(),
		act.Title, act.Place, string(detail), act.CreatedBy, tx.now.UTC()).Scan(&act.ID); err != nil {
		return err
	}
	tx.Stale(PageGroup("cases"))
	return tx.Audit(ctx, a, "create", "case_activity", strconv.FormatInt(act.ID, 10), nil,
		map[string]any{"kind": act.Kind, "unit": act.UnitName, "held": act.Held.String(), "title": act.Title})
}

// Elements are the stored data elements, in the transaction.
func (tx *Tx) Elements(ctx context.Context) (map[string]*value.Element, error) {
	return loadElements(ctx, tx.c)
}

// UnitByID reads a unit in the transaction.
func (tx *Tx) UnitByID(ctx context.Context, id int64) (unit.Unit, error) {
	u, err := scanUnit(tx.queryRow(ctx, `SELECT `+unitCols+` FROM units WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errs.New(errs.NotFound, "Không có đơn vị số %d.", id)
	}
	return u, err
}

// CaseCounts are each unit's own counts behind T3.1–T3.5 for a year: its
// activities held in the year, and its petitions received in the year and
// sent on (answered, answered in writing, open past the due date).
func (tx *Tx) CaseCounts(ctx context.Context, paths []string, year int, today calendar.Date) ([]casework.Counts, error) {
	return caseCounts(ctx, tx.c, paths, year, today)
}

func caseCounts(ctx context.Context, q queryer, paths []string, year int, today calendar.Date) ([]casework.Counts, error) {
	from, to := strconv.Itoa(year)+"-01-01", strconv.Itoa(year)+"-12-31"
	petitions := casework.KindsOf(casework.Petition)
	var out []casework.Counts
	for _, p := range paths {
		c := casework.Counts{UnitPath: p}
		var kind string
		if err := q.QueryRowContext(ctx, `SELECT code, kind FROM units WHERE path = $1`, p).Scan(&c.UnitCode, &kind); err != nil {
			return nil, err
		}
		c.UnitKind = unit.Kind(kind)
		rows, err := q.QueryContext(ctx, `SELECT kind, COUNT(*) FROM case_activities WHERE unit_path = $1 AND held_on >= $2 AND held_on <= $3 GROUP BY kind`, p, from, to)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return nil, err
			}
			switch casework.ActivityKind(k) {
			case casework.Supervising:
				c.Supervisions = n
			case casework.Criticising:
				c.Criticisms = n
			case casework.Contributing:
				c.Contributions = n
			case casework.Conference:
				c.Conferences = n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		args := []any{p, from, to, today.String()}
		kinds := make([]string, len(petitions))
		for i, k := range petitions {
			args = append(args, string(k))
			kinds[i] = "$" + strconv.Itoa(5+i)
		}
		err = q.QueryRowContext(ctx, `SELECT
				COALESCE(SUM(CASE WHEN status = 'answered' THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN status = 'answered' AND in_writing THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN status = 'forwarded' AND due_on < $4 THEN 1 ELSE 0 END), 0)
			FROM cases WHERE unit_path = $1 AND received_on >= $2 AND received_on <= $3 AND sent_on <> ''
				AND kind IN (`+strings.Join(kinds, ", ")+`)`, args...).Scan(&c.Answered, &c.InWriting, &c.OpenOverdue)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Case reads a case with its petitioners and the list of its files.
func (s *Store) Case(ctx context.Context, id int64) (casework.Case, error) {
	return readCase(ctx, s.DB, id)
}

// CaseAt reads a case and the unit handling it.
func (s *Store) CaseAt(ctx context.Context, id int64) (casework.Case, unit.Unit, error) {
	c, err := readCase(ctx, s.DB, id)
	if err != nil {
		return c, unit.Unit{}, err
	}
	u, err := s.UnitByID(ctx, c.UnitID)
	return c, u, err
}

// CaseByCode reads a case by its tracking code.
func (s *Store) CaseByCode(ctx context.Context, code string) (casework.Case, error) {
	var id int64
	err := s.DB.QueryRowContext(ctx, `SELECT id FROM cases WHERE code = $1`, strings.ToUpper(strings.TrimSpace(code))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return casework.Case{}, errs.New(errs.NotFound, "Không có đơn nào mang mã tra cứu này.")
	}
	if err != nil {
		return casework.Case{}, err
	}
	return readCase(ctx, s.DB, id)
}

// CaseFile reads one file of a case, with its data.
func (s *Store) CaseFile(ctx context.Context, caseID, fileID int64) (casework.Attachment, error) {
	var f casework.Attachment
	err := s.DB.QueryRowContext(ctx, `SELECT id, name, content_type, size, sha256, data FROM case_files WHERE case_id = $1 AND id = $2`, caseID, fileID).
		Scan(&f.ID, &f.Name, &f.Type, &f.Size, &f.SHA256, &f.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return f, errs.New(errs.NotFound, "Không có tệp này.")
	}
	return f, err
}

// CaseEventRow is one step of a case's history.
type CaseEventRow struct {
	At     string // YYYY-MM-DD HH:MM, Vietnam time
	Day    calendar.Date
	Action casework.ActionName
	Actor  string
	Note   string
}

// CaseEvents is a case's history, oldest first.
func (s *Store) CaseEvents(ctx context.Context, id int64) ([]CaseEventRow, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT at, day, action, actor, note FROM case_events WHERE case_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseEventRow
	for rows.Next() {
		var e CaseEventRow
		var at time.Time
		var d, action string
		if err := rows.Scan(&at, &d, &action, &e.Actor, &e.Note); err != nil {
			return nil, err
		}
		e.At, e.Day, e.Action = clock.InVietnam(at).Format("02/01/2006 15:04"), day(d), casework.ActionName(action)
		out = append(out, e)
	}
	return out, rows.Err()
}

// CaseFilter selects cases of a subtree.
type CaseFilter struct {
	Path     string // the subtree
	Status   casework.Status
	Kind     casework.Kind
	Overdue  bool // open past the due date on Today
	Today    calendar.Date
	Year     int // received in the year; 0: any
	Month    int // with Year: received in the month
	Activity int64
	// EscalatedTo: cases a unit below asked this unit to take up (đề
	// nghị cấp trên), with Open only those not yet forwarded or closed.
	EscalatedTo int64
	Open        bool
	Query       string // folded words of the content
	Limit       int
	Offset      int
}

// Cases lists the cases of a filter: overdue ones by due date, the
// others newest first.
func (s *Store) Cases(ctx context.Context, f CaseFilter) ([]casework.Case, error) {
	where, args := caseWhere(f)
	order := ` ORDER BY c.received_on DESC, c.id DESC`
	if f.Overdue {
		order = ` ORDER BY c.due_on, c.id`
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	args = append(args, limit, f.Offset)
	// The overdue list is asked by every home page (the inspection
	// recommendations past their deadline), always with the same text: it
	// reads through a kept statement (prepared.go). The other filters make
	// many texts, which would fill the kept statements' bound.
	var q queryer = s.DB
	if f.Overdue {
		q = s.prepared()
	}
	rows, err := q.QueryContext(ctx, `SELECT `+caseCols+caseFrom+where+order+
		` LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountCases counts the cases of a filter.
func (s *Store) CountCases(ctx context.Context, f CaseFilter) (int, error) {
	where, args := caseWhere(f)
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases c`+where, args...).Scan(&n)
	return n, err
}

func caseWhere(f CaseFilter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, vs ...any) {
		for _, v := range vs {
			args = append(args, v)
			cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1)
		}
		conds = append(conds, cond)
	}
	if f.Overdue {
		// The index (status, due_on, unit_path) serves this: two ranges of
		// one status each.
		add(`c.status IN ('received', 'forwarded') AND c.due_on <> '' AND c.due_on < ?`, f.Today.String())
	} else if f.Status != "" {
		add(`c.status = ?`, string(f.Status))
	}
	if f.Path != "" {
		lo, hi := unit.PathRange(f.Path)
		add(`c.unit_path >= ? AND c.unit_path < ?`, lo, hi)
	}
	if f.Kind != "" {
		add(`c.kind = ?`, string(f.Kind))
	}
	if f.Year > 0 {
		from, to := strconv.Itoa(f.Year)+"-01-01", strconv.Itoa(f.Year)+"-12-31"
		if f.Month > 0 {
			m := strconv.Itoa(f.Year) + "-" + pad2(f.Month)
			from, to = m+"-01", m+"-31"
		}
		add(`c.received_on >= ? AND c.received_on <= ?`, from, to)
	}
	if f.Activity > 0 {
		add(`c.activity_id = ?`, f.Activity)
	}
	if f.EscalatedTo > 0 {
		add(`c.escalated_to = ?`, f.EscalatedTo)
	}
	if f.Open {
		add(`c.status IN ('received', 'forwarded')`)
	}
	for _, w := range strings.Fields(vn.Fold(f.Query)) {
		if len(conds) > 12 {
			break
		}
		add(`c.content_folded LIKE ?`, "%"+escapeLike(w)+"%")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func escapeLike(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

// OverdueCases counts the open cases of a subtree past their due date.
func (s *Store) OverdueCases(ctx context.Context, path string, today calendar.Date) (int, error) {
	return s.CountCases(ctx, CaseFilter{Path: path, Overdue: true, Today: today})
}

// LikelyDuplicates are earlier cases of the same unit's subtree from the
// same person (ID number, or folded name and address), or with nearly
// the same folded content, newest first.
func (s *Store) LikelyDuplicates(ctx context.Context, c casework.Case) ([]casework.Case, error) {
	seen := map[int64]bool{c.ID: true}
	var ids []int64
	addRows := func(q string, args ...any) error {
		rows, err := s.DB.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		return rows.Err()
	}
	for _, p := range c.Petitioners {
		if p.IDNumber != "" {
			if err := addRows(`SELECT case_id FROM case_petitioners WHERE id_number = $1 ORDER BY case_id DESC LIMIT 20`, p.IDNumber); err != nil {
				return nil, err
			}
		}
		if p.Name != "" && !p.Anonymous {
			if err := addRows(`SELECT case_id FROM case_petitioners WHERE name_folded = $1 AND address = $2 ORDER BY case_id DESC LIMIT 20`, vn.Fold(p.Name), p.Address); err != nil {
				return nil, err
			}
		}
	}
	// Nearly the same content: the unit's cases of the year before the
	// case, compared word by word.
	rows, err := s.DB.QueryContext(ctx, `SELECT id, content_folded FROM cases WHERE unit_id = $1 AND id <> $2 AND received_on >= $3 AND field = $4
		ORDER BY id DESC LIMIT 500`, c.UnitID, c.ID, c.Received.AddDays(-365).String(), c.Field)
	if err != nil {
		return nil, err
	}
	mine := vn.Fold(c.Content)
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			rows.Close()
			return nil, err
		}
		if !seen[id] && casework.Similar(mine, text) {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	rows.Close()
	var out []casework.Case
	for _, id := range ids {
		d, err := readCase(ctx, s.DB, id)
		if err != nil {
			return nil, err
		}
		if unit.InSubtree(d.UnitPath, c.UnitPath) || unit.InSubtree(c.UnitPath, d.UnitPath) {
			out = append(out, d)
		}
	}
	return out, nil
}

// SyncCaseOverdue is the background job that notices cases passing their
// due date: nobody acts on a case then, yet T3.4 counts it in its
// denominator from that day. It marks each newly overdue case and
// rewrites the figures of its unit and year, in batches of units.
func (s *Store) SyncCaseOverdue(ctx context.Context) error {
	today := calendar.DateOf(clock.InVietnam(s.now()))
	type unitYear struct {
		id   int64
		year int
	}
	for {
		var batch []unitYear
		err := s.WithTx(ctx, func(tx *Tx) error {
			rows, err := tx.c.QueryContext(ctx, `SELECT DISTINCT unit_id, SUBSTR(received_on, 1, 4) FROM cases
				WHERE status = 'forwarded' AND due_on <> '' AND due_on < $1 AND NOT overdue_noted LIMIT 200`, today.String())
			if err != nil {
				return err
			}
			for rows.Next() {
				var uy unitYear
				var y string
				if err := rows.Scan(&uy.id, &y); err != nil {
					rows.Close()
					return err
				}
				uy.year, _ = strconv.Atoi(y)
				batch = append(batch, uy)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, uy := range batch {
				y := strconv.Itoa(uy.year)
				if _, err := tx.exec(ctx, `UPDATE cases SET overdue_noted = $1 WHERE unit_id = $2 AND status = 'forwarded' AND due_on <> ''
					AND due_on < $3 AND received_on >= $4 AND received_on <= $5 AND NOT overdue_noted`,
					true, uy.id, today.String(), y+"-01-01", y+"-12-31"); err != nil {
					return err
				}
				u, err := tx.UnitByID(ctx, uy.id)
				if err != nil {
					return err
				}
				if err := casework.RefreshFigures(ctx, tx, []unit.Unit{u}, uy.year); err != nil {
					return err
				}
				tx.Stale(UnitPages(u))
			}
			tx.Stale(PageGroup("cases"))
			return nil
		})
		if err != nil || len(batch) == 0 {
			return err
		}
	}
}
