package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mattran/internal/store/storetest"
)

// TestTokensInBrowser: an officer issues an API token at /account with the
// form, sees it once, and revokes it with the button; an admin sees the
// user's tokens on the user's page. Screenshots are kept as artifacts.
func TestTokensInBrowser(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, storetest.SQLite(t))
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}
	p.signIn(h.URL, "canbo.xa")
	p.open(h.URL + "/account")
	p.must(chromedp.Do(p.ctx, chromedp.SendKeys(`input[name=name]`, "Đồng bộ DHIS2 huyện")))
	p.click(`form.box button[type=submit]`)
	p.shot("token-issued")
	if txt := p.text(); !strings.Contains(txt, "mt_") || !strings.Contains(txt, "Đang dùng") {
		t.Fatalf("after issuing, the page shows no token:\n%s", txt)
	}
	p.click(`form[action$="/revoke"] button`)
	p.shot("token-revoked")
	if txt := p.text(); !strings.Contains(txt, "Đã thu hồi") {
		t.Errorf("after revoking, the list does not say so:\n%s", txt)
	}
	p.signIn(h.URL, "admin.huyen")
	p.open(h.URL + "/users/canbo.xa")
	p.shot("user-tokens")
	if txt := p.text(); !strings.Contains(txt, "Đồng bộ DHIS2 huyện") || !strings.Contains(txt, "thu hồi mọi mã truy cập API") {
		t.Errorf("the user's page lacks the tokens or the reset's box:\n%s", txt)
	}
}
