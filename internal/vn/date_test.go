package vn

import (
	"strings"
	"testing"
	"time"
)

func TestFormatDate(t *testing.T) {
	got := FormatDate(time.Date(2025, time.March, 9, 0, 0, 0, 0, time.UTC))
	if got != "09/03/2025" {
		t.Errorf("FormatDate = %q, want 09/03/2025", got)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // yyyy-mm-dd
	}{
		{"09/03/2025", "2025-03-09"},
		{"9/3/2025", "2025-03-09"},
		{"2025-03-09", "2025-03-09"},
		{" 31/12/2024 ", "2024-12-31"},
		{"29/02/2024", "2024-02-29"},
		{"2000-02-29", "2000-02-29"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if err != nil {
			t.Errorf("ParseDate(%q) error: %v", tt.in, err)
			continue
		}
		if got.Location() != time.UTC || got.Hour() != 0 {
			t.Errorf("ParseDate(%q) = %v, want midnight UTC", tt.in, got)
		}
		if s := got.Format(time.DateOnly); s != tt.want {
			t.Errorf("ParseDate(%q) = %s, want %s", tt.in, s, tt.want)
		}
	}
}

func TestParseDateRejects(t *testing.T) {
	tests := []struct {
		in      string
		message string
	}{
		{"", `ngày "" không hợp lệ: cần dạng dd/mm/yyyy hoặc yyyy-mm-dd`},
		{"hôm qua", `ngày "hôm qua" không hợp lệ: cần dạng dd/mm/yyyy hoặc yyyy-mm-dd`},
		{"09/03/25", `ngày "09/03/25" không hợp lệ: cần dạng dd/mm/yyyy hoặc yyyy-mm-dd`},
		{"2025/03/09", `ngày "2025/03/09" không hợp lệ: cần dạng dd/mm/yyyy hoặc yyyy-mm-dd`},
		{"09-03-2025", `ngày "09-03-2025" không hợp lệ: cần dạng dd/mm/yyyy hoặc yyyy-mm-dd`},
		{"2025-3-9", `ngày "2025-3-9" không hợp lệ: cần dạng dd/mm/yyyy hoặc yyyy-mm-dd`},
		{"09.03.2025", `ngày "09.03.2025" không hợp lệ: cần dạng dd/mm/yyyy hoặc yyyy-mm-dd`},
		{"+9/3/2025", `ngày "+9/3/2025" không hợp lệ: cần dạng dd/mm/yyyy hoặc yyyy-mm-dd`},
		{"31/02/2025", `ngày "31/02/2025" không tồn tại`},
		{"29/02/2025", `ngày "29/02/2025" không tồn tại`},
		{"00/01/2025", `ngày "00/01/2025" không tồn tại`},
		{"01/13/2025", `ngày "01/13/2025" không tồn tại`},
		{"2025-00-10", `ngày "2025-00-10" không tồn tại`},
		{"0000-01-01", `ngày "0000-01-01" không tồn tại`},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if err == nil {
			t.Errorf("ParseDate(%q) = %v, want error", tt.in, got)
			continue
		}
		if err.Error() != tt.message {
			t.Errorf("ParseDate(%q) error %q, want %q", tt.in, err, tt.message)
		}
	}
}

func TestParseDateFormatDateRoundTrip(t *testing.T) {
	for d := time.Date(2023, 12, 25, 0, 0, 0, 0, time.UTC); d.Year() < 2025; d = d.AddDate(0, 0, 1) {
		s := FormatDate(d)
		got, err := ParseDate(s)
		if err != nil || !got.Equal(d) {
			t.Fatalf("ParseDate(FormatDate(%v)) = %v, %v", d, got, err)
		}
		if strings.Count(s, "/") != 2 || len(s) != 10 {
			t.Fatalf("FormatDate(%v) = %q, want dd/mm/yyyy", d, s)
		}
	}
}

// FuzzParseDate: ParseDate never panics, refuses with a *DateError quoting
// the input, and what it accepts is a real day that reads back the same.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"09/03/2025", "9/3/2025", "2025-03-09", " 31/12/2024 ", "31/02/2025", "29/02/2024", "29/02/2023", "2025-3-9", "00/01/2025", "1/1/0000", "", "٠٩/٠٣/٢٠٢٥"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			de, ok := err.(*DateError)
			if !ok || de.Text != s || !d.IsZero() {
				t.Fatalf("ParseDate(%q) = %v, %#v; want a *DateError quoting the input", s, d, err)
			}
			return
		}
		if d.Hour() != 0 || d.Minute() != 0 || d.Location() != time.UTC {
			t.Fatalf("ParseDate(%q) = %v, not midnight UTC", s, d)
		}
		back, err := ParseDate(FormatDate(d))
		if err != nil || !back.Equal(d) {
			t.Fatalf("ParseDate(%q) = %v, but its formatting %q reads back as %v, %v", s, d, FormatDate(d), back, err)
		}
	})
}
