package demo_test

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/demo"
	"mattran/internal/evaluation"
	"mattran/internal/store"
	"mattran/internal/unit"
)

// checkEvaluation checks the demo's evaluations: the 2024 ranking of Bắc
// Giang's districts is computed here by hand, from the stored figures,
// reports and entries, and must be what the app froze; the current year
// is open and its ward's inspection recommendation is overdue.
func checkEvaluation(t *testing.T, s *store.Store) {
	ctx := context.Background()
	bg, err := s.UnitAt(ctx, demo.Province, "2024-12-31")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := s.EvalGuide(ctx, bg.ID, 2024, unit.District)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Frozen() || rec.TitlesConfirmedBy == "" || !rec.Guide.Example {
		t.Errorf("2024: frozen %v, titles confirmed by %q, example %v", rec.Frozen(), rec.TitlesConfirmedBy, rec.Guide.Example)
	}
	districts, err := s.Children(ctx, bg, "2024-12-31")
	if err != nil {
		t.Fatal(err)
	}
	// A target's own percent at a district: 100 × Σnumerator / Σdenominator
	// over the values stored in its subtree.
	sum := func(code string, u unit.Unit) float64 {
		lo, hi := unit.PathRange(u.Path)
		var v float64
		if err := s.DB.QueryRow(`SELECT COALESCE(SUM(v.value), 0) FROM data_values v JOIN data_elements e ON e.id = v.element_id
			WHERE e.code = $1 AND v.period = '2024' AND v.unit_path >= $2 AND v.unit_path < $3`, code, lo, hi).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	pct := func(num, den string, u unit.Unit) (float64, bool) {
		d := sum(den, u)
		if d == 0 {
			return 0, false
		}
		return 100 * sum(num, u) / d, true
	}
	centi := func(x float64) int64 { return int64(math.Round(x * 100)) }
	proportional := func(max, value, threshold float64, ok bool) int64 {
		switch {
		case !ok:
			return 0
		case value >= threshold:
			return centi(max)
		}
		return centi(max * (value / threshold * 100) / 100)
	}
	type hand struct {
		code           string
		total, derived int64
		class          evaluation.Class
	}
	var want []hand
	for _, d := range districts {
		h := hand{code: d.Code}
		v, ok := pct("CT2_HN_QUATET", "CT2_HN_TONG", d)
		qt := proportional(10, v, 100, ok)
		v, ok = pct("CT2_HGD_VANHOA", "CT2_HGD_TONG", d)
		var gd int64
		if r := v / 90 * 100; ok && r >= 100 {
			gd = 1000
		} else if ok && r >= 97 {
			gd = 700
		} else if ok && r >= 94 {
			gd = 400
		}
		v, ok = pct("CT2_BHYT", "CT2_DANSO", d)
		yt := proportional(10, v, 100, ok)
		var onTime int
		err := s.DB.QueryRow(`SELECT COUNT(*) FROM submissions WHERE program = $1 AND form = 'NAM' AND period = '2024' AND unit_id = $2
			AND submitted_by <> '' AND on_time = $3`, rec.Guide.Program, d.ID, true).Scan(&onTime)
		if err != nil {
			t.Fatal(err)
		}
		bc := int64(onTime) * 500
		h.derived = min(qt+gd+yt, 3000) + bc
		// Entries: the province's verified points stand over the district's own.
		points := map[string]int64{}
		rows, err := s.DB.Query(`SELECT criterion, stage, points FROM evaluation_entries WHERE guide_id = $1 AND unit_id = $2 ORDER BY stage DESC`, rec.ID, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c, stage string
			var p int64
			rows.Scan(&c, &stage, &p)
			if _, seen := points[c]; !seen || stage == "verify" {
				points[c] = p
			}
		}
		rows.Close()
		dg := min(points["DG1"]+points["DG2"]+points["DG3"], 1500)
		bonus := min(points["TH1"]+points["TH2"], 300)
		h.total = h.derived + dg + bonus
		switch pc := float64(h.total) / 5000 * 100; {
		case pc >= 90:
			h.class = evaluation.Excellent
		case pc >= 70:
			h.class = evaluation.Good
		case pc >= 50:
			h.class = evaluation.Done
		default:
			h.class = evaluation.NotDone
		}
		want = append(want, h)
	}
	// Rank: total, then points from figures and reports; the code orders ties.
	slices.SortStableFunc(want, func(a, b hand) int {
		return cmp.Or(cmp.Compare(b.total, a.total), cmp.Compare(b.derived, a.derived), strings.Compare(a.code, b.code))
	})
	// The cap: xuất sắc at most 20% of those rated tốt or better; the last drop.
	good, excellent := 0, 0
	for _, h := range want {
		if h.class == evaluation.Excellent || h.class == evaluation.Good {
			good++
		}
		if h.class == evaluation.Excellent {
			excellent++
		}
	}
	for i := len(want) - 1; i >= 0 && excellent > good/5; i-- {
		if want[i].class == evaluation.Excellent {
			want[i].class, excellent = evaluation.Good, excellent-1
		}
	}
	b, err := evaluation.Results(ctx, s, rec, calendar.MustParseDate("2026-12-05"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Sheets) != len(want) || len(want) != 10 {
		t.Fatalf("2024: %d sheets, %d districts by hand", len(b.Sheets), len(want))
	}
	var got, exp []string
	for i, sh := range b.Sheets {
		got = append(got, sh.Unit.Code+":"+strconv.FormatInt(int64(sh.Total), 10)+":"+string(sh.Class))
		exp = append(exp, want[i].code+":"+strconv.FormatInt(want[i].total, 10)+":"+string(want[i].class))
	}
	t.Logf("2024 ranking by hand: %s", strings.Join(exp, " "))
	if strings.Join(got, " ") != strings.Join(exp, " ") {
		t.Errorf("2024 ranking\n got  %s\n want %s", strings.Join(got, " "), strings.Join(exp, " "))
	}
	if c := b.Counts(); c[evaluation.Excellent]+c[evaluation.Good]+c[evaluation.Done]+c[evaluation.NotDone] != 10 {
		t.Errorf("2024 counts %v", c)
	}

	// This year: open, most communes sent, the ward's recommendation overdue.
	bn, err := s.UnitAt(ctx, demo.Province, "2026-12-05")
	if err != nil {
		t.Fatal(err)
	}
	cur, err := s.EvalGuide(ctx, bn.ID, 2026, unit.Commune)
	if err != nil {
		t.Fatal(err)
	}
	if cur.Frozen() || !cur.Guide.Example {
		t.Errorf("2026 frozen %v example %v", cur.Frozen(), cur.Guide.Example)
	}
	states, _ := s.EvalStates(ctx, cur.ID)
	if len(states) < 50 {
		t.Errorf("2026: %d communes have a sheet", len(states))
	}
	ward, _ := s.UnitAt(ctx, demo.DenunciationUnit, "2026-12-05")
	over, err := s.Cases(ctx, store.CaseFilter{Path: ward.Path, Kind: casework.InspectionRec, Overdue: true, Today: calendar.MustParseDate("2026-12-05")})
	if err != nil || len(over) != 1 {
		t.Errorf("ward's overdue recommendations: %d, %v", len(over), err)
	}
}
