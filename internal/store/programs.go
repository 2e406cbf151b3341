package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/value"
)

// SaveProgram stores a validated program and upserts its data elements, in
// one audited transaction. An element that already has values may change
// its words but not how its values are read (type, period, aggregation).
// changed reports whether anything was written: saving the program as it is
// stored writes nothing and audits nothing.
func (s *Store) SaveProgram(ctx context.Context, a audit.Actor, p *program.Program) (changed bool, err error) {
	err = s.WithTx(ctx, func(tx *Tx) error {
		changed, err = s.saveProgram(ctx, tx, a, p)
		return err
	})
	if err != nil {
		return false, err
	}
	return changed, nil
}

// saveProgram is SaveProgram inside tx. A derived program is checked
// against its parent and stored without what it shares with it
// (cascade.go).
func (s *Store) saveProgram(ctx context.Context, tx *Tx, a audit.Actor, p *program.Program) (changed bool, err error) {
	var parent *program.Program
	if p.Derived() {
		if p, parent, err = ownPart(ctx, tx.c, p); err != nil {
			return false, err
		}
	}
	if fes := program.Validate(p); len(fes) > 0 {
		return false, errs.New(errs.Invalid, "chương trình không hợp lệ: %s", errs.Line(fes[0].Detail(), errs.Exchange))
	}
	from, to := fmt.Sprintf("%04d-01-01", p.Term.From), fmt.Sprintf("%04d-12-31", p.Term.To)
	owner, err := unitDuring(ctx, tx.c, p.OwnerUnit, from, to)
	if err != nil {
		return false, errs.New(errs.Invalid, "owner_unit: không có đơn vị mã %q trong nhiệm kỳ %d–%d", p.OwnerUnit, p.Term.From, p.Term.To)
	}
	if parent != nil {
		if err := checkDerived(ctx, tx, p, parent, owner); err != nil {
			return false, err
		}
	}
	for _, e := range p.DataElements {
		saved, err := saveElement(ctx, tx, a, e)
		if err != nil {
			return false, err
		}
		changed = changed || saved
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return false, err
	}
	var before sql.NullString
	err = tx.c.QueryRowContext(ctx, `SELECT document FROM programs WHERE code = $1`, p.Code).Scan(&before)
	if err != nil && err != sql.ErrNoRows {
		return false, err
	}
	if before.String == string(doc) {
		return changed, nil
	}
	if _, err := tx.c.ExecContext(ctx, `INSERT INTO programs (code, name, document, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, document = excluded.document, updated_at = excluded.updated_at`,
		p.Code, p.Name, string(doc), tx.now.UTC()); err != nil {
		return false, err
	}
	if parent != nil {
		if err := indexDerived(ctx, tx, p, parent); err != nil {
			return false, err
		}
	}
	// Every page shows programs: their names, targets and thresholds.
	tx.Stale(AllPages)
	action := "create"
	var b any
	if before.Valid {
		action, b = "update", json.RawMessage(before.String)
	}
	return true, tx.Audit(ctx, a, action, "program", p.Code, b, json.RawMessage(doc))
}

// saveElement inserts or updates one data element and reports whether it
// wrote anything.
func saveElement(ctx context.Context, tx *Tx, a audit.Actor, e program.DataElement) (bool, error) {
	def, err := json.Marshal(e)
	if err != nil {
		return false, err
	}
	var id int64
	var old string
	err = tx.c.QueryRowContext(ctx, `SELECT id, definition FROM data_elements WHERE code = $1`, e.Code).Scan(&id, &old)
	if err == sql.ErrNoRows {
		if _, err := tx.c.ExecContext(ctx, `INSERT INTO data_elements (code, definition) VALUES ($1, $2)`, e.Code, string(def)); err != nil {
			return false, err
		}
		tx.Stale(AllPages)
		return true, tx.Audit(ctx, a, "create", "data_element", e.Code, nil, json.RawMessage(def))
	}
	if err != nil {
		return false, err
	}
	if old == string(def) {
		return false, nil
	}
	var prev program.DataElement
	if err := json.Unmarshal([]byte(old), &prev); err != nil {
		return false, err
	}
	if prev.ValueType != e.ValueType || prev.PeriodType != e.PeriodType || prev.Aggregation != e.Aggregation {
		var n int
		if err := tx.c.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM data_values WHERE element_id = $1 LIMIT 1) x`, id).Scan(&n); err != nil {
			return false, err
		}
		if n > 0 {
			return false, errs.New(errs.Conflict, "chỉ số %s đã có số liệu: không đổi được kiểu giá trị, loại kỳ hay cách tổng hợp (đang là %s, %s, %s)",
				e.Code, prev.ValueType, prev.PeriodType, prev.Aggregation)
		}
	}
	if _, err := tx.c.ExecContext(ctx, `UPDATE data_elements SET definition = $1 WHERE id = $2`, string(def), id); err != nil {
		return false, err
	}
	tx.Stale(AllPages)
	return true, tx.Audit(ctx, a, "update", "data_element", e.Code, json.RawMessage(old), json.RawMessage(def))
}

// Programs returns every stored program, by code; a derived program with
// its parent's sub-programs, targets and data elements.
func (s *Store) Programs(ctx context.Context) ([]*program.Program, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT document FROM programs ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*program.Program
	byCode := map[string]*program.Program{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var p program.Program
		if err := json.Unmarshal([]byte(doc), &p); err != nil {
			return nil, err
		}
		out = append(out, &p)
		byCode[p.Code] = &p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, p := range out {
		if out[i], err = resolveFrom(p, byCode, 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Program returns one program by code; a derived program with its
// parent's sub-programs, targets and data elements.
func (s *Store) Program(ctx context.Context, code string) (*program.Program, error) {
	return loadProgram(ctx, s.DB, code, true)
}

// OwnProgram returns a program as stored: a derived program without what
// it shares with its parent (cheaper, for lists of derived programs).
func (s *Store) OwnProgram(ctx context.Context, code string) (*program.Program, error) {
	return loadProgram(ctx, s.DB, code, false)
}

// Elements returns every stored data element by code.
func (s *Store) Elements(ctx context.Context) (map[string]*value.Element, error) {
	return loadElements(ctx, s.DB)
}

func loadElements(ctx context.Context, q queryer) (map[string]*value.Element, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, definition FROM data_elements`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*value.Element{}
	for rows.Next() {
		var id int64
		var def string
		if err := rows.Scan(&id, &def); err != nil {
			return nil, err
		}
		e := &value.Element{ID: id}
		if err := json.Unmarshal([]byte(def), &e.DataElement); err != nil {
			return nil, err
		}
		if e.Type, err = period.ParseType(e.PeriodType); err != nil {
			return nil, err
		}
		out[e.Code] = e
	}
	return out, rows.Err()
}
