package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
)

// The store is the roll-up's Source.
var _ rollup.Source = (*Store)(nil)

func inList(start int, n int) string { return placeholders(start, n) }

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
	if len(elementIDs) == 0 || len(periods) == 0 {
		return nil
	}
	lo, hi := unit.PathRange(root.Path)
	args := append(int64Args(elementIDs), stringArgs(periods)...)
	args = append(args, lo, hi)
	n := len(elementIDs) + len(periods)
	rows, err := s.DB.QueryContext(ctx, `SELECT element_id, period, unit_path, value, n FROM data_rollups
		WHERE element_id IN (`+inList(1, len(elementIDs))+`) AND period IN (`+inList(len(elementIDs)+1, len(periods))+`)
		AND unit_path >= $`+strconv.Itoa(n+1)+` AND unit_path < $`+strconv.Itoa(n+2), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var el int64
		var per, path string
		var v float64
		var cnt int
		if err := rows.Scan(&el, &per, &path, &v, &cnt); err != nil {
			return err
		}
		into.AddBelow(lastID(path), el, per, v, cnt)
	}
	return rows.Err()
}

// LoadOwn reads the values entered at every unit in root's subtree.
func (s *Store) LoadOwn(ctx context.Context, root unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	if len(elementIDs) == 0 || len(periods) == 0 {
		return nil
	}
	lo, hi := unit.PathRange(root.Path)
	args := append(int64Args(elementIDs), stringArgs(periods)...)
	args = append(args, lo, hi)
	n := len(elementIDs) + len(periods)
	rows, err := s.DB.QueryContext(ctx, `SELECT element_id, period, unit_id, value FROM data_values
		WHERE element_id IN (`+inList(1, len(elementIDs))+`) AND period IN (`+inList(len(elementIDs)+1, len(periods))+`)
		AND unit_path >= $`+strconv.Itoa(n+1)+` AND unit_path < $`+strconv.Itoa(n+2), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var el, uid int64
		var per string
		var v float64
		if err := rows.Scan(&el, &per, &uid, &v); err != nil {
			return err
		}
		into.AddOwn(uid, el, per, v)
	}
	return rows.Err()
}

// LoadAt reads own values and roll-ups of exactly the given units.
func (s *Store) LoadAt(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
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
		args := append(int64Args(elementIDs), stringArgs(periods)...)
		args = append(args, stringArgs(paths)...)
		where := `WHERE element_id IN (` + inList(1, len(elementIDs)) + `) AND period IN (` + inList(len(elementIDs)+1, len(periods)) +
			`) AND unit_path IN (` + inList(len(elementIDs)+len(periods)+1, len(paths)) + `)`
		rows, err := s.DB.QueryContext(ctx, `SELECT element_id, period, unit_path, value, 1 AS own, 1 FROM data_values `+where+
			` UNION ALL SELECT element_id, period, unit_path, value, 0, n FROM data_rollups `+where, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var el int64
			var per, path string
			var v float64
			var own, cnt int
			if err := rows.Scan(&el, &per, &path, &v, &own, &cnt); err != nil {
				rows.Close()
				return err
			}
			if own == 1 {
				into.AddOwn(lastID(path), el, per, v)
			} else {
				into.AddBelow(lastID(path), el, per, v, cnt)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
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
