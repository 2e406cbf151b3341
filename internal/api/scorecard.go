package api

import (
	"net/http"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/unit"
)

// periodParam reads a required period code.
func periodParam(r *http.Request) (period.Period, error) {
	s := r.URL.Query().Get("period")
	if s == "" {
		return period.Period{}, errs.New(errs.Invalid, "thiếu tham số period (ví dụ 2024, 2024Q3, 202409)")
	}
	p, err := period.Parse(s)
	if err != nil {
		return p, errs.New(errs.Invalid, "tham số period: %v", err)
	}
	return p, nil
}

// unitForPeriod resolves ?unit= as of the period: the unit that carried the
// code during it (codes were reused in the 2025 reform).
func (a *API) unitForPeriod(r *http.Request, p period.Period) (unit.Unit, error) {
	code := r.URL.Query().Get("unit")
	if code == "" {
		return unit.Unit{}, errs.New(errs.Invalid, "thiếu tham số unit (mã đơn vị)")
	}
	u, err := a.Store.UnitDuring(r.Context(), code, p.StartDate(), p.EndDate())
	if err != nil {
		return u, err
	}
	return u, a.checkScope(r, u)
}

func (a *API) scorecard(w http.ResponseWriter, r *http.Request) error {
	p, err := periodParam(r)
	if err != nil {
		return err
	}
	code := r.URL.Query().Get("program")
	if code == "" {
		return errs.New(errs.Invalid, "thiếu tham số program (mã chương trình)")
	}
	prog, err := a.Store.Program(r.Context(), code)
	if err != nil {
		return err
	}
	if day, err := treeParam(r); err != nil {
		return err
	} else if day != "" {
		return a.scorecardOnTree(w, r, prog, p, day)
	}
	u, err := a.unitForPeriod(r, p)
	if err != nil {
		return err
	}
	// Read from the kept evaluations when the program and period are kept.
	card, ok, err := a.Store.KeptCard(r.Context(), prog, u, p)
	if err == nil && !ok {
		card, err = rollup.Scorecard(r.Context(), a.Store, prog, u, p)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, CardJSON(card))
}

// CardJSON is the scorecard as the API shows it: one entry per target with
// its code, own value, coverage, threshold and status.
func CardJSON(c *rollup.Card) map[string]any {
	targets := make([]map[string]any, 0, len(c.Targets))
	for _, t := range c.Targets {
		var thresholds []map[string]any
		for _, cond := range t.Target.Conditions {
			thresholds = append(thresholds, map[string]any{
				"label": cond.Label, "comparator": cond.Comparator, "value": cond.Threshold, "text": cond.ThresholdText(c.Program.IsMoney(cond)),
			})
		}
		targets = append(targets, map[string]any{
			"code":       t.Target.Code,
			"name":       t.Target.Name,
			"periodType": t.Target.PeriodType,
			"appliesTo":  t.Target.AppliesTo,
			"thresholds": thresholds,
			"own":        readingJSON(t.Own),
			"coverage":   coverageJSON(t.Coverage),
		})
	}
	return map[string]any{
		"program": map[string]any{"id": c.Program.Code, "name": c.Program.Name},
		"unit":    unitJSON(c.Unit),
		"period":  map[string]string{"id": c.Period.String(), "label": c.Period.Label()},
		"asOf":    c.Date,
		"targets": targets,
	}
}

func readingJSON(r rollup.Reading) map[string]any {
	parts := r.Parts
	if parts == nil {
		parts = []rollup.Part{}
	}
	return map[string]any{"value": r.Value, "status": r.Status, "statusLabel": r.Status.Label(), "parts": parts}
}

func coverageJSON(c rollup.Coverage) map[string]any {
	kinds := c.Kinds
	if kinds == nil {
		kinds = []unit.Kind{}
	}
	return map[string]any{
		"kinds": kinds, "units": c.Units, "met": c.Met, "notMet": c.NotMet, "noData": c.NoData,
		"percent": c.Percent, "status": c.Status, "statusLabel": c.Status.Label(),
	}
}

func (a *API) analytics(w http.ResponseWriter, r *http.Request) error {
	p, err := periodParam(r)
	if err != nil {
		return err
	}
	code := r.URL.Query().Get("dataElement")
	elements, err := a.Store.Elements(r.Context())
	if err != nil {
		return err
	}
	e, ok := elements[code]
	if !ok {
		return errs.New(errs.NotFound, "không có chỉ số %q", code)
	}
	if day, err := treeParam(r); err != nil {
		return err
	} else if day != "" {
		return a.analyticsOnTree(w, r, e, p, day)
	}
	u, err := a.unitForPeriod(r, p)
	if err != nil {
		return err
	}
	var children []unit.Unit
	switch by := r.URL.Query().Get("by"); by {
	case "":
	case "children":
		if children, err = a.Store.Children(r.Context(), u, rollup.AsOf(u, p)); err != nil {
			return err
		}
	default:
		return errs.New(errs.Invalid, "tham số by=%q không hỗ trợ (chỉ có by=children)", by)
	}
	at, below, err := rollup.Analytics(r.Context(), a.Store, children, e, u, p)
	if err != nil {
		return err
	}
	point := func(pt rollup.Point) map[string]any {
		m := unitJSON(pt.Unit)
		m["value"] = pt.Value
		m["ownValue"] = pt.Own
		return m
	}
	out := map[string]any{
		"dataElement": map[string]any{"code": e.Code, "name": e.Name, "valueType": e.ValueType, "aggregation": e.Aggregation},
		"period":      map[string]string{"id": p.String(), "label": p.Label()},
		"unit":        point(at),
	}
	if children != nil || r.URL.Query().Get("by") == "children" {
		list := make([]map[string]any, 0, len(below))
		for _, pt := range below {
			list = append(list, point(pt))
		}
		out["children"] = list
	}
	return writeJSON(w, http.StatusOK, out)
}
