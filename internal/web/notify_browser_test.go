package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mattran/internal/store/storetest"
)

// TestNotificationsInBrowser: the district returns a commune's report;
// the commune's officer sees the count in the header, the notice on the
// home page with the reason and a link to the report, and clears the
// count with one button.
func TestNotificationsInBrowser(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, storetest.SQLite(t))
	bulkReports(t, h.Store)
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}
	p.signIn(h.URL, "lanhdao.huyen")
	p.open(h.URL + "/submissions?form=THANG&period=202410&unit=213&status=cho_duyet")
	p.js(`document.querySelector('form[action$="/07207/202410/return"] input[name=reason]').value = "Thiếu số liệu khu dân cư"`)
	p.shotView("district-before-return")
	p.click(`form[action$="/07207/202410/return"] button`)

	p.signIn(h.URL, "canbo.xa2")
	p.open(h.URL + "/home")
	p.shotView("officer-home")
	txt := p.text()
	if !strings.Contains(txt, "Thông báo 1") || !strings.Contains(txt, "bị trả lại") || !strings.Contains(txt, "Lý do: Thiếu số liệu khu dân cư") {
		t.Errorf("the officer's home:\n%.1500s", txt)
	}
	p.click(`section.notices form button`)
	p.shotView("officer-read")
	if strings.Contains(p.text(), "chưa đọc") {
		t.Error("after «Đánh dấu đã đọc tất cả» the list still counts unread notices")
	}
}

// TestUserImportInBrowser: the province's admin opens the import page
// from the users list, uploads a file with wrong rows and reads each
// named by line and column, then a good one and reads the accounts with
// the passwords made up for them.
func TestUserImportInBrowser(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, storetest.SQLite(t))
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}
	dir := t.TempDir()
	bad := filepath.Join(dir, "nguoi-dung-sai.csv")
	good := filepath.Join(dir, "nguoi-dung.csv")
	p.must(os.WriteFile(bad, []byte("ten_dang_nhap,ho_ten,vai_tro,ma_don_vi,email\ncanbo.07210,Nguyễn Văn An,can_bo,07210,an@xa.test\ncanbo.xa,Trùng tên,can_bo,07201,\nlanhdao.07210,Trần Thị Bình,giam_doc,07210,khong-phai-thu\n"), 0o644))
	p.must(os.WriteFile(good, []byte("ten_dang_nhap,ho_ten,vai_tro,ma_don_vi,email\ncanbo.07210,Nguyễn Văn An,can_bo,07210,an@xa.test\nlanhdao.07210,Trần Thị Bình,lanh_dao,07210,\n"), 0o644))
	p.signIn(h.URL, "admin.tinh")
	p.open(h.URL + "/users")
	p.click(`a[href="/import/users"]`)
	p.must(chromedp.Do(p.ctx, chromedp.SetUploadFiles(`input[type=file]`, []string{bad})))
	p.click(`form.import-box button`)
	p.shotView("refused")
	txt := p.text()
	for _, want := range []string{"có 3 lỗi; chưa tạo người dùng nào", "Dòng 4, cột «vai_tro»", "Dòng 4, cột «email»", "Dòng 3, cột «ten_dang_nhap»: tên đăng nhập «canbo.xa» đã có người dùng."} {
		if !strings.Contains(txt, want) {
			t.Errorf("the refused file's page lacks %q:\n%.2000s", want, txt)
		}
	}
	p.must(chromedp.Do(p.ctx, chromedp.SetUploadFiles(`input[type=file]`, []string{good})))
	p.click(`form.import-box button`)
	p.shotView("created")
	if txt := p.text(); !strings.Contains(txt, "Đã tạo 2 người dùng") || !strings.Contains(txt, "lanhdao.07210") {
		t.Errorf("the created accounts' page:\n%.2000s", txt)
	}
}
