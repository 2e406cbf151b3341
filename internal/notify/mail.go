package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"mattran/internal/errs"
)

// Mailer sends notices by e-mail through an SMTP server. The zero Mailer
// (no Addr) sends nothing: e-mail is off unless a server is set
// (mattran serve --smtp, or MATTRAN_SMTP).
type Mailer struct {
	Addr string // host:port of the SMTP server
	From string // the sender's address
	// Username and Password sign in (PLAIN), only over TLS: STARTTLS when
	// the server offers it. Empty: no sign-in.
	Username, Password string
	// Site is the address users open the system at, to make the notice's
	// link whole: "https://mattran.bacgiang.gov.vn".
	Site    string
	Timeout time.Duration // for the whole conversation; 30 s by default
}

// On reports whether e-mail is set up.
func (m *Mailer) On() bool { return m != nil && m.Addr != "" }

// CheckConfig says what is wrong with a mail setting, before the server
// starts: an address without a port, a sender that is no address.
func (m *Mailer) CheckConfig() error {
	if !m.On() {
		return nil
	}
	if _, _, err := net.SplitHostPort(m.Addr); err != nil {
		return errs.New(errs.Invalid, "Máy chủ thư %q phải có dạng máy:cổng, ví dụ smtp.example.vn:587.", m.Addr)
	}
	if _, err := mail.ParseAddress(m.From); err != nil {
		return errs.New(errs.Invalid, "Địa chỉ gửi thư %q không hợp lệ.", m.From)
	}
	return nil
}

// Send mails one notice to its recipients, each getting their own copy
// (no one sees the others' addresses).
func (m *Mailer) Send(ctx context.Context, to []string, n Notice) error {
	if !m.On() || len(to) == 0 {
		return nil
	}
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", m.Addr, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	host, _, _ := net.SplitHostPort(m.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", m.Addr, err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return fmt.Errorf("smtp %s: STARTTLS: %w", m.Addr, err)
		}
	}
	if m.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, host)); err != nil {
			return fmt.Errorf("smtp %s: sign-in: %w", m.Addr, err)
		}
	}
	for _, rcpt := range to {
		msg, err := m.message(rcpt, n)
		if err != nil {
			return err
		}
		if err := c.Mail(m.From); err != nil {
			return fmt.Errorf("smtp MAIL FROM: %w", err)
		}
		if err := c.Rcpt(rcpt); err != nil {
			return fmt.Errorf("smtp RCPT TO %s: %w", rcpt, err)
		}
		w, err := c.Data()
		if err != nil {
			return fmt.Errorf("smtp DATA: %w", err)
		}
		if _, err := w.Write(msg); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return fmt.Errorf("smtp DATA: %w", err)
		}
	}
	return c.Quit()
}

// message is a notice as a mail: a Vietnamese subject (RFC 2047) and a
// quoted-printable UTF-8 text body with the link made whole.
func (m *Mailer) message(to string, n Notice) ([]byte, error) {
	var body bytes.Buffer
	qp := quotedprintable.NewWriter(&body)
	text := n.Title + "\r\n"
	if n.Body != "" {
		text += "\r\n" + n.Body + "\r\n"
	}
	if n.Link != "" {
		text += "\r\nXem và xử lý: " + strings.TrimRight(m.Site, "/") + n.Link + "\r\n"
	}
	text += "\r\n--\r\nThư tự động của hệ thống theo dõi chương trình hành động MTTQ Việt Nam. Không trả lời thư này.\r\n"
	if _, err := qp.Write([]byte(text)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	var msg bytes.Buffer
	subject := strings.NewReplacer("\r", " ", "\n", " ").Replace(n.Kind.Label() + ": " + n.Title)
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
		m.From, to, mime.QEncoding.Encode("UTF-8", subject), n.At.Format(time.RFC1123Z))
	msg.Write(body.Bytes())
	return msg.Bytes(), nil
}
