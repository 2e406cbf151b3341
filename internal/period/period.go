// Package period handles reporting periods written as DHIS2 period codes,
// the format Vietnamese statistics systems already exchange:
//
//	2024     year
//	2024S1   first half year (S2: second)
//	2024Q3   third quarter
//	202409   September
//
// Years run from 1900 to 9999. A Period is a small comparable value, usable
// as a map key.
package period

import (
	"cmp"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"mattran/internal/vn"
)

// Years accepted by Parse. Four-digit years keep every code a fixed width,
// which is what makes "202409" unambiguous.
const (
	MinYear = 1900
	MaxYear = 9999
)

// Period is one reporting period.
type Period struct {
	Type Type
	Year int
	// Index is the month (1..12), quarter (1..4) or half year (1..2)
	// within Year, and 0 for a Yearly period.
	Index int
}

// Parse reads a DHIS2 period code. The code must be exact: no spaces, upper
// case 'Q' and 'S', ASCII digits, a two-digit month. The error message is in
// Vietnamese and quotes the code, e.g.
// `kỳ "2024Q5" không hợp lệ: quý phải từ 1 đến 4`.
func Parse(code string) (Period, error) {
	invalid := func(reason string) error {
		return fmt.Errorf("kỳ %q không hợp lệ: %s", code, reason)
	}
	const shape = "cần dạng 2024, 2024S1, 2024Q3 hoặc 202409"

	if len(code) != 4 && len(code) != 6 {
		return Period{}, invalid(shape)
	}
	if !vn.IsDigits(code[:4]) {
		return Period{}, invalid(shape)
	}
	year := atoi(code[:4])
	if year < MinYear || year > MaxYear {
		return Period{}, invalid(fmt.Sprintf("năm phải từ %d đến %d", MinYear, MaxYear))
	}
	if len(code) == 4 {
		return Period{Type: Yearly, Year: year}, nil
	}

	suffix := code[4:]
	switch {
	case vn.IsDigits(suffix):
		month := atoi(suffix)
		if month < 1 || month > 12 {
			return Period{}, invalid("tháng phải từ 01 đến 12")
		}
		return Period{Type: Monthly, Year: year, Index: month}, nil
	case suffix[0] == 'Q' && vn.IsDigits(suffix[1:]):
		quarter := atoi(suffix[1:])
		if quarter < 1 || quarter > 4 {
			return Period{}, invalid("quý phải từ 1 đến 4")
		}
		return Period{Type: Quarterly, Year: year, Index: quarter}, nil
	case suffix[0] == 'S' && vn.IsDigits(suffix[1:]):
		half := atoi(suffix[1:])
		if half < 1 || half > 2 {
			return Period{}, invalid("nửa năm phải là S1 hoặc S2")
		}
		return Period{Type: SixMonthly, Year: year, Index: half}, nil
	case (suffix[0] == 'q' || suffix[0] == 's') && vn.IsDigits(suffix[1:]):
		// DHIS2 codes are upper case; say so rather than only
		// repeating the expected shape.
		return Period{}, invalid("dùng chữ in hoa Q hoặc S")
	}
	return Period{}, invalid(shape)
}

// MustParse is Parse for codes known to be valid, such as constants and
// test data. It panics on an invalid code.
func MustParse(code string) Period {
	p, err := Parse(code)
	if err != nil {
		panic(err)
	}
	return p
}

// Valid reports whether p is a period Parse could have returned.
func (p Period) Valid() bool {
	if !p.Type.Valid() || p.Year < MinYear || p.Year > MaxYear {
		return false
	}
	if p.Type == Yearly {
		return p.Index == 0
	}
	return p.Index >= 1 && p.Index <= p.Type.perYear()
}

// String returns the DHIS2 code ("2024", "2024S1", "2024Q3", "202409").
// A period with an invalid Type is written as "Period(type, year, index)"
// so that it shows up plainly in logs.
func (p Period) String() string {
	switch p.Type {
	case Monthly:
		return fmt.Sprintf("%04d%02d", p.Year, p.Index)
	case Quarterly:
		return fmt.Sprintf("%04dQ%d", p.Year, p.Index)
	case SixMonthly:
		return fmt.Sprintf("%04dS%d", p.Year, p.Index)
	case Yearly:
		return fmt.Sprintf("%04d", p.Year)
	}
	return fmt.Sprintf("Period(%d, %d, %d)", p.Type, p.Year, p.Index)
}

// Label returns the period as it is written in Vietnamese report titles:
// "Tháng 9/2024", "Quý III/2024", "6 tháng đầu năm 2024",
// "6 tháng cuối năm 2024", "Năm 2024".
func (p Period) Label() string {
	switch p.Type {
	case Monthly:
		return fmt.Sprintf("Tháng %d/%d", p.Index, p.Year)
	case Quarterly:
		return fmt.Sprintf("Quý %s/%d", vn.RomanNumeral(p.Index), p.Year)
	case SixMonthly:
		if p.Index == 1 {
			return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
		}
		return fmt.Sprintf("6 tháng cuối năm %d", p.Year)
	case Yearly:
		return fmt.Sprintf("Năm %d", p.Year)
	}
	return p.String()
}

// InSentence is the label as it reads inside a sentence: "quý IV/2024",
// "tháng 9/2024", "năm 2024". Only the first letter is lowered; lowering
// the whole label would write the quarter's Roman numeral as "iv".
func (p Period) InSentence() string {
	l := p.Label()
	r, size := utf8.DecodeRuneInString(l)
	return string(unicode.ToLower(r)) + l[size:]
}

// firstMonth is the calendar month (1..12) in which p starts.
func (p Period) firstMonth() int {
	if p.Type == Yearly {
		return 1
	}
	return (p.Index-1)*p.Type.months() + 1
}

// monthNumber counts months from year 0 to p's first month. Every period
// is a run of whole months, so comparing these numbers compares dates
// without building time.Time values.
func (p Period) monthNumber() int {
	return p.Year*12 + p.firstMonth() - 1
}

// lastMonthNumber is monthNumber for p's last month.
func (p Period) lastMonthNumber() int {
	return p.monthNumber() + p.Type.months() - 1
}

// Start returns the first day of p at 00:00 UTC.
func (p Period) Start() time.Time {
	return time.Date(p.Year, time.Month(p.firstMonth()), 1, 0, 0, 0, 0, time.UTC)
}

// End returns the last day of p at 00:00 UTC. The day is inclusive: a date
// d lies in p when !d.Before(p.Start()) && !d.After(p.End()) for dates at
// midnight.
func (p Period) End() time.Time {
	// Day 0 of the month after the period is its last day; time.Date
	// normalises it, which also handles 29 February.
	return time.Date(p.Year, time.Month(p.firstMonth()+p.Type.months()), 0, 0, 0, 0, 0, time.UTC)
}

// StartDate returns Start as "YYYY-MM-DD", the form DHIS2 and SQL use.
func (p Period) StartDate() string {
	return p.Start().Format(time.DateOnly)
}

// EndDate returns End as "YYYY-MM-DD".
func (p Period) EndDate() string {
	return p.End().Format(time.DateOnly)
}

// Contains reports whether q lies entirely within p. Every period contains
// itself. Periods are aligned on calendar months, so q is inside p exactly
// when its first and last months are.
func (p Period) Contains(q Period) bool {
	return p.monthNumber() <= q.monthNumber() && q.lastMonthNumber() <= p.lastMonthNumber()
}

// Within returns the periods of type t that make up p, in order: 2024 with
// Quarterly gives 2024Q1..2024Q4, 2024S2 with Monthly gives 202407..202412.
// It returns nil if t is longer than p's type (or invalid), and [p] if t
// is p's type.
func (p Period) Within(t Type) []Period {
	if !t.Valid() || t > p.Type {
		return nil
	}
	step := t.months()
	periods := make([]Period, 0, p.Type.months()/step)
	for month := p.firstMonth(); month < p.firstMonth()+p.Type.months(); month += step {
		periods = append(periods, forMonth(t, p.Year, month))
	}
	return periods
}

// Containing returns every period that contains p, from p itself to its
// year, shortest first: 202409 gives 202409, 2024Q3, 2024S2, 2024. Reports
// are aggregated along this chain.
func (p Period) Containing() []Period {
	if !p.Type.Valid() {
		return nil
	}
	var periods []Period
	for t := p.Type; t <= Yearly; t++ {
		periods = append(periods, forMonth(t, p.Year, p.firstMonth()))
	}
	return periods
}

// PreviousYear returns the same period one year earlier, for comparing
// with "cùng kỳ năm trước". For 1900 the result is outside the range
// Parse accepts; check Valid if that matters.
func (p Period) PreviousYear() Period {
	p.Year--
	return p
}

// Next returns the following period of the same type (202412 → 202501).
func (p Period) Next() Period {
	return p.shift(1)
}

// Prev returns the preceding period of the same type (2024Q1 → 2023Q4).
func (p Period) Prev() Period {
	return p.shift(-1)
}

// shift moves p by n periods of its own type. n is only ever ±1, so the
// year changes by at most one.
func (p Period) shift(n int) Period {
	if p.Type == Yearly {
		p.Year += n
		return p
	}
	p.Index += n
	switch {
	case p.Index > p.Type.perYear():
		p.Year++
		p.Index = 1
	case p.Index < 1:
		p.Year--
		p.Index = p.Type.perYear()
	}
	return p
}

// Compare orders periods by start date, and periods starting together
// from shortest to longest (202401, 2024Q1, 2024S1, 2024). It returns -1,
// 0 or +1 and suits slices.SortFunc.
func (p Period) Compare(q Period) int {
	if c := cmp.Compare(p.monthNumber(), q.monthNumber()); c != 0 {
		return c
	}
	return cmp.Compare(p.Type, q.Type)
}

// ForDate returns the period of type t that contains the calendar day of
// d, read in d's own location. It panics if t is not a valid Type, which
// is a programming error: types come from constants or ParseType.
func ForDate(t Type, d time.Time) Period {
	if !t.Valid() {
		panic(fmt.Sprintf("period.ForDate: invalid type %d", t))
	}
	return forMonth(t, d.Year(), int(d.Month()))
}

// forMonth returns the period of valid type t that contains the given
// calendar month (1..12) of year.
func forMonth(t Type, year, month int) Period {
	if t == Yearly {
		return Period{Type: Yearly, Year: year}
	}
	return Period{Type: t, Year: year, Index: (month-1)/t.months() + 1}
}

// atoi converts a short string already checked by vn.IsDigits; full-width
// digits and signs are not part of a period code.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
