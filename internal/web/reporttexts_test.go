package web_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mattran/internal/report"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// reportTexts is what a commune writes into its report.
var reportTexts = url.Values{
	"program": {prog}, "unit": {"07201"}, "period": {"2024"},
	"number": {"25"}, "signed_on": {"12/12/2024"}, "signer": {"Nguyễn Văn An"}, "signer_title": {"Phó Chủ tịch"},
	"highlights":   {"Công tác vận động Quỹ Vì người nghèo vượt kế hoạch.\nCác khu dân cư tổ chức tốt Ngày hội Đại đoàn kết."},
	"shortcomings": {"Một số chỉ tiêu chưa có số liệu."},
	"causes":       {"Cán bộ khu dân cư thay đổi nhiều."},
	"next_tasks":   {"Hoàn thành việc nhập số liệu trước 15/01/2025."},
}

// A commune's officer drafts the written sections of its report, with
// the number, date and signer; they are kept with the report, printed in
// it, and written in the Word file, which LibreOffice opens.
func TestReportTexts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		xa := h.login("canbo.xa")
		const path = "/report?program=" + prog + "&unit=07201&period=2024"
		status, page := xa.get(path)
		expect(t, "report before", status, page, http.StatusOK, `action="/report/texts"`, "Số: …/BC-MTTQ-BTT", "Tải Word (.docx)")

		bad := url.Values{}
		for k, v := range reportTexts {
			bad[k] = v
		}
		bad.Set("signed_on", "32/12/2024")
		bad.Set("highlights", strings.Repeat("a", 20001))
		status, page = xa.post("/report/texts", bad)
		expect(t, "bad texts", status, page, http.StatusBadRequest, "Chưa lưu gì", "32/12/2024", "tối đa 20.000")

		status, page = xa.post("/report/texts", reportTexts)
		expect(t, "save", status, page, http.StatusSeeOther, "msg=saved")
		_, page = xa.get(path)
		expect(t, "report after", http.StatusOK, page, http.StatusOK, "Số: 25/BC-MTTQ-BTT", "ngày 12 tháng 12 năm 2024",
			"Nguyễn Văn An", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "1. Kết quả nổi bật", "Các khu dân cư tổ chức tốt Ngày hội Đại đoàn kết.",
			"2. Tồn tại, hạn chế", "3. Nguyên nhân", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "Lưu lần cuối: canbo.xa")

		// A viewer reads the report but may not write it; another
		// commune's officer may not either.
		if status, _ := h.login("xem.tinh").post("/report/texts", reportTexts); status != http.StatusForbidden {
			t.Errorf("viewer saves = %d, want 403", status)
		}
		if status, _ := h.login("canbo.xa2").post("/report/texts", reportTexts); status != http.StatusForbidden {
			t.Errorf("another commune's officer saves = %d, want 403", status)
		}

		docx, ctype := xa.fetch(path + "&format=docx")
		if !strings.Contains(ctype, "wordprocessingml") {
			t.Errorf("the Word download is %s", ctype)
		}
		doc := docxText(t, docx)
		for _, want := range []string{"Số: 25/BC-MTTQ-BTT", "Nguyễn Văn An", "KT. CHỦ TỊCH", "Kết quả nổi bật", "Hoàn thành việc nhập số liệu trước 15/01/2025.",
			"I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "T2.5", "Nơi nhận:", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"} {
			if !strings.Contains(doc, want) {
				t.Errorf("the Word file lacks %q", want)
			}
		}
		if s.Engine == "sqlite" {
			convertWithLibreOffice(t, docx, "report.docx", "pdf")
		}
	})
}

// docxText is the text of a Word file's body, tags dropped.
func docxText(t *testing.T, data []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the Word file is not a zip: %v", err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			var out strings.Builder
			in := false
			for _, c := range string(b) {
				switch {
				case c == '<':
					in = true
				case c == '>':
					in = false
				case !in:
					out.WriteRune(c)
				}
			}
			return out.String()
		}
	}
	t.Fatal("the Word file has no word/document.xml")
	return ""
}

// convertWithLibreOffice has LibreOffice open a file and convert it (to
// pdf, to csv): the check that Word or Excel users can open what we send.
// It skips when soffice is absent (CI may not install LibreOffice). The
// converted file is kept in the artifacts, and returned.
func convertWithLibreOffice(t *testing.T, data []byte, name, to string) []byte {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Log("soffice is not installed (apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui): skipping the LibreOffice check")
		return nil
	}
	dir := t.TempDir()
	in := filepath.Join(dir, name)
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", to, "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to %s: %v\n%s", to, err, out)
	}
	ext := to
	if i := strings.Index(ext, ":"); i >= 0 {
		ext = ext[:i]
	}
	outPath := strings.TrimSuffix(in, filepath.Ext(in)) + "." + ext
	out, err := os.ReadFile(outPath)
	if err != nil || len(out) == 0 {
		t.Fatalf("LibreOffice did not convert %s to %s: %v", name, to, err)
	}
	os.WriteFile(filepath.Join(artifacts(t), filepath.Base(outPath)), out, 0o644)
	return out
}

// The report's workbook holds numbers: LibreOffice adds two of its
// figures up with a formula a specialist would type.
func TestReportXLSXAddsUp(t *testing.T) {
	s := storetest.SQLite(t)
	h := newHarness(t, s)
	if err := storetest.ImportCSV(s, reportFigures); err != nil {
		t.Fatal(err)
	}
	data, _ := h.login("lanhdao.tinh").fetch("/report?program=" + prog + "&unit=24&period=2024&format=xlsx")
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(report.SheetName)
	at := map[string]int{}
	for i, r := range rows {
		if len(r) > 0 {
			at[r[0]] = i + 1
		}
	}
	// T1.3: 1.400 newspapers; T3.1: 3 + 1 contents supervised and criticised.
	for _, code := range []string{"T1.3", "T3.1"} {
		if typ, _ := f.GetCellType(report.SheetName, fmt.Sprintf("D%d", at[code])); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s's result is a %v cell, want a number", code, typ)
		}
	}
	formula := fmt.Sprintf("SUM(D%d,D%d)", at["T1.3"], at["T3.1"])
	if err := f.SetCellFormula(report.SheetName, "H1", formula); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	out := convertWithLibreOffice(t, buf.Bytes(), "report.xlsx", "csv")
	if out == nil {
		return
	}
	first, _, _ := strings.Cut(string(out), "\n")
	cells := strings.Split(strings.TrimSpace(first), ",")
	if got := cells[len(cells)-1]; got != "1404" {
		t.Errorf("LibreOffice computes =%s as %q, want 1404 (1.400 + 4)\n%s", formula, got, first)
	}
}
