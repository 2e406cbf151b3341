package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"mattran/internal/store/storetest"
	"mattran/internal/web"
)

func TestScorecardPage(t *testing.T) {
	s := storetest.SQLite(t)
	storetest.Fixture(t, s)
	mux := http.NewServeMux()
	(&web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	code, page := get("/")
	if code != 200 {
		t.Fatalf("GET / = %d\n%s", code, page)
	}
	// The province, the last year of the term, and every target.
	for _, want := range []string{"Tỉnh Bắc Giang", "Năm 2024", "≥ 50 tỷ đồng", "≥ 90%", "Thiếu số liệu"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, c := range []string{"T1.1", "T1.4", "T2.1", "T2.8", "T3.1", "T3.9", "T4.1", "T5.1", "T5.3"} {
		if !strings.Contains(page, ">"+c+"<") {
			t.Errorf("the page lacks target %s", c)
		}
	}
	if n := strings.Count(page, `<td class="code">`); n != 25 {
		t.Errorf("the page lists %d targets, want 25", n)
	}

	code, page = get("/?unit=213&period=2024Q2")
	if code != 200 || !strings.Contains(page, "Thành phố Bắc Giang") || !strings.Contains(page, "Quý II/2024") {
		t.Errorf("district, quarter: %d", code)
	}
	code, page = get("/?unit=99999")
	if code != 404 || !strings.Contains(page, "không có đơn vị mã") {
		t.Errorf("unknown unit: %d\n%s", code, page)
	}
	code, page = get("/?period=2024Q7")
	if code != 400 || !strings.Contains(page, "quý phải từ 1 đến 4") {
		t.Errorf("bad period: %d\n%s", code, page)
	}
}
