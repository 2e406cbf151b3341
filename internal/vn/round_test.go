package vn

import (
	"math"
	"testing"
)

func TestRoundFloorCeil(t *testing.T) {
	for _, c := range []struct {
		f                  float64
		decimals           int
		round, floor, ceil float64
	}{
		{99.97, 2, 99.97, 99.97, 99.97},
		{99.97, 1, 100, 99.9, 100},
		{91.398, 1, 91.4, 91.3, 91.4},
		{100 * 192.0 / 195, 1, 98.5, 98.4, 98.5},
		{85.25, 1, 85.3, 85.2, 85.3},
		{1.005, 2, 1.01, 1, 1.01},
		{1.13, 2, 1.13, 1.13, 1.13}, // math.Floor(1.13*100)/100 is 1.12
		{0.07, 2, 0.07, 0.07, 0.07}, // math.Ceil(0.07*100)/100 is 0.08
		{100 * 135.0 / 150, 1, 90, 90, 90},
		{100 * 205.0 / 230, 1, 89.1, 89.1, 89.2},
		{99.999, 2, 100, 99.99, 100},
		{2, 2, 2, 2, 2},
		{49_996_000_000.4, 0, 49_996_000_000, 49_996_000_000, 49_996_000_001},
		{-1.234, 2, -1.23, -1.24, -1.23},
		{-0.001, 2, 0, -0.01, 0},
		{7.5, -1, 8, 7, 8}, // negative decimals count as none
	} {
		if got := Round(c.f, c.decimals); got != c.round {
			t.Errorf("Round(%v, %d) = %v, want %v", c.f, c.decimals, got, c.round)
		}
		if got := Floor(c.f, c.decimals); got != c.floor {
			t.Errorf("Floor(%v, %d) = %v, want %v", c.f, c.decimals, got, c.floor)
		}
		if got := Ceil(c.f, c.decimals); got != c.ceil {
			t.Errorf("Ceil(%v, %d) = %v, want %v", c.f, c.decimals, got, c.ceil)
		}
	}
	if got := Ceil(-0.001, 2); math.Signbit(got) {
		t.Errorf("Ceil(-0.001, 2) = -0, want 0")
	}
	if got := Floor(math.NaN(), 1); !math.IsNaN(got) {
		t.Errorf("Floor(NaN, 1) = %v", got)
	}
}

// MoneyShown is what a reader of FormatMoney's text would type back in.
func TestMoneyShown(t *testing.T) {
	for _, c := range []struct {
		vnd, want float64
		text      string
	}{
		{49_996_000_000, 50_000_000_000, "50 tỷ đồng"},
		{49_994_000_000, 49_990_000_000, "49,99 tỷ đồng"},
		{52_300_000_000, 52_300_000_000, "52,3 tỷ đồng"},
		{999_999_999, 1_000_000_000, "1 tỷ đồng"},
		{12_345_678, 12_350_000, "12,35 triệu đồng"},
		{500_000.4, 500_000, "500.000 đồng"},
		{1_234_567_890_123, 1_234_570_000_000, "1.234,57 tỷ đồng"},
		{-49_996_000_000, -50_000_000_000, "-50 tỷ đồng"},
		{0, 0, "0 đồng"},
	} {
		if text := FormatMoney(c.vnd); text != c.text {
			t.Errorf("FormatMoney(%v) = %q, want %q", c.vnd, text, c.text)
		}
		if got := MoneyShown(c.vnd); got != c.want {
			t.Errorf("MoneyShown(%v) = %v, want %v", c.vnd, got, c.want)
		}
	}
}
