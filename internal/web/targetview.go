package web

import (
	"context"
	"fmt"
	"html/template"
	"mattran/internal/access"
	"mattran/internal/clock"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"mattran/internal/chart"
	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

// This file holds what the home page, the children table, the program
// document and the public page share: which program, unit and period a
// request asks for, and how a target's reading shows (figure, verdict,
// progress bar, trend).

// pageScope is the program, unit and period a page shows.
type pageScope struct {
	progs  []*program.Program
	prog   *program.Program
	first  *program.Program // the one shown when none is asked for
	unit   unit.Unit
	period period.Period
}

// scopeOf reads ?program= (or progCode, from the path), ?period= and
// ?unit=. A signed-in page defaults to the user's unit (or the program's
// owner when it lies below the user's unit, as for the central committee's
// administrator) and refuses a unit outside the user's subtree. A public
// page defaults to the owner and shows any unit but a residential area:
// those are villages and street groups, whose figures are not published.
func (h *Web) scopeOf(r *http.Request, s *Session, progCode string, public bool) (pageScope, error) {
	ctx := r.Context()
	q := r.URL.Query()
	var sc pageScope
	var err error
	if sc.progs, err = h.programs(ctx); err != nil {
		return sc, err
	}
	if len(sc.progs) == 0 {
		return sc, errs.New(errs.NotFound, "Chưa có chương trình nào. Hãy nạp một chương trình: mattran program import TỆP.yaml")
	}
	if progCode == "" {
		progCode = q.Get("program")
	}
	// By default, the first program that is no unit's derived one: a
	// derived program shares its parent's targets, and the parent's
	// scorecard already judges each unit by its own thresholds.
	sc.first = firstProgram(sc.progs)
	sc.prog = h.scopeProgram(ctx, sc.progs, q.Get("unit"), q.Get("period"), s, public)
	if progCode != "" {
		sc.prog = nil
		for _, p := range sc.progs {
			if p.Code == progCode {
				sc.prog = p
			}
		}
		if sc.prog == nil {
			return sc, errs.New(errs.NotFound, "Không có chương trình mã %s.", progCode)
		}
		if err := h.mayReadProgram(ctx, s, sc.prog, public); err != nil {
			return sc, err
		}
	}
	if public {
		// The public pages list the published programs only.
		sc.progs = slices.DeleteFunc(slices.Clone(sc.progs), func(p *program.Program) bool { return access.PublicProgram(p) != nil })
	}
	sc.period = currentPeriod(sc.prog, period.Yearly, h.Now())
	if v := q.Get("period"); v != "" {
		if sc.period, err = period.Parse(v); err != nil {
			return sc, errs.New(errs.Invalid, "%v", err)
		}
	}
	from, to := sc.period.StartDate(), sc.period.EndDate()
	code := q.Get("unit")
	if code == "" {
		code = sc.prog.OwnerUnit
		if !public {
			if owner, err := h.Store.UnitDuring(ctx, code, from, to); err != nil || access.See(s.User, owner) != nil {
				code = s.User.Unit.Code
			}
		}
	}
	if public {
		sc.unit, err = h.Store.UnitDuring(ctx, code, from, to)
		if err == nil && sc.unit.Kind == unit.ResidentialArea {
			err = errs.New(errs.NotFound, "Trang công khai không công bố số liệu của từng khu dân cư. Hãy xem số liệu của xã, phường.")
		}
		return sc, err
	}
	sc.unit, err = h.unitFor(r, s, code, from, to)
	return sc, err
}

// mayReadProgram asks package access whether the page may show p: a
// public page only a published program, a signed-in user's page one they
// may read.
func (h *Web) mayReadProgram(ctx context.Context, s *Session, p *program.Program, public bool) error {
	if public || s == nil {
		return access.PublicProgram(p)
	}
	if !p.Derived() {
		return nil
	}
	owner, err := h.Store.OwnerOf(ctx, p)
	if err != nil {
		return err
	}
	return access.ReadProgramOf(s.User, p, owner)
}

// counted is the verdict that counts for a unit: its own where the target
// applies to its level, else how the units below it did.
func counted(res rollup.TargetResult) rollup.Status {
	if res.Own.Status != rollup.NotApplicable {
		return res.Own.Status
	}
	return res.Coverage.Status
}

// statusOrder lists statuses as summaries show them.
var statusOrder = []rollup.Status{rollup.Met, rollup.NotMet, rollup.NoData, rollup.Tracked, rollup.NotApplicable}

// summarize counts the verdicts that count, in statusOrder, leaving out
// statuses no target has.
func summarize(results []rollup.TargetResult) []statusCount {
	n := map[rollup.Status]int{}
	for _, r := range results {
		n[counted(r)]++
	}
	var out []statusCount
	for _, s := range statusOrder {
		if n[s] > 0 {
			out = append(out, statusCount{s, n[s]})
		}
	}
	return out
}

// targetView is a target's line on a unit's home page or a cell of the
// children table: its figure, the verdict that counts, and a progress bar.
type targetView struct {
	Code, Name, Measure, Threshold string
	Figure                         string
	Note                           string // the units below, when the verdict is theirs: "7/10 huyện đạt (70%)"
	Status                         rollup.Status
	Bar                            *progressBar // nil: no bar (tracked, no figure, no threshold to measure against)
	Trend                          template.HTML
	Link                           string      // the units below on this target
	Records                        recordsLink // the records behind a computed figure
	// sortKey orders the children table by this column; hasKey is false
	// when there is no figure, which sorts last either way.
	sortKey float64
	hasKey  bool
}

// progressBar is how far a figure has come toward its threshold.
type progressBar struct {
	Width  string // percent of the bar filled: "57", "100"
	Mark   string // where the threshold lies, for a percent: "80"; "" when the full bar is the threshold
	Title  string // the bar in words
	Status rollup.Status
}

// viewOf shows a target's result at a unit. The figure is the unit's own
// (a committee's own count is left out where the target does not hold, as
// on the scorecard); the verdict is the one that counts, and when it is the
// units below's, the note says how many of them met it and the bar shows
// that share.
func viewOf(prog *program.Program, t program.Target, res rollup.TargetResult) targetView {
	v := targetView{Code: t.Code, Name: t.Name, Measure: t.Measure, Threshold: heldTo(prog, t, res.Own.Parts), Figure: "—", Status: counted(res)}
	var head rollup.Part
	if len(res.Own.Parts) > 0 {
		head = res.Own.Parts[0]
	}
	m := measureOf(prog, t.Conditions[0])
	if !(res.Own.Status == rollup.NotApplicable && selfScoped(t)) {
		v.Figure = figure(m, head)
		if head.Value != nil {
			v.sortKey, v.hasKey = *head.Value, true
		}
	}
	if res.Own.Status != rollup.NotApplicable {
		v.Bar = progress(m, head, res.Own.Status)
		return v
	}
	if res.Coverage.Units == 0 && !ownThreshold(res.Own.Parts) {
		// The target does not hold here and nothing below counts toward
		// it: the province's "≥ 50 tỷ đồng" beside a commune's 117 triệu
		// read as the commune's own target. A unit's own quota would show
		// (heldTo marks it "riêng"); without one, no threshold.
		v.Threshold = ""
	}
	if c := res.Coverage; c.Units > 0 {
		v.Note = coverageText(c)
		if c.Percent != nil {
			v.Bar = &progressBar{Width: barWidth(*c.Percent / 100), Title: v.Note, Status: c.Status}
			if !v.hasKey {
				v.sortKey, v.hasKey = *c.Percent, true
			}
		}
	}
	return v
}

// progress measures a condition's figure against its threshold: a percent
// fills the bar to itself (91% fills 91%) with the threshold marked; a
// count or money fills figure ÷ threshold (≥ last year: ÷ last year's),
// capped at a full bar. A tracked target, a ceiling (≤, =) or a zero
// threshold has no bar: there is no "toward" to show.
func progress(m measure, part rollup.Part, status rollup.Status) *progressBar {
	if part.Value == nil {
		return nil
	}
	v := *part.Value
	var of float64
	switch part.Comparator {
	case program.GE, program.GT:
		if part.Threshold == nil {
			return nil
		}
		of = *part.Threshold
	case program.GEPreviousYear:
		if part.Previous == nil {
			return nil
		}
		of = *part.Previous
	default:
		return nil
	}
	text, _ := m.text(v)
	if m == percentage {
		b := &progressBar{Width: barWidth(v / 100), Title: text + " (ngưỡng " + vn.FormatPercent(of) + ")", Status: status}
		if of < 100 {
			b.Mark = barWidth(of / 100)
		}
		return b
	}
	if of <= 0 {
		return nil
	}
	ofText, _ := m.text(of)
	return &progressBar{Width: barWidth(v / of), Title: text + " / " + ofText, Status: status}
}

// barWidth writes a share as a whole percent, between 0 and 100. A share
// just short of full stays short of it, so a missed target never shows a
// full bar.
func barWidth(share float64) string {
	pct := max(0, min(100, share*100))
	w := vn.Round(pct, 0)
	if w == 100 && pct < 100 {
		w = 99
	}
	return strconv.FormatFloat(w, 'f', 0, 64)
}

// statusColors fill a trend's dots: the badge colours, darker, so a small
// dot reads on white and in print.
var statusColors = map[rollup.Status]string{
	rollup.Met:           "#2e8b45",
	rollup.NotMet:        "#c62828",
	rollup.NoData:        "#d4a300",
	rollup.Tracked:       "#2f6db5",
	rollup.NotApplicable: "#9e9e9e",
}

// trend draws a target's headline figure at u over the years, each year's
// dot in the colour of that year's verdict at u itself (grey where the
// target does not hold at u's level: the figure is then the sum of the
// units below, shown for its direction). A committee's own count has no
// trend where the target does not hold.
func trend(prog *program.Program, t program.Target, u unit.Unit, years []period.Period, rs *rollup.Readings) template.HTML {
	if !t.AppliesToKind(u.Kind) && selfScoped(t) {
		return ""
	}
	c := t.Conditions[0]
	m := measureOf(prog, c)
	tr := chart.Trend{Label: fmt.Sprintf("Xu hướng %s, %d–%d", t.Code, years[0].Year, years[len(years)-1].Year)}
	if c.Comparator != program.Tracked && c.Comparator != program.GEPreviousYear {
		tr.Threshold = c.Threshold
	}
	for _, y := range years {
		r := rs.At(t.Code, u, y)
		p := chart.Point{Label: strconv.Itoa(y.Year), Value: r.Value, Color: statusColors[r.Status]}
		if r.Value != nil {
			text, _ := m.text(*r.Value)
			p.Title = fmt.Sprintf("%d: %s — %s", y.Year, text, r.Status.Label())
		}
		tr.Points = append(tr.Points, p)
	}
	return tr.SVG()
}

// termYears are the years of a program's term.
func termYears(prog *program.Program) []period.Period {
	var out []period.Period
	for y := prog.Term.From; y <= prog.Term.To; y++ {
		out = append(out, period.Period{Type: period.Yearly, Year: y})
	}
	return out
}

// crumb is one step of the way from the top a page may show down to its
// unit.
type crumb struct {
	Name, URL string
}

// crumbs lists the units from top down to u (u last, with no link), each
// linking where link says.
func (h *Web) crumbs(ctx context.Context, top, u unit.Unit, link func(unit.Unit) string) ([]crumb, error) {
	var out []crumb
	for _, id := range u.AncestorIDs() {
		a, err := h.Store.UnitByID(ctx, id)
		if err != nil {
			return nil, err
		}
		if unit.InSubtree(a.Path, top.Path) {
			out = append(out, crumb{a.Name, link(a)})
		}
	}
	return append(out, crumb{Name: u.Name}), nil
}

// query writes a page's query string, leaving out empty values.
func query(path string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// firstProgram is the program shown when none is asked for: the first one
// that is no unit's derived one.
func firstProgram(progs []*program.Program) *program.Program {
	for _, p := range progs {
		if !p.Derived() {
			return p
		}
	}
	return progs[0]
}

// currentPeriod is the period of type t a user most likely means: today's,
// or, once the program's term is over, the last one of the term.
func currentPeriod(prog *program.Program, t period.Type, now time.Time) period.Period {
	now = now.In(clock.Zone)
	if last := time.Date(prog.Term.To, 12, 31, 0, 0, 0, 0, clock.Zone); now.After(last) {
		now = last
	}
	return period.ForDate(t, now)
}

// ownThreshold reports whether some part carries the unit's own threshold
// (its quota of the level above's).
func ownThreshold(parts []rollup.Part) bool {
	for _, p := range parts {
		if p.OwnThreshold && p.Threshold != nil {
			return true
		}
	}
	return false
}
