package imports

import (
	"bytes"
	"testing"

	"mattran/internal/limits"
	"mattran/internal/value"
)

// FuzzScanValues: the quick pass before an import queues never panics,
// never counts past one beyond the limit, and agrees with the value
// parser wherever both read the file: the same number of values, and
// every unit code the parser read is one the pass names.
//
//	go test -run XXX -fuzz FuzzScanValues -fuzztime 1m ./internal/imports/
func FuzzScanValues(f *testing.F) {
	for _, seed := range []string{
		"dataelement,period,orgunit,value\nA,2024,07201,1\nA,2024,07207,2\n",
		"\ufeffDataElement;Period;OrgUnit;Value\nA;2024;24;1\n",
		`{"orgUnit":"213","dataValues":[{"dataElement":"A","period":"2024","value":"1"},{"dataElement":"A","orgUnit":"07201","period":"2024","value":"2"}]}`,
		`{"dataValues":[{"orgUnit":5}]}`,
		"dataelement,period,orgunit,value\n\"A\n\",2024,\"0,7\",1\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ScanValues(bytes.NewReader(data))
		if err != nil {
			if err != ErrUnread {
				t.Fatalf("ScanValues: %v, want nil or ErrUnread", err)
			}
			return
		}
		if sc.Rows > limits.ImportRows+1 {
			t.Fatalf("counted %d values, past the limit", sc.Rows)
		}
		rows, perr := value.Parse(bytes.NewReader(data))
		if perr != nil {
			return // the parser refuses what the pass let through: it says why, in turn
		}
		if len(rows) != sc.Rows {
			t.Fatalf("the pass counted %d values, the parser read %d", sc.Rows, len(rows))
		}
		for _, r := range rows {
			if _, ok := sc.Codes[r.OrgUnit]; r.OrgUnit != "" && !ok {
				t.Fatalf("the parser read unit %q, which the pass does not name", r.OrgUnit)
			}
		}
	})
}
