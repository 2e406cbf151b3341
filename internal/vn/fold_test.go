package vn

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Đường Nguyễn Trãi", "duong nguyen trai"},
		{"Mặt trận Tổ quốc Việt Nam", "mat tran to quoc viet nam"},
		{"ĐOÀN KẾT", "doan ket"},
		{"Thừa Thiên Huế", "thua thien hue"},
		{"Ủy ban", "uy ban"},
		{"Quảng Ngãi", "quang ngai"},
		{"ơ ư ă â ê ô", "o u a a e o"},
		{"Ðà Nẵng", "da nang"}, // U+00D0 eth typed in place of Đ
		{"abc 123", "abc 123"},
		// Spacing marks are dropped as well, whatever separates them.
		{"a\U0001D16D\u034F\U0001D165b", "ab"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFoldComposedAndDecomposed checks that text typed with a precomposed
// keyboard (Unikey default) and text pasted in decomposed form (common from
// macOS and some PDFs) give the same key.
func TestFoldComposedAndDecomposed(t *testing.T) {
	composed := "Nguy\u1ec5n"          // ễ as one code point
	decomposed := "Nguye\u0302\u0303n" // e + circumflex + tilde
	if Fold(composed) != Fold(decomposed) {
		t.Errorf("Fold(%q) = %q, Fold(%q) = %q, want equal", composed, Fold(composed), decomposed, Fold(decomposed))
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{
		"Đường Nguyễn Trãi", "ĐOÀN KẾT", "Nguye\u0302\u0303n", "Ðà", "İstanbul",
		"\xff\xfe", "ǅ", "K", "Ω", "",
		// Two spacing marks out of canonical order, kept apart by a
		// combining grapheme joiner: once broke idempotence.
		"a\U0001D16D\u034F\U0001D165",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := Fold(s)
		if slow := foldNormalized(s); folded != slow {
			t.Fatalf("Fold(%q) = %q, by normalisation %q", s, folded, slow)
		}
		if !utf8.ValidString(folded) {
			t.Fatalf("Fold(%q) = %q, not valid UTF-8", s, folded)
		}
		if again := Fold(folded); again != folded {
			t.Fatalf("Fold(%q) = %q, but Fold of that = %q", s, folded, again)
		}
		if strings.ContainsAny(folded, "đĐ") {
			t.Fatalf("Fold(%q) = %q, still contains đ", s, folded)
		}
	})
}

// The table foldFast reads gives, for every pair of runes it covers (and
// ASCII), exactly what normalising the pair gives: no rune's fold depends
// on its neighbour. Longer texts are FuzzFold's.
func TestFoldFastIsFold(t *testing.T) {
	var runes []rune
	for r := rune(0); r < utf8.RuneSelf; r++ {
		runes = append(runes, r)
	}
	for _, block := range [][2]rune{{latinFrom, latinTo}, {marksFrom, marksTo}, {extraFrom, extraTo}} {
		for r := block[0]; r < block[1]; r++ {
			runes = append(runes, r)
		}
	}
	for _, a := range runes {
		for _, b := range runes {
			s := string([]rune{a, b})
			fast, ok := foldFast(s)
			if !ok {
				t.Fatalf("foldFast(%q) not covered", s)
			}
			if slow := foldNormalized(s); fast != slow {
				t.Fatalf("foldFast(%q) = %q, by normalisation %q", s, fast, slow)
			}
		}
	}
	for _, s := range []string{"Nguye\u0302\u0303n \u1ec5 ĐƯỜNG", "Trần Thị Hoa ủng hộ đồng bào 0912345678", "MBVCB.6923019125.005.NGUYEN VAN DUONG"} {
		if fast, ok := foldFast(s); !ok || fast != foldNormalized(s) {
			t.Errorf("foldFast(%q) = %q, %v; by normalisation %q", s, fast, ok, foldNormalized(s))
		}
	}
	// Outside the blocks, and invalid UTF-8, normalisation does it.
	for _, s := range []string{"a – b", "Ω", "\xff", "a\U0001D16D"} {
		if _, ok := foldFast(s); ok {
			t.Errorf("foldFast(%q) claims it", s)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	s := "MBVCB.6923019125.005.Trần Thị Hoa ủng hộ đồng bào bão Yagi *******678 | 5213.81246"
	for b.Loop() {
		Fold(s)
	}
}
