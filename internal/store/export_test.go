package store

import "context"

// Test access to unexported parts.

// RunExclusiveForTest runs fn as the overdue-reports job.
func (s *Store) RunExclusiveForTest(ctx context.Context, fn func() error) (bool, error) {
	return s.runExclusive(ctx, jobDueCounts, fn)
}
