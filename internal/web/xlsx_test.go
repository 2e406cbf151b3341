package web_test

import (
	"bytes"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mattran/internal/store/storetest"
)

var xlsxLink = regexp.MustCompile(`href="([^"]*format=xlsx[^"]*)"`)

// Every page that shows a table offers it as Excel ("Tải Excel"), and the
// file opens with the table's rows. Forms (the report form, a program's
// own thresholds) are not tables to export: the report form has its own
// Excel template.
func TestEveryTableDownloadsAsExcel(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	if err := storetest.ImportCSV(h.Store, figures); err != nil {
		t.Fatal(err)
	}
	admin := h.login("admin.tinh")
	admin.post("/cascade/quotas?program=BG-CTHD-2019-2024&target=T2.1&unit=24&period=2024", nil)
	for _, path := range []string{
		"/?unit=24&period=2024",
		"/home?unit=24&period=2024",
		"/home/children?unit=24&period=2024",
		"/entry",
		"/submissions?program=BG-CTHD-2019-2024&form=NAM&period=2024&unit=24",
		"/report?unit=24&period=2024",
		"/cascade",
		"/cascade/quotas?program=BG-CTHD-2019-2024&target=T2.1&unit=24&period=2024",
		"/audit",
		"/users",
	} {
		status, page := admin.get(path)
		if status != http.StatusOK {
			t.Errorf("GET %s = %d", path, status)
			continue
		}
		if !strings.Contains(page, "<table") {
			t.Errorf("GET %s shows no table", path)
		}
		m := xlsxLink.FindStringSubmatch(page)
		if m == nil {
			t.Errorf("GET %s: a table without a \"Tải Excel\" link", path)
			continue
		}
		data := admin.download(html.UnescapeString(m[1]))
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: the download is no workbook: %v", m[1], err)
			continue
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil || len(rows) < 3 {
			t.Errorf("%s: %d rows (%v), want a title, a header and rows", m[1], len(rows), err)
		}
	}
}
