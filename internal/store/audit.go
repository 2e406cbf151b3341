package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"mattran/internal/audit"
	"mattran/internal/unit"
)

// AuditFilter selects entries of the audit log and writes of values.
//
// Scope is a subtree: an entry belongs to it when
//   - it was made by a user of the subtree (whoever it touched), or
//   - it is about something in the subtree: a user or API token of a user
//     whose unit is in it, a unit version in it, a period lock of a unit in
//     it, a program whose owner unit is in it (Programs lists their codes,
//     and their data elements' codes, since the store keeps no owner for
//     an element), or, for a write of values, a value of a unit in it that
//     the write replaced.
//
// Entries made by the command line or the system about nothing in the
// subtree belong only to the root's scope, which holds every entry.
type AuditFilter struct {
	Scope    unit.Unit
	Programs []string // program and data element codes owned in the scope
	Actor    string   // a username, or "cli:…"; "" for all
	Entity   string   // "data_values" for writes of values; "" for all
	Action   string
	From, To time.Time // [From, To); zero for open
	Offset   int
	Limit    int
}

// ValuesEntity is the entity a write of values is listed under.
const ValuesEntity = "data_values"

// AuditRecord is an audit log entry, or a write of values (Entity
// ValuesEntity, EntityKey its source, Imported/Updated/Ignored its counts).
type AuditRecord struct {
	audit.Entry
	Imported, Updated, Ignored int
}

// ReplacedValue is one value a write of values replaced.
type ReplacedValue struct {
	ChangeID      int64
	Element       string
	Period        string
	UnitCode      string
	UnitName      string
	Before, After float64
}

// AuditLog returns the entries f selects, newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditRecord, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	common := func(at, actor, entity, action string) []string {
		var w []string
		if f.Actor != "" {
			w = append(w, actor+" = "+arg(f.Actor))
		}
		// A write of values has no entity or action column: which of the
		// two tables is read already answers those filters.
		if f.Entity != "" && entity != "" {
			w = append(w, entity+" = "+arg(f.Entity))
		}
		if f.Action != "" && action != "" {
			w = append(w, action+" = "+arg(f.Action))
		}
		if !f.From.IsZero() {
			w = append(w, at+" >= "+arg(f.From.UTC()))
		}
		if !f.To.IsZero() {
			w = append(w, at+" < "+arg(f.To.UTC()))
		}
		return w
	}
	where := func(w []string) string {
		if len(w) == 0 {
			return ""
		}
		return " WHERE " + strings.Join(w, " AND ")
	}
	root := f.Scope.ParentID == 0
	var lo, hi string
	if !root {
		l, h := unit.PathRange(f.Scope.Path)
		lo, hi = arg(l), arg(h)
	}
	in := func(path string) string { return path + " >= " + lo + " AND " + path + " < " + hi }

	var parts []string
	if f.Entity != ValuesEntity {
		logWhere := common("a.at", "a.actor", "a.entity", "a.action")
		if !root {
			key := "a.entity_key"
			scope := []string{
				// Made by a user of the subtree: the actor's unit when they
				// acted (entries from before it was recorded: their unit now).
				in("COALESCE(NULLIF(a.actor_path, ''), an.path)"),
				`(a.entity IN ('user', 'api_token') AND EXISTS (SELECT 1 FROM users tu JOIN units tn ON tn.id = tu.unit_id WHERE tu.username = ` + key + ` AND ` + in("tn.path") + `))`,
				`(a.entity IN ('unit', 'period') AND EXISTS (SELECT 1 FROM units x WHERE x.code = ` + s.keyCode(key) + ` AND x.valid_from = ` + s.keyDate(key) + ` AND ` + in("x.path") + `))`,
			}
			if len(f.Programs) > 0 {
				scope = append(scope, `(a.entity IN ('program', 'data_element') AND `+arg(","+strings.Join(f.Programs, ",")+",")+` LIKE '%,' || a.entity_key || ',%')`)
			}
			logWhere = append(logWhere, "("+strings.Join(scope, " OR ")+")")
		}
		parts = append(parts, `SELECT a.id, a.at, COALESCE(a.user_id, 0) AS user_id, a.actor, a.action, a.entity, a.entity_key,
			COALESCE(a.before, '') AS before, COALESCE(a.after, '') AS after, 0 AS imported, 0 AS updated, 0 AS ignored
		FROM audit_log a LEFT JOIN users au ON au.id = a.user_id LEFT JOIN units an ON an.id = au.unit_id`+where(logWhere))
	}
	if (f.Entity == "" || f.Entity == ValuesEntity) && (f.Action == "" || f.Action == "write") {
		valueWhere := common("c.at", "c.actor", "", "")
		if !root {
			valueWhere = append(valueWhere, "("+in("COALESCE(NULLIF(c.actor_path, ''), cn.path)")+` OR EXISTS (SELECT 1 FROM data_value_audit d JOIN units du ON du.id = d.unit_id WHERE d.change_id = c.id AND `+in("du.path")+`))`)
		}
		parts = append(parts, `SELECT c.id, c.at, COALESCE(c.user_id, 0), c.actor, 'write', '`+ValuesEntity+`', c.source, '', '', c.imported, c.updated, c.ignored
		FROM value_changes c LEFT JOIN users cu ON cu.id = c.user_id LEFT JOIN units cn ON cn.id = cu.unit_id`+where(valueWhere))
	}
	q := `SELECT * FROM (` + strings.Join(parts, " UNION ALL ") + `) e ORDER BY at DESC, id DESC LIMIT ` + arg(f.Limit) + ` OFFSET ` + arg(f.Offset)
	rows, err := s.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditRecord
	for rows.Next() {
		var r AuditRecord
		var at any
		if err := rows.Scan(&r.ID, &at, &r.UserID, &r.Actor, &r.Action, &r.Entity, &r.EntityKey, &r.Before, &r.After, &r.Imported, &r.Updated, &r.Ignored); err != nil {
			return nil, err
		}
		if r.At, err = timeOf(at); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// timeOf reads a timestamp column out of a UNION, which SQLite returns as
// text (the union loses the column's declared type).
func timeOf(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case []byte:
		return parseStoredTime(string(t))
	case string:
		return parseStoredTime(t)
	}
	return time.Time{}, fmt.Errorf("thời điểm %v (%T) không đọc được", v, v)
}

func parseStoredTime(s string) (time.Time, error) {
	// The SQLite driver writes a time.Time as Go's String() form, minus
	// the monotonic clock reading.
	if i := strings.Index(s, " m="); i >= 0 {
		s = s[:i]
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("thời điểm %q không đọc được", s)
}

// keyCode and keyDate read "CODE@YYYY-MM-DD[/…]", the key the audit log
// gives a unit version and a period lock: the code, and the version's
// first day. The engines split strings with different functions.
func (s *Store) keyCode(col string) string {
	if s.Engine == Postgres {
		return "split_part(" + col + ", '@', 1)"
	}
	return "substr(" + col + ", 1, instr(" + col + ", '@') - 1)"
}

func (s *Store) keyDate(col string) string {
	if s.Engine == Postgres {
		return "substr(split_part(" + col + ", '@', 2), 1, 10)"
	}
	return "substr(" + col + ", instr(" + col + ", '@') + 1, 10)"
}

// ReplacedValues returns, for one write of values, up to limit of the
// values it replaced in the subtree of scope, with their before and after.
func (s *Store) ReplacedValues(ctx context.Context, changeID int64, scope unit.Unit, limit int) ([]ReplacedValue, error) {
	lo, hi := unit.PathRange(scope.Path)
	rows, err := s.DB.QueryContext(ctx, `SELECT d.change_id, e.code, d.period, u.code, u.name, COALESCE(d.before_value, 0), COALESCE(d.after_value, 0)
		FROM data_value_audit d JOIN data_elements e ON e.id = d.element_id JOIN units u ON u.id = d.unit_id
		WHERE d.change_id = $1 AND u.path >= $2 AND u.path < $3
		ORDER BY u.path, e.code, d.period LIMIT $4`, changeID, lo, hi, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReplacedValue
	for rows.Next() {
		var v ReplacedValue
		if err := rows.Scan(&v.ChangeID, &v.Element, &v.Period, &v.UnitCode, &v.UnitName, &v.Before, &v.After); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AuditKinds lists the entities and the actions the audit log holds, for
// the filter's choices.
func (s *Store) AuditKinds(ctx context.Context) (entities, actions []string, err error) {
	list := func(q string) ([]string, error) {
		rows, err := s.DB.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
	if entities, err = list(`SELECT DISTINCT entity FROM audit_log ORDER BY entity`); err != nil {
		return nil, nil, err
	}
	actions, err = list(`SELECT DISTINCT action FROM audit_log ORDER BY action`)
	return entities, actions, err
}
