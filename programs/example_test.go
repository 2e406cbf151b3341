package programs

import (
	"reflect"
	"slices"
	"testing"

	"mattran/internal/program"
	"mattran/internal/unit"
)

func example(t *testing.T) *program.Program {
	t.Helper()
	data, err := Files.ReadFile(ExampleFile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := program.Parse(data)
	if err != nil {
		t.Fatalf("parse %s: %v", ExampleFile, err)
	}
	return p
}

// The example program of the 2025–2030 term says it is an example,
// continues the seed target by target, holds no district (the level is
// gone), and shares the seed's elements exactly, so that one element's
// figures are one series across both terms.
func TestExampleProgram(t *testing.T) {
	p, s := example(t), seed(t)
	if p.Example == "" || p.ExampleNote() == "" {
		t.Error("the example program does not say it is an example")
	}
	if p.Continues != s.Code || p.Term != (program.Term{From: 2025, To: 2030}) || p.OwnerUnit != "24" {
		t.Errorf("continues %q, term %+v, owner %q", p.Continues, p.Term, p.OwnerUnit)
	}
	continued := map[string]string{}
	for _, tg := range p.Targets() {
		if slices.Contains(tg.AppliesTo, unit.District) {
			t.Errorf("%s applies to districts, which no longer exist", tg.Code)
		}
		if tg.Continues == "" {
			continue
		}
		prev, ok := p.Previous(tg, s)
		if !ok {
			t.Errorf("%s continues %s, which the seed does not have", tg.Code, tg.Continues)
			continue
		}
		if prev.PeriodType != tg.PeriodType {
			t.Errorf("%s (%s) continues %s (%s): a trend needs the same period", tg.Code, tg.PeriodType, prev.Code, prev.PeriodType)
		}
		if other, dup := continued[tg.Continues]; dup {
			t.Errorf("%s and %s both continue %s", other, tg.Code, tg.Continues)
		}
		continued[tg.Continues] = tg.Code
	}
	// Every seed target is carried on but the district's own (T3.5).
	for _, tg := range s.Targets() {
		if _, ok := continued[tg.Code]; !ok && tg.Code != "T3.5" {
			t.Errorf("seed target %s is not continued", tg.Code)
		}
	}
	if continued["T3.6"] != "T3.5" || continued["T2.5"] != "T2.5" {
		t.Errorf("continuations %v", continued)
	}
	for _, e := range p.DataElements {
		if old, ok := s.Element(e.Code); ok && !reflect.DeepEqual(old, e) {
			t.Errorf("element %s differs from the seed's:\n%+v\n%+v", e.Code, old, e)
		}
	}
}
