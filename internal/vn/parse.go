package vn

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseNumber reads a number typed by a Vietnamese user into a form,
// an Excel cell or a CSV file. Users mix the Vietnamese convention
// ("1.234.567,5") with the English one Excel often produces ("1234567.5"),
// so separators are resolved by these rules:
//
//   - Surrounding white space is ignored; one leading '-' or '+' is allowed.
//     Nothing else but digits, '.' and ',' may appear: no spaces inside,
//     no exponent, no hex, no NaN or Inf.
//   - If both '.' and ',' appear, the last one is the decimal separator and
//     must appear once; the other groups thousands and must do so properly:
//     "1.234.567,5" and "1,234,567.5" are both 1234567.5.
//   - If only '.' appears and every dot is followed by exactly three digits,
//     with one to three digits before the first, the dots group thousands:
//     "1.234" is 1234 and "1.234.567" is 1234567. Otherwise a single dot is
//     the decimal point: "1.5" is 1.5, "1234567.5" is 1234567.5.
//   - A single ',' is the decimal separator: "1,5" is 1.5 and "1,234" is
//     1.234. Only two or more commas in thousands groups ("1,234,567") are
//     read as grouping.
//   - A group of thousands never starts with 0, so "0.123" is 0.123, not 123.
//   - Every separator needs digits on both sides: "1.", ".5" and "1,,5" are
//     rejected.
//
// The error message is in Vietnamese and quotes the input, ready to show
// next to the cell or field it came from.
func ParseNumber(s string) (float64, error) {
	plain, err := NumberText(s)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(plain, 64)
	if err != nil {
		// plain holds only digits and one dot, so the only possible error
		// is a value beyond float64 range.
		return 0, &NumberError{Text: s, TooLarge: true}
	}
	return f, nil
}

// NumberText reads a number as ParseNumber does and returns it in the
// exchange format, digit for digit ("1.234.567,5" gives "1234567.5"), so
// that a check can judge what was typed rather than the float it rounds
// to: 9.007.199.254.740.993 is not 9007199254740992.
func NumberText(s string) (string, error) {
	notNumber := &NumberError{Text: s}

	body := strings.TrimSpace(s)
	sign := ""
	if rest, ok := strings.CutPrefix(body, "-"); ok {
		sign, body = "-", rest
	} else if rest, ok := strings.CutPrefix(body, "+"); ok {
		body = rest
	}
	if body == "" || strings.Trim(body, "0123456789.,") != "" {
		return "", notNumber
	}

	intPart, fracPart, ok := splitNumber(body)
	if !ok || !IsDigits(intPart) || fracPart != "" && !IsDigits(fracPart) {
		return "", notNumber
	}
	plain := sign + intPart
	if fracPart != "" {
		plain += "." + fracPart
	}
	return plain, nil
}

// NumberError is why ParseNumber refused a text: not a number, or a number
// beyond what a float64 holds.
type NumberError struct {
	Text     string
	TooLarge bool
}

func (e *NumberError) Error() string {
	if e.TooLarge {
		return fmt.Sprintf("số %q quá lớn", e.Text)
	}
	return fmt.Sprintf("%q không phải là số", e.Text)
}

// splitNumber applies ParseNumber's separator rules to body, which holds
// only digits, '.' and ','. It returns the integer digits without grouping
// and the fraction digits, or ok == false if the separators make no sense.
// A fraction of "" with a separator present is reported as not ok.
func splitNumber(body string) (intPart, fracPart string, ok bool) {
	hasDot := strings.Contains(body, ".")
	hasComma := strings.Contains(body, ",")
	switch {
	case hasDot && hasComma:
		i := strings.LastIndexAny(body, ".,")
		decimal, group := body[i], byte(',')
		if decimal == ',' {
			group = '.'
		}
		intPart, fracPart = body[:i], body[i+1:]
		if fracPart == "" || strings.ContainsAny(fracPart, ".,") || !isGrouped(intPart, group) {
			return "", "", false
		}
		return removeByte(intPart, group), fracPart, true
	case hasDot:
		return splitSingleSeparator(body, '.', 1)
	case hasComma:
		return splitSingleSeparator(body, ',', 2)
	default:
		return body, "", true
	}
}

// splitSingleSeparator handles a number that uses only sep. It is read as
// thousands grouping when there are at least minGroups separators in a
// valid grouping pattern, otherwise as a decimal separator if there is
// exactly one.
func splitSingleSeparator(body string, sep byte, minGroups int) (intPart, fracPart string, ok bool) {
	count := strings.Count(body, string(sep))
	if count >= minGroups && isGrouped(body, sep) {
		return removeByte(body, sep), "", true
	}
	if count != 1 {
		return "", "", false
	}
	intPart, fracPart, _ = strings.Cut(body, string(sep))
	if intPart == "" || fracPart == "" {
		return "", "", false
	}
	return intPart, fracPart, true
}

// isGrouped reports whether s is digits grouped by sep in thousands:
// one to three digits not starting with 0, then one or more groups of
// exactly three digits ("1.234", "12.345.678").
func isGrouped(s string, sep byte) bool {
	groups := strings.Split(s, string(sep))
	if len(groups) < 2 {
		return false
	}
	first := groups[0]
	if len(first) < 1 || len(first) > 3 || first[0] == '0' || !IsDigits(first) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !IsDigits(g) {
			return false
		}
	}
	return true
}

// IsDigits reports whether s is non-empty and holds only ASCII digits.
// Full-width or other Unicode digits are not accepted: strconv would not
// read them either, and they only arrive by accident.
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func removeByte(s string, b byte) string {
	return strings.ReplaceAll(s, string(b), "")
}
