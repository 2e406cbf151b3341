package evaluation

import (
	"fmt"
	"strings"
	"testing"

	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
)

func f(x float64) *float64 { return &x }

// own is a target's own reading: value against a ≥ threshold.
func own(code string, value *float64, threshold float64) rollup.TargetResult {
	r := rollup.TargetResult{Target: program.Target{Code: code}}
	part := rollup.Part{Percent: true, Value: value, Threshold: f(threshold), Comparator: program.GE}
	switch {
	case value == nil:
		part.Status = rollup.NoData
	case *value >= threshold:
		part.Status = rollup.Met
	default:
		part.Status = rollup.NotMet
	}
	r.Own = rollup.Reading{Value: value, Status: part.Status, Parts: []rollup.Part{part}}
	return r
}

func cover(code string, met, units int) rollup.TargetResult {
	r := rollup.TargetResult{Target: program.Target{Code: code}}
	r.Coverage = rollup.Coverage{Units: units, Met: met, NotMet: units - met, Status: rollup.NotMet}
	if units > 0 {
		r.Coverage.Percent = f(float64(met) * 100 / float64(units))
	}
	if met == units {
		r.Coverage.Status = rollup.Met
	}
	if units == 0 {
		r.Coverage.Status = rollup.NoData
	}
	return r
}

func TestDerivedRules(t *testing.T) {
	steps := []Step{{100, 10}, {90, 7}}
	cases := []struct {
		name string
		c    Criterion
		r    rollup.TargetResult
		want Points
	}{
		{"full, met", Criterion{Max: 15, Rule: Full, Reading: Own}, own("T", f(100), 100), 1500},
		{"full, 99.99% is missed", Criterion{Max: 15, Rule: Full, Reading: Own}, own("T", f(99.99), 100), 0},
		{"proportional 95%", Criterion{Max: 15, Rule: Proportional, Reading: Own}, own("T", f(95), 100), 1425},
		{"proportional over the threshold is capped", Criterion{Max: 15, Rule: Proportional, Reading: Own}, own("T", f(130), 100), 1500},
		{"proportional rounds to hundredths", Criterion{Max: 10, Rule: Proportional, Reading: Own}, own("T", f(2), 3), 667},
		{"steps ≥ 100%", Criterion{Max: 10, Rule: Steps, Steps: steps, Reading: Own}, own("T", f(80), 80), 1000},
		{"steps exactly 90%", Criterion{Max: 10, Rule: Steps, Steps: steps, Reading: Own}, own("T", f(90), 100), 700},
		{"steps 89.995% is below 90", Criterion{Max: 10, Rule: Steps, Steps: steps, Reading: Own}, own("T", f(89.995), 100), 0},
		{"missing data", Criterion{Max: 10, Rule: Proportional, Reading: Own}, own("T", nil, 100), 0},
		{"target not on the card", Criterion{Max: 10, Rule: Full, Reading: Own}, rollup.TargetResult{}, 0},
		{"coverage all met", Criterion{Max: 10, Rule: Full, Reading: Coverage}, cover("T", 12, 12), 1000},
		{"coverage 9/12 proportional", Criterion{Max: 12, Rule: Proportional, Reading: Coverage}, cover("T", 9, 12), 900},
		{"coverage 9/10 steps", Criterion{Max: 10, Rule: Steps, Steps: steps, Reading: Coverage}, cover("T", 9, 10), 700},
		{"coverage nothing below", Criterion{Max: 10, Rule: Full, Reading: Coverage}, cover("T", 0, 0), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.c.Target, c.c.Kind = "T", Derived
			got, src := derivedPoints(c.c, c.r, true)
			if got != c.want {
				t.Errorf("points = %s, want %s (%s)", got, c.want, src.Text)
			}
			if !strings.HasPrefix(src.Text, "T") || src.Target != "T" {
				t.Errorf("source %+v does not name the target", src)
			}
		})
	}
}

func TestWorkflowRules(t *testing.T) {
	cases := []struct {
		c    Criterion
		r    ReportFacts
		want Points
	}{
		{Criterion{Max: 5, Measure: OnTime}, ReportFacts{Due: 16, OnTime: 12}, 375},
		{Criterion{Max: 5, Measure: OnTime}, ReportFacts{}, 500},
		{Criterion{Max: 3, Measure: Returned, Per: 0.5}, ReportFacts{Returned: 2}, 200},
		{Criterion{Max: 3, Measure: Late, Per: 1}, ReportFacts{Late: 5}, 0},
	}
	for _, c := range cases {
		if got, src := workflowPoints(c.c, c.r); got != c.want {
			t.Errorf("%s %+v = %s, want %s (%s)", c.c.Measure, c.r, got, c.want, src.Text)
		}
	}
}

// guide100 is a guide of two groups of 50 points, all manual, so a test
// sets any total with entries.
func guide100(max float64) *Guide {
	return &Guide{Year: 2026, Level: unit.Commune, Program: "P", Name: "thử",
		Groups: []Group{
			{Code: "A", Name: "A", Max: max / 2, Criteria: []Criterion{{Code: "a", Name: "a", Max: max / 2, Kind: Manual}}},
			{Code: "B", Name: "B", Max: max / 2, Criteria: []Criterion{{Code: "b", Name: "b", Max: max / 2, Kind: Manual}}},
		},
		Bonus:      []Item{{Code: "t1", Name: "thưởng 1", Max: 3}, {Code: "t2", Name: "thưởng 2", Max: 3}},
		Deductions: []Item{{Code: "d1", Name: "trừ 1", Max: 10}},
		BonusCap:   5, DeductionCap: 4,
	}
}

func scoreWith(g *Guide, code string, pts map[string]Points) *Sheet {
	var es []Entry
	for c, p := range pts {
		es = append(es, Entry{Criterion: c, Stage: Verify, Points: p, Scorer: "x", On: "2026-12-01"})
	}
	s := Score(g, Facts{Unit: unit.Unit{Code: code}}, es)
	return s
}

func TestTotalsAndBands(t *testing.T) {
	cases := []struct {
		name  string
		max   float64
		pts   map[string]Points
		total Points
		class Class
		pct   string
	}{
		{"exactly 90.00%", 100, map[string]Points{"a": 4500, "b": 4500}, 9000, Excellent, "90,00%"},
		{"89.99 of 100", 100, map[string]Points{"a": 4500, "b": 4499}, 8999, Good, "89,99%"},
		{"89.995% (179.99 of 200)", 200, map[string]Points{"a": 9000, "b": 8999}, 17999, Good, "89,99%"},
		{"180.00 of 200", 200, map[string]Points{"a": 9000, "b": 9000}, 18000, Excellent, "90,00%"},
		{"70% is tốt", 100, map[string]Points{"a": 3500, "b": 3500}, 7000, Good, "70,00%"},
		{"50% is hoàn thành", 100, map[string]Points{"a": 5000}, 5000, Done, "50,00%"},
		{"49.99% is không hoàn thành", 100, map[string]Points{"a": 4999}, 4999, NotDone, "49,99%"},
		{"capped bonus: 3 + 3 gives 5", 100, map[string]Points{"a": 4000, "b": 4000, "t1": 300, "t2": 300}, 8500, Good, "85,00%"},
		{"bonus lifts over 90%", 100, map[string]Points{"a": 4300, "b": 4300, "t1": 300, "t2": 100}, 9000, Excellent, "90,00%"},
		{"capped deduction: 10 gives 4", 100, map[string]Points{"a": 5000, "b": 5000, "d1": 1000}, 9600, Excellent, "96,00%"},
		{"an entry over the line's max counts its max", 100, map[string]Points{"a": 9900}, 5000, Done, "50,00%"},
		{"nothing entered", 100, nil, 0, NotDone, "0,00%"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := scoreWith(guide100(c.max), "X", c.pts)
			if s.Total != c.total || s.Band != c.class || s.PercentText() != c.pct {
				t.Errorf("total %s (%s) %q; want %s (%s) %q", s.Total, s.PercentText(), s.Band, c.total, c.pct, c.class)
			}
		})
	}
}

func TestConfiguredBands(t *testing.T) {
	g := guide100(100)
	g.Bands = []Band{{Excellent, 95}, {Good, 80}, {Done, 60}}
	for _, c := range []struct {
		total Points
		want  Class
	}{{9500, Excellent}, {9499, Good}, {8000, Good}, {7999, Done}, {6000, Done}, {5999, NotDone}} {
		if got := BandOf(g, c.total); got != c.want {
			t.Errorf("%s → %q, want %q", c.total, got, c.want)
		}
	}
}

func TestCapBites(t *testing.T) {
	g := guide100(100)
	g.Cap = &Cap{Class: Excellent, Percent: 20, Of: Good}
	// Five units in the xuất sắc band, five in tốt, one hoàn thành: ten
	// are tốt or better, so at most 2 stay xuất sắc; the three lowest of
	// the five drop to tốt.
	totals := []Points{9900, 9500, 9300, 9100, 9000, 8900, 8000, 7500, 7000, 7000, 6000}
	var sheets []*Sheet
	for i, tot := range totals {
		sheets = append(sheets, scoreWith(g, fmt.Sprintf("U%02d", i), map[string]Points{"a": tot / 2, "b": tot - tot/2}))
	}
	order := Rank(g, sheets)
	var got []string
	for _, s := range order {
		d := ""
		if s.Dropped {
			d = "↓"
		}
		got = append(got, fmt.Sprintf("%d:%s:%s%s", s.Rank, s.Unit.Code, s.Class.Short(), d))
	}
	want := "1:U00:Xuất sắc 2:U01:Xuất sắc 3:U02:Tốt↓ 4:U03:Tốt↓ 5:U04:Tốt↓ 6:U05:Tốt 7:U06:Tốt 8:U07:Tốt 9:U08:Tốt 9:U09:Tốt 11:U10:Hoàn thành"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	// A cap that does not bite moves nobody.
	g.Cap.Percent = 50
	Rank(g, sheets)
	for _, s := range sheets {
		if s.Dropped {
			t.Errorf("%s dropped under a cap of 50%%", s.Unit.Code)
		}
	}
}

func TestTieBreakAndTitles(t *testing.T) {
	g := guide100(100)
	g.Groups[0].Criteria = []Criterion{{Code: "a", Name: "a", Max: 50, Kind: Workflow, Measure: OnTime}}
	g.TieBreak = []string{ByTotal, ByDerived, ByDeductions}
	g.Titles = []Title{{Code: "co", Name: "Cờ thi đua", PerCluster: 1, MinClass: Excellent}, {Code: "bk", Name: "Bằng khen", PerCluster: 1, MinClass: Good}}
	mk := func(code, cluster string, onTime int, b, ded Points) *Sheet {
		s := Score(g, Facts{Unit: unit.Unit{Code: code}, Reports: ReportFacts{Due: 10, OnTime: onTime}},
			[]Entry{{Criterion: "b", Stage: Verify, Points: b}, {Criterion: "d1", Stage: Verify, Points: ded}})
		s.Cluster = cluster
		return s
	}
	sheets := []*Sheet{
		mk("A", "1", 10, 4000, 0),   // 90, all from reports 50
		mk("B", "1", 8, 5000, 0),    // 90, reports 40: behind A
		mk("C", "1", 8, 5000, 0),    // equal to B: shares its rank
		mk("D", "2", 10, 4100, 100), // 90 after 1 deducted: behind A on deductions? no, total 90, derived 50, deduction 1
		mk("E", "2", 6, 3000, 0),    // 60
	}
	order := Rank(g, sheets)
	var got []string
	for _, s := range order {
		got = append(got, fmt.Sprintf("%s:%d/%d:%s", s.Unit.Code, s.Rank, s.ClusterRank, s.Title))
	}
	want := "A:1/1:co D:2/1:co B:3/2:bk C:3/2: E:5/2:"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	if !strings.Contains(g.TieBreakText(), "bị trừ ít điểm hơn") {
		t.Errorf("tie-break text %q", g.TieBreakText())
	}
}

func testProgram() *program.Program {
	th := 100.0
	return &program.Program{Code: "P", Subprograms: []program.Subprogram{{Code: "CT2", Name: "CT2", Targets: []program.Target{
		{Code: "T2.2", Name: "Quà Tết", AppliesTo: []unit.Kind{unit.Province, unit.Commune},
			Conditions: []program.Condition{{Numerator: []string{"A"}, Denominator: []string{"B"}, Comparator: program.GE, Threshold: &th}}},
		{Code: "T2.9", Name: "Tỉnh", AppliesTo: []unit.Kind{unit.Province},
			Conditions: []program.Condition{{Elements: []string{"A"}, Comparator: program.GE, Threshold: &th}}},
	}}}}
}

// A target of several conditions reads as its least-reached condition.
func TestDerivedSeveralConditions(t *testing.T) {
	r := own("T", f(100), 100)
	second := rollup.Part{Percent: true, Value: f(80), Threshold: f(100), Comparator: program.GE, Status: rollup.NotMet}
	r.Own.Parts = append(r.Own.Parts, second)
	r.Own.Status = rollup.NotMet
	c := Criterion{Code: "X", Max: 10, Kind: Derived, Target: "T", Reading: Own, Rule: Proportional}
	if got, src := derivedPoints(c, r, true); got != 800 || !strings.Contains(src.Text, "2 điều kiện") {
		t.Errorf("points %s (%s), want 8,00 from the second condition", got, src.Text)
	}
	// A second condition that is a count to stay at zero, missed: nothing.
	r.Own.Parts[1] = rollup.Part{Value: f(2), Threshold: f(0), Comparator: program.LE, Status: rollup.NotMet}
	if got, _ := derivedPoints(c, r, true); got != 0 {
		t.Errorf("points %s, want 0 with a missed count", got)
	}
}
