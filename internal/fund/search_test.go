package fund_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// TestSearchIndexExact: the indexed search gives exactly the rows of a
// plain LIKE scan, in the same order, for common and rare texts, with
// every filter, on both engines; a page of 7 is read in several batches.
func TestSearchIndexExact(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := fund.ImportStatement(ctx, tx, officer, w.prov, w.c.ID, "b.csv", fund.Generic, bytes.NewReader(statementCSV(3000)))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		w.receive(t, w.prov, 1_000_000, "Nguyễn Văn Đường", "ủng hộ 0987654321")
		queries := []store.LedgerQuery{
			{Text: "duong"}, {Text: "nguyen van", Limit: 7}, {Text: "do minh duc", From: "2024-09-12", To: "2024-09-15"},
			{Text: "tran thi", Min: 100_000, Max: 900_000, Limit: 30}, {Text: "69000012"}, {Text: "khong co ai"},
			{Text: "ung ho", Kind: "receipt", Limit: 3}, {Text: "*******321"}, {Text: "yagi 09"}, {Text: "du"},
		}
		for _, q := range queries {
			q.CampaignID = w.c.ID
			got, want := searchBoth(t, s, q)
			if !slices.Equal(got, want) {
				t.Errorf("%+v: index %v, scan %v", q, got, want)
			}
		}
	})
}

// TestSearchAfterLargeImport: an import large enough that the SQLite
// search index is filled in one statement at the end of the transaction,
// with the larger buffer (store.bigSearchFill, 50,000 entries), finds its
// rows like a scan does, its last row included; on PostgreSQL the same
// import writes with COPY.
func TestSearchAfterLargeImport(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 50,000 rows")
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		const n = 50_000
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			st, err := fund.ImportStatement(ctx, tx, officer, w.prov, w.c.ID, "b.csv", fund.Generic, bytes.NewReader(statementCSV(n)))
			if err == nil && st.Receipts != n {
				t.Errorf("%d receipts, want %d", st.Receipts, n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// The last row's document number: 5000+49999%977 "." 49999.
		for _, q := range []store.LedgerQuery{{Text: "5172.49999"}, {Text: "nguyen van", Limit: 20}, {Text: "do minh duc", From: "2024-09-29"}} {
			q.CampaignID = w.c.ID
			got, want := searchBoth(t, s, q)
			if len(got) == 0 || !slices.Equal(got, want) {
				t.Fatalf("%q: the index finds %v, the scan %v", q.Text, got, want)
			}
		}
	})
}

// searchBoth runs a search through the index and as a scan, and gives the
// ids each found.
func searchBoth(t *testing.T, s *store.Store, q store.LedgerQuery) (index, scan []int64) {
	t.Helper()
	for _, mode := range []bool{false, true} {
		q.Scan = mode
		es, err := s.SearchLedger(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, e := range es {
			ids = append(ids, e.ID)
		}
		if mode {
			scan = ids
		} else {
			index = ids
		}
	}
	return index, scan
}
