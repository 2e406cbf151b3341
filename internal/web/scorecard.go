package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

type scorecardPage struct {
	Base
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
	}
}

// scorecard shows a program's scorecard at a unit for a period: by default
// the first program, at its owner unit, for the last year of its term that
// has begun.
func (h *Web) scorecard(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	progs, err := h.programs(ctx)
	if err != nil {
		return err
	}
	if len(progs) == 0 {
		return errs.New(errs.NotFound, "Chưa có chương trình nào. Hãy nạp một chương trình: mattran program import TỆP.yaml")
	}
	prog := progs[0]
	if id := q.Get("program"); id != "" {
		if prog, err = h.program(ctx, id); err != nil {
			return err
		}
	}
	year := min(prog.Term.To, h.Now().In(vietnam).Year())
	p := period.Period{Type: period.Yearly, Year: year}
	if s := q.Get("period"); s != "" {
		if p, err = period.Parse(s); err != nil {
			return errs.New(errs.Invalid, "%v", err)
		}
	}
	code := q.Get("unit")
	if code == "" {
		code = prog.OwnerUnit
	}
	u, err := h.Store.UnitDuring(ctx, code, p.StartDate(), p.EndDate())
	if err != nil {
		return err
	}
	card, err := h.card(ctx, prog, u, p)
	if err != nil {
		return err
	}
	page := scorecardPage{
		Base:      h.base(s, "Kết quả thực hiện chương trình hành động — "+u.Name),
		Program:   prog,
		Programs:  progs,
		Unit:      u,
		Period:    p,
		Periods:   periodChoices(prog, p),
		AsOf:      card.Date,
		Generated: vnTime(h.Now()),
	}
	page.Committee = committee(u)
	page.Units, err = h.unitChoices(r, prog, u, p)
	if err != nil {
		return err
	}
	counts := map[rollup.Status]int{}
	results := map[string]rollup.TargetResult{}
	for _, t := range card.Targets {
		results[t.Target.Code] = t
	}
	for _, s := range prog.Subprograms {
		g := targetGroup{Code: s.Code, Name: s.Name}
		for _, t := range s.Targets {
			res := results[t.Code]
			g.Rows = append(g.Rows, row(prog, t, res))
			// The verdict that counts for this unit: its own where the target
			// applies to it, else how the units below it did.
			if res.Own.Status != rollup.NotApplicable {
				counts[res.Own.Status]++
			} else {
				counts[res.Coverage.Status]++
			}
			page.Total++
		}
		page.Groups = append(page.Groups, g)
	}
	for _, s := range []rollup.Status{rollup.Met, rollup.NotMet, rollup.NoData, rollup.Tracked, rollup.NotApplicable} {
		if counts[s] > 0 {
			page.Counts = append(page.Counts, statusCount{s, counts[s]})
		}
	}
	page.SomeNotApplicable = counts[rollup.NotApplicable] > 0
	return h.render(w, "scorecard.html", page)
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
func (h *Web) unitChoices(r *http.Request, prog *program.Program, u unit.Unit, p period.Period) ([]unitChoice, error) {
	ctx := r.Context()
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
