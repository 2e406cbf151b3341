package store_test

import (
	"bytes"
	"context"
	"testing"

	"mattran/internal/errs"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
	"mattran/internal/value"
	"mattran/programs"
)

// The importers' fuzz targets: whatever a file holds, an import applies it
// whole or refuses it with a domain error and changes nothing. (The
// parsers' own targets check the parsing; these check what the store does
// with what they let through.) They run on SQLite, against the fixture.

// state is what a refused import must leave as it was: every table an
// import writes, by count and by a sum that moves with any update.
func state(t testing.TB, s *store.Store) [6]float64 {
	t.Helper()
	var st [6]float64
	err := s.DB.QueryRow(`SELECT
		(SELECT count(*) FROM data_values), (SELECT coalesce(sum(value), 0) FROM data_values),
		(SELECT count(*) FROM units), (SELECT coalesce(sum(length(name) + length(valid_from) + length(valid_to)), 0) FROM units),
		(SELECT count(*) FROM unit_successors), (SELECT count(*) FROM programs)`).Scan(&st[0], &st[1], &st[2], &st[3], &st[4], &st[5])
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// refusedCleanly fails unless err is a domain error (its cause is the
// input, not the store) and the store is as it was.
func refusedCleanly(t *testing.T, s *store.Store, err error, before [6]float64) {
	t.Helper()
	if e, ok := errs.As(err); !ok || e.Code == errs.Internal {
		t.Fatalf("refused with %#v, not a domain error", err)
	}
	if after := state(t, s); after != before {
		t.Fatalf("a refused import changed the store: %v → %v (%v)", before, after, err)
	}
}

func FuzzImportValues(f *testing.F) {
	s := storetest.SQLite(f)
	storetest.Fixture(f, s)
	ctx := context.Background()
	root, err := s.Root(ctx)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,100\nCT2_HGD_VANHOA,2024,KDC-1,95\n"))
	f.Add([]byte("dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,100\nCT2_HGD_VANHOA,2024,KDC-1,195\n"))
	f.Add([]byte(`{"period":"2024","dataValues":[{"dataElement":"CT1_CTV","orgUnit":"07201","value":"12"},{"dataElement":"CT1_BCTHND_DUNGHAN","orgUnit":"07201","period":"202411","value":1}]}`))
	f.Add([]byte("dataelement,period,orgunit,value\nCT2_BHYT,2024,24,101\nCT1_CTV,2030,24,1\nCT1_CTV,2024,99,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := value.Parse(bytes.NewReader(data))
		if err != nil {
			return // FuzzParse in internal/value covers the parser
		}
		before := state(t, s)
		_, err = s.ImportValues(ctx, rows, store.ImportOptions{Actor: storetest.Actor, Scope: root, Source: "fuzz", Today: "2025-06-30"})
		if err != nil {
			refusedCleanly(t, s, err, before)
		}
	})
}

func FuzzImportUnits(f *testing.F) {
	s := storetest.SQLite(f)
	storetest.Fixture(f, s)
	ctx := context.Background()
	f.Add([]byte("code,name,kind,parent_code\nKDC-9,Tổ dân phố 9,residential_area,07201\n"), "2024-01-01")
	f.Add([]byte("code,name,kind,parent_code,valid_from,valid_to\n07201,Phường Thọ Xương,commune,213,,2019-12-31\n"), "")
	f.Add([]byte("code,name,kind,parent_code\n07201,Phường Thọ Xương,commune,24\n"), "2024-01-01")
	f.Add([]byte(`{"data":[{"level1_id":"24","name":"Tỉnh Bắc Ninh","merges":[{"old_id":"24","name":"Tỉnh Bắc Giang","type":"full"}],"level2s":[{"level2_id":"07210","name":"Phường Bắc Giang","merges":[{"old_id":"07201","name":"Phường Thọ Xương","type":"partial"}]}]}]}`), "")
	f.Fuzz(func(t *testing.T, data []byte, date string) {
		file, err := unit.Parse(bytes.NewReader(data))
		if err != nil {
			return // FuzzParse in internal/unit covers the parser
		}
		before := state(t, s)
		if _, err := s.ImportUnits(ctx, storetest.Actor, file, unit.Options{Date: date}); err != nil {
			refusedCleanly(t, s, err, before)
		}
	})
}

func FuzzSaveProgram(f *testing.F) {
	s := storetest.SQLite(f)
	storetest.Fixture(f, s)
	ctx := context.Background()
	seed, err := programs.Files.ReadFile(programs.SeedFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("code: BG-CON\nname: Chương trình của huyện\nowner_unit: \"213\"\nparent: BG-CTHD-2019-2024\nterm: {from: 2019, to: 2024}\nthresholds:\n  - {target: T2.5, threshold: 80}\ntasks:\n  - {subprogram: CT2, text: Nhiệm vụ riêng}\n"))
	f.Add([]byte("code: THU\nname: Thử\nowner_unit: \"99\"\nterm: {from: 2024, to: 2029}\nsubprograms: [{code: C, name: n, objectives: [o]}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := program.Parse(data)
		if err != nil {
			return // FuzzParse in internal/program covers the parser
		}
		before := state(t, s)
		if _, err := s.SaveProgram(ctx, storetest.Actor, p); err != nil {
			refusedCleanly(t, s, err, before)
		}
	})
}
