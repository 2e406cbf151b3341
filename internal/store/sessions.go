package store

import (
	"context"
	"database/sql"
	"time"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/user"
)

// Session is a signed-in browser: its user, and the CSRF token every form
// of the session posts back.
type Session struct {
	User      user.User
	CSRF      string
	ExpiresAt time.Time
}

// CreateSession signs u in for ttl and returns the cookie's token, which is
// not stored: only its hash is.
func (s *Store) CreateSession(ctx context.Context, u user.User, address string, ttl time.Duration) (token string, sess Session, err error) {
	token, hash, err := user.NewToken()
	if err != nil {
		return "", sess, err
	}
	csrf, _, err := user.NewToken()
	if err != nil {
		return "", sess, err
	}
	now := s.now().UTC()
	sess = Session{User: u, CSRF: csrf, ExpiresAt: now.Add(ttl)}
	_, err = s.DB.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, address, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		hash, u.ID, csrf, address, now, sess.ExpiresAt)
	return token, sess, err
}

// SessionByToken returns the live session a cookie's token opens. An
// expired session, or one whose user was disabled, opens nothing.
func (s *Store) SessionByToken(ctx context.Context, token string) (Session, error) {
	var sess Session
	var userID int64
	err := s.prepared().QueryRowContext(ctx, `SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = $1`, user.HashToken(token)).
		Scan(&userID, &sess.CSRF, &sess.ExpiresAt)
	if err == sql.ErrNoRows || (err == nil && s.now().After(sess.ExpiresAt)) {
		return sess, errs.New(errs.Unauthorized, "phiên đăng nhập đã hết hạn; hãy đăng nhập lại")
	}
	if err != nil {
		return sess, err
	}
	if sess.User, err = s.UserByID(ctx, userID); err != nil {
		return sess, err
	}
	if sess.User.Disabled {
		return sess, errs.New(errs.Unauthorized, "tài khoản đã bị khóa")
	}
	return sess, nil
}

// DeleteSession signs a browser out.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, user.HashToken(token))
	return err
}

// RecordLogin notes a sign-in attempt, as failed until LoginSucceeded says
// otherwise. It is written before the password is checked, so that
// attempts made in parallel count each other: counting first and writing
// after let forty parallel guesses all through.
func (s *Store) RecordLogin(ctx context.Context, username, address string) (int64, error) {
	var id int64
	err := s.DB.QueryRowContext(ctx, `INSERT INTO login_attempts (at, username, address, ok) VALUES ($1, $2, $3, $4) RETURNING id`,
		s.now().UTC(), username, address, false).Scan(&id)
	return id, err
}

// LoginSucceeded marks an attempt as a success, and clears expired
// sessions (a cheap moment to do it).
func (s *Store) LoginSucceeded(ctx context.Context, attempt int64) error {
	if _, err := s.DB.ExecContext(ctx, `UPDATE login_attempts SET ok = $1 WHERE id = $2`, true, attempt); err != nil {
		return err
	}
	_, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, s.now().UTC())
	return err
}

// FailedLogins counts the failed sign-ins since a moment, for a user name
// and for an address.
func (s *Store) FailedLogins(ctx context.Context, username, address string, since time.Time) (byName, byAddress int, err error) {
	since = since.UTC()
	err = s.DB.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM login_attempts WHERE username = $1 AND at > $3 AND NOT ok),
		(SELECT count(*) FROM login_attempts WHERE address = $2 AND at > $3 AND NOT ok)`,
		username, address, since).Scan(&byName, &byAddress)
	return byName, byAddress, err
}

// SetPassword replaces a user's password and signs out their other
// sessions, keeping keep (the session that made the change, if any).
func (s *Store) SetPassword(ctx context.Context, a audit.Actor, u user.User, password, keepToken string) error {
	if err := user.ValidatePassword(password); err != nil {
		return errs.WithDetails("Mật khẩu mới chưa hợp lệ.", []errs.Detail{{Field: "password", Code: errs.PasswordTooShort, Args: errs.Args{Min: user.MinPasswordLength}}})
	}
	hash, err := user.HashPassword(password)
	if err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.c.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, u.ID); err != nil {
			return err
		}
		if _, err := tx.c.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, u.ID, user.HashToken(keepToken)); err != nil {
			return err
		}
		// The hash is not the audit's business: that it changed, and by whom, is.
		return tx.Audit(ctx, a, "set_password", "user", u.Username, nil, nil)
	})
}
