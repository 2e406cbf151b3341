package store

import (
	"context"

	"mattran/internal/unit"
)

// Versions say when cached pages are stale. The global data version (see
// migration 0006) changes with programs, units, thresholds: anything a
// page of any unit may show. A unit's version (migration 0008) changes
// when a value in its subtree is written. A page about a unit is current
// while both read as they did when it was made. A module's own pages may
// keep a version of their own (page_versions, migration 0011). Writers
// raise them inside the writing transaction (Tx.Stale), by UPDATEs that
// serialise writers, so they rise in commit order on every server sharing
// the database.

// Version is what a cached page about a unit was made at.
type Version struct{ Global, Unit int64 }

// DataVersion reads the global version and u's; u zero reads the global
// one only. It is one indexed row or two: cheap enough for every request.
func (s *Store) DataVersion(ctx context.Context, u unit.Unit) (Version, error) {
	var v Version
	err := s.prepared().QueryRowContext(ctx, `SELECT n, COALESCE((SELECT n FROM unit_versions WHERE unit_id = $1), 0) FROM data_version WHERE id = 1`, u.ID).
		Scan(&v.Global, &v.Unit)
	return v, err
}

// PageGroupVersion reads the version of a module's own group of pages
// (PageGroup): 0 until a write first names it.
func (s *Store) PageGroupVersion(ctx context.Context, name string) (int64, error) {
	var n int64
	err := s.DB.QueryRowContext(ctx, `SELECT COALESCE((SELECT n FROM page_versions WHERE name = $1), 0)`, name).Scan(&n)
	return n, err
}
