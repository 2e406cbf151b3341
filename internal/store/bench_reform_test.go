package store_test

// The benchmark of figures read across the 2025 reform (rollup.Across):
// the province scorecard of 2024 on the tree of 1/7/2025, for the new
// Thành phố Hồ Chí Minh (old 74, 77 and 79, 47 of whose communes were
// split), measured against the same scorecard on its own tree in the same
// iteration: the 2024 scorecards of the three old provinces it was made
// from, on the tree of 2024. BENCH.md has the numbers.
//
// The data set (synth.NationalReform: the 2025-03 list, ~100,000 synthetic
// residential areas, the seed's figures of 2024, then the national merge
// mapping and every area carried on) is built once and kept like the
// national one, under reformVersion.

import (
	"context"
	"testing"
	"time"

	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/synth"
	"mattran/internal/unit"
)

const reformVersion = "reform-v1"

var nationalReform = synth.NationalReform{Log: benchLog}

func sqliteReform(b *testing.B) *store.Store {
	path := sqliteFile(b, "national-"+reformVersion+".db", func(tmp string) error {
		ctx := context.Background()
		s, err := store.Open(ctx, "sqlite:"+tmp)
		if err != nil {
			return err
		}
		if err := s.Migrate(ctx); err != nil {
			return err
		}
		if _, err := nationalReform.Load(ctx, s); err != nil {
			return err
		}
		return closeSQLite(s)
	})
	return openCached(b, "sqlite:"+path)
}

func pgReform(b *testing.B) *store.Store {
	return pgSchema(b, "bench_"+reformVersion[:6]+"_v1", func(s *store.Store) error {
		_, err := nationalReform.Load(context.Background(), s)
		return err
	})
}

// BenchmarkAcrossScorecard: the new HCMC's 2024 scorecard on the tree of
// 1/7/2025, against the three old provinces' 2024 scorecards on their own
// tree, in the same iteration. The lineage (the new tree and the old ones
// linked to it) is cached while units stay the same; the cold read a
// change of units costs is measured apart (lineage-cold-ms), and
// x-own-tree-cold counts it in.
//
//	go test -run XXX -bench AcrossScorecard -benchtime 20x -count 3 -timeout 0 ./internal/store/
func BenchmarkAcrossScorecard(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(*testing.B) *store.Store
	}{{"sqlite", sqliteReform}, {"postgres", pgReform}} {
		b.Run(engine.name, func(b *testing.B) {
			s := engine.open(b)
			ctx := context.Background()
			prog, err := s.Program(ctx, benchProgram)
			if err != nil {
				b.Fatal(err)
			}
			hcmc, err := s.UnitAt(ctx, "79", synth.ReformDate)
			if err != nil {
				b.Fatal(err)
			}
			var olds []unit.Unit
			for _, code := range []string{"74", "77", "79"} {
				u, err := s.UnitAt(ctx, code, "2024-12-31")
				if err != nil {
					b.Fatal(err)
				}
				olds = append(olds, u)
			}
			y := period.MustParse(benchYear)
			own := func() (time.Duration, int) {
				start := time.Now()
				figured := 0
				for _, u := range olds {
					card, err := rollup.Scorecard(ctx, s, prog, u, y)
					if err != nil {
						b.Fatal(err)
					}
					figured += countFigured(card)
				}
				return time.Since(start), figured
			}
			own() // warm the caches the way the measured run finds them
			var baseline, cold time.Duration
			var figured, splits int
			b.ResetTimer()
			for b.Loop() {
				a, err := rollup.NewAcross(ctx, s, hcmc, synth.ReformDate)
				if err != nil {
					b.Fatal(err)
				}
				card, re, err := a.Scorecard(ctx, prog, hcmc, y)
				if err != nil {
					b.Fatal(err)
				}
				figured, splits = countFigured(card), len(re.Splits)
				b.StopTimer()
				d, _ := own()
				baseline += d
				// The lineage as read after a change of units, past the
				// cache that serves the loop above.
				start := time.Now()
				if _, err := s.ReadLineage(ctx, hcmc, synth.ReformDate); err != nil {
					b.Fatal(err)
				}
				cold += time.Since(start)
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(float64(baseline.Microseconds())/1000/n, "own-tree-ms")
			b.ReportMetric(float64(cold.Microseconds())/1000/n, "lineage-cold-ms")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(baseline.Nanoseconds()), "x-own-tree")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds()+cold.Nanoseconds())/float64(baseline.Nanoseconds()), "x-own-tree-cold")
			b.ReportMetric(float64(figured), "targets-figured")
			b.ReportMetric(float64(splits), "splits")
		})
	}
}

// countFigured counts the targets with a reading: an own figure, or units
// counted below.
func countFigured(card *rollup.Card) int {
	n := 0
	for _, r := range card.Targets {
		if r.Own.Value != nil || r.Coverage.Units > 0 {
			n++
		}
	}
	return n
}
