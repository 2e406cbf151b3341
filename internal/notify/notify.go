// Package notify tells users what happened to them: a reminder to send a
// report, a report returned or approved, and whatever other modules want
// a unit's users to know (thông báo). A notice is written in the same
// transaction as the event it tells of, so one never exists without the
// other; it shows on the users' home page with a count in the header, and
// is e-mailed when a mail server is set (Mailer). The package holds the
// notices' kinds and words; internal/store keeps them, internal/web shows
// them.
package notify

import (
	"context"
	"strings"
	"time"

	"mattran/internal/errs"
	"mattran/internal/limits"
)

// Kind is what a notice is about.
type Kind string

const (
	Reminder Kind = "reminder" // the level above asks for a report
	Returned Kind = "returned" // a report was returned (or reopened) to be corrected
	Approved Kind = "approved" // a report was approved
	Other    Kind = "other"    // another module's notice
)

// Label is the kind as the list writes it.
func (k Kind) Label() string {
	switch k {
	case Reminder:
		return "Nhắc nhở"
	case Returned:
		return "Trả lại"
	case Approved:
		return "Đã duyệt"
	}
	return "Thông báo"
}

// Notice is one notice to the users of a unit (UserID 0), or to one user.
type Notice struct {
	ID     int64
	Kind   Kind
	UnitID int64 // whose users are told
	UserID int64 // one user only; 0: every user of the unit
	Title  string
	Body   string // a line more: a reason, a deadline
	Link   string // where to act: a path on this site
	Actor  string // who caused it
	At     time.Time
	Read   bool // for the user reading the list
}

// Limits on a notice's text: a title is one line, a body a reason.
const (
	MaxTitle = 300
	MaxBody  = 2000
	MaxLink  = 500
)

// Writer is what writing a notice asks of the transaction of the event
// (store.Tx implements it).
type Writer interface {
	Notify(ctx context.Context, n Notice) error
}

// Send checks a notice and writes it in the event's transaction. It is
// the hook every module uses: casework, the fund or a registry tell a
// unit's users something by calling Send with their own transaction.
func Send(ctx context.Context, tx Writer, n Notice) error {
	if err := Check(n); err != nil {
		return err
	}
	if n.Kind == "" {
		n.Kind = Other
	}
	return tx.Notify(ctx, n)
}

// Check is the one validation of a notice.
func Check(n Notice) error {
	switch {
	case n.UnitID == 0:
		return errs.New(errs.Invalid, "Thông báo không có đơn vị nhận.")
	case strings.TrimSpace(n.Title) == "":
		return errs.New(errs.Invalid, "Thông báo không có tiêu đề.")
	case n.Link != "" && (!strings.HasPrefix(n.Link, "/") || strings.HasPrefix(n.Link, "//")):
		return errs.New(errs.Invalid, "Đường dẫn của thông báo phải là một trang của hệ thống (bắt đầu bằng «/»).")
	}
	for _, f := range []struct {
		name, text string
		max        int
	}{{"Tiêu đề thông báo", n.Title, MaxTitle}, {"Nội dung thông báo", n.Body, MaxBody}, {"Đường dẫn thông báo", n.Link, MaxLink}} {
		if msg := limits.TooLong(f.name, f.text, f.max); msg != "" {
			return errs.New(errs.Invalid, "%s", msg)
		}
	}
	return nil
}
