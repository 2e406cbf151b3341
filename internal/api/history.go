package api

import (
	"net/http"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// The analytics and scorecard calls read figures on the tree of the day
// ?tree= names (YYYY-MM-DD), apart from the period: 2024's figures on the
// tree of 1/7/2025 are the old units' carried onto the new ones
// (rollup.Across). The response says which rule moved which value.

// treeParam reads ?tree=, "" when absent.
func treeParam(r *http.Request) (string, error) {
	d := r.URL.Query().Get("tree")
	if d != "" && !unit.IsDate(d) {
		return "", errs.New(errs.Invalid, "tham số tree %q không hợp lệ (dùng YYYY-MM-DD: ngày của cây đơn vị cần xem)", d)
	}
	return d, nil
}

// unitOnTree resolves ?unit= on the tree of day, if the user may see it.
func (a *API) unitOnTree(r *http.Request, day string) (unit.Unit, error) {
	code := r.URL.Query().Get("unit")
	if code == "" {
		return unit.Unit{}, errs.New(errs.Invalid, "thiếu tham số unit (mã đơn vị)")
	}
	return a.visibleUnit(r, code, day)
}

func (a *API) scorecardOnTree(w http.ResponseWriter, r *http.Request, prog *program.Program, p period.Period, day string) error {
	u, err := a.unitOnTree(r, day)
	if err != nil {
		return err
	}
	across, err := rollup.NewAcross(r.Context(), a.Store, u, day)
	if err != nil {
		return err
	}
	card, re, err := across.Scorecard(r.Context(), prog, u, p)
	if err != nil {
		return err
	}
	out := CardJSON(card)
	out["tree"] = treeJSON(re, false)
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) analyticsOnTree(w http.ResponseWriter, r *http.Request, e *value.Element, p period.Period, day string) error {
	u, err := a.unitOnTree(r, day)
	if err != nil {
		return err
	}
	var children []unit.Unit
	switch by := r.URL.Query().Get("by"); by {
	case "":
	case "children":
		if children, err = a.Store.Children(r.Context(), u, day); err != nil {
			return err
		}
	default:
		return errs.New(errs.Invalid, "tham số by=%q không hỗ trợ (chỉ có by=children)", by)
	}
	across, err := rollup.NewAcross(r.Context(), a.Store, u, day)
	if err != nil {
		return err
	}
	at, below, re, err := across.Analytics(r.Context(), e, u, children, p)
	if err != nil {
		return err
	}
	point := func(pt rollup.Point) (map[string]any, error) {
		m := unitJSON(pt.Unit)
		m["value"] = pt.Value
		m["ownValue"] = pt.Own
		sources, err := across.Sources(r.Context(), pt.Unit, e.Code)
		if err != nil {
			return nil, err
		}
		list := []map[string]any{}
		for _, s := range sources {
			x := unitJSON(s.Unit)
			x["share"] = s.Share
			list = append(list, x)
		}
		m["carriedFrom"] = list
		rules := []map[string]any{}
		for _, sp := range re.RulesFor(pt.Unit, []string{e.Code}) {
			rules = append(rules, splitJSON(sp))
		}
		m["splitRules"] = rules
		return m, nil
	}
	head, err := point(at)
	if err != nil {
		return err
	}
	out := map[string]any{
		"dataElement": map[string]any{"code": e.Code, "name": e.Name, "valueType": e.ValueType, "aggregation": e.Aggregation},
		"period":      map[string]string{"id": p.String(), "label": p.Label()},
		"unit":        head,
		"tree":        treeJSON(re, true),
	}
	if r.URL.Query().Get("by") == "children" {
		list := make([]map[string]any, 0, len(below))
		for _, pt := range below {
			m, err := point(pt)
			if err != nil {
				return err
			}
			list = append(list, m)
		}
		out["children"] = list
	}
	return writeJSON(w, http.StatusOK, out)
}

// treeJSON says how the figures were carried onto the tree: the day, the
// rule of each element read, the splits that shared figures out, and,
// with moves, each value a split's rule moved.
func treeJSON(re *rollup.Reassignment, moves bool) map[string]any {
	rules := []map[string]any{}
	for code, rule := range re.Rules {
		rules = append(rules, map[string]any{"dataElement": code, "rule": rule.Kind, "weightElement": rule.Weight, "label": rule.Label(), "default": rule.Default})
	}
	sortByKey(rules, "dataElement")
	splits := []map[string]any{}
	for _, sp := range re.Splits {
		splits = append(splits, splitJSON(sp))
	}
	out := map[string]any{"date": re.Date, "carried": re.Changed, "rules": rules, "splits": splits}
	if moves {
		list := []map[string]any{}
		for _, m := range re.Moves {
			list = append(list, map[string]any{
				"dataElement": m.Element, "period": m.Period, "from": unitJSON(m.Split.From), "to": unitJSON(m.To),
				"share": m.Share, "value": m.Value, "rule": m.Split.Rule.Kind, "how": m.Split.How,
			})
		}
		out["moves"] = list
	}
	return out
}

func splitJSON(sp *rollup.Split) map[string]any {
	parts := []map[string]any{}
	for _, p := range sp.Parts {
		x := unitJSON(p.Unit)
		x["share"] = p.Share
		parts = append(parts, x)
	}
	dir := "successors"
	if !sp.Forward {
		dir = "predecessors"
	}
	return map[string]any{"from": unitJSON(sp.From), "sharedAmong": dir, "parts": parts, "rule": sp.Rule.Kind, "how": sp.How, "dataElements": sp.Elements}
}

func sortByKey(list []map[string]any, key string) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j][key].(string) < list[j-1][key].(string); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}
