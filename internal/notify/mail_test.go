package notify_test

import (
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"mattran/internal/notify"
	"mattran/internal/notify/smtptest"
)

// A notice is mailed to each recipient on their own, with a Vietnamese
// subject and body that read back as written, and the link made whole.
func TestMailerSends(t *testing.T) {
	srv := smtptest.Start(t)
	m := &notify.Mailer{Addr: srv.Addr, From: "mattran@bacgiang.test", Site: "https://mattran.test/"}
	n := notify.Notice{Kind: notify.Returned, Title: "Báo cáo tháng 10/2024 bị trả lại: hãy sửa và gửi lại.", Body: "Lý do: Thiếu số liệu đoàn viên",
		Link: "/entry/P/THANG/07201/202410", At: time.Date(2024, 12, 10, 9, 0, 0, 0, time.UTC)}
	if err := m.Send(context.Background(), []string{"canbo@xa.test", "lanhdao@xa.test"}, n); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 || len(msgs[0].To) != 1 || msgs[0].To[0] != "canbo@xa.test" || msgs[1].To[0] != "lanhdao@xa.test" {
		t.Fatalf("messages %+v, want one to each recipient", msgs)
	}
	parsed, err := mail.ReadMessage(strings.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
	if err != nil || subject != "Trả lại: "+n.Title {
		t.Errorf("subject %q (%v)", subject, err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(parsed.Body))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{n.Body, "https://mattran.test/entry/P/THANG/07201/202410"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the body lacks %q:\n%s", want, body)
		}
	}
}

// Mail is off unless a server is set; a bad setting is refused in words.
func TestMailerConfig(t *testing.T) {
	var off notify.Mailer
	if off.On() || off.Send(context.Background(), []string{"a@b.test"}, notify.Notice{Title: "x"}) != nil {
		t.Error("the zero Mailer is on, or fails")
	}
	for _, m := range []notify.Mailer{{Addr: "smtp.test", From: "a@b.test"}, {Addr: "smtp.test:25", From: "khong phai dia chi"}} {
		if err := m.CheckConfig(); err == nil {
			t.Errorf("%+v accepted", m)
		}
	}
}

// A notice is checked: a unit, a title, a link on this site, bounded text.
func TestCheck(t *testing.T) {
	ok := notify.Notice{UnitID: 1, Title: "Nhắc nộp báo cáo", Link: "/entry"}
	if err := notify.Check(ok); err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]notify.Notice{
		"no unit":      {Title: "x"},
		"no title":     {UnitID: 1},
		"outside link": {UnitID: 1, Title: "x", Link: "https://evil.test/"},
		"// link":      {UnitID: 1, Title: "x", Link: "//evil.test/"},
		"long title":   {UnitID: 1, Title: strings.Repeat("ă", notify.MaxTitle+1)},
	} {
		if notify.Check(n) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
