package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mattran runs the command in-process and returns its exit code and output.
func mattran(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, cmd := range [][]string{
		{"serve"}, {"demo"}, {"migrate"}, {"check"},
		{"units", "import"}, {"units", "export"}, {"program", "import"}, {"program", "export"},
		{"values", "import"}, {"values", "export"}, {"values", "lock"}, {"user", "add"},
	} {
		code, _, help := mattran(t, append(cmd, "--help")...)
		if code != 0 || !strings.Contains(help, "Cách dùng: mattran "+cmd[0]) {
			t.Errorf("mattran %s --help: exit %d\n%s", strings.Join(cmd, " "), code, help)
		}
	}
	if code, out, _ := mattran(t, "--help"); code != 0 || !strings.Contains(out, "values import") {
		t.Errorf("mattran --help: exit %d\n%s", code, out)
	}
	if code, _, errOut := mattran(t, "khong-co-lenh"); code == 0 || !strings.Contains(errOut, "không có lệnh") {
		t.Errorf("unknown command: exit %d\n%s", code, errOut)
	}
}

func TestImportExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := "--db=sqlite:" + filepath.Join(dir, "m.db")
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
	ok("migrate")
	ok("units", "import", "../../internal/demo/data/bac-giang-2025-03.json")
	ok("units", "import", "--date", "2024-01-01", write("kdc.csv", "code,name,kind,parent_code\nKDC-1,Thôn 1,residential_area,07201\n"))
	ok("program", "import", "../../programs/bac-giang-2019-2024.yaml")

	// A bad file fails with a one-line reason, then one line per bad row.
	bad := write("bad.csv", "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,-1\nCT2_HGD_TONG,2024Q5,KDC-1,1\n")
	code, _, errOut := mattran(t, "values", "import", bad, db)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if code != 1 || len(lines) != 3 || !strings.HasPrefix(lines[0], "mattran: có 2 dòng lỗi") || !strings.Contains(lines[1], "dòng 2") || !strings.Contains(lines[2], "dòng 3") {
		t.Errorf("bad values file: exit %d\n%s", code, errOut)
	}

	good := write("good.csv", "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,120\nCT2_HGD_VANHOA,2024,KDC-1,110\n")
	if out := ok("values", "import", good); !strings.Contains(out, "2 giá trị mới") {
		t.Errorf("import: %s", out)
	}
	if out := ok("values", "import", good); !strings.Contains(out, "0 giá trị mới, 0 cập nhật, 2 không đổi") {
		t.Errorf("re-import: %s", out)
	}
	out := ok("values", "export", "--unit", "24", "--children", "--period", "2024")
	if !strings.Contains(out, "CT2_HGD_TONG,2024,KDC-1,120") || !strings.Contains(out, "CT2_HGD_VANHOA,2024,KDC-1,110") {
		t.Errorf("export:\n%s", out)
	}
	ok("values", "lock", "--unit", "24", "--period", "2024")
	code, _, errOut = mattran(t, "values", "import", write("late.csv", "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,121\n"), db)
	if code != 1 || !strings.Contains(errOut, "đã được duyệt và khóa") {
		t.Errorf("import into a locked year: exit %d\n%s", code, errOut)
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
	if out := ok("program", "import", write("p.yaml", prog)); !strings.Contains(out, "25 chỉ tiêu") {
		t.Errorf("re-importing the exported program: %s", out)
	}
	if out := ok("user", "add", "--username", "canbo.xa", "--role", "officer", "--unit", "07201", "--token"); !strings.Contains(out, "Mã truy cập API: mt_") {
		t.Errorf("user add: %s", out)
	}
	if out := ok("check"); !strings.Contains(out, "khớp") {
		t.Errorf("check: %s", out)
	}
}
