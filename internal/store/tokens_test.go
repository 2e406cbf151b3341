package store_test

import (
	"context"
	"testing"
	"time"

	"mattran/internal/errs"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/user"
)

// API tokens are named, listed, expire and are revoked; disabling a user
// revokes theirs for good: enabling the account again brings none back
// (issue 8, item 4).
func TestTokenLifecycle(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
		s.Clock = func() time.Time { return now }
		u, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: "may.dongbo", FullName: "Máy đồng bộ", Role: user.Officer, Unit: rootUnit(t, s), Password: "mat-khau-dung-roi"})
		if err != nil {
			t.Fatal(err)
		}
		opens := func(token string) bool {
			_, err := s.UserByToken(ctx, token)
			if err != nil && errs.CodeOf(err) != errs.Unauthorized {
				t.Fatal(err)
			}
			return err == nil
		}
		forever, _, err := s.IssueToken(ctx, storetest.Actor, u, "Đồng bộ DHIS2", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		month, tm, err := s.IssueToken(ctx, storetest.Actor, u, "Báo cáo tháng", now.Add(30*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.IssueToken(ctx, storetest.Actor, u, "", time.Time{}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a token without a name: %v, want refused", err)
		}
		if _, _, err := s.IssueToken(ctx, storetest.Actor, u, "Hết hạn hôm qua", now.Add(-time.Hour)); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a token expiring in the past: %v, want refused", err)
		}
		if !opens(forever) || !opens(month) {
			t.Fatal("fresh tokens do not open the API")
		}
		list, err := s.Tokens(ctx, u.ID)
		if err != nil || len(list) != 2 || list[0].Name != "Báo cáo tháng" || list[0].Hint != user.TokenHint(month) || !list[0].Expires.Equal(tm.Expires) {
			t.Fatalf("Tokens = %+v, %v", list, err)
		}

		// Expired after 30 days; listed as such.
		now = now.Add(31 * 24 * time.Hour)
		if opens(month) {
			t.Error("an expired token still opens the API")
		}
		if !opens(forever) {
			t.Error("the token without expiry stopped working")
		}
		list, _ = s.Tokens(ctx, u.ID)
		if len(list) != 2 || list[0].State(now) != "Đã hết hạn" || list[1].State(now) != "Đang dùng" {
			t.Errorf("after 31 days, states %q, %q", list[0].State(now), list[1].State(now))
		}

		// Revoked one by one: only the owner's own token id.
		other, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: "nguoi.khac", FullName: "Người khác", Role: user.Viewer, Unit: rootUnit(t, s), Password: "mat-khau-dung-roi"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, storetest.Actor, other, list[1].ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("revoking another user's token: %v, want not found", err)
		}
		third, _, _ := s.IssueToken(ctx, storetest.Actor, u, "Thử", time.Time{})
		if err := s.RevokeToken(ctx, storetest.Actor, u, list[1].ID); err != nil {
			t.Fatal(err)
		}
		if opens(forever) {
			t.Error("a revoked token still opens the API")
		}

		// Disabling revokes the rest; enabling brings nothing back.
		if !opens(third) {
			t.Fatal("the third token does not open")
		}
		if err := s.SetDisabled(ctx, storetest.Actor, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetDisabled(ctx, storetest.Actor, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if opens(third) || opens(forever) {
			t.Error("re-enabling the user brought a token back")
		}
		list, _ = s.Tokens(ctx, u.ID)
		for _, tk := range list {
			if tk.Name != "Báo cáo tháng" && (tk.Revoked.IsZero() || tk.RevokedBy != storetest.Actor.Name) {
				t.Errorf("token %q after disabling: revoked %v by %q", tk.Name, tk.Revoked, tk.RevokedBy)
			}
		}
		entries, _ := s.AuditEntries(ctx, "api_token", "may.dongbo", 20)
		actions := map[string]int{}
		for _, e := range entries {
			actions[e.Action]++
		}
		if actions["create"] != 3 || actions["revoke"] != 1 || actions["revoke_all"] != 1 {
			t.Errorf("audit of tokens: %v, want 3 create, 1 revoke, 1 revoke_all", actions)
		}
	})
}

// MATTRAN_ADMIN_TOKEN, revoked in the app, is given again at the next
// start that sets it: the variable is the operator's word.
func TestAdminTokenAfterRevocation(t *testing.T) {
	s := storetest.SQLite(t)
	ctx := context.Background()
	const token = "mt_bien-moi-truong-cua-nguoi-van-hanh"
	admin, err := s.EnsureAdminToken(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeTokens(ctx, storetest.Actor, admin); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, token); err == nil {
		t.Fatal("the revoked admin token still opens")
	}
	if _, err := s.EnsureAdminToken(ctx, token); err != nil {
		t.Fatalf("a restart with the variable: %v", err)
	}
	if _, err := s.UserByToken(ctx, token); err != nil {
		t.Errorf("after the restart: %v", err)
	}
}
