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

	row := 1
	for i, line := range append([]string{t.Title}, t.Subtitles...) {
		if err := f.SetCellStr(tableSheet, cell(1, row), line); err != nil {
			return err
		}
		style := st.subtitle
		if i == 0 {
			style = st.title
		}
		if err := f.SetCellStyle(tableSheet, cell(1, row), cell(1, row), style); err != nil {
			return err
		}
		row++
	}
	row++ // a blank line between the title block and the table

	header := row
	widths := make([]int, cols)
	for i, h := range t.Header {
		if err := f.SetCellStr(tableSheet, cell(i+1, header), h); err != nil {
			return err
		}
		// A long header wraps; it need not set the column's width alone.
		widths[i] = min(utf8.RuneCountInString(h), 24)
	}
	if err := f.SetCellStyle(tableSheet, cell(1, header), cell(cols, header), st.header); err != nil {
		return err
	}

	for _, r := range t.Rows {
		row++
		for i, c := range r {
			ref := cell(i+1, row)
			var err error
			if c.isNum {
				err = f.SetCellFloat(tableSheet, ref, c.num, -1, 64)
				widths[i] = max(widths[i], utf8.RuneCountInString(c.shown))
			} else {
				err = f.SetCellStr(tableSheet, ref, c.text)
				widths[i] = max(widths[i], utf8.RuneCountInString(c.text))
			}
			if err != nil {
				return err
			}
			style, err := st.of(c)
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(tableSheet, ref, ref, style); err != nil {
				return err
			}
		}
	}

	for i, w := range widths {
		// Room for the filter button; long texts wrap past 60.
		if err := f.SetColWidth(tableSheet, colName(i+1), colName(i+1), float64(min(max(w+3, 8), 60))); err != nil {
			return err
		}
	}
	if err := f.SetPanes(tableSheet, &excelize.Panes{
		Freeze: true, YSplit: header, TopLeftCell: cell(1, header+1), ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	if err := f.AutoFilter(tableSheet, cell(1, header)+":"+cell(cols, max(row, header)), nil); err != nil {
		return err
	}
	return pageSetup(f, tableSheet, header)
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
