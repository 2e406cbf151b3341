package api_test

import (
	"net/http"
	"testing"

	"mattran/internal/store/storetest"
)

// API answers, errors included, are never cached or sniffed (issue 8,
// item 11), and carry HSTS behind a proxy that says TLS.
func TestAPIHeaders(t *testing.T) {
	srv, tokens := server(t, storetest.SQLite(t))
	for _, c := range []struct{ token, path string }{
		{tokens["admin"], "/api/v1/me"},
		{"", "/api/v1/me"}, // 401
		{tokens["admin"], "/api/v1/units/khong-co"},
		{"", "/healthz"},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+c.path, nil)
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		req.Header.Set("X-Forwarded-Proto", "https")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for k, want := range map[string]string{
			"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
			"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'", "Strict-Transport-Security": "max-age=31536000",
		} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("GET %s (%d): %s = %q, want %q", c.path, resp.StatusCode, k, got, want)
			}
		}
	}
}
