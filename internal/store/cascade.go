package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"sort"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/limits"
	"mattran/internal/program"
	"mattran/internal/unit"
)

// Derived programs (program.Derive): a unit's own program written from its
// parent unit's. The document holds only its own part; derived_programs
// and program_thresholds index the family for the cascade page and the
// scorecard, written in the same transaction as the document. Quotas live
// in program_thresholds only.

// maxProgramDepth bounds a chain of derived programs: province, district,
// commune, residential area, and a member organization at each level.
const maxProgramDepth = 8

// loadProgram reads a program; with resolve, a derived program gets its
// parent's sub-programs, targets and data elements.
func loadProgram(ctx context.Context, q queryer, code string, resolve bool) (*program.Program, error) {
	return loadProgramAt(ctx, q, code, resolve, 0)
}

func loadProgramAt(ctx context.Context, q queryer, code string, resolve bool, depth int) (*program.Program, error) {
	var doc string
	err := q.QueryRowContext(ctx, `SELECT document FROM programs WHERE code = $1`, code).Scan(&doc)
	if err == sql.ErrNoRows {
		return nil, notFound("không có chương trình mã %q", code)
	}
	if err != nil {
		return nil, err
	}
	var p program.Program
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, err
	}
	if !resolve || !p.Derived() {
		return &p, nil
	}
	if depth == maxProgramDepth {
		return nil, fmt.Errorf("chương trình %s: chuỗi chương trình cấp trên quá dài", code)
	}
	parent, err := loadProgramAt(ctx, q, p.Parent, true, depth+1)
	if err != nil {
		return nil, err
	}
	return program.Resolve(&p, parent), nil
}

// resolveFrom resolves p from programs already read, by code.
func resolveFrom(p *program.Program, byCode map[string]*program.Program, depth int) (*program.Program, error) {
	if !p.Derived() {
		return p, nil
	}
	parent, ok := byCode[p.Parent]
	if !ok || depth == maxProgramDepth {
		return nil, fmt.Errorf("chương trình %s: không đọc được chương trình cấp trên %q", p.Code, p.Parent)
	}
	parent, err := resolveFrom(parent, byCode, depth+1)
	if err != nil {
		return nil, err
	}
	return program.Resolve(p, parent), nil
}

// ownPart returns what a derived program stores, and its resolved parent.
// A program passed with sub-programs or data elements (one read resolved)
// must carry its parent's unchanged: a target is changed in the program
// that states it, and what would be dropped is refused, not ignored.
func ownPart(ctx context.Context, q queryer, p *program.Program) (own, parent *program.Program, err error) {
	parent, err = loadProgram(ctx, q, p.Parent, true)
	if errs.CodeOf(err) == errs.NotFound {
		return nil, nil, errs.New(errs.Invalid, "parent: không có chương trình cấp trên mã %q", p.Parent)
	}
	if err != nil {
		return nil, nil, err
	}
	same := func(a, b any) bool {
		x, _ := json.Marshal(a)
		y, _ := json.Marshal(b)
		return string(x) == string(y)
	}
	if len(p.Subprograms) > 0 && !same(p.Subprograms, parent.Subprograms) ||
		len(p.DataElements) > 0 && !same(p.DataElements, parent.DataElements) {
		return nil, nil, errs.New(errs.Invalid, "chương trình %s cụ thể hóa chương trình %s: chương trình con, chỉ tiêu và chỉ số được sửa ở chương trình %s", p.Code, p.Parent, p.Parent)
	}
	return program.Own(p), parent, nil
}

// rootOf is the code of the program a family grows from.
func rootOf(ctx context.Context, q queryer, p *program.Program) (string, error) {
	if !p.Derived() {
		return p.Code, nil
	}
	var root string
	err := q.QueryRowContext(ctx, `SELECT root FROM derived_programs WHERE code = $1`, p.Code).Scan(&root)
	if err == sql.ErrNoRows {
		return "", notFound("chương trình %s chưa được lưu", p.Code)
	}
	return root, err
}

// checkDerived checks a derived program against its parent: the same
// term, an owner directly below the parent's owner and with no other
// program in the family, and own thresholds and tasks that fit the
// parent's targets and the quota the owner was assigned.
func checkDerived(ctx context.Context, tx *Tx, p, parent *program.Program, owner unit.Unit) error {
	if p.Term != parent.Term {
		return errs.New(errs.Invalid, "term: nhiệm kỳ %d–%d phải trùng nhiệm kỳ %d–%d của chương trình cấp trên %s",
			p.Term.From, p.Term.To, parent.Term.From, parent.Term.To, parent.Code)
	}
	var above string
	if err := tx.c.QueryRowContext(ctx, `SELECT code FROM units WHERE id = $1`, owner.ParentID).Scan(&above); err != nil && err != sql.ErrNoRows {
		return err
	}
	if above != parent.OwnerUnit {
		return errs.New(errs.Invalid, "owner_unit: %s không trực thuộc đơn vị %s ban hành chương trình %s", owner.Name, parent.OwnerUnit, parent.Code)
	}
	root, err := rootOf(ctx, tx.c, parent)
	if err != nil {
		return err
	}
	var other string
	err = tx.c.QueryRowContext(ctx, `SELECT code FROM derived_programs WHERE root = $1 AND owner_unit = $2 AND code <> $3`, root, p.OwnerUnit, p.Code).Scan(&other)
	if err == nil {
		return errs.New(errs.Conflict, "%s đã có chương trình %s cụ thể hóa chương trình %s", owner.Name, other, root)
	}
	if err != sql.ErrNoRows {
		return err
	}
	quotas, err := quotasOf(ctx, tx.c, root, p.OwnerUnit)
	if err != nil {
		return err
	}
	if fes := program.CheckDerived(p, parent, owner.Kind, quotas); len(fes) > 0 {
		return errs.New(errs.Invalid, "chương trình không hợp lệ: %s", errs.Line(fes[0].Detail(), errs.Exchange))
	}
	return nil
}

// quotasOf returns the quotas assigned to a unit in a family, by target.
func quotasOf(ctx context.Context, q queryer, root, unitCode string) (map[string]float64, error) {
	rows, err := q.QueryContext(ctx, `SELECT target, threshold FROM program_thresholds WHERE root = $1 AND kind = 'quota' AND unit_code = $2`, root, unitCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var t string
		var v float64
		if err := rows.Scan(&t, &v); err != nil {
			return nil, err
		}
		out[t] = v
	}
	return out, rows.Err()
}

// indexDerived writes a saved derived program's family link and own
// thresholds.
func indexDerived(ctx context.Context, tx *Tx, p, parent *program.Program) error {
	root, err := rootOf(ctx, tx.c, parent)
	if err != nil {
		return err
	}
	if _, err := tx.c.ExecContext(ctx, `INSERT INTO derived_programs (code, parent, root, owner_unit) VALUES ($1, $2, $3, $4)
		ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, root = excluded.root, owner_unit = excluded.owner_unit`,
		p.Code, p.Parent, root, p.OwnerUnit); err != nil {
		return err
	}
	if _, err := tx.c.ExecContext(ctx, `DELETE FROM program_thresholds WHERE program = $1 AND kind = 'own'`, p.Code); err != nil {
		return err
	}
	for _, th := range p.Thresholds {
		if _, err := tx.c.ExecContext(ctx, `INSERT INTO program_thresholds (root, program, kind, target, cond, unit_code, threshold) VALUES ($1, $2, 'own', $3, $4, $5, $6)`,
			root, p.Code, th.Target, th.Condition, p.OwnerUnit, th.Threshold); err != nil {
			return err
		}
	}
	return nil
}

// DeriveProgram creates a unit's program from its parent unit's program
// parent (program.Derive), audited. committee is the name its documents
// are headed with.
func (s *Store) DeriveProgram(ctx context.Context, a audit.Actor, parent string, owner unit.Unit, committee string) (*program.Program, error) {
	var p *program.Program
	err := s.WithTx(ctx, func(tx *Tx) error {
		par, err := loadProgram(ctx, tx.c, parent, false)
		if err != nil {
			return err
		}
		p = program.Derive(par, owner, committee)
		var n int
		if err := tx.c.QueryRowContext(ctx, `SELECT count(*) FROM programs WHERE code = $1`, p.Code).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errs.New(errs.Conflict, "đã có chương trình mã %s", p.Code)
		}
		_, err = s.saveProgram(ctx, tx, a, p)
		return err
	})
	return p, err
}

// UpdateProgram changes a stored program with change, in one audited
// transaction: change gets the program as stored (a derived program's
// own part) and may return an error to write nothing.
func (s *Store) UpdateProgram(ctx context.Context, a audit.Actor, code string, change func(p *program.Program) error) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		p, err := loadProgram(ctx, tx.c, code, false)
		if err != nil {
			return err
		}
		if err := change(p); err != nil {
			return err
		}
		// A derived program's name is typed in a form, and printed on
		// public pages: bounded.
		if msg := limits.TooLong("Tên chương trình", p.Name, limits.ProgramName); p.Derived() && msg != "" {
			return errs.New(errs.Invalid, "%s", msg)
		}
		_, err = s.saveProgram(ctx, tx, a, p)
		return err
	})
}

// DerivedProgram is one program of a family below its root.
type DerivedProgram struct {
	Code, Parent, OwnerUnit string
}

// RootOf returns the code of the root of p's family: p's own code when p
// is not derived.
func (s *Store) RootOf(ctx context.Context, p *program.Program) (string, error) {
	return rootOf(ctx, s.DB, p)
}

// Family returns the derived programs of the family that grows from root,
// by code.
func (s *Store) Family(ctx context.Context, root string) ([]DerivedProgram, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT code, parent, owner_unit FROM derived_programs WHERE root = $1 ORDER BY code`, root)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DerivedProgram
	for rows.Next() {
		var d DerivedProgram
		if err := rows.Scan(&d.Code, &d.Parent, &d.OwnerUnit); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RootPrograms returns the programs that derive from none, by code.
func (s *Store) RootPrograms(ctx context.Context) ([]*program.Program, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT code FROM programs WHERE code NOT IN (SELECT code FROM derived_programs) ORDER BY code`)
	if err != nil {
		return nil, err
	}
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, err
		}
		codes = append(codes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*program.Program, 0, len(codes))
	for _, c := range codes {
		p, err := loadProgram(ctx, s.DB, c, false)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Quotas returns the amounts the owner of program code assigned for
// target, by unit code.
func (s *Store) Quotas(ctx context.Context, code, target string) (map[string]float64, error) {
	return quotasBy(ctx, s.DB, code, target)
}

// QuotasOf returns the quotas assigned to a unit in the family of root,
// by target.
func (s *Store) QuotasOf(ctx context.Context, root, unitCode string) (map[string]float64, error) {
	return quotasOf(ctx, s.DB, root, unitCode)
}

// SetQuotas sets the amounts the owner of program code assigns for target
// to units directly below it, by unit code; a nil amount takes the quota
// back. Units not named keep theirs. It is one audited transaction, and
// writes nothing when nothing changes.
func (s *Store) SetQuotas(ctx context.Context, a audit.Actor, code, target string, amounts map[string]*float64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		p, err := loadProgram(ctx, tx.c, code, true)
		if err != nil {
			return err
		}
		t, ok := p.Target(target)
		if !ok {
			return notFound("chương trình %s không có chỉ tiêu %q", code, target)
		}
		root, err := rootOf(ctx, tx.c, p)
		if err != nil {
			return err
		}
		from, to := fmt.Sprintf("%04d-01-01", p.Term.From), fmt.Sprintf("%04d-12-31", p.Term.To)
		owner, err := unitDuring(ctx, tx.c, p.OwnerUnit, from, to)
		if err != nil {
			return err
		}
		before, err := quotasBy(ctx, tx.c, code, target)
		if err != nil {
			return err
		}
		after := maps.Clone(before)
		units := make([]string, 0, len(amounts))
		for u := range amounts {
			units = append(units, u)
		}
		sort.Strings(units)
		for _, code := range units {
			amount := amounts[code]
			u, err := unitDuring(ctx, tx.c, code, from, to)
			if err != nil {
				return errs.New(errs.Invalid, "không có đơn vị mã %q trong nhiệm kỳ", code)
			}
			if u.ParentID != owner.ID {
				return errs.New(errs.Invalid, "%s không trực thuộc %s: chỉ giao chỉ tiêu cho đơn vị trực thuộc", u.Name, owner.Name)
			}
			if amount == nil {
				delete(after, code)
				continue
			}
			if d := p.CheckQuota(t, *amount); d != nil {
				return errs.New(errs.Invalid, "%s: %s.", u.Name, errs.Text(*d, errs.Exchange))
			}
			after[code] = *amount
		}
		if maps.Equal(before, after) {
			return nil
		}
		if _, err := tx.c.ExecContext(ctx, `DELETE FROM program_thresholds WHERE program = $1 AND kind = 'quota' AND target = $2`, code, target); err != nil {
			return err
		}
		for u, v := range after {
			if _, err := tx.c.ExecContext(ctx, `INSERT INTO program_thresholds (root, program, kind, target, cond, unit_code, threshold) VALUES ($1, $2, 'quota', $3, 0, $4, $5)`,
				root, code, target, u, v); err != nil {
				return err
			}
		}
		// A quota is the threshold a unit's pages judge it by.
		tx.Stale(AllPages)
		return tx.Audit(ctx, a, "update", "quota", code+"/"+target, before, after)
	})
}

func quotasBy(ctx context.Context, q queryer, code, target string) (map[string]float64, error) {
	rows, err := q.QueryContext(ctx, `SELECT unit_code, threshold FROM program_thresholds WHERE program = $1 AND kind = 'quota' AND target = $2`, code, target)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var u string
		var v float64
		if err := rows.Scan(&u, &v); err != nil {
			return nil, err
		}
		out[u] = v
	}
	return out, rows.Err()
}

// UnitThresholds returns every unit's own threshold and quota in the
// family of prog, for the scorecard (rollup.Source).
func (s *Store) UnitThresholds(ctx context.Context, prog *program.Program) ([]program.UnitThreshold, error) {
	return unitThresholds(ctx, s.DB, prog)
}

func unitThresholds(ctx context.Context, q queryer, prog *program.Program) ([]program.UnitThreshold, error) {
	root, err := rootOf(ctx, q, prog)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT unit_code, target, cond, threshold, kind FROM program_thresholds WHERE root = $1`, root)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []program.UnitThreshold
	for rows.Next() {
		var t program.UnitThreshold
		var kind string
		if err := rows.Scan(&t.Unit, &t.Target, &t.Condition, &t.Threshold, &kind); err != nil {
			return nil, err
		}
		t.Quota = kind == "quota"
		out = append(out, t)
	}
	return out, rows.Err()
}
