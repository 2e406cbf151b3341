package access

import (
	"mattran/internal/unit"
	"mattran/internal/user"
)

// EditReassignRules: how a split unit's figures are shared out when read
// on another day's tree is one rule per data element, national like the
// elements themselves; an admin of a province or of the central committee
// declares it. Everyone signed in reads the rules.
func EditReassignRules(u user.User) error {
	if u.Role != user.Admin || (u.Unit.Kind != unit.Province && u.Unit.Kind != unit.Central) {
		return forbid("Chỉ quản trị viên cấp tỉnh hoặc Trung ương khai báo quy tắc phân bổ số liệu của đơn vị bị chia tách.")
	}
	return nil
}
