package access

import "mattran/internal/user"

// ReadImport: an import's state and result (how it waits in the queue,
// what it wrote or why it was refused) are read by the user who sent it,
// and no one else: they name the sender's file and its bad cells.
func ReadImport(u user.User, sender int64) error {
	if u.ID != sender {
		return forbid("Lần nhập này do người khác gửi.")
	}
	return nil
}
