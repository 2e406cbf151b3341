package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"mattran/internal/web"
)

// BenchmarkColdEach asks, one request at a time, for each page of
// BenchmarkColdPage at each of its units, each kind of page on emptied
// caches, and logs the mean CPU of a request by period (the old tree's
// 2024, the new tree's current year) and the eight dearest requests: what
// the cold benchmark's fifty clients queue behind, without the queue.
//
//	go test -run XXX -bench ColdEach -benchtime 1x -v ./internal/web/
func BenchmarkColdEach(b *testing.B) {
	f := newLoadFixture(b)
	pages := &web.Web{Store: f.store, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	mux := http.NewServeMux()
	pages.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{}
	for b.Loop() {
		for _, page := range coldPages[1:] {
			web.DropCaches(pages)
			type one struct {
				u   loadUnit
				cpu time.Duration
			}
			var all []one
			sum := map[string]time.Duration{}
			n := map[string]int{}
			for _, c := range f.codes {
				req, _ := http.NewRequest(http.MethodGet, srv.URL+fmt.Sprintf(page, c.code, c.period), nil)
				req.AddCookie(&http.Cookie{Name: "mattran_session", Value: f.tokens[0]})
				cpu := cpuTime()
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := cpuTime() - cpu
				all = append(all, one{c, d})
				sum[c.period] += d
				n[c.period]++
			}
			sort.Slice(all, func(i, j int) bool { return all[i].cpu > all[j].cpu })
			for p := range sum {
				b.Logf("%s, period %s: %d units, mean CPU %.2f ms a request", page, p, n[p], ms(sum[p])/float64(n[p]))
			}
			for _, o := range all[:8] {
				b.Logf("%s, unit %s %s: %.1f ms", page, o.u.code, o.u.period, ms(o.cpu))
			}
		}
	}
}
