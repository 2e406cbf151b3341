//go:build sqlite_ncruces

package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"mattran/internal/store"
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
