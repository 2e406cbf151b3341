package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"

	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
)

// The store is the roll-up's Source.
var _ rollup.Source = (*Store)(nil)

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func stringArgs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// lastID reads the unit id off the end of a path, "/1/25/380/" → 380.
func lastID(path string) int64 {
	p := strings.TrimSuffix(path, "/")
	id, _ := strconv.ParseInt(p[strings.LastIndexByte(p, '/')+1:], 10, 64)
	return id
}

// LoadBelow reads the roll-ups of every unit in root's subtree.
func (s *Store) LoadBelow(ctx context.Context, root unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	return s.loadRange(ctx, "data_rollups", root, elementIDs, periods, into)
}

// LoadOwn reads the values entered at every unit in root's subtree.
func (s *Store) LoadOwn(ctx context.Context, root unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	return s.loadRange(ctx, "data_values", root, elementIDs, periods, into)
}

// loadRange reads one table's cells for the elements and periods over
// root's subtree: one index range per (element, period). It runs one query
// per period, so rows need not carry the period text.
func (s *Store) loadRange(ctx context.Context, table string, root unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	if len(elementIDs) == 0 || len(periods) == 0 {
		return nil
	}
	lo, hi := unit.PathRange(root.Path)
	n := len(elementIDs)
	where := `WHERE element_id IN (` + s.placeholders(1, n) + `) AND period = ` + s.placeholders(n+1, 1) +
		` AND unit_path >= ` + s.placeholders(n+2, 1) + ` AND unit_path < ` + s.placeholders(n+3, 1)
	for _, per := range periods {
		args := append(int64Args(elementIDs), per, lo, hi)
		if err := s.scanCells(ctx, table, where, per, args, into); err != nil {
			return err
		}
	}
	return nil
}

// scanCells reads (element, unit, value, n) rows of one period into the
// set: own values from data_values, roll-ups from data_rollups. It reads the
// driver's rows directly: a province's scorecard reads tens of thousands of
// cells, and database/sql's per-row conversions were most of the time.
func (s *Store) scanCells(ctx context.Context, table, where, per string, args []any, into *rollup.Values) error {
	own := table == "data_values"
	count := "n"
	if own {
		count = "1"
	}
	return s.queryRaw(ctx, `SELECT element_id, unit_id, value, `+count+` FROM `+table+` `+where, args, func(row []driver.Value) error {
		el, uid, v := asInt(row[0]), asInt(row[1]), asFloat(row[2])
		if own {
			into.AddOwn(uid, el, per, v)
		} else {
			into.AddBelow(uid, el, per, v, int(asInt(row[3])))
		}
		return nil
	})
}

// LoadOwnAt reads the values entered at exactly the given units.
func (s *Store) LoadOwnAt(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	return s.loadAt(ctx, "data_values", units, elementIDs, periods, into)
}

// LoadBelowAt reads the roll-ups of exactly the given units.
func (s *Store) LoadBelowAt(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	return s.loadAt(ctx, "data_rollups", units, elementIDs, periods, into)
}

func (s *Store) loadAt(ctx context.Context, table string, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	if len(units) == 0 || len(elementIDs) == 0 || len(periods) == 0 {
		return nil
	}
	const chunk = 500
	for start := 0; start < len(units); start += chunk {
		part := units[start:min(start+chunk, len(units))]
		paths := make([]string, len(part))
		for i, u := range part {
			paths[i] = u.Path
		}
		n := len(elementIDs)
		where := `WHERE element_id IN (` + s.placeholders(1, n) + `) AND period = ` + s.placeholders(n+1, 1) +
			` AND unit_path IN (` + s.placeholders(n+2, len(paths)) + `)`
		for _, per := range periods {
			args := append(append(int64Args(elementIDs), per), stringArgs(paths)...)
			if err := s.scanCells(ctx, table, where, per, args, into); err != nil {
				return err
			}
		}
	}
	return nil
}

// VerifyRollups recomputes every roll-up from the stored values and reports
// the first that differs. Tests and "mattran check" use it; the roll-up is
// kept in the same transaction as the values, so it must never differ.
func (s *Store) VerifyRollups(ctx context.Context) error {
	elements, err := s.Elements(ctx)
	if err != nil {
		return err
	}
	isMax := map[int64]bool{}
	for _, e := range elements {
		isMax[e.ID] = e.Aggregation == program.Max
	}
	type key struct {
		el   int64
		per  string
		path string
	}
	want := map[key]rollup.Cell{}
	rows, err := s.DB.QueryContext(ctx, `SELECT element_id, period, unit_path, value FROM data_values`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k key
		var v float64
		if err := rows.Scan(&k.el, &k.per, &k.path, &v); err != nil {
			rows.Close()
			return err
		}
		path := k.path
		for i := 1; i < len(path)-1; i++ {
			if path[i] != '/' {
				continue
			}
			a := key{k.el, k.per, path[:i+1]}
			c := want[a]
			if isMax[k.el] && c.N > 0 {
				c.Value = max(c.Value, v)
			} else if isMax[k.el] {
				c.Value = v
			} else {
				c.Value += v
			}
			c.N++
			want[a] = c
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	got := map[key]rollup.Cell{}
	rows, err = s.DB.QueryContext(ctx, `SELECT element_id, period, unit_path, value, n FROM data_rollups WHERE n > 0`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k key
		var c rollup.Cell
		if err := rows.Scan(&k.el, &k.per, &k.path, &c.Value, &c.N); err != nil {
			return err
		}
		got[k] = c
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for k, w := range want {
		if g := got[k]; g != w {
			return fmt.Errorf("tổng hợp sai: chỉ số %d kỳ %s tại %s là %v (%d giá trị), tính lại được %v (%d giá trị)", k.el, k.per, k.path, g.Value, g.N, w.Value, w.N)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			return fmt.Errorf("tổng hợp thừa: chỉ số %d kỳ %s tại %s = %v", k.el, k.per, k.path, g.Value)
		}
	}
	return nil
}
