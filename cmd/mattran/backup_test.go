package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// mattran backup and restore: the copy restored passes check, and a
// restore onto a database with data asks for --force.
func TestBackupCommands(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "m.db")
	run := func(want int, args ...string) string {
		t.Helper()
		code, out, errOut := mattran(t, args...)
		if code != want {
			t.Fatalf("mattran %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errOut)
		}
		return out + errOut
	}
	run(0, "migrate", "--db", db)
	run(0, "units", "import", "--db", db, "../../internal/demo/data/bac-giang-2025-03.json")
	run(0, "program", "import", "--db", db, "../../programs/bac-giang-2019-2024.yaml")
	file := filepath.Join(dir, "sao-luu-2025-03-01.db")
	if out := run(0, "backup", "--db", db, file); !strings.Contains(out, "Đã sao lưu") {
		t.Errorf("backup: %s", out)
	}
	if out := run(1, "backup", "--db", db, file); !strings.Contains(out, "đã có") {
		t.Errorf("a second backup to the same file: %s", out)
	}
	copy := "sqlite:" + filepath.Join(dir, "phuc-hoi", "m.db")
	if out := run(0, "restore", "--db", copy, file); !strings.Contains(out, "CSDL toàn vẹn; số tổng hợp khớp") {
		t.Errorf("restore: %s", out)
	}
	if out := run(0, "check", "--db", copy); !strings.Contains(out, "khớp") {
		t.Errorf("check of the restored copy: %s", out)
	}
	if out := run(1, "restore", "--db", db, file); !strings.Contains(out, "--force") {
		t.Errorf("restore onto a database with data: %s", out)
	}
	if out := run(0, "restore", "--db", db, "--force", file); !strings.Contains(out, "Đã phục hồi") {
		t.Errorf("restore --force: %s", out)
	}
	if out := run(1, "restore", "--db", copy, "--force", filepath.Join(dir, "m.db-khong-co")); !strings.Contains(out, "không") {
		t.Errorf("restore from a missing file: %s", out)
	}
}
