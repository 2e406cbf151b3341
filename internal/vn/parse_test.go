package vn

import (
	"math"
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"1234567", 1234567},
		{"1234567.5", 1234567.5},
		{"1.234.567", 1234567},
		{"1.234.567,5", 1234567.5},
		{"1234567,5", 1234567.5},
		{"1,234,567.5", 1234567.5},
		{"1,234,567", 1234567},
		{"-12", -12},
		{"+12", 12},
		{" 12 ", 12},
		{"\t1.234\u00a0", 1234}, // Excel exports sometimes keep a no-break space
		{"0", 0},
		{"007", 7},
		// A single '.' followed by three digits groups thousands...
		{"1.234", 1234},
		{"-1.234", -1234},
		// ...unless the group would start with 0.
		{"0.123", 0.123},
		// Otherwise a single '.' is a decimal point.
		{"1.5", 1.5},
		{"1.2345", 1.2345},
		{"12345.678", 12345.678},
		// A single ',' is always a decimal separator.
		{"1,5", 1.5},
		{"1,234", 1.234},
		{"0,05", 0.05},
		{"-0,5", -0.5},
		{"1.000,25", 1000.25},
		{"1,000.25", 1000.25},
		{"123.456.789.012", 123456789012},
	}
	for _, tt := range tests {
		got, err := ParseNumber(tt.in)
		if err != nil {
			t.Errorf("ParseNumber(%q) error: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseNumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseNumberRejects(t *testing.T) {
	inputs := []string{
		"", "   ", "abc", "-", "+", "--1", "+-1", "- 1",
		"NaN", "nan", "Inf", "-Inf", "infinity", "0x1F", "1e5", "1E5", "1_000",
		"1 234 567", "12a", "１２", // full-width digits
		"1.", ".5", "1,", ",5", "1..5", "1,,5",
		"1.2.3", "1.23.456", "1.2345.678", "0.123.456",
		"1,2,3", "1,23,456", "0,123,456",
		"1.234,5.6", "1,234.5,6", "1.5,234", "12.34,5", "1.234.5678,9",
		"1,234.567.8",
	}
	for _, in := range inputs {
		got, err := ParseNumber(in)
		if err == nil {
			t.Errorf("ParseNumber(%q) = %v, want error", in, got)
			continue
		}
		if !strings.Contains(err.Error(), "không phải là số") {
			t.Errorf("ParseNumber(%q) error %q, want a Vietnamese message", in, err)
		}
	}
}

func TestParseNumberErrorNamesInput(t *testing.T) {
	_, err := ParseNumber("abc")
	if err == nil || err.Error() != `"abc" không phải là số` {
		t.Errorf(`ParseNumber("abc") error = %v, want "abc" không phải là số`, err)
	}
	_, err = ParseNumber("1" + strings.Repeat("0", 400))
	if err == nil || !strings.Contains(err.Error(), "quá lớn") {
		t.Errorf("ParseNumber(10^400) error = %v, want too large", err)
	}
}

// FuzzParseNumber checks that ParseNumber never panics, only returns finite
// numbers, and agrees with FormatNumber: what FormatNumber(x, -1) writes
// reads back as the same value (up to FormatNumber's rounding to two
// decimals).
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"1234567", "1.234.567,5", "1,234,567.5", "1,5", "1.5", "1.234", "0.123",
		"-12", " 12 ", "", "NaN", "0x10", "1e5", "1..2", "９",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := ParseNumber(s)
		if err != nil {
			return
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			t.Fatalf("ParseNumber(%q) = %v, want a finite number", s, x)
		}
		// Beyond about 10^13, two decimals exceed float64's 15-16 digits
		// and the value itself is no longer what the user typed.
		if math.Abs(x) > 1e13 {
			return
		}
		formatted := FormatNumber(x, -1)
		y, err := ParseNumber(formatted)
		if err != nil {
			t.Fatalf("ParseNumber(%q) = %v, formatted %q, which does not parse: %v", s, x, formatted, err)
		}
		if math.Abs(y-x) > 0.005+1e-9*math.Abs(x) {
			t.Fatalf("ParseNumber(%q) = %v, formatted %q, parsed back as %v", s, x, formatted, y)
		}
		if again := FormatNumber(y, -1); again != formatted {
			t.Fatalf("FormatNumber(%v) = %q, but after a round trip %q", x, formatted, again)
		}
	})
}
