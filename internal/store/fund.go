package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"mattran/internal/audit"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/fund"
	"mattran/internal/ledgerindex"
	"mattran/internal/unit"
)

// The fund ledger's SQL (package fund holds its rules). *Tx implements
// fund.Tx; the reads the pages and the public ledger make are on *Store.

// LedgerPages is the page group the public ledger caches under.
const LedgerPages = "ledger"

const campaignCols = `c.id, c.code, c.name, c.kind, c.unit_id, u.code, u.name, c.year, c.receive_from, c.receive_to, c.distribute_to, c.bank, c.account`

func scanCampaign(sc interface{ Scan(...any) error }) (fund.Campaign, error) {
	var c fund.Campaign
	err := sc.Scan(&c.ID, &c.Code, &c.Name, &c.Kind, &c.UnitID, &c.UnitCode, &c.UnitName, &c.Year, &c.ReceiveFrom, &c.ReceiveTo, &c.DistributeTo, &c.Bank, &c.Account)
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("Không có chiến dịch này.")
	}
	return c, err
}

func campaign(ctx context.Context, q queryer, where string, arg any) (fund.Campaign, error) {
	return scanCampaign(q.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM fund_campaigns c JOIN units u ON u.id = c.unit_id WHERE `+where, arg))
}

// Campaign reads a campaign in the transaction.
func (tx *Tx) Campaign(ctx context.Context, id int64) (fund.Campaign, error) {
	return campaign(ctx, tx.c, `c.id = $1`, id)
}

// Campaign reads a campaign by id.
func (s *Store) Campaign(ctx context.Context, id int64) (fund.Campaign, error) {
	return campaign(ctx, s.DB, `c.id = $1`, id)
}

// CampaignByCode reads a campaign by its code.
func (s *Store) CampaignByCode(ctx context.Context, code string) (fund.Campaign, error) {
	return campaign(ctx, s.DB, `c.code = $1`, code)
}

// Campaigns lists every campaign, newest year first.
func (s *Store) Campaigns(ctx context.Context) ([]fund.Campaign, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+campaignCols+` FROM fund_campaigns c JOIN units u ON u.id = c.unit_id ORDER BY c.year DESC, c.receive_from DESC, c.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fund.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PutCampaign stores a new campaign.
func (tx *Tx) PutCampaign(ctx context.Context, a audit.Actor, c fund.Campaign) (fund.Campaign, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM fund_campaigns WHERE code = $1`, c.Code).Scan(&n); err != nil {
		return c, err
	}
	if n > 0 {
		return c, errs.New(errs.Conflict, "Đã có chiến dịch mã %s.", c.Code)
	}
	err := tx.queryRow(ctx, `INSERT INTO fund_campaigns (code, name, kind, unit_id, year, receive_from, receive_to, distribute_to, bank, account, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		c.Code, c.Name, string(c.Kind), c.UnitID, c.Year, c.ReceiveFrom, c.ReceiveTo, c.DistributeTo, c.Bank, c.Account, tx.now.UTC(), a.Name).Scan(&c.ID)
	if err != nil {
		return c, err
	}
	tx.Stale(PageGroup(LedgerPages))
	return c, tx.Audit(ctx, a, "open_campaign", "fund_campaign", c.Code, nil, c)
}

// PutDisclosure records the day a disclosure was made (a later record of
// the same disclosure replaces it; the audit log keeps both).
func (tx *Tx) PutDisclosure(ctx context.Context, a audit.Actor, campaignID int64, kind, day, note string) error {
	if _, err := tx.exec(ctx, `INSERT INTO fund_disclosures (campaign_id, kind, day, note, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (campaign_id, kind) DO UPDATE SET day = excluded.day, note = excluded.note, set_by = excluded.set_by, set_at = excluded.set_at`,
		campaignID, kind, day, note, a.Name, tx.now.UTC()); err != nil {
		return err
	}
	tx.Stale(PageGroup(LedgerPages))
	return tx.Audit(ctx, a, "disclose", "fund_campaign", strconv.FormatInt(campaignID, 10), nil, map[string]string{"kind": kind, "day": day, "note": note})
}

// Disclosures are the days a campaign's disclosures were made, by kind.
func (s *Store) Disclosures(ctx context.Context, campaignID int64) (map[string]string, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT kind, day FROM fund_disclosures WHERE campaign_id = $1`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, d string
		if err := rows.Scan(&k, &d); err != nil {
			return nil, err
		}
		out[k] = d
	}
	return out, rows.Err()
}

const entryCols = `id, campaign_id, unit_id, to_unit_id, kind, day, amount, channel, doc_no, donor_kind, donor, description, purpose,
	household_id, COALESCE(reverses, 0), request_id, statement_id, entered_by, approved_by, recorded_at, hash, search`

func scanEntry(sc interface{ Scan(...any) error }) (fund.Entry, error) {
	var e fund.Entry
	var at string
	err := sc.Scan(&e.ID, &e.CampaignID, &e.UnitID, &e.ToUnitID, &e.Kind, &e.Day, &e.Amount, &e.Channel, &e.DocNo, &e.DonorKind, &e.Donor,
		&e.Description, &e.Purpose, &e.HouseholdID, &e.Reverses, &e.RequestID, &e.StatementID, &e.EnteredBy, &e.ApprovedBy, &at, &e.Hash, &e.Search)
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("Không có bút toán này.")
	}
	if err != nil {
		return e, err
	}
	// A time that does not parse stays zero, and its hash will not match.
	e.RecordedAt, _ = time.Parse(fund.TimeFormat, at)
	return e, nil
}

// Entry reads one entry in the transaction.
func (tx *Tx) Entry(ctx context.Context, id int64) (fund.Entry, error) {
	return scanEntry(tx.queryRow(ctx, `SELECT `+entryCols+` FROM fund_entries WHERE id = $1`, id))
}

// Entry reads one entry.
func (s *Store) Entry(ctx context.Context, id int64) (fund.Entry, error) {
	return scanEntry(s.DB.QueryRowContext(ctx, `SELECT `+entryCols+` FROM fund_entries WHERE id = $1`, id))
}

// ReversalOf is the entry reversing id, or 0.
func (tx *Tx) ReversalOf(ctx context.Context, id int64) (int64, error) {
	var by int64
	err := tx.queryRow(ctx, `SELECT id FROM fund_entries WHERE reverses = $1`, id).Scan(&by)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return by, err
}

// Balance is a unit's balance in a campaign.
func (tx *Tx) Balance(ctx context.Context, campaignID, unitID int64) (int64, error) {
	var b int64
	err := tx.queryRow(ctx, `SELECT received - disbursed + transfer_in - transfer_out FROM fund_balances WHERE campaign_id = $1 AND unit_id = $2`, campaignID, unitID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return b, err
}

// balanceDelta is what an append adds to one balance row.
type balanceDelta struct{ received, disbursed, in, out int64 }

func addEffects(m map[[2]int64]*balanceDelta, e fund.Entry) {
	get := func(unitID int64) *balanceDelta {
		k := [2]int64{e.CampaignID, unitID}
		if m[k] == nil {
			m[k] = &balanceDelta{}
		}
		return m[k]
	}
	switch e.Kind {
	case fund.Receipt:
		get(e.UnitID).received += e.Amount
	case fund.Disbursement:
		get(e.UnitID).disbursed += e.Amount
	case fund.Transfer:
		get(e.UnitID).out += e.Amount
		get(e.ToUnitID).in += e.Amount
	}
}

var entryInsertCols = []string{"id", "campaign_id", "unit_id", "to_unit_id", "kind", "day", "amount", "channel", "doc_no",
	"donor_kind", "donor", "description", "purpose", "household_id", "reverses", "request_id", "statement_id", "entered_by", "approved_by",
	"recorded_at", "hash", "search"}

// receiptInsertCols are entryInsertCols without the columns allDefaults
// finds at their defaults (migration 0070: to_unit_id, household_id and
// request_id 0, donor, purpose and approved_by ”, reverses NULL).
var receiptInsertCols = []string{"id", "campaign_id", "unit_id", "kind", "day", "amount", "channel", "doc_no",
	"donor_kind", "description", "statement_id", "entered_by", "recorded_at", "hash", "search"}

// sharedReceiptSQL is, on SQLite, a single-row INSERT for entries that
// leave the columns receiptInsertCols omits at their defaults and share
// their campaign, unit, kind, channel, donor kind, author and time (a
// statement import's receipts), with those seven written into the SQL as
// literals: each text bound costs the driver an allocation, a copy and a
// free per row (about 0.1 s per column at a million rows). The texts are
// quoted as SQLite reads them (” for '); a text with a NUL or invalid
// UTF-8 is left to the bound form.
func sharedReceiptTuple(engine Engine, es []fund.Entry, recordedAt string) (string, bool) {
	if engine != SQLite || len(es) < 64 || !allDefaults(es) {
		return "", false
	}
	e0 := &es[0]
	for i := range es {
		e := &es[i]
		if e.CampaignID != e0.CampaignID || e.UnitID != e0.UnitID || e.Kind != e0.Kind || e.Channel != e0.Channel ||
			e.DonorKind != e0.DonorKind || e.EnteredBy != e0.EnteredBy || !e.RecordedAt.Equal(e0.RecordedAt) {
			return "", false
		}
	}
	quote := func(s string) (string, bool) {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			return "", false
		}
		return "'" + strings.ReplaceAll(s, "'", "''") + "'", true
	}
	var texts []string
	for _, s := range []string{string(e0.Kind), e0.Channel, e0.DonorKind, e0.EnteredBy, recordedAt} {
		q, ok := quote(s)
		if !ok {
			return "", false
		}
		texts = append(texts, q)
	}
	return fmt.Sprintf(`(?, ?, ?, ?, ?, ?, ?, ?, %d, %d, %s)`, e0.CampaignID, e0.UnitID, strings.Join(texts, ", ")), true
}

const sharedReceiptInto = `fund_entries (id, day, amount, doc_no, description, statement_id, hash, search,
	campaign_id, unit_id, kind, channel, donor_kind, entered_by, recorded_at)`

// allDefaults reports whether every entry leaves the columns that
// receiptInsertCols omits at their defaults.
func allDefaults(es []fund.Entry) bool {
	for i := range es {
		e := &es[i]
		if e.ToUnitID != 0 || e.HouseholdID != 0 || e.RequestID != 0 || e.Reverses != 0 || e.Donor != "" || e.Purpose != "" || e.ApprovedBy != "" {
			return false
		}
	}
	return true
}

// Head is the last entry of the chain: its id and hash (0 and "" for an
// empty ledger). Writers hold the write lock, so it stays the head until
// they extend it.
func (tx *Tx) Head(ctx context.Context) (int64, string, error) {
	var last int64
	var prev string
	err := tx.queryRow(ctx, `SELECT id, hash FROM fund_entries ORDER BY id DESC LIMIT 1`).Scan(&last, &prev)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return last, prev, err
}

// Append seals the entries into the chain after the last one and writes
// them (appendSealed).
func (tx *Tx) Append(ctx context.Context, a audit.Actor, es []fund.Entry) ([]fund.Entry, error) {
	if len(es) == 0 {
		return es, nil
	}
	last, prev, err := tx.Head(ctx)
	if err != nil {
		return nil, err
	}
	for i := range es {
		e := &es[i]
		if e.RecordedAt.IsZero() {
			e.RecordedAt = tx.now
		}
		fund.Seal(e, last+1, prev)
		last, prev = e.ID, e.Hash
	}
	return es, tx.appendSealed(ctx, a, es)
}

// AppendSealed writes entries that fund.Seal has already placed after the
// head (a statement import seals them on another goroutine). The first
// must follow the head and each the one before it, or nothing is written.
func (tx *Tx) AppendSealed(ctx context.Context, a audit.Actor, es []fund.Entry) error {
	if len(es) == 0 {
		return nil
	}
	last, prev, err := tx.Head(ctx)
	if err != nil {
		return err
	}
	for i := range es {
		if es[i].ID != last+1 || es[i].PrevHash != prev {
			return fmt.Errorf("bút toán %d không nối tiếp bút toán %d của chuỗi", es[i].ID, last)
		}
		last, prev = es[i].ID, es[i].Hash
	}
	return tx.appendSealed(ctx, a, es)
}

// appendSealed inserts sealed entries, adds them to the balances and to
// the day's digest, audits them and marks the public ledger stale.
// Writers hold the write lock, so the head the entries were sealed after
// is still the head.
func (tx *Tx) appendSealed(ctx context.Context, a audit.Actor, es []fund.Entry) error {
	deltas := map[[2]int64]*balanceDelta{}
	first, last, prev := es[0].ID, es[len(es)-1].ID, es[len(es)-1].Hash
	for i := range es {
		e := &es[i]
		// A reversal has its original's kind and the opposite amount, so
		// adding its effects undoes the original's.
		addEffects(deltas, *e)
		if e.Kind == fund.Receipt {
			tx.raised.add(e.UnitID, e.CampaignID)
		}
		if e.Kind == fund.Disbursement && e.HouseholdID != 0 {
			tx.households.addHousehold(e.HouseholdID)
		}
	}
	var err error
	// Every entry of a batch carries the same instant (the transaction's),
	// so it is formatted once rather than per row.
	var at time.Time
	var atText string
	recorded := func(e *fund.Entry) string {
		if !e.RecordedAt.Equal(at) || atText == "" {
			at, atText = e.RecordedAt, e.RecordedAt.UTC().Format(fund.TimeFormat)
		}
		return atText
	}
	if tuple, ok := sharedReceiptTuple(tx.s.Engine, es, recorded(&es[0])); ok {
		// An import's receipts share seven columns (see sharedReceiptSQL):
		// eight values to bind per row instead of fifteen, 64 rows a
		// statement (execRows says why that pays since migration 0093).
		err = tx.c.Raw(func(dc any) error {
			return tx.execRows(ctx, dc, sharedReceiptInto, tuple, rowsPerInsert, 8, len(es), func(i int, dst []any) []any {
				e := &es[i]
				return append(dst, e.ID, e.Day, e.Amount, e.DocNo, e.Description, e.StatementID, e.Hash, e.Search)
			})
		})
	} else if allDefaults(es) {
		// A receipt read from a bank statement leaves seven columns at
		// their defaults (0, '' or NULL, the values the hash was computed
		// with): not binding them is a third less to bind per row.
		err = tx.appendRows(ctx, "fund_entries", receiptInsertCols, len(es), func(i int, dst []any) []any {
			e := &es[i]
			return append(dst, e.ID, e.CampaignID, e.UnitID, string(e.Kind), e.Day, e.Amount, e.Channel, e.DocNo,
				e.DonorKind, e.Description, e.StatementID, e.EnteredBy, recorded(e), e.Hash, e.Search)
		})
	} else {
		err = tx.appendRows(ctx, "fund_entries", entryInsertCols, len(es), func(i int, dst []any) []any {
			e := &es[i]
			return append(dst, e.ID, e.CampaignID, e.UnitID, e.ToUnitID, string(e.Kind), e.Day, e.Amount, e.Channel, e.DocNo,
				e.DonorKind, e.Donor, e.Description, e.Purpose, e.HouseholdID, nullID(e.Reverses), e.RequestID, e.StatementID,
				e.EnteredBy, e.ApprovedBy, recorded(e), e.Hash, e.Search)
		})
	}
	if err != nil {
		return fmt.Errorf("ghi bút toán %d–%d: %w", first, last, err)
	}
	for k, d := range deltas {
		if _, err := tx.exec(ctx, `INSERT INTO fund_balances (campaign_id, unit_id, received, disbursed, transfer_in, transfer_out) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (campaign_id, unit_id) DO UPDATE SET received = fund_balances.received + excluded.received,
			disbursed = fund_balances.disbursed + excluded.disbursed, transfer_in = fund_balances.transfer_in + excluded.transfer_in,
			transfer_out = fund_balances.transfer_out + excluded.transfer_out`, k[0], k[1], d.received, d.disbursed, d.in, d.out); err != nil {
			return err
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO fund_digests (day, first_id, last_id, entries, head) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (day) DO UPDATE SET last_id = excluded.last_id, entries = fund_digests.entries + excluded.entries, head = excluded.head`,
		clock.Today(tx.now), first, last, len(es), prev); err != nil {
		return err
	}
	if len(es) <= 20 {
		for _, e := range es {
			if err := tx.Audit(ctx, a, "append_"+string(e.Kind), "fund_entry", strconv.FormatInt(e.ID, 10), nil, e); err != nil {
				return err
			}
		}
	} else if err := tx.Audit(ctx, a, "append_entries", "fund_entry", fmt.Sprintf("%d-%d", first, last), nil,
		map[string]any{"first": first, "last": last, "count": len(es), "head": prev}); err != nil {
		return err
	}
	tx.Stale(PageGroup(LedgerPages))
	return nil
}

// copyFrom is the fewest rows the ledger writes with COPY on PostgreSQL.
const copyFrom = 1000

// appendRows writes rows known to be new into a ledger table (entries,
// statement rows), in the writer's transaction. On SQLite each row is one
// execution of a single-row INSERT prepared once for the transaction: a
// multi-row INSERT of the entries opens a statement journal (it may fail
// halfway and must undo its own rows), and copying the pages it touches
// into that journal, then freeing it, was about 45 % of a million-row
// import's CPU when a random index was kept (BENCH.md); a single-row
// INSERT checks its constraints before writing and needs none (execRows).
// On PostgreSQL, multi-row INSERTs, or COPY when there are many.
func (tx *Tx) appendRows(ctx context.Context, table string, cols []string, n int, row func(i int, dst []any) []any) error {
	if n == 0 {
		return nil
	}
	if tx.s.Engine == SQLite {
		return tx.c.Raw(func(dc any) error {
			return tx.execRows(ctx, dc, sqliteInto(table, cols), sqliteTuple(len(cols)), 1, len(cols), n, row)
		})
	}
	if n < copyFrom {
		return tx.s.insertRowsFunc(ctx, tx.c, table, cols, n, row, "")
	}
	return tx.c.Raw(func(dc any) error {
		_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, &copySource{n: n, row: row, i: -1})
		return err
	})
}

// execRows writes n rows with INSERT OR FAIL INTO into VALUES tuple, …,
// perInsert rows per statement (the last rows one at a time), on SQLite's
// driver connection itself, not through database/sql: at a million rows,
// database/sql's per-call work (locks, converting each argument, a result
// per row) was about 2 s of an import's CPU (BENCH.md). Statements are
// prepared once per transaction and used only inside the transaction
// connection's Raw, which the transaction holds until it ends (release
// closes them there).
//
// Several rows per statement save SQLite's per-statement work (opening
// cursors, seeking, halting). SQLite keeps a statement journal for any
// multi-row INSERT, copying into it each page the statement changes that
// existed before it: for rows appended at a table's end a few pages per
// statement, about 3 % of a million-row import's CPU at 64 rows (pprof,
// 6/12/2026). While fund_entries had campaign_id's foreign key (before
// migration 0093) its multi-row INSERTs cost what they saved, and the
// entries went one row per statement (perInsert 1).
//
// Each statement runs under a context that cannot be cancelled, and ctx
// is checked between statements instead: given a cancellable context, the
// driver starts a goroutine to watch it for every statement it runs, and
// one takes microseconds.
func (tx *Tx) execRows(ctx context.Context, dc any, into, tuple string, perInsert, ncols, n int, row func(i int, dst []any) []any) error {
	quiet := context.WithoutCancel(ctx)
	args := make([]any, 0, ncols)
	nv := make([]driver.NamedValue, 0, ncols*perInsert)
	for start := 0; start < n; {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := perInsert
		if n-start < k {
			k = 1 // the last rows one at a time: one more statement, not one per tail length
		}
		exec, err := tx.insertStmt(ctx, dc, into, tuple, k)
		if err != nil {
			return err
		}
		nv = nv[:0]
		for i := start; i < start+k; i++ {
			args = row(i, args[:0])
			if len(args) != ncols {
				return fmt.Errorf("sqlite: %d values for %d columns", len(args), ncols)
			}
			for _, v := range args {
				dv, err := driverValue(v)
				if err != nil {
					return err
				}
				nv = append(nv, driver.NamedValue{Ordinal: len(nv) + 1, Value: dv})
			}
		}
		if _, err := exec.ExecContext(quiet, nv); err != nil {
			return err
		}
		start += k
	}
	return nil
}

// rowsPerInsert is how many rows one INSERT writes into a table with no
// foreign key (execRows).
const rowsPerInsert = 64

// insertStmt is INSERT OR FAIL INTO into VALUES tuple, tuple, … (k
// tuples), prepared once per transaction.
func (tx *Tx) insertStmt(ctx context.Context, dc any, into, tuple string, k int) (driver.StmtExecContext, error) {
	key := insertKey{into, tuple, k}
	st := tx.stmts[key]
	if st == nil {
		var b strings.Builder
		b.WriteString("INSERT OR FAIL INTO ")
		b.WriteString(into)
		b.WriteString(" VALUES ")
		for i := range k {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
		}
		prep, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return nil, fmt.Errorf("sqlite: driver connection %T cannot prepare", dc)
		}
		var err error
		if st, err = prep.PrepareContext(ctx, b.String()); err != nil {
			return nil, err
		}
		if tx.stmts == nil {
			tx.stmts = map[insertKey]driver.Stmt{}
		}
		tx.stmts[key] = st
	}
	exec, ok := st.(driver.StmtExecContext)
	if !ok {
		return nil, fmt.Errorf("sqlite: driver statement %T cannot execute", st)
	}
	return exec, nil
}

// insertKey names a statement insertStmt prepared.
type insertKey struct {
	into, tuple string
	rows        int
}

// sqliteInto and sqliteTuple are the parts of an INSERT of cols for
// execRows.
func sqliteInto(table string, cols []string) string {
	return table + " (" + strings.Join(cols, ", ") + ")"
}

func sqliteTuple(n int) string { return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")" }

// driverValue is v as database/sql would hand it to the driver, for the
// types the ledger writes; anything else goes through database/sql's own
// conversion.
func driverValue(v any) (driver.Value, error) {
	switch x := v.(type) {
	case int64, string, []byte, nil, float64, bool, time.Time:
		return x, nil
	case int:
		return int64(x), nil
	case driver.Valuer:
		return x.Value()
	}
	return driver.DefaultParameterConverter.ConvertValue(v)
}

// importCacheKB is the page cache of a connection importing a bank
// statement, in KiB, for its transaction: the entries' and statement rows'
// index pages a large import keeps touching stay in memory instead of
// being read back from the OS after each eviction. It is given back at the
// end of the transaction (release), since the pool's connections each keep
// their own cache and 8 MB each is what a server can hold (sqliteDSN).
const importCacheKB = 32 << 10

// bigImportCache enlarges the connection's page cache for the rest of the
// transaction, and turns off its automatic WAL checkpoint (SQLite).
//
// A commit that leaves the WAL longer than 1,000 pages copies the whole
// WAL into the database file before it returns: after a million-row
// import, about 1.8 s of the import's time. The import's commit skips it,
// and release asks for a passive checkpoint in the background instead
// (Store.checkpointSoon): the same work, off the import's path, and no
// later writer pays for it either.
func (tx *Tx) bigImportCache(ctx context.Context) error {
	if tx.s.Engine != SQLite || tx.bigCache {
		return nil
	}
	if _, err := tx.exec(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, importCacheKB)); err != nil {
		return err
	}
	tx.bigCache = true
	_, err := tx.exec(ctx, `PRAGMA wal_autocheckpoint = 0`)
	return err
}

// walAutocheckpoint is SQLite's default, which sqliteDSN keeps: a commit
// leaving more WAL pages than this checkpoints.
const walAutocheckpoint = 1000

// release closes the transaction's prepared statements and gives back an
// enlarged page cache and the automatic checkpoint, whether the
// transaction committed or not. A
// connection whose cache cannot be set back is thrown away rather than
// returned to the pool with 32 MB.
func (tx *Tx) release() {
	if len(tx.stmts) > 0 {
		tx.c.Raw(func(any) error {
			for _, st := range tx.stmts {
				st.Close()
			}
			return nil
		})
	}
	tx.stmts = nil
	if tx.bigCache {
		tx.bigCache = false
		_, err := tx.c.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA cache_size = -%d`, cacheKB))
		if err == nil {
			_, err = tx.c.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, walAutocheckpoint))
		}
		if err != nil {
			tx.c.Raw(func(any) error { return driver.ErrBadConn })
		}
		tx.s.checkpointSoon()
	}
}

const requestCols = `id, campaign_id, unit_id, day, amount, purpose, household_id, to_unit_id, beneficiary, note, doc_no, status,
	entered_by_id, entered_by, decided_by_id, decided_by, decided_at, reason, entry_id, created_at`

func scanRequest(sc interface{ Scan(...any) error }) (fund.Request, error) {
	var r fund.Request
	var decided sql.NullTime
	err := sc.Scan(&r.ID, &r.CampaignID, &r.UnitID, &r.Day, &r.Amount, &r.Purpose, &r.HouseholdID, &r.ToUnitID, &r.Beneficiary, &r.Note, &r.DocNo,
		&r.Status, &r.EnteredByID, &r.EnteredBy, &r.DecidedByID, &r.DecidedBy, &decided, &r.Reason, &r.EntryID, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("Không có khoản chi này.")
	}
	r.DecidedAt = decided.Time
	return r, err
}

// Request reads a disbursement request in the transaction.
func (tx *Tx) Request(ctx context.Context, id int64) (fund.Request, error) {
	return scanRequest(tx.queryRow(ctx, `SELECT `+requestCols+` FROM fund_requests WHERE id = $1`, id))
}

// Request reads a disbursement request.
func (s *Store) Request(ctx context.Context, id int64) (fund.Request, error) {
	return scanRequest(s.DB.QueryRowContext(ctx, `SELECT `+requestCols+` FROM fund_requests WHERE id = $1`, id))
}

// Requests lists a campaign's disbursement requests of a status ("" for
// all), newest first.
func (s *Store) Requests(ctx context.Context, campaignID int64, status string) ([]fund.Request, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+requestCols+` FROM fund_requests WHERE campaign_id = $1 AND ($2 = '' OR status = $2) ORDER BY id DESC LIMIT 500`, campaignID, status)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fund.Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PutRequest inserts a new request (ID 0) or records its decision.
func (tx *Tx) PutRequest(ctx context.Context, a audit.Actor, r fund.Request) (fund.Request, error) {
	if r.ID == 0 {
		err := tx.queryRow(ctx, `INSERT INTO fund_requests (campaign_id, unit_id, day, amount, purpose, household_id, to_unit_id, beneficiary, note, doc_no,
			status, entered_by_id, entered_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			r.CampaignID, r.UnitID, r.Day, r.Amount, r.Purpose, r.HouseholdID, r.ToUnitID, r.Beneficiary, r.Note, r.DocNo, r.Status,
			r.EnteredByID, r.EnteredBy, tx.now.UTC()).Scan(&r.ID)
		if err != nil {
			return r, err
		}
		return r, tx.Audit(ctx, a, "request_disbursement", "fund_request", strconv.FormatInt(r.ID, 10), nil, r)
	}
	before, err := tx.Request(ctx, r.ID)
	if err != nil {
		return r, err
	}
	if _, err := tx.exec(ctx, `UPDATE fund_requests SET status = $1, decided_by_id = $2, decided_by = $3, decided_at = $4, reason = $5, entry_id = $6
		WHERE id = $7 AND status = 'pending'`, r.Status, r.DecidedByID, r.DecidedBy, tx.now.UTC(), r.Reason, r.EntryID, r.ID); err != nil {
		return r, err
	}
	tx.Stale(PageGroup(LedgerPages))
	return r, tx.Audit(ctx, a, r.Status+"_disbursement", "fund_request", strconv.FormatInt(r.ID, 10), before, r)
}

// Balance is one unit's books in a campaign.
type Balance struct {
	UnitID      int64  `json:"-"`
	UnitCode    string `json:"unit"`
	UnitName    string `json:"unitName"`
	Received    int64  `json:"received"`
	Disbursed   int64  `json:"disbursed"`
	TransferIn  int64  `json:"transferIn"`
	TransferOut int64  `json:"transferOut"`
}

// Net is what the unit holds.
func (b Balance) Net() int64 { return b.Received - b.Disbursed + b.TransferIn - b.TransferOut }

// Balances are a campaign's balances per unit, by unit code.
func (s *Store) Balances(ctx context.Context, campaignID int64) ([]Balance, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT b.unit_id, u.code, u.name, b.received, b.disbursed, b.transfer_in, b.transfer_out
		FROM fund_balances b JOIN units u ON u.id = b.unit_id WHERE b.campaign_id = $1 ORDER BY u.path`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Balance
	for rows.Next() {
		var b Balance
		if err := rows.Scan(&b.UnitID, &b.UnitCode, &b.UnitName, &b.Received, &b.Disbursed, &b.TransferIn, &b.TransferOut); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Digests are the published daily heads of the chain, newest first.
func (s *Store) Digests(ctx context.Context, limit int) ([]fund.Digest, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT day, last_id, entries, head FROM fund_digests ORDER BY day DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fund.Digest
	for rows.Next() {
		var d fund.Digest
		if err := rows.Scan(&d.Day, &d.LastID, &d.Entries, &d.Head); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// LedgerCheck is what VerifyLedger found.
type LedgerCheck struct {
	Entries  int64       // entries recomputed
	Digests  int         // daily digests compared
	Break    *fund.Break // the first entry that does not match, if any
	Balances []string    // balance rows that do not match the entries (Vietnamese)
}

// OK reports whether the chain, the digests and the balances all match.
func (c LedgerCheck) OK() bool { return c.Break == nil && len(c.Balances) == 0 }

// VerifyLedger recomputes the hash chain from the first entry, compares
// the daily digests with it, and recomputes every balance from the
// entries. It reads in one pass, in id order, holding one entry at a time.
func (s *Store) VerifyLedger(ctx context.Context) (LedgerCheck, error) {
	var out LedgerCheck
	digests, err := s.Digests(ctx, 1<<30)
	if err != nil {
		return out, err
	}
	want := make([]int64, len(digests))
	for i, d := range digests {
		want[i] = d.LastID
	}
	v := fund.NewVerifier(want)
	rows, err := s.DB.QueryContext(ctx, `SELECT `+entryCols+` FROM fund_entries ORDER BY id`)
	if err != nil {
		return out, err
	}
	sums := map[[2]int64]*balanceDelta{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			rows.Close()
			return out, err
		}
		addEffects(sums, e)
		if !v.Next(e) {
			break
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	out.Entries = v.Count()
	for i := len(digests) - 1; i >= 0 && v.Break == nil; i-- {
		if v.CheckDigest(digests[i]) {
			out.Digests++
		}
	}
	out.Break = v.Break
	if out.Break != nil {
		return out, nil
	}
	brows, err := s.DB.QueryContext(ctx, `SELECT campaign_id, unit_id, received, disbursed, transfer_in, transfer_out FROM fund_balances`)
	if err != nil {
		return out, err
	}
	defer brows.Close()
	for brows.Next() {
		var k [2]int64
		var d balanceDelta
		if err := brows.Scan(&k[0], &k[1], &d.received, &d.disbursed, &d.in, &d.out); err != nil {
			return out, err
		}
		got := sums[k]
		delete(sums, k)
		if got == nil {
			got = &balanceDelta{}
		}
		if *got != d {
			out.Balances = append(out.Balances, fmt.Sprintf("chiến dịch %d, đơn vị %d: số dư ghi %+v, tính lại từ bút toán %+v", k[0], k[1], d, *got))
		}
	}
	for k, d := range sums {
		if *d != (balanceDelta{}) {
			out.Balances = append(out.Balances, fmt.Sprintf("chiến dịch %d, đơn vị %d: có bút toán nhưng không có số dư", k[0], k[1]))
		}
	}
	return out, brows.Err()
}

// Unmatched are the entries of a campaign's unit that a statement row may
// pair with: receipts by transfer entered by hand, and disbursements and
// transfers out, not reversed and not paired with a statement row yet.
func (tx *Tx) Unmatched(ctx context.Context, campaignID, unitID int64) (credits, debits map[fund.MatchKey][]int64, err error) {
	credits, debits = map[fund.MatchKey][]int64{}, map[fund.MatchKey][]int64{}
	rows, err := tx.c.QueryContext(ctx, `SELECT e.id, e.kind, e.day, e.amount FROM fund_entries e
		WHERE e.campaign_id = $1 AND e.unit_id = $2 AND e.statement_id = 0 AND e.reverses IS NULL AND e.amount > 0
		AND (e.kind <> 'receipt' OR e.channel = 'transfer')
		AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses = e.id)
		AND NOT EXISTS (SELECT 1 FROM fund_statement_rows s WHERE s.campaign_id = e.campaign_id AND s.entry_id = e.id)
		ORDER BY e.id`, campaignID, unitID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind string
		var k fund.MatchKey
		if err := rows.Scan(&id, &kind, &k.Day, &k.Amount); err != nil {
			return nil, nil, err
		}
		if kind == string(fund.Receipt) {
			credits[k] = append(credits[k], id)
		} else {
			debits[k] = append(debits[k], id)
		}
	}
	return credits, debits, rows.Err()
}

// PutStatement records an imported statement (ID 0), or its counts once
// read.
func (tx *Tx) PutStatement(ctx context.Context, a audit.Actor, st fund.Statement) (fund.Statement, error) {
	if st.ID == 0 {
		err := tx.queryRow(ctx, `INSERT INTO fund_statements (campaign_id, file_name, preset, rows_read, rows_added, imported_at, imported_by)
			VALUES ($1, $2, $3, 0, 0, $4, $5) RETURNING id`, st.CampaignID, st.FileName, st.Preset, tx.now.UTC(), a.Name).Scan(&st.ID)
		return st, err
	}
	added := st.Rows - st.Known
	if _, err := tx.exec(ctx, `UPDATE fund_statements SET rows_read = $1, rows_added = $2 WHERE id = $3`, st.Rows, added, st.ID); err != nil {
		return st, err
	}
	return st, tx.Audit(ctx, a, "import_statement", "fund_statement", strconv.FormatInt(st.ID, 10), nil, st)
}

// statementRows stores a statement's rows, a batch at a time. Whether a
// row is known is decided against the campaign's fingerprints, read once:
// a statement's own rows never repeat a fingerprint (ReadStatement numbers
// identical rows), so only earlier imports can hold one. The import runs
// in the write transaction, so no other writer adds rows meanwhile; that
// is why the table needs no unique index on the fingerprint, which cost a
// random B-tree insert per row (migration 0089).
//
// A row that became a receipt is stored as that receipt (the entry whose
// statement_id is the row's id holds its day, amount and text) plus its
// fingerprint, packed with those of the rows around it into one row of
// fund_statement_receipts (migration 0095); the other rows (debits,
// credits paired with a receipt typed by hand) go to fund_statement_rows.
type statementRows struct {
	tx                    *Tx
	last                  int64
	campaignID, statement int64
	known                 map[fund.Fingerprint]struct{}
}

// StatementRows starts adding a statement's rows. On SQLite the
// connection's page cache is enlarged for the rest of the transaction.
func (tx *Tx) StatementRows(ctx context.Context, campaignID, statementID int64) (fund.StatementWriter, error) {
	if err := tx.bigImportCache(ctx); err != nil {
		return nil, err
	}
	w := &statementRows{tx: tx, campaignID: campaignID, statement: statementID, known: map[fund.Fingerprint]struct{}{}}
	var lastPacked int64
	err := errors.Join(
		tx.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM fund_statement_rows`).Scan(&w.last),
		// Packed runs are written in row order: the newest holds the last.
		tx.queryRow(ctx, `SELECT COALESCE((SELECT first_row + row_count - 1 FROM fund_statement_receipts ORDER BY id DESC LIMIT 1), 0)`).Scan(&lastPacked))
	if err != nil {
		return nil, err
	}
	w.last = max(w.last, lastPacked)
	err = w.readKnown(ctx, `SELECT fingerprint FROM fund_statement_rows WHERE campaign_id = $1`, false)
	if err != nil {
		return nil, err
	}
	return w, w.readKnown(ctx, `SELECT fingerprints FROM fund_statement_receipts WHERE campaign_id = $1`, true)
}

// readKnown adds to w.known the fingerprints query reads: one a value, or
// packed, one or more end to end.
func (w *statementRows) readKnown(ctx context.Context, query string, packed bool) error {
	rows, err := w.tx.c.QueryContext(ctx, query, w.campaignID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b sql.RawBytes
		if err := rows.Scan(&b); err != nil {
			return err
		}
		var f fund.Fingerprint
		switch {
		case !packed && len(b) != len(f):
			return fmt.Errorf("dòng sao kê có vân tay %d byte, cần %d (migration 0089)", len(b), len(f))
		case packed && (len(b) == 0 || len(b)%len(f) != 0):
			return fmt.Errorf("nhóm dòng sao kê đã thành phiếu thu có %d byte vân tay, cần bội số của %d", len(b), len(f))
		}
		for ; len(b) > 0; b = b[len(f):] {
			copy(f[:], b)
			w.known[f] = struct{}{}
		}
	}
	return rows.Err()
}

// Known reports whether the campaign held the fingerprint when the
// import started.
func (w *statementRows) Known(f fund.Fingerprint) bool {
	_, ok := w.known[f]
	return ok
}

// LastID is the largest statement row id when the import started.
func (w *statementRows) LastID() int64 { return w.last }

var statementInsertCols = []string{"id", "campaign_id", "fingerprint", "statement_id", "day", "doc_no", "credit", "debit", "description", "entry_id"}

// receiptRow says whether an added row became a receipt: a credit paired
// with no entry typed by hand.
func receiptRow(x *fund.StoredRow) bool { return x.Credit > 0 && x.EntryID == 0 }

// Write stores rows the import found new: each run of rows that became
// receipts (consecutive ids) as one packed row, the other rows a row
// each; a batch in two writes, however its rows alternate (on PostgreSQL
// each write is a round trip).
func (w *statementRows) Write(ctx context.Context, rows []fund.StoredRow) error {
	var runs [][]fund.StoredRow
	var others []int
	for start := 0; start < len(rows); {
		if !receiptRow(&rows[start]) {
			others = append(others, start)
			start++
			continue
		}
		end := start + 1
		for end < len(rows) && receiptRow(&rows[end]) && rows[end].ID == rows[end-1].ID+1 {
			end++
		}
		runs = append(runs, rows[start:end])
		start = end
	}
	// As execRows: a cancelled request ends the import between writes, not
	// inside one (which leaves PostgreSQL's connection unusable).
	if err := ctx.Err(); err != nil {
		return err
	}
	quiet := context.WithoutCancel(ctx)
	err := w.tx.appendRows(quiet, "fund_statement_receipts", packedReceiptCols, len(runs), func(i int, dst []any) []any {
		run := runs[i]
		fps := make([]byte, 0, len(run)*len(fund.Fingerprint{}))
		for j := range run {
			fps = append(fps, run[j].Fingerprint[:]...)
		}
		return append(dst, w.campaignID, w.statement, run[0].ID, len(run), fps)
	})
	if err != nil {
		return err
	}
	row := func(i int, dst []any) []any {
		x := &rows[others[i]]
		return append(dst, x.ID, w.campaignID, x.Fingerprint[:], w.statement, x.Day, x.DocNo, x.Credit, x.Debit, x.Description, x.EntryID)
	}
	if w.tx.s.Engine != SQLite {
		return w.tx.appendRows(quiet, "fund_statement_rows", statementInsertCols, len(others), row)
	}
	return w.tx.c.Raw(func(dc any) error {
		return w.tx.execRows(ctx, dc, sqliteInto("fund_statement_rows", statementInsertCols), sqliteTuple(len(statementInsertCols)), rowsPerInsert, len(statementInsertCols), len(others), row)
	})
}

var packedReceiptCols = []string{"campaign_id", "statement_id", "first_row", "row_count", "fingerprints"}

// StatementReconciliation is how a campaign's bank rows and its entries
// pair up.
type StatementReconciliation struct {
	Rows, Credits, Debits int64
	CreditsPaired         int64 // credits recorded as receipts or paired with one
	DebitsPaired          int64
	DebitsOpen            []fund.StatementRow // debits paired with nothing (first 100)
	ReceiptsNotOnBank     int64               // receipts by transfer entered by hand that no bank row shows
}

// Reconcile pairs a campaign's statement rows and entries.
func (s *Store) Reconcile(ctx context.Context, c fund.Campaign) (StatementReconciliation, error) {
	var r StatementReconciliation
	err := s.DB.QueryRowContext(ctx, `SELECT count(*), COALESCE(SUM(CASE WHEN credit > 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN debit > 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN debit > 0 AND entry_id <> 0 THEN 1 ELSE 0 END), 0) FROM fund_statement_rows WHERE campaign_id = $1`, c.ID).
		Scan(&r.Rows, &r.Credits, &r.Debits, &r.DebitsPaired)
	if err != nil {
		return r, err
	}
	// Rows that became receipts, packed: credits, each paired with its
	// receipt.
	var receipts int64
	if err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(SUM(row_count), 0) FROM fund_statement_receipts WHERE campaign_id = $1`, c.ID).Scan(&receipts); err != nil {
		return r, err
	}
	r.Rows += receipts
	r.Credits += receipts
	r.CreditsPaired = r.Credits
	rows, err := s.DB.QueryContext(ctx, `SELECT day, doc_no, debit, description FROM fund_statement_rows WHERE campaign_id = $1 AND debit > 0 AND entry_id = 0 ORDER BY id LIMIT 100`, c.ID)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var x fund.StatementRow
		if err := rows.Scan(&x.Day, &x.DocNo, &x.Debit, &x.Description); err != nil {
			return r, err
		}
		x.Description = fund.Mask(x.Description)
		r.DebitsOpen = append(r.DebitsOpen, x)
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	err = s.DB.QueryRowContext(ctx, `SELECT count(*) FROM fund_entries e WHERE e.campaign_id = $1 AND e.unit_id = $2 AND e.kind = 'receipt'
		AND e.channel = 'transfer' AND e.statement_id = 0 AND e.reverses IS NULL
		AND NOT EXISTS (SELECT 1 FROM fund_entries x WHERE x.reverses = e.id)
		AND NOT EXISTS (SELECT 1 FROM fund_statement_rows s WHERE s.campaign_id = e.campaign_id AND s.entry_id = e.id)`, c.ID, c.UnitID).Scan(&r.ReceiptsNotOnBank)
	return r, err
}

// LedgerQuery is a public search of one campaign's ledger.
type LedgerQuery struct {
	CampaignID int64
	Text       string // folded by the caller (vn.Fold): matched as a substring of the entry's search key
	Min, Max   int64  // amount range, 0 for open
	From, To   string // value dates, YYYY-MM-DD, "" for open
	Kind       string // receipt, disbursement, transfer, or "" for all
	Limit      int
	// Scan forces the plain LIKE '%…%' scan of the column, without the
	// index: the baseline the benchmark compares with (same rows).
	Scan bool
}

// SearchLedger finds a campaign's entries, newest value date first. The
// text is matched in the folded, masked search key (fund.SearchKey), so
// "duong" finds "Đường" and a phone number finds nothing. The campaign's
// ledger is searched in memory (ledgerindex, within LedgerSearchMB), which
// gives exactly the rows LIKE '%text%' gives; q.Scan, or a campaign too
// large for the budget, scans the table instead.
func (s *Store) SearchLedger(ctx context.Context, q LedgerQuery) ([]fund.Entry, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 1000
	}
	to := q.To
	if to == "" {
		to = "9999-12-31"
	}
	max := q.Max
	if max <= 0 {
		max = fund.MaxAmount
	}
	text := likeEscape(q.Text)
	if !q.Scan && isDay(q.From) && isDay(to) {
		ix, err := s.ledgerIndex(ctx, q.CampaignID)
		if err != nil {
			return nil, err
		}
		if ix != nil {
			ids := ix.Search(ledgerindex.Query{Text: text, From: dayNumber(q.From), To: dayNumber(to), Min: q.Min, Max: max, Kind: q.Kind, Limit: q.Limit})
			if len(ids) == 0 {
				return nil, nil
			}
			args := make([]any, len(ids))
			for i, id := range ids {
				args[i] = id
			}
			return s.ledgerRows(ctx, `SELECT `+entryCols+` FROM fund_entries WHERE id IN (`+placeholders(1, len(ids))+`)
				ORDER BY day DESC, id DESC`, args...)
		}
	}
	// PostgreSQL's LIKE takes a backslash as its escape character, SQLite's
	// has none: ESCAPE '' makes it match itself on both, as in memory.
	escape := ""
	if s.Engine == Postgres {
		escape = ` ESCAPE ''`
	}
	match := `($7 = '' OR search LIKE '%' || $7 || '%'` + escape + `)`
	if q.Scan {
		// search || '' is no indexed column: the planner must scan.
		match = `($7 = '' OR (search || '') LIKE '%' || $7 || '%'` + escape + `)`
	}
	return s.ledgerRows(ctx, `SELECT `+entryCols+` FROM fund_entries
		WHERE campaign_id = $1 AND day >= $2 AND day <= $3 AND abs(amount) >= $4 AND abs(amount) <= $5 AND ($6 = '' OR kind = $6) AND `+match+`
		ORDER BY day DESC, id DESC LIMIT $8`, q.CampaignID, q.From, to, q.Min, max, q.Kind, text, q.Limit)
}

// isDay says whether s is "" (open) or a YYYY-MM-DD date, the forms the
// in-memory search compares as numbers.
func isDay(s string) bool {
	if s == "" {
		return true
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// placeholders writes $from, $from+1, … for n arguments.
func placeholders(from, n int) string {
	b := make([]byte, 0, n*6)
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(from+i), 10)
	}
	return string(b)
}

// ledgerRows reads entries for the public: masked.
func (s *Store) ledgerRows(ctx context.Context, query string, args ...any) ([]fund.Entry, error) {
	rows, err := s.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fund.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, fund.MaskAll(e))
	}
	return out, rows.Err()
}

// likeEscape drops LIKE's wildcards from a search text: the public
// search matches what was typed, nothing more. It drops NUL too, which
// SQLite's LIKE takes as the pattern's end and PostgreSQL refuses.
func likeEscape(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r != '%' && r != '_' && r != 0 {
			out = append(out, r)
		}
	}
	return string(out)
}

// PutHousehold adds a household to a commune's register; the
// transaction's end writes the commune's T2.2 and T2.3 figures of the year
// anew (finishHouseholds).
func (tx *Tx) PutHousehold(ctx context.Context, a audit.Actor, h fund.Household) (fund.Household, error) {
	err := tx.queryRow(ctx, `INSERT INTO fund_households (unit_id, area_id, year, head, address, status, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		h.UnitID, h.AreaID, h.Year, h.Head, h.Address, h.Status, tx.now.UTC(), a.Name).Scan(&h.ID)
	if err != nil {
		return h, err
	}
	tx.households.addRegister(h.UnitID, h.Year)
	return h, tx.Audit(ctx, a, "register_household", "fund_household", strconv.FormatInt(h.ID, 10), nil, h)
}

// AreasOf are the residential areas under a commune that exist on some
// day of the year, by code.
func (tx *Tx) AreasOf(ctx context.Context, commune unit.Unit, year int) ([]unit.Unit, error) {
	return areasOf(ctx, tx.c, commune, year)
}

// AreasOf is AreasOf outside a transaction, for the register's form.
func (s *Store) AreasOf(ctx context.Context, commune unit.Unit, year int) ([]unit.Unit, error) {
	return areasOf(ctx, s.DB, commune, year)
}

func areasOf(ctx context.Context, q queryer, commune unit.Unit, year int) ([]unit.Unit, error) {
	y := strconv.Itoa(year)
	return queryUnits(ctx, q, `SELECT `+unitCols+` FROM units WHERE parent_id = $1 AND kind = $2 AND valid_from <= $3 AND valid_to >= $4 ORDER BY code, valid_from`,
		commune.ID, string(unit.ResidentialArea), y+"-12-31", y+"-01-01")
}

// HouseholdCount is a commune's households of a status in a year, and how
// many of them got a disbursement for a purpose that year.
type HouseholdCount struct {
	Status     string
	Households int64
	Disbursed  int64 // households with at least one approved, unreversed disbursement of the purpose
}

// HouseholdCounts counts a unit's register for a year by status, and the
// households of each that received a disbursement for purpose (tet_gift
// for T2.2, any purpose with "" for T2.3).
func (s *Store) HouseholdCounts(ctx context.Context, unitID int64, year int, purpose string) ([]HouseholdCount, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT h.status, count(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM fund_entries e
			WHERE e.household_id = h.id AND e.kind = 'disbursement' AND COALESCE(e.reverses, 0) = 0 AND ($3 = '' OR e.purpose = $3)
			AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses = e.id)) THEN 1 ELSE 0 END)
		FROM fund_households h WHERE h.unit_id = $1 AND h.year = $2 GROUP BY h.status ORDER BY h.status`, unitID, year, purpose)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HouseholdCount
	for rows.Next() {
		var c HouseholdCount
		if err := rows.Scan(&c.Status, &c.Households, &c.Disbursed); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
