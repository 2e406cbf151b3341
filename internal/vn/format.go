package vn

import (
	"math"
	"strconv"
	"strings"
)

// Separators used in Vietnamese number formatting (TCVN and government
// documents): a dot groups thousands, a comma starts the decimals.
const (
	thousandsSeparator = '.'
	decimalSeparator   = ','
)

// autoDecimals is the largest number of decimals FormatNumber shows when
// called with decimals < 0. Two is enough for percentages and money in
// reports; more digits only add noise for the reader.
const autoDecimals = 2

// FormatNumber formats f with Vietnamese separators: 1234567.5 with one
// decimal gives "1.234.567,5" and -1234 with none gives "-1.234".
//
// decimals >= 0 shows exactly that many decimals. decimals < 0 (use -1)
// shows as many as needed, at most two, with trailing zeros dropped.
//
// Rounding is half away from zero on the shortest decimal form of f, which
// is the rounding people do by hand: 1.005 becomes "1,01" even though the
// nearest float64 is slightly below 1.005. A value that rounds to zero is
// shown without a minus sign. NaN and infinities come out as "NaN", "+Inf"
// and "-Inf"; callers are expected to keep them out of reports.
func FormatNumber(f float64, decimals int) string {
	if decimals < 0 {
		return formatDecimal(f, autoDecimals, true)
	}
	return formatDecimal(f, decimals, false)
}

// formatDecimal is FormatNumber with the number of decimals fixed; trim
// drops trailing zeros in the fraction (and the comma if nothing is left).
func formatDecimal(f float64, decimals int, trim bool) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	intPart, fracPart := roundDecimal(math.Abs(f), decimals)
	if trim {
		fracPart = strings.TrimRight(fracPart, "0")
	}

	var b strings.Builder
	if f < 0 && !(isZeroDigits(intPart) && isZeroDigits(fracPart)) {
		b.WriteByte('-')
	}
	b.WriteString(groupThousands(intPart))
	if fracPart != "" {
		b.WriteByte(decimalSeparator)
		b.WriteString(fracPart)
	}
	return b.String()
}

// FormatInt formats n with a dot between thousands: 1234567 gives
// "1.234.567".
func FormatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	// Work on the digits alone; math.MinInt64 has no positive counterpart,
	// so strip the sign from the string rather than negating n.
	if digits, ok := strings.CutPrefix(s, "-"); ok {
		return "-" + groupThousands(digits)
	}
	return groupThousands(s)
}

// FormatPercent formats a percentage with at most one decimal and no
// trailing ",0": 85.25 gives "85,3%", 100 gives "100%". p is already in
// percent (85.25 means 85.25 %, not 8525 %).
func FormatPercent(p float64) string {
	return formatDecimal(p, 1, true) + "%"
}

// FormatMoney writes an amount in đồng the way officials write it in
// reports: in "tỷ" (10^9) or "triệu" (10^6) with at most two decimals once
// the amount is that large, otherwise exactly. For example 52_300_000_000
// gives "52,3 tỷ đồng", 12_500_000 gives "12,5 triệu đồng" and 500_000
// gives "500.000 đồng".
//
// The unit is chosen after rounding, so 999_999_999 reads "1 tỷ đồng"
// rather than "1.000 triệu đồng". Use FormatVND when the exact figure
// matters, e.g. in a financial statement.
func FormatMoney(vnd float64) string {
	if math.IsNaN(vnd) || math.IsInf(vnd, 0) {
		return FormatNumber(vnd, -1) + " đồng"
	}
	abs := math.Abs(vnd)
	var amount string
	switch {
	case math.Round(abs) < 1e6:
		amount = FormatNumber(abs, 0) + " đồng"
	case fitsUnit(abs/1e6, 1000):
		amount = FormatNumber(abs/1e6, -1) + " triệu đồng"
	default:
		amount = FormatNumber(abs/1e9, -1) + " tỷ đồng"
	}
	if vnd < 0 && amount != "0 đồng" {
		amount = "-" + amount
	}
	return amount
}

// fitsUnit reports whether x, rounded to autoDecimals, is below limit.
// FormatMoney uses it to move to the next unit when rounding would show
// "1.000 triệu".
func fitsUnit(x, limit float64) bool {
	intPart, _ := roundDecimal(x, autoDecimals)
	n, err := strconv.ParseFloat(intPart, 64)
	return err == nil && n < limit
}

// FormatVND writes the exact amount in đồng, rounded to whole đồng:
// 52300000000 gives "52.300.000.000 đ".
func FormatVND(vnd float64) string {
	return FormatNumber(vnd, 0) + " đ"
}

// roundDecimal rounds the non-negative, finite x to the given number of
// decimals, half away from zero, and returns the integer and fraction
// digits (the fraction has exactly decimals digits).
//
// It rounds the shortest decimal string that identifies x instead of
// scaling by a power of ten: x*100 and strconv's round-half-even would
// both turn 1.005 or 85.25 into something other than what a reader expects.
func roundDecimal(x float64, decimals int) (intPart, fracPart string) {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	intPart, fracPart, _ = strings.Cut(s, ".")
	if len(fracPart) <= decimals {
		return intPart, fracPart + strings.Repeat("0", decimals-len(fracPart))
	}
	roundUp := fracPart[decimals] >= '5'
	digits := []byte(intPart + fracPart[:decimals])
	if roundUp {
		digits = incrementDigits(digits)
	}
	split := len(digits) - decimals
	return string(digits[:split]), string(digits[split:])
}

// incrementDigits adds one to the decimal number written in digits,
// growing it by a leading '1' when every digit carries ("999" → "1000").
func incrementDigits(digits []byte) []byte {
	for i := len(digits) - 1; i >= 0; i-- {
		if digits[i] < '9' {
			digits[i]++
			return digits
		}
		digits[i] = '0'
	}
	return append([]byte{'1'}, digits...)
}

// groupThousands puts a thousands separator between every group of three
// digits, counting from the right: "1234567" → "1.234.567".
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3)
	first := len(digits) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(digits[:first])
	for i := first; i < len(digits); i += 3 {
		b.WriteByte(thousandsSeparator)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

func isZeroDigits(digits string) bool {
	return strings.Trim(digits, "0") == ""
}

// LocalNumber writes a number given in the exchange format ("1234567.5",
// "-1300", as the API, CSV files and stored values write it) the
// Vietnamese way with every digit kept: "1.234.567,5", "-1.300". It works
// on the text, so a figure beyond float64's precision is shown as typed.
// Anything that is not such a plain decimal is returned unchanged.
func LocalNumber(s string) string {
	sign, body := "", s
	if rest, ok := strings.CutPrefix(body, "-"); ok {
		sign, body = "-", rest
	} else if rest, ok := strings.CutPrefix(body, "+"); ok {
		sign, body = "+", rest
	}
	whole, frac, hasFrac := strings.Cut(body, ".")
	if !IsDigits(whole) || hasFrac && !IsDigits(frac) {
		return s
	}
	out := sign + groupThousands(whole)
	if hasFrac {
		out += string(decimalSeparator) + frac
	}
	return out
}

// FormatExact writes f the Vietnamese way with every digit of its
// shortest form: 12.5 gives "12,5", 1300 gives "1.300", 0.125 gives
// "0,125". Unlike FormatNumber it never rounds, so a message quoting a
// figure shows what was typed.
func FormatExact(f float64) string {
	return LocalNumber(strconv.FormatFloat(f, 'f', -1, 64))
}
