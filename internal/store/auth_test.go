package store_test

import (
	"context"
	"testing"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// A sign-in costs one argon2id hash whoever the name belongs to: an
// unknown name, a disabled account and a wrong password take the same
// work, so the time of the answer does not tell who has an account
// (issue 8, item 8). Counted, not timed: a timed test on a shared
// machine proves nothing.
func TestAuthenticateCostsOneHashAlways(t *testing.T) {
	s := storetest.SQLite(t)
	ctx := context.Background()
	root := rootUnit(t, s)
	u, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: "co.that", FullName: "Có thật", Role: user.Viewer, Unit: root, Password: "mat-khau-dung-roi"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: "da.khoa", FullName: "Đã khóa", Role: user.Viewer, Unit: root, Password: "mat-khau-dung-roi"}); err != nil {
		t.Fatal(err)
	}
	locked, _ := s.UserByUsername(ctx, "da.khoa")
	if err := s.SetDisabled(ctx, storetest.Actor, locked.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, password string }{
		{"co.that", "mat-khau-sai-roi"},
		{"khong.co.ai", "mat-khau-sai-roi"},
		{"da.khoa", "mat-khau-dung-roi"},
		{"co.that", "mat-khau-dung-roi"},
	} {
		before := user.PasswordChecks()
		_, err := s.Authenticate(ctx, c.name, c.password)
		if n := user.PasswordChecks() - before; n != 1 {
			t.Errorf("Authenticate(%q) computed %d hashes, want 1 (err %v)", c.name, n, err)
		}
	}
	if _, err := s.Authenticate(ctx, u.Username, "mat-khau-dung-roi"); err != nil {
		t.Errorf("the right password: %v", err)
	}
}

// rootUnit returns the root every migrated store has.
func rootUnit(t *testing.T, s *store.Store) unit.Unit {
	t.Helper()
	root, err := s.Root(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return root
}
