package api

import (
	"net/http"
	"strings"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/value"
)

// exportValues returns stored values: ?orgUnit= (required), &children=true
// for its subtree, &period= and &dataElement= (repeatable) to narrow,
// &format=csv (or Accept: text/csv) for CSV.
func (a *API) exportValues(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for _, p := range []string{"startDate", "endDate", "dataSet", "lastUpdated"} {
		if q.Has(p) {
			return errs.New(errs.Invalid, "tham số %s chưa được hỗ trợ: chọn kỳ bằng period (lặp lại được) và chỉ số bằng dataElement", p)
		}
	}
	code := q.Get("orgUnit")
	if code == "" {
		return errs.New(errs.Invalid, "thiếu tham số orgUnit (mã đơn vị)")
	}
	f := store.ExportFilter{Children: q.Get("children") == "true", Elements: q["dataElement"]}
	date := a.Now().Format("2006-01-02")
	for _, s := range q["period"] {
		p, err := period.Parse(s)
		if err != nil {
			return errs.New(errs.Invalid, "tham số period: %v", err)
		}
		f.Periods = append(f.Periods, p)
		date = p.EndDate()
	}
	u, err := a.Store.UnitAt(r.Context(), code, date)
	if err != nil {
		return err
	}
	if err := a.checkScope(r, u); err != nil {
		return err
	}
	f.Unit = u
	return a.streamValues(w, r, f)
}

// streamValues writes the values as they are read, so an export of a
// whole province costs a page of values in memory, not all of them. An
// error before the first value is answered as usual; after it, the
// answer has begun with a 200, so the connection is cut instead: a
// client sees a broken transfer, never a file that looks whole.
func (a *API) streamValues(w http.ResponseWriter, r *http.Request, f store.ExportFilter) error {
	var out value.Writer
	started := false
	err := a.Store.EachValue(r.Context(), f, func(x value.Exported) error {
		if !started {
			started = true
			out = a.valueWriter(w, r)
		}
		return out.Write(x)
	})
	if err == nil && !started {
		out = a.valueWriter(w, r)
	}
	if err == nil {
		err = out.Close()
	}
	if err != nil && started {
		if r.Context().Err() == nil {
			a.Log.Error("export cut short", "path", r.URL.Path, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	return err
}

// valueWriter sets the answer's type and returns the writer for it:
// CSV for ?format=csv or Accept: text/csv, else JSON.
func (a *API) valueWriter(w http.ResponseWriter, r *http.Request) value.Writer {
	if r.URL.Query().Get("format") == "csv" || strings.Contains(r.Header.Get("Accept"), "text/csv") {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		return value.NewCSVWriter(w)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	return value.NewJSONWriter(w)
}
