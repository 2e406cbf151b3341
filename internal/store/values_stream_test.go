package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

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
