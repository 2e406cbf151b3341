package sheet

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/value"
)

// maxFileSize bounds an upload. A province's template over every
// residential area is a few megabytes; more is not one of ours.
const maxFileSize = 50 << 20

// Parse reads a filled-in template back as value rows for spec. It first
// checks that the file was made for spec's program, form, period and unit,
// then reads every data cell: numbers, and text typed the Vietnamese way
// ("1.234.567", "12,5", "85%"). Empty cells are "no value" and skipped:
// clearing a pre-filled cell does not delete the stored value. Each row's
// Value is in the exchange format ("1234567", "12.5"), Line is the Excel
// row and OrgUnit the unit's code.
//
// Every bad cell is reported, each as a Detail whose Field names the cell
// ("Ô D14"), in one Invalid error; then no row is returned, so a file is
// applied whole or not at all. The rows still go through value.Resolve
// (locks, scope) when stored.
func Parse(r io.Reader, spec Spec) ([]value.Row, error) {
	rows, _, err := ParseAll(r, spec)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// ParseAll is Parse that, when some cells are bad, also returns the rows
// of the good cells and the refused cells as rows (element, unit, period;
// no value), so that the caller can check the rest against the stored
// world in the same pass (value.Checkable) and name every error at once.
// Nothing it returns with an error may be stored.
func ParseAll(r io.Reader, spec Spec) (rows, refused []value.Row, err error) {
	// excelize is a large parser and the file comes from anyone. A panic
	// deep in it must become a message to the user, not a crashed request.
	defer func() {
		if p := recover(); p != nil {
			rows, refused, err = nil, nil, errs.New(errs.Invalid, "Tệp Excel bị hỏng, không đọc được. Hãy mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi tải lên lại.")
		}
	}()
	if spec.Program == nil {
		return nil, nil, fmt.Errorf("sheet: parse without a program")
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("sheet: read upload: %w", err)
	}
	if len(data) > maxFileSize {
		return nil, nil, errs.New(errs.Invalid, "Tệp Excel quá lớn (hơn %d MB); mẫu nhập số liệu không lớn như vậy.", maxFileSize>>20)
	}
	return parseAll(data, spec)
}

// parse is Parse without the recover, so that FuzzParse sees any panic.
func parse(data []byte, spec Spec) ([]value.Row, error) {
	rows, _, err := parseAll(data, spec)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// parseAll is ParseAll without the recover.
func parseAll(data []byte, spec Spec) ([]value.Row, []value.Row, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, // numbers as stored, not as the cell's format shows them
		// A zip bomb must not fill memory or the disk. (Sheets over
		// excelize's 16 MB XML limit are unzipped to a temporary file,
		// which Close removes.)
		// A province's template (2,500 units) unzips to a few MB.
		UnzipSizeLimit:    64 << 20,
		UnzipXMLSizeLimit: 16 << 20,
	})
	if err != nil {
		return nil, nil, errs.New(errs.Invalid, "Tệp tải lên không phải tệp Excel (.xlsx) đọc được. Hãy dùng mẫu tải từ trang này và lưu dưới dạng .xlsx.")
	}
	defer f.Close()

	m, err := readMeta(f, spec)
	if err != nil {
		return nil, nil, err
	}
	if err := m.check(spec); err != nil {
		return nil, nil, err
	}
	sheet := entrySheetOf(f)
	if sheet == "" {
		return nil, nil, errs.New(errs.Invalid, "Tệp Excel không có trang %q để nhập số liệu. Hãy tải mẫu mới ở trang này.", entrySheet)
	}
	// The bound trusts the metadata's first data row only as far as a
	// template's header can reach.
	cells, err := boundedRows(f, sheet, min(m.firstRow, 100)+len(spec.Units)+extraRows, firstInput+len(spec.Form.Elements)+extraColumns)
	if err != nil {
		return nil, nil, err
	}
	p := &parser{f: f, sheet: sheet, cells: cells, spec: spec, meta: m, percentStyles: map[int]bool{}}
	return p.read()
}

// parser reads one upload's data cells and collects every problem.
type parser struct {
	f       *excelize.File
	sheet   string
	cells   [][]string // GetRows: row-major, trailing empty cells dropped
	spec    Spec
	meta    *meta
	details []errs.Detail
	refused []value.Row // the cells the details name, as rows without a value
	// percentStyles caches, by style id, whether a style shows numbers
	// as percentages.
	percentStyles map[int]bool
}

// column is one data element column to read.
type column struct {
	index   int // 1-based
	element program.DataElement
}

func (p *parser) fail(col, row int, code errs.Reason, args errs.Args) {
	p.details = append(p.details, errs.Detail{Row: row, Cell: cell(col, row), Code: code, Args: args})
}

// at is the trimmed raw text of a cell, "" when it is empty.
func (p *parser) at(col, row int) string {
	if row < 1 || row > len(p.cells) || col < 1 || col > len(p.cells[row-1]) {
		return ""
	}
	return strings.TrimSpace(p.cells[row-1][col-1])
}

func (p *parser) read() ([]value.Row, []value.Row, error) {
	ordered := p.columns()
	slices.SortFunc(ordered, func(a, b column) int { return a.index - b.index })
	columns := map[int]column{} // by column index
	for _, c := range ordered {
		columns[c.index] = c
	}
	units := map[string]UnitRow{}
	for _, u := range p.spec.Units {
		units[u.Code] = u
	}
	var out []value.Row
	seen := map[string]int{} // unit code → the row it was first seen on
	for _, row := range p.rowsToRead() {
		code, expected := p.at(1, row), p.meta.rows[row]
		filled := p.filledCells(row, columns)
		hasData := len(filled) > 0
		switch {
		case code == "" && expected == "" && !hasData:
			continue // a blank row below the units, or a note column's row
		case code != "" && seen[code] > 0:
			p.fail(1, row, errs.UnitRepeated, errs.Args{Unit: code, Other: &errs.Args{Row: seen[code]}})
			continue
		case expected == "":
			p.fail(1, row, errs.RowAdded, errs.Args{})
			continue
		case code == "":
			p.fail(1, row, errs.UnitCodeDeleted, errs.Args{Unit: expected})
			continue
		case code != expected:
			p.fail(1, row, errs.UnitCodeChanged, errs.Args{Unit: expected, Text: code})
			continue
		}
		seen[code] = row
		u, ok := units[code]
		if !ok {
			if hasData {
				p.fail(1, row, errs.UnitNotInSheet, errs.Args{Unit: code})
			}
			continue
		}
		for _, c := range ordered {
			raw := p.at(c.index, row)
			if raw == "" {
				// A formula whose result was never computed reads as
				// empty: say so, rather than import nothing in silence.
				if c.element.CollectedAtKind(u.Kind) && p.hasFormula(c.index, row) {
					p.fail(c.index, row, errs.FormulaNotComputed, errs.Args{Element: c.element.Code, ElementName: c.element.Name})
				}
				continue
			}
			if !c.element.CollectedAtKind(u.Kind) {
				p.fail(c.index, row, errs.NotCollectedAtKind, errs.Args{Element: c.element.Code, ElementName: c.element.Name,
					Unit: u.Code, UnitName: u.Name, Kind: string(u.Kind), KindName: u.Kind.Label()})
				continue
			}
			typ, err := p.f.GetCellType(p.sheet, cell(c.index, row))
			if err != nil {
				p.fail(c.index, row, errs.CellUnreadable, errs.Args{})
				continue
			}
			percentShown := c.element.ValueType == program.Percent && p.percentFormat(cell(c.index, row))
			v, d := cellValue(c.element, typ, raw, percentShown)
			if d != nil {
				p.fail(c.index, row, d.Code, d.Args)
				p.refused = append(p.refused, value.Row{DataElement: c.element.Code, Period: p.spec.Period.String(), OrgUnit: code, Line: row})
				continue
			}
			out = append(out, value.Row{DataElement: c.element.Code, Period: p.spec.Period.String(), OrgUnit: code, Value: v, Line: row})
		}
	}
	if len(p.details) > 0 {
		return out, p.refused, errs.WithDetails(fmt.Sprintf("Tệp Excel có %d lỗi; chưa nhập giá trị nào.", len(p.details)), p.details)
	}
	return out, nil, nil
}

// hasFormula reports whether a cell holds a formula.
func (p *parser) hasFormula(col, row int) bool {
	f, err := p.f.GetCellFormula(p.sheet, cell(col, row))
	return err == nil && f != ""
}

// rowsToRead lists the rows from the first data row to the last of the
// sheet, then the rows the template had beyond those (their codes were
// deleted with the rows).
func (p *parser) rowsToRead() []int {
	var rows []int
	for row := p.meta.firstRow; row <= len(p.cells); row++ {
		rows = append(rows, row)
	}
	var gone []int
	for row := range p.meta.rows {
		if row > len(p.cells) && row >= p.meta.firstRow {
			gone = append(gone, row)
		}
	}
	slices.Sort(gone)
	return append(rows, gone...)
}

// filledCell is a non-empty cell under an element column.
type filledCell struct {
	column column
	raw    string
}

// filledCells lists the row's non-empty element cells, left to right. It
// walks the cells the row has rather than the columns the metadata lists,
// so a crafted file naming thousands of columns costs no more than its
// cells.
func (p *parser) filledCells(row int, columns map[int]column) []filledCell {
	if row < 1 || row > len(p.cells) {
		return nil
	}
	var out []filledCell
	for i, raw := range p.cells[row-1] {
		c, ok := columns[i+1]
		if raw = strings.TrimSpace(raw); ok && raw != "" {
			out = append(out, filledCell{c, raw})
		}
	}
	return out
}

// columns are the element columns the metadata lists, checked against the
// code row (a column inserted or a code retyped would put figures under
// the wrong element) and against the form as it is now.
func (p *parser) columns() []column {
	elements := map[string]program.DataElement{}
	for _, e := range p.spec.Form.Elements {
		elements[e.Code] = e
	}
	codeRowAt := p.meta.firstRow - 1
	var out []column
	for _, c := range p.meta.columns {
		if got := p.at(c.index, codeRowAt); got != c.element {
			p.fail(c.index, codeRowAt, errs.ElementCodeChanged, errs.Args{Element: c.element, Text: got})
			continue
		}
		e, ok := elements[c.element]
		if !ok {
			p.fail(c.index, codeRowAt, errs.ElementNotInForm, errs.Args{Element: c.element, FormName: p.spec.Form.Name})
			continue
		}
		out = append(out, column{index: c.index, element: e})
	}
	return out
}

// percentFormat reports whether the cell shows its number as a
// percentage. Typing "85%" makes Excel store 0.85 under a "0%" format;
// the user meant 85.
func (p *parser) percentFormat(ref string) bool {
	id, err := p.f.GetCellStyle(p.sheet, ref)
	if err != nil || id == 0 {
		return false
	}
	if shown, ok := p.percentStyles[id]; ok {
		return shown
	}
	shown := false
	if st, err := p.f.GetStyle(id); err == nil {
		// 9 and 10 are Excel's built-in "0%" and "0.00%".
		shown = st.NumFmt == 9 || st.NumFmt == 10 || st.CustomNumFmt != nil && strings.Contains(*st.CustomNumFmt, "%")
	}
	p.percentStyles[id] = shown
	return shown
}

// cellValue reads one non-empty cell as element e's value in the exchange
// format, or returns why it cannot. A number cell holds a plain number; a
// text cell holds what the user typed, often "1.234.567" or "12,5" when
// Excel's regional settings did not read it as a number. percentShown says
// the number cell is formatted as a percentage, so 0.85 means 85.
func cellValue(e program.DataElement, typ excelize.CellType, raw string, percentShown bool) (string, *errs.Detail) {
	elem := &value.Element{DataElement: e}
	refuse := func(code errs.Reason, a errs.Args) (string, *errs.Detail) {
		a.Element, a.ElementName = e.Code, e.Name
		return "", &errs.Detail{Code: code, Args: a}
	}
	var n float64
	var s string // the value in the exchange format
	switch typ {
	case excelize.CellTypeError:
		return refuse(errs.CellError, errs.Args{Text: raw})
	case excelize.CellTypeBool:
		// TRUE or FALSE: an answer for a yes/no figure, not a count.
		if e.ValueType != program.Boolean {
			return refuse(errs.BooleanCell, errs.Args{Text: raw})
		}
		n, s = 0, "0"
		if raw == "1" || strings.EqualFold(raw, "true") {
			n, s = 1, "1"
		}
	case excelize.CellTypeUnset, excelize.CellTypeNumber:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return refuse(errs.NotANumber, errs.Args{Text: raw})
		}
		n = f
		if percentShown {
			// Round away the binary noise of ×100 (0.855 × 100 is
			// 85.49999999999999): nobody types more than nine decimals.
			n = math.Round(n*100*1e9) / 1e9
		}
		s = value.FormatNumber(n)
	default: // text, a formula's text result, a date written as text
		if e.ValueType == program.Boolean {
			switch strings.ToLower(raw) {
			case "có":
				return "1", nil
			case "không":
				return "0", nil
			}
		}
		if e.ValueType == program.Percent {
			raw = strings.TrimSpace(strings.TrimSuffix(raw, "%"))
		}
		// Digit for digit: 9.007.199.254.740.993 must not become the
		// float it rounds to before the check below.
		text, d := value.ParseTyped(elem, raw)
		if d != nil {
			return "", d
		}
		s = text
		n, _ = strconv.ParseFloat(s, 64)
	}
	if e.ValueType == program.Boolean && n != 0 && n != 1 {
		return refuse(errs.NotZeroOrOne, errs.Args{Number: n})
	}
	// The one check of a value against its element's type, shared with
	// the web form and the API.
	if _, d := value.ParseNumber(elem, s); d != nil {
		return "", d
	}
	return s, nil
}

// meta is what the hidden sheet says the template was made for.
type meta struct {
	program, programName string
	form, formName       string
	period               string
	unit, unitName       string
	firstRow             int
	columns              []metaColumn
	rows                 map[int]string // Excel row → unit code
}

type metaColumn struct {
	index   int // 1-based
	element string
}

// notOurs is the answer for an XLSX that is not one of our templates, or
// whose metadata was damaged.
func notOurs() error {
	return errs.New(errs.Invalid, "Tệp Excel này không phải mẫu nhập số liệu tải từ hệ thống (thiếu hoặc hỏng phần thông tin ẩn của mẫu). Hãy tải mẫu ở trang này, nhập số vào đó rồi tải lên.")
}

func readMeta(f *excelize.File, spec Spec) (*meta, error) {
	if idx, err := f.GetSheetIndex(metaSheet); err != nil || idx < 0 {
		return nil, notOurs()
	}
	facts, err := boundedRows(f, metaSheet, metaRowsFor(spec), 8)
	if err != nil {
		return nil, notOurs()
	}
	m := &meta{rows: map[int]string{}}
	format := ""
	for _, fact := range facts {
		for len(fact) < 3 {
			fact = append(fact, "")
		}
		key, a, b := fact[0], fact[1], fact[2]
		switch key {
		case metaKeyFormat:
			format = a
		case metaKeyProgram:
			m.program, m.programName = a, b
		case metaKeyForm:
			m.form, m.formName = a, b
		case metaKeyPeriod:
			m.period = a
		case metaKeyUnit:
			m.unit, m.unitName = a, b
		case metaKeyFirstRow:
			m.firstRow, err = strconv.Atoi(a)
			// Row 1 would leave no code row above the data.
			if err != nil || m.firstRow < 2 || m.firstRow > excelize.TotalRows {
				return nil, notOurs()
			}
		case metaKeyColumn:
			col, err := excelize.ColumnNameToNumber(a)
			if err != nil {
				return nil, notOurs()
			}
			m.columns = append(m.columns, metaColumn{index: col, element: b})
		case metaKeyRow:
			row, err := strconv.Atoi(a)
			if err != nil || row < 1 || row > excelize.TotalRows {
				return nil, notOurs()
			}
			m.rows[row] = b
		}
	}
	if format != metaFormat || m.firstRow == 0 {
		return nil, notOurs()
	}
	return m, nil
}

// check compares what the file was made for with what the page expects,
// and says both in one sentence when they differ.
func (m *meta) check(spec Spec) error {
	root, rootName := "", ""
	if u, ok := spec.root(); ok {
		root, rootName = u.Code, u.Name
	}
	if m.program == spec.Program.Code && m.form == spec.Form.Code && m.period == spec.Period.String() && m.unit == root {
		return nil
	}
	fileLabel := m.period
	if p, err := period.Parse(m.period); err == nil {
		fileLabel = p.Label()
	}
	return errs.New(errs.Invalid, "Tệp Excel này là mẫu %s; trang này nhận mẫu %s. Hãy tải mẫu ở trang này rồi nhập lại.",
		describe(m.formName, fileLabel, m.unitName, m.program),
		describe(spec.Form.Name, spec.Period.Label(), rootName, spec.Program.Code))
}

func describe(formName, periodLabel, unitName, programCode string) string {
	s := fmt.Sprintf("“%s”, kỳ %s", formName, periodLabel)
	if unitName != "" {
		s += ", đơn vị " + unitName
	}
	return s + ", chương trình " + programCode
}

// entrySheetOf finds the data-entry sheet: by name, or, if a user renamed
// it, the one visible sheet (the metadata sheet is the other).
func entrySheetOf(f *excelize.File) string {
	list := f.GetSheetList()
	if slices.Contains(list, entrySheet) {
		return entrySheet
	}
	var visible []string
	for _, name := range list {
		if name != metaSheet {
			visible = append(visible, name)
		}
	}
	if len(visible) == 1 {
		return visible[0]
	}
	return ""
}

// How far an upload may reach beyond the template's own rows and columns:
// a user may add a note column or a few rows, which the parser reports; a
// file that reaches further is not a filled-in template.
const (
	extraRows    = 200
	extraColumns = 20
)

// metaRowsFor bounds the hidden metadata sheet: a few facts, one row per
// element column and one per unit row.
func metaRowsFor(spec Spec) int {
	return 50 + len(spec.Form.Elements) + len(spec.Units) + extraRows
}

// boundedRows reads a sheet's cells row by row, and refuses the file as
// soon as a row or a cell lies beyond maxRows or maxCols. excelize's
// GetRows pads every row to its last cell: one cell in column XFD on each
// of 3,000 rows is a 41 KB upload that takes 1.5 GB to read.
func boundedRows(f *excelize.File, sheet string, maxRows, maxCols int) ([][]string, error) {
	tooBig := errs.New(errs.Invalid, "Tệp Excel có dữ liệu ở ngoài vùng của mẫu (quá %d dòng hoặc quá %d cột). Hãy tải mẫu mới ở trang này, chỉ nhập số vào các ô của mẫu.", maxRows, maxCols)
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, errs.New(errs.Invalid, "Không đọc được trang %q của tệp Excel. Hãy tải mẫu mới ở trang này.", sheet)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		if len(out) >= maxRows {
			return nil, tooBig
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, errs.New(errs.Invalid, "Không đọc được trang %q của tệp Excel. Hãy tải mẫu mới ở trang này.", sheet)
		}
		if len(cols) > maxCols {
			return nil, tooBig
		}
		out = append(out, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, errs.New(errs.Invalid, "Không đọc được trang %q của tệp Excel. Hãy tải mẫu mới ở trang này.", sheet)
	}
	// GetRows drops trailing empty rows; so does this.
	for len(out) > 0 && len(out[len(out)-1]) == 0 {
		out = out[:len(out)-1]
	}
	return out, nil
}
