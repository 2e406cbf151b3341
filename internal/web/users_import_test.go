package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// postFile posts a CSV to /import/users as the browser does.
func (c *client) postFile(path, name string, data []byte) (int, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.url(path), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// An admin creates accounts from a file: all of them, each audited and
// able to sign in with the password shown once; or, when a row is
// wrong, none, with every wrong row named. A district's admin may not
// create accounts in another district.
func TestUserImport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		admin := h.login("admin.tinh")
		bad := "ten_dang_nhap,ho_ten,vai_tro,ma_don_vi,email\n" +
			"canbo.07210,Nguyễn Văn An,can_bo,07210,an@xa.test\n" +
			"canbo.xa,Đã có,can_bo,07201,\n" +
			"lanhdao.07210,Trần Thị Bình,lanh_dao,99999,\n"
		status, page := admin.postFile("/import/users", "nguoi-dung.csv", []byte(bad))
		expect(t, "a file with two wrong rows", status, page, http.StatusBadRequest, "có 2 lỗi; chưa tạo người dùng nào",
			"Dòng 3, cột «ten_dang_nhap»: tên đăng nhập «canbo.xa» đã có người dùng.", "Dòng 4, cột «ma_don_vi»: không có đơn vị mã «99999»")
		// A wrong cell and a name taken: both in one answer, in line order.
		status, page = admin.postFile("/import/users", "nguoi-dung.csv", []byte("ten_dang_nhap,vai_tro,ma_don_vi\ncanbo.xa,can_bo,07201\nmoi.07210,giam_doc,88888\n"))
		expect(t, "a wrong cell and a taken name", status, page, http.StatusBadRequest, "có 3 lỗi",
			"Dòng 2, cột «ten_dang_nhap»: tên đăng nhập «canbo.xa» đã có người dùng.", "Dòng 3, cột «vai_tro»", "Dòng 3, cột «ma_don_vi»: không có đơn vị mã «88888»")
		if strings.Index(page, "Dòng 2,") > strings.Index(page, "Dòng 3,") {
			t.Error("the problems are not in the file's order")
		}
		var n int
		s.DB.QueryRow(`SELECT count(*) FROM users WHERE username = 'canbo.07210'`).Scan(&n)
		if n != 0 {
			t.Error("a refused file created an account")
		}
		good := "ten_dang_nhap,ho_ten,vai_tro,ma_don_vi,email\n" +
			"canbo.07210,Nguyễn Văn An,can_bo,07210,an@xa.test\n" +
			"lanhdao.07210,Trần Thị Bình,lanh_dao,07210,\n"
		before := auditCount(t, s)
		status, page = admin.postFile("/import/users", "nguoi-dung.csv", []byte(good))
		expect(t, "a good file", status, page, http.StatusOK, "Đã tạo 2 người dùng", "Phường Hoàng Văn Thụ (07210)", "an@xa.test")
		if got := auditCount(t, s) - before; got != 2 {
			t.Errorf("%d audit entries for two accounts", got)
		}
		pw := regexp.MustCompile(`<td>canbo\.07210</td>.*?<code>([^<]+)</code>`).FindStringSubmatch(strings.ReplaceAll(page, "\n", ""))
		if pw == nil {
			t.Fatalf("no password shown for canbo.07210:\n%s", page)
		}
		c := h.anonymous()
		c.get("/login")
		if status, _ := c.post("/login", map[string][]string{"username": {"canbo.07210"}, "password": {pw[1]}}); status != http.StatusSeeOther {
			t.Errorf("the new officer cannot sign in with the password shown: %d", status)
		}
		// A district's admin, for a commune of another district.
		district := h.login("admin.huyen")
		status, page = district.postFile("/import/users", "x.csv", []byte("ten_dang_nhap,vai_tro,ma_don_vi\nnguoi.07243,xem,07243\n"))
		expect(t, "another district's commune", status, page, http.StatusForbidden, "không thuộc Thành phố Bắc Giang")
	})
}

// A province's file: one officer and one leader for each of its ~200
// communes, in one go.
func TestUserImportProvince(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 390 password hashes take seconds")
	}
	h := newHarness(t, storetest.SQLite(t))
	ctx := context.Background()
	province, _ := h.Store.UnitAt(ctx, "24", "2024-12-10")
	tree, err := h.Store.Subtree(ctx, province, "2024-12-10")
	if err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("ten_dang_nhap,ho_ten,vai_tro,ma_don_vi\n")
	communes := 0
	for _, u := range tree {
		if u.Kind == "commune" {
			communes++
			fmt.Fprintf(&csv, "canbo.%s,Cán bộ %s,can_bo,%s\nlanhdao.%s,Lãnh đạo %s,lanh_dao,%s\n", u.Code, u.Name, u.Code, u.Code, u.Name, u.Code)
		}
	}
	admin := h.login("admin.tinh")
	start := time.Now()
	status, page := admin.postFile("/import/users", "tinh.csv", []byte(csv.String()))
	t.Logf("%d accounts for %d communes in %v", 2*communes, communes, time.Since(start).Round(time.Millisecond))
	expect(t, "the province's file", status, page, http.StatusOK, fmt.Sprintf("Đã tạo %d người dùng", 2*communes))
	if communes < 190 {
		t.Errorf("%d communes in the fixture", communes)
	}
}
