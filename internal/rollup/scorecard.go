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
	targets := prog.Targets()
	// The tree is read while the elements and the roll-ups over u's subtree
	// are, since those do not depend on it: a province's tree is thousands
	// of units, and reading it alone left the second core idle.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var tree []unit.Unit
	var treeErr error
	treeDone := make(chan struct{})
	go func() {
		defer close(treeDone)
		tree, treeErr = src.Subtree(ctx, u, date)
	}()
	values, elements, needs, err := loadBelowForTargets(ctx, src, u, p, targets)
	if err != nil {
		cancel()
	}
	<-treeDone
	if treeErr != nil {
		return nil, treeErr
	}
	if err != nil {
		return nil, err
	}
	list, err := src.UnitThresholds(ctx, prog)
	if err != nil {
		return nil, err
	}
	own := newOwnThresholds(prog, list)
	ownTargets := own.targets()

	// children holds indices into tree, not copies of its units.
	children := map[int64][]int{}
	for i := range tree {
		children[tree[i].ParentID] = append(children[tree[i].ParentID], i)
	}
	coverageUnits := make([][]unit.Unit, len(targets))
	// Targets that apply to the same kinds count the same units: walk the
	// tree once per set of kinds, not once per target (a province's tree
	// has thousands of units, and most targets share a few sets).
	byKinds := map[string][]unit.Unit{}
	for i, t := range targets {
		key := kindsKey(t)
		if ownTargets[t.Code] {
			key += "|" + t.Code // units with a threshold of their own count too
		}
		units, ok := byKinds[key]
		if !ok {
			units = nextApplicable(t, u, tree, children, own)
			byKinds[key] = units
		}
		coverageUnits[i] = units
	}

	if err := loadOwnForTargets(ctx, src, needs, tree, u, targets, coverageUnits, values); err != nil {
		return nil, err
	}

	ev := &evaluator{values: values, elements: elements, own: own}
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

// kindsKey names the set of kinds a target applies to.
func kindsKey(t program.Target) string {
	var b strings.Builder
	for _, k := range unit.Kinds {
		if t.AppliesToKind(k) {
			b.WriteString(string(k))
			b.WriteByte(',')
		}
	}
	return b.String()
}

// nextApplicable walks down from u and stops at the first units to which
// the target applies, by their kind or by a threshold of their own.
// children lists indices into tree by parent id.
func nextApplicable(t program.Target, u unit.Unit, tree []unit.Unit, children map[int64][]int, own ownThresholds) []unit.Unit {
	var out []unit.Unit
	var walk func(id int64)
	walk = func(id int64) {
		for _, i := range children[id] {
			if c := &tree[i]; t.AppliesToKind(c.Kind) || own.of(c.Code, t.Code) != nil {
				out = append(out, *c)
			} else {
				walk(c.ID)
			}
		}
	}
	walk(u.ID)
	return out
}

func (ev *evaluator) coverage(t program.Target, units []unit.Unit, p period.Period) Coverage {
	// One allocation, not a dozen regrowths over thousands of units.
	below := make([]UnitReading, 0, len(units))
	for _, c := range units {
		below = append(below, UnitReading{Unit: c, Reading: ev.target(t, c, p)})
	}
	return CoverageOf(below)
}

// CoverageOf counts how the units below met their own target, from their
// readings: the scorecard's coverage, and the coverage of any part of
// them (the communes of one district among a province's).
func CoverageOf(below []UnitReading) Coverage {
	cov := Coverage{Status: NotApplicable, Below: below}
	kinds := map[unit.Kind]bool{}
	tracked := 0
	for _, c := range below {
		switch c.Reading.Status {
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
		if !kinds[c.Unit.Kind] {
			kinds[c.Unit.Kind] = true
			cov.Kinds = append(cov.Kinds, c.Unit.Kind)
		}
	}
	return finishCoverage(cov, tracked)
}

// finishCoverage sets a coverage's status and percent from its counts.
func finishCoverage(cov Coverage, tracked int) Coverage {
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

// Point is an element's figure at one unit: over its whole subtree, and
// the part entered at the unit itself (a province's own fundraising), so
// that a unit's figure is its own part plus its children's.
type Point struct {
	Unit  unit.Unit
	Value *float64
	Own   *float64
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
		if v, ok := values.Figure(x, e, p, program.Self); ok {
			pt.Own = ptr(v)
		}
		return pt
	}
	var out []Point
	for _, c := range children {
		out = append(out, point(c))
	}
	return point(u), out, nil
}

// elementNeed is what evaluating the targets reads of one element: its
// periods, and the units whose own value is read.
type elementNeed struct {
	e       *value.Element
	periods []string // sorted
	pkey    string   // the periods joined, to group elements that read the same
	units   map[int64]*unit.Unit
}

// targetNeeds lists the elements the targets read, in the order the
// targets name them, each with its periods: the element's own periods
// inside p, plus last year's for "≥ last year".
type targetNeeds struct {
	byID   map[int64]*elementNeed
	byCode map[string]*elementNeed
	order  []int64
}

// loadBelowForTargets reads the elements, works out what the targets read
// (every element for its own periods only) and reads the roll-ups over
// u's subtree, one query per group of elements reading the same periods.
// None of it depends on u's tree.
func loadBelowForTargets(ctx context.Context, src Source, u unit.Unit, p period.Period, targets []program.Target) (*Values, map[string]*value.Element, *targetNeeds, error) {
	elements, err := src.Elements(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	needs := &targetNeeds{byID: map[int64]*elementNeed{}, byCode: map[string]*elementNeed{}}
	periodSets := map[int64]map[string]bool{}
	for _, t := range targets {
		for _, c := range t.Conditions {
			for _, code := range c.ElementCodes() {
				e, ok := elements[code]
				if !ok {
					return nil, nil, nil, fmt.Errorf("chỉ tiêu %s dùng chỉ số %s chưa có trong cơ sở dữ liệu", t.Code, code)
				}
				set := periodSets[e.ID]
				if set == nil {
					set = map[string]bool{}
					periodSets[e.ID] = set
					n := &elementNeed{e: e, units: map[int64]*unit.Unit{}}
					needs.byID[e.ID], needs.byCode[code] = n, n
					needs.order = append(needs.order, e.ID)
				}
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
	var groups []*loadGroup
	byKey := map[string]*loadGroup{}
	for _, id := range needs.order {
		n := needs.byID[id]
		for q := range periodSets[id] {
			n.periods = append(n.periods, q)
		}
		sort.Strings(n.periods)
		n.pkey = strings.Join(n.periods, ",")
		groups = addToGroup(groups, byKey, n.pkey, id, n.periods, nil)
	}
	values := NewValues()
	for _, g := range groups {
		if err := src.LoadBelow(ctx, u, g.ids, g.periods, values); err != nil {
			return nil, nil, nil, err
		}
	}
	return values, elements, needs, nil
}

// loadGroup is elements read together: the same periods (and the same
// units), so each group is one query per period.
type loadGroup struct {
	ids     []int64
	periods []string
	units   []unit.Unit // nil: a range over u's subtree
}

func addToGroup(groups []*loadGroup, byKey map[string]*loadGroup, key string, id int64, periods []string, units []unit.Unit) []*loadGroup {
	g := byKey[key]
	if g == nil {
		g = &loadGroup{periods: periods, units: units}
		byKey[key] = g
		groups = append(groups, g)
	}
	g.ids = append(g.ids, id)
	return groups
}

// loadOwnForTargets reads the own values of just the units the targets
// are evaluated at: u and the counted units. Own values are looked up unit
// by unit when few units are read, and scanned as one range when many are
// (a province's residential areas); a lookup costs a few times a scanned row.
func loadOwnForTargets(ctx context.Context, src Source, needs *targetNeeds, tree []unit.Unit, u unit.Unit, targets []program.Target, coverageUnits [][]unit.Unit, values *Values) error {
	for i, t := range targets {
		for _, c := range t.Conditions {
			for _, code := range c.ElementCodes() {
				n := needs.byCode[code] // there: loadBelowForTargets saw every code
				if n.e.CollectedAtKind(u.Kind) {
					n.units[u.ID] = &u
				}
				for j := range coverageUnits[i] {
					if x := &coverageUnits[i][j]; n.e.CollectedAtKind(x.Kind) {
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
	var groups []*loadGroup
	byKey := map[string]*loadGroup{}
	wantOwn := 0 // an upper bound of the cells read: not every unit has every value
	for _, id := range needs.order {
		n := needs.byID[id]
		if len(n.units) == 0 {
			continue
		}
		scanned := 0
		for _, k := range n.e.CollectedAt {
			scanned += kindCount[k]
		}
		if scanned <= 4*len(n.units) {
			groups = addToGroup(groups, byKey, n.pkey+"|range", id, n.periods, nil)
			wantOwn += len(n.periods) * scanned
			continue
		}
		units := make([]unit.Unit, 0, len(n.units))
		ids := make([]string, 0, len(n.units))
		for _, x := range n.units {
			units = append(units, *x)
		}
		sort.Slice(units, func(i, j int) bool { return units[i].Path < units[j].Path })
		for _, x := range units {
			ids = append(ids, x.Path)
		}
		groups = addToGroup(groups, byKey, n.pkey+"|"+strings.Join(ids, ","), id, n.periods, units)
		wantOwn += len(n.periods) * len(units)
	}
	// Filling a map of tens of thousands of cells from empty regrows it a
	// dozen times, which was a fifth of the loading: size it first.
	values.reserveOwn(wantOwn)
	for _, g := range groups {
		var err error
		if g.units == nil {
			err = src.LoadOwn(ctx, u, g.ids, g.periods, values)
		} else {
			err = src.LoadOwnAt(ctx, g.units, g.ids, g.periods, values)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
