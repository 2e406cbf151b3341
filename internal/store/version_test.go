package store_test

import (
	"context"
	"testing"

	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// A value written in a residential area raises the versions of the area
// and its ancestors, so their cached pages are remade, and leaves the
// sibling commune's alone; a program change raises the global version.
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
		if v := versions()["07201"]; v.Global == after["07201"].Global {
			t.Error("a lock did not raise the global version")
		}
	})
}
