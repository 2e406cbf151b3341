package store_test

import (
	"context"
	"testing"

	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

const scorecardData = `dataelement,period,orgunit,value
CT2_HGD_TONG,2024,KDC-1,100
CT2_HGD_VANHOA,2024,KDC-1,95
CT2_HGD_TONG,2024,KDC-2,50
CT2_HGD_VANHOA,2024,KDC-2,40
CT2_HGD_TONG,2024,KDC-3,80
CT2_HGD_VANHOA,2024,KDC-3,70
CT2_QUY_VNN,2024,07201,1000000000
CT2_QUY_VNN,2024,213,2000000000
CT2_QUY_VNN,2024,24,5000000000
CT3_GIAMSAT,2024,24,1
CT3_PHANBIEN,2024,24,1
CT3_GIAMSAT,2024,213,1
CT3_GIAMSAT,2024,07201,5
CT1_BAO_DDK,2023,24,100
CT1_BAO_DDK,2024,24,90
CT1_BAO_DDK,2024,213,20
CT2_HN_TONG,2024,KDC-3,0
CT2_HN_QUATET,2024,KDC-3,0
CT1_TTCTMT_KDC,2024Q1,KDC-1,1
CT1_TTCTMT_NHAN,2024Q1,KDC-1,1
CT1_TTCTMT_KDC,2024Q2,KDC-1,1
CT1_TTCTMT_NHAN,2024Q2,KDC-1,1
CT1_TTCTMT_KDC,2024Q3,KDC-1,1
CT1_TTCTMT_NHAN,2024Q3,KDC-1,1
CT1_TTCTMT_KDC,2024Q4,KDC-1,1
CT1_TTCTMT_NHAN,2024Q4,KDC-1,1
CT1_TTCTMT_KDC,2024Q1,KDC-2,1
CT1_TTCTMT_NHAN,2024Q1,KDC-2,1
CT1_TTCTMT_KDC,2024Q2,KDC-2,1
CT1_TTCTMT_NHAN,2024Q2,KDC-2,1
CT1_TTCTMT_KDC,2024Q3,KDC-2,1
CT1_TTCTMT_NHAN,2024Q3,KDC-2,1
CT1_TTCTMT_KDC,2024Q4,KDC-2,1
CT1_TTCTMT_NHAN,2024Q4,KDC-2,0
`

func TestScorecardOwnAndCoverage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fixture(t, s)
		mustImport(t, s, scorecardData)
		prog, err := s.Program(ctx, "BG-CTHD-2019-2024")
		if err != nil {
			t.Fatal(err)
		}
		card := func(code, per string) map[string]rollup.TargetResult {
			p := period.MustParse(per)
			u, err := s.UnitAt(ctx, code, p.EndDate())
			if err != nil {
				t.Fatal(err)
			}
			c, err := rollup.Scorecard(ctx, s, prog, u, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Targets) != 25 {
				t.Fatalf("scorecard of %s has %d targets, want 25", code, len(c.Targets))
			}
			out := map[string]rollup.TargetResult{}
			for _, r := range c.Targets {
				out[r.Target.Code] = r
			}
			return out
		}
		type own struct {
			value  any
			status rollup.Status
		}
		check := func(where string, r rollup.TargetResult, want own) {
			t.Helper()
			if got := deref(r.Own.Value); got != want.value || r.Own.Status != want.status {
				t.Errorf("%s %s own = %v %s, want %v %s", where, r.Target.Code, got, r.Own.Status, want.value, want.status)
			}
		}
		type cov struct {
			units, met, notMet, noData int
			status                     rollup.Status
		}
		checkCov := func(where string, r rollup.TargetResult, want cov) {
			t.Helper()
			c := r.Coverage
			if got := (cov{c.Units, c.Met, c.NotMet, c.NoData, c.Status}); got != want {
				t.Errorf("%s %s coverage = %+v, want %+v", where, r.Target.Code, got, want)
			}
		}

		thoXuong, ngoQuyen, district, province := card("07201", "2024"), card("07207", "2024"), card("213", "2024"), card("24", "2024")
		// T2.5 ≥ 90% households "gia đình văn hóa": a ratio of sums.
		check("07201", thoXuong["T2.5"], own{90.0, rollup.Met})
		check("07207", ngoQuyen["T2.5"], own{87.5, rollup.NotMet})
		check("213", district["T2.5"], own{100 * 205.0 / 230, rollup.NotMet})
		checkCov("213", district["T2.5"], cov{34, 1, 1, 32, rollup.NotMet})
		checkCov("24", province["T2.5"], cov{10, 0, 1, 9, rollup.NotMet})
		// T3.1 counts the committee's own work only.
		check("24", province["T3.1"], own{2.0, rollup.Met})
		check("213", district["T3.1"], own{1.0, rollup.NotMet})
		checkCov("24", province["T3.1"], cov{10, 0, 1, 9, rollup.NotMet})
		// T2.1 is a province total over the whole tree; districts are not held to it.
		check("24", province["T2.1"], own{8e9, rollup.NotMet})
		check("213", district["T2.1"], own{3e9, rollup.NotApplicable})
		// T1.3 ≥ last year: 90 + 20 this year against 100.
		check("24", province["T1.3"], own{110.0, rollup.Met})
		if p := province["T1.3"].Own.Parts[0].Previous; p == nil || *p != 100 {
			t.Errorf("T1.3 previous = %v, want 100", deref(p))
		}
		check("213", district["T1.3"], own{20.0, rollup.NoData})
		// T1.4 is quarterly, for residential areas: 7 of 8 area-quarters.
		check("07201", thoXuong["T1.4"], own{87.5, rollup.NotApplicable})
		checkCov("07201", thoXuong["T1.4"], cov{2, 1, 1, 0, rollup.NotMet})
		// Nothing to count is not a failure: no poor households in 07207.
		check("07207", ngoQuyen["T2.2"], own{nil, rollup.NotApplicable})
		// Tracked targets have no verdict.
		check("24", province["T4.1"], own{nil, rollup.NoData})

		q4 := card("07201", "2024Q4")
		if r := q4["T2.5"]; r.Own.Status != rollup.NotApplicable {
			t.Errorf("a yearly target on a quarter: %s, want not applicable", r.Own.Status)
		}
		checkCov("07201 Q4", q4["T1.4"], cov{2, 1, 1, 0, rollup.NotMet})
		check("07201 Q4", q4["T1.4"], own{50.0, rollup.NotApplicable})
	})
}
