package value

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"mattran/internal/period"
	"mattran/internal/unit"
)

// ParseEach gives the rows Parse gives, in order, in chunks of the size
// asked; JSON values that take the top-level period or orgUnit get it
// even when it comes after them; fn's error stops the reading.
func TestParseEachChunks(t *testing.T) {
	files := map[string]string{
		"csv":             "dataelement,period,orgunit,value\nA,2024,X,1\nB,2024,X,2\nA,2024,Y,3\nB,2024,Y,4\nA,2024,Z,5\n",
		"json":            `{"dataValues": [{"dataElement": "A", "period": "2024", "orgUnit": "X", "value": "1"}, {"dataElement": "B", "period": "2024", "orgUnit": "X", "value": "2"}, {"dataElement": "A", "period": "2024", "orgUnit": "Y", "value": "3"}]}`,
		"json, top after": `{"dataValues": [{"dataElement": "A", "period": "2024", "orgUnit": "X", "value": "1"}, {"dataElement": "B", "orgUnit": "X", "value": "2"}, {"dataElement": "A", "period": "2024", "value": "3"}], "period": "2023", "orgUnit": "T"}`,
	}
	for name, data := range files {
		want, err := Parse(strings.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{1, 2, 100} {
			var got []Row
			chunks := 0
			err := ParseEach(strings.NewReader(data), size, func(rows []Row) error {
				if len(rows) > size || len(rows) == 0 {
					t.Errorf("%s: a chunk of %d rows, asked %d", name, len(rows), size)
				}
				chunks++
				got = append(got, rows...)
				return nil
			})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s in chunks of %d:\n got %+v\nwant %+v", name, size, got, want)
			}
			if min := (len(want) + size - 1) / size; chunks < min {
				t.Errorf("%s: %d chunks of %d for %d rows", name, chunks, size, len(want))
			}
		}
	}
	stop := errors.New("stop")
	calls := 0
	err := ParseEach(strings.NewReader(files["csv"]), 2, func([]Row) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("fn's error: %v after %d calls, want it at once", err, calls)
	}
	calls = 0
	err = ParseEach(strings.NewReader(files["json"]), 1, func([]Row) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("fn's error in JSON: %v after %d calls, want it at once", err, calls)
	}
}

// A batch knows a value again whether its ids pack into its compact key
// or not.
func TestBatchWideIDs(t *testing.T) {
	b := NewBatch()
	p := period.MustParse("2024")
	e := &Element{ID: 70000}
	for _, id := range []int64{7, 1 << 33} {
		u := &unit.Unit{ID: id}
		b.put(b.key(e, u, p), batchEntry{number: float64(id), line: 2})
		if n, ok := b.get(e.ID, u, p); !ok || n != float64(id) {
			t.Errorf("unit %d: got %v, %v", id, n, ok)
		}
	}
	small := &Element{ID: 3}
	b.put(b.key(small, &unit.Unit{ID: 9}, p), batchEntry{number: 1})
	if k := unpack(mustPack(t, batchKey{unit: 9, element: 3, period: 0})); k != (batchKey{unit: 9, element: 3}) {
		t.Errorf("unpack = %+v", k)
	}
	if b.Len() != 3 || len(b.wide) != 2 {
		t.Errorf("%d values, %d wide; want 3 and 2", b.Len(), len(b.wide))
	}
}

func mustPack(t *testing.T, k batchKey) uint64 {
	p, ok := k.packed()
	if !ok {
		t.Fatalf("%+v does not pack", k)
	}
	return p
}
