package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"mattran/internal/api"
	"mattran/internal/clock"
	"mattran/internal/imports"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/user"
	"mattran/internal/value"
)

// queueServer is server's API over a queue the test holds.
func queueServer(t *testing.T, s *store.Store) (*httptest.Server, map[string]string, *imports.Queue) {
	t.Helper()
	ctx := context.Background()
	storetest.Fixture(t, s)
	tokens := map[string]string{}
	for _, u := range []struct {
		name string
		role user.Role
		unit string
	}{{"admin", user.Admin, "TW"}, {"officer.district", user.Officer, "213"}, {"officer.commune", user.Officer, "07201"}} {
		unit, err := s.UnitAt(ctx, u.unit, "2024-12-31")
		if err != nil {
			t.Fatal(err)
		}
		created, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: u.name, Role: u.role, Unit: unit, Password: "mat-khau-thu-nghiem"})
		if err != nil {
			t.Fatal(err)
		}
		if tokens[u.name], err = s.CreateToken(ctx, storetest.Actor, created, "test"); err != nil {
			t.Fatal(err)
		}
	}
	s.Clock = clock.Fixed(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	q := &imports.Queue{}
	mux := http.NewServeMux()
	(&api.API{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Imports: q}).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, tokens, q
}

// hold puts a job in the queue that runs until the returned func is
// called: the server is busy writing someone's file.
func hold(t *testing.T, q *imports.Queue) func() {
	t.Helper()
	release := make(chan struct{})
	if _, err := q.Submit(context.Background(), -1, "test", "", func(ctx context.Context) (value.Summary, error) {
		<-release
		return value.Summary{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	return func() { once.Do(func() { close(release) }) }
}

// communeRows is a CSV of CT1_CTV for every commune of district 213 in the
// given year.
func communeRows(t *testing.T, s *store.Store, year int, value int) string {
	t.Helper()
	rows, err := s.DB.Query(`SELECT code FROM units WHERE kind = 'commune' AND path LIKE (SELECT path FROM units WHERE code = '213') || '%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("dataelement,period,orgunit,value\n")
	for rows.Next() {
		var code string
		rows.Scan(&code)
		fmt.Fprintf(&b, "CT1_CTV,%d,%s,%d\n", year, code, value)
	}
	return b.String()
}

func post(t *testing.T, srv *httptest.Server, token, path, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// Imports queue one behind another, with their place said, instead of
// failing (issue 8, item 2); what can be refused cheaply is refused at
// once, without waiting for the one being written.
func TestImportQueue(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv, tokens, q := queueServer(t, s)
		release := hold(t, q)
		defer release()

		// Refused at once while the queue is busy: every value outside the
		// sender's subtree, and too many values.
		start := time.Now()
		resp, body := post(t, srv, tokens["officer.commune"], "/api/v1/dataValueSets", "dataelement,period,orgunit,value\nCT1_CTV,2024,07207,5\nCT1_CTV,2024,215,5\n")
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "ngoài phạm vi") || !strings.Contains(body, "dòng 2") {
			t.Errorf("a file all outside the sender's scope = %d %s", resp.StatusCode, body)
		}
		var big bytes.Buffer
		big.WriteString("dataelement,period,orgunit,value\n")
		for range 1_000_001 {
			big.WriteString("CT1_CTV,2024,07201,1\n")
		}
		resp, body = post(t, srv, tokens["officer.commune"], "/api/v1/dataValueSets", big.String())
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "hơn 1.000.000 giá trị") {
			t.Errorf("a file of 1.000.001 values = %d %s", resp.StatusCode, body)
		}
		if q.Length() != 1 {
			t.Errorf("refused files were queued: %d in the queue", q.Length())
		}
		t.Logf("two refusals while another import ran: %v", time.Since(start).Round(time.Millisecond))

		// Queued: asynchronously, with its place; synchronously, waiting.
		resp, body = post(t, srv, tokens["officer.district"], "/api/v1/dataValueSets?async=true", communeRows(t, s, 2023, 7))
		var job struct {
			ID       string `json:"id"`
			Status   string `json:"status"`
			Position int    `json:"position"`
		}
		json.Unmarshal([]byte(body), &job)
		if resp.StatusCode != http.StatusAccepted || job.Status != "waiting" || job.Position != 1 || resp.Header.Get("Location") != "/api/v1/imports/"+job.ID || resp.Header.Get("X-Import-Queue-Position") != "1" {
			t.Fatalf("async import = %d %v %s", resp.StatusCode, resp.Header, body)
		}
		type answer struct {
			resp *http.Response
			body string
		}
		done := make(chan answer)
		go func() {
			resp, body := post(t, srv, tokens["officer.district"], "/api/v1/dataValueSets", communeRows(t, s, 2024, 9))
			done <- answer{resp, body}
		}()
		for q.Length() < 3 {
			time.Sleep(10 * time.Millisecond)
		}
		// The sender's share is two: a third waits nowhere.
		resp, body = post(t, srv, tokens["officer.district"], "/api/v1/dataValueSets", communeRows(t, s, 2022, 1))
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "đang chờ") {
			t.Errorf("a third file from one sender = %d %s", resp.StatusCode, body)
		}
		status := func() string {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/imports/"+job.ID, nil)
			req.Header.Set("Authorization", "Bearer "+tokens["officer.district"])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return string(b)
		}
		if st := status(); !strings.Contains(st, `"status": "waiting"`) || !strings.Contains(st, `"position": 1`) {
			t.Errorf("GET the waiting import: %s", st)
		}
		if code, _ := call(t, srv, tokens["officer.commune"], "GET", "/api/v1/imports/"+job.ID, "", ""); code != http.StatusNotFound {
			t.Errorf("another user reads the import's state: %d", code)
		}

		release()
		a := <-done
		if a.resp.StatusCode != http.StatusOK || a.resp.Header.Get("X-Import-Queue-Position") != "2" || !strings.Contains(a.body, `"position": 2`) {
			t.Errorf("the waiting import = %d %v\n%s", a.resp.StatusCode, a.resp.Header, a.body)
		}
		for !strings.Contains(status(), `"done"`) {
			time.Sleep(10 * time.Millisecond)
		}
		if st := status(); !strings.Contains(st, `"imported"`) {
			t.Errorf("GET the finished import: %s", st)
		}
	})
}

// A body that says it is over the limit is refused before it is read.
func TestImportDeclaredTooLarge(t *testing.T) {
	srv, tokens, _ := queueServer(t, storetest.SQLite(t))
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/dataValueSets", io.LimitReader(zeros{}, 300<<20))
	req.ContentLength = 300 << 20
	req.Header.Set("Authorization", "Bearer "+tokens["officer.commune"])
	req.Header.Set("Content-Type", "text/csv")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("a 300 MB body: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "giới hạn là 256 MB") {
		t.Errorf("a 300 MB body = %d %s", resp.StatusCode, b)
	}
	t.Logf("refused in %v", time.Since(start).Round(time.Millisecond))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}
