// Package limits holds the bounds the server sets on what people send it,
// in one place, so the README's table and the code agree. Each bound is
// generous for real use and small enough that a careless or hostile
// sender cannot fill the disk, the memory or a public page with it.
package limits

import (
	"fmt"
	"unicode/utf8"
)

// Text fields, in characters (not bytes: Vietnamese letters take two or
// three bytes each).
const (
	FullName    = 100   // a person's full name: the longest Vietnamese names have a few dozen letters
	Reason      = 2000  // why a report is returned or reopened: a paragraph
	ProgramName = 300   // a derived program's name: a title
	Narrative   = 20000 // a monthly report's text: several pages
	TokenName   = 100   // an API token's name: what it is for
	Username    = 64    // user.ValidateUsername
	Password    = 1024  // bytes: more is no stronger, only slower to hash
)

// Bodies and files.
const (
	FormBytes   = 2 << 20   // a web form
	UploadBytes = 55 << 20  // an Excel upload's form: a workbook of 50 MB (sheet.Parse) and the fields
	ImportBytes = 256 << 20 // an API import's body (value.MaxFileBytes)
	ImportRows  = 1_000_000 // values in one import file, whatever its size: DESIGN's bulk import
)

// Imports: one at a time per server (package imports), these many waiting
// behind it, and these many per user.
const (
	WaitingImports = 8
	ImportsPerUser = 2
	// ReceivingUploads is how many import bodies one server reads at once;
	// a further one is refused at once (429) rather than read.
	ReceivingUploads = 4
)

// TooLong returns a Vietnamese message when s has more than max
// characters, naming the field, its length and the limit; "" otherwise.
func TooLong(field, s string, max int) string {
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("%s dài %d ký tự; tối đa %d ký tự.", field, n, max)
	}
	return ""
}
