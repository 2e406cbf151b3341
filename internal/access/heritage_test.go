package access_test

import (
	"testing"

	"mattran/internal/access"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// The new Bắc Ninh (made from Bắc Giang and the old Bắc Ninh on 1/7/2025):
// its users read the history of the two old provinces and everything
// below them, and act nowhere there.
func TestHeritageIsForReading(t *testing.T) {
	oldBN := unit.Unit{ID: 6, Code: "27", Name: "Tỉnh Bắc Ninh (cũ)", Kind: unit.Province, ParentID: 1, Path: "/1/6/"}
	newBN := unit.Unit{ID: 7, Code: "24", Name: "Tỉnh Bắc Ninh", Kind: unit.Province, ParentID: 1, Path: "/1/7/", ValidFrom: "2025-07-01"}
	other := unit.Unit{ID: 8, Code: "01", Name: "Thành phố Hà Nội", Kind: unit.Province, ParentID: 1, Path: "/1/8/"}
	heir := func(r user.Role) user.User {
		u := at(newBN, r)
		u.Heritage = []string{province.Path, oldBN.Path}
		return u
	}
	for _, c := range []struct {
		what string
		err  error
		want bool
	}{
		{"reads the old Bắc Giang", access.See(heir(user.Viewer), province), true},
		{"reads an old commune of it", access.See(heir(user.Viewer), commune), true},
		{"reads the old Bắc Ninh", access.See(heir(user.Leader), oldBN), true},
		{"reads the old province's program", access.ReadProgram(heir(user.Viewer), province), true},
		{"does not read another province", access.See(heir(user.Leader), other), false},
		{"does not enter an old commune's figures", access.EnterValues(heir(user.Officer), commune), false},
		{"an admin does not enter them either", access.EnterValues(heir(user.Admin), commune), false},
		{"does not send an old unit's report", access.SendReport(heir(user.Admin), district), false},
		{"does not decide on an old district's report", decide(heir(user.Admin), district), false},
		{"does not read the old units' audit log", access.ReadAudit(heir(user.Leader), district), false},
		{"does not manage the old units' users", access.ManageUsers(heir(user.Admin), district), false},
		{"does not set quotas of the old program", access.SetQuotas(heir(user.Leader), province), false},
		{"does not remind the old units", access.Remind(heir(user.Officer), district), false},
		{"does not read an old commune's register of households", access.SeeHouseholds(heir(user.Leader), commune), false},
		{"reads its own register of households", access.SeeHouseholds(heir(user.Leader), newBN), true},
	} {
		if got := c.err == nil; got != c.want {
			t.Errorf("%s: allowed %v (%v), want %v", c.what, got, c.err, c.want)
		}
	}
}

func decide(u user.User, x unit.Unit) error {
	_, err := access.DecideReport(u, x, "24")
	return err
}
