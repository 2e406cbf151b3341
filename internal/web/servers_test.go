package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/web"
)

// Two app servers over one database, as in production behind a load
// balancer: one warmed its pages at start, the other did not. A session
// made on one opens pages on the other; both serve the same pages; and a
// write through either shows on both at once.
func TestTwoServersShareSessionsAndData(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s) // the first server, with the users
		if err := storetest.ImportCSV(s, figures); err != nil {
			t.Fatal(err)
		}
		second := &web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		mux := http.NewServeMux()
		second.Register(mux)
		if err := second.Warm(context.Background()); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(mux)
		defer srv.Close()

		one := h.login("lanhdao.tinh")
		other := &client{t: t, h: &harness{t: t, Store: s, URL: srv.URL, now: h.now}, http: one.http}
		other.http.Jar.SetCookies(mustURL(t, srv.URL), one.http.Jar.Cookies(mustURL(t, h.URL)))
		for _, path := range []string{"/home?unit=213&period=2024", "/home/children?unit=24&period=2024", "/?unit=07201&period=2024", "/home?unit=24&period=2024"} {
			s1, a := one.get(path)
			s2, b := other.get(path)
			if s1 != 200 || s2 != 200 || a != b {
				t.Errorf("GET %s: %d and %d; the warmed server's page differs from the other's", path, s1, s2)
			}
		}
		// A write on one server shows on the other's next page.
		if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\nCT2_QUY_VNN,2024,24,51000000000\n"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []*client{one, other} {
			if _, page := c.get("/home?unit=24&period=2024"); !strings.Contains(page, "51 tỷ đồng") {
				t.Errorf("server %s does not show the new fund total", c.h.URL)
			}
		}
	})
}

func mustURL(t *testing.T, raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
