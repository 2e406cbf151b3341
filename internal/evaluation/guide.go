// Package evaluation is the annual inspection and evaluation (kiểm tra,
// đánh giá, chấm điểm thi đua, xếp loại): a scoring guide per year and
// level kept as data, the points it gives each unit from the figures
// (rollup), the reports (submission) and what people enter, the classes
// and ranks that follow, the clusters, and the inspections whose
// recommendations are casework cases of kind kiem_tra. It holds the rules
// and the workflow and no SQL: it declares the transaction it needs (Tx),
// which *store.Tx implements.
package evaluation

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"mattran/internal/errs"
	"mattran/internal/unit"
)

// Guide is a scoring guide (hướng dẫn chấm điểm thi đua) that the level
// above issues for one year to the units of one kind below it.
type Guide struct {
	Year    int       `json:"year" yaml:"year"`
	Level   unit.Kind `json:"level" yaml:"level"`     // the kind of the units scored
	Program string    `json:"program" yaml:"program"` // the program whose targets derived criteria read
	Name    string    `json:"name" yaml:"name"`
	// Example: the guide is an example, not an issued document; every page
	// that shows it says so.
	Example bool `json:"example,omitempty" yaml:"example,omitempty"`
	// Form is the report form whose sending the workflow criteria count;
	// empty: every form of the program.
	Form   string  `json:"form,omitempty" yaml:"form,omitempty"`
	Groups []Group `json:"groups" yaml:"groups"`
	// Bonus and Deductions (điểm thưởng, điểm trừ) are items with a cap
	// each; BonusCap and DeductionCap cap their sums.
	Bonus        []Item  `json:"bonus,omitempty" yaml:"bonus,omitempty"`
	Deductions   []Item  `json:"deductions,omitempty" yaml:"deductions,omitempty"`
	BonusCap     float64 `json:"bonusCap,omitempty" yaml:"bonusCap,omitempty"`
	DeductionCap float64 `json:"deductionCap,omitempty" yaml:"deductionCap,omitempty"`
	// Bands are the classes by share of the maximum, best first; empty:
	// the default 90/70/50.
	Bands []Band `json:"bands,omitempty" yaml:"bands,omitempty"`
	Cap   *Cap   `json:"cap,omitempty" yaml:"cap,omitempty"`
	// TieBreak is the order of what decides between equal totals; the
	// unit code only orders the list of those still equal, who share a rank.
	TieBreak []string `json:"tieBreak,omitempty" yaml:"tieBreak,omitempty"`
	Titles   []Title  `json:"titles,omitempty" yaml:"titles,omitempty"`
}

// Group is a group of criteria (nhóm tiêu chí) with its maximum.
type Group struct {
	Code     string      `json:"code" yaml:"code"`
	Name     string      `json:"name" yaml:"name"`
	Max      float64     `json:"max" yaml:"max"`
	Criteria []Criterion `json:"criteria" yaml:"criteria"`
}

// Kind is how a criterion's points are found.
type Kind string

const (
	Derived  Kind = "derived"  // from a target's result at the unit
	Workflow Kind = "workflow" // from the reports the unit sent
	Manual   Kind = "manual"   // entered, with evidence
)

// Rule is how a derived criterion turns a result into points. Every rule
// gives zero when the target is missed outright or has no data.
type Rule string

const (
	Full         Rule = "full"         // full points when met, else zero
	Proportional Rule = "proportional" // points in proportion to the share reached, capped
	Steps        Rule = "steps"        // points by steps of the share reached
)

// Reading is which figure of the target a criterion reads.
type Reading string

const (
	Own      Reading = "own"      // the unit's own figure
	Coverage Reading = "coverage" // the share of the units below that meet theirs
)

// Measure is what a workflow criterion counts.
type Measure string

const (
	OnTime   Measure = "on_time"  // share of the year's reports sent on time
	Returned Measure = "returned" // reports returned: Per points off each
	Late     Measure = "late"     // reports sent late or not sent by their deadline: Per points off each
)

// Criterion is one line of the guide.
type Criterion struct {
	Code string  `json:"code" yaml:"code"`
	Name string  `json:"name" yaml:"name"`
	Max  float64 `json:"max" yaml:"max"`
	Kind Kind    `json:"kind" yaml:"kind"`
	// Derived.
	Target  string  `json:"target,omitempty" yaml:"target,omitempty"`
	Reading Reading `json:"reading,omitempty" yaml:"reading,omitempty"`
	Rule    Rule    `json:"rule,omitempty" yaml:"rule,omitempty"`
	Steps   []Step  `json:"steps,omitempty" yaml:"steps,omitempty"`
	// Workflow.
	Measure Measure `json:"measure,omitempty" yaml:"measure,omitempty"`
	Per     float64 `json:"per,omitempty" yaml:"per,omitempty"`
	// Manual: who is expected to score it, for the form's help text.
	Note string `json:"note,omitempty" yaml:"note,omitempty"`
}

// Step gives Points when the share reached is at least Min percent.
type Step struct {
	Min    float64 `json:"min" yaml:"min"`
	Points float64 `json:"points" yaml:"points"`
}

// Item is a bonus or a deduction: a reason and its cap.
type Item struct {
	Code string  `json:"code" yaml:"code"`
	Name string  `json:"name" yaml:"name"`
	Max  float64 `json:"max" yaml:"max"`
}

// Class is an emulation class (xếp loại).
type Class string

const (
	Excellent Class = "xuat_sac"         // hoàn thành xuất sắc nhiệm vụ
	Good      Class = "tot"              // hoàn thành tốt nhiệm vụ
	Done      Class = "hoan_thanh"       // hoàn thành nhiệm vụ
	NotDone   Class = "khong_hoan_thanh" // không hoàn thành nhiệm vụ
	Unrated   Class = ""                 // not scored
)

// Classes in order, best first.
var Classes = []Class{Excellent, Good, Done, NotDone}

// Label is the class as users read it.
func (c Class) Label() string {
	switch c {
	case Excellent:
		return "Hoàn thành xuất sắc nhiệm vụ"
	case Good:
		return "Hoàn thành tốt nhiệm vụ"
	case Done:
		return "Hoàn thành nhiệm vụ"
	case NotDone:
		return "Không hoàn thành nhiệm vụ"
	}
	return "Chưa xếp loại"
}

// Short is the class's short name, for table heads.
func (c Class) Short() string {
	switch c {
	case Excellent:
		return "Xuất sắc"
	case Good:
		return "Tốt"
	case Done:
		return "Hoàn thành"
	case NotDone:
		return "Không hoàn thành"
	}
	return "—"
}

func (c Class) order() int {
	if i := slices.Index(Classes, c); i >= 0 {
		return i
	}
	return len(Classes)
}

// Band: a unit whose total is at least Min percent of the maximum gets Class.
type Band struct {
	Class Class   `json:"class" yaml:"class"`
	Min   float64 `json:"min" yaml:"min"`
}

// DefaultBands are 90/70/50 of the maximum.
var DefaultBands = []Band{{Excellent, 90}, {Good, 70}, {Done, 50}}

// Cap limits how many units get a class: at most Percent of the units
// rated Of or better (the 2026 rule for public-service staff: xuất sắc at
// most 20% of those rated tốt). Those over the cap drop one class, the
// lowest first by the guide's ranking order.
type Cap struct {
	Class   Class   `json:"class" yaml:"class"`
	Percent float64 `json:"percent" yaml:"percent"`
	Of      Class   `json:"of" yaml:"of"`
	// Scope: "level" (every unit the guide scores, the default) or
	// "cluster" (each cluster on its own).
	Scope string `json:"scope,omitempty" yaml:"scope,omitempty"`
}

// Tie-break keys.
const (
	ByTotal      = "total"      // the higher total
	ByDerived    = "derived"    // the higher points from figures and reports (not entered)
	ByDeductions = "deductions" // the fewer points deducted
	ByGroup      = "group:"     // the higher points in a group: "group:CT2"
)

// DefaultTieBreak is used when the guide states none.
var DefaultTieBreak = []string{ByTotal, ByDerived, ByDeductions}

// Title is an emulation title (danh hiệu) proposed for the leading units
// of each cluster: the first PerCluster units in rank order whose class
// is at least MinClass, after the units proposed for the titles above.
type Title struct {
	Code       string `json:"code" yaml:"code"`
	Name       string `json:"name" yaml:"name"`
	PerCluster int    `json:"perCluster" yaml:"perCluster"`
	MinClass   Class  `json:"minClass" yaml:"minClass"`
}

// Limits of a guide file.
const (
	MaxGuideBytes = 1 << 20
	MaxCriteria   = 500
	maxName       = 500
	maxCode       = 40
)

// ParseGuide reads a guide from YAML or JSON (JSON is YAML), checks it
// whole and returns it or an error naming every bad field, in Vietnamese.
// Unknown fields are refused: a misspelt field would silently score zero.
func ParseGuide(r io.Reader) (*Guide, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxGuideBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxGuideBytes {
		return nil, errs.New(errs.Invalid, "Tệp hướng dẫn chấm điểm lớn quá %d MB.", MaxGuideBytes>>20)
	}
	if !utf8.Valid(data) {
		return nil, errs.New(errs.Invalid, "Tệp hướng dẫn chấm điểm không phải văn bản UTF-8.")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var g Guide
	if err := dec.Decode(&g); err != nil {
		if err == io.EOF {
			return nil, errs.New(errs.Invalid, "Tệp hướng dẫn chấm điểm trống.")
		}
		return nil, errs.New(errs.Invalid, "Tệp hướng dẫn chấm điểm không đọc được: %s", yamlText(err))
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	return &g, nil
}

// yamlText turns the decoder's English into Vietnamese where it names a line.
func yamlText(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.ReplaceAll(s, "unmarshal errors:\n  ", "")
	s = strings.ReplaceAll(s, "line ", "dòng ")
	s = strings.ReplaceAll(s, "not found in type evaluation.", "không có trong ")
	s = strings.ReplaceAll(s, "field ", "trường ")
	s = strings.ReplaceAll(s, "cannot unmarshal", "không đọc được")
	return s
}

// Export writes the guide as YAML, which ParseGuide reads back.
func (g *Guide) Export(w io.Writer) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(g); err != nil {
		return err
	}
	return enc.Close()
}

// checker gathers what is wrong with a guide, each naming its field.
type checker struct{ bad []errs.Detail }

func (c *checker) fail(field, format string, args ...any) {
	if len(c.bad) < 100 {
		c.bad = append(c.bad, errs.Detail{Field: field, Code: errs.FieldText, Args: errs.Args{Text: fmt.Sprintf(format, args...)}})
	}
}

func (c *checker) text(field, label, s string, max int) {
	switch {
	case strings.TrimSpace(s) == "":
		c.fail(field, "%s không được để trống", label)
	case utf8.RuneCountInString(s) > max:
		c.fail(field, "%s dài quá %d ký tự", label, max)
	}
}

func (c *checker) points(field string, x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || x > 10000 || !centiExact(x) {
		c.fail(field, "số điểm %v không hợp lệ (từ 0 đến 10.000, nhiều nhất 2 chữ số thập phân)", x)
	}
}

// centiExact: x has at most two decimals, as points are kept.
func centiExact(x float64) bool { return math.Abs(x*100-math.Round(x*100)) < 1e-6 }

// Validate checks the guide as a whole: one validation, for the file
// import, the editing page and the API alike.
func (g *Guide) Validate() error {
	c := &checker{}
	if g.Year < 2000 || g.Year > 2100 {
		c.fail("year", "năm %d không hợp lệ", g.Year)
	}
	if !slices.Contains([]unit.Kind{unit.Province, unit.District, unit.Commune, unit.ResidentialArea, unit.MemberOrg}, g.Level) {
		c.fail("level", "cấp được chấm %q không có (province, district, commune, residential_area, member_org)", g.Level)
	}
	c.text("name", "Tên hướng dẫn", g.Name, maxName)
	c.text("program", "Mã chương trình", g.Program, maxCode)
	codes := map[string]string{}
	code := func(field, s string) {
		c.text(field, "Mã", s, maxCode)
		if prev, dup := codes[s]; dup && s != "" {
			c.fail(field, "mã %q trùng với %s", s, prev)
		}
		codes[s] = field
	}
	if len(g.Groups) == 0 {
		c.fail("groups", "hướng dẫn chưa có nhóm tiêu chí nào")
	}
	n := 0
	for i, gr := range g.Groups {
		f := fmt.Sprintf("groups[%d]", i+1)
		code(f+".code", gr.Code)
		c.text(f+".name", "Tên nhóm", gr.Name, maxName)
		c.points(f+".max", gr.Max)
		if gr.Max == 0 {
			c.fail(f+".max", "nhóm %s chưa có điểm tối đa", gr.Code)
		}
		if len(gr.Criteria) == 0 {
			c.fail(f+".criteria", "nhóm %s chưa có tiêu chí", gr.Code)
		}
		var sum float64
		for j, cr := range gr.Criteria {
			n++
			cf := fmt.Sprintf("%s.criteria[%d]", f, j+1)
			code(cf+".code", cr.Code)
			c.text(cf+".name", "Tên tiêu chí", cr.Name, maxName)
			c.points(cf+".max", cr.Max)
			sum += cr.Max
			c.criterion(cf, cr)
		}
		if sum+1e-9 < gr.Max {
			c.fail(f+".max", "điểm tối đa của nhóm %s (%v) lớn hơn tổng điểm các tiêu chí (%v)", gr.Code, gr.Max, sum)
		}
	}
	if n > MaxCriteria {
		c.fail("groups", "nhiều quá %d tiêu chí", MaxCriteria)
	}
	for i, it := range g.Bonus {
		f := fmt.Sprintf("bonus[%d]", i+1)
		code(f+".code", it.Code)
		c.text(f+".name", "Lý do thưởng", it.Name, maxName)
		c.points(f+".max", it.Max)
	}
	for i, it := range g.Deductions {
		f := fmt.Sprintf("deductions[%d]", i+1)
		code(f+".code", it.Code)
		c.text(f+".name", "Lý do trừ", it.Name, maxName)
		c.points(f+".max", it.Max)
	}
	c.points("bonusCap", g.BonusCap)
	c.points("deductionCap", g.DeductionCap)
	prev := 101.0
	seen := map[Class]bool{}
	for i, b := range g.Bands {
		f := fmt.Sprintf("bands[%d]", i+1)
		if b.Class == NotDone || b.Class.order() >= len(Classes) {
			c.fail(f+".class", "loại %q không có (xuat_sac, tot, hoan_thanh); không hoàn thành là phần còn lại", b.Class)
		}
		if seen[b.Class] {
			c.fail(f+".class", "loại %q lặp lại", b.Class)
		}
		seen[b.Class] = true
		if math.IsNaN(b.Min) || b.Min <= 0 || b.Min > 100 || b.Min >= prev || !centiExact(b.Min) {
			c.fail(f+".min", "ngưỡng %v%% không hợp lệ: từ trên 0 đến 100, giảm dần, nhiều nhất 2 chữ số thập phân", b.Min)
		}
		prev = b.Min
		if i > 0 && b.Class.order() <= g.Bands[i-1].Class.order() {
			c.fail(f+".class", "các loại phải xếp từ cao xuống thấp")
		}
	}
	if g.Cap != nil {
		k := g.Cap
		if k.Class.order() >= len(Classes)-1 {
			c.fail("cap.class", "loại bị giới hạn %q không hợp lệ", k.Class)
		}
		if k.Of.order() >= len(Classes) || k.Of.order() < k.Class.order() {
			c.fail("cap.of", "loại làm căn cứ %q không hợp lệ: phải là loại bị giới hạn hoặc thấp hơn", k.Of)
		}
		if math.IsNaN(k.Percent) || k.Percent <= 0 || k.Percent > 100 {
			c.fail("cap.percent", "tỷ lệ %v%% không hợp lệ", k.Percent)
		}
		if k.Scope != "" && k.Scope != "level" && k.Scope != "cluster" {
			c.fail("cap.scope", "phạm vi %q không có (level, cluster)", k.Scope)
		}
	}
	for i, k := range g.TieBreak {
		f := fmt.Sprintf("tieBreak[%d]", i+1)
		switch {
		case k == ByTotal || k == ByDerived || k == ByDeductions:
		case strings.HasPrefix(k, ByGroup) && slices.ContainsFunc(g.Groups, func(gr Group) bool { return ByGroup+gr.Code == k }):
		default:
			c.fail(f, "tiêu chí xếp hạng %q không có (total, derived, deductions, group:<mã nhóm>)", k)
		}
	}
	for i, t := range g.Titles {
		f := fmt.Sprintf("titles[%d]", i+1)
		c.text(f+".code", "Mã danh hiệu", t.Code, maxCode)
		c.text(f+".name", "Tên danh hiệu", t.Name, maxName)
		if t.PerCluster < 1 || t.PerCluster > 100 {
			c.fail(f+".perCluster", "số đơn vị mỗi cụm %d không hợp lệ", t.PerCluster)
		}
		if t.MinClass.order() >= len(Classes) {
			c.fail(f+".minClass", "loại tối thiểu %q không có", t.MinClass)
		}
	}
	if len(c.bad) == 0 {
		return nil
	}
	return &errs.Error{Code: errs.Invalid, Message: "Hướng dẫn chấm điểm chưa hợp lệ: " + c.bad[0].Field + ": " + c.bad[0].Args.Text + ".", Details: c.bad}
}

func (c *checker) criterion(f string, cr Criterion) {
	switch cr.Kind {
	case Derived:
		c.text(f+".target", "Mã chỉ tiêu", cr.Target, maxCode)
		if cr.Reading != Own && cr.Reading != Coverage {
			c.fail(f+".reading", "cách đọc %q không có (own: số của đơn vị, coverage: tỷ lệ đơn vị cấp dưới đạt)", cr.Reading)
		}
		switch cr.Rule {
		case Full, Proportional:
			if len(cr.Steps) > 0 {
				c.fail(f+".steps", "chỉ cách tính steps có bậc điểm")
			}
		case Steps:
			if len(cr.Steps) == 0 {
				c.fail(f+".steps", "cách tính steps cần ít nhất một bậc")
			}
			prev := math.Inf(1)
			for i, s := range cr.Steps {
				sf := fmt.Sprintf("%s.steps[%d]", f, i+1)
				if math.IsNaN(s.Min) || s.Min < 0 || s.Min > 1000 || s.Min >= prev {
					c.fail(sf+".min", "mức %v%% không hợp lệ: các bậc xếp từ cao xuống thấp", s.Min)
				}
				prev = s.Min
				c.points(sf+".points", s.Points)
				if s.Points > cr.Max {
					c.fail(sf+".points", "điểm của bậc (%v) lớn hơn điểm tối đa của tiêu chí (%v)", s.Points, cr.Max)
				}
			}
		default:
			c.fail(f+".rule", "cách tính %q không có (full, proportional, steps)", cr.Rule)
		}
	case Workflow:
		switch cr.Measure {
		case OnTime:
		case Returned, Late:
			c.points(f+".per", cr.Per)
			if cr.Per == 0 {
				c.fail(f+".per", "ghi số điểm trừ cho mỗi báo cáo")
			}
		default:
			c.fail(f+".measure", "nội dung %q không có (on_time, returned, late)", cr.Measure)
		}
	case Manual:
	default:
		c.fail(f+".kind", "loại tiêu chí %q không có (derived, workflow, manual)", cr.Kind)
	}
}

// Max is the guide's maximum: the sum of its groups' maxima (bonus points
// are above it).
func (g *Guide) Max() Points {
	var m Points
	for _, gr := range g.Groups {
		m += PointsOf(gr.Max)
	}
	return m
}

// BandsOrDefault are the guide's bands, or the default ones.
func (g *Guide) BandsOrDefault() []Band {
	if len(g.Bands) == 0 {
		return DefaultBands
	}
	return g.Bands
}

// TieBreakOrDefault is the guide's tie-break order, or the default one.
func (g *Guide) TieBreakOrDefault() []string {
	if len(g.TieBreak) == 0 {
		return DefaultTieBreak
	}
	return g.TieBreak
}

// Criterion finds a criterion (or a bonus or deduction item) by code.
func (g *Guide) Criterion(code string) (Criterion, bool) {
	for _, gr := range g.Groups {
		for _, c := range gr.Criteria {
			if c.Code == code {
				return c, true
			}
		}
	}
	for _, it := range g.Bonus {
		if it.Code == code {
			return Criterion{Code: it.Code, Name: it.Name, Max: it.Max, Kind: Manual}, true
		}
	}
	for _, it := range g.Deductions {
		if it.Code == code {
			return Criterion{Code: it.Code, Name: it.Name, Max: it.Max, Kind: Manual}, true
		}
	}
	return Criterion{}, false
}

// TieBreakText says the tie-break order in Vietnamese, for the pages.
func (g *Guide) TieBreakText() string {
	var parts []string
	for _, k := range g.TieBreakOrDefault() {
		switch {
		case k == ByTotal:
			parts = append(parts, "tổng điểm cao hơn")
		case k == ByDerived:
			parts = append(parts, "điểm tính từ số liệu và báo cáo cao hơn")
		case k == ByDeductions:
			parts = append(parts, "bị trừ ít điểm hơn")
		case strings.HasPrefix(k, ByGroup):
			parts = append(parts, "điểm nhóm "+strings.TrimPrefix(k, ByGroup)+" cao hơn")
		}
	}
	return strings.Join(parts, ", rồi ") + "; bằng nhau ở mọi tiêu chí thì đồng hạng"
}
