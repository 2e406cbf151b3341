package rollup

// Figures on the tree of another day.
//
// A figure is stored at the unit version it was entered for: 2024's at
// the old communes, 2026's at the new ones. To read 2024 on the tree of
// 1/7/2025, each value is carried along the successor links to the units
// of that day:
//
//   - a unit that went whole into one successor gives it its whole value;
//   - a unit split among several gives each a share, by the rule declared
//     for the element (Rule): by residential areas, households or
//     population, or all to the one that received most;
//   - a unit with no successor of its own (a district, a residential area
//     nobody carried over) goes where its parent went, as a figure below
//     that unit rather than of its own committee;
//   - read the other way (2026 on the tree of 2024), a new unit made from
//     several old ones is shared among them by the same rules.
//
// The carried values are then added up the tree of the day as stored
// values are, and targets are evaluated on them by the same evaluator, so
// a ratio is the ratio of the carried numerators and denominators, never
// an average of percents. Wherever a whole part of the old tree lands
// under one unit that no reading looks inside, its stored roll-up is read
// instead of its values: a province's history costs a few cells per old
// province, not a value per residential area.

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// HistorySource is what reading across changes of the tree needs, besides
// what every reading does.
type HistorySource interface {
	Source
	// Lineage returns root's tree on date and every version linked to it.
	Lineage(ctx context.Context, root unit.Unit, date string) (*unit.Lineage, error)
	// ReassignRules returns the declared rules by element code.
	ReassignRules(ctx context.Context) (map[string]Rule, error)
}

// Across reads figures on the tree of one day under a root.
type Across struct {
	src   HistorySource
	lin   *unit.Lineage
	date  string
	rules map[string]Rule

	tree     []unit.Unit     // the tree of the day under the root, parents first
	dParent  map[int64]int64 // its units' parents (0 above the root)
	dDepth   map[int64]int
	kids     map[int64][]int64 // every version's children, by parent id
	elements map[string]*value.Element

	maps map[string]map[int64][]share // rule key → unit → where its values go
	// spanInfo and ownBelowMemo: per rule key, what carrying needs of the
	// lineage's shape, which no reading changes.
	spanInfo     map[string]map[int64]walkInfo
	ownBelowMemo map[string]map[int64]bool
	splitsMemo   map[string]map[int64][]*Split
	splits       map[string]map[int64]*Split // rule key → split unit → how it was shared
	weights      map[string]*weightTable     // rule key → the figures weights are measured by
}

// share is a part of a unit's value landing on a unit of the day: its
// weight, and whether it lands as that unit's own figure (the committee's
// own) or below it.
type share struct {
	to    int64
	w     float64
	own   bool
	split bool // some split on the way shared it
}

// Split is how one split was shared: the unit whose figures were shared
// (an old unit split among successors, or, read backwards, a new unit made
// from several old ones) and each part's share.
type Split struct {
	From     unit.Unit
	Forward  bool // shared among successors; false: among predecessors
	Parts    []SplitPart
	Rule     Rule
	How      string   // the rule as it was applied: "chia theo số hộ năm 2024", or the fallback used
	Elements []string // the elements it shared, of those read
}

// SplitPart is one unit's share of a split.
type SplitPart struct {
	Unit  unit.Unit
	Share float64
}

// Reassignment says how the figures read were carried onto the day's tree.
type Reassignment struct {
	Date    string
	Changed bool            // anything was carried at all
	Rules   map[string]Rule // the rule of each element read
	Splits  []*Split        // the splits that touched a figure read
	// Moves are the values splits shared out, by element, period, split
	// and receiving unit: which rule moved which value.
	Moves []Move
	moves map[moveKey]int
	// Touched: for a unit and an element, the splits whose shares changed
	// the unit's figure (those with parts both inside and outside its
	// subtree): the rule to show next to the figure.
	Touched map[TouchKey][]*Split
}

// Move is a value a split's rule carried to a unit of the day: Value of
// Element for Period, of the split unit (or a unit below it that has no
// successor of its own), the share To received.
type Move struct {
	Element string
	Period  string
	Split   *Split
	To      unit.Unit
	Share   float64
	Value   float64
}

type moveKey struct {
	element, period string
	split           *Split
	to              int64
}

// noteMove adds v, which the single unit u's share s carried, to the
// moves of the first split on u's way to the day's tree.
func (a *Across) noteMove(re *Reassignment, r Rule, u unit.Unit, element, per string, s share, v float64) {
	splits := a.splitsOn(u.ID, r)
	if len(splits) == 0 {
		return
	}
	k := moveKey{element, per, splits[0], s.to}
	if re.moves == nil {
		re.moves = map[moveKey]int{}
	}
	i, ok := re.moves[k]
	if !ok {
		i = len(re.Moves)
		re.moves[k] = i
		re.Moves = append(re.Moves, Move{Element: element, Period: per, Split: splits[0], To: a.lin.Units[s.to], Share: s.w})
	}
	re.Moves[i].Value += v
}

// TouchKey is a unit (by id) and an element code.
type TouchKey struct {
	Unit    int64
	Element string
}

// RulesFor lists the rules of the splits that touched a figure at u made
// from the elements, each once: what a page shows next to it.
func (r *Reassignment) RulesFor(u unit.Unit, elements []string) []*Split {
	if r == nil {
		return nil
	}
	var out []*Split
	seen := map[*Split]bool{}
	for _, e := range elements {
		for _, s := range r.Touched[TouchKey{u.ID, e}] {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// NewAcross prepares reading figures on root's tree of date. root must
// exist on date.
func NewAcross(ctx context.Context, src HistorySource, root unit.Unit, date string) (*Across, error) {
	if !root.ValidOn(date) {
		return nil, fmt.Errorf("đơn vị %s (%s) không có hiệu lực ngày %s", root.Name, root.Code, date)
	}
	lin, err := src.Lineage(ctx, root, date)
	if err != nil {
		return nil, err
	}
	rules, err := src.ReassignRules(ctx)
	if err != nil {
		return nil, err
	}
	elements, err := src.Elements(ctx)
	if err != nil {
		return nil, err
	}
	a := &Across{src: src, lin: lin, date: date, rules: rules, elements: elements,
		dParent: map[int64]int64{}, dDepth: map[int64]int{}, kids: map[int64][]int64{},
		maps: map[string]map[int64][]share{}, splits: map[string]map[int64]*Split{}, weights: map[string]*weightTable{},
		spanInfo: map[string]map[int64]walkInfo{}, ownBelowMemo: map[string]map[int64]bool{}, splitsMemo: map[string]map[int64][]*Split{}}
	a.tree = lin.Tree()
	for _, u := range a.tree {
		if u.ID == root.ID {
			a.dDepth[u.ID] = 0
			continue
		}
		a.dParent[u.ID] = u.ParentID
		a.dDepth[u.ID] = a.dDepth[u.ParentID] + 1
	}
	for _, u := range lin.Units {
		a.kids[u.ParentID] = append(a.kids[u.ParentID], u.ID)
	}
	for _, ids := range a.kids {
		sort.Slice(ids, func(i, j int) bool { return lin.Units[ids[i]].Path < lin.Units[ids[j]].Path })
	}
	return a, nil
}

// Lineage is the units the figures are read from.
func (a *Across) Lineage() *unit.Lineage { return a.lin }

// Tree is the tree of the day under the root, parents first.
func (a *Across) Tree() []unit.Unit { return a.tree }

// Rule is the rule an element's splits follow.
func (a *Across) Rule(element string) Rule {
	if r, ok := a.rules[element]; ok {
		return r
	}
	return DefaultRule(element)
}

// inDay reports whether id is a unit of the day's tree under the root.
func (a *Across) inDay(id int64) bool {
	_, ok := a.dDepth[id]
	return ok
}

// lca is the lowest unit of the day above (or equal to) both.
func (a *Across) lca(x, y int64) int64 {
	for a.dDepth[x] > a.dDepth[y] {
		x = a.dParent[x]
	}
	for a.dDepth[y] > a.dDepth[x] {
		y = a.dParent[y]
	}
	for x != y {
		x, y = a.dParent[x], a.dParent[y]
	}
	return x
}

// under reports whether the day's unit x lies in the subtree of t.
func (a *Across) under(x, t int64) bool {
	for d := a.dDepth[t]; a.dDepth[x] > d; {
		x = a.dParent[x]
	}
	return x == t
}

// mapOf is where the values of lineage unit id go on the day's tree,
// under the rule r.
func (a *Across) mapOf(id int64, r Rule) []share {
	k := r.key()
	m := a.maps[k]
	if m == nil {
		m = map[int64][]share{}
		a.maps[k] = m
	}
	if s, ok := m[id]; ok {
		return s
	}
	m[id] = nil // a cycle of links (bad data) ends here rather than looping
	u, ok := a.lin.Units[id]
	var out []share
	switch {
	case !ok:
	case u.ValidOn(a.date):
		if a.inDay(id) {
			out = []share{{to: id, w: 1, own: true}}
		}
	case u.ValidTo < a.date:
		out = a.follow(u, a.lin.Next[id], true, r)
	default:
		out = a.follow(u, a.lin.Prev[id], false, r)
	}
	m[id] = out
	return out
}

// follow carries u's values along its links, or, with none, to where its
// parent goes, as a figure below that unit.
func (a *Across) follow(u unit.Unit, edges []unit.Edge, forward bool, r Rule) []share {
	if len(edges) == 0 {
		var out []share
		for _, s := range a.mapOf(u.ParentID, r) {
			s.own = false
			out = append(out, s)
		}
		return out
	}
	ws := []float64{1}
	if len(edges) > 1 {
		ws = a.split(u, edges, forward, r).weights()
	}
	acc := map[[2]int64]share{}
	var order [][2]int64
	for i, e := range edges {
		other := e.To
		if !forward {
			other = e.From
		}
		if ws[i] == 0 {
			continue
		}
		for _, s := range a.mapOf(other, r) {
			key := [2]int64{s.to, b2int(s.own)}
			x, seen := acc[key]
			if !seen {
				order = append(order, key)
				x = share{to: s.to, own: s.own}
			}
			x.w += ws[i] * s.w
			x.split = x.split || s.split || len(edges) > 1
			acc[key] = x
		}
	}
	out := make([]share, 0, len(order))
	for _, k := range order {
		out = append(out, acc[k])
	}
	return out
}

func b2int(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// split works out (once per rule) how u's figures are shared among the
// units at the other end of its links.
func (a *Across) split(u unit.Unit, edges []unit.Edge, forward bool, r Rule) *Split {
	k := r.key()
	if a.splits[k] == nil {
		a.splits[k] = map[int64]*Split{}
	}
	if s, ok := a.splits[k][u.ID]; ok {
		return s
	}
	s := &Split{From: u, Forward: forward, Rule: r}
	a.splits[k][u.ID] = s
	others := make([]unit.Unit, len(edges))
	for i, e := range edges {
		other := e.To
		if !forward {
			other = e.From
		}
		others[i] = a.lin.Units[other]
	}
	// What each other unit received of u (or gave to it): measured on the
	// residential areas that moved, in residential areas or in the
	// households or population they had the year before the change.
	day := u.ValidTo // the last day of the old side
	if !forward {
		day = dayBefore(u.ValidFrom)
	}
	measure := func(weightCode string, year int) ([]float64, float64) {
		got := make([]float64, len(others))
		var total float64
		a.eachMovedArea(u, forward, func(old, new unit.Unit, part float64) {
			x := part
			if weightCode != "" {
				v, ok := a.weights[k].at(old.ID, year)
				if !ok {
					return
				}
				x *= v
			}
			far := new
			if !forward {
				far = old
			}
			for i, o := range others {
				if unit.InSubtree(far.Path, o.Path) {
					got[i] += x
					total += x
					break
				}
			}
		})
		return got, total
	}
	year := yearOf(day)
	var got []float64
	var total float64
	switch r.Kind {
	case ByHouseholds, ByPopulation:
		for y := year; y >= year-2 && total == 0; y-- {
			if got, total = measure(r.Weight, y); total > 0 {
				s.How = fmt.Sprintf("%s năm %d", r.Kind.Label(), y)
			}
		}
		if total == 0 {
			if got, total = measure("", 0); total > 0 {
				s.How = "chia theo số khu dân cư (không có " + map[RuleKind]string{ByHouseholds: "số hộ", ByPopulation: "dân số"}[r.Kind] + " của các khu dân cư trước khi chia)"
			}
		}
	default:
		if got, total = measure("", 0); total > 0 {
			s.How = r.Kind.Label()
		}
	}
	if total == 0 {
		got = make([]float64, len(others))
		for i := range got {
			got[i] = 1
		}
		total = float64(len(others))
		s.How = "chia đều (không có khu dân cư nào được ghi là chuyển sang đơn vị mới)"
		if r.Kind == Largest {
			s.How = "giao cả cho đơn vị đầu tiên (không có khu dân cư nào được ghi là chuyển sang đơn vị mới)"
		}
	}
	if r.Kind == Largest {
		best := 0
		for i := range got {
			if got[i] > got[best] || (got[i] == got[best] && others[i].Code < others[best].Code) {
				best = i
			}
		}
		for i := range got {
			got[i] = 0
		}
		got[best], total = 1, 1
	}
	for i, o := range others {
		s.Parts = append(s.Parts, SplitPart{Unit: o, Share: got[i] / total})
	}
	return s
}

// weights lists the shares of a split, in the order of its links.
func (s *Split) weights() []float64 {
	out := make([]float64, len(s.Parts))
	for i, p := range s.Parts {
		out[i] = p.Share
	}
	return out
}

// eachMovedArea calls fn for every residential area that moved across u's
// change: forward, u's areas on its last day and each area that carried
// them on; backward, the areas u started with and each they came from.
// part divides an area carried on by several.
func (a *Across) eachMovedArea(u unit.Unit, forward bool, fn func(old, new unit.Unit, part float64)) {
	day := u.ValidTo
	if !forward {
		day = u.ValidFrom
	}
	var walk func(id int64)
	walk = func(id int64) {
		for _, c := range a.kids[id] {
			x := a.lin.Units[c]
			if !x.ValidOn(day) {
				continue
			}
			if x.Kind == unit.ResidentialArea {
				if forward {
					for _, e := range a.lin.Next[c] {
						fn(x, a.lin.Units[e.To], 1/float64(len(a.lin.Next[c])))
					}
				} else {
					for _, e := range a.lin.Prev[c] {
						fn(a.lin.Units[e.From], x, 1/float64(len(a.lin.Prev[c])))
					}
				}
				continue
			}
			walk(c)
		}
	}
	walk(u.ID)
}

func dayBefore(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.AddDate(0, 0, -1).Format(time.DateOnly)
}

// yearOf is the last whole year before the change whose old side ends on
// day: weights are the figures of that year.
func yearOf(day string) int {
	y, _ := strconv.Atoi(day[:4])
	if day[5:] == "12-31" {
		return y
	}
	return y - 1
}

// weightTable holds the weight element's yearly figures at the
// residential areas that moved, for the splits of one rule.
type weightTable struct {
	e    *value.Element
	vals *Values
}

func (w *weightTable) at(unitID int64, year int) (float64, bool) {
	if w == nil || w.e == nil {
		return 0, false
	}
	return w.vals.Figure(unit.Unit{ID: unitID}, w.e, period.Period{Type: period.Yearly, Year: year}, program.Self)
}

// loadWeights reads, for a rule weighing by an element, that element at
// every residential area that moved across a split of the lineage, for
// the years its splits are weighed by (and two before, where a year is
// missing).
func (a *Across) loadWeights(ctx context.Context, r Rule) error {
	k := r.key()
	if _, done := a.weights[k]; done || (r.Kind != ByHouseholds && r.Kind != ByPopulation) {
		return nil
	}
	wt := &weightTable{e: a.elements[r.Weight], vals: NewValues()}
	a.weights[k] = wt
	if wt.e == nil {
		return nil
	}
	areas := map[int64]unit.Unit{}
	years := map[int]bool{}
	for id, u := range a.lin.Units {
		forward := u.ValidTo < a.date && len(a.lin.Next[id]) > 1
		backward := u.ValidFrom > a.date && len(a.lin.Prev[id]) > 1
		if !forward && !backward {
			continue
		}
		day := u.ValidTo
		if backward {
			day = dayBefore(u.ValidFrom)
		}
		y := yearOf(day)
		years[y], years[y-1], years[y-2] = true, true, true
		a.eachMovedArea(u, forward, func(old, _ unit.Unit, _ float64) { areas[old.ID] = old })
	}
	if len(areas) == 0 {
		return nil
	}
	var periods []string
	for y := range years {
		for _, q := range (period.Period{Type: period.Yearly, Year: y}).Within(wt.e.Type) {
			periods = append(periods, q.String())
		}
	}
	sort.Strings(periods)
	list := make([]unit.Unit, 0, len(areas))
	for _, u := range areas {
		list = append(list, u)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	return a.src.LoadOwnAt(ctx, list, []int64{wt.e.ID}, periods, wt.vals)
}

// need is one element to carry, for its periods, read at the units of the
// day in at (the unit a reading is for, and the units its coverage counts).
type need struct {
	e       *value.Element
	periods []string
	at      map[int64]bool
}

// carry reads the needed values of the lineage and carries them onto the
// day's tree, into a set the evaluator reads: each unit of the day's own
// figure and the roll-up below it.
func (a *Across) carry(ctx context.Context, needs []*need, re *Reassignment) (*Values, error) {
	out := NewValues()
	// Elements read at the same units for the same periods under the same
	// rule are carried together: one walk of the lineage, one read.
	type group struct {
		rule    Rule
		ids     []int64
		codes   []string
		periods []string
		at      map[int64]bool
		aggs    map[int64]program.Aggregation
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, n := range needs {
		r := a.Rule(n.e.Code)
		re.Rules[n.e.Code] = r
		if err := a.loadWeights(ctx, r); err != nil {
			return nil, err
		}
		at := make([]int64, 0, len(n.at))
		for id := range n.at {
			at = append(at, id)
		}
		sort.Slice(at, func(i, j int) bool { return at[i] < at[j] })
		var b strings.Builder
		b.WriteString(r.key() + "|" + strings.Join(n.periods, ",") + "|")
		for _, id := range at {
			b.WriteString(strconv.FormatInt(id, 10) + ",")
		}
		g := byKey[b.String()]
		if g == nil {
			g = &group{rule: r, periods: n.periods, at: n.at, aggs: map[int64]program.Aggregation{}}
			byKey[b.String()] = g
			groups = append(groups, g)
		}
		g.ids = append(g.ids, n.e.ID)
		g.codes = append(g.codes, n.e.Code)
		g.aggs[n.e.ID&0xfff] = n.e.Aggregation // as cell keys hold it
	}
	for _, g := range groups {
		if err := a.carryGroup(ctx, g.rule, g.ids, g.codes, g.periods, g.at, g.aggs, out, re); err != nil {
			return nil, err
		}
	}
	bySplit := func(list []*Split) {
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].From.Path != list[j].From.Path {
				return list[i].From.Path < list[j].From.Path
			}
			return list[i].Rule.key() < list[j].Rule.key()
		})
	}
	bySplit(re.Splits)
	for _, list := range re.Touched {
		bySplit(list)
	}
	sort.SliceStable(re.Moves, func(i, j int) bool {
		x, y := re.Moves[i], re.Moves[j]
		switch {
		case x.Split.From.Path != y.Split.From.Path:
			return x.Split.From.Path < y.Split.From.Path
		case x.Element != y.Element:
			return x.Element < y.Element
		case x.Period != y.Period:
			return x.Period < y.Period
		}
		return x.To.Path < y.To.Path
	})
	re.moves = nil
	return out, nil
}

// walkInfo is a lineage unit's place relative to the day's tree under one
// rule: the lowest unit of the day all its subtree's values land under,
// whether any of them is lost (lands outside the root's tree), and whether
// it lands anywhere at all.
type walkInfo struct {
	span  int64
	lossy bool
	some  bool
}

func (a *Across) carryGroup(ctx context.Context, r Rule, ids []int64, codes []string, periods []string, at map[int64]bool,
	aggs map[int64]program.Aggregation, out *Values, re *Reassignment) error {
	// A unit of the day needs detail when a reading looks at a unit
	// strictly below it: then what lands under it must land where it
	// belongs, not as one lump.
	detail := map[int64]bool{}
	for id := range at {
		for p := a.dParent[id]; p != 0 && a.inDay(p); p = a.dParent[p] {
			if detail[p] {
				break
			}
			detail[p] = true
		}
	}
	info := a.spans(r)
	span := func(id int64) walkInfo { return info[id] }
	ownBelow := func(id int64) bool { return a.ownBelow(r, id) }
	var lumps, singles []unit.Unit
	var visit func(id int64)
	visit = func(id int64) {
		x := span(id)
		if !x.some {
			return
		}
		u := a.lin.Units[id]
		if len(a.kids[id]) > 0 && !x.lossy && !detail[x.span] && !ownBelow(id) {
			lumps = append(lumps, u)
			return
		}
		singles = append(singles, u)
		for _, c := range a.kids[id] {
			visit(c)
		}
	}
	for _, root := range a.lin.Ranges {
		visit(root.ID)
	}

	// Each unit is read for the elements units of its kind report, and
	// a lump's roll-up for those reported below it, as the scorecard reads
	// own values (loadOwnForTargets): a commune has no households of its
	// own, and asking for them at a thousand units is most of the reading.
	raw := NewValues()
	byKind := map[unit.Kind][]unit.Unit{}
	for _, u := range append(append([]unit.Unit(nil), lumps...), singles...) {
		byKind[u.Kind] = append(byKind[u.Kind], u)
	}
	for _, k := range unit.Kinds {
		if us := byKind[k]; len(us) > 0 {
			if els := a.collected(ids, func(e *value.Element) bool { return e.CollectedAtKind(k) }); len(els) > 0 {
				if err := a.readOwn(ctx, us, els, periods, raw); err != nil {
					return err
				}
			}
		}
	}
	loadBelow := a.src.LoadBelowAt
	if many, ok := a.src.(periodsLoader); ok && len(periods) > 2 {
		loadBelow = many.LoadBelowAtPeriods
	}
	lumpsByKind := map[unit.Kind][]unit.Unit{}
	for _, u := range lumps {
		lumpsByKind[u.Kind] = append(lumpsByKind[u.Kind], u)
	}
	for _, k := range unit.Kinds {
		us := lumpsByKind[k]
		if len(us) == 0 {
			continue
		}
		els := a.collected(ids, func(e *value.Element) bool {
			for _, c := range e.CollectedAt {
				if c.Rank() > k.Rank() || (c == unit.MemberOrg && k != unit.MemberOrg) {
					return true
				}
			}
			return false
		})
		if len(els) > 0 {
			if err := loadBelow(ctx, us, els, periods, raw); err != nil {
				return err
			}
		}
	}

	type acc struct {
		own, extra map[cellKey]Cell
	}
	c := acc{own: map[cellKey]Cell{}, extra: map[cellKey]Cell{}}
	add := func(m map[cellKey]Cell, k cellKey, v float64, n int, agg program.Aggregation) {
		x := m[k]
		if agg == program.Max && x.N > 0 {
			x.Value = max(x.Value, v)
		} else {
			x.Value += v
		}
		x.N += n
		m[k] = x
	}
	codeOf := map[int64]string{}
	for i, id := range ids {
		codeOf[id] = codes[i]
	}
	pidx := make([]int32, len(periods))
	rawIdx := make([]int32, len(periods))
	for i, p := range periods {
		pidx[i] = out.periodIndex(p)
		rawIdx[i] = raw.periodIndex(p)
	}
	touchedBy := map[int64]map[string]bool{} // single unit → the elements of its values a split shared
	for _, u := range singles {
		shares := a.mapOf(u.ID, r)
		split := false
		for _, s := range shares {
			split = split || s.split
		}
		for _, eid := range ids {
			agg := aggs[eid&0xfff]
			for i := range periods {
				cell, ok := raw.own[makeKey(u.ID, eid, rawIdx[i])]
				if !ok || cell.N == 0 {
					continue
				}
				if split {
					if touchedBy[u.ID] == nil {
						touchedBy[u.ID] = map[string]bool{}
					}
					touchedBy[u.ID][codeOf[eid]] = true
				}
				for _, s := range shares {
					v := s.w * cell.Value
					if agg == program.Max {
						v = cell.Value
					}
					if s.split {
						a.noteMove(re, r, u, codeOf[eid], periods[i], s, v)
					}
					k := makeKey(s.to, eid, pidx[i])
					if s.own {
						add(c.own, k, v, 1, agg)
					} else {
						add(c.extra, k, v, 1, agg)
					}
				}
			}
		}
	}
	for _, u := range lumps {
		shares := a.mapOf(u.ID, r)
		sp := info[u.ID].span
		for _, eid := range ids {
			agg := aggs[eid&0xfff]
			for i := range periods {
				k := makeKey(u.ID, eid, rawIdx[i])
				if own, ok := raw.own[k]; ok && own.N > 0 {
					for _, s := range shares {
						v := s.w * own.Value
						if agg == program.Max {
							v = own.Value
						}
						if s.own {
							add(c.own, makeKey(s.to, eid, pidx[i]), v, 1, agg)
						} else {
							add(c.extra, makeKey(s.to, eid, pidx[i]), v, 1, agg)
						}
					}
				}
				if below, ok := raw.below[k]; ok && below.N > 0 {
					add(c.extra, makeKey(sp, eid, pidx[i]), below.Value, below.N, agg)
				}
			}
		}
	}
	// What lands at a unit adds up in every unit above it on the day's
	// tree, as the stored roll-up does on the tree it was entered on.
	keyUnit := func(k cellKey) int64 { return int64(uint64(k) >> 24) }
	rekey := func(k cellKey, id int64) cellKey { return cellKey(uint64(id)<<24 | uint64(k)&0xffffff) }
	below := map[cellKey]Cell{}
	aggOf := func(k cellKey) program.Aggregation { return aggs[int64(uint64(k)>>12&0xfff)] }
	for k, x := range c.own {
		for p := a.dParent[keyUnit(k)]; p != 0 && a.inDay(p); p = a.dParent[p] {
			add(below, rekey(k, p), x.Value, x.N, aggOf(k))
		}
		out.own[k] = x
	}
	for k, x := range c.extra {
		add(below, k, x.Value, x.N, aggOf(k))
		for p := a.dParent[keyUnit(k)]; p != 0 && a.inDay(p); p = a.dParent[p] {
			add(below, rekey(k, p), x.Value, x.N, aggOf(k))
		}
	}
	for k, x := range below {
		out.below[k] = x
	}
	a.noteTouched(r, touchedBy, at, re)
	return nil
}

// collected lists the elements among ids that keep.
func (a *Across) collected(ids []int64, keep func(*value.Element) bool) []int64 {
	byID := map[int64]*value.Element{}
	for _, e := range a.elements {
		byID[e.ID] = e
	}
	var out []int64
	for _, id := range ids {
		if e, ok := byID[id]; ok && keep(e) {
			out = append(out, id)
		}
	}
	return out
}

// spans works out, once per rule, where each lineage unit's subtree
// lands on the day's tree (walkInfo).
func (a *Across) spans(r Rule) map[int64]walkInfo {
	k := r.key()
	if info, ok := a.spanInfo[k]; ok {
		return info
	}
	info := map[int64]walkInfo{}
	var span func(id int64) walkInfo
	span = func(id int64) walkInfo {
		if x, ok := info[id]; ok {
			return x
		}
		var x walkInfo
		var w float64
		for _, s := range a.mapOf(id, r) {
			w += s.w
			if !x.some {
				x.span, x.some = s.to, true
			} else {
				x.span = a.lca(x.span, s.to)
			}
		}
		x.lossy = w < 1-1e-9
		for _, c := range a.kids[id] {
			cx := span(c)
			x.lossy = x.lossy || cx.lossy
			if !cx.some {
				continue
			}
			if !x.some {
				x.span, x.some = cx.span, true
			} else {
				x.span = a.lca(x.span, cx.span)
			}
		}
		info[id] = x
		return x
	}
	for _, root := range a.lin.Ranges {
		span(root.ID)
	}
	a.spanInfo[k] = info
	return info
}

// ownBelow reports whether some unit strictly below id lands as the own
// figure of the unit id's subtree spans: a lump (read as a roll-up) could
// not tell it from a figure below. Worked out once per rule and unit.
func (a *Across) ownBelow(r Rule, id int64) bool {
	k := r.key()
	memo := a.ownBelowMemo[k]
	if memo == nil {
		memo = map[int64]bool{}
		a.ownBelowMemo[k] = memo
	}
	if v, ok := memo[id]; ok {
		return v
	}
	t := a.spans(r)[id].span
	var walk func(id int64) bool
	walk = func(id int64) bool {
		for _, c := range a.kids[id] {
			for _, s := range a.mapOf(c, r) {
				if s.own && s.to == t {
					return true
				}
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	v := walk(id)
	memo[id] = v
	return v
}

// readOwn reads the values entered at the units: by a range over a
// lineage range when most of its units are read, else unit by unit.
func (a *Across) readOwn(ctx context.Context, units []unit.Unit, ids []int64, periods []string, into *Values) error {
	if len(units) == 0 {
		return nil
	}
	perRange := make([][]unit.Unit, len(a.lin.Ranges))
	size := make([]int, len(a.lin.Ranges))
	rangeOf := func(u unit.Unit) int {
		for i, r := range a.lin.Ranges {
			if unit.InSubtree(u.Path, r.Path) {
				return i
			}
		}
		return -1
	}
	for _, u := range a.lin.Units {
		if i := rangeOf(u); i >= 0 {
			size[i]++
		}
	}
	var each []unit.Unit
	for _, u := range units {
		if i := rangeOf(u); i >= 0 {
			perRange[i] = append(perRange[i], u)
		} else {
			each = append(each, u)
		}
	}
	for i, us := range perRange {
		if len(us) > 400 && 3*len(us) >= size[i] {
			if err := a.src.LoadOwn(ctx, a.lin.Ranges[i], ids, periods, into); err != nil {
				return err
			}
			continue
		}
		each = append(each, us...)
	}
	if many, ok := a.src.(periodsLoader); ok && len(periods) > 2 {
		return many.LoadOwnAtPeriods(ctx, each, ids, periods, into)
	}
	return a.src.LoadOwnAt(ctx, each, ids, periods, into)
}

// noteTouched records, for each unit read, the splits that changed its
// figure of an element: a split some but not all of whose parts land under
// the unit (a part given nothing by "largest" counts: the rule decided
// it).
func (a *Across) noteTouched(r Rule, touchedBy map[int64]map[string]bool, at map[int64]bool, re *Reassignment) {
	done := map[*Split]map[string]bool{}
	for id, codes := range touchedBy {
		for _, sp := range a.splitsOn(id, r) {
			if done[sp] == nil {
				done[sp] = map[string]bool{}
			}
			var fresh []string
			for code := range codes {
				if !done[sp][code] {
					done[sp][code] = true
					fresh = append(fresh, code)
				}
			}
			if len(fresh) == 0 {
				continue
			}
			sort.Strings(fresh)
			for _, code := range fresh {
				if !containsString(sp.Elements, code) {
					sp.Elements = append(sp.Elements, code)
				}
			}
			re.Splits = appendOnce(re.Splits, sp)
			// For each unit of the day, how many of the split's parts land
			// under it.
			count := map[int64]int{}
			for _, part := range sp.Parts {
				mine := map[int64]bool{}
				for _, s := range a.mapOf(part.Unit.ID, r) {
					for t := s.to; t != 0 && a.inDay(t); t = a.dParent[t] {
						mine[t] = true
					}
				}
				for t := range mine {
					count[t]++
				}
			}
			for t, n := range count {
				if !at[t] || n == len(sp.Parts) {
					continue
				}
				for _, code := range fresh {
					k := TouchKey{t, code}
					if !containsSplit(re.Touched[k], sp) {
						re.Touched[k] = append(re.Touched[k], sp)
					}
				}
			}
		}
	}
}

// splitsOn lists the splits on the way from a unit to the day's tree.
func (a *Across) splitsOn(id int64, r Rule) []*Split {
	k := r.key()
	if a.splitsMemo[k] == nil {
		a.splitsMemo[k] = map[int64][]*Split{}
	}
	if out, ok := a.splitsMemo[k][id]; ok {
		return out
	}
	out := a.findSplits(id, r)
	a.splitsMemo[k][id] = out
	return out
}

func (a *Across) findSplits(id int64, r Rule) []*Split {
	var out []*Split
	seen := map[int64]bool{}
	var walk func(id int64)
	walk = func(id int64) {
		if seen[id] {
			return
		}
		seen[id] = true
		u, ok := a.lin.Units[id]
		if !ok || (u.ValidOn(a.date) && a.inDay(id)) {
			return
		}
		edges, forward := a.lin.Next[id], true
		if u.ValidFrom > a.date {
			edges, forward = a.lin.Prev[id], false
		}
		if len(edges) == 0 {
			walk(u.ParentID)
			return
		}
		if len(edges) > 1 {
			if s := a.splits[r.key()][id]; s != nil {
				out = append(out, s)
			}
		}
		for _, e := range edges {
			if forward {
				walk(e.To)
			} else {
				walk(e.From)
			}
		}
	}
	walk(id)
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsSplit(list []*Split, s *Split) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func appendOnce(list []*Split, s *Split) []*Split {
	if containsSplit(list, s) {
		return list
	}
	return append(list, s)
}

func (a *Across) newReassignment() *Reassignment {
	return &Reassignment{Date: a.date, Changed: a.lin.Changed(), Rules: map[string]Rule{}, Touched: map[TouchKey][]*Split{}}
}

// elementPeriods lists the periods of e read for a target over p: e's own
// periods inside p, and last year's for "≥ last year".
func elementPeriods(e *value.Element, c program.Condition, p period.Period, into map[string]bool) {
	for _, q := range p.Within(e.Type) {
		into[q.String()] = true
	}
	if c.Comparator == program.GEPreviousYear {
		for _, q := range p.PreviousYear().Within(e.Type) {
			into[q.String()] = true
		}
	}
}

// needsFor lists what evaluating the targets over the periods reads: each
// element, its periods, and the units of the day it is read at (units, for
// their own readings; atTarget adds units per target, for coverage).
func (a *Across) needsFor(targets []program.Target, periods []period.Period, units []unit.Unit, atTarget func(i int) []unit.Unit) ([]*need, error) {
	byID := map[int64]*need{}
	sets := map[int64]map[string]bool{}
	var order []int64
	for i, t := range targets {
		for _, c := range t.Conditions {
			for _, code := range c.ElementCodes() {
				e, ok := a.elements[code]
				if !ok {
					return nil, fmt.Errorf("chỉ tiêu %s dùng chỉ số %s chưa có trong cơ sở dữ liệu", t.Code, code)
				}
				n := byID[e.ID]
				if n == nil {
					n = &need{e: e, at: map[int64]bool{}}
					byID[e.ID] = n
					sets[e.ID] = map[string]bool{}
					order = append(order, e.ID)
				}
				for _, p := range periods {
					elementPeriods(e, c, p, sets[e.ID])
				}
				for _, u := range units {
					n.at[u.ID] = true
				}
				if atTarget != nil {
					for _, u := range atTarget(i) {
						n.at[u.ID] = true
					}
				}
			}
		}
	}
	out := make([]*need, 0, len(order))
	for _, id := range order {
		n := byID[id]
		for q := range sets[id] {
			n.periods = append(n.periods, q)
		}
		sort.Strings(n.periods)
		out = append(out, n)
	}
	return out, nil
}

// Scorecard is prog's scorecard at u, a unit of the day's tree, for p,
// with every figure carried onto that tree.
func (a *Across) Scorecard(ctx context.Context, prog *program.Program, u unit.Unit, p period.Period) (*Card, *Reassignment, error) {
	if !a.inDay(u.ID) {
		return nil, nil, fmt.Errorf("đơn vị %s không thuộc cây đơn vị ngày %s đang đọc", u.Name, a.date)
	}
	targets := prog.Targets()
	list, err := a.src.UnitThresholds(ctx, prog)
	if err != nil {
		return nil, nil, err
	}
	own := newOwnThresholds(prog, list)
	ownTargets := own.targets()
	var tree []unit.Unit
	for _, x := range a.tree {
		if unit.InSubtree(x.Path, u.Path) {
			tree = append(tree, x)
		}
	}
	children := map[int64][]int{}
	for i := range tree {
		children[tree[i].ParentID] = append(children[tree[i].ParentID], i)
	}
	coverageUnits := make([][]unit.Unit, len(targets))
	byKinds := map[string][]unit.Unit{}
	for i, t := range targets {
		key := kindsKey(t)
		if ownTargets[t.Code] {
			key += "|" + t.Code
		}
		units, ok := byKinds[key]
		if !ok {
			units = nextApplicable(t, u, tree, children, own)
			byKinds[key] = units
		}
		coverageUnits[i] = units
	}
	needs, err := a.needsFor(targets, []period.Period{p}, []unit.Unit{u}, func(i int) []unit.Unit { return coverageUnits[i] })
	if err != nil {
		return nil, nil, err
	}
	re := a.newReassignment()
	values, err := a.carry(ctx, needs, re)
	if err != nil {
		return nil, nil, err
	}
	ev := &evaluator{values: values, elements: a.elements, own: own}
	card := &Card{Program: prog, Unit: u, Period: p, Date: a.date}
	for i, t := range targets {
		res := TargetResult{Target: t}
		tt, _ := period.ParseType(t.PeriodType)
		if tt > p.Type {
			res.Own = Reading{Status: NotApplicable}
			res.Coverage = Coverage{Status: NotApplicable}
			card.Targets = append(card.Targets, res)
			continue
		}
		res.Own = ev.target(t, u, p)
		res.Coverage = ev.coverage(t, coverageUnits[i], p)
		card.Targets = append(card.Targets, res)
	}
	return card, re, nil
}

// Evaluate reads the own readings of targets (nil: every target of prog)
// at units of the day's tree, for each of the periods, with every figure
// carried onto that tree: a unit's trend across the change.
func (a *Across) Evaluate(ctx context.Context, prog *program.Program, targets []program.Target, units []unit.Unit, periods []period.Period) (*Readings, *Reassignment, error) {
	out := &Readings{m: map[readingKey]Reading{}}
	if targets == nil {
		targets = prog.Targets()
	}
	re := a.newReassignment()
	if len(targets) == 0 || len(units) == 0 || len(periods) == 0 {
		return out, re, nil
	}
	for _, u := range units {
		if !a.inDay(u.ID) {
			return nil, nil, fmt.Errorf("đơn vị %s không thuộc cây đơn vị ngày %s đang đọc", u.Name, a.date)
		}
	}
	list, err := a.src.UnitThresholds(ctx, prog)
	if err != nil {
		return nil, nil, err
	}
	needs, err := a.needsFor(targets, periods, units, nil)
	if err != nil {
		return nil, nil, err
	}
	values, err := a.carry(ctx, needs, re)
	if err != nil {
		return nil, nil, err
	}
	ev := &evaluator{values: values, elements: a.elements, own: newOwnThresholds(prog, list)}
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
	return out, re, nil
}

// Analytics is an element's figure at u, a unit of the day's tree, over
// p, and the figure of each of children (units of that tree), every value
// carried onto it.
func (a *Across) Analytics(ctx context.Context, e *value.Element, u unit.Unit, children []unit.Unit, p period.Period) (Point, []Point, *Reassignment, error) {
	at := map[int64]bool{u.ID: true}
	for _, c := range children {
		if !a.inDay(c.ID) {
			return Point{}, nil, nil, fmt.Errorf("đơn vị %s không thuộc cây đơn vị ngày %s đang đọc", c.Name, a.date)
		}
		at[c.ID] = true
	}
	n := &need{e: e, at: at}
	for _, q := range p.Within(e.Type) {
		n.periods = append(n.periods, q.String())
	}
	re := a.newReassignment()
	values := NewValues()
	if len(n.periods) > 0 {
		var err error
		if values, err = a.carry(ctx, []*need{n}, re); err != nil {
			return Point{}, nil, nil, err
		}
	} else {
		re.Rules[e.Code] = a.Rule(e.Code)
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
	return point(u), out, re, nil
}

// Sources are the units whose values a unit of the day's tree is carried
// from: each linked unit and how much of it lands in the unit's subtree
// under the element's rule, for the notes that say where a figure came
// from.
func (a *Across) Sources(ctx context.Context, u unit.Unit, element string) ([]SplitPart, error) {
	r := a.Rule(element)
	if err := a.loadWeights(ctx, r); err != nil {
		return nil, err
	}
	var out []SplitPart
	for _, rt := range a.lin.Ranges {
		var walk func(id int64)
		walk = func(id int64) {
			x := a.lin.Units[id]
			if len(a.lin.Next[id]) > 0 || len(a.lin.Prev[id]) > 0 {
				if x.ValidOn(a.date) {
					return
				}
				var in float64
				for _, s := range a.mapOf(id, r) {
					if a.under(s.to, u.ID) {
						in += s.w
					}
				}
				if in > 1e-9 {
					out = append(out, SplitPart{Unit: x, Share: in})
				}
			}
			for _, c := range a.kids[id] {
				walk(c)
			}
		}
		walk(rt.ID)
	}
	// The top of each chain only: a new commune came from old communes,
	// not from their residential areas too.
	sort.Slice(out, func(i, j int) bool { return out[i].Unit.Path < out[j].Unit.Path })
	var top []SplitPart
	for _, s := range out {
		if len(top) > 0 && unit.InSubtree(s.Unit.Path, top[len(top)-1].Unit.Path) {
			continue
		}
		top = append(top, s)
	}
	return top, nil
}
