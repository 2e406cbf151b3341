package user_test

import (
	"errors"
	"strings"
	"testing"

	"mattran/internal/user"
)

// A good file gives its rows; Vietnamese and English column names and
// role words are read alike, with Excel's BOM and semicolons.
func TestParseImport(t *testing.T) {
	file := "\ufeffTen_dang_nhap;ho_ten;vai_tro;ma_don_vi;email\r\n" +
		"CanBo.07201;Nguyễn Văn An;can_bo;07201;an@xa.test\r\n" +
		"lanhdao.07201;Trần Thị Bình;Lãnh đạo;07201;\r\n\r\n"
	rows, err := user.ParseImport(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Username != "canbo.07201" || rows[0].Role != user.Officer || rows[1].Role != user.Leader || rows[1].Line != 3 || rows[0].Email != "an@xa.test" {
		t.Errorf("rows %+v", rows)
	}
}

// A bad file is refused whole, every problem named by line and column.
func TestParseImportRefusals(t *testing.T) {
	for _, c := range []struct {
		name, file string
		wants      []string
	}{
		{"every error at once", "ten_dang_nhap,ho_ten,vai_tro,ma_don_vi,email,mat_khau\n" +
			"a,An,can_bo,07201,,\n" +
			"canbo.x,An,giam_doc,,khong-phai-thu,ngan\n" +
			"canbo.x,An,xem,07201,,\n",
			[]string{"6 lỗi", "Dòng 2, cột «ten_dang_nhap»", "Dòng 3, cột «vai_tro»: vai trò «giam_doc»", "Dòng 3, cột «ma_don_vi»: thiếu mã đơn vị.",
				"Dòng 3, cột «email»", "Dòng 3, cột «mat_khau»", "Dòng 4, cột «ten_dang_nhap»: tên đăng nhập «canbo.x» đã có ở dòng 3."}},
		{"missing columns", "ho_ten,vai\nAn,x\n", []string{"Dòng 1, cột 2: không có cột «vai»", "thiếu cột «ten_dang_nhap»", "thiếu cột «ma_don_vi»"}},
		{"empty", "", []string{"Tệp người dùng trống"}},
		{"header only", "ten_dang_nhap,vai_tro,ma_don_vi\n", []string{"không có dòng nào"}},
		{"broken quote", "ten_dang_nhap,vai_tro,ma_don_vi\n\"abc,can_bo,07201\n", []string{"Tệp người dùng hỏng ở dòng"}},
		{"not UTF-8", "ten_dang_nhap,vai_tro,ma_don_vi\n\xff\xfe,can_bo,1\n", []string{"không phải UTF-8"}},
		{"long name", "ten_dang_nhap,ho_ten,vai_tro,ma_don_vi\nabc," + strings.Repeat("ă", 101) + ",xem,1\n", []string{"Dòng 2, cột «ho_ten»: Họ tên dài 101 ký tự"}},
	} {
		_, err := user.ParseImport(strings.NewReader(c.file))
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		text := err.Error()
		var ie *user.ImportError
		if errors.As(err, &ie) {
			text = ie.Err.Message + "\n" + strings.Join(ie.Problems, "\n")
		}
		for _, want := range c.wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q lacks %q", c.name, text, want)
			}
		}
	}
}

// The parser never panics, and what it accepts is valid.
func FuzzParseImport(f *testing.F) {
	f.Add("ten_dang_nhap,ho_ten,vai_tro,ma_don_vi,email,mat_khau\ncanbo.1,An,can_bo,07201,a@b.vn,\n")
	f.Add("username;role;unit\nabc;xem;1\n")
	f.Add("\"")
	f.Fuzz(func(t *testing.T, s string) {
		rows, err := user.ParseImport(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, r := range rows {
			if user.ValidateUsername(r.Username) != nil || r.Role == "" || r.UnitCode == "" {
				t.Fatalf("accepted a bad row %+v", r)
			}
		}
	})
}
