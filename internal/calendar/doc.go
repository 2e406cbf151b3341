// Package calendar is Vietnam's calendar for counting deadlines in working
// days.
//
// Casework runs on legal time limits in working days ("trong thời hạn 10
// ngày làm việc"), and a report whose deadline falls on a day off is due on
// the next working day: when the last day of a period is a weekly rest day
// or a holiday, the period ends at the end of the next working day (Bộ luật
// Dân sự 2015, Điều 148 khoản 5). Counting either needs the days off of
// state offices:
//
//   - the weekly rest days, Saturday and Sunday (Quyết định
//     188/1999/QĐ-TTg);
//   - the public holidays of Bộ luật Lao động 2019, Điều 112 (from 2014 to
//     2020 those of BLLĐ 2012, Điều 115, the same less the second day of
//     Quốc khánh); two of them follow the lunar calendar, so the package
//     holds one (ToLunar, FromLunar);
//   - a day off in place of a holiday that falls on a weekend (nghỉ bù,
//     BLLĐ 2019 Điều 111 khoản 3);
//   - the Government's yearly decisions, which fix the days of Tết and
//     Quốc khánh and swap working days around them; the package takes them
//     as a list of Overrides kept by an administrator.
//
// A Calendar answers from all four. Dates are civil days (Date), not
// instants: DateOf gives the day in Vietnam of a time.Time.
package calendar
