package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mattran/internal/api"
	"mattran/internal/jobs"
	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/submission"
	"mattran/internal/user"
	"mattran/internal/web"
)

var narrativeLoaded = regexp.MustCompile(`name="narrative_loaded" value="([^"]*)"`)

// Two app servers share one PostgreSQL database, each running the
// background jobs, while ten clients work for a minute: eight write
// figures through the API (both servers, alternately), a commune officer
// sends monthly reports and the district's leader approves them through
// the pages. Afterwards every acknowledged write is stored, every report
// stands as its last acknowledged action left it, the roll-up adds up,
// nothing waited forever, and each job ran at most once in each of its
// intervals, with no run failing.
func TestTwoServersUnderLoad(t *testing.T) {
	s := storetest.Postgres(t)
	if testing.Short() {
		t.Skip("a minute of load: skipped with -short")
	}
	h := newHarness(t, s)
	ctx := context.Background()
	// The clock moves with real time from 10/12/2024, so job intervals pass.
	start := time.Now()
	base := time.Date(2024, 12, 10, 9, 0, 0, 0, time.UTC)
	moving := func() time.Time { return base.Add(time.Since(start)) }
	s.Clock = moving
	second, err := store.Open(ctx, s.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	second.Clock = moving

	// Two servers: pages and API on each, jobs every 2 seconds on each.
	const every = 2 * time.Second
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	runCtx, stopJobs := context.WithCancel(ctx)
	var jobsDone sync.WaitGroup
	var urls []string
	for i, st := range []*store.Store{s, second} {
		mux := http.NewServeMux()
		(&api.API{Store: st, Log: quiet}).Register(mux)
		(&web.Web{Store: st, Log: quiet}).Register(mux)
		srv := httptest.NewServer(mux)
		defer srv.Close()
		urls = append(urls, srv.URL)
		var list []jobs.Job
		for _, j := range jobs.Standard(st) {
			j.Every = every
			list = append(list, j)
		}
		jobsDone.Add(1)
		go func() {
			defer jobsDone.Done()
			(&jobs.Runner{Store: st, Jobs: list, Log: quiet, Server: fmt.Sprintf("server-%d", i), Tick: 100 * time.Millisecond}).Run(runCtx)
		}()
	}

	// Eight writers, each an officer of a commune of district 213 with a
	// token, each writing its commune's figure over and over.
	district, err := s.UnitAt(ctx, "213", "2024-06-30")
	if err != nil {
		t.Fatal(err)
	}
	kids, err := s.Children(ctx, district, "2024-06-30")
	if err != nil {
		t.Fatal(err)
	}
	type writer struct {
		commune, token string
		last           atomic.Int64 // the last value acknowledged
	}
	var writers []*writer
	for _, k := range kids {
		if len(writers) == 8 {
			break
		}
		u, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: "ghi." + k.Code, Role: user.Officer, Unit: k, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		token, err := s.CreateToken(ctx, storetest.Actor, u, "tải")
		if err != nil {
			t.Fatal(err)
		}
		writers = append(writers, &writer{commune: k.Code, token: token})
	}
	deadline := time.Now().Add(60 * time.Second)
	var wg sync.WaitGroup
	var failures atomic.Int64
	fail := func(format string, args ...any) {
		if failures.Add(1) <= 20 {
			t.Errorf(format, args...)
		}
	}
	for i, w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := int64(1); time.Now().Before(deadline); n++ {
				body := fmt.Sprintf("dataelement,period,orgunit,value\nCT1_CTV,2024,%s,%d\n", w.commune, n)
				req, _ := http.NewRequest(http.MethodPost, urls[(i+int(n))%2]+"/api/v1/dataValueSets", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+w.token)
				req.Header.Set("Content-Type", "text/csv")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					fail("writer %s: %v", w.commune, err)
					return
				}
				msg, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					fail("writer %s: %d %s", w.commune, resp.StatusCode, msg)
					continue
				}
				w.last.Store(n)
			}
		}()
	}

	// The commune sends its monthly reports of 2024; the district approves
	// each, through the pages of either server.
	sender, approver := h.login("canbo.xa"), h.login("lanhdao.huyen")
	var sent, reopened int
	final := map[string]submission.Status{} // by period: the state the last acknowledged action left
	wg.Add(1)
	go func() {
		defer wg.Done()
		for m := 0; time.Now().Before(deadline); m++ {
			per := fmt.Sprintf("2024%02d", m%11+1)
			sender.base, approver.base = urls[m%2], urls[(m+1)%2]
			if final[per] == submission.Approved {
				// Reopened to correct, then sent and approved again.
				status, body := approver.post(decidePath("THANG", "07201", per, "reopen"), url.Values{"reason": {"Bổ sung tình hình"}})
				if status != http.StatusSeeOther {
					fail("reopen %s: %d\n%s", per, status, excerpt(body))
					continue
				}
				final[per] = submission.Returned
				reopened++
			}
			text := fmt.Sprintf("Tình hình ổn định, lần %d", m)
			status, body := sender.get(formPath("THANG", "07201", per))
			loaded := narrativeLoaded.FindStringSubmatch(body)
			if status != http.StatusOK || loaded == nil {
				fail("open %s: %d\n%s", per, status, excerpt(body))
				continue
			}
			status, body = sender.post(formPath("THANG", "07201", per), url.Values{"narrative": {text}, "narrative_loaded": {html.UnescapeString(loaded[1])}, "action": {"submit"}})
			if status != http.StatusSeeOther {
				fail("send %s: %d\n%s", per, status, excerpt(body))
				continue
			}
			final[per] = submission.Submitted
			sent++
			status, body = approver.post(decidePath("THANG", "07201", per, "approve"), url.Values{})
			if status != http.StatusSeeOther {
				fail("approve %s: %d\n%s", per, status, excerpt(body))
				continue
			}
			final[per] = submission.Approved
		}
	}()
	wg.Wait()
	stopJobs()
	jobsDone.Wait()

	// Nothing lost: each writer's last acknowledged figure is stored.
	for _, w := range writers {
		var got float64
		if err := s.DB.QueryRow(`SELECT v.value FROM data_values v JOIN data_elements e ON e.id = v.element_id JOIN units u ON u.id = v.unit_id
			WHERE e.code = 'CT1_CTV' AND v.period = '2024' AND u.code = $1`, w.commune).Scan(&got); err != nil || int64(got) != w.last.Load() {
			t.Errorf("commune %s: stored %v (%v), last acknowledged %d", w.commune, got, err, w.last.Load())
		}
	}
	commune, _ := s.UnitAt(ctx, "07201", "2024-06-30")
	prog, err := s.Program(ctx, "BG-CTHD-2019-2024")
	if err != nil {
		t.Fatal(err)
	}
	for per, want := range final {
		sub, err := s.Submission(ctx, prog.Code, "THANG", commune, period.MustParse(per))
		if err != nil || sub.Status != want {
			t.Errorf("report %s: %q, %v; the last acknowledged action left it %q", per, sub.Status, err, want)
		}
	}
	if err := s.VerifyRollups(ctx); err != nil {
		t.Errorf("roll-up after the load: %v", err)
	}
	// Each interval ran at most once (job_runs' key), and no run failed.
	// A run skipped because the previous one still held the job is the
	// advisory lock keeping two runs from overlapping; an interval no
	// server claimed is one in which both were busy, which a loaded
	// machine makes common: they are counted, and only a minute in which
	// most intervals ran nothing fails.
	for _, j := range jobs.Standard(s) {
		runs, err := s.JobRuns(ctx, j.Name, base)
		if err != nil {
			t.Fatal(err)
		}
		servers := map[string]int{}
		lastOf := map[string]int{} // each server's last run: the one stopping the jobs may cut short
		for i, r := range runs {
			lastOf[r.Server] = i
		}
		ran, skipped, unclaimed := 0, 0, int64(0)
		for i, r := range runs {
			servers[r.Server]++
			stopped := r.Error == store.JobStopped && lastOf[r.Server] == i
			switch {
			case r.Error == store.JobSkipped:
				skipped++
			case (r.Error == "" || stopped) && !r.FinishedAt.IsZero():
				ran++
			default:
				t.Errorf("job %s, interval %d on %s: finished %v, error %q", j.Name, r.Slot, r.Server, r.FinishedAt, r.Error)
			}
			if i > 0 {
				unclaimed += r.Slot - runs[i-1].Slot - 1
			}
		}
		// A lock never given back would leave every later run skipped.
		if intervals := len(runs) + int(unclaimed); ran < 15 || 2*(skipped+int(unclaimed)) > intervals {
			t.Errorf("job %s: %d of %d intervals ran (%d skipped, %d unclaimed)", j.Name, ran, intervals, skipped, unclaimed)
		}
		t.Logf("job %s: %d runs, by server %v; %d ran, %d skipped, %d intervals unclaimed", j.Name, len(runs), servers, ran, skipped, unclaimed)
	}
	total := int64(0)
	for _, w := range writers {
		total += w.last.Load()
	}
	t.Logf("%d figures written, %d reports sent and approved, %d reopened, in %v", total, sent, reopened, time.Since(start).Round(time.Second))
}
