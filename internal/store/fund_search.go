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

// DefaultMemoryLimitMB is the soft limit a server gives the Go runtime
// for all but the public ledger search (MemoryLimit): the web cache's 64
// MB, the requests in flight and the runtime's own. After 2,000 page views
// of the national data set the live heap was 33–43 MB (BENCH.md), so the
// collector is pushed only when garbage piles up, and gives memory back.
const DefaultMemoryLimitMB = 128

// MemoryLimit is the soft memory limit for the Go runtime
// (debug.SetMemoryLimit): baseMB, plus what the public ledger search holds
// now, which its own budget (LedgerSearchMB) bounds.
func (s *Store) MemoryLimit(baseMB int) int64 {
	return int64(baseMB)<<20 + s.LedgerSearchBytes()
}

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
	checked int64 // every entry up to this id is in ix (under mu)
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
		return int64(min(mb, 1<<30)) << 20
	}
}

// ledgerIndex is the campaign's ledger in memory, brought up to date with
// the entries committed since it was last read, or nil if the campaign is
// searched by scanning. Entries are appended under the write lock with ids
// above every committed one, and never updated or deleted, so the entries
// between the last id checked and the table's largest are exactly what it
// lacks: a search costs a read of the largest id and, after writes, one
// read of the entries written since (those of other campaigns included,
// once).
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
	var last int64
	if err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM fund_entries`).Scan(&last); err != nil {
		return nil, err
	}
	ix := cs.ix.Load()
	if ix != nil && last == cs.checked {
		return ix, nil
	}
	if ix == nil {
		// Too large for the budget: known from the table before reading
		// the entries, so the server never holds what it may not keep.
		var n, text int64
		if err := s.DB.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(octet_length(search)), 0) FROM fund_entries WHERE campaign_id = $1`,
			campaignID).Scan(&n, &text); err != nil {
			return nil, err
		}
		if ledgerindex.Estimate(n, text) > budget {
			s.dropLedgerIndex(campaignID, true)
			return nil, nil
		}
	}
	rows, err := s.ledgerRowsBetween(ctx, campaignID, cs.checked, last, ix == nil)
	if err != nil {
		return nil, err
	}
	if ix == nil {
		ix = ledgerindex.New(rows)
	} else {
		ix = ix.With(rows)
	}
	cs.ix.Store(ix)
	cs.checked = last
	s.fitLedgerBudget(campaignID, ix.Bytes(), budget)
	return ix, nil
}

// dropLedgerIndex forgets a campaign's index; tooBig keeps it scanned
// from then on (until the server restarts).
func (s *Store) dropLedgerIndex(campaignID int64, tooBig bool) {
	ls := &s.ledger
	ls.mu.Lock()
	defer ls.mu.Unlock()
	delete(ls.campaigns, campaignID)
	if tooBig {
		ls.tooBig[campaignID] = true
	}
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

// ledgerRowsBetween reads a campaign's entries with ids in (after, last],
// as the search sees them. The first read of a campaign goes through its
// index; later ones by the primary key from after on (campaign_id + 0), a
// few rows, rather than through the campaign's index, which would visit
// all its entries to find the new ones.
func (s *Store) ledgerRowsBetween(ctx context.Context, campaignID, after, last int64, first bool) ([]ledgerindex.Row, error) {
	query := `SELECT id, day, amount, kind, search FROM fund_entries WHERE id > $2 AND id <= $3 AND campaign_id + 0 = $1`
	if first {
		query = `SELECT id, day, amount, kind, search FROM fund_entries WHERE campaign_id = $1 AND id > $2 AND id <= $3`
	}
	rows, err := s.DB.QueryContext(ctx, query, campaignID, after, last)
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

// LedgerSearchState is what the search holds of a campaign: the entries in
// memory and the id up to which every entry of the table was looked at
// (0, 0 when it holds none), for the server's log and the tests.
func (s *Store) LedgerSearchState(campaignID int64) (entries int, checked int64) {
	ls := &s.ledger
	ls.mu.Lock()
	cs := ls.campaigns[campaignID]
	ls.mu.Unlock()
	if cs == nil {
		return 0, 0
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if ix := cs.ix.Load(); ix != nil {
		return ix.Len(), cs.checked
	}
	return 0, cs.checked
}
