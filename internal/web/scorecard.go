package web

import (
	"fmt"
	"net/http"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

type scorecardPage struct {
	Title     string
	Program   *program.Program
	Programs  []*program.Program
	Unit      unit.Unit
	Units     []unit.Unit
	Period    period.Period
	Periods   []period.Period
	Groups    []targetGroup
	Counts    []statusCount
	AsOf      string
	Generated string
}

type targetGroup struct {
	Code, Name string
	Rows       []targetRow
}

type targetRow struct {
	Code, Name, Measure, Threshold string
	Own                            string
	OwnStatus                      rollup.Status
	Parts                          []string // each condition, when there are several
	Coverage                       string
	CoverageStatus                 rollup.Status
}

type statusCount struct {
	Status rollup.Status
	N      int
}

// scorecard shows a program's scorecard at a unit for a period: by default
// the first program, at its owner unit, for the last year of its term that
// has begun.
func (h *Web) scorecard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	progs, err := h.Store.Programs(ctx)
	if err != nil {
		return err
	}
	if len(progs) == 0 {
		return errs.New(errs.NotFound, "Chưa có chương trình nào. Hãy nạp một chương trình: mattran program import TỆP.yaml")
	}
	prog := progs[0]
	if id := q.Get("program"); id != "" {
		if prog, err = h.Store.Program(ctx, id); err != nil {
			return err
		}
	}
	year := min(prog.Term.To, h.Now().Year())
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
	card, err := rollup.Scorecard(ctx, h.Store, prog, u, p)
	if err != nil {
		return err
	}
	page := scorecardPage{
		Title:     "Kết quả thực hiện chương trình hành động — " + u.Name,
		Program:   prog,
		Programs:  progs,
		Unit:      u,
		Period:    p,
		AsOf:      card.Date,
		Generated: h.Now().Format("15:04 02/01/2006"),
	}
	page.Units, err = h.unitChoices(r, prog, u, p)
	if err != nil {
		return err
	}
	for y := prog.Term.From; y <= prog.Term.To; y++ {
		page.Periods = append(page.Periods, period.Period{Type: period.Yearly, Year: y})
	}
	for i := 1; i <= 4; i++ {
		page.Periods = append(page.Periods, period.Period{Type: period.Quarterly, Year: p.Year, Index: i})
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
			own := res.Own.Value
			if res.Own.Status == rollup.NotApplicable && selfScoped(t) {
				// A committee's own count is no figure for a level the
				// target does not hold: the province's count under a
				// commune target would mislead.
				own = nil
			}
			row := targetRow{Code: t.Code, Name: t.Name, Measure: t.Measure, Threshold: thresholds(prog, t),
				Own: figure(prog, t.Conditions[0], own), OwnStatus: res.Own.Status,
				Coverage: coverageText(res.Coverage), CoverageStatus: res.Coverage.Status}
			if len(t.Conditions) > 1 && own != nil {
				for i, part := range res.Own.Parts {
					row.Parts = append(row.Parts, part.Label+": "+figure(prog, t.Conditions[i], part.Value))
				}
			}
			// The verdict that counts for this unit: its own where the target
			// applies to it, else how the units below it did.
			if res.Own.Status != rollup.NotApplicable {
				counts[res.Own.Status]++
			} else {
				counts[res.Coverage.Status]++
			}
			g.Rows = append(g.Rows, row)
		}
		page.Groups = append(page.Groups, g)
	}
	for _, s := range []rollup.Status{rollup.Met, rollup.NotMet, rollup.NoData, rollup.Tracked, rollup.NotApplicable} {
		if counts[s] > 0 {
			page.Counts = append(page.Counts, statusCount{s, counts[s]})
		}
	}
	return h.render(w, "scorecard.html", page)
}

// coverageText: "7/10 huyện đạt (70%)", with the units lacking figures.
func coverageText(c rollup.Coverage) string {
	if c.Units == 0 {
		return "—"
	}
	if c.Percent == nil {
		return vn.FormatInt(int64(c.Units-c.NoData)) + " " + kindWord(c.Kinds) + " có số liệu"
	}
	s := fmt.Sprintf("%s/%s %s đạt (%s)", vn.FormatInt(int64(c.Met)), vn.FormatInt(int64(c.Units)), kindWord(c.Kinds), percent(*c.Percent))
	if c.NoData > 0 {
		s += ", " + vn.FormatInt(int64(c.NoData)) + " thiếu số liệu"
	}
	return s
}

// unitChoices lists the units the page offers: the program's owner unit and
// the units directly under it, and the chosen unit's own children.
func (h *Web) unitChoices(r *http.Request, prog *program.Program, u unit.Unit, p period.Period) ([]unit.Unit, error) {
	ctx := r.Context()
	seen := map[int64]bool{}
	var out []unit.Unit
	add := func(us ...unit.Unit) {
		for _, x := range us {
			if !seen[x.ID] {
				seen[x.ID] = true
				out = append(out, x)
			}
		}
	}
	owner, err := h.Store.UnitDuring(ctx, prog.OwnerUnit, p.StartDate(), p.EndDate())
	if err == nil {
		add(owner)
		kids, err := h.Store.Children(ctx, owner, rollup.AsOf(owner, p))
		if err != nil {
			return nil, err
		}
		add(kids...)
	}
	add(u)
	if u.Kind != unit.Commune && u.Kind != unit.ResidentialArea {
		kids, err := h.Store.Children(ctx, u, rollup.AsOf(u, p))
		if err != nil {
			return nil, err
		}
		add(kids...)
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
