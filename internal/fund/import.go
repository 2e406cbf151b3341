package fund

import (
	"context"
	"errors"
	"io"
	"time"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/unit"
)

// FromStatement is the donor kind of a receipt read from a bank statement:
// the donor is whoever the description names.
const FromStatement = "statement"

// Statement is one imported bank statement file.
type Statement struct {
	ID         int64  `json:"id"`
	CampaignID int64  `json:"campaign"`
	FileName   string `json:"fileName"`
	Preset     string `json:"preset"`
	Result
}

// Result is what an import did, for the page and the API.
type Result struct {
	Rows           int `json:"rows"`           // transactions read
	Known          int `json:"known"`          // already imported: added nothing
	Receipts       int `json:"receipts"`       // credits recorded as new receipts
	CreditsMatched int `json:"creditsMatched"` // credits matching a receipt entered by hand
	DebitsMatched  int `json:"debitsMatched"`  // debits matching a disbursement or transfer
	DebitsOpen     int `json:"debitsOpen"`     // debits matching nothing yet: to look at
}

// MatchKey is how a statement row and an entry are paired: the same day
// and amount.
type MatchKey struct {
	Day    string
	Amount int64
}

// StoredRow is a statement row as the import stores it: its id (given
// by the import, after StatementWriter.LastID) and the entry it was paired
// with (0 for none).
type StoredRow struct {
	ID      int64
	EntryID int64
	StatementRow
}

// StatementWriter stores a statement's rows in one transaction. Known and
// LastID read what the writer found when it started, and may be called
// from another goroutine than Write: Write changes neither.
type StatementWriter interface {
	// Known reports whether the campaign already holds a row with this
	// fingerprint (from an earlier import: a statement's own rows never
	// repeat one, ReadStatement numbers identical rows).
	Known(f Fingerprint) bool
	// LastID is the largest statement row id when the writer started.
	LastID() int64
	// Write stores rows known to be new, in order.
	Write(ctx context.Context, rows []StoredRow) error
}

// StatementTx is what an import needs of a transaction.
type StatementTx interface {
	Tx
	// Unmatched are the campaign unit's entries a statement row may pair
	// with, by day and amount: receipts by transfer entered by hand, and
	// disbursements and transfers paid, none already paired.
	Unmatched(ctx context.Context, campaignID, unitID int64) (credits, debits map[MatchKey][]int64, err error)
	PutStatement(ctx context.Context, a audit.Actor, s Statement) (Statement, error)
	StatementRows(ctx context.Context, campaignID, statementID int64) (StatementWriter, error)
	// Head is the last entry of the chain (0 and "" for none).
	Head(ctx context.Context) (id int64, hash string, err error)
	// AppendSealed writes entries Seal has already placed after Head, in
	// order, and does the rest of what Append does.
	AppendSealed(ctx context.Context, a audit.Actor, es []Entry) error
}

// appendBatch is how many statement rows an import reads before handing
// them, and the receipts they make, to be written.
const appendBatch = 4096

// importDepth is how many read batches wait to be written: the bound on
// what an import holds in memory besides the fingerprints (about 5,000
// rows' worth of text per batch).
const importDepth = 4

// importBatch is a batch of rows read, fingerprinted, paired and sealed,
// on its way to being written.
type importBatch struct {
	rows    []StoredRow
	entries []Entry
}

// ImportStatement reads a statement into the campaign's account, in one
// transaction: every row it has not seen before is stored; a credit
// becomes a receipt of the campaign's unit unless it matches a receipt
// entered by hand (same day and amount), and a debit is paired with a
// disbursement or transfer when one matches. A statement imported again
// finds every row known and adds nothing. A file with any bad row is
// refused whole, naming the rows.
//
// The reading runs beside the writing, on two cores: a goroutine reads,
// parses, fingerprints, pairs and seals the rows (sealing needs only the
// previous hash and the next id, both known here since the import holds
// the write lock), and hands batches to the caller's goroutine, which
// alone uses the transaction. A failure on either side stops both, the
// reader is waited for before returning, and the error makes the caller
// roll the whole transaction back.
func ImportStatement(ctx context.Context, tx StatementTx, a audit.Actor, u unit.Unit, campaignID int64, fileName string, preset Preset, r io.Reader) (Statement, error) {
	c, err := tx.Campaign(ctx, campaignID)
	if err != nil {
		return Statement{}, err
	}
	if c.UnitID != u.ID {
		return Statement{}, errs.New(errs.Invalid, "Sao kê nhập vào tài khoản của %s, đơn vị mở chiến dịch.", c.UnitName)
	}
	credits, debits, err := tx.Unmatched(ctx, c.ID, c.UnitID)
	if err != nil {
		return Statement{}, err
	}
	st, err := tx.PutStatement(ctx, a, Statement{CampaignID: c.ID, FileName: fileName, Preset: preset.Name})
	if err != nil {
		return Statement{}, err
	}
	w, err := tx.StatementRows(ctx, c.ID, st.ID)
	if err != nil {
		return Statement{}, err
	}
	last, prev, err := tx.Head(ctx)
	if err != nil {
		return Statement{}, err
	}
	rd := &statementImport{ctx: ctx, c: c, a: a, now: tx.Now(), w: w, credits: credits, debits: debits, nextRow: w.LastID(), last: last, prev: prev,
		full: make(chan *importBatch, importDepth), free: make(chan *importBatch, importDepth+2), stop: make(chan struct{})}
	for range importDepth + 2 {
		rd.free <- &importBatch{}
	}
	go rd.run(r, preset)
	// However this returns (a panic in a write included), the reader is
	// stopped and waited for before the transaction can end.
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			close(rd.stop)
		}
	}
	defer func() {
		stop()
		for range rd.full {
		}
	}()
	var werr error
	for b := range rd.full {
		if werr == nil {
			if werr = writeBatch(ctx, tx, a, w, b); werr != nil {
				stop()
			}
		}
		clear(b.rows)
		clear(b.entries)
		b.rows, b.entries = b.rows[:0], b.entries[:0]
		rd.free <- b
	}
	// The reader has returned: full is closed after its last write.
	if rd.panicked != nil {
		panic(rd.panicked)
	}
	if werr != nil {
		return Statement{}, werr
	}
	if rd.err != nil {
		return Statement{}, rd.err
	}
	st.Result = rd.res
	return tx.PutStatement(ctx, a, st)
}

// writeBatch writes a batch's statement rows, then its receipts.
func writeBatch(ctx context.Context, tx StatementTx, a audit.Actor, w StatementWriter, b *importBatch) error {
	if err := w.Write(ctx, b.rows); err != nil {
		return err
	}
	if len(b.entries) == 0 {
		return nil
	}
	return tx.AppendSealed(ctx, a, b.entries)
}

// errImportStopped ends the reading once the writing failed.
var errImportStopped = errors.New("nhập sao kê: đã dừng")

// statementImport is the reading side of an import; it never touches
// the transaction.
type statementImport struct {
	ctx        context.Context
	c          Campaign
	a          audit.Actor
	now        time.Time
	w          StatementWriter
	credits    map[MatchKey][]int64
	debits     map[MatchKey][]int64
	nextRow    int64  // the last statement row id given
	last       int64  // the chain's head: id and hash
	prev       string //
	full, free chan *importBatch
	stop       chan struct{} // closed when the writing failed
	batch      *importBatch
	res        Result
	err        error // the reading's error, read once full is closed
	panicked   any   // a panic of the reader, raised again in the caller's goroutine
}

func (rd *statementImport) run(r io.Reader, preset Preset) {
	defer close(rd.full)
	defer func() {
		if p := recover(); p != nil {
			rd.panicked = p
		}
	}()
	rd.batch = <-rd.free
	n, err := ReadStatement(r, preset, rd.row)
	if err == nil {
		err = rd.send()
	}
	if err == errImportStopped {
		err = nil // the writer's error is the one to report
	}
	rd.res.Rows, rd.err = n, err
}

// send hands the batch being filled to the writer and takes an empty one.
func (rd *statementImport) send() error {
	if len(rd.batch.rows) == 0 {
		return nil
	}
	select {
	case rd.full <- rd.batch:
	case <-rd.stop:
		return errImportStopped
	case <-rd.ctx.Done():
		return rd.ctx.Err()
	}
	rd.batch = <-rd.free // never waits long: the writer gives each batch back
	return nil
}

func take(m map[MatchKey][]int64, k MatchKey) int64 {
	ids := m[k]
	if len(ids) == 0 {
		return 0
	}
	m[k] = ids[1:]
	return ids[0]
}

// row handles one transaction of the statement.
func (rd *statementImport) row(row StatementRow) error {
	res := &rd.res
	var match int64
	if row.Credit > 0 {
		match = take(rd.credits, MatchKey{row.Day, row.Credit})
	} else {
		match = take(rd.debits, MatchKey{row.Day, row.Debit})
	}
	if rd.w.Known(row.Fingerprint) {
		res.Known++
		if match != 0 { // known rows were paired (or not) when first imported
			if row.Credit > 0 {
				k := MatchKey{row.Day, row.Credit}
				rd.credits[k] = append([]int64{match}, rd.credits[k]...)
			} else {
				k := MatchKey{row.Day, row.Debit}
				rd.debits[k] = append([]int64{match}, rd.debits[k]...)
			}
		}
		return nil
	}
	rd.nextRow++
	b := rd.batch
	b.rows = append(b.rows, StoredRow{ID: rd.nextRow, EntryID: match, StatementRow: row})
	switch {
	case row.Credit > 0 && match != 0:
		res.CreditsMatched++
	case row.Credit > 0:
		res.Receipts++
		b.entries = append(b.entries, Entry{CampaignID: rd.c.ID, UnitID: rd.c.UnitID, Kind: Receipt, Day: row.Day, Amount: row.Credit,
			Channel: BankWire, DocNo: row.DocNo, DonorKind: FromStatement, Description: row.Description, StatementID: rd.nextRow,
			EnteredBy: rd.a.Name, RecordedAt: rd.now})
		e := &b.entries[len(b.entries)-1]
		Seal(e, rd.last+1, rd.prev)
		rd.last, rd.prev = e.ID, e.Hash
	case match != 0:
		res.DebitsMatched++
	default:
		res.DebitsOpen++
	}
	if len(b.rows) == appendBatch {
		return rd.send()
	}
	return nil
}
