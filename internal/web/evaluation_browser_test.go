package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mattran/internal/store/storetest"
)

const browserGuide = `year: 2024
level: commune
program: BG-CTHD-2019-2024
name: Hướng dẫn chấm điểm thi đua xã, phường năm 2024
groups:
  - code: CT2
    name: An sinh xã hội
    max: 10
    criteria:
      - {code: QT, name: Hộ nghèo được nhận quà Tết, max: 10, kind: derived, target: T2.2, reading: own, rule: proportional}
  - code: BC
    name: Báo cáo
    max: 5
    criteria:
      - {code: BC1, name: Báo cáo gửi đúng hạn, max: 5, kind: workflow, measure: on_time}
  - code: DG
    name: Đánh giá chung
    max: 15
    criteria:
      - {code: DG1, name: Đổi mới phương thức hoạt động, max: 8, kind: manual}
      - {code: DG2, name: "Đánh giá của lãnh đạo, kết quả kiểm tra", max: 7, kind: manual}
bonus: [{code: TH1, name: Mô hình mới được công nhận, max: 2}]
bonusCap: 2
titles: [{code: co, name: Cờ thi đua, perCluster: 1, minClass: tot}]
`

// TestEvaluationInBrowser: the province loads its guide and a cluster,
// plans an inspection of a commune, records its conclusion and one
// recommendation; the commune leader self-scores and sends; the province
// adjusts one criterion with a reason, citing the conclusion, decides and
// freezes; the report shows the class and the rank. Screenshots of each
// step are kept.
func TestEvaluationInBrowser(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, storetest.SQLite(t))
	if err := importCSV(h.Store, "dataelement,period,orgunit,value\nCT2_HN_TONG,2024,KDC-1,40\nCT2_HN_QUATET,2024,KDC-1,38\nCT2_HN_TONG,2024,KDC-3,20\nCT2_HN_QUATET,2024,KDC-3,20\n"); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}

	// 1. The province's leader loads the guide and the cluster.
	p.signIn(h.URL, "lanhdao.tinh")
	p.open(h.URL + "/evaluation?year=2024&unit=24")
	p.click(`a[href^="/evaluation/guide"]`)
	p.must(chromedp.Do(p.ctx, chromedp.SetValue(`textarea[name=guide]`, browserGuide)))
	p.click(`form[action="/evaluation/guide"] button`)
	if !strings.Contains(p.text(), "Đã lưu hướng dẫn chấm điểm") {
		t.Fatalf("after saving the guide:\n%s", p.text())
	}
	p.must(chromedp.Do(p.ctx, chromedp.SetValue(`textarea[name=clusters]`, "C1 | Cụm phường nội thành | 07201 | 07201 07207\n")))
	p.click(`form[action="/evaluation/clusters"] button`)
	p.shot("province-overview")

	// 2. The province's officer plans an inspection of Thọ Xương,
	// concludes it and recommends.
	p.signIn(h.URL, "canbo.tinh")
	p.open(h.URL + "/evaluation/inspections?year=2024&unit=24")
	p.must(chromedp.Do(p.ctx,
		chromedp.SetValue(`select[name=target]`, "07201"),
		chromedp.SendKeys(`input[name=from]`, "04/11/2024"),
		chromedp.SendKeys(`input[name=to]`, "05/11/2024"),
		chromedp.SendKeys(`textarea[name=subjects]`, "Việc thực hiện Chương trình hành động năm 2024"),
		chromedp.SendKeys(`input[name=leader]`, "Nguyễn Văn Hòa, Phó Chủ tịch"),
		chromedp.SendKeys(`textarea[name=members]`, "Trần Thị Lan\nLê Văn Dũng")))
	p.shot("inspection-plan")
	p.click(`form[action="/evaluation/inspections"] button`)
	p.must(chromedp.Do(p.ctx,
		chromedp.SendKeys(`textarea[name=findings]`, "Sổ theo dõi đơn thư ghi chưa đầy đủ; hai đơn quá hạn chưa đôn đốc."),
		chromedp.SendKeys(`textarea[name=conclusion]`, "Cơ bản hoàn thành; cần chấn chỉnh việc theo dõi đơn thư."),
		chromedp.SendKeys(`input[name=number]`, "15/KL-MTTQ")))
	p.click(`form[action$="/conclude"] button`)
	p.must(chromedp.Do(p.ctx,
		chromedp.SendKeys(`textarea[name=content]`, "Rà soát, đôn đốc các đơn thư quá hạn, báo cáo bằng văn bản"),
		chromedp.SendKeys(`input[name=due]`, "20/12/2024")))
	p.click(`form[action$="/recommend"] button`)
	p.shot("inspection-concluded")
	if txt := p.text(); !strings.Contains(txt, "Rà soát, đôn đốc") || !strings.Contains(txt, "20/12/2024") {
		t.Fatalf("the inspection after its recommendation:\n%s", txt)
	}
	inspection := regexp.MustCompile(`/evaluation/inspections/\d+`).FindString(p.url())
	p.open(h.URL + inspection + "/print")
	p.shot("inspection-conclusion-print")
	if txt := p.text(); !strings.Contains(txt, "KẾT LUẬN") || !strings.Contains(txt, "Số: 15/KL-MTTQ") {
		t.Errorf("the printed conclusion:\n%s", txt)
	}

	// 3. The commune's leader scores itself and sends.
	p.signIn(h.URL, "lanhdao.xa")
	p.open(h.URL + "/evaluation/sheet?year=2024")
	p.must(chromedp.Do(p.ctx,
		chromedp.SendKeys(`input[name=points_DG1]`, "7,5"),
		chromedp.SendKeys(`input[name=evidence_DG1]`, "Mô hình “Camera an ninh” ở 5 tổ dân phố"),
		chromedp.SendKeys(`input[name=points_DG2]`, "7"),
		chromedp.SendKeys(`input[name=points_TH1]`, "2")))
	p.shot("commune-self-score")
	p.click(`button[name=send]`)
	p.shot("commune-sent")
	if txt := p.text(); !strings.Contains(txt, "Đã gửi tự chấm, chờ thẩm định") || !strings.Contains(txt, "Rà soát, đôn đốc") {
		t.Fatalf("the commune's sheet after sending:\n%s", txt)
	}

	// 4. The province adjusts DG2 citing the conclusion, decides, freezes.
	p.signIn(h.URL, "lanhdao.tinh")
	p.open(h.URL + "/evaluation/sheet?year=2024&unit=07201")
	p.must(chromedp.Do(p.ctx,
		chromedp.SetValue(`select[name=criterion]`, "DG2"),
		chromedp.SendKeys(`input[name=points]`, "4"),
		chromedp.SendKeys(`input[name=reason]`, "Theo Kết luận 15/KL-MTTQ: chưa đôn đốc đơn thư quá hạn"),
		chromedp.SetValue(`select[name=ref]`, inspection)))
	p.click(`form[action="/evaluation/sheet/adjust"] button`)
	p.shot("province-adjusted")
	if txt := p.text(); !strings.Contains(txt, "Theo Kết luận 15/KL-MTTQ") || !strings.Contains(txt, "+3,00") {
		t.Errorf("the sheet after the adjustment shows no reason or difference:\n%s", txt)
	}
	p.click(`form[action="/evaluation/sheet/decide"] button`)
	p.open(h.URL + "/evaluation?year=2024&unit=24")
	p.click(`form[action="/evaluation/freeze"] button`)
	p.shot("province-frozen")
	if txt := p.text(); !strings.Contains(txt, "Kết quả đã khóa") {
		t.Errorf("the overview after freezing:\n%s", txt)
	}

	// 5. The report: Thọ Xương's class and rank. QT 9,50 (38/40), BC1 0
	// (no yearly report), DG1 7,50, DG2 4, TH1 2: 23,00 of 30, 76,67%: tốt.
	p.open(h.URL + "/evaluation/report?year=2024&unit=24")
	p.shot("report")
	txt := p.text()
	row := regexp.MustCompile(`(?m)^1\tPhường Thọ Xương\t.*$`).FindString(txt)
	if row == "" || !strings.Contains(row, "23,00") || !strings.Contains(row, "Tốt") {
		t.Errorf("the report's row of Thọ Xương %q:\n%s", row, txt)
	}
	if !strings.Contains(txt, "Cờ thi đua") {
		t.Errorf("the report proposes no title:\n%s", txt)
	}
}

// url is the page's path.
func (p *page) url() string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`location.pathname`))
	p.must(err)
	return s
}
