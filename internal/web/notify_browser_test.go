package web_test

import (
	"strings"
	"testing"

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
