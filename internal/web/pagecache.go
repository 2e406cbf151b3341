package web

import (
	"bytes"
	"context"
	"html/template"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// readings are targets' own readings (nil: every target of the program)
// at the units for the periods (a unit's years, or a unit's children in
// one period), cached like the scorecards; scope is the unit whose subtree
// holds the units.
func (h *Web) readings(ctx context.Context, scope unit.Unit, prog *program.Program, targets []program.Target, units []unit.Unit, periods []period.Period) (*rollup.Readings, error) {
	key := "readings|" + prog.Code
	for _, t := range targets {
		key += "|" + t.Code
	}
	for _, u := range units {
		key += "|" + u.Path
	}
	for _, p := range periods {
		key += "|" + p.String()
	}
	return cached(ctx, h, scope, key, func() (*rollup.Readings, error) {
		// The kept evaluations' rows where a year is kept: a cold home
		// page's six-year trend reads them, not six years of values.
		return h.Store.KeptReadings(ctx, prog, targets, units, periods)
	})
}

// framedPage is a page whose body is the same for every reader of a unit
// and period: the body is rendered once per data version (see fragment)
// and framed per request with the reader's header and menu.
type framedPage struct {
	Base
	Body template.HTML
}

// fragment renders template name over what build returns, once per data
// version: rendering a home page's 25 rows and trends costs more than all
// else a cached request does.
func (h *Web) fragment(ctx context.Context, scope unit.Unit, key, name string, build func(ctx context.Context) (any, error)) (template.HTML, error) {
	return cached(ctx, h, scope, "html|"+name+"|"+key, func() (template.HTML, error) {
		data, err := build(ctx)
		if err != nil {
			return "", err
		}
		var b bytes.Buffer
		if err := h.tmpl.ExecuteTemplate(&b, name, data); err != nil {
			return "", err
		}
		return template.HTML(b.String()), nil
	})
}

// source is the store as the roll-up reads it, with what changes only with
// units and programs cached under the global version: a province's tree
// is 2,500 units read per scorecard, and the element definitions are JSON
// decoded per read. The roll-up only reads what these return.
type source struct {
	*store.Store
	h *Web
}

func (h *Web) source() source { return source{h.Store, h} }

func (s source) Subtree(ctx context.Context, u unit.Unit, date string) ([]unit.Unit, error) {
	return cached(ctx, s.h, unit.Unit{}, "subtree|"+u.Path+"|"+date, func() ([]unit.Unit, error) {
		return s.Store.Subtree(ctx, u, date)
	})
}

func (s source) Elements(ctx context.Context) (map[string]*value.Element, error) {
	return cached(ctx, s.h, unit.Unit{}, "elements", func() (map[string]*value.Element, error) {
		return s.Store.Elements(ctx)
	})
}

func (s source) UnitThresholds(ctx context.Context, prog *program.Program) ([]program.UnitThreshold, error) {
	return cached(ctx, s.h, unit.Unit{}, "thresholds|"+prog.Code, func() ([]program.UnitThreshold, error) {
		return s.Store.UnitThresholds(ctx, prog)
	})
}
