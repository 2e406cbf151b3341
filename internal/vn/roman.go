package vn

import (
	"strconv"
	"strings"
)

// romanValues pairs each numeral with its value, largest first, including
// the subtractive forms so that a greedy walk produces "IV", not "IIII".
var romanValues = []struct {
	value   int
	numeral string
}{
	{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"},
	{100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"},
	{10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"},
}

// RomanNumeral writes n in Roman numerals, as Vietnamese documents number
// quarters ("Quý III") and sections ("Phần II"). Numbers outside 1..3999
// have no standard Roman form and are returned in decimal digits.
func RomanNumeral(n int) string {
	if n < 1 || n > 3999 {
		return strconv.Itoa(n)
	}
	var b strings.Builder
	for _, rv := range romanValues {
		for n >= rv.value {
			b.WriteString(rv.numeral)
			n -= rv.value
		}
	}
	return b.String()
}
