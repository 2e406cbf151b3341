package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mattran/internal/store/storetest"
)

// TestReviewAndExcelInBrowser: a commune officer sends a report with a
// figure ten times last year's; the page asks to check it again, the
// officer ticks "Số đúng" and sends. The district leader returns it; the
// officer corrects one figure and sends it again; the leader sees that
// figure highlighted with its value before. On the Excel page the officer
// picks unit and period from lists, uploads a file with a word in one
// cell and a part above its whole in another, sees both errors at once,
// uploads the corrected file and is offered "Gửi báo cáo".
func TestReviewAndExcelInBrowser(t *testing.T) {
	ctx := browser(t)
	s := storetest.SQLite(t)
	h := newHarness(t, s)
	if err := storetest.ImportCSV(s, "dataElement,period,orgUnit,value\nCT1_CTV,2023,07201,20\nCT2_HGD_TONG,2023,KDC-1,120\n"); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}
	p.signIn(h.URL, "canbo.xa")
	form := h.URL + formPath("NAM", "07201", "2024")
	p.open(form)
	p.js(`for (const i of document.querySelectorAll('form.entry input[type=text][name^="v:"]')) i.value = "1";
		document.getElementById("v:CT1_CTV:07201").value = "25";
		document.getElementById("v:CT2_HGD_TONG:KDC-1").value = "1.200";
		document.getElementById("v:CT2_HGD_VANHOA:KDC-1").value = "1.100"`)
	p.click(`button[value=submit]`)
	p.shot("check-again")
	if txt := p.text(); !strings.Contains(txt, "hãy kiểm tra lại") || !strings.Contains(txt, "Số đúng") {
		t.Fatalf("sending a figure ten times last year's:\n%s", txt)
	}
	p.js(`document.querySelector('input[name="c:CT2_HGD_TONG:KDC-1"]').checked = true`)
	p.click(`button[value=submit]`)
	if txt := p.text(); !strings.Contains(txt, "Đã gửi báo cáo lên cấp trên") {
		t.Fatalf("after confirming:\n%s", txt)
	}

	// Returned, corrected, sent again.
	p.signIn(h.URL, "lanhdao.huyen")
	p.open(form)
	p.must(chromedp.Do(p.ctx, chromedp.SetValue(`form[action$="/return"] input[name=reason]`, "Xem lại số cộng tác viên")))
	p.click(`form[action$="/return"] button`)
	h.now = h.now.Add(3600e9)
	p.signIn(h.URL, "canbo.xa")
	p.open(form)
	p.js(`document.getElementById("v:CT1_CTV:07201").value = "27"`)
	p.click(`button[value=submit]`)
	p.signIn(h.URL, "lanhdao.huyen")
	p.open(form)
	p.shot("leader-sees-changes")
	txt := p.text()
	if !strings.Contains(txt, "1 số liệu đã sửa từ đó được tô vàng") || !strings.Contains(txt, "Trước khi trả lại: 25") || !strings.Contains(txt, "đã xác nhận đúng") {
		t.Errorf("the leader's view of the report sent again:\n%s", txt)
	}
	yellow, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.getElementById("v:CT1_CTV:07201").closest("td")).backgroundColor`))
	p.must(err)
	if yellow != "rgb(255, 244, 184)" {
		t.Errorf("the changed figure's cell is %s, not highlighted", yellow)
	}

	// The Excel page, for 2023.
	p.signIn(h.URL, "canbo.xa")
	p.open(h.URL + "/excel?program=" + prog + "&form=NAM&unit=07201&period=2024")
	p.must(chromedp.Do(p.ctx, chromedp.SetValue(`form.filter select[name=period]`, "2023")))
	p.click(`form.filter button[type=submit]`)
	p.shot("excel-page")
	if txt := p.text(); !strings.Contains(txt, "Năm 2023 — Phường Thọ Xương") {
		t.Fatalf("after picking 2023 from the list:\n%s", txt)
	}
	officer := h.login("canbo.xa")
	tmpl := officer.download("/excel/template?program=" + prog + "&form=NAM&unit=07201&period=2023")
	bad, _ := fill(t, tmpl, map[[2]string]string{{"CT2_HGD_TONG", "KDC-1"}: "1.000", {"CT2_HGD_VANHOA", "KDC-1"}: "1.300", {"CT1_CTV", "07201"}: "mười"})
	good, _ := fill(t, tmpl, map[[2]string]string{{"CT2_HGD_TONG", "KDC-1"}: "1.000", {"CT2_HGD_VANHOA", "KDC-1"}: "900", {"CT1_CTV", "07201"}: "21"})
	dir := t.TempDir()
	for name, data := range map[string][]byte{"sai.xlsx": bad, "dung.xlsx": good} {
		p.must(os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	p.must(chromedp.Do(p.ctx, chromedp.SetUploadFiles(`input[type=file]`, []string{filepath.Join(dir, "sai.xlsx")})))
	p.click(`form[action="/excel/upload"] button[type=submit]`)
	p.shot("excel-errors")
	txt = p.text()
	if !strings.Contains(txt, "Tệp Excel có 2 lỗi") || !strings.Contains(txt, "= 1.300 lớn hơn “Số hộ gia đình” = 1.000") || !strings.Contains(txt, "mười") {
		t.Errorf("the bad file's errors:\n%s", txt)
	}
	p.must(chromedp.Do(p.ctx, chromedp.SetUploadFiles(`input[type=file]`, []string{filepath.Join(dir, "dung.xlsx")})))
	p.click(`form[action="/excel/upload"] button[type=submit]`)
	p.shot("excel-done")
	if txt := p.text(); !strings.Contains(txt, "Gửi báo cáo") || !strings.Contains(txt, "Số liệu đã vào báo cáo") {
		t.Errorf("after a good file, no offer to send:\n%s", txt)
	}
	p.click(`form.excel-send button`)
	p.shot("excel-send")
	if txt := p.text(); !strings.Contains(txt, "Cần nhập trước khi gửi báo cáo") {
		t.Errorf("sending an incomplete report from the Excel page:\n%s", txt)
	}
}
