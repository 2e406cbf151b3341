package value

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

func element(id int64, code string, vt program.ValueType, t period.Type, denominator string, at ...unit.Kind) *Element {
	return &Element{ID: id, Type: t, DataElement: program.DataElement{
		Code: code, Name: code, ValueType: vt, Aggregation: program.Sum, PeriodType: t.String(),
		CollectedAt: at, Denominator: denominator, Source: "reported"}}
}

var (
	every      = []unit.Kind{unit.Province, unit.District, unit.Commune}
	households = element(1, "CT2_HGD_TONG", program.Integer, period.Yearly, "", every...)
	cultured   = element(2, "CT2_HGD_VANHOA", program.Integer, period.Yearly, "CT2_HGD_TONG", every...)
	fund       = element(3, "CT2_QUY_VNN", program.Money, period.Yearly, "", unit.Province)
	insured    = element(4, "CT2_BHYT", program.Percent, period.Yearly, "", every...)
	reported   = element(5, "CT1_BC", program.Boolean, period.Monthly, "", every...)
	elements   = map[string]*Element{households.Code: households, cultured.Code: cultured, fund.Code: fund, insured.Code: insured, reported.Code: reported}

	province   = &unit.Unit{ID: 10, Code: "24", Name: "Tỉnh Bắc Giang", Kind: unit.Province, ValidFrom: unit.Beginning, ValidTo: "2025-06-30"}
	thoXuong   = &unit.Unit{ID: 1000, Code: "07201", Name: "Phường Thọ Xương", Kind: unit.Commune, ValidFrom: unit.Beginning, ValidTo: "2025-06-30"}
	ngoQuyen   = &unit.Unit{ID: 1001, Code: "07207", Name: "Phường Ngô Quyền", Kind: unit.Commune, ValidFrom: unit.Beginning, ValidTo: "2025-06-30"}
	khuDanCu   = &unit.Unit{ID: 10000, Code: "07201-01", Name: "Tổ dân phố số 1", Kind: unit.ResidentialArea, ValidFrom: unit.Beginning, ValidTo: "2025-06-30"}
	newBacNinh = &unit.Unit{ID: 20, Code: "24", Name: "Tỉnh Bắc Ninh", Kind: unit.Province, ValidFrom: "2025-07-01", ValidTo: unit.Forever}
)

// testContext resolves units by code and date as the store does, with 2024
// locked for Ngô Quyền and the writer allowed everywhere but Bắc Ninh.
func testContext() *Context {
	units := []*unit.Unit{province, thoXuong, ngoQuyen, khuDanCu, newBacNinh}
	return &Context{
		Elements: elements,
		Unit: func(code string, p period.Period) (*unit.Unit, bool) {
			var found *unit.Unit
			for _, u := range units {
				if u.Code == code && u.Overlaps(p.StartDate(), p.EndDate()) {
					found = u // the later one wins
				}
			}
			return found, found != nil
		},
		Locked:  func(u *unit.Unit, p period.Period) bool { return u == ngoQuyen && p.Year == 2024 },
		InScope: func(u *unit.Unit) bool { return u != newBacNinh },
		Stored: func(e *Element, u *unit.Unit, p period.Period) (float64, bool) {
			return 40, u == ngoQuyen && e.Code == "CT2_HGD_TONG" && p.Year == 2024
		},
		Today: "2025-03-15",
	}
}

func TestResolve(t *testing.T) {
	rows := []Row{
		{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "07201", Value: "1500", Line: 2},
		{DataElement: "CT2_HGD_VANHOA", Period: "2024", OrgUnit: "07201", Value: " 1200 ", Line: 3},
		{DataElement: "CT2_QUY_VNN", Period: "2023", OrgUnit: "24", Value: "51234000000", Line: 4},
		{DataElement: "CT2_BHYT", Period: "2024", OrgUnit: "24", Value: "92.5", Line: 5},
		{DataElement: "CT1_BC", Period: "202409", OrgUnit: "24", Value: "có", Line: 6},
		// The same value twice is harmless: it is kept once.
		{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "07201", Value: "1500.0", Line: 7},
	}
	values, bad := Resolve(testContext(), rows)
	if len(bad) != 0 {
		t.Fatalf("good rows rejected: %+v", bad)
	}
	type got struct {
		element, unit, period string
		number                float64
		line                  int
	}
	want := []got{
		{"CT2_HGD_TONG", "07201", "2024", 1500, 2},
		{"CT2_HGD_VANHOA", "07201", "2024", 1200, 3},
		{"CT2_QUY_VNN", "24", "2023", 51234000000, 4},
		{"CT2_BHYT", "24", "2024", 92.5, 5},
		{"CT1_BC", "24", "202409", 1, 6},
	}
	if len(values) != len(want) {
		t.Fatalf("%d values; want %d", len(values), len(want))
	}
	for i, v := range values {
		g := got{v.Element.Code, v.Unit.Code, v.Period.String(), v.Number, v.Line}
		if g != want[i] {
			t.Errorf("value %d = %+v; want %+v", i+1, g, want[i])
		}
	}
	if values[2].Unit != province {
		t.Errorf("code 24 in 2023 resolved to %s; want Tỉnh Bắc Giang", values[2].Unit.Name)
	}
}

func TestResolveRejects(t *testing.T) {
	tests := []struct {
		name  string
		row   Row
		field string
		want  string
	}{
		{"no element", Row{Period: "2024", OrgUnit: "24", Value: "1"}, "dataElement", "thiếu mã chỉ số"},
		{"unknown element", Row{DataElement: "CT9_X", Period: "2024", OrgUnit: "24", Value: "1"}, "dataElement", `không có chỉ số "CT9_X"`},
		{"bad period", Row{DataElement: "CT2_HGD_TONG", Period: "2024Q5", OrgUnit: "24", Value: "1"}, "period", `"2024Q5"`},
		{"no period", Row{DataElement: "CT2_HGD_TONG", OrgUnit: "24", Value: "1"}, "period", "không hợp lệ"},
		{"quarter for a yearly element", Row{DataElement: "CT2_HGD_TONG", Period: "2024Q3", OrgUnit: "24", Value: "1"}, "period", "nhập theo năm"},
		{"period not begun", Row{DataElement: "CT1_BC", Period: "202504", OrgUnit: "24", Value: "1"}, "period", "chưa bắt đầu"},
		{"no unit", Row{DataElement: "CT2_HGD_TONG", Period: "2024", Value: "1"}, "orgUnit", "thiếu mã đơn vị"},
		{"unknown unit", Row{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "99", Value: "1"}, "orgUnit", `không có đơn vị mã "99" trong kỳ Năm 2024`},
		{"element not collected at that level", Row{DataElement: "CT2_QUY_VNN", Period: "2024", OrgUnit: "07201", Value: "1"}, "orgUnit", "không thu thập ở cấp"},
		{"residential area", Row{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "07201-01", Value: "1"}, "orgUnit", "khu dân cư"},
		{"out of scope", Row{DataElement: "CT2_HGD_TONG", Period: "2025", OrgUnit: "24", Value: "1"}, "orgUnit", "ngoài phạm vi"},
		{"no value", Row{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "24", Value: " "}, "value", "thiếu giá trị"},
		{"thousands separator", Row{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "24", Value: "1.234.567"}, "value", "không phải là số"},
		{"locked", Row{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "07207", Value: "1"}, "period", "đã được duyệt và khóa"},
		{"locked, not the stored value", Row{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "07207", Value: "41"}, "period", "đã được duyệt và khóa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.row.Line, tt.row.Index = 7, 3
			values, bad := Resolve(testContext(), []Row{tt.row})
			if len(values) != 0 || len(bad) != 1 {
				t.Fatalf("values %+v, errors %+v; want one error", values, bad)
			}
			d := bad[0]
			if msg := d.String(); d.Row != 7 || d.Index != 3 || d.Field != tt.field || !strings.Contains(msg, tt.want) || !strings.HasPrefix(msg, "dòng 7 (giá trị thứ 3), "+tt.field+": ") {
				t.Errorf("detail %+v; want row 7, field %s, a message starting with the place and saying %q", d, tt.field, tt.want)
			}
		})
	}
}

func TestResolveConflictingDuplicate(t *testing.T) {
	rows := []Row{
		{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "07201", Value: "1500", Line: 2},
		{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "07201", Value: "1600", Line: 9},
	}
	values, bad := Resolve(testContext(), rows)
	if len(values) != 1 || len(bad) != 1 {
		t.Fatalf("values %+v, errors %+v; want the first value and an error for the second", values, bad)
	}
	if d := bad[0]; d.Row != 9 || d.Field != "value" || !strings.Contains(d.String(), "với dòng 2 nhưng khác giá trị") {
		t.Errorf("detail %+v; want row 9 pointing back at dòng 2", d)
	}
}

func TestResolveReportsEveryBadRow(t *testing.T) {
	rows := []Row{
		{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "07201", Value: "-5", Line: 2},
		{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "24", Value: "10", Line: 3},
		{DataElement: "CT2_BHYT", Period: "2024", OrgUnit: "24", Value: "101", Line: 4},
	}
	values, bad := Resolve(testContext(), rows)
	if len(values) != 1 || len(bad) != 2 || bad[0].Row != 2 || bad[1].Row != 4 {
		t.Errorf("values %d, errors %+v; want 1 value and errors on rows 2 and 4", len(values), bad)
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		e    *Element
		in   string
		want float64
		err  string // in the reason; "" when accepted
	}{
		{households, "1500", 1500, ""},
		{households, " 1500 ", 1500, ""},
		{households, "1500.0", 1500, ""},
		{households, "0", 0, ""},
		{households, "", 0, "thiếu giá trị"},
		{households, "-1", 0, "số âm"},
		{households, "12.5", 0, "phải là số nguyên"},
		{households, "1.234", 0, "phải là số nguyên"}, // a Vietnamese thousands separator
		{households, "1,5", 0, "không phải là số"},
		{households, "1 500", 0, "không phải là số"},
		{households, "0x10", 0, "không phải là số"},
		{households, "1_000", 0, "không phải là số"},
		{households, "NaN", 0, "không phải là số"},
		{households, "Inf", 0, "không phải là số"},
		{households, "1e400", 0, "quá lớn"},
		{households, "-1e400", 0, "quá lớn"},
		{insured, "1e400", 0, "không phải là số"},
		{households, "mười", 0, "không phải là số"},
		// Beyond 2^53 a float64 skips whole numbers: 2^53+1 would be stored
		// as 2^53. The check reads the digits, not the rounded float.
		{households, "9007199254740992", 1 << 53, ""},
		{households, "9007199254740992.0", 1 << 53, ""},
		{households, "009007199254740992", 1 << 53, ""},
		{households, "9007199254740993", 0, "quá lớn"},
		{households, "9007199254740993.0", 0, "quá lớn"},
		{households, "9007199254740994", 0, "quá lớn"},
		{households, "12345678901234567890", 0, "quá lớn"},
		{fund, "9007199254740993", 0, "quá lớn"},
		{households, "1e16", 0, "quá lớn"},
		{fund, "50000000000", 5e10, ""},
		{fund, "50000000000.5", 0, "phải là số nguyên"},
		{fund, "-50000", 0, "số âm"},
		{insured, "0", 0, ""},
		{insured, "92.5", 92.5, ""},
		{insured, "100", 100, ""},
		{insured, "100.01", 0, "từ 0 đến 100"},
		{insured, "-0.5", 0, "từ 0 đến 100"},
		{insured, "92,5", 0, "không phải là số"},
		{reported, "true", 1, ""},
		{reported, "TRUE", 1, ""},
		{reported, "1", 1, ""},
		{reported, "Có", 1, ""},
		{reported, "false", 0, ""},
		{reported, "0", 0, ""},
		{reported, "không", 0, ""},
		{reported, "2", 0, "true hoặc false"},
		{reported, "yes", 0, "true hoặc false"},
	}
	for _, tt := range tests {
		n, d := ParseNumber(tt.e, tt.in)
		msg := reason(d)
		switch {
		case tt.err == "" && (msg != "" || n != tt.want):
			t.Errorf("ParseNumber(%s, %q) = %v, %q; want %v", tt.e.ValueType, tt.in, n, msg, tt.want)
		case tt.err != "" && !strings.Contains(msg, tt.err):
			t.Errorf("ParseNumber(%s, %q) = %v, %q; want a reason saying %q", tt.e.ValueType, tt.in, n, msg, tt.err)
		case tt.err != "" && tt.in != "" && !strings.Contains(msg, tt.e.Code):
			t.Errorf("ParseNumber(%s, %q): reason %q does not name the element", tt.e.ValueType, tt.in, msg)
		}
	}
}

// A number typed the Vietnamese way is read digit for digit; in a
// whole-number field "1,000" is refused rather than read as 1 (the comma is
// the Vietnamese decimal mark), which it was before.
func TestParseTyped(t *testing.T) {
	tests := []struct {
		e    *Element
		in   string
		want string // the exchange text; "" when refused
		err  string
	}{
		{households, "1.000", "1000", ""},
		{households, "1000", "1000", ""},
		{households, "1,000", "", `"1,000" có dấu phẩy, là dấu thập phân trong cách viết Việt Nam; nếu là số nguyên 1.000, hãy viết "1000" hoặc "1.000"`},
		{households, " 12,500 ", "", `"12,500" có dấu phẩy`},
		{fund, "-1,000", "", "dấu phẩy"},
		{households, "1,000,000", "1000000", ""}, // two commas can only group
		{households, "1,5", "1.5", ""},           // not whole: ParseNumber says so
		{households, "0,500", "0.500", ""},
		{insured, "1,000", "1.000", ""}, // a percent may have decimals
		{households, "9.007.199.254.740.993", "9007199254740993", ""},
		{households, "mười", "", `"mười" không phải là số`},
	}
	for _, tt := range tests {
		got, d := ParseTyped(tt.e, tt.in)
		if got != tt.want || reason(d) == "" != (tt.err == "") || !strings.Contains(reason(d), tt.err) {
			t.Errorf("ParseTyped(%s, %q) = %q, %q; want %q, %q", tt.e.ValueType, tt.in, got, reason(d), tt.want, tt.err)
		}
	}
}

// FuzzParseTyped: what a user types into a form or an Excel text cell is
// either refused with a reason or read as exchange text that means the same
// number vn.ParseNumber reads, which ParseNumber then judges.
func FuzzParseTyped(f *testing.F) {
	for _, s := range []string{"1.234.567", "12,5", "1,000", "-1,000", "1,000,000", "0,500", " 7 ", "9.007.199.254.740.993", "1e3", "mười", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range []*Element{households, fund, insured, reported} {
			text, d := ParseTyped(e, s)
			if d != nil {
				if text != "" || d.Code != errs.NotANumber && d.Code != errs.AmbiguousThousands || d.Args.Element != e.Code {
					t.Fatalf("%s %q: refused with %q, %+v", e.ValueType, s, text, d)
				}
				continue
			}
			n, err := vn.ParseNumber(s)
			m, err2 := strconv.ParseFloat(text, 64)
			if (err == nil) != (err2 == nil) || err == nil && m != n {
				t.Fatalf("%s %q: read as %q (%v, %v), but vn.ParseNumber reads %v, %v", e.ValueType, s, text, m, err2, n, err)
			}
			ParseNumber(e, text) // judges it; must not panic
		}
	})
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"0", "1500", "-1", "12.5", "1e3", "100", "100.000001", "true", "có", "không", "0x1p3", "NaN", "-0", "9007199254740993", " 7 ", "1.234.567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range []*Element{households, fund, insured, reported} {
			n, d := ParseNumber(e, s)
			if msg := reason(d); msg != "" {
				if n != 0 {
					t.Fatalf("%s %q: rejected (%s) but returned %v", e.ValueType, s, msg, n)
				}
				continue
			}
			if math.IsNaN(n) || math.IsInf(n, 0) {
				t.Fatalf("%s %q: accepted %v", e.ValueType, s, n)
			}
			switch e.ValueType {
			case program.Integer, program.Money:
				if n < 0 || n != math.Trunc(n) || n > 1<<53 {
					t.Fatalf("%s %q: accepted %v", e.ValueType, s, n)
				}
			case program.Percent:
				if n < 0 || n > 100 {
					t.Fatalf("percent %q: accepted %v", s, n)
				}
			case program.Boolean:
				if n != 0 && n != 1 {
					t.Fatalf("boolean %q: accepted %v", s, n)
				}
			}
			// What we accept we write back as a number we accept again.
			if e.ValueType != program.Boolean {
				if m, d := ParseNumber(e, FormatNumber(n)); d != nil || m != n {
					t.Fatalf("%s %q: accepted as %v, but its export %q reads back as %v, %q", e.ValueType, s, n, FormatNumber(n), m, reason(d))
				}
			}
		}
	})
}

func TestCheckParts(t *testing.T) {
	p2024 := period.MustParse("2024")
	v := func(e *Element, u *unit.Unit, n float64, line int) Value {
		return Value{Element: e, Unit: u, Period: p2024, Number: n, Line: line}
	}
	// Stored: Thọ Xương has 1500 households of which 1200 are "văn hóa".
	stored := func(id int64, u *unit.Unit, p period.Period) (float64, bool) {
		if u != thoXuong || p != p2024 {
			return 0, false
		}
		switch id {
		case households.ID:
			return 1500, true
		case cultured.ID:
			return 1200, true
		}
		return 0, false
	}
	tests := []struct {
		name   string
		values []Value
		rows   []int  // rows of the details, in order
		want   string // in the first detail
	}{
		{"part within stored whole", []Value{v(cultured, thoXuong, 1500, 2)}, nil, ""},
		{"part above stored whole", []Value{v(cultured, thoXuong, 1501, 2)}, []int{2}, "CT2_HGD_VANHOA = 1501 lớn hơn CT2_HGD_TONG = 1500"},
		{"whole lowered below stored part", []Value{v(households, thoXuong, 1199, 3)}, []int{3}, "CT2_HGD_TONG = 1199 nhỏ hơn CT2_HGD_VANHOA = 1200"},
		{"whole lowered with the part in the batch", []Value{v(households, thoXuong, 1000, 2), v(cultured, thoXuong, 900, 3)}, nil, ""},
		{"part above whole in the same batch", []Value{v(households, thoXuong, 1000, 2), v(cultured, thoXuong, 1100, 3)}, []int{3}, "lớn hơn"},
		{"nothing stored for the other side", []Value{v(cultured, ngoQuyen, 5000, 4)}, nil, ""},
		{"other units are separate", []Value{v(households, ngoQuyen, 10, 2), v(cultured, thoXuong, 1400, 3)}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := CheckParts(tt.values, elements, stored)
			var rows []int
			for _, d := range bad {
				rows = append(rows, d.Row)
				if d.Field != "value" {
					t.Errorf("detail field %q; want value", d.Field)
				}
			}
			if !slices.Equal(rows, tt.rows) {
				t.Fatalf("details %+v; want rows %v", bad, tt.rows)
			}
			if tt.want != "" && !strings.Contains(bad[0].String(), tt.want) {
				t.Errorf("message %q does not say %q", bad[0].String(), tt.want)
			}
		})
	}
}

// A year's file sent again after approval repeats the stored values of the
// locked period: that changes nothing and is not an error.
func TestResolveLetsALockedValueRepeat(t *testing.T) {
	_, bad := Resolve(testContext(), []Row{{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "07207", Value: "40", Line: 2}})
	if len(bad) != 0 {
		t.Errorf("repeating the stored value of a locked period: %v", bad)
	}
}

// reason is the text of ParseNumber's refusal as the API writes it, "" for none.
func reason(d *errs.Detail) string {
	if d == nil {
		return ""
	}
	return errs.Text(*d, errs.Exchange)
}
