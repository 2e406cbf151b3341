package store

import (
	"context"
	"database/sql"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/limits"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// UsersUnder returns the users whose unit lies in the subtree of root,
// unit by unit down the tree, then by name.
func (s *Store) UsersUnder(ctx context.Context, root unit.Unit) ([]user.User, error) {
	lo, hi := unit.PathRange(root.Path)
	rows, err := s.DB.QueryContext(ctx, `SELECT `+userCols+` FROM users u JOIN units n ON n.id = u.unit_id
		WHERE n.path >= $1 AND n.path < $2 ORDER BY n.path, u.username`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []user.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// userAudit is a user as the audit log records it.
func userAudit(u user.User) map[string]any {
	return map[string]any{"username": u.Username, "full_name": u.FullName, "role": u.Role, "unit": u.Unit.Code, "unit_valid_from": u.Unit.ValidFrom, "disabled": u.Disabled}
}

// UpdateUser changes a user's full name, role and unit, as one audited
// change. The caller checks that the actor may make it.
func (s *Store) UpdateUser(ctx context.Context, a audit.Actor, id int64, fullName string, role user.Role, u unit.Unit) (user.User, error) {
	if _, err := user.ParseRole(string(role)); err != nil {
		return user.User{}, errs.New(errs.Invalid, "%v", err)
	}
	if msg := limits.TooLong("Họ tên", fullName, limits.FullName); msg != "" {
		return user.User{}, errs.New(errs.Invalid, "%s", msg)
	}
	err := s.WithTx(ctx, func(tx *Tx) error {
		before, err := userInTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.FullName == fullName && before.Role == role && before.Unit.ID == u.ID {
			return nil
		}
		if _, err := tx.c.ExecContext(ctx, `UPDATE users SET full_name = $1, role = $2, unit_id = $3 WHERE id = $4`, fullName, string(role), u.ID, id); err != nil {
			return err
		}
		after := before
		after.FullName, after.Role, after.Unit = fullName, role, u
		return tx.Audit(ctx, a, "update", "user", before.Username, userAudit(before), userAudit(after))
	})
	if err != nil {
		return user.User{}, err
	}
	return s.UserByID(ctx, id)
}

// SetDisabled disables or enables a user. Disabling signs them out
// everywhere and revokes their API tokens, for good.
func (s *Store) SetDisabled(ctx context.Context, a audit.Actor, id int64, disabled bool) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		before, err := userInTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Disabled == disabled {
			return nil
		}
		if _, err := tx.c.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, id); err != nil {
			return err
		}
		action := "enable"
		if disabled {
			action = "disable"
			if _, err := tx.c.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return err
			}
			// Revoked, not merely refused while disabled: enabling the
			// account again brings none of them back.
			if _, err := tx.revokeTokens(ctx, a, id, before.Username); err != nil {
				return err
			}
		}
		after := before
		after.Disabled = disabled
		return tx.Audit(ctx, a, action, "user", before.Username, userAudit(before), userAudit(after))
	})
}

// userInTx reads a user inside a transaction, so that the before of an
// audited change is what the change replaced.
func userInTx(ctx context.Context, tx *Tx, id int64) (user.User, error) {
	u, err := scanUser(tx.c.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = $1`, id))
	if err == sql.ErrNoRows {
		return u, notFound("không có người dùng số %d", id)
	}
	return u, err
}
