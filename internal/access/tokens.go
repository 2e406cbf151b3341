package access

import "mattran/internal/user"

// ManageTokens: a user lists, issues and revokes their own API tokens,
// whatever their role (a token does no more than its owner may); an admin
// does so for the users of their subtree.
func ManageTokens(u user.User, owner user.User) error {
	if u.ID == owner.ID {
		return nil
	}
	if u.Role != user.Admin {
		return forbid("Chỉ quản trị viên quản lý mã truy cập API của người khác.")
	}
	if !Within(u, owner.Unit) {
		return forbid("Người dùng %s thuộc %s, ngoài phạm vi quản lý của bạn.", owner.Username, owner.Unit.Name)
	}
	return nil
}
