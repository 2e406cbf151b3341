package vn

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

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
	if out, ok := foldFast(s); ok {
		return out
	}
	return foldNormalized(s)
}

// foldNormalized is Fold by Unicode normalisation, for any text; Fold
// takes it only for text foldFast does not cover.
func foldNormalized(s string) string {
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

// foldFast folds text made only of ASCII and the Latin letters and
// combining marks Vietnamese is written with, without normalising it: a
// bank statement import folds a million descriptions, and normalisation
// was two thirds of sealing them (BENCH.md). ASCII is lowered in place;
// another rune of those blocks is looked up in a table that foldNormalized
// itself filled, one rune at a time. That gives foldNormalized's bytes for
// the whole text because, in these blocks, normalisation decomposes a
// letter into a base letter and marks of U+0300–U+036F (all non-spacing,
// all dropped), and reorders only such marks: no rune's fold depends on
// its neighbours (TestFoldFastIsFold tries every pair, FuzzFold any text).
// Any other rune, or invalid UTF-8, reports false.
func foldFast(s string) (string, bool) {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return foldLatin(s)
		}
		upper = upper || ('A' <= c && c <= 'Z')
	}
	if !upper {
		return s, true
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b), true
}

func foldLatin(s string) (string, bool) {
	t := latinFolds()
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		f, ok := t.fold(r)
		if !ok {
			return "", false // also invalid UTF-8 (RuneError is in no block)
		}
		b.WriteString(f)
		i += n
	}
	return b.String(), true
}

// Blocks foldFast covers beyond ASCII: Latin-1's and Latin Extended-A and
// -B's letters (à, ă, đ, ơ, ư…), the combining diacritical marks, and Latin
// Extended Additional (ạ, ả, ấ… ỹ).
const (
	latinFrom, latinTo   = 0x00C0, 0x0250 // [from, to)
	marksFrom, marksTo   = 0x0300, 0x0370
	extraFrom, extraTo   = 0x1E00, 0x1F00
	latinLen, marksLen   = latinTo - latinFrom, marksTo - marksFrom
	latinFoldTableLength = latinLen + marksLen + (extraTo - extraFrom)
)

type latinFoldTable [latinFoldTableLength]string

func (t *latinFoldTable) fold(r rune) (string, bool) {
	switch {
	case r >= latinFrom && r < latinTo:
		return t[r-latinFrom], true
	case r >= marksFrom && r < marksTo:
		return t[latinLen+r-marksFrom], true
	case r >= extraFrom && r < extraTo:
		return t[latinLen+marksLen+r-extraFrom], true
	}
	return "", false
}

// latinFolds is the table, filled by foldNormalized on first use.
var latinFolds = sync.OnceValue(func() *latinFoldTable {
	t := new(latinFoldTable)
	for _, block := range [][2]rune{{latinFrom, latinTo}, {marksFrom, marksTo}, {extraFrom, extraTo}} {
		for r := block[0]; r < block[1]; r++ {
			i := int(r - block[0])
			switch block[0] {
			case marksFrom:
				i += latinLen
			case extraFrom:
				i += latinLen + marksLen
			}
			t[i] = foldNormalized(string(r))
		}
	}
	return t
})
