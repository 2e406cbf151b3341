package web

import "net/http"

// pagePolicy is the Content-Security-Policy of every page. The pages run
// no script at all, so none is allowed (default-src 'none' covers
// script-src), nor frames, plugins, fonts or connections; forms post only
// here. Styles are allowed inline ('unsafe-inline' for style-src only):
// every page carries its own <style> block and the progress bars set
// their width in a style attribute, and a CSP hash cannot cover a style
// attribute. Inline CSS runs no script in any browser we serve, and
// html/template escapes every value written into a page, so no one can
// inject a style either; moving each page's styles into one stylesheet
// would touch every template for no protection the escaping does not
// already give.
const pagePolicy = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// setPageHeaders sets the headers every page answers with: never cached
// (pages change with every write), never framed, never sniffed, the CSP
// above, the address sent only to this site, and HSTS once the request
// came over TLS.
func setPageHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", pagePolicy)
	// The error page's "back" link reads the referring page of this site.
	h.Set("Referrer-Policy", "same-origin")
	if overTLS(r) {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// overTLS reports whether the request came over TLS, directly or through
// a proxy that says so. Trusting the proxy's word is safe for what it
// decides: a Secure cookie and HSTS sent to a plain-HTTP client only make
// that client stricter.
func overTLS(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}
