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
