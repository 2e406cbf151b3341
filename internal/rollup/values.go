// Package rollup aggregates data values up the tree and over time, and
// evaluates targets: each unit's own reading and the coverage of the units
// below it. It reads through the Source interface, which the store
// implements; values are read as written, with no batch job in between.
package rollup

import (
	"context"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// Source is what the roll-up reads from storage.
type Source interface {
	// Subtree returns u and every unit below it on date, parents first.
	Subtree(ctx context.Context, u unit.Unit, date string) ([]unit.Unit, error)
	Elements(ctx context.Context) (map[string]*value.Element, error)
	// LoadBelow adds the stored roll-ups (the totals of what lies strictly
	// below a unit) of every unit in root's subtree.
	LoadBelow(ctx context.Context, root unit.Unit, elementIDs []int64, periods []string, into *Values) error
	// LoadOwn adds the values entered at every unit in root's subtree.
	LoadOwn(ctx context.Context, root unit.Unit, elementIDs []int64, periods []string, into *Values) error
	// LoadOwnAt and LoadBelowAt add the values and roll-ups of exactly
	// these units.
	LoadOwnAt(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *Values) error
	LoadBelowAt(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *Values) error
	// UnitThresholds returns the units' own thresholds and quotas in the
	// family of programs prog belongs to (program.UnitThreshold).
	UnitThresholds(ctx context.Context, prog *program.Program) ([]program.UnitThreshold, error)
}

// Cell is a stored figure and how many values went into it.
type Cell struct {
	Value float64
	N     int
}

// cellKey packs unit id (40 bits), element id (12) and period index (12)
// into one integer: a province's scorecard reads tens of thousands of
// cells, and Go's maps are fastest on 64-bit keys.
type cellKey uint64

// Values holds loaded figures: each unit's own values, and the roll-up of
// what lies below it. A unit's subtree total is the two combined.
type Values struct {
	own, below map[cellKey]Cell
	periods    map[string]int32
	// within caches, for a period and an element's period type, the
	// indices of the periods inside it: evaluating coverage over thousands
	// of units asks the same question thousands of times.
	within map[withinKey][]int32
}

type withinKey struct {
	p period.Period
	t period.Type
}

// NewValues returns an empty set.
func NewValues() *Values {
	return &Values{own: map[cellKey]Cell{}, below: map[cellKey]Cell{}, periods: map[string]int32{}, within: map[withinKey][]int32{}}
}

// maxSizeHint caps a size hint, so a bad estimate cannot allocate much.
const maxSizeHint = 1 << 20

// reserveOwn makes room for about n own values before they are loaded, so
// that loading does not regrow the map cell by cell. It only acts on a set
// that holds no own values yet.
func (v *Values) reserveOwn(n int) {
	if len(v.own) == 0 && n > 0 {
		v.own = make(map[cellKey]Cell, min(n, maxSizeHint))
	}
}

func (v *Values) periodIndex(period string) int32 {
	p, ok := v.periods[period]
	if !ok {
		p = int32(len(v.periods))
		v.periods[period] = p
	}
	return p
}

func (v *Values) key(unitID, elementID int64, period string) cellKey {
	return makeKey(unitID, elementID, v.periodIndex(period))
}

func makeKey(unitID, elementID int64, p int32) cellKey {
	return cellKey(uint64(unitID)<<24 | uint64(elementID&0xfff)<<12 | uint64(p&0xfff))
}

func (v *Values) periodsWithin(p period.Period, t period.Type) []int32 {
	k := withinKey{p, t}
	if idx, ok := v.within[k]; ok {
		return idx
	}
	var idx []int32
	for _, q := range p.Within(t) {
		idx = append(idx, v.periodIndex(q.String()))
	}
	v.within[k] = idx
	return idx
}

// AddOwn records a value entered at the unit itself.
func (v *Values) AddOwn(unitID, elementID int64, period string, x float64) {
	v.own[v.key(unitID, elementID, period)] = Cell{x, 1}
}

// AddBelow records the roll-up of the unit's strict descendants.
func (v *Values) AddBelow(unitID, elementID int64, period string, x float64, n int) {
	if n > 0 {
		v.below[v.key(unitID, elementID, period)] = Cell{x, n}
	}
}

// Figure returns an element's figure at u over p: the values entered at u
// alone (self) or over u's whole subtree, combined over the periods of the
// element's type inside p as the element's aggregation says. ok is false
// when no value went in.
func (v *Values) Figure(u unit.Unit, e *value.Element, p period.Period, scope program.Scope) (float64, bool) {
	periods := v.periodsWithin(p, e.Type)
	at := func(q int32) Cell {
		k := makeKey(u.ID, e.ID, q)
		own := v.own[k]
		if scope == program.Self {
			return own
		}
		below := v.below[k]
		switch {
		case own.N == 0:
			return below
		case below.N == 0:
			return own
		case e.Aggregation == program.Max:
			return Cell{max(own.Value, below.Value), own.N + below.N}
		}
		return Cell{own.Value + below.Value, own.N + below.N}
	}
	var total float64
	found := false
	switch e.Aggregation {
	case program.Last:
		// A stock: the latest period inside p that has figures.
		for i := len(periods) - 1; i >= 0; i-- {
			if c := at(periods[i]); c.N > 0 {
				return c.Value, true
			}
		}
	case program.Max:
		for _, q := range periods {
			if c := at(q); c.N > 0 && (!found || c.Value > total) {
				total, found = c.Value, true
			}
		}
	default:
		for _, q := range periods {
			if c := at(q); c.N > 0 {
				total += c.Value
				found = true
			}
		}
	}
	return total, found
}
