package fund_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mattran/internal/errs"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// A Vietcombank-style statement: title lines before the header, a document
// number that repeats, two identical rows, a debit, and a totals line.
const vcbStatement = "\ufeffSAO KÊ TÀI KHOẢN;;;;;\n" +
	"Số tài khoản: 0011001932418;;;;;\n" +
	"Ngày GD;Số CT;Số tiền ghi nợ;Số tiền ghi có;Số dư;Nội dung chi tiết\n" +
	"20/09/2024;5213.81246;;50.000;50.000;MBVCB.6923019125.005.NGUYEN VAN DUONG chuyen tien ung ho bao Yagi\n" +
	"20/09/2024;5213.81246;;200.000;250.000;Trần Thị Hoa ủng hộ đồng bào 0912345678\n" +
	"20/09/2024;5078.97942;;50.000;300.000;ung ho\n" +
	"20/09/2024;5078.97942;;50.000;300.000;ung ho\n" +
	"21/09/2024;9999.1;10.000.000;;;Chuyen tien ho tro xa Tho Xuong\n" +
	";;;;;Tổng cộng\n"

func importStatement(t *testing.T, w world, data string) (fund.Statement, error) {
	t.Helper()
	var st fund.Statement
	err := w.s.WithTx(context.Background(), func(tx *store.Tx) (err error) {
		st, err = fund.ImportStatement(context.Background(), tx, officer, w.prov, w.c.ID, "vcb.csv", fund.Presets[0], strings.NewReader(data))
		return err
	})
	return st, err
}

func countEntries(t *testing.T, s *store.Store) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(`SELECT count(*) FROM fund_entries`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Importing a statement twice adds nothing the second time; identical
// rows and repeated document numbers are each kept once per occurrence; a
// receipt typed by hand is paired with its bank row rather than doubled.
func TestStatementReimport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		hand := w.receive(t, w.prov, 200_000, "Trần Thị Hoa", "chuyển khoản")
		_ = hand
		st, err := importStatement(t, w, vcbStatement)
		if err != nil {
			t.Fatal(err)
		}
		want := fund.Result{Rows: 5, Receipts: 3, CreditsMatched: 1, DebitsOpen: 1}
		if st.Result != want {
			t.Errorf("first import = %+v, want %+v", st.Result, want)
		}
		if n := countEntries(t, s); n != 4 {
			t.Errorf("%d entries after the import, want 1 by hand + 3 from the bank", n)
		}
		st, err = importStatement(t, w, vcbStatement)
		if err != nil {
			t.Fatal(err)
		}
		if (st.Result != fund.Result{Rows: 5, Known: 5}) {
			t.Errorf("second import = %+v, want 5 known rows and nothing added", st.Result)
		}
		if n := countEntries(t, s); n != 4 {
			t.Errorf("%d entries after importing again, want 4", n)
		}
		// A later statement that repeats the day with one more identical
		// row adds just that row.
		more := vcbStatement + "20/09/2024;5078.97942;;50.000;300.000;ung ho\n"
		st, err = importStatement(t, w, more)
		if err != nil {
			t.Fatal(err)
		}
		if st.Receipts != 1 || st.Known != 5 {
			t.Errorf("import with one more identical row = %+v", st.Result)
		}
		if c := verify(t, s); !c.OK() {
			t.Errorf("verify after imports: %+v", c)
		}
		r, err := s.Reconcile(context.Background(), w.c)
		if err != nil {
			t.Fatal(err)
		}
		if r.Rows != 6 || r.Debits != 1 || len(r.DebitsOpen) != 1 || r.ReceiptsNotOnBank != 0 {
			t.Errorf("reconciliation = %+v", r)
		}
	})
}

// A statement with bad rows is refused whole: each bad row is named with
// its reason in Vietnamese, and nothing is written.
func TestStatementMalformed(t *testing.T) {
	s := storetest.SQLite(t)
	w := setup(t, s)
	bad := "Ngày GD;Số CT;Số tiền ghi nợ;Số tiền ghi có;Số dư;Nội dung chi tiết\n" +
		"20/09/2024;1;;50.000;;ung ho\n" +
		"31/02/2024;2;;50.000;;ung ho\n" +
		"20/09/2024;3;;năm chục;;ung ho\n" +
		"20/09/2024;4;;;;khong co tien\n" +
		"20/09/2024;5;;12.345,50;;le dong\n" +
		"20/09/2024;6;;50.000;;ung ho\x00 0912345678\n"
	_, err := importStatement(t, w, bad)
	e, ok := errs.As(err)
	if !ok || len(e.Details) != 5 {
		t.Fatalf("err = %v", err)
	}
	want := []struct {
		row  int
		text string
	}{{3, "ngày \"31/02/2024\" không hợp lệ"}, {4, "số tiền \"năm chục\" không hợp lệ"}, {5, "không có số ghi có hay ghi nợ"}, {6, "số tiền \"12.345,50\""}, {7, "ký tự NUL"}}
	for i, w := range want {
		d := e.Details[i]
		if d.Row != w.row || !strings.Contains(errs.Text(d, errs.Page), w.text) {
			t.Errorf("detail %d = row %d %q, want row %d %q", i, d.Row, errs.Text(d, errs.Page), w.row, w.text)
		}
	}
	if !strings.Contains(e.Message, "chưa nhập dòng nào") {
		t.Errorf("message %q", e.Message)
	}
	if n := countEntries(t, s); n != 0 {
		t.Errorf("%d entries written from a refused file", n)
	}
	var rows int
	s.DB.QueryRow(`SELECT count(*) FROM fund_statement_rows`).Scan(&rows)
	if rows != 0 {
		t.Errorf("%d statement rows written from a refused file", rows)
	}
	// A file that is no statement at all.
	if _, err := importStatement(t, w, "a,b,c\n1,2,3\n"); err == nil || !strings.Contains(errs.Line(mustDetail(t, err), errs.Page), "không thấy cột") {
		t.Errorf("a file without the columns: %v", err)
	}
}

func mustDetail(t *testing.T, err error) errs.Detail {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || len(e.Details) == 0 {
		t.Fatalf("err = %v, want details", err)
	}
	return e.Details[0]
}

// The same statement as an XLSX workbook reads the same rows.
func TestStatementXLSX(t *testing.T) {
	f := excelize.NewFile()
	for i, line := range strings.Split(strings.TrimPrefix(vcbStatement, "\ufeff"), "\n") {
		for j, c := range strings.Split(line, ";") {
			name, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellStr("Sheet1", name, c)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	var got []fund.StatementRow
	n, err := fund.ReadStatement(&buf, fund.Generic, func(r fund.StatementRow) error { got = append(got, r); return nil })
	if err != nil || n != 5 {
		t.Fatalf("n = %d, err = %v", n, err)
	}
	if got[0].Row != 4 || got[0].Credit != 50_000 || got[4].Debit != 10_000_000 || got[2].Fingerprint == got[3].Fingerprint {
		t.Errorf("rows = %+v", got)
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]int64{"1.000.000": 1e6, "1,000,000": 1e6, "1 000 000": 1e6, "1000000": 1e6, "1.000.000,00": 1e6, "1,000,000.00": 1e6, "": 0, "50.000": 50000} {
		if got, ok := fund.ParseAmount(in); !ok || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"abc", "12.5", "1.000,50", "-5", "12345678901234567"} {
		if _, ok := fund.ParseAmount(in); ok {
			t.Errorf("ParseAmount(%q) accepted", in)
		}
	}
}

func FuzzReadStatement(f *testing.F) {
	f.Add([]byte(vcbStatement))
	f.Add([]byte("Ngày GD,Số tiền ghi có,Nội dung\n01/01/2024,\"1,000\",x\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		got, err := fund.ReadStatement(bytes.NewReader(data), fund.Generic, func(r fund.StatementRow) error {
			n++
			if r.Credit < 0 || r.Debit < 0 || (r.Credit == 0) == (r.Debit == 0) || r.Fingerprint == (fund.Fingerprint{}) {
				t.Fatalf("bad row passed: %+v", r)
			}
			return nil
		})
		if err == nil && got != n {
			t.Fatalf("read %d, called %d", got, n)
		}
		if err != nil {
			if _, ok := errs.As(err); !ok {
				t.Fatalf("error without a Vietnamese detail: %v", err)
			}
		}
	})
}
