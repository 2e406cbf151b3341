package fund

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"mattran/internal/errs"
	"mattran/internal/vn"
)

// Statement limits: a statement of the Yagi campaign's size (200,364
// transactions on one bank's) fits many times over.
const (
	MaxStatementRows   = 2_000_000
	MaxStatementRecord = 64 << 10 // bytes of one CSV line
	MaxStatementBytes  = 256 << 20
	maxDetails         = 50 // bad rows listed; the count says how many more
	headerSearchRows   = 30 // a header row is looked for among the first rows (titles come before it)
)

// Preset maps a bank's statement columns: for each field, the headers
// (folded: no diacritics, lower case) that bank writes.
type Preset struct {
	Name  string
	Label string
	// Each field's accepted headers, folded.
	Date, DocNo, Credit, Debit, Balance, Description []string
}

// Presets are the banks whose statements the Front publishes, and a
// generic mapping that accepts any of their headers.
var Presets = []Preset{
	{Name: "vcb", Label: "Vietcombank",
		Date: []string{"ngay giao dich", "ngay gd", "ngay"}, DocNo: []string{"so ct", "so chung tu", "so tham chieu"},
		Credit: []string{"so tien ghi co", "ghi co", "credit"}, Debit: []string{"so tien ghi no", "ghi no", "debit"},
		Balance: []string{"so du", "balance"}, Description: []string{"noi dung chi tiet", "mo ta", "noi dung", "chi tiet giao dich"}},
	{Name: "vietinbank", Label: "VietinBank",
		Date: []string{"ngay giao dich", "ngay gd"}, DocNo: []string{"so giao dich", "ma giao dich", "so ct"},
		Credit: []string{"so tien ghi co", "co"}, Debit: []string{"so tien ghi no", "no"},
		Balance: []string{"so du"}, Description: []string{"chi tiet giao dich", "noi dung", "dien giai"}},
	{Name: "bidv", Label: "BIDV",
		Date: []string{"ngay hieu luc", "ngay giao dich"}, DocNo: []string{"so tham chieu", "so ct"},
		Credit: []string{"ghi co", "so tien ghi co"}, Debit: []string{"ghi no", "so tien ghi no"},
		Balance: []string{"so du"}, Description: []string{"mo ta giao dich", "mo ta", "noi dung"}},
	{Name: "agribank", Label: "Agribank",
		Date: []string{"ngay gd", "ngay giao dich"}, DocNo: []string{"so ct", "so but toan"},
		Credit: []string{"ps co", "phat sinh co", "ghi co"}, Debit: []string{"ps no", "phat sinh no", "ghi no"},
		Balance: []string{"so du"}, Description: []string{"dien giai", "noi dung"}},
}

// Generic accepts the headers of every preset and the English ones.
var Generic = func() Preset {
	g := Preset{Name: "generic", Label: "Chung (tự nhận cột)"}
	for _, p := range Presets {
		g.Date = append(g.Date, p.Date...)
		g.DocNo = append(g.DocNo, p.DocNo...)
		g.Credit = append(g.Credit, p.Credit...)
		g.Debit = append(g.Debit, p.Debit...)
		g.Balance = append(g.Balance, p.Balance...)
		g.Description = append(g.Description, p.Description...)
	}
	g.Date = append(g.Date, "date", "transaction date", "value date")
	g.DocNo = append(g.DocNo, "doc no", "reference", "ref")
	g.Credit = append(g.Credit, "credit amount", "so tien co")
	g.Debit = append(g.Debit, "debit amount", "so tien no")
	g.Description = append(g.Description, "description", "details", "transaction details")
	return g
}()

// PresetNamed finds a preset by name ("" is the generic one).
func PresetNamed(name string) (Preset, bool) {
	if name == "" || name == Generic.Name {
		return Generic, true
	}
	for _, p := range Presets {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}

// StatementRow is one transaction of a bank statement.
type StatementRow struct {
	Row         int    // the line (CSV) or row (XLSX) of the file
	Day         string // YYYY-MM-DD
	DocNo       string
	Credit      int64 // money in
	Debit       int64 // money out
	Balance     int64
	Description string
	// Fingerprint identifies the row across imports: its fields and the
	// how-many-th time the same fields occur in the file. Document numbers
	// repeat in real statements (and whole rows do: two 50.000 đ gifts
	// with the same text on the same day), so neither alone is a key.
	Fingerprint Fingerprint
}

// Fingerprint is a statement row's key across imports: 16 bytes of
// SHA-256 over its fields, then the occurrence, big-endian. It is stored
// as 20 raw bytes (migration 0089; it was 40 hex characters); the store
// checks it against the campaign's known fingerprints under the write lock.
type Fingerprint [20]byte

// columns are a header row's positions of the fields (-1 when absent).
type columns struct{ date, doc, credit, debit, balance, desc int }

// findColumns matches a row against a preset's headers: date, description
// and credit or debit must be there.
func findColumns(cells []string, p Preset) (columns, bool) {
	c := columns{-1, -1, -1, -1, -1, -1}
	for i, cell := range cells {
		h := strings.Join(strings.Fields(strings.Trim(vn.Fold(cell), " .:*()/")), " ")
		for _, m := range []struct {
			idx *int
			any []string
		}{{&c.date, p.Date}, {&c.doc, p.DocNo}, {&c.credit, p.Credit}, {&c.debit, p.Debit}, {&c.balance, p.Balance}, {&c.desc, p.Description}} {
			if *m.idx < 0 && contains(m.any, h) {
				*m.idx = i
				break
			}
		}
	}
	return c, c.date >= 0 && c.desc >= 0 && (c.credit >= 0 || c.debit >= 0)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ParseAmount reads an amount of whole đồng as statements write it:
// "1.000.000", "1,000,000", "1 000 000", "1000000", "1.000.000,00",
// "1,000,000.00"; "" and "-" are zero. A fraction other than zero is
// refused: đồng has no subunit.
func ParseAmount(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || s == "-" {
		return 0, true
	}
	s = strings.TrimPrefix(s, "+")
	// A fraction: the last separator followed by one or two digits.
	if i := strings.LastIndexAny(s, ".,"); i >= 0 && len(s)-i-1 <= 2 && len(s)-i-1 > 0 {
		frac := s[i+1:]
		if strings.Trim(frac, "0") != "" {
			return 0, false
		}
		s = s[:i]
	}
	var n int64
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if digits > 16 {
				return 0, false
			}
			n = n*10 + int64(c-'0')
		case c == '.' || c == ',' || c == ' ':
		default:
			return 0, false
		}
	}
	return n, digits > 0
}

// ParseStatementDate reads a statement's date: dd/mm/yyyy or dd-mm-yyyy
// (with a time after it, which is dropped), yyyy-mm-dd, or an Excel serial
// day number.
func ParseStatementDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	for _, layout := range []string{"02/01/2006", "2/1/2006", "02-01-2006", "2006-01-02", "02.01.2006", "01-02-06"} {
		if t, err := time.Parse(layout, s); err == nil && layout != "01-02-06" {
			return t.Format(time.DateOnly), true
		}
	}
	if n, err := strconv.Atoi(s); err == nil && n > 30000 && n < 80000 {
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format(time.DateOnly), true
	}
	return "", false
}

// statementReader turns cells into rows, checking each and counting the
// occurrences of identical rows for their fingerprints.
type statementReader struct {
	preset  Preset
	cols    columns
	header  bool
	seen    map[[16]byte]uint32
	details []errs.Detail
	bad     int
	rows    int
	fn      func(StatementRow) error
	keyBuf  []byte // rowKey's scratch space
}

func (sr *statementReader) fail(row int, field string, code errs.Reason, a errs.Args) {
	sr.bad++
	if len(sr.details) < maxDetails {
		sr.details = append(sr.details, errs.Detail{Row: row, Field: field, Code: code, Args: a})
	}
}

func cell(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// line handles one line of the file (1-based).
func (sr *statementReader) line(n int, cells []string) error {
	if !sr.header {
		if c, ok := findColumns(cells, sr.preset); ok {
			sr.cols, sr.header = c, true
		} else if n >= headerSearchRows {
			sr.fail(0, "", errs.FundNoColumn, errs.Args{Text: "Ngày giao dịch, Số tiền ghi có, Nội dung"})
			return errStop
		}
		return nil
	}
	empty := true
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			empty = false
			break
		}
	}
	if empty {
		return nil
	}
	c := sr.cols
	rawDate := cell(cells, c.date)
	day, ok := ParseStatementDate(rawDate)
	if !ok {
		// Statements end with totals ("Tổng cộng", "Số dư cuối kỳ"): a
		// row without a date whose text says so ends the transactions.
		if f := vn.Fold(strings.Join(cells, " ")); rawDate == "" && (strings.Contains(f, "tong") || strings.Contains(f, "so du cuoi")) {
			return nil
		}
		sr.fail(n, "date", errs.BadDate, errs.Args{Text: clip(rawDate)})
		return nil
	}
	r := StatementRow{Row: n, Day: day, DocNo: cell(cells, c.doc), Description: cell(cells, c.desc)}
	for _, a := range []struct {
		idx   int
		field string
		p     *int64
	}{{c.credit, "credit", &r.Credit}, {c.debit, "debit", &r.Debit}, {c.balance, "balance", &r.Balance}} {
		raw := cell(cells, a.idx)
		v, ok := ParseAmount(raw)
		if !ok {
			sr.fail(n, a.field, errs.FundBadAmount, errs.Args{Text: clip(raw)})
			return nil
		}
		if v > MaxAmount {
			sr.fail(n, a.field, errs.FundAmountTooLarge, errs.Args{Text: clip(raw), Max: MaxAmount})
			return nil
		}
		*a.p = v
	}
	switch {
	case r.Credit == 0 && r.Debit == 0:
		sr.fail(n, "credit", errs.FundNoAmount, errs.Args{})
		return nil
	case r.Credit != 0 && r.Debit != 0:
		sr.fail(n, "credit", errs.FundBothAmounts, errs.Args{})
		return nil
	}
	if !utf8.ValidString(r.Description) {
		r.Description = strings.ToValidUTF8(r.Description, "\uFFFD")
	}
	for _, f := range []struct {
		name string
		s    string
	}{{"description", r.Description}, {"docNo", r.DocNo}} {
		if k := utf8.RuneCountInString(f.s); k > MaxText {
			sr.fail(n, f.name, errs.FundTextTooLong, errs.Args{Number: float64(k), Max: MaxText})
			return nil
		}
		if strings.IndexByte(f.s, 0) >= 0 {
			sr.fail(n, f.name, errs.FundNulInText, errs.Args{})
			return nil
		}
	}
	sr.rows++
	if sr.rows > MaxStatementRows {
		sr.fail(n, "", errs.FundTooManyRows, errs.Args{Max: MaxStatementRows})
		return errStop
	}
	var key [16]byte
	key, sr.keyBuf = rowKey(sr.keyBuf, r)
	occ := sr.seen[key]
	sr.seen[key] = occ + 1
	r.Fingerprint = fingerprint(key, occ)
	if sr.bad > 0 {
		return nil // the file is refused anyway: apply nothing more
	}
	return sr.fn(r)
}

var errStop = errors.New("stop")

func clip(s string) string {
	if len(s) > 60 {
		return strings.ToValidUTF8(s[:60], "") + "…"
	}
	return s
}

// rowKey is the first 16 bytes of SHA-256 over a row's fields, each
// separated by 0x1f, amounts in decimal; buf is scratch space, returned
// for the next row.
func rowKey(buf []byte, r StatementRow) ([16]byte, []byte) {
	buf = append(buf[:0], r.Day...)
	buf = append(buf, 0x1f)
	buf = append(buf, r.DocNo...)
	buf = append(buf, 0x1f)
	buf = strconv.AppendInt(buf, r.Credit, 10)
	buf = append(buf, 0x1f)
	buf = strconv.AppendInt(buf, r.Debit, 10)
	buf = append(buf, 0x1f)
	buf = strconv.AppendInt(buf, r.Balance, 10)
	buf = append(buf, 0x1f)
	buf = append(buf, r.Description...)
	sum := sha256.Sum256(buf)
	var k [16]byte
	copy(k[:], sum[:])
	return k, buf
}

func fingerprint(key [16]byte, occurrence uint32) Fingerprint {
	var b Fingerprint
	copy(b[:], key[:])
	b[16], b[17], b[18], b[19] = byte(occurrence>>24), byte(occurrence>>16), byte(occurrence>>8), byte(occurrence)
	return b
}

// ReadStatement reads a bank statement, CSV or XLSX (told by its first
// bytes, whatever its name), and calls fn for each transaction in order.
// It reads in one pass, holding one line and a 20-byte key per row. A bad
// row does not stop the reading, so every bad row is named (up to 50, and
// how many more), but once one is found fn is called no more; the error
// lists them, and the caller, writing in one transaction, applies
// nothing.
func ReadStatement(r io.Reader, preset Preset, fn func(StatementRow) error) (int, error) {
	sr := &statementReader{preset: preset, seen: map[[16]byte]uint32{}, fn: fn}
	br := &peekReader{r: io.LimitReader(r, MaxStatementBytes+1)}
	head := br.peek(4)
	var err error
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		err = sr.readXLSX(br)
	} else {
		err = sr.readCSV(br)
	}
	if err != nil && err != errStop {
		var e *errs.Error
		if errors.As(err, &e) {
			return 0, err
		}
		if len(sr.details) == 0 || sr.bad == 0 {
			return 0, err
		}
	}
	if br.n > MaxStatementBytes {
		return 0, errs.New(errs.Oversized, "Tệp sao kê lớn hơn %d MB; chia tệp để nhập.", MaxStatementBytes>>20)
	}
	if !sr.header && sr.bad == 0 {
		sr.fail(0, "", errs.FundNoColumn, errs.Args{Text: "Ngày giao dịch, Số tiền ghi có, Nội dung"})
	}
	if sr.bad > 0 {
		msg := fmt.Sprintf("Sao kê có %d dòng không hợp lệ; chưa nhập dòng nào.", sr.bad)
		if sr.bad > len(sr.details) {
			msg += fmt.Sprintf(" (Liệt kê %d dòng đầu.)", len(sr.details))
		}
		return 0, errs.WithDetails(msg, sr.details)
	}
	return sr.rows, nil
}

func (sr *statementReader) readCSV(r io.Reader) error {
	cr := vn.NewCSVStream(r, MaxStatementRecord)
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			d := errs.CSVDetail(err)
			sr.fail(d.Row, d.Field, d.Code, d.Args)
			return errStop
		}
		line, _ := cr.FieldPos(0)
		if err := sr.line(line, rec); err != nil {
			return err
		}
	}
}

func (sr *statementReader) readXLSX(r io.Reader) error {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipXMLSizeLimit: 1 << 30})
	if err != nil {
		sr.fail(0, "", errs.FundBadStatement, errs.Args{Text: "tệp Excel hỏng hoặc không phải .xlsx"})
		return errStop
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		sr.fail(0, "", errs.FundBadStatement, errs.Args{Text: "tệp Excel không có trang tính"})
		return errStop
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		sr.fail(0, "", errs.FundBadStatement, errs.Args{Text: "không đọc được trang tính đầu"})
		return errStop
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if err != nil {
			sr.fail(n, "", errs.FundBadStatement, errs.Args{Text: "dòng Excel hỏng"})
			return errStop
		}
		if err := sr.line(n, cells); err != nil {
			return err
		}
	}
	return nil
}

// peekReader counts what it reads and lets the first bytes be looked at.
type peekReader struct {
	r   io.Reader
	buf []byte
	n   int64
}

func (p *peekReader) peek(k int) []byte {
	b := make([]byte, k)
	m, _ := io.ReadFull(p.r, b)
	p.buf = b[:m]
	return p.buf
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		m := copy(b, p.buf)
		p.buf = p.buf[m:]
		p.n += int64(m)
		return m, nil
	}
	m, err := p.r.Read(b)
	p.n += int64(m)
	return m, err
}
