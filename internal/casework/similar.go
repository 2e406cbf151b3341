package casework

import "strings"

// Similar reports whether two folded texts say nearly the same: of the
// pairs of adjacent words of the shorter, at least 80% appear in the
// longer. Pairs, not single words: petitions of one field share most of
// their words ("đất", "hộ", "xã") without being the same petition.
func Similar(a, b string) bool {
	pa, pb := wordPairs(a), wordPairs(b)
	if len(pa) > len(pb) {
		pa, pb = pb, pa
	}
	if len(pa) < 3 {
		return false
	}
	shared := 0
	for p := range pa {
		if pb[p] {
			shared++
		}
	}
	return shared*5 >= len(pa)*4
}

func wordPairs(s string) map[string]bool {
	ws := strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127) })
	out := make(map[string]bool, len(ws))
	for i := 1; i < len(ws); i++ {
		out[ws[i-1]+" "+ws[i]] = true
	}
	return out
}
