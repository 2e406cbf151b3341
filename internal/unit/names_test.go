package unit_test

import (
	"testing"

	"mattran/internal/unit"
)

// The official unit-type word is spelled one way at the start of a name,
// and in lower case inside a title.
func TestNames(t *testing.T) {
	for _, c := range []struct{ name, typ, normal, title string }{
		{"Thị Xã Việt Yên", "Thị xã", "Thị xã Việt Yên", "thị xã Việt Yên"},
		{"Thị xã Chũ", "", "Thị xã Chũ", "thị xã Chũ"},
		{"Tỉnh Bắc Giang", "Tỉnh", "Tỉnh Bắc Giang", "tỉnh Bắc Giang"},
		{"THÀNH PHỐ Bắc Giang", "Thành phố", "Thành phố Bắc Giang", "thành phố Bắc Giang"},
		{"Đặc khu Vân Đồn", "", "Đặc khu Vân Đồn", "đặc khu Vân Đồn"},
		{"Tổ dân phố 1", "", "Tổ dân phố 1", "Tổ dân phố 1"},
		{"Xã", "Xã", "Xã", "Xã"},
		{"Xãhội", "", "Xãhội", "Xãhội"},
	} {
		n := unit.NormalName(c.name, c.typ)
		if n != c.normal {
			t.Errorf("NormalName(%q, %q) = %q, want %q", c.name, c.typ, n, c.normal)
		}
		if got := (unit.Unit{Name: n, OfficialType: c.typ}).InTitle(); got != c.title {
			t.Errorf("InTitle(%q) = %q, want %q", n, got, c.title)
		}
	}
}
