// Package csvsafe writes CSV that a spreadsheet opens as data, never as a
// formula. Excel and LibreOffice run a cell that begins with =, +, -, @
// (or a tab or carriage return before one) as a formula: a unit named
// =HYPERLINK("http://…") in an export would become a live link, or worse,
// on the desk of whoever opens the file ("CSV injection", OWASP). Such a
// cell is written with a leading apostrophe, which spreadsheets read as
// "this is text"; numbers, negative ones included, are written as they are.
// The importers that read our own exports back take the apostrophe off
// again (Unescape).
package csvsafe

import (
	"encoding/csv"
	"io"
	"strconv"
)

// risky reports whether a spreadsheet would read s as a formula.
func risky(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
	default:
		return false
	}
	// A number ("-12.5") is data, and must stay one.
	_, err := strconv.ParseFloat(s, 64)
	return err != nil
}

// escaped reports whether Cell adds an apostrophe to s: s is risky after
// its leading apostrophes, so that a text that itself began with one
// ("'=x") comes back whole from Unescape.
func escaped(s string) bool {
	for len(s) > 0 && s[0] == '\'' {
		s = s[1:]
	}
	return risky(s)
}

// Cell returns s as a CSV cell that a spreadsheet shows as text.
func Cell(s string) string {
	if escaped(s) {
		return "'" + s
	}
	return s
}

// Unescape undoes Cell: a cell Cell escaped comes back as it was.
func Unescape(s string) string {
	if len(s) > 1 && s[0] == '\'' && escaped(s[1:]) {
		return s[1:]
	}
	return s
}

// Writer is a csv.Writer whose every cell goes through Cell.
type Writer struct {
	*csv.Writer
	cells []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{Writer: csv.NewWriter(w)} }

// Write writes one record, its risky cells escaped.
func (w *Writer) Write(record []string) error {
	w.cells = w.cells[:0]
	for _, c := range record {
		w.cells = append(w.cells, Cell(c))
	}
	return w.Writer.Write(w.cells)
}
