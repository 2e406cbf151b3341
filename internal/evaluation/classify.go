package evaluation

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"mattran/internal/vn"
)

// Rank classifies and ranks the sheets of every unit a guide scores, in
// place, and returns them in rank order: the bands give each its class;
// the cap, if the guide has one, moves those over it down a class, the
// lowest in rank order first; ranks are counted across the level and in
// each cluster (Sheet.Cluster), units equal on every tie-break key sharing
// a rank (1, 1, 3); and the leading units of each cluster are proposed
// for the guide's titles.
func Rank(g *Guide, sheets []*Sheet) []*Sheet {
	keys := g.TieBreakOrDefault()
	better := func(a, b *Sheet) int { return compareSheets(keys, a, b) }
	order := slices.Clone(sheets)
	slices.SortStableFunc(order, func(a, b *Sheet) int {
		if c := better(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.Unit.Code, b.Unit.Code)
	})
	for _, s := range order {
		s.Class, s.Dropped = s.Band, false
	}
	if g.Cap != nil {
		if g.Cap.Scope == "cluster" {
			for _, members := range byCluster(order) {
				applyCap(g.Cap, members, better)
			}
		} else {
			applyCap(g.Cap, order, better)
		}
	}
	assignRanks(order, better, func(s *Sheet, r int) { s.Rank = r })
	for _, members := range byCluster(order) {
		if members[0].Cluster == "" {
			continue
		}
		assignRanks(members, better, func(s *Sheet, r int) { s.ClusterRank = r })
		proposeTitles(g.Titles, members, better)
	}
	return order
}

// compareSheets orders a before b (negative) when a is better by the
// first tie-break key that tells them apart.
func compareSheets(keys []string, a, b *Sheet) int {
	for _, k := range keys {
		var c int
		switch {
		case k == ByTotal:
			c = cmp.Compare(b.Total, a.Total)
		case k == ByDerived:
			c = cmp.Compare(b.Derived, a.Derived)
		case k == ByDeductions:
			c = cmp.Compare(a.Deduction, b.Deduction)
		case strings.HasPrefix(k, ByGroup):
			code := strings.TrimPrefix(k, ByGroup)
			c = cmp.Compare(groupPoints(b, code), groupPoints(a, code))
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func groupPoints(s *Sheet, code string) Points {
	for _, g := range s.Groups {
		if g.Code == code {
			return g.Points
		}
	}
	return 0
}

// byCluster splits sheets (in rank order) by cluster, keeping the order,
// clusters in the order of their best unit.
func byCluster(order []*Sheet) [][]*Sheet {
	idx := map[string]int{}
	var out [][]*Sheet
	for _, s := range order {
		i, ok := idx[s.Cluster]
		if !ok {
			i = len(out)
			idx[s.Cluster] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], s)
	}
	return out
}

// applyCap moves the units over the cap down one class, the lowest in
// rank order first. The count it is a share of is the units whose band is
// cap.Of or better, before the cap: those rated xuất sắc are also good
// enough for tốt, and one dropped stays among them. Units equal on every
// tie-break key keep or drop their class together: a unit's code does not
// decide a class, so when the cap falls inside a tie, the whole tie drops.
func applyCap(c *Cap, order []*Sheet, better func(a, b *Sheet) int) {
	n := 0
	for _, s := range order {
		if s.Class.order() <= c.Of.order() {
			n++
		}
	}
	allowed := int(math.Floor(c.Percent*float64(n)/100 + 1e-9))
	next := Classes[c.Class.order()+1]
	kept, full := 0, false
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && better(order[i], order[j]) == 0 {
			j++
		}
		tie := 0
		for _, s := range order[i:j] {
			if s.Class == c.Class {
				tie++
			}
		}
		if tie > 0 && (full || kept+tie > allowed) {
			full = true
			for _, s := range order[i:j] {
				if s.Class == c.Class {
					s.Class, s.Dropped = next, true
				}
			}
		} else {
			kept += tie
		}
		i = j
	}
}

// Text says the cap in Vietnamese, for the pages and the report.
func (c *Cap) Text() string {
	s := fmt.Sprintf("số đơn vị %s không quá %s%% số đơn vị xếp loại %s trở lên", strings.ToLower(c.Class.Short()),
		vn.FormatExact(c.Percent), strings.ToLower(c.Of.Short()))
	if c.Scope == "cluster" {
		s += " trong từng cụm"
	}
	return s + "; khi vượt, đơn vị xếp sau cùng xuống một loại, các đơn vị đồng hạng ở ngưỡng cùng xuống"
}

// assignRanks gives competition ranks (1, 1, 3) in order.
func assignRanks(order []*Sheet, better func(a, b *Sheet) int, set func(*Sheet, int)) {
	prev := 0
	for i, s := range order {
		r := i + 1
		if i > 0 && better(order[i-1], s) == 0 {
			r = prev
		}
		set(s, r)
		prev = r
	}
}

// proposeTitles proposes each title to the next PerCluster units of the
// cluster, in rank order, whose class is MinClass or better; a unit equal
// on every tie-break key to the last one proposed is proposed too (the
// leader, who confirms the list, decides between them).
func proposeTitles(titles []Title, members []*Sheet, better func(a, b *Sheet) int) {
	for _, s := range members {
		s.Title = ""
	}
	i := 0
	for _, t := range titles {
		given := 0
		for ; i < len(members); i++ {
			s := members[i]
			tied := given > 0 && better(members[i-1], s) == 0
			if given >= t.PerCluster && !tied || s.Class.order() > t.MinClass.order() {
				break
			}
			s.Title = t.Code
			given++
		}
	}
}

// TitleName is a title's name in the guide, or its code.
func (g *Guide) TitleName(code string) string {
	for _, t := range g.Titles {
		if t.Code == code {
			return t.Name
		}
	}
	return code
}
