package calendar_test

import (
	"testing"

	"mattran/internal/calendar"
	"mattran/internal/errs"
)

func day(s string) calendar.Date { return calendar.MustParseDate(s) }

// The dates of mùng 1 Tết and Giỗ Tổ are as printed on Vietnamese wall
// calendars and announced in the Government's yearly holiday notices.
func TestTet(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		// 1985 and 2007 are the years Vietnam's Tết differs from China's
		// (20/2/1985, 18/2/2007) because the new moon falls on a
		// different day at UTC+7 than at UTC+8.
		{1985, "1985-01-21"},
		{2007, "2007-02-17"},
		{2019, "2019-02-05"},
		{2020, "2020-01-25"},
		{2021, "2021-02-12"},
		{2022, "2022-02-01"},
		{2023, "2023-01-22"},
		{2024, "2024-02-10"},
		{2025, "2025-01-29"},
		{2026, "2026-02-17"},
		{2027, "2027-02-06"},
		{2028, "2028-01-26"},
	}
	for _, tt := range tests {
		got, err := calendar.FromLunar(calendar.LunarDate{Year: tt.year, Month: 1, Day: 1})
		if err != nil || got != day(tt.want) {
			t.Errorf("Tết %d = %v, %v; want %s", tt.year, got, err, tt.want)
		}
		back, err := calendar.ToLunar(day(tt.want))
		if err != nil || back != (calendar.LunarDate{Year: tt.year, Month: 1, Day: 1}) {
			t.Errorf("ToLunar(%s) = %v, %v; want 1/1/%d", tt.want, back, err, tt.year)
		}
	}
}

func TestHungKingsDay(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{2019, "2019-04-14"},
		{2020, "2020-04-02"},
		{2021, "2021-04-21"},
		{2022, "2022-04-10"},
		{2023, "2023-04-29"},
		{2024, "2024-04-18"},
		{2025, "2025-04-07"},
		{2026, "2026-04-26"},
	}
	for _, tt := range tests {
		got, err := calendar.FromLunar(calendar.LunarDate{Year: tt.year, Month: 3, Day: 10})
		if err != nil || got != day(tt.want) {
			t.Errorf("10/3/%d âm lịch = %v, %v; want %s", tt.year, got, err, tt.want)
		}
	}
}

func TestLeapMonths(t *testing.T) {
	// Leap months of recent years as printed on calendars: 2020 had a
	// leap 4th month, 2023 a leap 2nd, 2025 a leap 6th; 2024 had none.
	// 1/4 nhuận/2020 and 1/2 nhuận/2023 are from the same calendars.
	tests := []struct {
		lunar calendar.LunarDate
		want  string // "" when the date must not exist
	}{
		{calendar.LunarDate{Year: 2020, Month: 4, Day: 1, Leap: true}, "2020-05-23"},
		{calendar.LunarDate{Year: 2023, Month: 2, Day: 1, Leap: true}, "2023-03-22"},
		{calendar.LunarDate{Year: 2025, Month: 6, Day: 1, Leap: true}, "2025-07-25"},
		{calendar.LunarDate{Year: 2023, Month: 3, Day: 1, Leap: true}, ""},
		{calendar.LunarDate{Year: 2024, Month: 4, Day: 1, Leap: true}, ""},
	}
	for _, tt := range tests {
		got, err := calendar.FromLunar(tt.lunar)
		if tt.want == "" {
			if err == nil || errs.CodeOf(err) != errs.Invalid {
				t.Errorf("FromLunar(%v) = %v, %v; want an Invalid error", tt.lunar, got, err)
			}
			continue
		}
		if err != nil || got != day(tt.want) {
			t.Errorf("FromLunar(%v) = %v, %v; want %s", tt.lunar, got, err, tt.want)
		}
	}
}

func TestFromLunarRefusesWhatDoesNotExist(t *testing.T) {
	tests := []struct {
		name  string
		lunar calendar.LunarDate
	}{
		// Tháng Chạp of Ất Tỵ runs from the new moon of 2026-01-18
		// 19:52 UTC (19/1 in Vietnam) to that of 2026-02-17 12:01 UTC,
		// 29 days: Tết Bính Ngọ has no "30 Tết".
		{"day 30 of a 29-day month", calendar.LunarDate{Year: 2025, Month: 12, Day: 30}},
		{"day 31", calendar.LunarDate{Year: 2025, Month: 1, Day: 31}},
		{"day 0", calendar.LunarDate{Year: 2025, Month: 1, Day: 0}},
		{"month 13", calendar.LunarDate{Year: 2025, Month: 13, Day: 1}},
		{"no leap month that year", calendar.LunarDate{Year: 2024, Month: 1, Day: 1, Leap: true}},
		{"before 1900", calendar.LunarDate{Year: 1899, Month: 6, Day: 1}},
		{"after 2100", calendar.LunarDate{Year: 2101, Month: 6, Day: 1}},
		{"lunar 1899 in the Gregorian 1899", calendar.LunarDate{Year: 1899, Month: 11, Day: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := calendar.FromLunar(tt.lunar)
			if err == nil || errs.CodeOf(err) != errs.Invalid {
				t.Errorf("FromLunar(%v) = %v, %v; want an Invalid error", tt.lunar, got, err)
			}
		})
	}
	// The day before Tết 2026 is the 29th.
	got, err := calendar.FromLunar(calendar.LunarDate{Year: 2025, Month: 12, Day: 29})
	if err != nil || got != day("2026-02-16") {
		t.Errorf("29/12/2025 âm lịch = %v, %v; want 2026-02-16", got, err)
	}
}

func TestToLunarRange(t *testing.T) {
	for _, s := range []string{"1899-12-31", "2101-01-01", "0001-01-01"} {
		if got, err := calendar.ToLunar(day(s)); err == nil {
			t.Errorf("ToLunar(%s) = %v; want an error outside 1900–2100", s, got)
		}
	}
	for _, s := range []string{"1900-01-01", "2100-12-31"} {
		if _, err := calendar.ToLunar(day(s)); err != nil {
			t.Errorf("ToLunar(%s): %v", s, err)
		}
	}
}

// TestLunarRoundTrip walks every day of 1950–2050 and checks that the
// lunar calendar is a calendar: each day is the day after the previous
// one, months have 29 or 30 days and follow each other (with at most one
// leap month a year, repeating the number before it), years have 12 or 13
// months, and FromLunar inverts ToLunar.
func TestLunarRoundTrip(t *testing.T) {
	first, last := day("1950-01-01"), day("2050-12-31")
	prev, err := calendar.ToLunar(first.AddDays(-1))
	if err != nil {
		t.Fatal(err)
	}
	monthsInYear := 0
	for d := first; !d.After(last); d = d.AddDays(1) {
		l, err := calendar.ToLunar(d)
		if err != nil {
			t.Fatalf("ToLunar(%s): %v", d, err)
		}
		back, err := calendar.FromLunar(l)
		if err != nil || back != d {
			t.Fatalf("FromLunar(ToLunar(%s) = %v) = %v, %v", d, l, back, err)
		}
		switch {
		case l.Day == prev.Day+1:
			if l.Year != prev.Year || l.Month != prev.Month || l.Leap != prev.Leap {
				t.Fatalf("%s: %v follows %v", d, l, prev)
			}
		case l.Day == 1:
			if prev.Day != 29 && prev.Day != 30 {
				t.Fatalf("%s: month before %v has %d days", d, l, prev.Day)
			}
			monthsInYear++
			switch {
			case l.Leap:
				if l.Month != prev.Month || prev.Leap || l.Year != prev.Year {
					t.Fatalf("%s: leap month %v follows %v", d, l, prev)
				}
			case l.Month == 1:
				if prev.Month != 12 || l.Year != prev.Year+1 {
					t.Fatalf("%s: new year %v follows %v", d, l, prev)
				}
				if d.Year() > 1950 && monthsInYear != 12 && monthsInYear != 13 {
					t.Fatalf("lunar year %d has %d months", prev.Year, monthsInYear)
				}
				monthsInYear = 0
			default:
				if l.Month != prev.Month+1 || l.Year != prev.Year {
					t.Fatalf("%s: %v follows %v", d, l, prev)
				}
			}
		default:
			t.Fatalf("%s: %v follows %v", d, l, prev)
		}
		prev = l
	}
}

// FuzzLunarRoundTrip converts arbitrary day numbers: inside 1900–2100 the
// conversion must round-trip, outside it must refuse, and it must never
// panic. Arbitrary lunar dates must convert or be refused, never panic.
func FuzzLunarRoundTrip(f *testing.F) {
	for _, seed := range []int{0, 1, 45000, 73413, 73414, -1, 1 << 40} {
		f.Add(seed, 2025, 12, 30, false)
	}
	f.Add(31000, 2023, 2, 1, true)
	base := day("1900-01-01")
	f.Fuzz(func(t *testing.T, n int, year, month, dayOfMonth int, leap bool) {
		d := base.AddDays(n % (1 << 31))
		l, err := calendar.ToLunar(d)
		inRange := !d.Before(base) && !d.After(day("2100-12-31"))
		if inRange != (err == nil) {
			t.Fatalf("ToLunar(%s) error = %v", d, err)
		}
		if err == nil {
			back, err := calendar.FromLunar(l)
			if err != nil || back != d {
				t.Fatalf("FromLunar(ToLunar(%s) = %v) = %v, %v", d, l, back, err)
			}
		}
		in := calendar.LunarDate{Year: year, Month: month, Day: dayOfMonth, Leap: leap}
		if g, err := calendar.FromLunar(in); err == nil {
			if l, err := calendar.ToLunar(g); err != nil || l != in {
				t.Fatalf("ToLunar(FromLunar(%v) = %s) = %v, %v", in, g, l, err)
			}
		}
	})
}
