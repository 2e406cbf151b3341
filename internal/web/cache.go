package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"runtime/debug"

	"mattran/internal/errs"
	"mattran/internal/evaluation"
	"sync"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
)

// The cache's bounds: entries, and bytes of what they hold (sizeOf): the
// rendered pages (a province's home page is 51 KB), and the readings,
// scorecards and unit lists they are made from. Warm fills about 800
// entries and 35 MB of pages for a province of 200 communes. Past either
// bound the cache starts over, which costs a few recomputations, not
// memory. Before the readings were counted, 2,000 views of the national
// data set left 86 MB of cached readings beside 48 MB of pages (BENCH.md).
const (
	maxCached      = 2000
	maxCachedBytes = 64 << 20
)

// sized is a cached value that says about how much memory it holds.
type sized interface{ cacheBytes() int }

// sizeOf is about the memory a cached value holds: exact for a page,
// estimated from the counts of what it holds for the rest (a unit is
// some 200 bytes with its strings), and a nominal 1 KB for small values.
func sizeOf(v any) int {
	const unitBytes = 200
	switch x := v.(type) {
	case sized:
		return x.cacheBytes()
	case *evaluation.Board:
		return 1024 + 2048*len(x.Sheets) + 512*len(x.Clusters)
	case template.HTML:
		return len(x)
	case *rollup.Readings:
		return x.Bytes()
	case *rollup.Card:
		n := 1024
		for _, t := range x.Targets {
			n += 512 + (unitBytes+120)*len(t.Coverage.Below)
		}
		return n
	case []unit.Unit:
		return unitBytes * len(x)
	case *unit.Lineage:
		return unitBytes * (len(x.Units) + len(x.Next) + len(x.Prev))
	}
	return 1024
}

// cache keeps computed results (scorecards, trends, page bodies) while
// the data they show stays the same. A result about a unit is good while
// the store's global version and the unit's version read as they did when
// it was made (store.Version): a write raises them in its own transaction,
// so a cached result is never older than the data, on this server or
// another one sharing the database. All that is shared is the counters.
type cache struct {
	mu       sync.Mutex
	bytes    int // what the entries hold (sizeOf)
	global   int64
	entries  map[string]cacheEntry
	inFlight map[string]*call
}

type cacheEntry struct {
	val  any
	unit int64 // the scope unit's version it was made at
	size int   // sizeOf(val)
}

// call is a computation under way: 50 clients asking for the province's
// page right after a write wait for one computation, not fifty.
type call struct {
	done chan struct{}
	val  any
	err  error
}

// cached returns fn's result for key, computing it at most once while the
// data of scope's subtree stays the same. The key must name everything
// else the result depends on (program, period, units…); scope is the unit
// whose subtree's figures it reads, or the zero unit for results that read
// no figures (programs).
func cached[T any](ctx context.Context, h *Web, scope unit.Unit, key string, fn func() (T, error)) (T, error) {
	var zero T
	v, err := h.Store.DataVersion(ctx, scope)
	if err != nil {
		return zero, err
	}
	name := key
	key = fmt.Sprintf("%s@%d", key, scope.ID)
	c := &h.cache
	c.mu.Lock()
	if c.global != v.Global || c.entries == nil || len(c.entries) >= maxCached || c.bytes > maxCachedBytes {
		c.global, c.entries, c.inFlight, c.bytes = v.Global, map[string]cacheEntry{}, map[string]*call{}, 0
	}
	if e, ok := c.entries[key]; ok && e.unit == v.Unit {
		c.mu.Unlock()
		return e.val.(T), nil
	}
	flight := fmt.Sprintf("%s#%d", key, v.Unit)
	if cl, ok := c.inFlight[flight]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
		case <-ctx.Done():
			return zero, ctx.Err()
		}
		if cl.err != nil {
			// The computing request's browser went away and took the
			// computation with it: this one is still wanted, so it
			// computes for itself rather than failing too.
			if ctx.Err() == nil && (errors.Is(cl.err, context.Canceled) || errors.Is(cl.err, context.DeadlineExceeded)) {
				return cached(ctx, h, scope, name, fn)
			}
			return zero, cl.err
		}
		return cl.val.(T), nil
	}
	cl := &call{done: make(chan struct{})}
	c.inFlight[flight] = cl
	c.mu.Unlock()

	// A panic in fn must not leave the waiters waiting forever: it becomes
	// this request's (internal, logged) error, and theirs.
	val, err := func() (val T, err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("computing %s: panic: %v\n%s", name, p, debug.Stack())
			}
		}()
		return fn()
	}()
	cl.val, cl.err = val, err
	// Out of the in-flight list before the waiters wake, so one that
	// computes again (see above) starts a computation of its own.
	defer close(cl.done)
	size := 0
	if err == nil {
		size = sizeOf(val) // before the lock: a national set of readings is a long walk
	}
	c.mu.Lock()
	if c.global == v.Global {
		delete(c.inFlight, flight)
		// A value of more than a quarter of the bound is not kept: it
		// would empty the cache for itself.
		if err == nil && size <= maxCachedBytes/4 {
			if old, ok := c.entries[key]; ok {
				c.bytes -= old.size
			}
			c.entries[key] = cacheEntry{val: val, unit: v.Unit, size: size}
			c.bytes += size
		}
	}
	c.mu.Unlock()
	return val, err
}

// card is the scorecard of a program at a unit for a period, cached: read
// from the kept evaluations when the program and period are kept (its
// coverages then list no units), else computed from the values. Callers
// must not change it: it is shared.
func (h *Web) card(ctx context.Context, prog *program.Program, u unit.Unit, p period.Period) (*rollup.Card, error) {
	key := fmt.Sprintf("card|%s|%d|%s", prog.Code, u.ID, p)
	return cached(ctx, h, u, key, func() (*rollup.Card, error) {
		if card, ok, err := h.Store.KeptCard(ctx, prog, u, p); err != nil || ok {
			return card, err
		}
		return rollup.Scorecard(ctx, h.source(), prog, u, p)
	})
}

// cardBelow is the scorecard with each coverage's units (Coverage.Below),
// which the children table reads, computed from the values.
func (h *Web) cardBelow(ctx context.Context, prog *program.Program, u unit.Unit, p period.Period) (*rollup.Card, error) {
	if readsAcross(u, p) {
		card, _, err := h.cardOf(ctx, prog, u, p)
		return card, err
	}
	key := fmt.Sprintf("cardbelow|%s|%d|%s", prog.Code, u.ID, p)
	return cached(ctx, h, u, key, func() (*rollup.Card, error) {
		return rollup.Scorecard(ctx, h.source(), prog, u, p)
	})
}

// programs lists the stored programs, cached: each is a JSON document that
// costs more to decode than the rest of a page.
func (h *Web) programs(ctx context.Context) ([]*program.Program, error) {
	return cached(ctx, h, unit.Unit{}, "programs", func() ([]*program.Program, error) { return h.Store.Programs(ctx) })
}

// program returns the stored program with the code, cached.
func (h *Web) program(ctx context.Context, code string) (*program.Program, error) {
	return cached(ctx, h, unit.Unit{}, "program|"+code, func() (*program.Program, error) { return h.Store.Program(ctx, code) })
}

// reportingPrograms are the programs reports are sent under: those no
// unit derived from another. A derived program shares its parent's forms
// and figures, so its units report under the parent's, once.
func (h *Web) reportingPrograms(ctx context.Context) ([]*program.Program, error) {
	progs, err := h.programs(ctx)
	if err != nil {
		return nil, err
	}
	var out []*program.Program
	for _, p := range progs {
		if !p.Derived() {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, errs.New(errs.NotFound, "Chưa có chương trình nào.")
	}
	return out, nil
}

// reportingProgram returns the program with the code, if reports are sent
// under it.
func (h *Web) reportingProgram(ctx context.Context, code string) (*program.Program, error) {
	p, err := h.program(ctx, code)
	if err != nil {
		return nil, err
	}
	if p.Derived() {
		return nil, errs.New(errs.Invalid, "Chương trình %s là chương trình cụ thể hóa của một đơn vị; báo cáo định kỳ được nộp theo chương trình %s.", p.Code, p.Parent)
	}
	return p, nil
}
