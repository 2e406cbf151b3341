package store

import (
	"context"
	"time"

	"mattran/internal/audit"
	"mattran/internal/period"
	"mattran/internal/unit"
)

// FigureKey names one figure of a form: an element's code and a unit's
// code.
type FigureKey struct{ Element, Unit string }

// FigureCheck is an officer's confirmation that a flagged figure is right
// (value.Outlier): it holds for Value only.
type FigureCheck struct {
	Element string
	Unit    unit.Unit
	Value   float64
}

// FigureChecks returns the confirmed figures of u (and of the units
// directly below it when children is set) for p, by element and unit.
func (s *Store) FigureChecks(ctx context.Context, u unit.Unit, children bool, p period.Period) (map[FigureKey]float64, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT e.code, un.code, c.value FROM figure_checks c
		JOIN data_elements e ON e.id = c.element_id JOIN units un ON un.id = c.unit_id
		WHERE c.period = $1 AND (c.unit_id = $2 OR ($3 AND un.parent_id = $2))`, p.String(), u.ID, children)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[FigureKey]float64{}
	for rows.Next() {
		var k FigureKey
		var v float64
		if err := rows.Scan(&k.Element, &k.Unit, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// PutFigureChecks records confirmations, replacing an earlier one of the
// same figure, each audited.
func (tx *Tx) PutFigureChecks(ctx context.Context, a audit.Actor, p period.Period, checks []FigureCheck) error {
	for _, c := range checks {
		var id int64
		if err := tx.c.QueryRowContext(ctx, `SELECT id FROM data_elements WHERE code = $1`, c.Element).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO figure_checks (element_id, unit_id, period, value, checked_by, checked_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (element_id, unit_id, period) DO UPDATE SET value = excluded.value, checked_by = excluded.checked_by, checked_at = excluded.checked_at`,
			id, c.Unit.ID, p.String(), c.Value, a.Name, tx.now.UTC()); err != nil {
			return err
		}
		key := c.Element + "/" + c.Unit.Code + "/" + p.String()
		if err := tx.Audit(ctx, a, "confirm", "figure_check", key, nil, map[string]any{"value": c.Value}); err != nil {
			return err
		}
	}
	return nil
}

// FigureChange is a figure changed since a moment: what it was then
// (Had false when there was none) and what it is now.
type FigureChange struct {
	Before float64
	Had    bool
	After  float64
}

// ChangedSince returns the figures of u (and of the units directly below
// it when children is set) for p that differ now from what they were at
// since: what a leader checks on a report sent again after a return.
func (s *Store) ChangedSince(ctx context.Context, u unit.Unit, children bool, p period.Period, since time.Time) (map[FigureKey]FigureChange, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT e.code, un.code, d.before_value, d.after_value FROM data_value_audit d
		JOIN value_changes c ON c.id = d.change_id JOIN data_elements e ON e.id = d.element_id JOIN units un ON un.id = d.unit_id
		WHERE d.period = $1 AND c.at > $2 AND (d.unit_id = $3 OR ($4 AND un.parent_id = $3))
		ORDER BY d.change_id`, p.String(), since.UTC(), u.ID, children)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[FigureKey]FigureChange{}
	for rows.Next() {
		var k FigureKey
		var before, after *float64
		if err := rows.Scan(&k.Element, &k.Unit, &before, &after); err != nil {
			return nil, err
		}
		c, seen := out[k]
		if !seen {
			c.Had = before != nil
			if before != nil {
				c.Before = *before
			}
		}
		if after != nil {
			c.After = *after
		}
		out[k] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for k, c := range out {
		if c.Had && c.Before == c.After {
			delete(out, k) // changed and changed back
		}
	}
	return out, nil
}
