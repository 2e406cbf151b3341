package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
	appuser "mattran/internal/user"
)

// The fault checks (RELIABILITY.md): the server under load while the
// database fails under it, then recovers. They start a PostgreSQL of
// their own and mount a file system, so they run only when asked:
//
//	MATTRAN_FAULTS=1 go test -run Fault -v -timeout 20m ./cmd/mattran/
func faultsWanted(t *testing.T) {
	if os.Getenv("MATTRAN_FAULTS") == "" {
		t.Skip("MATTRAN_FAULTS is unset: the fault checks start a PostgreSQL and mount a tmpfs of their own; run them with MATTRAN_FAULTS=1 (RELIABILITY.md)")
	}
}

// faultServer fills a fresh database with the Bắc Giang tree and the seed
// program, gives four admins of the province an API token each (one per
// writer: the queue takes two files per user), and serves it all (the
// real serve, over TCP) until the test ends.
func faultServer(t *testing.T, dsn string) (base string, tokens []string, s *store.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := createStore(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Fixture(t, s)
	province, err := s.UnitAt(ctx, "24", "2024-06-30")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		admin, err := s.CreateUser(ctx, cliActor(), store.NewUser{Username: fmt.Sprintf("admin.%d", i), FullName: "Quản trị tỉnh", Role: appuser.Admin, Unit: province, Password: "mat-khau-thu-nghiem"})
		if err != nil {
			t.Fatal(err)
		}
		token, err := s.CreateToken(ctx, cliActor(), admin, "tải thử")
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, token)
	}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	// The server's log is kept, so a failing run shows what the 500s were.
	logPath := filepath.Join(t.TempDir(), "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		logFile.Close()
		if t.Failed() {
			logErrors(t, logPath)
		}
	})
	go func() {
		done <- serve(ctx, s, "127.0.0.1:0", io.Discard, logFile, func(addr string) { ready <- addr })
	}()
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-done:
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		<-done
		s.Close()
	})
	return base, tokens, s
}

// key is one figure the load writes: an element of a commune for a year.
type key struct{ element, unit, period string }

// loadKeys are the figures the load writes: three yearly elements of every
// commune of the province, 2020–2024, all typed in every year (not the
// money raised, which the fund ledger computes from 2024).
func loadKeys(t *testing.T, s *store.Store) []key {
	t.Helper()
	rows, err := s.DB.Query(`SELECT code FROM units WHERE kind = 'commune' ORDER BY code`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var keys []key
	for rows.Next() {
		var code string
		rows.Scan(&code)
		for _, e := range []string{"CT1_CTV", "CT1_BAO_DDK", "CT5_CB_TONG"} {
			for y := 2020; y <= 2024; y++ {
				keys = append(keys, key{e, code, strconv.Itoa(y)})
			}
		}
	}
	return keys
}

// load is what a run of writers and readers saw.
type load struct {
	mu        sync.Mutex
	acked     map[key]int64 // the last value acknowledged (200) per figure
	tried     map[key]int64 // the last value sent per figure
	writes    map[int]int   // answers to writes, by status
	reads     map[int]int   // answers to reads, by status
	transport int           // requests that got no answer at all
	messages  map[string]int
	firstOK   time.Time // the first acknowledged write after mark
	mark      time.Time
}

// run writes and reads until stop is closed: each writer owns a share of
// the figures and writes them in turn, each value larger than the last it
// wrote, so the value stored for a figure says which write it came from.
func (l *load) run(t *testing.T, base string, tokens []string, keys []key, writers, readers int, stop chan struct{}) *sync.WaitGroup {
	l.acked, l.tried, l.writes, l.reads, l.messages = map[key]int64{}, map[key]int64{}, map[int]int{}, map[int]int{}, map[string]int{}
	client := &http.Client{Timeout: 60 * time.Second}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seq := int64(w + 1)
			for i := w; ; i += writers {
				select {
				case <-stop:
					return
				default:
				}
				k := keys[i%len(keys)]
				seq += int64(writers)
				l.mu.Lock()
				l.tried[k] = seq
				l.mu.Unlock()
				body := fmt.Sprintf("dataelement,period,orgunit,value\n%s,%s,%s,%d\n", k.element, k.period, k.unit, seq)
				req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/dataValueSets", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tokens[w%len(tokens)])
				req.Header.Set("Content-Type", "text/csv")
				resp, err := client.Do(req)
				l.mu.Lock()
				if err != nil {
					l.transport++
				} else {
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					l.writes[resp.StatusCode]++
					if resp.StatusCode == http.StatusOK {
						l.acked[k] = seq
						if !l.mark.IsZero() && l.firstOK.IsZero() && time.Now().After(l.mark) {
							l.firstOK = time.Now()
						}
					} else if i := bytes.Index(b, []byte(`"message": "`)); i >= 0 {
						msg := string(b[i+12:])
						msg = msg[:strings.IndexByte(msg, '"')]
						l.messages[fmt.Sprintf("%d %s", resp.StatusCode, msg)]++
					}
				}
				l.mu.Unlock()
				if err != nil || resp.StatusCode != http.StatusOK {
					time.Sleep(50 * time.Millisecond) // a client that retries, not one that hammers
				}
			}
		}()
	}
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/analytics?dataElement=CT1_CTV&unit=24&period=2024&by=children", nil)
				req.Header.Set("Authorization", "Bearer "+tokens[0])
				resp, err := client.Do(req)
				l.mu.Lock()
				if err != nil {
					l.transport++
				} else {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					l.reads[resp.StatusCode]++
				}
				l.mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	return &wg
}

// check: every acknowledged figure is stored with its last acknowledged
// value, or with a later one that was sent and whose answer was lost; no
// answer was a 500 or none; the database passes its checks.
func (l *load) check(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	lost := 0
	for k, v := range l.acked {
		var got float64
		err := s.DB.QueryRowContext(ctx, `SELECT v.value FROM data_values v JOIN data_elements e ON e.id = v.element_id JOIN units u ON u.id = v.unit_id
			WHERE e.code = $1 AND u.code = $2 AND v.period = $3`, k.element, k.unit, k.period).Scan(&got)
		if err != nil || int64(got) < v || int64(got) > l.tried[k] {
			lost++
			if lost < 5 {
				t.Errorf("figure %v: stored %v (%v), acknowledged %d, last sent %d", k, got, err, v, l.tried[k])
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged figures lost", lost, len(l.acked))
	}
	if l.writes[http.StatusInternalServerError]+l.reads[http.StatusInternalServerError] > 0 || l.transport > 0 {
		t.Errorf("unclean answers: %d writes and %d reads answered 500, %d requests unanswered", l.writes[500], l.reads[500], l.transport)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	if err := s.VerifyRollups(ctx); err != nil {
		t.Error(err)
	}
	t.Logf("writes by status %v, reads by status %v, unanswered %d; %d figures acknowledged, none lost (%d lost)", l.writes, l.reads, l.transport, len(l.acked), lost)
	for m, n := range l.messages {
		t.Logf("  %d × %s", n, m)
	}
}

// TestFaultPostgresRestart: PostgreSQL restarts (pg_ctl restart -m fast,
// which ends every connection) under a load of writers and readers. The
// server answers 503 while it is away, never 500, goes on serving once it
// is back, and loses no acknowledged write. The PostgreSQL is a private
// one (initdb in a temporary folder, its own port), so the shared test
// server is never disturbed.
func TestFaultPostgresRestart(t *testing.T) {
	faultsWanted(t)
	pg := privatePostgres(t)
	base, tokens, s := faultServer(t, pg.dsn)
	keys := loadKeys(t, s)
	var l load
	stop := make(chan struct{})
	wg := l.run(t, base, tokens, keys, 4, 2, stop)
	time.Sleep(5 * time.Second)
	l.mu.Lock()
	before := l.writes[200]
	l.mu.Unlock()
	start := time.Now()
	pg.ctl(t, "restart", "-m", "fast", "-l", pg.log)
	down := time.Since(start)
	l.mu.Lock()
	l.mark = time.Now()
	l.mu.Unlock()
	time.Sleep(10 * time.Second)
	close(stop)
	wg.Wait()
	if l.firstOK.IsZero() {
		t.Fatalf("no write succeeded after PostgreSQL came back")
	}
	t.Logf("%d writes acknowledged before the restart; pg_ctl restart took %v; the first write after it was acknowledged %v after it returned",
		before, down.Round(time.Millisecond), l.firstOK.Sub(l.mark).Round(time.Millisecond))
	l.check(t, s)
}

// TestFaultDiskFull: SQLite on a 24 MB tmpfs that fills up under a load
// of writers and readers. Writes are refused with 503 ("Ổ đĩa … đã đầy")
// while reads go on; once space is freed, writes are taken again; no
// acknowledged write is lost and the file passes its checks.
func TestFaultDiskFull(t *testing.T) {
	faultsWanted(t)
	dir := t.TempDir()
	mountTmpfs(t, dir, "24m")
	base, tokens, s := faultServer(t, "sqlite:"+filepath.Join(dir, "mattran.db"))
	keys := loadKeys(t, s)
	filler := fillDisk(t, dir)
	var l load
	stop := make(chan struct{})
	wg := l.run(t, base, tokens, keys, 4, 2, stop)
	l.waitRefused(20, 3*time.Minute)
	l.mu.Lock()
	readsWhileFull := l.reads[200]
	l.mu.Unlock()
	time.Sleep(2 * time.Second)
	l.mu.Lock()
	readsWhileFull = l.reads[200] - readsWhileFull
	l.mark = time.Now()
	l.mu.Unlock()
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Second)
	close(stop)
	wg.Wait()
	if l.writes[http.StatusServiceUnavailable] == 0 {
		t.Fatalf("the disk never filled: %v", l.writes)
	}
	if readsWhileFull == 0 {
		t.Errorf("no read was served while the disk was full")
	}
	if l.firstOK.IsZero() {
		t.Fatalf("no write succeeded after space was freed")
	}
	t.Logf("%d reads served in the 2 s the disk was full; the first write after freeing space was acknowledged after %v",
		readsWhileFull, l.firstOK.Sub(l.mark).Round(time.Millisecond))
	l.check(t, s)
}

// TestFaultPostgresDiskFull: the private PostgreSQL's data directory on
// a tmpfs that fills up under load. PostgreSQL refuses what it cannot
// write (53100 disk_full), or, when the write-ahead log itself cannot
// grow, stops and restarts through crash recovery; either way the server
// answers 503, never 500, and once space is freed (and PostgreSQL is
// started again, as its operator would, if it stayed down) writes are
// taken again and no acknowledged write is lost.
func TestFaultPostgresDiskFull(t *testing.T) {
	faultsWanted(t)
	// Not t.TempDir: its parent is closed to the postgres user.
	dir, err := os.MkdirTemp("", "mattran-pg-full-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	mountTmpfs(t, dir, "160m")
	pg := privatePostgresIn(t, dir)
	base, tokens, s := faultServer(t, pg.dsn)
	keys := loadKeys(t, s)
	filler := fillDisk(t, dir)
	var l load
	stop := make(chan struct{})
	wg := l.run(t, base, tokens, keys, 4, 2, stop)
	l.waitRefused(20, 3*time.Minute)
	time.Sleep(2 * time.Second)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	// PostgreSQL restarts by itself after a crash; give it the time, then
	// start it as an operator would if it gave up.
	restarted := false
	for i := 0; i < 20 && !pg.running(); i++ {
		time.Sleep(500 * time.Millisecond)
	}
	if !pg.running() {
		pg.ctl(t, "start", "-o", pg.opts, "-l", pg.log)
		restarted = true
	}
	l.mu.Lock()
	l.mark = time.Now()
	l.mu.Unlock()
	time.Sleep(8 * time.Second)
	close(stop)
	wg.Wait()
	if l.writes[http.StatusServiceUnavailable] == 0 {
		t.Fatalf("the disk never filled: %v", l.writes)
	}
	if l.firstOK.IsZero() {
		t.Fatalf("no write succeeded after space was freed")
	}
	t.Logf("PostgreSQL started again by hand: %v; the first write after freeing space was acknowledged after %v",
		restarted, l.firstOK.Sub(l.mark).Round(time.Millisecond))
	l.check(t, s)
}

// privatePostgres is a PostgreSQL of the test's own: initdb in a
// temporary folder, started on a free port, stopped and removed at the
// end. As root, its programs run as the postgres user, as initdb
// requires.
type postgresInstance struct {
	bin, data, log, dsn, opts string
	port                      int
}

func privatePostgres(t *testing.T) *postgresInstance {
	t.Helper()
	dir, err := os.MkdirTemp("", "mattran-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return privatePostgresIn(t, dir)
}

// privatePostgresIn makes the instance in dir, which the test owns.
func privatePostgresIn(t *testing.T, dir string) *postgresInstance {
	t.Helper()
	bin := "/usr/lib/postgresql/15/bin"
	if _, err := os.Stat(filepath.Join(bin, "initdb")); err != nil {
		t.Skipf("no PostgreSQL 15 server programs in %s: %v", bin, err)
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("running as root with no postgres user to run PostgreSQL as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		os.Chown(dir, uid, gid)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	pg := &postgresInstance{bin: bin, data: filepath.Join(dir, "data"), log: filepath.Join(dir, "log"), port: port,
		dsn: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)}
	pg.run(t, "initdb", "-D", pg.data, "-A", "trust", "-U", "postgres", "--no-sync")
	// The server's output goes to the log, never to pg_ctl's: a server
	// holding the test's pipe open would keep pg_ctl's caller waiting.
	pg.opts = fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", port, dir)
	pg.ctl(t, "start", "-o", pg.opts, "-l", pg.log)
	t.Cleanup(func() { pg.runQuiet("pg_ctl", "-D", pg.data, "-m", "immediate", "-w", "stop") })
	return pg
}

// running says whether the server answers.
func (pg *postgresInstance) running() bool {
	return pg.command("pg_isready", "-h", "127.0.0.1", "-p", strconv.Itoa(pg.port), "-q").Run() == nil
}

func (pg *postgresInstance) ctl(t *testing.T, args ...string) {
	t.Helper()
	pg.run(t, "pg_ctl", append([]string{"-D", pg.data, "-w"}, args...)...)
}

func (pg *postgresInstance) command(tool string, args ...string) *exec.Cmd {
	path := filepath.Join(pg.bin, tool)
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

func (pg *postgresInstance) run(t *testing.T, tool string, args ...string) {
	t.Helper()
	if out, err := pg.command(tool, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
}

func (pg *postgresInstance) runQuiet(tool string, args ...string) { pg.command(tool, args...).Run() }

// mountTmpfs mounts a tmpfs of the given size on dir for the test, or
// skips it where mounting is not permitted.
func mountTmpfs(t *testing.T, dir, size string) {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("mounting a tmpfs is not permitted here (%v): run as root, or see RELIABILITY.md for the substitute", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, 0) })
}

// fillDisk fills dir's file system to about 1 MB free, and returns the
// filler's path, whose removal frees the space again.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail) * st.Bsize
	filler := filepath.Join(dir, "filler")
	if err := os.WriteFile(filler, make([]byte, free-1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	return filler
}

// waitRefused waits until n writes were refused with 503, or until
// within has passed.
func (l *load) waitRefused(n int, within time.Duration) {
	start := time.Now()
	for time.Since(start) <= within {
		l.mu.Lock()
		refused := l.writes[http.StatusServiceUnavailable]
		l.mu.Unlock()
		if refused >= n {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// logErrors prints the first error lines of a server log.
func logErrors(t *testing.T, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	n := 0
	for line := range strings.Lines(string(b)) {
		if strings.Contains(line, "level=ERROR") && n < 20 {
			t.Log("server: " + strings.TrimSpace(line))
			n++
		}
	}
}
