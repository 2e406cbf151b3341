package calendar

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"mattran/internal/errs"
)

// LunarDate is a day of the Vietnamese lunar calendar (âm lịch). Year is the
// Gregorian number of the year that begins at its Tết (lunar 1/1/2026 is
// 2026-02-17). Leap marks the leap month (tháng nhuận), which repeats the
// number of the month before it.
type LunarDate struct {
	Year, Month, Day int
	Leap             bool
}

// String returns the date the way a Vietnamese calendar prints it,
// "10/3/2026", or "1/4 nhuận/2020" in a leap month.
func (l LunarDate) String() string {
	if l.Leap {
		return fmt.Sprintf("%d/%d nhuận/%d", l.Day, l.Month, l.Year)
	}
	return fmt.Sprintf("%d/%d/%d", l.Day, l.Month, l.Year)
}

// The lunar calendar is computed for 1900-01-01 to 2100-12-31. The
// astronomy below (Meeus' truncated series, a simple ΔT) is good for some
// centuries either side, but these are the years it has been checked
// against published calendars, and nothing here needs more.
var (
	lunarFirst = Date{n: daysFromCivil(1900, 1, 1)}
	lunarLast  = Date{n: daysFromCivil(2100, 12, 31)}
)

// ToLunar converts a Gregorian date to the Vietnamese lunar calendar. It
// returns an Invalid error outside 1900–2100.
func ToLunar(d Date) (LunarDate, error) {
	if d.Before(lunarFirst) || d.After(lunarLast) {
		return LunarDate{}, errLunarRange()
	}
	months := lunarMonths()
	// The month is the last one starting on or before d.
	i := sort.Search(len(months), func(i int) bool { return months[i].start.After(d) }) - 1
	m := months[i]
	return LunarDate{Year: m.year, Month: m.month, Day: d.Sub(m.start) + 1, Leap: m.leap}, nil
}

// FromLunar converts a lunar date to the Gregorian calendar. It returns an
// Invalid error for a date that does not exist: day 30 of a 29-day month, a
// leap month the year does not have, or a date outside 1900–2100.
func FromLunar(l LunarDate) (Date, error) {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 {
		return Date{}, errs.New(errs.Invalid, "ngày âm lịch %s không tồn tại", l)
	}
	months := lunarMonths()
	key := lunarKey(l.Year, l.Month, l.Leap)
	i := sort.Search(len(months), func(i int) bool { return months[i].key() >= key })
	if i == len(months) || months[i].key() != key || i+1 == len(months) {
		if l.Leap && l.Year >= lunarFirst.Year() && l.Year <= lunarLast.Year() {
			return Date{}, errs.New(errs.Invalid, "năm %d âm lịch không có tháng %d nhuận", l.Year, l.Month)
		}
		return Date{}, errLunarRange()
	}
	start, next := months[i].start, months[i+1].start
	if length := next.Sub(start); l.Day > length {
		return Date{}, errs.New(errs.Invalid, "ngày âm lịch %s không tồn tại: tháng này chỉ có %d ngày", l, length)
	}
	d := start.AddDays(l.Day - 1)
	if d.Before(lunarFirst) || d.After(lunarLast) {
		return Date{}, errLunarRange()
	}
	return d, nil
}

func errLunarRange() error {
	return errs.New(errs.Invalid, "chỉ tính được âm lịch cho các ngày từ %s đến %s", lunarFirst.FormatVN(), lunarLast.FormatVN())
}

// lunarMonth is one month of the lunar calendar.
type lunarMonth struct {
	start       Date // day 1 (mùng 1)
	year, month int
	leap        bool
}

func (m lunarMonth) key() int { return lunarKey(m.year, m.month, m.leap) }

// lunarKey orders months as they follow each other: a leap month comes
// right after the ordinary month of the same number.
func lunarKey(year, month int, leap bool) int {
	k := year*32 + month*2
	if leap {
		k++
	}
	return k
}

// lunarMonths is every lunar month overlapping 1900–2100, in order. It is
// computed once, on first use (a few milliseconds), because the
// astronomy costs dozens of sines per new moon and a conversion
// needs several; after that a conversion is a binary search.
var lunarMonths = sync.OnceValue(buildLunarMonths)

// buildLunarMonths follows Hồ Ngọc Đức's "amlich" algorithm, the one
// Vietnamese calendars are printed from:
//
//   - a month begins on the day (in UTC+7) of a new moon;
//   - month 11 is the month containing the winter solstice;
//   - when 13 new moons begin between one month 11 and the next, the first
//     month in between with no major solar term (trung khí: the sun
//     crossing a multiple of 30° of longitude) is the leap month and takes
//     the number of the month before it.
//
// Computing the days at UTC+7 rather than China's UTC+8 is what makes some
// Vietnamese years differ from the Chinese calendar (Tết 1985, 2007).
func buildLunarMonths() []lunarMonth {
	var months []lunarMonth
	// Each pass covers lunar 11/yy to 10/yy+1; 11/1899 starts before
	// 1900-01-01 and 10/2101 ends after 2100-12-31.
	for yy := 1899; yy <= 2100; yy++ {
		a11, b11 := month11(yy), month11(yy+1)
		k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
		count, leapAt := 12, -1
		if b11-a11 > 365 {
			count, leapAt = 13, leapMonthOffset(k)
		}
		if newMoonDay(k) != a11 || newMoonDay(k+count) != b11 {
			// Deterministic arithmetic: this fails for every caller or
			// none, and the tests run it.
			panic(fmt.Sprintf("calendar: lunar months of %d do not add up", yy))
		}
		for i := range count {
			month, leap := i+11, false
			if leapAt >= 0 && i >= leapAt {
				month, leap = i+10, i == leapAt
			}
			if month > 12 {
				month -= 12
			}
			// Months 11 and 12 (and a leap 11 or 12) at the start of the
			// pass belong to lunar year yy; the rest to yy+1.
			year := yy + 1
			if month >= 11 && i < 4 {
				year = yy
			}
			months = append(months, lunarMonth{
				start: dateOfJulianDay(newMoonDay(k + i)),
				year:  year, month: month, leap: leap,
			})
		}
	}
	return months
}

// vietnamTimeZone is UTC+7 in hours, for the formulas below.
const vietnamTimeZone = 7.0

// newMoon returns the instant of the k-th new moon after the one of
// 1900-01-01 13:52 UTC, as a Julian day (Meeus, Astronomical Algorithms,
// 1998, ch. 49, truncated as in amlich).
func newMoon(k int) float64 {
	t := float64(k) / 1236.85 // Julian centuries from 1900 January 0.5
	t2 := t * t
	t3 := t2 * t
	const dr = math.Pi / 180
	jd1 := 2415020.75933 + 29.53058868*float64(k) + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)              // mean new moon
	m := 359.2242 + 29.10535608*float64(k) - 0.0000333*t2 - 0.00000347*t3    // Sun's mean anomaly
	mpr := 306.0253 + 385.81691806*float64(k) + 0.0107306*t2 + 0.00001236*t3 // Moon's mean anomaly
	f := 21.2964 + 390.67050646*float64(k) - 0.0016528*t2 - 0.00000239*t3    // Moon's argument of latitude
	c1 := (0.1734-0.000393*t)*math.Sin(m*dr) + 0.0021*math.Sin(2*dr*m)
	c1 = c1 - 0.4068*math.Sin(mpr*dr) + 0.0161*math.Sin(dr*2*mpr)
	c1 = c1 - 0.0004*math.Sin(dr*3*mpr)
	c1 = c1 + 0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(m+mpr))
	c1 = c1 - 0.0074*math.Sin(dr*(m-mpr)) + 0.0004*math.Sin(dr*(2*f+m))
	c1 = c1 - 0.0004*math.Sin(dr*(2*f-m)) - 0.0006*math.Sin(dr*(2*f+mpr))
	c1 = c1 + 0.0010*math.Sin(dr*(2*f-mpr)) + 0.0005*math.Sin(dr*(2*mpr+m))
	var deltaT float64 // ΔT, terrestrial minus universal time, in days
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltaT
}

// sunLongitude returns the Sun's apparent longitude in radians, in
// [0, 2π), at the instant jd (a Julian day) (Meeus ch. 25, low accuracy).
func sunLongitude(jd float64) float64 {
	t := (jd - 2451545.0) / 36525 // Julian centuries from 2000-01-01 12:00 UTC
	t2 := t * t
	const dr = math.Pi / 180
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2 // mean anomaly, degrees
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2                  // mean longitude, degrees
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl += (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// newMoonDay returns the Julian day number of the day, in Vietnam, of the
// k-th new moon.
func newMoonDay(k int) int {
	return int(math.Floor(newMoon(k) + 0.5 + vietnamTimeZone/24))
}

// solarTermSector returns which 30° sector (0 from the March equinox to
// 11) the Sun is in at the start, in Vietnam, of the day with Julian day
// number jd. A month contains a major solar term exactly when the sector at
// its first day differs from the sector at the next month's first day.
func solarTermSector(jd int) int {
	return int(math.Floor(sunLongitude(float64(jd)-0.5-vietnamTimeZone/24) / math.Pi * 6))
}

// month11 returns the Julian day number of the first day of lunar month 11
// of the year yy: the new moon on or before the December solstice.
func month11(yy int) int {
	off := Date{n: daysFromCivil(yy, 12, 31)}.julianDay() - 2415021
	k := int(math.Floor(float64(off) / 29.530588853))
	nm := newMoonDay(k)
	if solarTermSector(nm) >= 9 { // already past 270°: the solstice is in the month before
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset returns the position, counted from month 11 (the k-th new
// moon) as 0, of the first month with no major solar term. Month 11 itself
// holds the solstice, so the answer is at least 1.
func leapMonthOffset(k int) int {
	i := 1
	arc := solarTermSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = solarTermSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			return i - 1
		}
	}
}
