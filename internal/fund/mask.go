package fund

import "strings"

// Mask hides phone and account numbers inside a description, keeping
// their last three digits: "ung ho 0912345678" → "ung ho *******678". A
// number counts as a phone when it has 9 or more digits and starts with 0
// or 84 (separators of one space, dot or dash allowed inside: "0912 345
// 678"); as an account when it is an unbroken run of 8 or more digits.
// Amounts written with thousands dots ("500.000") stay as they are.
// Linear in the input: a run has at most four separators, and a run
// rescanned from its second group is rescanned at most four times.
func Mask(s string) string {
	b := []byte(s)
	changed := false
	for i := 0; i < len(b); {
		if !digit(b[i]) || (i > 0 && (digit(b[i-1]) || letter(b[i-1]))) {
			i++
			continue
		}
		// A run of digits with single separators.
		j, digits, seps := i, 0, 0
		for j < len(b) {
			if digit(b[j]) {
				digits++
				j++
				continue
			}
			if seps < 4 && (b[j] == ' ' || b[j] == '.' || b[j] == '-') && j+1 < len(b) && digit(b[j+1]) {
				seps++
				j++
				continue
			}
			break
		}
		phone := digits >= 9 && digits <= 12 && (b[i] == '0' || (b[i] == '8' && i+1 < len(b) && b[i+1] == '4'))
		if i > 0 && b[i-1] == '+' && b[i] == '8' {
			phone = digits >= 9
		}
		if !phone {
			// Not a phone: the first group alone may be an account number
			// ("6923019125.005"); the rest is looked at again from the
			// next group (an amount followed by a phone: "500.000 0912…").
			k := i
			for k < j && digit(b[k]) {
				k++
			}
			if k-i >= 8 {
				changed = maskDigits(b[i:k]) || changed
			}
			i = k
			continue
		}
		changed = maskDigits(b[i:j]) || changed
		i = j
	}
	if !changed {
		return s
	}
	return string(b)
}

// maskDigits replaces all digits but the last three with '*'.
func maskDigits(b []byte) bool {
	kept, changed := 0, false
	for k := len(b) - 1; k >= 0; k-- {
		if digit(b[k]) {
			if kept < 3 {
				kept++
				continue
			}
			b[k], changed = '*', true
		}
	}
	return changed
}

func digit(c byte) bool  { return c >= '0' && c <= '9' }
func letter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// MaskAll masks every field a public reader sees.
func MaskAll(e Entry) Entry {
	e.Description = Mask(e.Description)
	e.Donor = Mask(e.Donor)
	e.EnteredBy, e.ApprovedBy = "", ""
	if e.DonorKind == Anonymous {
		e.Donor = "Ẩn danh"
	}
	return e
}

// foldedContains reports whether the folded key holds the folded query.
func foldedContains(key, q string) bool { return strings.Contains(key, q) }
