package store

import (
	"context"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/user"
)

// UserEmail is the address a user's notices are mailed to ("": none).
func (s *Store) UserEmail(ctx context.Context, id int64) (string, error) {
	var e string
	err := s.DB.QueryRowContext(ctx, `SELECT email FROM users WHERE id = $1`, id).Scan(&e)
	return e, err
}

// SetEmail sets (or, with "", clears) the address a user's notices are
// mailed to, audited with the old and new address.
func (s *Store) SetEmail(ctx context.Context, a audit.Actor, u user.User, email string) error {
	if email != "" && !user.ValidEmail(email) {
		return errs.New(errs.Invalid, "Địa chỉ thư «%s» không hợp lệ: ghi một địa chỉ, ví dụ canbo@xa.gov.vn.", email)
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		var old string
		if err := tx.queryRow(ctx, `SELECT email FROM users WHERE id = $1`, u.ID).Scan(&old); err != nil {
			return err
		}
		if old == email {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE users SET email = $1 WHERE id = $2`, email, u.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "set-email", "user", u.Username, map[string]string{"email": old}, map[string]string{"email": email})
	})
}
