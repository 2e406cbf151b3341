package store

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"mattran/internal/clock"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// The kept evaluations a server maintains without an operator: a
// background job (jobs.Standard's "evals") builds, for every program that
// no unit derived from another, each year of its term up to the current
// one that has no mark, and every other period that was kept and dropped
// without being asked to be (eval_wanted: a quarter or a year after the
// term built by hand, then dropped by a big write or a change of programs,
// units or thresholds). Each program and period is built in
// one transaction that writes its rows and its mark together (BuildEvals),
// so a page never reads a half-built year: until the mark commits, it
// reads the scorecard from the values, as it always could.

// KeptYears are the periods kept for prog on the day now falls on: each
// year of its term from the first to the current one. Years after today
// have no figures yet; the job builds each when it begins. Quarters and
// half years are not kept: pages show years by default, and a quarter's
// scorecard is read from the values (exact, only slower).
func KeptYears(prog *program.Program, year int) []period.Period {
	var out []period.Period
	for y := prog.Term.From; y <= min(prog.Term.To, year); y++ {
		out = append(out, period.Period{Type: period.Yearly, Year: y})
	}
	return out
}

// EvalsWanted receives a signal after a write committed that dropped kept
// evaluations because it touched too many units to refresh them
// (EvalRefreshLimit): the server's job runner then runs the evals job at
// once, out of its five-minute turn, rather than leaving pages to compute
// from the values until the next turn. One signal stands for any number
// of such writes.
func (s *Store) EvalsWanted() <-chan struct{} { return s.evalsWanted }

func (s *Store) wantEvals() {
	select {
	case s.evalsWanted <- struct{}{}:
	default: // a signal is already waiting
	}
}

// KeepEvals builds the kept evaluations of every year that KeptYears
// names and that has no mark, one program and year per transaction, and
// returns those it built. A year whose tree cannot be read as one on its
// last day (BuildEvals keeps nothing then) is tried again on the next run.
func (s *Store) KeepEvals(ctx context.Context) ([]string, error) {
	progs, err := s.Programs(ctx)
	if err != nil {
		return nil, err
	}
	marks, err := evalMarks(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	have := map[evalMark]bool{}
	for _, m := range marks {
		have[m] = true
	}
	wanted, err := wantedEvals(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	year := s.now().In(clock.Zone).Year()
	var built []string
	for _, prog := range progs {
		if prog.Derived() {
			// A unit's own program shares its parent's figures; its pages
			// are read from the values.
			continue
		}
		periods := KeptYears(prog, year)
		for _, m := range wanted[prog.Code] {
			if !slices.Contains(periods, m.period) {
				periods = append(periods, m.period)
			}
		}
		delete(wanted, prog.Code)
		for _, p := range periods {
			if have[evalMark{prog.Code, p}] {
				continue
			}
			if err := ctx.Err(); err != nil {
				return built, err
			}
			if err := s.BuildEvals(ctx, prog.Code, p); err != nil {
				return built, fmt.Errorf("giữ đánh giá %s %s: %w", prog.Code, p, err)
			}
			built = append(built, prog.Code+" "+p.String())
		}
	}
	// What is left was wanted for programs removed since, or derived from
	// another: nothing to build.
	for _, ms := range wanted {
		for _, m := range ms {
			if _, err := s.DB.ExecContext(ctx, `DELETE FROM eval_wanted WHERE program = $1 AND period = $2`, m.program, m.period.String()); err != nil {
				return built, err
			}
		}
	}
	return built, nil
}

// wantedEvals are the kept evaluations dropped and wanted again
// (eval_wanted), by program.
func wantedEvals(ctx context.Context, q queryer) (map[string][]evalMark, error) {
	ms, err := markRows(ctx, q, `SELECT program, period FROM eval_wanted ORDER BY program, period`)
	out := map[string][]evalMark{}
	for _, m := range ms {
		out[m.program] = append(out[m.program], m)
	}
	return out, err
}

// KeptReadings are rollup.Evaluate's readings of targets (nil: every
// target of prog) at units for periods: read from the kept evaluations
// for each kept period at which a unit is in the tree of the period's
// last day (a unit with no row there shows no figure, as KeptCard reads
// it), and evaluated from the values for every other unit and period. A
// home page's six-year trend and its children's figures then read one
// range of kept rows instead of the values of six years.
func (s *Store) KeptReadings(ctx context.Context, prog *program.Program, targets []program.Target, units []unit.Unit, periods []period.Period) (*rollup.Readings, error) {
	if targets == nil {
		targets = prog.Targets()
	}
	rtx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer rtx.Rollback()
	src := keptSource{qsource{s, rtx}}
	marks, err := evalMarks(ctx, rtx)
	if err != nil {
		return nil, err
	}
	kept := map[period.Period]bool{}
	for _, m := range marks {
		if m.program == prog.Code && slices.Contains(periods, m.period) {
			kept[m.period] = true
		}
	}
	out := rollup.NewReadings()
	// From the kept rows: (period, unit) pairs whose unit version is the
	// one in the period's tree.
	inTree := func(u unit.Unit, p period.Period) bool {
		end := p.EndDate()
		return kept[p] && u.ValidFrom <= end && end <= u.ValidTo
	}
	byPath := map[string]unit.Unit{}
	for _, u := range units {
		byPath[u.Path] = u
	}
	var keptPers []string
	for _, p := range periods {
		if kept[p] {
			keptPers = append(keptPers, p.String())
		}
	}
	wanted := map[string]bool{}
	for _, t := range targets {
		wanted[t.Code] = true
	}
	parsed := map[string]period.Period{}
	if len(keptPers) > 0 && len(units) > 0 {
		const chunk = 400
		for start := 0; start < len(units); start += chunk {
			part := units[start:min(start+chunk, len(units))]
			args := []any{prog.Code}
			args = append(args, stringArgs(keptPers)...)
			for _, u := range part {
				args = append(args, u.Path)
			}
			query := `SELECT period, target, unit_path, unit_id, kind, reading FROM target_evals WHERE program = $1 AND period IN (` +
				s.placeholders(2, len(keptPers)) + `) AND unit_path IN (` + s.placeholders(2+len(keptPers), len(part)) + `)`
			if err := readKeptRows(ctx, rtx, query, args, func(per, target, path string, id int64, kind string) (func(rollup.Reading), error) {
				if !wanted[target] {
					return nil, nil
				}
				u, ok := byPath[path]
				if !ok || u.ID != id || string(u.Kind) != kind {
					return nil, nil
				}
				p, ok := parsed[per]
				if !ok {
					var err error
					if p, err = period.Parse(per); err != nil {
						return nil, err
					}
					parsed[per] = p
				}
				if !inTree(u, p) {
					return nil, nil
				}
				return func(r rollup.Reading) { out.Set(target, u, p, r) }, nil
			}); err != nil {
				return nil, err
			}
		}
	}
	// What is left: with no figure where the unit is in a kept period's
	// tree, else from the values.
	var noRow, fromValues []program.Target
	var noRowUnits, valueUnits []unit.Unit
	var noRowPers, valuePers []period.Period
	for _, t := range targets {
		tNoRow, tValues := false, false
		for _, u := range units {
			uNoRow, uValues := false, false
			for _, p := range periods {
				if out.Has(t.Code, u, p) {
					continue
				}
				if inTree(u, p) {
					tNoRow, uNoRow = true, true
					if !slices.Contains(noRowPers, p) {
						noRowPers = append(noRowPers, p)
					}
				} else {
					tValues, uValues = true, true
					if !slices.Contains(valuePers, p) {
						valuePers = append(valuePers, p)
					}
				}
			}
			if uNoRow && !slices.ContainsFunc(noRowUnits, func(x unit.Unit) bool { return x.ID == u.ID }) {
				noRowUnits = append(noRowUnits, u)
			}
			if uValues && !slices.ContainsFunc(valueUnits, func(x unit.Unit) bool { return x.ID == u.ID }) {
				valueUnits = append(valueUnits, u)
			}
		}
		if tNoRow {
			noRow = append(noRow, t)
		}
		if tValues {
			fromValues = append(fromValues, t)
		}
	}
	fill := func(src rollup.Source, ts []program.Target, us []unit.Unit, ps []period.Period, take func(u unit.Unit, p period.Period) bool) error {
		if len(ts) == 0 {
			return nil
		}
		r, err := rollup.Evaluate(ctx, src, prog, ts, us, ps)
		if err != nil {
			return err
		}
		for _, t := range ts {
			for _, u := range us {
				for _, p := range ps {
					if !out.Has(t.Code, u, p) && take(u, p) {
						out.Set(t.Code, u, p, r.At(t.Code, u, p))
					}
				}
			}
		}
		return nil
	}
	if err := fill(noFigures{src}, noRow, noRowUnits, noRowPers, inTree); err != nil {
		return nil, err
	}
	notInTree := func(u unit.Unit, p period.Period) bool { return !inTree(u, p) }
	if err := fill(src, fromValues, valueUnits, valuePers, notInTree); err != nil {
		return nil, err
	}
	return out, nil
}

// readKeptRows reads (period, target, unit_path, unit_id, kind, reading)
// rows; keep says from a row's key whether its reading is wanted, and
// where it goes. Only wanted readings are decoded: a children table asks
// for a few targets of every child, and the query returns them all.
func readKeptRows(ctx context.Context, q queryer, query string, args []any, keep func(per, target, path string, id int64, kind string) (func(rollup.Reading), error)) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var per, target, path, kind, doc string
		var id int64
		if err := rows.Scan(&per, &target, &path, &id, &kind, &doc); err != nil {
			return err
		}
		use, err := keep(per, target, path, id, kind)
		if err != nil {
			return err
		}
		if use == nil {
			continue
		}
		r, err := rollup.DecodeReading(doc)
		if err != nil {
			return err
		}
		use(r)
	}
	return rows.Err()
}

// keptSource is the read transaction of KeptReadings, with the element
// definitions it evaluates by read once per global data version: decoding
// them was a fifth of a cold children table's reading.
type keptSource struct{ qsource }

func (x keptSource) Elements(ctx context.Context) (map[string]*value.Element, error) {
	return x.s.elements.get(ctx, x.q)
}

// elementsCache keeps the element definitions read at one global data
// version, which every change of elements raises (Stale(AllPages)). Only a
// read transaction reads through it: a write transaction may have changed
// elements it has not yet marked. Callers must not change the map.
type elementsCache struct {
	mu      sync.Mutex
	version int64
	m       map[string]*value.Element
}

func (c *elementsCache) get(ctx context.Context, q queryer) (map[string]*value.Element, error) {
	version := func() (int64, error) {
		var n int64
		err := q.QueryRowContext(ctx, `SELECT n FROM data_version WHERE id = 1`).Scan(&n)
		return n, err
	}
	v, err := version()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	m := c.m
	ok := m != nil && c.version == v
	c.mu.Unlock()
	if ok {
		return m, nil
	}
	if m, err = loadElements(ctx, q); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.version, c.m = v, m
	c.mu.Unlock()
	return m, nil
}
