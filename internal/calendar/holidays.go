package calendar

import (
	"slices"
	"time"
)

// DayKind says why a day is named in a year's calendar.
type DayKind int

const (
	// Holiday is a public holiday (ngày nghỉ lễ, tết) of the Labour Code.
	Holiday DayKind = iota + 1
	// Compensation is a day off in place of a holiday that fell on the
	// weekly rest day (nghỉ bù).
	Compensation
	// Overridden is a day set by an Override (a Government decision that
	// moves days off), whatever the defaults said.
	Overridden
)

// Day is a named day of a year's calendar.
type Day struct {
	Date Date
	Name string // for users, in Vietnamese: "Giỗ Tổ Hùng Vương", "Nghỉ bù Quốc khánh"
	Kind DayKind
	Off  bool // false only for an Override that makes the day a working day
}

// The names the Labour Code gives the holidays, as users read them.
const (
	nameNewYear        = "Tết Dương lịch"
	nameLunarNewYear   = "Tết Nguyên Đán"
	nameHungKings      = "Giỗ Tổ Hùng Vương"
	nameVictory        = "Ngày Chiến thắng"
	nameLabourDay      = "Quốc tế Lao động"
	nameNationalDay    = "Quốc khánh"
	compensationPrefix = "Nghỉ bù "
)

// The years whose public holidays the package computes: those under Bộ
// luật Lao động 2012 (in force 1/5/2013) and 2019 (in force 1/1/2021) for
// the whole year. Earlier rules differed in ways not modelled here (until
// 30/4/2013 Tết had four days). The upper bound is the lunar calendar's.
const (
	MinYear = 2014
	MaxYear = 2100
)

// secondNationalDaySince is the first year with two days for Quốc khánh
// (BLLĐ 2019, Điều 112 khoản 1 điểm đ); BLLĐ 2012 gave 2/9 alone.
const secondNationalDaySince = 2021

// statutoryDaysOff returns the public holidays of a year in
// [MinYear, MaxYear] and the days off that compensate those falling on a
// Saturday or Sunday, sorted by date. It ignores overrides.
//
// Bộ luật Lao động 2019, Điều 112 khoản 1, gives 11 days: Tết Dương lịch
// (1/1), Tết Âm lịch (5 days), Giỗ Tổ Hùng Vương (10/3 lunar), Ngày Chiến
// thắng (30/4), Quốc tế Lao động (1/5) and Quốc khánh (2/9 and one day next
// to it). The Prime Minister fixes each year which five days of Tết and
// which day next to 2/9 (khoản 3); the defaults here are the usual
// choices, and a year that differs is corrected with Overrides:
//   - Tết: the last day of the old lunar year (29 or 30 tháng Chạp,
//     whichever the year has) and mùng 1 to mùng 4;
//   - Quốc khánh: 3/9 when 2/9 is a Monday (so the four days run
//     Saturday–Tuesday), otherwise 1/9.
func statutoryDaysOff(year int) []Day {
	on := func(month time.Month, day int) Date { return Date{n: daysFromCivil(year, month, day)} }
	holiday := func(d Date, name string) Day { return Day{Date: d, Name: name, Kind: Holiday, Off: true} }

	days := []Day{holiday(on(time.January, 1), nameNewYear)}
	tet := mustFromLunar(LunarDate{Year: year, Month: 1, Day: 1})
	for i := -1; i <= 3; i++ {
		days = append(days, holiday(tet.AddDays(i), nameLunarNewYear))
	}
	// In a year with a leap third month Giỗ Tổ is kept in the ordinary
	// one, the first.
	days = append(days,
		holiday(mustFromLunar(LunarDate{Year: year, Month: 3, Day: 10}), nameHungKings),
		holiday(on(time.April, 30), nameVictory),
		holiday(on(time.May, 1), nameLabourDay),
		holiday(on(time.September, 2), nameNationalDay),
	)
	if year >= secondNationalDaySince {
		next := on(time.September, 1)
		if on(time.September, 2).Weekday() == time.Monday {
			next = on(time.September, 3)
		}
		days = append(days, holiday(next, nameNationalDay))
	}
	slices.SortFunc(days, byDate)
	days = append(days, compensations(days)...)
	slices.SortFunc(days, byDate)
	return days
}

func byDate(a, b Day) int { return a.Date.Compare(b.Date) }

// compensations returns the days off owed for the holidays (sorted by
// date) that fall on the weekly rest day. By BLLĐ 2019 Điều 111 khoản 3
// such a holiday is made up "vào ngày làm việc kế tiếp": the next day that
// is neither a weekend, a holiday nor already given for an earlier holiday.
// State offices rest on Saturday and Sunday (Quyết định 188/1999/QĐ-TTg),
// so a Saturday and Sunday inside the Tết break become two days after it.
func compensations(holidays []Day) []Day {
	taken := make(map[Date]bool, len(holidays))
	for _, h := range holidays {
		taken[h.Date] = true
	}
	var comp []Day
	for _, h := range holidays {
		if !isWeekend(h.Date) {
			continue
		}
		d := h.Date.AddDays(1)
		for isWeekend(d) || taken[d] {
			d = d.AddDays(1)
		}
		taken[d] = true
		comp = append(comp, Day{Date: d, Name: compensationPrefix + h.Name, Kind: Compensation, Off: true})
	}
	return comp
}

// mustFromLunar is FromLunar for the dates of holidays in
// [MinYear, MaxYear], which always exist (day 10 or less of an ordinary
// month, inside the lunar calendar's range); the tests cover every year.
func mustFromLunar(l LunarDate) Date {
	d, err := FromLunar(l)
	if err != nil {
		panic("calendar: " + err.Error())
	}
	return d
}

func isWeekend(d Date) bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// weekendName says why a plain Saturday or Sunday is off.
func weekendName(d Date) string {
	if d.Weekday() == time.Saturday {
		return "Thứ Bảy"
	}
	return "Chủ nhật"
}
