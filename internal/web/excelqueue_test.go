package web_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mattran/internal/store/storetest"
	"mattran/internal/value"
)

// An Excel upload waits its turn behind another import, and the officer
// sees where it stands on a page that reloads itself (issue 8, item 2);
// a wrong file is refused at once, without waiting.
func TestExcelUploadQueues(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	s := h.Store
	release := make(chan struct{})
	if _, err := h.Import.Submit(context.Background(), -1, "tệp của huyện khác", "", func(ctx context.Context) (value.Summary, error) {
		<-release
		return value.Summary{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	officer := h.login("canbo.xa")
	const q = "program=BG-CTHD-2019-2024&form=NAM&unit=07201&period=2024"
	fields := map[string]string{"program": "BG-CTHD-2019-2024", "form": "NAM", "unit": "07201", "period": "2024"}
	tmpl := officer.download("/excel/template?" + q)

	// A file that is no workbook: refused on the spot.
	start := time.Now()
	if status, page := officer.upload("/excel/upload", fields, "sai.xlsx", []byte("không phải Excel")); status != http.StatusBadRequest || time.Since(start) > 5*time.Second {
		t.Errorf("a broken file while another import runs = %d after %v\n%s", status, time.Since(start), excerpt(page))
	}

	good, _ := fill(t, tmpl, map[[2]string]string{{"CT1_BAO_DDK", "07201"}: "85"})
	status, page := officer.upload("/excel/upload", fields, "mau.xlsx", good)
	where := strings.TrimPrefix(page, "Location: ")
	if status != http.StatusSeeOther || !strings.HasPrefix(where, "/excel/imports/") {
		t.Fatalf("an upload behind another = %d %q, want a redirect to the waiting page", status, where)
	}
	status, page = officer.get(where)
	if status != http.StatusOK || !strings.Contains(page, "Còn 1 tệp trước tệp của bạn") || !strings.Contains(page, `http-equiv="refresh"`) || !strings.Contains(page, "Excel mau.xlsx") {
		t.Errorf("the waiting page = %d\n%s", status, excerpt(page))
	}
	if n := storedValues(t, s, "07201"); n != 0 {
		t.Errorf("a waiting file stored %d values", n)
	}
	if status, _ := h.login("canbo.xa2").get(where); status != http.StatusNotFound {
		t.Errorf("another officer opens the waiting page: %d", status)
	}

	close(release)
	for i := 0; ; i++ {
		status, page = officer.get(where)
		if status == http.StatusSeeOther || i > 200 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	m := regexp.MustCompile(`href="([^"]+)"`).FindStringSubmatch(page)
	if status != http.StatusSeeOther || m == nil {
		t.Fatalf("the waiting page after the turn = %d\n%s", status, excerpt(page))
	}
	if _, page := officer.get(html.UnescapeString(m[1])); !strings.Contains(page, "Đã nhập tệp mau.xlsx: 1 giá trị mới") {
		t.Errorf("after its turn, the page does not say what was stored\n%s", excerpt(page))
	}
	if n := storedValues(t, s, "07201"); n != 1 {
		t.Errorf("stored %d values, want 1", n)
	}
}

// TestExcelWaitInBrowser: the waiting page as an officer sees it (a
// screenshot in the artifacts), reloading itself until the file is written.
func TestExcelWaitInBrowser(t *testing.T) {
	ctx := browser(t)
	h := newHarness(t, storetest.SQLite(t))
	release := make(chan struct{})
	h.Import.Submit(context.Background(), -1, "tệp khác", "", func(ctx context.Context) (value.Summary, error) {
		<-release
		return value.Summary{}, nil
	})
	officer := h.login("canbo.xa")
	const q = "program=BG-CTHD-2019-2024&form=NAM&unit=07201&period=2024"
	good, _ := fill(t, officer.download("/excel/template?"+q), map[[2]string]string{{"CT1_BAO_DDK", "07201"}: "85"})
	_, answer := officer.upload("/excel/upload", map[string]string{"program": "BG-CTHD-2019-2024", "form": "NAM", "unit": "07201", "period": "2024"}, "bao-cao-nam.xlsx", good)
	where := strings.TrimPrefix(answer, "Location: ")

	p := &page{t: t, ctx: ctx, dir: artifacts(t)}
	p.signIn(h.URL, "canbo.xa")
	p.open(h.URL + where)
	p.shot("waiting")
	if txt := p.text(); !strings.Contains(txt, "Còn 1 tệp trước tệp của bạn") {
		t.Fatalf("the waiting page:\n%s", txt)
	}
	close(release)
	for i := 0; i < 50; i++ {
		// The page reloads itself every 3 s; while it does, it has no body.
		txt, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		if err == nil && strings.Contains(txt, "Đã nhập tệp") {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.shot("written")
	if txt := p.text(); !strings.Contains(txt, "Đã nhập tệp bao-cao-nam.xlsx: 1 giá trị mới") {
		t.Errorf("after its turn, the page reloaded to:\n%s", txt)
	}
}
