package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mattran/internal/store/storetest"
)

// TestBulkApprovalInBrowser: a district leader filters the waiting
// reports, ticks every one with "Chọn tất cả", approves them with one
// button and reads what was approved; the province's leader opens the
// late and missing units grouped by district. Screenshots are kept.
func TestBulkApprovalInBrowser(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, storetest.SQLite(t))
	bulkReports(t, h.Store)
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}

	p.signIn(h.URL, "lanhdao.huyen")
	p.open(h.URL + "/submissions?form=THANG&period=202410&unit=213")
	p.shotView("district-all")
	p.click(`nav.statusbar a[href*="status=cho_duyet"]`)
	p.click(`form.bulk a`) // "Chọn tất cả báo cáo có thể duyệt"
	p.shot("district-waiting-ticked")
	ticked, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("input[name=pick]:checked").length`))
	p.must(err)
	if ticked != 3 {
		t.Fatalf("%d boxes ticked after «Chọn tất cả», want 3:\n%s", ticked, p.text())
	}
	// Untick one by hand: it stays waiting.
	p.js(`document.querySelector('input[name=pick][value="07210"]').click()`)
	p.click(`form.bulk button.primary`)
	p.shot("district-approved")
	txt := p.text()
	if !strings.Contains(txt, "Kết quả duyệt: 2 báo cáo đã duyệt") || !strings.Contains(txt, "Phường Thọ Xương, Phường Ngô Quyền") {
		t.Errorf("after approving two:\n%s", txt)
	}
	if !strings.Contains(txt, "Đã gửi, chờ duyệt (1)") {
		t.Errorf("the filter counts after approving two:\n%s", txt)
	}

	p.signIn(h.URL, "lanhdao.tinh")
	p.open(h.URL + "/submissions/late?form=THANG&period=202410&unit=24")
	p.shotView("province-late")
	txt = p.text()
	for _, want := range []string{"Thành phố Bắc Giang", "Huyện Yên Thế", "Bị trả lại, chưa gửi lại", "35 ngày", "Cách tính:"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the late page lacks %q", want)
		}
	}
	p.open(h.URL + "/submissions?form=THANG&period=202410&unit=24&group=1")
	p.shotView("province-grouped")
}

// shotView saves what the window shows (not the whole page): long tables
// make a full-page PNG too tall to read.
func (p *page) shotView(name string) {
	p.t.Helper()
	p.n++
	img, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	p.must(err)
	path := filepath.Join(p.dir, fmt.Sprintf("%02d-%s.png", p.n, name))
	p.must(os.WriteFile(path, img, 0o644))
	p.t.Logf("screenshot: %s", path)
}
