//go:build sqlite_ncruces

package store

// Built with -tags sqlite_ncruces, the store can also open SQLite files
// with github.com/ncruces/go-sqlite3 (SQLite compiled to WebAssembly and
// translated to Go: no cgo), registered as "sqlite3", so that
// BenchmarkSQLiteDrivers compares the two drivers on the same code in the
// same run (BENCH.md, "SQLite drivers"). modernc stays the default; only
// that benchmark switches. The binary that `go build ./cmd/mattran` makes
// has no trace of it.

import (
	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3"
)
