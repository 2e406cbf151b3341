package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

// TestEvaluateAgreesWithScorecard: the readings of a few units over
// several periods, read without the subtree, are the scorecard's own
// readings at each, for every target, and a coverage recounted from the
// scorecard's units is the scorecard's coverage.
func TestEvaluateAgreesWithScorecard(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fixture(t, s)
		mustImport(t, s, scorecardData+"CT2_HGD_TONG,2023,KDC-1,90\nCT2_HGD_VANHOA,2023,KDC-1,80\n")
		prog, err := s.Program(ctx, "BG-CTHD-2019-2024")
		if err != nil {
			t.Fatal(err)
		}
		var units []unit.Unit
		for _, code := range []string{"24", "213", "07201", "KDC-1"} {
			u, err := s.UnitAt(ctx, code, "2024-12-31")
			if err != nil {
				t.Fatal(err)
			}
			units = append(units, u)
		}
		periods := []period.Period{period.MustParse("2023"), period.MustParse("2024"), period.MustParse("2024Q1")}
		got, err := rollup.Evaluate(ctx, s, prog, nil, units, periods)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			for _, p := range periods {
				card, err := rollup.Scorecard(ctx, s, prog, u, p)
				if err != nil {
					t.Fatal(err)
				}
				for _, res := range card.Targets {
					if r := got.At(res.Target.Code, u, p); !reflect.DeepEqual(r, res.Own) {
						t.Errorf("%s at %s for %s: Evaluate reads %+v, the scorecard %+v", res.Target.Code, u.Code, p, r, res.Own)
					}
					cov := rollup.CoverageOf(res.Coverage.Below)
					if cov.Status != res.Coverage.Status || cov.Met != res.Coverage.Met || cov.Units != res.Coverage.Units {
						t.Errorf("%s at %s for %s: recounted coverage %+v, the scorecard's %+v", res.Target.Code, u.Code, p, cov, res.Coverage)
					}
				}
			}
		}
		// A read of something never evaluated says so.
		if r := got.At("T2.5", units[0], period.MustParse("2022")); r.Status != rollup.NotApplicable {
			t.Errorf("a period not evaluated reads %s", r.Status)
		}
	})
}

// TestPeriodLocked: a lock on a unit or above it, for the period or a
// longer one containing it, approves the unit's period.
func TestPeriodLocked(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fixture(t, s)
		unitAt := func(code string) unit.Unit {
			u, err := s.UnitAt(ctx, code, "2024-12-31")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		if err := s.LockPeriod(ctx, storetest.Actor, unitAt("213"), period.MustParse("2024")); err != nil {
			t.Fatal(err)
		}
		// An approved report's lock is exact: Yên Thế's approved year
		// leaves its quarters open (as Approve writes it).
		if _, err := s.DB.ExecContext(ctx, `INSERT INTO period_locks (unit_id, period, locked_at, locked_by, exact) VALUES ($1, $2, $3, $4, $5)`,
			unitAt("215").ID, "2024", time.Now().UTC(), "test", true); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			unit, period string
			want         bool
		}{
			{"213", "2024", true},
			{"07201", "2024", true},   // below the locked district
			{"07201", "2024Q3", true}, // inside the locked year
			{"24", "2024", false},     // the province above is still open
			{"213", "2023", false},
			{"215", "2024", true},    // an approved report's year
			{"07243", "2024", true},  // below it
			{"215", "2024Q4", false}, // its quarter has a report of its own
			{"215", "2023", false},
		} {
			got, err := s.PeriodLocked(ctx, unitAt(c.unit), period.MustParse(c.period))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%s %s locked: %v, want %v", c.unit, c.period, got, c.want)
			}
		}
	})
}
