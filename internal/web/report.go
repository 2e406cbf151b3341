package web

import (
	"bytes"
	"context"
	"fmt"
	"mattran/internal/access"
	"mattran/internal/clock"
	"mattran/internal/store"
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
		{"POST /report/texts", false, h.saveReportTexts},
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
	DOCX     string // the same report as a Word file
	// Texts are what the unit wrote into the report; CanWrite, whether
	// the user may change them; Errors, by form field, after a refused
	// save, with SignedOn as typed.
	Texts    report.Texts
	SavedAt  string // when the texts were last saved, and by whom
	SignedOn string
	CanWrite bool
	Errors   map[string]string
}

// report shows the consolidated report of a program at a unit of the
// user's subtree for a period, as a document to print and sign, or, with
// ?format=xlsx, as an Excel file. By default: the first program, the
// user's own unit, the last year of the term that has begun.
func (h *Web) report(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	progs, prog, u, p, err := h.reportTarget(r, s, q.Get)
	if err != nil {
		return err
	}
	texts, err := h.Store.ReportTexts(ctx, prog.Code, u, p)
	if err != nil {
		return err
	}
	page := reportPage{Texts: texts, SignedOn: vnDate(texts.SignedOn)}
	if texts.UpdatedBy != "" {
		page.SavedAt = texts.UpdatedBy + ", " + vnTime(texts.UpdatedAt)
	}
	switch q.Get("msg") {
	case "saved":
		page.Notice = "Đã lưu phần đánh giá và thông tin văn bản của báo cáo."
	}
	return h.renderReport(w, r, s, progs, prog, u, p, page, http.StatusOK)
}

// reportTarget reads the report's program, unit and period: by default
// the user's unit's program, the user's unit, the last year of the term
// that has begun. The unit must be in the user's subtree.
func (h *Web) reportTarget(r *http.Request, s *Session, get func(string) string) ([]*program.Program, *program.Program, unit.Unit, period.Period, error) {
	ctx := r.Context()
	var u unit.Unit
	var p period.Period
	progs, err := h.programs(ctx)
	if err != nil {
		return nil, nil, u, p, err
	}
	if len(progs) == 0 {
		return nil, nil, u, p, errs.New(errs.NotFound, "Chưa có chương trình nào để báo cáo.")
	}
	prog := h.defaultProgram(ctx, progs, s.User.Unit)
	if id := get("program"); id != "" {
		if prog, err = h.program(ctx, id); err != nil {
			return nil, nil, u, p, err
		}
	}
	p = currentPeriod(prog, period.Yearly, h.Now())
	if v := get("period"); v != "" {
		if p, err = period.Parse(v); err != nil {
			return nil, nil, u, p, errs.New(errs.Invalid, "Kỳ báo cáo: %v", err)
		}
	}
	code := get("unit")
	if code == "" {
		code = s.User.Unit.Code
	}
	u, err = h.unitFor(r, s, code, p.StartDate(), p.EndDate())
	return progs, prog, u, p, err
}

// saveReportTexts saves what the unit wrote into its report: checked as
// a whole, every bad field named beside it, nothing written on an error.
func (h *Web) saveReportTexts(w http.ResponseWriter, r *http.Request, s *Session) error {
	progs, prog, u, p, err := h.reportTarget(r, s, r.PostFormValue)
	if err != nil {
		return err
	}
	if err := access.WriteReport(s.User, u); err != nil {
		return err
	}
	t := report.Texts{
		Number: r.PostFormValue("number"), Signer: r.PostFormValue("signer"), SignerTitle: r.PostFormValue("signer_title"),
		Highlights: r.PostFormValue("highlights"), Shortcomings: r.PostFormValue("shortcomings"),
		Causes: r.PostFormValue("causes"), NextTasks: r.PostFormValue("next_tasks"),
	}.Normalize()
	typed := strings.TrimSpace(r.PostFormValue("signed_on"))
	if bad := t.Check(typed); len(bad) > 0 {
		page := reportPage{Texts: t, SignedOn: typed, Errors: map[string]string{}}
		for _, d := range bad {
			page.Errors[d.Field] = fieldError(d)
		}
		return h.renderReport(w, r, s, progs, prog, u, p, page, http.StatusBadRequest)
	}
	err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		return tx.PutReportTexts(r.Context(), s.User.Actor(), prog.Code, u, p, t)
	})
	if err != nil {
		return err
	}
	return redirect(w, r, "/report?"+url.Values{"program": {prog.Code}, "unit": {u.Code}, "period": {p.String()}, "msg": {"saved"}}.Encode()+"#soan")
}

// renderReport shows the report, as a page or, with ?format=xlsx or
// docx, as a file, with page's texts written in.
func (h *Web) renderReport(w http.ResponseWriter, r *http.Request, s *Session, progs []*program.Program, prog *program.Program, u unit.Unit, p period.Period, page reportPage, status int) error {
	ctx := r.Context()
	q := r.URL.Query()
	doc, err := h.reportDocument(ctx, prog, u, p)
	if err != nil {
		return err
	}
	doc.Apply(page.Texts)
	if q.Get("format") == "docx" && r.Method == http.MethodGet {
		var buf bytes.Buffer
		if err := report.WriteDOCX(&buf, doc); err != nil {
			return err
		}
		name := fmt.Sprintf("bao-cao-%s-%s-%s.docx", prog.Code, u.Code, p)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		_, err = w.Write(buf.Bytes())
		return err
	}
	if q.Get("format") == "xlsx" && r.Method == http.MethodGet {
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
	notice := page.Notice
	page.Base = h.base(s, "Báo cáo tổng hợp — "+u.Name+" — "+p.Label())
	page.Notice = notice
	page.Doc, page.Summary = doc, doc.Summary.Lines()
	page.Program, page.Programs, page.Unit, page.Period = prog, progs, u, p
	page.Periods = periodChoices(prog, p)
	page.XLSX = "/report?" + url.Values{"program": {prog.Code}, "unit": {u.Code}, "period": {p.String()}, "format": {"xlsx"}}.Encode()
	page.DOCX = "/report?" + url.Values{"program": {prog.Code}, "unit": {u.Code}, "period": {p.String()}, "format": {"docx"}}.Encode()
	page.CanWrite = access.WriteReport(s.User, u) == nil
	page.Nav = "report"
	if page.Units, err = h.subtreeChoices(ctx, s, u, rollup.AsOf(u, p)); err != nil {
		return err
	}
	return h.renderStatus(w, status, "report.html", page)
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
			rr := report.Row{Code: t.Code, Name: t.Name, Threshold: tr.Threshold,
				Result: tr.Own, Details: details, Status: st, Below: tr.Coverage}
			if tr.Own != "—" && len(res.Own.Parts) > 0 && res.Own.Parts[0].Value != nil {
				rr.Value = res.Own.Parts[0].Value
				m := measureOf(prog, t.Conditions[0])
				rr.Percent, rr.Money = m == percentage, m == money
			}
			sec.Rows = append(sec.Rows, rr)
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
