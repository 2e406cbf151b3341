package unit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// unitTypes are the official unit-type words, spelled as the official
// lists spell them: a capital first letter, the rest in lower case.
var unitTypes = []string{"Tỉnh", "Thành phố", "Huyện", "Quận", "Thị xã", "Xã", "Phường", "Thị trấn", "Đặc khu"}

// typeCase spells a unit-type word the official way: "Thị Xã" → "Thị xã".
func typeCase(t string) string {
	t = strings.ToLower(strings.Join(strings.Fields(t), " "))
	r, n := utf8.DecodeRuneInString(t)
	if n == 0 {
		return t
	}
	return string(unicode.ToUpper(r)) + t[n:]
}

// typePrefix finds the unit-type word a name starts with, in any case:
// the official type given, else one of the known ones. It returns the
// word's length in bytes in name and its official spelling.
func typePrefix(name, official string) (int, string) {
	cands := unitTypes
	if official != "" {
		cands = append([]string{official}, unitTypes...)
	}
	lower := strings.ToLower(name)
	for _, t := range cands {
		lt := strings.ToLower(t)
		// Lower-casing a Vietnamese type word keeps its byte length, so
		// the prefix of name is len(lt) bytes long; checked, not assumed.
		if strings.HasPrefix(lower, lt+" ") && len(lt) < len(name) && strings.ToLower(name[:len(lt)]) == lt {
			return len(lt), typeCase(t)
		}
	}
	return 0, ""
}

// NormalName spells the unit-type word at the start of a unit's name the
// official way ("Thị Xã Việt Yên" → "Thị xã Việt Yên"), so that one list
// does not mix "Thị Xã" and "Thị xã". The rest of the name is kept.
func NormalName(name, officialType string) string {
	name = strings.TrimSpace(name)
	n, t := typePrefix(name, officialType)
	if n == 0 {
		return name
	}
	return t + name[n:]
}

// InTitle is the unit's name as it stands inside a title or a sentence:
// the unit-type word in lower case, as NĐ 30/2020 writes "Ủy ban MTTQ
// Việt Nam tỉnh Bắc Giang", "thị xã Việt Yên". A name without a type
// word is kept.
func (u Unit) InTitle() string {
	n, t := typePrefix(u.Name, u.OfficialType)
	if n == 0 {
		return u.Name
	}
	return strings.ToLower(t) + u.Name[n:]
}
