package demo_test

import (
	"context"
	"testing"

	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/demo"
	"mattran/internal/store"
)

// checkCases: the demo's casework, on both trees: a year of cases at
// every level, some overdue, some answered late, one sealed denunciation
// handled by canbo.phuong, and T3.1–T3.5 computed from them.
func checkCases(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	today := calendar.DateOf(s.Now())
	for _, tc := range []struct{ code, date string }{{demo.Province, "2024-12-31"}, {demo.Province, "2026-12-05"}} {
		u, err := s.UnitAt(ctx, tc.code, tc.date)
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.CountCases(ctx, store.CaseFilter{Path: u.Path})
		if err != nil {
			t.Fatal(err)
		}
		over, _ := s.CountCases(ctx, store.CaseFilter{Path: u.Path, Overdue: true, Today: today})
		answered, _ := s.CountCases(ctx, store.CaseFilter{Path: u.Path, Status: casework.Answered})
		t.Logf("%s on %s: %d cases, %d overdue, %d answered", u.Name, tc.date, all, over, answered)
		if all < 300 || over == 0 || answered == 0 {
			t.Errorf("%s: %d cases, %d overdue, %d answered", u.Name, all, over, answered)
		}
		rates, err := s.AgencyRates(ctx, u.Path, 2024, today)
		if err == nil && tc.date == "2024-12-31" && len(rates) == 0 {
			t.Errorf("%s: no agency rates for 2024", u.Name)
		}
	}
	var sealed int
	s.DB.QueryRow(`SELECT count(*) FROM cases WHERE kind = 'to_cao' AND sealed IS NOT NULL AND handler = 'canbo.phuong'`).Scan(&sealed)
	if sealed != 1 {
		t.Errorf("%d sealed denunciations, want 1", sealed)
	}
	// Lists show a case by its summary line, so none is without one.
	var untitled int
	s.DB.QueryRow(`SELECT count(*) FROM cases WHERE title = '' OR title IS NULL`).Scan(&untitled)
	if untitled != 0 {
		t.Errorf("%d cases without a summary line", untitled)
	}
	var n int
	s.DB.QueryRow(`SELECT count(*) FROM case_petitioners WHERE name LIKE '%Tố Giác%'`).Scan(&n)
	if n != 0 {
		t.Error("the denouncer's name is stored in the clear")
	}
	// T3.4's figures at the new province for 2026 are its cases' counts.
	u, _ := s.UnitAt(ctx, demo.Province, "2026-12-05")
	counts, err := s.CaseCounts(ctx, []string{u.Path}, 2026, today)
	if err != nil {
		t.Fatal(err)
	}
	var stored float64
	s.DB.QueryRow(`SELECT v.value FROM data_values v JOIN data_elements e ON e.id = v.element_id
		WHERE e.code = 'CT3_DON_TRALOI_VB' AND v.period = '2026' AND v.unit_path = $1`, u.Path).Scan(&stored)
	if int(stored) != counts[0].InWriting || counts[0].InWriting == 0 {
		t.Errorf("province's T3.4 numerator %v, its cases say %d", stored, counts[0].InWriting)
	}
	rate, _ := counts[0].Rate()
	t.Logf("%s 2026: T3.4 = %d / (%d + %d) = %.1f%%", u.Name, counts[0].InWriting, counts[0].Answered, counts[0].OpenOverdue, rate)
}
