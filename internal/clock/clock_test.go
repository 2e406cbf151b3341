package clock

import (
	"testing"
	"time"
)

// A day in Vietnam starts at 17:00 UTC the day before: a report sent at
// 23:30 in Hà Nội on the deadline's day is on that day, whatever zone the
// server runs in.
func TestToday(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2024, 12, 5, 16, 59, 59, 0, time.UTC), "2024-12-05"},
		{time.Date(2024, 12, 5, 17, 0, 0, 0, time.UTC), "2024-12-06"},
		{time.Date(2024, 12, 31, 23, 30, 0, 0, time.FixedZone("EST", -5*3600)), "2025-01-01"},
	} {
		if got := Today(c.at); got != c.want {
			t.Errorf("Today(%v) = %s, want %s", c.at, got, c.want)
		}
	}
	start, err := StartOfDay("2025-07-01")
	if err != nil || !start.Equal(time.Date(2025, 6, 30, 17, 0, 0, 0, time.UTC)) {
		t.Errorf("StartOfDay(2025-07-01) = %v, %v", start, err)
	}
}

func TestFixed(t *testing.T) {
	at := time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)
	if got := Fixed(at)(); !got.Equal(at) {
		t.Errorf("Fixed clock reads %v", got)
	}
	if Or(nil) == nil || !Or(Fixed(at))().Equal(at) {
		t.Error("Or does not fall back or keep its clock")
	}
}
