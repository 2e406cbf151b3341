package fund_test

import (
	"bytes"
	"context"
	"errors"
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
// Its days cycle through 20 on every row, so that any slice of the file
// spans them all (the tests' filters by date need that).
func statementCSV(n int) []byte {
	return statementFile(n, func(i int) int { return 10 + i%20 })
}

// statementByDate is statementCSV's rows as a bank lists them, by date:
// the same 20 days, each a run of n/20 rows.
func statementByDate(n int) []byte {
	return statementFile(n, func(i int) int { return 10 + i*20/n })
}

func statementFile(n int, day func(i int) int) []byte {
	var b bytes.Buffer
	b.WriteString("Ngày GD;Số CT;Số tiền ghi nợ;Số tiền ghi có;Số dư;Nội dung chi tiết\n")
	names := []string{"NGUYEN VAN DUONG", "Trần Thị Hoa", "Lê Văn Tư", "PHAM THI LAN", "Đỗ Minh Đức"}
	for i := range n {
		fmt.Fprintf(&b, "%02d/09/2024;%d.%d;;%s;;MBVCB.%d.%s ung ho dong bao bao Yagi 09%08d\n",
			day(i), 5000+i%977, i%50000, strconv.Itoa(10_000*(1+i%500)), 6900000000+i, names[i%len(names)], i)
	}
	return b.Bytes()
}

// engineStore is a fresh store on engine, "sqlite" or "postgres" (skipped
// without MATTRAN_TEST_POSTGRES).
func engineStore(b *testing.B, engine string) *store.Store {
	if engine == "sqlite" {
		return storetest.SQLite(b)
	}
	return storetest.Postgres(b)
}

// BenchmarkImportStatement imports a statement of MATTRAN_BENCH_ROWS rows
// (default 100,000; BENCH.md uses 1,000,000) into a fresh relief campaign,
// on SQLite and, with MATTRAN_TEST_POSTGRES, on PostgreSQL: "sqlite" and
// "postgres" a statement in date order, as banks print them; "…-days-mixed"
// the same rows with their days interleaved row by row (statementCSV), the
// worst order for the ledger's index by campaign and day, which then
// grows at 20 places at once instead of at its end.
func BenchmarkImportStatement(b *testing.B) {
	rows := 100_000
	if v, err := strconv.Atoi(os.Getenv("MATTRAN_BENCH_ROWS")); err == nil {
		rows = v
	}
	byDate, mixed := statementByDate(rows), statementCSV(rows)
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, shape := range []string{"", "-days-mixed"} {
			data := byDate
			if shape != "" {
				data = mixed
			}
			b.Run(engine+shape, func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					s := engineStore(b, engine)
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
}

// BenchmarkPublicSearch measures the public search over a campaign of
// MATTRAN_BENCH_ROWS imported transfers (default 200,000, the size of one
// bank's Yagi statement; BENCH.md uses 1,000,000), on SQLite and, with
// MATTRAN_TEST_POSTGRES, on PostgreSQL: the same queries through the
// in-memory search ("index", store/fund_search.go) and as a plain
// LIKE '%…%' scan of the column ("scan"), in the same run. Each op is one
// query, cycling through them; p95 is over all ops. Before timing, the
// first search reads the campaign into memory (load-ms, reported), and
// each query's rows through the index are checked to be the scan's rows.
func BenchmarkPublicSearch(b *testing.B) {
	rows := 200_000
	if v, err := strconv.Atoi(os.Getenv("MATTRAN_BENCH_ROWS")); err == nil {
		rows = v
	}
	data := statementCSV(rows)
	queries := []string{"duong", "nguyen van", "tran thi hoa", "do minh duc", "6900012", "0912", "khong co ai", "bao yagi 0"}
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			s := engineStore(b, engine)
			w := setupB(b, s)
			ctx := context.Background()
			err := s.WithTx(ctx, func(tx *store.Tx) error {
				_, err := fund.ImportStatement(ctx, tx, officer, w.prov, w.c.ID, "b.csv", fund.Generic, bytes.NewReader(data))
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			if engine == "postgres" {
				s.DB.Exec(`ANALYZE fund_entries`)
			}
			start := time.Now()
			if _, err := s.SearchLedger(ctx, store.LedgerQuery{CampaignID: w.c.ID, Text: "x", Limit: 1}); err != nil {
				b.Fatal(err)
			}
			load := time.Since(start)
			for _, q := range queries {
				a, err1 := s.SearchLedger(ctx, store.LedgerQuery{CampaignID: w.c.ID, Text: q, Limit: 50})
				c, err2 := s.SearchLedger(ctx, store.LedgerQuery{CampaignID: w.c.ID, Text: q, Limit: 50, Scan: true})
				if err := errors.Join(err1, err2); err != nil {
					b.Fatal(err)
				}
				if !slices.EqualFunc(a, c, func(x, y fund.Entry) bool { return x.ID == y.ID }) {
					b.Fatalf("%q: the index gives %d rows, the scan %d, or other rows", q, len(a), len(c))
				}
			}
			for _, mode := range []string{"index", "scan"} {
				b.Run(mode, func(b *testing.B) {
					var times []time.Duration
					for i := 0; b.Loop(); i++ {
						start := time.Now()
						_, err := s.SearchLedger(ctx, store.LedgerQuery{CampaignID: w.c.ID, Text: queries[i%len(queries)], Limit: 50, Scan: mode == "scan"})
						if err != nil {
							b.Fatal(err)
						}
						times = append(times, time.Since(start))
					}
					slices.Sort(times)
					b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
					b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
					if mode == "index" {
						b.ReportMetric(float64(load.Microseconds())/1000, "load-ms")
						b.ReportMetric(float64(s.LedgerSearchBytes())/(1<<20), "memory-MB")
					}
				})
			}
		})
	}
}
