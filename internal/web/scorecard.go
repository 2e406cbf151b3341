package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/sheet"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

type scorecardPage struct {
	Program  *program.Program
	Programs []*program.Program
	Unit     unit.Unit
	Units    []unitChoice
	Period   period.Period
	Periods  []periodGroup
	Groups   []targetGroup
	Counts   []statusCount
	Total    int // targets counted in Counts
	// SomeNotApplicable: some target is judged neither here nor below,
	// which the legend then explains.
	SomeNotApplicable bool
	AsOf              string
	Generated         string
	// Provisional: the period is not approved and locked at the unit.
	Provisional bool
	ProgramURL  string
	Years       string  // the trend's span
	History     string  // how the trend's years before a reform were computed
	Lists       string  // which unit lists the tree was read from
	Children    []crumb // the units below, each a link to its own results
	ChildrenURL string  // the units below side by side
	XLSX        string  // the table as an Excel download
}

type targetGroup struct {
	Code, Name string
	Rows       []targetRow
}

type targetRow struct {
	Code, Name, Measure, Threshold string
	Own                            string
	Previous                       string // "năm trước: 1.392", for "≥ last year"
	OwnStatus                      rollup.Status
	Parts                          []string // each condition, when there are several
	Coverage                       string
	CoverageStatus                 rollup.Status
	ownCell                        sheet.Cell // Own in the Excel download: a number where there is one
	Trend                          template.HTML
	Rules                          string      // the splits that changed the figure, and their rules
	Records                        recordsLink // the public records behind a computed figure
}

type statusCount struct {
	Status rollup.Status
	N      int
}

// unitChoice is a unit in the unit list, its name indented under its
// parent's.
type unitChoice struct {
	Code, Label string
	Selected    bool
}

// periodGroup is an <optgroup> of the period list.
type periodGroup struct {
	Label   string
	Periods []period.Period
}

func (h *Web) publicRoutes() []Route {
	return []Route{
		{"GET /{$}", true, h.scorecard},
		{"GET /public/children", true, h.publicChildren},
	}
}

// scorecard is the public page, the program's "bản điện tử": the program
// as published (a link to its document) and its results, a program's
// scorecard at a unit for a period: by default the first program, at its
// owner unit, for the last year of its term that has begun. Visitors need
// no sign-in and signed-in users see the same page. It shows provinces,
// districts and communes, never a residential area (scopeOf refuses them)
// nor anyone's name. Figures of a period not yet approved and locked are
// shown, marked as provisional: the committee publishes its progress
// during the year, and the mark says it may still change.
func (h *Web) scorecard(w http.ResponseWriter, r *http.Request, s *Session) error {
	sc, err := h.scopeOf(r, s, "", true)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "xlsx" {
		page, err := h.scorecardModel(r.Context(), sc)
		if err != nil {
			return err
		}
		return sendTable(w, fmt.Sprintf("ket-qua-%s-%s.xlsx", sc.unit.Code, sc.period), page.table())
	}
	body, err := h.scorecardBody(r.Context(), sc)
	if err != nil {
		return err
	}
	page := framedPage{Base: h.base(s, "Kết quả thực hiện chương trình hành động — "+sc.unit.Name), Body: body}
	page.Committee = committee(sc.unit)
	page.Nav = "public"
	return h.render(w, "scorecard.html", page)
}

func (h *Web) scorecardModel(ctx context.Context, sc pageScope) (*scorecardPage, error) {
	locked, err := h.Store.PeriodLocked(ctx, sc.unit, sc.period)
	if err != nil {
		return nil, err
	}
	return h.scorecardModelAt(ctx, sc, locked)
}

// scorecardModelAt is the page's content when the period's approval at the
// unit is as locked says.
func (h *Web) scorecardModelAt(ctx context.Context, sc pageScope, locked bool) (*scorecardPage, error) {
	prog, u, p := sc.prog, sc.unit, sc.period
	card, re, err := h.cardOf(ctx, prog, u, p)
	if err != nil {
		return nil, err
	}
	hi, err := h.historyOf(ctx, sc, u)
	if err != nil {
		return nil, err
	}
	page := &scorecardPage{
		Program:     prog,
		Programs:    sc.progs,
		Unit:        u,
		Period:      p,
		Periods:     periodChoices(prog, p),
		AsOf:        card.Date,
		Generated:   vnTime(h.Now()),
		Provisional: !locked,
		ProgramURL:  "/public/program/" + prog.Code,
		XLSX:        query("/", "program", progParam(sc), "unit", u.Code, "period", p.String(), "format", "xlsx"),
		Years:       hi.span(),
		History:     hi.note(),
	}
	if page.Lists, err = h.unitLists(ctx, card.Date); err != nil {
		return nil, err
	}
	page.Units, err = h.unitChoices(ctx, prog, u, p)
	if err != nil {
		return nil, err
	}
	if u.Kind != unit.Commune {
		kids, err := h.Store.Children(ctx, u, rollup.AsOf(u, p))
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			if k.Kind != unit.ResidentialArea {
				page.Children = append(page.Children, crumb{k.Name, query("/", "program", progParam(sc), "unit", k.Code, "period", p.String())})
			}
		}
		if len(page.Children) > 0 {
			page.ChildrenURL = query("/public/children", "program", progParam(sc), "unit", u.Code, "period", p.String())
		}
	}
	results := map[string]rollup.TargetResult{}
	for _, t := range card.Targets {
		results[t.Target.Code] = t
	}
	for _, s := range prog.Subprograms {
		g := targetGroup{Code: s.Code, Name: s.Name}
		for _, t := range s.Targets {
			r := row(prog, t, results[t.Code])
			r.Trend = hi.trend(t)
			r.Rules = rulesAt(append([]*rollup.Reassignment{re}, hi.re...), u, t)
			// The page is public and the same for every reader: it links
			// only to public records.
			r.Records = recordsOf(prog, t, u, p, publicReader)
			g.Rows = append(g.Rows, r)
		}
		page.Groups = append(page.Groups, g)
	}
	page.Total = len(card.Targets)
	page.Counts = summarize(card.Targets)
	page.SomeNotApplicable = slices.ContainsFunc(page.Counts, func(c statusCount) bool { return c.Status == rollup.NotApplicable })
	return page, nil
}

// table is the scorecard as an Excel sheet.
func (p *scorecardPage) table() sheet.TableSpec {
	sub := []string{p.Program.Name, "Số liệu lúc " + p.Generated}
	if p.Provisional {
		sub = append(sub, "Số liệu tạm thời: kỳ này chưa được duyệt và khóa.")
	}
	t := sheet.TableSpec{
		Title:     "Kết quả thực hiện chương trình hành động — " + p.Unit.Name + " — " + p.Period.Label(),
		Subtitles: sub,
		Header:    []string{"Mã", "Chỉ tiêu", "Ngưỡng", "Kết quả của đơn vị", "Đánh giá", "Đơn vị cấp dưới", "Đánh giá"},
	}
	for _, g := range p.Groups {
		t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(g.Code), sheet.Text(g.Name)})
		for _, r := range g.Rows {
			own := r.ownCell
			if own == (sheet.Cell{}) {
				own = sheet.Text(r.Own)
			}
			t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(r.Code), sheet.Text(r.Name), sheet.Text(r.Threshold), own,
				sheet.Text(r.OwnStatus.Label()), sheet.Text(r.Coverage), sheet.Text(r.CoverageStatus.Label())})
		}
	}
	return t
}

// row is a target's line in the table.
func row(prog *program.Program, t program.Target, res rollup.TargetResult) targetRow {
	r := targetRow{Code: t.Code, Name: t.Name, Measure: t.Measure, Threshold: heldTo(prog, t, res.Own.Parts), Own: "—",
		OwnStatus: res.Own.Status, Coverage: coverageText(res.Coverage), CoverageStatus: res.Coverage.Status}
	// The headline is the first condition's reading; a target not judged
	// in this period has none.
	var head rollup.Part
	if len(res.Own.Parts) > 0 {
		head = res.Own.Parts[0]
	}
	if res.Own.Status == rollup.NotApplicable && selfScoped(t) {
		// A committee's own count is no figure for a level the target
		// does not hold: the province's count under a commune target
		// would mislead.
		return r
	}
	m := measureOf(prog, t.Conditions[0])
	r.Own = figure(m, head)
	r.ownCell = figureCell(m, head.Value)
	if len(t.Conditions) == 1 {
		r.Previous = previous(m, head)
	}
	if len(t.Conditions) > 1 && head.Value != nil {
		for i, part := range res.Own.Parts {
			c := t.Conditions[i]
			r.Parts = append(r.Parts, partText(measureOf(prog, c), c, part))
		}
	}
	return r
}

// periodChoices lists the periods the page offers: every year of the
// program's term, then the half years and quarters of the shown period's
// year. The shown period is always among them, so the list shows it
// selected and "Xem" keeps it.
func periodChoices(prog *program.Program, p period.Period) []periodGroup {
	years := periodGroup{Label: "Cả năm"}
	for y := min(prog.Term.From, p.Year); y <= max(prog.Term.To, p.Year); y++ {
		if (y >= prog.Term.From && y <= prog.Term.To) || y == p.Year {
			years.Periods = append(years.Periods, period.Period{Type: period.Yearly, Year: y})
		}
	}
	within := periodGroup{Label: fmt.Sprintf("Trong năm %d", p.Year)}
	for _, t := range []period.Type{period.SixMonthly, period.Quarterly} {
		within.Periods = append(within.Periods, period.Period{Type: period.Yearly, Year: p.Year}.Within(t)...)
	}
	if p.Type == period.Monthly {
		within.Periods = append(within.Periods, p)
	}
	return []periodGroup{years, within}
}

// coverageText: "7/10 huyện đạt (70%)", with the units lacking figures.
func coverageText(c rollup.Coverage) string {
	if c.Units == 0 {
		return "—"
	}
	if c.Percent == nil {
		return vn.FormatInt(int64(c.Units-c.NoData)) + " " + kindWord(c.Kinds) + " có số liệu"
	}
	s := fmt.Sprintf("%s/%s %s đạt (%s)", vn.FormatInt(int64(c.Met)), vn.FormatInt(int64(c.Units)), kindWord(c.Kinds), coveragePercent(c))
	if c.NoData > 0 {
		s += ", " + vn.FormatInt(int64(c.NoData)) + " thiếu số liệu"
	}
	return s
}

// unitChoices lists the units the page offers, each indented under its
// parent: the program's owner unit and the units directly under it; under
// the one of those that leads to the shown unit, the units down to it,
// the shown unit among its siblings, and its own children.
func (h *Web) unitChoices(ctx context.Context, prog *program.Program, u unit.Unit, p period.Period) ([]unitChoice, error) {
	type entry struct {
		unit  unit.Unit
		depth int
	}
	var list []entry
	place := func(id int64) (int, bool) {
		i := slices.IndexFunc(list, func(e entry) bool { return e.unit.ID == id })
		return i, i >= 0
	}
	// insert puts units at depth from list[at] on, skipping those already
	// listed, and returns the place after the last one put.
	insert := func(at, depth int, us ...unit.Unit) int {
		for _, x := range us {
			if _, ok := place(x.ID); !ok {
				list = slices.Insert(list, at, entry{x, depth})
				at++
			}
		}
		return at
	}
	owner, err := h.Store.UnitDuring(ctx, prog.OwnerUnit, p.StartDate(), p.EndDate())
	if err == nil {
		insert(0, 0, owner)
		kids, err := h.Store.Children(ctx, owner, rollup.AsOf(owner, p))
		if err != nil {
			return nil, err
		}
		insert(1, 1, kids...)
	}
	if _, ok := place(u.ID); !ok {
		// Walk down from the nearest listed ancestor, listing the units on
		// the way; a unit outside the owner's tree goes at the end.
		at, depth := len(list), 0
		ancestors := u.AncestorIDs()
		for i := len(ancestors) - 1; i >= 0; i-- {
			j, ok := place(ancestors[i])
			if !ok {
				continue
			}
			at, depth = j+1, list[j].depth+1
			for _, id := range ancestors[i+1:] {
				a, err := h.Store.UnitByID(ctx, id)
				if err != nil {
					return nil, err
				}
				at = insert(at, depth, a)
				depth++
			}
			break
		}
		siblings := []unit.Unit{u}
		if j, ok := place(u.ParentID); ok {
			if siblings, err = h.Store.Children(ctx, list[j].unit, rollup.AsOf(u, p)); err != nil {
				return nil, err
			}
		}
		insert(at, depth, siblings...)
		if _, ok := place(u.ID); !ok {
			insert(at, depth, u)
		}
	}
	if u.Kind != unit.Commune && u.Kind != unit.ResidentialArea {
		kids, err := h.Store.Children(ctx, u, rollup.AsOf(u, p))
		if err != nil {
			return nil, err
		}
		j, _ := place(u.ID)
		insert(j+1, list[j].depth+1, kids...)
	}
	out := make([]unitChoice, 0, len(list))
	for _, e := range list {
		label := e.unit.Name
		if e.depth > 0 {
			// Spaces would collapse inside <option>; no-break spaces keep
			// the indent in every browser.
			label = strings.Repeat("\u00a0\u00a0\u00a0\u00a0", e.depth-1) + "— " + label
		}
		out = append(out, unitChoice{Code: e.unit.Code, Label: label, Selected: e.unit.ID == u.ID})
	}
	return out, nil
}

func selfScoped(t program.Target) bool {
	for _, c := range t.Conditions {
		if c.Scope == program.Self {
			return true
		}
	}
	return false
}

// scorecardBody is the public scorecard's body, rendered once per version
// of the unit's subtree and per state of the period's approval. The
// approval is read on every request (one indexed query) and is part of the
// key, so approving a report, which locks its period, leaves every cached
// page in place rather than raising the global version.
func (h *Web) scorecardBody(ctx context.Context, sc pageScope) (template.HTML, error) {
	locked, err := h.Store.PeriodLocked(ctx, sc.unit, sc.period)
	if err != nil {
		return "", err
	}
	key := fmt.Sprintf("%s|%s|%s|%v", sc.prog.Code, sc.unit.Path, sc.period, locked)
	if sc.prog.Continues != "" || readsAcross(sc.unit, sc.period) {
		// The page shows figures of the units this one was made from.
		hk, err := h.historyKey(ctx, sc.unit, rollup.AsOf(sc.unit, sc.period))
		if err != nil {
			return "", err
		}
		key += hk
	}
	return h.fragment(ctx, sc.unit, key, "scorecard_body", func(ctx context.Context) (any, error) {
		return h.scorecardModelAt(ctx, sc, locked)
	})
}
