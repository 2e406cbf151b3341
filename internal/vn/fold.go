package vn

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold turns s into a search key: lower case, without diacritics, with đ
// written as d. "Đường Nguyễn Trãi" becomes "duong nguyen trai", so a user
// who types "nguyen trai" (no Vietnamese keyboard) still finds it.
//
// Apply Fold to both the indexed text and the query; the keys only match if
// both went through the same function. Fold(Fold(s)) == Fold(s).
//
// Invalid UTF-8 bytes become U+FFFD.
func Fold(s string) string {
	// Lower first: a few upper-case letters decompose differently from
	// their lower-case forms, and lowering the decomposed text could leave
	// a precomposed letter behind.
	decomposed := norm.NFD.String(strings.ToLower(s))

	var b strings.Builder
	b.Grow(len(decomposed))
	for _, r := range decomposed {
		switch {
		case unicode.Is(unicode.M, r):
			// Tone and vowel marks (sắc, huyền, mũ, móc...) are
			// non-spacing marks (Mn) once decomposed; dropping them leaves
			// the base letter. Spacing marks (Mc) go too: some of them
			// take part in canonical reordering, and keeping them while
			// dropping a blocking Mn between them would let a second Fold
			// reorder the result, breaking Fold(Fold(s)) == Fold(s).
			continue
		case r == 'đ' || r == 'Đ':
			// đ has no decomposition in Unicode, so NFD leaves it alone.
			b.WriteByte('d')
		case r == 'ð' || r == 'Ð':
			// Icelandic eth looks the same as đ and shows up in text
			// converted from old TCVN3/VNI encodings.
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
