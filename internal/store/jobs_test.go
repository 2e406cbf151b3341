package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"mattran/internal/jobs"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// A background job runs on one server at a time: while one holds it, a
// second attempt on PostgreSQL skips; once done, the next one runs.
func TestRunExclusive(t *testing.T) {
	s := storetest.Postgres(t)
	ctx := context.Background()
	inside := make(chan struct{})
	release := make(chan struct{})
	done := make(chan bool)
	go func() {
		ran, err := s.RunExclusiveForTest(ctx, func() error { close(inside); <-release; return nil })
		if err != nil {
			t.Error(err)
		}
		done <- ran
	}()
	<-inside
	ran, err := s.RunExclusiveForTest(ctx, func() error { t.Error("ran while another server held the job"); return nil })
	if err != nil || ran {
		t.Errorf("second run: ran %v, err %v", ran, err)
	}
	close(release)
	if !<-done {
		t.Error("the first run did not run")
	}
	if ran, err := s.RunExclusiveForTest(ctx, func() error { return nil }); err != nil || !ran {
		t.Errorf("after release: ran %v, err %v", ran, err)
	}
}

// Every advisory lock key is distinct, and none is written anywhere but
// in lockkeys.go: the due-counts job once shared the writers' key, held
// it, wrote figures, and waited for itself forever.
func TestLockKeysDistinct(t *testing.T) {
	seen := map[int64]string{}
	for name, key := range store.AdvisoryLocksForTest() {
		if other, dup := seen[key]; dup {
			t.Errorf("advisory lock %d is both %q and %q", key, other, name)
		}
		seen[key] = name
	}
	// No lock call with a literal key outside lockkeys.go.
	literal := regexp.MustCompile(`advisory_(xact_)?(try_)?(un)?lock\(\s*\d`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if literal.Match(data) {
			t.Errorf("%s takes an advisory lock with a literal key; name it in lockkeys.go", f)
		}
	}
}

// The jobs a server runs finish while figures are written on the same
// database, on both engines: the due-counts job on 20/6/2024 (it has
// counts to write then) used to deadlock against the writers on
// PostgreSQL; and each interval runs once even when two runners race.
func TestJobsWhileWriting(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		storetest.Fixture(t, s)
		now := time.Date(2024, 6, 20, 3, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		s.Clock = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()

		// Writers: figures of the residential areas, month by month.
		stop := make(chan struct{})
		var writers sync.WaitGroup
		var writes, failures int
		var wmu sync.Mutex
		for w := 0; w < 3; w++ {
			writers.Add(1)
			go func() {
				defer writers.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					csv := fmt.Sprintf("dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-%d,%d\n", w+1, 1000+i)
					err := storetest.ImportCSV(s, csv)
					wmu.Lock()
					if err != nil {
						failures++
						t.Errorf("writer %d: %v", w, err)
					} else {
						writes++
					}
					wmu.Unlock()
				}
			}()
		}
		// Two runners race for each job, as two servers would.
		for _, job := range jobs.Standard(s) {
			var ran [2]bool
			var wg sync.WaitGroup
			for r := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					did, err := s.RunJob(ctx, job.Name, job.Every, fmt.Sprintf("server-%d", r), job.Run)
					if err != nil {
						t.Errorf("job %s on server %d: %v", job.Name, r, err)
					}
					ran[r] = did
				}()
			}
			wg.Wait()
			if ran[0] == ran[1] {
				t.Errorf("job %s: ran on servers %v; want exactly one", job.Name, ran)
			}
		}
		close(stop)
		writers.Wait()
		if ctx.Err() != nil {
			t.Fatal("the jobs and writers did not finish in two minutes: a deadlock")
		}
		// The due-counts job counted the reports due by 20/6/2024.
		var counted int
		if err := s.DB.QueryRow(`SELECT count(*) FROM data_values v JOIN data_elements e ON e.id = v.element_id WHERE e.code = 'CT1_BCTHND_PHAINOP'`).Scan(&counted); err != nil {
			t.Fatal(err)
		}
		if counted == 0 {
			t.Error("the due-counts job wrote no count of reports due")
		}
		// The next interval runs again; the same one does not.
		runs, err := s.JobRuns(ctx, "due-counts", time.Time{})
		if err != nil || len(runs) != 1 || runs[0].FinishedAt.IsZero() || runs[0].Error != "" {
			t.Fatalf("job runs: %+v, %v; want one finished run", runs, err)
		}
		mu.Lock()
		now = now.Add(31 * time.Minute)
		mu.Unlock()
		if ran, err := s.RunJob(ctx, "due-counts", 30*time.Minute, "server-0", s.SyncDueCounts); err != nil || !ran {
			t.Errorf("the next interval: ran %v, %v", ran, err)
		}
		t.Logf("%d writes beside the jobs", writes)
	})
}

// The two engines' migrations define the same tables with the same
// columns: a column added on one side only would pass every SQLite test
// and fail in production.
func TestMigrationsAgree(t *testing.T) {
	lite := storetest.SQLite(t)
	pg := storetest.Postgres(t)
	ctx := context.Background()
	schema := func(s *store.Store) map[string]string {
		out := map[string]string{}
		var rows interface {
			Next() bool
			Scan(...any) error
			Close() error
		}
		var err error
		if s.Engine == store.SQLite {
			rows, err = s.DB.QueryContext(ctx, `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
				WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
		} else {
			rows, err = s.DB.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols := map[string][]string{}
		for rows.Next() {
			var table, col string
			if err := rows.Scan(&table, &col); err != nil {
				t.Fatal(err)
			}
			cols[table] = append(cols[table], col)
		}
		for table, cs := range cols {
			sort.Strings(cs)
			out[table] = strings.Join(cs, ", ")
		}
		return out
	}
	a, b := schema(lite), schema(pg)
	for table, cols := range a {
		if b[table] != cols {
			t.Errorf("table %s: SQLite has (%s), PostgreSQL (%s)", table, cols, b[table])
		}
	}
	for table := range b {
		if _, ok := a[table]; !ok {
			t.Errorf("table %s exists on PostgreSQL only", table)
		}
	}
	if len(a) < 10 {
		t.Errorf("only %d tables read from SQLite: the query is wrong", len(a))
	}
}

// A run cut short because its server is stopping is recorded as such,
// not as a failure with Go's "context canceled"; a run that fails on its
// own keeps its error.
func TestJobStoppedAtShutdown(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx, stop := context.WithCancel(context.Background())
		since := time.Now().Add(-time.Hour)
		_, err := s.RunJob(ctx, "evals", time.Hour, "server-1", func(ctx context.Context) error {
			stop()
			return ctx.Err()
		})
		if err == nil {
			t.Fatal("the cut-short run returned no error")
		}
		_, err = s.RunJob(context.Background(), "cleanup", time.Hour, "server-1", func(context.Context) error {
			return fmt.Errorf("hỏng")
		})
		if err == nil {
			t.Fatal("the failing run returned no error")
		}
		for job, want := range map[string]string{"evals": store.JobStopped, "cleanup": "hỏng"} {
			runs, err := s.JobRuns(context.Background(), job, since)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != 1 || runs[0].Error != want || runs[0].FinishedAt.IsZero() {
				t.Errorf("job %s: runs %+v; want one finished with error %q", job, runs, want)
			}
		}
	})
}
