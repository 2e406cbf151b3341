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
