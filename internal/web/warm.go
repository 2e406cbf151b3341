package web

import (
	"context"

	"mattran/internal/period"
	"mattran/internal/unit"
)

// Warm renders the pages most asked for, so that the first readers after
// a start do not each wait for their own: for the current year of every
// program that is no unit's derived one, each committee's (province,
// district, commune) home page as its own users and the owner's users see
// it, its table of units below, and its public page. A server runs it at
// start, in the background; afterwards a write invalidates only the pages
// of the subtree it wrote to, and the next reader of those remakes them.
func (h *Web) Warm(ctx context.Context) error {
	progs, err := h.programs(ctx)
	if err != nil {
		return err
	}
	for _, prog := range progs {
		if prog.Derived() {
			continue
		}
		p := currentPeriod(prog, period.Yearly, h.Now()) // as scopeOf defaults, so the warmed pages are the ones asked for
		owner, err := h.Store.UnitDuring(ctx, prog.OwnerUnit, p.StartDate(), p.EndDate())
		if err != nil {
			return err
		}
		units, err := h.Store.Subtree(ctx, owner, p.EndDate())
		if err != nil {
			return err
		}
		sc := pageScope{progs: progs, prog: prog, first: firstProgram(progs), period: p}
		for _, u := range units {
			if u.Kind == unit.ResidentialArea || u.Kind == unit.MemberOrg {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			sc.unit = u
			if _, err := h.homeBody(ctx, sc, owner); err != nil {
				return err
			}
			if u.ID != owner.ID {
				if _, err := h.homeBody(ctx, sc, u); err != nil {
					return err
				}
			}
			if _, err := h.childrenBody(ctx, sc, owner, childrenAsk{path: "/home/children"}); err != nil {
				return err
			}
			if _, err := h.scorecardBody(ctx, sc); err != nil {
				return err
			}
		}
	}
	return nil
}
