package vn

import "testing"

func TestRomanNumeral(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{1, "I"}, {2, "II"}, {3, "III"}, {4, "IV"}, {5, "V"}, {9, "IX"},
		{14, "XIV"}, {40, "XL"}, {90, "XC"}, {400, "CD"}, {1994, "MCMXCIV"},
		{2024, "MMXXIV"}, {3999, "MMMCMXCIX"},
		{0, "0"}, {-3, "-3"}, {4000, "4000"},
	}
	for _, tt := range tests {
		if got := RomanNumeral(tt.n); got != tt.want {
			t.Errorf("RomanNumeral(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
