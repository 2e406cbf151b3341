package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/value"
)

// An import is validated and written a chunk at a time (ImportStream).
// With one row per chunk, every check that spans rows spans chunks: the
// file must still be applied whole or not at all, with the same refusals,
// counts and roll-ups as in one piece.
func TestValuesImportInChunks(t *testing.T) {
	old := store.ImportChunk
	store.ImportChunk = 1
	t.Cleanup(func() { store.ImportChunk = old })
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fixture(t, s)
		if sum := mustImport(t, s, households2024); sum.Imported != 9 {
			t.Fatalf("first import = %+v, want 9 imported", sum)
		}
		if err := s.VerifyRollups(ctx); err != nil {
			t.Fatal(err)
		}
		values, rollups, changes := count(t, s, "data_values"), count(t, s, "data_rollups"), count(t, s, "value_changes")
		unchanged := func(what string) {
			t.Helper()
			if v, r, c := count(t, s, "data_values"), count(t, s, "data_rollups"), count(t, s, "value_changes"); v != values || r != rollups || c != changes {
				t.Errorf("%s changed the tables: values %d → %d, roll-ups %d → %d, changes %d → %d", what, values, v, rollups, r, changes, c)
			}
		}
		refusal := func(data string) map[int]string {
			t.Helper()
			byLine, _ := refusedLines(t, s, data)
			return byLine
		}

		// The second of two rows for one value, chunks apart, with
		// another number: refused, naming the first.
		got := refusal("dataelement,period,orgunit,value\nCT2_HGD_TONG,2023,KDC-1,7\nCT2_HGD_VANHOA,2023,KDC-2,4\nCT2_HGD_TONG,2023,KDC-1,8\n")
		if !strings.Contains(got[4], "trùng chỉ số, đơn vị và kỳ với dòng 2") || len(got) != 1 {
			t.Errorf("duplicate across chunks: %v", got)
		}
		unchanged("a refused duplicate")

		// A part written in an earlier chunk than its whole, which it
		// exceeds; and a whole below a part that came before it.
		got = refusal("dataelement,period,orgunit,value\nCT2_HGD_VANHOA,2023,KDC-1,12\nCT2_HGD_TONG,2023,KDC-2,3\nCT2_HGD_TONG,2023,KDC-1,10\nCT2_HGD_VANHOA,2023,KDC-2,2\n")
		if !strings.Contains(got[2], "lớn hơn CT2_HGD_TONG = 10") || len(got) != 1 {
			t.Errorf("part above its whole across chunks: %v", got)
		}
		unchanged("a part above its whole")

		// The same value twice with the same number counts once.
		sum := mustImport(t, s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2023,KDC-1,10\nCT2_HGD_VANHOA,2023,KDC-1,9\nCT2_HGD_TONG,2023,KDC-1,10\nCT2_HGD_VANHOA,2024,KDC-2,41\nCT2_HGD_TONG,2024,KDC-3,80\n")
		if sum.Imported != 2 || sum.Updated != 1 || sum.Ignored != 1 {
			t.Errorf("mixed import = %+v, want 2 imported, 1 updated, 1 ignored", sum)
		}
		var imported, updated, ignored int
		if err := s.DB.QueryRow(`SELECT imported, updated, ignored FROM value_changes ORDER BY id DESC LIMIT 1`).Scan(&imported, &updated, &ignored); err != nil {
			t.Fatal(err)
		}
		if imported != 2 || updated != 1 || ignored != 1 {
			t.Errorf("change record counts %d/%d/%d, want 2/1/1", imported, updated, ignored)
		}
		if err := s.VerifyRollups(ctx); err != nil {
			t.Error(err)
		}

		// A file that cannot be read to its end writes nothing, even
		// after its first chunks were written.
		values, rollups, changes = count(t, s, "data_values"), count(t, s, "data_rollups"), count(t, s, "value_changes")
		root, _ := s.Root(ctx)
		broken := errors.New("connection lost")
		_, err := s.ImportStream(ctx, func(fn func([]value.Row) error) error {
			err := value.ParseEach(strings.NewReader("dataelement,period,orgunit,value\nCT2_HGD_TONG,2022,KDC-1,5\nCT2_HGD_TONG,2022,KDC-2,6\n"), 1, fn)
			if err != nil {
				return err
			}
			return broken
		}, store.ImportOptions{Actor: tester, Scope: root, Source: "test", Today: "2026-11-27"})
		if !errors.Is(err, broken) {
			t.Errorf("broken source: err = %v", err)
		}
		unchanged("a file cut short")
	})
}

// A chunk of thousands of new values goes to PostgreSQL as one binary
// COPY encoded by the store itself (copyValues). Every value must come
// back as it was sent, at its unit's path and id, under the import's
// change row, with roll-ups to match; a second import of the same file
// changes nothing.
func TestValuesImportCopiesManyValues(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fixture(t, s)
		elements, err := s.Elements(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.AllUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Yearly elements typed in every year, no part of a whole and no
		// whole of a part (which would need its parts below it): counts and
		// a percentage, whose fractions must come back to the last bit.
		wholes := map[string]bool{}
		for _, e := range elements {
			wholes[e.Denominator] = true
		}
		var codes []string
		for code, e := range elements {
			if e.Type == period.Yearly && e.Denominator == "" && !wholes[code] && e.Source == "reported" &&
				e.ValueType != program.Boolean {
				codes = append(codes, code)
			}
		}
		slices.Sort(codes)
		var csv strings.Builder
		csv.WriteString("dataelement,period,orgunit,value\n")
		want := map[string]string{}
		n := 0
		for _, code := range codes {
			for _, u := range all {
				if !elements[code].CollectedAtKind(u.Kind) || u.ValidFrom > "2020-01-01" || u.ValidTo < "2025-12-31" {
					continue
				}
				for year := 2020; year <= 2025; year++ {
					// Whole numbers up to 2^53, the largest a float64 holds exactly.
					v := strconv.FormatInt((int64(n)*7919+int64(year))%(1<<53-1)*int64(1+n%3*1000003), 10)
					if n%997 == 0 {
						v = strconv.FormatInt(1<<53, 10)
					}
					if elements[code].ValueType == program.Percent {
						v = strconv.FormatFloat(float64(n%701)/7, 'f', -1, 64)
					}
					fmt.Fprintf(&csv, "%s,%d,%s,%s\n", code, year, u.Code, v)
					want[fmt.Sprintf("%s/%d/%s", code, year, u.Code)] = v
					n++
				}
			}
		}
		if n < 3000 {
			t.Fatalf("only %d values: the COPY path needs thousands", n)
		}
		// Every unit read at once, as a bulk file's import does.
		defer store.SetBulkUnitCodesForTest(0)()
		sum := mustImport(t, s, csv.String())
		if sum.Imported != n {
			t.Fatalf("import = %+v, want %d imported", sum, n)
		}
		root, _ := s.Root(ctx)
		got, err := s.ExportValues(ctx, store.ExportFilter{Unit: root, Children: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Fatalf("exported %d values, want %d", len(got), n)
		}
		for _, x := range got {
			if k := x.DataElement + "/" + x.Period + "/" + x.OrgUnit; want[k] != x.Value {
				t.Fatalf("%s = %s, want %s", k, x.Value, want[k])
			}
		}
		var wrong int
		if err := s.DB.QueryRow(`SELECT count(*) FROM data_values v LEFT JOIN units u ON u.id = v.unit_id AND u.path = v.unit_path
			WHERE u.id IS NULL OR v.change_id <> (SELECT max(id) FROM value_changes)`).Scan(&wrong); err != nil {
			t.Fatal(err)
		}
		if wrong != 0 {
			t.Errorf("%d values with another unit's path or another change", wrong)
		}
		if err := s.VerifyRollups(ctx); err != nil {
			t.Error(err)
		}
		if sum := mustImport(t, s, csv.String()); sum.Imported != 0 || sum.Updated != 0 || sum.Ignored != n {
			t.Errorf("the same file again = %+v, want %d ignored", sum, n)
		}
	})
}
