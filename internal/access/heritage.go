package access

import (
	"mattran/internal/unit"
	"mattran/internal/user"
)

// Inherits reports whether x lies in the subtree of a unit the user's
// unit was made from (user.User.Heritage): the leader of the new Bắc
// Ninh reads the history of Bắc Giang and of the old Bắc Ninh, to compare
// her province with the two it came from. Heritage is for reading: every
// action (entering figures, sending, deciding on reports, managing users,
// the audit log) stays within the user's own subtree.
func Inherits(u user.User, x unit.Unit) bool {
	for _, p := range u.Heritage {
		if unit.InSubtree(x.Path, p) {
			return true
		}
	}
	return false
}
