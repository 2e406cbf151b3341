package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mattran/internal/store/storetest"
)

// TestSmallerThingsInBrowser checks issue 14's "smaller things seen" as a
// user sees them: the header writes "tỉnh" in lower case; the province's
// matrix of all targets fits a 1,366 px screen, T5.2 and T5.3 included;
// the districts come in one order on /submissions and on the public page;
// a commune's T2.1 shows no province threshold; a crafted Excel address
// shows no success.
func TestSmallerThingsInBrowser(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, storetest.SQLite(t))
	// Wide figures, as the demo's: money in millions, counts in thousands.
	csv := "dataelement,period,orgunit,value\n"
	for _, d := range []string{"213", "215", "216", "217", "218", "219", "220", "222", "223", "224"} {
		csv += "CT2_QUY_VNN,2024," + d + ",1117000000\nCT1_CTV,2024," + d + ",12345\nCT5_CB_TONG,2024," + d + ",1234\nCT5_CB_TAPHUAN,2024," + d + ",1200\n"
	}
	if err := importCSV(h.Store, csv); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}
	p.signIn(h.URL, "lanhdao.tinh")

	// The matrix at 1,366 × 768, a common office laptop.
	p.must(chromedp.Do(p.ctx, chromedp.EmulateViewport(1366, 768)))
	p.open(h.URL + "/home/children?unit=24&period=2024")
	p.shotView("matrix-1366")
	for _, code := range []string{"T5.2", "T5.3"} {
		right, err := chromedp.Run(p.ctx, chromedp.Evaluate[float64](`(() => {
			const th = [...document.querySelectorAll("table.kids thead th")].find(e => e.textContent.trim().startsWith("`+code+`"));
			return th ? th.getBoundingClientRect().right : 99999 })()`))
		p.must(err)
		if right > 1366 {
			t.Errorf("at 1,366 px the column %s ends at %.0f px: cut off", code, right)
		}
	}
	if !strings.Contains(p.text(), "Ủy ban MTTQ Việt Nam tỉnh Bắc Giang") {
		t.Error("the header does not read «Ủy ban MTTQ Việt Nam tỉnh Bắc Giang»")
	}

	// One order of districts.
	p.open(h.URL + "/submissions?form=THANG&period=202410&unit=24")
	subs := districtOrder(p.text())
	p.open(h.URL + "/?unit=24")
	pub := districtOrder(p.text())
	if strings.Join(subs, "|") != strings.Join(pub, "|") || len(subs) < 10 {
		t.Errorf("districts on /submissions %v, on the public page %v", subs, pub)
	}

	// A commune's T2.1: no province threshold.
	p.signIn(h.URL, "lanhdao.xa")
	p.open(h.URL + "/home?unit=07201&period=2024")
	p.shotView("commune-home")
	thr, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('tr[id="T2.1"] td:nth-child(4)').textContent`))
	p.must(err)
	if strings.TrimSpace(thr) != "" {
		t.Errorf("a commune's T2.1 threshold reads %q, want nothing", thr)
	}

	// A crafted link to the Excel page.
	p.open(h.URL + "/excel?form=NAM&period=2023&unit=07201&done=1&imported=999&file=gia.xlsx")
	p.shotView("excel-crafted")
	if txt := p.text(); strings.Contains(txt, "Đã nhập tệp") || strings.Contains(txt, "999") {
		t.Errorf("a crafted Excel address shows a success:\n%s", txt)
	}
}

// districtOrder lists the districts of Bắc Giang in the order a page's
// text names them first.
func districtOrder(text string) []string {
	names := []string{"Thành phố Bắc Giang", "Huyện Yên Thế", "Huyện Tân Yên", "Huyện Lạng Giang", "Huyện Lục Nam", "Huyện Lục Ngạn",
		"Huyện Sơn Động", "Huyện Yên Dũng", "Huyện Việt Yên", "Thị xã Việt Yên", "Huyện Hiệp Hòa", "Thị xã Chũ"}
	type at struct {
		name string
		i    int
	}
	var found []at
	for _, n := range names {
		if i := strings.Index(text, n); i >= 0 {
			found = append(found, at{n, i})
		}
	}
	for i := range found {
		for j := i + 1; j < len(found); j++ {
			if found[j].i < found[i].i {
				found[i], found[j] = found[j], found[i]
			}
		}
	}
	var out []string
	for _, f := range found {
		out = append(out, f.name)
	}
	return out
}
