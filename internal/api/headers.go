package api

import "net/http"

// setHeaders sets the headers every API answer carries: JSON or CSV of
// someone's figures is never stored by a cache or proxy, never sniffed
// into HTML, never framed, and never sends its address on; HSTS once the
// request came over TLS (directly, or through a proxy that says so).
func setHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}
