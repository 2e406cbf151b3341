package value

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"
	"time"
)

// The streaming JSON writer writes what json.Encoder wrote for the whole
// set at once, byte for byte, so clients see no change.
func TestJSONWriterAsEncoder(t *testing.T) {
	at := time.Date(2024, 3, 1, 2, 3, 4, 0, time.UTC)
	for _, values := range [][]Exported{
		nil,
		{{DataElement: "A", Period: "2024", OrgUnit: "24", Value: "1", StoredBy: "x<y>&", LastUpdated: at}},
		{{DataElement: "A", Period: "2024", OrgUnit: "24", Value: "1", LastUpdated: at}, {DataElement: "B", Period: "2024Q1", OrgUnit: "07201", Value: "12.5", StoredBy: "canbo.xa", LastUpdated: at}},
	} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", " ")
		all := values
		if all == nil {
			all = []Exported{}
		}
		enc.Encode(map[string]any{"dataValues": all})
		var got bytes.Buffer
		w := NewJSONWriter(&got)
		for _, v := range values {
			if err := w.Write(v); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("streamed:\n%s\nencoder:\n%s", got.String(), want.String())
		}
	}
}

// A unit code or an actor that a spreadsheet would run as a formula is
// exported as text (issue 8, item 9); values, negative ones too, stay
// numbers.
func TestCSVExportIsNoFormula(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, []Exported{{DataElement: "A", Period: "2024", OrgUnit: `=HYPERLINK("http://x","bấm")`, Value: "-0.5", StoredBy: "@cli", LastUpdated: time.Unix(0, 0)}}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	row := recs[1]
	if row[2] != `'=HYPERLINK("http://x","bấm")` || row[4] != "'@cli" || row[3] != "-0.5" {
		t.Errorf("exported row %q: a formula is left live, or a number was changed", row)
	}
}
