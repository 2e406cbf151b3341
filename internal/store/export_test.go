package store

import "context"

// Test access to unexported parts.

// RunExclusiveForTest runs fn holding the due-counts job's lock; ran is
// false when another session holds it.
func (s *Store) RunExclusiveForTest(ctx context.Context, fn func() error) (bool, error) {
	err := s.runExclusive(ctx, lockJobDueCounts, fn)
	if err == errSkipped {
		return false, nil
	}
	return err == nil, err
}

// AdvisoryLocksForTest lists every advisory lock key by name.
func AdvisoryLocksForTest() map[string]int64 { return advisoryLocks }

// SetExportPageForTest sets how many values EachValue reads at a time,
// and returns a func that restores it.
func SetExportPageForTest(n int) func() {
	old := exportPage
	exportPage = n
	return func() { exportPage = old }
}

// SetSQLiteDriverForTest sets the database/sql driver new SQLite stores
// open files with, and returns a func that restores it.
func SetSQLiteDriverForTest(name string) func() {
	old := sqliteDriver
	sqliteDriver = name
	return func() { sqliteDriver = old }
}

// SetBulkUnitCodesForTest sets how many unread unit codes make an import
// read every unit, and returns a func that restores it.
func SetBulkUnitCodesForTest(n int) func() {
	old := bulkUnitCodes
	bulkUnitCodes = n
	return func() { bulkUnitCodes = old }
}
