package store

import (
	"context"

	"mattran/internal/period"
	"mattran/internal/unit"
)

// PeriodLocked reports whether u's figures for p are approved: locked at
// u or a unit above it, for p or a period containing it.
func (s *Store) PeriodLocked(ctx context.Context, u unit.Unit, p period.Period) (bool, error) {
	ids := append(u.AncestorIDs(), u.ID)
	var periods []string
	for _, c := range p.Containing() {
		periods = append(periods, c.String())
	}
	if len(periods) == 0 {
		return false, nil
	}
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM period_locks WHERE unit_id IN (`+s.placeholders(1, len(ids))+`) AND period IN (`+s.placeholders(len(ids)+1, len(periods))+`)`,
		append(int64Args(ids), stringArgs(periods)...)...).Scan(&n)
	return n > 0, err
}
