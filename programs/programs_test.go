package programs

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mattran/internal/program"
	"mattran/internal/unit"
)

// seed parses the shipped seed program file, failing the test if it does
// not load.
func seed(t *testing.T) *program.Program {
	t.Helper()
	data, err := Files.ReadFile(SeedFile)
	if err != nil {
		t.Fatalf("read %s: %v", SeedFile, err)
	}
	p, err := program.Parse(data)
	if err != nil {
		t.Fatalf("parse %s: %v", SeedFile, err)
	}
	return p
}

func TestSeedHeader(t *testing.T) {
	p := seed(t)
	if p.Code != "BG-CTHD-2019-2024" || p.OwnerUnit != "24" || p.Term != (program.Term{From: 2019, To: 2024}) {
		t.Errorf("code, owner, term = %q, %q, %+v; want BG-CTHD-2019-2024, 24, 2019–2024", p.Code, p.OwnerUnit, p.Term)
	}
	if !strings.HasPrefix(p.Name, "Chương trình hành động thực hiện Nghị quyết Đại hội") || strings.Contains(p.Name, "\n") {
		t.Errorf("name = %q; want the seed's title on one line", p.Name)
	}
	if !strings.HasPrefix(p.Preamble, "Thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ IX") {
		t.Errorf("preamble = %q", p.Preamble)
	}
	if len(p.Purpose) != 1 || len(p.Requirements) != 1 || len(p.Implementation) != 3 {
		t.Errorf("purpose, requirements, implementation have %d, %d, %d paragraphs; want 1, 1, 3",
			len(p.Purpose), len(p.Requirements), len(p.Implementation))
	}
}

func TestSeedTargetCodes(t *testing.T) {
	want := []string{
		"T1.1", "T1.2", "T1.3", "T1.4",
		"T2.1", "T2.2", "T2.3", "T2.4", "T2.5", "T2.6", "T2.7", "T2.8",
		"T3.1", "T3.2", "T3.3", "T3.4", "T3.5", "T3.6", "T3.7", "T3.8", "T3.9",
		"T4.1",
		"T5.1", "T5.2", "T5.3",
	}
	var got []string
	for _, s := range seed(t).Subprograms {
		for _, tg := range s.Targets {
			got = append(got, tg.Code)
			// A target sits under the sub-program its code names: T3.x under CT3.
			if prefix := "T" + strings.TrimPrefix(s.Code, "CT") + "."; !strings.HasPrefix(tg.Code, prefix) {
				t.Errorf("target %s is under %s", tg.Code, s.Code)
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("target codes = %v\nwant %v", got, want)
	}
}

func TestSeedSubprograms(t *testing.T) {
	// Names are the seed's headings after "Chương trình N:"; the counts are
	// the bullets of "1. Mục tiêu" and "3. Những giải pháp chủ yếu".
	want := []struct {
		code, name            string
		objectives, solutions int
	}{
		{"CT1", "Tuyên truyền, vận động, tập hợp các tầng lớp nhân dân; củng cố, tăng cường, phát huy sức mạnh đại đoàn kết dân tộc, xây dựng và bảo vệ Tổ quốc", 3, 6},
		{"CT2", "Vận động nhân dân thi đua lao động sáng tạo, thực hiện thắng lợi các mục tiêu phát triển kinh tế, văn hóa, xã hội, giữ vững quốc phòng, an ninh của địa phương và đất nước", 3, 5},
		{"CT3", "Thực hiện dân chủ, tham gia xây dựng Đảng, chính quyền; giám sát và phản biện xã hội; phòng, chống tham nhũng, lãng phí, thực hành tiết kiệm", 3, 5},
		{"CT4", "Tăng cường đoàn kết quốc tế, mở rộng hoạt động đối ngoại nhân dân", 1, 4},
		{"CT5", "Tăng cường củng cố tổ chức, đổi mới nội dung, phương thức, nâng cao hiệu quả hoạt động của MTTQ, đáp ứng yêu cầu nhiệm vụ trong giai đoạn mới", 3, 5},
	}
	subs := seed(t).Subprograms
	if len(subs) != len(want) {
		t.Fatalf("%d sub-programs; want %d", len(subs), len(want))
	}
	for i, w := range want {
		s := subs[i]
		if s.Code != w.code || s.Name != w.name {
			t.Errorf("sub-program %d = %s %q; want %s %q", i+1, s.Code, s.Name, w.code, w.name)
		}
		if len(s.Objectives) != w.objectives {
			t.Errorf("%s has %d objectives; want %d", s.Code, len(s.Objectives), w.objectives)
		}
		if len(s.FocusTasks) == 0 {
			t.Errorf("%s has no focus tasks", s.Code)
		}
		if len(s.Solutions) != w.solutions {
			t.Errorf("%s has %d solutions; want %d", s.Code, len(s.Solutions), w.solutions)
		}
		for _, texts := range [][]string{s.Objectives, s.FocusTasks, s.Solutions} {
			for j, text := range texts {
				if strings.TrimSpace(text) == "" || strings.Contains(text, "\n") {
					t.Errorf("%s: paragraph %d is empty or broken across lines: %q", s.Code, j+1, text)
				}
			}
		}
	}
}

func TestSeedOCRFixes(t *testing.T) {
	// The file's comment header quotes the typos it fixed, so look only at
	// the parsed program text.
	p := seed(t)
	texts := append([]string{p.Preamble}, p.Implementation...)
	for _, s := range p.Subprograms {
		texts = append(texts, s.Objectives...)
		texts = append(texts, s.FocusTasks...)
		texts = append(texts, s.Solutions...)
	}
	text := strings.Join(texts, "\n")
	for _, typo := range []string{"Phân đấu", "phân đấu", "Phân đầu", "tín người", "chính đôn", "có trình đại học", "Đơn đốc"} {
		if strings.Contains(text, typo) {
			t.Errorf("the seed's OCR typo %q is still in the program text", typo)
		}
	}
}

func target(t *testing.T, p *program.Program, code string) program.Target {
	t.Helper()
	for _, tg := range p.Targets() {
		if tg.Code == code {
			return tg
		}
	}
	t.Fatalf("no target %s", code)
	return program.Target{}
}

// threshold prints a condition's threshold, or "none".
func threshold(c program.Condition) string {
	if c.Threshold == nil {
		return "none"
	}
	return strconv.FormatFloat(*c.Threshold, 'f', -1, 64)
}

func TestSeedT21FundForThePoor(t *testing.T) {
	p := seed(t)
	tg := target(t, p, "T2.1")
	if len(tg.Conditions) != 1 {
		t.Fatalf("T2.1 has %d conditions; want 1", len(tg.Conditions))
	}
	c := tg.Conditions[0]
	if c.Comparator != program.GE || c.Threshold == nil || *c.Threshold != 50_000_000_000 {
		t.Errorf("T2.1 condition = %s %s; want ge 50000000000", c.Comparator, threshold(c))
	}
	if len(c.Elements) != 1 {
		t.Fatalf("T2.1 counts %v; want one element", c.Elements)
	}
	if e, ok := p.Element(c.Elements[0]); !ok || e.ValueType != program.Money {
		t.Errorf("T2.1 element %s has value type %q; want money", c.Elements[0], e.ValueType)
	}
	if !slices.Equal(tg.AppliesTo, []unit.Kind{unit.Province}) {
		t.Errorf("T2.1 applies to %v; want the province total", tg.AppliesTo)
	}
}

func TestSeedMultiPartTargets(t *testing.T) {
	p := seed(t)
	ge, eq, tracked := program.GE, program.EQ, program.Tracked
	type cond struct {
		comparator program.Comparator
		threshold  float64 // ignored for tracked
		percent    bool
	}
	tests := []struct {
		code  string
		conds []cond
	}{
		{"T2.6", []cond{{ge, 100, true}, {ge, 100, true}, {ge, 100, true}}},
		{"T2.8", []cond{{ge, 100, true}, {ge, 100, true}}},
		{"T3.3", []cond{{ge, 1, false}, {ge, 2, false}}},
		{"T3.9", []cond{{ge, 80, true}, {eq, 0, false}}},
		{"T5.3", []cond{{ge, 90, true}, {eq, 0, false}}},
		{"T4.1", []cond{{tracked, 0, false}, {tracked, 0, false}}},
	}
	for _, tt := range tests {
		tg := target(t, p, tt.code)
		if len(tg.Conditions) != len(tt.conds) {
			t.Errorf("%s has %d conditions; want %d", tt.code, len(tg.Conditions), len(tt.conds))
			continue
		}
		for i, w := range tt.conds {
			c := tg.Conditions[i]
			if c.Comparator != w.comparator || c.IsPercent() != w.percent {
				t.Errorf("%s condition %d: %s percent=%v; want %s percent=%v", tt.code, i+1, c.Comparator, c.IsPercent(), w.comparator, w.percent)
			}
			if w.comparator != tracked && (c.Threshold == nil || *c.Threshold != w.threshold) {
				t.Errorf("%s condition %d: threshold %s; want %v", tt.code, i+1, threshold(c), w.threshold)
			}
		}
	}
	// T2.6's three commitments share one denominator: all households.
	t26 := target(t, p, "T2.6")
	for _, c := range t26.Conditions[1:] {
		if !slices.Equal(c.Denominator, t26.Conditions[0].Denominator) {
			t.Errorf("T2.6 denominators differ: %v vs %v", c.Denominator, t26.Conditions[0].Denominator)
		}
	}
}

func TestSeedTargetShape(t *testing.T) {
	every := []unit.Kind{unit.Province, unit.District, unit.Commune}
	appliesTo := map[string][]unit.Kind{
		"T1.1": every, "T1.2": every, "T1.3": every, "T1.4": {unit.ResidentialArea},
		"T2.1": {unit.Province}, "T2.2": every, "T2.3": every, "T2.4": every,
		"T2.5": every, "T2.6": every, "T2.7": every, "T2.8": every,
		"T3.1": {unit.Province, unit.District}, "T3.2": {unit.Province, unit.District},
		"T3.3": {unit.Commune}, "T3.4": every, "T3.5": {unit.District},
		"T3.6": {unit.Commune}, "T3.7": {unit.Commune}, "T3.8": {unit.Commune}, "T3.9": {unit.Commune},
		"T4.1": {unit.Province},
		"T5.1": every, "T5.2": every, "T5.3": {unit.Commune, unit.ResidentialArea},
	}
	periodType := map[string]string{"T1.2": "monthly", "T1.4": "quarterly"}
	// The committee's own activity counts: a province's figure is its own,
	// not the sum of its districts'.
	self := map[string]bool{"T3.1": true, "T3.2": true, "T3.3": true, "T3.5": true}
	for _, tg := range seed(t).Targets() {
		if !slices.Equal(tg.AppliesTo, appliesTo[tg.Code]) {
			t.Errorf("%s applies to %v; want %v", tg.Code, tg.AppliesTo, appliesTo[tg.Code])
		}
		want := periodType[tg.Code]
		if want == "" {
			want = "yearly"
		}
		if tg.PeriodType != want {
			t.Errorf("%s period type %q; want %q", tg.Code, tg.PeriodType, want)
		}
		for i, c := range tg.Conditions {
			if got := c.Scope == program.Self; got != self[tg.Code] {
				t.Errorf("%s condition %d scope %q; want self=%v", tg.Code, i+1, c.Scope, self[tg.Code])
			}
		}
	}
}

func TestSeedDataElements(t *testing.T) {
	p := seed(t)
	used := map[string]bool{}
	for _, tg := range p.Targets() {
		for _, c := range tg.Conditions {
			for _, code := range c.ElementCodes() {
				used[code] = true
			}
			// A ratio's numerator element names the ratio's denominator, so a
			// form can refuse a part larger than its whole.
			if c.IsPercent() && len(c.Numerator) == 1 && len(c.Denominator) == 1 {
				if e, _ := p.Element(c.Numerator[0]); e.Denominator != c.Denominator[0] {
					t.Errorf("%s: element %s has denominator %q; want %q", tg.Code, e.Code, e.Denominator, c.Denominator[0])
				}
			}
		}
	}
	for _, e := range p.DataElements {
		if !used[e.Code] {
			t.Errorf("data element %s is used by no target", e.Code)
		}
		if e.ShortName == "" || e.Description == "" {
			t.Errorf("data element %s lacks a short name or description", e.Code)
		}
	}
}

func TestSeedT33CommuneCounts(t *testing.T) {
	// T3.1–T3.3 read the same three elements, reported at every level.
	p := seed(t)
	for _, code := range []string{"CT3_GIAMSAT", "CT3_PHANBIEN", "CT3_GOPY"} {
		e, ok := p.Element(code)
		if !ok || !slices.Equal(e.CollectedAt, []unit.Kind{unit.Province, unit.District, unit.Commune}) {
			t.Errorf("%s collected at %v; want province, district, commune", code, e.CollectedAt)
		}
	}
	t33 := target(t, p, "T3.3")
	if !slices.Equal(t33.Conditions[0].Elements, []string{"CT3_GIAMSAT"}) ||
		!slices.Equal(t33.Conditions[1].Elements, []string{"CT3_PHANBIEN", "CT3_GOPY"}) {
		t.Errorf("T3.3 conditions read %v and %v", t33.Conditions[0].Elements, t33.Conditions[1].Elements)
	}
}

func TestSeedRoundTrip(t *testing.T) {
	p := seed(t)
	out, err := program.Marshal(p)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	q, err := program.Parse(out)
	if err != nil {
		t.Fatalf("parse the marshalled program: %v", err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Error("the program changed on a Marshal/Parse round trip")
	}
}
