package fund

import (
	"context"
	"io"

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

// StatementWriter adds a statement's rows in one transaction.
type StatementWriter interface {
	// Add stores a row unless a row with its fingerprint is stored for
	// the campaign; it returns the row's id and whether it was added.
	// entryID links it to the entry it matched (0 for none).
	Add(ctx context.Context, r StatementRow, entryID int64) (id int64, added bool, err error)
	// Flush writes the rows added and not yet written.
	Flush(ctx context.Context) error
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
}

// appendBatch is how many receipts an import seals and writes at once.
const appendBatch = 4096

// ImportStatement reads a statement into the campaign's account, in one
// transaction: every row it has not seen before is stored; a credit
// becomes a receipt of the campaign's unit unless it matches a receipt
// entered by hand (same day and amount), and a debit is paired with a
// disbursement or transfer when one matches. A statement imported again
// finds every row known and adds nothing. A file with any bad row is
// refused whole, naming the rows.
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
	now := tx.Now()
	batch := make([]Entry, 0, appendBatch)
	flush := func() error {
		if err := w.Flush(ctx); err != nil || len(batch) == 0 {
			return err
		}
		_, err := tx.Append(ctx, a, batch)
		batch = batch[:0]
		return err
	}
	take := func(m map[MatchKey][]int64, k MatchKey) int64 {
		ids := m[k]
		if len(ids) == 0 {
			return 0
		}
		m[k] = ids[1:]
		return ids[0]
	}
	res := &st.Result
	n, err := ReadStatement(r, preset, func(row StatementRow) error {
		var match int64
		if row.Credit > 0 {
			match = take(credits, MatchKey{row.Day, row.Credit})
		} else {
			match = take(debits, MatchKey{row.Day, row.Debit})
		}
		id, added, err := w.Add(ctx, row, match)
		if err != nil {
			return err
		}
		switch {
		case !added:
			res.Known++
			if match != 0 { // known rows were paired (or not) when first imported
				if row.Credit > 0 {
					credits[MatchKey{row.Day, row.Credit}] = append([]int64{match}, credits[MatchKey{row.Day, row.Credit}]...)
				} else {
					debits[MatchKey{row.Day, row.Debit}] = append([]int64{match}, debits[MatchKey{row.Day, row.Debit}]...)
				}
			}
		case row.Credit > 0 && match != 0:
			res.CreditsMatched++
		case row.Credit > 0:
			res.Receipts++
			batch = append(batch, Entry{CampaignID: c.ID, UnitID: c.UnitID, Kind: Receipt, Day: row.Day, Amount: row.Credit,
				Channel: BankWire, DocNo: row.DocNo, DonorKind: FromStatement, Description: row.Description, StatementID: id,
				EnteredBy: a.Name, RecordedAt: now})
			if len(batch) == appendBatch {
				return flush()
			}
		case match != 0:
			res.DebitsMatched++
		default:
			res.DebitsOpen++
		}
		return nil
	})
	if err != nil {
		return Statement{}, err
	}
	if err := flush(); err != nil {
		return Statement{}, err
	}
	res.Rows = n
	return tx.PutStatement(ctx, a, st)
}
