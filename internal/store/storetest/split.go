package storetest

import (
	"context"
	"os"
	"strings"
	"testing"

	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// The split tree: Xã A is split between the new N1 and N2, Xã B goes whole
// into N1; the province keeps its version. Residential areas carry on:
// A1 and B1 into N1, A2 and A3 into N2.
const splitOld = "code,name,kind,parent_code\n" +
	"90,Tỉnh Thử,province,\n" +
	"900,Huyện Thử,district,90\n" +
	"90001,Xã A,commune,900\n" +
	"90002,Xã B,commune,900\n" +
	"90001-1,Thôn A1,residential_area,90001\n" +
	"90001-2,Thôn A2,residential_area,90001\n" +
	"90001-3,Thôn A3,residential_area,90001\n" +
	"90002-1,Thôn B1,residential_area,90002\n"

const splitMerges = `{"data":[{"level1_id":"90","name":"Tỉnh Thử","merges":[{"old_id":"90","name":"Tỉnh Thử","type":"full"}],
"level2s":[{"level2_id":"90010","name":"Xã N1","merges":[{"old_id":"90001","name":"Xã A","type":"partial"},{"old_id":"90002","name":"Xã B","type":"full"}]},
{"level2_id":"90020","name":"Xã N2","merges":[{"old_id":"90001","name":"Xã A","type":"partial"}]}]}]}`

const splitAreas = "code,name,kind,parent_code,synthetic,valid_from,merges\n" +
	"90010-1,Thôn A1,residential_area,90010,true,2025-07-01,90001-1\n" +
	"90010-2,Thôn B1,residential_area,90010,true,2025-07-01,90002-1\n" +
	"90020-1,Thôn A2,residential_area,90020,true,2025-07-01,90001-2\n" +
	"90020-2,Thôn A3,residential_area,90020,true,2025-07-01,90001-3\n"

// 2024 on the old tree: households, cultured households and population
// at the areas; the fund and two counts at the committees.
const splitValues = "dataelement,period,orgunit,value\n" +
	"E_QUY,2024,90,5000\nE_QUY,2024,900,2000\nE_QUY,2024,90001,1000\nE_QUY,2024,90002,500\n" +
	"E_ND,2024,90,5\nE_GS,2024,90,4\nE_ND,2024,900,3\nE_GS,2024,900,3\n" +
	"E_ND,2024,90001,40\nE_GS,2024,90001,30\nE_ND,2024,90002,10\nE_GS,2024,90002,10\n" +
	"E_HO,2024,90001-1,100\nE_HVH,2024,90001-1,90\nE_DANSO,2024,90001-1,500\n" +
	"E_HO,2024,90001-2,300\nE_HVH,2024,90001-2,240\nE_DANSO,2024,90001-2,1000\n" +
	"E_HO,2024,90001-3,100\nE_HVH,2024,90001-3,100\nE_DANSO,2024,90001-3,500\n" +
	"E_HO,2024,90002-1,200\nE_HVH,2024,90002-1,190\nE_DANSO,2024,90002-1,700\n" +
	// 2026 on the new tree, to read back on the old one.
	"E_QUY,2026,90010,1200\nE_QUY,2026,90020,800\n"

// Split loads a small tree split by the 2025 reform (splitOld, then
// splitMerges and splitAreas on 1/7/2025) and the program
// internal/store/testdata/split-program.yaml, with figures of 2024 on the
// old tree and of 2026 on the new one.
func Split(t testing.TB, s *store.Store) *program.Program {
	t.Helper()
	ctx := context.Background()
	importUnits(t, s, splitOld, "2020-01-01")
	data, err := os.ReadFile(repoFile("internal/store/testdata/split-program.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	prog, err := program.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveProgram(ctx, Actor, prog); err != nil {
		t.Fatal(err)
	}
	importUnits(t, s, splitMerges, "2025-07-01")
	importUnits(t, s, splitAreas, "2025-07-01")
	rows, err := value.Parse(strings.NewReader(splitValues))
	if err != nil {
		t.Fatal(err)
	}
	root, _ := s.Root(ctx)
	if _, err := s.ImportValues(ctx, rows, store.ImportOptions{Actor: Actor, Scope: root, Source: "test", Today: "2026-12-31"}); err != nil {
		t.Fatal(err)
	}
	return prog
}

func importUnits(t testing.TB, s *store.Store, data, date string) {
	t.Helper()
	f, err := unit.Parse(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportUnits(context.Background(), Actor, f, unit.Options{Date: date}); err != nil {
		t.Fatal(err)
	}
}
