package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxPrepared bounds the statements kept: a query with an IN list has a
// text per length, and past the bound the rest are simply not kept.
const maxPrepared = 64

// preparedDB reads through statements prepared once, on SQLite: the
// driver parses and plans a query's text on every call (12 % of the cold
// pages' CPU, two fifths of their time in SQLite), and every page asks
// the same few queries: the data version several times, the session, its
// user, the unit asked for. pgx keeps its own statement cache, so on
// PostgreSQL this reads through s.DB as it is. It is only for reads;
// writes go through transactions, whose statements are their own.
type preparedDB struct{ s *Store }

// preparedStmts are the statements kept, by query text; database/sql
// prepares each on a pooled connection when first used there.
type preparedStmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// prepared is the store's reader through kept statements.
func (s *Store) prepared() preparedDB { return preparedDB{s} }

// stmt is the kept statement for query, or nil when it is not to be kept
// (PostgreSQL, the bound reached, a failed prepare: the caller then asks
// s.DB, which reports any error itself).
func (p preparedDB) stmt(ctx context.Context, query string) *sql.Stmt {
	if p.s.Engine != SQLite {
		return nil
	}
	c := &p.s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st
	}
	if len(c.m) >= maxPrepared {
		return nil
	}
	st, err := p.s.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st
}

func (p preparedDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.s.DB.QueryRowContext(ctx, query, args...)
}

func (p preparedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.s.DB.QueryContext(ctx, query, args...)
}

// ExecContext does not keep statements: preparedDB is for reads.
func (p preparedDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.s.DB.ExecContext(ctx, query, args...)
}

// close closes the kept statements.
func (c *preparedStmts) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}
