package store

import "context"

// Keys of the advisory locks that keep a background job to one server.
const (
	jobDueCounts int64 = 7261002
)

// runExclusive runs fn unless another server is running the same job:
// several app servers share one PostgreSQL, and a background job should
// run on one of them at a time. ran is false when another held the job.
// SQLite has one server by construction.
func (s *Store) runExclusive(ctx context.Context, key int64, fn func() error) (ran bool, err error) {
	if s.Engine != Postgres {
		return true, fn()
	}
	c, err := s.DB.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer c.Close()
	var got bool
	if err := c.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil || !got {
		return false, err
	}
	// The unlock must use the same session, and must run even if ctx ended.
	defer c.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key)
	return true, fn()
}
