package store

import (
	"context"
	"sort"

	"mattran/internal/unit"
)

// CodesOutside returns the codes, of those given, that name no unit in
// scope's subtree at any date: a writer at scope can write none of their
// values. It only reads, so an import can be refused for them before it
// waits for the write lock. Sorted.
func (s *Store) CodesOutside(ctx context.Context, codes []string, scope unit.Unit) ([]string, error) {
	lo, hi := unit.PathRange(scope.Path)
	inside := map[string]bool{}
	const batch = 500
	for i := 0; i < len(codes); i += batch {
		part := codes[i:min(i+batch, len(codes))]
		args := []any{lo, hi}
		for _, c := range part {
			args = append(args, c)
		}
		p1, p2 := "$1", "$2"
		if s.Engine == SQLite {
			p1, p2 = "?", "?"
		}
		rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT code FROM units WHERE path >= `+p1+` AND path < `+p2+
			` AND code IN (`+s.placeholders(3, len(part))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return nil, err
			}
			inside[c] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, c := range codes {
		if !inside[c] {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out, nil
}
