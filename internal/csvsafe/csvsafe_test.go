package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestCellsOpenAsText(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`,
		"+1+1":                       "'+1+1",
		"-2+3":                       "'-2+3",
		"@SUM(A1)":                   "'@SUM(A1)",
		"\t=1":                       "'\t=1",
		"-12.5":                      "-12.5", // a number stays a number
		"+7":                         "+7",
		"Xã Tân Lập":                 "Xã Tân Lập",
		"":                           "",
		"'=x":                        "''=x", // an apostrophe typed before a formula survives a round trip
		"'abc":                       "'abc",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
		if got := Unescape(Cell(in)); got != in {
			t.Errorf("Unescape(Cell(%q)) = %q", in, got)
		}
	}
	var b bytes.Buffer
	w := NewWriter(&b)
	w.Write([]string{"=1+1", "Tên"})
	w.Flush()
	rec, err := csv.NewReader(&b).Read()
	if err != nil || rec[0] != "'=1+1" || rec[1] != "Tên" {
		t.Errorf("written %q, %v", rec, err)
	}
}

// FuzzCell: whatever the text, the cell a spreadsheet reads never starts
// as a formula, and Unescape gives the text back.
//
//	go test -run XXX -fuzz FuzzCell -fuzztime 1m ./internal/csvsafe/
func FuzzCell(f *testing.F) {
	for _, s := range []string{"=1+1", "-5", "'=x", "@", "Xã Tân Lập", "\t=", "''-x", "+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Cell(s)
		if risky(c) {
			t.Fatalf("Cell(%q) = %q, which a spreadsheet runs", s, c)
		}
		if got := Unescape(c); got != s {
			t.Fatalf("Unescape(Cell(%q)) = %q", s, got)
		}
	})
}
