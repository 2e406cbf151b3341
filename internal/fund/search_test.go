package fund_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
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
		w.receive(t, w.prov, 200_000, "Cty A\\B", `chuyen khoan a\b ung ho`)
		w.receive(t, w.prov, 300_000, "Cty AB", "chuyen khoan ab ung ho")
		queries := []store.LedgerQuery{
			{Text: "duong"}, {Text: "nguyen van", Limit: 7}, {Text: "do minh duc", From: "2024-09-12", To: "2024-09-15"},
			{Text: "tran thi", Min: 100_000, Max: 900_000, Limit: 30}, {Text: "69000012"}, {Text: "khong co ai"},
			{Text: "ung ho", Kind: "receipt", Limit: 3}, {Text: "*******321"}, {Text: "yagi 09"}, {Text: "du"},
			{Text: `a\b`}, {Text: `\`}, {Text: "6\x00zzz"}, {Text: "ab"},
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

// TestSearchAfterLargeImport: a large import (50,000 rows, written with
// COPY on PostgreSQL) is found by the in-memory search like a scan finds
// it, its last row included; a server whose budget is smaller than the
// campaign scans, with the same rows; a search switched off scans too.
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
		small := &store.Store{DB: s.DB, Engine: s.Engine, Clock: s.Clock, LedgerSearchMB: 1}
		off := &store.Store{DB: s.DB, Engine: s.Engine, Clock: s.Clock, LedgerSearchMB: -1}
		// The last row's document number: 5000+49999%977 "." 49999.
		for _, q := range []store.LedgerQuery{{Text: "5172.49999"}, {Text: "nguyen van", Limit: 20}, {Text: "do minh duc", From: "2024-09-29"}} {
			q.CampaignID = w.c.ID
			got, want := searchBoth(t, s, q)
			if len(got) == 0 || !slices.Equal(got, want) {
				t.Fatalf("%q: the search finds %v, the scan %v", q.Text, got, want)
			}
			for _, other := range []*store.Store{small, off} {
				if got2, _ := searchBoth(t, other, q); !slices.Equal(got2, want) {
					t.Fatalf("%q, LedgerSearchMB %d: %v, the scan %v", q.Text, other.LedgerSearchMB, got2, want)
				}
			}
		}
	})
}

// TestSearchSeesNewEntries: a search made once keeps the campaign in
// memory; entries written afterwards, by this server or by another one on
// the same database, with value dates before and after the ones held, are
// found by the next search in their place, and a reversal is found beside
// its original.
func TestSearchSeesNewEntries(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := fund.ImportStatement(ctx, tx, officer, w.prov, w.c.ID, "b.csv", fund.Generic, bytes.NewReader(statementCSV(500)))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// Another server on the same database: its own memory.
		other := &store.Store{DB: s.DB, Engine: s.Engine, Clock: s.Clock}
		q := store.LedgerQuery{CampaignID: w.c.ID, Text: "nguyen thi xuan", Limit: 20}
		for _, x := range []*store.Store{s, other} {
			if got, _ := searchBoth(t, x, q); len(got) != 0 {
				t.Fatalf("found %v before it was written", got)
			}
		}
		e := w.receive(t, w.prov, 2_000_000, "Nguyễn Thị Xuân", "ủng hộ đồng bào 0912345678")
		err = s.WithTx(ctx, func(tx *store.Tx) error {
			// Older value dates than the entry above, in a second statement.
			data := bytes.ReplaceAll(statementCSV(30), []byte("NGUYEN VAN DUONG"), []byte("NGUYỄN THỊ XUÂN"))
			_, err := fund.ImportStatement(ctx, tx, officer, w.prov, w.c.ID, "b2.csv", fund.Generic, bytes.NewReader(bytes.ReplaceAll(data, []byte("/09/2024"), []byte("/08/2024"))))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range []*store.Store{s, other} {
			got, want := searchBoth(t, x, q)
			if len(got) != 7 || got[0] != e.ID || !slices.Equal(got, want) {
				t.Fatalf("after the writes: %v, the scan %v (want %d first, 7 rows)", got, want, e.ID)
			}
			es, err := x.SearchLedger(ctx, store.LedgerQuery{CampaignID: w.c.ID, Text: "xuan", Limit: 1})
			if err != nil || len(es) != 1 || es[0].ID != e.ID || strings.Contains(es[0].Description, "0912345678") {
				t.Fatalf("the newest: %+v, %v (masked, want id %d)", es, err, e.ID)
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

// TestSearchSkipsOtherCampaigns: entries written into another campaign are
// looked at once by the next search of this one, not at every search: the
// id up to which the table was read moves past them, and this campaign's
// entries in memory stay as they were.
func TestSearchSkipsOtherCampaigns(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		small := w.receive(t, w.prov, 500_000, "Lê Thị Thu", "ủng hộ quỹ")
		var other fund.Campaign
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			var err error
			other, err = fund.OpenCampaign(ctx, tx, leader, w.prov, fund.Campaign{Code: "LULU-2024", Name: "Ủng hộ đồng bào vùng lũ",
				Kind: fund.Relief, Year: 2024, ReceiveFrom: "2024-09-09", ReceiveTo: "2024-10-31", DistributeTo: "2024-11-15", Bank: "BIDV", Account: "12010000123456"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		q := store.LedgerQuery{CampaignID: w.c.ID, Text: "thu", Limit: 10}
		if got, _ := searchBoth(t, s, q); len(got) != 1 || got[0] != small.ID {
			t.Fatalf("first search: %v", got)
		}
		err = s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := fund.ImportStatement(ctx, tx, officer, w.prov, other.ID, "b.csv", fund.Generic, bytes.NewReader(statementCSV(2000)))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var last int64
		if err := s.DB.QueryRow(`SELECT max(id) FROM fund_entries`).Scan(&last); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if got, _ := searchBoth(t, s, q); len(got) != 1 || got[0] != small.ID {
				t.Fatalf("after the other campaign's import: %v", got)
			}
			if n, checked := s.LedgerSearchState(w.c.ID); n != 1 || checked != last {
				t.Fatalf("held %d entries, read up to id %d; want 1 and %d", n, checked, last)
			}
		}
	})
}
