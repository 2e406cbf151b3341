package web_test

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mattran/internal/report"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// reportFigures: the province's fund short of 50 tỷ, its newspaper
// subscriptions up on last year, its supervision and criticism counts (T3.1 adds them), and the
// households of two residential areas.
const reportFigures = `dataelement,period,orgunit,value
CT2_QUY_VNN,2024,24,49996000000
CT1_BAO_DDK,2023,24,1392
CT1_BAO_DDK,2024,24,1400
CT3_GIAMSAT,2024,24,3
CT3_PHANBIEN,2024,24,1
CT2_HGD_TONG,2024,KDC-1,10000
CT2_HGD_VANHOA,2024,KDC-1,9140
CT2_HGD_TONG,2024,KDC-3,2000
CT2_HGD_VANHOA,2024,KDC-3,1500
`

var seedTargets = []string{"T1.1", "T1.2", "T1.3", "T1.4", "T2.1", "T2.2", "T2.3", "T2.4", "T2.5", "T2.6", "T2.7", "T2.8",
	"T3.1", "T3.2", "T3.3", "T3.4", "T3.5", "T3.6", "T3.7", "T3.8", "T3.9", "T4.1", "T5.1", "T5.2", "T5.3"}

func TestReport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		if err := storetest.ImportCSV(s, reportFigures); err != nil {
			t.Fatal(err)
		}
		leader := h.login("lanhdao.tinh")
		status, page := leader.get("/report?program=BG-CTHD-2019-2024&unit=24&period=2024")
		if status != 200 {
			t.Fatalf("GET /report = %d\n%s", status, page)
		}
		if dir := os.Getenv("MATTRAN_REPORT_HTML"); dir != "" {
			os.WriteFile(dir+"/report-"+string(s.Engine)+".html", []byte(page), 0o644)
		}
		for _, want := range []string{
			// NĐ 30/2020's heading, title, body and closing.
			"UB MTTQ VIỆT NAM TỈNH BẮC GIANG", "BAN THƯỜNG TRỰC", "Số: …/BC-MTTQ-BTT",
			"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
			"Bắc Giang, ngày 10 tháng 12 năm 2024", ">BÁO CÁO<",
			"Kết quả thực hiện Chương trình hành động thực hiện Nghị quyết", "(nhiệm kỳ 2019 - 2024) năm 2024",
			"Nơi nhận:", "- Ban Thường trực UB TW MTTQ Việt Nam;", "- Thường trực Tỉnh ủy;", "- Lưu: VT.",
			"TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH",
			"@page{size:A4 portrait;margin:20mm 15mm 20mm 30mm}", `"Times New Roman"`,
			// The figures, as the scorecard writes them.
			"49.996.000.000 đ", "1.400", "Năm trước: 1.392", "Tổng số 25 chỉ tiêu:", "Các chỉ tiêu chưa đạt: ",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
		for _, code := range seedTargets {
			if !strings.Contains(page, `<td class="c">`+code+`</td>`) {
				t.Errorf("the report lacks target %s", code)
			}
		}
		// T2.5 at the province: the two areas' households, 10.640 of
		// 12.000, are 88,7%, under 90%.
		if row := reportRow(page, "T2.5"); !strings.Contains(row, "88,7%") || !strings.Contains(row, "Chưa đạt") {
			t.Errorf("row T2.5 = %s", row)
		}
		if row := reportRow(page, "T3.1"); !strings.Contains(row, ">4<") || !strings.Contains(row, "Đạt") {
			t.Errorf("row T3.1 = %s", row)
		}

		// The Excel file holds the same lines and figures.
		status, body := leader.get("/report?program=BG-CTHD-2019-2024&unit=24&period=2024&format=xlsx")
		if status != 200 {
			t.Fatalf("xlsx = %d", status)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(report.SheetName)
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		byCode := map[string][]string{}
		for _, r := range rows {
			all = append(all, strings.Join(r, "|"))
			if len(r) > 0 {
				byCode[r[0]] = r
			}
		}
		text := strings.Join(all, "\n")
		for _, want := range []string{"UB MTTQ VIỆT NAM TỈNH BẮC GIANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
			"Bắc Giang, ngày 10 tháng 12 năm 2024", "BÁO CÁO", "Nơi nhận:", "- Lưu: VT.", "TM. BAN THƯỜNG TRỰC", "Tổng số 25 chỉ tiêu:"} {
			if !strings.Contains(text, want) {
				t.Errorf("the workbook lacks %q", want)
			}
		}
		for _, code := range seedTargets {
			if byCode[code] == nil {
				t.Errorf("the workbook lacks target %s", code)
			}
		}
		// Figures are numbers a specialist can add up, shown with
		// thousands grouped (Excel shows the reader's locale's
		// separators: 49.996.000.000 đ and 88,7% in Vietnam).
		raw, err := f.GetRows(report.SheetName, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		rawByCode := map[string][]string{}
		for _, r := range raw {
			if len(r) > 0 {
				rawByCode[r[0]] = r
			}
		}
		if r, raw := byCode["T2.1"], rawByCode["T2.1"]; len(r) < 5 || r[3] != "49,996,000,000 đ" || raw[3] != "49996000000" || r[4] != "Chưa đạt" {
			t.Errorf("workbook row T2.1 = %q, raw %q", r, raw)
		}
		if r, raw := byCode["T2.5"], rawByCode["T2.5"]; len(r) < 5 || r[3] != "88.7%" || !strings.HasPrefix(raw[3], "0.88") || r[4] != "Chưa đạt" {
			t.Errorf("workbook row T2.5 = %q, raw %q", r, raw)
		}
		layout, err := f.GetPageLayout(report.SheetName)
		if err != nil || layout.Size == nil || *layout.Size != 9 || layout.Orientation == nil || *layout.Orientation != "portrait" {
			t.Errorf("page layout = %+v, %v; want A4 portrait", layout, err)
		}
		if font, _ := f.GetDefaultFont(); font != "Times New Roman" {
			t.Errorf("default font %q", font)
		}

		// A district's report, for its leader, is headed by the district.
		status, page = h.login("lanhdao.huyen").get("/report?unit=213&period=2024")
		if status != 200 || !strings.Contains(page, "<div class=\"rpt-committee\">THÀNH PHỐ BẮC GIANG</div>") || !strings.Contains(page, "- Thường trực Thành ủy;") ||
			!strings.Contains(page, "- Ban Thường trực UB MTTQ tỉnh Bắc Giang;") {
			t.Errorf("district report = %d", status)
		}
	})
}

// Only units of one's own subtree: a commune officer asking for the
// province's report, or a district leader for a sibling district's, is
// refused; a user without a unit chosen gets their own.
func TestReportAccess(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	for _, c := range []struct {
		user, path string
		status     int
		want       string
	}{
		{"canbo.xa", "/report?unit=24&period=2024", http.StatusForbidden, "Bạn không có quyền với đơn vị Tỉnh Bắc Giang"},
		{"canbo.xa", "/report?unit=24&period=2024&format=xlsx", http.StatusForbidden, ""},
		{"lanhdao.huyen2", "/report?unit=213", http.StatusForbidden, ""},
		{"canbo.xa", "/report", http.StatusOK, ">PHƯỜNG THỌ XƯƠNG</div>"},
		{"xem.tinh", "/report?unit=KDC-1", http.StatusOK, "BAN CÔNG TÁC MẶT TRẬN TỔ DÂN PHỐ 1"},
		{"canbo.xa", "/report?period=2024Q9", http.StatusBadRequest, "Kỳ báo cáo"},
	} {
		status, page := h.login(c.user).get(c.path)
		if status != c.status || !strings.Contains(page, c.want) {
			t.Errorf("%s GET %s = %d, want %d with %q", c.user, c.path, status, c.status, c.want)
		}
	}
	if status, _ := h.anonymous().get("/report"); status != http.StatusSeeOther {
		t.Errorf("anonymous GET /report = %d", status)
	}
}

// reportRow is the table row of a target in the report.
func reportRow(page, target string) string {
	i := strings.Index(page, `<td class="c">`+target+`</td>`)
	if i < 0 {
		return ""
	}
	end := strings.Index(page[i:], "</tr>")
	return page[i : i+end]
}
