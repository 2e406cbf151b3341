package web

import (
	"bytes"
	"context"
	"html/template"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
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
		return rollup.Evaluate(ctx, h.Store, prog, targets, units, periods)
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
