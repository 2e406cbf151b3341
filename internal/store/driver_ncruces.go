//go:build sqlite_ncruces

package store

// Built with -tags sqlite_ncruces, SQLite files are opened with
// github.com/ncruces/go-sqlite3 (SQLite compiled to WebAssembly and
// translated to Go: no cgo) in place of modernc.org/sqlite, so that the
// benchmarks compare the two drivers on the same code (BENCH.md, "SQLite
// drivers"). Only the benchmarks use this build: the binary that
// `go build ./cmd/mattran` makes has no trace of it.

import (
	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3"
	_ "github.com/ncruces/go-sqlite3/embed"  // the SQLite build it runs
)

func init() { sqliteDriver = "sqlite3" }
