package value

// Checkable returns the rows that can still be checked against the stored
// world when others of the same entry were refused before it (a cell that
// is not a number): every row except those whose part–whole partner, for
// the same unit and period, was refused. Those are left out because their
// check would compare with the stored figure the officer is replacing,
// and report a mistake that is not there.
//
// The form, the Excel upload and the API thus show every error in one
// pass: what the typing refused, and what the checks against the whole
// entry refuse, together.
//
// denominator gives, for an element's code, the code of the element it
// is a part of ("" for none).
func Checkable(rows, refused []Row, denominator func(code string) string) []Row {
	if len(refused) == 0 {
		return rows
	}
	type key struct{ element, unit, period string }
	bad := make(map[key]bool, len(refused))
	wholes := make(map[key]bool, len(refused)) // wholes some refused part belongs to
	for _, r := range refused {
		bad[key{r.DataElement, r.OrgUnit, r.Period}] = true
		if d := denominator(r.DataElement); d != "" {
			wholes[key{d, r.OrgUnit, r.Period}] = true
		}
	}
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		k := key{r.DataElement, r.OrgUnit, r.Period}
		if wholes[k] {
			continue // a part of it was refused
		}
		if d := denominator(r.DataElement); d != "" && bad[key{d, r.OrgUnit, r.Period}] {
			continue // its whole was refused
		}
		out = append(out, r)
	}
	return out
}
