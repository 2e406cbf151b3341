package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"mattran/internal/clock"
	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// TestBulkWriteDropsKeptEvals: a write touching more units than
// EvalRefreshLimit removes the marks of the kept periods it touched, in
// its own transaction, instead of refreshing them; scorecards then read
// as computed from the values, the store asks for a rebuild, and the
// rebuild (the evals job's KeepEvals) keeps them exact again. Periods the
// write did not touch stay kept and exact throughout.
func TestBulkWriteDropsKeptEvals(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		// The clock in 2025, so the job keeps 2024 and 2025 (years).
		s.Clock = clock.Fixed(time.Date(2025, 11, 20, 9, 0, 0, 0, clock.Zone))
		fixture(t, s)
		mustImport(t, s, scorecardData)
		const code = "BG-CTHD-2019-2024"
		prog, err := s.Program(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		buildKept(t, s, code)
		compareKept(t, s, prog, "after the build")
		root, err := s.Root(ctx)
		if err != nil {
			t.Fatal(err)
		}
		kept := func(per string) bool { return isKept(t, s, prog, root, per) }
		asComputed := func(when string) {
			t.Helper()
			if err := s.VerifyEvals(ctx); err != nil {
				t.Fatalf("%s: VerifyEvals: %v", when, err)
			}
			for _, per := range keptPeriods {
				p := period.MustParse(per)
				card, ok, err := s.KeptCard(ctx, prog, root, p)
				if err != nil {
					t.Fatal(err)
				}
				full, err := rollup.Scorecard(ctx, s, prog, root, p)
				if err != nil {
					t.Fatal(err)
				}
				if ok && cardJSON(t, card) != cardJSON(t, full) {
					t.Fatalf("%s: kept %s differs:\n%s\nwant %s", when, per, cardJSON(t, card), cardJSON(t, full))
				}
			}
		}
		// A small write refreshes: nothing is dropped, nothing asked.
		defer func(limit int) { store.EvalRefreshLimit = limit }(store.EvalRefreshLimit)
		store.EvalRefreshLimit = 2
		mustImport(t, s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,120\nCT2_HGD_VANHOA,2024,KDC-1,90\n")
		for _, per := range keptPeriods {
			if !kept(per) {
				t.Fatalf("a write of one unit dropped %s", per)
			}
		}
		select {
		case <-s.EvalsWanted():
			t.Fatal("a write under the limit asked for a rebuild")
		default:
		}
		compareKept(t, s, prog, "after a small write")

		// Three units' 2024 figures: over the limit of 2.
		var rows strings.Builder
		rows.WriteString("dataelement,period,orgunit,value\n")
		for i, u := range []string{"KDC-1", "KDC-2", "KDC-3"} {
			fmt.Fprintf(&rows, "CT2_HGD_TONG,2024,%s,%d\nCT2_HGD_VANHOA,2024,%s,%d\n", u, 60+i, u, 30+7*i)
		}
		mustImport(t, s, rows.String())
		// 2024 holds the written values, 2025 reads them as "last year";
		// the quarters do not read a year's values and stay kept.
		if kept("2024") || kept("2025") {
			t.Fatal("a write over the limit left 2024 or 2025 kept")
		}
		for _, per := range []string{"2024Q1", "2024Q4"} {
			if !kept(per) {
				t.Fatalf("a write of 2024's yearly figures dropped %s", per)
			}
		}
		select {
		case <-s.EvalsWanted():
		default:
			t.Fatal("a write over the limit did not ask for a rebuild")
		}
		asComputed("after the big write")
		// A write before the rebuild, on the dropped year.
		mustImport(t, s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-2,70\n")
		asComputed("after a write before the rebuild")

		// A quarter built by hand, dropped by a big write of its figures.
		rows.Reset()
		rows.WriteString("dataelement,period,orgunit,value\n")
		for i, u := range []string{"KDC-1", "KDC-2", "KDC-3"} {
			fmt.Fprintf(&rows, "CT1_TTCTMT_KDC,2024Q1,%s,%d\nCT1_TTCTMT_NHAN,2024Q1,%s,0\n", u, 3+i, u)
		}
		mustImport(t, s, rows.String())
		if kept("2024Q1") || !kept("2024Q2") {
			t.Fatal("a write of 2024Q1's figures over the limit did not drop 2024Q1 alone")
		}
		asComputed("after the big quarterly write")

		// The rebuild builds what the writes dropped, the term's year and
		// the periods built by hand: 2025 lies after the program's term
		// (2019–2024), so only its having been built makes it wanted.
		built, err := s.KeepEvals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, per := range []string{"2024", "2024Q1", "2025"} {
			if !slices.Contains(built, code+" "+per) {
				t.Errorf("the rebuild built %v; want %s %s among them", built, code, per)
			}
		}
		for _, per := range keptPeriods {
			if !kept(per) {
				t.Errorf("after the rebuild %s is not kept", per)
			}
		}
		compareKept(t, s, prog, "after the rebuild")
		// Nothing is left wanted: the next run builds nothing.
		if again, err := s.KeepEvals(ctx); err != nil || len(again) != 0 {
			t.Errorf("a second run built %v (%v); want nothing", again, err)
		}
	})
}
