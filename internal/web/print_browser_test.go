package web_test

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"mattran/internal/store/storetest"
)

// printPDF prints the tab's page as Chromium does on Ctrl+P, on the
// paper the page's CSS asks for, and keeps the PDF in the artifacts.
func (p *page) printPDF(name string) string {
	p.t.Helper()
	css := true
	pdf, err := chromedp.Run(p.ctx, chromedp.PrintToPDF(func(params *cdppage.PrintToPDFParams) { params.PreferCSSPageSize = &css }))
	p.must(err)
	path := filepath.Join(p.dir, name+".pdf")
	p.must(os.WriteFile(path, pdf, 0o644))
	return path
}

// pdfPages is the text of each page of a PDF, or nil (the check skipped)
// when poppler's pdftotext is not installed.
func pdfPages(t *testing.T, path string) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext is not installed (apt-get install -y poppler-utils): skipping the check of the printed pages")
		return nil
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

// TestReportWrittenAndPrintedInBrowser: a commune officer drafts the
// written sections of the report, its number, date and signer in the
// page's form and saves them; the report shows them. Printed, however
// long the text, the signature block never stands alone on its page: the
// last lines of text go with it. The public page prints on two pages,
// and its footer never alone on a third.
func TestReportWrittenAndPrintedInBrowser(t *testing.T) {
	ctx := browser(t)
	s := storetest.SQLite(t)
	h := newHarness(t, s)
	if err := storetest.ImportCSV(s, reportFigures); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}
	p.signIn(h.URL, "canbo.xa")
	report := h.URL + "/report?program=" + prog + "&unit=07201&period=2024"
	p.open(report)
	p.js(`const f = document.querySelector("form.rpt-write");
		f.number.value = "25"; f.signed_on.value = "12/12/2024"; f.signer.value = "Nguyễn Văn An";
		f.highlights.value = "Công tác vận động Quỹ Vì người nghèo vượt kế hoạch.\nCác khu dân cư tổ chức tốt Ngày hội Đại đoàn kết.";
		f.shortcomings.value = "Một số chỉ tiêu chưa có số liệu."; f.causes.value = "Cán bộ khu dân cư thay đổi nhiều.";
		f.next_tasks.value = "Hoàn thành việc nhập số liệu trước 15/01/2025."`)
	p.shot("report-form")
	p.click(`form.rpt-write button[type=submit]`)
	p.shot("report-saved")
	txt := p.text()
	for _, want := range []string{"Đã lưu phần đánh giá", "Số: 25/BC-MTTQ-BTT", "ngày 12 tháng 12 năm 2024", "Nguyễn Văn An", "1. Kết quả nổi bật", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"} {
		if !strings.Contains(txt, want) {
			t.Errorf("after saving, the report lacks %q", want)
		}
	}

	// The signature block with the last lines, whatever their length.
	xa := h.login("canbo.xa")
	checked := 0
	for lines := 0; lines <= 30; lines += 3 {
		v := url.Values{}
		for k, vs := range reportTexts {
			v[k] = vs
		}
		var tasks []string
		for i := range lines {
			tasks = append(tasks, fmt.Sprintf("Nhiệm vụ %d: tiếp tục thực hiện các chỉ tiêu của chương trình hành động.", i+1))
		}
		v.Set("next_tasks", strings.Join(append(tasks, "Hoàn thành việc nhập số liệu trước 15/01/2025."), "\n"))
		xa.post("/report/texts", v)
		p.open(report)
		pages := pdfPages(t, p.printPDF(fmt.Sprintf("report-%02d-lines", lines)))
		if pages == nil {
			break
		}
		checked++
		for i, pg := range pages {
			before, _, found := strings.Cut(pg, "Nơi nhận:")
			if found && !strings.Contains(before, "15/01/2025") {
				t.Errorf("with %d more lines, page %d of %d holds the signature block without the last lines of text:\n%s", lines, i+1, len(pages), pg)
			}
		}
	}
	if checked > 0 {
		t.Logf("the signature block checked with %d lengths of text", checked)
	}

	// The public page: two pages, the footer with the last rows.
	p.open(h.URL + "/?program=" + prog + "&unit=24&period=2024")
	pages := pdfPages(t, p.printPDF("public"))
	if pages != nil {
		last := pages[len(pages)-1]
		if len(pages) > 2 || !strings.Contains(last, "T5.3") {
			t.Errorf("the public page prints on %d pages; the last:\n%s", len(pages), last)
		}
	}
}
