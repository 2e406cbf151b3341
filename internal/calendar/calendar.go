package calendar

import (
	"maps"
	"slices"
	"sync"

	"mattran/internal/errs"
)

// OverrideKind is what a Government decision makes of a day.
type OverrideKind int

const (
	// DayOff makes a day a day off (a bridge day given in exchange for a
	// Saturday worked, or a day off the defaults got wrong).
	DayOff OverrideKind = iota + 1
	// WorkDay makes a day a working day (the Saturday worked in exchange,
	// or a default day off the decision moved elsewhere).
	WorkDay
)

// Override is one day of the Government's yearly plan of days off for
// civil servants, which swaps days around the holidays (làm bù, nghỉ bù).
// An administrator keeps the list; an Override wins over the computed
// defaults for its date and moves no other day.
type Override struct {
	Date Date
	Kind OverrideKind
	Name string // shown to users; a generic name when empty
}

// Validate checks one Override as an administrator enters it.
func (o Override) Validate() error {
	if o.Date.IsZero() {
		return errs.New(errs.Invalid, "quyết định đổi ngày nghỉ thiếu ngày")
	}
	if o.Kind != DayOff && o.Kind != WorkDay {
		return errs.New(errs.Invalid, "ngày %s: cần chọn là ngày nghỉ hay ngày làm việc", o.Date.FormatVN())
	}
	return nil
}

// MaxWorkdays bounds AddWorkdays. Legal time limits are counted in tens of
// working days; ten thousand (about forty years) is past any of them, so a
// larger n is a mistake to report, not a loop to run.
const MaxWorkdays = 10000

// Calendar tells working days from days off for state offices: Monday to
// Friday, less the public holidays and their compensation days, with the
// Overrides on top. It is safe for concurrent use.
//
// The holidays are known for the years MinYear to MaxYear. Outside them
// IsWorkday, DayOff and NextWorkday know only weekends and Overrides, and
// the methods that count (AddWorkdays, WorkdaysBetween, Year) return an
// error rather than a count that misses holidays.
type Calendar struct {
	overrides map[Date]Day
	years     sync.Map // year → *yearTable, built on first use and never changed
}

// yearTable is one year's days, worked out once so that each question is
// an array lookup.
type yearTable struct {
	year  int
	first Date   // 1 January
	work  []bool // work[i]: the i-th day of the year (0 = 1 January) is a working day
	cum   []int  // cum[i]: working days among the first i days of the year
	days  []Day  // the year's named days, sorted by date
}

// New returns a calendar with the given Overrides. It returns an Invalid
// error for an Override that Validate refuses or for two Overrides on one
// date, since silently dropping one would miscount every deadline near it.
func New(overrides []Override) (*Calendar, error) {
	c := &Calendar{overrides: make(map[Date]Day, len(overrides))}
	for _, o := range overrides {
		if err := o.Validate(); err != nil {
			return nil, err
		}
		if _, dup := c.overrides[o.Date]; dup {
			return nil, errs.New(errs.Invalid, "ngày %s có hai quyết định đổi ngày nghỉ", o.Date.FormatVN())
		}
		name := o.Name
		if name == "" {
			name = "Nghỉ theo quyết định"
			if o.Kind == WorkDay {
				name = "Làm việc theo quyết định"
			}
		}
		c.overrides[o.Date] = Day{Date: o.Date, Name: name, Kind: Overridden, Off: o.Kind == DayOff}
	}
	return c, nil
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) bool {
	if t := c.table(d.Year()); t != nil {
		return t.work[d.Sub(t.first)]
	}
	if o, ok := c.overrides[d]; ok {
		return !o.Off
	}
	return !isWeekend(d)
}

// DayOff reports whether d is a day off and why: the holiday's or the
// decision's name, or "Thứ Bảy" / "Chủ nhật" for a plain weekend. A
// holiday on a weekend is named as the holiday.
func (c *Calendar) DayOff(d Date) (name string, off bool) {
	if c.IsWorkday(d) {
		return "", false
	}
	if t := c.table(d.Year()); t != nil {
		if i, found := slices.BinarySearchFunc(t.days, d, func(x Day, d Date) int { return x.Date.Compare(d) }); found {
			return t.days[i].Name, true
		}
	} else if o, ok := c.overrides[d]; ok {
		return o.Name, true
	}
	return weekendName(d), true
}

// NextWorkday returns d if it is a working day, else the first working day
// after it. A report due on a day off is due on this day instead (Bộ luật
// Dân sự 2015, Điều 148 khoản 5).
//
// It always ends: only finitely many weekdays are off (the holidays of a
// year and the Overrides).
func (c *Calendar) NextWorkday(d Date) Date {
	for !c.IsWorkday(d) {
		d = d.AddDays(1)
	}
	return d
}

// AddWorkdays returns the n-th working day after from: the last day of a
// time limit of n working days starting on from. The day from itself (the
// day a petition is received or a document sent) does not count, whether
// or not it is a working day: a limit in days starts on the next day (Bộ
// luật Dân sự 2015, Điều 147), as limits for complaints and denunciations
// are counted. AddWorkdays(from, 0) is from.
//
// It returns an Invalid error for n outside 0..MaxWorkdays, or when the
// count runs outside MinYear..MaxYear.
func (c *Calendar) AddWorkdays(from Date, n int) (Date, error) {
	if n < 0 || n > MaxWorkdays {
		return Date{}, errs.New(errs.Invalid, "số ngày làm việc phải từ 0 đến %d, không phải %d", MaxWorkdays, n)
	}
	if n == 0 {
		return from, nil
	}
	t := c.table(from.Year())
	if t == nil {
		return Date{}, errYears()
	}
	// Walk the year tables day by day: at most about 1.4 days per working
	// day, each an array lookup.
	for i := from.Sub(t.first); ; {
		i++
		if i == len(t.work) {
			if t = c.table(t.year + 1); t == nil {
				return Date{}, errYears()
			}
			i = 0
		}
		if t.work[i] {
			if n--; n == 0 {
				return t.first.AddDays(i), nil
			}
		}
	}
}

// WorkdaysBetween returns the number of working days in (a, b]: after a, up
// to and including b. WorkdaysBetween(from, AddWorkdays(from, n)) is n. When
// b is before a the count is negative: -WorkdaysBetween(b, a), so that a
// deadline already passed shows as the working days overdue.
//
// It returns an Invalid error when a or b is outside MinYear..MaxYear.
func (c *Calendar) WorkdaysBetween(a, b Date) (int, error) {
	if b.Before(a) {
		n, err := c.WorkdaysBetween(b, a)
		return -n, err
	}
	ta, tb := c.table(a.Year()), c.table(b.Year())
	if ta == nil || tb == nil {
		return 0, errYears()
	}
	// Working days from 1 January of a's year up to b, less those up to a;
	// each year's prefix counts make it a sum over years, not days.
	n := tb.cum[b.Sub(tb.first)+1] - ta.cum[a.Sub(ta.first)+1]
	for y := ta.year; y < tb.year; y++ {
		t := c.table(y)
		n += t.cum[len(t.work)]
	}
	return n, nil
}

// Year returns the named days of a year, sorted by date, for the page where
// an administrator reviews them: every public holiday (also those on a
// weekend) and compensation day, and every Override, which replaces the
// default of its date. Plain weekends are not listed.
func (c *Calendar) Year(year int) ([]Day, error) {
	t := c.table(year)
	if t == nil {
		return nil, errYears()
	}
	return slices.Clone(t.days), nil
}

func errYears() error {
	return errs.New(errs.Invalid, "chỉ tính được ngày làm việc cho các năm %d–%d", MinYear, MaxYear)
}

// table returns the year's table, building it on first use, or nil outside
// MinYear..MaxYear. Two goroutines may build the same year at once; both
// get the same answer and one is kept.
func (c *Calendar) table(year int) *yearTable {
	if year < MinYear || year > MaxYear {
		return nil
	}
	if t, ok := c.years.Load(year); ok {
		return t.(*yearTable)
	}
	t, _ := c.years.LoadOrStore(year, c.buildYear(year))
	return t.(*yearTable)
}

func (c *Calendar) buildYear(year int) *yearTable {
	first := Date{n: daysFromCivil(year, 1, 1)}
	length := Date{n: daysFromCivil(year+1, 1, 1)}.Sub(first)

	named := make(map[Date]Day)
	for _, d := range statutoryDaysOff(year) {
		named[d.Date] = d
	}
	for d, o := range c.overrides {
		if d.Year() == year {
			named[d] = o
		}
	}

	t := &yearTable{year: year, first: first, work: make([]bool, length), cum: make([]int, length+1)}
	for i := range length {
		d := first.AddDays(i)
		work := !isWeekend(d)
		if nd, ok := named[d]; ok {
			work = !nd.Off
		}
		t.work[i] = work
		t.cum[i+1] = t.cum[i]
		if work {
			t.cum[i+1]++
		}
	}
	t.days = slices.SortedFunc(maps.Values(named), byDate)
	return t
}
