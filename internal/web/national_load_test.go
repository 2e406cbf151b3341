package web_test

// Pages on the national data set (issue 9): 50 clients signed in at the
// centre view random provinces' and communes' home, children and public
// pages, 2,000 views in all; the p99 of the first and of the next 1,000,
// against the password page under the same load, and the process's memory
// after them. BENCH.md holds the numbers and the command.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mattran/internal/audit"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
	"mattran/internal/web"
)

// BenchmarkNationalPages needs the store benchmarks' national SQLite file
// (internal/store's BenchmarkDataSet builds it): MATTRAN_BENCH_NATIONAL
// names it. The benchmark works on a copy beside it (national-pages.db,
// kept between runs), on which the server's evaluations job has built the
// kept evaluations, as serve does before anyone signs in.
//
//	MATTRAN_BENCH_NATIONAL=$TMPDIR/mattran-bench/national-v2.db \
//	  go test -run XXX -bench NationalPages -benchtime 1x -timeout 0 ./internal/web/
func BenchmarkNationalPages(b *testing.B) {
	src := os.Getenv("MATTRAN_BENCH_NATIONAL")
	if src == "" {
		b.Skip("MATTRAN_BENCH_NATIONAL is unset: skipping the national data set's pages")
	}
	ctx := context.Background()
	path := filepath.Join(filepath.Dir(src), "national-pages.db")
	if _, err := os.Stat(path); err != nil {
		if err := copyDB(path, src); err != nil {
			b.Fatal(err)
		}
	}
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	built, err := s.KeepEvals(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("kept evaluations: %d program years built in %v", len(built), time.Since(start).Round(time.Second))
	root, err := s.Root(ctx)
	if err != nil {
		b.Fatal(err)
	}
	const password = "mat-khau-tai-thu"
	centre, err := s.UserByUsername(ctx, "tai.trunguong")
	if err != nil {
		if centre, err = s.CreateUser(ctx, audit.Actor{Name: "bench"}, store.NewUser{Username: "tai.trunguong", FullName: "Tải thử", Role: user.Leader, Unit: root, Password: password}); err != nil {
			b.Fatal(err)
		}
	}
	tree, err := s.Subtree(ctx, root, "2024-12-31")
	if err != nil {
		b.Fatal(err)
	}
	var codes []loadUnit
	for _, u := range tree {
		if u.Kind == unit.Province || u.Kind == unit.Commune {
			codes = append(codes, loadUnit{u.Code, "2024"})
		}
	}
	tokens := make([]string, loadClients)
	for i := range tokens {
		if tokens[i], _, err = s.CreateSession(ctx, centre, "127.0.0.1", time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	transport := &http.Transport{MaxIdleConnsPerHost: loadClients}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	pages := &web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	mux := http.NewServeMux()
	pages.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// The Go runtime's soft memory limit, as serve sets it (unless
	// GOMEMLIMIT is set, which then rules as it would for serve).
	if os.Getenv("GOMEMLIMIT") == "" {
		limit := s.MemoryLimit(store.DefaultMemoryLimitMB)
		debug.SetMemoryLimit(limit)
		defer debug.SetMemoryLimit(math.MaxInt64)
		b.Logf("soft memory limit %d MB, as serve sets it", limit>>20)
	}

	// The baseline first, then the pages: 50 clients × 20 views, twice.
	mixed := []string{"/?unit=%s&period=%s", "/home?unit=%s&period=%s", "/home/children?unit=%s&period=%s"}
	rounds := []struct {
		name  string
		pages []string
	}{
		{"baseline", []string{"/account/password?unit=%s&period=%s"}},
		{"first-1000", mixed},
		{"next-1000", mixed},
	}
	var baseline time.Duration
	for _, r := range rounds {
		lat, err := loadMixed(client, srv.URL, r.pages, codes, tokens, 20)
		if err != nil {
			b.Fatal(err)
		}
		p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
		if baseline == 0 {
			baseline = p99
		}
		b.Logf("%-10s %d views  p50 %6.1f ms  p99 %6.1f ms  (%.1f × the baseline's p99)", r.name, len(lat), ms(p50), ms(p99), float64(p99)/float64(baseline))
		b.ReportMetric(ms(p99), r.name+"-p99-ms")
	}
	for b.Loop() {
	}
	runtime.GC()
	// MATTRAN_BENCH_HEAPPROF names a file for the live heap's profile
	// after the views, to see what the server keeps.
	if path := os.Getenv("MATTRAN_BENCH_HEAPPROF"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	status := procStatus(b)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.Logf("after 2,000 views: RSS %d MB: anonymous %d MB, file-backed %d MB (the mapped database and the binary); Go heap in use %d MB",
		status["VmRSS"]>>10, status["RssAnon"]>>10, status["RssFile"]>>10, m.HeapInuse>>20)
	b.ReportMetric(float64(status["RssAnon"]>>10), "anon-MB")
	b.ReportMetric(float64(status["RssFile"]>>10), "file-MB")
}

// loadMixed runs loadClients clients at once, each making n requests of a
// page picked at random among pages, and returns every latency, sorted.
func loadMixed(client *http.Client, base string, pages []string, codes []loadUnit, tokens []string, n int) ([]time.Duration, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	for i := range loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), uint64(len(pages))))
			for range n {
				c := codes[rng.IntN(len(codes))]
				url := base + fmt.Sprintf(pages[rng.IntN(len(pages))], c.code, c.period)
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				req.AddCookie(&http.Cookie{Name: "mattran_session", Value: tokens[i]})
				start := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusSeeOther {
						err = fmt.Errorf("GET %s: %s", url, resp.Status)
					}
				}
				d := time.Since(start)
				mu.Lock()
				lat = append(lat, d)
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	return lat, firstErr
}

// procStatus reads /proc/self/status's sizes, in kB.
func procStatus(b *testing.B) map[string]int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	out := map[string]int64{}
	for _, line := range strings.Split(string(data), "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 2 && f[1] == "kB" {
			n, _ := strconv.ParseInt(f[0], 10, 64)
			out[name] = n
		}
	}
	return out
}

// copyDB copies a closed SQLite file (no WAL left beside it).
func copyDB(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst + ".copying")
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(dst+".copying", dst)
}
