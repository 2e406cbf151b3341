package store_test

// The casework benchmark (BENCH.md): with 1,000,000 cases stored in one
// province (Bắc Giang of the fixture: its districts and communes), the
// province's overdue list (the first page and the count, as /cases
// shows them) and its monthly statistics for a year, each against a
// plain COUNT(*) of the same rows in the same run.
//
//	go test ./internal/store -run '^$' -bench BenchmarkCases -benchtime 20x -timeout 60m

import (
	"context"
	"testing"

	"mattran/internal/calendar"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

const (
	caseRows    = 1_000_000
	caseVersion = "cases_v1"
)

// caseToday is the benchmark's today: two years of cases end the day before.
var caseToday = calendar.MustParseDate("2025-01-01")

func buildCases(b *testing.B, s *store.Store) error {
	storetest.Fixture(b, s)
	ctx := context.Background()
	root, err := s.UnitAt(ctx, "24", "2024-12-31")
	if err != nil {
		return err
	}
	all, err := s.UnitsDuring(ctx, "2024-12-31", "2024-12-31")
	if err != nil {
		return err
	}
	var units []unit.Unit
	for _, u := range all {
		if unit.InSubtree(u.Path, root.Path) && u.Kind != unit.ResidentialArea {
			units = append(units, u)
		}
	}
	return s.BulkCasesForTest(ctx, units, calendar.MustParseDate("2023-01-01"), 731, caseRows)
}

func caseStores(b *testing.B) map[string]*store.Store {
	out := map[string]*store.Store{}
	path := sqliteFile(b, caseVersion+".db", func(tmp string) error {
		s, err := store.Open(context.Background(), "sqlite:"+tmp)
		if err != nil {
			return err
		}
		if err := s.Migrate(context.Background()); err != nil {
			return err
		}
		if err := buildCases(b, s); err != nil {
			return err
		}
		if _, err := s.DB.Exec(`ANALYZE`); err != nil {
			return err
		}
		return closeSQLite(s)
	})
	out["sqlite"] = openCached(b, "sqlite:"+path)
	// Migrations after the data set was built (indexes) apply here.
	if err := out["sqlite"].Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	return out
}

func BenchmarkCases(b *testing.B) {
	run := func(b *testing.B, s *store.Store) {
		ctx := context.Background()
		root, err := s.UnitAt(ctx, "24", "2024-12-31")
		if err != nil {
			b.Fatal(err)
		}
		b.Run("overdue-list", func(b *testing.B) {
			var n int
			for b.Loop() {
				f := store.CaseFilter{Path: root.Path, Overdue: true, Today: caseToday, Limit: 50}
				cs, err := s.Cases(ctx, f)
				if err != nil || len(cs) != 50 {
					b.Fatalf("%d cases, %v", len(cs), err)
				}
				if n, err = s.CountCases(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "rows")
		})
		b.Run("overdue-plain-count", func(b *testing.B) {
			for b.Loop() {
				var n int
				if err := s.DB.QueryRow(`SELECT COUNT(*) FROM cases WHERE status = 'forwarded' AND due_on < $1`, caseToday.String()).Scan(&n); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("monthly-stats", func(b *testing.B) {
			for b.Loop() {
				rows, err := s.MonthlyStats(ctx, root.Path, 2024)
				if err != nil || len(rows) == 0 {
					b.Fatal(err)
				}
			}
		})
		b.Run("monthly-plain-count", func(b *testing.B) {
			for b.Loop() {
				var n int
				if err := s.DB.QueryRow(`SELECT COUNT(*) FROM cases WHERE received_on >= '2024-01-01' AND received_on <= '2024-12-31'`).Scan(&n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("sqlite", func(b *testing.B) { run(b, caseStores(b)["sqlite"]) })
	b.Run("postgres", func(b *testing.B) {
		s := pgSchema(b, benchPrefix+"_"+caseVersion, func(s *store.Store) error {
			if err := buildCases(b, s); err != nil {
				return err
			}
			_, err := s.DB.Exec(`VACUUM ANALYZE cases`)
			return err
		})
		if err := s.Migrate(context.Background()); err != nil {
			b.Fatal(err)
		}
		s.DB.Exec(`ANALYZE cases`)
		run(b, s)
	})
}
