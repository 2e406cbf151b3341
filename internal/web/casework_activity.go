package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"mattran/internal/access"
	"mattran/internal/api"
	"mattran/internal/casework"
	"mattran/internal/errs"
	"mattran/internal/store"
	"mattran/internal/unit"
)

// activitiesPage lists a kind of activity (the reception register, the
// supervisions, the criticised drafts, the voter meetings, the
// conferences) with the form to record one.
type activitiesPage struct {
	Base
	Unit      unit.Unit
	Kind      casework.ActivityInfo
	Kinds     []casework.ActivityInfo
	Fields    []struct{ Key, Label string }
	Forms     []struct{ Code, Label string }
	Rows      []activityRow
	CanRecord bool
	Form      url.Values
	Errors    map[string]string
	Message   string
	Year      string
	HasCases  bool
}

type activityRow struct {
	ID                 int64
	Held, Title, Place string
	Unit               string
	Detail             []string
	Cases              string // link to its cases
}

func (h *Web) activitiesModel(r *http.Request, s *Session, u unit.Unit, kind casework.ActivityKind, year string) (*activitiesPage, error) {
	info, ok := casework.LookupActivity(kind)
	if !ok {
		return nil, errs.New(errs.Invalid, "Loại hoạt động %q không có.", kind)
	}
	p := &activitiesPage{Base: h.base(s, info.Label+" — "+u.Name), Unit: u, Kind: info, Kinds: casework.Activities(),
		Fields: casework.DetailFields[kind], CanRecord: access.RecordCase(s.User, u) == nil, Form: url.Values{},
		Errors: map[string]string{}, Year: year, HasCases: info.CaseKind != ""}
	if kind == casework.Supervising {
		p.Forms = casework.SupervisionForms
	}
	p.Nav = "cases"
	f := store.ActivityFilter{Path: u.Path, Kind: kind}
	if year != "" {
		y, err := strconv.Atoi(year)
		if err != nil || y < 2000 || y > 2100 {
			return nil, errs.New(errs.Invalid, "Năm %q không hợp lệ.", year)
		}
		f.Year = y
	}
	acts, err := h.Store.Activities(r.Context(), f)
	if err != nil {
		return nil, err
	}
	for _, a := range acts {
		row := activityRow{ID: a.ID, Held: a.Held.FormatVN(), Title: a.Title, Place: a.Place, Unit: a.UnitName,
			Cases: fmt.Sprintf("/cases?activity=%d&unit=%s", a.ID, url.QueryEscape(u.Code))}
		for _, df := range casework.DetailFields[kind] {
			if v := a.Detail[df.Key]; v != "" {
				if df.Key == "form" {
					v = supervisionFormLabel(v)
				}
				row.Detail = append(row.Detail, df.Label+": "+v)
			}
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

func supervisionFormLabel(code string) string {
	for _, f := range casework.SupervisionForms {
		if f.Code == code {
			return f.Label
		}
	}
	return code
}

func (h *Web) activitiesPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	q := r.URL.Query()
	u, err := h.caseUnit(r, s, q.Get("unit"))
	if err != nil {
		return err
	}
	kind := casework.ActivityKind(q.Get("kind"))
	if kind == "" {
		kind = casework.Reception
	}
	p, err := h.activitiesModel(r, s, u, kind, q.Get("year"))
	if err != nil {
		return err
	}
	p.Form.Set("held", h.today().FormatVN())
	if q.Get("msg") == "done" {
		p.Notice = "Đã ghi hoạt động."
	}
	return h.render(w, "case_activities.html", p)
}

func (h *Web) activityCreate(w http.ResponseWriter, r *http.Request, s *Session) error {
	u, err := h.caseUnit(r, s, r.PostFormValue("unit"))
	if err != nil {
		return err
	}
	if err := access.RecordCase(s.User, u); err != nil {
		return err
	}
	n, err := casework.ParseActivity(r.PostForm)
	if err == nil {
		err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
			_, err := casework.Record(r.Context(), tx, s.User.Actor(), s.User.Username, u, n)
			return err
		})
	}
	if e, ok := errs.As(err); ok && e.Code != errs.Internal {
		kind := casework.ActivityKind(r.PostFormValue("kind"))
		if _, ok := casework.LookupActivity(kind); !ok {
			kind = casework.Reception
		}
		p, perr := h.activitiesModel(r, s, u, kind, "")
		if perr != nil {
			return perr
		}
		p.Form, p.Message, p.Errors = r.PostForm, e.Message, formErrors(e)
		return h.renderStatus(w, api.Status(e.Code), "case_activities.html", p)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/cases/activities?kind=%s&unit=%s&msg=done", n.Kind, url.QueryEscape(u.Code)))
}
