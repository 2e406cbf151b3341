package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"mattran/internal/chart"
	"mattran/internal/evaluation"
	"mattran/internal/report"
	"mattran/internal/sheet"
	"mattran/internal/unit"
)

var classColors = map[evaluation.Class]string{
	evaluation.Excellent: "#1b7a35", evaluation.Good: "#5aa469", evaluation.Done: "#e0a526", evaluation.NotDone: "#b3261e",
}

// classChart draws the share of each class this year and in the years
// before, at the same level under the unit of the same code (the old
// Bắc Giang's years, code 24, before the new Bắc Ninh's).
func (h *Web) classChart(ctx context.Context, rec evaluation.Record, b *evaluation.Board) (template.HTML, error) {
	hist, err := h.Store.History(ctx, rec.Owner.Code)
	if err != nil {
		return "", err
	}
	var ids []int64
	for _, v := range hist.Versions {
		ids = append(ids, v.ID)
	}
	recs, err := h.Store.EvalGuidesOf(ctx, ids...)
	if err != nil {
		return "", err
	}
	slices.SortFunc(recs, func(a, b evaluation.Record) int { return a.Guide.Year - b.Guide.Year })
	bars := chart.Bars{Label: "Tỷ lệ đơn vị theo xếp loại qua các năm"}
	for _, c := range evaluation.Classes {
		bars.Series = append(bars.Series, chart.Series{Name: c.Short(), Color: classColors[c]})
	}
	for _, r := range recs {
		if r.Guide.Year > rec.Guide.Year || r.Guide.Year < rec.Guide.Year-5 || r.Guide.Level != rec.Guide.Level && r.Guide.Year == rec.Guide.Year {
			continue
		}
		rb := b
		if r.ID != rec.ID {
			if rb, err = h.board(ctx, r); err != nil {
				return "", err
			}
		}
		counts := rb.Counts()
		g := chart.BarGroup{Label: strconv.Itoa(r.Guide.Year)}
		if r.Guide.Year == rec.Guide.Year && !r.Frozen() {
			g.Label += "*"
		}
		for _, c := range evaluation.Classes {
			share := 0.0
			if len(rb.Sheets) > 0 {
				share = float64(counts[c]) * 100 / float64(len(rb.Sheets))
			}
			g.Values = append(g.Values, share)
			g.Titles = append(g.Titles, fmt.Sprintf("%d: %s %d/%d đơn vị (%s)", r.Guide.Year, c.Short(), counts[c], len(rb.Sheets), r.Owner.Name))
		}
		bars.Groups = append(bars.Groups, g)
	}
	return bars.SVG(), nil
}

type evaluationReportPage struct {
	Base
	evalHeader
	Doc         report.Document
	Intro       string
	Columns     []string // criteria codes, for the appendix
	Groups      []string // group codes with their maxima, for section II
	Legend      []string // "code: name (tối đa n)", groups and criteria
	ColWidth    string   // each points column's share of the appendix's width
	Rows        []reportEvalRow
	Titles      []evalRow
	Counts      []classCount
	XLSX        string
	Provisional bool
}

type reportEvalRow struct {
	Rank             int
	Name, Cluster    string
	Points           []string // per criterion
	GroupPoints      []string
	Bonus, Deduction string
	Total, Percent   string
	Class            string
	Title            string
}

// evaluationReport is the annual evaluation report: each unit's points
// per criterion, total, class and rank, and the titles proposed, in the
// administrative layout of the consolidated report (NĐ 30/2020), or as
// XLSX with numbers as numbers.
func (h *Web) evaluationReport(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	rec, b, err := h.evalBoardAt(ctx, s, q)
	if err != nil {
		return err
	}
	owner, year := rec.Owner, rec.Guide.Year
	g := rec.Guide
	names := map[string]string{}
	for _, c := range b.Clusters {
		names[c.Code] = c.Name
	}
	var codes []string
	for _, l := range firstLines(b) {
		if l.Group != "bonus" && l.Group != "deduction" {
			codes = append(codes, l.Code)
		}
	}
	if q.Get("format") == "xlsx" {
		return sendTable(w, fmt.Sprintf("danh-gia-thi-dua-%s-%d.xlsx", owner.Code, year), evalTable(b, codes, names))
	}
	hd, err := h.evalHeaderOf(ctx, s, rec)
	if err != nil {
		return err
	}
	parent := unit.Unit{}
	if owner.ParentID != 0 {
		if parent, err = h.Store.UnitByID(ctx, owner.ParentID); err != nil {
			return err
		}
	}
	// A frozen year's report is dated the day its results were frozen:
	// printed again later (or after the owner was merged away) it is the
	// same document.
	day := h.Now()
	if rec.Frozen() {
		day = rec.FrozenAt
	}
	doc := report.New(owner, parent, day)
	doc.Number = "Số: …/BC-MTTQ-BTT"
	doc.Subject = fmt.Sprintf("Kết quả kiểm tra, đánh giá, chấm điểm thi đua và xếp loại năm %d", year)
	doc.Generated = "Số liệu lúc " + vnTime(h.Now()) + "."
	if rec.Frozen() {
		doc.Generated = "Kết quả đã khóa lúc " + vnTime(rec.FrozenAt) + " bởi " + rec.FrozenBy + "; in lúc " + vnTime(h.Now()) + "."
	}
	page := evaluationReportPage{Base: h.base(s, doc.Subject+" — "+owner.Name), evalHeader: hd, Doc: doc, Columns: codes,
		XLSX: "/evaluation/report?" + hd.Query + "&format=xlsx", Provisional: !rec.Frozen()}
	page.Nav = "evaluation"
	page.Intro = fmt.Sprintf("Thực hiện %s, %s đã kiểm tra, đánh giá và chấm điểm thi đua %d đơn vị (thang điểm %s). Kết quả như sau:",
		lowerFirstRune(g.Name), report.IssuerName(owner, parent), len(b.Sheets), g.Max().String())
	for _, sh := range b.Sheets {
		row := reportEvalRow{Rank: sh.Rank, Name: sh.Unit.Name, Cluster: names[sh.Cluster], Bonus: sh.Bonus.String(), Deduction: sh.Deduction.String(),
			Total: sh.Total.String(), Percent: sh.PercentText(), Class: sh.Class.Short(), Title: g.TitleName(sh.Title)}
		if sh.Title == "" {
			row.Title = ""
		}
		for _, code := range codes {
			row.Points = append(row.Points, linePoints(sh, code).String())
		}
		for _, gt := range sh.Groups {
			row.GroupPoints = append(row.GroupPoints, gt.Points.String())
		}
		page.Rows = append(page.Rows, row)
		if sh.Title != "" {
			page.Titles = append(page.Titles, evalRowOf(b, sh, names))
		}
	}
	// Section II shows the groups, which fit a portrait page however many
	// criteria the guide has; the appendix, on landscape pages, shows
	// every criterion. The legend names the codes both use.
	page.ColWidth = fmt.Sprintf("%.2f%%", 82/float64(len(codes)+3))
	page.Groups, page.Legend = groupCodes(g), criteriaLegend(g)
	counts := b.Counts()
	for _, c := range evaluation.Classes {
		page.Counts = append(page.Counts, classCount{Class: c, N: counts[c]})
	}
	return h.render(w, "evaluation_report.html", page)
}

// lowerFirstRune lowers a title's first letter to run it into a sentence.
func lowerFirstRune(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

func firstLines(b *evaluation.Board) []evaluation.Line {
	if len(b.Sheets) == 0 {
		return nil
	}
	return b.Sheets[0].Lines
}

func linePoints(sh *evaluation.Sheet, code string) evaluation.Points {
	for _, l := range sh.Lines {
		if l.Code == code {
			return l.Points
		}
	}
	return 0
}

// evalTable is the report as a sheet: a row per unit, every point a number.
func evalTable(b *evaluation.Board, codes []string, clusters map[string]string) sheet.TableSpec {
	g := b.Record.Guide
	sub := []string{b.Record.Owner.Name, g.Name, "Thang điểm " + g.Max().String()}
	if g.Example {
		sub = append(sub, "Hướng dẫn chấm điểm là bản ví dụ.")
	}
	if !b.Frozen {
		sub = append(sub, "Kết quả tạm thời: năm chưa được khóa.")
	}
	// The columns carry the criteria's codes; these lines name them.
	sub = append(sub, criteriaLegend(g)...)
	t := sheet.TableSpec{Title: fmt.Sprintf("Kết quả chấm điểm thi đua năm %d", g.Year), Subtitles: sub,
		Header: []string{"Hạng", "Mã đơn vị", "Đơn vị", "Cụm thi đua", "Hạng trong cụm"}}
	t.Header = append(t.Header, codes...)
	t.Header = append(t.Header, "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Tỷ lệ so với điểm tối đa", "Xếp loại", "Đề nghị khen thưởng")
	for _, sh := range b.Sheets {
		row := []sheet.Cell{sheet.Number(float64(sh.Rank), 0), sheet.Text(sh.Unit.Code), sheet.Text(sh.Unit.Name), sheet.Text(clusters[sh.Cluster])}
		if sh.ClusterRank > 0 {
			row = append(row, sheet.Number(float64(sh.ClusterRank), 0))
		} else {
			row = append(row, sheet.Text(""))
		}
		for _, c := range codes {
			row = append(row, sheet.Number(linePoints(sh, c).Float(), 2))
		}
		title := ""
		if sh.Title != "" {
			title = g.TitleName(sh.Title)
		}
		row = append(row, sheet.Number(sh.Bonus.Float(), 2), sheet.Number(sh.Deduction.Float(), 2), sheet.Number(sh.Total.Float(), 2),
			sheet.Percent(sh.Percent()), sheet.Text(sh.Class.Label()), sheet.Text(title))
		t.Rows = append(t.Rows, row)
	}
	return t
}

// criteriaLegend names the codes of the report's columns, a line per
// group: "DG: Đánh giá chung (tối đa 15,00): DG1 – Đổi mới … (8,00); …".
func criteriaLegend(g *evaluation.Guide) []string {
	var out []string
	for _, gr := range g.Groups {
		var cs []string
		for _, c := range gr.Criteria {
			cs = append(cs, c.Code+" – "+c.Name+" ("+evaluation.PointsOf(c.Max).String()+")")
		}
		out = append(out, gr.Code+": "+gr.Name+" (tối đa "+evaluation.PointsOf(gr.Max).String()+"): "+strings.Join(cs, "; "))
	}
	return out
}
