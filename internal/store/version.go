package store

import "context"

// bumpVersion raises the data version inside a write's transaction; see
// migration 0006.
func bumpVersion(ctx context.Context, q queryer) error {
	_, err := q.ExecContext(ctx, `UPDATE data_version SET n = n + 1 WHERE id = 1`)
	return err
}

// DataVersion is a number that changes whenever stored data changes in a
// way a page could show. It is one indexed row: cheap enough to read on
// every request.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB.QueryRowContext(ctx, `SELECT n FROM data_version WHERE id = 1`).Scan(&n)
	return n, err
}
