package fund

import (
	"strconv"

	"mattran/internal/unit"
	"mattran/internal/value"
)

// T2.2's and T2.3's elements, collected per residential area (khu dân
// cư). The ledger writes them (derived:fund) from the commune's register
// of households and the disbursements to them, at the end of every
// transaction that registers a household or appends (or reverses) a
// disbursement to one.
const (
	ElemPoor             = "CT2_HN_TONG"   // poor households in the year's register
	ElemPoorTet          = "CT2_HN_QUATET" // of them, those given a Tết gift (TetGift)
	ElemSpecial          = "CT2_HKK_TONG"  // households in special difficulty in the register
	ElemSpecialSupported = "CT2_HKK_HOTRO" // of them, those supported regularly (SupportedRegularly)
)

// FromRegister says whether code is counted from the register of
// households (T2.2's and T2.3's elements), so its figure links to the
// register rather than to the receipts.
func FromRegister(code string) bool {
	switch code {
	case ElemPoor, ElemPoorTet, ElemSpecial, ElemSpecialSupported:
		return true
	}
	return false
}

// householdElems are the four, in the order a row of figures lists them.
var householdElems = []string{ElemPoor, ElemPoorTet, ElemSpecial, ElemSpecialSupported}

// RegularQuarters is how many different quarters of the year a household
// in special difficulty must have been supported in to count as
// "supported regularly" (hỗ trợ thường xuyên): more than a one-off gift,
// and a count that only grows as the year goes on, so a figure written
// in March stays true in December without anyone rewriting it.
const RegularQuarters = 2

// Aid is one disbursement (approved, not reversed) to a household: its
// purpose and day.
type Aid struct {
	Purpose string
	Day     string // YYYY-MM-DD
}

// CountsIn says whether an aid counts for a household of year's register:
// one dated in the year, or a Tết gift dated in the December before it
// (gifts for the Tết of year, which falls in January or February, go out
// from December). The figures count only these, and a disbursement to a
// household is refused on another day (RequestDisbursement).
func (a Aid) CountsIn(year int) bool {
	if len(a.Day) < 7 {
		return false
	}
	return a.Day[:4] == strconv.Itoa(year) || a.Purpose == "tet_gift" && a.Day[:7] == strconv.Itoa(year-1)+"-12"
}

// TetGift says whether a household of year's register got a Tết gift: a
// disbursement for the purpose tet_gift that counts in the year.
func TetGift(year int, aids []Aid) bool {
	for _, a := range aids {
		if a.Purpose == "tet_gift" && a.CountsIn(year) {
			return true
		}
	}
	return false
}

// Supports counts a household's supports of the year: its disbursements
// dated in the year for any purpose but a Tết gift (house, medical,
// education, relief, livelihood, other).
func Supports(year int, aids []Aid) int {
	n := 0
	for _, a := range aids {
		if a.Purpose != "tet_gift" && a.CountsIn(year) {
			n++
		}
	}
	return n
}

// SupportedRegularly says whether a household was supported regularly in
// year: supports (as Supports counts them) in at least RegularQuarters
// different quarters of the year.
func SupportedRegularly(year int, aids []Aid) bool {
	var quarters [4]bool
	n := 0
	for _, a := range aids {
		if a.Purpose == "tet_gift" || !a.CountsIn(year) {
			continue
		}
		m, err := strconv.Atoi(a.Day[5:7])
		if err != nil || m < 1 || m > 12 {
			continue
		}
		if q := (m - 1) / 3; !quarters[q] {
			quarters[q] = true
			n++
		}
	}
	return n >= RegularQuarters
}

// HouseholdFigures are one unit's figures of a year, T2.2's and T2.3's
// numerators and denominators: a residential area's, or on the register's
// overview above the communes, those of every commune below a unit.
type HouseholdFigures struct {
	Unit                                  unit.Unit
	Year                                  int
	Poor, PoorTet, Special, SpecialHelped int64
}

// CountAreas counts a commune's register of year (households with their
// aids) per residential area. Every area in areas gets a figure, zero when
// none of its households is poor or in special difficulty, since the
// register is the commune's whole list; households of no area (rows from
// before areas were asked for) count in none.
func CountAreas(year int, areas []unit.Unit, hs []Household, aids map[int64][]Aid) []HouseholdFigures {
	out, at := FiguresFor(year, areas)
	for _, h := range hs {
		if i, ok := at[h.AreaID]; ok {
			out[i].Add(h, aids[h.ID])
		}
	}
	return out
}

// FiguresFor are zero figures of year for each of units, and where each
// unit's id stands among them: what a count fills household by household.
func FiguresFor(year int, units []unit.Unit) ([]HouseholdFigures, map[int64]int) {
	at := make(map[int64]int, len(units))
	out := make([]HouseholdFigures, len(units))
	for i, u := range units {
		at[u.ID], out[i] = i, HouseholdFigures{Unit: u, Year: year}
	}
	return out, at
}

// Add counts a household of the figures' year, with its aids: in T2.2's
// denominator if poor, and numerator with a Tết gift; in T2.3's if in
// special difficulty, and numerator if supported regularly. A household
// of another year counts in none.
func (f *HouseholdFigures) Add(h Household, aids []Aid) {
	if h.Year != f.Year {
		return
	}
	switch h.Status {
	case Poor:
		f.Poor++
		if TetGift(f.Year, aids) {
			f.PoorTet++
		}
	case Special:
		f.Special++
		if SupportedRegularly(f.Year, aids) {
			f.SpecialHelped++
		}
	}
}

// Plus is the sum of two units' figures, at f's unit.
func (f HouseholdFigures) Plus(g HouseholdFigures) HouseholdFigures {
	f.Poor += g.Poor
	f.PoorTet += g.PoorTet
	f.Special += g.Special
	f.SpecialHelped += g.SpecialHelped
	return f
}

// Minus is f less g, at f's unit.
func (f HouseholdFigures) Minus(g HouseholdFigures) HouseholdFigures {
	f.Poor -= g.Poor
	f.PoorTet -= g.PoorTet
	f.Special -= g.Special
	f.SpecialHelped -= g.SpecialHelped
	return f
}

// HouseholdRows are the figures of the counts, for the elements the
// program collects yearly at residential areas (none it has not). A year
// whose figures were typed (typed_until) is left as typed.
func HouseholdRows(as []HouseholdFigures, elems map[string]*value.Element) []value.Row {
	var out []value.Row
	for _, a := range as {
		for i, code := range householdElems {
			e, ok := elems[code]
			if !ok || e.Type.String() != "yearly" || !e.CollectedAtKind(a.Unit.Kind) || e.Typed(a.Year) {
				continue
			}
			n := [...]int64{a.Poor, a.PoorTet, a.Special, a.SpecialHelped}[i]
			out = append(out, value.Row{DataElement: code, Period: strconv.Itoa(a.Year), OrgUnit: a.Unit.Code,
				Value: strconv.FormatInt(n, 10), Line: len(out) + 1})
		}
	}
	return out
}
