package store_test

import (
	"context"
	"strings"
	"testing"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

const households2024 = `dataelement,period,orgunit,value
CT2_HGD_TONG,2024,KDC-1,100
CT2_HGD_VANHOA,2024,KDC-1,95
CT2_HGD_TONG,2024,KDC-2,50
CT2_HGD_VANHOA,2024,KDC-2,40
CT2_HGD_TONG,2024,KDC-3,80
CT2_HGD_VANHOA,2024,KDC-3,70
CT2_QUY_VNN,2024,07201,1000000000
CT2_QUY_VNN,2024,213,2000000000
CT2_QUY_VNN,2024,24,5000000000
`

func TestValuesImportRollUpAndReimport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fixture(t, s)
		sum := mustImport(t, s, households2024)
		if sum.Imported != 9 || sum.Updated != 0 || sum.Ignored != 0 {
			t.Fatalf("first import = %+v, want 9 imported", sum)
		}
		elements, _ := s.Elements(ctx)
		p2024 := period.MustParse("2024")
		figure := func(code string, el string) *float64 {
			u, err := s.UnitAt(ctx, code, "2024-12-31")
			if err != nil {
				t.Fatal(err)
			}
			pt, _, err := rollup.Analytics(ctx, s, nil, elements[el], u, p2024)
			if err != nil {
				t.Fatal(err)
			}
			return pt.Value
		}
		for _, c := range []struct {
			unit, element string
			want          float64
		}{
			{"KDC-1", "CT2_HGD_TONG", 100},
			{"07201", "CT2_HGD_TONG", 150},
			{"213", "CT2_HGD_TONG", 230},
			{"24", "CT2_HGD_TONG", 230},
			{"TW", "CT2_HGD_TONG", 230},
			{"24", "CT2_QUY_VNN", 8e9},
			{"213", "CT2_QUY_VNN", 3e9},
		} {
			if got := figure(c.unit, c.element); got == nil || *got != c.want {
				t.Errorf("%s at %s = %v, want %v", c.element, c.unit, deref(got), c.want)
			}
		}
		if got := figure("07210", "CT2_HGD_TONG"); got != nil {
			t.Errorf("a commune with no data has figure %v, want none", *got)
		}

		// By children: the district's communes, with data only where entered.
		district, _ := s.UnitAt(ctx, "213", "2024-12-31")
		kids, _ := s.Children(ctx, district, "2024-12-31")
		_, byChild, err := rollup.Analytics(ctx, s, kids, elements["CT2_HGD_TONG"], district, p2024)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, pt := range byChild {
			if pt.Value != nil {
				got[pt.Unit.Code] = *pt.Value
			}
		}
		if len(byChild) != len(kids) || len(got) != 2 || got["07201"] != 150 || got["07207"] != 80 {
			t.Errorf("children of 213: %v (of %d children)", got, len(byChild))
		}

		// A unit's figure is its own entries plus its children's figures.
		bg, _ := s.UnitAt(ctx, "24", "2024-12-31")
		districts, _ := s.Children(ctx, bg, "2024-12-31")
		at, below, err := rollup.Analytics(ctx, s, districts, elements["CT2_QUY_VNN"], bg, p2024)
		if err != nil {
			t.Fatal(err)
		}
		total := deref(at.Own).(float64)
		for _, pt := range below {
			if pt.Value != nil {
				total += *pt.Value
			}
		}
		if at.Value == nil || *at.Value != total || *at.Own != 5e9 {
			t.Errorf("province fund: %v in all, %v of its own, %v own plus districts", deref(at.Value), deref(at.Own), total)
		}

		// The same file again changes nothing, not even the change log.
		changes := count(t, s, "value_changes")
		if sum := mustImport(t, s, households2024); sum.Ignored != 9 || sum.Imported+sum.Updated != 0 {
			t.Errorf("re-import = %+v, want all 9 ignored", sum)
		}
		if n := count(t, s, "value_changes"); n != changes {
			t.Errorf("re-import wrote a change record: %d → %d", changes, n)
		}

		// A changed value is audited with its before and after, and the
		// very next query sees it.
		sum = mustImport(t, s, "dataelement,period,orgunit,value\nCT2_HGD_VANHOA,2024,KDC-2,50\n")
		if sum.Updated != 1 {
			t.Errorf("update = %+v", sum)
		}
		if got := figure("24", "CT2_HGD_VANHOA"); got == nil || *got != 215 {
			t.Errorf("after the update, province gia đình văn hóa = %v, want 215", deref(got))
		}
		var before, after float64
		var actor string
		if err := s.DB.QueryRow(`SELECT a.before_value, a.after_value, c.actor FROM data_value_audit a JOIN value_changes c ON c.id = a.change_id`).Scan(&before, &after, &actor); err != nil {
			t.Fatal(err)
		}
		if before != 40 || after != 50 || actor != "test" {
			t.Errorf("audit = %v → %v by %s, want 40 → 50 by test", before, after, actor)
		}
		if err := s.VerifyRollups(ctx); err != nil {
			t.Error(err)
		}

		// Export gives back what was stored, in the exchange format.
		bg, _ = s.UnitAt(ctx, "24", "2024-12-31")
		out, err := s.ExportValues(ctx, store.ExportFilter{Unit: bg, Children: true, Periods: []period.Period{p2024}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 9 {
			t.Errorf("export has %d values, want 9", len(out))
		}
		one, _ := s.ExportValues(ctx, store.ExportFilter{Unit: bg, Elements: []string{"CT2_QUY_VNN"}})
		if len(one) != 1 || one[0].Value != "5000000000" || one[0].OrgUnit != "24" {
			t.Errorf("export of the province alone = %+v", one)
		}
	})
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func TestValuesImportRejectsEveryBadRowAndAppliesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fixture(t, s)
		mustImport(t, s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2023,KDC-3,10\nCT2_HGD_TONG,2024,KDC-3,10\n")
		bg, _ := s.UnitAt(ctx, "24", "2023-12-31")
		if err := s.LockPeriod(ctx, tester, bg, period.MustParse("2023")); err != nil {
			t.Fatal(err)
		}
		// Sending the approved year's stored value again changes nothing.
		if sum := mustImport(t, s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2023,KDC-3,10\n"); sum.Ignored != 1 {
			t.Errorf("repeating a locked value: %+v, want it ignored", sum)
		}
		before := count(t, s, "data_values")
		bad := `dataelement,period,orgunit,value
KHONG_CO,2024,KDC-1,1
CT2_HGD_TONG,2024,99999,1
CT2_HGD_TONG,2024Q5,KDC-1,1
CT2_HGD_TONG,2024,KDC-1,abc
CT2_HGD_TONG,2024,KDC-2,-5
CT2_HGD_TONG,2024,KDC-1,10
CT2_HGD_VANHOA,2024,KDC-1,12
TEST_PCT,2024,07201,101
CT2_HGD_VANHOA,2023,KDC-3,1
CT1_TTCTMT_NHAN,2024,KDC-1,1
CT2_HGD_TONG,2024,07201,10
CT2_HGD_TONG,2030,KDC-1,1
CT2_HGD_TONG,2024,KDC-1,11
CT2_HGD_VANHOA,2024,KDC-3,11
CT2_HGD_TONG,2024,KDC-2,2.5
`
		byLine, e := refusedLines(t, s, bad)
		for line, want := range map[int]string{
			2:  `không có chỉ số "KHONG_CO"`,
			3:  `không có đơn vị mã "99999"`,
			4:  `quý phải từ 1 đến 4`,
			5:  `không phải là số`,
			6:  `số âm`,
			8:  `lớn hơn CT2_HGD_TONG = 10`,
			9:  `phải từ 0 đến 100`,
			10: `đã được duyệt và khóa`,
			11: `nhập theo quý`,
			12: `không thu thập ở cấp xã`,
			13: `chưa bắt đầu`,
			14: `trùng chỉ số, đơn vị và kỳ với dòng 7`,
			15: `lớn hơn CT2_HGD_TONG = 10`,
			16: `phải là số nguyên`,
		} {
			if !strings.Contains(byLine[line], want) {
				t.Errorf("line %d: got %q, want it to say %q", line, byLine[line], want)
			}
		}
		if len(e.Details) != 14 {
			t.Errorf("%d errors reported, want 14: %v", len(e.Details), byLine)
		}
		if after := count(t, s, "data_values"); after != before {
			t.Errorf("a rejected file changed the values: %d → %d", before, after)
		}

		// Unlocking reopens the year; a second unlock finds nothing to open.
		if err := s.UnlockPeriod(ctx, tester, bg, period.MustParse("2023")); err != nil {
			t.Fatal(err)
		}
		mustImport(t, s, "dataelement,period,orgunit,value\nCT2_HGD_VANHOA,2023,KDC-3,1\n")
		if err := s.UnlockPeriod(ctx, tester, bg, period.MustParse("2023")); !errs.Is(err, errs.NotFound) {
			t.Errorf("second unlock: %v, want not found", err)
		}

		// Lowering a stored denominator below its stored numerator is caught too.
		mustImport(t, s, "dataelement,period,orgunit,value\nCT2_HGD_VANHOA,2024,KDC-3,8\n")
		_, err := importValues(t, s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-3,5\n")
		if err == nil || !strings.Contains(err.Error(), "nhỏ hơn CT2_HGD_VANHOA = 8") {
			t.Errorf("lowering the denominator: err = %v", err)
		}
	})
}

func TestValuesJSONErrorsNameTheLine(t *testing.T) {
	s := storetest.SQLite(t)
	fixture(t, s)
	doc := `{
  "period": "2024",
  "dataValues": [
    {"dataElement": "CT2_HGD_TONG", "orgUnit": "KDC-1", "value": "10"},
    {"dataElement": "CT2_HGD_TONG", "orgUnit": "KDC-2", "value": -1}
  ]
}`
	_, err := importValues(t, s, doc)
	e, ok := errs.As(err)
	if !ok || len(e.Details) != 1 || e.Details[0].Row != 5 || !strings.Contains(e.Details[0].String(), "dòng 5 (giá trị thứ 2)") {
		t.Fatalf("err = %v (%+v), want line 5, the second value", err, e)
	}
	if n := count(t, s, "data_values"); n != 0 {
		t.Errorf("%d values stored from a rejected request", n)
	}
	if _, err := importValues(t, s, `{"dataValues": [{"dataElement": "CT2_HGD_TONG", "orgUnit": "KDC-1", "period": "2024", "value": "10"`); err == nil || !strings.Contains(err.Error(), "JSON không hợp lệ") {
		t.Errorf("truncated JSON: err = %v", err)
	}
	_ = unit.Forever
}

// The casework counts (T3.x) were typed until 2023; from 2024 the
// casework module computes them, and a typed or imported figure of those
// years is refused, while 2023's is still taken.
func TestValuesTypedUntil(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		mustImport(t, s, "dataelement,period,orgunit,value\nCT3_GIAMSAT,2023,07201,4\n")
		before := count(t, s, "data_values")
		byLine, _ := refusedLines(t, s, "dataelement,period,orgunit,value\nCT3_GIAMSAT,2024,07201,4\n")
		if !strings.Contains(byLine[2], "được tính tự động (derived:casework)") || !strings.Contains(byLine[2], "CT3_GIAMSAT") {
			t.Errorf("typed 2024 casework figure: %q, want it refused as computed", byLine[2])
		}
		if after := count(t, s, "data_values"); after != before {
			t.Errorf("the refused file changed the values: %d → %d", before, after)
		}
	})
}
