package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mattran/internal/demo"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// TestLoadParallelImports: the run that failed before (issue 8, item 2).
// Three large files are posted to the API at once while a commune officer
// keeps saving the yearly form on the web and readers read: on SQLite, the
// second of three parallel imports used to fail with SQLITE_BUSY (a 500)
// and the officer's saves waited up to 15 s. Now the files queue (places
// 0, 1, 2), every one is written, every save succeeds, nothing answers 500.
//
//	MATTRAN_FAULTS=1 go test -run TestLoadParallelImports -v ./cmd/mattran/
func TestLoadParallelImports(t *testing.T) {
	faultsWanted(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "mattran.db")
	s, err := createStore(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const password = "mat-khau-tai-thu"
	if _, err := demo.Load(ctx, s, password); err != nil {
		t.Fatal(err)
	}
	// Three senders: the queue takes two files of one sender at a time.
	province, _ := s.UnitAt(ctx, demo.Province, "2024-12-31")
	var tokens []string
	for i := range 3 {
		u, err := s.CreateUser(ctx, cliActor(), store.NewUser{Username: fmt.Sprintf("tai.%d", i), FullName: "Tải thử", Role: user.Admin, Unit: province, Password: password})
		if err != nil {
			t.Fatal(err)
		}
		token, err := s.CreateToken(ctx, cliActor(), u, "tải thử")
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, token)
	}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, s, "127.0.0.1:0", io.Discard, io.Discard, func(addr string) { ready <- addr })
	}()
	base := "http://" + <-ready
	defer func() { cancel(); <-done }()

	// Three files: every residential area's wholes (households, …) for a
	// year with no figures yet, a million each so no stored part exceeds.
	p, err := s.Program(ctx, "BG-CTHD-2019-2024")
	if err != nil {
		t.Fatal(err)
	}
	var wholes []string
	for _, e := range p.DataElements {
		if e.CollectedAtKind(unit.ResidentialArea) && e.Denominator == "" && e.ValueType == program.Integer && e.PeriodType == "yearly" &&
			slices.ContainsFunc(p.DataElements, func(o program.DataElement) bool { return o.Denominator == e.Code }) {
			wholes = append(wholes, e.Code)
		}
	}
	rows, err := s.DB.Query(`SELECT code FROM units WHERE kind = 'residential_area'`)
	if err != nil {
		t.Fatal(err)
	}
	var areas []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		areas = append(areas, c)
	}
	rows.Close()
	files := map[string]string{}
	for _, year := range []string{"2019", "2025", "2026"} {
		var b strings.Builder
		b.WriteString("dataelement,period,orgunit,value\n")
		for _, a := range areas {
			for _, e := range wholes {
				fmt.Fprintf(&b, "%s,%s,%s,1000000\n", e, year, a)
			}
		}
		files[year] = b.String()
	}
	perFile := len(areas) * len(wholes)

	// The officer, signed in on the web.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	get := func(path string) string {
		resp, err := browser.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	page := get("/login")
	resp, err := browser.PostForm(base+"/login", url.Values{"username": {"canbo.xa"}, "password": {password}, "csrf": {csrf.FindStringSubmatch(page)[1]}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %v %v", err, resp)
	}
	resp.Body.Close()

	var mu sync.Mutex
	var saves []time.Duration
	saveStatus := map[int]int{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the officer saves the commune's own figure, again and again
		defer wg.Done()
		const form = "/entry/BG-CTHD-2019-2024/NAM/07201/2019"
		loaded := regexp.MustCompile(`name="o:CT1_CTV:07201" value="([^"]*)"`)
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			page := get(form)
			m, c := loaded.FindStringSubmatch(page), csrf.FindStringSubmatch(page)
			if m == nil || c == nil {
				t.Errorf("the form has no CT1_CTV field or token")
				return
			}
			start := time.Now()
			resp, err := browser.PostForm(base+form, url.Values{"csrf": {c[1]}, "action": {"save"}, "v:CT1_CTV:07201": {strconv.Itoa(i)}, "o:CT1_CTV:07201": {html.UnescapeString(m[1])}})
			took := time.Since(start)
			mu.Lock()
			if err != nil {
				saveStatus[0]++
			} else {
				resp.Body.Close()
				saveStatus[resp.StatusCode]++
				saves = append(saves, took)
			}
			mu.Unlock()
			time.Sleep(200 * time.Millisecond)
		}
	}()

	type result struct {
		year, place string
		status      int
		took        time.Duration
		body        string
	}
	results := make(chan result, 3)
	start := time.Now()
	i := 0
	for year, body := range files {
		token := tokens[i]
		i++
		go func() {
			req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/dataValueSets", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "text/csv")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				results <- result{year: year, body: err.Error()}
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			results <- result{year, resp.Header.Get("X-Import-Queue-Position"), resp.StatusCode, time.Since(start), string(b)}
		}()
	}
	var places []string
	for range 3 {
		r := <-results
		if r.status != http.StatusOK {
			t.Errorf("the import of %s answered %d: %.300s", r.year, r.status, r.body)
		}
		places = append(places, r.place)
		t.Logf("file %s (%d values): place %s, answered %d after %v", r.year, perFile, r.place, r.status, r.took.Round(time.Millisecond))
	}
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()
	slices.Sort(places)
	if strings.Join(places, ",") != "0,1,2" {
		t.Errorf("places in the queue %v, want 0, 1, 2", places)
	}
	var n int
	s.DB.QueryRow(`SELECT count(*) FROM data_values WHERE period IN ('2019', '2025', '2026') AND unit_path IN (SELECT path FROM units WHERE kind = 'residential_area')`).Scan(&n)
	if n != 3*perFile {
		t.Errorf("%d values stored of the three files' %d", n, 3*perFile)
	}
	slices.Sort(saves)
	if saveStatus[http.StatusSeeOther] != len(saves) || len(saves) == 0 {
		t.Errorf("form saves by status %v", saveStatus)
	}
	if len(saves) > 0 {
		t.Logf("%d form saves meanwhile, all stored: median %v, slowest %v", len(saves), saves[len(saves)/2].Round(time.Millisecond), saves[len(saves)-1].Round(time.Millisecond))
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	if err := s.VerifyRollups(ctx); err != nil {
		t.Error(err)
	}
}
