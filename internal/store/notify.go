package store

import (
	"context"
	"database/sql"
	"time"

	"mattran/internal/notify"
	"mattran/internal/user"
)

// Notify writes a notice in the transaction of the event it tells of
// (notify.Send checks it first).
func (tx *Tx) Notify(ctx context.Context, n notify.Notice) error {
	var userID sql.NullInt64
	if n.UserID != 0 {
		userID = sql.NullInt64{Int64: n.UserID, Valid: true}
	}
	_, err := tx.exec(ctx, `INSERT INTO notifications (kind, unit_id, user_id, title, body, link, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		string(n.Kind), n.UnitID, userID, n.Title, n.Body, n.Link, n.Actor, tx.now.UTC())
	return err
}

// noticeWindow is how far back the list and the count look: a notice
// older than this has been acted on or forgotten.
const noticeWindow = 90 * 24 * time.Hour

// Notifications are the notices of a user, newest first: those to their
// unit and those to them, of the last 90 days, each marked read or not
// for this user.
func (s *Store) Notifications(ctx context.Context, u user.User, limit int) ([]notify.Notice, error) {
	// Asked by every page's header: through a kept statement (prepared.go).
	rows, err := s.prepared().QueryContext(ctx, `SELECT n.id, n.kind, n.unit_id, n.title, n.body, n.link, n.actor, n.at, r.user_id IS NOT NULL
		FROM notifications n LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = $1
		WHERE n.unit_id = $2 AND (n.user_id IS NULL OR n.user_id = $1) AND n.at >= $3
		ORDER BY n.at DESC, n.id DESC LIMIT $4`, u.ID, u.Unit.ID, s.now().Add(-noticeWindow).UTC(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []notify.Notice
	for rows.Next() {
		var n notify.Notice
		var kind string
		if err := rows.Scan(&n.ID, &kind, &n.UnitID, &n.Title, &n.Body, &n.Link, &n.Actor, &n.At, &n.Read); err != nil {
			return nil, err
		}
		n.Kind = notify.Kind(kind)
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadNotifications counts a user's notices not yet read: the number in
// the page header.
func (s *Store) UnreadNotifications(ctx context.Context, u user.User) (int, error) {
	var n int
	err := s.prepared().QueryRowContext(ctx, `SELECT count(*) FROM notifications n
		WHERE n.unit_id = $1 AND (n.user_id IS NULL OR n.user_id = $2) AND n.at >= $3
		AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = $2)`,
		u.Unit.ID, u.ID, s.now().Add(-noticeWindow).UTC()).Scan(&n)
	return n, err
}

// MarkNotificationsRead marks every notice the user has as read. A read
// mark is the user's own view state, like a session, not a change to the
// record: it is not audited.
func (s *Store) MarkNotificationsRead(ctx context.Context, u user.User) error {
	_, err := s.DB.ExecContext(ctx, `INSERT INTO notification_reads (notification_id, user_id, at)
		SELECT n.id, $1, $2 FROM notifications n
		WHERE n.unit_id = $3 AND (n.user_id IS NULL OR n.user_id = $1) AND n.at >= $4
		AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = $1)`,
		u.ID, s.now().UTC(), u.Unit.ID, s.now().Add(-noticeWindow).UTC())
	return err
}

// Mail is a notice waiting to be e-mailed, with its recipients' addresses.
type Mail struct {
	Notice notify.Notice
	To     []string
}

// mailWindow: a notice not mailed within a day (mail was off, or failing)
// is not mailed late; the home page still shows it.
const mailWindow = 24 * time.Hour

// PendingMail returns up to limit notices not yet mailed, oldest first,
// each with the e-mail addresses of the users it is for (enabled users
// with an address). Older ones are marked done without mail.
func (s *Store) PendingMail(ctx context.Context, limit int) ([]Mail, error) {
	if _, err := s.DB.ExecContext(ctx, `UPDATE notifications SET mailed = 1 WHERE mailed = 0 AND at < $1`, s.now().Add(-mailWindow).UTC()); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, kind, unit_id, COALESCE(user_id, 0), title, body, link, actor, at FROM notifications WHERE mailed = 0 ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	var out []Mail
	for rows.Next() {
		var n notify.Notice
		var kind string
		if err := rows.Scan(&n.ID, &kind, &n.UnitID, &n.UserID, &n.Title, &n.Body, &n.Link, &n.Actor, &n.At); err != nil {
			rows.Close()
			return nil, err
		}
		n.Kind = notify.Kind(kind)
		out = append(out, Mail{Notice: n})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		n := out[i].Notice
		rs, err := s.DB.QueryContext(ctx, `SELECT email FROM users WHERE unit_id = $1 AND ($2 = 0 OR id = $2) AND email <> '' AND disabled = $3 ORDER BY id`,
			n.UnitID, n.UserID, false)
		if err != nil {
			return nil, err
		}
		for rs.Next() {
			var e string
			if err := rs.Scan(&e); err != nil {
				rs.Close()
				return nil, err
			}
			out[i].To = append(out[i].To, e)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MarkMailed marks a notice as mailed.
func (s *Store) MarkMailed(ctx context.Context, id int64) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE notifications SET mailed = 1 WHERE id = $1`, id)
	return err
}

// SendMail is the mail job's run: the pending notices, each mailed and
// marked in turn, so a failure leaves the rest for the next run.
func (s *Store) SendMail(ctx context.Context, m *notify.Mailer) error {
	mails, err := s.PendingMail(ctx, 200)
	if err != nil {
		return err
	}
	for _, ml := range mails {
		if err := m.Send(ctx, ml.To, ml.Notice); err != nil {
			return err
		}
		if err := s.MarkMailed(ctx, ml.Notice.ID); err != nil {
			return err
		}
	}
	return nil
}
