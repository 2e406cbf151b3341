package store_test

// The brief asks that a process killed in the middle of a large import leave
// a database that opens, passes its integrity check and holds either the
// whole file or none of it. The test below kills a real process with
// SIGKILL, not a goroutine or a cancelled context: only a dead process
// leaves behind what a crash leaves, a half-written WAL and no chance to
// roll back.
//
// It runs on SQLite only. PostgreSQL's crash safety is the server's, with
// its own write-ahead log and recovery; killing our client mid-import only
// drops a connection, and the server rolls back the open transaction.
// Testing that would test PostgreSQL, not us.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mattran/internal/demo"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/synth"
	"mattran/internal/unit"
	"mattran/internal/value"
	"mattran/programs"
)

// crashChildEnv names the SQLite file TestCrashChild imports into. It is set
// only in the child process that TestImportSurvivesSIGKILL starts.
const crashChildEnv = "MATTRAN_CRASH_CHILD"

const (
	crashAsOf  = "2024-12-31" // the tree the figures are for, as in the demo
	crashToday = "2026-11-27" // every year imported has begun
)

// crashYears make one import of about 200,000 values: three years of the
// demo's figures for the whole province, residential areas included.
var crashYears = []int{2022, 2023, 2024}

// walHeader is the size of an SQLite WAL file that holds no frames yet.
const walHeader = 32

// crashRound is one kill. due reports, given the time since the child said
// "importing" and the sizes of the WAL and the database file, whether the
// moment to kill has come.
type crashRound struct {
	name string
	due  func(since time.Duration, wal, db int64) bool
}

func TestImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process mid-import ten times; skipped in -short mode")
	}
	switch runtime.GOOS {
	case "windows", "plan9", "js", "wasip1":
		t.Skipf("needs SIGKILL and a child process, which %s does not offer", runtime.GOOS)
	}
	seed := t.TempDir() + "/seed.db"
	prepareCrashSeed(t, seed)
	seedSize := fileSize(seed)

	// First the acknowledged-write half: the child imports to the end, says
	// "committed" and is killed at once. The import must then be on disk.
	// This run also measures the import, for the rounds that follow: how
	// long it takes, and how much the commit writes to the WAL and the
	// checkpoint after it to the database file.
	path := copyCrashSeed(t, seed)
	c := startCrashChild(t, path)
	want := c.awaitImporting()
	start := time.Now()
	c.await("committed", 2*time.Minute)
	took := time.Since(start)
	c.kill()
	walFull, dbFull := fileSize(path+"-wal"), fileSize(path)
	if got := checkAfterCrash(t, path, want); got != want {
		t.Fatalf("the import said committed, then the process was killed: %d values left of %d; an acknowledged write must survive", got, want)
	}
	t.Logf("import of %d values took %v, wrote %s of WAL and grew the database file by %s; killed after it said committed: all of it kept",
		want, took.Round(time.Millisecond), megabytes(walFull), megabytes(dbFull-seedSize))

	var mu sync.Mutex
	ran, none, torn := 0, 0, 0 // rounds run; of those, rounds that found none of the import; of those, rounds that left frames in the WAL
	run := func(t *testing.T, r crashRound) {
		path := copyCrashSeed(t, seed)
		c := startCrashChild(t, path)
		if n := c.awaitImporting(); n != want {
			t.Fatalf("the child made %d values, the first run %d; the figures must be the same each time", n, want)
		}
		start := time.Now()
		deadline := 3*took + 10*time.Second
		for !r.due(time.Since(start), fileSize(path+"-wal"), fileSize(path)) {
			if time.Since(start) > deadline {
				t.Fatalf("the moment to kill never came within %v", deadline)
			}
			time.Sleep(20 * time.Microsecond)
		}
		at := time.Since(start)
		c.kill()
		wal, db := fileSize(path+"-wal"), fileSize(path)
		got := checkAfterCrash(t, path, want)
		outcome := "all of it"
		mu.Lock()
		ran++
		if got == 0 {
			outcome = "none of it"
			none++
			if wal > walHeader {
				torn++
			}
		}
		mu.Unlock()
		t.Logf("killed %v in, leaving %s of WAL and the database file %s larger: it holds %s",
			at.Round(time.Millisecond), megabytes(wal), megabytes(db-seedSize), outcome)
	}

	// Kills spread over the import's time, the first before it has done
	// anything. SQLite holds the whole transaction in its page cache until
	// COMMIT, so most of these find nothing on disk yet; they check that
	// nothing the import does before COMMIT leaks into the file. They run
	// one at a time, so that the import takes as long as it was measured to.
	fractions := []float64{0, 0.05, 0.25, 0.5, 0.75, 0.95}
	for _, f := range fractions {
		delay := time.Duration(f * float64(took))
		t.Run(fmt.Sprintf("after %.0f%% of the import time", f*100), func(t *testing.T) {
			run(t, crashRound{due: func(since time.Duration, _, _ int64) bool { return since >= delay }})
		})
	}

	// The dangerous moments are short (tens of milliseconds of a run of
	// seconds), so these rounds watch the files instead of the clock: while
	// COMMIT writes the WAL (a torn commit, whose frames recovery must
	// ignore), and while the checkpoint after it copies the WAL into the
	// database file (a torn checkpoint, which recovery must finish from the
	// WAL). Not being timed, they may run side by side.
	var rounds []crashRound
	for _, f := range []float64{1.0 / 3, 2.0 / 3} {
		at := int64(f * float64(walFull))
		rounds = append(rounds, crashRound{fmt.Sprintf("commit WAL %.0f%% written", f*100),
			func(_ time.Duration, wal, _ int64) bool { return wal >= at }})
	}
	if dbFull > seedSize {
		at := seedSize + (dbFull-seedSize)/2
		rounds = append(rounds, crashRound{"checkpoint 50% done",
			func(_ time.Duration, _, db int64) bool { return db >= at }})
	} else {
		t.Logf("the commit did not checkpoint into the database file: no torn-checkpoint round")
	}
	t.Run("during commit", func(t *testing.T) {
		for _, r := range rounds {
			t.Run(r.name, func(t *testing.T) {
				t.Parallel()
				run(t, r)
			})
		}
	})

	if ran < len(fractions)+len(rounds) {
		t.Logf("%d of %d rounds ran: not checking where the kills landed", ran, len(fractions)+len(rounds))
		return
	}
	if none == 0 {
		t.Fatalf("every round found the whole import: no kill landed before the commit, so the test proved nothing about a half-done import")
	}
	if torn == 0 {
		t.Errorf("no kill landed while the commit was writing the WAL: the torn-commit case went untested (the kills came too late)")
	}
}

// TestCrashChild is the process TestImportSurvivesSIGKILL kills. It imports
// the figures into the database crashChildEnv names, writing "importing N"
// to stdout just before the import and "committed N" once it returns, then
// waits to be killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("runs only as TestImportSurvivesSIGKILL's child process")
	}
	// The parent holds our stdin open; if it dies first, do not outlive it.
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(2)
	}()
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	province, err := s.UnitAt(ctx, demo.Province, crashAsOf)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := s.Subtree(ctx, province, crashAsOf)
	if err != nil {
		t.Fatal(err)
	}
	elements, err := s.Elements(ctx)
	if err != nil {
		t.Fatal(err)
	}
	root, err := s.Root(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rows []value.Row
	synth.Figures(tree, elements, crashYears, 1, func(r value.Row) {
		r.Line = len(rows) + 2
		rows = append(rows, r)
	})
	fmt.Printf("importing %d\n", len(rows))
	sum, err := s.ImportValues(ctx, rows, store.ImportOptions{Actor: tester, Scope: root, Source: "crash test", Today: crashToday})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("committed %d\n", sum.Imported)
	select {} // the parent's SIGKILL ends us; the stdin watchdog if the parent is gone
}

// prepareCrashSeed builds what the demo builds before its figures: the Bắc
// Giang tree, its residential areas and the seed program.
func prepareCrashSeed(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	importFile(t, s, "../demo/data/bac-giang-2025-03.json", unit.Options{})
	province, err := s.UnitAt(ctx, demo.Province, crashAsOf)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := s.Subtree(ctx, province, crashAsOf)
	if err != nil {
		t.Fatal(err)
	}
	var communes []unit.Unit
	for _, u := range tree {
		if u.Kind == unit.Commune {
			communes = append(communes, u)
		}
	}
	ras, err := unit.Parse(bytes.NewReader(synth.ResidentialAreas(communes, demo.ResidentialAreasPerCommune, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportUnits(ctx, tester, ras, unit.Options{Date: crashAsOf}); err != nil {
		t.Fatal(err)
	}
	doc, err := programs.Files.ReadFile(programs.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := program.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveProgram(ctx, tester, prog); err != nil {
		t.Fatal(err)
	}
	// Fold the WAL into the file, so a copy of the file alone is the database.
	if _, err := s.DB.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
}

// copyCrashSeed gives a round its own copy of the prepared database.
func copyCrashSeed(t *testing.T, seed string) string {
	t.Helper()
	data, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/mattran.db"
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkAfterCrash opens the database a killed process left, as the next
// start of the server would, and checks it: it opens, passes SQLite's
// integrity check, holds none or all of the import's values (and its one
// change record), and its roll-up agrees with its values. It returns how
// many values it holds.
func checkAfterCrash(t *testing.T, path string, want int) int {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatalf("open after kill: %v", err)
	}
	defer s.Close()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatalf("integrity check after kill: %v", err)
	}
	got := count(t, s, "data_values")
	changes := count(t, s, "value_changes")
	rollups := count(t, s, "data_rollups")
	switch {
	case got == 0 && (changes != 0 || rollups != 0):
		t.Fatalf("no values, yet %d change records and %d roll-up rows: part of the import survived", changes, rollups)
	case got == want && changes != 1:
		t.Fatalf("all %d values, but %d change records, want 1", got, changes)
	case got != 0 && got != want:
		t.Fatalf("%d values after kill, want 0 or all %d: the import was cut in half", got, want)
	}
	if err := s.VerifyRollups(ctx); err != nil {
		t.Fatalf("roll-up after kill: %v", err)
	}
	return got
}

// crashChild is one run of TestCrashChild in a process of its own.
type crashChild struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	says   chan string // the child's "importing" and "committed" lines; closed at the end of its stdout
	stdout []string    // every line of its stdout; read only once says is closed
	stderr bytes.Buffer
	ended  bool
}

// startCrashChild runs this test binary again, running only TestCrashChild,
// on the database at path. The child is killed and reaped when the test
// ends, whatever happens.
func startCrashChild(t *testing.T, path string) *crashChild {
	t.Helper()
	c := &crashChild{t: t, says: make(chan string, 2)}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	c.cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	c.cmd.Stderr = &c.stderr
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.kill)
	// Read stdout without ever blocking the child: only its two lines go to
	// the channel, which has room for both.
	go func() {
		defer close(c.says)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			c.stdout = append(c.stdout, line)
			if strings.HasPrefix(line, "importing ") || strings.HasPrefix(line, "committed ") {
				c.says <- line
			}
		}
		io.Copy(io.Discard, stdout) // past a line too long to scan
	}()
	return c
}

// await returns the child's line that starts with prefix, failing the test
// if the child ends or is silent for too long.
func (c *crashChild) await(prefix string, timeout time.Duration) string {
	c.t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case line, ok := <-c.says:
			if !ok {
				c.kill()
				c.t.Fatalf("the child ended before saying %q\n%s", prefix, c.output())
			}
			if strings.HasPrefix(line, prefix) {
				return line
			}
		case <-timer.C:
			c.kill()
			c.t.Fatalf("the child did not say %q within %v\n%s", prefix, timeout, c.output())
		}
	}
}

// awaitImporting waits for "importing N" and returns N.
func (c *crashChild) awaitImporting() int {
	c.t.Helper()
	line := c.await("importing ", time.Minute)
	n, err := strconv.Atoi(strings.TrimPrefix(line, "importing "))
	if err != nil || n < 100_000 {
		c.t.Fatalf("the child said %q: want a large import, over 100,000 values", line)
	}
	return n
}

// kill sends SIGKILL, reads the child's stdout to its end and reaps it. It
// may run more than once; only the first does anything. A child that
// exited by itself instead failed, and that fails the test.
func (c *crashChild) kill() {
	if c.ended {
		return
	}
	c.ended = true
	c.cmd.Process.Kill()
	for range c.says {
	}
	c.cmd.Wait() // the error only restates how it ended, read below
	c.stdin.Close()
	if st := c.cmd.ProcessState; st.Exited() {
		c.t.Errorf("the child exited by itself (%v) instead of being killed\n%s", st, c.output())
	}
}

// output is what a killed child wrote, for failure messages.
func (c *crashChild) output() string {
	return "stdout:\n" + strings.Join(c.stdout, "\n") + "\nstderr:\n" + c.stderr.String()
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
