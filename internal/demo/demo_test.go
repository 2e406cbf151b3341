package demo_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"mattran/internal/clock"
	"mattran/internal/demo"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/store/storetest"
	"mattran/internal/submission"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// TestDemo checks what the demo promises, on 4/12/2026: both sides of the
// reform with their real trees and synthetic residential areas, the seed
// program with figures to mid-2025 and the example program with figures to
// today's month, whose current reports are open; the member organisations;
// the continuous history of the new province; a user per role and level.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo loads six years of figures: skipped under -short")
	}
	ctx := context.Background()
	s := storetest.SQLite(t)
	s.Clock = clock.Fixed(time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC))
	accounts, err := demo.Load(ctx, s, "mat-khau-demo-01")
	if err != nil {
		t.Fatal(err)
	}

	// The demo ward's 2024 report is written, numbered and signed.
	thoXuong, err := s.UnitAt(ctx, "07201", "2024-12-31")
	if err != nil {
		t.Fatal(err)
	}
	if texts, err := s.ReportTexts(ctx, "BG-CTHD-2019-2024", thoXuong, period.MustParse("2024")); err != nil || texts.Number == "" || texts.Signer == "" || texts.NextTasks == "" {
		t.Errorf("the ward's 2024 report texts: %+v, %v", texts, err)
	}

	// Before the reform: Bắc Giang and the old Bắc Ninh.
	kindsUnder := func(code, date string) (map[unit.Kind]int, unit.Unit) {
		p, err := s.UnitAt(ctx, code, date)
		if err != nil {
			t.Fatal(err)
		}
		tree, _ := s.Subtree(ctx, p, date)
		kinds := map[unit.Kind]int{}
		for _, u := range tree {
			kinds[u.Kind]++
			if u.Kind == unit.ResidentialArea && !u.Synthetic {
				t.Errorf("%s is not marked synthetic", u.Code)
			}
		}
		return kinds, p
	}
	bg, oldBG := kindsUnder(demo.Province, "2024-12-31")
	bn, _ := kindsUnder(demo.OldBacNinh, "2024-12-31")
	if bg[unit.District] != 10 || bg[unit.Commune] != 195 || bg[unit.ResidentialArea] < 1500 || bn[unit.District] != 8 || bn[unit.Commune] != 121 {
		t.Errorf("old trees: Bắc Giang %v, Bắc Ninh %v", bg, bn)
	}
	// From it: the new Bắc Ninh, no districts, the member organisations.
	now, newBN := kindsUnder(demo.Province, "2026-12-05")
	if newBN.Name != "Tỉnh Bắc Ninh" || now[unit.District] != 0 || now[unit.Commune] != 99 || now[unit.MemberOrg] != 5+5*99 || now[unit.ResidentialArea] < 3000 {
		t.Errorf("new tree: %s %v", newBN.Name, now)
	}

	progs, _ := s.Programs(ctx)
	var seed, example *program.Program
	for _, p := range progs {
		if p.Example != "" {
			example = p
		} else {
			seed = p
		}
	}
	if len(progs) != 2 || seed == nil || example == nil || example.Continues != seed.Code {
		t.Fatalf("programs: %d", len(progs))
	}
	statuses := func(card *rollup.Card) map[rollup.Status]int {
		count := map[rollup.Status]int{}
		for _, r := range card.Targets {
			if r.Own.Value == nil && r.Coverage.Units == 0 && r.Own.Status != rollup.NotApplicable {
				t.Errorf("%s %s has no figure at all", card.Period, r.Target.Code)
			}
			st := r.Own.Status
			if st == rollup.NotApplicable {
				st = r.Coverage.Status
			}
			count[st]++
		}
		if count[rollup.Met] == 0 || count[rollup.NotMet] == 0 {
			t.Errorf("%s %s: statuses %v; the demo should show targets both met and missed", card.Program.Code, card.Period, count)
		}
		return count
	}
	for _, year := range []string{"2020", "2024"} {
		card, err := rollup.Scorecard(ctx, s, seed, oldBG, period.MustParse(year))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("Bắc Giang %s: %v", year, statuses(card))
	}
	for _, year := range []string{"2025", "2026"} {
		card, err := rollup.Scorecard(ctx, s, example, newBN, period.MustParse(year))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("Bắc Ninh %s: %v", year, statuses(card))
	}

	// One continuous history: 2024 of the seed's T2.5 on the new tree is
	// the ratio of the two old provinces' sums.
	across, err := rollup.NewAcross(ctx, s, newBN, "2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	t25, _ := seed.Target("T2.5")
	rs, _, err := across.Evaluate(ctx, seed, []program.Target{t25}, []unit.Unit{newBN}, []period.Period{period.MustParse("2024")})
	if err != nil {
		t.Fatal(err)
	}
	var num, den float64
	for _, code := range []string{demo.Province, demo.OldBacNinh} {
		old, _ := s.UnitAt(ctx, code, "2024-12-31")
		card, err := rollup.Scorecard(ctx, s, seed, old, period.MustParse("2024"))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range card.Targets {
			if r.Target.Code == "T2.5" {
				num, den = num+*r.Own.Parts[0].Numerator, den+*r.Own.Parts[0].Denominator
			}
		}
	}
	if got := rs.At("T2.5", newBN, period.MustParse("2024")); got.Value == nil || math.Abs(*got.Value-100*num/den) > 1e-9 {
		t.Errorf("T2.5 of 2024 on the new tree: %v; want %v", got.Value, 100*num/den)
	}

	// The current period is open: the busy ward has its November report
	// and its year's to do, and the province's leader reports to approve.
	ward, err := s.UnitAt(ctx, "07210", "2026-12-05")
	if err != nil {
		t.Fatal(err)
	}
	nov, _ := s.Submission(ctx, example.Code, "THANG", ward, period.MustParse("202611"))
	year, _ := s.Submission(ctx, example.Code, "NAM", ward, period.MustParse("2026"))
	if nov.Status != submission.None || year.Status != submission.Draft {
		t.Errorf("Phường Bắc Giang: November %q, 2026 %q; want not started and a draft", nov.Status, year.Status)
	}
	below, err := s.ReportsBelow(ctx, example.Code, "THANG", newBN, period.MustParse("202611"))
	if err != nil {
		t.Fatal(err)
	}
	sent := 0
	for _, r := range below {
		if r.Status == submission.Submitted {
			sent++
		}
	}
	if sent == 0 || sent == len(below) {
		t.Errorf("%d of %d November reports sent; want some", sent, len(below))
	}

	// The pages can say which list each tree comes from.
	lists, _ := s.UnitLists(ctx, "2024-12-31")
	if len(lists) != 2 || !strings.Contains(lists[0].Note, "Thị xã Chũ") {
		t.Errorf("lists of 31/12/2024: %+v", lists)
	}
	if lists, _ := s.UnitLists(ctx, "2026-12-05"); len(lists) != 1 || !strings.Contains(lists[0].Name, "sáp nhập") {
		t.Errorf("lists of today: %+v", lists)
	}

	// One account per role, at the province, a district and a commune;
	// today's province leader reads the history of the old provinces.
	roles, levels := map[user.Role]bool{}, map[unit.Kind]bool{}
	for _, a := range accounts {
		roles[a.Role], levels[a.Unit.Kind] = true, true
	}
	if len(roles) != 4 || !levels[unit.Province] || !levels[unit.District] || !levels[unit.Commune] {
		t.Errorf("demo accounts cover roles %v and levels %v; want every role and the three levels", roles, levels)
	}
	for _, a := range accounts {
		if _, err := s.Authenticate(ctx, a.Username, a.Password); err != nil {
			t.Errorf("%s cannot sign in: %v", a.Username, err)
		}
		if u, err := s.UserByToken(ctx, a.Token); err != nil || u.Username != a.Username {
			t.Errorf("%s's token: %v", a.Username, err)
		}
	}
	leader, _ := s.UserByUsername(ctx, "lanhdao.tinh")
	if leader.Unit.ID != newBN.ID || len(leader.Heritage) != 2 {
		t.Errorf("lanhdao.tinh: %s, heritage %v", leader.Unit.Name, leader.Heritage)
	}
	if err := s.VerifyRollups(ctx); err != nil {
		t.Error(err)
	}
	checkCases(t, s)
	checkEvaluation(t, s)
	checkFundFigures(t, s)
	checkHouseholdFigures(t, s)
}
