package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/sheet"
	"mattran/internal/unit"
)

func (h *Web) homeRoutes() []Route {
	return []Route{
		{"GET /home", false, h.home},
		{"GET /home/children", false, h.homeChildren},
	}
}

// homePage is a unit's one page: how many targets it meets, and each
// sub-program's targets with their figure, verdict, progress and trend.
type homePage struct {
	Program     *program.Program
	Unit        unit.Unit
	Period      period.Period
	Periods     []periodGroup
	Crumbs      []crumb
	Counts      []statusCount
	Total       int
	Groups      []homeGroup
	Years       string // the trend's span: "2019–2024"
	History     string // how the trend's years before a reform were computed
	Lists       string // which unit lists the tree comes from, when the page reads the demo's
	ChildrenURL string // the units below, side by side; "" when there are none
	Children    int
	ProgramURL  string
	AsOf        string
	Generated   string
}

type homeGroup struct {
	Code, Name string
	Rows       []targetView
}

// home shows the user's unit (or ?unit= in their subtree) for a period.
func (h *Web) home(w http.ResponseWriter, r *http.Request, s *Session) error {
	sc, err := h.scopeOf(r, s, "", false)
	if err != nil {
		return err
	}
	top := s.User.Unit
	if r.URL.Query().Get("format") == "xlsx" {
		page, err := h.homeModel(r.Context(), sc, top)
		if err != nil {
			return err
		}
		return sendTable(w, fmt.Sprintf("ket-qua-%s-%s.xlsx", sc.unit.Code, sc.period), page.table())
	}
	body, err := h.homeBody(r.Context(), sc, top)
	if err != nil {
		return err
	}
	page := homeFrame{framedPage: framedPage{Base: h.base(s, "Trang chủ — "+sc.unit.Name), Body: body}}
	page.Nav = "home"
	if page.Overdue, err = h.overdueFlag(r.Context(), sc.unit); err != nil {
		return err
	}
	if page.Notices, err = h.Store.Notifications(r.Context(), s.User, 20); err != nil {
		return err
	}
	if page.InspectionRecs, err = h.overdueRecommendations(r.Context(), sc.unit); err != nil {
		return err
	}
	return h.render(w, "home.html", page)
}

// table is the page's targets as one Excel table, sub-program by
// sub-program.
func (p *homePage) table() sheet.TableSpec {
	t := sheet.TableSpec{
		Title:     "Kết quả thực hiện chương trình — " + p.Unit.Name + " — " + p.Period.Label(),
		Subtitles: []string{p.Program.Name, "Số liệu đến " + p.AsOf + "; xuất lúc " + p.Generated},
		Header:    []string{"Mã", "Chỉ tiêu", "Kết quả", "Ngưỡng", "Đánh giá", "Đơn vị cấp dưới"},
	}
	for _, g := range p.Groups {
		t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(g.Code), sheet.Text(g.Name)})
		for _, r := range g.Rows {
			t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(r.Code), sheet.Text(r.Name), sheet.Text(r.Figure), sheet.Text(r.Threshold), sheet.Text(r.Status.Label()), sheet.Text(r.Note)})
		}
	}
	return t
}

// homeModel reads what a unit's home page shows; top is the reader's
// unit, where the way down to the unit begins.
func (h *Web) homeModel(ctx context.Context, sc pageScope, top unit.Unit) (*homePage, error) {
	prog, u, p := sc.prog, sc.unit, sc.period
	card, re, err := h.cardOf(ctx, prog, u, p)
	if err != nil {
		return nil, err
	}
	hi, err := h.historyOf(ctx, sc, u)
	if err != nil {
		return nil, err
	}
	kids, err := h.Store.Children(ctx, u, rollup.AsOf(u, p))
	if err != nil {
		return nil, err
	}
	page := &homePage{
		Program: prog,
		Unit:    u,
		Period:  p,
		Periods: periodChoices(prog, p),
		Counts:  summarize(card.Targets),
		Total:   len(card.Targets),
		Years:   hi.span(),
		History: hi.note(),

		Children:   len(kids),
		ProgramURL: query("/program/"+prog.Code, "unit", u.Code, "period", p.String()),
		AsOf:       card.Date,
		Generated:  vnTime(h.Now()),
	}
	if page.Lists, err = h.unitLists(ctx, card.Date); err != nil {
		return nil, err
	}
	if len(kids) > 0 {
		page.ChildrenURL = query("/home/children", "program", progParam(sc), "unit", u.Code, "period", p.String())
	}
	if page.Crumbs, err = h.crumbs(ctx, top, u, func(a unit.Unit) string {
		return query("/home", "program", progParam(sc), "unit", a.Code, "period", p.String())
	}); err != nil {
		return nil, err
	}
	results := map[string]rollup.TargetResult{}
	for _, t := range card.Targets {
		results[t.Target.Code] = t
	}
	for _, sub := range prog.Subprograms {
		g := homeGroup{Code: sub.Code, Name: sub.Name}
		for _, t := range sub.Targets {
			v := viewOf(prog, t, results[t.Code])
			v.Trend = hi.trend(t)
			if note := rulesAt(append([]*rollup.Reassignment{re}, hi.re...), u, t); note != "" {
				v.Note = strings.TrimSpace(v.Note + " " + note)
			}
			if len(kids) > 0 {
				v.Link = query("/home/children", "program", progParam(sc), "unit", u.Code, "period", p.String(), "target", t.Code)
			}
			v.Records = recordsOf(prog, t, u, p, linkReader{top: top})
			g.Rows = append(g.Rows, v)
		}
		page.Groups = append(page.Groups, g)
	}
	return page, nil
}

// homeBody is the home page's body for a reader whose unit is top,
// rendered once per version of the unit's subtree.
func (h *Web) homeBody(ctx context.Context, sc pageScope, top unit.Unit) (template.HTML, error) {
	key := sc.prog.Code + "|" + top.Path + "|" + sc.unit.Path + "|" + sc.period.String()
	if sc.prog.Continues != "" || readsAcross(sc.unit, sc.period) {
		// The page shows figures of the units this one was made from.
		hk, err := h.historyKey(ctx, sc.unit, rollup.AsOf(sc.unit, sc.period))
		if err != nil {
			return "", err
		}
		key += hk
	}
	return h.fragment(ctx, sc.unit, key, "home_body", func(ctx context.Context) (any, error) {
		return h.homeModel(ctx, sc, top)
	})
}
