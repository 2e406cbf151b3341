package store

import (
	"context"
	"sync"
	"sync/atomic"

	"mattran/internal/ledgerindex"
)

// DefaultLedgerSearchMB is the memory the public search keeps campaigns'
// ledgers in by default: about two and a half million entries.
const DefaultLedgerSearchMB = 256

// ledgerSearch keeps campaigns' public ledgers in memory for the search
// (ledgerindex), within a budget: the campaigns searched least recently are
// dropped first, and a campaign larger than the whole budget is searched by
// scanning the table, which gives the same rows, slower.
type ledgerSearch struct {
	mu        sync.Mutex
	campaigns map[int64]*campaignSearch
	tooBig    map[int64]bool
	clock     int64 // counts uses, for "least recently"
}

type campaignSearch struct {
	mu      sync.Mutex // one refresh at a time
	ix      atomic.Pointer[ledgerindex.Index]
	lastUse atomic.Int64
}

// ledgerBudget is the search's memory budget in bytes; a negative
// LedgerSearchMB turns the in-memory search off.
func (s *Store) ledgerBudget() int64 {
	switch mb := s.LedgerSearchMB; {
	case mb < 0:
		return 0
	case mb == 0:
		return DefaultLedgerSearchMB << 20
	default:
		return int64(mb) << 20
	}
}

// ledgerIndex is the campaign's ledger in memory, brought up to date with
// the entries committed since it was last read, or nil if the campaign is
// searched by scanning. Entries are appended under the write lock with ids
// above every committed one, and never updated or deleted, so the entries
// after the index's largest id are exactly what it lacks: a search costs
// one indexed read of the new entries, usually none.
func (s *Store) ledgerIndex(ctx context.Context, campaignID int64) (*ledgerindex.Index, error) {
	budget := s.ledgerBudget()
	ls := &s.ledger
	ls.mu.Lock()
	if budget == 0 || ls.tooBig[campaignID] {
		ls.mu.Unlock()
		return nil, nil
	}
	if ls.campaigns == nil {
		ls.campaigns, ls.tooBig = map[int64]*campaignSearch{}, map[int64]bool{}
	}
	cs := ls.campaigns[campaignID]
	if cs == nil {
		cs = &campaignSearch{}
		ls.campaigns[campaignID] = cs
	}
	ls.clock++
	cs.lastUse.Store(ls.clock)
	ls.mu.Unlock()

	cs.mu.Lock()
	defer cs.mu.Unlock()
	ix := cs.ix.Load()
	after := int64(0)
	if ix != nil {
		after = ix.MaxID()
	}
	rows, err := s.ledgerRowsAfter(ctx, campaignID, after)
	if err != nil {
		return nil, err
	}
	switch {
	case ix == nil:
		ix = ledgerindex.New(rows)
	case len(rows) > 0:
		ix = ix.With(rows)
	default:
		return ix, nil
	}
	cs.ix.Store(ix)
	s.fitLedgerBudget(campaignID, ix.Bytes(), budget)
	return ix, nil
}

// fitLedgerBudget drops the campaigns searched least recently until the
// budget holds the one just read; if it alone passes the budget, it is
// dropped and scanned from then on (until the server restarts).
func (s *Store) fitLedgerBudget(campaignID, size, budget int64) {
	ls := &s.ledger
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if size > budget {
		delete(ls.campaigns, campaignID)
		ls.tooBig[campaignID] = true
		return
	}
	for {
		total := int64(0)
		var oldest int64
		oldestUse := int64(-1)
		for id, cs := range ls.campaigns {
			ix := cs.ix.Load()
			if ix == nil {
				continue
			}
			total += ix.Bytes()
			if id != campaignID && (oldestUse < 0 || cs.lastUse.Load() < oldestUse) {
				oldest, oldestUse = id, cs.lastUse.Load()
			}
		}
		if total <= budget || oldestUse < 0 {
			return
		}
		delete(ls.campaigns, oldest)
	}
}

// ledgerRowsAfter reads a campaign's entries with ids above after, as the
// search sees them.
func (s *Store) ledgerRowsAfter(ctx context.Context, campaignID, after int64) ([]ledgerindex.Row, error) {
	// campaign_id + 0: read by the primary key from after on (none or a few
	// rows, or the whole table once, in order) rather than through the
	// campaign's index, which would visit all its entries to find the new.
	rows, err := s.DB.QueryContext(ctx, `SELECT id, day, amount, kind, search FROM fund_entries WHERE id > $2 AND campaign_id + 0 = $1`, campaignID, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledgerindex.Row
	for rows.Next() {
		var r ledgerindex.Row
		var day string
		if err := rows.Scan(&r.ID, &day, &r.Amount, &r.Kind, &r.Text); err != nil {
			return nil, err
		}
		r.Day = dayNumber(day)
		out = append(out, r)
	}
	return out, rows.Err()
}

// dayNumber is a YYYY-MM-DD date as YYYYMMDD, 0 for "" (open); anything
// else compares as its digits do, which keeps the order of well-formed
// dates, the only ones the ledger writes.
func dayNumber(day string) int32 {
	n := int32(0)
	for i := 0; i < len(day); i++ {
		if c := day[i]; c >= '0' && c <= '9' {
			n = n*10 + int32(c-'0')
		}
	}
	return n
}

// WarmLedgerSearch reads every campaign's ledger into memory, the newest
// campaigns last so that they stay if the budget cannot hold them all: the
// first citizen to search then waits for no load (about a second for a
// million entries).
func (s *Store) WarmLedgerSearch(ctx context.Context) error {
	cs, err := s.Campaigns(ctx)
	if err != nil {
		return err
	}
	for i := len(cs) - 1; i >= 0 && ctx.Err() == nil; i-- {
		if _, err := s.ledgerIndex(ctx, cs[i].ID); err != nil {
			return err
		}
	}
	return nil
}

// LedgerSearchBytes is about the memory the public search holds now.
func (s *Store) LedgerSearchBytes() int64 {
	ls := &s.ledger
	ls.mu.Lock()
	defer ls.mu.Unlock()
	n := int64(0)
	for _, cs := range ls.campaigns {
		if ix := cs.ix.Load(); ix != nil {
			n += ix.Bytes()
		}
	}
	return n
}
