package calendar

import (
	"fmt"
	"mattran/internal/clock"
	"time"

	"mattran/internal/errs"
)

// Date is a civil day in Vietnam: no time of day and no time zone. Deadlines
// are counted in whole days, and a time.Time would drag a zone (and a
// midnight that shifts a day when printed in another zone) into every
// comparison. The zero Date is 0001-01-01, like the zero time.Time.
//
// Dates compare with == and order with Before, After and Compare, and can be
// map keys.
type Date struct {
	n int // days since 0001-01-01 in the proleptic Gregorian calendar
}

const (
	// epochToUnix is the number of days from 0001-01-01 to 1970-01-01.
	epochToUnix = 719162
	// epochJulianDay is the Julian day number of 0001-01-01, the count the
	// astronomical formulas in lunar.go work in.
	epochJulianDay = 1721426
)

// NewDate returns the date year-month-day, or an Invalid error when there is
// no such day (31/02) or the year is outside 1–9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) {
		return Date{}, errs.New(errs.Invalid, "ngày %02d/%02d/%04d không tồn tại", day, int(month), year)
	}
	return Date{n: daysFromCivil(year, month, day)}, nil
}

// ParseDate reads "YYYY-MM-DD", the form the application stores dates in.
// It is strict (two-digit month and day, four-digit year) because stored
// strings are machine-written; typed input goes through vn.ParseDate.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, errs.New(errs.Invalid, "ngày %q không hợp lệ: cần dạng yyyy-mm-dd", s)
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, errs.New(errs.Invalid, "ngày %q không hợp lệ: cần dạng yyyy-mm-dd", s)
	}
	d, err := NewDate(year, time.Month(month), day)
	if err != nil {
		return Date{}, errs.New(errs.Invalid, "ngày %q không tồn tại", s)
	}
	return d, nil
}

// MustParseDate is ParseDate for constants in code and tests; it panics on
// a malformed date.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the civil day in Vietnam (UTC+7) of the instant t. For
// t.Time() of a Date d it returns d, since 00:00 UTC is 07:00 in Vietnam.
func DateOf(t time.Time) Date {
	_, offset := t.In(clock.Zone).Zone()
	return Date{n: floorDiv(t.Unix()+int64(offset), 86400) + epochToUnix}
}

// Time returns 00:00 UTC of the day, the form the rest of the application
// (vn.ParseDate, vn.FormatDate) uses for a date in a time.Time.
func (d Date) Time() time.Time {
	return time.Unix(int64(d.n-epochToUnix)*86400, 0).UTC()
}

// Date returns the year, month and day.
func (d Date) Date() (year int, month time.Month, day int) {
	return civilFromDays(d.n)
}

// Year returns the Gregorian year.
func (d Date) Year() int {
	y, _, _ := civilFromDays(d.n)
	return y
}

// Month returns the month of the year.
func (d Date) Month() time.Month {
	_, m, _ := civilFromDays(d.n)
	return m
}

// Day returns the day of the month.
func (d Date) Day() int {
	_, _, day := civilFromDays(d.n)
	return day
}

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday {
	// 0001-01-01 was a Monday.
	return time.Weekday((d.n%7 + 7 + 1) % 7)
}

// AddDays returns the date n days later (earlier for a negative n).
func (d Date) AddDays(n int) Date {
	return Date{n: d.n + n}
}

// Sub returns the number of days from e to d: positive when d is later.
func (d Date) Sub(e Date) int {
	return d.n - e.n
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.n > e.n }

// Compare returns -1, 0 or +1 as d is before, equal to or after e, for
// slices.SortFunc.
func (d Date) Compare(e Date) int {
	switch {
	case d.n < e.n:
		return -1
	case d.n > e.n:
		return 1
	}
	return 0
}

// IsZero reports whether d is the zero Date (an unset date).
func (d Date) IsZero() bool { return d.n == 0 }

// String returns "YYYY-MM-DD", the stored form.
func (d Date) String() string {
	y, m, day := civilFromDays(d.n)
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), day)
}

// FormatVN returns "dd/mm/yyyy", the order of every Vietnamese document.
func (d Date) FormatVN() string {
	y, m, day := civilFromDays(d.n)
	return fmt.Sprintf("%02d/%02d/%04d", day, int(m), y)
}

// MarshalText writes the stored form, so a Date is "YYYY-MM-DD" in JSON.
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText reads the stored form.
func (d *Date) UnmarshalText(b []byte) error {
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// julianDay returns the Julian day number of d.
func (d Date) julianDay() int { return d.n + epochJulianDay }

// dateOfJulianDay is the inverse of julianDay.
func dateOfJulianDay(jd int) Date { return Date{n: jd - epochJulianDay} }

// daysFromCivil and civilFromDays are Howard Hinnant's branch-light
// conversions ("chrono-Compatible Low-Level Date Algorithms"), shifted to
// count from 0001-01-01. They are exact for every proleptic Gregorian date.
func daysFromCivil(year int, month time.Month, day int) int {
	y, m := year, int(month)
	if m <= 2 {
		y--
	}
	era := floorDiv(int64(y), 400)
	yoe := y - era*400
	mp := (m + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468 + epochToUnix
}

func civilFromDays(n int) (int, time.Month, int) {
	z := n - epochToUnix + 719468
	era := floorDiv(int64(z), 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	month := mp + 3
	if month > 12 {
		month -= 12
	}
	year := yoe + era*400
	if month <= 2 {
		year++
	}
	return year, time.Month(month), day
}

func daysInMonth(year int, month time.Month) int {
	switch month {
	case time.February:
		if isLeapYear(year) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func isLeapYear(y int) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

func floorDiv(a, b int64) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return int(q)
}

// digits parses a short string of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
