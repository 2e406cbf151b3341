package calendar_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"mattran/internal/calendar"
	"mattran/internal/errs"
)

func newCalendar(t testing.TB, overrides ...calendar.Override) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(overrides)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// listing renders Year's days one a line, "2023-01-02 C Nghỉ bù Tết Dương
// lịch", H for a holiday, C for a compensation day, O for an override (o
// when it makes a working day).
func listing(days []calendar.Day) string {
	var b strings.Builder
	for _, d := range days {
		kind := map[calendar.DayKind]string{calendar.Holiday: "H", calendar.Compensation: "C", calendar.Overridden: "O"}[d.Kind]
		if !d.Off {
			kind = strings.ToLower(kind)
		}
		fmt.Fprintf(&b, "%s %s %s\n", d.Date, kind, d.Name)
	}
	return b.String()
}

func TestYear(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		// 1/1/2022 is a Saturday: made up on Monday 3/1. Tết 1/2/2022 is a
		// Tuesday, so the five days (the last day of the old year and mùng
		// 1–4) are Monday to Friday. Giỗ Tổ is Sunday 10/4: Monday 11/4.
		// 30/4 and 1/5 are Saturday and Sunday: Monday 2/5 and Tuesday 3/5.
		// 2/9 is a Friday, so its second day is Thursday 1/9.
		{2022, `
2022-01-01 H Tết Dương lịch
2022-01-03 C Nghỉ bù Tết Dương lịch
2022-01-31 H Tết Nguyên Đán
2022-02-01 H Tết Nguyên Đán
2022-02-02 H Tết Nguyên Đán
2022-02-03 H Tết Nguyên Đán
2022-02-04 H Tết Nguyên Đán
2022-04-10 H Giỗ Tổ Hùng Vương
2022-04-11 C Nghỉ bù Giỗ Tổ Hùng Vương
2022-04-30 H Ngày Chiến thắng
2022-05-01 H Quốc tế Lao động
2022-05-02 C Nghỉ bù Ngày Chiến thắng
2022-05-03 C Nghỉ bù Quốc tế Lao động
2022-09-01 H Quốc khánh
2022-09-02 H Quốc khánh
`},
		// 1/1/2023 is a Sunday: Monday 2/1. Tết is Sunday 22/1, so the
		// five days are Saturday 21/1 to Wednesday 25/1, and the Saturday
		// and Sunday in them are made up on Thursday 26 and Friday 27.
		// Giỗ Tổ (Saturday 29/4), 30/4 (Sunday) and 1/5 (Monday): the two
		// weekend holidays are made up after the Monday, on 2/5 and 3/5.
		// 2/9 is a Saturday: its second day is Friday 1/9, and 2/9 is made
		// up on Monday 4/9.
		{2023, `
2023-01-01 H Tết Dương lịch
2023-01-02 C Nghỉ bù Tết Dương lịch
2023-01-21 H Tết Nguyên Đán
2023-01-22 H Tết Nguyên Đán
2023-01-23 H Tết Nguyên Đán
2023-01-24 H Tết Nguyên Đán
2023-01-25 H Tết Nguyên Đán
2023-01-26 C Nghỉ bù Tết Nguyên Đán
2023-01-27 C Nghỉ bù Tết Nguyên Đán
2023-04-29 H Giỗ Tổ Hùng Vương
2023-04-30 H Ngày Chiến thắng
2023-05-01 H Quốc tế Lao động
2023-05-02 C Nghỉ bù Giỗ Tổ Hùng Vương
2023-05-03 C Nghỉ bù Ngày Chiến thắng
2023-09-01 H Quốc khánh
2023-09-02 H Quốc khánh
2023-09-04 C Nghỉ bù Quốc khánh
`},
		// Tết 2024 is Saturday 10/2; the break is Friday 9/2 to Tuesday
		// 13/2, made up on Wednesday 14 and Thursday 15. 2/9 is a Monday,
		// so the second day is Tuesday 3/9.
		{2024, `
2024-01-01 H Tết Dương lịch
2024-02-09 H Tết Nguyên Đán
2024-02-10 H Tết Nguyên Đán
2024-02-11 H Tết Nguyên Đán
2024-02-12 H Tết Nguyên Đán
2024-02-13 H Tết Nguyên Đán
2024-02-14 C Nghỉ bù Tết Nguyên Đán
2024-02-15 C Nghỉ bù Tết Nguyên Đán
2024-04-18 H Giỗ Tổ Hùng Vương
2024-04-30 H Ngày Chiến thắng
2024-05-01 H Quốc tế Lao động
2024-09-02 H Quốc khánh
2024-09-03 H Quốc khánh
`},
		// Tết 2026 is Tuesday 17/2; tháng Chạp has 29 days, so the break
		// is Monday 16/2 to Friday 20/2. Giỗ Tổ is Sunday 26/4: Monday
		// 27/4. 2/9 is a Wednesday: the second day is Tuesday 1/9.
		{2026, `
2026-01-01 H Tết Dương lịch
2026-02-16 H Tết Nguyên Đán
2026-02-17 H Tết Nguyên Đán
2026-02-18 H Tết Nguyên Đán
2026-02-19 H Tết Nguyên Đán
2026-02-20 H Tết Nguyên Đán
2026-04-26 H Giỗ Tổ Hùng Vương
2026-04-27 C Nghỉ bù Giỗ Tổ Hùng Vương
2026-04-30 H Ngày Chiến thắng
2026-05-01 H Quốc tế Lao động
2026-09-01 H Quốc khánh
2026-09-02 H Quốc khánh
`},
		// Before 2021 (BLLĐ 2012) Quốc khánh was one day: 2/9/2018, a
		// Sunday, is made up on Monday 3/9 and nothing else.
		{2018, `
2018-01-01 H Tết Dương lịch
2018-02-15 H Tết Nguyên Đán
2018-02-16 H Tết Nguyên Đán
2018-02-17 H Tết Nguyên Đán
2018-02-18 H Tết Nguyên Đán
2018-02-19 H Tết Nguyên Đán
2018-02-20 C Nghỉ bù Tết Nguyên Đán
2018-02-21 C Nghỉ bù Tết Nguyên Đán
2018-04-25 H Giỗ Tổ Hùng Vương
2018-04-30 H Ngày Chiến thắng
2018-05-01 H Quốc tế Lao động
2018-09-02 H Quốc khánh
2018-09-03 C Nghỉ bù Quốc khánh
`},
	}
	c := newCalendar(t)
	for _, tt := range tests {
		got, err := c.Year(tt.year)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.TrimPrefix(tt.want, "\n"); listing(got) != want {
			t.Errorf("Year(%d):\n%s\nwant:\n%s", tt.year, listing(got), want)
		}
	}
}

// TestEveryYear checks what must hold in every year the calendar covers:
// eleven holidays (ten before 2021) on distinct dates, so no two holidays
// ever coincide (Giỗ Tổ came closest, on 29/4/2023), and one compensation
// day, on a weekday, for each holiday on a weekend.
func TestEveryYear(t *testing.T) {
	c := newCalendar(t)
	for y := calendar.MinYear; y <= calendar.MaxYear; y++ {
		days, err := c.Year(y)
		if err != nil {
			t.Fatal(err)
		}
		holidays, onWeekend, compensations := 0, 0, 0
		seen := map[calendar.Date]bool{}
		for _, d := range days {
			if seen[d.Date] {
				t.Errorf("%s is listed twice", d.Date)
			}
			seen[d.Date] = true
			if d.Date.Year() != y || !d.Off {
				t.Errorf("Year(%d) lists %v", y, d)
			}
			weekend := d.Date.Weekday() == time.Saturday || d.Date.Weekday() == time.Sunday
			switch d.Kind {
			case calendar.Holiday:
				holidays++
				if weekend {
					onWeekend++
				}
			case calendar.Compensation:
				compensations++
				if weekend {
					t.Errorf("compensation on a weekend: %v", d)
				}
			}
		}
		want := 11
		if y < 2021 {
			want = 10
		}
		if holidays != want || compensations != onWeekend {
			t.Errorf("%d: %d holidays, %d on a weekend, %d compensation days", y, holidays, onWeekend, compensations)
		}
	}
}

func TestDayOff(t *testing.T) {
	tests := []struct {
		date string
		name string // "" for a working day
	}{
		{"2022-04-10", "Giỗ Tổ Hùng Vương"}, // a Sunday: named as the holiday
		{"2022-04-11", "Nghỉ bù Giỗ Tổ Hùng Vương"},
		{"2022-04-12", ""},
		{"2023-09-01", "Quốc khánh"},
		{"2023-09-02", "Quốc khánh"},
		{"2023-09-03", "Chủ nhật"},
		{"2023-09-04", "Nghỉ bù Quốc khánh"},
		{"2023-09-05", ""},
		{"2024-02-14", "Nghỉ bù Tết Nguyên Đán"},
		{"2024-02-16", ""},
		{"2024-09-01", "Chủ nhật"},
		{"2024-09-03", "Quốc khánh"},
		{"2021-09-01", "Quốc khánh"}, // 2/9/2021 a Thursday: the first year with two days
		{"2020-09-01", ""},           // BLLĐ 2012: 2/9 alone
		{"2019-09-03", ""},
		{"2025-06-14", "Thứ Bảy"},
		{"2025-06-15", "Chủ nhật"},
		{"2025-06-16", ""},
		// Outside MinYear..MaxYear only weekends count.
		{"2013-06-01", "Thứ Bảy"},
		{"2013-06-03", ""},
		{"2101-01-01", "Thứ Bảy"},
		// 2/9/2029 is a Sunday, so the second day is Saturday 1/9 and both
		// are made up, on Monday 3/9 and Tuesday 4/9.
		{"2029-09-01", "Quốc khánh"},
		{"2029-09-02", "Quốc khánh"},
		{"2029-09-03", "Nghỉ bù Quốc khánh"},
		{"2029-09-04", "Nghỉ bù Quốc khánh"},
		{"2029-09-05", ""},
	}
	c := newCalendar(t)
	for _, tt := range tests {
		d := day(tt.date)
		name, off := c.DayOff(d)
		if name != tt.name || off != (tt.name != "") || c.IsWorkday(d) == off {
			t.Errorf("DayOff(%s, %s) = %q, %v, IsWorkday %v; want %q", tt.date, d.Weekday(), name, off, c.IsWorkday(d), tt.name)
		}
	}
}

func TestNextWorkday(t *testing.T) {
	tests := []struct{ date, want string }{
		{"2025-06-15", "2025-06-16"}, // Sunday → Monday
		{"2025-06-16", "2025-06-16"}, // a working day is its own
		{"2026-04-30", "2026-05-04"}, // 30/4 Thursday, 1/5 Friday, then the weekend
		{"2024-02-09", "2024-02-16"}, // 30 Tết 2024: break to Tuesday 13/2, made up 14–15/2
		{"2022-12-31", "2023-01-03"}, // Saturday; 1/1/2023 a Sunday made up on Monday 2/1
		{"2013-06-01", "2013-06-03"}, // outside the covered years: weekends only
	}
	c := newCalendar(t)
	for _, tt := range tests {
		if got := c.NextWorkday(day(tt.date)); got != day(tt.want) {
			t.Errorf("NextWorkday(%s) = %s; want %s", tt.date, got, tt.want)
		}
	}
}

func TestAddWorkdays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		// Tuesday 10/2/2026, 10 working days: 11, 12, 13 (3); 14–15 weekend,
		// 16–20 Tết, 21–22 weekend; 23, 24, 25, 26, 27 (8); 28/2–1/3
		// weekend; Monday 2/3 (9), Tuesday 3/3 (10).
		{"2026-02-10", 10, "2026-03-03"},
		{"2026-02-10", 0, "2026-02-10"},
		{"2025-06-13", 1, "2025-06-16"}, // Friday → Monday
		{"2025-06-14", 1, "2025-06-16"}, // received on a Saturday: Monday is the first day
		{"2026-02-16", 1, "2026-02-23"}, // received on the first day of Tết
		// Friday 25/4/2025, 15 working days: 28, 29 (2); 30/4 and 1/5
		// holidays; 2/5 (3); 5–9/5 (8); 12–16/5 (13); 19, 20 (15).
		{"2025-04-25", 15, "2025-05-20"},
		// Friday 29/12/2023, 3: 30–31 weekend, 1/1/2024 a holiday; 2, 3, 4/1.
		{"2023-12-29", 3, "2024-01-04"},
	}
	c := newCalendar(t)
	for _, tt := range tests {
		got, err := c.AddWorkdays(day(tt.from), tt.n)
		if err != nil || got != day(tt.want) {
			t.Errorf("AddWorkdays(%s, %d) = %s, %v; want %s", tt.from, tt.n, got, err, tt.want)
		}
		if n, err := c.WorkdaysBetween(day(tt.from), got); err != nil || n != tt.n {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, %v; want %d", tt.from, got, n, err, tt.n)
		}
	}
}

func TestAddWorkdaysRefuses(t *testing.T) {
	tests := []struct {
		name string
		from string
		n    int
	}{
		{"negative", "2025-01-02", -1},
		{"absurd", "2025-01-02", calendar.MaxWorkdays + 1},
		{"before the covered years", "2013-06-03", 5},
		{"runs past them", "2100-12-20", 30},
	}
	c := newCalendar(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.AddWorkdays(day(tt.from), tt.n)
			if err == nil || errs.CodeOf(err) != errs.Invalid {
				t.Errorf("AddWorkdays(%s, %d) = %s, %v; want an Invalid error", tt.from, tt.n, got, err)
			}
		})
	}
	// The largest allowed count runs about forty years, and agrees with
	// WorkdaysBetween over all of them.
	from := day("2025-01-01")
	got, err := c.AddWorkdays(from, calendar.MaxWorkdays)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := c.WorkdaysBetween(from, got); err != nil || n != calendar.MaxWorkdays || !c.IsWorkday(got) {
		t.Errorf("AddWorkdays(%s, %d) = %s, then WorkdaysBetween = %d, %v", from, calendar.MaxWorkdays, got, n, err)
	}
}

func TestWorkdaysBetween(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		// 2026 begins on a Thursday and has 365 days: 52 weeks and one
		// more Thursday, 261 weekdays. Days off on weekdays: 1/1, the five
		// of Tết (16–20/2), 27/4 (Giỗ Tổ on Sunday 26/4 made up), 30/4,
		// 1/5, 1/9 and 2/9: 11. 261 − 11 = 250.
		{"2025-12-31", "2026-12-31", 250},
		{"2026-02-10", "2026-03-03", 10},
		{"2026-03-03", "2026-02-10", -10},
		{"2026-03-03", "2026-03-03", 0},
		{"2026-02-14", "2026-02-22", 0}, // the whole Tết break and its weekends
		{"2023-12-29", "2024-01-04", 3},
	}
	c := newCalendar(t)
	for _, tt := range tests {
		got, err := c.WorkdaysBetween(day(tt.a), day(tt.b))
		if err != nil || got != tt.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
		}
	}
	if _, err := c.WorkdaysBetween(day("2012-01-01"), day("2026-01-01")); err == nil {
		t.Error("WorkdaysBetween from 2012: want an error")
	}
	if _, err := c.Year(2101); err == nil {
		t.Error("Year(2101): want an error")
	}
}

// The Government's plan for 30/4–1/5/2025 swapped a working Saturday
// 26/4 for a day off on Friday 2/5, making five days off in a row.
func TestOverrides(t *testing.T) {
	plan := []calendar.Override{
		{Date: day("2025-04-26"), Kind: calendar.WorkDay, Name: "Làm bù cho thứ Sáu 02/05"},
		{Date: day("2025-05-02"), Kind: calendar.DayOff, Name: "Nghỉ (hoán đổi với thứ Bảy 26/04)"},
		// A decision can also move a default holiday: here Quốc khánh's
		// second day to Thursday 3/9 instead of Tuesday 1/9.
		{Date: day("2026-09-01"), Kind: calendar.WorkDay},
		{Date: day("2026-09-03"), Kind: calendar.DayOff, Name: "Quốc khánh"},
		// Outside the covered years overrides still count.
		{Date: day("2013-06-01"), Kind: calendar.WorkDay},
	}
	plain, decided := newCalendar(t), newCalendar(t, plan...)

	tests := []struct {
		from         string
		n            int
		plain, moved string
	}{
		// Thursday 24/4, 3 days. Plainly: Friday 25 (1), Monday 28 (2),
		// Tuesday 29 (3). With the plan the Saturday counts: 25, 26, 28.
		{"2025-04-24", 3, "2025-04-29", "2025-04-28"},
		// Tuesday 29/4, 2 days. 30/4 and 1/5 are holidays. Plainly:
		// Friday 2/5 (1), Monday 5/5 (2). With 2/5 off: 5/5, 6/5.
		{"2025-04-29", 2, "2025-05-05", "2025-05-06"},
		// Monday 31/8/2026, 2 days: plainly 1/9 and 2/9 are off, so
		// Thursday 3 and Friday 4; with the plan 1/9 (1), then 3/9 off,
		// Friday 4/9 (2).
		{"2026-08-31", 2, "2026-09-04", "2026-09-04"},
		{"2026-08-31", 1, "2026-09-03", "2026-09-01"},
	}
	for _, tt := range tests {
		for _, cc := range []struct {
			c    *calendar.Calendar
			want string
		}{{plain, tt.plain}, {decided, tt.moved}} {
			got, err := cc.c.AddWorkdays(day(tt.from), tt.n)
			if err != nil || got != day(cc.want) {
				t.Errorf("AddWorkdays(%s, %d) = %s, %v; want %s", tt.from, tt.n, got, err, cc.want)
			}
		}
	}

	if !decided.IsWorkday(day("2025-04-26")) || decided.IsWorkday(day("2025-05-02")) {
		t.Error("the plan's Saturday must be a working day and its Friday a day off")
	}
	if name, off := decided.DayOff(day("2025-05-02")); !off || name != "Nghỉ (hoán đổi với thứ Bảy 26/04)" {
		t.Errorf("DayOff(2025-05-02) = %q, %v", name, off)
	}
	if name, off := decided.DayOff(day("2026-09-01")); off {
		t.Errorf("DayOff(2026-09-01) = %q: the decision made it a working day", name)
	}
	if !decided.IsWorkday(day("2013-06-01")) || decided.NextWorkday(day("2013-06-01")) != day("2013-06-01") {
		t.Error("an override outside the covered years must count")
	}

	days, err := decided.Year(2025)
	if err != nil {
		t.Fatal(err)
	}
	want := `2025-04-07 H Giỗ Tổ Hùng Vương
2025-04-26 o Làm bù cho thứ Sáu 02/05
2025-04-30 H Ngày Chiến thắng
2025-05-01 H Quốc tế Lao động
2025-05-02 O Nghỉ (hoán đổi với thứ Bảy 26/04)
`
	if got := listing(days); !strings.Contains(got, want) {
		t.Errorf("Year(2025) with the plan:\n%s\nwant it to hold:\n%s", got, want)
	}
	days, _ = decided.Year(2026)
	if got := listing(days); !strings.Contains(got, "2026-09-01 o Làm việc theo quyết định\n2026-09-02 H Quốc khánh\n2026-09-03 O Quốc khánh\n") {
		t.Errorf("Year(2026) with the plan:\n%s", got)
	}
}

func TestNewRefusesBadOverrides(t *testing.T) {
	tests := []struct {
		name      string
		overrides []calendar.Override
	}{
		{"no date", []calendar.Override{{Kind: calendar.DayOff}}},
		{"no kind", []calendar.Override{{Date: day("2025-05-02")}}},
		{"two on one date", []calendar.Override{
			{Date: day("2025-05-02"), Kind: calendar.DayOff},
			{Date: day("2025-05-02"), Kind: calendar.WorkDay},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := calendar.New(tt.overrides); err == nil || errs.CodeOf(err) != errs.Invalid {
				t.Errorf("New(%v) error = %v; want Invalid", tt.overrides, err)
			}
		})
	}
}

// TestConcurrentUse asks one fresh calendar about many years at once; run
// with -race it checks the lazily built year tables are shared safely.
func TestConcurrentUse(t *testing.T) {
	c := newCalendar(t)
	var wg sync.WaitGroup
	results := make([]calendar.Date, 16)
	for i := range results {
		wg.Go(func() {
			d, err := c.AddWorkdays(day("2020-01-01"), 5000)
			if err != nil {
				t.Error(err)
			}
			results[i] = d
		})
	}
	wg.Wait()
	for _, d := range results[1:] {
		if d != results[0] {
			t.Fatalf("concurrent AddWorkdays disagree: %s and %s", d, results[0])
		}
	}
}

func BenchmarkAddWorkdays30(b *testing.B) {
	c := newCalendar(b)
	from := day("2026-01-20")
	for b.Loop() {
		if _, err := c.AddWorkdays(from, 30); err != nil {
			b.Fatal(err)
		}
	}
}
