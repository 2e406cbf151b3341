package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mattran/internal/rollup"
	"mattran/internal/store/storetest"
)

// An admin of the province declares how a split unit's fund is shared out;
// a rule by households without the element that counts them is refused,
// naming the element, and nothing is written.
func TestReassignRules(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	c := h.login("admin.tinh")
	if status, body := c.get("/reassign"); status != http.StatusOK || !strings.Contains(body, "CT2_QUY_VNN") || !strings.Contains(body, "Mặc định: chia theo số khu dân cư") {
		t.Fatalf("rules page: %d", status)
	}
	status, body := c.post("/reassign", url.Values{"element": {"CT2_QUY_VNN"}, "rule": {"households"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "CT2_QUY_VNN") || !strings.Contains(body, "cần chỉ số đếm số hộ") {
		t.Errorf("households without a weight: %d", status)
	}
	ctx := context.Background()
	if rules, _ := h.Store.ReassignRules(ctx); len(rules) != 0 {
		t.Errorf("a refused rule was written: %v", rules)
	}
	status, _ = c.post("/reassign", url.Values{"element": {"CT2_QUY_VNN"}, "rule": {"households"}, "weight": {"CT2_HGD_TONG"}})
	if status != http.StatusSeeOther {
		t.Fatalf("set: %d", status)
	}
	rules, _ := h.Store.ReassignRules(ctx)
	if r := rules["CT2_QUY_VNN"]; r.Kind != rollup.ByHouseholds || r.Weight != "CT2_HGD_TONG" || r.SetBy == "" {
		t.Errorf("rule stored: %+v", r)
	}
	if _, body := c.get("/reassign"); !strings.Contains(body, `<option value="households" selected>`) {
		t.Error("the page does not show the rule declared")
	}
	if entries, err := h.Store.AuditEntries(ctx, "reassign_rule", "CT2_QUY_VNN", 5); err != nil || len(entries) != 1 || entries[0].Actor != "admin.tinh" {
		t.Errorf("audit of the rule: %+v, %v", entries, err)
	}
	// Back to the default.
	if status, _ := c.post("/reassign", url.Values{"element": {"CT2_QUY_VNN"}, "rule": {"default"}}); status != http.StatusSeeOther {
		t.Fatalf("default: %d", status)
	}
	if rules, _ := h.Store.ReassignRules(ctx); len(rules) != 0 {
		t.Errorf("rules after going back to the default: %v", rules)
	}
}
