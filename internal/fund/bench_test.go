package fund_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// statementCSV writes n rows in the style of the 2024 statements: mixed
// diacritics, phone numbers in descriptions, repeated document numbers.
func statementCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Ngày GD;Số CT;Số tiền ghi nợ;Số tiền ghi có;Số dư;Nội dung chi tiết\n")
	names := []string{"NGUYEN VAN DUONG", "Trần Thị Hoa", "Lê Văn Tư", "PHAM THI LAN", "Đỗ Minh Đức"}
	for i := range n {
		day := 10 + i%20
		fmt.Fprintf(&b, "%02d/09/2024;%d.%d;;%s;;MBVCB.%d.%s ung ho dong bao bao Yagi 09%08d\n",
			day, 5000+i%977, i%50000, strconv.Itoa(10_000*(1+i%500)), 6900000000+i, names[i%len(names)], i)
	}
	return b.Bytes()
}

// BenchmarkImportStatement imports a statement of MATTRAN_BENCH_ROWS rows
// (default 100,000; BENCH.md uses 1,000,000) into a fresh relief campaign,
// on SQLite and, with MATTRAN_TEST_POSTGRES, on PostgreSQL.
func BenchmarkImportStatement(b *testing.B) {
	rows := 100_000
	if v, err := strconv.Atoi(os.Getenv("MATTRAN_BENCH_ROWS")); err == nil {
		rows = v
	}
	data := statementCSV(rows)
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				var s *store.Store
				if engine == "sqlite" {
					s = storetest.SQLite(b)
				} else {
					s = storetest.Postgres(b)
				}
				w := setupB(b, s)
				runtime.GC()
				b.StartTimer()
				err := s.WithTx(context.Background(), func(tx *store.Tx) error {
					st, err := fund.ImportStatement(context.Background(), tx, officer, w.prov, w.c.ID, "b.csv", fund.Generic, bytes.NewReader(data))
					if err == nil && st.Receipts != rows {
						err = fmt.Errorf("%d receipts, want %d", st.Receipts, rows)
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

// BenchmarkPublicSearch measures the public search over a campaign of
// MATTRAN_BENCH_ROWS imported transfers (default 200,000, the size of one
// bank's Yagi statement): each op is one search, cycling through the
// queries; p95 is reported over all ops. The search is today a LIKE scan of
// the folded column, so this is also the LIKE baseline the n-gram index
// must beat.
func BenchmarkPublicSearch(b *testing.B) {
	rows := 200_000
	if v, err := strconv.Atoi(os.Getenv("MATTRAN_BENCH_ROWS")); err == nil {
		rows = v
	}
	s := storetest.SQLite(b)
	w := setupB(b, s)
	ctx := context.Background()
	err := s.WithTx(ctx, func(tx *store.Tx) error {
		_, err := fund.ImportStatement(ctx, tx, officer, w.prov, w.c.ID, "b.csv", fund.Generic, bytes.NewReader(statementCSV(rows)))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	queries := []string{"duong", "nguyen van", "tran thi hoa", "do minh duc", "6900012", "khong co ai"}
	var times []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := s.SearchLedger(ctx, store.LedgerQuery{CampaignID: w.c.ID, Text: queries[i%len(queries)], Limit: 50}); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
}
