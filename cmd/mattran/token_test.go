package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mattran/internal/store"
)

// mattran token lists, issues and revokes API tokens (issue 8, item 4).
func TestTokenCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	ok := func(args ...string) string {
		t.Helper()
		code, out, errOut := mattran(t, append(args, "--db", db)...)
		if code != 0 {
			t.Fatalf("mattran %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	ok("migrate")
	ok("user", "add", "--username", "may.dongbo", "--role", "viewer", "--unit", "TW")
	if out := ok("token", "list", "--user", "may.dongbo"); !strings.Contains(out, "chưa có mã truy cập nào") {
		t.Errorf("token list, none: %s", out)
	}
	out := ok("token", "add", "--user", "may.dongbo", "--name", "Đồng bộ DHIS2", "--days", "30")
	m := regexp.MustCompile(`số (\d+) «Đồng bộ DHIS2».*hết hạn \d\d/\d\d/\d{4}.*\n(mt_\S+)\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("token add: %s", out)
	}
	id, token := m[1], m[2]
	ok("token", "add", "--user", "may.dongbo", "--name", "Không hết hạn", "--days", "0")
	if out := ok("token", "list", "--user", "may.dongbo"); strings.Count(out, "Đang dùng") != 2 || !strings.Contains(out, token[len(token)-4:]) || strings.Contains(out, token) {
		t.Errorf("token list: %s", out)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.UserByToken(context.Background(), token); err != nil {
		t.Fatalf("the issued token does not open: %v", err)
	}
	if out := ok("token", "revoke", "--user", "may.dongbo", "--id", id); !strings.Contains(out, "Đã thu hồi mã truy cập số "+id) {
		t.Errorf("token revoke: %s", out)
	}
	if _, err := s.UserByToken(context.Background(), token); err == nil {
		t.Error("a revoked token still opens")
	}
	if out := ok("token", "revoke", "--user", "may.dongbo", "--all"); !strings.Contains(out, "Đã thu hồi 1 mã") {
		t.Errorf("token revoke --all: %s", out)
	}
	if code, _, errOut := mattran(t, "token", "revoke", "--user", "may.dongbo", "--db", db); code != 2 || !strings.Contains(errOut, "--id SỐ hoặc --all") {
		t.Errorf("token revoke without --id or --all: exit %d %s", code, errOut)
	}
}
