//go:build sqlite_ncruces

package store_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/unit"
)

// BenchmarkSQLiteDrivers imports the million-value file with each SQLite
// driver in turn, in the same iteration, each against its own floor
// (prepared single-row inserts, the same driver): modernc.org/sqlite, the
// default, and github.com/ncruces/go-sqlite3. Issue 9, item 4. Run with
// -tags sqlite_ncruces.
func BenchmarkSQLiteDrivers(b *testing.B) {
	drivers := []struct{ name, driver string }{{"modernc", "sqlite"}, {"ncruces", "sqlite3"}}
	path := benchImportFile(b, importRows)
	tree := sqliteTreeFile(b)
	s0 := openCached(b, "sqlite:"+tree)
	run := filepath.Join(benchDir(), "import-run.db")
	floorRun := filepath.Join(benchDir(), "import-floor.db")
	imports := make([]time.Duration, len(drivers))
	floors := make([]time.Duration, len(drivers))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows := floorRows(b, s0, path)
		for d, drv := range drivers {
			restore := store.SetSQLiteDriverForTest(drv.driver)
			s := freshSQLite(b, tree, run)
			start := time.Now()
			importAll(b, s, path, importRows)
			imports[d] += time.Since(start)
			s.Close()
			floors[d] += sqliteFloor(b, tree, floorRun, rows)
			restore()
		}
	}
	b.StopTimer()
	removeSQLite(run)
	removeSQLite(floorRun)
	for d, drv := range drivers {
		b.ReportMetric(float64(imports[d].Nanoseconds())/float64(b.N), drv.name+"-import-ns/op")
		b.ReportMetric(float64(floors[d].Nanoseconds())/float64(b.N), drv.name+"-floor-ns/op")
	}
	b.ReportMetric(float64(imports[1])/float64(imports[0]), "x-import-ncruces/modernc")
	b.ReportMetric(float64(floors[1])/float64(floors[0]), "x-floor-ncruces/modernc")
}

// BenchmarkSQLiteDriversScorecard reads the largest province's 2024
// scorecard on the national data set with each driver in turn, in the
// same iteration. The two cannot hold the same file open at once (their
// WAL locking differs: "locking protocol"), so each iteration opens it
// with one, reads one scorecard untimed (the connections' first use),
// times three, closes it, and does the same with the other.
func BenchmarkSQLiteDriversScorecard(b *testing.B) {
	const reads = 3
	drivers := []struct{ name, driver string }{{"modernc", "sqlite"}, {"ncruces", "sqlite3"}}
	ctx := context.Background()
	path := filepath.Join(benchDir(), "national-"+benchVersion+".db")
	if _, err := os.Stat(path); err != nil {
		b.Skip("the national data set is not built: run -bench 'ProvinceScorecard/sqlite' first")
	}
	var prov unit.Unit
	var prog *program.Program
	took := make([]time.Duration, len(drivers))
	cards := make([]*rollup.Card, len(drivers))
	p := period.MustParse(benchYear)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for d, drv := range drivers {
			restore := store.SetSQLiteDriverForTest(drv.driver)
			s, err := store.Open(ctx, "sqlite:"+path)
			restore()
			if err != nil {
				b.Fatal(err)
			}
			if prog == nil {
				prov, _ = biggestProvince(b, s)
				if prog, err = s.Program(ctx, benchProgram); err != nil {
					b.Fatal(err)
				}
			}
			for r := 0; r <= reads; r++ {
				start := time.Now()
				card, err := rollup.Scorecard(ctx, s, prog, prov, p)
				if err != nil {
					b.Fatalf("%s: %v", drv.name, err)
				}
				if r > 0 {
					took[d] += time.Since(start)
				}
				if len(card.Targets) != len(prog.Targets()) {
					b.Fatalf("%s: %d targets, want %d", drv.name, len(card.Targets), len(prog.Targets()))
				}
				cards[d] = card
			}
			s.Close()
		}
		// Both drivers read the same figures.
		if !reflect.DeepEqual(cards[0], cards[1]) {
			b.Fatal("the two drivers' scorecards differ")
		}
	}
	b.StopTimer()
	for d, drv := range drivers {
		b.ReportMetric(float64(took[d].Nanoseconds())/float64(b.N*reads), drv.name+"-ns/op")
	}
	b.ReportMetric(float64(took[1])/float64(took[0]), "x-ncruces/modernc")
}
