package vn

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FormatDate writes t as dd/mm/yyyy ("09/03/2025"), the order used in every
// Vietnamese document. It uses t's own location; pass dates at 00:00 UTC
// (as ParseDate returns them) to avoid a day shifting across time zones.
func FormatDate(t time.Time) string {
	return t.Format("02/01/2006")
}

// Day writes a stored day, yyyy-mm-dd, as dd/mm/yyyy ("2025-03-09" is
// "09/03/2025"); anything else is written as it is.
func Day(s string) string {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return s
	}
	return s[8:10] + "/" + s[5:7] + "/" + s[0:4]
}

// ParseDate reads a date typed as dd/mm/yyyy (day and month may have one
// digit: "9/3/2025") or as ISO yyyy-mm-dd, ignoring surrounding white space.
// The result is 00:00 UTC on that day.
//
// The date is checked field by field rather than with time.Parse so that
// the user is told whether the shape was wrong or the day does not exist
// (31/02/2025), each in Vietnamese and quoting the input.
func ParseDate(s string) (time.Time, error) {
	text := strings.TrimSpace(s)
	year, month, day, ok := splitDate(text)
	if !ok {
		return time.Time{}, &DateError{Text: s}
	}
	if year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return time.Time{}, &DateError{Text: s, NoSuchDay: true}
	}
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), nil
}

// DateError is why ParseDate refused a text: not a date's shape, or a day
// that does not exist.
type DateError struct {
	Text      string
	NoSuchDay bool // 31/02/2025
}

func (e *DateError) Error() string {
	if e.NoSuchDay {
		return fmt.Sprintf("ngày %q không tồn tại", e.Text)
	}
	return fmt.Sprintf("ngày %q không hợp lệ: cần dạng dd/mm/yyyy hoặc yyyy-mm-dd", e.Text)
}

// splitDate returns the numeric fields of text if it has one of the two
// accepted shapes, without checking that the date exists.
func splitDate(text string) (year, month, day int, ok bool) {
	if parts := strings.Split(text, "/"); len(parts) == 3 {
		if !digitsOfLength(parts[0], 1, 2) || !digitsOfLength(parts[1], 1, 2) || !digitsOfLength(parts[2], 4, 4) {
			return 0, 0, 0, false
		}
		return atoi(parts[2]), atoi(parts[1]), atoi(parts[0]), true
	}
	if parts := strings.Split(text, "-"); len(parts) == 3 {
		if !digitsOfLength(parts[0], 4, 4) || !digitsOfLength(parts[1], 2, 2) || !digitsOfLength(parts[2], 2, 2) {
			return 0, 0, 0, false
		}
		return atoi(parts[0]), atoi(parts[1]), atoi(parts[2]), true
	}
	return 0, 0, 0, false
}

func digitsOfLength(s string, minLen, maxLen int) bool {
	return len(s) >= minLen && len(s) <= maxLen && IsDigits(s)
}

// atoi converts a string already checked by IsDigits and short enough not
// to overflow.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// daysIn returns the number of days in the month; day 0 of the next month
// is the last day of this one.
func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
