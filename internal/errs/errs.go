// Package errs holds the handful of domain error codes the whole application
// speaks. One place (the API and web layers) maps a code to an HTTP status;
// domain code never imports net/http.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for the user and for HTTP.
type Code string

const (
	Invalid      Code = "invalid"      // the input is wrong; the message says where
	NotFound     Code = "not_found"    // the thing asked for does not exist (at that date)
	Conflict     Code = "conflict"     // the change clashes with what is stored (locked period, duplicate)
	Forbidden    Code = "forbidden"    // the user may not do this here
	Unauthorized Code = "unauthorized" // no valid credentials
	TooMany      Code = "too_many"     // too many attempts (sign-in); wait and retry
	Internal     Code = "internal"     // anything else; its cause goes to the log, not to the user
)

// Detail points at one bad row, cell or field of an input.
type Detail struct {
	Row     int    `json:"row,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Error is a domain error whose Message is safe, and meant, to show the user.
type Error struct {
	Code    Code
	Message string
	Details []Detail
}

func (e *Error) Error() string {
	if len(e.Details) == 0 {
		return e.Message
	}
	return fmt.Sprintf("%s (%s)", e.Message, e.Details[0].String())
}

func (d Detail) String() string {
	// Some messages name their place themselves ("dòng 12 (giá trị thứ 3):
	// …" for a JSON value); don't say it twice.
	if strings.HasPrefix(d.Message, "dòng ") {
		return d.Message
	}
	switch {
	case d.Row > 0 && d.Field != "":
		return fmt.Sprintf("dòng %d, %s: %s", d.Row, d.Field, d.Message)
	case d.Row > 0:
		return fmt.Sprintf("dòng %d: %s", d.Row, d.Message)
	case d.Field != "":
		return fmt.Sprintf("%s: %s", d.Field, d.Message)
	}
	return d.Message
}

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
