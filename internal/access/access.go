// Package access is the one place that says who may see or do what. The
// web pages, the API and the command line ask it, and so does the test
// that walks every route with every role: a rule written twice would
// drift (it did: four places each decided a part of who approves).
//
// The rules rest on two facts about a user: their role and their unit. A
// user acts only inside their unit's subtree. Within it:
//   - admins do everything, including users, deadlines and, with a
//     reason, decisions that belong to another level (an override);
//   - leaders read, send their unit's reports, decide on the reports of
//     the units directly below (approve, return, reopen), derive and edit
//     their unit's program, set quotas, and read the audit log;
//   - officers read, enter figures and send their unit's reports;
//   - viewers read.
//
// Every function answers nil when allowed, else a Forbidden error whose
// message says, in Vietnamese, why.
package access

import (
	"mattran/internal/errs"
	"mattran/internal/unit"
	"mattran/internal/user"
)

func forbid(format string, args ...any) error { return errs.New(errs.Forbidden, format, args...) }

// Within reports whether x lies in u's subtree (u's unit or below it).
func Within(u user.User, x unit.Unit) bool { return unit.InSubtree(x.Path, u.Unit.Path) }

// See: a user reads the pages, figures and reports of their subtree, and
// the history of the units their unit was made from (heritage.go).
func See(u user.User, x unit.Unit) error {
	if !Within(u, x) && !Inherits(u, x) {
		return forbid("Bạn không có quyền với đơn vị %s: tài khoản của bạn thuộc %s.", x.Name, u.Unit.Name)
	}
	return nil
}

// inside: a user acts (enters, sends, manages) only in their own subtree.
func inside(u user.User, x unit.Unit) error {
	if !Within(u, x) {
		return forbid("Bạn không có quyền với đơn vị %s: tài khoản của bạn thuộc %s.", x.Name, u.Unit.Name)
	}
	return nil
}

// EnterValues: officers, and admins who correct, type and import figures
// of their subtree.
func EnterValues(u user.User, x unit.Unit) error {
	if u.Role != user.Officer && u.Role != user.Admin {
		return forbid("Vai trò %s không nhập số liệu.", u.Role.Label())
	}
	return inside(u, x)
}

// SendReport: a unit's own officers and leaders send its report; an admin
// may send any report of their subtree.
func SendReport(u user.User, x unit.Unit) error {
	switch {
	case u.Role == user.Admin:
		return inside(u, x)
	case (u.Role == user.Officer || u.Role == user.Leader) && u.Unit.ID == x.ID:
		return nil
	}
	return forbid("Chỉ cán bộ, lãnh đạo của %s gửi được báo cáo của đơn vị.", x.Name)
}

// Decision is how a user may decide on a report, when they may.
type Decision int

const (
	// Direct: the leader (or admin) of the level directly above decides,
	// as the reporting chain goes.
	Direct Decision = iota + 1
	// Override: an admin above decides in that level's place, with a
	// reason, which the audit log keeps.
	Override
)

// DecideReport says whether u may approve, return or reopen the report of
// unit x. The level directly above decides: x's parent in the tree of
// the report's period — a commune's district before 1/7/2025, its
// province after. The program's owner unit has no level above that runs
// the program, so its own leaders decide its report (ownerCode names
// it). An admin whose subtree holds x may decide in the place of the
// level above, as an Override.
func DecideReport(u user.User, x unit.Unit, ownerCode string) (Decision, error) {
	if u.Role != user.Leader && u.Role != user.Admin {
		return 0, forbid("Chỉ lãnh đạo cấp trên trực tiếp của %s duyệt, trả lại hoặc mở khóa báo cáo của đơn vị.", x.Name)
	}
	switch {
	case x.ParentID != 0 && u.Unit.ID == x.ParentID:
		return Direct, nil
	case u.Unit.ID == x.ID && x.Code == ownerCode:
		return Direct, nil
	case u.Role == user.Admin && Within(u, x):
		return Override, nil
	}
	return 0, forbid("Chỉ lãnh đạo cấp trên trực tiếp của %s duyệt, trả lại hoặc mở khóa báo cáo của đơn vị.", x.Name)
}

// Remind: anyone but a viewer chases the reports of the units strictly
// below theirs.
func Remind(u user.User, x unit.Unit) error {
	if u.Role == user.Viewer {
		return forbid("Vai trò chỉ xem không gửi nhắc nhở.")
	}
	if u.Unit.ID == x.ID || !Within(u, x) {
		return forbid("Chỉ cấp trên của %s gửi nhắc nhở cho đơn vị.", x.Name)
	}
	return nil
}

// SetDeadline: an admin whose subtree holds the program's owner unit sets
// its forms' deadlines.
func SetDeadline(u user.User, owner unit.Unit) error {
	if u.Role != user.Admin || !Within(u, owner) {
		return forbid("Chỉ quản trị viên của %s (hoặc cấp trên) đặt hạn nộp báo cáo.", owner.Name)
	}
	return nil
}

// ReadAudit: admins and leaders read the audit log of their subtree.
func ReadAudit(u user.User, x unit.Unit) error {
	if u.Role != user.Admin && u.Role != user.Leader {
		return forbid("Chỉ quản trị viên và lãnh đạo được xem nhật ký thay đổi.")
	}
	return inside(u, x)
}

// ManageUsers: an admin manages the users of their subtree; x is the
// unit of the user managed (or to be created), zero for the list.
func ManageUsers(u user.User, x unit.Unit) error {
	if u.Role != user.Admin {
		return forbid("Chỉ quản trị viên được quản lý người dùng.")
	}
	if x.ID != 0 {
		return inside(u, x)
	}
	return nil
}

// ReadProgram: a unit's own program is read where it is used: by the
// units below its owner, which follow it and derive theirs from it, and by
// the levels above, which set its quotas and see it add up.
func ReadProgram(u user.User, owner unit.Unit) error {
	if Within(u, owner) || unit.InSubtree(u.Unit.Path, owner.Path) || Inherits(u, owner) {
		return nil
	}
	return forbid("Chương trình của %s chỉ dành cho %s, cấp trên và cấp dưới của đơn vị.", owner.Name, owner.Name)
}

// DeriveProgram: the leaders and admins of a unit write its own program,
// derived from the level above's.
func DeriveProgram(u user.User, owner unit.Unit) error {
	if (u.Role != user.Leader && u.Role != user.Admin) || u.Unit.ID != owner.ID {
		return forbid("Chỉ lãnh đạo hoặc quản trị của %s mới xây dựng, sửa chương trình của đơn vị.", owner.Name)
	}
	return nil
}

// EditProgram: the same, for a program already derived.
func EditProgram(u user.User, owner unit.Unit) error { return DeriveProgram(u, owner) }

// SetQuotas: the leaders and admins of a program's owner, or above it,
// assign the units directly below their shares (T2.1's 50 tỷ by district).
func SetQuotas(u user.User, owner unit.Unit) error {
	if u.Role != user.Leader && u.Role != user.Admin {
		return forbid("Chỉ lãnh đạo hoặc quản trị giao chỉ tiêu cho cấp dưới.")
	}
	return inside(u, owner)
}

// EditCalendar: the days a Government decision moves are national, and
// entered by an admin of a province or of the central committee.
func EditCalendar(u user.User) error {
	if u.Role != user.Admin || (u.Unit.Kind != unit.Province && u.Unit.Kind != unit.Central) {
		return forbid("Chỉ quản trị viên cấp tỉnh hoặc Trung ương nhập quyết định đổi ngày nghỉ, ngày làm việc.")
	}
	return nil
}
