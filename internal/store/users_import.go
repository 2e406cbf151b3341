package store

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// Imported is one account an import created, with the password to hand
// to its user when the file gave none (shown once, never stored).
type Imported struct {
	Username, FullName string
	Role               user.Role
	Unit               unit.Unit
	Email              string
	Password           string // made up by the import; "" when the file gave one
}

// ImportProblems adds to a file's refusal (user.ParseImport's, with the
// rows it read) the problems only the database knows, so the answer names
// every error at once: unknown units, units outside the administrator's
// subtree (the file is then forbidden), names taken.
func (s *Store) ImportProblems(ctx context.Context, scope unit.Unit, rows []user.ImportRow, date string, refusal *user.ImportError) error {
	more, _, err := s.importProblems(ctx, scope, rows, date)
	if err != nil {
		return err
	}
	if more != nil {
		code := refusal.Err.Code
		if more.Err.Code == errs.Forbidden {
			code = errs.Forbidden
		}
		refusal.Add(more.Problems, more.Total())
		refusal.Err.Code = code
	}
	return nil
}

// importProblems checks rows against the database: nil when all is well,
// with the rows' units.
func (s *Store) importProblems(ctx context.Context, scope unit.Unit, rows []user.ImportRow, date string) (*user.ImportError, map[string]unit.Unit, error) {
	var problems []string
	outside := false // a row for a unit outside the scope: the file is forbidden, not only wrong
	units := map[string]unit.Unit{}
	missing := map[string]bool{}
	for _, r := range rows {
		if r.UnitCode != "" && !missing[r.UnitCode] {
			u, ok := units[r.UnitCode]
			if !ok {
				var err error
				if u, err = s.UnitAt(ctx, r.UnitCode, date); err != nil {
					if e, isErr := errs.As(err); !isErr || e.Code != errs.NotFound {
						return nil, nil, err
					}
					missing[r.UnitCode] = true
				} else {
					units[r.UnitCode] = u
				}
			}
			switch {
			case missing[r.UnitCode]:
				problems = append(problems, fmt.Sprintf("Dòng %d, cột «ma_don_vi»: không có đơn vị mã «%s» vào ngày %s.", r.Line, r.UnitCode, vnDay(date)))
			case !unit.InSubtree(u.Path, scope.Path):
				outside = true
				problems = append(problems, fmt.Sprintf("Dòng %d, cột «ma_don_vi»: %s không thuộc %s; chỉ tạo được người dùng cho đơn vị của mình và cấp dưới.", r.Line, u.Name, scope.Name))
			}
		} else if missing[r.UnitCode] {
			problems = append(problems, fmt.Sprintf("Dòng %d, cột «ma_don_vi»: không có đơn vị mã «%s» vào ngày %s.", r.Line, r.UnitCode, vnDay(date)))
		}
		if r.Username == "" || user.ValidateUsername(r.Username) != nil {
			continue
		}
		var n int
		if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE username = $1`, r.Username).Scan(&n); err != nil {
			return nil, nil, err
		}
		if n > 0 {
			problems = append(problems, fmt.Sprintf("Dòng %d, cột «ten_dang_nhap»: tên đăng nhập «%s» đã có người dùng.", r.Line, r.Username))
		}
	}
	if len(problems) == 0 {
		return nil, units, nil
	}
	total := len(problems)
	if total > 200 {
		problems = problems[:200]
	}
	refusal := user.Refusal(problems, total).(*user.ImportError)
	if outside {
		refusal.Err.Code = errs.Forbidden
	}
	return refusal, units, nil
}

// ImportUsers creates the accounts of a users file (user.ParseImport) in
// one transaction, each audited: all of them or, if any row is wrong, none,
// with every wrong row named. Every unit must exist on date and lie in the
// importing administrator's subtree (scope); no name may be taken. The
// slow part, hashing the passwords, is done before the transaction, so
// the write lock is held only for the inserts.
func (s *Store) ImportUsers(ctx context.Context, a audit.Actor, scope unit.Unit, rows []user.ImportRow, date string) ([]Imported, error) {
	refusal, units, err := s.importProblems(ctx, scope, rows, date)
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return nil, refusal
	}
	out := make([]Imported, len(rows))
	passwords := make([]string, len(rows))
	for i, r := range rows {
		out[i] = Imported{Username: r.Username, FullName: r.FullName, Role: r.Role, Unit: units[r.UnitCode], Email: r.Email}
		if passwords[i] = r.Password; r.Password == "" {
			passwords[i] = user.NewPassword()
			out[i].Password = passwords[i]
		}
	}
	hashes, err := hashAll(ctx, passwords)
	if err != nil {
		return nil, err
	}
	err = s.WithTx(ctx, func(tx *Tx) error {
		for i, r := range out {
			if _, err := tx.exec(ctx, `INSERT INTO users (username, full_name, role, unit_id, password_hash, created_at, email) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				r.Username, r.FullName, string(r.Role), r.Unit.ID, hashes[i], tx.now.UTC(), r.Email); err != nil {
				if strings.Contains(strings.ToLower(err.Error()), "unique") {
					return user.Refusal([]string{fmt.Sprintf("Dòng %d, cột «ten_dang_nhap»: tên đăng nhập «%s» vừa được tạo bởi người khác.", rows[i].Line, r.Username)}, 1)
				}
				return err
			}
			if err := tx.Audit(ctx, a, "import", "user", r.Username, nil, map[string]any{"username": r.Username, "full_name": r.FullName, "role": r.Role,
				"unit": r.Unit.Code, "unit_valid_from": r.Unit.ValidFrom, "email": r.Email}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// vnDay writes "2024-12-31" as "31/12/2024".
func vnDay(s string) string {
	if len(s) != 10 {
		return s
	}
	return s[8:10] + "/" + s[5:7] + "/" + s[0:4]
}

// hashAll hashes passwords on every core: an argon2id hash costs tens of
// milliseconds and 19 MiB, so 400 accounts take seconds on one core; one
// worker per core keeps memory at a few dozen MiB.
func hashAll(ctx context.Context, passwords []string) ([]string, error) {
	hashes := make([]string, len(passwords))
	errc := make(chan error, 1)
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				h, err := user.HashPassword(passwords[i])
				if err != nil {
					select {
					case errc <- err:
					default:
					}
					continue
				}
				hashes[i] = h
			}
		}()
	}
	for i := range passwords {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errc:
		return nil, err
	default:
	}
	return hashes, ctx.Err()
}
