package value

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mattran/internal/errs"
	"mattran/internal/vn"
)

// MaxFileBytes bounds one import: about 5 million values of CSV.
const MaxFileBytes = 256 << 20

// maxCode bounds a code (dataElement, period, orgUnit) and a value's text:
// ours are a few characters, DHIS2's eleven.
const maxCode = 64

// maxRecord bounds one CSV record (a line, or several when a quoted cell
// spans lines): a dataValue is a few dozen bytes, so a longer record is not
// a dataValueSet, and the reader never holds more than this for one row.
const maxRecord = 64 << 10

var bom = []byte("\ufeff")

// Parse reads a dataValueSet, JSON when it starts with '{', CSV otherwise.
// It reads the stream once and holds only the rows: time and memory grow
// with the file, line by line.
func Parse(r io.Reader) ([]Row, error) {
	var buf rowBuffer
	if err := parse(r, &buf); err != nil {
		return nil, err
	}
	return buf.all(), nil
}

// ParseEach reads a dataValueSet as Parse does, and hands its rows to fn
// as they are read, in file order, in slices of at most chunk rows that fn
// may keep: a million-value file is never held whole. An error from fn
// stops the reading and is returned. When the file cannot be read to its
// end, the error comes after fn has seen the rows before the fault, so a
// caller that must apply all or nothing applies nothing until ParseEach
// has returned nil.
//
// JSON values that leave out their period or orgUnit take the top-level
// one, which may come after them: from the first such value on, the rows
// are held until the end, as Parse holds them.
func ParseEach(r io.Reader, chunk int, fn func([]Row) error) error {
	buf := rowBuffer{emit: fn, size: max(chunk, 1)}
	if err := parse(r, &buf); err != nil {
		return err
	}
	return buf.flush()
}

func parse(r io.Reader, buf *rowBuffer) error {
	br := bufio.NewReaderSize(&bounded{r: r, left: MaxFileBytes}, 64<<10)
	if head, _ := br.Peek(len(bom)); bytes.Equal(head, bom) {
		br.Discard(len(bom))
	}
	switch firstByte(br) {
	case '{', '[': // a top-level array is JSON too, which ParseJSON refuses by name
		return parseJSON(br, buf)
	}
	return parseCSV(br, buf)
}

// firstByte is the first byte that is not white space, looking no further
// than the reader's buffer; 0 if there is none.
func firstByte(br *bufio.Reader) byte {
	head, _ := br.Peek(br.Size())
	if i := bytes.IndexFunc(head, func(r rune) bool { return !strings.ContainsRune(" \t\r\n", r) }); i >= 0 {
		return head[i]
	}
	return 0
}

// bounded reads at most left bytes, and then fails rather than end: a
// file cut at the limit must not be read as a whole one.
type bounded struct {
	r    io.Reader
	left int64
}

var errTooLarge = errors.New("value: file over MaxFileBytes")

func (b *bounded) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, _ := io.ReadFull(b.r, one[:]); n > 0 {
			return 0, errTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// readError says why the input could not be read to its end.
func readError(err error) error {
	if errors.Is(err, errTooLarge) {
		return errs.New(errs.Invalid, "tệp số liệu quá lớn (tối đa %d MB); hãy chia nhỏ", MaxFileBytes>>20)
	}
	return errs.New(errs.Invalid, "không đọc được dữ liệu: %v", err)
}

// ParseJSON reads DHIS2's JSON dataValueSet:
//
//	{"period": "2024", "orgUnit": "24", "dataValues": [{"dataElement": "X", "period": "2024", "orgUnit": "24", "value": "12"}]}
//
// A period or orgUnit at the top applies to values that leave it out.
// Other DHIS2 fields (categoryOptionCombo, comment, …) are accepted and
// ignored. Field names are matched exactly, as DHIS2 writes them.
func ParseJSON(r io.Reader) ([]Row, error) {
	var buf rowBuffer
	if err := parseJSON(&bounded{r: r, left: MaxFileBytes}, &buf); err != nil {
		return nil, err
	}
	return buf.all(), nil
}

// emitFailure carries fn's error out of the scanner, which stops by panic.
type emitFailure struct{ err error }

func parseJSON(r io.Reader, buf *rowBuffer) (err error) {
	s := newScanner(r)
	defer func() {
		switch p := recover().(type) {
		case nil:
		case refusal:
			err = errs.WithDetails("dữ liệu JSON không đọc được; không có gì được ghi", []errs.Detail{p.d})
		case readFailure:
			err = readError(p.err)
		case emitFailure:
			err = p.err
		default:
			panic(p)
		}
	}()
	c, ok := s.skipSpace()
	if !ok {
		return errs.New(errs.Invalid, "không có dữ liệu: tệp hoặc nội dung gửi lên rỗng")
	}
	if c != '{' {
		s.fail(errs.JSONNotObject, errs.Args{})
	}
	s.pos++
	in := interner{}
	var top [2]string // period, orgUnit
	sawValues := false
	for first := true; s.more('}', first); first = false {
		switch k := s.key(); string(k) {
		case "dataValues":
			sawValues = true
			if c, _ := s.skipSpace(); c != '[' {
				s.fail(errs.ValuesNotArray, errs.Args{})
			}
			s.pos++
			for first := true; s.more(']', first); first = false {
				r := s.row(buf.n+1, in)
				if r.Period == "" || r.OrgUnit == "" {
					buf.hold = true // it takes the top-level field, known at the end
				}
				if err := buf.add(r); err != nil {
					panic(emitFailure{err})
				}
			}
		case "period", "orgUnit":
			i, name := 0, "period"
			if k[0] == 'o' {
				i, name = 1, "orgUnit"
			}
			text, kind := s.scalar()
			if kind != kindString && kind != kindNull {
				panic(refusal{errs.Detail{Row: s.line, Field: name, Code: errs.TopFieldNotText}})
			}
			if n := utf8.RuneCount(text); n > maxCode {
				panic(refusal{errs.Detail{Row: s.line, Field: name, Code: errs.TooLong, Args: errs.Args{Number: float64(n), Max: maxCode}}})
			}
			top[i] = in.bytes(text)
		default:
			s.skip(0)
		}
	}
	if !s.atEnd() {
		s.fail(errs.JSONTrailing, errs.Args{})
	}
	if !sawValues {
		return errs.WithDetails("dữ liệu JSON không đọc được; không có gì được ghi", []errs.Detail{{Code: errs.MissingValues}})
	}
	for _, rows := range buf.chunks {
		for i := range rows {
			if rows[i].Period == "" {
				rows[i].Period = top[0]
			}
			if rows[i].OrgUnit == "" {
				rows[i].OrgUnit = top[1]
			}
		}
	}
	return nil
}

// row reads one item of dataValues, the index-th.
func (s *scanner) row(index int, in interner) Row {
	r := Row{Line: s.line, Index: index}
	refuse := func(field string, code errs.Reason, a errs.Args) {
		panic(refusal{errs.Detail{Row: r.Line, Index: index, Field: field, Code: code, Args: a}})
	}
	if c, _ := s.skipSpace(); c != '{' {
		refuse("", errs.ValueNotObject, errs.Args{})
	}
	s.pos++
	for first := true; s.more('}', first); first = false {
		var field *string
		var name string
		switch k := s.key(); string(k) {
		case "dataElement":
			field, name = &r.DataElement, "dataElement"
		case "period":
			field, name = &r.Period, "period"
		case "orgUnit":
			field, name = &r.OrgUnit, "orgUnit"
		case "value":
			field, name = &r.Value, "value"
		case "deleted":
			if text, kind := s.scalar(); kind == kindBool && text[0] == 't' {
				refuse("deleted", errs.DeleteUnsupported, errs.Args{})
			}
			continue
		default:
			s.skip(0)
			continue
		}
		text, kind := s.scalar()
		switch {
		case kind == kindComposite:
			refuse(name, errs.FieldNotText, errs.Args{})
		case kind == kindNull:
			*field = ""
		case utf8.RuneCount(text) > maxCode:
			refuse(name, errs.TooLong, errs.Args{Number: float64(utf8.RuneCount(text)), Max: maxCode})
		case field == &r.Value:
			*field = string(text) // values differ from row to row: not worth interning
		default:
			*field = in.bytes(text)
		}
	}
	return r
}

// ParseCSV reads DHIS2's CSV dataValueSet. The first line names the
// columns; dataelement, period, orgunit and value are required (any case),
// the others (categoryoptioncombo, storedby, comment, …) are ignored.
func ParseCSV(r io.Reader) ([]Row, error) {
	var buf rowBuffer
	if err := parseCSV(&bounded{r: r, left: MaxFileBytes}, &buf); err != nil {
		return nil, err
	}
	return buf.all(), nil
}

func parseCSV(in io.Reader, rows *rowBuffer) error {
	refuse := func(d errs.Detail) error {
		return errs.WithDetails("tệp CSV không đọc được; không có gì được ghi", []errs.Detail{d})
	}
	failed := func(err error) error {
		var pe *csv.ParseError
		var long *vn.RecordTooLong
		if !errors.As(err, &pe) && !errors.As(err, &long) {
			return readError(err) // the reader's own: too large, a broken connection
		}
		return refuse(errs.CSVDetail(err))
	}
	r := vn.NewCSVStream(in, maxRecord)
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return errs.New(errs.Invalid, "không có dữ liệu: tệp hoặc nội dung gửi lên rỗng")
	}
	if err != nil {
		return failed(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	width := len(header)
	need := []string{"dataelement", "period", "orgunit", "value"}
	names := []string{"dataElement", "period", "orgUnit", "value"}
	idx := make([]int, len(need))
	for i, n := range need {
		j, ok := col[n]
		if !ok {
			return refuse(errs.Detail{Row: 1, Code: errs.MissingColumn, Args: errs.Args{Text: n, Other: &errs.Args{Text: strings.Join(need, ", ")}}})
		}
		idx[i] = j
	}
	interned := interner{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// The line comes from the error: FieldPos panics on a record
			// that failed to parse.
			return failed(err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) > width {
			// Most often a number typed with a decimal comma in a
			// comma-separated file: "1.234,5" splits into two cells.
			return refuse(errs.Detail{Row: line, Code: errs.TooManyCells, Args: errs.Args{Number: float64(len(rec)), Max: float64(width)}})
		}
		var f [4]string
		for i := range f {
			if idx[i] < len(rec) {
				f[i] = strings.TrimSpace(rec[idx[i]])
			}
			if n := utf8.RuneCountInString(f[i]); n > maxCode {
				return refuse(errs.Detail{Row: line, Field: names[i], Code: errs.TooLong, Args: errs.Args{Number: float64(n), Max: maxCode}})
			}
		}
		// The cells are slices of the record's line: the value is cloned
		// so that a row does not keep its whole line alive.
		if err := rows.add(Row{DataElement: interned.get(f[0]), Period: interned.get(f[1]), OrgUnit: interned.get(f[2]), Value: strings.Clone(f[3]), Line: line}); err != nil {
			return err
		}
	}
	return nil
}

// rowBuffer collects rows in fixed chunks and joins them once at the end.
// Appending to one slice would copy and clear it again at every growth: a
// few million rows allocated five times their size, and the time per
// megabyte rose with the file.
//
// With emit set (ParseEach), each chunk of size rows is handed to emit as
// soon as it is full, unless hold is set, and the rest by flush.
type rowBuffer struct {
	chunks [][]Row
	n      int
	emit   func([]Row) error
	size   int
	hold   bool
}

const rowChunk = 1 << 14

func (b *rowBuffer) add(r Row) error {
	size := rowChunk
	if b.emit != nil {
		size = b.size
	}
	if len(b.chunks) == 0 || len(b.chunks[len(b.chunks)-1]) == size {
		if b.emit != nil && !b.hold && len(b.chunks) > 0 {
			if err := b.flush(); err != nil {
				return err
			}
		}
		b.chunks = append(b.chunks, make([]Row, 0, min(size, 1<<16)))
	}
	last := &b.chunks[len(b.chunks)-1]
	*last = append(*last, r)
	b.n++
	return nil
}

// flush hands every chunk held to emit, in order.
func (b *rowBuffer) flush() error {
	for i, c := range b.chunks {
		b.chunks[i] = nil
		if len(c) > 0 {
			if err := b.emit(c); err != nil {
				return err
			}
		}
	}
	b.chunks = b.chunks[:0]
	return nil
}

// all returns the rows in one slice, nil for none.
func (b *rowBuffer) all() []Row {
	switch len(b.chunks) {
	case 0:
		return nil
	case 1:
		return b.chunks[0]
	}
	out := make([]Row, 0, b.n)
	for i, c := range b.chunks {
		out = append(out, c...)
		b.chunks[i] = nil // let the chunk go as soon as it is copied
	}
	return out
}

// Exported is a stored value as written out.
type Exported struct {
	DataElement string    `json:"dataElement"`
	Period      string    `json:"period"`
	OrgUnit     string    `json:"orgUnit"`
	Value       string    `json:"value"`
	StoredBy    string    `json:"storedBy,omitempty"`
	LastUpdated time.Time `json:"lastUpdated"`
}

// FormatNumber writes a value the way the exchange format expects: no
// thousands separators, a dot for decimals, no trailing zeros.
func FormatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// WriteJSON writes values as a DHIS2 JSON dataValueSet.
func WriteJSON(w io.Writer, values []Exported) error { return writeAll(NewJSONWriter(w), values) }

// WriteCSV writes values as a DHIS2 CSV dataValueSet (stream.go).
func WriteCSV(w io.Writer, values []Exported) error { return writeAll(NewCSVWriter(w), values) }

// interner shares one copy of each repeated string (element codes, periods,
// unit codes repeat across a file), which keeps a million-row file's rows
// small in memory.
type interner map[string]string

// bytes is get for a string still in a buffer: looking it up costs no
// allocation, so a repeated code costs none at all.
func (in interner) bytes(b []byte) string {
	if v, ok := in[string(b)]; ok {
		return v
	}
	s := string(b)
	in[s] = s
	return s
}

func (in interner) get(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	s = strings.Clone(s)
	in[s] = s
	return s
}
