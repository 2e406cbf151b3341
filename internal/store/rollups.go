package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

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
	queries := make([]cellQuery, 0, len(periods))
	for _, per := range periods {
		queries = append(queries, cellQuery{where: where, per: per, args: append(int64Args(elementIDs), per, lo, hi)})
	}
	return s.scanAll(ctx, table, queries, into)
}

// cellQuery is one query of cells: its condition and arguments, and the
// period its rows are for.
type cellQuery struct {
	where, per string
	args       []any
}

// cell is one row of a cell query.
type cell struct {
	element, unit int64
	value         float64
	n             int
}

// maxParallelReads bounds how many of one call's queries run at once,
// each on a connection of its own (SQLite's pool holds four).
const maxParallelReads = 4

// scanAll runs the queries and adds their cells to the set. Several
// queries run at once, one per core: a province's scorecard reads some
// 50,000 cells in a few queries, and reading them one query after another
// left the second core idle while the page waited. Each query's rows are
// gathered apart and added to the set in query order by this goroutine
// alone, since the set is not safe for concurrent use; adding one query's
// cells overlaps with running the next queries. Every query still reads
// what is committed when it starts, as when they ran in turn, each on a
// connection from the pool.
func (s *Store) scanAll(ctx context.Context, table string, queries []cellQuery, into *rollup.Values) error {
	own := table == "data_values"
	add := func(c cell, per string) {
		if own {
			into.AddOwn(c.unit, c.element, per, c.value)
		} else {
			into.AddBelow(c.unit, c.element, per, c.value, c.n)
		}
	}
	workers := min(len(queries), runtime.GOMAXPROCS(0), maxParallelReads)
	if workers <= 1 {
		for _, q := range queries {
			if err := s.scanCells(ctx, table, q, func(c cell) { add(c, q.per) }); err != nil {
				return err
			}
		}
		return nil
	}
	type result struct {
		cells []cell
		err   error
		done  chan struct{}
	}
	results := make([]result, len(queries))
	for i := range results {
		results[i].done = make(chan struct{})
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	var next atomic.Int64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(queries) {
					return
				}
				r := &results[i]
				r.err = s.scanCells(ctx, table, queries[i], func(c cell) { r.cells = append(r.cells, c) })
				close(r.done)
			}
		}()
	}
	for i := range results {
		r := &results[i]
		<-r.done
		if r.err != nil {
			return r.err
		}
		for _, c := range r.cells {
			add(c, queries[i].per)
		}
		r.cells = nil
	}
	return nil
}

// scanCells runs one cell query: (element, unit, value, n) rows, own values
// from data_values, roll-ups from data_rollups. It reads the driver's rows
// directly: a province's scorecard reads tens of thousands of cells, and
// database/sql's per-row conversions were most of the time.
func (s *Store) scanCells(ctx context.Context, table string, q cellQuery, fn func(cell)) error {
	own := table == "data_values"
	cols := "element_id, unit_id, value, n"
	if own {
		// No count column for own values (each is one value): every column
		// read costs per row, and a province's scorecard reads some 50,000.
		cols = "element_id, unit_id, value"
	}
	return s.queryRaw(ctx, `SELECT `+cols+` FROM `+table+` `+q.where, q.args, func(row []driver.Value) error {
		c := cell{element: asInt(row[0]), unit: asInt(row[1]), value: asFloat(row[2]), n: 1}
		if !own {
			c.n = int(asInt(row[3]))
		}
		fn(c)
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
	var queries []cellQuery
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
			queries = append(queries, cellQuery{where: where, per: per, args: append(append(int64Args(elementIDs), per), stringArgs(paths)...)})
		}
	}
	return s.scanAll(ctx, table, queries, into)
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
