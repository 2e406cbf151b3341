package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/web"
)

// browser starts headless Chromium (Debian's package) or skips, saying so.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install -y chromium): skipping the browser test")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900), // an office PC's screen
	)
	if os.Getenv("MATTRAN_BROWSER_SHOW") != "" {
		opts = append(opts, chromedp.Flag("headless", false))
	}
	// The browser lives as long as the context of the first call, so the
	// time limit goes on the allocator's parent, not on the first call.
	limit, cancelLimit := context.WithTimeout(context.Background(), 90*time.Second)
	alloc, cancelAlloc := chromedp.NewExecAllocator(limit, opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc(); cancelLimit() })
	return ctx
}

// TestScorecardInBrowser: a leader opens the page, picks a district and a
// period in the form, and gets that district's scorecard.
func TestScorecardInBrowser(t *testing.T) {
	ctx := browser(t)
	s := storetest.SQLite(t)
	storetest.Fixture(t, s)
	csv := "dataelement,period,orgunit,value\nCT2_HGD_TONG,2023,KDC-1,100\nCT2_HGD_VANHOA,2023,KDC-1,95\n"
	if err := importCSV(s, csv); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	(&web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitReady(`td.code`)))
	heading, err := chromedp.Run(ctx, chromedp.Text(`p.sub strong`))
	must(err)
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("td.code").length`))
	must(err)
	if heading != "Tỉnh Bắc Giang" || rows != 25 {
		t.Fatalf("first page: heading %q, %d targets", heading, rows)
	}

	// Choose in the form as a user would, and press "Xem": the browser
	// submits the GET form and loads the new page.
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		document.querySelector("select[name=unit]").value = "213";
		document.querySelector("select[name=period]").value = "2023";
		document.querySelector("form.filter button").click();
		return true;
	})()`))
	must(err)
	// The click submits the form; wait for the new page's heading.
	var sub string
	for i := 0; i < 50; i++ {
		if sub, err = chromedp.Run(ctx, chromedp.Text(`p.sub`)); err == nil && strings.Contains(sub, "Năm 2023") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(sub, "Thành phố Bắc Giang") || !strings.Contains(sub, "Năm 2023") {
		t.Errorf("after choosing the district and 2023, the heading reads %q", sub)
	}
	t25, err := chromedp.Run(ctx, chromedp.Text(`//tr[td[@class="code" and text()="T2.5"]]/td[4]`))
	must(err)
	status, err := chromedp.Run(ctx, chromedp.Text(`//tr[td[@class="code" and text()="T2.5"]]/td[5]`))
	must(err)
	if strings.TrimSpace(t25) != "95%" || strings.TrimSpace(status) != "Đạt" {
		t.Errorf("T2.5 for the district in 2023 reads %q %q, want 95%% Đạt", t25, status)
	}

	// A half year, or a year past the term, reached by its address: "Xem"
	// keeps what the page shows rather than jumping to the first year.
	for _, c := range []struct{ period, label string }{
		{"2024S1", "6 tháng đầu năm 2024"},
		{"2025", "Năm 2025"},
	} {
		must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?unit=213&period="+c.period), chromedp.WaitReady(`td.code`)))
		_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			document.body.dataset.before = "1"; // gone once the next page loads
			document.querySelector("form.filter button").click();
			return true;
		})()`))
		must(err)
		var after string
		for i := 0; i < 50; i++ {
			fresh, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && !document.body.dataset.before && !!document.querySelector("p.sub")`))
			if err == nil && fresh {
				after, _ = chromedp.Run(ctx, chromedp.Text(`p.sub`))
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !strings.Contains(after, "Thành phố Bắc Giang") || !strings.Contains(after, c.label) {
			t.Errorf("?period=%s, then Xem: the heading reads %q, want %s", c.period, after, c.label)
		}
	}
}

func importCSV(s *store.Store, csv string) error {
	return storetest.ImportCSV(s, csv)
}
