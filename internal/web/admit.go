package web

import (
	"net/http"
	"runtime"
)

// Admission of the pages computed from figures. On two cores, fifty
// requests at once share the processors evenly, so a page that needs
// 18 ms of CPU finishes after some 450 ms, and so does every other page
// started with it: the p99 of a cold server is the longest page stretched
// by everything running beside it. Admitted a few at a time, in the order
// they came, each page runs nearly alone and a request waits for the work
// ahead of it only, not for the work that came after it.

// admittedRoutes are the pages admitted: those whose body is computed
// from figures. Every other route (sign-in, forms, downloads) runs at
// once, as before.
var admittedRoutes = map[string]bool{
	"GET /{$}":             true,
	"GET /home":            true,
	"GET /home/children":   true,
	"GET /public/children": true,
}

// defaultAdmitSlots is how many admitted pages run at once: enough to
// keep every processor busy while some wait on the database or on
// another request's computation of the same page (the cache's
// singleflight). BENCH.md, "Round of 6/12/2026 04:45–06:00", measured
// 4 on two cores against none; 8 was no better than none.
func defaultAdmitSlots() int { return 2 * runtime.GOMAXPROCS(0) }

// admitter is the semaphore, made on first use. A buffered channel
// wakes the goroutines blocked on sending in the order they blocked, so
// the requests that wait are admitted first come, first served.
func (h *Web) admitter() chan struct{} {
	h.admitOnce.Do(func() {
		if h.admitSlots == 0 {
			h.admitSlots = defaultAdmitSlots()
		}
		if h.admitSlots > 0 {
			h.admit = make(chan struct{}, h.admitSlots)
		}
	})
	return h.admit
}

// admitted waits for a slot for r and returns its release, or reports
// false when r's client went away while it waited.
func (h *Web) admitted(r *http.Request) (release func(), ok bool) {
	slots := h.admitter()
	if slots == nil {
		return func() {}, true
	}
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, true
	case <-r.Context().Done():
		return nil, false
	}
}
