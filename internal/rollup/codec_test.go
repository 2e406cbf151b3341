package rollup

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// A reading reads back exactly as it was, compact or as the JSON kept
// before: every number, nil and empty apart, labels with any character.
func TestReadingCodec(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	cases := []Reading{
		{Status: NotApplicable},
		{Status: NoData, Parts: []Part{}},
		{Value: f(0.1 + 0.2), Status: Met, Parts: []Part{{Label: "Tỷ lệ\t\"hộ\"\nvăn hóa", Percent: true, Value: f(92.30769230769231), Numerator: f(12), Denominator: f(13), Comparator: ">=", Threshold: f(90), OwnThreshold: true, Status: Met}}},
		{Value: f(-5e-324), Status: NotMet, Parts: []Part{{Label: "", Value: f(math.MaxFloat64), Previous: f(1e21), Comparator: "ge_previous_year", Status: NotMet}, {Label: "b", Status: NoData}}},
	}
	for i, r := range cases {
		want, _ := json.Marshal(r)
		got, err := DecodeReading(string(EncodeReading(r)))
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if g, _ := json.Marshal(got); string(g) != string(want) {
			t.Errorf("case %d: compact reads back %s, want %s", i, g, want)
		}
		got, err = DecodeReading(string(want))
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if g, _ := json.Marshal(got); string(g) != string(want) {
			t.Errorf("case %d: JSON reads back %s, want %s", i, g, want)
		}
	}
	for _, bad := range []string{"", "R\tmet", "R\tmet\t-\t2\nP\t\"a\"", "X\tmet\t-\t-"} {
		if _, err := DecodeReading(bad); err == nil {
			t.Errorf("%q: read without error", bad)
		}
	}
}

// BenchmarkReadingCodec encodes and decodes a typical kept reading (one
// percentage condition with its numerator and denominator), compact
// against JSON, and reports the bytes stored per reading.
func BenchmarkReadingCodec(b *testing.B) {
	f := func(x float64) *float64 { return &x }
	r := Reading{Value: f(92.30769230769231), Status: Met, Parts: []Part{{Label: "Tỷ lệ hộ gia đình văn hóa", Percent: true, Value: f(92.30769230769231), Numerator: f(12), Denominator: f(13), Comparator: ">=", Threshold: f(90), Status: Met}}}
	b.Run("json", func(b *testing.B) {
		doc, _ := json.Marshal(r)
		b.ReportMetric(float64(len(doc)), "bytes")
		for range b.N {
			doc, _ := json.Marshal(r)
			var got Reading
			if err := json.Unmarshal(doc, &got); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("compact", func(b *testing.B) {
		b.ReportMetric(float64(len(EncodeReading(r))), "bytes")
		for range b.N {
			if _, err := DecodeReading(string(EncodeReading(r))); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FuzzDecodeReading: any stored text decodes without panicking, and what
// decodes encodes back to a reading that decodes the same.
func FuzzDecodeReading(f *testing.F) {
	x := 12.5
	f.Add(string(EncodeReading(Reading{Value: &x, Status: Met, Parts: []Part{{Label: "a", Value: &x, Comparator: ">=", Threshold: &x, Status: Met}}})))
	f.Add(`{"value":null,"status":"no_data","parts":null}`)
	f.Add("R\tmet\t-\t99999999999")
	f.Fuzz(func(t *testing.T, doc string) {
		r, err := DecodeReading(doc)
		if err != nil || strings.HasPrefix(doc, "{") {
			return
		}
		again, err := DecodeReading(string(EncodeReading(r)))
		if err != nil {
			t.Fatalf("%q: re-encoded reading does not decode: %v", doc, err)
		}
		a, _ := json.Marshal(r)
		b, _ := json.Marshal(again)
		if string(a) != string(b) {
			t.Fatalf("%q: reads %s, then %s", doc, a, b)
		}
	})
}
