package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// download fetches a template as the client.
func (c *client) download(path string) []byte {
	c.t.Helper()
	b, ctype := c.fetch(path)
	if !strings.Contains(ctype, "spreadsheetml") {
		c.t.Fatalf("GET %s: %s, not a workbook", path, ctype)
	}
	return b
}

// fetch downloads a file as the client: its bytes and content type.
func (c *client) fetch(path string) ([]byte, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.h.URL+path, nil)
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		c.t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	return b, resp.Header.Get("Content-Type")
}

// upload posts a file in a multipart form, with the CSRF token.
func (c *client) upload(path string, fields map[string]string, name string, data []byte) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.h.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// fill types into the template what a commune officer would: text in the
// Vietnamese way in one cell, a number in another. cells maps (element
// code, unit code) to what is typed; it returns the cell names used.
func fill(t *testing.T, data []byte, cells map[[2]string]string) ([]byte, map[[2]string]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sheetName := f.GetSheetName(0)
	rows, err := f.GetRows(sheetName)
	if err != nil {
		t.Fatal(err)
	}
	col, row := map[string]int{}, map[string]int{}
	for r, cells := range rows {
		for c, v := range cells {
			if strings.HasPrefix(v, "CT") && strings.Contains(v, "_") {
				col[v] = c + 1
			}
			if c == 0 && v != "" {
				row[v] = r + 1
			}
		}
	}
	names := map[[2]string]string{}
	for k, v := range cells {
		if col[k[0]] == 0 || row[k[1]] == 0 {
			t.Fatalf("the template has no cell for %s at %s", k[0], k[1])
		}
		name, _ := excelize.CoordinatesToCellName(col[k[0]], row[k[1]])
		names[k] = name
		if err := f.SetCellStr(sheetName, name, v); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), names
}

func TestExcelRoundTrip(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		officer := h.login("canbo.xa")
		const q = "program=BG-CTHD-2019-2024&form=NAM&unit=07201&period=2024"
		if status, page := officer.get("/excel?" + q); status != 200 || !strings.Contains(page, "Tải mẫu Excel") || !strings.Contains(page, "Phường Thọ Xương") {
			t.Fatalf("GET /excel = %d", status)
		}
		tmpl := officer.download("/excel/template?" + q)
		fields := map[string]string{"program": "BG-CTHD-2019-2024", "form": "NAM", "unit": "07201", "period": "2024"}

		// A bad cell: nothing is stored, and the page names the cell.
		bad, names := fill(t, tmpl, map[[2]string]string{{"CT2_HGD_TONG", "KDC-1"}: "1.234", {"CT2_HGD_VANHOA", "KDC-1"}: "nhiều"})
		status, page := officer.upload("/excel/upload", fields, "mau.xlsx", bad)
		if status != http.StatusBadRequest || !strings.Contains(page, "Ô "+names[[2]string{"CT2_HGD_VANHOA", "KDC-1"}]) || !strings.Contains(page, "Chưa có giá trị nào được lưu") {
			t.Errorf("bad upload = %d, want 400 naming cell %s", status, names[[2]string{"CT2_HGD_VANHOA", "KDC-1"}])
		}
		if n := storedValues(t, s, "07201"); n != 0 {
			t.Errorf("a rejected file stored %d values", n)
		}

		good, _ := fill(t, tmpl, map[[2]string]string{{"CT2_HGD_TONG", "KDC-1"}: "1.234", {"CT2_HGD_VANHOA", "KDC-1"}: "1.100", {"CT1_BAO_DDK", "07201"}: "85"})
		status, page = officer.upload("/excel/upload", fields, "mau.xlsx", good)
		if status != http.StatusSeeOther {
			t.Fatalf("good upload = %d\n%s", status, page)
		}
		if _, page := officer.get(strings.TrimPrefix(page, "Location: ")); !strings.Contains(page, "3 giá trị mới") {
			t.Errorf("the page after the upload does not say what was stored")
		}
		if n := storedValues(t, s, "07201"); n != 3 {
			t.Errorf("stored %d values, want 3", n)
		}
		// The next download carries what was stored.
		again, err := excelize.OpenReader(bytes.NewReader(officer.download("/excel/template?" + q)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := again.GetRows(again.GetSheetName(0), excelize.Options{RawCellValue: true})
		found := false
		for _, r := range rows {
			if len(r) > 0 && r[0] == "KDC-1" && strings.Contains(strings.Join(r, "|"), "1234") {
				found = true
			}
		}
		if !found {
			t.Errorf("the template does not carry the stored 1.234 households of KDC-1")
		}

		// A viewer downloads but may not upload; a commune's officer may not
		// touch the sibling commune.
		viewer := h.login("xem.tinh")
		viewer.download("/excel/template?" + q)
		if status, _ := viewer.upload("/excel/upload", fields, "mau.xlsx", good); status != http.StatusForbidden {
			t.Errorf("viewer upload = %d, want 403", status)
		}
		if status, _ := officer.get("/excel?program=BG-CTHD-2019-2024&form=NAM&unit=07207&period=2024"); status != http.StatusForbidden {
			t.Errorf("sibling commune's page = %d, want 403", status)
		}
	})
}

// A figure the store refuses (a part above its whole) is named by its cell,
// as the parser names its own, with numbers and names as the page writes
// them; so is one the parser refuses.
func TestExcelNamesTheCell(t *testing.T) {
	s := storetest.SQLite(t)
	h := newHarness(t, s)
	officer := h.login("canbo.xa")
	const q = "program=BG-CTHD-2019-2024&form=NAM&unit=07201&period=2024"
	tmpl := officer.download("/excel/template?" + q)
	fields := map[string]string{"program": "BG-CTHD-2019-2024", "form": "NAM", "unit": "07201", "period": "2024"}
	part := [2]string{"CT2_HGD_VANHOA", "KDC-1"}

	bad, names := fill(t, tmpl, map[[2]string]string{{"CT2_HGD_TONG", "KDC-1"}: "1.000", part: "1.300"})
	status, page := officer.upload("/excel/upload", fields, "mau.xlsx", bad)
	want := "Ô " + names[part] + ": “Số hộ gia đình đạt danh hiệu gia đình văn hóa” = 1.300 lớn hơn “Số hộ gia đình” = 1.000"
	if status != http.StatusBadRequest || !strings.Contains(page, want) {
		t.Errorf("upload = %d, want 400 saying %q:\n%s", status, want, excelErrors(page))
	}

	// Every error in one pass: a cell that is not a number, and a part
	// above its whole in another row, named together.
	bad, names = fill(t, tmpl, map[[2]string]string{{"CT2_HGD_TONG", "KDC-1"}: "1.000", part: "1.300", {"CT2_HGD_TONG", "KDC-2"}: "nhiều"})
	status, page = officer.upload("/excel/upload", fields, "mau.xlsx", bad)
	for _, want := range []string{"Tệp Excel có 2 lỗi", "Ô " + names[part] + ": “Số hộ gia đình đạt danh hiệu gia đình văn hóa” = 1.300 lớn hơn “Số hộ gia đình” = 1.000",
		"Ô " + names[[2]string{"CT2_HGD_TONG", "KDC-2"}] + ":"} {
		if status != http.StatusBadRequest || !strings.Contains(page, want) {
			t.Errorf("one pass upload = %d, want 400 saying %q:\n%s", status, want, excelErrors(page))
		}
	}

	bad, names = fill(t, tmpl, map[[2]string]string{part: "2,5"})
	status, page = officer.upload("/excel/upload", fields, "mau.xlsx", bad)
	want = "Ô " + names[part] + ": giá trị 2,5 của chỉ số “Số hộ gia đình đạt danh hiệu gia đình văn hóa” phải là số nguyên"
	if status != http.StatusBadRequest || !strings.Contains(page, want) {
		t.Errorf("upload = %d, want 400 saying %q:\n%s", status, want, excelErrors(page))
	}
}

// excelErrors is the error box of the Excel page, for a failure's message.
func excelErrors(page string) string {
	if i := strings.Index(page, `class="excel-errors"`); i >= 0 {
		page = page[i:]
		if j := strings.Index(page, "</div>"); j >= 0 {
			page = page[:j]
		}
	}
	return page
}

// storedValues counts the values stored for 2024 in a unit's subtree.
func storedValues(t *testing.T, s *store.Store, code string) int {
	t.Helper()
	ctx := context.Background()
	u, err := s.UnitAt(ctx, code, "2024-12-31")
	if err != nil {
		t.Fatal(err)
	}
	vs, err := s.ExportValues(ctx, store.ExportFilter{Unit: u, Children: true, Periods: []period.Period{period.MustParse("2024")}})
	if err != nil {
		t.Fatal(err)
	}
	return len(vs)
}

// The Excel pages are reached from the report forms, not only by address.
func TestExcelLinkedFromEntry(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	c := h.login("canbo.xa")
	for _, path := range []string{"/entry", "/entry/BG-CTHD-2019-2024/NAM/07201/2024"} {
		if _, page := c.get(path); !strings.Contains(page, `href="/excel?program=BG-CTHD-2019-2024`) {
			t.Errorf("%s does not link to the Excel page", path)
		}
	}
}

// A commune's quarterly template has rows for its residential areas only:
// it still names the commune, in its title and its hidden sheet, and reads
// back at the commune's page.
func TestExcelQuarterlyTemplateNamesTheCommune(t *testing.T) {
	s := storetest.SQLite(t)
	h := newHarness(t, s)
	officer := h.login("canbo.xa")
	const q = "program=BG-CTHD-2019-2024&form=QUY&unit=07201&period=2024Q4"
	f, err := excelize.OpenReader(bytes.NewReader(officer.download("/excel/template?" + q)))
	if err != nil {
		t.Fatal(err)
	}
	title := ""
	for _, cellName := range []string{"A1", "A2", "A3"} {
		v, _ := f.GetCellValue(f.GetSheetName(0), cellName)
		title += v + "\n"
	}
	if !strings.Contains(title, "Đơn vị: Phường Thọ Xương") || strings.Contains(title, "Tổ dân phố 1") {
		t.Errorf("the title names the wrong unit:\n%s", title)
	}
	meta, _ := f.GetRows("mattran")
	found := false
	for _, r := range meta {
		if len(r) >= 2 && r[0] == "unit" {
			found = r[1] == "07201"
		}
	}
	if !found {
		t.Errorf("the hidden sheet does not name 07201: %v", meta)
	}
}

// The Excel page picks its unit and period from lists, as the entry page
// does; after a file is written it offers to send the report, with the
// form's own checks.
func TestExcelPickersAndSend(t *testing.T) {
	s := storetest.SQLite(t)
	h := newHarness(t, s)
	officer := h.login("canbo.xa")
	status, page := officer.get("/excel?program=BG-CTHD-2019-2024&form=QUY&unit=07201&period=2024")
	expect(t, "quarterly form, a year picked", status, page, http.StatusOK, `<select name="unit">`, `<option value="07201" selected>`,
		`<option value="2024Q4" selected>`, "đã chọn kỳ Quý IV/2024")
	if strings.Contains(page, `type="text" name="period"`) {
		t.Error("the period is still a text box")
	}

	const q = "program=BG-CTHD-2019-2024&form=NAM&unit=07201&period=2024"
	tmpl := officer.download("/excel/template?" + q)
	fields := map[string]string{"program": "BG-CTHD-2019-2024", "form": "NAM", "unit": "07201", "period": "2024"}
	good, _ := fill(t, tmpl, map[[2]string]string{{"CT2_HGD_TONG", "KDC-1"}: "1.234", {"CT2_HGD_VANHOA", "KDC-1"}: "1.100"})
	status, loc := officer.upload("/excel/upload", fields, "mau.xlsx", good)
	if status != http.StatusSeeOther {
		t.Fatalf("upload = %d", status)
	}
	_, page = officer.get(strings.TrimPrefix(loc, "Location: "))
	expect(t, "after the upload", http.StatusOK, page, http.StatusOK, `class="excel-send"`, ">Gửi báo cáo<", `name="v:CT2_HGD_TONG:KDC-1" value="1.234"`)
	// Sent at once: the form's checks apply, and name what is missing.
	send := url.Values{"action": {"submit"}}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([vo]:[^"]+)" value="([^"]*)">`).FindAllStringSubmatch(page, -1) {
		send.Set(m[1], html.UnescapeString(m[2]))
	}
	status, body := officer.post(formPath("NAM", "07201", "2024"), send)
	expect(t, "send incomplete", status, body, http.StatusBadRequest, "Cần nhập trước khi gửi báo cáo", `value="1.234"`)
	// A viewer is offered nothing to send.
	_, page = h.login("xem.tinh").get(strings.TrimPrefix(loc, "Location: "))
	if strings.Contains(page, `class="excel-send"`) {
		t.Error("a viewer is offered to send the report")
	}
}
