package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/limits"
	"mattran/internal/unit"
	"mattran/internal/user"
)

const userCols = `u.id, u.username, u.full_name, u.role, u.disabled, ` +
	`n.id, n.code, n.name, n.kind, n.official_type, COALESCE(n.parent_id, 0), n.path, n.valid_from, n.valid_to, n.synthetic`

func scanUser(sc interface{ Scan(...any) error }) (user.User, error) {
	var u user.User
	var role, kind string
	err := sc.Scan(&u.ID, &u.Username, &u.FullName, &role, &u.Disabled,
		&u.Unit.ID, &u.Unit.Code, &u.Unit.Name, &kind, &u.Unit.OfficialType, &u.Unit.ParentID, &u.Unit.Path, &u.Unit.ValidFrom, &u.Unit.ValidTo, &u.Unit.Synthetic)
	u.Role, u.Unit.Kind = user.Role(role), unit.Kind(kind)
	return u, err
}

// NewUser is what creating a user takes.
type NewUser struct {
	Username string
	FullName string
	Role     user.Role
	Unit     unit.Unit
	Password string
}

// CreateUser adds a user, validating the name, role and password.
func (s *Store) CreateUser(ctx context.Context, a audit.Actor, nu NewUser) (user.User, error) {
	if err := user.ValidateUsername(nu.Username); err != nil {
		return user.User{}, errs.New(errs.Invalid, "%v", err)
	}
	if _, err := user.ParseRole(string(nu.Role)); err != nil {
		return user.User{}, errs.New(errs.Invalid, "%v", err)
	}
	if err := user.ValidatePassword(nu.Password); err != nil {
		return user.User{}, errs.New(errs.Invalid, "%v", err)
	}
	if msg := limits.TooLong("Họ tên", nu.FullName, limits.FullName); msg != "" {
		return user.User{}, errs.New(errs.Invalid, "%s", msg)
	}
	hash, err := user.HashPassword(nu.Password)
	if err != nil {
		return user.User{}, err
	}
	var id int64
	err = s.WithTx(ctx, func(tx *Tx) error {
		err := tx.c.QueryRowContext(ctx, `INSERT INTO users (username, full_name, role, unit_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			nu.Username, nu.FullName, string(nu.Role), nu.Unit.ID, hash, tx.now.UTC()).Scan(&id)
		if err != nil {
			if strings.Contains(strings.ToLower(err.Error()), "unique") {
				return errs.New(errs.Conflict, "tên đăng nhập %q đã có", nu.Username)
			}
			return err
		}
		return tx.Audit(ctx, a, "create", "user", nu.Username, nil,
			map[string]any{"username": nu.Username, "full_name": nu.FullName, "role": nu.Role, "unit": nu.Unit.Code, "unit_valid_from": nu.Unit.ValidFrom})
	})
	if err != nil {
		return user.User{}, err
	}
	return s.UserByID(ctx, id)
}

// UserByID returns a user.
func (s *Store) UserByID(ctx context.Context, id int64) (user.User, error) {
	u, err := scanUser(s.prepared().QueryRowContext(ctx, `SELECT `+userCols+` FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = $1`, id))
	if err == sql.ErrNoRows {
		return u, notFound("không có người dùng số %d", id)
	}
	if err != nil {
		return u, err
	}
	return u, s.heritage(ctx, &u)
}

// UserByUsername returns a user.
func (s *Store) UserByUsername(ctx context.Context, name string) (user.User, error) {
	u, err := scanUser(s.DB.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u JOIN units n ON n.id = u.unit_id WHERE u.username = $1`, name))
	if err == sql.ErrNoRows {
		return u, notFound("không có người dùng %q", name)
	}
	if err != nil {
		return u, err
	}
	return u, s.heritage(ctx, &u)
}

// Authenticate checks a username and password. It answers the same for a
// wrong name and a wrong password, so it does not reveal who has an account.
func (s *Store) Authenticate(ctx context.Context, name, password string) (user.User, error) {
	var hash string
	var id int64
	var disabled bool
	err := s.DB.QueryRowContext(ctx, `SELECT id, password_hash, disabled FROM users WHERE username = $1`, name).Scan(&id, &hash, &disabled)
	if err != nil && err != sql.ErrNoRows {
		return user.User{}, err
	}
	// One argon2id computation whatever the name: a name without an
	// account, or a disabled one, is checked against a dummy hash, so the
	// answer takes as long as for a wrong password (33–124 ms against 3–7
	// ms told who had an account).
	ok := false
	if err == nil && !disabled && strings.HasPrefix(hash, "$argon2id$") {
		ok = user.CheckPassword(hash, password)
	} else {
		user.CheckNoPassword(password)
	}
	if !ok {
		return user.User{}, errs.New(errs.Unauthorized, "tên đăng nhập hoặc mật khẩu không đúng")
	}
	return s.UserByID(ctx, id)
}

// CreateToken issues an API token for u that does not expire, and returns
// it; only its hash is kept (IssueToken).
func (s *Store) CreateToken(ctx context.Context, a audit.Actor, u user.User, label string) (string, error) {
	token, _, err := s.IssueToken(ctx, a, u, label, time.Time{})
	return token, err
}

// EnsureAdminToken makes sure an administrator of the root unit holds
// token, creating the "admin" user if no root administrator exists. It is
// for automation (MATTRAN_ADMIN_TOKEN); the token itself is never stored.
func (s *Store) EnsureAdminToken(ctx context.Context, token string) (user.User, error) {
	if len(token) < 16 {
		return user.User{}, errs.New(errs.Invalid, "MATTRAN_ADMIN_TOKEN quá ngắn (cần ít nhất 16 ký tự)")
	}
	if u, err := s.UserByToken(ctx, token); err == nil && u.Role == user.Admin && u.Unit.ParentID == 0 {
		return u, nil
	}
	// The operator sets the variable at every start: a token of that value
	// revoked since is given again, as the variable says. To take it back
	// for good, unset the variable.
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM api_tokens WHERE token_hash = $1 AND (revoked_at IS NOT NULL OR expires_at IS NOT NULL)`, user.HashToken(token)); err != nil {
		return user.User{}, err
	}
	root, err := s.Root(ctx)
	if err != nil {
		return user.User{}, err
	}
	var id int64
	err = s.DB.QueryRowContext(ctx, `SELECT id FROM users WHERE role = 'admin' AND unit_id = $1 AND NOT disabled ORDER BY id LIMIT 1`, root.ID).Scan(&id)
	var admin user.User
	switch {
	case err == sql.ErrNoRows:
		admin, err = s.CreateUser(ctx, audit.System, NewUser{Username: "admin", FullName: "Quản trị hệ thống", Role: user.Admin, Unit: root, Password: user.NewPassword() + user.NewPassword()})
	case err == nil:
		admin, err = s.UserByID(ctx, id)
	}
	if err != nil {
		return user.User{}, err
	}
	_, err = s.addToken(ctx, audit.System, admin, user.HashToken(token), user.TokenHint(token), "MATTRAN_ADMIN_TOKEN", time.Time{})
	return admin, err
}
