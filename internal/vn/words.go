package vn

import "strings"

var digitWords = [10]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// AmountInWords writes an amount of đồng in words, as a receipt (phiếu
// thu, phiếu chi) writes it after "Bằng chữ:": "Năm mươi triệu đồng
// chẵn". It reads the way accountants do:
//   - tens: "mười" for 1, "X mươi" from 2; "linh" for an empty tens place
//     between a hundred and a unit ("một trăm linh năm");
//   - units: "mốt" after "mươi" ("hai mươi mốt"), "lăm" after a ten
//     ("mười lăm", "ba mươi lăm"), "tư" after "mươi" ("hai mươi tư");
//   - a group of three after the first that has no hundreds reads "không
//     trăm" ("một triệu không trăm năm mươi nghìn"); an empty group is
//     skipped;
//   - above a thousand billion the billions repeat ("một nghìn tỷ");
//   - "chẵn" closes an amount of whole thousands.
func AmountInWords(n int64) string {
	var s string
	switch {
	case n == 0:
		s = "không đồng"
	case n < 0:
		// -n overflows only for the smallest int64, which no fund holds.
		s = "âm " + groupsInWords(uint64(-n), true) + " đồng"
	default:
		s = groupsInWords(uint64(n), true) + " đồng"
	}
	if n != 0 && n%1000 == 0 {
		s += " chẵn"
	}
	return capitalise(s)
}

// groupsInWords writes n > 0 by groups of three digits; leading says n
// starts the amount (so its first group reads no "không trăm").
func groupsInWords(n uint64, leading bool) string {
	if n >= 1_000_000_000 {
		high, low := n/1_000_000_000, n%1_000_000_000
		s := groupsInWords(high, leading) + " tỷ"
		if low > 0 {
			s += " " + groupsInWords(low, false)
		}
		return s
	}
	scales := [3]string{"", "nghìn", "triệu"}
	var parts []string
	first := true
	for i := 2; i >= 0; i-- {
		div := uint64(1)
		for range i {
			div *= 1000
		}
		g := int(n / div % 1000)
		if g == 0 {
			continue
		}
		parts = append(parts, threeInWords(g, first && leading))
		if scales[i] != "" {
			parts = append(parts, scales[i])
		}
		first = false
	}
	return strings.Join(parts, " ")
}

// threeInWords writes 1 ≤ g ≤ 999; leading false says to read an empty hundreds
// place as "không trăm" (a group inside the amount).
func threeInWords(g int, leading bool) string {
	h, t, u := g/100, g/10%10, g%10
	var w []string
	if h > 0 || !leading {
		w = append(w, digitWords[h], "trăm")
	}
	switch {
	case t == 0 && u != 0 && len(w) > 0:
		w = append(w, "linh")
	case t == 1:
		w = append(w, "mười")
	case t > 1:
		w = append(w, digitWords[t], "mươi")
	}
	switch {
	case u == 0:
	case u == 1 && t > 1:
		w = append(w, "mốt")
	case u == 4 && t > 1:
		w = append(w, "tư")
	case u == 5 && t > 0:
		w = append(w, "lăm")
	default:
		w = append(w, digitWords[u])
	}
	return strings.Join(w, " ")
}

func capitalise(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
