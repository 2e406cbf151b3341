package web

import (
	"context"

	"mattran/internal/unit"
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
