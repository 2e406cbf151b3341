package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// Kept target evaluations (migration 0030): for each program and period
// that has been built (BuildEvals), every unit's own reading of every
// target, kept in the transaction of every write of values. The kernel
// gathers the (period, element, unit) keys a transaction writes and, once,
// just before the commit, evaluates again the targets that read those
// elements at those units and the units above them: the cost is the keys
// touched, not the values written. A change of programs, units or
// thresholds (any write that marks every page stale) removes every kept
// evaluation instead; a scorecard without them is read from the values.

// evalTouch is what a transaction's writes of values touched, by period.
type evalTouch struct {
	checked, none bool // whether any program and period is kept; none: nothing to keep
	reset         bool // the transaction changed what every evaluation depends on
	byPeriod      map[period.Period]*touched
	// pairs counts the (period, unit) pairs gathered. Above
	// EvalRefreshLimit the transaction is bulk: it stops gathering units
	// (only periods and elements) and, before the commit, drops the kept
	// evaluations it touched instead of refreshing them; dropped tells
	// WithTx to ask for a rebuild after the commit (Store.EvalsWanted).
	pairs   int
	bulk    bool
	dropped bool
}

// EvalRefreshLimit is how many (period, unit) pairs a write transaction
// may touch and still refresh the kept evaluations row by row before its
// commit. Above it (a big import) the refresh would evaluate most of the
// tree inside the transaction, holding every reading in memory at once:
// BENCH.md measured 11 × the import's floor on SQLite and 0.8–1 GB of heap
// for a year's million values. The transaction drops the kept program and
// periods it touched instead (pages compute from the values meanwhile,
// exact), and the evals job builds them again a province at a time.
// 20,000 units refresh in about 3 s on the 2-core machine (BENCH.md,
// "Kept target evaluations"), while a rebuild of a year over the whole
// country (about 100,000 units) takes some 30–50 s outside any write.
var EvalRefreshLimit = 20_000

type touched struct {
	elements map[int64]bool
	paths    map[string]bool
}

// touchValues records the values a write stores, for the evaluations
// refreshed before the commit. It reads nothing when no evaluation is kept.
func (tx *Tx) touchValues(ctx context.Context, written []value.Value) error {
	ev := &tx.evals
	if !ev.checked {
		ev.checked = true
		var n int
		if err := tx.c.QueryRowContext(ctx, `SELECT COUNT(*) FROM eval_marks`).Scan(&n); err != nil {
			return err
		}
		ev.none = n == 0
	}
	if ev.none || ev.reset {
		return nil
	}
	if ev.byPeriod == nil {
		ev.byPeriod = map[period.Period]*touched{}
	}
	var t *touched
	var tp period.Period
	lastPath := ""
	for i := range written {
		v := &written[i]
		if t == nil || v.Period != tp {
			tp = v.Period
			t = ev.byPeriod[tp]
			if t == nil {
				t = &touched{elements: map[int64]bool{}, paths: map[string]bool{}}
				if ev.bulk {
					t.paths = nil
				}
				ev.byPeriod[tp] = t
			}
			lastPath = ""
		}
		t.elements[v.Element.ID] = true
		if ev.bulk || v.Unit.Path == lastPath {
			continue
		}
		lastPath = v.Unit.Path
		if !t.paths[v.Unit.Path] {
			t.paths[v.Unit.Path] = true
			ev.pairs++
		}
		if ev.pairs > EvalRefreshLimit {
			ev.goBulk()
		}
	}
	return nil
}

// goBulk stops gathering units: the touched periods' kept evaluations
// will be dropped, not refreshed, so their units need not be held.
func (ev *evalTouch) goBulk() {
	ev.bulk = true
	for _, t := range ev.byPeriod {
		t.paths = nil
	}
}

// finishEvals brings the kept evaluations up to date, just before the
// commit: all removed if the transaction reset them, else each kept
// program and period that a written period lies in (or, for "≥ last
// year", lay in a year before) evaluated again at the touched units.
func (tx *Tx) finishEvals(ctx context.Context) error {
	ev := &tx.evals
	if ev.reset {
		// Every mark is wanted again: the evals job builds them anew on
		// the changed programs, units or thresholds.
		if _, err := tx.c.ExecContext(ctx, `INSERT INTO eval_wanted (program, period) SELECT program, period FROM eval_marks WHERE true
			ON CONFLICT (program, period) DO NOTHING`); err != nil {
			return err
		}
		if _, err := tx.c.ExecContext(ctx, `DELETE FROM target_evals`); err != nil {
			return err
		}
		_, err := tx.c.ExecContext(ctx, `DELETE FROM eval_marks`)
		return err
	}
	if len(ev.byPeriod) == 0 {
		return nil
	}
	marks, err := evalMarks(ctx, tx.c)
	if err != nil {
		return err
	}
	src := qsource{tx.s, tx.c}
	elements, err := loadElements(ctx, tx.c)
	if err != nil {
		return err
	}
	progs := map[string]*program.Program{}
	for _, m := range marks {
		elementIDs := map[int64]bool{}
		ids := map[int64]bool{}
		hit := false // a written period lies in the mark's period (or the year before)
		for q, t := range ev.byPeriod {
			if !m.period.Contains(q) && !m.period.PreviousYear().Contains(q) {
				continue
			}
			hit = true
			for e := range t.elements {
				elementIDs[e] = true
			}
			for p := range t.paths {
				for _, id := range unit.PathIDs(p) {
					ids[id] = true
				}
			}
		}
		if !hit || !ev.bulk && len(ids) == 0 {
			continue
		}
		prog := progs[m.program]
		if prog == nil {
			if prog, err = loadProgram(ctx, tx.c, m.program, true); err != nil {
				return err
			}
			progs[m.program] = prog
		}
		var targets []program.Target
		for _, t := range prog.Targets() {
			if slices.ContainsFunc(targetElements(t), func(code string) bool {
				e, ok := elements[code]
				return ok && elementIDs[e.ID]
			}) {
				targets = append(targets, t)
			}
		}
		if len(targets) == 0 {
			continue
		}
		if ev.bulk {
			// Too many units to refresh here: the mark is removed in this
			// transaction, so every reader (each reads a kept row only
			// under its mark) computes from the values, exact, from the
			// commit on; the evals job builds it again after the commit.
			// Its rows stay, unread, until that build deletes them first
			// (BuildEvals): deleting a year's million rows here would cost
			// the import as much again.
			if err := unmark(ctx, tx.c, m); err != nil {
				return err
			}
			ev.dropped = true
			continue
		}
		units, err := unitsByID(ctx, tx.c, ids, m.period.EndDate())
		if err != nil {
			return err
		}
		rows, ok, err := evalRows(ctx, src, prog, targets, units, m.period)
		if err != nil {
			return err
		}
		if !ok {
			// A unit's parent is not in the tree of the period's last day:
			// the evaluations of this program and period are dropped rather
			// than kept wrong.
			if err := dropMark(ctx, tx.c, m); err != nil {
				return err
			}
			continue
		}
		if err := tx.s.writeEvalRows(ctx, tx.c, m, rows, false); err != nil {
			return err
		}
	}
	return nil
}

func targetElements(t program.Target) []string {
	var out []string
	for _, c := range t.Conditions {
		out = append(out, c.ElementCodes()...)
	}
	return out
}

type evalMark struct {
	program string
	period  period.Period
}

func evalMarks(ctx context.Context, q queryer) ([]evalMark, error) {
	return markRows(ctx, q, `SELECT program, period FROM eval_marks ORDER BY program, period`)
}

// markRows reads (program, period) rows.
func markRows(ctx context.Context, q queryer, query string) ([]evalMark, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []evalMark
	for rows.Next() {
		var code, per string
		if err := rows.Scan(&code, &per); err != nil {
			return nil, err
		}
		p, err := period.Parse(per)
		if err != nil {
			return nil, err
		}
		out = append(out, evalMark{code, p})
	}
	return out, rows.Err()
}

// dropMark removes a kept program and period, its mark and its rows, and
// asks the evals job to build it again (eval_wanted).
func dropMark(ctx context.Context, q queryer, m evalMark) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM target_evals WHERE program = $1 AND period = $2`, m.program, m.period.String()); err != nil {
		return err
	}
	return unmark(ctx, q, m)
}

// unmark removes a kept program and period's mark, so every reader
// computes it from the values, and asks the evals job to build it again.
func unmark(ctx context.Context, q queryer, m evalMark) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM eval_marks WHERE program = $1 AND period = $2`, m.program, m.period.String()); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO eval_wanted (program, period) VALUES ($1, $2) ON CONFLICT (program, period) DO NOTHING`,
		m.program, m.period.String())
	return err
}

// unitsByID reads the units with these ids that exist on date, in path order.
func unitsByID(ctx context.Context, q queryer, ids map[int64]bool, date string) ([]unit.Unit, error) {
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	slices.Sort(list)
	var out []unit.Unit
	const chunk = 500
	for start := 0; start < len(list); start += chunk {
		part := list[start:min(start+chunk, len(list))]
		args := append(int64Args(part), date)
		ph := make([]string, len(part))
		for i := range part {
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
		us, err := queryUnits(ctx, q, `SELECT `+unitCols+` FROM units WHERE id IN (`+strings.Join(ph, ",")+`)
			AND valid_from <= $`+fmt.Sprint(len(part)+1)+` AND valid_to >= $`+fmt.Sprint(len(part)+1), args...)
		if err != nil {
			return nil, err
		}
		out = append(out, us...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// evalRow is one kept evaluation. Reading is nil for a row to remove (a
// unit no coverage counts whose reading shows no figure).
type evalRow struct {
	target    string
	unit      unit.Unit
	depth     int
	countedTo *int
	status    rollup.Status
	reading   []byte
}

// evalRows evaluates the targets at the units for p. ok is false when a
// unit's parent is not among the units and no coverage can be placed.
// Units must hold every ancestor of each (as a unit's path names them).
func evalRows(ctx context.Context, src rollup.Source, prog *program.Program, targets []program.Target, units []unit.Unit, p period.Period) ([]evalRow, bool, error) {
	list, err := src.UnitThresholds(ctx, prog)
	if err != nil {
		return nil, false, err
	}
	holds := rollup.NewHolds(prog, list)
	readings, err := rollup.Evaluate(ctx, src, prog, targets, units, []period.Period{p})
	if err != nil {
		return nil, false, err
	}
	byID := make(map[int64]*unit.Unit, len(units))
	for i := range units {
		byID[units[i].ID] = &units[i]
	}
	rows := make([]evalRow, 0, len(targets)*len(units))
	for _, t := range targets {
		for _, u := range units {
			r := readings.At(t.Code, u, p)
			row := evalRow{target: t.Code, unit: u, depth: pathDepth(u.Path), status: r.Status}
			if holds.At(t, u) && u.ParentID != 0 {
				// Counted by the units above, up to the first the target
				// holds at.
				a, ok := byID[u.ParentID]
				for ok {
					d := pathDepth(a.Path)
					row.countedTo = &d
					if holds.At(t, *a) || a.ParentID == 0 {
						break
					}
					a, ok = byID[a.ParentID]
				}
				if !ok {
					return nil, false, nil
				}
			}
			if row.countedTo != nil || showsFigure(r) {
				row.reading = rollup.EncodeReading(r)
			}
			rows = append(rows, row)
		}
	}
	return rows, true, nil
}

func pathDepth(path string) int { return strings.Count(path, "/") - 1 }

// showsFigure reports whether a reading shows any figure.
func showsFigure(r rollup.Reading) bool {
	for _, p := range r.Parts {
		if p.Value != nil || p.Numerator != nil || p.Denominator != nil || p.Previous != nil {
			return true
		}
	}
	return false
}

var evalCols = []string{"program", "period", "target", "unit_path", "unit_id", "kind", "depth", "counted_to", "status", "reading"}

// writeEvalRows stores the rows of a mark: each replaced, or removed when
// it has no reading (fresh: the mark has no rows yet, none to remove).
func (s *Store) writeEvalRows(ctx context.Context, q queryer, m evalMark, rows []evalRow, fresh bool) error {
	per := m.period.String()
	var keep [][]any
	for _, r := range rows {
		if r.reading == nil {
			if fresh {
				continue
			}
			if _, err := q.ExecContext(ctx, `DELETE FROM target_evals WHERE program = $1 AND period = $2 AND target = $3 AND unit_path = $4`,
				m.program, per, r.target, r.unit.Path); err != nil {
				return err
			}
			continue
		}
		var counted any
		if r.countedTo != nil {
			counted = int64(*r.countedTo)
		}
		keep = append(keep, []any{m.program, per, r.target, r.unit.Path, r.unit.ID, string(r.unit.Kind), int64(r.depth), counted, string(r.status), string(r.reading)})
	}
	return s.insertRows(ctx, q, "target_evals", evalCols, keep,
		`ON CONFLICT (program, period, target, unit_path) DO UPDATE SET unit_id = excluded.unit_id, kind = excluded.kind, depth = excluded.depth,
			counted_to = excluded.counted_to, status = excluded.status, reading = excluded.reading`)
}

// BuildEvals evaluates every target of a program at every unit for p and
// keeps the evaluations from then on (replacing any kept before).
func (s *Store) BuildEvals(ctx context.Context, code string, p period.Period) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		prog, err := loadProgram(ctx, tx.c, code, true)
		if err != nil {
			return err
		}
		m := evalMark{prog.Code, p}
		if err := dropMark(ctx, tx.c, m); err != nil {
			return err
		}
		ok, err := buildRows(ctx, qsource{s, tx.c}, prog, p, func(_ unit.Unit, rows []evalRow) error {
			return s.writeEvalRows(ctx, tx.c, m, rows, true)
		})
		if err != nil || !ok {
			return err
		}
		if _, err = tx.c.ExecContext(ctx, `INSERT INTO eval_marks (program, period) VALUES ($1, $2)`, m.program, p.String()); err != nil {
			return err
		}
		if _, err = tx.c.ExecContext(ctx, `DELETE FROM eval_wanted WHERE program = $1 AND period = $2`, m.program, p.String()); err != nil {
			return err
		}
		if s.Engine == Postgres {
			// Fresh statistics with the rows: without them the planner read
			// a just-built year's coverage through the primary key, 2.25 ×
			// the values' count instead of 0.3–0.8 × (BENCH.md). SQLite
			// keeps no statistics of any table (no ANALYZE anywhere), so
			// its plans do not change with a build.
			_, err = tx.c.ExecContext(ctx, `ANALYZE target_evals`)
		}
		return err
	})
}

// buildRows evaluates every target of prog at every unit of p's last day,
// a subtree of the second level (a province) at a time, with the units
// above it: the values of a subtree are read as ranges, and only one
// subtree's readings are held at once.
func buildRows(ctx context.Context, src qsource, prog *program.Program, p period.Period, fn func(top unit.Unit, rows []evalRow) error) (bool, error) {
	units, err := queryUnits(ctx, src.q, `SELECT `+unitCols+` FROM units WHERE valid_from <= $1 AND valid_to >= $1 ORDER BY path`, p.EndDate())
	if err != nil {
		return false, err
	}
	var tops []unit.Unit // the units of the first level
	for start := 0; start < len(units); {
		end := start + 1
		if units[start].ParentID == 0 {
			tops = append(tops, units[start])
		} else {
			for end < len(units) && strings.HasPrefix(units[end].Path, units[start].Path) {
				end++
			}
		}
		chunk := append(slices.Clone(tops), units[start:end]...)
		if units[start].ParentID == 0 {
			chunk = units[start:end]
		}
		rows, ok, err := evalRows(ctx, wholeTree{src, units[start]}, prog, prog.Targets(), chunk, p)
		if err != nil || !ok {
			return ok, err
		}
		// Only the subtree's own rows: the units above it had theirs.
		rows = slices.DeleteFunc(rows, func(r evalRow) bool { return !strings.HasPrefix(r.unit.Path, units[start].Path) })
		if err := fn(units[start], rows); err != nil {
			return false, err
		}
		start = end
	}
	return true, nil
}

// wholeTree reads the values and roll-ups of a subtree as ranges, whatever
// units are asked for (those of the subtree, and the units above it, whose
// roll-ups are read one by one).
type wholeTree struct {
	qsource
	top unit.Unit
}

func (w wholeTree) split(units []unit.Unit) (above []unit.Unit, within bool) {
	for _, u := range units {
		if strings.HasPrefix(u.Path, w.top.Path) {
			within = true
		} else {
			above = append(above, u)
		}
	}
	return above, within
}

func (w wholeTree) LoadOwnAt(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	above, within := w.split(units)
	if err := w.qsource.LoadOwnAt(ctx, above, elementIDs, periods, into); err != nil || !within {
		return err
	}
	return w.loadRange(ctx, "data_values", w.top, elementIDs, periods, into)
}

func (w wholeTree) LoadBelowAt(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	above, within := w.split(units)
	if err := w.qsource.LoadBelowAt(ctx, above, elementIDs, periods, into); err != nil || !within {
		return err
	}
	return w.loadRange(ctx, "data_rollups", w.top, elementIDs, periods, into)
}

// VerifyEvals evaluates again every kept program and period from the
// values and reports the first kept evaluation that differs. Tests and
// "mattran check" use it.
func (s *Store) VerifyEvals(ctx context.Context) error {
	rtx, err := s.readTx(ctx)
	if err != nil {
		return err
	}
	defer rtx.Rollback()
	marks, err := evalMarks(ctx, rtx)
	if err != nil {
		return err
	}
	for _, m := range marks {
		prog, err := loadProgram(ctx, rtx, m.program, true)
		if err != nil {
			return err
		}
		total := 0
		ok, err := buildRows(ctx, qsource{s, rtx}, prog, m.period, func(top unit.Unit, rows []evalRow) error {
			want := map[string]string{}
			for _, r := range rows {
				if r.reading != nil {
					want[r.target+"|"+r.unit.Path] = fmt.Sprintf("%s %d %v %s %s", r.unit.Kind, r.depth, intOrNil(r.countedTo), r.status, r.reading)
				}
			}
			total += len(want)
			lo, hi := unit.PathRange(top.Path)
			if top.ParentID == 0 {
				hi = lo + "0" // the first level's own rows: those below come with their subtrees
			}
			got, err := keptRows(ctx, rtx, m, lo, hi)
			if err != nil {
				return err
			}
			return compareRows(m, want, got)
		})
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("đánh giá giữ sẵn %s %s: cây đơn vị ngày %s không liền mạch", m.program, m.period, m.period.EndDate())
		}
		var n int
		if err := rtx.QueryRowContext(ctx, `SELECT COUNT(*) FROM target_evals WHERE program = $1 AND period = $2`, m.program, m.period.String()).Scan(&n); err != nil {
			return err
		}
		if n != total {
			return fmt.Errorf("đánh giá giữ sẵn %s %s: giữ %d dòng, tính lại được %d", m.program, m.period, n, total)
		}
	}
	return nil
}

// keptRows reads the kept rows of a mark over [lo, hi) of unit paths.
func keptRows(ctx context.Context, q queryer, m evalMark, lo, hi string) (map[string]string, error) {
	got := map[string]string{}
	rows, err := q.QueryContext(ctx, `SELECT target, unit_path, kind, depth, counted_to, status, reading FROM target_evals
		WHERE program = $1 AND period = $2 AND unit_path >= $3 AND unit_path < $4`, m.program, m.period.String(), lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var target, path, kind, status, reading string
		var depth int
		var counted sql.NullInt64
		if err := rows.Scan(&target, &path, &kind, &depth, &counted, &status, &reading); err != nil {
			return nil, err
		}
		var c *int
		if counted.Valid {
			n := int(counted.Int64)
			c = &n
		}
		got[target+"|"+path] = fmt.Sprintf("%s %d %v %s %s", kind, depth, intOrNil(c), status, reading)
	}
	return got, rows.Err()
}

// compareRows reports the first kept row (in key order) that differs from
// the one evaluated again.
func compareRows(m evalMark, want, got map[string]string) error {
	keys := make([]string, 0, len(want)+len(got))
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if want[k] != got[k] {
			return fmt.Errorf("đánh giá giữ sẵn %s %s %s: giữ %q, tính lại được %q", m.program, m.period, k, got[k], want[k])
		}
	}
	return nil
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// readTx is a read-only transaction that sees one state of the database
// throughout (PostgreSQL's default isolation gives each statement its own).
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	if s.Engine == Postgres {
		return s.DB.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return s.DB.BeginTx(ctx, nil)
}

// KeptCard is the scorecard of prog at u for p read from the kept
// evaluations: a row per target for u's own readings, and the coverage
// counted from the rows of the units below. ok is false when p is not kept
// for prog (or u's tree is read on another day than p's last, when u ended
// inside p): the caller reads the scorecard from the values. The card's
// coverage lists no units (Coverage.Below is nil).
func (s *Store) KeptCard(ctx context.Context, prog *program.Program, u unit.Unit, p period.Period) (*rollup.Card, bool, error) {
	date := rollup.AsOf(u, p)
	rtx, ok, err := s.keptTx(ctx, prog, u, p)
	if err != nil || !ok {
		return nil, false, err
	}
	defer rtx.Rollback()
	per := p.String()
	own, err := keptReadings(ctx, rtx, `SELECT target, reading FROM target_evals WHERE program = $1 AND period = $2 AND unit_path = $3`, prog.Code, per, u.Path)
	if err != nil {
		return nil, false, err
	}
	// The units below u that u's coverage counts: those counted up to u's
	// depth or higher. Kinds come in the order of their first unit by
	// path, the order a walk down the tree meets them.
	lo, hi := unit.PathRange(u.Path)
	counts, err := s.countCounted(ctx, rtx, prog.Code, per, lo, hi, pathDepth(u.Path))
	if err != nil {
		return nil, false, err
	}
	// A target with no row at u shows no figure there: read from the
	// (absent) values, in the same transaction.
	var missing []program.Target
	for _, t := range prog.Targets() {
		if _, ok := own[t.Code]; !ok {
			missing = append(missing, t)
		}
	}
	var readings *rollup.Readings
	if len(missing) > 0 {
		if readings, err = rollup.Evaluate(ctx, noFigures{keptSource{qsource{s, rtx}}}, prog, missing, []unit.Unit{u}, []period.Period{p}); err != nil {
			return nil, false, err
		}
	}
	card := &rollup.Card{Program: prog, Unit: u, Period: p, Date: date}
	for _, t := range prog.Targets() {
		res := rollup.TargetResult{Target: t}
		if tt, _ := period.ParseType(t.PeriodType); tt > p.Type {
			res.Own = rollup.Reading{Status: rollup.NotApplicable}
			res.Coverage = rollup.Coverage{Status: rollup.NotApplicable}
			card.Targets = append(card.Targets, res)
			continue
		}
		r, ok := own[t.Code]
		if !ok {
			r = readings.At(t.Code, u, p)
		}
		res.Own = r
		var c rollup.Counts
		if x := counts[t.Code]; x != nil {
			c = *x
		}
		res.Coverage = c.Coverage()
		card.Targets = append(card.Targets, res)
	}
	return card, true, nil
}

// KeptBelow is what the children table reads of a unit's kept
// evaluations for each child: by target, the reading of each child that
// u's coverage counts (Counted), and for each other child the coverage of
// the units below it that u's coverage counts (Below).
type KeptBelow struct {
	Counted map[string]map[int64]rollup.Reading
	Below   map[string]map[int64]rollup.Coverage
}

// KeptChildren reads KeptBelow for u's children kids from the kept
// evaluations; ok is false when KeptCard would be (the caller computes).
func (s *Store) KeptChildren(ctx context.Context, prog *program.Program, u unit.Unit, kids []unit.Unit, p period.Period) (*KeptBelow, bool, error) {
	rtx, ok, err := s.keptTx(ctx, prog, u, p)
	if err != nil || !ok {
		return nil, false, err
	}
	defer rtx.Rollback()
	per := p.String()
	out := &KeptBelow{Counted: map[string]map[int64]rollup.Reading{}, Below: map[string]map[int64]rollup.Coverage{}}
	judged := map[string]bool{} // targets judged on p (a yearly target is not on a quarter)
	for _, t := range prog.Targets() {
		tt, _ := period.ParseType(t.PeriodType)
		judged[t.Code] = tt <= p.Type
		out.Counted[t.Code], out.Below[t.Code] = map[int64]rollup.Reading{}, map[int64]rollup.Coverage{}
	}
	depth := pathDepth(u.Path)
	// A child the target holds at is counted by u (its parent): the
	// children's own rows, read a few hundred children a query rather
	// than one query each (a new province has a hundred communes).
	byPath := map[string]int64{}
	for _, kid := range kids {
		byPath[kid.Path] = kid.ID
	}
	const chunk = 400
	for start := 0; start < len(kids); start += chunk {
		part := kids[start:min(start+chunk, len(kids))]
		args := []any{prog.Code, per}
		for _, kid := range part {
			args = append(args, kid.Path)
		}
		rows, err := rtx.QueryContext(ctx, `SELECT unit_path, target, reading FROM target_evals
			WHERE program = $1 AND period = $2 AND unit_path IN (`+s.placeholders(3, len(part))+`) AND counted_to IS NOT NULL`, args...)
		if err != nil {
			return nil, false, err
		}
		for rows.Next() {
			var path, target, doc string
			if err := rows.Scan(&path, &target, &doc); err != nil {
				rows.Close()
				return nil, false, err
			}
			if !judged[target] {
				continue
			}
			r, err := rollup.DecodeReading(doc)
			if err != nil {
				rows.Close()
				return nil, false, err
			}
			out.Counted[target][byPath[path]] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, false, err
		}
	}
	// The units below each child that u's coverage counts: one query for
	// every child, grouped by the child they lie under.
	below, err := s.countCountedByChild(ctx, rtx, prog.Code, per, u.Path, depth)
	if err != nil {
		return nil, false, err
	}
	for _, kid := range kids {
		counts := below[kid.Path]
		for t := range out.Below {
			if _, counted := out.Counted[t][kid.ID]; counted {
				continue
			}
			cov := rollup.Coverage{Status: rollup.NotApplicable}
			if c := counts[t]; c != nil && judged[t] {
				cov = c.Coverage()
			}
			out.Below[t][kid.ID] = cov
		}
	}
	return out, true, nil
}

// countCounted counts, by target, the kept rows with paths strictly
// inside (lo, hi) that a unit at depth counts: those counted up to its
// depth or higher. There is one range of paths per depth counted
// (counted_to IN, not <=: the index holds the rows by depth, then path).
// Kinds come in the order of their first unit by path, the order a walk
// down the tree meets them.
func (s *Store) countCounted(ctx context.Context, q queryer, prog, per, lo, hi string, depth int) (map[string]*rollup.Counts, error) {
	query := `SELECT '', target, status, kind, MIN(unit_path), COUNT(*) FROM target_evals
		WHERE program = $1 AND period = $2 AND unit_path > $3 AND unit_path < $4 AND counted_to IN (` + s.placeholders(5, depth) + `)
		GROUP BY target, status, kind`
	byChild, err := foldCounted(ctx, q, query, countedArgs(prog, per, lo, hi, depth))
	if err != nil {
		return nil, err
	}
	if counts := byChild[""]; counts != nil {
		return counts, nil
	}
	return map[string]*rollup.Counts{}, nil
}

// countCountedByChild is countCounted over the units below each child
// of the unit at path (not the children themselves), by the child's path:
// one query instead of one a child. The child a row lies under is its
// path cut after the segment that follows path's.
func (s *Store) countCountedByChild(ctx context.Context, q queryer, prog, per, path string, depth int) (map[string]map[string]*rollup.Counts, error) {
	lo, hi := unit.PathRange(path)
	find := "instr" // where the child's segment ends, in the rest of the path
	if s.Engine != SQLite {
		find = "strpos"
	}
	n := len(path)
	rest := fmt.Sprintf("%s(substr(unit_path, %d), '/')", find, n+1)
	query := fmt.Sprintf(`SELECT substr(unit_path, 1, %d + %s) AS child, target, status, kind, MIN(unit_path), COUNT(*) FROM target_evals
		WHERE program = $1 AND period = $2 AND unit_path > $3 AND unit_path < $4 AND counted_to IN (`+s.placeholders(5, depth)+`)
		AND %s < length(unit_path) - %d
		GROUP BY child, target, status, kind`, n, rest, rest, n)
	return foldCounted(ctx, q, query, countedArgs(prog, per, lo, hi, depth))
}

// countedArgs are a counting query's arguments: program, period, the
// range of paths, and each depth counted.
func countedArgs(prog, per, lo, hi string, depth int) []any {
	args := []any{prog, per, lo, hi}
	for d := 1; d <= depth; d++ {
		args = append(args, int64(d))
	}
	return args
}

// foldCounted runs a counting query, whose rows are (child, target,
// status, kind, first path, count), and folds its groups into counts per
// child and target, kinds in the order of their first unit by path.
func foldCounted(ctx context.Context, q queryer, query string, args []any) (map[string]map[string]*rollup.Counts, error) {
	type group struct {
		child, target, status, kind, first string
		n                                  int
	}
	var groups []group
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.child, &g.target, &g.status, &g.kind, &g.first, &g.n); err != nil {
			rows.Close()
			return nil, err
		}
		groups = append(groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].first < groups[j].first })
	out := map[string]map[string]*rollup.Counts{}
	for _, g := range groups {
		counts := out[g.child]
		if counts == nil {
			counts = map[string]*rollup.Counts{}
			out[g.child] = counts
		}
		c := counts[g.target]
		if c == nil {
			c = &rollup.Counts{}
			counts[g.target] = c
		}
		c.Add(rollup.Status(g.status), unit.Kind(g.kind), g.n)
	}
	return out, nil
}

// keptTx opens the read transaction of a kept scorecard of prog at u for
// p; ok is false (and no transaction open) when there is none: p is not
// kept for prog, or u's tree is read on another day than p's last (u
// ended inside p).
func (s *Store) keptTx(ctx context.Context, prog *program.Program, u unit.Unit, p period.Period) (*sql.Tx, bool, error) {
	if rollup.AsOf(u, p) != p.EndDate() {
		return nil, false, nil
	}
	rtx, err := s.readTx(ctx)
	if err != nil {
		return nil, false, err
	}
	var n int
	if err := rtx.QueryRowContext(ctx, `SELECT COUNT(*) FROM eval_marks WHERE program = $1 AND period = $2`, prog.Code, p.String()).Scan(&n); err != nil || n == 0 {
		rtx.Rollback()
		return nil, false, err
	}
	return rtx, true, nil
}

// keptReadings reads (target, reading) rows into readings by target.
func keptReadings(ctx context.Context, q queryer, query string, args ...any) (map[string]rollup.Reading, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]rollup.Reading{}
	for rows.Next() {
		var target, doc string
		if err := rows.Scan(&target, &doc); err != nil {
			return nil, err
		}
		r, err := rollup.DecodeReading(doc)
		if err != nil {
			return nil, err
		}
		out[target] = r
	}
	return out, rows.Err()
}

// noFigures reads the elements and thresholds but no figure: a unit with
// no kept row for a target has none to read.
type noFigures struct{ rollup.Source }

func (noFigures) LoadOwnAt(context.Context, []unit.Unit, []int64, []string, *rollup.Values) error {
	return nil
}

func (noFigures) LoadBelowAt(context.Context, []unit.Unit, []int64, []string, *rollup.Values) error {
	return nil
}

// qsource is a rollup.Source that reads through one connection or
// transaction: the kernel's, to evaluate what the transaction wrote, or a
// read transaction's, to see one state throughout.
type qsource struct {
	s *Store
	q queryer
}

func (x qsource) Subtree(ctx context.Context, u unit.Unit, date string) ([]unit.Unit, error) {
	lo, hi := unit.PathRange(u.Path)
	return queryUnits(ctx, x.q, `SELECT `+unitCols+` FROM units WHERE path >= $1 AND path < $2 AND valid_from <= $3 AND valid_to >= $3 ORDER BY path`, lo, hi, date)
}

func (x qsource) Elements(ctx context.Context) (map[string]*value.Element, error) {
	return loadElements(ctx, x.q)
}

func (x qsource) UnitThresholds(ctx context.Context, prog *program.Program) ([]program.UnitThreshold, error) {
	return unitThresholds(ctx, x.q, prog)
}

func (x qsource) LoadBelow(ctx context.Context, root unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	return x.loadRange(ctx, "data_rollups", root, elementIDs, periods, into)
}

func (x qsource) LoadOwn(ctx context.Context, root unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	return x.loadRange(ctx, "data_values", root, elementIDs, periods, into)
}

func (x qsource) LoadOwnAt(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	return x.loadAt(ctx, "data_values", units, elementIDs, periods, into)
}

func (x qsource) LoadBelowAt(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	return x.loadAt(ctx, "data_rollups", units, elementIDs, periods, into)
}

func (x qsource) loadRange(ctx context.Context, table string, root unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	if len(elementIDs) == 0 || len(periods) == 0 {
		return nil
	}
	lo, hi := unit.PathRange(root.Path)
	n := len(elementIDs)
	where := `WHERE element_id IN (` + x.s.placeholders(1, n) + `) AND period = ` + x.s.placeholders(n+1, 1) +
		` AND unit_path >= ` + x.s.placeholders(n+2, 1) + ` AND unit_path < ` + x.s.placeholders(n+3, 1)
	for _, per := range periods {
		if err := x.cells(ctx, table, where, per, append(int64Args(elementIDs), per, lo, hi), into); err != nil {
			return err
		}
	}
	return nil
}

func (x qsource) loadAt(ctx context.Context, table string, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	if len(units) == 0 || len(elementIDs) == 0 || len(periods) == 0 {
		return nil
	}
	const chunk = 500
	n := len(elementIDs)
	for start := 0; start < len(units); start += chunk {
		part := units[start:min(start+chunk, len(units))]
		paths := make([]string, len(part))
		for i, u := range part {
			paths[i] = u.Path
		}
		where := `WHERE element_id IN (` + x.s.placeholders(1, n) + `) AND period = ` + x.s.placeholders(n+1, 1) +
			` AND unit_path IN (` + x.s.placeholders(n+2, len(paths)) + `)`
		for _, per := range periods {
			if err := x.cells(ctx, table, where, per, append(append(int64Args(elementIDs), per), stringArgs(paths)...), into); err != nil {
				return err
			}
		}
	}
	return nil
}

func (x qsource) cells(ctx context.Context, table, where, per string, args []any, into *rollup.Values) error {
	own := table == "data_values"
	cols := "element_id, unit_id, value, n"
	if own {
		cols = "element_id, unit_id, value, 1"
	}
	rows, err := x.q.QueryContext(ctx, `SELECT `+cols+` FROM `+table+` `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var el, id int64
		var v float64
		var n int
		if err := rows.Scan(&el, &id, &v, &n); err != nil {
			return err
		}
		if own {
			into.AddOwn(id, el, per, v)
		} else {
			into.AddBelow(id, el, per, v, n)
		}
	}
	return rows.Err()
}
