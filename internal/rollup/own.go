package rollup

import "mattran/internal/program"

// ownThresholds holds the units' own thresholds in a program family: unit
// code → target code → the threshold of each condition, nil where the
// program's holds. A unit with one is judged by it, and counts in its
// parent's coverage even where the target names no unit of its kind.
type ownThresholds map[string]map[string][]*float64

// newOwnThresholds keeps the thresholds that fit prog's targets. A unit
// with both a threshold of its own and an assigned quota for a condition
// is held to the stricter.
func newOwnThresholds(prog *program.Program, list []program.UnitThreshold) ownThresholds {
	if len(list) == 0 {
		return nil
	}
	own := ownThresholds{}
	for _, x := range list {
		t, ok := prog.Target(x.Target)
		if !ok || x.Condition < 0 || x.Condition >= len(t.Conditions) || !t.Conditions[x.Condition].Overridable() {
			continue
		}
		byTarget := own[x.Unit]
		if byTarget == nil {
			byTarget = map[string][]*float64{}
			own[x.Unit] = byTarget
		}
		conds := byTarget[x.Target]
		if conds == nil {
			conds = make([]*float64, len(t.Conditions))
			byTarget[x.Target] = conds
		}
		v := x.Threshold
		if old := conds[x.Condition]; old != nil {
			v = t.Conditions[x.Condition].Comparator.Stricter(*old, v)
		}
		conds[x.Condition] = &v
	}
	return own
}

// of returns a unit's own thresholds for a target, or nil.
func (o ownThresholds) of(unitCode, target string) []*float64 {
	if len(o) == 0 {
		return nil
	}
	return o[unitCode][target]
}

// targets lists the targets some unit has a threshold of its own for.
func (o ownThresholds) targets() map[string]bool {
	out := map[string]bool{}
	for _, byTarget := range o {
		for t := range byTarget {
			out[t] = true
		}
	}
	return out
}
