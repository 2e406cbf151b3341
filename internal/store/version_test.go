package store_test

import (
	"context"
	"strings"
	"testing"

	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

// A value written in a residential area raises the versions of the area
// and its ancestors, so their cached pages are remade, and leaves the
// sibling commune's alone; a lock raises nothing, a new unit the global
// version.
func TestVersionsFollowTheWrittenSubtree(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		storetest.Fixture(t, s)
		ctx := context.Background()
		versions := func() map[string]store.Version {
			out := map[string]store.Version{}
			for _, code := range []string{"24", "213", "07201", "07207", "KDC-3"} {
				u, err := s.UnitAt(ctx, code, "2024-12-31")
				if err != nil {
					t.Fatal(err)
				}
				if out[code], err = s.DataVersion(ctx, u); err != nil {
					t.Fatal(err)
				}
			}
			return out
		}
		before := versions()
		if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-3,120\n"); err != nil {
			t.Fatal(err)
		}
		after := versions()
		for code, raised := range map[string]bool{"24": true, "213": true, "07207": true, "KDC-3": true, "07201": false} {
			if got := after[code].Unit > before[code].Unit; got != raised {
				t.Errorf("unit %s: version %d → %d, raised %v, want %v", code, before[code].Unit, after[code].Unit, got, raised)
			}
			if after[code].Global != before[code].Global {
				t.Errorf("a value write raised the global version")
			}
		}
		root, err := s.Root(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.LockPeriod(ctx, storetest.Actor, root, period.MustParse("2023")); err != nil {
			t.Fatal(err)
		}
		// A lock changes no cached content (the public page reads locks on
		// every request); a new unit changes every page's unit lists.
		if v := versions()["07201"]; v != after["07201"] {
			t.Errorf("a lock changed the commune's versions: %+v → %+v", after["07201"], v)
		}
		parsed, err := unit.Parse(strings.NewReader("code,name,kind,parent_code,synthetic\nKDC-4,Tổ dân phố 4,residential_area,07201,true\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportUnits(ctx, storetest.Actor, parsed, unit.Options{Date: "2024-01-01"}); err != nil {
			t.Fatal(err)
		}
		if v := versions()["07207"]; v.Global == after["07207"].Global {
			t.Error("a new unit did not raise the global version")
		}
	})
}

// A write touching more units than MaxScopedBump raises the global
// version; one touching fewer, spread over several communes, raises each
// written unit's version and its ancestors', in one statement, and leaves
// the others alone.
func TestWideWriteRaisesTheGlobalVersion(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		storetest.Fixture(t, s)
		ctx := context.Background()
		version := func(code string) store.Version {
			u, err := s.UnitAt(ctx, code, "2024-12-31")
			if err != nil {
				t.Fatal(err)
			}
			v, err := s.DataVersion(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		before := map[string]store.Version{}
		codes := []string{"24", "213", "07201", "07207", "KDC-1", "KDC-3"}
		for _, code := range codes {
			before[code] = version(code)
		}
		// KDC-3 is in 07207, KDC-1 in 07201; KDC-2 is not written.
		if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-3,130\nCT2_HGD_TONG,2024,KDC-1,90\n"); err != nil {
			t.Fatal(err)
		}
		if v := version("KDC-2"); v.Unit != 0 {
			t.Errorf("KDC-2, not written, has version %+v", v)
		}
		for _, code := range codes {
			if after := version(code); after.Unit != before[code].Unit+1 || after.Global != before[code].Global {
				t.Errorf("unit %s: version %+v → %+v, want the unit's raised by one and the global the same", code, before[code], after)
			}
		}
		defer func(n int) { store.MaxScopedBump = n }(store.MaxScopedBump)
		store.MaxScopedBump = 2
		global := version("24").Global
		if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-3,131\nCT2_HGD_TONG,2024,KDC-1,91\n"); err != nil {
			t.Fatal(err)
		}
		if v := version("24"); v.Global == global {
			t.Errorf("a write of %d units' figures, over the limit of 2, left the global version at %d", 5, global)
		}
	})
}
