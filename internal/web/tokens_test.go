package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"mattran/internal/store/storetest"
)

var shownToken = regexp.MustCompile(`<code>(mt_[A-Za-z0-9_-]+)</code>`)

// A user lists, names, issues and revokes their own API tokens at
// /account; a password change offers to revoke them; an admin's reset
// does too, and disabling revokes them for good (issue 8, item 4).
func TestTokensInTheWebApp(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	ctx := context.Background()
	opens := func(token string) bool {
		_, err := h.Store.UserByToken(ctx, token)
		return err == nil
	}
	c := h.login("canbo.xa")
	if status, body := c.get("/account"); status != http.StatusOK || !strings.Contains(body, "Chưa có mã truy cập nào") {
		t.Fatalf("GET /account = %d", status)
	}
	issue := func(c *client, path, name string) string {
		t.Helper()
		status, body := c.post(path, url.Values{"name": {name}, "days": {"30"}})
		m := shownToken.FindStringSubmatch(body)
		if status != http.StatusOK || m == nil || !strings.Contains(body, "chỉ hiện một lần") {
			t.Fatalf("POST %s = %d, no token shown\n%s", path, status, excerpt(body))
		}
		return m[1]
	}
	first := issue(c, "/account/tokens", "Đồng bộ DHIS2")
	second := issue(c, "/account/tokens", "Bảng tính tự động")
	if !opens(first) || !opens(second) {
		t.Fatal("issued tokens do not open the API")
	}
	_, body := c.get("/account")
	if strings.Count(body, "Đang dùng") != 2 || !strings.Contains(body, first[len(first)-4:]) || strings.Contains(body, first) {
		t.Errorf("the list shows the wrong tokens, or a whole token\n%s", excerpt(body))
	}
	if status, body := c.post("/account/tokens", url.Values{"name": {""}, "days": {"30"}}); status != http.StatusBadRequest || !strings.Contains(body, "Hãy đặt tên") {
		t.Errorf("a token without a name = %d", status)
	}

	// Revoke one from the list.
	id := regexp.MustCompile(`action="/account/tokens/(\d+)/revoke"`).FindStringSubmatch(body)
	if id == nil {
		t.Fatal("no revoke button")
	}
	if status, _ := c.post("/account/tokens/"+id[1]+"/revoke", nil); status != http.StatusSeeOther {
		t.Errorf("revoke = %d", status)
	}
	if opens(first) == opens(second) {
		t.Errorf("after revoking one, both tokens open %v", opens(first))
	}

	// A password change, with the box ticked, revokes the rest.
	if status, body := c.post("/account/password", url.Values{"current": {testPassword}, "password": {"mat-khau-moi-2025"}, "confirm": {"mat-khau-moi-2025"}, "revoke_tokens": {"1"}}); status != http.StatusSeeOther || !strings.Contains(body, "revoked=1") {
		t.Errorf("password change with revoke = %d %s", status, body)
	}
	if opens(first) || opens(second) {
		t.Error("a token still opens after the password change revoked them")
	}

	// An admin's reset: without the box, the token stays; with it, it goes.
	admin := h.login("admin.huyen")
	kept := issue(admin, "/users/canbo.xa2/tokens", "Máy của xã")
	admin.post("/users/canbo.xa2/password", nil)
	if !opens(kept) {
		t.Error("a reset without the box revoked the token")
	}
	if status, body := admin.post("/users/canbo.xa2/password", url.Values{"revoke_tokens": {"1"}}); status != http.StatusOK || !strings.Contains(body, "Đã thu hồi 1 mã truy cập API") {
		t.Errorf("reset with revoke = %d", status)
	}
	if opens(kept) {
		t.Error("a reset with the box left the token working")
	}

	// Disabling revokes; enabling again brings nothing back.
	again := issue(admin, "/users/canbo.xa2/tokens", "Máy của xã, lần hai")
	admin.post("/users/canbo.xa2/disable", nil)
	admin.post("/users/canbo.xa2/enable", nil)
	if opens(again) {
		t.Error("re-enabling the user brought their token back")
	}
	if _, body := admin.get("/users/canbo.xa2"); !strings.Contains(body, "Đã thu hồi") || !strings.Contains(body, "bởi admin.huyen") {
		t.Errorf("the user's page does not show the revoked tokens\n%s", excerpt(body))
	}
}
