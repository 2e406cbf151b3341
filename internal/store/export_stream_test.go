package store_test

import (
	"context"
	"reflect"
	"testing"

	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// EachValue reads a page at a time; paged with two values a page, an
// export gives the same values in the same order as in one page.
func TestExportPaged(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		storetest.Fixture(t, s)
		if err := storetest.ImportCSV(s, households2024+"CT2_HGD_TONG,2023,KDC-1,90\nCT2_HGD_TONG,2023,KDC-3,75\nCT2_HGD_TONG,2022,KDC-2,40\n"); err != nil {
			t.Fatal(err)
		}
		bg, _ := s.UnitAt(ctx, "24", "2024-12-31")
		p2024, _ := period.Parse("2024")
		for _, f := range []store.ExportFilter{
			{Unit: bg, Children: true},
			{Unit: bg, Children: true, Periods: []period.Period{p2024}},
			{Unit: bg, Children: true, Elements: []string{"CT2_HGD_TONG"}},
		} {
			whole, err := s.ExportValues(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			restore := store.SetExportPageForTest(2)
			paged, err := s.ExportValues(ctx, f)
			restore()
			if err != nil {
				t.Fatal(err)
			}
			if len(whole) < 3 || !reflect.DeepEqual(whole, paged) {
				t.Errorf("filter %+v: in one page %d values, paged by two %d:\n%v\n%v", f, len(whole), len(paged), whole, paged)
			}
		}
	})
}
