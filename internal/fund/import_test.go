package fund_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// A statement imported before migration 0089 (fingerprints as 40 hex
// characters) is still known after it: importing it again adds nothing.
// Migration 0093 copies the ledger (SQLite) without campaign_id's foreign
// key and with a unique index of the reversals only, and 0094 drops
// prev_hash: run again over a ledger with an import and a reversal, the
// entries and their chain are as they were, an entry still takes at most one reversal, and importing
// the statement again adds nothing.
func TestLeanEntriesMigration(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		if _, err := importStatement(t, w, vcbStatement); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := s.DB.QueryRow(`SELECT min(id) FROM fund_entries`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if err := s.WithTx(ctx, func(tx *store.Tx) error { _, err := fund.Reverse(ctx, tx, leader, id, "nhập nhầm"); return err }); err != nil {
			t.Fatal(err)
		}
		before := countEntries(t, s)
		// Put the ledger back as it was before 0093 and 0094 (each entry
		// holding the previous one's hash in prev_hash), then migrate.
		for _, q := range []string{
			`ALTER TABLE fund_entries ADD COLUMN prev_hash TEXT NOT NULL DEFAULT ''`,
			`UPDATE fund_entries SET prev_hash = COALESCE((SELECT p.hash FROM fund_entries p WHERE p.id = fund_entries.id - 1), '')`,
			`DELETE FROM schema_migrations WHERE version IN ('0093_fund_entries_lean.sql', '0094_fund_entries_no_prev_hash.sql')`,
		} {
			if _, err := s.DB.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		columns := `SELECT count(*) FROM pragma_table_info('fund_entries') WHERE name = 'prev_hash'`
		if s.Engine == store.Postgres {
			columns = `SELECT count(*) FROM information_schema.columns WHERE table_name = 'fund_entries' AND column_name = 'prev_hash'`
		}
		var prevHash int
		if err := s.DB.QueryRow(columns).Scan(&prevHash); err != nil || prevHash != 0 {
			t.Errorf("prev_hash still there after 0094: %d, %v", prevHash, err)
		}
		if n := countEntries(t, s); n != before {
			t.Errorf("%d entries after the migration, %d before", n, before)
		}
		check, err := s.VerifyLedger(ctx)
		if err != nil || !check.OK() {
			t.Errorf("ledger verify after the migration: %+v, %v", check, err)
		}
		_, err = s.DB.Exec(`INSERT INTO fund_entries (id, campaign_id, unit_id, kind, day, amount, reverses, recorded_at, hash)
			VALUES (1000000, $1, $2, 'receipt', '2024-09-20', -1, $3, 'x', 'x')`, w.c.ID, w.prov.ID, id)
		if err == nil {
			t.Error("a second reversal of the same entry was stored")
		}
		st, err := importStatement(t, w, vcbStatement)
		if err != nil {
			t.Fatal(err)
		}
		if st.Result.Known != st.Result.Rows || st.Result.Receipts != 0 {
			t.Errorf("import after the migration = %+v, want every row known", st.Result)
		}
	})
}

func TestStatementFingerprintMigration(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		if _, err := importStatement(t, w, vcbStatement); err != nil {
			t.Fatal(err)
		}
		// Put the rows back as the release before 0089 wrote them. (The
		// rows that became receipts are packed since 0095, which came after.)
		var rows int
		if err := s.DB.QueryRow(`SELECT count(*) FROM fund_statement_rows`).Scan(&rows); err != nil || rows != 1 {
			t.Fatalf("%d statement rows besides the receipts (%v), want the one debit", rows, err)
		}
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
		if err := s.DB.QueryRow(`SELECT count(*) FROM fund_statement_rows WHERE length(fingerprint) = 40`).Scan(&n); err != nil || n != rows {
			t.Fatalf("%d hex fingerprints before migrating (%v), want %d", n, err, rows)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.DB.QueryRow(`SELECT count(*) FROM fund_statement_rows WHERE length(fingerprint) = 20`).Scan(&n); err != nil || n != rows {
			t.Fatalf("%d 20-byte fingerprints after migrating (%v), want %d", n, err, rows)
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

// An import enlarges its connection's page cache, and turns off its
// automatic checkpoint, for its transaction only: the connection goes back
// to the pool with the usual 8 MB and checkpointing at 1,000 pages, after
// a statement imported and after one refused.
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
	// The import's commit left its WAL to a background checkpoint; the
	// connection checkpoints at commits again.
	var pages int
	if err := s.DB.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&pages); err != nil || pages != 1000 {
		t.Errorf("wal_autocheckpoint %d after an import (%v), want 1000", pages, err)
	}
	bad := strings.Replace(vcbStatement, "20/09/2024;5213.81246;;200.000", "xx/09/2024;5213.81246;;200.000", 1)
	if _, err := importStatement(t, w, bad); err == nil {
		t.Fatal("a malformed statement was imported")
	}
	if got := cache(); got != before {
		t.Errorf("cache_size %d after a refused import, want %d", got, before)
	}
}

// A bad row found after many batches were already written (the import
// writes while it reads) still applies nothing, on both engines; so does
// an import whose request is cancelled halfway. Neither leaves its
// reading goroutine behind.
func TestStatementLateFailureAppliesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		goroutines := runtime.NumGoroutine()
		good := string(statementCSV(30_000))
		bad := good + "20/09/2024;1;;50.000;;ung ho\n31/02/2024;2;;50.000;;ung ho\n"
		_, err := importStatement(t, w, bad)
		if e, ok := errs.As(err); !ok || len(e.Details) != 1 || e.Details[0].Row != 30_003 {
			t.Fatalf("err = %v, want row 30003 named", err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		err = s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := fund.ImportStatement(ctx, tx, officer, w.prov, w.c.ID, "b.csv", fund.Generic,
				&cancelAfter{r: strings.NewReader(good), n: len(good) / 2, cancel: cancel})
			return err
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled import: err = %v, want context.Canceled", err)
		}
		var entries, rows, statements int
		if err := s.DB.QueryRow(`SELECT (SELECT count(*) FROM fund_entries), (SELECT count(*) FROM fund_statement_rows) + (SELECT count(*) FROM fund_statement_receipts), (SELECT count(*) FROM fund_statements)`).
			Scan(&entries, &rows, &statements); err != nil {
			t.Fatal(err)
		}
		if entries+rows+statements != 0 {
			t.Errorf("%d entries, %d statement rows, %d statements after two failed imports, want none", entries, rows, statements)
		}
		if c := verify(t, s); !c.OK() {
			t.Errorf("ledger after two failed imports: %+v", c)
		}
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > goroutines {
			t.Errorf("%d goroutines after the imports, %d before", n, goroutines)
		}
	})
}

// cancelAfter reads r and cancels the import's context once n bytes are read.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(b []byte) (int, error) {
	m, err := c.r.Read(b)
	if c.n -= m; c.n <= 0 {
		c.cancel()
	}
	return m, err
}

// An import's commit does not copy its WAL into the database file (that
// was 1.8 s of a million-row import): a checkpoint in the background does,
// soon after, without another write.
func TestStatementImportCheckpointsLater(t *testing.T) {
	s := storetest.SQLite(t)
	w := setup(t, s)
	path := strings.TrimPrefix(strings.SplitN(s.DSN(), "?", 2)[0], "sqlite:")
	size := func() int64 {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	if _, err := importStatement(t, w, string(statementCSV(20_000))); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for size() < before+1<<20 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if after := size(); after < before+1<<20 {
		t.Errorf("database file %d bytes after importing 20,000 rows, %d before: the WAL was not copied into it", after, before)
	}
}

// A credit that became a receipt is stored as that receipt, its
// fingerprint packed with its neighbours' (fund_statement_receipts): no
// row of its own, its text once, in the entry. A debit and a credit
// paired with a receipt typed by hand keep their rows and text. Every
// row id is accounted for, and the reconciliation counts every row.
func TestReceiptRowsLeaveTextToTheirEntry(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		w.receive(t, w.prov, 200_000, "Trần Thị Hoa", "chuyển khoản")
		if _, err := importStatement(t, w, vcbStatement); err != nil {
			t.Fatal(err)
		}
		var got []string
		add := func(query string, scan func(rows *sql.Rows) (string, error)) {
			t.Helper()
			rows, err := s.DB.Query(query)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				line, err := scan(rows)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, line)
			}
		}
		add(`SELECT id, credit, debit, doc_no, description FROM fund_statement_rows ORDER BY id`, func(rows *sql.Rows) (string, error) {
			var id, credit, debit int64
			var doc, desc string
			err := rows.Scan(&id, &credit, &debit, &doc, &desc)
			return fmt.Sprintf("row %d: %d/%d %q %q", id, credit, debit, doc, desc), err
		})
		add(`SELECT first_row, row_count, length(fingerprints) FROM fund_statement_receipts ORDER BY id`, func(rows *sql.Rows) (string, error) {
			var first, n, size int64
			err := rows.Scan(&first, &n, &size)
			return fmt.Sprintf("receipts from row %d: %d, %d bytes", first, n, size), err
		})
		add(`SELECT statement_id, doc_no, description FROM fund_entries WHERE statement_id <> 0 ORDER BY id`, func(rows *sql.Rows) (string, error) {
			var id int64
			var doc, desc string
			err := rows.Scan(&id, &doc, &desc)
			return fmt.Sprintf("receipt of row %d: %q %q", id, doc, desc), err
		})
		want := []string{
			`row 2: 200000/0 "5213.81246" "Trần Thị Hoa ủng hộ đồng bào 0912345678"`,
			`row 5: 0/10000000 "9999.1" "Chuyen tien ho tro xa Tho Xuong"`,
			`receipts from row 1: 1, 20 bytes`,
			`receipts from row 3: 2, 40 bytes`,
			`receipt of row 1: "5213.81246" "MBVCB.6923019125.005.NGUYEN VAN DUONG chuyen tien ung ho bao Yagi"`,
			`receipt of row 3: "5078.97942" "ung ho"`,
			`receipt of row 4: "5078.97942" "ung ho"`,
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("statement rows and their receipts:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		r, err := s.Reconcile(context.Background(), w.c)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.DebitsOpen) != 1 || r.DebitsOpen[0].Description != "Chuyen tien ho tro xa Tho Xuong" || r.Rows != 5 || r.Credits != 4 || r.CreditsPaired != 4 {
			t.Errorf("reconciliation %+v", r)
		}
	})
}

// The receipts of an import are written with their shared columns in the
// SQL itself on SQLite; an author's name with a quote reads back as it was
// hashed, and the chain verifies.
func TestImportSharedColumns(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		author := audit.Actor{UserID: 14, Name: "Cán bộ O'Neil; DROP TABLE x --"}
		err := s.WithTx(context.Background(), func(tx *store.Tx) error {
			_, err := fund.ImportStatement(context.Background(), tx, author, w.prov, w.c.ID, "b.csv", fund.Generic, strings.NewReader(string(statementCSV(500))))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.DB.QueryRow(`SELECT count(*) FROM fund_entries WHERE entered_by = $1 AND kind = 'receipt' AND channel = 'transfer' AND donor_kind = 'statement'
			AND campaign_id = $2 AND unit_id = $3 AND recorded_at = '2024-09-20T03:00:00.000000Z'`, author.Name, w.c.ID, w.prov.ID).Scan(&n); err != nil || n != 500 {
			t.Errorf("%d receipts read back with the import's shared columns (%v), want 500", n, err)
		}
		if c := verify(t, s); !c.OK() || c.Entries != 500 {
			t.Errorf("ledger after the import: %+v", c)
		}
	})
}

// Runs of credits and debits longer than one INSERT's rows are stored
// whole, in order, and found again by a second import.
func TestStatementRunsOfRows(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		var b strings.Builder
		b.WriteString("Ngày GD;Số CT;Số tiền ghi nợ;Số tiền ghi có;Số dư;Nội dung chi tiết\n")
		for i := range 150 {
			if i/50 == 1 {
				fmt.Fprintf(&b, "21/09/2024;D%d;%d;;;chi ho tro %d\n", i, 1000+i, i)
			} else {
				fmt.Fprintf(&b, "20/09/2024;C%d;;%d;;ung ho %d\n", i, 1000+i, i)
			}
		}
		st, err := importStatement(t, w, b.String())
		if err != nil {
			t.Fatal(err)
		}
		if (st.Result != fund.Result{Rows: 150, Receipts: 100, DebitsOpen: 50}) {
			t.Errorf("import = %+v", st.Result)
		}
		// The debits are rows 51–100, with their text; the credits before
		// and after them are two packed runs of 50 receipts.
		var n, kept, first, last int
		if err := s.DB.QueryRow(`SELECT count(*), COALESCE(SUM(CASE WHEN description <> '' AND debit > 0 THEN 1 ELSE 0 END), 0), MIN(id), MAX(id)
			FROM fund_statement_rows`).Scan(&n, &kept, &first, &last); err != nil {
			t.Fatal(err)
		}
		if n != 50 || kept != 50 || first != 51 || last != 100 {
			t.Errorf("%d rows, %d debits with their text, ids %d–%d; want 50, 50, 51–100", n, kept, first, last)
		}
		var runs string
		if err := s.DB.QueryRow(`SELECT string_agg(first_row || '+' || row_count, ' ' ORDER BY id) FROM fund_statement_receipts`).Scan(&runs); err != nil {
			t.Fatal(err)
		}
		if runs != "1+50 101+50" {
			t.Errorf("packed receipts %q, want 1+50 101+50", runs)
		}
		again, err := importStatement(t, w, b.String())
		if err != nil {
			t.Fatal(err)
		}
		if (again.Result != fund.Result{Rows: 150, Known: 150}) {
			t.Errorf("second import = %+v, want every row known", again.Result)
		}
	})
}

// panicOnAppend is a transaction whose writing of receipts panics.
type panicOnAppend struct{ *store.Tx }

func (panicOnAppend) AppendSealed(context.Context, audit.Actor, []fund.Entry) error {
	panic("disk on fire")
}

// A write that panics midway still stops and waits for the reading
// goroutine, and the transaction is rolled back.
func TestStatementImportPanicStopsReader(t *testing.T) {
	s := storetest.SQLite(t)
	w := setup(t, s)
	goroutines := runtime.NumGoroutine()
	func() {
		defer func() {
			if p := recover(); p == nil {
				t.Error("the write's panic was not raised")
			}
		}()
		s.WithTx(context.Background(), func(tx *store.Tx) error {
			_, err := fund.ImportStatement(context.Background(), panicOnAppend{tx}, officer, w.prov, w.c.ID, "b.csv", fund.Generic,
				strings.NewReader(string(statementCSV(50_000))))
			return err
		})
	}()
	// The store's background checkpoint may still be running a moment.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		t.Errorf("%d goroutines after the panic, %d before", n, goroutines)
	}
	if n := countEntries(t, s); n != 0 {
		t.Errorf("%d entries after a panicking import", n)
	}
}
