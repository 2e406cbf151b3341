package vn

import (
	"math"
	"strconv"
	"strings"
)

// Round returns the value FormatNumber(f, decimals) shows: f rounded half
// away from zero, on its shortest decimal form, to decimals places (at
// least 0). Round(85.25, 1) is 85.3 and Round(1.005, 2) is 1.01, where
// math.Round(x*10)/10 and friends give 85.2 and 1 for the floats nearest
// those numbers.
func Round(f float64, decimals int) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	intPart, fracPart := roundDecimal(math.Abs(f), max(decimals, 0))
	return readDecimal(f < 0, intPart, fracPart)
}

// Floor rounds f down (toward −∞) to decimals places (at least 0), on its
// shortest decimal form: Floor(1.13, 2) is 1.13, where
// math.Floor(1.13*100)/100 gives 1.12.
func Floor(f float64, decimals int) float64 {
	return roundToward(f, decimals, false)
}

// Ceil rounds f up (toward +∞) to decimals places (at least 0), on its
// shortest decimal form: Ceil(99.971, 2) is 99.98 and Ceil(0.07, 2) is
// 0.07, where math.Ceil(0.07*100)/100 gives 0.08.
func Ceil(f float64, decimals int) float64 {
	return roundToward(f, decimals, true)
}

// roundToward cuts f's shortest decimal form after decimals places and,
// when anything but zeros was cut and the cut moved f against the wanted
// direction, steps one unit in the last place the other way.
func roundToward(f float64, decimals int, up bool) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	decimals = max(decimals, 0)
	s := strconv.FormatFloat(math.Abs(f), 'f', -1, 64)
	intPart, fracPart, _ := strings.Cut(s, ".")
	var cut string
	if len(fracPart) > decimals {
		fracPart, cut = fracPart[:decimals], fracPart[decimals:]
	}
	fracPart += strings.Repeat("0", decimals-len(fracPart))
	// Cutting digits moves a positive number down and a negative one up;
	// away from zero is the other way.
	if !isZeroDigits(cut) && up == (f > 0) {
		digits := incrementDigits([]byte(intPart + fracPart))
		split := len(digits) - decimals
		intPart, fracPart = string(digits[:split]), string(digits[split:])
	}
	return readDecimal(f < 0, intPart, fracPart)
}

// readDecimal is the float64 nearest the decimal written in digits.
func readDecimal(negative bool, intPart, fracPart string) float64 {
	s := intPart
	if fracPart != "" {
		s += "." + fracPart
	}
	if negative {
		s = "-" + s
	}
	f, _ := strconv.ParseFloat(s, 64) // digits only: it cannot fail, and overflow is ±Inf
	if f == 0 {
		return 0 // not -0
	}
	return f
}

// MoneyShown returns the amount, in đồng, that FormatMoney(vnd) shows:
// 49_996_000_000 gives 50_000_000_000 ("50 tỷ đồng") and 12_345_678 gives
// 12_350_000 ("12,35 triệu đồng"). It reads FormatMoney's own text back,
// so the two cannot disagree on the unit or the rounding.
func MoneyShown(vnd float64) float64 {
	text := FormatMoney(vnd)
	// Longest suffix first: " đồng" ends the other two.
	for _, u := range []struct{ suffix, exponent string }{
		{" tỷ đồng", "e9"},
		{" triệu đồng", "e6"},
		{" đồng", ""},
	} {
		amount, ok := strings.CutSuffix(text, u.suffix)
		if !ok {
			continue
		}
		plain := strings.ReplaceAll(amount, string(thousandsSeparator), "")
		plain = strings.Replace(plain, string(decimalSeparator), ".", 1)
		if f, err := strconv.ParseFloat(plain+u.exponent, 64); err == nil {
			return f
		}
		break
	}
	return vnd
}
