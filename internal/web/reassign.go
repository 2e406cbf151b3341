package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"mattran/internal/access"
	"mattran/internal/errs"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/sheet"
	"mattran/internal/unit"
)

// reassignRoutes: the rules by which the figures of a unit that was split
// are shared out when read on the tree of another day (rollup.Across).
func (h *Web) reassignRoutes() []Route {
	return []Route{
		{"GET /reassign", false, h.reassignPage},
		{"POST /reassign", false, h.reassignSet},
	}
}

type reassignPage struct {
	Base
	Rows    []reassignRow
	Weights []weightChoice // elements households or population may be counted by
	Kinds   []rollup.RuleKind
	CanEdit bool
	Error   string
}

type reassignRow struct {
	Code, Name string
	Rule       rollup.Rule
	SetAt      string
}

type weightChoice struct{ Code, Name string }

func (h *Web) reassignModel(r *http.Request, s *Session) (*reassignPage, error) {
	ctx := r.Context()
	elements, err := h.Store.Elements(ctx)
	if err != nil {
		return nil, err
	}
	rules, err := h.Store.ReassignRules(ctx)
	if err != nil {
		return nil, err
	}
	page := &reassignPage{Base: h.base(s, "Quy tắc phân bổ số liệu khi chia tách đơn vị"), Kinds: rollup.RuleKinds,
		CanEdit: access.EditReassignRules(s.User) == nil}
	page.Nav = "reassign"
	for code, e := range elements {
		rule, ok := rules[code]
		if !ok {
			rule = rollup.DefaultRule(code)
		}
		row := reassignRow{Code: code, Name: e.Name, Rule: rule}
		if !rule.SetAt.IsZero() {
			row.SetAt = vnTime(rule.SetAt) + ", " + rule.SetBy
		}
		page.Rows = append(page.Rows, row)
		if e.ValueType == program.Integer && e.CollectedAtKind(unit.ResidentialArea) && e.PeriodType == "yearly" {
			page.Weights = append(page.Weights, weightChoice{code, e.Name})
		}
	}
	sort.Slice(page.Rows, func(i, j int) bool { return page.Rows[i].Code < page.Rows[j].Code })
	sort.Slice(page.Weights, func(i, j int) bool { return page.Weights[i].Code < page.Weights[j].Code })
	return page, nil
}

// reassignPage lists every element with its rule; admins change them.
func (h *Web) reassignPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	page, err := h.reassignModel(r, s)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "xlsx" {
		t := sheet.TableSpec{Title: "Quy tắc phân bổ số liệu khi chia tách đơn vị", Header: []string{"Mã chỉ số", "Chỉ số", "Quy tắc", "Khai báo lúc"}}
		for _, row := range page.Rows {
			t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(row.Code), sheet.Text(row.Name), sheet.Text(row.Rule.Label()), sheet.Text(row.SetAt)})
		}
		return sendTable(w, "quy-tac-phan-bo.xlsx", t)
	}
	if r.URL.Query().Get("msg") == "set" {
		page.Notice = "Đã ghi quy tắc phân bổ."
	}
	return h.render(w, "reassign.html", page)
}

// reassignSet declares one element's rule; "default" takes it back.
func (h *Web) reassignSet(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := access.EditReassignRules(s.User); err != nil {
		return err
	}
	code := strings.TrimSpace(r.PostFormValue("element"))
	kind := r.PostFormValue("rule")
	var err error
	if kind == "default" {
		err = h.Store.DeleteReassignRule(r.Context(), s.User.Actor(), code)
		if errs.Is(err, errs.NotFound) {
			err = nil
		}
	} else {
		rule := rollup.Rule{Element: code, Kind: rollup.RuleKind(kind)}
		if rule.Kind == rollup.ByHouseholds || rule.Kind == rollup.ByPopulation {
			rule.Weight = strings.TrimSpace(r.PostFormValue("weight"))
		}
		err = h.Store.SetReassignRule(r.Context(), s.User.Actor(), rule)
	}
	if e, ok := errs.As(err); ok && e.Code == errs.Invalid {
		page, perr := h.reassignModel(r, s)
		if perr != nil {
			return perr
		}
		page.Error = code + ": " + e.Error()
		return h.renderStatus(w, http.StatusBadRequest, "reassign.html", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/reassign?"+url.Values{"msg": {"set"}}.Encode()+"#"+code)
}
