package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5/stdlib"

	"mattran/internal/audit"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

const unitCols = `id, code, name, kind, official_type, COALESCE(parent_id, 0), path, valid_from, valid_to, synthetic`

func scanUnit(sc interface{ Scan(...any) error }) (unit.Unit, error) {
	var u unit.Unit
	var kind string
	err := sc.Scan(&u.ID, &u.Code, &u.Name, &kind, &u.OfficialType, &u.ParentID, &u.Path, &u.ValidFrom, &u.ValidTo, &u.Synthetic)
	u.Kind = unit.Kind(kind)
	return u, err
}

func queryUnits(ctx context.Context, q queryer, query string, args ...any) ([]unit.Unit, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []unit.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// allUnitsIn reads every unit version through q. On PostgreSQL, when q
// is a connection, pgx scans the rows itself: through database/sql each
// of the national tree's 102,857 versions cost ten conversions to
// driver values and back, some 0.3 s of CPU at the start of every bulk
// import, before which nothing can be resolved or written.
func (s *Store) allUnitsIn(ctx context.Context, q queryer) ([]unit.Unit, error) {
	c, ok := q.(*sql.Conn)
	if s.Engine != Postgres || !ok {
		return queryUnits(ctx, q, `SELECT `+unitCols+` FROM units`)
	}
	var out []unit.Unit
	err := c.Raw(func(dc any) error {
		rows, err := dc.(*stdlib.Conn).Conn().Query(ctx, `SELECT `+unitCols+` FROM units`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUnit(rows)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, err
}

// Root returns the central committee, the root of the tree.
func (s *Store) Root(ctx context.Context) (unit.Unit, error) {
	return scanUnit(s.DB.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`))
}

// UnitByID returns one unit version.
func (s *Store) UnitByID(ctx context.Context, id int64) (unit.Unit, error) {
	u, err := scanUnit(s.prepared().QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return u, notFound("không có đơn vị số %d", id)
	}
	return u, err
}

// UnitAt returns the unit that carries code on date (YYYY-MM-DD).
func (s *Store) UnitAt(ctx context.Context, code, date string) (unit.Unit, error) {
	u, err := scanUnit(s.DB.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE code = $1 AND valid_from <= $2 AND valid_to >= $2`, code, date))
	if err == sql.ErrNoRows {
		return u, notFound("không có đơn vị mã %q vào ngày %s", code, vn.Day(date))
	}
	return u, err
}

// UnitDuring returns the unit that carries code during [from, to]. When a
// code changed hands inside the interval, the later unit wins: a figure for
// 2025 sent after the July reform belongs to the new unit.
func (s *Store) UnitDuring(ctx context.Context, code, from, to string) (unit.Unit, error) {
	return unitDuring(ctx, s.prepared(), code, from, to)
}

func unitDuring(ctx context.Context, q queryer, code, from, to string) (unit.Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units
		WHERE code = $1 AND valid_from <= $2 AND valid_to >= $3 ORDER BY valid_from DESC LIMIT 1`, code, to, from))
	if err == sql.ErrNoRows {
		return u, notFound("không có đơn vị mã %q trong khoảng %s – %s", code, vn.Day(from), vn.Day(to))
	}
	return u, err
}

// Children returns the units directly under u on date, by code.
func (s *Store) Children(ctx context.Context, u unit.Unit, date string) ([]unit.Unit, error) {
	return queryUnits(ctx, s.prepared(), `SELECT `+unitCols+` FROM units WHERE parent_id = $1 AND valid_from <= $2 AND valid_to >= $2 ORDER BY code`, u.ID, date)
}

// Subtree returns u and every unit below it on date, parents before
// children (path order).
func (s *Store) Subtree(ctx context.Context, u unit.Unit, date string) ([]unit.Unit, error) {
	lo, hi := unit.PathRange(u.Path)
	return queryUnits(ctx, s.DB, `SELECT `+unitCols+` FROM units WHERE path >= $1 AND path < $2 AND valid_from <= $3 AND valid_to >= $3 ORDER BY path`, lo, hi, date)
}

// UnitsDuring returns every unit version that exists on some day of
// [from, to], for resolving codes in bulk.
func (s *Store) UnitsDuring(ctx context.Context, from, to string) ([]unit.Unit, error) {
	return queryUnits(ctx, s.DB, `SELECT `+unitCols+` FROM units WHERE valid_from <= $1 AND valid_to >= $2`, to, from)
}

// AllUnits returns every stored version, in path order.
func (s *Store) AllUnits(ctx context.Context) ([]unit.Unit, error) {
	return queryUnits(ctx, s.DB, `SELECT `+unitCols+` FROM units ORDER BY path`)
}

// Successors returns the links out of (direction "to") or into ("from") u.
func (s *Store) Successors(ctx context.Context, u unit.Unit) (next, prev []unit.Successor, err error) {
	load := func(query string) ([]unit.Successor, error) {
		rows, err := s.DB.QueryContext(ctx, query, u.ID)
		if err != nil {
			return nil, err
		}
		type link struct {
			from, to int64
			kind     string
		}
		var links []link
		for rows.Next() {
			var l link
			if err := rows.Scan(&l.from, &l.to, &l.kind); err != nil {
				rows.Close()
				return nil, err
			}
			links = append(links, l)
		}
		rows.Close()
		var out []unit.Successor
		for _, l := range links {
			f, err := s.UnitByID(ctx, l.from)
			if err != nil {
				return nil, err
			}
			t, err := s.UnitByID(ctx, l.to)
			if err != nil {
				return nil, err
			}
			out = append(out, unit.Successor{From: f, To: t, Kind: unit.Succession(l.kind)})
		}
		return out, rows.Err()
	}
	if next, err = load(`SELECT from_id, to_id, kind FROM unit_successors WHERE from_id = $1 ORDER BY to_id`); err != nil {
		return nil, nil, err
	}
	prev, err = load(`SELECT from_id, to_id, kind FROM unit_successors WHERE to_id = $1 ORDER BY from_id`)
	return next, prev, err
}

// ImportUnits plans and applies a units file in one transaction. The plan is
// returned so the caller can report what changed; a bad file changes nothing.
func (s *Store) ImportUnits(ctx context.Context, a audit.Actor, f *unit.File, opts unit.Options) (*unit.Plan, error) {
	var plan *unit.Plan
	err := s.WithTx(ctx, func(tx *Tx) error {
		all, err := queryUnits(ctx, tx.c, `SELECT `+unitCols+` FROM units`)
		if err != nil {
			return err
		}
		var root unit.Unit
		for _, u := range all {
			if u.ParentID == 0 {
				root = u
			}
		}
		links, err := loadLinks(ctx, tx.c)
		if err != nil {
			return err
		}
		tree := unit.NewTree(root, all, links)
		plan, err = unit.PlanImport(tree, f, opts)
		if err != nil {
			return err
		}
		if err := s.applyUnitPlan(ctx, tx, a, tree, plan); err != nil {
			return err
		}
		return recordUnitList(ctx, tx, a, f, opts)
	})
	if err != nil {
		return nil, err
	}
	return plan, nil
}

func loadLinks(ctx context.Context, q queryer) ([][2]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT from_id, to_id FROM unit_successors`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var l [2]int64
		if err := rows.Scan(&l[0], &l[1]); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func (s *Store) applyUnitPlan(ctx context.Context, tx *Tx, a audit.Actor, tree *unit.Tree, p *unit.Plan) error {
	type auditRow struct {
		action, key string
		before      any
		after       any
	}
	var audits []auditRow
	for _, c := range p.Closes {
		if _, err := tx.c.ExecContext(ctx, `UPDATE units SET valid_to = $1 WHERE id = $2`, c.ValidTo, c.Unit.ID); err != nil {
			return err
		}
		after := c.Unit
		after.ValidTo = c.ValidTo
		audits = append(audits, auditRow{"close", c.Unit.Code + "@" + c.Unit.ValidFrom, c.Unit, after})
	}
	for _, ch := range p.Updates {
		b := ch.After
		if _, err := tx.c.ExecContext(ctx, `UPDATE units SET name = $1, kind = $2, official_type = $3, synthetic = $4, valid_to = $5 WHERE id = $6`,
			b.Name, string(b.Kind), b.OfficialType, b.Synthetic, b.ValidTo, b.ID); err != nil {
			return err
		}
		audits = append(audits, auditRow{"update", b.Code + "@" + b.ValidFrom, ch.Before, ch.After})
	}
	ids, err := s.reserveUnitIDs(ctx, tx, len(p.Creates))
	if err != nil {
		return err
	}
	created := make([]unit.Unit, len(p.Creates))
	rows := make([][]any, len(p.Creates))
	for i, c := range p.Creates {
		parent := tree.ByID[c.ParentID]
		if c.ParentNew >= 0 {
			parent = created[c.ParentNew]
		}
		u := unit.Unit{ID: ids[i], Code: c.Code, Name: c.Name, Kind: c.Kind, OfficialType: c.OfficialType,
			ParentID: parent.ID, Path: unit.ChildPath(parent.Path, ids[i]), ValidFrom: c.ValidFrom, ValidTo: c.ValidTo, Synthetic: c.Synthetic}
		created[i] = u
		rows[i] = []any{u.ID, u.Code, u.Name, string(u.Kind), u.OfficialType, u.ParentID, u.Path, u.ValidFrom, u.ValidTo, u.Synthetic}
		audits = append(audits, auditRow{"create", u.Code + "@" + u.ValidFrom, nil, u})
	}
	if err := s.insertRows(ctx, tx.c, "units", []string{"id", "code", "name", "kind", "official_type", "parent_id", "path", "valid_from", "valid_to", "synthetic"}, rows, ""); err != nil {
		return fmt.Errorf("ghi đơn vị: %w", err)
	}
	linkRows := make([][]any, 0, len(p.Links))
	for _, l := range p.Links {
		to := created[l.ToNew]
		linkRows = append(linkRows, []any{l.FromID, to.ID, string(l.Kind)})
		audits = append(audits, auditRow{"link", fmt.Sprintf("%d>%d", l.FromID, to.ID), nil, map[string]any{"from": tree.ByID[l.FromID].Code, "to": to.Code, "kind": l.Kind, "from_valid_from": tree.ByID[l.FromID].ValidFrom, "to_valid_from": to.ValidFrom}})
	}
	if err := s.insertRows(ctx, tx.c, "unit_successors", []string{"from_id", "to_id", "kind"}, linkRows, "ON CONFLICT DO NOTHING"); err != nil {
		return err
	}
	// Every page lists units: a new, closed or renamed one makes them all stale.
	tx.Stale(AllPages)
	auditRows := make([][]any, 0, len(audits))
	now := tx.now.UTC()
	for _, r := range audits {
		b, err := jsonOrNull(r.before)
		if err != nil {
			return err
		}
		af, err := jsonOrNull(r.after)
		if err != nil {
			return err
		}
		auditRows = append(auditRows, []any{now, nullID(a.UserID), a.Name, r.action, "unit", r.key, b, af, a.UnitPath})
	}
	return s.insertRows(ctx, tx.c, "audit_log", []string{"at", "user_id", "actor", "action", "entity", "entity_key", "before", "after", "actor_path"}, auditRows, "")
}

// reserveUnitIDs hands out n fresh unit ids, so that a unit's path, which
// contains its id, can be written in the same INSERT.
func (s *Store) reserveUnitIDs(ctx context.Context, tx *Tx, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	switch s.Engine {
	case Postgres:
		rows, err := tx.c.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('units', 'id')) FROM generate_series(1, $1)`, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	default:
		// The transaction holds SQLite's write lock from BEGIN IMMEDIATE, so
		// nobody else can take these ids meanwhile.
		var max int64
		if err := tx.c.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM units`).Scan(&max); err != nil {
			return nil, err
		}
		for i := int64(1); i <= int64(n); i++ {
			ids = append(ids, max+i)
		}
		return ids, nil
	}
}
