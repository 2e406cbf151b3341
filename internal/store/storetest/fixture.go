package storetest

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"mattran/internal/audit"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/value"
	"mattran/programs"
)

// Actor is who the fixtures write as.
var Actor = audit.Actor{Name: "test"}

// repoFile finds a file by its path from the repository root, wherever the
// test runs from.
func repoFile(rel string) string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..", "..", "..", rel)
}

// Fixture loads Bắc Giang (before the reform), three residential areas and
// the seed program:
//
//	24 Bắc Giang ─ 213 TP Bắc Giang ─ 07201 Thọ Xương ─ KDC-1, KDC-2
//	                                └ 07207 Ngô Quyền ─ KDC-3
func Fixture(t testing.TB, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	f, err := os.Open(repoFile("internal/demo/data/bac-giang-2025-03.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parsed, err := unit.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportUnits(ctx, Actor, parsed, unit.Options{}); err != nil {
		t.Fatal(err)
	}
	ras := "code,name,kind,parent_code,synthetic\n" +
		"KDC-1,Tổ dân phố 1,residential_area,07201,true\n" +
		"KDC-2,Tổ dân phố 2,residential_area,07201,true\n" +
		"KDC-3,Tổ dân phố 3,residential_area,07207,true\n"
	parsed, err = unit.Parse(strings.NewReader(ras))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportUnits(ctx, Actor, parsed, unit.Options{Date: "2020-01-01"}); err != nil {
		t.Fatal(err)
	}
	data, err := programs.Files.ReadFile(programs.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := program.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveProgram(ctx, Actor, p); err != nil {
		t.Fatal(err)
	}
}

// ImportCSV imports a values CSV as the root's administrator, dated today.
func ImportCSV(s *store.Store, csv string) error {
	_, err := Import(s, csv, "")
	return err
}

// Import writes a test's figures as the app would, dated today ("": the
// store's clock): those its modules compute (derived:<module>, in years
// no one types) through the module's own write, the rest as an import
// by the root's administrator. A test so sets T3.1's 2024 supervision
// count without filing a supervision.
func Import(s *store.Store, csv, today string) (value.Summary, error) {
	rows, err := value.Parse(strings.NewReader(csv))
	if err != nil {
		return value.Summary{}, err
	}
	ctx := context.Background()
	root, err := s.Root(ctx)
	if err != nil {
		return value.Summary{}, err
	}
	elements, err := s.Elements(ctx)
	if err != nil {
		return value.Summary{}, err
	}
	typed, derived := []value.Row{}, map[string][]value.Row{}
	for _, r := range rows {
		if e, ok := elements[r.DataElement]; ok {
			module, computed := strings.CutPrefix(e.Source, "derived:")
			if p, err := period.Parse(r.Period); computed && err == nil && !e.Typed(p.Year) {
				derived[module] = append(derived[module], r)
				continue
			}
		}
		typed = append(typed, r)
	}
	var sum value.Summary
	if len(typed) > 0 || len(derived) == 0 {
		// A file of computed figures only has nothing to import typed.
		if sum, err = s.ImportValues(ctx, typed, store.ImportOptions{Actor: Actor, Scope: root, Source: "test", Today: today}); err != nil {
			return sum, err
		}
	}
	for _, module := range slices.Sorted(maps.Keys(derived)) {
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			d, err := tx.WriteDerived(ctx, module, derived[module])
			sum.Imported += d.Imported
			sum.Updated += d.Updated
			sum.Ignored += d.Ignored
			return err
		})
		if err != nil {
			return sum, err
		}
	}
	return sum, nil
}
