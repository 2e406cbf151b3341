package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mattran/internal/clock"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// keptPeriods are the periods kept in the tests: a year, its quarters, and
// the next year, whose "≥ last year" reads the first.
var keptPeriods = []string{"2024", "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025"}

// compareKept checks that every kept scorecard of prog reads as the
// scorecard computed from the values, at every unit of every kept
// isKept: the program's period per is kept at unit u (KeptCard reads
// kept rows rather than saying the scorecard must be computed).
func isKept(t *testing.T, s *store.Store, prog *program.Program, u unit.Unit, per string) bool {
	t.Helper()
	_, ok, err := s.KeptCard(context.Background(), prog, u, period.MustParse(per))
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// period, and that "mattran check"'s verification agrees.
func compareKept(t *testing.T, s *store.Store, prog *program.Program, when string) {
	t.Helper()
	ctx := context.Background()
	if err := s.VerifyEvals(ctx); err != nil {
		t.Fatalf("%s: VerifyEvals: %v", when, err)
	}
	root, err := s.Root(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, per := range keptPeriods {
		p := period.MustParse(per)
		tree, err := s.Subtree(ctx, root, p.EndDate())
		if err != nil {
			t.Fatal(err)
		}
		for i, u := range tree {
			// The units the values are at and above, and every 25th other.
			if !strings.HasPrefix(u.Path, tree[0].Path) || (u.Kind == unit.Commune && u.Code != "07201" && u.Code != "07207" && i%25 != 0) {
				continue
			}
			kept, ok, err := s.KeptCard(ctx, prog, u, p)
			if err != nil {
				t.Fatalf("%s: KeptCard(%s, %s): %v", when, u.Code, per, err)
			}
			if !ok {
				t.Fatalf("%s: %s %s is not kept", when, u.Code, per)
			}
			full, err := rollup.Scorecard(ctx, s, prog, u, p)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := cardJSON(t, kept), cardJSON(t, full); got != want {
				t.Fatalf("%s: the kept scorecard of %s for %s differs from the one computed from the values:\nkept %s\nwant %s", when, u.Code, per, got, want)
			}
		}
	}
}

// cardJSON is what a scorecard shows: each target's own reading and
// coverage.
func cardJSON(t *testing.T, c *rollup.Card) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s\n", c.Unit.Code, c.Period, c.Date)
	for _, r := range c.Targets {
		own, err := json.Marshal(r.Own)
		if err != nil {
			t.Fatal(err)
		}
		cov, err := json.Marshal(r.Coverage)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s %s\n", r.Target.Code, own, cov)
	}
	return b.String()
}

func buildKept(t *testing.T, s *store.Store, code string) {
	t.Helper()
	for _, per := range keptPeriods {
		if err := s.BuildEvals(context.Background(), code, period.MustParse(per)); err != nil {
			t.Fatalf("BuildEvals %s: %v", per, err)
		}
	}
}

// TestKeptEvalsMatchScorecards writes values at random (imports, and the
// figures a module derives), changes thresholds and units, and checks
// after each write that the kept evaluations read exactly as the
// scorecards computed from the values.
func TestKeptEvalsMatchScorecards(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fixture(t, s)
		mustImport(t, s, scorecardData)
		const code = "BG-CTHD-2019-2024"
		prog, err := s.Program(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		buildKept(t, s, code)
		compareKept(t, s, prog, "after the build")

		// The cells random writes choose from: those of the fixture, in
		// 2024 and 2025.
		var cells [][3]string
		for _, line := range strings.Split(strings.TrimSpace(scorecardData), "\n")[1:] {
			f := strings.Split(line, ",")
			cells = append(cells, [3]string{f[0], f[1], f[2]})
			cells = append(cells, [3]string{f[0], strings.Replace(f[1], "2024", "2025", 1), f[2]}, [3]string{f[0], strings.Replace(f[1], "2023", "2024", 1), f[2]})
		}
		// Figures a module derives are refused typed (after the years the
		// program keeps as typed): the random writes leave them out.
		typed := cells[:0]
		for _, c := range cells {
			y, _ := strconv.Atoi(c[1][:4])
			if e, ok := prog.Element(c[0]); ok && strings.HasPrefix(e.Source, "derived:") && !e.Typed(y) {
				continue
			}
			typed = append(typed, c)
		}
		cells = typed
		partOf := map[string]string{"CT2_HGD_TONG": "CT2_HGD_VANHOA", "CT1_TTCTMT_KDC": "CT1_TTCTMT_NHAN", "CT2_HN_TONG": "CT2_HN_QUATET"}
		wholeOf := map[string]string{}
		for w, p := range partOf {
			wholeOf[p] = w
		}
		rng := rand.New(rand.NewSource(9))
		randomRows := func(n int) string {
			var b strings.Builder
			b.WriteString("dataelement,period,orgunit,value\n")
			seen := map[[3]string]bool{}
			for range n {
				c := cells[rng.Intn(len(cells))]
				if seen[c] {
					continue
				}
				seen[c] = true
				v := rng.Intn(120)
				if strings.HasPrefix(c[0], "CT2_QUY") {
					v *= 100000000
				}
				// A part is written with its whole, never above it.
				if whole, ok := wholeOf[c[0]]; ok {
					c[0] = whole
				}
				if part, ok := partOf[c[0]]; ok {
					w := rng.Intn(4)
					if seen[[3]string{part, c[1], c[2]}] {
						continue
					}
					seen[[3]string{part, c[1], c[2]}] = true
					fmt.Fprintf(&b, "%s,%s,%s,%d\n", part, c[1], c[2], rng.Intn(w+1))
					v = w
				}
				fmt.Fprintf(&b, "%s,%s,%s,%d\n", c[0], c[1], c[2], v)
			}
			return b.String()
		}
		written := 0
		for i := range 8 {
			data := randomRows(1 + rng.Intn(8))
			if _, err := importValues(t, s, data); err != nil {
				t.Logf("refused: %v", err)
				continue // a refused write changes nothing
			}
			written++
			compareKept(t, s, prog, fmt.Sprintf("after random write %d", i))
		}
		if written < 4 {
			t.Fatalf("only %d of 8 random writes were accepted", written)
		}

		// A module's derived figures (as an approval or a return writes
		// them) go through the same kernel.
		rows, err := value.Parse(strings.NewReader(randomRows(4)))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := tx.WriteDerived(ctx, "test", rows)
			return err
		}); err == nil {
			compareKept(t, s, prog, "after derived figures")
		}

		// A change of units drops every kept evaluation; the scorecards
		// are read from the values until the next build.
		parsed, err := unit.Parse(strings.NewReader("code,name,kind,parent_code,synthetic\nKDC-4,Tổ dân phố 4,residential_area,07207,true\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportUnits(ctx, storetest.Actor, parsed, unit.Options{Date: "2020-01-01"}); err != nil {
			t.Fatal(err)
		}
		root, err := s.Root(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.KeptCard(ctx, prog, root, period.MustParse("2024")); err != nil || ok {
			t.Fatalf("after a change of units the kept scorecard is still read (ok %v, err %v)", ok, err)
		}
		buildKept(t, s, code)
		mustImport(t, s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-4,10\nCT2_HGD_VANHOA,2024,KDC-4,9\n")
		compareKept(t, s, prog, "after a new unit and its values")
		for i := range 2 {
			if _, err := importValues(t, s, randomRows(6)); err == nil {
				compareKept(t, s, prog, fmt.Sprintf("after random write %d on the new tree", i))
			}
		}
	})
}

// TestKeepEvalsWithoutOperator: the background job (KeepEvals) builds
// each program's years up to the current one with no operator; a change
// of units drops them and the scorecards read the values meanwhile; the
// next run builds them again, and writes after it keep them exact.
func TestKeepEvalsWithoutOperator(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Clock = clock.Fixed(time.Date(2024, 11, 20, 9, 0, 0, 0, clock.Zone))
		fixture(t, s)
		mustImport(t, s, scorecardData)
		const code = "BG-CTHD-2019-2024"
		prog, err := s.Program(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		root, err := s.Root(ctx)
		if err != nil {
			t.Fatal(err)
		}
		kept := func(per string) bool { return isKept(t, s, prog, root, per) }
		if kept("2024") {
			t.Fatal("2024 is kept before any build")
		}
		built, err := s.KeepEvals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Every year of both programs' terms up to 2024 (the clock's year).
		for _, want := range []string{code + " 2019", code + " 2024", "TEST-PCT 2020", "TEST-PCT 2024"} {
			if !slices.Contains(built, want) {
				t.Errorf("the first run built %v; want %s among them", built, want)
			}
		}
		if slices.ContainsFunc(built, func(b string) bool { return strings.HasSuffix(b, "2025") }) {
			t.Errorf("the first run built a year after the clock's: %v", built)
		}
		if !kept("2024") || !kept("2019") || kept("2024Q1") {
			t.Fatal("after the run: want 2019 and 2024 kept, not a quarter")
		}
		if again, err := s.KeepEvals(ctx); err != nil || len(again) != 0 {
			t.Fatalf("a second run built %v, %v; want nothing", again, err)
		}
		if err := s.VerifyEvals(ctx); err != nil {
			t.Fatal(err)
		}

		// A change of units drops them: read from the values until the
		// next run, then kept again and exact after writes.
		parsed, err := unit.Parse(strings.NewReader("code,name,kind,parent_code,synthetic\nKDC-4,Tổ dân phố 4,residential_area,07207,true\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportUnits(ctx, storetest.Actor, parsed, unit.Options{Date: "2020-01-01"}); err != nil {
			t.Fatal(err)
		}
		if kept("2024") {
			t.Fatal("after a change of units 2024 is still read from the kept evaluations")
		}
		if built, err := s.KeepEvals(ctx); err != nil || len(built) < 10 {
			t.Fatalf("the run after the change built %v, %v; want every year again", built, err)
		}
		mustImport(t, s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-4,10\nCT2_HGD_VANHOA,2024,KDC-4,9\n")
		for _, per := range []string{"2023", "2024"} {
			if !kept(per) {
				t.Fatalf("%s is not kept after the run", per)
			}
			card, _, err := s.KeptCard(ctx, prog, root, period.MustParse(per))
			if err != nil {
				t.Fatal(err)
			}
			full, err := rollup.Scorecard(ctx, s, prog, root, period.MustParse(per))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := cardJSON(t, card), cardJSON(t, full); got != want {
				t.Fatalf("%s: kept %s\nwant %s", per, got, want)
			}
		}
		if err := s.VerifyEvals(ctx); err != nil {
			t.Fatal(err)
		}
		// A trend and a children table read the kept years as the values
		// read them, units of every kind, years kept and not (2025).
		var years []period.Period
		for y := 2019; y <= 2025; y++ {
			years = append(years, period.Period{Type: period.Yearly, Year: y})
		}
		for _, date := range []string{"2020-06-30", "2024-12-31"} {
			tree, err := s.Subtree(ctx, root, date)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.KeptReadings(ctx, prog, nil, tree, years)
			if err != nil {
				t.Fatal(err)
			}
			want, err := rollup.Evaluate(ctx, s, prog, nil, tree, years)
			if err != nil {
				t.Fatal(err)
			}
			for _, tg := range prog.Targets() {
				for _, u := range tree {
					for _, y := range years {
						g, _ := json.Marshal(got.At(tg.Code, u, y))
						w, _ := json.Marshal(want.At(tg.Code, u, y))
						if string(g) != string(w) {
							t.Fatalf("%s at %s for %s: kept reads %s, the values %s", tg.Code, u.Code, y, g, w)
						}
					}
				}
			}
		}
	})
}

// TestVerifyEvalsFindsWrongRows: what "mattran check" runs after the
// roll-ups (VerifyEvals) evaluates every kept row again from the values
// and refuses a kept row whose reading or status was changed, one that is
// missing and one too many, naming the program, period and row.
func TestVerifyEvalsFindsWrongRows(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fixture(t, s)
		mustImport(t, s, scorecardData)
		const code = "BG-CTHD-2019-2024"
		if err := s.BuildEvals(ctx, code, period.MustParse("2024")); err != nil {
			t.Fatal(err)
		}
		if err := s.VerifyEvals(ctx); err != nil {
			t.Fatalf("right after the build: %v", err)
		}
		var target, path, reading, status string
		if err := s.DB.QueryRow(`SELECT target, unit_path, reading, status FROM target_evals WHERE program = $1 AND period = '2024' ORDER BY unit_path, target LIMIT 1`, code).Scan(&target, &path, &reading, &status); err != nil {
			t.Fatal(err)
		}
		type stmt struct {
			sql  string
			args []any
		}
		at := []any{target, path}
		for _, c := range []struct {
			name     string
			do, undo []stmt
		}{
			{"a changed reading",
				[]stmt{{`UPDATE target_evals SET reading = 'R	met	1	-' WHERE target = $1 AND unit_path = $2`, at}},
				[]stmt{{`UPDATE target_evals SET reading = $3 WHERE target = $1 AND unit_path = $2`, append(at, reading)}}},
			{"a changed status",
				[]stmt{{`UPDATE target_evals SET status = 'other' WHERE target = $1 AND unit_path = $2`, at}},
				[]stmt{{`UPDATE target_evals SET status = $3 WHERE target = $1 AND unit_path = $2`, append(at, status)}}},
			{"a missing row",
				[]stmt{{`CREATE TABLE saved_eval AS SELECT * FROM target_evals WHERE target = '` + target + `' AND unit_path = '` + path + `'`, nil}, {`DELETE FROM target_evals WHERE target = $1 AND unit_path = $2`, at}},
				[]stmt{{`INSERT INTO target_evals SELECT * FROM saved_eval`, nil}, {`DROP TABLE saved_eval`, nil}}},
			{"a row too many",
				[]stmt{{`INSERT INTO target_evals (program, period, target, unit_path, unit_id, kind, depth, counted_to, status, reading) SELECT program, period, 'T-NONE', unit_path, unit_id, kind, depth, counted_to, status, reading FROM target_evals WHERE target = $1 AND unit_path = $2`, at}},
				[]stmt{{`DELETE FROM target_evals WHERE target = 'T-NONE'`, nil}}},
		} {
			exec := func(stmts []stmt) {
				t.Helper()
				for _, q := range stmts {
					if _, err := s.DB.Exec(q.sql, q.args...); err != nil {
						t.Fatalf("%s: %s: %v", c.name, q.sql, err)
					}
				}
			}
			exec(c.do)
			err := s.VerifyEvals(ctx)
			if err == nil || !strings.Contains(err.Error(), code+" 2024") {
				t.Errorf("%s: check says %v; want an error naming %s 2024", c.name, err, code)
			}
			exec(c.undo)
			if err := s.VerifyEvals(ctx); err != nil {
				t.Fatalf("after undoing %s: %v", c.name, err)
			}
		}
	})
}
