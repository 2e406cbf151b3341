package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// SheetName is the report's sheet.
const SheetName = "Báo cáo"

// The six columns of the target tables; the heading splits them into a
// left block (A–B: the committee) and a right block (C–F: the motto).
var columns = []struct {
	title string
	width float64
}{
	{"Mã", 7}, {"Chỉ tiêu", 33}, {"Ngưỡng", 11}, {"Kết quả", 15}, {"Đánh giá", 10}, {"Đơn vị cấp dưới đạt", 16},
}

// A4 (paper 9), portrait, with NĐ 30/2020's margins in inches: top and
// bottom 20 mm, left 30 mm, right 15 mm.
const (
	paperA4      = 9
	marginTop    = 20 / 25.4
	marginBottom = 20 / 25.4
	marginLeft   = 30 / 25.4
	marginRight  = 15 / 25.4
)

// WriteXLSX writes the document as a one-sheet workbook in Times New
// Roman, set up to print on A4 portrait: the same heading lines, tables,
// summary, recipients and signature as the printed page.
func WriteXLSX(w io.Writer, d Document) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &sheet{f: f, styles: map[string]int{}}
	if err := x.write(d); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

type sheet struct {
	f      *excelize.File
	row    int
	styles map[string]int
	err    error
}

// cellStyle describes a cell; it is turned into an excelize style once.
type cellStyle struct {
	size                    float64
	bold, italic, underline bool
	align                   string // left, center, right
	border                  bool
	numFmt                  string // a number's format: "#,##0", "0.0%"
}

func (x *sheet) style(c cellStyle) int {
	key := fmt.Sprintf("%+v", c)
	if id, ok := x.styles[key]; ok {
		return id
	}
	st := &excelize.Style{
		Font:      &excelize.Font{Family: "Times New Roman", Size: c.size, Bold: c.bold, Italic: c.italic},
		Alignment: &excelize.Alignment{Horizontal: c.align, Vertical: "top", WrapText: true},
	}
	if c.underline {
		st.Font.Underline = "single"
	}
	if c.numFmt != "" {
		format := c.numFmt
		st.CustomNumFmt = &format
	}
	if c.border {
		for _, side := range []string{"left", "right", "top", "bottom"} {
			st.Border = append(st.Border, excelize.Border{Type: side, Color: "000000", Style: 1})
		}
	}
	id, err := x.f.NewStyle(st)
	if err != nil && x.err == nil {
		x.err = err
	}
	x.styles[key] = id
	return id
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// put writes text across columns from..to of the current row, merged.
func (x *sheet) put(from, to int, text string, c cellStyle) {
	if x.err != nil {
		return
	}
	a, b := cellName(from, x.row), cellName(to, x.row)
	if from != to {
		if err := x.f.MergeCell(SheetName, a, b); err != nil {
			x.err = err
			return
		}
	}
	if err := x.f.SetCellValue(SheetName, a, text); err != nil {
		x.err = err
		return
	}
	x.err = x.f.SetCellStyle(SheetName, a, b, x.style(c))
}

// putNumber writes a number in column col of the current row, shown with
// its format: Excel writes "#,##0" with a comma and shows the separators
// of the reader's locale (1.234.567,5 in Vietnam), and a specialist can
// add the cells up.
func (x *sheet) putNumber(col int, n float64, c cellStyle) {
	if x.err != nil {
		return
	}
	a := cellName(col, x.row)
	if err := x.f.SetCellFloat(SheetName, a, n, -1, 64); err != nil {
		x.err = err
		return
	}
	x.err = x.f.SetCellStyle(SheetName, a, a, x.style(c))
}

// numberFormat is the Excel format of a row's figure, and the figure as
// Excel stores it (a percentage as a fraction).
func numberFormat(r Row) (string, float64) {
	v := *r.Value
	switch {
	case r.Percent:
		return "0.0%", v / 100
	case r.Money:
		return `#,##0 "đ"`, v
	case v == float64(int64(v)):
		return "#,##0", v
	}
	return "#,##0.00", v
}

// height sets the current row's height for the tallest of its cells,
// counting the lines each text wraps to in its width. Excel does not grow
// a row for wrapped text written by a program, so the row is sized here.
func (x *sheet) height(cells []sized) {
	lines := 1.0
	size := 13.0
	for _, c := range cells {
		// A column's width counts digits of the default 11 pt font; a
		// character of text at size pt takes about size/11 of one.
		perLine := math.Max(1, c.width*11/c.size*1.05)
		n := 0.0
		for _, para := range strings.Split(c.text, "\n") {
			n += math.Max(1, math.Ceil(float64(utf8.RuneCountInString(para))/perLine))
		}
		if n*c.size > lines*size {
			lines, size = n, c.size
		}
	}
	if x.err == nil {
		x.err = x.f.SetRowHeight(SheetName, x.row, lines*size*1.3+2)
	}
}

type sized struct {
	text        string
	width, size float64
}

func width(from, to int) float64 {
	w := 0.0
	for _, c := range columns[from-1 : to] {
		w += c.width
	}
	return w
}

// line writes one merged line across the whole width and moves on.
func (x *sheet) line(text string, c cellStyle) {
	x.put(1, len(columns), text, c)
	x.height([]sized{{text, width(1, len(columns)), c.size}})
	x.row++
}

func (x *sheet) write(d Document) error {
	f := x.f
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	if err := f.SetDefaultFont("Times New Roman"); err != nil {
		return err
	}
	for i, c := range columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(SheetName, col, col, c.width); err != nil {
			return err
		}
	}
	size, orient := paperA4, "portrait"
	one, zero := 1, 0
	if err := f.SetPageLayout(SheetName, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	top, bottom, left, right, hf := marginTop, marginBottom, marginLeft, marginRight, 0.3
	center := true
	if err := f.SetPageMargins(SheetName, &excelize.PageLayoutMarginsOptions{Top: &top, Bottom: &bottom, Left: &left, Right: &right, Header: &hf, Footer: &hf, Horizontally: &center}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(SheetName, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}

	// The heading: committee and issuer at left, motto at right.
	last := len(columns)
	x.row = 1
	committee := strings.Join(d.CommitteeLines(), "\n")
	x.put(1, 2, committee, cellStyle{size: 12, align: "center"})
	x.put(3, last, d.Motto, cellStyle{size: 12, bold: true, align: "center"})
	x.height([]sized{{committee, width(1, 2), 12}, {d.Motto, width(3, last), 12}})
	x.row++
	x.put(1, 2, d.Issuer, cellStyle{size: 13, bold: true, underline: true, align: "center"})
	x.put(3, last, d.Slogan, cellStyle{size: 13, bold: true, underline: true, align: "center"})
	x.height([]sized{{d.Issuer, width(1, 2), 13}})
	x.row += 2
	x.put(1, 2, d.Number, cellStyle{size: 13, align: "center"})
	x.put(3, last, d.PlaceDate, cellStyle{size: 13, italic: true, align: "center"})
	x.row += 2

	x.line(d.Title, cellStyle{size: 14, bold: true, align: "center"})
	x.line(d.Subject, cellStyle{size: 14, bold: true, align: "center"})
	x.row++
	x.line(d.Intro, cellStyle{size: 13, align: "justify"})
	x.line("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", cellStyle{size: 13, bold: true, align: "left"})

	head := cellStyle{size: 11, bold: true, align: "center", border: true}
	text := cellStyle{size: 11, align: "left", border: true}
	mid := cellStyle{size: 11, align: "center", border: true}
	num := cellStyle{size: 11, align: "right", border: true}
	for _, s := range d.Sections {
		x.line(s.Heading, cellStyle{size: 13, bold: true, align: "left"})
		for i, c := range columns {
			x.put(i+1, i+1, c.title, head)
		}
		x.height([]sized{{columns[5].title, columns[5].width, 11}})
		x.row++
		for _, r := range s.Rows {
			result, name := r.Result, r.Name
			if len(r.Details) > 0 {
				// A figure stays a number, alone in its cell: its
				// details go under the target's name.
				if r.Value != nil {
					name += "\n(" + strings.Join(r.Details, "; ") + ")"
				} else {
					result += "\n" + strings.Join(r.Details, "\n")
				}
			}
			cells := []struct {
				text string
				st   cellStyle
			}{{r.Code, mid}, {name, text}, {r.Threshold, mid}, {result, num}, {r.Status.Label(), mid}, {r.Below, text}}
			var sizes []sized
			for i, c := range cells {
				if i == 3 && r.Value != nil {
					f, v := numberFormat(r)
					n := num
					n.numFmt = f
					x.putNumber(i+1, v, n)
				} else {
					x.put(i+1, i+1, c.text, c.st)
				}
				sizes = append(sizes, sized{c.text, columns[i].width, 11})
			}
			x.height(sizes)
			x.row++
		}
		x.row++
	}
	x.line("II. ĐÁNH GIÁ CHUNG", cellStyle{size: 13, bold: true, align: "left"})
	for _, l := range d.Summary.Lines() {
		x.line(l, cellStyle{size: 13, align: "justify"})
	}
	x.row++

	// Recipients at left, signature at right, side by side.
	start := x.row
	x.put(1, 2, "Nơi nhận:", cellStyle{size: 12, bold: true, italic: true, align: "left"})
	for i, r := range d.Recipients {
		x.row = start + 1 + i
		x.put(1, 2, "- "+r, cellStyle{size: 11, align: "left"})
	}
	x.row = start
	x.put(3, last, d.SignFor, cellStyle{size: 13, bold: true, align: "center"})
	x.row++
	x.put(3, last, d.SignerTitle, cellStyle{size: 13, bold: true, align: "center"})
	x.row = max(x.row+4, start+1+len(d.Recipients))
	x.put(3, last, d.Signer, cellStyle{size: 13, bold: true, align: "center"})
	if d.Generated != "" {
		x.row += 2
		x.line(d.Generated, cellStyle{size: 10, italic: true, align: "left"})
	}
	return x.err
}
