package sheet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/value"
)

// filled returns spec's template with cells typed in as a user would:
// a string is typed as text (what Excel keeps when its regional settings
// do not read "1.234.567" as a number), anything else as a number.
func filled(t testing.TB, spec TemplateSpec, cells map[string]any) []byte {
	t.Helper()
	f := templateFile(t, spec)
	for ref, v := range cells {
		var err error
		if s, ok := v.(string); ok {
			err = f.SetCellStr(entrySheet, ref, s)
		} else if fm, ok := v.(formula); ok {
			err = f.SetCellFormula(entrySheet, ref, string(fm)) // no value saved with it
		} else if p, ok := v.(typedPercent); ok {
			err = f.SetCellFloat(entrySheet, ref, float64(p), -1, 64)
			if err == nil {
				style, _ := f.NewStyle(&excelize.Style{NumFmt: 10, Protection: &excelize.Protection{}})
				err = f.SetCellStyle(entrySheet, ref, ref, style)
			}
		} else {
			err = f.SetCellValue(entrySheet, ref, v)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// formula is a cell holding a formula and no saved result, as a program
// that writes XLSX without computing leaves it.
type formula string

// typedPercent is a cell where the user typed "85,5%": Excel stores 0.855
// and shows it under a percent format.
type typedPercent float64

func TestRoundTrip(t *testing.T) {
	spec := testSpec()
	data := filled(t, spec, map[string]any{
		"E7": 50_000_000_000, // money, a number cell
		"F7": 87.25,
		"D8": "1.234.567", // text in Vietnamese notation
		"F8": "12,5 %",
		"G8": true, // a yes/no figure as Excel's TRUE
		"D9": 45,
		"F9": typedPercent(0.855),
		"D7": "",                     // a pre-filled value cleared: no value
		"G9": "có",                   // a boolean typed as a word
		"H9": "ghi chú: số ước tính", // a note beside the table is not data
	})
	rows, err := Parse(bytes.NewReader(data), spec.Spec)
	if err != nil {
		t.Fatal(err)
	}
	want := []value.Row{
		{DataElement: "QUY", Period: "2024", OrgUnit: "07210", Value: "50000000000", Line: 7},
		{DataElement: "BHYT", Period: "2024", OrgUnit: "07210", Value: "87.25", Line: 7},
		{DataElement: "CTV", Period: "2024", OrgUnit: "KDC-1", Value: "1234567", Line: 8},
		{DataElement: "BHYT", Period: "2024", OrgUnit: "KDC-1", Value: "12.5", Line: 8},
		{DataElement: "KDC_VH", Period: "2024", OrgUnit: "KDC-1", Value: "1", Line: 8},
		{DataElement: "CTV", Period: "2024", OrgUnit: "KDC-2", Value: "45", Line: 9},
		{DataElement: "BHYT", Period: "2024", OrgUnit: "KDC-2", Value: "85.5", Line: 9},
		{DataElement: "KDC_VH", Period: "2024", OrgUnit: "KDC-2", Value: "1", Line: 9},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows:\n got %+v\nwant %+v", rows, want)
	}
}

// A template uploaded untouched gives back what was pre-filled.
func TestParseUntouched(t *testing.T) {
	spec := testSpec()
	rows, err := Parse(bytes.NewReader(filled(t, spec, nil)), spec.Spec)
	want := []value.Row{
		{DataElement: "CTV", Period: "2024", OrgUnit: "07210", Value: "120", Line: 7},
		{DataElement: "BHYT", Period: "2024", OrgUnit: "KDC-1", Value: "91.5", Line: 8},
	}
	if err != nil || !slices.Equal(rows, want) {
		t.Errorf("got %+v, %v\nwant %+v", rows, err, want)
	}
}

// Each bad cell is named, with its reason, and nothing is returned.
func TestParseBadCells(t *testing.T) {
	tests := []struct {
		name  string
		cells map[string]any
		units int // how many of the spec's units the page expects; 0: all
		want  []string
	}{
		{"negative count", map[string]any{"D8": -5},
			0, []string{"Ô D8: giá trị -5 của chỉ số CTV là số âm; số đếm và số tiền không được âm"}},
		{"fractional count", map[string]any{"D8": 1.5},
			0, []string{"Ô D8: giá trị 1.5 của chỉ số CTV phải là số nguyên"}},
		{"fractional count typed as text", map[string]any{"D8": "2,5"},
			0, []string{"Ô D8: giá trị 2.5 của chỉ số CTV phải là số nguyên"}},
		{"fractional money", map[string]any{"E7": 1000.5},
			0, []string{"Ô E7: giá trị 1000.5 của chỉ số QUY phải là số nguyên"}},
		{"count beyond 2^53 typed as text", map[string]any{"D8": "9.007.199.254.740.993"},
			0, []string{"Ô D8: giá trị 9007199254740993 của chỉ số CTV quá lớn"}},
		{"an English thousand typed as text", map[string]any{"D8": "1,000"},
			0, []string{`Ô D8: chỉ số CTV: "1,000" có dấu phẩy, là dấu thập phân trong cách viết Việt Nam; nếu là số nguyên 1.000, hãy viết "1000" hoặc "1.000" (dấu chấm ngăn cách hàng nghìn)`}},
		// A formula nobody computed was skipped as an empty cell: the
		// upload "succeeded" with nothing imported.
		{"formula without a saved result", map[string]any{"D8": formula("SUM(D9,1)")},
			0, []string{"Ô D8: ô D8 có công thức chưa được tính; hãy mở tệp bằng Excel, lưu lại rồi tải lên"}},
		// TRUE was read as 1.
		{"TRUE in a count", map[string]any{"D8": true},
			0, []string{"Ô D8: ô D8 chứa giá trị đúng/sai (TRUE/FALSE), không phải số; hãy nhập số"}},
		{"percent over 100", map[string]any{"F8": 120},
			0, []string{"Ô F8: tỷ lệ 120% của chỉ số BHYT phải từ 0 đến 100"}},
		{"boolean not 0 or 1", map[string]any{"G8": 2},
			0, []string{"Ô G8: chỉ số KDC_VH chỉ nhận 1 (có) hoặc 0 (không), không nhận 2"}},
		{"boolean word", map[string]any{"G8": "rồi"},
			0, []string{`Ô G8: chỉ số KDC_VH: "rồi" không phải là số`}},
		{"text that is not a number", map[string]any{"D8": "khoảng 50"},
			0, []string{`Ô D8: chỉ số CTV: "khoảng 50" không phải là số`}},
		{"percent sign in a count", map[string]any{"D8": "85%"},
			0, []string{`Ô D8: chỉ số CTV: "85%" không phải là số`}},
		{"badly grouped number", map[string]any{"D8": "1.23.456"},
			0, []string{`Ô D8: chỉ số CTV: "1.23.456" không phải là số`}},
		{"value in a grey cell", map[string]any{"E8": 5},
			0, []string{"Ô E8: chỉ số QUY không thu thập ở cấp khu dân cư (ô xám); để trống ô này"}},
		{"changed unit code", map[string]any{"A8": "KDC-7", "D8": 3},
			0, []string{"Ô A8: mã đơn vị bị sửa từ KDC-1 thành KDC-7; không sửa cột mã đơn vị"}},
		{"deleted unit code", map[string]any{"A8": ""},
			0, []string{"Ô A8: mã đơn vị KDC-1 bị xóa; không sửa cột mã đơn vị"}},
		{"duplicated unit row", map[string]any{"A9": "KDC-1"},
			0, []string{"Ô A9: đơn vị mã KDC-1 lặp lại (đã có ở dòng 8); mỗi đơn vị chỉ một dòng"}},
		{"row added below", map[string]any{"A10": "KDC-3", "B10": "Thôn Nam", "D10": 4},
			0, []string{"Ô A10: thêm dòng ngoài mẫu tải về; không thêm dòng vào mẫu, mỗi đơn vị đã có sẵn một dòng"}},
		{"figures without a code below", map[string]any{"D11": 4},
			0, []string{"Ô A11: thêm dòng ngoài mẫu tải về; không thêm dòng vào mẫu, mỗi đơn vị đã có sẵn một dòng"}},
		{"unit no longer in the subtree", map[string]any{"D9": 4},
			2, []string{"Ô A9: đơn vị mã KDC-2 không thuộc phạm vi của trang này (có thể đã sáp nhập hoặc giải thể); hãy tải mẫu mới"}},
		{"changed element code", map[string]any{"D6": "CTV2", "D8": 3},
			0, []string{`Ô D6: mã chỉ số bị sửa từ CTV thành "CTV2"; không sửa dòng mã chỉ số`}},
		{"every error at once, in sheet order", map[string]any{"D8": -1, "F8": 101, "G7": 1, "D9": "abc"},
			0, []string{
				"Ô G7: chỉ số KDC_VH không thu thập ở cấp xã, phường, thị trấn (ô xám); để trống ô này",
				"Ô D8: giá trị -1 của chỉ số CTV là số âm; số đếm và số tiền không được âm",
				"Ô F8: tỷ lệ 101% của chỉ số BHYT phải từ 0 đến 100",
				`Ô D9: chỉ số CTV: "abc" không phải là số`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := testSpec()
			data := filled(t, spec, tt.cells)
			if tt.units > 0 {
				spec.Units = spec.Units[:tt.units]
			}
			rows, err := Parse(bytes.NewReader(data), spec.Spec)
			if rows != nil {
				t.Errorf("rows = %+v, want none", rows)
			}
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			var got []string
			for _, d := range e.Details {
				got = append(got, d.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("details:\n got %q\nwant %q", got, tt.want)
			}
			if msg := "Tệp Excel có " + strconv.Itoa(len(tt.want)) + " lỗi; chưa nhập giá trị nào."; e.Message != msg {
				t.Errorf("message = %q, want %q", e.Message, msg)
			}
		})
	}
}

// A file made for another period, form, unit or program says what it is
// for and what the page expects.
func TestParseWrongTemplate(t *testing.T) {
	page := testSpec()
	tests := []struct {
		name   string
		change func(*TemplateSpec)
		want   string
	}{
		{"another period", func(s *TemplateSpec) { s.Period = period.MustParse("2023") },
			"Tệp Excel này là mẫu “Báo cáo năm”, kỳ Năm 2023, đơn vị Xã Tân Mỹ, chương trình BG-2019; " +
				"trang này nhận mẫu “Báo cáo năm”, kỳ Năm 2024, đơn vị Xã Tân Mỹ, chương trình BG-2019. Hãy tải mẫu ở trang này rồi nhập lại."},
		{"another form", func(s *TemplateSpec) {
			s.Form.Code, s.Form.Name, s.Period = "QUY", "Báo cáo quý", period.MustParse("2024Q3")
		},
			"Tệp Excel này là mẫu “Báo cáo quý”, kỳ Quý III/2024, đơn vị Xã Tân Mỹ, chương trình BG-2019; " +
				"trang này nhận mẫu “Báo cáo năm”, kỳ Năm 2024, đơn vị Xã Tân Mỹ, chương trình BG-2019. Hãy tải mẫu ở trang này rồi nhập lại."},
		{"another commune", func(s *TemplateSpec) {
			s.Units = []UnitRow{{Unit: s.Units[0].Unit}}
			s.Units[0].Code, s.Units[0].Name = "07213", "Xã Hòa Bình"
		},
			"Tệp Excel này là mẫu “Báo cáo năm”, kỳ Năm 2024, đơn vị Xã Hòa Bình, chương trình BG-2019; " +
				"trang này nhận mẫu “Báo cáo năm”, kỳ Năm 2024, đơn vị Xã Tân Mỹ, chương trình BG-2019. Hãy tải mẫu ở trang này rồi nhập lại."},
		{"another program", func(s *TemplateSpec) { p := *s.Program; p.Code = "BN-2024"; s.Program = &p },
			"Tệp Excel này là mẫu “Báo cáo năm”, kỳ Năm 2024, đơn vị Xã Tân Mỹ, chương trình BN-2024; " +
				"trang này nhận mẫu “Báo cáo năm”, kỳ Năm 2024, đơn vị Xã Tân Mỹ, chương trình BG-2019. Hãy tải mẫu ở trang này rồi nhập lại."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := testSpec()
			tt.change(&file)
			data := filled(t, file, map[string]any{"D7": 5})
			rows, err := Parse(bytes.NewReader(data), page.Spec)
			if rows != nil || errs.CodeOf(err) != errs.Invalid || err.Error() != tt.want {
				t.Errorf("got %v, %v\nwant %s", rows, err, tt.want)
			}
		})
	}
}

// Files that are not our template get one clear sentence.
func TestParseNotATemplate(t *testing.T) {
	plain := excelize.NewFile()
	plain.SetCellValue("Sheet1", "A1", "Mã đơn vị")
	var plainXLSX bytes.Buffer
	plain.WriteTo(&plainXLSX)

	ours := filled(t, testSpec(), nil)
	noEntry, _ := excelize.OpenReader(bytes.NewReader(ours))
	noEntry.NewSheet("Khác")
	noEntry.DeleteSheet(entrySheet)
	noEntry.NewSheet("Khác nữa")
	var noEntryXLSX bytes.Buffer
	noEntry.WriteTo(&noEntryXLSX)

	notXLSX := "Tệp tải lên không phải tệp Excel (.xlsx) đọc được. Hãy dùng mẫu tải từ trang này và lưu dưới dạng .xlsx."
	notOurs := "Tệp Excel này không phải mẫu nhập số liệu tải từ hệ thống (thiếu hoặc hỏng phần thông tin ẩn của mẫu). Hãy tải mẫu ở trang này, nhập số vào đó rồi tải lên."
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"empty":              {nil, notXLSX},
		"garbage":            {[]byte("\x00\x01không phải Excel\xff"), notXLSX},
		"a CSV":              {[]byte("Mã đơn vị;Giá trị\n07210;5\n"), notXLSX},
		"truncated template": {ours[:len(ours)/2], notXLSX},
		"another workbook":   {plainXLSX.Bytes(), notOurs},
		"no entry sheet":     {noEntryXLSX.Bytes(), `Tệp Excel không có trang "Nhập số liệu" để nhập số liệu. Hãy tải mẫu mới ở trang này.`},
	} {
		rows, err := Parse(bytes.NewReader(c.data), testSpec().Spec)
		if rows != nil || errs.CodeOf(err) != errs.Invalid || err.Error() != c.want {
			t.Errorf("%s: got %v, %v\nwant %s", name, rows, err, c.want)
		}
	}
}

// Metadata crafted to name thousands of columns and the last row of a
// sheet is refused as not ours, having read only what the template holds.
func TestParseCraftedMeta(t *testing.T) {
	f, _ := excelize.OpenReader(bytes.NewReader(filled(t, testSpec(), nil)))
	rows, _ := f.GetRows(metaSheet)
	next := len(rows) + 1
	for col := 100; col < 2100; col++ {
		f.SetSheetRow(metaSheet, cell(1, next), &[]string{metaKeyColumn, colName(col), "CTV"})
		next++
	}
	f.SetSheetRow(metaSheet, cell(1, next), &[]string{metaKeyRow, "1048576", "KDC-9"})
	var buf bytes.Buffer
	f.WriteTo(&buf)
	_, err := Parse(&buf, testSpec().Spec)
	if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "không phải mẫu nhập số liệu") {
		t.Errorf("got %v", err)
	}
}

// A file that puts a cell far outside the template on many rows (a few KB
// zipped, gigabytes once every row is padded to its last cell) is refused
// without reading it all.
func TestParseFarCells(t *testing.T) {
	// Written into the sheet's XML directly, as an attacker would: excelize
	// itself would take minutes to write it.
	var far strings.Builder
	for row := 5000; row < 8000; row++ {
		fmt.Fprintf(&far, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, row, row)
	}
	buf := bytes.NewBuffer(rezip(t, filled(t, testSpec(), nil), "xl/worksheets/sheet1.xml", func(xml string) string {
		return strings.Replace(xml, "</sheetData>", far.String()+"</sheetData>", 1)
	}))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Parse(buf, testSpec().Spec)
	runtime.ReadMemStats(&after)
	if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "ngoài vùng của mẫu") {
		t.Errorf("got %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 200<<20 {
		t.Errorf("reading the file allocated %d MB", grew>>20)
	}
}

// A user who renamed the sheet still gets their figures read.
func TestParseRenamedSheet(t *testing.T) {
	f, _ := excelize.OpenReader(bytes.NewReader(filled(t, testSpec(), map[string]any{"D9": 7})))
	if err := f.SetSheetName(entrySheet, "Xã Tân Mỹ 2024"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	f.WriteTo(&buf)
	rows, err := Parse(&buf, testSpec().Spec)
	if err != nil || len(rows) != 3 || rows[2].Value != "7" || rows[2].OrgUnit != "KDC-2" {
		t.Errorf("got %+v, %v", rows, err)
	}
}

// FuzzParse feeds arbitrary bytes to the reader; it must answer with rows
// or an invalid-input error, never panic. Seeds are real templates, so the
// fuzzer starts from files that get past the zip reader.
func FuzzParse(f *testing.F) {
	spec := testSpec()
	f.Add(filled(f, spec, nil))
	f.Add(filled(f, spec, map[string]any{"D8": "1.234.567", "F8": "12,5", "E8": 3, "A9": "KDC-1"}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var rows []value.Row
		var err error
		done := make(chan struct{})
		go func() { rows, err = parse(data, spec.Spec); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("hang")
		}
		if err != nil && (rows != nil || errs.CodeOf(err) != errs.Invalid) {
			t.Fatalf("rows %v with error %v", rows, err)
		}
	})
}

// FuzzParseCell types arbitrary text into a cell of a real template: the
// zip stays valid, so this reaches the number reading that FuzzParse
// rarely gets to. A cell is either one exchange-format value or one
// message for that cell.
func FuzzParseCell(f *testing.F) {
	spec := testSpec()
	for _, s := range []string{"1.234.567", "12,5", "-0", "1e5", "0x10", "NaN", "có", "9007199254740993", "100,0000001", " 7 "} {
		f.Add(s, uint8(0))
	}
	refs := []string{"D8", "E7", "F8", "G9", "E8", "A8", "D6"}
	f.Fuzz(func(t *testing.T, text string, at uint8) {
		ref := refs[int(at)%len(refs)]
		rows, err := Parse(bytes.NewReader(filled(t, spec, map[string]any{ref: text})), spec.Spec)
		if err != nil {
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid || len(e.Details) != 1 || rows != nil {
				t.Fatalf("%s = %q: %v", ref, text, err)
			}
			return
		}
		for _, r := range rows {
			if _, d := value.ParseNumber(elementOf(spec, r.DataElement), r.Value); d != nil {
				t.Fatalf("%s = %q gave %+v: %s", ref, text, r, d)
			}
		}
	})
}

func elementOf(spec TemplateSpec, code string) *value.Element {
	e, _ := spec.Program.Element(code)
	return &value.Element{DataElement: e}
}

// rezip returns the XLSX with one part's XML changed by edit.
func rezip(t *testing.T, xlsx []byte, part string, edit func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == part {
			body, found = []byte(edit(string(body))), true
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatalf("no part %s", part)
	}
	return out.Bytes()
}
