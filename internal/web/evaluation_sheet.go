package web

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"mattran/internal/access"
	"mattran/internal/casework"
	"mattran/internal/errs"
	"mattran/internal/evaluation"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

type sheetLine struct {
	Group, Code, Name, Kind string
	Max, Computed, Self     string
	Verified, Points, Diff  string
	Cross                   string // the cluster's cross-check
	DiffClass               string // "up" (the unit claims more), "down"
	Source                  string
	SourceURL               string
	Reason, Evidence, Ref   string
	Manual                  bool // the unit enters it (manual criteria, bonus, deductions are the level above's)
	SelfValue, SelfEvidence string
	GroupHead               string // set on a group's first line
	GroupTotal              string
}

type sheetEvidence struct {
	Title, URL, Text string
	Overdue          bool
}

type evaluationSheetPage struct {
	Base
	evalHeader
	Unit        unit.Unit
	Status      string
	Lines       []sheetLine
	Bonus       string
	Deduction   string
	Total       string
	Max         string
	Percent     string
	Class       evaluation.Class
	Band        evaluation.Class
	Dropped     bool
	Rank        int
	Count       int
	Cluster     string
	ClusterRank int
	ClusterURL  string
	Title       string
	CanSelf     bool
	CanJudge    bool
	CanDecide   bool
	CanCross    bool        // the user leads the unit's cluster
	Criteria    []sheetLine // what the level above may adjust
	Evidence    []sheetEvidence
	Refs        []sheetEvidence // conclusions to cite
}

// evaluationSheetPage is a unit's scoresheet: every criterion with its
// computed, self-scored and verified points, the difference, and where
// each comes from; the forms of the unit's leader and of the level above.
func (h *Web) evaluationSheetPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	year, err := h.evalYear(q.Get("year"))
	if err != nil {
		return err
	}
	code := q.Get("unit")
	if code == "" {
		code = s.User.Unit.Code
	}
	x, err := h.evalUnit(ctx, code, year)
	if err != nil {
		return err
	}
	if err := access.SeeScoresheet(s.User, x); err != nil {
		return err
	}
	rec, err := h.evalGuideFor(ctx, x, year)
	if err != nil {
		return err
	}
	page, err := h.sheetModel(ctx, s, rec, x)
	if err != nil {
		return err
	}
	page.Notice = evalNotice(q.Get("msg"), year)
	return h.render(w, "evaluation_sheet.html", page)
}

func (h *Web) sheetModel(ctx context.Context, s *Session, rec evaluation.Record, x unit.Unit) (*evaluationSheetPage, error) {
	b, err := h.board(ctx, rec)
	if err != nil {
		return nil, err
	}
	sh, ok := b.Sheet(x.ID)
	if !ok {
		return nil, errs.New(errs.NotFound, "%s không thuộc các đơn vị được chấm theo hướng dẫn năm %d của %s.", x.Name, rec.Guide.Year, rec.Owner.Name)
	}
	hd, err := h.evalHeaderOf(ctx, s, rec)
	if err != nil {
		return nil, err
	}
	st := b.States[x.ID]
	year := strconv.Itoa(rec.Guide.Year)
	page := &evaluationSheetPage{Base: h.base(s, fmt.Sprintf("Phiếu chấm điểm thi đua năm %d — %s", rec.Guide.Year, x.Name)), evalHeader: hd,
		Unit: x, Status: st.Status.Label(), Bonus: sh.Bonus.String(), Deduction: sh.Deduction.String(), Total: sh.Total.String(),
		Max: sh.Max.String(), Percent: sh.PercentText(), Class: sh.Class, Band: sh.Band, Dropped: sh.Dropped, Rank: sh.Rank,
		Count: len(b.Sheets), ClusterRank: sh.ClusterRank, Title: rec.Guide.TitleName(sh.Title)}
	if sh.Title == "" {
		page.Title = ""
	}
	page.Nav = "evaluation"
	if c, ok := b.ClusterOf(x.ID); ok {
		page.Cluster, page.ClusterURL = c.Name, "/evaluation/cluster?"+hd.Query+"&cluster="+c.Code
		page.CanCross = !rec.Frozen() && access.CrossCheck(s.User, unit.Unit{ID: c.Lead}, x) == nil
	}
	open := !rec.Frozen()
	page.CanSelf = open && access.SelfScore(s.User, x) == nil && (st.Status == evaluation.NotStarted || st.Status == evaluation.Draft)
	page.CanJudge = open && hd.Judge
	page.CanDecide = page.CanJudge && st.Status != evaluation.Decided
	groups := map[string]evaluation.GroupTotal{}
	for _, g := range sh.Groups {
		groups[g.Code] = g
	}
	prev := ""
	for _, l := range sh.Lines {
		sl := sheetLine{Group: l.Group, Code: l.Code, Name: l.Name, Kind: kindLabel(l), Max: l.Max.String(), Points: l.Points.String(),
			Source: l.Origin.Text, Manual: l.Kind == evaluation.Manual}
		if l.Group != prev {
			prev = l.Group
			switch l.Group {
			case "bonus":
				sl.GroupHead, sl.GroupTotal = "Điểm thưởng", sh.Bonus.String()
			case "deduction":
				sl.GroupHead, sl.GroupTotal = "Điểm trừ", sh.Deduction.String()
			default:
				g := groups[l.Group]
				sl.GroupHead, sl.GroupTotal = g.Code+". "+g.Name+" (tối đa "+g.Max.String()+")", g.Points.String()
				if g.Capped {
					sl.GroupTotal += " (đã tính tối đa)"
				}
			}
		}
		if l.Computed != nil {
			sl.Computed = l.Computed.String()
		}
		if l.Self != nil {
			sl.Self, sl.SelfValue, sl.SelfEvidence = l.Self.Points.String(), pointsInput(l.Self.Points), l.Self.Evidence
		}
		if l.Cross != nil {
			sl.Cross = l.Cross.Points.String()
		}
		if l.Verified != nil {
			sl.Verified, sl.Reason, sl.Evidence, sl.Ref = l.Verified.Points.String(), l.Verified.Reason, l.Verified.Evidence, l.Verified.Ref
		}
		if d, ok := l.Diff(); ok && d != 0 {
			sl.Diff = d.String()
			if d > 0 {
				sl.Diff, sl.DiffClass = "+"+sl.Diff, "up"
			} else {
				sl.DiffClass = "down"
			}
		}
		switch l.Origin.Kind {
		case "target":
			sl.SourceURL = query("/", "program", rec.Guide.Program, "unit", x.Code, "period", year)
		case "reports":
			sl.SourceURL = query("/submissions", "unit", x.Code, "period", year)
		}
		if l.Origin.Target != "" && sl.SourceURL == "" {
			sl.SourceURL = query("/", "program", rec.Guide.Program, "unit", x.Code, "period", year)
		}
		page.Lines = append(page.Lines, sl)
		if l.Group != "bonus" || page.CanJudge {
			page.Criteria = append(page.Criteria, sl)
		}
	}
	// Evidence: the unit's inspections of the year and its recommendations.
	ins, err := h.Store.Inspections(ctx, 0, x.ID, rec.Guide.Year)
	if err != nil {
		return nil, err
	}
	today := h.today()
	for _, in := range ins {
		url := "/evaluation/inspections/" + strconv.FormatInt(in.ID, 10)
		e := sheetEvidence{Title: "Kiểm tra " + in.From.FormatVN() + " – " + in.To.FormatVN() + ": " + in.Subjects, URL: url}
		if in.Concluded() {
			e.Text = "Kết luận " + in.Number + " ngày " + in.ConcludedOn.FormatVN() + ": " + casework.Shorten(in.Conclusion, 200)
			page.Refs = append(page.Refs, sheetEvidence{Title: "Kết luận kiểm tra " + in.Number + " (" + in.ConcludedOn.FormatVN() + ")", URL: url})
		} else {
			e.Text = "Chưa có kết luận."
		}
		page.Evidence = append(page.Evidence, e)
		for _, id := range in.Recs {
			c, err := h.Store.Case(ctx, id)
			if err != nil {
				return nil, err
			}
			page.Evidence = append(page.Evidence, sheetEvidence{Title: "Kiến nghị " + c.Code + " — " + c.Status.Label() + dueText(c, today),
				URL: "/cases/" + strconv.FormatInt(c.ID, 10), Text: c.Content, Overdue: c.Overdue(today)})
		}
	}
	return page, nil
}

func dueText(c casework.Case, today interface{ String() string }) string {
	if c.Due.IsZero() {
		return ""
	}
	return ", hạn " + c.Due.FormatVN()
}

func kindLabel(l evaluation.Line) string {
	switch {
	case l.Group == "bonus":
		return "Thưởng"
	case l.Group == "deduction":
		return "Trừ"
	case l.Kind == evaluation.Derived:
		return "Từ chỉ tiêu"
	case l.Kind == evaluation.Workflow:
		return "Từ báo cáo"
	}
	return "Chấm"
}

// pointsInput writes points for a form field: 2,5.
func pointsInput(p evaluation.Points) string { return vn.FormatNumber(p.Float(), 2) }

// parsePoints reads points typed the Vietnamese way (2,5) or with a dot.
func parsePoints(label, s string) (evaluation.Points, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 10000 {
		return 0, errs.New(errs.Invalid, "%s: số điểm %q không hợp lệ.", label, s)
	}
	p := evaluation.PointsOf(f)
	if math.Abs(f*100-float64(p)) > 1e-6 {
		return 0, errs.New(errs.Invalid, "%s: điểm ghi nhiều nhất 2 chữ số thập phân.", label)
	}
	return p, nil
}

// sheetForm resolves the record and the unit a sheet's form posts about.
func (h *Web) sheetForm(r *http.Request) (evaluation.Record, unit.Unit, error) {
	ctx := r.Context()
	year, err := h.evalYear(r.PostFormValue("year"))
	if err != nil {
		return evaluation.Record{}, unit.Unit{}, err
	}
	x, err := h.evalUnit(ctx, r.PostFormValue("unit"), year)
	if err != nil {
		return evaluation.Record{}, x, err
	}
	rec, err := h.evalGuideFor(ctx, x, year)
	return rec, x, err
}

func sheetURL(rec evaluation.Record, x unit.Unit, msg string) string {
	return query("/evaluation/sheet", "year", strconv.Itoa(rec.Guide.Year), "unit", x.Code, "msg", msg)
}

// evaluationSelf saves the unit's own scores of the criteria it enters
// (points_CODE, evidence_CODE), and sends them when asked (send=1).
func (h *Web) evaluationSelf(w http.ResponseWriter, r *http.Request, s *Session) error {
	rec, x, err := h.sheetForm(r)
	if err != nil {
		return err
	}
	if err := access.SelfScore(s.User, x); err != nil {
		return err
	}
	var entries []evaluation.Entry
	add := func(code, name string) error {
		v := r.PostFormValue("points_" + code)
		if strings.TrimSpace(v) == "" {
			return nil
		}
		p, err := parsePoints(code+" "+name, v)
		if err != nil {
			return err
		}
		entries = append(entries, evaluation.Entry{Criterion: code, Points: p, Evidence: strings.TrimSpace(r.PostFormValue("evidence_" + code))})
		return nil
	}
	for _, g := range rec.Guide.Groups {
		for _, c := range g.Criteria {
			if c.Kind == evaluation.Manual {
				if err := add(c.Code, c.Name); err != nil {
					return err
				}
			}
		}
	}
	for _, it := range rec.Guide.Bonus {
		if err := add(it.Code, it.Name); err != nil {
			return err
		}
	}
	send := r.PostFormValue("send") != ""
	if err := h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		return evaluation.SelfScore(r.Context(), tx, s.User.Actor(), rec, x, entries, send)
	}); err != nil {
		return err
	}
	msg := "saved"
	if send {
		msg = "sent"
	}
	http.Redirect(w, r, sheetURL(rec, x, msg), http.StatusSeeOther)
	return nil
}

// evaluationAdjust records the level above's points for one criterion,
// with the reason and the evidence (a conclusion to cite, ref).
func (h *Web) evaluationAdjust(w http.ResponseWriter, r *http.Request, s *Session) error {
	rec, x, err := h.sheetForm(r)
	if err != nil {
		return err
	}
	if err := access.JudgeEvaluation(s.User, rec.Owner); err != nil {
		return err
	}
	code := r.PostFormValue("criterion")
	p, err := parsePoints(code, r.PostFormValue("points"))
	if err != nil {
		return err
	}
	e := evaluation.Entry{Criterion: code, Points: p, Reason: strings.TrimSpace(r.PostFormValue("reason")),
		Evidence: strings.TrimSpace(r.PostFormValue("evidence")), Ref: strings.TrimSpace(r.PostFormValue("ref"))}
	if err := h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		return evaluation.Adjust(r.Context(), tx, s.User.Actor(), rec, x, e)
	}); err != nil {
		return err
	}
	http.Redirect(w, r, sheetURL(rec, x, "adjusted"), http.StatusSeeOther)
	return nil
}

// evaluationCross records the cluster's cross-check of one criterion.
func (h *Web) evaluationCross(w http.ResponseWriter, r *http.Request, s *Session) error {
	rec, x, err := h.sheetForm(r)
	if err != nil {
		return err
	}
	cs, err := h.Store.EvalClustersOf(r.Context(), rec.ID)
	if err != nil {
		return err
	}
	lead := unit.Unit{Name: "không có"}
	for _, c := range cs {
		if slices.Contains(c.Members, x.ID) && c.Lead != 0 {
			if lead, err = h.Store.UnitByID(r.Context(), c.Lead); err != nil {
				return err
			}
		}
	}
	if err := access.CrossCheck(s.User, lead, x); err != nil {
		return err
	}
	code := r.PostFormValue("criterion")
	p, err := parsePoints(code, r.PostFormValue("points"))
	if err != nil {
		return err
	}
	e := evaluation.Entry{Criterion: code, Points: p, Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if err := h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		return evaluation.CrossCheck(r.Context(), tx, s.User.Actor(), rec, x, e)
	}); err != nil {
		return err
	}
	http.Redirect(w, r, sheetURL(rec, x, "crossed"), http.StatusSeeOther)
	return nil
}

func (h *Web) evaluationDecide(w http.ResponseWriter, r *http.Request, s *Session) error {
	rec, x, err := h.sheetForm(r)
	if err != nil {
		return err
	}
	if err := access.JudgeEvaluation(s.User, rec.Owner); err != nil {
		return err
	}
	if err := h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		return evaluation.Decide(r.Context(), tx, s.User.Actor(), rec, x)
	}); err != nil {
		return err
	}
	http.Redirect(w, r, sheetURL(rec, x, "decided"), http.StatusSeeOther)
	return nil
}

type evaluationClusterPage struct {
	Base
	evalHeader
	Cluster evaluation.Cluster
	Lead    string
	Groups  []evaluation.Group
	Rows    []evalRow
	Sort    string
	SortURL map[string]string
}

// evaluationClusterPage is a cluster's table: each member's points by
// group, total, class, rank in the cluster and across the level; sorted
// by rank, or by ?sort=name, total, or a group's code.
func (h *Web) evaluationClusterPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	rec, b, err := h.evalBoardAt(ctx, s, q)
	if err != nil {
		return err
	}
	year := rec.Guide.Year
	var c evaluation.Cluster
	for _, x := range b.Clusters {
		if x.Code == q.Get("cluster") {
			c = x
		}
	}
	if c.Code == "" {
		return errs.New(errs.NotFound, "Không có cụm thi đua %q trong năm %d.", q.Get("cluster"), year)
	}
	hd, err := h.evalHeaderOf(ctx, s, rec)
	if err != nil {
		return err
	}
	page := evaluationClusterPage{Base: h.base(s, c.Name+" — năm "+strconv.Itoa(year)), evalHeader: hd, Cluster: c, Groups: rec.Guide.Groups,
		Sort: q.Get("sort"), SortURL: map[string]string{}}
	page.Nav = "evaluation"
	names := map[string]string{c.Code: c.Name}
	var sheets []*evaluation.Sheet
	for _, sh := range b.Sheets {
		if sh.Cluster == c.Code {
			sheets = append(sheets, sh)
			if sh.Unit.ID == c.Lead {
				page.Lead = sh.Unit.Name
			}
		}
	}
	col := -1
	for i, g := range rec.Guide.Groups {
		if g.Code == page.Sort {
			col = i
		}
	}
	sortSheets(sheets, page.Sort, col)
	for _, sh := range sheets {
		page.Rows = append(page.Rows, evalRowOf(b, sh, names))
	}
	base := "/evaluation/cluster?" + hd.Query + "&cluster=" + c.Code
	for _, k := range append([]string{"rank", "name", "total"}, groupCodes(rec.Guide)...) {
		page.SortURL[k] = base + "&sort=" + k
	}
	return h.render(w, "evaluation_cluster.html", page)
}

func groupCodes(g *evaluation.Guide) []string {
	var out []string
	for _, gr := range g.Groups {
		out = append(out, gr.Code)
	}
	return out
}

// sortSheets orders the rows: by rank (as given), name, total, or a
// group's points (col), the best first; ties keep the rank order.
func sortSheets(sheets []*evaluation.Sheet, by string, col int) {
	slices.SortStableFunc(sheets, func(a, b *evaluation.Sheet) int {
		switch {
		case by == "name":
			return strings.Compare(vn.Fold(a.Unit.Name), vn.Fold(b.Unit.Name))
		case by == "total":
			return cmp.Compare(b.Total, a.Total)
		case col >= 0:
			return cmp.Compare(b.Groups[col].Points, a.Groups[col].Points)
		}
		return 0
	})
}
