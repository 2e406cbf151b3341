package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mattran/internal/store"
)

// mattran runs the command in-process and returns its exit code and output.
func mattran(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// oneLineOn reports whether s is exactly one line.
func oneLineOn(s string) bool { return strings.Count(s, "\n") == 1 && strings.HasSuffix(s, "\n") }

func TestEveryCommandHasHelp(t *testing.T) {
	for _, cmd := range [][]string{
		{"serve"}, {"demo"}, {"migrate"}, {"check"}, {"version"},
		{"units", "import"}, {"units", "export"}, {"units", "history"}, {"program", "import"}, {"program", "export"},
		{"values", "import"}, {"values", "export"}, {"values", "lock"}, {"values", "unlock"}, {"user", "add"},
		{"token", "list"}, {"token", "add"}, {"token", "revoke"}, {"backup"}, {"restore"},
	} {
		name := strings.Join(cmd, " ")
		code, help, errOut := mattran(t, append(cmd, "--help")...)
		if code != 0 || errOut != "" || !strings.HasPrefix(help, "Cách dùng: mattran "+name) {
			t.Errorf("mattran %s --help: exit %d\n%s%s", name, code, help, errOut)
		}
		// The options are listed in Vietnamese, with two dashes, not as Go's flag package would.
		if strings.Contains(help, "(default") || strings.Contains(help, "\n  -db") {
			t.Errorf("mattran %s --help shows Go's option list:\n%s", name, help)
		}
		if name != "version" && name != "demo" && !strings.Contains(help, "  --db CHUỖI ") {
			t.Errorf("mattran %s --help lacks --db:\n%s", name, help)
		}
	}
	if _, help, _ := mattran(t, "check", "--help"); !strings.Contains(help, "(mặc định: sqlite:mattran.db)") && os.Getenv("MATTRAN_DB") == "" {
		t.Errorf("check --help lacks the default database:\n%s", help)
	}
	if _, help, _ := mattran(t, "values", "export", "--help"); !strings.Contains(help, "--format DẠNG") || !strings.Contains(help, "(mặc định: csv)") || !strings.Contains(help, "  -o TỆP") {
		t.Errorf("values export --help:\n%s", help)
	}
	for _, args := range [][]string{{"--help"}, {"help"}, {}} {
		if code, out, _ := mattran(t, args...); code != 0 || !strings.Contains(out, "values import") || !strings.Contains(out, "values unlock") {
			t.Errorf("mattran %v: exit %d\n%s", args, code, out)
		}
	}
	if code, out, _ := mattran(t, "help", "values", "lock"); code != 0 || !strings.HasPrefix(out, "Cách dùng: mattran values lock") {
		t.Errorf("mattran help values lock: exit %d\n%s", code, out)
	}
	if code, _, errOut := mattran(t, "khong-co-lenh"); code != 2 || !oneLineOn(errOut) || !strings.Contains(errOut, "không có lệnh") {
		t.Errorf("unknown command: exit %d\n%s", code, errOut)
	}
}

func TestGroupsListTheirSubcommands(t *testing.T) {
	for _, tc := range []struct {
		group string
		subs  []string // sorted
	}{
		{"units", []string{"export", "history", "import"}},
		{"program", []string{"export", "import"}},
		{"values", []string{"export", "import", "lock", "unlock"}},
		{"user", []string{"add"}},
	} {
		code, out, errOut := mattran(t, tc.group, "--help")
		if code != 0 || errOut != "" || !strings.HasPrefix(out, "Cách dùng: mattran "+tc.group) {
			t.Errorf("mattran %s --help: exit %d\n%s%s", tc.group, code, out, errOut)
		}
		for _, sub := range tc.subs {
			if !regexp.MustCompile(`(?m)^  ` + sub + ` .*\S$`).MatchString(out) {
				t.Errorf("mattran %s --help lacks a line for %s:\n%s", tc.group, sub, out)
			}
		}
		// Nothing after the group is a usage error listing the subcommands, sorted.
		code, _, errOut = mattran(t, tc.group)
		want := "mattran " + tc.group + ": cần một lệnh con: " + strings.Join(tc.subs, ", ") + " (xem mattran " + tc.group + " --help)\n"
		if code != 2 || errOut != want {
			t.Errorf("mattran %s: exit %d\n%s\nwant %s", tc.group, code, errOut, want)
		}
		if code, _, errOut := mattran(t, tc.group, "nope"); code != 2 || !oneLineOn(errOut) || !strings.Contains(errOut, `không có lệnh con "nope"`) {
			t.Errorf("mattran %s nope: exit %d\n%s", tc.group, code, errOut)
		}
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, errOut := mattran(t, args...)
		if code != 0 || errOut != "" || !regexp.MustCompile(`^mattran \S+\n$`).MatchString(out) {
			t.Errorf("mattran %s: exit %d %q %q", args[0], code, out, errOut)
		}
	}
}

// A wrong command line gets one Vietnamese line and exit 2, not Go's
// English message and the whole help.
func TestBadCommandLines(t *testing.T) {
	db := "--db=sqlite:" + filepath.Join(t.TempDir(), "m.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"values", "import", "--dryrun", "x.csv"}, "mattran values import: tùy chọn không hợp lệ --dryrun (xem mattran values import --help)\n"},
		{[]string{"values", "import", "-dryrun", "x.csv"}, "mattran values import: tùy chọn không hợp lệ -dryrun (xem mattran values import --help)\n"},
		{[]string{"values", "import", "--dry-run=maybe", "x.csv"}, `mattran values import: giá trị "maybe" không hợp lệ cho --dry-run: chỉ nhận true hoặc false (xem mattran values import --help)` + "\n"},
		{[]string{"values", "export", "--format", "xml", "--unit", "24"}, `mattran values export: giá trị "xml" không hợp lệ cho --format: chỉ nhận json hoặc csv (xem mattran values export --help)` + "\n"},
		{[]string{"serve", "--ledger-search-mb=nhiều"}, `mattran serve: giá trị "nhiều" không hợp lệ cho --ledger-search-mb: cần một số nguyên (xem mattran serve --help)` + "\n"},
		{[]string{"values", "export", "--unit"}, "mattran values export: tùy chọn --unit cần một giá trị (xem mattran values export --help)\n"},
		{[]string{"values", "export"}, "mattran values export: thiếu --unit (xem mattran values export --help)\n"},
		{[]string{"values", "unlock", "--unit", "24"}, "mattran values unlock: cần cả --unit và --period (xem mattran values unlock --help)\n"},
		{[]string{"units", "import"}, "mattran units import: thiếu TỆP (xem mattran units import --help)\n"},
		{[]string{"check", "thừa"}, `mattran check: thừa đối số "thừa" (xem mattran check --help)` + "\n"},
	} {
		args := append([]string{tc.args[0], tc.args[1], db}, tc.args[2:]...)
		code, out, errOut := mattran(t, args...)
		if code != 2 || out != "" || errOut != tc.want {
			t.Errorf("mattran %s: exit %d\n got %q\nwant %q", strings.Join(tc.args, " "), code, errOut, tc.want)
		}
	}
}

// Only migrate, serve and demo create a database: a typo in --db must not
// look like an empty database.
func TestMissingDatabaseIsNotCreated(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "khong", "co", "x.db")
	for _, args := range [][]string{
		{"check"}, {"units", "export"}, {"program", "export", "BG"},
		{"values", "export", "--unit", "24"}, {"values", "lock", "--unit", "24", "--period", "2024"},
		{"values", "unlock", "--unit", "24", "--period", "2024"},
		{"user", "add", "--username", "a", "--role", "admin", "--unit", "TW"},
		{"units", "import", "../../internal/demo/data/bac-giang-2025-03.json"},
		{"program", "import", "../../programs/bac-giang-2019-2024.yaml"},
	} {
		code, out, errOut := mattran(t, append(args, "--db", dsn)...)
		want := "mattran: CSDL " + dsn + " chưa có; tạo bằng: mattran migrate --db " + dsn + "\n"
		if code != 1 || out != "" || errOut != want {
			t.Errorf("mattran %s: exit %d\n got %q\nwant %q", strings.Join(args, " "), code, errOut, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "khong")); !os.IsNotExist(err) {
		t.Errorf("a command other than migrate created the directory: %v", err)
	}
	if code, out, errOut := mattran(t, "migrate", "--db", dsn); code != 0 || out != "Đã tạo CSDL "+dsn+" (sqlite).\n" {
		t.Errorf("migrate: exit %d %q %q", code, out, errOut)
	}
	if code, out, errOut := mattran(t, "check", "--db", dsn); code != 0 || !strings.Contains(out, "khớp") {
		t.Errorf("check after migrate: exit %d %q %q", code, out, errOut)
	}
}

func TestPasswordsAreNotPrinted(t *testing.T) {
	for _, tc := range []struct{ dsn, want string }{
		{"postgres://postgres:S3cretPass@db.example:5432/mattran?sslmode=disable", "postgres://postgres:xxxxx@db.example:5432/mattran?sslmode=disable"},
		{"postgresql://u@db/x?password=S3cretPass", "postgresql://u@db/x?password=xxxxx"},
		{"postgres://u@db/x", "postgres://u@db/x"},
		{"sqlite:data/m.db", "sqlite:data/m.db"},
	} {
		if got := redactDSN(tc.dsn); got != tc.want {
			t.Errorf("redactDSN(%q) = %q, want %q", tc.dsn, got, tc.want)
		}
	}
	// Nothing listens on port 1: the connection fails at once.
	secret := "postgres://postgres:S3cretPass@127.0.0.1:1/x?connect_timeout=2"
	code, out, errOut := mattran(t, "migrate", "--db", secret)
	if code != 1 || !oneLineOn(errOut) || strings.Contains(out+errOut, "S3cretPass") {
		t.Errorf("migrate on an unreachable server: exit %d %q %q", code, out, errOut)
	}
	t.Setenv("MATTRAN_DB", secret)
	if _, help, _ := mattran(t, "migrate", "--help"); strings.Contains(help, "S3cretPass") || !strings.Contains(help, "postgres:xxxxx@") {
		t.Errorf("migrate --help shows the password of MATTRAN_DB:\n%s", help)
	}
}

func TestMissingFile(t *testing.T) {
	db := "--db=sqlite:" + filepath.Join(t.TempDir(), "m.db")
	for _, args := range [][]string{{"units", "import"}, {"program", "import"}, {"values", "import"}} {
		code, _, errOut := mattran(t, append(args, "/khong/co/x.yaml", db)...)
		if want := "mattran: không mở được tệp /khong/co/x.yaml: không có tệp này\n"; code != 1 || errOut != want {
			t.Errorf("mattran %s: exit %d\n got %q\nwant %q", strings.Join(args, " "), code, errOut, want)
		}
	}
}

func TestDemoChecksThePasswordFirst(t *testing.T) {
	data := filepath.Join(t.TempDir(), "demo")
	code, out, errOut := mattran(t, "demo", "--data", data, "--demo-password", "short")
	if code != 2 || out != "" || !oneLineOn(errOut) || !strings.Contains(errOut, "--demo-password: mật khẩu phải có ít nhất 10 ký tự") {
		t.Errorf("demo with a short password: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("demo with a short password created %s", data)
	}
}

func TestImportExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.db")
	db := "--db=sqlite:" + path
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok := func(args ...string) string {
		t.Helper()
		code, out, errOut := mattran(t, append(args, db)...)
		if code != 0 {
			t.Fatalf("mattran %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	fails := func(args ...string) string {
		t.Helper()
		code, out, errOut := mattran(t, append(args, db)...)
		if code != 1 {
			t.Fatalf("mattran %s: exit %d, want 1\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return errOut
	}
	// Durations are written the Vietnamese way, with a decimal comma.
	took := regexp.MustCompile(` trong \d+,\d giây: `)

	ok("migrate")
	if out := ok("units", "import", "../../internal/demo/data/bac-giang-2025-03.json"); !strings.Contains(out, "(danh sách chính thức)") || !took.MatchString(out) {
		t.Errorf("units import: %s", out)
	}
	if out := ok("units", "import", "--date", "2024-01-01", write("kdc.csv", "code,name,kind,parent_code\nKDC-1,Thôn 1,residential_area,07201\n")); !strings.Contains(out, "(CSV)") {
		t.Errorf("units import CSV: %s", out)
	}
	if out := ok("program", "import", "../../programs/bac-giang-2019-2024.yaml"); !strings.Contains(out, "Đã nhập chương trình BG-CTHD-2019-2024") || !strings.Contains(out, "25 chỉ tiêu") {
		t.Errorf("program import: %s", out)
	}
	if out := ok("program", "import", "../../programs/bac-giang-2019-2024.yaml"); out != "Chương trình BG-CTHD-2019-2024 không thay đổi.\n" {
		t.Errorf("program re-import: %s", out)
	}

	// A bad file fails with a one-line reason, then one line per bad row.
	bad := write("bad.csv", "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,-1\nCT2_HGD_TONG,2024Q5,KDC-1,1\n")
	errOut := fails("values", "import", bad)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "mattran: có 2 dòng lỗi") || !strings.Contains(lines[1], "dòng 2") || !strings.Contains(lines[2], "dòng 3") {
		t.Errorf("bad values file:\n%s", errOut)
	}

	good := write("good.csv", "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,120\nCT2_HGD_VANHOA,2024,KDC-1,110\n")
	if out := ok("values", "import", good); !strings.Contains(out, "2 giá trị mới") || !took.MatchString(out) {
		t.Errorf("import: %s", out)
	}
	if out := ok("values", "import", good); !strings.Contains(out, "0 giá trị mới, 0 cập nhật, 2 không đổi") {
		t.Errorf("re-import: %s", out)
	}
	out := ok("values", "export", "--unit", "24", "--children", "--period", "2024")
	if !strings.Contains(out, "CT2_HGD_TONG,2024,KDC-1,120") || !strings.Contains(out, "CT2_HGD_VANHOA,2024,KDC-1,110") {
		t.Errorf("export:\n%s", out)
	}

	// An approved year is locked; unlocking reopens it, and is audited.
	ok("values", "lock", "--unit", "24", "--period", "2024")
	late := write("late.csv", "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,121\n")
	if errOut := fails("values", "import", late); !strings.Contains(errOut, "đã được duyệt và khóa") {
		t.Errorf("import into a locked year:\n%s", errOut)
	}
	if out := ok("values", "unlock", "--unit", "24", "--period", "2024"); !strings.Contains(out, "Đã mở khóa số liệu") {
		t.Errorf("unlock: %s", out)
	}
	if out := ok("values", "import", late); !strings.Contains(out, "0 giá trị mới, 1 cập nhật") {
		t.Errorf("import after unlocking: %s", out)
	}
	if errOut := fails("values", "unlock", "--unit", "24", "--period", "2024"); !oneLineOn(errOut) || !strings.Contains(errOut, "chưa bị khóa") {
		t.Errorf("unlocking what is not locked:\n%s", errOut)
	}
	s, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := s.AuditEntries(context.Background(), "period", "", 10)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != "unlock" || entries[1].Action != "lock" || !strings.HasPrefix(entries[0].Actor, "cli") {
		t.Errorf("audit of lock and unlock: %+v", entries)
	}

	// Exports read back unchanged.
	units := ok("units", "export", "--date", "2024-06-30")
	if !strings.Contains(units, "KDC-1,Thôn 1,residential_area,07201") {
		t.Errorf("units export lacks the residential area:\n%.300s", units)
	}
	if out := ok("units", "import", "--date", "2024-06-30", write("units.csv", units)); !strings.Contains(out, "0 đơn vị mới, 0 cập nhật") {
		t.Errorf("re-importing the export changed units: %s", out)
	}
	prog := ok("program", "export", "BG-CTHD-2019-2024")
	if out := ok("program", "import", write("p.yaml", prog)); out != "Chương trình BG-CTHD-2019-2024 không thay đổi.\n" {
		t.Errorf("re-importing the exported program: %s", out)
	}
	if out := ok("user", "add", "--username", "canbo.xa", "--role", "officer", "--unit", "07201", "--token"); !strings.Contains(out, "Mã truy cập API: mt_") {
		t.Errorf("user add: %s", out)
	}
	if out := ok("evals", "build", "--program", "BG-CTHD-2019-2024", "--period", "2024,2024Q2"); strings.Count(out, "Đã đánh giá") != 2 {
		t.Errorf("evals build: %s", out)
	}
	if out := ok("check"); !strings.Contains(out, "đánh giá giữ sẵn khớp") {
		t.Errorf("check: %s", out)
	}
}
