package store

import (
	"context"
	"database/sql"
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
	return s.insertRowsFunc(ctx, q, table, cols, len(rows), func(i int, dst []any) []any {
		return append(dst, rows[i]...)
	}, suffix)
}

// preparer is what *sql.Conn and *sql.Tx offer beside queryer.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// insertRowsFunc is insertRows with the rows produced one at a time: row
// appends row i's values to dst. A million-value import then never holds a
// million []any at once, only one statement's arguments, which the garbage
// collector would otherwise scan over and over while the import runs.
//
// The full-size statement is prepared once and reused: SQLite compiles a
// statement on every Exec otherwise, and compiling a 3,000-parameter INSERT
// cost as much as a third of executing it.
func (s *Store) insertRowsFunc(ctx context.Context, q queryer, table string, cols []string, n int, row func(i int, dst []any) []any, suffix string) error {
	if n == 0 {
		return nil
	}
	per := maxParams / len(cols)
	if per > 500 {
		per = 500
	}
	args := make([]any, 0, per*len(cols))
	var full *sql.Stmt
	if p, ok := q.(preparer); ok && n >= 2*per {
		stmt, err := p.PrepareContext(ctx, s.insertSQL(table, cols, per, suffix))
		if err != nil {
			return err
		}
		defer stmt.Close()
		full = stmt
	}
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		var err error
		if full != nil && end-start == per {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = q.ExecContext(ctx, s.insertSQL(table, cols, end-start, suffix), args...)
		}
		if err != nil {
			return err
		}
	}
	// Let go of the last statement's values now rather than with args.
	clear(args)
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
