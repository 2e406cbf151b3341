package unit

import (
	"cmp"
	"slices"
)

// CompareCodes orders units the way the official lists do: by their
// administrative code, shorter codes (higher levels) first. Every page
// that lists districts or communes uses this one order, so a district is
// in the same place on /submissions, on the public page and in exports.
func CompareCodes(a, b Unit) int {
	if c := cmp.Compare(len(a.Code), len(b.Code)); c != 0 {
		return c
	}
	return cmp.Compare(a.Code, b.Code)
}

// TreeOrder returns a subtree's units parent before children, siblings by
// CompareCodes: the order of the official list, whatever order the ids
// (and so the paths) were created in. Units whose parent is not in the
// list start a tree of their own.
func TreeOrder(units []Unit) []Unit {
	in := make(map[int64]bool, len(units))
	for _, u := range units {
		in[u.ID] = true
	}
	children := map[int64][]Unit{}
	var roots []Unit
	for _, u := range units {
		if in[u.ParentID] && u.ParentID != u.ID {
			children[u.ParentID] = append(children[u.ParentID], u)
		} else {
			roots = append(roots, u)
		}
	}
	out := make([]Unit, 0, len(units))
	var walk func(us []Unit)
	walk = func(us []Unit) {
		slices.SortStableFunc(us, CompareCodes)
		for _, u := range us {
			out = append(out, u)
			walk(children[u.ID])
		}
	}
	walk(roots)
	return out
}
