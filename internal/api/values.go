package api

import (
	"mattran/internal/access"
	"net/http"
	"strings"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/value"
)

// importValues takes a DHIS2 dataValueSet (JSON, or CSV with Content-Type
// text/csv) and applies it whole or not at all. ?dryRun=true validates and
// counts without writing.
func (a *API) importValues(w http.ResponseWriter, r *http.Request) error {
	me := currentUser(r)
	if err := access.EnterValues(me, me.Unit); err != nil {
		return err
	}
	// One byte over the parser's own bound, so that the parser says the
	// file is too large, in Vietnamese, before the limit's English error.
	r.Body = http.MaxBytesReader(w, r.Body, value.MaxFileBytes+1)
	var rows []value.Row
	var err error
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.Contains(ct, "csv") && !strings.Contains(ct, "json") && !strings.HasPrefix(ct, "text/plain") {
		return errs.New(errs.Invalid, "Content-Type %q không được hỗ trợ: gửi application/json hoặc text/csv", ct)
	}
	if strings.Contains(ct, "csv") {
		rows, err = value.ParseCSV(r.Body)
	} else {
		rows, err = value.Parse(r.Body)
	}
	if err != nil {
		return err
	}
	dry := r.URL.Query().Get("dryRun") == "true"
	sum, err := a.Store.ImportValues(r.Context(), rows, store.ImportOptions{
		Actor: me.Actor(), Scope: me.Unit, Source: "api", Today: a.Now().Format("2006-01-02"), DryRun: dry,
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"status": "SUCCESS", "dryRun": dry, "importCount": sum})
}

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
	values, err := a.Store.ExportValues(r.Context(), f)
	if err != nil {
		return err
	}
	if q.Get("format") == "csv" || strings.Contains(r.Header.Get("Accept"), "text/csv") {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		return value.WriteCSV(w, values)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	return value.WriteJSON(w, values)
}
