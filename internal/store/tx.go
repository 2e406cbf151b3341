package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"time"

	"mattran/internal/audit"
	"mattran/internal/unit"
)

// Tx is the kernel every write goes through: one transaction in which a
// module writes its rows, audits them (Audit), writes the figures it
// derives (WriteDerived) and names the cached pages the change makes stale
// (Stale). Nothing else is implied: a write that names no pages leaves
// every cached page as it is, and one that writes no audit entry has none.
//
// A module's SQL lives in a file of this package (casework.go, fund.go, …)
// as methods on *Tx, which the module's own package asks for through an
// interface of its own; the module's package holds its rules and holds no
// SQL. See the README's "Project structure" for a worked example.
type Tx struct {
	s          *Store
	c          *sql.Conn
	now        time.Time
	stale      pageSet
	evals      evalTouch                 // the kept target evaluations to refresh (evals.go)
	raised     raisedTouch               // the units and years whose T2.1 figure the ledger rewrites (fund_figures.go)
	households householdTouch            // the registers whose T2.2 and T2.3 figures the ledger rewrites (fund_households.go)
	bigCache   bool                      // the connection's page cache was enlarged for a bank statement import (fund.go)
	stmts      map[insertKey]driver.Stmt // SQLite statements prepared once for the transaction (fund.go: the ledger's single-row INSERTs)
}

// WithTx runs fn as one unit of work: everything fn writes commits
// together, or nothing does if fn returns an error. Writers run one at a
// time (SQLite's write lock from BEGIN IMMEDIATE; an advisory lock on
// PostgreSQL), because a write of figures reads the stored figures it
// replaces to keep the roll-up exact. The pages fn named stale are marked
// so just before the commit, in the same transaction, so every server
// sees them stale from the moment the change is visible.
func (s *Store) WithTx(ctx context.Context, fn func(tx *Tx) error) error {
	dropped := false
	var tx *Tx
	// The import's page cache and prepared statements are given back after
	// the COMMIT or ROLLBACK: a failure to give them back then discards the
	// connection without undoing a write that succeeded.
	release := func(*sql.Conn) {
		if tx != nil {
			tx.release()
		}
	}
	err := s.inWriteConn(ctx, func(c *sql.Conn) error {
		tx = &Tx{s: s, c: c, now: s.now()}
		defer func() { dropped = tx.evals.dropped }()
		if err := fn(tx); err != nil {
			return err
		}
		if err := tx.finishRaised(ctx); err != nil {
			return fmt.Errorf("ghi số tiền vận động từ sổ quỹ: %w", err)
		}
		if err := tx.finishHouseholds(ctx); err != nil {
			return fmt.Errorf("ghi số hộ nghèo, hộ khó khăn từ sổ quỹ: %w", err)
		}
		if err := tx.finishEvals(ctx); err != nil {
			return fmt.Errorf("giữ đánh giá chỉ tiêu: %w", err)
		}
		return tx.stale.mark(ctx, c)
	}, release)
	if err == nil && dropped {
		s.wantEvals()
	}
	return err
}

// Now is the transaction's clock reading: every row and audit entry it
// writes carries the same instant.
func (tx *Tx) Now() time.Time { return tx.now }

// Engine is the database engine, for the few methods that differ by engine.
func (tx *Tx) Engine() Engine { return tx.s.Engine }

// Audit records one change in the audit log: who, what (action, entity,
// key), and the before and after as JSON (nil for a creation or a
// deletion). It is written in the change's own transaction, so a change
// cannot commit without its record.
func (tx *Tx) Audit(ctx context.Context, a audit.Actor, action, entity, key string, before, after any) error {
	return writeAudit(ctx, tx.c, a, tx.now, action, entity, key, before, after)
}

// Pages names cached pages a change makes stale. The zero Pages names none.
type Pages struct {
	all    bool
	units  []unit.Unit
	groups []string
}

// AllPages: every cached page of every unit (programs, units, thresholds:
// what any page may show).
var AllPages = Pages{all: true}

// UnitPages: the pages about these units and every unit above them, which
// add up their figures.
func UnitPages(us ...unit.Unit) Pages { return Pages{units: us} }

// PageGroup: the pages a module caches under a name of its own (the public
// fund ledger, say), read back with PageGroupVersion.
func PageGroup(name string) Pages { return Pages{groups: []string{name}} }

// Stale says that the change makes these pages stale.
func (tx *Tx) Stale(p Pages) {
	if p.all {
		// Programs, units or thresholds changed: every kept evaluation may.
		tx.stale.all, tx.evals.reset = true, true
	}
	for _, u := range p.units {
		tx.stale.addPath(u.Path)
	}
	for _, g := range p.groups {
		if !slices.Contains(tx.stale.groups, g) {
			tx.stale.groups = append(tx.stale.groups, g)
		}
	}
}

// exec, query and queryRow run the store's SQL inside the transaction.
func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.c.ExecContext(ctx, query, args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.c.QueryRowContext(ctx, query, args...)
}

// pageSet is what a transaction marks stale when it commits.
type pageSet struct {
	all    bool
	ids    map[int64]bool // units whose versions rise: the written ones and their ancestors
	groups []string
}

// MaxScopedBump is the most units whose versions one write raises; a
// write touching more (a whole province's file) raises the global version
// instead, which costs one row and invalidates every cached page. Below
// it, a write of 1,000 values in 500 areas raises its ~600 units (areas,
// their communes and above) in a few multi-row statements, and the pages
// of the other communes, and of other years' trees, stay cached.
var MaxScopedBump = 4000

func (ps *pageSet) addPath(path string) {
	if ps.all {
		return
	}
	if ps.ids == nil {
		ps.ids = map[int64]bool{}
	}
	for _, id := range unit.PathIDs(path) {
		ps.ids[id] = true
	}
	if len(ps.ids) > MaxScopedBump {
		ps.all, ps.ids = true, nil
	}
}

// bumpChunk is how many units' versions one statement raises.
const bumpChunk = 500

// mark raises the versions. Units are raised in id order and groups in
// name order, one order for every writer (writers are serialised anyway;
// the order keeps it so should that change).
func (ps *pageSet) mark(ctx context.Context, q queryer) error {
	if ps.all {
		if _, err := q.ExecContext(ctx, `UPDATE data_version SET n = n + 1 WHERE id = 1`); err != nil {
			return err
		}
	} else {
		ids := make([]int64, 0, len(ps.ids))
		for id := range ps.ids {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for start := 0; start < len(ids); start += bumpChunk {
			part := ids[start:min(start+bumpChunk, len(ids))]
			var b strings.Builder
			args := make([]any, len(part))
			for i, id := range part {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "($%d, 1)", i+1)
				args[i] = id
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO unit_versions (unit_id, n) VALUES `+b.String()+`
				ON CONFLICT (unit_id) DO UPDATE SET n = unit_versions.n + 1`, args...); err != nil {
				return err
			}
		}
	}
	slices.Sort(ps.groups)
	for _, g := range ps.groups {
		if _, err := q.ExecContext(ctx, `INSERT INTO page_versions (name, n) VALUES ($1, 1)
			ON CONFLICT (name) DO UPDATE SET n = page_versions.n + 1`, g); err != nil {
			return err
		}
	}
	return nil
}

// inWriteConn runs fn inside a transaction on one dedicated connection.
// database/sql's Tx cannot hand PostgreSQL's COPY the transaction it runs
// in, so bulk writes issue BEGIN and COMMIT themselves on a *sql.Conn and
// reach the driver through conn.Raw when they need COPY.
//
// after runs once the transaction has committed or rolled back (or fn
// panicked), on the same connection, before it goes back to the pool.
func (s *Store) inWriteConn(ctx context.Context, fn func(c *sql.Conn) error, after ...func(c *sql.Conn)) error {
	if s.writer != nil {
		// The process's writers queue here, in the order they came, rather
		// than in SQLite's busy handler, which wakes them by chance: a form
		// saved while imports follow one another was passed over by each
		// next import and waited through several. Another process (the
		// command line) still waits in the busy handler.
		select {
		case s.writer <- struct{}{}:
			defer func() { <-s.writer }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer func() {
		for _, f := range after {
			f(conn)
		}
	}()
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
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, lockWrites); err != nil {
			return fail(fmt.Errorf("waiting for the write lock: %w", err))
		}
	}
	returned := false
	defer func() {
		// fn panicked: roll back before the connection goes back to the
		// pool, or the next writer finds it inside this transaction.
		if !returned {
			fail(nil)
		}
	}()
	err = fn(conn)
	returned = true
	if err != nil {
		return fail(err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fail(err)
	}
	return nil
}
