package sheet

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"mattran/internal/vn"
)

// Cell is one cell of an exported table: text, or a number that Excel can
// sum and chart. Make one with Text, Number or Percent.
type Cell struct {
	text   string
	num    float64
	isNum  bool
	format string // Excel number format of a number
	shown  string // what the number looks like on a Vietnamese screen, for column widths
}

// Text is a text cell.
func Text(s string) Cell { return Cell{text: s} }

// Number is a number shown with thousands grouped and the given decimals
// (0: "#,##0", 1: "#,##0.0"). Excel writes the format with a comma and
// shows the separators of the reader's locale: 1.234.567,5 in Vietnam.
func Number(f float64, decimals int) Cell {
	decimals = min(max(decimals, 0), 6)
	format := "#,##0"
	if decimals > 0 {
		format += "." + strings.Repeat("0", decimals)
	}
	return Cell{num: f, isNum: true, format: format, shown: vn.FormatNumber(f, decimals)}
}

// Percent is a percentage given in percent (85.5 for 85,5 %). It is stored
// as Excel stores percentages, 0.855 under a "0.0%" format, so a formula
// that multiplies by it does what the reader expects.
func Percent(p float64) Cell {
	return Cell{num: p / 100, isNum: true, format: "0.0%", shown: vn.FormatPercent(p)}
}

// TableSpec is a table as a page shows it.
type TableSpec struct {
	Title     string   // the first row, bold
	Subtitles []string // lines under the title: unit, period, date of export…
	Header    []string
	Rows      [][]Cell
}

// tableSheet is the name of the one sheet of an exported table. The title
// says what the table is; a sheet name holds only 31 characters.
const tableSheet = "Bảng"

// Table writes t as an XLSX workbook to w: the title and subtitles, then
// the header (bold, filled, frozen, with filter buttons) and the rows, set
// up to print on A4 landscape, one page wide.
func Table(w io.Writer, t TableSpec) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := writeTable(f, t); err != nil {
		return fmt.Errorf("sheet: table: %w", err)
	}
	_, err := f.WriteTo(w)
	return err
}

func writeTable(f *excelize.File, t TableSpec) error {
	if err := f.SetSheetName("Sheet1", tableSheet); err != nil {
		return err
	}
	cols := len(t.Header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	cols = max(cols, 1)
	st, err := newTableStyles(f)
	if err != nil {
		return err
	}
	header := len(t.Subtitles) + 3 // title, subtitles, a blank line
	lastRow := max(header+len(t.Rows), header)

	// What a stream cannot set once rows are written: the filter, the
	// page, the widths. A table of 100,000 rows is streamed so that an
	// export does not hold the whole sheet as cells in memory.
	if err := f.AutoFilter(tableSheet, cell(1, header)+":"+cell(cols, lastRow), nil); err != nil {
		return err
	}
	if err := pageSetup(f, tableSheet, header); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(tableSheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: header, TopLeftCell: cell(1, header+1), ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	for i, w := range tableWidths(t, cols) {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}

	for i, line := range append([]string{t.Title}, t.Subtitles...) {
		style := st.subtitle
		if i == 0 {
			style = st.title
		}
		if err := sw.SetRow(cell(1, i+1), []any{excelize.Cell{StyleID: style, Value: line}}); err != nil {
			return err
		}
	}
	row := make([]any, cols)
	for i := range row {
		h := ""
		if i < len(t.Header) {
			h = t.Header[i]
		}
		row[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow(cell(1, header), row); err != nil {
		return err
	}
	for n, r := range t.Rows {
		row = row[:len(r)]
		for i, c := range r {
			style, err := st.of(c)
			if err != nil {
				return err
			}
			var v any = c.text
			if c.isNum {
				v = c.num
			}
			row[i] = excelize.Cell{StyleID: style, Value: v}
		}
		if err := sw.SetRow(cell(1, header+1+n), row); err != nil {
			return err
		}
		row = row[:cols]
	}
	return sw.Flush()
}

// tableWidths sizes each column to its longest content, numbers as a
// Vietnamese screen shows them. A long header wraps rather than widening
// its column; past 60 characters a text wraps too.
func tableWidths(t TableSpec, cols int) []float64 {
	widths := make([]int, cols)
	for i, h := range t.Header {
		widths[i] = min(utf8.RuneCountInString(h), 24)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			shown := c.text
			if c.isNum {
				shown = c.shown
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(shown))
		}
	}
	out := make([]float64, cols)
	for i, w := range widths {
		out[i] = float64(min(max(w+3, 8), 60)) // +3: room for the filter button
	}
	return out
}

// tableStyles are the style ids of an exported table; number styles are
// made once per format.
type tableStyles struct {
	f                       *excelize.File
	title, subtitle, header int
	text                    int
	numbers                 map[string]int
}

func newTableStyles(f *excelize.File) (*tableStyles, error) {
	st := &tableStyles{f: f, numbers: map[string]int{}}
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.subtitle, excelize.Style{Font: &excelize.Font{Italic: true}}},
		{&st.header, excelize.Style{
			Font: &excelize.Font{Bold: true}, Border: thinBorder,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
		{&st.text, excelize.Style{Border: thinBorder, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return nil, err
		}
		*d.id = id
	}
	return st, nil
}

func (st *tableStyles) of(c Cell) (int, error) {
	if !c.isNum {
		return st.text, nil
	}
	if id, ok := st.numbers[c.format]; ok {
		return id, nil
	}
	format := c.format
	id, err := st.f.NewStyle(&excelize.Style{Border: thinBorder, CustomNumFmt: &format, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return 0, err
	}
	st.numbers[c.format] = id
	return id, nil
}
