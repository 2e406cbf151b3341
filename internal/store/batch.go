package store

import (
	"context"
	"strconv"
	"strings"
)

// maxParams keeps a multi-row statement under both engines' limits on bound
// parameters (SQLite 32766, PostgreSQL 65535).
const maxParams = 30000

// insertRows writes rows with multi-row INSERT statements. One statement per
// few hundred rows instead of one per row is what makes bulk writes fast on
// SQLite, where every statement costs a round through the VM setup.
// suffix is appended to each statement (an ON CONFLICT clause).
func (s *Store) insertRows(ctx context.Context, q queryer, table string, cols []string, rows [][]any, suffix string) error {
	if len(rows) == 0 {
		return nil
	}
	per := maxParams / len(cols)
	if per > 500 {
		per = 500
	}
	var stmt string
	stmtRows := -1
	args := make([]any, 0, per*len(cols))
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		if end-start != stmtRows {
			stmt = s.insertSQL(table, cols, end-start, suffix)
			stmtRows = end - start
		}
		args = args[:0]
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		if _, err := q.ExecContext(ctx, stmt, args...); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) insertSQL(table string, cols []string, n int, suffix string) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(table)
	b.WriteString(" (")
	b.WriteString(strings.Join(cols, ", "))
	b.WriteString(") VALUES ")
	p := 1
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		b.WriteString(s.placeholders(p, len(cols)))
		p += len(cols)
		b.WriteByte(')')
	}
	if suffix != "" {
		b.WriteByte(' ')
		b.WriteString(suffix)
	}
	return b.String()
}

// placeholders writes n bind parameters numbered from "from". SQLite gets
// plain '?': it looks "$n" names up in a list, which turns a statement with
// thousands of parameters quadratic.
func (s *Store) placeholders(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		if s.Engine == SQLite {
			b.WriteByte('?')
		} else {
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(from + i))
		}
	}
	return b.String()
}
