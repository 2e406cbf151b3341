package store_test

// Benchmarks of DESIGN §6 on the national data set: bulk import, a province
// scorecard, a national roll-up, and peak memory. Each compares against a
// baseline measured in the same run (the machine is small and noisy), and
// reports the ratio. BENCH.md holds the numbers and the command.
//
// The data set (synth.National: 34 provinces, 3,321 communes, ~100,000
// residential areas, five years, ~13 million values) takes minutes to build,
// so it is built once and kept: for SQLite as files under $MATTRAN_BENCH_DIR
// (default $TMPDIR/mattran-bench), for PostgreSQL as schemas on the server
// MATTRAN_TEST_POSTGRES names. Both carry benchVersion in their names; bump
// it when the generator, the schema or the write path changes what is stored.
// No Test function builds it.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"mattran/internal/audit"
	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/synth"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// benchVersion names the cached data sets; a new version builds new ones.
const benchVersion = "v2"

const (
	benchProgram = "BG-CTHD-2019-2024"
	benchYear    = "2024"
	// importYear is the year the import benchmark's million values are
	// for: a sixth year, generated like the others.
	importYear  = 2025
	importRows  = 1_000_000
	rollupCode  = "CT2_HGD_TONG" // households: collected at residential areas
	benchPrefix = "bench_" + benchVersion
)

func benchLog(format string, args ...any) { log.Printf("bench: "+format, args...) }

var national = synth.National{Log: benchLog}

func benchDir() string {
	if d := os.Getenv("MATTRAN_BENCH_DIR"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "mattran-bench")
}

// The cached stores stay open for the whole run: a benchmark function is
// called several times (b.N = 1, then the real N). Benchmarks run one at a
// time, so the map needs no lock.
var opened = map[string]*store.Store{}

func openCached(b *testing.B, dsn string) *store.Store {
	b.Helper()
	if s, ok := opened[dsn]; ok {
		return s
	}
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	opened[dsn] = s
	return s
}

// sqliteFile returns the path of a cached SQLite file, building it first if
// it is missing. build fills a file at tmp; it becomes the cache only when
// complete, so an interrupted build is started again, not reused.
func sqliteFile(b *testing.B, name string, build func(tmp string) error) string {
	b.Helper()
	path := filepath.Join(benchDir(), name)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(benchDir(), 0o750); err != nil {
		b.Fatal(err)
	}
	tmp := path + ".building"
	removeSQLite(tmp)
	start := time.Now()
	benchLog("building %s", path)
	if err := build(tmp); err != nil {
		b.Fatalf("build %s: %v", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	benchLog("built %s in %s", path, time.Since(start).Round(time.Second))
	return path
}

func removeSQLite(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// closeSQLite checkpoints the WAL into the file and closes it, so the file
// alone is the whole database and can be copied.
func closeSQLite(s *store.Store) error {
	if _, err := s.DB.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return err
	}
	return s.Close()
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// sqliteTreeFile holds the tree and the program, no values.
func sqliteTreeFile(b *testing.B) string {
	return sqliteFile(b, "national-"+benchVersion+"-tree.db", func(tmp string) error {
		ctx := context.Background()
		s, err := store.Open(ctx, "sqlite:"+tmp)
		if err != nil {
			return err
		}
		if err := s.Migrate(ctx); err != nil {
			return err
		}
		if err := national.LoadTree(ctx, s); err != nil {
			return err
		}
		return closeSQLite(s)
	})
}

// sqliteNational returns the full national data set on SQLite.
func sqliteNational(b *testing.B) *store.Store {
	tree := sqliteTreeFile(b)
	path := sqliteFile(b, "national-"+benchVersion+".db", func(tmp string) error {
		if err := copyFile(tmp, tree); err != nil {
			return err
		}
		ctx := context.Background()
		s, err := store.Open(ctx, "sqlite:"+tmp)
		if err != nil {
			return err
		}
		if _, err := national.LoadFigures(ctx, s); err != nil {
			return err
		}
		return closeSQLite(s)
	})
	return openCached(b, "sqlite:"+path)
}

// pgSchema returns a store on a cached PostgreSQL schema, building it first
// if it is missing or incomplete; a table bench_complete marks it complete.
// It skips, saying so, when MATTRAN_TEST_POSTGRES is unset.
func pgSchema(b *testing.B, schema string, build func(s *store.Store) error) *store.Store {
	b.Helper()
	base := os.Getenv(storetest.PostgresEnv)
	if base == "" {
		b.Skip(storetest.PostgresEnv + " is unset: skipping the PostgreSQL run (set it to a postgres:// URL to run it)")
	}
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	dsn := u.String()
	if s, ok := opened[dsn]; ok {
		return s
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	var complete bool
	if err := admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'bench_complete')`, schema).Scan(&complete); err != nil {
		b.Fatal(err)
	}
	if !complete {
		start := time.Now()
		benchLog("building PostgreSQL schema %s", schema)
		if _, err := admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`); err != nil {
			b.Fatal(err)
		}
		if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
			b.Fatal(err)
		}
		s := openCached(b, dsn)
		if err := s.Migrate(context.Background()); err != nil {
			b.Fatal(err)
		}
		if err := build(s); err != nil {
			b.Fatalf("build %s: %v", schema, err)
		}
		// What autovacuum does on a live server, done now: planner
		// statistics and the visibility map for index-only scans.
		for _, t := range []string{"units", "data_values", "data_rollups"} {
			if _, err := s.DB.Exec(`VACUUM ANALYZE ` + t); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := s.DB.Exec(`CREATE TABLE bench_complete (version TEXT NOT NULL, seconds DOUBLE PRECISION NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		if _, err := s.DB.Exec(`INSERT INTO bench_complete VALUES ($1, $2)`, benchVersion, time.Since(start).Seconds()); err != nil {
			b.Fatal(err)
		}
		benchLog("built %s in %s", schema, time.Since(start).Round(time.Second))
		return s
	}
	return openCached(b, dsn)
}

func pgTree(b *testing.B) *store.Store {
	return pgSchema(b, benchPrefix+"_tree", func(s *store.Store) error {
		return national.LoadTree(context.Background(), s)
	})
}

func pgNational(b *testing.B) *store.Store {
	return pgSchema(b, benchPrefix, func(s *store.Store) error {
		_, err := national.Load(context.Background(), s)
		return err
	})
}

// ---- memory ----------------------------------------------------------------

// memWatch follows the peak memory of what runs between start and report:
// the live heap (runtime/metrics, sampled every 2 ms without stopping the
// world) and the process's peak resident set, getrusage's ru_maxrss. On
// Linux the kernel's high-water mark, which ru_maxrss reads, is reset at
// start (and at each lap) through /proc/self/clear_refs, so the figure is
// this benchmark's and not the data set build's that ran before it.
type memWatch struct {
	stop     chan struct{}
	done     chan struct{}
	mu       sync.Mutex
	peakHeap uint64
	peakRSS  int64 // KiB, the highest ru_maxrss seen at a lap
	resetRSS bool
}

func startMemWatch() *memWatch {
	m := &memWatch{stop: make(chan struct{}), done: make(chan struct{})}
	m.resetRSS = true
	m.lap()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(m.done)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			m.mu.Lock()
			m.peakHeap = max(m.peakHeap, sample[0].Value.Uint64())
			m.mu.Unlock()
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func maxRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss
}

// lap starts a new iteration: it keeps the peak so far, collects what the
// last iteration left behind and hands it back to the OS, so that one
// iteration's garbage does not count in the next one's peak.
func (m *memWatch) lap() {
	m.mu.Lock()
	m.peakRSS = max(m.peakRSS, maxRSS())
	m.mu.Unlock()
	runtime.GC()
	debug.FreeOSMemory()
	// "5" resets the peak RSS to the current RSS (Linux ≥ 4.0).
	if os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) != nil {
		m.resetRSS = false
	}
}

// report adds peak-heap-MB and maxrss-MB. Where the RSS peak could not be
// reset it is the whole process's, and is reported as maxrss-life-MB.
func (m *memWatch) report(b *testing.B) {
	close(m.stop)
	<-m.done
	b.ReportMetric(float64(m.peakHeap)/(1<<20), "peak-heap-MB")
	unit := "maxrss-MB"
	if !m.resetRSS {
		unit = "maxrss-life-MB"
	}
	b.ReportMetric(float64(max(m.peakRSS, maxRSS()))/1024, unit) // KiB on Linux
}

// cpuTime is the CPU time (user and system, every thread) the process has
// used. The machine is shared and noisy: wall time per op moves with other
// people's load, CPU time per op much less, so benchmarks report both.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, total time.Duration) {
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// ---- import ------------------------------------------------------------------

var importData struct {
	once sync.Once
	csv  []byte
	err  error
}

// importCSV returns the import benchmark's file: a sixth year (2025) of
// figures for the first provinces in path order, whole units, cut at one
// million rows, in DHIS2 CSV.
func importCSV(b *testing.B) []byte {
	tree := sqliteTreeFile(b)
	importData.once.Do(func() {
		ctx := context.Background()
		s, err := store.Open(ctx, "sqlite:"+tree)
		if err != nil {
			importData.err = err
			return
		}
		defer s.Close()
		var rows []value.Row
		errEnough := errors.New("enough")
		err = national.Figures(ctx, s, importYear, importRows, func(chunk []value.Row) error {
			rows = append(rows, chunk...)
			if len(rows) >= importRows {
				return errEnough
			}
			return nil
		})
		if err != nil && err != errEnough {
			importData.err = err
			return
		}
		if len(rows) < importRows {
			importData.err = fmt.Errorf("the tree gives only %d rows for %d", len(rows), importYear)
			return
		}
		var buf bytes.Buffer
		buf.WriteString("dataelement,period,orgunit,value\n")
		for _, r := range rows[:importRows] {
			buf.WriteString(r.DataElement + "," + r.Period + "," + r.OrgUnit + "," + r.Value + "\n")
		}
		importData.csv = buf.Bytes()
	})
	if importData.err != nil {
		b.Fatal(importData.err)
	}
	return importData.csv
}

var bulkActor = audit.Actor{Name: "bench"}

func importAll(b *testing.B, s *store.Store, csv []byte) {
	b.Helper()
	ctx := context.Background()
	rows, err := value.Parse(bytes.NewReader(csv))
	if err != nil {
		b.Fatal(err)
	}
	root, err := s.Root(ctx)
	if err != nil {
		b.Fatal(err)
	}
	sum, err := s.ImportValues(ctx, rows, store.ImportOptions{Actor: bulkActor, Scope: root, Source: "bench", Today: "2099-12-31"})
	if err != nil {
		b.Fatal(err)
	}
	if sum.Imported != importRows {
		b.Fatalf("imported %+v, want %d new values", sum, importRows)
	}
}

// pgCopyBaseline is COPY of the same million rows, already resolved to ids
// and paths, straight into data_values: no validation, no roll-up, one
// transaction. It is the floor the import is held against. The rows are
// resolved afresh before each COPY (not timed) rather than kept, so that
// they do not count in the import's peak memory.
type pgCopyBaseline struct {
	s        *store.Store
	csv      []byte
	elements map[string]*value.Element
	units    map[string]unit.Unit
}

func newPGCopyBaseline(b *testing.B, csv []byte) *pgCopyBaseline {
	s := pgTree(b)
	ctx := context.Background()
	elements, err := s.Elements(ctx)
	if err != nil {
		b.Fatal(err)
	}
	all, err := s.AllUnits(ctx)
	if err != nil {
		b.Fatal(err)
	}
	units := map[string]unit.Unit{}
	for _, u := range all {
		units[u.Code] = u
	}
	// The same table without its foreign keys: what COPY costs when the
	// database need not check each row's element, unit and change.
	if _, err := s.DB.Exec(`CREATE TABLE IF NOT EXISTS bench_copy_nofk (LIKE data_values INCLUDING DEFAULTS INCLUDING INDEXES)`); err != nil {
		b.Fatal(err)
	}
	return &pgCopyBaseline{s: s, csv: csv, elements: elements, units: units}
}

// resetValues empties the value tables of a tree-only database.
func resetValues(b *testing.B, s *store.Store) {
	b.Helper()
	if _, err := s.DB.Exec(`TRUNCATE data_values, data_rollups, data_value_audit, value_changes`); err != nil {
		b.Fatal(err)
	}
}

// run times one COPY into data_values, emptied, and one into
// bench_copy_nofk, each in its own transaction.
func (c *pgCopyBaseline) run(b *testing.B) (copied, noFK time.Duration) {
	b.Helper()
	parsed, err := value.Parse(bytes.NewReader(c.csv))
	if err != nil {
		b.Fatal(err)
	}
	rows := make([][]any, len(parsed))
	for i, r := range parsed {
		e, u := c.elements[r.DataElement], c.units[r.OrgUnit]
		n, d := value.ParseNumber(e, r.Value)
		if d != nil {
			b.Fatal(d)
		}
		rows[i] = []any{e.ID, r.Period, u.Path, u.ID, n, int64(1)}
	}
	resetValues(b, c.s)
	if _, err := c.s.DB.Exec(`TRUNCATE bench_copy_nofk`); err != nil {
		b.Fatal(err)
	}
	if _, err := c.s.DB.Exec(`INSERT INTO value_changes (id, at, actor, source, imported, updated, ignored) VALUES (1, $1, 'bench', 'copy', 0, 0, 0)`, time.Now().UTC()); err != nil {
		b.Fatal(err)
	}
	copied = c.copy(b, "data_values", rows)
	noFK = c.copy(b, "bench_copy_nofk", rows)
	resetValues(b, c.s)
	return copied, noFK
}

func (c *pgCopyBaseline) copy(b *testing.B, table string, rows [][]any) time.Duration {
	ctx := context.Background()
	conn, err := c.s.DB.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	var took time.Duration
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		start := time.Now()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, []string{"element_id", "period", "unit_path", "unit_id", "value", "change_id"}, pgx.CopyFromRows(rows))
		if err != nil {
			tx.Rollback(ctx)
			return err
		}
		if n != int64(len(rows)) {
			return fmt.Errorf("COPY wrote %d rows, want %d", n, len(rows))
		}
		err = tx.Commit(ctx)
		took = time.Since(start)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return took
}

// BenchmarkImport1M times the whole path of a one-million-value file: parse
// the CSV, validate, write the values and move the roll-ups, into a database
// holding the national tree and the program but no values yet. Each
// iteration also runs PostgreSQL COPY of the same rows (timer stopped), and
// x-pgcopy is the import's time over COPY's. DESIGN: ≤ 5 s on SQLite, and
// ≤ 1.5 × COPY.
func BenchmarkImport1M(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		csv := importCSV(b)
		tree := sqliteTreeFile(b)
		var baseline *pgCopyBaseline
		if os.Getenv(storetest.PostgresEnv) != "" {
			baseline = newPGCopyBaseline(b, csv)
		} else {
			b.Log(storetest.PostgresEnv + " is unset: no PostgreSQL COPY baseline")
		}
		path := filepath.Join(benchDir(), "import-run.db")
		var copyTotal, noFKTotal, cpu time.Duration
		b.ResetTimer()
		b.StopTimer()
		mem := startMemWatch()
		for i := 0; i < b.N; i++ {
			if i > 0 {
				mem.lap()
			}
			removeSQLite(path)
			if err := copyFile(path, tree); err != nil {
				b.Fatal(err)
			}
			s, err := store.Open(context.Background(), "sqlite:"+path)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			c0 := cpuTime()
			importAll(b, s, csv)
			cpu += cpuTime() - c0
			b.StopTimer()
			s.Close()
			if baseline != nil {
				copied, noFK := baseline.run(b)
				copyTotal += copied
				noFKTotal += noFK
			}
		}
		mem.report(b)
		reportCPU(b, cpu)
		removeSQLite(path)
		if baseline != nil {
			reportBaseline(b, "pgcopy", copyTotal)
			reportBaseline(b, "pgcopy-nofk", noFKTotal)
		}
	})
	// The same file into a copy of the full national data set, as the sixth
	// year would arrive: the b-trees are 13 million values deep. No
	// baseline; compare with the sqlite case above.
	b.Run("sqlite-into-national", func(b *testing.B) {
		csv := importCSV(b)
		sqliteNational(b)
		national := filepath.Join(benchDir(), "national-"+benchVersion+".db")
		path := filepath.Join(benchDir(), "import-national-run.db")
		var cpu time.Duration
		b.ResetTimer()
		b.StopTimer()
		mem := startMemWatch()
		for i := 0; i < b.N; i++ {
			if i > 0 {
				mem.lap()
			}
			removeSQLite(path)
			if err := copyFile(path, national); err != nil {
				b.Fatal(err)
			}
			s, err := store.Open(context.Background(), "sqlite:"+path)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			c0 := cpuTime()
			importAll(b, s, csv)
			cpu += cpuTime() - c0
			b.StopTimer()
			s.Close()
		}
		mem.report(b)
		reportCPU(b, cpu)
		removeSQLite(path)
	})
	b.Run("postgres", func(b *testing.B) {
		csv := importCSV(b)
		s := pgTree(b)
		baseline := newPGCopyBaseline(b, csv)
		var copyTotal, noFKTotal, cpu time.Duration
		b.ResetTimer()
		b.StopTimer()
		mem := startMemWatch()
		for i := 0; i < b.N; i++ {
			if i > 0 {
				mem.lap()
			}
			resetValues(b, s)
			b.StartTimer()
			c0 := cpuTime()
			importAll(b, s, csv)
			cpu += cpuTime() - c0
			b.StopTimer()
			copied, noFK := baseline.run(b)
			copyTotal += copied
			noFKTotal += noFK
		}
		mem.report(b)
		reportCPU(b, cpu)
		resetValues(b, s)
		reportBaseline(b, "pgcopy", copyTotal)
		reportBaseline(b, "pgcopy-nofk", noFKTotal)
	})
}

// reportBaseline adds the baseline's time per op and the ratio of the
// benchmark's time to it, "x-<name>".
func reportBaseline(b *testing.B, name string, total time.Duration) {
	perOp := float64(total.Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp, name+"-ns/op")
	if perOp > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/perOp, "x-"+name)
	}
}

// ---- reads -------------------------------------------------------------------

type engine struct {
	name     string
	national func(b *testing.B) *store.Store
}

var engines = []engine{{"sqlite", sqliteNational}, {"postgres", pgNational}}

// biggestProvince returns the province with the most residential areas.
func biggestProvince(b *testing.B, s *store.Store) (unit.Unit, int) {
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
	var best unit.Unit
	for id, n := range count {
		if n > count[best.ID] || (n == count[best.ID] && byID[id].Code < best.Code) {
			best = byID[id]
		}
	}
	return best, count[best.ID]
}

func periodsOfYear(year string) []string {
	p := period.MustParse(year)
	var out []string
	for _, t := range []period.Type{period.Yearly, period.SixMonthly, period.Quarterly, period.Monthly} {
		for _, q := range p.Within(t) {
			out = append(out, q.String())
		}
	}
	return out
}

func inList(n, from int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = "$" + strconv.Itoa(from+i)
	}
	return strings.Join(ps, ", ")
}

// BenchmarkProvinceScorecard evaluates every target of the seed program at
// the province with the most residential areas, for 2024, over the national
// data set: each target's own reading and its coverage of the units below.
// Baseline: a plain count(*) of the province's stored values for 2024 (every
// element, every period inside the year), x-count being the ratio.
// DESIGN: ≤ 50 ms.
func BenchmarkProvinceScorecard(b *testing.B) {
	for _, eng := range engines {
		b.Run(eng.name, func(b *testing.B) {
			s := eng.national(b)
			ctx := context.Background()
			prov, ras := biggestProvince(b, s)
			prog, err := s.Program(ctx, benchProgram)
			if err != nil {
				b.Fatal(err)
			}
			elements, err := s.Elements(ctx)
			if err != nil {
				b.Fatal(err)
			}
			var args []any
			for _, e := range elements {
				args = append(args, e.ID)
			}
			periods := periodsOfYear(benchYear)
			for _, p := range periods {
				args = append(args, p)
			}
			lo, hi := unit.PathRange(prov.Path)
			args = append(args, lo, hi)
			countSQL := `SELECT count(*) FROM data_values WHERE element_id IN (` + inList(len(elements), 1) + `) AND period IN (` +
				inList(len(periods), len(elements)+1) + `) AND unit_path >= $` + strconv.Itoa(len(args)-1) + ` AND unit_path < $` + strconv.Itoa(len(args))
			var stored int
			if err := s.DB.QueryRow(countSQL, args...).Scan(&stored); err != nil {
				b.Fatal(err)
			}
			b.Logf("province %s %s: %d residential areas, %d values stored for %s", prov.Code, prov.Name, ras, stored, benchYear)
			p := period.MustParse(benchYear)
			var baseline, cpu time.Duration
			b.ResetTimer()
			mem := startMemWatch()
			for i := 0; i < b.N; i++ {
				c0 := cpuTime()
				card, err := rollup.Scorecard(ctx, s, prog, prov, p)
				if err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - c0
				if len(card.Targets) != len(prog.Targets()) {
					b.Fatalf("%d targets evaluated, want %d", len(card.Targets), len(prog.Targets()))
				}
				b.StopTimer()
				start := time.Now()
				var n int
				if err := s.DB.QueryRow(countSQL, args...).Scan(&n); err != nil {
					b.Fatal(err)
				}
				baseline += time.Since(start)
				b.StartTimer()
			}
			b.StopTimer()
			mem.report(b)
			reportCPU(b, cpu)
			reportBaseline(b, "count", baseline)
		})
	}
}

// BenchmarkNationalRollup reads one element collected at residential areas
// (households, CT2_HGD_TONG) for 2024 at the root, with a figure for each of
// the 34 provinces, as the national analytics page does: the children
// lookup and rollup.Analytics. Baseline: sum(value) over the 100,000
// residential areas' stored values, x-sum being the ratio. DESIGN: ≤ 100 ms.
func BenchmarkNationalRollup(b *testing.B) {
	for _, eng := range engines {
		b.Run(eng.name, func(b *testing.B) {
			s := eng.national(b)
			ctx := context.Background()
			root, err := s.Root(ctx)
			if err != nil {
				b.Fatal(err)
			}
			elements, err := s.Elements(ctx)
			if err != nil {
				b.Fatal(err)
			}
			e := elements[rollupCode]
			p := period.MustParse(benchYear)
			sumSQL := `SELECT count(*), sum(value) FROM data_values WHERE element_id = $1 AND period = $2`
			var rows int
			var want float64
			if err := s.DB.QueryRow(sumSQL, e.ID, benchYear).Scan(&rows, &want); err != nil {
				b.Fatal(err)
			}
			var baseline, cpu time.Duration
			b.ResetTimer()
			mem := startMemWatch()
			for i := 0; i < b.N; i++ {
				c0 := cpuTime()
				children, err := s.Children(ctx, root, rollup.AsOf(root, p))
				if err != nil {
					b.Fatal(err)
				}
				total, perProvince, err := rollup.Analytics(ctx, s, children, e, root, p)
				if err != nil {
					b.Fatal(err)
				}
				if total.Value == nil || *total.Value != want || len(perProvince) != 34 {
					b.Fatalf("national %s = %v over %d provinces, want %v over 34", rollupCode, total.Value, len(perProvince), want)
				}
				cpu += cpuTime() - c0
				b.StopTimer()
				start := time.Now()
				var n int
				var got float64
				if err := s.DB.QueryRow(sumSQL, e.ID, benchYear).Scan(&n, &got); err != nil {
					b.Fatal(err)
				}
				baseline += time.Since(start)
				b.StartTimer()
			}
			b.StopTimer()
			mem.report(b)
			reportCPU(b, cpu)
			reportBaseline(b, "sum", baseline)
			b.Logf("%s %s over %d residential areas = %.0f", rollupCode, benchYear, rows, want)
		})
	}
}

// BenchmarkDataSet reports the size of the national data set (building it
// if it is not cached): values, units and, for SQLite, the file's size.
func BenchmarkDataSet(b *testing.B) {
	for _, eng := range engines {
		b.Run(eng.name, func(b *testing.B) {
			s := eng.national(b)
			var values, units, rollups int
			for _, q := range []struct {
				sql  string
				into *int
			}{{`SELECT count(*) FROM data_values`, &values}, {`SELECT count(*) FROM units`, &units}, {`SELECT count(*) FROM data_rollups`, &rollups}} {
				if err := s.DB.QueryRow(q.sql).Scan(q.into); err != nil {
					b.Fatal(err)
				}
			}
			var size float64
			if s.Engine == store.SQLite {
				fi, err := os.Stat(strings.TrimPrefix(s.DSN(), "sqlite:"))
				if err != nil {
					b.Fatal(err)
				}
				size = float64(fi.Size())
			} else if err := s.DB.QueryRow(`SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`).Scan(&size); err != nil {
				b.Fatal(err)
			}
			for i := 0; i < b.N; i++ {
			}
			b.ReportMetric(float64(values), "values")
			b.ReportMetric(float64(units), "units")
			b.ReportMetric(float64(rollups), "rollups")
			b.ReportMetric(size/(1<<20), "MB")
		})
	}
}
