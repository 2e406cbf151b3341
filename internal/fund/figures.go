package fund

import (
	"strconv"

	"mattran/internal/unit"
	"mattran/internal/value"
)

// ElemRaised is T2.1's figure: the VND a unit raised in a year, the sum of
// its receipts (less reversals) in all the campaigns of that year.
// The ledger writes it (derived:fund) at the end of every transaction that
// appended a receipt, so the roll-up adds up what the ledger holds.
const ElemRaised = "CT2_QUY_VNN"

// Writes says whether code is an element the ledger writes, so a figure
// read from it can link to the entries behind it: T2.1's money raised, and
// T2.2's and T2.3's households (households_figures.go).
func Writes(code string) bool {
	switch code {
	case ElemRaised, ElemPoor, ElemPoorTet, ElemSpecial, ElemSpecialSupported:
		return true
	}
	return false
}

// Raised is one unit's receipts in a year.
type Raised struct {
	Unit   unit.Unit
	Year   int
	Amount int64
}

// RaisedRows are the figures of the sums, for the units whose kind the
// program collects the element at (none if the program has not the
// element). A year whose figures were typed (typed_until: before the
// ledger kept the books) is left as typed.
func RaisedRows(rs []Raised, elems map[string]*value.Element) []value.Row {
	e, ok := elems[ElemRaised]
	if !ok || e.Type.String() != "yearly" {
		return nil
	}
	var out []value.Row
	for _, r := range rs {
		if !e.CollectedAtKind(r.Unit.Kind) || e.Typed(r.Year) {
			continue
		}
		out = append(out, value.Row{DataElement: ElemRaised, Period: strconv.Itoa(r.Year), OrgUnit: r.Unit.Code,
			Value: strconv.FormatInt(r.Amount, 10), Line: len(out) + 1})
	}
	return out
}
