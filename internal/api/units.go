package api

import (
	"mattran/internal/access"
	"net/http"
	"time"

	"mattran/internal/errs"
	"mattran/internal/unit"
)

// unitJSON is how the API shows a unit version.
func unitJSON(u unit.Unit) map[string]any {
	m := map[string]any{"code": u.Code, "name": u.Name, "kind": u.Kind, "kindLabel": u.Kind.Label()}
	if u.OfficialType != "" {
		m["officialType"] = u.OfficialType
	}
	if u.ValidFrom != unit.Beginning {
		m["validFrom"] = u.ValidFrom
	}
	if u.ValidTo != unit.Forever {
		m["validTo"] = u.ValidTo
	}
	if u.Synthetic {
		m["synthetic"] = true
	}
	return m
}

// dateParam reads ?date=YYYY-MM-DD, today by default.
func (a *API) dateParam(r *http.Request) (string, error) {
	d := r.URL.Query().Get("date")
	if d == "" {
		return a.Now().Format(time.DateOnly), nil
	}
	if !unit.IsDate(d) {
		return "", errs.New(errs.Invalid, "tham số date %q không hợp lệ (dùng YYYY-MM-DD)", d)
	}
	return d, nil
}

// visibleUnit finds the unit with code on date, if the user may see it.
func (a *API) visibleUnit(r *http.Request, code, date string) (unit.Unit, error) {
	u, err := a.Store.UnitAt(r.Context(), code, date)
	if err != nil {
		return u, err
	}
	return u, a.checkScope(r, u)
}

// pathUnit resolves the {code} of the path as of ?date=, if the user may
// see it.
func (a *API) pathUnit(r *http.Request) (unit.Unit, string, error) {
	date, err := a.dateParam(r)
	if err != nil {
		return unit.Unit{}, "", err
	}
	u, err := a.visibleUnit(r, r.PathValue("code"), date)
	return u, date, err
}

func (a *API) checkScope(r *http.Request, u unit.Unit) error {
	return access.See(currentUser(r), u)
}

func (a *API) getUnit(w http.ResponseWriter, r *http.Request) error {
	u, date, err := a.pathUnit(r)
	if err != nil {
		return err
	}
	out := unitJSON(u)
	if u.ParentID != 0 {
		if p, err := a.Store.UnitByID(r.Context(), u.ParentID); err == nil {
			out["parent"] = unitJSON(p)
		}
	}
	next, prev, err := a.Store.Successors(r.Context(), u)
	if err != nil {
		return err
	}
	links := func(ls []unit.Successor, other func(unit.Successor) unit.Unit) []map[string]any {
		out := []map[string]any{}
		for _, l := range ls {
			m := unitJSON(other(l))
			m["succession"] = l.Kind
			out = append(out, m)
		}
		return out
	}
	out["successors"] = links(next, func(l unit.Successor) unit.Unit { return l.To })
	out["predecessors"] = links(prev, func(l unit.Successor) unit.Unit { return l.From })
	out["date"] = date
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) getChildren(w http.ResponseWriter, r *http.Request) error {
	u, date, err := a.pathUnit(r)
	if err != nil {
		return err
	}
	kids, err := a.Store.Children(r.Context(), u, date)
	if err != nil {
		return err
	}
	list := make([]map[string]any, 0, len(kids))
	for _, k := range kids {
		list = append(list, unitJSON(k))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"unit": unitJSON(u), "date": date, "children": list})
}
