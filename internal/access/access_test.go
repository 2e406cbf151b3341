package access_test

import (
	"testing"

	"mattran/internal/access"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// The tree before 1/7/2025 (province > district > commune) and after it
// (province > commune), with the province owning the program.
var (
	root     = unit.Unit{ID: 1, Code: "TW", Name: "Ủy ban Trung ương", Kind: unit.Central, Path: "/1/"}
	province = unit.Unit{ID: 2, Code: "24", Name: "Tỉnh Bắc Giang", Kind: unit.Province, ParentID: 1, Path: "/1/2/"}
	district = unit.Unit{ID: 3, Code: "213", Name: "Thành phố Bắc Giang", Kind: unit.District, ParentID: 2, Path: "/1/2/3/"}
	sibling  = unit.Unit{ID: 4, Code: "215", Name: "Huyện Yên Thế", Kind: unit.District, ParentID: 2, Path: "/1/2/4/"}
	commune  = unit.Unit{ID: 5, Code: "07201", Name: "Phường Thọ Xương", Kind: unit.Commune, ParentID: 3, Path: "/1/2/3/5/"}
	// After the reform the commune hangs directly under the province.
	newCommune = unit.Unit{ID: 9, Code: "07201", Name: "Phường Bắc Giang", Kind: unit.Commune, ParentID: 2, Path: "/1/2/9/"}
)

func at(u unit.Unit, r user.Role) user.User {
	return user.User{Username: string(r) + "@" + u.Code, Role: r, Unit: u}
}

// Who decides on a report: the level directly above, as the reporting
// chain goes; the owner province its own; an admin above in that level's
// place, as an override.
func TestDecideReport(t *testing.T) {
	for _, c := range []struct {
		who  user.User
		of   unit.Unit
		want access.Decision // 0: refused
	}{
		{at(district, user.Leader), commune, access.Direct},
		{at(district, user.Admin), commune, access.Direct},
		{at(province, user.Leader), commune, 0}, // its district decides, not the province
		{at(province, user.Admin), commune, access.Override},
		{at(province, user.Leader), district, access.Direct},
		{at(province, user.Leader), province, access.Direct}, // the program's owner
		{at(root, user.Admin), province, access.Direct},
		{at(root, user.Leader), commune, 0},
		{at(province, user.Leader), newCommune, access.Direct}, // after 1/7/2025, no district
		{at(district, user.Leader), district, 0},
		{at(commune, user.Leader), commune, 0},
		{at(sibling, user.Leader), commune, 0},
		{at(sibling, user.Admin), commune, 0},
		{at(district, user.Officer), commune, 0},
		{at(province, user.Viewer), district, 0},
	} {
		got, err := access.DecideReport(c.who, c.of, "24")
		if got != c.want || (err == nil) != (c.want != 0) {
			t.Errorf("%s decides on %s (%s): %v, %v; want %v", c.who.Username, c.of.Name, c.of.Path, got, err, c.want)
		}
	}
}

func TestSendEnterRemind(t *testing.T) {
	for _, c := range []struct {
		what string
		err  error
		want bool
	}{
		{"the commune's leader sends its report", access.SendReport(at(commune, user.Leader), commune), true},
		{"the commune's officer sends its report", access.SendReport(at(commune, user.Officer), commune), true},
		{"the district's officer does not send the commune's", access.SendReport(at(district, user.Officer), commune), false},
		{"an admin above sends it", access.SendReport(at(district, user.Admin), commune), true},
		{"a viewer does not send", access.SendReport(at(commune, user.Viewer), commune), false},
		{"an officer enters figures below", access.EnterValues(at(district, user.Officer), commune), true},
		{"a leader does not enter figures", access.EnterValues(at(commune, user.Leader), commune), false},
		{"an officer does not enter a sibling's", access.EnterValues(at(sibling, user.Officer), commune), false},
		{"the district reminds its commune", access.Remind(at(district, user.Officer), commune), true},
		{"a unit does not remind itself", access.Remind(at(commune, user.Officer), commune), false},
		{"a viewer does not remind", access.Remind(at(province, user.Viewer), commune), false},
		{"the province's admin sets deadlines", access.SetDeadline(at(province, user.Admin), province), true},
		{"a district's admin does not", access.SetDeadline(at(district, user.Admin), province), false},
		{"a leader reads the audit log", access.ReadAudit(at(district, user.Leader), commune), true},
		{"an officer does not", access.ReadAudit(at(district, user.Officer), commune), false},
		{"a district reads the province's program", access.ReadProgram(at(district, user.Viewer), province), true},
		{"the province reads a district's program", access.ReadProgram(at(province, user.Viewer), district), true},
		{"a sibling does not read a district's program", access.ReadProgram(at(sibling, user.Viewer), district), false},
		{"a district's leader edits its program", access.EditProgram(at(district, user.Leader), district), true},
		{"the province's leader does not edit the district's", access.EditProgram(at(province, user.Leader), district), false},
	} {
		if got := c.err == nil; got != c.want {
			t.Errorf("%s: allowed %v (%v), want %v", c.what, got, c.err, c.want)
		}
	}
}
