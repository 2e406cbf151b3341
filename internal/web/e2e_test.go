package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

// artifacts is where the end-to-end test leaves its screenshots:
// $MATTRAN_ARTIFACTS (CI sets it), else a folder in the system's temp dir.
func artifacts(t *testing.T) string {
	dir := os.Getenv("MATTRAN_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "mattran-artifacts")
	}
	dir = filepath.Join(dir, t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// page is one browser tab driven like a user: it follows links and
// submits forms by clicking, and waits for the next page to load.
type page struct {
	t   *testing.T
	ctx context.Context
	dir string
	n   int
}

func (p *page) must(err error) {
	p.t.Helper()
	if err != nil {
		p.t.Fatal(err)
	}
}

// open loads a URL and waits for its body.
func (p *page) open(url string) {
	p.t.Helper()
	p.must(chromedp.Do(p.ctx, chromedp.Navigate(url), chromedp.WaitReady(`body`)))
}

// js runs a script in the page.
func (p *page) js(script string) {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`(() => {`+script+`; return true })()`))
	p.must(err)
}

// click clicks the element the selector finds (a submit button), and waits
// until the next page has loaded.
func (p *page) click(selector string) {
	p.t.Helper()
	p.js(fmt.Sprintf(`document.body.dataset.before = "1"; const b = document.querySelector(%q); if (!b) throw new Error("no element " + %q); b.click()`, selector, selector))
	for range 100 {
		fresh, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && !!document.body && !document.body.dataset.before`))
		if err == nil && fresh {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("after clicking %s no new page loaded", selector)
}

// text is the visible text of the page.
func (p *page) text() string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body.innerText`))
	p.must(err)
	return s
}

// shot saves a full-page screenshot (PNG: quality 100) as the next
// numbered artifact.
func (p *page) shot(name string) {
	p.t.Helper()
	p.n++
	img, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	p.must(err)
	path := filepath.Join(p.dir, fmt.Sprintf("%02d-%s.png", p.n, name))
	p.must(os.WriteFile(path, img, 0o644))
	p.t.Logf("screenshot: %s", path)
}

// signIn signs in through the form, after signing out whoever was in.
func (p *page) signIn(base, username string) {
	p.t.Helper()
	if p.n > 0 {
		// Wait for the sign-out's page: a navigation started before it
		// has loaded aborts it (net::ERR_ABORTED) on a busy machine.
		out, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`(() => { const f = document.querySelector('form[action="/logout"]'); if (!f) return false; document.body.dataset.before = "1"; f.submit(); return true })()`))
		p.must(err)
		for i := 0; out && i < 100; i++ {
			fresh, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && !!document.body && !document.body.dataset.before`))
			if err == nil && fresh {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	p.open(base + "/login")
	p.must(chromedp.Do(p.ctx,
		chromedp.SendKeys(`input[name=username]`, username),
		chromedp.SendKeys(`input[name=password]`, testPassword)))
	p.click(`form.box button[type=submit]`)
	if !strings.Contains(p.text(), username) {
		p.t.Fatalf("after signing in as %s the page does not name the user:\n%s", username, p.text())
	}
}

// TestEndToEnd: a commune officer signs in, enters the commune's yearly
// figures and submits them; the district leader approves them; the
// province's home then shows the new totals. Screenshots of each step are
// kept as artifacts.
func TestEndToEnd(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, storetest.SQLite(t))
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}
	prog, err := h.Store.Program(context.Background(), "BG-CTHD-2019-2024")
	p.must(err)
	yearly, err := form.Find(prog, form.Yearly)
	p.must(err)

	// 1. The commune officer fills in the yearly form: the commune's own
	// figures, and each residential area's in the grid. Parts are 90% of
	// their whole; the first figure is typed the Vietnamese way.
	p.signIn(h.URL, "canbo.xa")
	p.open(h.URL + "/entry/BG-CTHD-2019-2024/NAM/07201/2024")
	p.shot("form-empty")
	values := map[string]string{}
	for _, code := range []string{"07201", "KDC-1", "KDC-2"} {
		kind := unit.Commune
		if code != "07201" {
			kind = unit.ResidentialArea
		}
		for _, e := range yearly.For(period.MustParse("2024")).ElementsAt(kind) {
			v := "100"
			if e.Denominator != "" {
				v = "90"
			}
			values["v:"+e.Code+":"+code] = v
		}
	}
	values["v:CT2_HGD_TONG:KDC-1"] = "1.000" // households: 1.000 + 100, 90 + 90 "văn hóa"
	js, _ := json.Marshal(values)
	p.js(`const vs = ` + string(js) + `; for (const [name, v] of Object.entries(vs)) { const el = document.querySelector('[name="' + name + '"]'); if (!el) throw new Error("no field " + name); el.value = v }`)
	p.shot("form-filled")
	p.click(`button[name=action][value=submit]`)
	p.shot("form-submitted")
	if txt := p.text(); !strings.Contains(txt, "Đã gửi") {
		t.Fatalf("after sending, the form does not say it was sent:\n%s", txt)
	}

	// 2. The district leader approves it on the completeness page.
	p.signIn(h.URL, "lanhdao.huyen")
	p.open(h.URL + "/submissions?program=BG-CTHD-2019-2024&form=NAM&period=2024&unit=213")
	p.shot("district-completeness")
	p.click(`form[action$="/07201/2024/approve"] button`)
	p.shot("district-approved")
	p.open(h.URL + "/entry/BG-CTHD-2019-2024/NAM/07201/2024")
	if txt := p.text(); !strings.Contains(txt, "Đã duyệt") {
		t.Errorf("after approval the commune's form does not say so:\n%s", txt)
	}

	// 3. The province's home shows the new totals: 180 of 1.100 households
	// "văn hóa" (T2.5) is 16,4%.
	p.signIn(h.URL, "lanhdao.tinh")
	p.open(h.URL + "/home?unit=24&period=2024")
	p.shot("province-home")
	if txt := p.text(); !strings.Contains(txt, "16,4%") {
		t.Errorf("the province's home does not show T2.5 at 16,4%%:\n%s", txt)
	}
}
