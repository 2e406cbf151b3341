package unit

import "sort"

// Edge is a stored successor link between two unit versions, by id.
type Edge struct {
	From, To int64
	Kind     Succession
}

// Lineage is what reading figures on the tree of one day needs: that
// tree under a root, and every other version of the units that became it
// or that it became (through successor links, transitively), with
// everything below them, so that a figure entered at any of them can be
// carried onto the tree of the day.
//
// Figures are stored by unit path; a lineage is a few path ranges (the
// root's, and those of the linked units outside it), each holding every
// version under it.
type Lineage struct {
	Root  Unit   // the root on Date
	Date  string // the day of the tree figures are read on
	Units map[int64]Unit
	// Ranges are the roots of the path ranges the lineage covers: Root
	// first, then the linked units outside it, none inside another.
	Ranges []Unit
	Next   map[int64][]Edge // links out of a unit, to its successors
	Prev   map[int64][]Edge // links into a unit, from its predecessors
}

// NewLineage indexes units and the links among them. units must hold
// root and every version under each range root, and the units at the far
// end of links that leave the ranges (whose figures are not read, but
// which share a split and weigh it); links to units not given are dropped.
func NewLineage(root Unit, date string, ranges []Unit, units []Unit, edges []Edge) *Lineage {
	l := &Lineage{Root: root, Date: date, Units: make(map[int64]Unit, len(units)), Ranges: ranges,
		Next: map[int64][]Edge{}, Prev: map[int64][]Edge{}}
	for _, u := range units {
		l.Units[u.ID] = u
	}
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].From != edges[j].From {
			return edges[i].From < edges[j].From
		}
		return edges[i].To < edges[j].To
	})
	for _, e := range edges {
		if _, ok := l.Units[e.From]; !ok {
			continue
		}
		if _, ok := l.Units[e.To]; !ok {
			continue
		}
		l.Next[e.From] = append(l.Next[e.From], e)
		l.Prev[e.To] = append(l.Prev[e.To], e)
	}
	return l
}

// Tree returns the units of the lineage valid on its date under its
// root, parents first.
func (l *Lineage) Tree() []Unit {
	var out []Unit
	for _, u := range l.Units {
		if u.ValidOn(l.Date) && InSubtree(u.Path, l.Root.Path) {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Changed reports whether anything but the root's own tree of the day is
// in the lineage: another version under the root, or a linked unit.
func (l *Lineage) Changed() bool {
	if len(l.Ranges) > 1 {
		return true
	}
	for _, u := range l.Units {
		if !u.ValidOn(l.Date) {
			return true
		}
	}
	return false
}

// Ancestry lists the transitive predecessors (dir < 0) or successors
// (dir > 0) of a unit, breadth first, each with the link that reached it
// and its distance: what "units history" prints.
func Ancestry(start int64, links map[int64][]Edge, dir int) []Step {
	var out []Step
	seen := map[int64]bool{start: true}
	frontier := []int64{start}
	for depth := 1; len(frontier) > 0; depth++ {
		var next []int64
		for _, id := range frontier {
			for _, e := range links[id] {
				other := e.To
				if dir < 0 {
					other = e.From
				}
				if seen[other] {
					continue
				}
				seen[other] = true
				out = append(out, Step{Edge: e, Depth: depth})
				next = append(next, other)
			}
		}
		frontier = next
	}
	return out
}

// Step is one link of a unit's ancestry, Depth links away from it.
type Step struct {
	Edge
	Depth int
}
