package casework

import (
	"context"
	"strconv"

	"mattran/internal/calendar"
	"mattran/internal/clock"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// Counts are one unit's own counts for a year, behind T3.1–T3.5.
type Counts struct {
	UnitPath string
	UnitCode string
	UnitKind unit.Kind
	// Activities held in the year, by kind.
	Supervisions, Criticisms, Contributions, Conferences int
	// Petitions received in the year and sent to an agency: those
	// answered, those answered in writing, and those still open past
	// their due date.
	Answered, InWriting, OpenOverdue int
}

// The data elements casework writes.
const (
	ElemSupervisions  = "CT3_GIAMSAT"
	ElemCriticisms    = "CT3_PHANBIEN"
	ElemContributions = "CT3_GOPY"
	ElemConferences   = "CT3_HN_CONGKHAI"
	// T3.4 = ElemInWriting ÷ ElemSent: answered in writing over answered
	// plus open past the deadline. An open overdue case counts in the
	// denominator, else the rate flatters the agencies that never answer.
	ElemSent      = "CT3_DON_CHUYEN"
	ElemInWriting = "CT3_DON_TRALOI_VB"
)

// Writes says whether code is one of the elements casework writes, so a
// figure read from it can link to the cases behind it.
func Writes(code string) bool {
	switch code {
	case ElemSupervisions, ElemCriticisms, ElemContributions, ElemConferences, ElemSent, ElemInWriting:
		return true
	}
	return false
}

// Rate is T3.4 of the counts, in percent, and whether it is defined.
func (c Counts) Rate() (float64, bool) {
	d := c.Answered + c.OpenOverdue
	if d == 0 {
		return 0, false
	}
	return 100 * float64(c.InWriting) / float64(d), true
}

// Rows are the figures of the counts, for the elements the program
// collects at the unit's kind.
func (c Counts) Rows(year int, elems map[string]*value.Element) []value.Row {
	p := strconv.Itoa(year)
	var out []value.Row
	add := func(code string, n int) {
		// A year whose figures were typed (before casework kept the
		// records) is left as typed.
		if e, ok := elems[code]; ok && e.CollectedAtKind(c.UnitKind) && e.Type.String() == "yearly" && !e.Typed(year) {
			out = append(out, value.Row{DataElement: code, Period: p, OrgUnit: c.UnitCode, Value: strconv.Itoa(n), Line: len(out) + 1})
		}
	}
	add(ElemSupervisions, c.Supervisions)
	add(ElemCriticisms, c.Criticisms)
	add(ElemContributions, c.Contributions)
	add(ElemConferences, c.Conferences)
	add(ElemSent, c.Answered+c.OpenOverdue)
	add(ElemInWriting, c.InWriting)
	return out
}

// RefreshFigures recomputes the figures of units for a year from their
// cases and activities, as of today, and writes them (WriteDerived). A
// unit whose code passed to another unit before the year ended gets none:
// the year's figure under that code is the later unit's.
func RefreshFigures(ctx context.Context, tx Tx, us []unit.Unit, year int) error {
	end := strconv.Itoa(year) + "-12-31"
	var paths []string
	for _, u := range us {
		if u.ValidTo >= end && u.ValidFrom <= end {
			paths = append(paths, u.Path)
		}
	}
	if len(paths) == 0 {
		return nil
	}
	today := calendar.DateOf(clock.InVietnam(tx.Now()))
	if strconv.Itoa(year) > today.String()[:4] {
		return nil
	}
	counts, err := tx.CaseCounts(ctx, paths, year, today)
	if err != nil {
		return err
	}
	elems, err := tx.Elements(ctx)
	if err != nil {
		return err
	}
	var rows []value.Row
	for _, c := range counts {
		for _, r := range c.Rows(year, elems) {
			r.Line = len(rows) + 1
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	_, err = tx.WriteDerived(ctx, Module, rows)
	return err
}
