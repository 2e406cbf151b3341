// Package store is the one place that talks SQL. A single concrete Store
// over *sql.DB serves both engines: SQLite (modernc.org/sqlite, the embedded
// default) and PostgreSQL (pgx, production). Queries are written once with
// $n placeholders, which both engines read; where the engines really differ
// (bulk loading, locking) a method has one body per engine, side by side.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"mattran/internal/audit"
	"mattran/internal/clock"
	"mattran/internal/errs"
)

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Store holds the database handle.
type Store struct {
	DB     *sql.DB
	Engine Engine
	// Clock stamps every write (audit entries, changes, sessions) and says
	// what "today" is for imports and jobs. Nil reads the system clock;
	// tests and the demo set it before use.
	Clock    clock.Clock
	dsn      string
	lineages lineageCache  // history.go
	elements elementsCache // evals_keep.go
	// writer is SQLite's write lock as this process queues for it: one
	// slot, taken before BEGIN IMMEDIATE (tx.go).
	writer chan struct{}
	// evalsWanted holds a signal when a committed write dropped kept
	// evaluations that the evals job should build again (EvalsWanted).
	evalsWanted chan struct{}
	// LedgerSearchMB is the memory the public ledger search may keep
	// campaigns in (fund_search.go): 0 for DefaultLedgerSearchMB, negative
	// for none (every search scans the table).
	LedgerSearchMB int
	ledger         ledgerSearch
	stmts          preparedStmts // prepared.go
	checkpoint     checkpointer
}

// checkpointer runs SQLite's WAL checkpoints that a bank statement import
// left for later (fund.go: bigImportCache), one at a time, in the
// background; Close waits for it.
type checkpointer struct {
	mu      sync.Mutex
	running bool // a goroutine is checkpointing
	again   bool // a commit since it started wants another
	closed  bool
	wg      sync.WaitGroup
}

// checkpointSoon copies the WAL into the database file in the background
// (PRAGMA wal_checkpoint(PASSIVE): it waits for no reader or writer and
// copies what no reader still needs). It costs the CPU it did on the
// import's commit, but no request waits for it.
func (s *Store) checkpointSoon() {
	c := &s.checkpoint
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if c.running {
		c.again = true
		return
	}
	c.running = true
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		for {
			if _, err := s.DB.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
				slog.Warn("sao chép WAL vào tệp cơ sở dữ liệu sau khi nhập sao kê", "err", err)
			}
			c.mu.Lock()
			if !c.again || c.closed {
				c.running, c.again = false, false
				c.mu.Unlock()
				return
			}
			c.again = false
			c.mu.Unlock()
		}
	}()
}

// now reads the store's clock.
func (s *Store) now() time.Time { return clock.Or(s.Clock)() }

// Now reads the store's clock: the one the web app, the API and the jobs
// share with it.
func (s *Store) Now() time.Time { return s.now() }

//go:embed migrations
var migrations embed.FS

// sqliteDriver is the database/sql driver SQLite files are opened with:
// modernc.org/sqlite. A benchmark built with the tag sqlite_ncruces
// (driver_ncruces.go) switches it to github.com/ncruces/go-sqlite3 to
// compare the two in the same run (BENCH.md).
var sqliteDriver = "sqlite"

// Open connects to "sqlite:PATH" or "postgres://…" and does not migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	var s *Store
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, errors.New("thiếu đường dẫn tệp SQLite (sqlite:ĐƯỜNG_DẪN)")
		}
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("không tạo được thư mục %s: %w", dir, err)
			}
		}
		db, err := sql.Open(sqliteDriver, sqliteDSN(path))
		if err != nil {
			return nil, err
		}
		// One writer at a time is SQLite's rule; WAL lets readers go on
		// beside it, so a few connections serve concurrent page views.
		db.SetMaxOpenConns(4)
		db.SetMaxIdleConns(4)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s = &Store{DB: db, Engine: SQLite, dsn: dsn, writer: make(chan struct{}, 1), evalsWanted: make(chan struct{}, 1)}
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(16)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s = &Store{DB: db, Engine: Postgres, dsn: dsn, evalsWanted: make(chan struct{}, 1)}
	default:
		return nil, fmt.Errorf("chuỗi kết nối %q không hợp lệ: dùng sqlite:ĐƯỜNG_DẪN hoặc postgres://…", redact(dsn))
	}
	if err := s.DB.PingContext(ctx); err != nil {
		s.DB.Close()
		return nil, fmt.Errorf("không kết nối được cơ sở dữ liệu: %w", err)
	}
	return s, nil
}

// sqliteDSN sets the pragmas every connection needs:
//   - WAL: readers never block the writer, and a killed process leaves a
//     database that recovers on open;
//   - synchronous FULL: a commit is on disk before we acknowledge it, so an
//     acknowledged write survives power loss too, not only a killed process;
//     bulk imports are one transaction, so they pay the fsync once;
//   - foreign_keys: SQLite leaves them off by default;
//   - busy_timeout: a writer waits for another instead of failing at once,
//     up to 30 s: an import of a million values (limits.ImportRows, the
//     most one file may hold) holds the write lock for about 10 s, and a
//     form saved meanwhile must wait it out rather than fail; past that
//     the request is refused as busy (Unavailable), nothing written;
//   - _txlock=immediate: a write transaction takes the write lock at BEGIN,
//     so two writers queue instead of deadlocking on lock upgrade;
//   - cache_size 8 MB per connection: each of the pool's connections keeps
//     its own page cache, in the process's memory. At 32 MB each, a server
//     on the national data set sat at 220 MB RSS after a few scorecards
//     (DESIGN allows 200); at 8 MB it holds 80 MB, and scorecards and a
//     million-value import measured the same (BENCH.md): the file's pages
//     stay in the OS page cache either way.
func sqliteDSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "busy_timeout(30000)", fmt.Sprintf("cache_size(-%d)", cacheKB), "temp_store(MEMORY)", "mmap_size(268435456)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// cacheKB is a connection's SQLite page cache, in KiB (sqliteDSN); a bank
// statement import enlarges its own for the transaction (fund.go).
const cacheKB = 8192

// redact hides a password in a connection string for messages.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}

// Close closes the database, once a checkpoint running in the background
// has finished.
func (s *Store) Close() error {
	s.checkpoint.mu.Lock()
	s.checkpoint.closed = true
	s.checkpoint.mu.Unlock()
	s.checkpoint.wg.Wait()
	s.stmts.close()
	return s.DB.Close()
}

// DSN is the connection string the store was opened with.
func (s *Store) DSN() string { return s.dsn }

// Migrate applies the embedded migrations that are not yet applied, each in
// its own transaction, in file-name order.
func (s *Store) Migrate(ctx context.Context) error {
	if _, err := s.DB.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("tạo bảng schema_migrations: %w", err)
	}
	dir := "migrations/" + string(s.Engine)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, name := range names {
		body, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return err
		}
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			if s.Engine == Postgres {
				// Several app servers may start at once: one migrates, the others wait.
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, lockMigrations); err != nil {
					return err
				}
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, name, s.now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// inTx runs fn in a transaction, committing if it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// writeAudit records one change in the audit log, inside the change's own
// transaction: a change without its record cannot be committed. It marks
// no page stale; the writer says which (Tx.Stale).
func writeAudit(ctx context.Context, q queryer, a audit.Actor, at time.Time, action, entity, key string, before, after any) error {
	b, err := jsonOrNull(before)
	if err != nil {
		return err
	}
	af, err := jsonOrNull(after)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, actor, action, entity, entity_key, before, after, actor_path)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		at.UTC(), nullID(a.UserID), a.Name, action, entity, key, b, af, a.UnitPath)
	return err
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// AuditEntries returns the newest audit entries for an entity (all entities
// when entity is empty), newest first.
func (s *Store) AuditEntries(ctx context.Context, entity, key string, limit int) ([]audit.Entry, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, at, COALESCE(user_id, 0), actor, action, entity, entity_key, COALESCE(before, ''), COALESCE(after, '')
		FROM audit_log WHERE ($1 = '' OR entity = $1) AND ($2 = '' OR entity_key = $2) ORDER BY id DESC LIMIT $3`, entity, key, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Actor, &e.Action, &e.Entity, &e.EntityKey, &e.Before, &e.After); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// notFound builds the NotFound error for a missing thing.
func notFound(format string, args ...any) error { return errs.New(errs.NotFound, format, args...) }

// IntegrityCheck runs the engine's own consistency check (SQLite) or a
// trivial query (PostgreSQL, which checks itself).
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if s.Engine != SQLite {
		return s.DB.PingContext(ctx)
	}
	var res string
	if err := s.DB.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity_check: %s", res)
	}
	return nil
}
