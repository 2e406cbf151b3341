package web

// What the pages show across the July 2025 reform: which program a page
// shows by default (the one in force for the unit asked for), a unit's
// scorecard for a period it only partly existed in, and one continuous
// trend across two terms and two trees, with the note that says how the
// years before the reform were computed.

import (
	"context"
	"fmt"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"mattran/internal/chart"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

// exampleNote is the visible note every page that shows an example
// program carries (template func "example").
func exampleNote(p *program.Program) template.HTML {
	note := p.ExampleNote()
	if note == "" {
		return ""
	}
	return template.HTML(`<p class="example-note" role="note"><strong>Bản ví dụ.</strong> ` + template.HTMLEscapeString(note) + `</p>`)
}

// ownerDuring is the unit that owns prog during its term, cached.
func (h *Web) ownerDuring(ctx context.Context, prog *program.Program) (unit.Unit, error) {
	return cached(ctx, h, unit.Unit{}, "owner|"+prog.Code, func() (unit.Unit, error) {
		return h.Store.UnitDuring(ctx, prog.OwnerUnit, fmt.Sprintf("%04d-01-01", prog.Term.From), fmt.Sprintf("%04d-12-31", prog.Term.To))
	})
}

// fits reports whether u belongs to prog's tree: under its owner, or
// above it (the central committee reads every program).
func (h *Web) fits(ctx context.Context, prog *program.Program, u unit.Unit) bool {
	owner, err := h.ownerDuring(ctx, prog)
	if err != nil {
		return false
	}
	return unit.InSubtree(u.Path, owner.Path) || unit.InSubtree(owner.Path, u.Path)
}

// candidates are the programs a page may show by default: those no unit
// derived from another, the one in force today first, then the later
// terms before the earlier.
func (h *Web) candidates(progs []*program.Program) []*program.Program {
	year := h.Now().In(clock.Zone).Year()
	var out []*program.Program
	for _, p := range progs {
		if !p.Derived() {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ci := out[i].Term.From <= year && year <= out[i].Term.To
		cj := out[j].Term.From <= year && year <= out[j].Term.To
		if ci != cj {
			return ci
		}
		return out[i].Term.To > out[j].Term.To
	})
	return out
}

// defaultProgram is the program a page shows a user at unit at when none
// is asked for: the one in force today in at's tree, or the latest one of
// it (a unit that ended with the old tree reads its last term's).
func (h *Web) defaultProgram(ctx context.Context, progs []*program.Program, at unit.Unit) *program.Program {
	cands := h.candidates(progs)
	for _, p := range cands {
		if at.ID == 0 || h.fits(ctx, p, at) {
			return p
		}
	}
	if len(cands) > 0 {
		return cands[0]
	}
	return progs[0]
}

// programForUnit is the default program for a page that names a unit by
// code (and perhaps a period): the first candidate under which the code
// names a unit of its tree during the period, or during its term.
func (h *Web) programForUnit(ctx context.Context, progs []*program.Program, code, per string) (*program.Program, bool) {
	var asked *period.Period
	if per != "" {
		if p, err := period.Parse(per); err == nil {
			asked = &p
		}
	}
	for _, prog := range h.candidates(progs) {
		from, to := fmt.Sprintf("%04d-01-01", prog.Term.From), fmt.Sprintf("%04d-12-31", prog.Term.To)
		if asked != nil {
			from, to = asked.StartDate(), asked.EndDate()
		}
		u, err := h.Store.UnitDuring(ctx, code, from, to)
		if err == nil && h.fits(ctx, prog, u) {
			return prog, true
		}
	}
	return nil, false
}

// progParam is the program to name in links: none when there is only
// one, so links stay short; with several, always, since which one a page
// shows by default depends on the unit.
func progParam(sc pageScope) string {
	if len(sc.progs) <= 1 {
		return ""
	}
	return sc.prog.Code
}

// historySource is the store as the reading across the reform reads it.
func (h *Web) historySource() rollup.HistorySource { return h.source() }

// Lineage is the store's, cached while units stay the same (they raise
// the global version).
func (s source) Lineage(ctx context.Context, root unit.Unit, date string) (*unit.Lineage, error) {
	return cached(ctx, s.h, unit.Unit{}, "lineage|"+root.Path+"|"+date, func() (*unit.Lineage, error) {
		return s.Store.Lineage(ctx, root, date)
	})
}

// historyKey names what a reading across changes of the tree at u depends
// on besides u's own subtree: the version of each other range of its
// lineage (the old provinces), so that a corrected figure of an old unit
// shows on the new unit's page at once.
func (h *Web) historyKey(ctx context.Context, u unit.Unit, date string) (string, error) {
	lin, err := h.source().Lineage(ctx, u, date)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, r := range lin.Ranges {
		if r.ID == u.ID {
			continue
		}
		v, err := h.Store.DataVersion(ctx, r)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "|r%d.%d", r.ID, v.Unit)
	}
	return b.String(), nil
}

// readsAcross reports whether a reading at u over p reads figures of the
// units u was made from: u began after p did.
func readsAcross(u unit.Unit, p period.Period) bool {
	return u.ValidFrom != unit.Beginning && p.StartDate() < u.ValidFrom
}

// cardOf is the scorecard of prog at u for p: read on u's own tree, or,
// for a period u only partly existed in (2025 for a unit made on 1/7/2025),
// with the figures of the units it was made from carried onto it.
func (h *Web) cardOf(ctx context.Context, prog *program.Program, u unit.Unit, p period.Period) (*rollup.Card, *rollup.Reassignment, error) {
	if !readsAcross(u, p) {
		card, err := h.card(ctx, prog, u, p)
		return card, nil, err
	}
	date := rollup.AsOf(u, p)
	hk, err := h.historyKey(ctx, u, date)
	if err != nil {
		return nil, nil, err
	}
	r, err := cached(ctx, h, u, fmt.Sprintf("cardx|%s|%s|%s%s", prog.Code, p, date, hk), func() (acrossCard, error) {
		a, err := rollup.NewAcross(ctx, h.historySource(), u, date)
		if err != nil {
			return acrossCard{}, err
		}
		card, re, err := a.Scorecard(ctx, prog, u, p)
		return acrossCard{card, re}, err
	})
	return r.card, r.re, err
}

// acrossCard is a scorecard read across the reform, as cached.
type acrossCard struct {
	card *rollup.Card
	re   *rollup.Reassignment
}

func (c acrossCard) cacheBytes() int { return sizeOf(c.card) + 1024 }

// acrossTrend is a unit's trend across the reform, as cached.
type acrossTrend struct {
	now, before *rollup.Readings
	re          []*rollup.Reassignment
	sources     []rollup.SplitPart
	changed     bool
}

func (t acrossTrend) cacheBytes() int {
	n := 1024 * (1 + len(t.re) + len(t.sources))
	for _, r := range []*rollup.Readings{t.now, t.before} {
		if r != nil {
			n += r.Bytes()
		}
	}
	return n
}

// history is a unit's trend over the years of its program and of the
// program that program continues, read on the unit's tree of one day.
type history struct {
	prog, prev *program.Program
	unit       unit.Unit
	date       string // the day of the tree the figures are read on
	years      []period.Period
	now        *rollup.Readings // prog's targets
	before     *rollup.Readings // prev's targets, for the years of its term
	reform     string           // the day u began, when figures before it come from other units
	re         []*rollup.Reassignment
	sources    []rollup.SplitPart // the units the figures before reform come from
}

// historyOf reads u's trend for pages about p. A program that continues
// another runs from the first year of the other with figures to this
// year, every figure carried onto u's tree; any other runs over its term
// on its own trees, as it always has.
func (h *Web) historyOf(ctx context.Context, sc pageScope, u unit.Unit) (*history, error) {
	prog, p := sc.prog, sc.period
	hi := &history{prog: prog, unit: u, years: termYears(prog)}
	for _, x := range sc.progs {
		if prog.Continues != "" && x.Code == prog.Continues {
			hi.prev = x
		}
	}
	if hi.prev == nil {
		r, err := h.readings(ctx, u, prog, nil, []unit.Unit{u}, hi.years)
		hi.now = r
		return hi, err
	}
	last := min(prog.Term.To, max(p.Year, h.Now().In(clock.Zone).Year()))
	hi.years = nil
	for y := hi.prev.Term.From; y <= last; y++ {
		hi.years = append(hi.years, period.Period{Type: period.Yearly, Year: y})
	}
	hi.date = rollup.AsOf(u, p)
	hk, err := h.historyKey(ctx, u, hi.date)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("trendx|%s|%s|%d|%s%s", prog.Code, hi.prev.Code, last, hi.date, hk)
	r, err := cached(ctx, h, u, key, func() (acrossTrend, error) {
		var res acrossTrend
		a, err := rollup.NewAcross(ctx, h.historySource(), u, hi.date)
		if err != nil {
			return res, err
		}
		var mine, theirs []period.Period
		for _, y := range hi.years {
			if y.Year >= prog.Term.From {
				mine = append(mine, y)
			} else if y.Year <= hi.prev.Term.To {
				theirs = append(theirs, y)
			}
		}
		var prevTargets []program.Target
		for _, t := range prog.Targets() {
			if pt, ok := prog.Previous(t, hi.prev); ok {
				prevTargets = append(prevTargets, pt)
			}
		}
		var re1, re2 *rollup.Reassignment
		if res.now, re1, err = a.Evaluate(ctx, prog, nil, []unit.Unit{u}, mine); err != nil {
			return res, err
		}
		if res.before, re2, err = a.Evaluate(ctx, hi.prev, prevTargets, []unit.Unit{u}, theirs); err != nil {
			return res, err
		}
		res.re = []*rollup.Reassignment{re1, re2}
		res.changed = a.Lineage().Changed()
		if res.changed && len(prevTargets) > 0 && len(prevTargets[0].Conditions) > 0 {
			if codes := prevTargets[0].Conditions[0].ElementCodes(); len(codes) > 0 {
				if res.sources, err = a.Sources(ctx, u, codes[0]); err != nil {
					return res, err
				}
			}
		}
		return res, nil
	})
	if err != nil {
		return nil, err
	}
	hi.now, hi.before, hi.re, hi.sources = r.now, r.before, r.re, r.sources
	if r.changed && u.ValidFrom != unit.Beginning {
		hi.reform = u.ValidFrom
	}
	// The years before any figure are left out: the seed's term began in
	// 2019, its figures in 2020.
	for len(hi.years) > 1 && !hi.anyValue(hi.years[0]) {
		hi.years = hi.years[1:]
	}
	return hi, nil
}

// anyValue reports whether some target has a figure in year y.
func (hi *history) anyValue(y period.Period) bool {
	for _, t := range hi.prog.Targets() {
		if r, _, _ := hi.reading(t, y); r.Value != nil {
			return true
		}
	}
	return false
}

// reading is t's reading in year y: under the program in force that year
// (prev's target that t continues, before prog's term), with its target.
func (hi *history) reading(t program.Target, y period.Period) (rollup.Reading, program.Target, *program.Program) {
	if hi.prev != nil && y.Year < hi.prog.Term.From {
		pt, ok := hi.prog.Previous(t, hi.prev)
		if !ok || hi.before == nil {
			return rollup.Reading{Status: rollup.NotApplicable}, t, hi.prog
		}
		return hi.before.At(pt.Code, hi.unit, y), pt, hi.prev
	}
	return hi.now.At(t.Code, hi.unit, y), t, hi.prog
}

// trend draws t's line over the history's years: one continuous line
// across both terms, the years computed again on the new tree as rings,
// and the reform as a dashed line.
func (hi *history) trend(t program.Target) template.HTML {
	if hi.prev == nil {
		return trend(hi.prog, t, hi.unit, hi.years, hi.now)
	}
	if !t.AppliesToKind(hi.unit.Kind) && selfScoped(t) {
		return ""
	}
	c := t.Conditions[0]
	tr := chart.Trend{Label: fmt.Sprintf("Xu hướng %s, %d–%d", t.Code, hi.years[0].Year, hi.years[len(hi.years)-1].Year)}
	if c.Comparator != program.Tracked && c.Comparator != program.GEPreviousYear {
		tr.Threshold = c.Threshold
	}
	reformYear := 0
	if hi.reform != "" {
		reformYear, _ = strconv.Atoi(hi.reform[:4])
	}
	for i, y := range hi.years {
		r, target, from := hi.reading(t, y)
		p := chart.Point{Label: strconv.Itoa(y.Year), Value: r.Value, Color: statusColors[r.Status]}
		if r.Value != nil {
			text, _ := measureOf(from, target.Conditions[0]).text(*r.Value)
			p.Title = fmt.Sprintf("%d: %s — %s", y.Year, text, r.Status.Label())
			if target.Code != t.Code || from != hi.prog {
				p.Title += fmt.Sprintf(" (chỉ tiêu %s của chương trình %d–%d)", target.Code, from.Term.From, from.Term.To)
			}
		}
		if y.Year < reformYear {
			tr.Hollow = i + 1
			tr.Break = &chart.Break{After: i, Label: monthYear(hi.reform), Title: "Sắp xếp đơn vị hành chính ngày " + vnDate(hi.reform) + "; các năm trước tính lại theo cây đơn vị mới"}
			if r.Value != nil {
				p.Title += " — tính lại theo cây đơn vị mới"
			}
		}
		tr.Points = append(tr.Points, p)
	}
	return tr.SVG()
}

// monthYear writes "2025-07-01" as "7/2025".
func monthYear(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return fmt.Sprintf("%d/%d", int(t.Month()), t.Year())
}

// span is the trend's years, "2020–2026".
func (hi *history) span() string {
	if len(hi.years) == 0 {
		return ""
	}
	return fmt.Sprintf("%d–%d", hi.years[0].Year, hi.years[len(hi.years)-1].Year)
}

// note says how the years before the reform were computed, or "" when
// nothing was carried.
func (hi *history) note() string {
	if hi.prev == nil || hi.reform == "" {
		return ""
	}
	reformYear, _ := strconv.Atoi(hi.reform[:4])
	var from []string
	for _, s := range hi.sources {
		name := s.Unit.Name
		if s.Unit.ValidTo != unit.Forever {
			name += " (đến " + vnDate(s.Unit.ValidTo) + ")"
		}
		if s.Share < 1-1e-9 {
			name += fmt.Sprintf(" (%s)", vn.FormatPercent(100*s.Share))
		}
		from = append(from, name)
	}
	what := "các đơn vị trước đó"
	if len(from) > 0 {
		what = strings.Join(from, ", ")
	}
	s := fmt.Sprintf("Xu hướng %s là một chuỗi liền qua hai nhiệm kỳ và đợt sắp xếp đơn vị hành chính ngày %s (vạch đỏ). "+
		"Các năm %d–%d (chấm rỗng) là của %s, tính lại theo cây đơn vị ngày %s: số liệu của %s được cộng vào %s; "+
		"chỉ tiêu tỷ lệ tính lại từ tổng tử số và tổng mẫu số, không lấy trung bình. "+
		"Các năm đến %d theo chỉ tiêu được tiếp nối của chương trình %d–%d (%s).",
		hi.span(), vnDate(hi.reform), hi.years[0].Year, reformYear-1, hi.unit.Name, vnDate(hi.date), what, hi.unit.Name,
		hi.prev.Term.To, hi.prev.Term.From, hi.prev.Term.To, hi.prev.Code)
	if reformYear >= hi.prog.Term.From {
		s += fmt.Sprintf(" Năm %d gồm cả số liệu các tháng, quý trước ngày %s của các đơn vị cũ.", reformYear, vnDate(hi.reform))
	}
	if splits := hi.splits(); len(splits) > 0 {
		s += " Đơn vị bị chia tách: " + strings.Join(splits, "; ") + "."
	}
	return s
}

// splits names every split that touched a figure of the trend, with the
// rule it was shared by.
func (hi *history) splits() []string {
	var out []string
	seen := map[string]bool{}
	for _, re := range hi.re {
		if re == nil {
			continue
		}
		for _, sp := range re.Splits {
			if s := splitText(sp); !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// rulesAt names the rules of the splits that changed a target's figures
// at the unit, for the note next to the figure.
func rulesAt(res []*rollup.Reassignment, u unit.Unit, t program.Target) string {
	var codes []string
	for _, c := range t.Conditions {
		codes = append(codes, c.ElementCodes()...)
	}
	var out []string
	seen := map[string]bool{}
	for _, re := range res {
		for _, sp := range re.RulesFor(u, codes) {
			if s := splitText(sp); !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	if len(out) == 0 {
		return ""
	}
	return "Có số liệu chia tách: " + strings.Join(out, "; ")
}

// splitText: "Xã A chia cho Xã N1 33,3%, Xã N2 66,7% (chia theo số khu dân cư)".
func splitText(sp *rollup.Split) string {
	var parts []string
	for _, p := range sp.Parts {
		parts = append(parts, p.Unit.Name+" "+vn.FormatPercent(100*p.Share))
	}
	verb := "chia cho"
	if !sp.Forward {
		verb = "được tính từ"
	}
	return fmt.Sprintf("%s %s %s (%s)", sp.From.Name, verb, strings.Join(parts, ", "), sp.How)
}

// notFoundUnit says that a unit code names nothing in any program's tree.
func notFoundUnit(code string) error {
	return errs.New(errs.NotFound, "Không có đơn vị mã %s trong cây đơn vị của chương trình nào.", code)
}

// scopeProgram is the program a page shows when none is asked for: the
// one whose tree holds the unit asked for (during the period asked for),
// else the one in force for the user's unit, else the one in force today.
func (h *Web) scopeProgram(ctx context.Context, progs []*program.Program, code, per string, s *Session, public bool) *program.Program {
	if code != "" {
		if p, ok := h.programForUnit(ctx, progs, code, per); ok {
			return p
		}
	}
	if !public && s != nil {
		return h.defaultProgram(ctx, progs, s.User.Unit)
	}
	return h.defaultProgram(ctx, progs, unit.Unit{})
}

// unitLists says which unit lists the tree of date was read from, and
// what to know of each: the demo's list of 1/3/2025 stands for every
// year before the reform, for one.
func (h *Web) unitLists(ctx context.Context, date string) (string, error) {
	lists, err := cached(ctx, h, unit.Unit{}, "unitlists|"+date, func() ([]store.UnitList, error) {
		return h.Store.UnitLists(ctx, date)
	})
	if err != nil || len(lists) == 0 {
		return "", err
	}
	var parts []string
	for _, l := range lists {
		s := l.Name
		if l.Date != "" {
			s += " (ngày " + vnDate(l.Date) + ")"
		}
		if l.Note != "" {
			s += ": " + l.Note
		}
		parts = append(parts, s)
	}
	return "Cây đơn vị ngày " + vnDate(date) + " theo " + strings.Join(parts, "; ") + ".", nil
}

// readingsOf is the own readings of targets at units of u's tree (u's
// children) for p: read on their own tree, or, for a period u only partly
// existed in, with the figures of the units they were made from carried
// onto them, as u's scorecard (cardOf) reads them.
func (h *Web) readingsOf(ctx context.Context, u unit.Unit, prog *program.Program, targets []program.Target, units []unit.Unit, p period.Period) (*rollup.Readings, error) {
	if !readsAcross(u, p) {
		return h.readings(ctx, u, prog, targets, units, []period.Period{p})
	}
	date := rollup.AsOf(u, p)
	hk, err := h.historyKey(ctx, u, date)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("readingsx|%s|%s|%s%s", prog.Code, p, date, hk)
	for _, t := range targets {
		key += "|" + t.Code
	}
	for _, x := range units {
		key += "|" + x.Path
	}
	return cached(ctx, h, u, key, func() (*rollup.Readings, error) {
		a, err := rollup.NewAcross(ctx, h.historySource(), u, date)
		if err != nil {
			return nil, err
		}
		r, _, err := a.Evaluate(ctx, prog, targets, units, []period.Period{p})
		return r, err
	})
}
