package rollup

import (
	"context"
	"fmt"
	"sort"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// Coverage is the share of the units below that meet their own target. The
// units counted are the next level below to which the target applies:
// districts under a province, communes under a district (or directly under a
// province once districts are gone), residential areas under a commune.
type Coverage struct {
	Kinds   []unit.Kind   `json:"kinds"`
	Units   int           `json:"units"` // units counted (those the target does not reach are left out)
	Met     int           `json:"met"`
	NotMet  int           `json:"notMet"`
	NoData  int           `json:"noData"`
	Percent *float64      `json:"percent"`
	Status  Status        `json:"status"`
	Below   []UnitReading `json:"-"`
}

// UnitReading is one counted unit's own reading.
type UnitReading struct {
	Unit    unit.Unit
	Reading Reading
}

// TargetResult is a target's two readings at a unit.
type TargetResult struct {
	Target   program.Target
	Own      Reading
	Coverage Coverage
}

// Card is the scorecard of a program at a unit for a period.
type Card struct {
	Program *program.Program
	Unit    unit.Unit
	Period  period.Period
	Date    string // the day the tree was read as of
	Targets []TargetResult
}

// AsOf is the day a unit's tree is read for a period: the period's last
// day, or the unit's last day if it ended inside the period.
func AsOf(u unit.Unit, p period.Period) string {
	return min(p.EndDate(), u.ValidTo)
}

// Scorecard evaluates every target of prog at u for p.
func Scorecard(ctx context.Context, src Source, prog *program.Program, u unit.Unit, p period.Period) (*Card, error) {
	date := AsOf(u, p)
	tree, err := src.Subtree(ctx, u, date)
	if err != nil {
		return nil, err
	}
	children := map[int64][]unit.Unit{}
	for _, x := range tree {
		children[x.ParentID] = append(children[x.ParentID], x)
	}
	elements, err := src.Elements(ctx)
	if err != nil {
		return nil, err
	}
	targets := prog.Targets()
	coverageUnits := make([][]unit.Unit, len(targets))
	for i, t := range targets {
		coverageUnits[i] = nextApplicable(t, u, children)
	}

	// Which figures to load: every roll-up of the subtree (one row per
	// unit with data below it), and own values only for the elements whose
	// values can sit at the units read here (the unit and the counted units).
	var allIDs, ownIDs []int64
	periodSet := map[string]bool{}
	seen := map[int64]bool{}
	ownSeen := map[int64]bool{}
	for i, t := range targets {
		kinds := map[unit.Kind]bool{u.Kind: true}
		for _, c := range coverageUnits[i] {
			kinds[c.Kind] = true
		}
		for _, c := range t.Conditions {
			for _, code := range c.ElementCodes() {
				e, ok := elements[code]
				if !ok {
					return nil, fmt.Errorf("chỉ tiêu %s dùng chỉ số %s chưa có trong cơ sở dữ liệu", t.Code, code)
				}
				if !seen[e.ID] {
					seen[e.ID] = true
					allIDs = append(allIDs, e.ID)
				}
				for _, q := range p.Within(e.Type) {
					periodSet[q.String()] = true
				}
				if c.Comparator == program.GEPreviousYear {
					for _, q := range p.PreviousYear().Within(e.Type) {
						periodSet[q.String()] = true
					}
				}
				if !ownSeen[e.ID] && collectedAtAny(e, kinds) {
					ownSeen[e.ID] = true
					ownIDs = append(ownIDs, e.ID)
				}
			}
		}
	}
	periods := make([]string, 0, len(periodSet))
	for q := range periodSet {
		periods = append(periods, q)
	}
	sort.Strings(periods)
	values := NewValues()
	if err := src.LoadBelow(ctx, u, allIDs, periods, values); err != nil {
		return nil, err
	}
	if len(ownIDs) > 0 {
		if err := src.LoadOwn(ctx, u, ownIDs, periods, values); err != nil {
			return nil, err
		}
	}

	ev := &evaluator{values: values, elements: elements}
	card := &Card{Program: prog, Unit: u, Period: p, Date: date}
	for i, t := range targets {
		res := TargetResult{Target: t}
		tt, _ := period.ParseType(t.PeriodType)
		if tt > p.Type {
			// A yearly target cannot be judged on a quarter.
			res.Own = Reading{Status: NotApplicable}
			res.Coverage = Coverage{Status: NotApplicable}
			card.Targets = append(card.Targets, res)
			continue
		}
		res.Own = ev.target(t, u, p)
		res.Coverage = ev.coverage(t, coverageUnits[i], p)
		card.Targets = append(card.Targets, res)
	}
	return card, nil
}

func collectedAtAny(e *value.Element, kinds map[unit.Kind]bool) bool {
	for _, k := range e.CollectedAt {
		if kinds[k] {
			return true
		}
	}
	return false
}

// nextApplicable walks down from u and stops at the first units to which
// the target applies.
func nextApplicable(t program.Target, u unit.Unit, children map[int64][]unit.Unit) []unit.Unit {
	var out []unit.Unit
	var walk func(id int64)
	walk = func(id int64) {
		for _, c := range children[id] {
			if t.AppliesToKind(c.Kind) {
				out = append(out, c)
			} else {
				walk(c.ID)
			}
		}
	}
	walk(u.ID)
	return out
}

func (ev *evaluator) coverage(t program.Target, units []unit.Unit, p period.Period) Coverage {
	cov := Coverage{Status: NotApplicable}
	kinds := map[unit.Kind]bool{}
	tracked := 0
	for _, c := range units {
		r := ev.target(t, c, p)
		cov.Below = append(cov.Below, UnitReading{Unit: c, Reading: r})
		switch r.Status {
		case NotApplicable:
			continue
		case Met:
			cov.Met++
		case NotMet:
			cov.NotMet++
		case NoData:
			cov.NoData++
		case Tracked:
			tracked++
		}
		cov.Units++
		if !kinds[c.Kind] {
			kinds[c.Kind] = true
			cov.Kinds = append(cov.Kinds, c.Kind)
		}
	}
	switch {
	case cov.Units == 0:
		return cov
	case tracked > 0 && cov.Met+cov.NotMet == 0:
		// A tracked target has no threshold: coverage is who reported.
		cov.Status = Tracked
		if cov.NoData == cov.Units {
			cov.Status = NoData
		}
		return cov
	case cov.NotMet > 0:
		cov.Status = NotMet
	case cov.NoData > 0:
		cov.Status = NoData
	default:
		cov.Status = Met
	}
	cov.Percent = ptr(100 * float64(cov.Met) / float64(cov.Units))
	return cov
}

// Point is an element's figure at one unit.
type Point struct {
	Unit  unit.Unit
	Value *float64
}

// Analytics returns an element's figure over u's subtree for p, and, when
// byChildren, the figure of each unit directly below u.
func Analytics(ctx context.Context, src Source, children []unit.Unit, e *value.Element, u unit.Unit, p period.Period) (Point, []Point, error) {
	var periods []string
	for _, q := range p.Within(e.Type) {
		periods = append(periods, q.String())
	}
	values := NewValues()
	if len(periods) > 0 {
		if err := src.LoadAt(ctx, append([]unit.Unit{u}, children...), []int64{e.ID}, periods, values); err != nil {
			return Point{}, nil, err
		}
	}
	point := func(x unit.Unit) Point {
		pt := Point{Unit: x}
		if v, ok := values.Figure(x, e, p, program.Subtree); ok {
			pt.Value = ptr(v)
		}
		return pt
	}
	var out []Point
	for _, c := range children {
		out = append(out, point(c))
	}
	return point(u), out, nil
}
