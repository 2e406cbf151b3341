package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mattran/internal/store/storetest"
)

// Reports exist only within the program's term (issue 8, item 5): sending
// the monthly report of January 2010 for the 2019–2024 program, or
// reminding a unit of it, is refused and writes nothing, as /submissions
// refuses such a period.
func TestReportsOutsideTermRefused(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	officer := h.login("canbo.xa")
	leader := h.login("lanhdao.huyen")
	count := func() (n int) {
		if err := h.Store.DB.QueryRow(`SELECT (SELECT count(*) FROM submissions) + (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM value_changes)`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	for _, c := range []struct {
		who    *client
		method string
		path   string
		form   url.Values
	}{
		{officer, http.MethodGet, formPath("THANG", "07201", "201001"), nil},
		{officer, http.MethodPost, formPath("THANG", "07201", "201001"), url.Values{"narrative": {"Ổn định."}, "narrative_loaded": {""}, "action": {"submit"}}},
		{officer, http.MethodPost, formPath("THANG", "07201", "203001"), url.Values{"narrative": {"Ổn định."}, "narrative_loaded": {""}, "action": {"save"}}},
		{leader, http.MethodPost, decidePath("THANG", "07201", "201001", "remind"), url.Values{}},
	} {
		var status int
		var body string
		if c.method == http.MethodGet {
			status, body = c.who.get(c.path)
		} else {
			status, body = c.who.post(c.path, c.form)
		}
		if status != http.StatusBadRequest || !strings.Contains(body, "nằm ngoài nhiệm kỳ của chương trình (2019–2024)") {
			t.Errorf("%s %s = %d, want 400 naming the term\n%s", c.method, c.path, status, excerpt(body))
		}
	}
	if after := count(); after != before {
		t.Errorf("refused out-of-term reports wrote: %d → %d rows", before, after)
	}
	// Within the term, the same form opens.
	if status, _ := officer.get(formPath("THANG", "07201", "202410")); status != http.StatusOK {
		t.Errorf("the form of 10/2024 = %d", status)
	}
}
