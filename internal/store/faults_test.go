package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// The database's own failures, as the engines report them, are told as
// unavailable (503, retry later), not as internal errors: a writer busy
// past the wait, a disk that is full, a PostgreSQL that restarts or cannot
// be reached. Anything else is not.
func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	open := func(pragmas string) *sql.DB {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(0)"+pragmas)
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(""), open("")
	if _, err := a.Exec(`CREATE TABLE t (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	ta, err := a.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Exec(`INSERT INTO t VALUES ('a')`); err != nil {
		t.Fatal(err)
	}
	_, busy := b.Exec(`INSERT INTO t VALUES ('b')`)
	ta.Rollback()

	full := open("&_pragma=max_page_count(3)")
	var fullErr error
	for i := 0; i < 100 && fullErr == nil; i++ {
		_, fullErr = full.Exec(`INSERT INTO t VALUES (?)`, fmt.Sprintf("%01000d", i))
	}

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	pg, err := sql.Open("pgx", "postgres://postgres@"+addr+"/x?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	refused := pg.PingContext(ctx)

	// A server that answers the connection with a FATAL of its own (here
	// a database that does not exist; on a full disk "could not write init
	// file", XX000) is away too: the request never reached it.
	var fatalAtConnect error
	if dsn := os.Getenv("MATTRAN_TEST_POSTGRES"); dsn != "" {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/mattran_no_such_database"
		db, err := sql.Open("pgx", u.String())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		fatalAtConnect = db.PingContext(ctx)
	}

	for _, c := range []struct {
		name    string
		err     error
		want    bool
		message string
	}{
		{"PostgreSQL refuses the connection with a FATAL", fatalAtConnect, os.Getenv("MATTRAN_TEST_POSTGRES") != "", "mất kết nối"},
		{"SQLITE_BUSY", busy, true, "đang bận"},
		{"SQLITE_FULL", fullErr, true, "Ổ đĩa"},
		{"PostgreSQL not listening", refused, true, "mất kết nối"},
		{"PostgreSQL shutting down", fmt.Errorf("query: %w", &pgconn.PgError{Code: "57P01"}), true, "mất kết nối"},
		{"PostgreSQL disk full", &pgconn.PgError{Code: "53100"}, true, "Ổ đĩa"},
		{"a constraint", &pgconn.PgError{Code: "23505"}, false, ""},
		{"a domain error", errs.New(errs.Invalid, "sai"), false, ""},
		{"no error", nil, false, ""},
	} {
		got := store.Unavailable(c.err)
		switch {
		case c.want && c.err == nil:
			t.Errorf("%s: the engine gave no error to classify", c.name)
		case c.want && (got == nil || got.Code != errs.Unavailable || !strings.Contains(got.Message, c.message)):
			t.Errorf("%s (%v): %v, want unavailable saying %q", c.name, c.err, got, c.message)
		case !c.want && got != nil:
			t.Errorf("%s: %v, want nil", c.name, got)
		}
	}
}

// A write that panics is rolled back before its connection goes back to
// the pool: what it wrote is not kept, and the next write (on the same,
// only connection) starts a transaction of its own.
func TestPanicInWriteRollsBack(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.DB.SetMaxOpenConns(1)
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the panic did not reach the caller")
				}
			}()
			s.WithTx(ctx, func(tx *store.Tx) error {
				if err := tx.Audit(ctx, audit.System, "thu_panic", "test", "1", nil, nil); err != nil {
					t.Fatal(err)
				}
				panic("lỗi lập trình")
			})
		}()
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			return tx.Audit(ctx, audit.System, "thu_sau", "test", "2", nil, nil)
		})
		if err != nil {
			t.Fatalf("the next write: %v", err)
		}
		var n int
		if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'thu_panic'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("the panicking write's audit entry: %d rows, %v", n, err)
		}
	})
}
