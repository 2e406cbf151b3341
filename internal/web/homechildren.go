package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/sheet"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

// childrenPage is the units directly below a unit side by side: a row per
// unit and a column per target, or, for one target, a column per reading
// of it. Columns and Rows are plain slices, so the table can go to Excel as
// it is.
type childrenPage struct {
	Public  bool
	Program *program.Program
	Unit    unit.Unit
	Period  period.Period
	Periods []periodGroup
	Crumbs  []crumb
	Target  *program.Target // nil: every target
	Targets []targetChoice
	Sort    string
	Dir     string
	Action  string        // the page's own path, for the form
	UnitURL string        // the unit's own page
	Groups  []columnGroup // over the targets' columns, their programs
	Columns []childColumn
	Rows    []childRow
	AsOf    string
	XLSX    string // the table as an Excel download
}

// columnGroup heads the columns of one program's targets.
type columnGroup struct {
	Code, Name string
	Span       int
}

type targetChoice struct {
	Code, Label string
	Selected    bool
}

// childColumn is a column heading; following its link sorts by it.
type childColumn struct {
	Key, Label, Title, URL string
	Sorted                 string // "asc", "desc" or ""
}

type childRow struct {
	Unit        unit.Unit
	URL         string // the unit's own page
	ChildrenURL string // the units below it, side by side; "" when it has none to show
	Cells       []childCell
}

// childCell is one reading in the table.
type childCell struct {
	Text, Note string
	Status     rollup.Status // "": no verdict in this cell
	Badge      bool          // the text is the verdict, shown as a badge
	Bar        *progressBar
	Title      string      // hovering the cell: the target and the units below
	Records    recordsLink // the records behind the unit's computed figure: the cell's text links to them
	sortKey    float64
	hasKey     bool
	xlsx       sheet.Cell // the cell in the Excel download: a number where there is one
}

func (h *Web) homeChildren(w http.ResponseWriter, r *http.Request, s *Session) error {
	return h.childrenTable(w, r, s, false)
}

func (h *Web) publicChildren(w http.ResponseWriter, r *http.Request, s *Session) error {
	return h.childrenTable(w, r, s, true)
}

// childrenTable shows the units below a unit on every target, or on one
// (?target=), sorted by ?sort= and ?dir=. The public table leaves out
// residential areas.
func (h *Web) childrenTable(w http.ResponseWriter, r *http.Request, s *Session, public bool) error {
	ctx := r.Context()
	sc, err := h.scopeOf(r, s, "", public)
	if err != nil {
		return err
	}
	// The way down starts at the reader's unit, or for the public at the
	// program's owner.
	var top unit.Unit
	if public {
		if top, err = h.Store.UnitDuring(ctx, sc.prog.OwnerUnit, sc.period.StartDate(), sc.period.EndDate()); err != nil {
			return err
		}
	} else {
		top = s.User.Unit
	}
	q := r.URL.Query()
	ask := childrenAsk{target: q.Get("target"), sort: q.Get("sort"), dir: q.Get("dir"), public: public, path: r.URL.Path}
	title := "Các đơn vị trực thuộc " + sc.unit.Name + " — " + sc.period.Label()
	if q.Get("format") == "xlsx" {
		page, err := h.childrenModel(ctx, sc, top, ask)
		if err != nil {
			return err
		}
		return sendTable(w, fmt.Sprintf("don-vi-truc-thuoc-%s-%s.xlsx", sc.unit.Code, sc.period), page.table(title, vnTime(h.Now())))
	}
	body, err := h.childrenBody(ctx, sc, top, ask)
	if err != nil {
		return err
	}
	page := framedPage{Base: h.base(s, title), Body: body}
	page.Nav = "home"
	if public {
		page.Nav = "public"
		page.Committee = committee(sc.unit)
	}
	return h.render(w, "home_children.html", page)
}

// childrenAsk is what a children table is asked for, besides the unit
// and period.
type childrenAsk struct {
	target, sort, dir string
	public            bool
	path              string // the page's own path, public or not
}

func (h *Web) childrenModel(ctx context.Context, sc pageScope, top unit.Unit, ask childrenAsk) (*childrenPage, error) {
	prog, u, p, public := sc.prog, sc.unit, sc.period, ask.public
	page := &childrenPage{Public: public, Program: prog, Unit: u, Period: p, Periods: periodChoices(prog, p), Action: ask.path}
	targets := prog.Targets()
	if ask.target != "" {
		i := slices.IndexFunc(targets, func(t program.Target) bool { return t.Code == ask.target })
		if i < 0 {
			return nil, errs.New(errs.NotFound, "Chương trình không có chỉ tiêu %s.", ask.target)
		}
		page.Target = &targets[i]
	}
	for _, t := range targets {
		page.Targets = append(page.Targets, targetChoice{t.Code, t.Code + " " + t.Name, page.Target != nil && t.Code == page.Target.Code})
	}
	link := func(path string, x unit.Unit, kv ...string) string {
		return query(path, append([]string{"program", progParam(sc), "unit", x.Code, "period", p.String()}, kv...)...)
	}
	home, own := "/home", "/home/children"
	if public {
		home, own = "/", "/public/children"
	}
	page.UnitURL = link(home, u)
	var err error
	if page.Crumbs, err = h.crumbs(ctx, top, u, func(a unit.Unit) string { return link(own, a, "target", ask.target) }); err != nil {
		return nil, err
	}
	kids, err := h.Store.Children(ctx, u, rollup.AsOf(u, p))
	if err != nil {
		return nil, err
	}
	if public {
		kids = slices.DeleteFunc(kids, func(x unit.Unit) bool { return x.Kind == unit.ResidentialArea })
	}
	// A child's own reading of a target that holds at its level is among
	// the units the parent's coverage counted; the units a coverage
	// counted below a child judge a child the target does not hold at.
	// Only the figures of those children are read apart, for the targets
	// that need them. Both come from the kept evaluations when the
	// program and period are kept, else from the scorecard's units.
	ownOf, belowOf, asOf, err := h.childrenReadings(ctx, prog, u, kids, p)
	if err != nil {
		return nil, err
	}
	page.AsOf = asOf
	var apart []program.Target
	for _, t := range targets {
		if selfScoped(t) {
			continue // a committee's own count is not shown where the target does not hold
		}
		if slices.ContainsFunc(kids, func(k unit.Unit) bool { _, ok := ownOf[t.Code][k.ID]; return !ok }) {
			apart = append(apart, t)
		}
	}
	figures, err := h.readingsOf(ctx, u, prog, apart, kids, p)
	if err != nil {
		return nil, err
	}
	shown := targets
	if page.Target != nil {
		shown = []program.Target{*page.Target}
	}
	page.Columns = []childColumn{{Key: "name", Label: "Đơn vị"}}
	if page.Target == nil {
		for _, sub := range prog.Subprograms {
			page.Groups = append(page.Groups, columnGroup{sub.Code, sub.Name, len(sub.Targets)})
			for _, t := range sub.Targets {
				page.Columns = append(page.Columns, childColumn{Key: t.Code, Label: t.Code, Title: t.Name})
			}
		}
	} else {
		t := page.Target
		for i, c := range t.Conditions {
			label := c.Label
			if len(t.Conditions) == 1 {
				label = t.Measure
			}
			page.Columns = append(page.Columns, childColumn{Key: "part" + strconv.Itoa(i+1), Label: label})
		}
		page.Columns = append(page.Columns,
			childColumn{Key: "threshold", Label: "Ngưỡng"},
			childColumn{Key: "status", Label: "Đánh giá"},
			childColumn{Key: "progress", Label: "Tiến độ"})
	}
	// The public table links only to public records; the signed-in one
	// to records in the reader's subtree.
	reader := linkReader{public: public, top: top}
	for _, kid := range kids {
		row := childRow{Unit: kid, URL: link(home, kid)}
		if kid.Kind != unit.ResidentialArea && !(public && kid.Kind == unit.Commune) {
			row.ChildrenURL = link(own, kid, "target", ask.target)
		}
		for _, t := range shown {
			res := rollup.TargetResult{Target: t}
			if r, ok := ownOf[t.Code][kid.ID]; ok {
				res.Own = r
			} else {
				res.Own = figures.At(t.Code, kid, p)
				res.Own.Status = rollup.NotApplicable
				res.Coverage = belowOf(t.Code, kid)
			}
			first := len(row.Cells)
			if page.Target == nil {
				row.Cells = append(row.Cells, compactCell(prog, t, res))
			} else {
				row.Cells = append(row.Cells, targetCells(prog, t, res)...)
			}
			if row.Cells[first].Text != "—" {
				row.Cells[first].Records = recordsOf(prog, t, kid, p, reader)
			}
		}
		page.Rows = append(page.Rows, row)
	}
	page.Sort, page.Dir = ask.sort, ask.dir
	if page.Dir != "desc" {
		page.Dir = "asc"
	}
	col := slices.IndexFunc(page.Columns, func(c childColumn) bool { return c.Key == page.Sort })
	if page.Sort != "" && col < 0 {
		return nil, errs.New(errs.Invalid, "Không sắp xếp được theo cột %q.", page.Sort)
	}
	if col >= 0 {
		sortRows(page.Rows, col, page.Dir == "desc")
		page.Columns[col].Sorted = page.Dir
	}
	page.XLSX = link(own, u, "target", ask.target, "sort", ask.sort, "dir", ask.dir, "format", "xlsx")
	for i := range page.Columns {
		dir := "asc"
		if page.Columns[i].Sorted == "asc" {
			dir = "desc"
		}
		page.Columns[i].URL = link(own, u, "target", ask.target, "sort", page.Columns[i].Key, "dir", dir)
	}
	return page, nil
}

// childrenReadings reads, by target, the readings of the children u's
// coverage counts, and a function giving, for any other child, the
// coverage of the units below it that u's coverage counts; and the day
// the tree is read on.
func (h *Web) childrenReadings(ctx context.Context, prog *program.Program, u unit.Unit, kids []unit.Unit, p period.Period) (map[string]map[int64]rollup.Reading, func(string, unit.Unit) rollup.Coverage, string, error) {
	if !readsAcross(u, p) {
		kept, ok, err := h.Store.KeptChildren(ctx, prog, u, kids, p)
		if err != nil {
			return nil, nil, "", err
		}
		if ok {
			return kept.Counted, func(t string, kid unit.Unit) rollup.Coverage { return kept.Below[t][kid.ID] }, rollup.AsOf(u, p), nil
		}
	}
	card, err := h.cardBelow(ctx, prog, u, p)
	if err != nil {
		return nil, nil, "", err
	}
	ownOf := map[string]map[int64]rollup.Reading{}
	below := map[string]map[int64][]rollup.UnitReading{}
	for _, res := range card.Targets {
		mine, by := map[int64]rollup.Reading{}, map[int64][]rollup.UnitReading{}
		for _, x := range res.Coverage.Below {
			if x.Unit.ParentID == u.ID {
				mine[x.Unit.ID] = x.Reading
			} else if id := childOf(u, x.Unit); id != 0 {
				by[id] = append(by[id], x)
			}
		}
		ownOf[res.Target.Code], below[res.Target.Code] = mine, by
	}
	return ownOf, func(t string, kid unit.Unit) rollup.Coverage { return rollup.CoverageOf(below[t][kid.ID]) }, card.Date, nil
}

// table is the children table as an Excel sheet, in the order shown.
func (p *childrenPage) table(title, now string) sheet.TableSpec {
	what := "Tất cả chỉ tiêu"
	if p.Target != nil {
		what = p.Target.Code + " " + p.Target.Name
	}
	t := sheet.TableSpec{Title: title, Subtitles: []string{p.Program.Name, what, "Số liệu lúc " + now}}
	for i, c := range p.Columns {
		label := c.Label
		if i > 0 && c.Title != "" {
			label += " " + c.Title
		}
		t.Header = append(t.Header, label)
	}
	for _, r := range p.Rows {
		row := []sheet.Cell{sheet.Text(r.Unit.Name)}
		for _, c := range r.Cells {
			row = append(row, c.xlsx)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// figureCell is a figure as an Excel cell: a percent, whole đồng, or a
// number with the decimals it has; "—" when there is none.
func figureCell(m measure, v *float64) sheet.Cell {
	switch {
	case v == nil:
		return sheet.Text("—")
	case m == percentage:
		return sheet.Percent(*v)
	case m == money || *v == float64(int64(*v)):
		return sheet.Number(*v, 0)
	}
	return sheet.Number(*v, 2)
}

// childOf is the id of the child of u that x lies under (or is), or 0.
func childOf(u, x unit.Unit) int64 {
	if !strings.HasPrefix(x.Path, u.Path) || len(x.Path) == len(u.Path) {
		return 0
	}
	rest := x.Path[len(u.Path):]
	id, _ := strconv.ParseInt(rest[:strings.IndexByte(rest, '/')], 10, 64)
	return id
}

// compactCell is a target's reading in the table of every target: the
// figure on the verdict's colour, or, where the verdict is the units
// below's and the unit has no figure of its own, how many of them met it.
func compactCell(prog *program.Program, t program.Target, res rollup.TargetResult) childCell {
	v := viewOf(prog, t, res)
	c := childCell{Text: v.Figure, Status: v.Status, Bar: v.Bar, Title: t.Code + " " + t.Name, sortKey: v.sortKey, hasKey: v.hasKey}
	c.xlsx = sheet.Text(c.Text)
	if len(res.Own.Parts) > 0 && c.Text != "—" {
		c.xlsx = figureCell(measureOf(prog, t.Conditions[0]), res.Own.Parts[0].Value)
		// One figure stands for a target of several conditions: if the
		// first is met and another is not, a red «100%» would say nothing;
		// show the condition that is missed, and name it in the title.
		if res.Own.Status == rollup.NotMet && res.Own.Parts[0].Status == rollup.Met {
			for i, part := range res.Own.Parts {
				if part.Status == rollup.NotMet && i < len(t.Conditions) {
					m := measureOf(prog, t.Conditions[i])
					c.Text, c.xlsx = figure(m, part), figureCell(m, part.Value)
					c.Title += " — chưa đạt: " + strings.TrimSuffix(part.Label, " (%)") + " " + c.Text
					break
				}
			}
		}
	}
	if v.Note != "" {
		c.Title += " — " + v.Note
		if c.Text == "—" {
			cov := res.Coverage
			c.Text = vn.FormatInt(int64(cov.Met)) + "/" + vn.FormatInt(int64(cov.Units)) + " " + kindWord(cov.Kinds)
			c.xlsx = sheet.Text(c.Text)
		}
	}
	return c
}

// targetCells are one target's columns: each condition's figure (a
// percent with its numerator and denominator), the threshold, the verdict
// and the progress bar.
func targetCells(prog *program.Program, t program.Target, res rollup.TargetResult) []childCell {
	v := viewOf(prog, t, res)
	var out []childCell
	for i, c := range t.Conditions {
		cell := childCell{Text: "—", xlsx: sheet.Text("—")}
		if i < len(res.Own.Parts) && !(res.Own.Status == rollup.NotApplicable && selfScoped(t)) {
			part := res.Own.Parts[i]
			cell.Text = figure(measureOf(prog, c), part)
			cell.xlsx = figureCell(measureOf(prog, c), part.Value)
			if part.Value != nil {
				cell.sortKey, cell.hasKey = *part.Value, true
			}
			if part.Numerator != nil && part.Denominator != nil {
				cell.Note = vn.FormatNumber(*part.Numerator, -1) + "/" + vn.FormatNumber(*part.Denominator, -1)
			}
		}
		out = append(out, cell)
	}
	rank := slices.Index(statusOrder, v.Status)
	status := v.Status.Label()
	if v.Note != "" {
		status += " (" + v.Note + ")"
	}
	progress := sheet.Text("")
	if v.Bar != nil {
		progress = sheet.Percent(barKey(v.Bar))
	}
	out = append(out,
		childCell{Text: v.Threshold, xlsx: sheet.Text(v.Threshold)},
		childCell{Text: v.Status.Label(), Status: v.Status, Badge: true, Note: v.Note, sortKey: float64(-rank), hasKey: true, xlsx: sheet.Text(status)},
		childCell{Bar: v.Bar, sortKey: barKey(v.Bar), hasKey: v.Bar != nil, xlsx: progress})
	return out
}

func barKey(b *progressBar) float64 {
	if b == nil {
		return 0
	}
	f, _ := strconv.ParseFloat(b.Width, 64)
	return f
}

// sortRows orders the rows by column col (0: the unit's name, read
// without accents as Vietnamese readers look names up). Rows with no
// figure in the column go last either way; ties keep the tree's order.
func sortRows(rows []childRow, col int, desc bool) {
	slices.SortStableFunc(rows, func(a, b childRow) int {
		if col == 0 {
			c := strings.Compare(vn.Fold(a.Unit.Name), vn.Fold(b.Unit.Name))
			if desc {
				c = -c
			}
			return c
		}
		x, y := a.Cells[col-1], b.Cells[col-1]
		switch {
		case x.hasKey != y.hasKey:
			if x.hasKey {
				return -1
			}
			return 1
		case !x.hasKey:
			return 0
		}
		c := 0
		if x.sortKey < y.sortKey {
			c = -1
		} else if x.sortKey > y.sortKey {
			c = 1
		}
		if desc {
			c = -c
		}
		return c
	})
}

// childrenBody is the children table's body, rendered once per version of
// the unit's subtree.
func (h *Web) childrenBody(ctx context.Context, sc pageScope, top unit.Unit, ask childrenAsk) (template.HTML, error) {
	key := fmt.Sprintf("%s|%s|%s|%s|%+v", sc.prog.Code, top.Path, sc.unit.Path, sc.period, ask)
	if readsAcross(sc.unit, sc.period) {
		hk, err := h.historyKey(ctx, sc.unit, rollup.AsOf(sc.unit, sc.period))
		if err != nil {
			return "", err
		}
		key += hk
	}
	return h.fragment(ctx, sc.unit, key, "home_children_body", func(ctx context.Context) (any, error) {
		return h.childrenModel(ctx, sc, top, ask)
	})
}
