package rollup

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
)

// Readings are targets' own readings at a few units over a few periods.
type Readings struct {
	m map[readingKey]Reading
}

type readingKey struct {
	target string
	unit   int64
	period period.Period
}

// At is the target's own reading at u for p; a target, unit or period not
// evaluated reads "not applicable".
func (r *Readings) At(target string, u unit.Unit, p period.Period) Reading {
	if x, ok := r.m[readingKey{target, u.ID, p}]; ok {
		return x
	}
	return Reading{Status: NotApplicable}
}

// periodsLoader is a Source that reads many periods of a few units in
// one query, as the store does. A unit's six years are some hundred
// periods (its months); a Source without it is read a query per period.
type periodsLoader interface {
	LoadOwnAtPeriods(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *Values) error
	LoadBelowAtPeriods(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *Values) error
}

// Evaluate reads the own readings of targets (nil: every target of prog)
// at each of the units for each of the periods: a unit's trend over a program's years, or a unit's
// children side by side. It counts no coverage, so it reads only those
// units' values and stored roll-ups, never a subtree: a province's six
// years cost a few small queries, where six scorecards would read its
// thousands of units six times.
func Evaluate(ctx context.Context, src Source, prog *program.Program, targets []program.Target, units []unit.Unit, periods []period.Period) (*Readings, error) {
	out := &Readings{m: map[readingKey]Reading{}}
	if targets == nil {
		targets = prog.Targets()
	}
	if len(targets) == 0 || len(units) == 0 || len(periods) == 0 {
		return out, nil
	}
	elements, err := src.Elements(ctx)
	if err != nil {
		return nil, err
	}
	list, err := src.UnitThresholds(ctx, prog)
	if err != nil {
		return nil, err
	}
	// Each element is read for its own periods inside the periods asked
	// (and the year before, for "≥ last year"), elements reading the same
	// periods in one group.
	sets := map[int64]map[string]bool{}
	var order []int64
	for _, t := range targets {
		for _, c := range t.Conditions {
			for _, code := range c.ElementCodes() {
				e, ok := elements[code]
				if !ok {
					return nil, fmt.Errorf("chỉ tiêu %s dùng chỉ số %s chưa có trong cơ sở dữ liệu", t.Code, code)
				}
				set := sets[e.ID]
				if set == nil {
					set = map[string]bool{}
					sets[e.ID] = set
					order = append(order, e.ID)
				}
				for _, p := range periods {
					for _, q := range p.Within(e.Type) {
						set[q.String()] = true
					}
					if c.Comparator == program.GEPreviousYear {
						for _, q := range p.PreviousYear().Within(e.Type) {
							set[q.String()] = true
						}
					}
				}
			}
		}
	}
	var groups []*loadGroup
	byKey := map[string]*loadGroup{}
	for _, id := range order {
		var ps []string
		for q := range sets[id] {
			ps = append(ps, q)
		}
		sort.Strings(ps)
		groups = addToGroup(groups, byKey, strings.Join(ps, ","), id, ps, nil)
	}
	values := NewValues()
	loadOwn, loadBelow := src.LoadOwnAt, src.LoadBelowAt
	if many, ok := src.(periodsLoader); ok {
		loadOwn, loadBelow = many.LoadOwnAtPeriods, many.LoadBelowAtPeriods
	}
	for _, g := range groups {
		if err := loadOwn(ctx, units, g.ids, g.periods, values); err != nil {
			return nil, err
		}
		if err := loadBelow(ctx, units, g.ids, g.periods, values); err != nil {
			return nil, err
		}
	}
	ev := &evaluator{values: values, elements: elements, own: newOwnThresholds(prog, list)}
	for _, t := range targets {
		tt, _ := period.ParseType(t.PeriodType)
		for _, u := range units {
			for _, p := range periods {
				r := Reading{Status: NotApplicable}
				if tt <= p.Type {
					r = ev.target(t, u, p)
				}
				out.m[readingKey{t.Code, u.ID, p}] = r
			}
		}
	}
	return out, nil
}

// NewReadings is an empty set of readings, for a store that reads some of
// them from what it keeps (store.KeptReadings).
func NewReadings() *Readings { return &Readings{m: map[readingKey]Reading{}} }

// Set records the target's own reading at u for p.
func (r *Readings) Set(target string, u unit.Unit, p period.Period, x Reading) {
	r.m[readingKey{target, u.ID, p}] = x
}

// Bytes is about the memory the readings hold, for the bounds of a cache
// that keeps them: a map entry with its key and reading, and each part.
func (r *Readings) Bytes() int {
	n := 0
	for _, x := range r.m {
		n += 160 + 120*len(x.Parts)
	}
	return n
}

// Has reports whether a reading of the target at u for p is recorded.
func (r *Readings) Has(target string, u unit.Unit, p period.Period) bool {
	_, ok := r.m[readingKey{target, u.ID, p}]
	return ok
}
