// Package errs holds the handful of domain error codes the whole application
// speaks, and the details of a refused input: where (a row, a cell, a
// field) and why (a Reason with its Args). One place (the API and web
// layers) maps a code to an HTTP status; domain code never imports
// net/http. Domain code never writes a detail's text either: text.go does,
// in the number style of where it is shown.
package errs

import (
	"errors"
	"fmt"
)

// Code classifies an error for the user and for HTTP.
type Code string

const (
	Invalid      Code = "invalid"           // the input is wrong; the message says where
	NotFound     Code = "not_found"         // the thing asked for does not exist (at that date)
	Conflict     Code = "conflict"          // the change clashes with what is stored (locked period, duplicate)
	Forbidden    Code = "forbidden"         // the user may not do this here
	Unauthorized Code = "unauthorized"      // no valid credentials
	TooMany      Code = "too_many"          // too many attempts (sign-in); wait and retry
	Oversized    Code = "payload_too_large" // a body, file or field over its limit; the message names the limit
	Unavailable  Code = "unavailable"       // the database is busy, away or full: nothing was written; retry later
	Internal     Code = "internal"          // anything else; its cause goes to the log, not to the user
)

// Detail points at one bad row, cell or field of an input and says what is
// wrong with it, as a Reason and its Args. Text (text.go) writes it in
// Vietnamese.
type Detail struct {
	Row   int    `json:"row,omitzero"`   // the line of a file, or the row of a spreadsheet
	Index int    `json:"index,omitzero"` // the 1-based position in a JSON array
	Cell  string `json:"cell,omitzero"`  // a spreadsheet cell: "D14"
	// Field is a data value's field (dataElement, period, orgUnit, value),
	// a form's or a file's field name, or a path in a program file.
	Field string `json:"field,omitzero"`
	Code  Reason `json:"code"`
	Args  Args   `json:"args,omitzero"`
}

// Error is a domain error whose Message is safe, and meant, to show the user.
type Error struct {
	Code    Code
	Message string
	Details []Detail
}

// Error is the message, and the first detail in the exchange style (the
// API's and the command line's).
func (e *Error) Error() string {
	if len(e.Details) == 0 {
		return e.Message
	}
	return fmt.Sprintf("%s (%s)", e.Message, Line(e.Details[0], Exchange))
}

// String is the detail as the API and the command line write it: where,
// then what.
func (d Detail) String() string { return Line(d, Exchange) }

// New returns an *Error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithDetails returns an Invalid error listing every bad row or field.
func WithDetails(message string, details []Detail) *Error {
	return &Error{Code: Invalid, Message: message, Details: details}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
