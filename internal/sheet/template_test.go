package sheet

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
)

// testSpec is a commune with two residential areas and a yearly form of
// four elements, one of each type. Its template has the units on rows 7
// (the commune), 8 and 9, and the elements in columns D (CTV, integer),
// E (QUY, money, not at residential areas), F (BHYT, percent) and G (KDC_VH,
// boolean, only at residential areas). So E8, E9 and G7 are grey.
func testSpec() TemplateSpec {
	all := []unit.Kind{unit.Province, unit.District, unit.Commune, unit.ResidentialArea}
	elements := []program.DataElement{
		{Code: "CTV", Name: "Số cộng tác viên, tuyên truyền viên", ValueType: program.Integer, CollectedAt: all},
		{Code: "QUY", Name: "Số tiền vận động Quỹ Vì người nghèo", ValueType: program.Money, CollectedAt: all[:3]},
		{Code: "BHYT", Name: "Tỷ lệ người dân tham gia bảo hiểm y tế", ValueType: program.Percent, CollectedAt: all},
		{Code: "KDC_VH", Name: "Đạt danh hiệu khu dân cư văn hóa", ValueType: program.Boolean, CollectedAt: all[3:]},
	}
	return TemplateSpec{
		Spec: Spec{
			Program: &program.Program{Code: "BG-2019", Name: "Chương trình hành động nhiệm kỳ 2019–2024", DataElements: elements},
			Form:    form.Form{Code: form.Yearly, Name: "Báo cáo năm", PeriodType: period.Yearly, Elements: elements},
			Period:  period.MustParse("2024"),
			Units: []UnitRow{
				{Unit: unit.Unit{Code: "07210", Name: "Xã Tân Mỹ", Kind: unit.Commune}},
				{Unit: unit.Unit{Code: "KDC-1", Name: "Thôn Đông", Kind: unit.ResidentialArea}, Depth: 1},
				{Unit: unit.Unit{Code: "KDC-2", Name: "Thôn Tây", Kind: unit.ResidentialArea}, Depth: 1},
			},
		},
		Deadline: time.Date(2024, 12, 15, 0, 0, 0, 0, time.UTC),
		Values:   map[Key]float64{{"CTV", "07210"}: 120, {"BHYT", "KDC-1"}: 91.5},
	}
}

// templateFile writes spec's template and opens it as a user would.
func templateFile(t testing.TB, spec TemplateSpec) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := Template(&buf, spec); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestTemplateLayout(t *testing.T) {
	f := templateFile(t, testSpec())
	for ref, want := range map[string]string{
		"A1": "Chương trình hành động nhiệm kỳ 2019–2024",
		"A2": "Báo cáo năm: Năm 2024",
		"A3": "Đơn vị: Xã Tân Mỹ — Hạn nộp: 15/12/2024",
		"A5": "Mã đơn vị", "B5": "Tên đơn vị", "C5": "Cấp",
		"D5": "Số cộng tác viên, tuyên truyền viên",
		"E5": "Số tiền vận động Quỹ Vì người nghèo (đồng)",
		"F5": "Tỷ lệ người dân tham gia bảo hiểm y tế (%)",
		"G5": "Đạt danh hiệu khu dân cư văn hóa (1: có, 0: không)",
		"D6": "CTV", "E6": "QUY", "F6": "BHYT", "G6": "KDC_VH",
		"A7": "07210", "B7": "Xã Tân Mỹ", "C7": "Xã, phường, thị trấn",
		"A9": "KDC-2", "B9": "Thôn Tây", "C9": "Khu dân cư",
		// Pre-filled values, shown with the number format.
		"D7": "120", "F8": "91.5", "D8": "",
	} {
		if got, _ := f.GetCellValue(entrySheet, ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	if got := f.GetSheetList(); len(got) != 2 || got[0] != entrySheet {
		t.Errorf("sheets = %q, want the entry sheet first", got)
	}
	if visible, _ := f.GetSheetVisible(metaSheet); visible {
		t.Error("the metadata sheet is visible")
	}
	panes, _ := f.GetPanes(entrySheet)
	if !panes.Freeze || panes.TopLeftCell != "D7" {
		t.Errorf("panes = %+v, want frozen at D7", panes)
	}
}

// A user can type only into the white cells: the sheet is protected, the
// input cells unlocked, everything else (codes, names, headers, grey cells)
// locked.
func TestTemplateProtection(t *testing.T) {
	f := templateFile(t, testSpec())
	prot, err := f.GetSheetProtection(entrySheet)
	if err != nil || !prot.SelectUnlockedCells || prot.InsertRows || prot.DeleteRows {
		t.Fatalf("protection = %+v, %v; want the sheet protected", prot, err)
	}
	for ref, want := range map[string]struct {
		locked bool
		grey   bool
		numFmt string
	}{
		"A7": {locked: true}, "B8": {locked: true}, "C9": {locked: true},
		"D5": {locked: true}, "D6": {locked: true},
		"D7": {numFmt: "#,##0"}, "E7": {numFmt: "#,##0"}, "F7": {}, "D8": {numFmt: "#,##0"}, "G9": {},
		"E8": {locked: true, grey: true}, "E9": {locked: true, grey: true}, "G7": {locked: true, grey: true},
	} {
		id, _ := f.GetCellStyle(entrySheet, ref)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		locked := st.Protection == nil || st.Protection.Locked // Excel's default is locked
		grey := len(st.Fill.Color) > 0 && st.Fill.Color[0] == "BFBFBF"
		numFmt := ""
		if st.CustomNumFmt != nil {
			numFmt = *st.CustomNumFmt
		}
		if locked != want.locked || grey != want.grey || numFmt != want.numFmt {
			t.Errorf("%s: locked %v, grey %v, format %q; want %+v", ref, locked, grey, numFmt, want)
		}
	}
}

// A form with no elements and a subtree of one unit still makes a sheet.
func TestTemplateEmptyForm(t *testing.T) {
	spec := testSpec()
	spec.Form.Elements = nil
	spec.Units = spec.Units[:1]
	spec.Deadline = time.Time{}
	f := templateFile(t, spec)
	if got, _ := f.GetCellValue(entrySheet, "A3"); got != "Đơn vị: Xã Tân Mỹ" {
		t.Errorf("A3 = %q", got)
	}
}
