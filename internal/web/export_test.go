package web

import (
	"context"
	"net/http"

	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// SafeNext is safeNext, for the tests.
var SafeNext = safeNext

// Cached is cached, for the tests.
func Cached[T any](ctx context.Context, h *Web, key string, fn func() (T, error)) (T, error) {
	return cached(ctx, h, unit.Unit{}, key, fn)
}

// DropCaches empties h's caches, as a server just started has them: the
// cold-page benchmark asks for each kind of page cold on one server.
func DropCaches(h *Web) {
	h.cache.mu.Lock()
	defer h.cache.mu.Unlock()
	h.cache.entries, h.cache.inFlight, h.cache.bytes = nil, nil, 0
}

// ChildRowsBothWays builds the children table that r asks for, as reader
// sees it (nil: the public table), and writes its rows by RowsHTML and by
// the template that wrote them before (childRowsTemplate).
func ChildRowsBothWays(h *Web, r *http.Request, reader *user.User) (writer, byTemplate string, err error) {
	ctx := r.Context()
	var s *Session
	if reader != nil {
		s = &Session{Session: store.Session{User: *reader}}
	}
	sc, err := h.scopeOf(r, s, "", s == nil)
	if err != nil {
		return "", "", err
	}
	top := sc.unit
	if s != nil {
		top = s.User.Unit
	}
	q := r.URL.Query()
	page, err := h.childrenModel(ctx, sc, top, childrenAsk{target: q.Get("target"), sort: q.Get("sort"), dir: q.Get("dir"), public: s == nil, path: r.URL.Path})
	if err != nil {
		return "", "", err
	}
	byTemplate, err = rowsByTemplate(page)
	return string(page.RowsHTML()), byTemplate, err
}

// SetAdmission sets how many pages computed from figures run at once on
// h (admit.go), before its first request; n < 0: no admission.
func SetAdmission(h *Web, n int) { h.admitSlots = n }
