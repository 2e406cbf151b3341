package demo_test

import (
	"context"
	"testing"

	"mattran/internal/demo"
	"mattran/internal/fund"
	"mattran/internal/store"
)

// checkFundFigures: every year whose T2.1 figure the ledger computes has
// one, from the demo's receipts: the old province's 2024, the new
// province's months of 2025 and this year. A full year's province total
// lands near the 50 billion target.
func checkFundFigures(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, tc := range []struct {
		date, year string
		min, max   float64
	}{{"2024-12-31", "2024", 30e9, 300e9}, {"2026-12-05", "2025", 5e9, 60e9}, {"2026-12-05", "2026", 30e9, 80e9}} {
		u, err := s.UnitAt(ctx, demo.Province, tc.date)
		if err != nil {
			t.Fatal(err)
		}
		var own, total float64
		s.DB.QueryRow(`SELECT COALESCE(SUM(v.value), 0) FROM data_values v JOIN data_elements e ON e.id = v.element_id
			WHERE e.code = $1 AND v.period = $2 AND v.unit_path = $3`, fund.ElemRaised, tc.year, u.Path).Scan(&own)
		s.DB.QueryRow(`SELECT COALESCE(SUM(v.value), 0) FROM data_values v JOIN data_elements e ON e.id = v.element_id
			WHERE e.code = $1 AND v.period = $2 AND v.unit_path LIKE $3`, fund.ElemRaised, tc.year, u.Path+"%").Scan(&total)
		t.Logf("%s %s: T2.1 own %.0f, subtree %.0f", u.Name, tc.year, own, total)
		if own == 0 || total < tc.min || total > tc.max {
			t.Errorf("%s %s: the ledger's T2.1 is %.0f (own %.0f), want %.0f–%.0f", u.Name, tc.year, total, own, tc.min, tc.max)
		}
	}
}

// checkHouseholdFigures: the registers of households give T2.2 (poor
// households with a Tết gift) and T2.3 (special households supported
// regularly) on both trees, each a realistic share: above zero, below
// 100 %, as the roll-up keeps them at the province.
func checkHouseholdFigures(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, tc := range []struct{ date, year string }{{"2024-12-31", "2024"}, {"2026-12-05", "2025"}, {"2026-12-05", "2026"}} {
		u, err := s.UnitAt(ctx, demo.Province, tc.date)
		if err != nil {
			t.Fatal(err)
		}
		sum := func(code string) float64 {
			var v float64
			if err := s.DB.QueryRow(`SELECT COALESCE(SUM(r.value), 0) FROM data_rollups r JOIN data_elements e ON e.id = r.element_id
				WHERE e.code = $1 AND r.period = $2 AND r.unit_path = $3`, code, tc.year, u.Path).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		for _, x := range []struct{ target, part, whole string }{
			{"T2.2", fund.ElemPoorTet, fund.ElemPoor}, {"T2.3", fund.ElemSpecialSupported, fund.ElemSpecial},
		} {
			part, whole := sum(x.part), sum(x.whole)
			t.Logf("%s %s: %s %.0f of %.0f", u.Name, tc.year, x.target, part, whole)
			if whole == 0 || part == 0 || part >= whole {
				t.Errorf("%s %s: %s is %.0f of %.0f households, want a share above 0 and below 100 %%", u.Name, tc.year, x.target, part, whole)
			}
		}
	}
}
