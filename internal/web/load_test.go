package web_test

// The load benchmark of the bar: p99 ≤ 150 ms for the home and
// scorecard pages with 50 concurrent signed-in clients on the demo data
// set. BENCH.md holds the numbers and the command.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mattran/internal/clock"
	"mattran/internal/demo"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
	"mattran/internal/value"
	"mattran/internal/web"
)

const (
	loadClients  = 50
	loadRequests = 40 // per client and page
)

// loadPages are the pages measured; %s is a unit code and a period. The
// password page, which reads nothing but the session, is the baseline:
// the ratio says how much the page's own work costs under the same load.
var loadPages = []string{
	"/account/password?unit=%s&period=%s",
	"/?unit=%s&period=%s",
	"/home?unit=%s&period=%s",
	"/home/children?unit=%s&period=%s",
}

// loadUnit is a unit a client asks for, with the period: the old
// province's committees for 2024 (the seed program's last year), the new
// province's for the current year (the example program's, being entered).
type loadUnit struct{ code, period string }

// BenchmarkPagesUnderLoad: 50 clients, each signed in as the province's
// leader, request a page for units picked at random among the province,
// its districts and communes, loadRequests times each, all at once. It
// reports the p50 and p99 latency per page and the p99's ratio to the
// baseline's, in three situations (see below).
//
//	go test -run XXX -bench PagesUnderLoad -benchtime 1x ./internal/web/
func BenchmarkPagesUnderLoad(b *testing.B) {
	ctx := context.Background()
	f := newLoadFixture(b)
	s, leader, newProvince, year, codes, tokens := f.store, f.leader, f.newProvince, f.year, f.codes, f.tokens
	transport := &http.Transport{MaxIdleConnsPerHost: loadClients}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// Four situations, each on a server of its own (a fresh cache):
	//   - cold: just started, nothing rendered yet;
	//   - warm: after Warm, which a server runs at start;
	//   - writes: warm, while figures are being entered: every 500 ms one
	//     residential area's figure of the current year changes, which
	//     invalidates the pages of its commune and province (reporting
	//     season);
	//   - bigwrite: warm, then one write of 1,000 values (500 areas'
	//     households and cultured households of the current year), which
	//     raises the versions of the ~600 units it touched (store.MaxScopedBump):
	//     their pages, and those of the units above them, are cold again.
	// The writes go to the new tree's current year, open for entry, at
	// areas whose commune has not sent its year's report.
	areas := writableAreas(b, s, f.newBelow, year)
	above := storedMax(b, s, year)
	writeAt := func(list []unit.Unit, n int) error {
		return writeAreas(ctx, s, leader, newProvince, above, year, list, n)
	}
	for _, situation := range []string{"cold", "warm", "writes", "bigwrite"} {
		pages := &web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		mux := http.NewServeMux()
		pages.Register(mux)
		srv := httptest.NewServer(mux)
		if situation != "cold" {
			if err := pages.Warm(ctx); err != nil {
				b.Fatal(err)
			}
		}
		if situation == "bigwrite" {
			if len(areas) < 500 {
				b.Fatalf("only %d writable areas", len(areas))
			}
			start := time.Now()
			if err := writeAt(areas[:500], 3); err != nil {
				b.Fatal(err)
			}
			b.Logf("the write of 1,000 values took %v", time.Since(start).Round(time.Millisecond))
		}
		stop := make(chan struct{})
		var writer sync.WaitGroup
		if situation == "writes" {
			writer.Add(1)
			go func() {
				defer writer.Done()
				rng := rand.New(rand.NewPCG(7, 7))
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					case <-time.After(500 * time.Millisecond):
					}
					a := areas[rng.IntN(len(areas))]
					if err := writeAt([]unit.Unit{a}, n); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		var baseline time.Duration
		for _, page := range loadPages {
			b.Run(situation+"/"+strings.Trim(strings.Split(page, "?")[0], "/"), func(b *testing.B) {
				for b.Loop() {
					lat, err := load(client, srv.URL, page, codes, tokens, loadRequests)
					if err != nil {
						b.Fatal(err)
					}
					p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
					if baseline == 0 {
						baseline = p99
					}
					b.Logf("%-7s %-38s p50 %6.1f ms  p99 %6.1f ms  (%.1f × the baseline's p99)", situation, page, ms(p50), ms(p99), float64(p99)/float64(baseline))
					b.ReportMetric(ms(p50), "p50-ms")
					b.ReportMetric(ms(p99), "p99-ms")
					b.ReportMetric(float64(p99)/float64(baseline), "p99/baseline")
				}
			})
		}
		close(stop)
		writer.Wait()
		srv.Close()
	}
}

// loadFixture is the set-up of the load benchmarks: the demo data set in a
// temporary SQLite file with its kept evaluations built (as serve builds
// them before it warms pages), the units the clients ask for, and one
// session per client of the new province's leader.
type loadFixture struct {
	store       *store.Store
	leader      user.User
	newProvince unit.Unit   // the province of the new tree, today
	newBelow    []unit.Unit // its subtree
	year        int         // the current year
	codes       []loadUnit
	tokens      []string // loadClients sessions of leader
}

// newLoadFixture builds the fixture; the store closes when b ends.
func newLoadFixture(b *testing.B) *loadFixture {
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "demo.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := demo.Load(ctx, s, "mat-khau-tai-thu"); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	built, err := s.KeepEvals(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("kept evaluations of %d program years built in %v", len(built), time.Since(start).Round(time.Millisecond))
	f := &loadFixture{store: s, year: time.Now().In(clock.Zone).Year()}
	if f.leader, err = s.UserByUsername(ctx, "lanhdao.tinh"); err != nil {
		b.Fatal(err)
	}
	province, err := s.UnitAt(ctx, demo.Province, "2024-12-31")
	if err != nil {
		b.Fatal(err)
	}
	below, err := s.Subtree(ctx, province, "2024-12-31")
	if err != nil {
		b.Fatal(err)
	}
	today := clock.Today(time.Now())
	if f.newProvince, err = s.UnitAt(ctx, demo.Province, today); err != nil {
		b.Fatal(err)
	}
	if f.newBelow, err = s.Subtree(ctx, f.newProvince, today); err != nil {
		b.Fatal(err)
	}
	for _, u := range below {
		if u.Kind != unit.ResidentialArea {
			f.codes = append(f.codes, loadUnit{u.Code, "2024"})
		}
	}
	for _, u := range f.newBelow {
		if u.Kind == unit.Province || u.Kind == unit.Commune {
			f.codes = append(f.codes, loadUnit{u.Code, strconv.Itoa(f.year)})
		}
	}
	f.tokens = make([]string, loadClients)
	for i := range f.tokens {
		if f.tokens[i], _, err = s.CreateSession(ctx, f.leader, "127.0.0.1", time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	return f
}

// load runs loadClients clients at once, each requesting page n times
// (signed in with its token; with none, as a visitor), and returns every
// latency, sorted.
func load(client *http.Client, base, page string, codes []loadUnit, tokens []string, n int) ([]time.Duration, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	for i := range loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 1))
			for range n {
				c := codes[rng.IntN(len(codes))]
				url := base + fmt.Sprintf(page, c.code, c.period)
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				if tokens[i] != "" {
					req.AddCookie(&http.Cookie{Name: "mattran_session", Value: tokens[i]})
				}
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

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// writableAreas are the residential areas of the tree whose figures of
// year a write may change: neither they nor their commune have sent the
// year's report (a sent report's figures wait for its approval or return).
func writableAreas(b *testing.B, s *store.Store, tree []unit.Unit, year int) []unit.Unit {
	rows, err := s.DB.Query(`SELECT DISTINCT unit_id FROM submissions WHERE status = 'submitted' AND period = $1`, strconv.Itoa(year))
	if err != nil {
		b.Fatal(err)
	}
	sent := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		sent[id] = true
	}
	rows.Close()
	var out []unit.Unit
	for _, u := range tree {
		if u.Kind == unit.ResidentialArea && !sent[u.ID] && !sent[u.ParentID] {
			out = append(out, u)
		}
	}
	return out
}

// storedMax is, by unit, the largest figure stored for year.
func storedMax(b *testing.B, s *store.Store, year int) map[int64]int {
	rows, err := s.DB.Query(`SELECT unit_id, MAX(value) FROM data_values WHERE period = $1 GROUP BY unit_id`, strconv.Itoa(year))
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var v float64
		if err := rows.Scan(&id, &v); err != nil {
			b.Fatal(err)
		}
		out[id] = int(v)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return out
}

// writeAreas writes, as the leader of scope, two figures of year at each
// area of list: its households and cultured households, n varying them.
func writeAreas(ctx context.Context, s *store.Store, leader user.User, scope unit.Unit, above map[int64]int, year int, list []unit.Unit, n int) error {
	var rows []value.Row
	for i, a := range list {
		// Above every figure stored at the area for the year: the
		// households' total is the whole of several parts (those
		// committed to this or that), which a smaller total refuses.
		total := max(200, above[a.ID]+1) + (n+i)%50
		rows = append(rows,
			value.Row{DataElement: "CT2_HGD_TONG", Period: strconv.Itoa(year), OrgUnit: a.Code, Value: strconv.Itoa(total), Line: 2 * i},
			value.Row{DataElement: "CT2_HGD_VANHOA", Period: strconv.Itoa(year), OrgUnit: a.Code, Value: strconv.Itoa(total - 10 - n%7), Line: 2*i + 1})
	}
	_, err := s.ImportValues(ctx, rows, store.ImportOptions{Actor: leader.Actor(), Scope: scope, Source: "load"})
	return err
}
