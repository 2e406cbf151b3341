package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// signIn signs a user in with a password and reports the status.
func (h *harness) signIn(name, password string) (*client, int) {
	c := h.anonymous()
	c.get("/login")
	status, _ := c.post("/login", url.Values{"username": {name}, "password": {password}})
	c.get("/account/password")
	return c, status
}

var shownPassword = regexp.MustCompile(`<code>([^<]+)</code>`)

func TestUserRoutesByRole(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	for _, name := range []string{"canbo.tinh", "xem.tinh", "lanhdao.tinh", "lanhdao.huyen", "canbo.xa"} {
		c := h.login(name)
		for _, r := range []struct {
			method, path string
		}{
			{"GET", "/users"}, {"GET", "/users/new"}, {"GET", "/users/canbo.xa"},
			{"POST", "/users"}, {"POST", "/users/canbo.xa"}, {"POST", "/users/canbo.xa/disable"},
			{"POST", "/users/canbo.xa/enable"}, {"POST", "/users/canbo.xa/password"},
		} {
			var status int
			var body string
			if r.method == "GET" {
				status, body = c.get(r.path)
			} else {
				status, body = c.post(r.path, url.Values{"username": {"moi.nguoi"}, "full_name": {"A"}, "role": {"admin"}, "unit": {"24"}})
			}
			if status != http.StatusForbidden || !strings.Contains(body, "Chỉ quản trị viên") {
				t.Errorf("%s %s %s = %d, want 403", name, r.method, r.path, status)
			}
		}
	}
	if status, _ := h.anonymous().get("/users"); status != http.StatusSeeOther {
		t.Errorf("anonymous GET /users = %d", status)
	}
}

func TestUserManagement(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		admin := h.login("admin.huyen")

		// The list holds the district's users and none of the province's
		// or the sibling district's.
		status, page := admin.get("/users")
		if status != 200 || !strings.Contains(page, "canbo.xa") || !strings.Contains(page, "lanhdao.huyen<") ||
			strings.Contains(page, "lanhdao.huyen2") || strings.Contains(page, "admin.tinh") {
			t.Errorf("GET /users = %d\n%s", status, page)
		}

		// Outside the subtree (403), or badly typed (400): refused, with the
		// error beside its field, and nothing created.
		for _, c := range []struct {
			name    string
			form    url.Values
			status  int
			field   string // the input the error follows
			message string
		}{
			{"at the province", url.Values{"username": {"moi.tinh"}, "full_name": {"Nguyễn Văn A"}, "role": {"officer"}, "unit": {"24"}}, 403, "unit", "nằm ngoài phạm vi quản lý của bạn"},
			{"in a sibling district", url.Values{"username": {"moi.yenthe"}, "full_name": {"Nguyễn Văn A"}, "role": {"admin"}, "unit": {"215"}}, 403, "unit", "nằm ngoài phạm vi quản lý của bạn"},
			{"an unknown unit", url.Values{"username": {"moi.xa"}, "full_name": {"Nguyễn Văn A"}, "role": {"officer"}, "unit": {"99999"}}, 400, "unit", "Không có đơn vị mã 99999"},
			{"a bad name", url.Values{"username": {"Nguyễn"}, "full_name": {"Nguyễn Văn A"}, "role": {"officer"}, "unit": {"07201"}}, 400, "username", "không hợp lệ"},
			{"a short password", url.Values{"username": {"moi.xa"}, "full_name": {"Nguyễn Văn A"}, "role": {"officer"}, "unit": {"07201"}, "password": {"ngan"}}, 400, "password", "ít nhất 10 ký tự"},
			{"a bad role", url.Values{"username": {"moi.xa"}, "full_name": {"Nguyễn Văn A"}, "role": {"root"}, "unit": {"07201"}}, 400, "role", "không hợp lệ"},
			{"a taken name", url.Values{"username": {"canbo.xa"}, "full_name": {"Nguyễn Văn A"}, "role": {"officer"}, "unit": {"07201"}}, 409, "username", "đã có người dùng"},
		} {
			status, page := admin.post("/users", c.form)
			if status != c.status || !strings.Contains(page, c.message) {
				t.Errorf("create %s = %d, want %d with %q", c.name, status, c.status, c.message)
				continue
			}
			// The message follows its own field's input.
			field := strings.Index(page, `name="`+c.field+`"`)
			msg := strings.Index(page, c.message)
			if field < 0 || msg < field || strings.Contains(page[field:msg], "</label>") {
				t.Errorf("create %s: the error is not beside the %s field", c.name, c.field)
			}
		}
		if _, err := s.UserByUsername(t.Context(), "moi.tinh"); err == nil {
			t.Error("a user was created at the province by a district admin")
		}

		// A user of a commune of the district, with a generated password
		// shown once, who can then sign in.
		status, page = admin.post("/users", url.Values{"username": {"canbo.moi"}, "full_name": {"Trần Thị B"}, "role": {"officer"}, "unit": {"07201"}})
		m := shownPassword.FindStringSubmatch(page)
		if status != 200 || m == nil || !strings.Contains(page, "Mật khẩu chỉ hiện một lần") {
			t.Fatalf("create canbo.moi = %d\n%s", status, page)
		}
		if _, status := h.signIn("canbo.moi", m[1]); status != http.StatusSeeOther {
			t.Errorf("the new user cannot sign in with the password shown: %d", status)
		}
		if _, page := admin.get("/users"); strings.Contains(page, m[1]) {
			t.Error("the password shows again on the list")
		}
		// With a password typed by the admin.
		if status, body := admin.post("/users", url.Values{"username": {"xem.moi"}, "full_name": {"Lê Văn C"}, "role": {"viewer"}, "unit": {"KDC-1"}, "password": {"mat-khau-cua-c"}}); status != http.StatusSeeOther || !strings.Contains(body, "/users?created=xem.moi") {
			t.Errorf("create xem.moi = %d %s", status, body)
		}
		if _, status := h.signIn("xem.moi", "mat-khau-cua-c"); status != http.StatusSeeOther {
			t.Errorf("xem.moi cannot sign in: %d", status)
		}

		// Change a role; moving a user to a sibling district is refused.
		if status, _ := admin.post("/users/canbo.moi", url.Values{"full_name": {"Trần Thị B"}, "role": {"leader"}, "unit": {"07207"}}); status != http.StatusSeeOther {
			t.Errorf("update canbo.moi = %d", status)
		}
		if u, _ := s.UserByUsername(t.Context(), "canbo.moi"); u.Role != "leader" || u.Unit.Code != "07207" {
			t.Errorf("canbo.moi is %s at %s", u.Role, u.Unit.Code)
		}
		if status, page := admin.post("/users/canbo.moi", url.Values{"full_name": {"Trần Thị B"}, "role": {"leader"}, "unit": {"07243"}}); status != 403 || !strings.Contains(page, "ngoài phạm vi quản lý") {
			t.Errorf("move to a sibling district = %d", status)
		}
		// Users outside the subtree cannot be touched; nor can the admin
		// disable or demote themselves.
		for _, path := range []string{"/users/lanhdao.huyen2", "/users/lanhdao.huyen2/disable", "/users/admin.tinh/password", "/users/admin.huyen/disable"} {
			if status, _ := admin.post(path, url.Values{"full_name": {"X"}, "role": {"viewer"}, "unit": {"213"}}); status != http.StatusForbidden {
				t.Errorf("POST %s = %d, want 403", path, status)
			}
		}
		if status, page := admin.post("/users/admin.huyen", url.Values{"full_name": {"Quản trị huyện"}, "role": {"viewer"}, "unit": {"213"}}); status != 400 || !strings.Contains(page, "không thể tự đổi vai trò") {
			t.Errorf("self-demotion = %d", status)
		}

		// Disabling signs the user out and keeps them out; enabling lets
		// them back in.
		victim := h.login("canbo.xa")
		if status, _ := admin.post("/users/canbo.xa/disable", nil); status != http.StatusSeeOther {
			t.Errorf("disable = %d", status)
		}
		if status, _ := victim.get("/account/password"); status != http.StatusSeeOther {
			t.Errorf("a disabled user's session still opens pages: %d", status)
		}
		if _, status := h.signIn("canbo.xa", testPassword); status != http.StatusUnauthorized {
			t.Errorf("a disabled user signs in: %d", status)
		}
		if _, page := admin.get("/users"); !strings.Contains(page, "Đã khóa") {
			t.Error("the list does not show the disabled user")
		}
		admin.post("/users/canbo.xa/enable", nil)
		if _, status := h.signIn("canbo.xa", testPassword); status != http.StatusSeeOther {
			t.Errorf("an enabled user cannot sign in: %d", status)
		}

		// A reset gives a new password, shown once; the old one stops.
		status, page = admin.post("/users/canbo.xa/password", nil)
		m = shownPassword.FindStringSubmatch(page)
		if status != 200 || m == nil {
			t.Fatalf("reset = %d", status)
		}
		if _, status := h.signIn("canbo.xa", testPassword); status != http.StatusUnauthorized {
			t.Errorf("the old password still works: %d", status)
		}
		if _, status := h.signIn("canbo.xa", m[1]); status != http.StatusSeeOther {
			t.Errorf("the new password does not work: %d", status)
		}

		// Every change is in the audit log, by the admin.
		entries, err := s.AuditEntries(t.Context(), "user", "", 100)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, e := range entries {
			if e.Actor == "admin.huyen" {
				got[e.Action+" "+e.EntityKey] = true
			}
		}
		for _, want := range []string{"create canbo.moi", "create xem.moi", "update canbo.moi", "disable canbo.xa", "enable canbo.xa", "set_password canbo.xa"} {
			if !got[want] {
				t.Errorf("no audit entry %q; have %v", want, got)
			}
		}
	})
}
