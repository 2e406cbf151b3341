package web_test

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"mattran/internal/imports"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/user"
	"mattran/internal/web"
)

// testPassword is every harness user's password.
const testPassword = "mat-khau-thu-nghiem"

// harnessUsers are the accounts of the harness, at the fixture's units:
// the province 24, its district 213 with communes 07201 and 07207, and a
// sibling district 215 (Yên Thế) with its commune 07243.
var harnessUsers = []struct {
	name string
	role user.Role
	unit string
}{
	{"admin.tinh", user.Admin, "24"},
	{"lanhdao.tinh", user.Leader, "24"},
	{"canbo.tinh", user.Officer, "24"},
	{"xem.tinh", user.Viewer, "24"},
	{"admin.huyen", user.Admin, "213"},
	{"lanhdao.huyen", user.Leader, "213"},
	{"canbo.huyen", user.Officer, "213"},
	{"lanhdao.huyen2", user.Leader, "215"},
	{"canbo.xa", user.Officer, "07201"},
	{"lanhdao.xa", user.Leader, "07201"},
	{"canbo.xa2", user.Officer, "07207"},
}

// harness is a server over the fixture (Bắc Giang before the reform, three
// residential areas, the seed program) with harnessUsers, its clock set by
// now.
type harness struct {
	t      testing.TB
	Store  *store.Store
	URL    string
	now    time.Time
	Import *imports.Queue // the server's import queue
}

func newHarness(t testing.TB, s *store.Store) *harness {
	t.Helper()
	storetest.Fixture(t, s)
	ctx := context.Background()
	for _, u := range harnessUsers {
		n, err := s.UnitAt(ctx, u.unit, "2024-06-30")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: u.name, FullName: "Người dùng " + u.name, Role: u.role, Unit: n, Password: testPassword}); err != nil {
			t.Fatal(err)
		}
	}
	// 09:00 UTC is 16:00 in Vietnam.
	h := &harness{t: t, Store: s, now: time.Date(2024, 12, 10, 9, 0, 0, 0, time.UTC), Import: &imports.Queue{}}
	s.Clock = func() time.Time { return h.now }
	mux := http.NewServeMux()
	(&web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Imports: h.Import, Sealer: testSealer}).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	h.URL = srv.URL
	return h
}

// client is a browser: cookies, and the CSRF token of the last page seen.
type client struct {
	t    testing.TB
	h    *harness
	http *http.Client
	csrf string
	base string // another server over the same database; the harness's when empty
}

// url is the address of path on the client's server.
func (c *client) url(path string) string {
	if c.base != "" {
		return c.base + path
	}
	return c.h.URL + path
}

// anonymous returns a browser that has not signed in.
func (h *harness) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: h.t, h: h, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login signs a harness user in and returns their browser.
func (h *harness) login(name string) *client {
	h.t.Helper()
	c := h.anonymous()
	c.get("/login")
	status, _ := c.post("/login", url.Values{"username": {name}, "password": {testPassword}})
	if status != http.StatusSeeOther {
		h.t.Fatalf("sign-in as %s: status %d", name, status)
	}
	c.get("/account/password") // any signed-in page, for the CSRF token
	if c.csrf == "" {
		h.t.Fatalf("sign-in as %s: no CSRF token on the page", name)
	}
	return c
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) (int, string) {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if m := csrfField.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	if loc := resp.Header.Get("Location"); loc != "" && len(b) == 0 {
		b = []byte("Location: " + loc)
	}
	return resp.StatusCode, string(b)
}

// get fetches a page; redirects are not followed, so a 303 says where to.
func (c *client) get(path string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.url(path), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post submits a form, with the CSRF token unless the form has one.
func (c *client) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	// A copy: the caller's values (often a package-level fixture shared
	// by the engines' subtests) must not keep this session's token.
	form = maps.Clone(form)
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, c.url(path), strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}
