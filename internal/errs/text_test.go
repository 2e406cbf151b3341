package errs

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// constantsOf lists the constants of a type declared in the package's
// files, read from the source so that a new one is found without being
// listed anywhere else.
func constantsOf(t *testing.T, typ string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{} // name → value
	for _, name := range names {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != typ {
					continue
				}
				for i, name := range vs.Names {
					lit := vs.Values[i].(*ast.BasicLit)
					out[name.Name] = strings.Trim(lit.Value, `"`)
				}
			}
		}
	}
	return out
}

// full has every argument set, so a text that formats one wrongly shows it.
var full = Args{
	Element: "CT2_HN", ElementName: "Số hộ nghèo", Unit: "10351", UnitName: "Xã Tân Yên", Kind: "commune", KindName: "Xã, phường, thị trấn",
	Period: "2024Q4", PeriodType: "quarterly", Program: "BG-CTHD-2019-2024", Target: "T2.1", FormName: "Biểu năm",
	Text: "12.5", Number: 1300.5, Min: 10, Max: 64, Date: "2025-07-01", From: "2024-01-01", To: "2025-06-30",
	Found: ShapeList, Want: ShapeText, Row: 3, Index: 2,
	Other: &Args{Element: "CT2_HGD", ElementName: "Số hộ gia đình", Unit: "24", UnitName: "Tỉnh Bắc Giang", Kind: "province", KindName: "Tỉnh, thành phố",
		PeriodType: "yearly", Text: "code, name", Number: 1200, From: "2019-01-01", Row: 3, Index: 2},
}

func TestCatalogue(t *testing.T) {
	reasons := constantsOf(t, "Reason")
	if len(reasons) < 50 {
		t.Fatalf("found only %d reasons in the source; is constantsOf reading the package?", len(reasons))
	}
	seen := map[string]string{}
	for name, code := range reasons {
		if other, dup := seen[code]; dup {
			t.Errorf("%s and %s are both %q", name, other, code)
		}
		seen[code] = name
		if _, ok := texts[Reason(code)]; !ok && fundTexts[Reason(code)] == nil {
			t.Errorf("%s (%q) has no text in the catalogue", name, code)
			continue
		}
		for _, d := range []Detail{
			{Code: Reason(code), Args: full, Row: 14, Cell: "D14", Field: "value"},
			{Code: Reason(code)}, // no args at all must not panic
		} {
			for _, s := range []Style{Exchange, Page} {
				text := Text(d, s)
				if text == "" || strings.Contains(text, "%!") || strings.Contains(text, "<nil>") {
					t.Errorf("%s in style %d: %q", name, s, text)
				}
			}
		}
	}
	for s := range map[Shape]bool{ShapeText: true, ShapeNumber: true, ShapeInteger: true, ShapeBoolean: true, ShapeList: true, ShapeSection: true} {
		if _, ok := shapes[s]; !ok {
			t.Errorf("shape %q has no name", s)
		}
	}
	if n := len(constantsOf(t, "Shape")); n != len(shapes) {
		t.Errorf("%d shapes declared, %d named", n, len(shapes))
	}
}

func TestTextStyles(t *testing.T) {
	d := Detail{Row: 7, Index: 3, Field: "value", Code: NotWhole, Args: Args{Element: "CT2_HN", ElementName: "Số hộ nghèo", Text: "1300.5", Number: 1300.5}}
	for _, tt := range []struct {
		style Style
		want  string
	}{
		{Exchange, "dòng 7 (giá trị thứ 3), value: giá trị 1300.5 của chỉ số CT2_HN phải là số nguyên"},
		{Page, "dòng 7 (giá trị thứ 3), value: giá trị 1.300,5 của chỉ số “Số hộ nghèo” phải là số nguyên"},
	} {
		if got := Line(d, tt.style); got != tt.want {
			t.Errorf("style %d:\n got %q\nwant %q", tt.style, got, tt.want)
		}
	}
	cell := Detail{Row: 14, Cell: "D14", Code: FormulaNotComputed}
	if got, want := Line(cell, Page), "Ô D14: ô D14 có công thức chưa được tính; hãy mở tệp bằng Excel, lưu lại rồi tải lên"; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// A period's label keeps its Roman numeral upper case mid-sentence.
	held := Detail{Code: HeldBySentReport, Args: Args{Element: "X", Period: "2024Q4", UnitName: "Thôn 1", Other: &Args{UnitName: "Xã A"}}}
	if got := Text(held, Exchange); !strings.Contains(got, "báo cáo quý IV/2024 của Xã A") {
		t.Errorf("got %q", got)
	}
	err := &Error{Code: Invalid, Message: "có 1 dòng lỗi", Details: []Detail{d}}
	if got, want := err.Error(), "có 1 dòng lỗi (dòng 7 (giá trị thứ 3), value: giá trị 1300.5 của chỉ số CT2_HN phải là số nguyên)"; got != want {
		t.Errorf("Error() = %q", got)
	}
}

func TestDetailJSON(t *testing.T) {
	d := Detail{Row: 7, Field: "value", Code: PartExceedsWhole, Args: Args{Element: "A", Number: 5, Other: &Args{Element: "B", Number: 0}}}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"row":7,"field":"value","code":"part_exceeds_whole","args":{"element":"A","number":5,"other":{"element":"B"}}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}
