package value

import "mattran/internal/program"

// OutlierShare is how far a figure may move from the same period of last
// year before the entry form asks the officer to check it again ("kiểm
// tra lại"), as DHIS2's min–max outlier check does: half of last year's
// figure either way. A commune's figures rarely move that much in a year;
// a typo (an extra zero, a missing digit) always does.
const OutlierShare = 0.5

// Outlier reports whether now differs from last year's figure by more
// than OutlierShare of it. A yes/no figure is never flagged, nor one with
// no figure (or zero) last year: there is no share to measure.
func Outlier(e program.DataElement, last, now float64) bool {
	if e.ValueType == program.Boolean || last <= 0 {
		return false
	}
	diff := now - last
	if diff < 0 {
		diff = -diff
	}
	return diff > OutlierShare*last
}
