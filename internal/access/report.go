package access

import (
	"mattran/internal/unit"
	"mattran/internal/user"
)

// WriteReport: who writes a unit's consolidated report (its assessment,
// number, date and signer): the unit's own officers and leaders, who
// draft and sign it, and an administrator of a unit above.
func WriteReport(u user.User, x unit.Unit) error {
	switch {
	case u.Role == user.Admin && Within(u, x):
		return nil
	case (u.Role == user.Officer || u.Role == user.Leader) && u.Unit.ID == x.ID:
		return nil
	}
	return forbid("Chỉ cán bộ, lãnh đạo của %s soạn báo cáo của đơn vị mình.", x.Name)
}
