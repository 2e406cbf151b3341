package casework

import (
	"context"
	"slices"

	"mattran/internal/audit"
	"mattran/internal/unit"
)

// pending are the units and years whose figures a batch has changed; a
// nil pending writes them at once.
type pending map[unitYear]unit.Unit

type unitYear struct {
	unit int64
	year int
}

func (p pending) note(ctx context.Context, tx Tx, u unit.Unit, year int) error {
	if p == nil {
		return RefreshFigures(ctx, tx, []unit.Unit{u}, year)
	}
	p[unitYear{u.ID, year}] = u
	return nil
}

// flush writes the figures of every unit and year noted, a year at a time.
func (p pending) flush(ctx context.Context, tx Tx) error {
	byYear := map[int][]unit.Unit{}
	for k, u := range p {
		byYear[k.year] = append(byYear[k.year], u)
	}
	years := make([]int, 0, len(byYear))
	for y := range byYear {
		years = append(years, y)
	}
	slices.Sort(years)
	for _, y := range years {
		us := byYear[y]
		slices.SortFunc(us, func(a, b unit.Unit) int { return int(a.ID - b.ID) })
		if err := RefreshFigures(ctx, tx, us, y); err != nil {
			return err
		}
	}
	return nil
}

// Seed is a past case as a loader (the demo) gives it: its intake and
// what was done with it since.
type Seed struct {
	Unit    unit.Unit
	Handler string
	Intake  Intake
	Actions []Action
}

// ActivitySeed is a past activity as a loader gives it, and what was
// done since with each of its recommendations (Actions[i] for the i-th).
type ActivitySeed struct {
	Unit     unit.Unit
	Handler  string
	Activity NewActivity
	Actions  [][]Action
}

// Load records activities and cases with their actions through the same
// rules as the pages, then writes the figures of each unit and year once
// rather than after every step.
func Load(ctx context.Context, tx Tx, a audit.Actor, acts []ActivitySeed, seeds []Seed, s *Sealer) error {
	p := pending{}
	for _, x := range acts {
		act, err := record(ctx, tx, a, x.Handler, x.Unit, x.Activity, p)
		if err != nil {
			return err
		}
		for i, c := range act.Cases {
			if i >= len(x.Actions) {
				break
			}
			for _, step := range x.Actions[i] {
				if _, err := doAct(ctx, tx, a, c.ID, step, p); err != nil {
					return err
				}
			}
		}
	}
	for _, x := range seeds {
		c, err := open(ctx, tx, a, x.Handler, x.Unit, x.Intake, s, p)
		if err != nil {
			return err
		}
		for _, act := range x.Actions {
			if _, err := doAct(ctx, tx, a, c.ID, act, p); err != nil {
				return err
			}
		}
	}
	return p.flush(ctx, tx)
}
