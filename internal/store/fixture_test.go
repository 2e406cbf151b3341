package store_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/value"
	"mattran/programs"
)

// fixture loads Bắc Giang, three residential areas and the seed program.
//
//	24 Bắc Giang ─ 213 TP Bắc Giang ─ 07201 Thọ Xương ─ KDC-1, KDC-2
//	                                └ 07207 Ngô Quyền ─ KDC-3
func fixture(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	importFile(t, s, "../demo/data/bac-giang-2025-03.json", unit.Options{})
	ras := "code,name,kind,parent_code,synthetic\n" +
		"KDC-1,Tổ dân phố 1,residential_area,07201,true\n" +
		"KDC-2,Tổ dân phố 2,residential_area,07201,true\n" +
		"KDC-3,Tổ dân phố 3,residential_area,07207,true\n"
	f, err := unit.Parse(strings.NewReader(ras))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportUnits(ctx, tester, f, unit.Options{Date: "2020-01-01"}); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"seed", "testdata/percent-program.yaml"} {
		var data []byte
		if file == "seed" {
			data, err = programs.Files.ReadFile(programs.SeedFile)
		} else {
			data, err = os.ReadFile(file)
		}
		if err != nil {
			t.Fatal(err)
		}
		p, err := program.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := s.SaveProgram(ctx, tester, p); err != nil {
			t.Fatalf("save %s: %v", file, err)
		}
	}
}

// importValues imports a dataValueSet as the root's administrator would.
func importValues(t *testing.T, s *store.Store, data string) (value.Summary, error) {
	t.Helper()
	rows, err := value.Parse(strings.NewReader(data))
	if err != nil {
		return value.Summary{}, err
	}
	root, err := s.Root(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.ImportValues(context.Background(), rows, store.ImportOptions{Actor: tester, Scope: root, Source: "test", Today: "2026-11-27"})
}

func mustImport(t *testing.T, s *store.Store, data string) value.Summary {
	t.Helper()
	sum, err := importValues(t, s, data)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return sum
}

func count(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
