package web_test

import (
	"context"
	"io"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"testing"

	"mattran/internal/notify"
	"mattran/internal/notify/smtptest"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// A district leader reminds a commune, returns one report and approves
// another: the commune's users find each on their home page, newest
// first, with the count of unread ones in every page's header; marking
// them read clears the count. With a mail server set, the mail job mails
// each notice once to the users with an address.
func TestNotifications(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		bulkReports(t, s)
		leader := h.login("lanhdao.huyen")
		for _, step := range []struct{ path, reason string }{
			{decidePath("THANG", "07216", "202410", "remind"), ""},
			{decidePath("THANG", "07207", "202410", "return"), "Thiếu số liệu khu dân cư"},
			{decidePath("THANG", "07201", "202410", "approve"), ""},
		} {
			form := url.Values{}
			if step.reason != "" {
				form.Set("reason", step.reason)
			}
			status, body := leader.post(step.path, form)
			expect(t, step.path, status, body, http.StatusSeeOther)
		}
		officer := h.login("canbo.xa") // 07201
		status, page := officer.get("/home")
		expect(t, "the commune's home", status, page, http.StatusOK, `id="thong-bao"`, "Đã duyệt", "đã được duyệt", `<span class="count">1</span>`)
		if strings.Contains(page, "Thiếu số liệu khu dân cư") {
			t.Error("07201's officer sees 07207's return")
		}
		other := h.login("canbo.xa2") // 07207
		status, page = other.get("/home")
		expect(t, "07207's home", status, page, http.StatusOK, "bị trả lại", "Lý do: Thiếu số liệu khu dân cư", `href="/entry/`+prog+`/THANG/07207/202410"`)
		status, page = other.post("/notifications/read", nil)
		expect(t, "mark read", status, page, http.StatusSeeOther)
		status, page = other.get("/submissions")
		expect(t, "another page after reading", status, page, http.StatusOK)
		if strings.Contains(page, `class="count"`) {
			t.Error("the header still counts notices after «Đánh dấu đã đọc tất cả»")
		}
		// The reminder went to 07216, which has no users here: it waits in
		// the table all the same.
		var n int
		if err := s.DB.QueryRow(`SELECT count(*) FROM notifications WHERE kind = 'reminder'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d reminders kept (%v), want 1", n, err)
		}

		// Mail: canbo.xa has an address; the others none.
		if _, err := s.DB.Exec(`UPDATE users SET email = 'canbo.xa@xa.test' WHERE username = 'canbo.xa'`); err != nil {
			t.Fatal(err)
		}
		srv := smtptest.Start(t)
		m := &notify.Mailer{Addr: srv.Addr, From: "mattran@test", Site: "http://mattran.test"}
		ctx := context.Background()
		for range 2 {
			if err := s.SendMail(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		msgs := srv.Messages()
		if len(msgs) != 1 || msgs[0].To[0] != "canbo.xa@xa.test" {
			t.Fatalf("mails sent: %+v, want one to canbo.xa", msgs)
		}
		parsed, err := mail.ReadMessage(strings.NewReader(msgs[0].Data))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(quotedprintable.NewReader(parsed.Body))
		if !strings.Contains(string(body), "đã được duyệt") || !strings.Contains(string(body), "http://mattran.test/entry/"+prog+"/THANG/07201/202410") {
			t.Errorf("the mail reads:\n%s", body)
		}
	})
}

// A user sets the address their notices are mailed to on their account
// page, audited; a wrong address is refused in words and nothing is kept.
func TestAccountEmail(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	c := h.login("canbo.xa")
	status, page := c.post("/account/email", url.Values{"email": {"An <an@xa.test>"}})
	expect(t, "a name and an address", status, page, http.StatusBadRequest, "không hợp lệ")
	before := auditCount(t, h.Store)
	status, page = c.post("/account/email", url.Values{"email": {" an@xa.test "}})
	expect(t, "an address", status, page, http.StatusSeeOther)
	status, page = c.get("/account?email=1")
	expect(t, "the account page", status, page, http.StatusOK, `value="an@xa.test"`, "Đã lưu địa chỉ nhận thông báo qua thư.")
	if got := auditCount(t, h.Store) - before; got != 1 {
		t.Errorf("%d audit entries for one change of address", got)
	}
}
