package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// targetRow is a target's row of a page: the home page's <tr id="T2.1">,
// else the scorecard's row whose code cell is the target (rowOf).
func targetRow(page, target string) string {
	if m := regexp.MustCompile(`(?s)<tr id="` + regexp.QuoteMeta(target) + `">.*?</tr>`).FindString(page); m != "" {
		return m
	}
	return rowOf(page, target)
}

// A computed figure links to the records behind it, on every page that
// shows it: the home page and the children table to the unit's books or
// cases; the public scorecard and children table to the public ledger
// only (cases are not public). A typed figure (2023, or a target no module
// computes) has no link, and a signed-in reader never gets a link to the
// records of a unit outside their subtree.
func TestFigureLinks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		// T2.1 computed by the ledger in 2024 (written through its own
		// write), typed in 2023; T3.1 counted by casework in 2024.
		if err := importCSV(s, "dataelement,period,orgunit,value\nCT2_QUY_VNN,2024,24,25000000000\nCT2_QUY_VNN,2024,213,2000000000\n"+
			"CT2_QUY_VNN,2023,24,51000000000\nCT3_GIAMSAT,2024,213,2\nCT1_CTV,2024,24,120\n"); err != nil {
			t.Fatal(err)
		}
		tinh := h.login("admin.tinh")
		home := func(c *client, u, year string) string {
			t.Helper()
			status, body := c.get("/home?program=" + prog + "&unit=" + u + "&period=" + year)
			if status != http.StatusOK {
				t.Fatalf("home %s %s: %d", u, year, status)
			}
			return body
		}
		page := home(tinh, "24", "2024")
		if r := targetRow(page, "T2.1"); !strings.Contains(r, `href="/fund?unit=24&amp;year=2024"`) {
			t.Errorf("home 2024: T2.1 does not link to the province's books:\n%s", r)
		}
		if r := targetRow(page, "T1.1"); strings.Contains(r, `class="cases"`) {
			t.Errorf("home 2024: the typed T1.1 links to records:\n%s", r)
		}
		if r := targetRow(home(tinh, "24", "2023"), "T2.1"); r == "" || strings.Contains(r, "/fund?") {
			t.Errorf("home 2023: the typed T2.1 links to the books:\n%s", r)
		}
		if r := targetRow(home(tinh, "213", "2024"), "T3.1"); !strings.Contains(r, `href="/cases/stats?unit=213&amp;year=2024"`) {
			t.Errorf("home of 213: T3.1 does not link to its cases:\n%s", r)
		}

		// The children table: each unit's computed figure links to its
		// own records.
		_, kids := tinh.get("/home/children?program=" + prog + "&unit=24&period=2024")
		for _, want := range []string{`href="/fund?unit=213&amp;year=2024"`, `href="/cases/stats?unit=213&amp;year=2024"`} {
			if !strings.Contains(kids, want) {
				t.Errorf("children table lacks %s", want)
			}
		}
		_, kids2023 := tinh.get("/home/children?program=" + prog + "&unit=24&period=2023")
		if strings.Contains(kids2023, "/fund?") || strings.Contains(kids2023, `class="records"`) {
			t.Error("the 2023 children table links typed figures to records")
		}

		// The public pages, for a visitor and for a signed-in commune
		// officer outside the province's and the district's subtree.
		for _, c := range []struct {
			who string
			cl  *client
		}{{"visitor", h.anonymous()}, {"canbo.xa", h.login("canbo.xa")}} {
			_, card := c.cl.get("/?program=" + prog + "&unit=24&period=2024")
			if r := targetRow(card, "T2.1"); !strings.Contains(r, `href="/public/fund?year=2024"`) {
				t.Errorf("%s: scorecard's T2.1 does not link to the public ledger:\n%s", c.who, r)
			}
			_, pub := c.cl.get("/public/children?program=" + prog + "&unit=24&period=2024")
			for name, body := range map[string]string{"scorecard": card, "public children": pub} {
				if strings.Contains(body, "/fund?unit=") || strings.Contains(body, "/cases/stats") {
					t.Errorf("%s: the %s links into the unit's own records", c.who, name)
				}
			}
			if !strings.Contains(pub, `href="/public/fund?year=2024"`) {
				t.Errorf("%s: the public children table does not link 213's T2.1 to the public ledger", c.who)
			}
			_, card2023 := c.cl.get("/?program=" + prog + "&unit=24&period=2023")
			if r := targetRow(card2023, "T2.1"); r == "" || strings.Contains(r, "/public/fund") {
				t.Errorf("%s: the 2023 scorecard links the typed T2.1:\n%s", c.who, r)
			}
		}
		// A district reader sees no link into a sibling's records: the
		// page itself is refused.
		if status, _ := h.login("lanhdao.huyen2").get("/home/children?program=" + prog + "&unit=213&period=2024"); status != http.StatusForbidden {
			t.Errorf("a reader of 215 opens 213's children table: %d", status)
		}
	})
}
