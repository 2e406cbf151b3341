package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/errs"
	"mattran/internal/unit"
)

// The reads casework's pages and API make: activities, statistics, the
// answer rate by agency, and the public page's rate limit.

// CaseCounts are the counts behind T3.1–T3.5 of units, each its own.
func (s *Store) CaseCounts(ctx context.Context, paths []string, year int, today calendar.Date) ([]casework.Counts, error) {
	return caseCounts(ctx, s.DB, paths, year, today)
}

// ActivityFilter selects activities of a subtree.
type ActivityFilter struct {
	Path  string
	Kind  casework.ActivityKind
	Year  int
	Limit int
}

// Activities lists activities, newest first, with how many cases each opened.
func (s *Store) Activities(ctx context.Context, f ActivityFilter) ([]casework.Activity, error) {
	lo, hi := unit.PathRange(f.Path)
	q := `SELECT a.id, a.kind, a.unit_id, a.unit_path, u.name, a.held_on, a.title, a.place, a.detail, a.created_by
		FROM case_activities a JOIN units u ON u.id = a.unit_id WHERE a.unit_path >= $1 AND a.unit_path < $2`
	args := []any{lo, hi}
	if f.Kind != "" {
		args = append(args, string(f.Kind))
		q += ` AND a.kind = $` + strconv.Itoa(len(args))
	}
	if f.Year > 0 {
		args = append(args, strconv.Itoa(f.Year)+"-01-01", strconv.Itoa(f.Year)+"-12-31")
		q += ` AND a.held_on >= $` + strconv.Itoa(len(args)-1) + ` AND a.held_on <= $` + strconv.Itoa(len(args))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	args = append(args, limit)
	q += ` ORDER BY a.held_on DESC, a.id DESC LIMIT $` + strconv.Itoa(len(args))
	rows, err := s.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.Activity
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func scanActivity(sc interface{ Scan(...any) error }) (casework.Activity, error) {
	var a casework.Activity
	var kind, held, detail string
	if err := sc.Scan(&a.ID, &kind, &a.UnitID, &a.UnitPath, &a.UnitName, &held, &a.Title, &a.Place, &detail, &a.CreatedBy); err != nil {
		return a, err
	}
	a.Kind, a.Held = casework.ActivityKind(kind), day(held)
	a.Detail = map[string]string{}
	json.Unmarshal([]byte(detail), &a.Detail)
	return a, nil
}

// Activity reads one activity.
func (s *Store) Activity(ctx context.Context, id int64) (casework.Activity, error) {
	a, err := scanActivity(s.DB.QueryRowContext(ctx, `SELECT a.id, a.kind, a.unit_id, a.unit_path, u.name, a.held_on, a.title, a.place, a.detail, a.created_by
		FROM case_activities a JOIN units u ON u.id = a.unit_id WHERE a.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, errs.New(errs.NotFound, "Không có hoạt động số %d.", id)
	}
	return a, err
}

// StatRow is one cell of the monthly statistics: how many cases
// received in a month have a value of one dimension (kind, field, status,
// agency).
type StatRow struct {
	Month      int
	Dim, Value string
	N          int
}

// The dimensions of the monthly statistics.
var statDims = []string{"kind", "field", "status", "agency"}

// MonthlyStats counts a subtree's cases received in a year by month and
// each of kind, field, status and agency, from the counts kept as cases
// are written (case_counts).
func (s *Store) MonthlyStats(ctx context.Context, path string, year int) ([]StatRow, error) {
	lo, hi := unit.PathRange(path)
	y := strconv.Itoa(year)
	rows, err := s.DB.QueryContext(ctx, `SELECT month, dim, value, SUM(n) FROM case_counts
		WHERE month >= $1 AND month <= $2 AND unit_path >= $3 AND unit_path < $4
		GROUP BY month, dim, value HAVING SUM(n) > 0`, y+"-01", y+"-12", lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StatRow
	for rows.Next() {
		var r StatRow
		var m string
		if err := rows.Scan(&m, &r.Dim, &r.Value, &r.N); err != nil {
			return nil, err
		}
		r.Month, _ = strconv.Atoi(m[5:])
		out = append(out, r)
	}
	return out, rows.Err()
}

// countCase adds d (1 or -1) to the counts of a case's values.
func (tx *Tx) countCase(ctx context.Context, c casework.Case, d int, dims ...string) error {
	values := map[string]string{"kind": string(c.Kind), "field": c.Field, "status": string(c.Status), "agency": c.Agency}
	for _, dim := range dims {
		if _, err := tx.exec(ctx, `INSERT INTO case_counts (month, unit_path, dim, value, n) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (month, unit_path, dim, value) DO UPDATE SET n = case_counts.n + excluded.n`,
			c.Received.String()[:7], c.UnitPath, dim, values[dim], d); err != nil {
			return err
		}
	}
	return nil
}

// AgencyRate is how an agency answered the cases a subtree sent it.
type AgencyRate struct {
	Agency                                 string
	Sent, Answered, InWriting, OpenOverdue int
	Late                                   int // answered after the due date
	Rate                                   float64
	RateOK                                 bool
}

// AgencyRates is the answer rate by agency of a subtree's cases received
// in a year: answered in writing over answered plus open overdue (as
// T3.4), the slowest agencies (lowest rate) first.
func (s *Store) AgencyRates(ctx context.Context, path string, year int, today calendar.Date) ([]AgencyRate, error) {
	lo, hi := unit.PathRange(path)
	y := strconv.Itoa(year)
	rows, err := s.DB.QueryContext(ctx, `SELECT agency, COUNT(*),
			COALESCE(SUM(CASE WHEN status = 'answered' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status = 'answered' AND in_writing THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status = 'forwarded' AND due_on < $5 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status = 'answered' AND due_on <> '' AND answered_on > due_on THEN 1 ELSE 0 END), 0)
		FROM cases WHERE received_on >= $1 AND received_on <= $2 AND unit_path >= $3 AND unit_path < $4 AND sent_on <> ''
		GROUP BY agency`, y+"-01-01", y+"-12-31", lo, hi, today.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AgencyRate
	for rows.Next() {
		var a AgencyRate
		if err := rows.Scan(&a.Agency, &a.Sent, &a.Answered, &a.InWriting, &a.OpenOverdue, &a.Late); err != nil {
			return nil, err
		}
		if d := a.Answered + a.OpenOverdue; d > 0 {
			a.Rate, a.RateOK = 100*float64(a.InWriting)/float64(d), true
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortAgencyRates(out)
	return out, nil
}

func sortAgencyRates(rs []AgencyRate) {
	rank := func(a AgencyRate) float64 {
		if !a.RateOK {
			return 101
		}
		return a.Rate
	}
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0; j-- {
			a, b := rs[j-1], rs[j]
			if rank(b) < rank(a) || rank(b) == rank(a) && b.OpenOverdue > a.OpenOverdue {
				rs[j-1], rs[j] = b, a
			} else {
				break
			}
		}
	}
}

// AuditReveal records that a user saw a protected identity.
func (s *Store) AuditReveal(ctx context.Context, a audit.Actor, code, what string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		return tx.Audit(ctx, a, "reveal_identity", "case", code, nil, map[string]string{"seen": what})
	})
}

// PublicAttempt counts a petition filed from an address on the public
// page and says how many that address filed in the window before now,
// this one included. The address is kept hashed.
func (s *Store) PublicAttempt(ctx context.Context, address string, window time.Duration) (int, error) {
	sum := sha256.Sum256([]byte("mattran-public:" + address))
	h := hex.EncodeToString(sum[:16])
	now := s.now().UTC()
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO case_public_attempts (address, at) VALUES ($1, $2)`, h, now); err != nil {
		return 0, err
	}
	// Old attempts go as new ones come: the table holds one window.
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM case_public_attempts WHERE at < $1`, now.Add(-24*time.Hour)); err != nil {
		return 0, err
	}
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_public_attempts WHERE address = $1 AND at > $2`, h, now.Add(-window)).Scan(&n)
	return n, err
}

// UnitsOfKind are the units of a kind on a day, by name.
func (s *Store) UnitsOfKind(ctx context.Context, k unit.Kind, day string) ([]unit.Unit, error) {
	return queryUnits(ctx, s.DB, `SELECT `+unitCols+` FROM units WHERE kind = $1 AND valid_from <= $2 AND valid_to >= $2 ORDER BY name`, string(k), day)
}

// PetitionersOf reads the petitioners of many cases at once (a page of a
// list, a batch of the register), by case id.
func (s *Store) PetitionersOf(ctx context.Context, ids []int64) (map[int64][]casework.Petitioner, error) {
	out := map[int64][]casework.Petitioner{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		marks := make([]string, len(chunk))
		for i, id := range chunk {
			args[i], marks[i] = id, "$"+strconv.Itoa(i+1)
		}
		rows, err := s.DB.QueryContext(ctx, `SELECT case_id, name, id_number, address, phone, is_group, members, anonymous
			FROM case_petitioners WHERE case_id IN (`+strings.Join(marks, ", ")+`) ORDER BY case_id, seq`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var p casework.Petitioner
			if err := rows.Scan(&id, &p.Name, &p.IDNumber, &p.Address, &p.Phone, &p.Group, &p.Members, &p.Anonymous); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
