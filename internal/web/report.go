package web

import (
	"bytes"
	"context"
	"fmt"
	"mattran/internal/clock"
	"net/http"
	"net/url"
	"strings"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/report"
	"mattran/internal/rollup"
	"mattran/internal/unit"
)

func (h *Web) reportRoutes() []Route {
	return []Route{
		{"GET /report", false, h.report},
	}
}

type reportPage struct {
	Base
	Doc      report.Document
	Summary  []string
	Program  *program.Program
	Programs []*program.Program
	Unit     unit.Unit
	Units    []unitChoice
	Period   period.Period
	Periods  []periodGroup
	XLSX     string // the same report as an Excel file
}

// report shows the consolidated report of a program at a unit of the
// user's subtree for a period, as a document to print and sign, or, with
// ?format=xlsx, as an Excel file. By default: the first program, the
// user's own unit, the last year of the term that has begun.
func (h *Web) report(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	progs, err := h.programs(ctx)
	if err != nil {
		return err
	}
	if len(progs) == 0 {
		return errs.New(errs.NotFound, "Chưa có chương trình nào để báo cáo.")
	}
	prog := h.defaultProgram(ctx, progs, s.User.Unit)
	if id := q.Get("program"); id != "" {
		if prog, err = h.program(ctx, id); err != nil {
			return err
		}
	}
	p := currentPeriod(prog, period.Yearly, h.Now())
	if v := q.Get("period"); v != "" {
		if p, err = period.Parse(v); err != nil {
			return errs.New(errs.Invalid, "Kỳ báo cáo: %v", err)
		}
	}
	code := q.Get("unit")
	if code == "" {
		code = s.User.Unit.Code
	}
	u, err := h.unitFor(r, s, code, p.StartDate(), p.EndDate())
	if err != nil {
		return err
	}
	doc, err := h.reportDocument(ctx, prog, u, p)
	if err != nil {
		return err
	}
	if q.Get("format") == "xlsx" {
		var buf bytes.Buffer
		if err := report.WriteXLSX(&buf, doc); err != nil {
			return err
		}
		name := fmt.Sprintf("bao-cao-%s-%s-%s.xlsx", prog.Code, u.Code, p)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		_, err = w.Write(buf.Bytes())
		return err
	}
	page := reportPage{
		Base:     h.base(s, "Báo cáo tổng hợp — "+u.Name+" — "+p.Label()),
		Doc:      doc,
		Summary:  doc.Summary.Lines(),
		Program:  prog,
		Programs: progs,
		Unit:     u,
		Period:   p,
		Periods:  periodChoices(prog, p),
		XLSX:     "/report?" + url.Values{"program": {prog.Code}, "unit": {u.Code}, "period": {p.String()}, "format": {"xlsx"}}.Encode(),
	}
	page.Nav = "report"
	if page.Units, err = h.subtreeChoices(ctx, s, u, rollup.AsOf(u, p)); err != nil {
		return err
	}
	return h.render(w, "report.html", page)
}

// reportDocument builds the report from the scorecard: a table per
// sub-program, each target's figures written as the scorecard page
// writes them.
func (h *Web) reportDocument(ctx context.Context, prog *program.Program, u unit.Unit, p period.Period) (report.Document, error) {
	card, _, err := h.cardOf(ctx, prog, u, p)
	if err != nil {
		return report.Document{}, err
	}
	var parent unit.Unit
	if u.ParentID != 0 {
		if parent, err = h.Store.UnitByID(ctx, u.ParentID); err != nil {
			return report.Document{}, err
		}
	}
	now := h.Now()
	doc := report.New(u, parent, now.In(clock.Zone))
	doc.Subject = report.Subject(prog.Name, p.Label())
	doc.Intro = report.Intro(prog.Name, report.IssuerName(u, parent), p.Label(), vnTime(now))
	doc.Generated = fmt.Sprintf("Số liệu đọc từ hệ thống lúc %s; cây đơn vị tính theo ngày %s.", vnTime(now), vnDate(card.Date))
	results := map[string]rollup.TargetResult{}
	for _, t := range card.Targets {
		results[t.Target.Code] = t
	}
	for i, sp := range prog.Subprograms {
		sec := report.Section{Heading: fmt.Sprintf("%d. Chương trình %d: %s", i+1, i+1, sp.Name)}
		for _, t := range sp.Targets {
			res := results[t.Code]
			tr := row(prog, t, res)
			// As on the scorecard: the unit's own verdict where the target
			// applies to it, else how the units below it did.
			st := res.Own.Status
			if st == rollup.NotApplicable {
				st = res.Coverage.Status
			}
			details := tr.Parts
			if tr.Previous != "" {
				details = append(details, strings.ToUpper(tr.Previous[:1])+tr.Previous[1:])
			}
			sec.Rows = append(sec.Rows, report.Row{Code: t.Code, Name: t.Name, Threshold: tr.Threshold,
				Result: tr.Own, Details: details, Status: st, Below: tr.Coverage})
			doc.Summary.Add(t.Code, st)
		}
		doc.Sections = append(doc.Sections, sec)
	}
	return doc, nil
}

// subtreeChoices lists the units a user may pick: their own unit, the
// units on the way down from it to the shown unit, and the units directly
// under the shown one, each indented under the one above.
func (h *Web) subtreeChoices(ctx context.Context, s *Session, shown unit.Unit, date string) ([]unitChoice, error) {
	chain := []unit.Unit{s.User.Unit}
	below := false // past the user's own unit, on the way down
	for _, id := range shown.AncestorIDs() {
		if below {
			a, err := h.Store.UnitByID(ctx, id)
			if err != nil {
				return nil, err
			}
			chain = append(chain, a)
		}
		below = below || id == s.User.Unit.ID
	}
	if shown.ID != s.User.Unit.ID {
		chain = append(chain, shown)
	}
	var kids []unit.Unit
	if shown.Kind != unit.ResidentialArea {
		var err error
		if kids, err = h.Store.Children(ctx, shown, date); err != nil {
			return nil, err
		}
	}
	out := make([]unitChoice, 0, len(chain)+len(kids))
	for depth, x := range chain {
		out = append(out, choice(x, depth, shown))
	}
	for _, k := range kids {
		out = append(out, choice(k, len(chain), shown))
	}
	return out, nil
}

// choice is a unit in a unit list, indented by depth.
func choice(u unit.Unit, depth int, shown unit.Unit) unitChoice {
	label := u.Name
	if depth > 0 {
		// Spaces would collapse inside <option>; no-break spaces do not.
		label = strings.Repeat("\u00a0\u00a0\u00a0\u00a0", depth-1) + "— " + label
	}
	return unitChoice{Code: u.Code, Label: label, Selected: u.ID == shown.ID}
}
