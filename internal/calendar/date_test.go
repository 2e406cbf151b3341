package calendar_test

import (
	"encoding/json"
	"testing"
	"time"

	"mattran/internal/calendar"
	"mattran/internal/errs"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		ok      bool
		vn      string
		weekday time.Weekday
	}{
		{"2026-02-17", true, "17/02/2026", time.Tuesday},
		{"2024-02-29", true, "29/02/2024", time.Thursday},
		{"2000-02-29", true, "29/02/2000", time.Tuesday},
		{"1900-01-01", true, "01/01/1900", time.Monday},
		{"0001-01-01", true, "01/01/0001", time.Monday},
		{"9999-12-31", true, "31/12/9999", time.Friday},
		{"2023-02-29", false, "", 0}, // not a leap year
		{"1900-02-29", false, "", 0}, // century, not a leap year
		{"2025-04-31", false, "", 0},
		{"2025-13-01", false, "", 0},
		{"2025-00-10", false, "", 0},
		{"0000-01-01", false, "", 0},
		{"2025-4-30", false, "", 0},
		{"30/04/2025", false, "", 0},
		{"2025-04-30 ", false, "", 0},
		{"２０２５-04-30", false, "", 0},
		{"", false, "", 0},
	}
	for _, tt := range tests {
		d, err := calendar.ParseDate(tt.in)
		if !tt.ok {
			if err == nil || errs.CodeOf(err) != errs.Invalid {
				t.Errorf("ParseDate(%q) = %v, %v; want an Invalid error", tt.in, d, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		if d.String() != tt.in || d.FormatVN() != tt.vn || d.Weekday() != tt.weekday {
			t.Errorf("ParseDate(%q) = %s, %s, %s; want %s, %s", tt.in, d, d.FormatVN(), d.Weekday(), tt.vn, tt.weekday)
		}
	}
}

func TestDateAgreesWithTime(t *testing.T) {
	// Every day of 1899–2101 against the standard library.
	start := time.Date(1899, 1, 1, 0, 0, 0, 0, time.UTC)
	d := day("1899-01-01")
	for tm := start; tm.Year() < 2102; tm = tm.AddDate(0, 0, 1) {
		y, m, dd := d.Date()
		if y != tm.Year() || m != tm.Month() || dd != tm.Day() || d.Weekday() != tm.Weekday() || !d.Time().Equal(tm) {
			t.Fatalf("%s: got %d-%d-%d %s %s", tm.Format(time.DateOnly), y, m, dd, d.Weekday(), d.Time())
		}
		if calendar.DateOf(tm) != d {
			t.Fatalf("DateOf(%s) = %s", tm, calendar.DateOf(tm))
		}
		d = d.AddDays(1)
	}
}

func TestDateOfIsTheDayInVietnam(t *testing.T) {
	hcm := time.FixedZone("ICT", 7*60*60)
	tests := []struct {
		t    time.Time
		want string
	}{
		// 17:00 UTC is midnight in Hà Nội: the next day has begun.
		{time.Date(2025, 12, 31, 16, 59, 59, 0, time.UTC), "2025-12-31"},
		{time.Date(2025, 12, 31, 17, 0, 0, 0, time.UTC), "2026-01-01"},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, hcm), "2026-01-01"},
		{time.Date(2026, 1, 1, 23, 59, 59, 0, hcm), "2026-01-01"},
		// A zone west of UTC: 20:00 on 1 May in New York is 07:00 on 2 May in Vietnam.
		{time.Date(2025, 5, 1, 20, 0, 0, 0, time.FixedZone("EDT", -4*60*60)), "2025-05-02"},
		{time.Date(1960, 1, 1, 16, 0, 0, 0, time.UTC), "1960-01-01"},
	}
	for _, tt := range tests {
		if got := calendar.DateOf(tt.t); got != day(tt.want) {
			t.Errorf("DateOf(%s) = %s; want %s", tt.t, got, tt.want)
		}
	}
}

func TestNewDate(t *testing.T) {
	d, err := calendar.NewDate(2025, time.September, 2)
	if err != nil || d != day("2025-09-02") {
		t.Errorf("NewDate(2025, 9, 2) = %v, %v", d, err)
	}
	if _, err := calendar.NewDate(2025, time.February, 29); err == nil {
		t.Error("NewDate(2025, 2, 29): want an error")
	}
	if _, err := calendar.NewDate(10000, time.January, 1); err == nil {
		t.Error("NewDate(10000, 1, 1): want an error")
	}
}

func TestDateArithmetic(t *testing.T) {
	a, b := day("2024-02-28"), day("2024-03-01")
	if a.AddDays(2) != b || b.Sub(a) != 2 || a.Sub(b) != -2 {
		t.Errorf("2024-02-28 + 2 = %s, 2024-03-01 - 2024-02-28 = %d", a.AddDays(2), b.Sub(a))
	}
	if !a.Before(b) || a.After(b) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("ordering of 2024-02-28 and 2024-03-01 is wrong")
	}
	var zero calendar.Date
	if !zero.IsZero() || a.IsZero() || zero.String() != "0001-01-01" {
		t.Errorf("zero Date = %s, IsZero %v", zero, zero.IsZero())
	}
}

func TestDateJSON(t *testing.T) {
	type record struct {
		Sent calendar.Date `json:"sent"`
	}
	b, err := json.Marshal(record{Sent: day("2025-04-30")})
	if err != nil || string(b) != `{"sent":"2025-04-30"}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	var r record
	if err := json.Unmarshal([]byte(`{"sent":"2025-09-02"}`), &r); err != nil || r.Sent != day("2025-09-02") {
		t.Errorf("Unmarshal = %v, %v", r.Sent, err)
	}
	if err := json.Unmarshal([]byte(`{"sent":"02/09/2025"}`), &r); err == nil {
		t.Error("Unmarshal of dd/mm/yyyy: want an error")
	}
}

// FuzzParseDate feeds ParseDate arbitrary text: it never panics, and what
// it accepts prints back unchanged.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-02-17", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "2025-4-30", "-001-01-01", "+025-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := calendar.ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) = %s", s, d)
		}
		if again, err := calendar.ParseDate(d.String()); err != nil || again != d {
			t.Fatalf("ParseDate(%q) again = %v, %v", d.String(), again, err)
		}
	})
}
