package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mattran/internal/store/storetest"
)

// TestEntryGridInBrowser: a commune officer types a word into a figure of
// the commune, a part above its whole, and a bad figure in the grid's
// right-hand column, and saves. Every error is listed at once, by the
// figure's name; the first bad field has the focus, so it is in view;
// scrolled to the right, the grid keeps the area's name and the header in
// place. Last year's figures stand beside the inputs; yes/no figures are
// checkboxes. Screenshots of each step are kept.
func TestEntryGridInBrowser(t *testing.T) {
	ctx := browser(t)
	s := storetest.SQLite(t)
	h := newHarness(t, s)
	if err := storetest.ImportCSV(s, "dataElement,period,orgUnit,value\nCT1_CTV,2023,07201,20\nCT2_HGD_TONG,2023,KDC-1,120\nCT2_HGD_TONG,2023,KDC-2,80\n"); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}
	p.signIn(h.URL, "canbo.xa")
	p.open(h.URL + formPath("NAM", "07201", "2024"))
	p.shot("form")
	txt := p.text()
	for _, want := range []string{"Năm 2023", "Số cán bộ, cộng tác viên, tuyên truyền viên của Mặt trận"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	boxes, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.grid input[type=checkbox][name^="v:"]').length`))
	p.must(err)
	if boxes == 0 {
		t.Error("the grid has no checkbox for a yes/no figure")
	}

	p.js(`document.getElementById("v:CT1_CTV:07201").value = "mười";
		document.getElementById("v:CT2_HGD_TONG:KDC-1").value = "1.000";
		document.getElementById("v:CT2_HGD_VANHOA:KDC-1").value = "1.300";
		const row = document.querySelectorAll(".grid tbody tr")[1];
		const inputs = row.querySelectorAll("input[type=text]");
		inputs[inputs.length - 1].value = "12,5"`)
	p.click(`button[value=save]`)
	p.shot("errors")
	txt = p.text()
	for _, want := range []string{"Có 3 ô chưa đúng", `"mười" không phải là số`, "= 1.300 lớn hơn “Số hộ gia đình” = 1.000", "12,5"} {
		if !strings.Contains(txt, want) {
			t.Errorf("after saving, the page lacks %q:\n%s", want, txt)
		}
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`))
	p.must(err)
	if focused != "v:CT1_CTV:07201" {
		t.Errorf("the focus is on %q, want the first bad field", focused)
	}

	// The right-hand error: follow its link in the list; the grid scrolls
	// to it and keeps the names in place.
	p.js(`const links = document.querySelectorAll("ul.entry-problems a"); links[links.length - 1].click()`)
	inView, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const bad = document.querySelectorAll(".grid input.bad");
		const el = bad[bad.length - 1], grid = document.querySelector(".grid");
		const r = el.getBoundingClientRect(), g = grid.getBoundingClientRect();
		return r.left >= g.left && r.right <= g.right + 1 && r.top >= 0 && r.bottom <= window.innerHeight;
	})()`))
	p.must(err)
	if !inView {
		t.Error("after following its link, the right-hand bad cell is not in view")
	}
	sticky, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const grid = document.querySelector(".grid");
		if (grid.scrollLeft < 100) return false;
		const name = grid.querySelector("tbody th").getBoundingClientRect(), g = grid.getBoundingClientRect();
		const head = grid.querySelector("thead th:last-child").getBoundingClientRect();
		return Math.abs(name.left - g.left) < 3 && head.top >= g.top - 1;
	})()`))
	p.must(err)
	if !sticky {
		t.Error("scrolled to the right, the grid does not keep the area's name in place")
	}
	img, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	p.must(err)
	p.must(os.WriteFile(filepath.Join(p.dir, "03-grid-scrolled.png"), img, 0o644))
}
