package access

import (
	"mattran/internal/unit"
	"mattran/internal/user"
)

// The fund ledger (package fund). Anyone, signed in or not, reads the
// public ledger; these rules are for writing it.

// OpenCampaign: leaders and admins open a campaign of a unit of their
// subtree and record its disclosures.
func OpenCampaign(u user.User, x unit.Unit) error {
	if u.Role != user.Leader && u.Role != user.Admin {
		return forbid("Chỉ lãnh đạo mở chiến dịch vận động.")
	}
	return inside(u, x)
}

// EnterFund: officers, leaders and admins record receipts, import bank
// statements, enter disbursements (which wait for approval), transfers
// and reversals in the books of a unit of their subtree.
func EnterFund(u user.User, x unit.Unit) error {
	if u.Role == user.Viewer {
		return forbid("Vai trò %s không ghi sổ quỹ.", u.Role.Label())
	}
	return inside(u, x)
}

// ApproveDisbursement: a leader (or admin) of the paying unit's subtree
// approves a disbursement, and never one they entered themselves.
func ApproveDisbursement(u user.User, x unit.Unit, enteredBy int64) error {
	if u.Role != user.Leader && u.Role != user.Admin {
		return forbid("Chỉ lãnh đạo duyệt khoản chi.")
	}
	if u.ID == enteredBy {
		return forbid("Không ai được tự duyệt khoản chi do chính mình nhập: cần một lãnh đạo khác duyệt.")
	}
	return inside(u, x)
}

// ReverseEntry: a correction is a leader's (or admin's) act in the books
// of a unit of their subtree: it undoes an entry in public.
func ReverseEntry(u user.User, x unit.Unit) error {
	if u.Role != user.Leader && u.Role != user.Admin {
		return forbid("Chỉ lãnh đạo lập bút toán đảo để điều chỉnh sổ quỹ.")
	}
	return inside(u, x)
}

// SeeHouseholds: a register of households names poor households, their
// heads and addresses: personal data, read only inside the user's own
// subtree, not through heritage (as casework's petitioners, SeePersonal).
// The new province's leader reads the old units' figures, T2.2 and T2.3
// among them, but not who the poor households behind them were.
func SeeHouseholds(u user.User, x unit.Unit) error { return inside(u, x) }
