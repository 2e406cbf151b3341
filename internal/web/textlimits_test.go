package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/store/storetest"
	"mattran/internal/submission"
)

// A full name, a return reason, a report's text and a derived program's
// name have a length limit (issue 8, item 10): 1.5 MB of each was
// accepted, and the public program page grew to 3 MB. Each over-long one
// is refused, saying the limit, and nothing is written.
func TestTextLimits(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	s := h.Store
	ctx := context.Background()
	huge := strings.Repeat("Nguyen Van A ", 115_000) // 1.5 MB, and as much in the form
	admin := h.login("admin.tinh")

	before := writes(t, h)
	status, body := admin.post("/users", url.Values{"username": {"nguoi.dai"}, "full_name": {huge}, "role": {"viewer"}, "unit": {"24"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "tối đa 100 ký tự") || len(body) > 100_000 {
		t.Errorf("a new user with a 1.5 MB name = %d (%d bytes), want 400 naming the limit", status, len(body))
	}
	status, body = admin.post("/users/canbo.xa", url.Values{"full_name": {huge}, "role": {"officer"}, "unit": {"07201"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "tối đa 100 ký tự") {
		t.Errorf("renaming a user to 1.5 MB = %d, want 400", status)
	}
	if after := writes(t, h); after != before {
		t.Errorf("refused names wrote: %v → %v", before, after)
	}

	// A report sent, returned with a 1.5 MB reason.
	p, err := s.Program(ctx, prog)
	if err != nil {
		t.Fatal(err)
	}
	oct, _ := period.Parse("202410")
	commune, _ := s.UnitAt(ctx, "07201", "2024-10-31")
	if err := s.ImportSubmissions(ctx, storetest.Actor, p, []submission.Submission{{Program: prog, Form: "THANG", Unit: commune, Period: oct,
		Status: submission.Submitted, Narrative: "Ổn định.", Deadline: "2024-11-05", SubmittedAt: time.Date(2024, 11, 3, 2, 0, 0, 0, time.UTC), SubmittedBy: "canbo.xa"}}); err != nil {
		t.Fatal(err)
	}
	before = writes(t, h)
	leader := h.login("lanhdao.huyen")
	status, body = leader.post(decidePath("THANG", "07201", "202410", "return"), url.Values{"reason": {huge}})
	if status != http.StatusBadRequest || !strings.Contains(body, "tối đa 2000 ký tự") {
		t.Errorf("a 1.5 MB return reason = %d, want 400 naming the limit\n%s", status, excerpt(body))
	}
	if after := writes(t, h); after != before {
		t.Errorf("a refused return wrote: %v → %v", before, after)
	}

	// A monthly report's text.
	officer := h.login("canbo.xa2")
	status, body = officer.post(formPath("THANG", "07207", "202411"), url.Values{"narrative": {huge}, "action": {"save"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "tối đa 20.000") {
		t.Errorf("a 1.5 MB report text = %d, want 400 naming the limit\n%s", status, excerpt(body))
	}

	// A derived program's name.
	district, _ := s.UnitAt(ctx, "213", "2024-06-30")
	if _, err := s.DeriveProgram(ctx, storetest.Actor, prog, district, "Ủy ban MTTQ "+district.Name); err != nil {
		t.Fatal(err)
	}
	code := program.DerivedCode(prog, "213")
	before = writes(t, h)
	status, body = h.login("lanhdao.huyen").post("/cascade/programs/"+url.PathEscape(code), url.Values{"name": {huge}})
	if status != http.StatusBadRequest || !strings.Contains(body, "tối đa 300 ký tự") || len(body) > 200_000 {
		t.Errorf("a 1.5 MB program name = %d (%d bytes), want 400 naming the limit", status, len(body))
	}
	if after := writes(t, h); after != before {
		t.Errorf("a refused program name wrote: %v → %v", before, after)
	}
	if err := s.UpdateProgram(ctx, storetest.Actor, code, func(p *program.Program) error { p.Name = huge; return nil }); err == nil {
		t.Errorf("the store saved a 1.5 MB program name")
	}
	if _, err := s.UpdateUser(ctx, storetest.Actor, 1, huge, "viewer", district); err == nil {
		t.Errorf("the store saved a 1.5 MB full name")
	}
}
