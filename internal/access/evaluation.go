package access

import (
	"mattran/internal/unit"
	"mattran/internal/user"
)

// The annual evaluation's rules. The level above (the guide's owner)
// issues the guide, sets the clusters, plans the inspections, verifies,
// decides and freezes; the scored unit's leader scores it and sends it.
//   - everyone in the owner's subtree, and above it, reads the ranked
//     list (the results are announced to the units scored);
//   - a unit's scoresheet, with its sources and entries, is read by the
//     unit's subtree and the levels above it (See);
//   - the owner's leaders (and admins above) issue, verify, decide and
//     freeze; its officers, who are its inspection and emulation
//     officers, also plan and conclude inspections;
//   - the scored unit's own leader self-scores; nobody else, since the
//     self-score is the unit's word.

// SeeEvaluation: the ranked list of owner's guide.
func SeeEvaluation(u user.User, owner unit.Unit) error {
	if Within(u, owner) || unit.InSubtree(u.Unit.Path, owner.Path) || Inherits(u, owner) {
		return nil
	}
	return forbid("Kết quả chấm điểm thi đua của %s chỉ dành cho %s, cấp trên và các đơn vị được chấm.", owner.Name, owner.Name)
}

// SeeScoresheet: a unit's scoresheet.
func SeeScoresheet(u user.User, x unit.Unit) error { return See(u, x) }

// SelfScore: the scored unit's own leader.
func SelfScore(u user.User, x unit.Unit) error {
	if u.Role != user.Leader || u.Unit.ID != x.ID {
		return forbid("Chỉ lãnh đạo của %s tự chấm điểm và gửi phiếu của đơn vị.", x.Name)
	}
	return nil
}

// JudgeEvaluation: the owner's leaders, and admins whose subtree holds the
// owner, issue the guide and clusters, adjust, decide, freeze and reopen.
func JudgeEvaluation(u user.User, owner unit.Unit) error {
	switch {
	case u.Role == user.Leader && u.Unit.ID == owner.ID:
		return nil
	case u.Role == user.Admin && Within(u, owner):
		return nil
	}
	return forbid("Chỉ lãnh đạo của %s (cấp ban hành hướng dẫn chấm điểm) thẩm định, quyết định và khóa kết quả.", owner.Name)
}

// Inspect: the owner's officers and leaders, and admins above, plan
// inspections, record their conclusions and recommendations.
func Inspect(u user.User, owner unit.Unit) error {
	switch {
	case (u.Role == user.Leader || u.Role == user.Officer) && u.Unit.ID == owner.ID:
		return nil
	case u.Role == user.Admin && Within(u, owner):
		return nil
	}
	return forbid("Chỉ cán bộ, lãnh đạo của %s lập kế hoạch và ghi kết quả kiểm tra.", owner.Name)
}

// CrossCheck: the leader of a cluster's leading unit (cụm trưởng)
// cross-checks the sheets of the other members of the cluster.
func CrossCheck(u user.User, lead, x unit.Unit) error {
	if u.Role != user.Leader || lead.ID == 0 || u.Unit.ID != lead.ID || lead.ID == x.ID {
		return forbid("Chỉ lãnh đạo đơn vị cụm trưởng chấm chéo phiếu của các đơn vị khác trong cụm (%s).", x.Name)
	}
	return nil
}
