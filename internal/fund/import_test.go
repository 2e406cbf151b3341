package fund_test

import (
	"context"
	"strings"
	"testing"

	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// A statement imported before migration 0089 (fingerprints as 40 hex
// characters) is still known after it: importing it again adds nothing.
func TestStatementFingerprintMigration(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		if _, err := importStatement(t, w, vcbStatement); err != nil {
			t.Fatal(err)
		}
		// Put the rows back as the release before 0089 wrote them.
		undo := `UPDATE fund_statement_rows SET fingerprint = lower(hex(fingerprint))`
		if s.Engine == store.Postgres {
			undo = `ALTER TABLE fund_statement_rows ALTER COLUMN fingerprint TYPE text USING encode(fingerprint, 'hex')`
		}
		if _, err := s.DB.Exec(undo); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.Exec(`DELETE FROM schema_migrations WHERE version = '0089_fund_fingerprint_bytes.sql'`); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.DB.QueryRow(`SELECT count(*) FROM fund_statement_rows WHERE length(fingerprint) = 40`).Scan(&n); err != nil || n != 5 {
			t.Fatalf("%d hex fingerprints before migrating (%v), want 5", n, err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.DB.QueryRow(`SELECT count(*) FROM fund_statement_rows WHERE length(fingerprint) = 20`).Scan(&n); err != nil || n != 5 {
			t.Fatalf("%d 20-byte fingerprints after migrating (%v), want 5", n, err)
		}
		st, err := importStatement(t, w, vcbStatement)
		if err != nil {
			t.Fatal(err)
		}
		if (st.Result != fund.Result{Rows: 5, Known: 5}) {
			t.Errorf("import after the migration = %+v, want 5 known rows and nothing added", st.Result)
		}
		if n := countEntries(t, s); n != 4 {
			t.Errorf("%d entries, want the 4 of the first import", n)
		}
	})
}

// An import enlarges its connection's page cache for its transaction
// only: the connection goes back to the pool with the usual 8 MB, after a
// statement imported and after one refused.
func TestStatementImportCacheGivenBack(t *testing.T) {
	s := storetest.SQLite(t)
	w := setup(t, s)
	s.DB.SetMaxOpenConns(1) // every query below is on the connection the import used
	cache := func() int {
		t.Helper()
		var kb int
		if err := s.DB.QueryRow(`PRAGMA cache_size`).Scan(&kb); err != nil {
			t.Fatal(err)
		}
		return kb
	}
	before := cache()
	if before != -8192 {
		t.Fatalf("cache_size %d before the import, want -8192 (8 MB)", before)
	}
	if _, err := importStatement(t, w, vcbStatement); err != nil {
		t.Fatal(err)
	}
	if got := cache(); got != before {
		t.Errorf("cache_size %d after an import, want %d", got, before)
	}
	bad := strings.Replace(vcbStatement, "20/09/2024;5213.81246;;200.000", "xx/09/2024;5213.81246;;200.000", 1)
	if _, err := importStatement(t, w, bad); err == nil {
		t.Fatal("a malformed statement was imported")
	}
	if got := cache(); got != before {
		t.Errorf("cache_size %d after a refused import, want %d", got, before)
	}
}
