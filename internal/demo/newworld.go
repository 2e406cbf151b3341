package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/submission"
	"mattran/internal/synth"
	"mattran/internal/unit"
	"mattran/internal/value"
	"mattran/programs"
)

// areaMergers is the day the demo's residential areas merge (the
// nationwide merger of thôn and tổ dân phố under way from 2026).
const areaMergers = "2026-03-01"

// memberOrgs are the mass organisations that hang under the Front
// committee of the province and of each commune (Luật 97/2025/QH15).
var memberOrgs = []struct{ code, province, commune string }{
	{"CD", "Liên đoàn Lao động tỉnh Bắc Ninh", "Công đoàn %s"},
	{"HND", "Hội Nông dân tỉnh Bắc Ninh", "Hội Nông dân %s"},
	{"DTN", "Tỉnh đoàn Bắc Ninh (Đoàn TNCS Hồ Chí Minh)", "Đoàn TNCS Hồ Chí Minh %s"},
	{"LHPN", "Hội Liên hiệp Phụ nữ tỉnh Bắc Ninh", "Hội Liên hiệp Phụ nữ %s"},
	{"CCB", "Hội Cựu chiến binh tỉnh Bắc Ninh", "Hội Cựu chiến binh %s"},
}

// busyCommune is the ward whose demo officer has reports to send today.
const busyCommune = "07210"

// newWorld builds the tree from 1/7/2025: the new Bắc Ninh and its 99
// communes from the merge mapping, every old residential area carried on
// under its new commune (some merged, one split, on 1/3/2026), the member
// organisations, the example program of the 2025–2030 term, and figures
// from July 2025 to the month before today's. Periods more than a month
// past are approved and locked; the last month's reports and the year's
// are being sent, so an officer signing in today has work, and a leader
// reports to approve.
func (l *loader) newWorld(ctx context.Context) (*World, error) {
	raw, err := data.ReadFile("data/bac-ninh-2025-07-merges.json")
	if err != nil {
		return nil, err
	}
	opts := unit.Options{Date: Reform, Name: "bảng sáp nhập đơn vị hành chính từ 01/07/2025 của tỉnh Bắc Ninh (mới)",
		Note: "99 xã, phường, không còn cấp huyện; khu dân cư là dữ liệu giả lập, chuyển theo xã cũ sang xã mới, và từ 01/03/2026 một số khu dân cư sáp nhập (giả lập)"}
	if _, err := l.importUnits(ctx, raw, opts, "nạp bảng sáp nhập 1/7/2025"); err != nil {
		return nil, err
	}
	province, err := l.s.UnitAt(ctx, Province, Reform)
	if err != nil {
		return nil, err
	}
	communes, err := l.s.Children(ctx, province, Reform)
	if err != nil {
		return nil, err
	}
	sortByCode(communes)
	sizes, err := l.carryAreas(ctx, province, communes)
	if err != nil {
		return nil, err
	}
	prog, err := l.saveProgram(ctx, programs.ExampleFile)
	if err != nil {
		return nil, err
	}
	elements, err := l.s.Elements(ctx)
	if err != nil {
		return nil, err
	}
	now := period.ForDate(period.Monthly, l.now.In(time.UTC))
	reform := period.MustParse("202507")
	closed := func(p period.Period) bool { return p.End().AddDate(0, 0, 30).Before(l.now) }
	ended := func(p period.Period) bool { return p.End().Before(l.now) }
	for y := 2025; y <= now.Year; y++ {
		date := min(fmt.Sprintf("%d-12-31", y), l.today)
		tree, err := l.s.Subtree(ctx, province, date)
		if err != nil {
			return nil, err
		}
		communeOf := communeIndex(tree)
		year := period.Period{Type: period.Yearly, Year: y}
		var rows []value.Row
		keep := func(r value.Row) bool {
			q, err := period.Parse(r.Period)
			if err != nil {
				return false
			}
			if q.Type != period.Yearly {
				return q.Start().Compare(reform.Start()) >= 0 && ended(q)
			}
			// The year's own figures: a past year's all, this year's of the
			// committees that have entered theirs.
			if closed(year) {
				return true
			}
			c, ok := communeOf[r.OrgUnit]
			return !ok || yearState(c) != skip
		}
		synth.FiguresSized(tree, elements, []int{y}, 1, sizes, collect(&rows, keep))
		if err := l.importFigures(ctx, rows, fmt.Sprintf("demo %d (cây mới)", y)); err != nil {
			return nil, err
		}
		// Approved periods are locked: whole years, else each quarter and
		// month approved so far.
		if closed(year) {
			if err := l.s.LockPeriod(ctx, l.actor, province, year); err != nil {
				return nil, err
			}
			continue
		}
		for _, q := range year.Within(period.Quarterly) {
			if closed(q) {
				if err := l.s.LockPeriod(ctx, l.actor, province, q); err != nil {
					return nil, err
				}
				continue
			}
			for _, m := range q.Within(period.Monthly) {
				if closed(m) {
					if err := l.s.LockPeriod(ctx, l.actor, province, m); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	tree, err := l.s.Subtree(ctx, province, l.today)
	if err != nil {
		return nil, err
	}
	stateOf := func(u unit.Unit, f form.Form, p period.Period) reportState {
		switch {
		case p.Type != period.Yearly && (p.Start().Before(reform.Start()) || !ended(p)):
			return skip // the old committees' months, or not over yet
		case closed(p):
			return approved
		case u.Kind == unit.Province:
			return skip // the province reports after its communes
		case p.Type == period.Yearly:
			return yearState(u)
		case u.Code == busyCommune:
			return skip
		}
		switch hash(u.Code+p.String()) % 10 {
		case 0, 1, 2, 3, 4, 5:
			return sent
		case 6:
			return drafted
		}
		return skip
	}
	if err := l.importReports(ctx, prog, submission.Submitters(tree), period.MustParse("202501"), now, stateOf); err != nil {
		return nil, fmt.Errorf("nạp báo cáo định kỳ (cây mới): %w", err)
	}
	return &World{Provinces: []unit.Unit{province}, Date: l.today, Tree: tree, Program: prog, From: reform, To: now}, nil
}

// yearState is where a commune's report of the current year stands:
// half sent, a fifth being drafted (the busy ward's among them), the rest
// not started. A past year's is approved (closed).
func yearState(u unit.Unit) reportState {
	if u.Code == busyCommune {
		return drafted
	}
	switch hash(u.Code) % 10 {
	case 0, 1, 2, 3, 4:
		return sent
	case 5, 6:
		return drafted
	}
	return skip
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// communeIndex maps the code of every unit under a commune (its
// residential areas and member organisations) to the commune, and each
// commune to itself; the province and its own organisations are left out.
func communeIndex(tree []unit.Unit) map[string]unit.Unit {
	byID := map[int64]unit.Unit{}
	out := map[string]unit.Unit{}
	for _, u := range tree {
		byID[u.ID] = u
		switch {
		case u.Kind == unit.Commune:
			out[u.Code] = u
		default:
			if p, ok := byID[u.ParentID]; ok && p.Kind == unit.Commune {
				out[u.Code] = p
			}
		}
	}
	return out
}

// carryAreas creates, under each new commune, the residential areas of the
// old communes it was made from (each keeps its code: the same thôn under a
// new commune), the member organisations, and, from 1/3/2026, the areas
// that merged: in every third commune two pairs merge and one area is split
// between two neighbours. It returns the sizes of the merged areas, which
// are their parts' together.
func (l *loader) carryAreas(ctx context.Context, province unit.Unit, communes []unit.Unit) (synth.Sizes, error) {
	const dayBefore = "2025-06-30"
	var b strings.Builder
	b.WriteString("code,name,kind,parent_code,synthetic,valid_from,merges\n")
	carried := map[string][]unit.Unit{} // new commune code → its areas
	for _, c := range communes {
		_, prev, err := l.s.Successors(ctx, c)
		if err != nil {
			return nil, err
		}
		for _, link := range prev {
			old := link.From
			kids, err := l.s.Children(ctx, old, dayBefore)
			if err != nil {
				return nil, err
			}
			for _, a := range kids {
				if a.Kind != unit.ResidentialArea {
					continue
				}
				a.Name = a.Name + " " + shortName(old)
				fmt.Fprintf(&b, "%s,%s,residential_area,%s,true,%s,%s\n", a.Code, a.Name, c.Code, Reform, a.Code)
				carried[c.Code] = append(carried[c.Code], a)
			}
		}
	}
	for _, o := range memberOrgs {
		fmt.Fprintf(&b, "%s-%s,%s,member_org,%s,true,%s,\n", province.Code, o.code, o.province, province.Code, Reform)
	}
	for _, c := range communes {
		for _, o := range memberOrgs {
			fmt.Fprintf(&b, "%s-%s,%s,member_org,%s,true,%s,\n", c.Code, o.code, fmt.Sprintf(o.commune, lowerType(c.Name)), c.Code, Reform)
		}
	}
	if _, err := l.importUnits(ctx, []byte(b.String()), unit.Options{Date: Reform}, "chuyển khu dân cư sang xã mới"); err != nil {
		return nil, err
	}
	sizes := map[string]float64{}
	if l.today < areaMergers {
		return nil, nil
	}
	b.Reset()
	b.WriteString("code,name,kind,parent_code,synthetic,valid_from,merges\n")
	for i, c := range communes {
		as := carried[c.Code]
		if i%3 != 0 || len(as) < 7 {
			continue
		}
		sortByCode(as)
		row := func(keep unit.Unit, merges string, size float64) {
			fmt.Fprintf(&b, "%s,%s,residential_area,%s,true,%s,%s\n", keep.Code, keep.Name+" (sáp nhập 2026)", c.Code, areaMergers, merges)
			sizes[keep.Code] = size
		}
		size := func(a unit.Unit) float64 { return synth.AreaSize(a.Code) }
		row(as[0], as[0].Code+";"+as[1].Code, size(as[0])+size(as[1]))
		row(as[2], as[2].Code+";"+as[3].Code, size(as[2])+size(as[3]))
		// as[4] is split between its neighbours.
		row(as[5], as[5].Code+";"+as[4].Code+":partial", size(as[5])+size(as[4])/2)
		row(as[6], as[6].Code+";"+as[4].Code+":partial", size(as[6])+size(as[4])/2)
	}
	if _, err := l.importUnits(ctx, []byte(b.String()), unit.Options{Date: areaMergers}, "sáp nhập khu dân cư 2026"); err != nil {
		return nil, err
	}
	return func(u unit.Unit) (float64, bool) {
		if u.ValidFrom != areaMergers {
			return 0, false
		}
		s, ok := sizes[u.Code]
		return s, ok
	}, nil
}

// lowerType writes a commune's type in lower case, as it reads inside a
// name: "Phường Bắc Giang" → "phường Bắc Giang".
func lowerType(name string) string {
	for _, t := range []string{"Phường", "Xã", "Thị trấn", "Đặc khu"} {
		if rest, ok := strings.CutPrefix(name, t+" "); ok {
			return strings.ToLower(t) + " " + rest
		}
	}
	return name
}
