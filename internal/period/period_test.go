package period

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseRoundTrip(t *testing.T) {
	tests := []struct {
		code string
		want Period
	}{
		{"2024", Period{Yearly, 2024, 0}},
		{"1900", Period{Yearly, 1900, 0}},
		{"9999", Period{Yearly, 9999, 0}},
		{"2024S1", Period{SixMonthly, 2024, 1}},
		{"2024S2", Period{SixMonthly, 2024, 2}},
		{"2024Q1", Period{Quarterly, 2024, 1}},
		{"2024Q4", Period{Quarterly, 2024, 4}},
		{"202401", Period{Monthly, 2024, 1}},
		{"202409", Period{Monthly, 2024, 9}},
		{"202412", Period{Monthly, 2024, 12}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.code)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tt.code, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.code, got, tt.want)
		}
		if !got.Valid() {
			t.Errorf("Parse(%q) = %+v, not Valid", tt.code, got)
		}
		if s := got.String(); s != tt.code {
			t.Errorf("Parse(%q).String() = %q", tt.code, s)
		}
	}
}

func TestParseRejects(t *testing.T) {
	const shape = "cần dạng 2024, 2024S1, 2024Q3 hoặc 202409"
	tests := []struct {
		code, reason string
	}{
		{"", shape},
		{"24", shape},
		{"20244", shape},
		{"2024-09", shape},
		{"2024Q", shape},
		{"2024Q10", shape},
		{"2024M9", shape},
		{" 2024", shape},
		{"2024 ", shape},
		{"2024Q+", shape},
		{"+202409", shape},
		{"２０２４", shape}, // full-width digits
		{"2024Q0", "quý phải từ 1 đến 4"},
		{"2024Q5", "quý phải từ 1 đến 4"},
		{"202413", "tháng phải từ 01 đến 12"},
		{"202400", "tháng phải từ 01 đến 12"},
		{"2024S0", "nửa năm phải là S1 hoặc S2"},
		{"2024S3", "nửa năm phải là S1 hoặc S2"},
		{"2024q3", "dùng chữ in hoa Q hoặc S"},
		{"2024s1", "dùng chữ in hoa Q hoặc S"},
		{"1899", "năm phải từ 1900 đến 9999"},
		{"0000Q1", "năm phải từ 1900 đến 9999"},
		{"189912", "năm phải từ 1900 đến 9999"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.code)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want error", tt.code, got)
			continue
		}
		want := `kỳ "` + tt.code + `" không hợp lệ: ` + tt.reason
		if err.Error() != want {
			t.Errorf("Parse(%q) error:\n got %s\nwant %s", tt.code, err, want)
		}
	}
}

func TestParseQuotesUnprintableInput(t *testing.T) {
	_, err := Parse("2024\n")
	if err == nil || !strings.Contains(err.Error(), `"2024\n"`) {
		t.Errorf(`Parse("2024\n") error = %v, want the code quoted with escapes`, err)
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse(2024Q5) did not panic")
		}
	}()
	MustParse("2024Q5")
}

func TestLabel(t *testing.T) {
	tests := []struct {
		code, want string
	}{
		{"202409", "Tháng 9/2024"},
		{"202412", "Tháng 12/2024"},
		{"2024Q1", "Quý I/2024"},
		{"2024Q3", "Quý III/2024"},
		{"2024Q4", "Quý IV/2024"},
		{"2024S1", "6 tháng đầu năm 2024"},
		{"2024S2", "6 tháng cuối năm 2024"},
		{"2024", "Năm 2024"},
	}
	for _, tt := range tests {
		if got := MustParse(tt.code).Label(); got != tt.want {
			t.Errorf("%s.Label() = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestStartEnd(t *testing.T) {
	tests := []struct {
		code, start, end string
	}{
		{"202401", "2024-01-01", "2024-01-31"},
		{"202402", "2024-02-01", "2024-02-29"}, // leap year
		{"202302", "2023-02-01", "2023-02-28"},
		{"190002", "1900-02-01", "1900-02-28"}, // not a leap year
		{"200002", "2000-02-01", "2000-02-29"}, // a leap year
		{"202404", "2024-04-01", "2024-04-30"},
		{"202412", "2024-12-01", "2024-12-31"},
		{"2024Q1", "2024-01-01", "2024-03-31"},
		{"2024Q2", "2024-04-01", "2024-06-30"},
		{"2024Q3", "2024-07-01", "2024-09-30"},
		{"2024Q4", "2024-10-01", "2024-12-31"},
		{"2024S1", "2024-01-01", "2024-06-30"},
		{"2024S2", "2024-07-01", "2024-12-31"},
		{"2024", "2024-01-01", "2024-12-31"},
		{"9999", "9999-01-01", "9999-12-31"},
	}
	for _, tt := range tests {
		p := MustParse(tt.code)
		if got := p.StartDate(); got != tt.start {
			t.Errorf("%s.StartDate() = %s, want %s", tt.code, got, tt.start)
		}
		if got := p.EndDate(); got != tt.end {
			t.Errorf("%s.EndDate() = %s, want %s", tt.code, got, tt.end)
		}
		for _, d := range []time.Time{p.Start(), p.End()} {
			if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 {
				t.Errorf("%s: %v is not 00:00 UTC", tt.code, d)
			}
		}
	}
}

func TestContains(t *testing.T) {
	codes := []string{"202409", "202410", "2024Q3", "2024Q4", "2024S2", "2024S1", "2024", "2023", "202309"}
	// contains[p] lists what p contains besides itself.
	contains := map[string][]string{
		"2024Q3": {"202409"},
		"2024Q4": {"202410"},
		"2024S2": {"202409", "202410", "2024Q3", "2024Q4"},
		"2024":   {"202409", "202410", "2024Q3", "2024Q4", "2024S2", "2024S1"},
		"2023":   {"202309"},
	}
	for _, outer := range codes {
		for _, inner := range codes {
			want := outer == inner || slices.Contains(contains[outer], inner)
			if got := MustParse(outer).Contains(MustParse(inner)); got != want {
				t.Errorf("%s.Contains(%s) = %v, want %v", outer, inner, got, want)
			}
		}
	}
}

func TestWithin(t *testing.T) {
	tests := []struct {
		code string
		typ  Type
		want string // codes separated by spaces; "" for nil
	}{
		{"2024", Quarterly, "2024Q1 2024Q2 2024Q3 2024Q4"},
		{"2024", SixMonthly, "2024S1 2024S2"},
		{"2024", Yearly, "2024"},
		{"2024", Monthly, "202401 202402 202403 202404 202405 202406 202407 202408 202409 202410 202411 202412"},
		{"2024S2", Monthly, "202407 202408 202409 202410 202411 202412"},
		{"2024S2", Quarterly, "2024Q3 2024Q4"},
		{"2024S1", SixMonthly, "2024S1"},
		{"2024S1", Yearly, ""},
		{"2024Q4", Monthly, "202410 202411 202412"},
		{"2024Q4", SixMonthly, ""},
		{"202409", Monthly, "202409"},
		{"202409", Quarterly, ""},
		{"2024", Type(0), ""},
	}
	for _, tt := range tests {
		got := MustParse(tt.code).Within(tt.typ)
		if tt.want == "" {
			if got != nil {
				t.Errorf("%s.Within(%v) = %v, want nil", tt.code, tt.typ, got)
			}
			continue
		}
		if s := joinCodes(got); s != tt.want {
			t.Errorf("%s.Within(%v) = %s, want %s", tt.code, tt.typ, s, tt.want)
		}
	}
}

func TestContaining(t *testing.T) {
	tests := []struct {
		code, want string
	}{
		{"202409", "202409 2024Q3 2024S2 2024"},
		{"202401", "202401 2024Q1 2024S1 2024"},
		{"202406", "202406 2024Q2 2024S1 2024"},
		{"2024Q2", "2024Q2 2024S1 2024"},
		{"2024Q3", "2024Q3 2024S2 2024"},
		{"2024S2", "2024S2 2024"},
		{"2024", "2024"},
	}
	for _, tt := range tests {
		if got := joinCodes(MustParse(tt.code).Containing()); got != tt.want {
			t.Errorf("%s.Containing() = %s, want %s", tt.code, got, tt.want)
		}
	}
	if got := (Period{}).Containing(); got != nil {
		t.Errorf("zero Period.Containing() = %v, want nil", got)
	}
}

func TestPreviousYear(t *testing.T) {
	tests := []struct {
		code, want string
	}{
		{"202409", "202309"},
		{"2024Q1", "2023Q1"},
		{"2024S2", "2023S2"},
		{"2024", "2023"},
	}
	for _, tt := range tests {
		if got := MustParse(tt.code).PreviousYear().String(); got != tt.want {
			t.Errorf("%s.PreviousYear() = %s, want %s", tt.code, got, tt.want)
		}
	}
	if MustParse("1900").PreviousYear().Valid() {
		t.Error("1900.PreviousYear() reported valid")
	}
}

func TestNextPrev(t *testing.T) {
	tests := []struct {
		code, prev, next string
	}{
		{"202409", "202408", "202410"},
		{"202412", "202411", "202501"},
		{"202401", "202312", "202402"},
		{"2024Q1", "2023Q4", "2024Q2"},
		{"2024Q4", "2024Q3", "2025Q1"},
		{"2024S1", "2023S2", "2024S2"},
		{"2024S2", "2024S1", "2025S1"},
		{"2024", "2023", "2025"},
	}
	for _, tt := range tests {
		p := MustParse(tt.code)
		if got := p.Prev().String(); got != tt.prev {
			t.Errorf("%s.Prev() = %s, want %s", tt.code, got, tt.prev)
		}
		if got := p.Next().String(); got != tt.next {
			t.Errorf("%s.Next() = %s, want %s", tt.code, got, tt.next)
		}
	}
}

func TestCompareSortsByStartThenLength(t *testing.T) {
	periods := []Period{
		MustParse("2024"), MustParse("202407"), MustParse("2023Q4"), MustParse("2024S2"),
		MustParse("2024Q1"), MustParse("202401"), MustParse("2024S1"), MustParse("2024Q3"),
	}
	slices.SortFunc(periods, Period.Compare)
	want := "2023Q4 202401 2024Q1 2024S1 2024 202407 2024Q3 2024S2"
	if got := joinCodes(periods); got != want {
		t.Errorf("sorted = %s, want %s", got, want)
	}
	p := MustParse("2024Q3")
	if p.Compare(p) != 0 {
		t.Error("Compare with itself is not 0")
	}
}

func TestForDate(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		typ  Type
		date string
		want string
	}{
		{Monthly, "2024-09-15", "202409"},
		{Monthly, "2024-02-29", "202402"},
		{Quarterly, "2024-09-30", "2024Q3"},
		{Quarterly, "2024-10-01", "2024Q4"},
		{Quarterly, "2024-01-01", "2024Q1"},
		{SixMonthly, "2024-06-30", "2024S1"},
		{SixMonthly, "2024-07-01", "2024S2"},
		{Yearly, "2024-12-31", "2024"},
	}
	for _, tt := range tests {
		if got := ForDate(tt.typ, day(tt.date)).String(); got != tt.want {
			t.Errorf("ForDate(%v, %s) = %s, want %s", tt.typ, tt.date, got, tt.want)
		}
	}

	// The calendar day is read in the date's own location: 00:30 on
	// 1 October in Hà Nội is still 30 September in UTC, but the user
	// in Hà Nội means Q4.
	hanoi := time.FixedZone("ICT", 7*60*60)
	late := time.Date(2024, time.October, 1, 0, 30, 0, 0, hanoi) // 2024-09-30 17:30 UTC
	if got := ForDate(Quarterly, late).String(); got != "2024Q4" {
		t.Errorf("ForDate(Quarterly, %v) = %s, want 2024Q4", late, got)
	}
}

// TestForDateAgreesWithStartEnd walks every day of a leap year and checks
// that the period ForDate picks has that day between its Start and End.
func TestForDateAgreesWithStartEnd(t *testing.T) {
	for d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2024; d = d.AddDate(0, 0, 1) {
		for typ := Monthly; typ <= Yearly; typ++ {
			p := ForDate(typ, d)
			if d.Before(p.Start()) || d.After(p.End()) {
				t.Fatalf("ForDate(%v, %s) = %s, which runs %s..%s", typ, d.Format(time.DateOnly), p, p.StartDate(), p.EndDate())
			}
		}
	}
}

func TestForDatePanicsOnInvalidType(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("ForDate(Type(0), ...) did not panic")
		}
	}()
	ForDate(Type(0), time.Now())
}

func joinCodes(periods []Period) string {
	codes := make([]string, len(periods))
	for i, p := range periods {
		codes[i] = p.String()
	}
	return strings.Join(codes, " ")
}

// FuzzParse checks that Parse never panics, that every code it accepts
// formats back to itself, and that the methods agree on what they accept.
func FuzzParse(f *testing.F) {
	for _, code := range []string{
		"2024", "2024S1", "2024S2", "2024Q1", "2024Q4", "202401", "202412",
		"", "2024Q0", "2024Q5", "202413", "202400", "2024S3", "24", "2024-09",
		"２０２４", "2024q3", "1899", "9999Q4",
	} {
		f.Add(code)
	}
	f.Fuzz(func(t *testing.T, code string) {
		p, err := Parse(code)
		if err != nil {
			if !strings.Contains(err.Error(), "không hợp lệ") {
				t.Fatalf("Parse(%q) error %q, want a Vietnamese message", code, err)
			}
			return
		}
		if s := p.String(); s != code {
			t.Fatalf("Parse(%q).String() = %q", code, s)
		}
		if !p.Valid() {
			t.Fatalf("Parse(%q) = %+v, not Valid", code, p)
		}
		if p.End().Before(p.Start()) {
			t.Fatalf("%s ends (%s) before it starts (%s)", code, p.EndDate(), p.StartDate())
		}
		if !p.Contains(p) {
			t.Fatalf("%s does not contain itself", code)
		}
		if p.Next().Prev() != p || p.Prev().Next() != p {
			t.Fatalf("%s: Next and Prev are not inverse", code)
		}
		if ForDate(p.Type, p.Start()) != p || ForDate(p.Type, p.End()) != p {
			t.Fatalf("%s: ForDate of its own start or end is another period", code)
		}
		for _, outer := range p.Containing() {
			if !outer.Contains(p) {
				t.Fatalf("%s.Containing() lists %s, which does not contain it", code, outer)
			}
		}
	})
}

func TestInSentence(t *testing.T) {
	for code, want := range map[string]string{
		"2024Q4": "quý IV/2024",
		"202409": "tháng 9/2024",
		"2024S1": "6 tháng đầu năm 2024",
		"2024":   "năm 2024",
	} {
		if got := MustParse(code).InSentence(); got != want {
			t.Errorf("%s.InSentence() = %q, want %q", code, got, want)
		}
	}
}
