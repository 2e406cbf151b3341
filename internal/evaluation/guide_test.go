package evaluation

import (
	"bytes"
	"strings"
	"testing"

	"mattran/internal/errs"
	"mattran/internal/unit"
)

const goodGuide = `
year: 2026
level: commune
program: P
name: Hướng dẫn thử
groups:
  - code: CT2
    name: Chương trình 2
    max: 15
    criteria:
      - {code: C1, name: Quà Tết, max: 10, kind: derived, target: T2.2, reading: own, rule: proportional}
      - {code: C2, name: Bậc, max: 5, kind: derived, target: T2.3, reading: coverage, rule: steps, steps: [{min: 100, points: 5}, {min: 90, points: 3}]}
  - code: BC
    name: Báo cáo
    max: 5
    criteria:
      - {code: B1, name: Đúng hạn, max: 5, kind: workflow, measure: on_time}
bonus: [{code: T1, name: Sáng tạo, max: 2}]
bonusCap: 2
bands: [{class: xuat_sac, min: 90}, {class: tot, min: 70}, {class: hoan_thanh, min: 50}]
cap: {class: xuat_sac, percent: 20, of: tot}
tieBreak: [total, derived, "group:CT2"]
titles: [{code: co, name: Cờ thi đua, perCluster: 1, minClass: xuat_sac}]
`

func TestParseGuide(t *testing.T) {
	g, err := ParseGuide(strings.NewReader(goodGuide))
	if err != nil {
		t.Fatal(err)
	}
	if g.Max() != 2000 || len(g.Groups) != 2 || g.Groups[0].Criteria[1].Steps[1].Points != 3 {
		t.Fatalf("guide read as %+v", g)
	}
	// Exported and read back, it is the same guide.
	var buf bytes.Buffer
	if err := g.Export(&buf); err != nil {
		t.Fatal(err)
	}
	g2, err := ParseGuide(&buf)
	if err != nil {
		t.Fatalf("exported guide does not read back: %v\n%s", err, buf.String())
	}
	if g2.Max() != g.Max() || g2.Cap.Percent != 20 || g2.TieBreak[2] != "group:CT2" {
		t.Errorf("round trip changed the guide: %+v", g2)
	}
	// JSON is read too.
	if _, err := ParseGuide(strings.NewReader(`{"year":2026,"level":"commune","program":"P","name":"x","groups":[{"code":"A","name":"A","max":1,"criteria":[{"code":"a","name":"a","max":1,"kind":"manual"}]}]}`)); err != nil {
		t.Errorf("JSON guide: %v", err)
	}
}

func TestParseGuideRefuses(t *testing.T) {
	cases := []struct{ name, from, to, field, text string }{
		{"bad year", "year: 2026", "year: 1900", "year", "năm 1900"},
		{"unknown kind", "kind: workflow", "kind: tudong", "groups[2].criteria[1].kind", "loại tiêu chí"},
		{"unknown rule", "rule: proportional", "rule: tyle", "groups[1].criteria[1].rule", "cách tính"},
		{"steps out of order", "min: 90, points: 3", "min: 100, points: 3", "groups[1].criteria[2].steps[2].min", "cao xuống thấp"},
		{"step above max", "min: 90, points: 3", "min: 90, points: 7", "groups[1].criteria[2].steps[2].points", "lớn hơn điểm tối đa"},
		{"group max above its criteria", "max: 15", "max: 16", "groups[1].max", "lớn hơn tổng"},
		{"duplicate code", "code: B1", "code: C1", "groups[2].criteria[1].code", "trùng"},
		{"three decimals", "max: 5, kind: workflow", "max: 5.005, kind: workflow", "groups[2].criteria[1].max", "2 chữ số"},
		{"bands not descending", "min: 70", "min: 95", "bands[2].min", "giảm dần"},
		{"cap of a lower class", "of: tot", "of: xxx", "cap.of", "không hợp lệ"},
		{"unknown tie-break", `"group:CT2"`, `"group:CT9"`, "tieBreak[3]", "group:CT9"},
		{"empty name", "name: Hướng dẫn thử", "name: ''", "name", "không được để trống"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(goodGuide, c.from, c.to, 1)
			if src == goodGuide {
				t.Fatalf("%q not in the guide", c.from)
			}
			_, err := ParseGuide(strings.NewReader(src))
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			found := false
			for _, d := range e.Details {
				if d.Field == c.field && strings.Contains(d.Args.Text, c.text) {
					found = true
				}
			}
			if !found {
				t.Errorf("no detail at %s saying %q: %+v", c.field, c.text, e.Details)
			}
		})
	}
	for _, bad := range []string{"", "year: [", "unknownfield: 1\n" + goodGuide, "\xff\xfe"} {
		if _, err := ParseGuide(strings.NewReader(bad)); !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseGuide(%q) = %v, want invalid", bad, err)
		}
	}
}

func TestExampleGuideIsValid(t *testing.T) {
	g := Example(2026, unit.Commune, testProgram())
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	if !g.Example || g.Max() == 0 {
		t.Errorf("example %+v", g)
	}
}

func FuzzParseGuide(f *testing.F) {
	f.Add([]byte(goodGuide))
	f.Add([]byte(`{"year":2026}`))
	f.Add([]byte("groups: [{criteria: [{steps: [{min: .nan}]}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseGuide(bytes.NewReader(data))
		if err != nil {
			if _, ok := errs.As(err); !ok {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		// A guide that reads is valid and scores without panicking.
		if err := g.Validate(); err != nil {
			t.Fatal(err)
		}
		s := Score(g, Facts{}, nil)
		Rank(g, []*Sheet{s})
	})
}
