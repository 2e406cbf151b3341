package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"mattran/internal/store/storetest"
)

// TestCompletenessAfterTheTerm: two years after the program's term ended,
// the completeness page opens on the term's last month, not on a month the
// program never had, and its period list shows the month the page shows;
// a month outside the term is refused.
func TestCompletenessAfterTheTerm(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	h.now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	c := h.login("canbo.xa")
	status, body := c.get("/submissions")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if !strings.Contains(body, "Tháng 12/2024") || strings.Contains(body, "Tháng 10/2026") {
		t.Errorf("the page does not open on December 2024:\n%s", body)
	}
	if !strings.Contains(body, `value="202412" selected`) {
		t.Errorf("the period list does not select December 2024")
	}
	// A month asked for outside the term has no reports to show.
	if status, body := c.get("/submissions?form=THANG&period=202603"); status != http.StatusBadRequest || !strings.Contains(body, "ngoài nhiệm kỳ") {
		t.Errorf("March 2026 = %d, want 400 naming the term", status)
	}
}

// The completeness page refuses a period outside the program's term, and
// so writes no counts for it.
func TestCompletenessOutsideTheTerm(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	c := h.login("xem.tinh")
	var before, after int
	h.Store.DB.QueryRow(`SELECT count(*) FROM data_values`).Scan(&before)
	if status, body := c.get("/submissions?program=BG-CTHD-2019-2024&form=THANG&period=201001&unit=24"); status != http.StatusBadRequest || !strings.Contains(body, "ngoài nhiệm kỳ") {
		t.Errorf("January 2010 = %d", status)
	}
	h.Store.DB.QueryRow(`SELECT count(*) FROM data_values`).Scan(&after)
	if after != before {
		t.Errorf("opening the page for 2010 wrote %d values", after-before)
	}
}
