// Package value holds data values: one figure of a data element, for a unit
// and a period. It reads and writes them in DHIS2's dataValueSets format
// (JSON and CSV) so existing DHIS2 tools can talk to us, and it holds the one
// validation every way of entering a value goes through.
package value

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

// Row is one data value as a file or request gives it, before validation.
type Row struct {
	DataElement string
	Period      string
	OrgUnit     string
	Value       string
	Line        int // the line of the file it starts on
	Index       int // its 1-based position in a JSON dataValues array; 0 for CSV
}

// Element is a stored data element: its definition and its id.
type Element struct {
	ID int64
	program.DataElement
	Type period.Type
}

// Value is a validated data value, ready to store. It points at its
// element and unit rather than copying them: a bulk import holds millions.
type Value struct {
	Element *Element
	Unit    *unit.Unit
	Period  period.Period
	Number  float64
	Line    int
	Index   int
}

// Summary counts what an import did, as DHIS2's importCount does.
type Summary struct {
	Imported int `json:"imported"` // new values
	Updated  int `json:"updated"`  // values that changed
	Ignored  int `json:"ignored"`  // values already stored as given
	Deleted  int `json:"deleted"`
}

// Context is what validation needs to know of the stored world.
type Context struct {
	Elements map[string]*Element
	// Unit resolves a code for a period: the unit carrying the code during
	// the period (the later one when the code changed hands inside it).
	Unit func(code string, p period.Period) (*unit.Unit, bool)
	// Locked reports whether u's values for p are approved and locked.
	Locked func(u *unit.Unit, p period.Period) bool
	// Stored returns the value already stored, if any. A row for a locked
	// period that repeats its stored value changes nothing and is let
	// through, so a whole year's file can be sent again after approval.
	Stored func(e *Element, u *unit.Unit, p period.Period) (float64, bool)
	// InScope reports whether the writer may change u's values.
	InScope func(u *unit.Unit) bool
	// Today bounds periods: no values for a period that has not begun.
	Today string
}

// Resolve validates rows one by one and returns the values, or every bad row
// with its reason. Nothing here touches the database.
func Resolve(c *Context, rows []Row) ([]Value, []errs.Detail) {
	return NewBatch().Resolve(c, rows)
}

func (c *Context) lookup(e *Element, u *unit.Unit, p period.Period) (float64, bool) {
	if c.Stored == nil {
		return 0, false
	}
	return c.Stored(e, u, p)
}

// maxWhole is 2^53, the largest whole number below which a float64 holds
// every whole number, in digits.
const maxWhole = "9007199254740992"

// ParseNumber reads a value in the exchange format (a plain decimal number
// with a dot, as DHIS2 writes it) and checks it against the element's type.
// When the value is not acceptable it returns why, as a detail naming the
// element and the text given; the caller says where.
func ParseNumber(e *Element, s string) (float64, *errs.Detail) {
	s = strings.TrimSpace(s)
	refuse := func(code errs.Reason, n float64) (float64, *errs.Detail) {
		return 0, &errs.Detail{Code: code, Args: errs.Args{Element: e.Code, ElementName: e.Name, Text: s, Number: n}}
	}
	if s == "" {
		return refuse(errs.MissingValue, 0)
	}
	if e.ValueType == program.Boolean {
		switch strings.ToLower(s) {
		case "true", "1", "có":
			return 1, nil
		case "false", "0", "không":
			return 0, nil
		}
		return refuse(errs.NotBoolean, 0)
	}
	n, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) && e.ValueType != program.Percent {
		return refuse(errs.TooLarge, 0) // digits beyond any float ("1e400" too)
	}
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || strings.ContainsAny(s, "xXpP_") {
		return refuse(errs.NotExchangeNumber, 0)
	}
	if n == 0 {
		n = 0 // "-0" is zero
	}
	switch e.ValueType {
	case program.Integer, program.Money:
		if strings.HasPrefix(s, "-") && n != 0 {
			return refuse(errs.Negative, n)
		}
		// Beyond 2^53 a float64 no longer holds every whole number.
		if n > 1<<53 {
			return refuse(errs.TooLarge, n)
		}
		// A whole number written as one: digits, with at most a ".0" that
		// DHIS2 tools sometimes add. "1.0000000000000000001" would parse
		// as 1 and silently lose what was typed. (Checked by hand, not by
		// a regexp: this runs for each of a million values.)
		whole, frac, _ := strings.Cut(strings.TrimLeft(s, "+-"), ".")
		if whole == "" || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0") != "" {
			return refuse(errs.NotWhole, n)
		}
		// 2^53+1 parses as 2^53, which is not above 2^53: compare the
		// digits, not the rounded float.
		if whole = strings.TrimLeft(whole, "0"); len(whole) > len(maxWhole) || len(whole) == len(maxWhole) && whole > maxWhole {
			return refuse(errs.TooLarge, n)
		}
		if e.YesNo && n != 0 && n != 1 {
			return refuse(errs.NotYesNo, n)
		}
	case program.Percent:
		if n < 0 || n > 100 {
			return refuse(errs.PercentRange, n)
		}
	}
	return n, nil
}

// ParseTyped reads a number typed the Vietnamese way ("1.234.567",
// "12,5") into a web form or an Excel text cell for element e, and returns
// it in the exchange format, digit for digit ("1234567", "12.5"). It only
// reads: the checks of the value against the element's type are
// ParseNumber's, which Resolve applies to every value however it came.
//
// In a whole-number field, "1,000" is refused: the Vietnamese way reads
// the comma as the decimal mark (1,000 is 1), but whoever typed it most
// likely meant a thousand, the English way. Either reading is a guess.
func ParseTyped(e *Element, s string) (string, *errs.Detail) {
	refuse := func(code errs.Reason) (string, *errs.Detail) {
		return "", &errs.Detail{Code: code, Args: errs.Args{Element: e.Code, ElementName: e.Name, Text: strings.TrimSpace(s)}}
	}
	text, err := vn.NumberText(s)
	if err != nil {
		return refuse(errs.NotANumber)
	}
	if (e.ValueType == program.Integer || e.ValueType == program.Money) && commaThousands(strings.TrimSpace(s)) {
		return refuse(errs.AmbiguousThousands)
	}
	return text, nil
}

// commaThousands reports whether s is written like an English thousand:
// digits not starting with 0, one comma, then exactly three digits
// ("1,000", "-12,500").
func commaThousands(s string) bool {
	s = strings.TrimLeft(s, "+-")
	whole, frac, ok := strings.Cut(s, ",")
	return ok && len(frac) == 3 && vn.IsDigits(frac) && vn.IsDigits(whole) && whole[0] != '0'
}

// Stored looks up a value already in the database: element, unit, period.
type Stored func(elementID int64, u *unit.Unit, p period.Period) (float64, bool)

// CheckParts checks that no part exceeds its whole: a numerator element's
// value is at most its denominator's for the same unit and period. The
// other side comes from the same batch when it is there, else from what is
// stored; both directions are checked, so lowering a denominator below a
// stored numerator is caught too.
func CheckParts(values []Value, elements map[string]*Element, stored Stored) []errs.Detail {
	type key struct {
		element int64
		unit    int64
		period  period.Period
	}
	batch := make(map[key]float64, len(values))
	for _, v := range values {
		batch[key{v.Element.ID, v.Unit.ID, v.Period}] = v.Number
	}
	inBatch := func(elementID int64, u *unit.Unit, p period.Period) (float64, bool) {
		n, ok := batch[key{elementID, u.ID, p}]
		return n, ok
	}
	return checkParts(values, elements, inBatch, stored)
}

// checkParts is CheckParts with the batch's values behind inBatch.
func checkParts(values []Value, elements map[string]*Element, inBatch, stored Stored) []errs.Detail {
	get := func(e *Element, u *unit.Unit, p period.Period) (float64, bool) {
		if n, ok := inBatch(e.ID, u, p); ok {
			return n, true
		}
		return stored(e.ID, u, p)
	}
	// parts lists, for each whole, the elements that must not exceed it.
	parts := map[string][]*Element{}
	for _, e := range elements {
		if e.Denominator != "" {
			parts[e.Denominator] = append(parts[e.Denominator], e)
		}
	}
	var bad []errs.Detail
	for _, v := range values {
		if whole, ok := elements[v.Element.Denominator]; ok && v.Element.Denominator != "" {
			if w, ok := get(whole, v.Unit, v.Period); ok && v.Number > w {
				bad = append(bad, v.Detail("value", errs.PartExceedsWhole, &errs.Args{Element: whole.Code, ElementName: whole.Name, Number: w}))
			}
		}
		for _, part := range parts[v.Element.Code] {
			if _, ok := inBatch(part.ID, v.Unit, v.Period); ok {
				continue // checked from the part's own row
			}
			if p, ok := stored(part.ID, v.Unit, v.Period); ok && p > v.Number {
				bad = append(bad, v.Detail("value", errs.WholeBelowPart, &errs.Args{Element: part.Code, ElementName: part.Name, Number: p}))
			}
		}
	}
	return bad
}

// Detail says why v is refused: at its row, naming its element, unit,
// period and number, and other, the element it is checked against.
func (v Value) Detail(field string, code errs.Reason, other *errs.Args) errs.Detail {
	return errs.Detail{Row: v.Line, Index: v.Index, Field: field, Code: code, Args: errs.Args{
		Element: v.Element.Code, ElementName: v.Element.Name, Unit: v.Unit.Code, UnitName: v.Unit.Name,
		Period: v.Period.String(), Number: v.Number, Other: other,
	}}
}
