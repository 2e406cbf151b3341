package ledgerindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// naive is the search as the SQL scan does it: every row, in the ledger's
// order, LIKE '%text%'.
func naive(rows []Row, q Query) []int64 {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b Row) int {
		if before(&a, &b) {
			return -1
		}
		return 1
	})
	var out []int64
	for _, r := range rows {
		if len(out) == q.Limit {
			break
		}
		if matchFilters(q, r.Day, r.Amount) && (q.Kind == "" || r.Kind == q.Kind) && strings.Contains(r.Text, q.Text) {
			out = append(out, r.ID)
		}
	}
	return out
}

func randomRows(rng *rand.Rand, from, n int) []Row {
	names := []string{"nguyen van duong", "tran thi hoa", "le van tu", "pham thi lan", "do minh duc", "cty tnhh an phat"}
	kinds := []string{"receipt", "disbursement", "transfer"}
	var rows []Row
	for i := range n {
		id := int64(from + i)
		rows = append(rows, Row{
			ID: id, Day: 20240901 + int32(rng.IntN(28)), Amount: int64(rng.IntN(50)+1) * 10_000 * int64(1-2*rng.IntN(2)),
			Kind: kinds[rng.IntN(3)],
			Text: fmt.Sprintf("%s | mbvcb.%d ung ho bao yagi ********%02d | %d.%d", names[rng.IntN(len(names))], 6900000000+id, rng.IntN(100), 5000+id%977, id%500),
		})
	}
	return rows
}

// TestSearchLikeScan: the index gives exactly the rows, in the order, that
// the scan gives, for common, rare and missing texts, every filter, limits
// smaller and larger than the matches, with and without a tail of later
// entries, and after the tail is sorted in.
func TestSearchLikeScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rows := randomRows(rng, 1, 3000)
	queries := []Query{
		{Text: "duong"}, {Text: "nguyen van", Limit: 7}, {Text: "do minh duc", From: 20240912, To: 20240915},
		{Text: "tran thi", Min: 100_000, Max: 300_000, Limit: 30}, {Text: "69000012"}, {Text: "khong co ai"},
		{Text: "ung ho", Kind: "receipt", Limit: 3}, {Text: "ung ho", Kind: "nothing"}, {Text: "du"}, {Text: ""},
		{Text: "", From: 20240920, Kind: "transfer", Limit: 40}, {Text: "| 5"}, {Text: "1 | 5"}, {Text: "u"},
		{Text: "yagi ********0"}, {Text: "duong | mbvcb.69000029"}, {Text: "tu\x00 |"},
	}
	check := func(t *testing.T, ix *Index, all []Row) {
		t.Helper()
		for _, q := range queries {
			for _, limit := range []int{q.Limit, 1, 50, 5000} {
				if limit == 0 {
					continue
				}
				q.Limit = limit
				if got, want := ix.Search(q), naive(all, q); !slices.Equal(got, want) {
					t.Fatalf("%+v: index %d rows %v…, scan %d rows %v…", q, len(got), head(got), len(want), head(want))
				}
			}
		}
	}
	ix := New(rows)
	check(t, ix, rows)
	if ix.Len() != len(rows) || ix.MaxID() != 3000 {
		t.Fatalf("Len %d, MaxID %d", ix.Len(), ix.MaxID())
	}
	// Later entries, some with older value dates: kept in the tail.
	more := randomRows(rng, 3001, 500)
	ix2 := ix.With(more)
	if len(ix2.tail) != 500 || ix2.MaxID() != 3500 {
		t.Fatalf("tail %d, MaxID %d", len(ix2.tail), ix2.MaxID())
	}
	all := append(slices.Clone(rows), more...)
	check(t, ix2, all)
	check(t, ix, rows) // the old snapshot is unchanged
	// Enough to pass the tail's bound: a new snapshot, no tail.
	most := randomRows(rng, 3501, 5000)
	ix3 := ix2.With(most)
	if len(ix3.tail) != 0 || ix3.Len() != 8500 {
		t.Fatalf("tail %d, Len %d", len(ix3.tail), ix3.Len())
	}
	check(t, ix3, append(all, most...))
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 5)] }

// TestEmpty: an index of nothing finds nothing.
func TestEmpty(t *testing.T) {
	ix := New(nil)
	if got := ix.Search(Query{Text: "a", Limit: 10}); len(got) != 0 {
		t.Fatal(got)
	}
	if got := ix.With([]Row{{ID: 1, Day: 20240101, Text: "abc"}}).Search(Query{Text: "b", Limit: 10}); !slices.Equal(got, []int64{1}) {
		t.Fatal(got)
	}
}

// FuzzSearch compares the index with the scan on rows and a text the fuzzer
// chooses.
func FuzzSearch(f *testing.F) {
	f.Add("nguyen van duong|tran thi hoa|abc", "van", int32(0), int64(0))
	f.Add("aaaa|aaa|aa", "aa", int32(20240905), int64(20_000))
	f.Fuzz(func(t *testing.T, texts, text string, from int32, min int64) {
		if len(texts) > 4000 || len(text) > 100 {
			return
		}
		var rows []Row
		for i, s := range strings.Split(texts, "|") {
			rows = append(rows, Row{ID: int64(i + 1), Day: 20240901 + int32(i%9), Amount: int64(i) * 10_000, Kind: "receipt", Text: strings.ReplaceAll(s, "\x00", " ")})
		}
		q := Query{Text: text, From: from, Min: min, Limit: 10}
		half := len(rows) / 2
		ix := New(rows[:half]).With(rows[half:])
		if got, want := ix.Search(q), naive(rows, q); !slices.Equal(got, want) && !strings.Contains(text, "\x00") {
			t.Fatalf("%+v: index %v, scan %v", q, got, want)
		}
	})
}
