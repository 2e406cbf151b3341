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
// program never had, and its period list shows the month the page shows.
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
	// A month asked for outside the term is listed, and selected.
	_, body = c.get("/submissions?form=THANG&period=202603")
	if !strings.Contains(body, `value="202603" selected`) {
		t.Errorf("the period list does not select the month asked for (03/2026)")
	}
}
