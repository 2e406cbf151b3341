package evaluation

import (
	"cmp"
	"math"
	"slices"
	"strings"
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
				applyCap(g.Cap, members)
			}
		} else {
			applyCap(g.Cap, order)
		}
	}
	assignRanks(order, better, func(s *Sheet, r int) { s.Rank = r })
	for _, members := range byCluster(order) {
		if members[0].Cluster == "" {
			continue
		}
		assignRanks(members, better, func(s *Sheet, r int) { s.ClusterRank = r })
		proposeTitles(g.Titles, members)
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
// enough for tốt, and one dropped stays among them.
func applyCap(c *Cap, order []*Sheet) {
	n, held := 0, 0
	for _, s := range order {
		if s.Class.order() <= c.Of.order() {
			n++
		}
		if s.Class == c.Class {
			held++
		}
	}
	allowed := int(math.Floor(c.Percent*float64(n)/100 + 1e-9))
	over := held - allowed
	next := Classes[c.Class.order()+1]
	for i := len(order) - 1; i >= 0 && over > 0; i-- {
		if s := order[i]; s.Class == c.Class {
			s.Class, s.Dropped = next, true
			over--
		}
	}
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
// cluster, in rank order, whose class is MinClass or better.
func proposeTitles(titles []Title, members []*Sheet) {
	for _, s := range members {
		s.Title = ""
	}
	i := 0
	for _, t := range titles {
		given := 0
		for ; i < len(members) && given < t.PerCluster; i++ {
			s := members[i]
			if s.Class.order() > t.MinClass.order() {
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
