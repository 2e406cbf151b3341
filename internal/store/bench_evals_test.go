package store_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/synth"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// provincesBySize returns, for each wanted number of residential areas,
// the province whose count is closest, with its count.
func provincesBySize(b *testing.B, s *store.Store, wants []int) ([]unit.Unit, []int) {
	b.Helper()
	ctx := context.Background()
	root, err := s.Root(ctx)
	if err != nil {
		b.Fatal(err)
	}
	tree, err := s.Subtree(ctx, root, synth.NationalAsOf)
	if err != nil {
		b.Fatal(err)
	}
	count := map[int64]int{}
	byID := map[int64]unit.Unit{}
	for _, u := range tree {
		byID[u.ID] = u
		if ids := unit.PathIDs(u.Path); u.Kind == unit.ResidentialArea && len(ids) > 1 {
			count[ids[1]]++
		}
	}
	var out []unit.Unit
	var ns []int
	for _, want := range wants {
		var best unit.Unit
		bestGap := -1
		for id, n := range count {
			gap := max(n-want, want-n)
			if bestGap < 0 || gap < bestGap || (gap == bestGap && byID[id].Code < best.Code) {
				best, bestGap = byID[id], gap
			}
		}
		out = append(out, best)
		ns = append(ns, count[best.ID])
	}
	return out, ns
}

// ensureKept builds the kept evaluations of the bench program for p if
// they are not there, and logs how long the build took.
func ensureKept(b *testing.B, s *store.Store, p period.Period) {
	b.Helper()
	ctx := context.Background()
	prog, err := s.Program(ctx, benchProgram)
	if err != nil {
		b.Fatal(err)
	}
	root, err := s.Root(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, ok, err := s.KeptCard(ctx, prog, root, p); err != nil {
		b.Fatal(err)
	} else if ok {
		return
	}
	start := time.Now()
	if err := s.BuildEvals(ctx, benchProgram, p); err != nil {
		b.Fatal(err)
	}
	var rows int
	if err := s.DB.QueryRow(`SELECT count(*) FROM target_evals WHERE period = $1`, p.String()).Scan(&rows); err != nil {
		b.Fatal(err)
	}
	b.Logf("built the kept evaluations of %s for %s: %d rows in %v", benchProgram, p, rows, time.Since(start).Round(time.Millisecond))
}

// BenchmarkKeptScorecard reads the scorecard of the seed program for 2024
// from the kept evaluations (Store.KeptCard, straight from the database,
// no cache) at provinces of about 500, 2,000 and 5,000 residential areas.
// Baselines in the same iteration: a count(*) of the province's stored
// values for 2024 (x-count, the goal ≤ 2), and the scorecard
// computed from the values (rollup.Scorecard, x-full).
func BenchmarkKeptScorecard(b *testing.B) {
	for _, eng := range engines {
		b.Run(eng.name, func(b *testing.B) {
			s := eng.national(b)
			ctx := context.Background()
			p := period.MustParse(benchYear)
			ensureKept(b, s, p)
			prog, err := s.Program(ctx, benchProgram)
			if err != nil {
				b.Fatal(err)
			}
			elements, err := s.Elements(ctx)
			if err != nil {
				b.Fatal(err)
			}
			provs, sizes := provincesBySize(b, s, []int{500, 2000, 5000})
			for i, prov := range provs {
				b.Run(fmt.Sprintf("areas=%d", sizes[i]), func(b *testing.B) {
					var args []any
					for _, e := range elements {
						args = append(args, e.ID)
					}
					periods := periodsOfYear(benchYear)
					for _, q := range periods {
						args = append(args, q)
					}
					lo, hi := unit.PathRange(prov.Path)
					args = append(args, lo, hi)
					countSQL := `SELECT count(*) FROM data_values WHERE element_id IN (` + inList(len(elements), 1) + `) AND period IN (` +
						inList(len(periods), len(elements)+1) + `) AND unit_path >= $` + strconv.Itoa(len(args)-1) + ` AND unit_path < $` + strconv.Itoa(len(args))
					var stored int
					if err := s.DB.QueryRow(countSQL, args...).Scan(&stored); err != nil {
						b.Fatal(err)
					}
					b.Logf("province %s %s: %d residential areas, %d values stored for %s", prov.Code, prov.Name, sizes[i], stored, benchYear)
					// The kept card must read as the computed one.
					kept, ok, err := s.KeptCard(ctx, prog, prov, p)
					if err != nil || !ok {
						b.Fatalf("KeptCard: ok %v, err %v", ok, err)
					}
					full, err := rollup.Scorecard(ctx, s, prog, prov, p)
					if err != nil {
						b.Fatal(err)
					}
					for j := range full.Targets {
						f, k := full.Targets[j], kept.Targets[j]
						if f.Own.Status != k.Own.Status || f.Coverage.Met != k.Coverage.Met || f.Coverage.Units != k.Coverage.Units || f.Coverage.NoData != k.Coverage.NoData {
							b.Fatalf("target %s: kept %+v / %+v, computed %+v / %+v", f.Target.Code, k.Own.Status, k.Coverage, f.Own.Status, f.Coverage)
						}
					}
					var count, fullTime time.Duration
					b.ResetTimer()
					for range b.N {
						if _, ok, err := s.KeptCard(ctx, prog, prov, p); err != nil || !ok {
							b.Fatalf("KeptCard: ok %v, err %v", ok, err)
						}
						b.StopTimer()
						start := time.Now()
						var n int
						if err := s.DB.QueryRow(countSQL, args...).Scan(&n); err != nil {
							b.Fatal(err)
						}
						count += time.Since(start)
						start = time.Now()
						if _, err := rollup.Scorecard(ctx, s, prog, prov, p); err != nil {
							b.Fatal(err)
						}
						fullTime += time.Since(start)
						b.StartTimer()
					}
					b.StopTimer()
					reportBaseline(b, "count", count)
					reportBaseline(b, "full", fullTime)
				})
			}
		})
	}
}

// BenchmarkKeptWrite times a write of values into the biggest province's
// residential areas for 2024 (changing each value it writes) while the
// seed program's 2024 evaluations are kept, against the same write in
// the same iteration with nothing kept (the mark moved aside, so the
// kernel refreshes nothing): x-nokept is the cost of keeping them.
func BenchmarkKeptWrite(b *testing.B) {
	for _, eng := range engines {
		b.Run(eng.name, func(b *testing.B) {
			s := eng.national(b)
			ctx := context.Background()
			p := period.MustParse(benchYear)
			ensureKept(b, s, p)
			prov, _ := biggestProvince(b, s)
			tree, err := s.Subtree(ctx, prov, synth.NationalAsOf)
			if err != nil {
				b.Fatal(err)
			}
			var areas []unit.Unit
			for _, u := range tree {
				if u.Kind == unit.ResidentialArea {
					areas = append(areas, u)
				}
			}
			root, err := s.Root(ctx)
			if err != nil {
				b.Fatal(err)
			}
			for _, n := range []int{1000, 20000} {
				b.Run(fmt.Sprintf("values=%d", n), func(b *testing.B) {
					write := func(i int) {
						var rows []value.Row
						for j := range n / 2 {
							a := areas[j%len(areas)]
							rows = append(rows,
								value.Row{DataElement: "CT2_HGD_TONG", Period: benchYear, OrgUnit: a.Code, Value: strconv.Itoa(1000 + i%2)},
								value.Row{DataElement: "CT2_HGD_VANHOA", Period: benchYear, OrgUnit: a.Code, Value: strconv.Itoa(800 + i%3)})
						}
						if _, err := s.ImportValues(ctx, rows, store.ImportOptions{Actor: bulkActor, Scope: root, Source: "bench", Today: "2099-12-31"}); err != nil {
							b.Fatal(err)
						}
					}
					moveMark := func(from, to string) {
						if _, err := s.DB.Exec(`UPDATE eval_marks SET period = $1 WHERE period = $2`, to, from); err != nil {
							b.Fatal(err)
						}
					}
					var nokept time.Duration
					b.ResetTimer()
					for i := range b.N {
						b.StopTimer()
						moveMark(benchYear, "1999")
						start := time.Now()
						write(2 * i)
						nokept += time.Since(start)
						moveMark("1999", benchYear)
						b.StartTimer()
						// The kept write touches the same keys, so it leaves
						// the kept evaluations exact again.
						write(2*i + 1)
					}
					b.StopTimer()
					reportBaseline(b, "nokept", nokept)
				})
			}
		})
	}
}
