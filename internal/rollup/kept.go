package rollup

import (
	"mattran/internal/program"
	"mattran/internal/unit"
)

// Holds says which units a program's targets hold at: by the unit's kind,
// or by a threshold of the unit's own. A unit a target holds at is counted
// in the coverage of the units above it, up to the first of them the
// target holds at too.
type Holds struct{ own ownThresholds }

// NewHolds reads the units' own thresholds of prog's family
// (Source.UnitThresholds).
func NewHolds(prog *program.Program, list []program.UnitThreshold) Holds {
	return Holds{own: newOwnThresholds(prog, list)}
}

// At reports whether t holds at u.
func (h Holds) At(t program.Target, u unit.Unit) bool {
	return t.AppliesToKind(u.Kind) || h.own.of(u.Code, t.Code) != nil
}

// Counts are how the units a coverage counts read, kept apart by kind:
// what a scorecard kept in the database adds up instead of the readings.
type Counts struct {
	// Kinds in the order a walk down the tree first meets a counted unit of
	// each (units that read "not applicable" are not counted).
	Kinds                        []unit.Kind
	Met, NotMet, NoData, Tracked int
}

// Add counts n units of a kind reading s. Kinds are added in the order
// of their first counted unit.
func (c *Counts) Add(s Status, k unit.Kind, n int) {
	switch s {
	case NotApplicable:
		return
	case Met:
		c.Met += n
	case NotMet:
		c.NotMet += n
	case NoData:
		c.NoData += n
	case Tracked:
		c.Tracked += n
	}
	for _, x := range c.Kinds {
		if x == k {
			return
		}
	}
	c.Kinds = append(c.Kinds, k)
}

// Coverage is the coverage these counts make, as CoverageOf makes it from
// the readings themselves (without Below).
func (c Counts) Coverage() Coverage {
	cov := Coverage{Status: NotApplicable, Kinds: c.Kinds, Met: c.Met, NotMet: c.NotMet, NoData: c.NoData}
	cov.Units = c.Met + c.NotMet + c.NoData + c.Tracked
	return finishCoverage(cov, c.Tracked)
}
