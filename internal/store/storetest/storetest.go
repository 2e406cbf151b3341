// Package storetest gives tests a fresh, migrated store on each engine:
// SQLite always, PostgreSQL when MATTRAN_TEST_POSTGRES names a server.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"mattran/internal/store"
)

// PostgresEnv names the environment variable holding a PostgreSQL URL for tests.
const PostgresEnv = "MATTRAN_TEST_POSTGRES"

// ForEach runs fn once per engine, each with its own fresh database.
func ForEach(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated store in a file under t.TempDir().
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	return open(t, "sqlite:"+t.TempDir()+"/test.db")
}

// Postgres returns a migrated store in a schema of its own on the server
// named by MATTRAN_TEST_POSTGRES, dropped when the test ends. It skips the
// test, saying so, when the variable is unset.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " is unset: skipping the PostgreSQL run (set it to a postgres:// URL to run it)")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema on %s: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return open(t, u.String())
}

func open(t testing.TB, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}
