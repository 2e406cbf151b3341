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
	"bufio"
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
	"runtime/pprof"
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
	paused   bool // between pause and resume nothing counts: a baseline's own memory
	profiled uint64
}

// pause stops counting: what runs until resume (a baseline holding its
// rows) is not the benchmark's. The RSS peak so far is kept.
func (m *memWatch) pause() {
	m.mu.Lock()
	m.peakRSS = max(m.peakRSS, maxRSS())
	m.paused = true
	m.mu.Unlock()
}

// resume counts again, from a collected heap and a reset RSS peak.
func (m *memWatch) resume() {
	m.mu.Lock()
	was := m.paused
	m.mu.Unlock()
	if was {
		m.lap()
	}
	m.mu.Lock()
	m.paused = false
	m.mu.Unlock()
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
			if h := sample[0].Value.Uint64(); !m.paused && h > m.peakHeap {
				m.peakHeap = h
				// MATTRAN_BENCH_HEAPPROF names a file to hold the heap
				// profile (the live heap of the last collection) at the
				// peak, rewritten each time the peak grows by a tenth.
				if path := os.Getenv("MATTRAN_BENCH_HEAPPROF"); path != "" && h > m.profiled+m.profiled/10 {
					m.profiled = h
					if f, err := os.Create(path); err == nil {
						pprof.WriteHeapProfile(f)
						f.Close()
					}
				}
			}
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
	if !m.paused {
		m.peakRSS = max(m.peakRSS, maxRSS())
	}
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
	if !m.paused {
		m.peakRSS = max(m.peakRSS, maxRSS())
	}
	b.ReportMetric(float64(m.peakHeap)/(1<<20), "peak-heap-MB")
	unit := "maxrss-MB"
	if !m.resetRSS {
		unit = "maxrss-life-MB"
	}
	b.ReportMetric(float64(m.peakRSS)/1024, unit) // KiB on Linux
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

// pgServerCPU is the CPU time (user and system) used so far by the
// PostgreSQL backends serving the test database, when the server runs on
// this machine (0 otherwise). A COPY's work is the server's, which the
// client's cpu-ns/op does not see; with both on two cores, the import's
// CPU and the server's compete, and their sum is what a quiet machine
// would take turns on.
func pgServerCPU() time.Duration {
	u, err := url.Parse(os.Getenv(storetest.PostgresEnv))
	if err != nil {
		return 0
	}
	db := " " + strings.TrimPrefix(u.Path, "/") + " "
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var ticks int64
	for _, p := range procs {
		cmd, err := os.ReadFile(p)
		if err != nil || !strings.HasPrefix(string(cmd), "postgres: ") || !strings.Contains(string(cmd), db) {
			continue
		}
		stat, err := os.ReadFile(strings.TrimSuffix(p, "cmdline") + "stat")
		if err != nil {
			continue
		}
		// Fields after the command's closing parenthesis: utime and stime
		// are the 12th and 13th.
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += ut + st
	}
	return time.Duration(ticks) * (time.Second / 100) // USER_HZ
}

func reportCPU(b *testing.B, total time.Duration) {
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// ---- import ------------------------------------------------------------------

// benchImportFile returns the import benchmark's file of n values, written once
// under benchDir: from a sixth year (2025) on, the figures of whole
// provinces in path order, cut at n rows, in DHIS2 CSV. It is on disk, as
// a queued import's file is, so that the benchmark holds none of it in
// memory: the peak heap is the import's own.
func benchImportFile(b *testing.B, n int) string {
	b.Helper()
	tree := sqliteTreeFile(b)
	path := filepath.Join(benchDir(), fmt.Sprintf("import-%s-%d.csv", benchVersion, n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+tree)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	tmp := path + ".building"
	f, err := os.Create(tmp)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("dataelement,period,orgunit,value\n")
	written := 0
	errEnough := errors.New("enough")
	for year := importYear; written < n; year++ {
		before := written
		err = national.Figures(ctx, s, year, 100_000, func(chunk []value.Row) error {
			for _, r := range chunk {
				if written == n {
					return errEnough
				}
				w.WriteString(r.DataElement + "," + r.Period + "," + r.OrgUnit + "," + r.Value + "\n")
				written++
			}
			return nil
		})
		if err != nil && err != errEnough {
			b.Fatal(err)
		}
		if written == before {
			b.Fatalf("the tree gives no rows for %d", year)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

var bulkActor = audit.Actor{Name: "bench"}

func openFile(b *testing.B, path string) *os.File {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// importAll imports the file the way the API does: parsed and written as
// it is read, in one transaction.
func importAll(b *testing.B, s *store.Store, path string, n int) {
	b.Helper()
	ctx := context.Background()
	f := openFile(b, path)
	defer f.Close()
	root, err := s.Root(ctx)
	if err != nil {
		b.Fatal(err)
	}
	sum, err := s.ImportStream(ctx, func(fn func([]value.Row) error) error {
		return value.ParseEach(f, store.ImportChunk, fn)
	}, store.ImportOptions{Actor: bulkActor, Scope: root, Source: "bench", Today: "2099-12-31"})
	if err != nil {
		b.Fatal(err)
	}
	if sum.Imported != n {
		b.Fatalf("imported %+v, want %d new values", sum, n)
	}
}

// floorRow is one value resolved to what data_values stores.
type floorRow struct {
	element int64
	period  string
	path    string
	unitID  int64
	value   float64
}

// floorRows resolves the file's rows against s's elements and units,
// untimed: the floor is what storing them costs, nothing else.
func floorRows(b *testing.B, s *store.Store, path string) []floorRow {
	b.Helper()
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
	f := openFile(b, path)
	defer f.Close()
	parsed, err := value.Parse(f)
	if err != nil {
		b.Fatal(err)
	}
	periods := map[string]string{}
	rows := make([]floorRow, len(parsed))
	for i, r := range parsed {
		e, u := elements[r.DataElement], units[r.OrgUnit]
		n, d := value.ParseNumber(e, r.Value)
		if d != nil {
			b.Fatal(d)
		}
		p, ok := periods[r.Period]
		if !ok {
			p = strings.Clone(r.Period)
			periods[p] = p
		}
		rows[i] = floorRow{e.ID, p, u.Path, u.ID, n}
	}
	return rows
}

// The "-kept" imports run with the kept evaluations of the seed program
// for the import's year (importYear) built on the empty tree: every unit's
// row, counted or not, so the import refreshes them in its transaction as
// a server keeping that year would (issue 9: the ratios are to be taken
// with the kept evaluations present).

// keptImportYear builds the kept evaluations of the import's year.
func keptImportYear(ctx context.Context, s *store.Store) error {
	progs, err := s.Programs(ctx)
	if err != nil {
		return err
	}
	return s.BuildEvals(ctx, progs[0].Code, period.Period{Type: period.Yearly, Year: importYear})
}

// sqliteTreeKeptFile is the tree file with the import year's evaluations.
func sqliteTreeKeptFile(b *testing.B) string {
	tree := sqliteTreeFile(b)
	return sqliteFile(b, "national-"+benchVersion+"-tree-kept.db", func(tmp string) error {
		if err := copyFile(tmp, tree); err != nil {
			return err
		}
		ctx := context.Background()
		s, err := store.Open(ctx, "sqlite:"+tmp)
		if err != nil {
			return err
		}
		if err := keptImportYear(ctx, s); err != nil {
			return err
		}
		return closeSQLite(s)
	})
}

// pgTreeKept is the tree schema with the import year's evaluations, and a
// copy of them (target_evals_built) that resetKept puts back.
func pgTreeKept(b *testing.B) *store.Store {
	return pgSchema(b, benchPrefix+"_tree_kept", func(s *store.Store) error {
		ctx := context.Background()
		if err := national.LoadTree(ctx, s); err != nil {
			return err
		}
		if err := keptImportYear(ctx, s); err != nil {
			return err
		}
		if _, err := s.DB.Exec(`CREATE TABLE eval_marks_built AS SELECT * FROM eval_marks`); err != nil {
			return err
		}
		_, err := s.DB.Exec(`CREATE TABLE target_evals_built AS SELECT * FROM target_evals`)
		return err
	})
}

// resetKept empties the value tables and puts back the kept evaluations
// as built on the empty tree.
func resetKept(b *testing.B, s *store.Store) {
	b.Helper()
	resetValues(b, s)
	// A big import removes the mark of the year it touched (and leaves
	// the rows for the rebuild): both are put back.
	if _, err := s.DB.Exec(`TRUNCATE target_evals, eval_marks`); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB.Exec(`INSERT INTO eval_marks SELECT * FROM eval_marks_built`); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB.Exec(`INSERT INTO target_evals SELECT * FROM target_evals_built`); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB.Exec(`ANALYZE target_evals`); err != nil {
		b.Fatal(err)
	}
}

// resetValues empties the value tables of a tree-only database.
func resetValues(b *testing.B, s *store.Store) {
	b.Helper()
	if _, err := s.DB.Exec(`TRUNCATE data_values, data_rollups, data_value_audit, value_changes`); err != nil {
		b.Fatal(err)
	}
}

// sqliteFloor is the SQLite floor the import is held against: in one
// transaction, the change row, then one prepared single-row INSERT per
// value into data_values, on a fresh copy of the tree (the import's
// starting point), with the store's pragmas. No validation, no roll-up.
func sqliteFloor(b *testing.B, tree, run string, rows []floorRow) time.Duration {
	b.Helper()
	removeSQLite(run)
	if err := copyFile(run, tree); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+run)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	var change int64
	if err := tx.QueryRow(`INSERT INTO value_changes (at, actor, source, imported, updated, ignored) VALUES ($1, 'bench', 'floor', $2, 0, 0) RETURNING id`,
		time.Now().UTC(), len(rows)).Scan(&change); err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO data_values (element_id, period, unit_path, unit_id, value, change_id) VALUES ($1, $2, $3, $4, $5, $6)`)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rows {
		if _, err := stmt.Exec(r.element, r.period, r.path, r.unitID, r.value, change); err != nil {
			b.Fatal(err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// freshSQLite opens a new copy, at run, of the SQLite file tree.
func freshSQLite(b *testing.B, tree, run string) *store.Store {
	b.Helper()
	removeSQLite(run)
	if err := copyFile(run, tree); err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(context.Background(), "sqlite:"+run)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// pgCopy is PostgreSQL's floor: in one transaction, the change row, then
// COPY of the same rows into data_values, emptied first.
func pgCopy(b *testing.B, s *store.Store, rows []floorRow) time.Duration {
	b.Helper()
	resetValues(b, s)
	defer resetValues(b, s)
	ctx := context.Background()
	conn, err := s.DB.Conn(ctx)
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
		defer tx.Rollback(ctx)
		var change int64
		if err := tx.QueryRow(ctx, `INSERT INTO value_changes (at, actor, source, imported, updated, ignored) VALUES ($1, 'bench', 'copy', $2, 0, 0) RETURNING id`,
			time.Now().UTC(), len(rows)).Scan(&change); err != nil {
			return err
		}
		n, err := tx.CopyFrom(ctx, pgx.Identifier{"data_values"}, []string{"element_id", "period", "unit_path", "unit_id", "value", "change_id"},
			pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				r := &rows[i]
				return []any{r.element, r.period, r.path, r.unitID, r.value, change}, nil
			}))
		if err != nil {
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

// benchImport times the whole path of an n-value file (parse, validate,
// write the values and the change row, move the roll-ups) into a database
// holding the national tree and the program but no values yet. Each
// iteration also runs the engine's floor on the same rows (timer stopped,
// memory not watched): x-floor is the import's time over the floor's.
// SQLite's floor is prepared single-row INSERTs in one transaction;
// PostgreSQL's is COPY. Issue 9: ≤ 1.25 × on SQLite, ≤ 1.5 × on PostgreSQL.
func benchImport(b *testing.B, engine string, n int) {
	path := benchImportFile(b, n)
	var fresh func() *store.Store // a store holding the tree and no values
	var floor func(rows []floorRow) time.Duration
	var s0 *store.Store
	switch engine {
	case "sqlite", "sqlite-into-national", "sqlite-kept":
		tree := sqliteTreeFile(b)
		if engine == "sqlite-into-national" {
			tree = filepath.Join(benchDir(), "national-"+benchVersion+".db")
		}
		if engine == "sqlite-kept" {
			tree = sqliteTreeKeptFile(b)
		}
		run := filepath.Join(benchDir(), "import-run.db")
		floorRun := filepath.Join(benchDir(), "import-floor.db")
		var open *store.Store
		fresh = func() *store.Store {
			if open != nil {
				open.Close()
			}
			open = freshSQLite(b, tree, run)
			return open
		}
		floor = func(rows []floorRow) time.Duration { return sqliteFloor(b, tree, floorRun, rows) }
		s0 = openCached(b, "sqlite:"+tree)
		defer func() {
			if open != nil {
				open.Close()
			}
			removeSQLite(run)
			removeSQLite(floorRun)
		}()
	case "postgres":
		s := pgTree(b)
		fresh = func() *store.Store { resetValues(b, s); return s }
		floor = func(rows []floorRow) time.Duration { return pgCopy(b, s, rows) }
		s0 = s
		defer resetValues(b, s)
	case "postgres-kept":
		s := pgTreeKept(b)
		fresh = func() *store.Store { resetKept(b, s); return s }
		floor = func(rows []floorRow) time.Duration { return pgCopy(b, s, rows) }
		s0 = s
		defer resetKept(b, s)
	}
	var floorTotal, cpu, rebuild, server, floorCPU, floorServer time.Duration
	pg := strings.HasPrefix(engine, "postgres")
	b.ResetTimer()
	b.StopTimer()
	mem := startMemWatch()
	for i := 0; i < b.N; i++ {
		if i > 0 {
			mem.lap()
		}
		s := fresh()
		mem.resume()
		b.StartTimer()
		c0 := cpuTime()
		sv0 := pgServerCPU()
		importAll(b, s, path, n)
		cpu += cpuTime() - c0
		server += pgServerCPU() - sv0
		b.StopTimer()
		mem.pause()
		if strings.HasSuffix(engine, "-kept") {
			// The import dropped the year's mark (over EvalRefreshLimit);
			// the evals job builds it again after the commit: timed apart.
			start := time.Now()
			if err := keptImportYear(context.Background(), s); err != nil {
				b.Fatal(err)
			}
			rebuild += time.Since(start)
		}
		rows := floorRows(b, s0, path)
		c0, sv0 = cpuTime(), pgServerCPU()
		floorTotal += floor(rows)
		fs := pgServerCPU() - sv0
		floorServer += fs
		floorCPU += cpuTime() - c0 + fs
	}
	mem.report(b)
	reportCPU(b, cpu)
	if pg && server > 0 {
		// The import's and the floor's CPU, client and server together.
		b.ReportMetric(float64(server.Nanoseconds())/float64(b.N), "server-cpu-ns/op")
		b.ReportMetric(float64(floorServer.Nanoseconds())/float64(b.N), "floor-server-cpu-ns/op")
		b.ReportMetric(float64((cpu+server).Nanoseconds())/float64(floorCPU.Nanoseconds()), "x-floor-cpu")
	}
	if rebuild > 0 {
		b.ReportMetric(float64(rebuild.Nanoseconds())/float64(b.N), "rebuild-ns/op")
	}
	reportBaseline(b, "floor", floorTotal)
}

// BenchmarkImport1M times the import of a one-million-value file against
// the engine's floor in the same run (benchImport).
func BenchmarkImport1M(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres", "sqlite-kept", "postgres-kept"} {
		b.Run(engine, func(b *testing.B) {
			if strings.HasPrefix(engine, "postgres") && os.Getenv(storetest.PostgresEnv) == "" {
				b.Skip(storetest.PostgresEnv + " is unset: skipping the PostgreSQL run")
			}
			benchImport(b, engine, importRows)
		})
	}
	// The same file into a copy of the full national data set, as the sixth
	// year would arrive: the b-trees are 13 million values deep. Its floor
	// is the same inserts into the same copy.
	b.Run("sqlite-into-national", func(b *testing.B) {
		sqliteNational(b)
		benchImport(b, "sqlite-into-national", importRows)
	})
}

// BenchmarkImportGrowth imports files of 100,000, 1,000,000 and 5,000,000
// values, each against its floor: the cost per value, and the ratio to the
// floor, should not grow with the file (issue 9, item 3).
func BenchmarkImportGrowth(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, n := range []int{100_000, 1_000_000, 5_000_000} {
			b.Run(fmt.Sprintf("%s/%dk", engine, n/1000), func(b *testing.B) {
				if engine == "postgres" && os.Getenv(storetest.PostgresEnv) == "" {
					b.Skip(storetest.PostgresEnv + " is unset: skipping the PostgreSQL run")
				}
				benchImport(b, engine, n)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/value")
			})
		}
	}
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
