package sheet

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTable(t *testing.T) {
	var buf bytes.Buffer
	err := Table(&buf, TableSpec{
		Title:     "Kết quả thực hiện chỉ tiêu năm 2024",
		Subtitles: []string{"Đơn vị: Huyện Yên Dũng", "Xuất ngày 15/01/2025"},
		Header:    []string{"Đơn vị", "Số tiền vận động (đồng)", "Tỷ lệ BHYT", "Điểm thi đua"},
		Rows: [][]Cell{
			{Text("Xã Tân Mỹ"), Number(1234567, 0), Percent(87.5), Number(92.25, 1)},
			{Text("Xã Hòa Bình"), Number(0, 0), Percent(100), Number(70, 1)},
			{Text("Ghi chú: chưa duyệt")}, // a short row
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	// What a user sees, and the raw numbers Excel sums.
	for ref, want := range map[string]struct{ raw, format string }{
		"A1": {raw: "Kết quả thực hiện chỉ tiêu năm 2024"},
		"A2": {raw: "Đơn vị: Huyện Yên Dũng"},
		"A3": {raw: "Xuất ngày 15/01/2025"},
		"A5": {raw: "Đơn vị"}, "B5": {raw: "Số tiền vận động (đồng)"}, "D5": {raw: "Điểm thi đua"},
		"A6": {raw: "Xã Tân Mỹ"},
		"B6": {raw: "1234567", format: "#,##0"},
		"C6": {raw: "0.875", format: "0.0%"},
		"D6": {raw: "92.25", format: "#,##0.0"},
		"B7": {raw: "0", format: "#,##0"},
		"C7": {raw: "1", format: "0.0%"},
		"A8": {raw: "Ghi chú: chưa duyệt"},
	} {
		raw, _ := f.GetCellValue(tableSheet, ref, excelize.Options{RawCellValue: true})
		id, _ := f.GetCellStyle(tableSheet, ref)
		st, _ := f.GetStyle(id)
		format := ""
		if st.CustomNumFmt != nil {
			format = *st.CustomNumFmt
		}
		if raw != want.raw || format != want.format {
			t.Errorf("%s = %q in %q, want %q in %q", ref, raw, format, want.raw, want.format)
		}
	}
	if typ, _ := f.GetCellType(tableSheet, "B6"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Error("B6 is text, want a number")
	}
	if got, _ := f.GetCellValue(tableSheet, "B6"); got != "1,234,567" {
		t.Errorf("B6 shows %q, want it grouped", got) // excelize formats in the en-US locale
	}
	id, _ := f.GetCellStyle(tableSheet, "B5")
	if st, _ := f.GetStyle(id); st.Font == nil || !st.Font.Bold {
		t.Error("header not bold")
	}
	panes, _ := f.GetPanes(tableSheet)
	if !panes.Freeze || panes.TopLeftCell != "A6" {
		t.Errorf("panes = %+v, want frozen below the header", panes)
	}
	filter := ""
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" {
			filter = d.RefersTo
		}
	}
	if filter != "'Bảng'!$A$5:$D$8" {
		t.Errorf("autofilter = %q, want the header and rows", filter)
	}
	layout, _ := f.GetPageLayout(tableSheet)
	if layout.Size == nil || *layout.Size != 9 || layout.Orientation == nil || *layout.Orientation != "landscape" {
		t.Errorf("page layout = %+v, want A4 landscape", layout)
	}
}

// A table with no rows is still a valid file with its header.
func TestTableEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := Table(&buf, TableSpec{Title: "Danh sách trống", Header: []string{"Mã", "Tên"}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.GetCellValue(tableSheet, "B3"); got != "Tên" {
		t.Errorf("B3 = %q, want the header", got)
	}
}
