// Package sheet is the Excel round trip: the data-entry template a
// committee downloads for one form, period and unit subtree, the reading of
// that template once filled in, and a generic export of any table the web
// app shows.
//
// Province specialists live in Excel and commune officers fill figures in
// on old PCs, so the files are plain XLSX with Vietnamese text, Vietnamese
// number formats and no macros. Functions write to an io.Writer and read
// from an io.Reader: callers (web handlers, the CLI) never touch excelize.
package sheet

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

// The template's layout. Parse reads the first data row and the columns
// from the hidden metadata, not from these constants, so a template
// downloaded before a layout change still reads back.
const (
	entrySheet = "Nhập số liệu"
	// metaSheet holds what the template was made for. It is "very hidden":
	// Excel's Unhide menu does not list it, so nobody edits it by accident.
	metaSheet  = "mattran"
	metaFormat = "mattran-entry-1"
	headerRow  = 5 // element names
	codeRow    = 6 // element codes
	firstData  = 7
	firstInput = 4 // column D: the first data element
)

// Spec says what a data-entry sheet is for: a program's form, for one
// period, over a unit subtree. Template writes it and Parse checks an
// upload against it.
type Spec struct {
	Program *program.Program
	Form    form.Form
	Period  period.Period
	// Root is the unit the sheet was asked for: the title and the hidden
	// sheet name it. It is not always the first row: a commune's quarterly
	// form has rows for its residential areas only.
	Root unit.Unit
	// Units are the subtree in tree order, the subtree's root first when it
	// reports an element of the form; each gets one row. Depth is relative
	// to the root (0) and indents the name.
	Units []UnitRow
}

// root is the unit the sheet is for: Root, or the first row's unit when
// Root is not set.
func (s Spec) root() (unit.Unit, bool) {
	if s.Root.Code != "" {
		return s.Root, true
	}
	if len(s.Units) > 0 {
		return s.Units[0].Unit, true
	}
	return unit.Unit{}, false
}

// UnitRow is one unit of the sheet and its depth below the sheet's root.
type UnitRow struct {
	unit.Unit
	Depth int
}

// Key names one value: a data element's code and a unit's code.
type Key struct{ Element, Unit string }

// TemplateSpec is a Spec with what only the download shows.
type TemplateSpec struct {
	Spec
	Deadline time.Time       // "Hạn nộp" in the title block; zero leaves it out
	Values   map[Key]float64 // values already stored, pre-filled so the user edits rather than retypes
}

// Template writes the data-entry workbook for spec to w: one row per unit,
// one column per data element of the form. Codes, names and headers are
// locked and the sheet is protected without a password (the protection
// guards against slips, not against users; Parse checks everything again).
// Cells where an element is not collected at the unit's level are grey and
// locked.
func Template(w io.Writer, spec TemplateSpec) error {
	if spec.Program == nil {
		return fmt.Errorf("sheet: template without a program")
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := writeTemplate(f, spec); err != nil {
		return fmt.Errorf("sheet: template: %w", err)
	}
	_, err := f.WriteTo(w)
	return err
}

func writeTemplate(f *excelize.File, spec TemplateSpec) error {
	if err := f.SetSheetName("Sheet1", entrySheet); err != nil {
		return err
	}
	st, err := newTemplateStyles(f)
	if err != nil {
		return err
	}
	elements := spec.Form.Elements
	lastCol := max(firstInput+len(elements)-1, 5)
	lastName := colName(lastCol)

	// Title block.
	title := []string{
		spec.Program.Name,
		fmt.Sprintf("%s: %s", spec.Form.Name, spec.Period.Label()),
	}
	if root, ok := spec.root(); ok {
		line := "Đơn vị: " + root.Name
		if !spec.Deadline.IsZero() {
			line += " — Hạn nộp: " + vn.FormatDate(spec.Deadline)
		}
		title = append(title, line)
	}
	title = append(title, "Nhập số vào các ô trắng (số nguyên, tiền tính bằng đồng, tỷ lệ % từ 0 đến 100, có/không nhập 1/0). "+
		"Ô xám: chỉ số không thu thập ở cấp đó. Không sửa cột mã, không thêm hay xóa dòng.")
	for i, text := range title {
		row := i + 1
		if err := f.SetCellStr(entrySheet, cell(1, row), text); err != nil {
			return err
		}
		if err := f.MergeCell(entrySheet, cell(1, row), lastName+strconv.Itoa(row)); err != nil {
			return err
		}
		style := st.subtitle
		if i == 0 {
			style = st.title
		} else if i == len(title)-1 {
			style = st.note
		}
		if err := f.SetCellStyle(entrySheet, cell(1, row), cell(1, row), style); err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(entrySheet, len(title), 30); err != nil {
		return err
	}

	// Header: names, then codes. The code row is what a reader checks
	// against the metadata, and what a specialist quotes on the phone.
	headers := []string{"Mã đơn vị", "Tên đơn vị", "Cấp"}
	for _, e := range elements {
		headers = append(headers, elementHeader(e))
	}
	longest := 0
	for i, h := range headers {
		if err := f.SetCellStr(entrySheet, cell(i+1, headerRow), h); err != nil {
			return err
		}
		code := ""
		if i >= firstInput-1 {
			code = elements[i-firstInput+1].Code
			longest = max(longest, utf8.RuneCountInString(h))
		}
		if err := f.SetCellStr(entrySheet, cell(i+1, codeRow), code); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(entrySheet, cell(1, headerRow), cell(len(headers), headerRow), st.header); err != nil {
		return err
	}
	if err := f.SetCellStyle(entrySheet, cell(1, codeRow), cell(len(headers), codeRow), st.code); err != nil {
		return err
	}
	// Element columns are 18 characters wide; give the wrapped names the
	// lines they need, at 15 points a line.
	if err := f.SetRowHeight(entrySheet, headerRow, float64(min(8, max(2, longest/16+1))*15)); err != nil {
		return err
	}

	// One row per unit.
	nameWidth := 30
	for i, u := range spec.Units {
		row := firstData + i
		if err := f.SetCellStr(entrySheet, cell(1, row), u.Code); err != nil {
			return err
		}
		if err := f.SetCellStr(entrySheet, cell(2, row), u.Name); err != nil {
			return err
		}
		if err := f.SetCellStr(entrySheet, cell(3, row), u.Kind.Label()); err != nil {
			return err
		}
		nameWidth = max(nameWidth, utf8.RuneCountInString(u.Name)+2*u.Depth+2)
		nameStyle, err := st.name(u.Depth)
		if err != nil {
			return err
		}
		if err := f.SetCellStyle(entrySheet, cell(1, row), cell(1, row), st.locked); err != nil {
			return err
		}
		if err := f.SetCellStyle(entrySheet, cell(2, row), cell(2, row), nameStyle); err != nil {
			return err
		}
		if err := f.SetCellStyle(entrySheet, cell(3, row), cell(3, row), st.locked); err != nil {
			return err
		}
		for j, e := range elements {
			ref := cell(firstInput+j, row)
			if !e.CollectedAtKind(u.Kind) {
				if err := f.SetCellStyle(entrySheet, ref, ref, st.grey); err != nil {
					return err
				}
				continue
			}
			if err := f.SetCellStyle(entrySheet, ref, ref, st.input[e.ValueType]); err != nil {
				return err
			}
			if v, ok := spec.Values[Key{e.Code, u.Code}]; ok {
				if err := f.SetCellFloat(entrySheet, ref, v, -1, 64); err != nil {
					return err
				}
			}
		}
	}
	lastRow := firstData + len(spec.Units) - 1
	if err := addValidations(f, elements, lastRow); err != nil {
		return err
	}

	// Widths: codes and kinds fit their text; names fit the longest name.
	widths := []struct {
		col   string
		width float64
	}{{"A", 14}, {"B", float64(min(nameWidth, 60))}, {"C", 20}}
	for _, w := range widths {
		if err := f.SetColWidth(entrySheet, w.col, w.col, w.width); err != nil {
			return err
		}
	}
	if len(elements) > 0 {
		if err := f.SetColWidth(entrySheet, colName(firstInput), colName(firstInput+len(elements)-1), 18); err != nil {
			return err
		}
	}
	// Freeze the header and the unit columns: a commune officer scrolls
	// right through the elements and down through residential areas.
	if err := f.SetPanes(entrySheet, &excelize.Panes{
		Freeze: true, XSplit: firstInput - 1, YSplit: firstData - 1,
		TopLeftCell: cell(firstInput, firstData), ActivePane: "bottomRight",
	}); err != nil {
		return err
	}
	if err := pageSetup(f, entrySheet, codeRow); err != nil {
		return err
	}
	if err := f.ProtectSheet(entrySheet, &excelize.SheetProtectionOptions{
		SelectLockedCells:   true,
		SelectUnlockedCells: true,
		FormatColumns:       true, // widening a column to read a long name is fine
		FormatRows:          true,
	}); err != nil {
		return err
	}
	return writeMeta(f, spec)
}

// elementHeader is an element's column title: its name and, for the types
// whose unit is not obvious, how to type it.
func elementHeader(e program.DataElement) string {
	name := e.Name
	if name == "" {
		name = e.Code
	}
	switch e.ValueType {
	case program.Money:
		return name + " (đồng)"
	case program.Percent:
		return name + " (%)"
	case program.Boolean:
		return name + " (1: có, 0: không)"
	}
	return name
}

// addValidations makes Excel refuse, as the user types, what Parse would
// refuse anyway. Pasted values bypass Excel's checks, so Parse stays the
// authority.
func addValidations(f *excelize.File, elements []program.DataElement, lastRow int) error {
	if lastRow < firstData {
		return nil
	}
	for j, e := range elements {
		dv := excelize.NewDataValidation(true)
		col := colName(firstInput + j)
		dv.Sqref = fmt.Sprintf("%s%d:%s%d", col, firstData, col, lastRow)
		var err error
		var msg string
		switch e.ValueType {
		case program.Integer:
			err = dv.SetRange(0, 0, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorGreaterThanOrEqual)
			msg = "Nhập số nguyên không âm."
		case program.Money:
			// A decimal check: Excel's whole-number check may not reach
			// tens of billions of đồng. Parse refuses fractions.
			err = dv.SetRange(0, 0, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorGreaterThanOrEqual)
			msg = "Nhập số tiền (đồng), không âm."
		case program.Percent:
			err = dv.SetRange(0, 100, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
			msg = "Nhập tỷ lệ phần trăm từ 0 đến 100."
		case program.Boolean:
			err = dv.SetRange(0, 1, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
			msg = "Nhập 1 (có) hoặc 0 (không)."
		default:
			continue
		}
		if err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "Giá trị không hợp lệ", msg)
		if err := f.AddDataValidation(entrySheet, dv); err != nil {
			return err
		}
	}
	return nil
}

// templateStyles are the style ids a template uses.
type templateStyles struct {
	f                          *excelize.File
	title, subtitle, note      int
	header, code, locked, grey int
	input                      map[program.ValueType]int
	names                      map[int]int // by depth
}

var thinBorder = []excelize.Border{
	{Type: "left", Color: "A6A6A6", Style: 1},
	{Type: "top", Color: "A6A6A6", Style: 1},
	{Type: "right", Color: "A6A6A6", Style: 1},
	{Type: "bottom", Color: "A6A6A6", Style: 1},
}

func newTemplateStyles(f *excelize.File) (*templateStyles, error) {
	st := &templateStyles{f: f, input: map[program.ValueType]int{}, names: map[int]int{}}
	locked := &excelize.Protection{Locked: true}
	unlocked := &excelize.Protection{Locked: false}
	thousands := "#,##0"
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.subtitle, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}}},
		{&st.note, excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.header, excelize.Style{
			Font: &excelize.Font{Bold: true}, Border: thinBorder, Protection: locked,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
		{&st.code, excelize.Style{
			Font: &excelize.Font{Italic: true, Color: "595959"}, Border: thinBorder, Protection: locked,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center"},
		}},
		// NumFmt 49 is "@" (text): a code like "01" stays "01".
		{&st.locked, excelize.Style{Border: thinBorder, Protection: locked, NumFmt: 49}},
		{&st.grey, excelize.Style{Border: thinBorder, Protection: locked, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"BFBFBF"}}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return nil, err
		}
		*d.id = id
	}
	// "#,##0" is written with a comma, and Excel shows the separators of
	// the user's locale: 1.234.567 on a Vietnamese Windows.
	for t, s := range map[program.ValueType]excelize.Style{
		program.Integer: {Border: thinBorder, Protection: unlocked, CustomNumFmt: &thousands},
		program.Money:   {Border: thinBorder, Protection: unlocked, CustomNumFmt: &thousands},
		program.Percent: {Border: thinBorder, Protection: unlocked}, // General: 85,5 shows as typed
		program.Boolean: {Border: thinBorder, Protection: unlocked, NumFmt: 1, Alignment: &excelize.Alignment{Horizontal: "center"}},
	} {
		id, err := f.NewStyle(&s)
		if err != nil {
			return nil, err
		}
		st.input[t] = id
	}
	return st, nil
}

// name returns the style of a unit name at depth, indented so the tree
// reads at a glance; styles are made once per depth.
func (st *templateStyles) name(depth int) (int, error) {
	if id, ok := st.names[depth]; ok {
		return id, nil
	}
	s := excelize.Style{Border: thinBorder, Protection: &excelize.Protection{Locked: true}, Alignment: &excelize.Alignment{Indent: min(depth, 15)}}
	if depth == 0 {
		s.Font = &excelize.Font{Bold: true}
	}
	id, err := st.f.NewStyle(&s)
	if err != nil {
		return 0, err
	}
	st.names[depth] = id
	return id, nil
}

// The metadata sheet has one fact per row: a key in column A, values in B
// and C. Keys are English: no user reads them.
const (
	metaKeyFormat   = "format"
	metaKeyProgram  = "program" // code, name
	metaKeyForm     = "form"    // code, name
	metaKeyPeriod   = "period"  // code
	metaKeyUnit     = "unit"    // the root's code, name
	metaKeyFirstRow = "first_row"
	metaKeyColumn   = "column" // column letter, element code
	metaKeyRow      = "row"    // row number, unit code
)

func writeMeta(f *excelize.File, spec TemplateSpec) error {
	if _, err := f.NewSheet(metaSheet); err != nil {
		return err
	}
	facts := [][]string{
		{metaKeyFormat, metaFormat},
		{metaKeyProgram, spec.Program.Code, spec.Program.Name},
		{metaKeyForm, spec.Form.Code, spec.Form.Name},
		{metaKeyPeriod, spec.Period.String()},
		{metaKeyFirstRow, strconv.Itoa(firstData)},
	}
	if root, ok := spec.root(); ok {
		facts = append(facts, []string{metaKeyUnit, root.Code, root.Name})
	}
	for j, e := range spec.Form.Elements {
		facts = append(facts, []string{metaKeyColumn, colName(firstInput + j), e.Code})
	}
	for i, u := range spec.Units {
		facts = append(facts, []string{metaKeyRow, strconv.Itoa(firstData + i), u.Code})
	}
	for i, fact := range facts {
		for j, s := range fact {
			if err := f.SetCellStr(metaSheet, cell(j+1, i+1), s); err != nil {
				return err
			}
		}
	}
	if err := f.SetSheetVisible(metaSheet, false, true); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return nil
}

// pageSetup prints on A4 landscape, one page wide, repeating the rows up
// to headerEnd on every page.
func pageSetup(f *excelize.File, sheet string, headerEnd int) error {
	a4, landscape, one, tall := 9, "landscape", 1, 0
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &tall, // 0: as many pages tall as needed
	}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$1:$%d", strings.ReplaceAll(sheet, "'", "''"), headerEnd),
		Scope:    sheet,
	})
}

// CellOf names the cell of a template made for s that holds element's
// figure on an Excel row: "D14". For an element not in the form it names
// the row's unit code cell, "A14". It maps a value's refusal, which knows
// the row and the element, back to the cell the user typed it in.
func (s Spec) CellOf(row int, element string) string {
	for j, e := range s.Form.Elements {
		if e.Code == element {
			return cell(firstInput+j, row)
		}
	}
	return cell(1, row)
}

// cell names the cell at a 1-based column and row: cell(4, 14) is "D14".
func cell(col, row int) string {
	return colName(col) + strconv.Itoa(row)
}

func colName(col int) string {
	name, err := excelize.ColumnNumberToName(col)
	if err != nil {
		// Only for col < 1 or beyond XFD; our columns are 1..3+elements.
		panic(err)
	}
	return name
}
