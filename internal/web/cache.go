package web

import (
	"context"
	"fmt"
	"sync"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
)

// maxCached bounds the cache: a province's pages for a few periods, with
// room to spare, in a few megabytes.
const maxCached = 2000

// cache keeps computed results (scorecards, trends) while the store's data
// version stays the same. Any write raises the version in its own
// transaction, so a cached result is never older than the data, on this
// server or another one sharing the database; all that is shared is the
// counter in the database.
type cache struct {
	mu       sync.Mutex
	version  int64
	entries  map[string]any
	inFlight map[string]*call
}

// call is a computation under way: 50 clients asking for the province's
// page right after a write wait for one computation, not fifty.
type call struct {
	done chan struct{}
	val  any
	err  error
}

// cached returns fn's result for key at the current data version,
// computing it at most once per version.
func cached[T any](ctx context.Context, h *Web, key string, fn func() (T, error)) (T, error) {
	var zero T
	version, err := h.Store.DataVersion(ctx)
	if err != nil {
		return zero, err
	}
	c := &h.cache
	c.mu.Lock()
	if c.version != version || c.entries == nil {
		c.version, c.entries, c.inFlight = version, map[string]any{}, map[string]*call{}
	}
	if v, ok := c.entries[key]; ok {
		c.mu.Unlock()
		return v.(T), nil
	}
	if cl, ok := c.inFlight[key]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
		case <-ctx.Done():
			return zero, ctx.Err()
		}
		if cl.err != nil {
			return zero, cl.err
		}
		return cl.val.(T), nil
	}
	cl := &call{done: make(chan struct{})}
	c.inFlight[key] = cl
	c.mu.Unlock()

	v, err := fn()
	cl.val, cl.err = v, err
	close(cl.done)
	c.mu.Lock()
	if c.version == version {
		delete(c.inFlight, key)
		if err == nil && len(c.entries) < maxCached {
			c.entries[key] = v
		}
	}
	c.mu.Unlock()
	return v, err
}

// card is the scorecard of a program at a unit for a period, cached.
// Callers must not change it: it is shared.
func (h *Web) card(ctx context.Context, prog *program.Program, u unit.Unit, p period.Period) (*rollup.Card, error) {
	key := fmt.Sprintf("card|%s|%d|%s", prog.Code, u.ID, p)
	return cached(ctx, h, key, func() (*rollup.Card, error) {
		return rollup.Scorecard(ctx, h.Store, prog, u, p)
	})
}

// programs lists the stored programs, cached: each is a JSON document that
// costs more to decode than the rest of a page.
func (h *Web) programs(ctx context.Context) ([]*program.Program, error) {
	return cached(ctx, h, "programs", func() ([]*program.Program, error) { return h.Store.Programs(ctx) })
}

// program returns the stored program with the code, cached.
func (h *Web) program(ctx context.Context, code string) (*program.Program, error) {
	return cached(ctx, h, "program|"+code, func() (*program.Program, error) { return h.Store.Program(ctx, code) })
}
