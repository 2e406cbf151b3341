package value

import (
	"errors"
	"reflect"
	"strings"
	"testing"
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
