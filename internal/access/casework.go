package access

import (
	"mattran/internal/casework"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// Casework's rules. Anyone who reads a unit reads its cases, but not
// everything in them:
//   - petitioners' personal data only inside the handling unit's subtree
//     (a province specialist reading a commune's case sees no address);
//   - a protected identity (a denouncer's) only to the case's handler,
//     and each reveal is audited (Luật Tố cáo 2018, Điều 8 và 47) —
//     not to an admin, not to a leader: the law names those handling it.

// SeeCases: a user reads the cases of their subtree.
func SeeCases(u user.User, x unit.Unit) error { return See(u, x) }

// RecordCase: officers, leaders and admins take in petitions and record
// activities for a unit of their subtree.
func RecordCase(u user.User, x unit.Unit) error {
	if u.Role == user.Viewer {
		return forbid("Vai trò %s không tiếp nhận đơn thư.", u.Role.Label())
	}
	return inside(u, x)
}

// HandleCase: officers, leaders and admins act on a case of their
// subtree (forward, answer, remind, escalate…).
func HandleCase(u user.User, caseUnit unit.Unit) error { return RecordCase(u, caseUnit) }

// SeePersonal: the petitioners' names, ID numbers, addresses and phones
// of an unprotected case are shown to users of the handling unit and the
// units below it.
func SeePersonal(u user.User, caseUnit unit.Unit) bool {
	return unit.InSubtree(u.Unit.Path, caseUnit.Path)
}

// RevealIdentity: a protected identity is opened only for the case's
// handler, inside their subtree.
func RevealIdentity(u user.User, c casework.Case, caseUnit unit.Unit) error {
	if c.Handler == "" || u.Username != c.Handler || !Within(u, caseUnit) || u.Role == user.Viewer {
		return forbid("Danh tính người tố cáo chỉ người được giao xử lý vụ việc được xem.")
	}
	return nil
}
