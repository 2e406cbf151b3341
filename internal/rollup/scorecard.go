package rollup

import (
	"context"
	"fmt"
	"sort"
	"strings"

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

	values, err := loadForTargets(ctx, src, elements, tree, u, p, targets, coverageUnits)
	if err != nil {
		return nil, err
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
		at := append([]unit.Unit{u}, children...)
		if err := src.LoadOwnAt(ctx, at, []int64{e.ID}, periods, values); err != nil {
			return Point{}, nil, err
		}
		if err := src.LoadBelowAt(ctx, at, []int64{e.ID}, periods, values); err != nil {
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

// loadForTargets reads what evaluating targets at u and at the counted
// units needs, and no more: every element is read for its own periods only
// (plus last year's for "≥ last year"), roll-ups over u's subtree, and own
// values of just the units read. Own values are looked up unit by unit when
// few units are read, and scanned as one range when many are (a province's
// residential areas); a lookup costs a few times a scanned row.
func loadForTargets(ctx context.Context, src Source, elements map[string]*value.Element, tree []unit.Unit, u unit.Unit, p period.Period, targets []program.Target, coverageUnits [][]unit.Unit) (*Values, error) {
	type need struct {
		e       *value.Element
		periods map[string]bool
		units   map[int64]unit.Unit // units whose own value is read
	}
	needs := map[int64]*need{}
	var order []int64
	for i, t := range targets {
		readAt := append([]unit.Unit{u}, coverageUnits[i]...)
		for _, c := range t.Conditions {
			for _, code := range c.ElementCodes() {
				e, ok := elements[code]
				if !ok {
					return nil, fmt.Errorf("chỉ tiêu %s dùng chỉ số %s chưa có trong cơ sở dữ liệu", t.Code, code)
				}
				n := needs[e.ID]
				if n == nil {
					n = &need{e: e, periods: map[string]bool{}, units: map[int64]unit.Unit{}}
					needs[e.ID] = n
					order = append(order, e.ID)
				}
				for _, q := range p.Within(e.Type) {
					n.periods[q.String()] = true
				}
				if c.Comparator == program.GEPreviousYear {
					for _, q := range p.PreviousYear().Within(e.Type) {
						n.periods[q.String()] = true
					}
				}
				for _, x := range readAt {
					if e.CollectedAtKind(x.Kind) {
						n.units[x.ID] = x
					}
				}
			}
		}
	}
	kindCount := map[unit.Kind]int{}
	for _, x := range tree {
		kindCount[x.Kind]++
	}
	// Group elements that read the same periods (and the same units), so
	// each group is one query per period.
	type group struct {
		ids     []int64
		periods []string
		units   []unit.Unit // nil: a range over u's subtree
	}
	below := map[string]*group{}
	own := map[string]*group{}
	var belowOrder, ownOrder []string
	add := func(m map[string]*group, keys *[]string, key string, id int64, periods []string, units []unit.Unit) {
		g := m[key]
		if g == nil {
			g = &group{periods: periods, units: units}
			m[key] = g
			*keys = append(*keys, key)
		}
		g.ids = append(g.ids, id)
	}
	for _, id := range order {
		n := needs[id]
		periods := make([]string, 0, len(n.periods))
		for q := range n.periods {
			periods = append(periods, q)
		}
		sort.Strings(periods)
		pkey := strings.Join(periods, ",")
		add(below, &belowOrder, pkey, id, periods, nil)
		if len(n.units) == 0 {
			continue
		}
		scanned := 0
		for _, k := range n.e.CollectedAt {
			scanned += kindCount[k]
		}
		if scanned <= 4*len(n.units) {
			add(own, &ownOrder, pkey+"|range", id, periods, nil)
			continue
		}
		units := make([]unit.Unit, 0, len(n.units))
		ids := make([]string, 0, len(n.units))
		for _, x := range n.units {
			units = append(units, x)
		}
		sort.Slice(units, func(i, j int) bool { return units[i].Path < units[j].Path })
		for _, x := range units {
			ids = append(ids, x.Path)
		}
		add(own, &ownOrder, pkey+"|"+strings.Join(ids, ","), id, periods, units)
	}
	values := NewValues()
	for _, k := range belowOrder {
		g := below[k]
		if err := src.LoadBelow(ctx, u, g.ids, g.periods, values); err != nil {
			return nil, err
		}
	}
	for _, k := range ownOrder {
		g := own[k]
		var err error
		if g.units == nil {
			err = src.LoadOwn(ctx, u, g.ids, g.periods, values)
		} else {
			err = src.LoadOwnAt(ctx, g.units, g.ids, g.periods, values)
		}
		if err != nil {
			return nil, err
		}
	}
	return values, nil
}
