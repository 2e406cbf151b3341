package unit

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// A name that a spreadsheet would run as a formula is exported as text,
// and the export reads back as it was (issue 8, item 9).
func TestWriteCSVNoFormula(t *testing.T) {
	units := []Unit{
		{ID: 2, Code: "24", Name: "Tỉnh Bắc Giang", Kind: Province, ValidFrom: Beginning, ValidTo: Forever},
		{ID: 3, Code: "213", Name: `=HYPERLINK("http://x","Bấm vào đây")`, Kind: District, ParentID: 2, ValidFrom: Beginning, ValidTo: Forever},
		{ID: 4, Code: "07201", Name: "+Phường Thọ Xương", Kind: Commune, ParentID: 3, ValidFrom: Beginning, ValidTo: Forever},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, units); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[2][1] != `'=HYPERLINK("http://x","Bấm vào đây")` || recs[3][1] != "'+Phường Thọ Xương" {
		t.Errorf("exported names %q, %q: a formula is left live", recs[2][1], recs[3][1])
	}
	f, err := Parse(&b)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range f.Records {
		if r.Name != units[i].Name {
			t.Errorf("read back %q, exported %q", r.Name, units[i].Name)
		}
	}
}
