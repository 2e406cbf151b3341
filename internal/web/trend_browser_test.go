package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mattran/internal/clock"
	"mattran/internal/demo"
	"mattran/internal/store/storetest"
	"mattran/internal/web"
)

// TestContinuousTrendInBrowser: on the demo, today's leader of the new Bắc
// Ninh opens her home page and sees each target's trend from 2020 to 2026
// as one line: the years before the reform (computed again on the new
// tree from Bắc Giang's and the old Bắc Ninh's figures) drawn hollow, the
// reform marked between 2024 and 2025, and the note saying how those years
// were computed. The public page shows the same. Screenshots are left in
// the artifacts folder.
func TestContinuousTrendInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo: skipped under -short")
	}
	s := storetest.SQLite(t)
	s.Clock = clock.Fixed(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))
	if _, err := demo.Load(context.Background(), s, testPassword); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t) // after the load: the browser's time limit starts here
	mux := http.NewServeMux()
	(&web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := &page{t: t, ctx: ctx, dir: artifacts(t)}

	check := func(where string) {
		t.Helper()
		// T2.5's trend: seven yearly points, the first five hollow, a break
		// after the fifth.
		trend, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`(() => {
			const row = [...document.querySelectorAll("tr")].find(r => r.querySelector("td") && r.querySelector("td").textContent.trim() === "T2.5");
			const svg = row && row.querySelector("svg.trend");
			if (!svg) return {};
			const dots = [...svg.querySelectorAll("circle")];
			return {
				dots: dots.length,
				hollow: dots.filter(c => c.getAttribute("fill") === "#fff").length,
				breakAt: svg.querySelector("g.break line") ? Number(svg.querySelector("g.break line").getAttribute("x1")) : -1,
				fifth: dots.length > 5 ? Number(dots[4].getAttribute("cx")) : -1,
				sixth: dots.length > 5 ? Number(dots[5].getAttribute("cx")) : -1,
				labels: [...svg.querySelectorAll("text")].map(x => x.textContent).join(","),
				title2024: dots.length > 5 ? dots[4].textContent : "",
			};
		})()`))
		p.must(err)
		dots, _ := trend["dots"].(float64)
		hollow, _ := trend["hollow"].(float64)
		at, _ := trend["breakAt"].(float64)
		fifth, _ := trend["fifth"].(float64)
		sixth, _ := trend["sixth"].(float64)
		if dots != 7 || hollow != 5 || !(fifth < at && at < sixth) {
			t.Errorf("%s: T2.5's trend %v; want 7 points 2020–2026, the first 5 hollow, the break between 2024 and 2025", where, trend)
		}
		if labels, _ := trend["labels"].(string); labels != "7/2025,2020,2026" {
			t.Errorf("%s: labels %q", where, labels)
		}
		if title, _ := trend["title2024"].(string); !strings.Contains(title, "2024:") || !strings.Contains(title, "tính lại theo cây đơn vị mới") {
			t.Errorf("%s: the 2024 point says %q", where, title)
		}
		note, err := chromedp.Run(ctx, chromedp.Text(`p.history-note`))
		p.must(err)
		for _, want := range []string{"Xu hướng 2020–2026", "Tỉnh Bắc Giang (đến 30/06/2025)", "Tỉnh Bắc Ninh (đến 30/06/2025)", "01/07/2025", "không lấy trung bình"} {
			if !strings.Contains(note, want) {
				t.Errorf("%s: the note lacks %q:\n%s", where, want, note)
			}
		}
	}

	p.signIn(srv.URL, "lanhdao.tinh")
	p.open(srv.URL + "/home")
	check("home")
	p.js(`document.getElementById("T2.5").scrollIntoView()`)
	p.shot("home-trend")
	p.open(srv.URL + "/?unit=24")
	check("public page")
	p.shot("public-trend")
}
