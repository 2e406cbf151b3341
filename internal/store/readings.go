package store

import (
	"context"
	"database/sql/driver"

	"mattran/internal/rollup"
	"mattran/internal/unit"
)

// LoadOwnAtPeriods reads the values entered at exactly the given units,
// for every period at once.
func (s *Store) LoadOwnAtPeriods(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	return s.loadAtPeriods(ctx, "data_values", units, elementIDs, periods, into)
}

// LoadBelowAtPeriods reads the roll-ups of exactly the given units, for
// every period at once.
func (s *Store) LoadBelowAtPeriods(ctx context.Context, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	return s.loadAtPeriods(ctx, "data_rollups", units, elementIDs, periods, into)
}

// loadAtPeriods is loadAt for a few units over many periods: a unit's
// trend over a six-year term reads its monthly figures, 72 periods, and a
// query per period made the first view of a home page a hundred round
// trips. Here the rows carry their period and one query per chunk of
// units reads them all.
func (s *Store) loadAtPeriods(ctx context.Context, table string, units []unit.Unit, elementIDs []int64, periods []string, into *rollup.Values) error {
	if len(units) == 0 || len(elementIDs) == 0 || len(periods) == 0 {
		return nil
	}
	own := table == "data_values"
	cols := "element_id, unit_id, period, value"
	if !own {
		cols += ", n"
	}
	const chunk = 200
	for start := 0; start < len(units); start += chunk {
		part := units[start:min(start+chunk, len(units))]
		paths := make([]string, len(part))
		for i, u := range part {
			paths[i] = u.Path
		}
		ne, np := len(elementIDs), len(periods)
		query := `SELECT ` + cols + ` FROM ` + table + ` WHERE element_id IN (` + s.placeholders(1, ne) + `) AND period IN (` +
			s.placeholders(ne+1, np) + `) AND unit_path IN (` + s.placeholders(ne+np+1, len(paths)) + `)`
		args := append(append(int64Args(elementIDs), stringArgs(periods)...), stringArgs(paths)...)
		err := s.queryRaw(ctx, query, args, func(row []driver.Value) error {
			per := asString(row[2])
			if own {
				into.AddOwn(asInt(row[1]), asInt(row[0]), per, asFloat(row[3]))
			} else {
				into.AddBelow(asInt(row[1]), asInt(row[0]), per, asFloat(row[3]), int(asInt(row[4])))
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func asString(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}
