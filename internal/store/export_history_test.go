package store

import (
	"context"

	"mattran/internal/unit"
)

// ReadLineage reads a lineage from the database, past the cache, for the
// benchmark of a cold read.
func (s *Store) ReadLineage(ctx context.Context, root unit.Unit, date string) (*unit.Lineage, error) {
	return s.readLineage(ctx, root, date)
}
