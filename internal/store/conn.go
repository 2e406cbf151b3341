package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
)

// valuesLockKey serialises writers of data values on PostgreSQL. A write
// reads the stored values it replaces to keep the roll-up exact, so two
// writers must not interleave; SQLite gets the same from BEGIN IMMEDIATE.
const valuesLockKey = 7261002

// inWriteConn runs fn inside a transaction on one dedicated connection.
// database/sql's Tx cannot hand PostgreSQL's COPY the transaction it runs
// in, so bulk writes issue BEGIN and COMMIT themselves on a *sql.Conn and
// reach the driver through conn.Raw when they need COPY.
func (s *Store) inWriteConn(ctx context.Context, fn func(c *sql.Conn) error) error {
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	begin := "BEGIN"
	if s.Engine == SQLite {
		begin = "BEGIN IMMEDIATE"
	}
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		return err
	}
	fail := func(err error) error {
		// Roll back even when ctx is done; a connection that cannot roll
		// back is thrown away rather than returned to the pool mid-transaction.
		if _, rbErr := conn.ExecContext(context.Background(), "ROLLBACK"); rbErr != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		return err
	}
	if s.Engine == Postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, valuesLockKey); err != nil {
			return fail(err)
		}
	}
	if err := fn(conn); err != nil {
		return fail(err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fail(err)
	}
	return nil
}
