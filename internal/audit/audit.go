// Package audit holds the record of who changed what: every write in the
// system names an Actor and leaves an Entry with the before and after.
package audit

import "time"

// Actor is who makes a change: a signed-in user, a token's user, or the
// command line (UserID 0, Name "cli:<os user>").
type Actor struct {
	UserID int64
	Name   string
	// UnitPath is the actor's unit when they acted: whose audit log the
	// entry belongs to, even after the user moves to another unit.
	UnitPath string
}

// System is the actor for changes the program makes on its own (migrations,
// the demo loader).
var System = Actor{Name: "system"}

// Entry is one audited change. Before and After are JSON documents; one of
// them is empty for a creation or a deletion.
type Entry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	UserID    int64     `json:"userId,omitempty"`
	Actor     string    `json:"actor"`
	Action    string    `json:"action"` // create, update, close, import, lock, token…
	Entity    string    `json:"entity"` // unit, program, user, data_values…
	EntityKey string    `json:"entityKey"`
	Before    string    `json:"before,omitempty"`
	After     string    `json:"after,omitempty"`
}
