package web_test

// The cold-page benchmark of issue 9's goal: with 50 clients at once, a
// page's p99 ≤ 150 ms when nothing is cached yet — right after a start,
// and right after a write of 1,000 values — against the sign-in page under
// the same load. BENCH.md holds the numbers and the command.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"mattran/internal/unit"
	"mattran/internal/web"
)

// coldRequests per client and page: 50 × 8 = 400 requests over the
// units asked for (the old province's 205 committees and the new
// province's), so most of them find the page not yet made.
const coldRequests = 8

// coldPages: the sign-in page first, the baseline, which reads nothing;
// then the pages measured. %s is a unit code and a period.
var coldPages = []string{
	"/login?unit=%s&period=%s",
	"/?unit=%s&period=%s",
	"/home?unit=%s&period=%s",
	"/home/children?unit=%s&period=%s",
}

// BenchmarkColdPage: one server on the demo data with its kept
// evaluations built (as serve builds them), 50 clients signed in as the
// province's leader; each kind of page is asked for cold, each time by
// all 50 at once, coldRequests times each, for units picked at random
// among the old province's committees (2024) and the new province's
// (the current year):
//   - start: the server's caches emptied, as right after a start;
//   - write: the server warmed (Warm, as serve does) and every page the
//     clients ask for made once (a server in use), then one write of 1,000
//     values (500 areas' two household figures of the current year)
//     through the store, as an import of a province's file: what is cold
//     is what the write made stale.
//
// It reports p50 and p99 per page and the p99's ratio to the sign-in
// page's, measured just before in the same situation.
//
//	go test -run XXX -bench ColdPage -benchtime 1x -timeout 15m ./internal/web/
func BenchmarkColdPage(b *testing.B) {
	f := newLoadFixture(b)
	s, year := f.store, f.year
	areas := writableAreas(b, s, f.newBelow, year)
	if len(areas) < 500 {
		b.Fatalf("only %d writable areas", len(areas))
	}
	above := storedMax(b, s, year)

	// MATTRAN_BENCH_ADMIT="-1,4" runs everything once per number of
	// admission slots (admit.go; -1: none), each on a server of its own,
	// for an A/B in the same run; unset, the server's default.
	variants := []int{0}
	if v := os.Getenv("MATTRAN_BENCH_ADMIT"); v != "" {
		variants = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				b.Fatalf("MATTRAN_BENCH_ADMIT: %v", err)
			}
			variants = append(variants, n)
		}
	}
	writes := 0
	for _, slots := range variants {
		prefix := ""
		if len(variants) > 1 || slots != 0 {
			prefix = fmt.Sprintf("admit%d/", slots)
		}
		coldPageRun(b, f, areas, above, slots, prefix, &writes)
	}
}

// coldPageRun is BenchmarkColdPage's two situations on a server of its
// own with slots admission slots (0: the default).
func coldPageRun(b *testing.B, f *loadFixture, areas []unit.Unit, above map[int64]int, slots int, prefix string, writes *int) {
	ctx := context.Background()
	s, leader, newProvince, year, codes, tokens := f.store, f.leader, f.newProvince, f.year, f.codes, f.tokens
	visitors := make([]string, loadClients) // the sign-in page is asked for signed out
	pages := &web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if slots != 0 {
		web.SetAdmission(pages, slots)
	}
	mux := http.NewServeMux()
	pages.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	transport := &http.Transport{MaxIdleConnsPerHost: loadClients}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	for _, situation := range []string{"start", "write"} {
		var baseline time.Duration
		for _, page := range coldPages {
			name := strings.Trim(strings.Split(page, "?")[0], "/")
			if name == "" {
				name = "public"
			}
			b.Run(prefix+situation+"/"+name, func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					switch situation {
					case "start":
						web.DropCaches(pages)
					case "write":
						web.DropCaches(pages)
						if err := pages.Warm(ctx); err != nil {
							b.Fatal(err)
						}
						if baseline != 0 {
							if err := prime(client, srv.URL, page, codes, tokens[0]); err != nil {
								b.Fatal(err)
							}
						}
						*writes++
						start := time.Now()
						if err := writeAreas(ctx, s, leader, newProvince, above, year, areas[:500], *writes); err != nil {
							b.Fatal(err)
						}
						b.Logf("the write of 1,000 values took %v", time.Since(start).Round(time.Millisecond))
					}
					b.StartTimer()
					who := tokens
					if baseline == 0 {
						who = visitors
					}
					cpu := cpuTime()
					lat, err := load(client, srv.URL, page, codes, who, coldRequests)
					if err != nil {
						b.Fatal(err)
					}
					// The process's CPU per request (server and clients):
					// what the pages cost, less swayed than the latencies
					// by the other work on a shared machine.
					perPage := ms(cpuTime()-cpu) / float64(len(lat))
					p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
					if baseline == 0 {
						baseline = p99
					}
					b.Logf("%-5s %-36s p50 %6.1f ms  p99 %6.1f ms  (%.1f × the sign-in page's p99)  CPU %.1f ms a request", situation, page, ms(p50), ms(p99), float64(p99)/float64(baseline), perPage)
					b.ReportMetric(perPage, "cpu-ms/req")
					b.ReportMetric(ms(p50), "p50-ms")
					b.ReportMetric(ms(p99), "p99-ms")
					b.ReportMetric(float64(p99)/float64(baseline), "p99/signin")
				}
			})
		}
	}
}

// prime asks once for page at every unit of codes, eight at a time, as
// the signed-in reader of token, so that the server has made them all.
func prime(client *http.Client, base, page string, codes []loadUnit, token string) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(codes))
	next := make(chan loadUnit)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				req, _ := http.NewRequest(http.MethodGet, base+fmt.Sprintf(page, c.code, c.period), nil)
				req.AddCookie(&http.Cookie{Name: "mattran_session", Value: token})
				resp, err := client.Do(req)
				if err != nil {
					errc <- err
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errc <- fmt.Errorf("GET %s: %s", req.URL, resp.Status)
				}
			}
		}()
	}
	for _, c := range codes {
		next <- c
	}
	close(next)
	wg.Wait()
	close(errc)
	return <-errc
}

// cpuTime is the CPU this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
