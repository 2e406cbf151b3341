package program

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"mattran/internal/errs"
	"mattran/programs"
)

// small is a valid program with two sub-programs, the second holding a
// percent target and a count target.
const small = `code: THU-2024
name: Chương trình thử
owner_unit: "24"
term: {from: 2024, to: 2029}
subprograms:
  - code: CT1
    name: Tuyên truyền
    objectives: [Mục tiêu một]
    focus_tasks: [Nhiệm vụ]
    solutions: [Giải pháp]
  - code: CT2
    name: Vận động
    objectives:
      - Mục tiêu một
      - Mục tiêu hai
    focus_tasks: [Nhiệm vụ]
    solutions: [Giải pháp]
    targets:
      - code: T2.1
        name: 90% hộ gia đình văn hóa
        measure: Tỷ lệ hộ gia đình văn hóa
        objective: 1
        period_type: yearly
        applies_to: [province, district, commune]
        conditions:
          - label: Tỷ lệ hộ văn hóa (%)
            numerator: [HGD_VANHOA]
            denominator: [HGD_TONG]
            comparator: ge
            threshold: 90
      - code: T2.2
        name: Quỹ vì người nghèo
        measure: Số tiền vận động
        objective: 2
        period_type: yearly
        applies_to: [province]
        conditions:
          - label: Số tiền (đồng)
            elements: [QUY_VNN]
            comparator: ge
            threshold: 50000000000
data_elements:
  - code: HGD_TONG
    name: Tổng số hộ gia đình
    value_type: integer
    aggregation: last
    period_type: yearly
    collected_at: [province, district, commune]
    source: reported
  - code: HGD_VANHOA
    name: Số hộ gia đình văn hóa
    value_type: integer
    aggregation: last
    period_type: yearly
    collected_at: [province, district, commune]
    denominator: HGD_TONG
    source: reported
  - code: QUY_VNN
    name: Số tiền Quỹ vì người nghèo vận động được
    value_type: money
    aggregation: sum
    period_type: yearly
    collected_at: [province]
    source: derived:fund
`

// lineOfText is the 1-based line of the first occurrence of s in doc.
func lineOfText(t *testing.T, doc, s string) int {
	t.Helper()
	i := strings.Index(doc, s)
	if i < 0 {
		t.Fatalf("%q is not in the document", s)
	}
	return strings.Count(doc[:i], "\n") + 1
}

// edit replaces the first old in doc with new, failing if old is missing.
func edit(t *testing.T, doc, old, new string) string {
	t.Helper()
	if !strings.Contains(doc, old) {
		t.Fatalf("%q is not in the document", old)
	}
	return strings.Replace(doc, old, new, 1)
}

func seedText(t testing.TB) string {
	t.Helper()
	data, err := programs.Files.ReadFile(programs.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// wantDetail checks that err is an Invalid *errs.Error with a detail at row
// and field whose message says want.
func wantDetail(t *testing.T, err error, row int, field, want string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != errs.Invalid {
		t.Fatalf("error = %#v; want an Invalid *errs.Error", err)
	}
	for _, d := range e.Details {
		if d.Row == row && d.Field == field && strings.Contains(errs.Text(d, errs.Exchange), want) {
			return
		}
	}
	t.Errorf("no detail at row %d, field %q saying %q; got %+v", row, field, want, e.Details)
}

func TestParseSmall(t *testing.T) {
	p, err := Parse([]byte(small))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if p.Code != "THU-2024" || p.Term != (Term{2024, 2029}) || len(p.Subprograms) != 2 || len(p.DataElements) != 3 {
		t.Errorf("Parse = %+v", p)
	}
	c := p.Subprograms[1].Targets[0].Conditions[0]
	if !c.IsPercent() || c.Comparator != GE || c.Threshold == nil || *c.Threshold != 90 {
		t.Errorf("T2.1 condition = %+v; want ge 90%%", c)
	}
	// The same program written as JSON, which YAML includes.
	j := `{"code": "J", "name": "JSON", "owner_unit": "24", "term": {"from": 2024, "to": 2029},
	  "subprograms": [{"code": "CT1", "name": "Một", "objectives": ["a"], "focus_tasks": [], "solutions": []}],
	  "data_elements": []}`
	if _, err := Parse([]byte(j)); err != nil {
		t.Errorf("a JSON program is refused: %v", err)
	}
}

func TestParseRejects(t *testing.T) {
	const cond1 = "subprograms[1].targets[0].conditions[0]"
	tests := []struct {
		name     string
		old, new string // the edit to small
		at       string // text on the line the error must name; "" for the new text
		field    string
		want     string
	}{
		{"unknown field", "    solutions: [Giải pháp]\n  - code: CT2", "    solutions: [Giải pháp]\n    colour: đỏ\n  - code: CT2", "colour: đỏ",
			"subprograms[0].colour", `trường "colour" không có trong mẫu`},
		{"misspelt field", "        measure: Số tiền", "        measur: Số tiền", "", "subprograms[1].targets[1].measur", `"measur"`},
		{"wrong type", "        objective: 2", "        objective: hai", "", "subprograms[1].targets[1].objective", `giá trị "hai" sai kiểu: cần số nguyên`},
		{"threshold not a number", "threshold: 90", "threshold: chín mươi", "", cond1 + ".threshold", "sai kiểu: cần số"},
		// The YAML library says "cannot unmarshal !!seq into string", in
		// English and without the field.
		{"a list for a name", "    name: Tuyên truyền", "    name: [Tuyên, truyền]", "", "subprograms[0].name", "ở đây là một danh sách nhưng cần chữ"},
		{"sections for objectives", "    objectives: [Mục tiêu một]\n    focus_tasks", "    objectives:\n      - muc_tieu: Mục tiêu một\n    focus_tasks", "- muc_tieu",
			"subprograms[0].objectives[0]", "ở đây là một mục có các trường con nhưng cần chữ"},
		{"a name for a list", "    objectives: [Mục tiêu một]", "    objectives: Mục tiêu một", "", "subprograms[0].objectives", `giá trị "Mục tiêu một" sai kiểu: cần một danh sách`},
		{"key given twice", "owner_unit: \"24\"", "owner_unit: \"24\"\nname: Tên khác", "name: Tên khác", "name", `khóa "name" bị lặp (đã có ở dòng 2)`},
		{"bad comparator", "            comparator: ge\n            threshold: 90", "            comparator: gte\n            threshold: 90", "comparator: gte",
			cond1 + ".comparator", `phép so sánh "gte" không hợp lệ`},
		{"missing threshold", "            threshold: 90\n", "", "- label: Tỷ lệ hộ văn hóa",
			cond1 + ".threshold", "thiếu ngưỡng"},
		{"percent threshold 150", "threshold: 90", "threshold: 150", "",
			cond1 + ".threshold", "ngưỡng 150 không hợp lệ"},
		{"negative threshold", "threshold: 50000000000", "threshold: -1", "",
			"subprograms[1].targets[1].conditions[0].threshold", "ngưỡng -1 không hợp lệ"},
		{"threshold on a tracked target", "            comparator: ge\n            threshold: 50000000000", "            comparator: tracked\n            threshold: 50000000000", "threshold: 50000000000",
			"subprograms[1].targets[1].conditions[0].threshold", "không dùng ngưỡng"},
		{"unknown element", "numerator: [HGD_VANHOA]", "numerator: [HGD_VANHOA_X]", "",
			cond1 + ".numerator[0]", `chỉ số "HGD_VANHOA_X" không có trong data_elements`},
		{"unknown element in a list", "            elements: [QUY_VNN]", "            elements:\n              - QUY_VNN\n              - QUY_KHAC", "- QUY_KHAC",
			"subprograms[1].targets[1].conditions[0].elements[1]", `"QUY_KHAC"`},
		{"count and ratio", "            elements: [QUY_VNN]", "            elements: [QUY_VNN]\n            numerator: [QUY_VNN]", "- label: Số tiền",
			"subprograms[1].targets[1].conditions[0]", "không dùng cả hai"},
		{"duplicate target code", "      - code: T2.2", "      - code: T2.1", "- code: T2.1\n        name: Quỹ",
			"subprograms[1].targets[1].code", `mã chỉ tiêu "T2.1" bị lặp`},
		{"duplicate sub-program code", "  - code: CT2", "  - code: CT1", "- code: CT1\n    name: Vận động",
			"subprograms[1].code", `"CT1" bị lặp`},
		{"objective out of range", "        objective: 2", "        objective: 3", "",
			"subprograms[1].targets[1].objective", "mục tiêu số 3 không có"},
		{"bad kind", "applies_to: [province]", "applies_to: [tinh]", "",
			"subprograms[1].targets[1].applies_to[0]", `"tinh"`},
		{"bad period type", "        period_type: yearly\n        applies_to: [province]\n", "        period_type: annual\n        applies_to: [province]\n", "period_type: annual",
			"subprograms[1].targets[1].period_type", `"annual"`},
		{"bad value type", "    value_type: money", "    value_type: tien", "",
			"data_elements[2].value_type", `"tien"`},
		{"unknown denominator", "    denominator: HGD_TONG", "    denominator: HGD_TONGX", "",
			"data_elements[1].denominator", `"HGD_TONGX"`},
		{"duplicate element", "  - code: QUY_VNN", "  - code: HGD_TONG", "- code: HGD_TONG\n    name: Số tiền",
			"data_elements[2].code", `"HGD_TONG" bị lặp`},
		{"bad source", "source: derived:fund", "source: excel", "",
			"data_elements[2].source", `"excel"`},
		{"typed_until on a typed element", "    denominator: HGD_TONG\n    source: reported", "    denominator: HGD_TONG\n    source: reported\n    typed_until: 2023", "typed_until: 2023",
			"data_elements[1].typed_until", "typed_until 2023 không hợp lệ"},
		{"typed_until out of range", "source: derived:fund", "source: derived:fund\n    typed_until: 23", "typed_until: 23",
			"data_elements[2].typed_until", "typed_until 23 không hợp lệ"},
		{"term ends before it starts", "term: {from: 2024, to: 2029}", "term: {from: 2024, to: 2020}", "",
			"term.to", "năm kết thúc nhiệm kỳ 2020"},
		{"program code with a space", "code: THU-2024", "code: THU 2024", "", "code", `"THU 2024"`},
		{"colon in a plain name", "        name: Quỹ vì người nghèo", "        name: Quỹ: vì người nghèo", "", "", "lỗi cú pháp YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := edit(t, small, tt.old, tt.new)
			at := tt.at
			if at == "" {
				at = strings.TrimSpace(tt.new)
			}
			p, err := Parse([]byte(doc))
			if err == nil {
				t.Fatalf("accepted: %+v", p)
			}
			if p != nil {
				t.Error("returned a program along with the error")
			}
			wantDetail(t, err, lineOfText(t, doc, at), tt.field, tt.want)
		})
	}
}

func TestParseNotAProgram(t *testing.T) {
	for _, in := range []string{"", "   \n", "# chỉ có chú thích\n", "- CT1\n- CT2\n", "chương trình", "null"} {
		_, err := Parse([]byte(in))
		if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "phải là một bảng khóa–giá trị") {
			t.Errorf("Parse(%q) = %v; want an Invalid error saying a program is a mapping", in, err)
		}
	}
}

func TestParseListsEveryProblem(t *testing.T) {
	doc := edit(t, small, "threshold: 90", "threshold: 150")
	doc = edit(t, doc, "    value_type: money", "    value_type: tien")
	_, err := Parse([]byte(doc))
	e, ok := errs.As(err)
	if !ok || len(e.Details) != 2 || !strings.Contains(e.Message, "2 lỗi") {
		t.Fatalf("error = %v; want both problems listed", err)
	}
}

// The seed program is the file users copy; a change to one value of it
// must be reported at the line changed.
func TestParseSeedEdits(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		field    string
		want     string
	}{
		{"T2.4 threshold 180%", "threshold: 80\n", "threshold: 180\n",
			"subprograms[1].targets[3].conditions[0].threshold", "ngưỡng 180 không hợp lệ"},
		{"T3.3 negative count", "            threshold: 1\n", "            threshold: -1\n",
			"subprograms[2].targets[2].conditions[0].threshold", "ngưỡng -1 không hợp lệ"},
		{"T3.9 comparator", "comparator: eq\n", "comparator: equal\n",
			"subprograms[2].targets[8].conditions[1].comparator", `"equal"`},
		{"T1.1 element", "elements: [CT1_CTV]", "elements: [CT1_CTVX]",
			"subprograms[0].targets[0].conditions[0].elements[0]", `"CT1_CTVX"`},
		{"T3.1 second element", "elements: [CT3_GIAMSAT, CT3_PHANBIEN]", "elements: [CT3_GIAMSAT, CT3_PHAN_BIEN]",
			"subprograms[2].targets[0].conditions[0].elements[1]", `"CT3_PHAN_BIEN"`},
		{"T2.2 code taken", "      - code: T2.2\n", "      - code: T2.1\n",
			"subprograms[1].targets[1].code", `"T2.1" bị lặp`},
		{"T1.4 kind", "applies_to: [residential_area]", "applies_to: [khu_dan_cu]",
			"subprograms[0].targets[3].applies_to[0]", `"khu_dan_cu"`},
		{"element period", "\n    period_type: monthly\n", "\n    period_type: weekly\n",
			"data_elements[1].period_type", `"weekly"`},
		{"unknown field", "        period_type: quarterly\n", "        period_typ: quarterly\n",
			"subprograms[0].targets[3].period_typ", `"period_typ"`},
		{"wrong type", "        objective: 3\n", "        objective: ba\n",
			"subprograms[0].targets[2].objective", `giá trị "ba" sai kiểu: cần số nguyên`},
	}
	seed := seedText(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := edit(t, seed, tt.old, tt.new)
			_, err := Parse([]byte(doc))
			if err == nil {
				t.Fatal("accepted")
			}
			wantDetail(t, err, changedLine(t, seed, tt.old), tt.field, tt.want)
		})
	}
}

// changedLine is the line of the first occurrence of old in doc, past any
// newlines old starts with: the line an edit of old changes.
func changedLine(t *testing.T, doc, old string) int {
	t.Helper()
	i := strings.Index(doc, old)
	if i < 0 {
		t.Fatalf("%q is not in the document", old)
	}
	i += len(old) - len(strings.TrimLeft(old, "\n"))
	return strings.Count(doc[:i], "\n") + 1
}

func TestMarshalRoundTrip(t *testing.T) {
	for name, text := range map[string]string{"seed": seedText(t), "small": small} {
		p, err := Parse([]byte(text))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := Marshal(p)
		if err != nil {
			t.Fatalf("%s: Marshal: %v", name, err)
		}
		q, err := Parse(out)
		if err != nil {
			t.Fatalf("%s: the marshalled program does not parse: %v", name, err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Errorf("%s: the program changed on a Marshal/Parse round trip", name)
		}
	}
}

// seedCut is the seed program with only its first sub-program, its texts
// cut short, and the elements that one reads.
func seedCut(f *testing.F) []byte {
	p, err := Parse([]byte(seedText(f)))
	if err != nil {
		f.Fatal(err)
	}
	// Keep the shape, drop the prose.
	p.Preamble, p.Purpose, p.Requirements, p.Implementation = "", nil, nil, nil
	p.Subprograms = p.Subprograms[:1]
	s := &p.Subprograms[0]
	for i := range s.Objectives {
		s.Objectives[i] = "Mục tiêu " + strconv.Itoa(i+1)
	}
	p.Name, s.Name, s.FocusTasks, s.Solutions = "Chương trình hành động", "Tuyên truyền", []string{"Nhiệm vụ"}, []string{"Giải pháp"}
	used := map[string]bool{}
	for _, t := range p.Targets() {
		for _, c := range t.Conditions {
			for _, code := range c.ElementCodes() {
				used[code] = true
			}
		}
	}
	var kept []DataElement
	for _, e := range p.DataElements {
		if used[e.Code] {
			e.ShortName, e.Description = "", ""
			kept = append(kept, e)
		}
	}
	p.DataElements = kept
	out, err := Marshal(p)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := Parse(out); err != nil {
		f.Fatalf("the cut seed does not parse: %v", err)
	}
	return out
}

func FuzzParse(f *testing.F) {
	// The seed cut to its first sub-program: the fuzzer minimises each new
	// input it keeps, which takes minutes on the whole 60 KB file.
	f.Add(seedCut(f))
	f.Add([]byte(small))
	f.Add([]byte(`{"code": "J", "name": "x", "owner_unit": "24", "term": {"from": 2024, "to": 2029}, "subprograms": [{"code": "C", "name": "y", "objectives": ["a"]}]}`))
	f.Add([]byte("code: &a X\nname: *a\nterm: {from: 2024, to: 2024}\nsubprograms: [{code: C, name: n, objectives: [o], targets: [{code: T, conditions: [{comparator: ge, threshold: .nan, elements: [E]}]}]}]\n"))
	f.Add([]byte("a: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			if e, ok := errs.As(err); !ok || e.Code != errs.Invalid || e.Message == "" {
				t.Fatalf("error %#v is not an Invalid *errs.Error with a message", err)
			}
			if p != nil {
				t.Fatal("returned a program along with an error")
			}
			return
		}
		// What Parse accepts, Marshal writes so that Parse accepts it again
		// and the next Marshal writes the same bytes.
		out, err := Marshal(p)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		q, err := Parse(out)
		if err != nil {
			t.Fatalf("the marshalled program does not parse: %v\n%s", err, out)
		}
		again, err := Marshal(q)
		if err != nil || !bytes.Equal(out, again) {
			t.Fatalf("Marshal is not stable: %v\n%s\n---\n%s", err, out, again)
		}
	})
}
