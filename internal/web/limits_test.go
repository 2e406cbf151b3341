package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mattran/internal/store/storetest"
)

// A body over its limit is answered 413 with the limit, in Vietnamese,
// whether the browser said its length or not (issue 8, item 12): it was
// a 403 "Biểu mẫu đã hết hạn", since the CSRF token could not be read.
func TestBodyOverLimitIs413(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	c := h.login("canbo.xa")
	before := writes(t, h)

	big := url.Values{"csrf": {c.csrf}, "narrative": {strings.Repeat("x", 3<<20)}}.Encode()
	for _, chunked := range []bool{false, true} {
		var body io.Reader = strings.NewReader(big)
		if chunked {
			body = io.MultiReader(body) // hides the length: sent chunked
		}
		req, _ := http.NewRequest(http.MethodPost, h.URL+"/entry/BG-CTHD-2019-2024/NAM/07201/2024", body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		status, page := c.do(req)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(page, "quá lớn, giới hạn là 2 MB") {
			t.Errorf("a 3 MB form (chunked %v) = %d, want 413 naming the 2 MB limit\n%s", chunked, status, excerpt(page))
		}
	}

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	fw, _ := mw.CreateFormFile("file", "lon.xlsx")
	fw.Write(bytes.Repeat([]byte("PK"), 28<<20)) // 56 MB
	mw.Close()
	for _, chunked := range []bool{false, true} {
		var body io.Reader = bytes.NewReader(buf.Bytes())
		if chunked {
			body = io.MultiReader(body)
		}
		req, _ := http.NewRequest(http.MethodPost, h.URL+"/excel/upload?form=NAM&period=2023&unit=07201", body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		status, page := c.do(req)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(page, "quá lớn, giới hạn là 50 MB") {
			t.Errorf("a 56 MB upload (chunked %v) = %d, want 413 naming the 50 MB limit\n%s", chunked, status, excerpt(page))
		}
	}
	if after := writes(t, h); after != before {
		t.Errorf("refused bodies wrote: %v → %v", before, after)
	}
}

// writes counts audit entries and value changes.
func writes(t *testing.T, h *harness) [2]int {
	t.Helper()
	var a, v int
	if err := h.Store.DB.QueryRow(`SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM value_changes)`).Scan(&a, &v); err != nil {
		t.Fatal(err)
	}
	return [2]int{a, v}
}

// Every page carries a Content-Security-Policy that allows no script, a
// referrer policy, and HSTS behind a proxy that says the request came over
// TLS (issue 8, item 11).
func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	c := h.login("canbo.xa")
	for _, path := range []string{"/home", "/login", "/khong-co", "/"} {
		req, _ := http.NewRequest(http.MethodGet, h.URL+path, nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		hd := resp.Header
		csp := hd.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s: CSP %q, want default-src 'none' and no script source", path, csp)
		}
		for k, want := range map[string]string{
			"Referrer-Policy": "same-origin", "Strict-Transport-Security": "max-age=31536000",
			"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "X-Frame-Options": "DENY",
		} {
			if got := hd.Get(k); got != want {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, want)
			}
		}
	}
	// Over plain HTTP, no HSTS: the browser would ignore it anyway, and a
	// proxy that terminates nothing must not promise TLS.
	resp, err := http.Get(h.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("plain HTTP: Strict-Transport-Security = %q", got)
	}
}
