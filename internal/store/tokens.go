package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/limits"
	"mattran/internal/user"
)

// IssueToken issues an API token named name for u, valid until expires
// (zero: it does not expire), and returns it. The token is shown once,
// here; the database keeps its hash and its last four characters.
func (s *Store) IssueToken(ctx context.Context, a audit.Actor, u user.User, name string, expires time.Time) (string, user.Token, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", user.Token{}, errs.New(errs.Invalid, "Hãy đặt tên cho mã truy cập: nó dùng cho việc gì (vd. «Đồng bộ DHIS2»).")
	case limits.TooLong("Tên mã truy cập", name, limits.TokenName) != "":
		return "", user.Token{}, errs.New(errs.Invalid, "%s", limits.TooLong("Tên mã truy cập", name, limits.TokenName))
	case !expires.IsZero() && !expires.After(s.now()):
		return "", user.Token{}, errs.New(errs.Invalid, "Ngày hết hạn của mã truy cập phải sau hôm nay.")
	}
	token, hash, err := user.NewToken()
	if err != nil {
		return "", user.Token{}, err
	}
	t, err := s.addToken(ctx, a, u, hash, user.TokenHint(token), name, expires)
	return token, t, err
}

func (s *Store) addToken(ctx context.Context, a audit.Actor, u user.User, hash, hint, name string, expires time.Time) (user.Token, error) {
	t := user.Token{Name: name, Hint: hint, Expires: expires}
	err := s.WithTx(ctx, func(tx *Tx) error {
		t.Created = tx.now
		if err := tx.c.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, token_hash, label, hint, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			u.ID, hash, name, hint, tx.now.UTC(), nullTime(expires)).Scan(&t.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "api_token", u.Username, nil, tokenAudit(t))
	})
	return t, err
}

// tokenAudit is a token as the audit log records it: never the token.
func tokenAudit(t user.Token) map[string]any {
	m := map[string]any{"id": t.ID, "label": t.Name, "hint": t.Hint}
	if !t.Expires.IsZero() {
		m["expires"] = t.Expires.UTC().Format(time.RFC3339)
	}
	return m
}

func nullTime(t time.Time) sql.NullTime { return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()} }

// tokenHistory is how long a revoked or expired token stays in its
// owner's list, to show what stopped working and why.
const tokenHistory = 90 * 24 * time.Hour

// Tokens lists a user's tokens, newest first: the ones that work, and
// those revoked or expired in the last 90 days.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]user.Token, error) {
	since := s.now().Add(-tokenHistory).UTC()
	rows, err := s.DB.QueryContext(ctx, `SELECT id, label, hint, created_at, expires_at, last_used_at, revoked_at, revoked_by FROM api_tokens
		WHERE user_id = $1 AND (revoked_at IS NULL OR revoked_at > $2) AND (expires_at IS NULL OR expires_at > $2)
		ORDER BY created_at DESC, id DESC`, userID, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []user.Token
	for rows.Next() {
		var t user.Token
		var expires, used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.Name, &t.Hint, &t.Created, &expires, &used, &revoked, &t.RevokedBy); err != nil {
			return nil, err
		}
		t.Expires, t.LastUsed, t.Revoked = expires.Time, used.Time, revoked.Time
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of u's tokens; a token that is not u's, or is
// revoked already, is not found.
func (s *Store) RevokeToken(ctx context.Context, a audit.Actor, u user.User, id int64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		var t user.Token
		err := tx.c.QueryRowContext(ctx, `SELECT id, label, hint FROM api_tokens WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, u.ID).Scan(&t.ID, &t.Name, &t.Hint)
		if err == sql.ErrNoRows {
			return notFound("%s không có mã truy cập số %d đang dùng", u.Username, id)
		}
		if err != nil {
			return err
		}
		if _, err := tx.c.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3`, tx.now.UTC(), a.Name, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "revoke", "api_token", u.Username, tokenAudit(t), nil)
	})
}

// RevokeTokens revokes every token of u that is not revoked yet, and says
// how many.
func (s *Store) RevokeTokens(ctx context.Context, a audit.Actor, u user.User) (int, error) {
	var n int
	err := s.WithTx(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.revokeTokens(ctx, a, u.ID, u.Username)
		return err
	})
	return n, err
}

// revokeTokens revokes a user's tokens inside a write, with one audit
// entry saying how many.
func (tx *Tx) revokeTokens(ctx context.Context, a audit.Actor, userID int64, username string) (int, error) {
	res, err := tx.c.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE user_id = $3 AND revoked_at IS NULL`, tx.now.UTC(), a.Name, userID)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		return 0, nil
	}
	return int(n), tx.Audit(ctx, a, "revoke_all", "api_token", username, map[string]any{"count": n}, nil)
}

// tokenUseInterval is how often a token's last use is written: the list
// says "used today", not the second, and an API read costs no write.
const tokenUseInterval = time.Hour

// UserByToken returns the user an API token belongs to, if the token is
// neither revoked nor expired and the user is not disabled.
func (s *Store) UserByToken(ctx context.Context, token string) (user.User, error) {
	now := s.now().UTC()
	var id, userID int64
	var used sql.NullTime
	err := s.DB.QueryRowContext(ctx, `SELECT id, user_id, last_used_at FROM api_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`, user.HashToken(token), now).Scan(&id, &userID, &used)
	refused := errs.New(errs.Unauthorized, "mã truy cập (token) không hợp lệ, đã hết hạn hoặc đã bị thu hồi")
	if err == sql.ErrNoRows {
		return user.User{}, refused
	}
	if err != nil {
		return user.User{}, err
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return u, err
	}
	if u.Disabled {
		return user.User{}, refused
	}
	if !used.Valid || now.Sub(used.Time) > tokenUseInterval {
		// Noted on the side, never waited for: an API read must not wait
		// for a writer (an import holds SQLite's lock for seconds), and a
		// missed note costs nothing.
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			s.DB.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, id)
		}()
	}
	return u, nil
}
