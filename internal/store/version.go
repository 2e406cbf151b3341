package store

import (
	"context"
	"slices"

	"mattran/internal/unit"
	"mattran/internal/value"
)

// Versions say when cached pages are stale. The global data version (see
// migration 0006) changes with programs, units, locks: anything a page of
// any unit may show. A unit's version (migration 0008) changes when a value
// in its subtree is written. A page about a unit is current while both
// read as they did when it was made. Both are raised inside the writing
// transaction, by an UPDATE that serialises writers, so they rise in
// commit order on every server sharing the database.

// bumpVersion raises the global data version.
func bumpVersion(ctx context.Context, q queryer) error {
	_, err := q.ExecContext(ctx, `UPDATE data_version SET n = n + 1 WHERE id = 1`)
	return err
}

// maxScopedBump is the most units whose versions one write raises one by
// one; a write touching more (a province's file) raises the global version
// instead, which costs one row and invalidates as much.
const maxScopedBump = 64

// bumpValueVersions raises the versions of the written units and their
// ancestors.
func bumpValueVersions(ctx context.Context, q queryer, written ...[]value.Value) error {
	var ids []int64
	for _, vs := range written {
		for _, v := range vs {
			for _, id := range unit.PathIDs(v.Unit.Path) {
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
			if len(ids) > maxScopedBump {
				return bumpVersion(ctx, q)
			}
		}
	}
	slices.Sort(ids) // one order for every writer: no deadlock on PostgreSQL
	for _, id := range ids {
		if _, err := q.ExecContext(ctx, `INSERT INTO unit_versions (unit_id, n) VALUES ($1, 1)
			ON CONFLICT (unit_id) DO UPDATE SET n = unit_versions.n + 1`, id); err != nil {
			return err
		}
	}
	return nil
}

// Version is what a cached page about a unit was made at.
type Version struct{ Global, Unit int64 }

// DataVersion reads the global version and u's; u zero reads the global
// one only. It is one indexed row or two: cheap enough for every request.
func (s *Store) DataVersion(ctx context.Context, u unit.Unit) (Version, error) {
	var v Version
	err := s.DB.QueryRowContext(ctx, `SELECT n, COALESCE((SELECT n FROM unit_versions WHERE unit_id = $1), 0) FROM data_version WHERE id = 1`, u.ID).
		Scan(&v.Global, &v.Unit)
	return v, err
}
