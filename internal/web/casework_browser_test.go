package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mattran/internal/store/storetest"
)

// TestCaseInBrowser: a citizen files a petition on the public page and
// gets a tracking code; the commune officer finds it in the list, takes
// it, forwards it, records the written answer; T3.4 on the statistics
// page moves from nothing to 100%; the citizen sees the answer by the
// code, and nothing personal. Screenshots of each step are kept.
func TestCaseInBrowser(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, storetest.SQLite(t))
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}

	// 1. The citizen, not signed in.
	p.open(h.URL + "/public/petition")
	p.must(chromedp.Do(p.ctx,
		chromedp.SetValue(`select[name=unit]`, "07201"),
		chromedp.SetValue(`select[name=field]`, "moi_truong"),
		chromedp.SendKeys(`textarea[name=content]`, "Đề nghị xử lý bãi rác tự phát cạnh trường tiểu học thôn Đông."),
		chromedp.SendKeys(`input[name=name_1]`, "Lương Thị Công Dân"),
		chromedp.SendKeys(`input[name=address_1]`, "Thôn Đông")))
	p.shot("citizen-form")
	p.click(`form.case button[type=submit]`)
	p.shot("citizen-code")
	code := regexp.MustCompile(`DT-[A-Z0-9]{4}-[A-Z0-9]{4}`).FindString(p.text())
	if code == "" || !strings.Contains(p.text(), "Mới tiếp nhận") {
		t.Fatalf("no tracking code after filing:\n%s", p.text())
	}

	// 2. The commune officer: the statistics before, the list, the case.
	p.signIn(h.URL, "canbo.xa")
	p.open(h.URL + "/cases/stats?unit=07201&year=2024")
	if !strings.Contains(p.text(), "Tỷ lệ trả lời bằng văn bản\t—") {
		t.Errorf("T3.4 before any answer:\n%s", p.text())
	}
	p.open(h.URL + "/cases?unit=07201")
	p.shot("officer-list")
	p.click(`td.code a`)
	if !strings.Contains(p.text(), "Lương Thị Công Dân") || !strings.Contains(p.text(), code) {
		t.Fatalf("the case page:\n%s", p.text())
	}
	p.click(`form input[value=take] ~ button`)
	p.must(chromedp.Do(p.ctx, chromedp.SendKeys(`form input[name=agency]`, "UBND thành phố Bắc Giang"),
		chromedp.SendKeys(`form input[name=dispatch]`, "112/MTTQ-BTT")))
	p.shot("officer-forward")
	p.click(`form input[value=forward] ~ button`)
	p.shot("officer-forwarded")
	if !strings.Contains(p.text(), "Đã chuyển, chờ trả lời") || !strings.Contains(p.text(), "Thời hạn theo luật") {
		t.Fatalf("after forwarding:\n%s", p.text())
	}
	p.must(chromedp.Do(p.ctx, chromedp.SendKeys(`form input[name=summary]`, "UBND thành phố đã chỉ đạo thu dọn bãi rác trong tuần"),
		chromedp.SendKeys(`form input[name=outcome]`, "Đã giải quyết")))
	p.click(`form input[value=answer] ~ button`)
	p.shot("officer-answered")
	p.open(h.URL + "/cases/stats?unit=07201&year=2024")
	p.shot("officer-stats")
	if !strings.Contains(p.text(), "Tỷ lệ trả lời bằng văn bản\t100%") {
		t.Errorf("T3.4 after the answer:\n%s", p.text())
	}

	// 3. The citizen, by the code.
	p.click(`form[action="/logout"] button`)
	p.open(h.URL + "/public/track?code=" + code)
	p.shot("citizen-answer")
	txt := p.text()
	if !strings.Contains(txt, "Đã có trả lời") || !strings.Contains(txt, "thu dọn bãi rác") || strings.Contains(txt, "Lương Thị") || strings.Contains(txt, "Thôn Đông") {
		t.Errorf("the tracking page:\n%s", txt)
	}
}
