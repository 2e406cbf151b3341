// Package value holds data values: one figure of a data element, for a unit
// and a period. It reads and writes them in DHIS2's dataValueSets format
// (JSON and CSV) so existing DHIS2 tools can talk to us, and it holds the one
// validation every way of entering a value goes through.
package value

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
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

// Where points at the row in a Vietnamese message.
func (r Row) Where() string {
	if r.Index > 0 {
		return fmt.Sprintf("dòng %d (giá trị thứ %d)", r.Line, r.Index)
	}
	return fmt.Sprintf("dòng %d", r.Line)
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

// Where points at the value's row in a Vietnamese message.
func (v Value) Where() string { return Row{Line: v.Line, Index: v.Index}.Where() }

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
	var out []Value
	var bad []errs.Detail
	type key struct {
		element string
		unitID  int64
		period  period.Period
	}
	seen := map[key]int{} // → index into out
	for _, r := range rows {
		fail := func(field, format string, args ...any) {
			bad = append(bad, errs.Detail{Row: r.Line, Field: field, Message: r.Where() + ": " + fmt.Sprintf(format, args...)})
		}
		e, ok := c.Elements[r.DataElement]
		if !ok {
			if r.DataElement == "" {
				fail("dataElement", "thiếu mã chỉ số (dataElement)")
			} else {
				fail("dataElement", "không có chỉ số %q", r.DataElement)
			}
			continue
		}
		p, err := period.Parse(r.Period)
		if err != nil {
			fail("period", "%v", err)
			continue
		}
		if p.Type != e.Type {
			fail("period", "chỉ số %s nhập theo %s, không nhập theo kỳ %s", e.Code, e.Type.Label(), r.Period)
			continue
		}
		if c.Today != "" && p.StartDate() > c.Today {
			fail("period", "kỳ %s (%s) chưa bắt đầu", r.Period, p.Label())
			continue
		}
		u, ok := c.Unit(r.OrgUnit, p)
		if !ok {
			if r.OrgUnit == "" {
				fail("orgUnit", "thiếu mã đơn vị (orgUnit)")
			} else {
				fail("orgUnit", "không có đơn vị mã %q trong kỳ %s", r.OrgUnit, p.Label())
			}
			continue
		}
		if !e.CollectedAtKind(u.Kind) {
			fail("orgUnit", "chỉ số %s không thu thập ở cấp %s (%s)", e.Code, strings.ToLower(u.Kind.Label()), u.Name)
			continue
		}
		if c.InScope != nil && !c.InScope(u) {
			fail("orgUnit", "đơn vị %s (%s) nằm ngoài phạm vi được phép ghi của bạn", u.Code, u.Name)
			continue
		}
		n, msg := ParseNumber(e, r.Value)
		if msg != "" {
			fail("value", "%s", msg)
			continue
		}
		if c.Locked != nil && c.Locked(u, p) {
			if stored, ok := c.lookup(e, u, p); !ok || stored != n {
				fail("period", "số liệu kỳ %s của %s đã được duyệt và khóa", p.Label(), u.Name)
				continue
			}
		}
		k := key{e.Code, u.ID, p}
		if i, dup := seen[k]; dup {
			if out[i].Number != n {
				fail("value", "trùng chỉ số, đơn vị và kỳ với %s nhưng khác giá trị", out[i].Where())
			}
			continue
		}
		seen[k] = len(out)
		out = append(out, Value{Element: e, Unit: u, Period: p, Number: n, Line: r.Line, Index: r.Index})
	}
	return out, bad
}

func (c *Context) lookup(e *Element, u *unit.Unit, p period.Period) (float64, bool) {
	if c.Stored == nil {
		return 0, false
	}
	return c.Stored(e, u, p)
}

// ParseNumber reads a value in the exchange format (a plain decimal number
// with a dot, as DHIS2 writes it) and checks it against the element's type.
// It returns a Vietnamese reason when the value is not acceptable.
func ParseNumber(e *Element, s string) (float64, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "thiếu giá trị"
	}
	if e.ValueType == program.Boolean {
		switch strings.ToLower(s) {
		case "true", "1", "có":
			return 1, ""
		case "false", "0", "không":
			return 0, ""
		}
		return 0, fmt.Sprintf("giá trị %q của chỉ số %s phải là true hoặc false", s, e.Code)
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || strings.ContainsAny(s, "xXpP_") {
		return 0, fmt.Sprintf("giá trị %q của chỉ số %s không phải là số (dùng dấu chấm thập phân, không dùng dấu phân cách hàng nghìn)", s, e.Code)
	}
	if n == 0 {
		n = 0 // "-0" is zero
	}
	switch e.ValueType {
	case program.Integer, program.Money:
		if strings.HasPrefix(s, "-") && n != 0 {
			return 0, fmt.Sprintf("giá trị %s của chỉ số %s là số âm; số đếm và số tiền không được âm", s, e.Code)
		}
		// Beyond 2^53 a float64 no longer holds every whole number.
		if n > 1<<53 {
			return 0, fmt.Sprintf("giá trị %s của chỉ số %s quá lớn", s, e.Code)
		}
		// A whole number written as one: digits, with at most a ".0" that
		// DHIS2 tools sometimes add. "1.0000000000000000001" would parse
		// as 1 and silently lose what was typed. (Checked by hand, not by
		// a regexp: this runs for each of a million values.)
		whole, frac, _ := strings.Cut(strings.TrimLeft(s, "+-"), ".")
		if whole == "" || len(whole) > 16 || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0") != "" {
			return 0, fmt.Sprintf("giá trị %s của chỉ số %s phải là số nguyên", s, e.Code)
		}
		// 2^53+1 parses as 2^53: refuse what the float cannot hold exactly.
		if i, err := strconv.ParseInt(whole, 10, 64); err != nil || float64(i) != math.Abs(n) {
			return 0, fmt.Sprintf("giá trị %s của chỉ số %s quá lớn", s, e.Code)
		}
	case program.Percent:
		if n < 0 || n > 100 {
			return 0, fmt.Sprintf("tỷ lệ %s%% của chỉ số %s phải từ 0 đến 100", s, e.Code)
		}
	}
	return n, ""
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
	get := func(e *Element, u *unit.Unit, p period.Period) (float64, bool) {
		if n, ok := batch[key{e.ID, u.ID, p}]; ok {
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
				bad = append(bad, errs.Detail{Row: v.Line, Field: "value", Message: fmt.Sprintf(
					"%s: %s = %s lớn hơn %s = %s của %s kỳ %s", v.Where(), v.Element.Code, fmtNum(v.Number), whole.Code, fmtNum(w), v.Unit.Name, v.Period)})
			}
		}
		for _, part := range parts[v.Element.Code] {
			if _, inBatch := batch[key{part.ID, v.Unit.ID, v.Period}]; inBatch {
				continue // checked from the part's own row
			}
			if p, ok := stored(part.ID, v.Unit, v.Period); ok && p > v.Number {
				bad = append(bad, errs.Detail{Row: v.Line, Field: "value", Message: fmt.Sprintf(
					"%s: %s = %s nhỏ hơn %s = %s đã có của %s kỳ %s", v.Where(), v.Element.Code, fmtNum(v.Number), part.Code, fmtNum(p), v.Unit.Name, v.Period)})
			}
		}
	}
	return bad
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
