package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/web"
)

// Pages read from the kept evaluations (mattran evals build) show what
// they showed computed from the values.
func TestKeptEvaluationPagesReadAsComputed(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\n"+
			"CT2_HGD_TONG,2024,KDC-1,100\nCT2_HGD_VANHOA,2024,KDC-1,95\nCT2_HGD_TONG,2024,KDC-3,80\nCT2_HGD_VANHOA,2024,KDC-3,70\n"+
			"CT2_QUY_VNN,2024,24,5000000000\nCT3_GIAMSAT,2024,213,1\nCT1_BAO_DDK,2024,24,90\n"); err != nil {
			t.Fatal(err)
		}
		paths := []string{"/?period=2024", "/?unit=213&period=2024", "/?unit=07201&period=2024", "/public/children?unit=24&period=2024", "/?period=2024Q2",
			"/public/children?unit=213&period=2024", "/public/children?unit=24&period=2024Q2", "/public/children?unit=24&period=2024&target=T2.5",
			"/public/children?unit=213&period=2024&target=T1.4"}
		computed := map[string]string{}
		c := h.anonymous()
		for _, p := range paths {
			status, page := c.get(p)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d", p, status)
			}
			computed[p] = page
		}
		for _, per := range []string{"2024", "2024Q2"} {
			if err := s.BuildEvals(context.Background(), "BG-CTHD-2019-2024", period.MustParse(per)); err != nil {
				t.Fatal(err)
			}
		}
		// A second server over the same database: nothing cached.
		mux := http.NewServeMux()
		(&web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Imports: h.Import}).Register(mux)
		srv := httptest.NewServer(mux)
		defer srv.Close()
		kept := h.anonymous()
		kept.base = srv.URL
		nonce := regexp.MustCompile(`nonce-[^'"]+|nonce="[^"]*"`)
		for _, p := range paths {
			status, page := kept.get(p)
			if status != http.StatusOK {
				t.Fatalf("GET %s from the kept evaluations: %d", p, status)
			}
			if got, want := nonce.ReplaceAllString(page, ""), nonce.ReplaceAllString(computed[p], ""); got != want {
				t.Errorf("GET %s from the kept evaluations differs from the page computed from the values:\n%s", p, firstDiff(got, want))
			}
		}
	})
}

// firstDiff shows where two pages part.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "kept:     …" + a[from:min(len(a), i+200)] + "\ncomputed: …" + b[from:min(len(b), i+200)]
}
