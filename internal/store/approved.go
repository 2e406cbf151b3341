package store

import (
	"context"

	"mattran/internal/period"
	"mattran/internal/unit"
)

// PeriodLocked reports whether u's figures for p are approved: locked at
// u or a unit above it, for p itself, or for a period containing p by a
// lock that covers the periods inside it (an approved report's lock is
// exact: the year's approval leaves its quarters as they were).
func (s *Store) PeriodLocked(ctx context.Context, u unit.Unit, p period.Period) (bool, error) {
	ids := append(u.AncestorIDs(), u.ID)
	var longer []string
	for _, c := range p.Containing() {
		if c != p {
			longer = append(longer, c.String())
		}
	}
	n := len(ids)
	q := `SELECT COUNT(*) FROM period_locks WHERE unit_id IN (` + s.placeholders(1, n) + `) AND (period = ` + s.placeholders(n+1, 1)
	args := append(int64Args(ids), p.String())
	if len(longer) > 0 {
		q += ` OR (period IN (` + s.placeholders(n+2, len(longer)) + `) AND exact = ` + s.placeholders(n+2+len(longer), 1) + `)`
		args = append(append(args, stringArgs(longer)...), false)
	}
	var count int
	err := s.DB.QueryRowContext(ctx, q+`)`, args...).Scan(&count)
	return count > 0, err
}
