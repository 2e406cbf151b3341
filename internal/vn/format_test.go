package vn

import (
	"math"
	"testing"
)

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		f        float64
		decimals int
		want     string
	}{
		{1234567.5, 1, "1.234.567,5"},
		{-1234, 0, "-1.234"},
		{0, 0, "0"},
		{0, 2, "0,00"},
		{999, 0, "999"},
		{1000, 0, "1.000"},
		{123456, 0, "123.456"},
		{1234.5678, 2, "1.234,57"},
		{1234.5, 3, "1.234,500"},
		{2.5, 0, "3"},   // half away from zero, not half to even
		{-2.5, 0, "-3"}, // likewise for negatives
		{1.005, 2, "1,01"},
		{999.999, 2, "1.000,00"}, // carry into a new thousands group
		{-0.001, 2, "0,00"},      // no "-0,00"
		{math.Copysign(0, -1), 0, "0"},
		// decimals = -1: at most two, trailing zeros dropped.
		{1234567.5, -1, "1.234.567,5"},
		{1234567, -1, "1.234.567"},
		{0.125, -1, "0,13"},
		{1.10, -1, "1,1"},
		{1.999, -1, "2"},
		{-0.004, -1, "0"},
		{12.34, -1, "12,34"},
		{1e21, -1, "1.000.000.000.000.000.000.000"},
		{math.NaN(), -1, "NaN"},
		{math.Inf(1), 0, "+Inf"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.f, tt.decimals); got != tt.want {
			t.Errorf("FormatNumber(%v, %d) = %q, want %q", tt.f, tt.decimals, got, tt.want)
		}
	}
}

func TestFormatInt(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0"},
		{7, "7"},
		{-7, "-7"},
		{100, "100"},
		{1000, "1.000"},
		{-1000, "-1.000"},
		{1234567, "1.234.567"},
		{math.MaxInt64, "9.223.372.036.854.775.807"},
		{math.MinInt64, "-9.223.372.036.854.775.808"},
	}
	for _, tt := range tests {
		if got := FormatInt(tt.n); got != tt.want {
			t.Errorf("FormatInt(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		p    float64
		want string
	}{
		{85.25, "85,3%"},
		{85.24, "85,2%"},
		{100, "100%"},
		{0, "0%"},
		{33.333333, "33,3%"},
		{99.96, "100%"},
		{12.0, "12%"},
		{-5.55, "-5,6%"},
		{-0.01, "0%"},
		{1500, "1.500%"},
	}
	for _, tt := range tests {
		if got := FormatPercent(tt.p); got != tt.want {
			t.Errorf("FormatPercent(%v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		vnd  float64
		want string
	}{
		{50_000_000_000, "50 tỷ đồng"},
		{52_300_000_000, "52,3 tỷ đồng"},
		{1_500_000_000, "1,5 tỷ đồng"},
		{1_000_000_000, "1 tỷ đồng"},
		{1_234_567_890, "1,23 tỷ đồng"},
		{1_235_000_000_000, "1.235 tỷ đồng"},
		{750_000_000, "750 triệu đồng"},
		{12_500_000, "12,5 triệu đồng"},
		{1_000_000, "1 triệu đồng"},
		{999_999_999, "1 tỷ đồng"}, // rounds up into the next unit
		{999_995_000, "1 tỷ đồng"}, // 999,995 triệu rounds to 1.000 triệu
		{999_994_000, "999,99 triệu đồng"},
		{999_999.6, "1 triệu đồng"},
		{500_000, "500.000 đồng"},
		{999_999, "999.999 đồng"},
		{1234.5, "1.235 đồng"},
		{0, "0 đồng"},
		{-0.2, "0 đồng"},
		{-52_300_000_000, "-52,3 tỷ đồng"},
		{-12_500_000, "-12,5 triệu đồng"},
		{-500_000, "-500.000 đồng"},
	}
	for _, tt := range tests {
		if got := FormatMoney(tt.vnd); got != tt.want {
			t.Errorf("FormatMoney(%v) = %q, want %q", tt.vnd, got, tt.want)
		}
	}
}

func TestFormatVND(t *testing.T) {
	tests := []struct {
		vnd  float64
		want string
	}{
		{52_300_000_000, "52.300.000.000 đ"},
		{0, "0 đ"},
		{999.5, "1.000 đ"},
		{-1500, "-1.500 đ"},
	}
	for _, tt := range tests {
		if got := FormatVND(tt.vnd); got != tt.want {
			t.Errorf("FormatVND(%v) = %q, want %q", tt.vnd, got, tt.want)
		}
	}
}

func TestLocalNumber(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"0", "0"},
		{"12.5", "12,5"},
		{"1300", "1.300"},
		{"-1234567.25", "-1.234.567,25"},
		{"9007199254740993", "9.007.199.254.740.993"},
		{"+12", "+12"},
		{"abc", "abc"},
		{"1e3", "1e3"},
		{"1.", "1."},
		{"", ""},
	} {
		if got := LocalNumber(tt.in); got != tt.want {
			t.Errorf("LocalNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := FormatExact(0.125); got != "0,125" {
		t.Errorf("FormatExact(0.125) = %q", got)
	}
	if got := FormatExact(1300); got != "1.300" {
		t.Errorf("FormatExact(1300) = %q", got)
	}
}
