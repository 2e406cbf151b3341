package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// units history prints both versions of code 24 (Bắc Giang until 30/6/2025,
// the new Bắc Ninh after) with the two old provinces the new one was made
// from, and a new ward with the old wards it took over, each with the day
// and the kind of succession.
func TestUnitsHistory(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "h.db")
	for _, args := range [][]string{
		{"migrate", "--db", db},
		{"units", "import", "../../internal/unit/testdata/bg-bn-2025-03.json", "--db", db},
		{"units", "import", "../../internal/unit/testdata/bac-ninh-2025-07-merges.json", "--db", db},
	} {
		if code, _, errOut := mattran(t, args...); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
	}
	code, out, errOut := mattran(t, "units", "history", "24", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	for _, want := range []string{
		"Phiên bản 1/2: 24 Tỉnh Bắc Giang (tỉnh, thành phố), hiệu lực đến 30/06/2025",
		"  - ngày 01/07/2025, toàn bộ: 24 Tỉnh Bắc Ninh (tỉnh, thành phố), hiệu lực từ 01/07/2025",
		"Phiên bản 2/2: 24 Tỉnh Bắc Ninh",
		"  - ngày 01/07/2025, toàn bộ: 27 Tỉnh Bắc Ninh (tỉnh, thành phố), hiệu lực đến 30/06/2025",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("history of 24 lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = mattran(t, "units", "history", "07210", "--db", db)
	if !strings.Contains(out, "07201 Phường Thọ Xương (xã, phường, thị trấn), hiệu lực đến 30/06/2025, thuộc Thành phố Bắc Giang") ||
		strings.Count(out, "toàn bộ:") != 10 {
		t.Errorf("history of 07210:\n%s", out)
	}
	if code, _, errOut := mattran(t, "units", "history", "99999", "--db", db); code != 1 || !oneLineOn(errOut) || !strings.Contains(errOut, "99999") {
		t.Errorf("unknown code: exit %d %q", code, errOut)
	}
}
