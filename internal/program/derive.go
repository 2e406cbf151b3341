package program

import (
	"fmt"
	"math"
	"strings"

	"mattran/internal/unit"
)

// Section III of the seed: every lower level and member organization
// writes its own specific program from its parent's. Such a derived
// program (chương trình cụ thể hóa) names its Parent and keeps the
// parent's sub-programs, targets and data elements by reference, so that
// values and roll-ups stay one. Its file holds only what is its own:
//
//	code: BG-CTHD-2019-2024-213
//	name: Chương trình hành động của Ủy ban MTTQ huyện …
//	owner_unit: "213"
//	parent: BG-CTHD-2019-2024
//	term: {from: 2019, to: 2024}
//	thresholds:            # the owner's own thresholds
//	  - {target: T2.4, threshold: 85}
//	tasks:                 # nhiệm vụ, giải pháp cụ thể added per sub-program
//	  - {subprogram: CT2, text: Mỗi xã xây dựng một mô hình …}
//
// A quota (Quota) is the share of a money or count target that a unit
// assigns to a unit directly below it; quotas are kept apart from the
// documents, so re-importing a program file does not drop them.

// OwnThreshold is the owner unit's own threshold for one condition of a
// target, in place of the program's ("T2.4 ≥ 85%" where the province's
// program says 80%). It holds the owner only, not the units below it.
type OwnThreshold struct {
	Target    string  `yaml:"target" json:"target"`
	Condition int     `yaml:"condition,omitempty" json:"condition,omitempty"` // 0-based index among the target's conditions
	Threshold float64 `yaml:"threshold" json:"threshold"`
}

// OwnTask is a task (nhiệm vụ, giải pháp cụ thể) that a derived program
// adds to one of its parent's sub-programs.
type OwnTask struct {
	Subprogram string `yaml:"subprogram" json:"subprogram"`
	Text       string `yaml:"text" json:"text"`
}

// Quota is the amount of a quota target (Quotable) that the owner of a
// program assigns to a unit directly below it: a district's share of the
// province's 50 tỷ đồng.
type Quota struct {
	Target string  `json:"target"`
	Unit   string  `json:"unit"`
	Amount float64 `json:"amount"`
}

// UnitThreshold is a unit's own threshold for one condition of a target
// of a program family: set by the unit in its derived program, or a quota
// assigned to it by the unit above (Quota true).
type UnitThreshold struct {
	Unit      string
	Target    string
	Condition int
	Threshold float64
	Quota     bool
}

// Derived reports whether the program is derived from another.
func (p *Program) Derived() bool { return p.Parent != "" }

// DerivedCode is the code of the program a unit derives from parent.
func DerivedCode(parent, unitCode string) string { return parent + "-" + unitCode }

// Derive starts the program of a unit (owner, with its committee's name)
// from parent: same term, the parent's targets, nothing of its own yet.
func Derive(parent *Program, owner unit.Unit, committee string) *Program {
	return &Program{
		Code:      DerivedCode(parent.Code, owner.Code),
		Name:      fmt.Sprintf("Chương trình hành động của %s, nhiệm kỳ %d–%d", committee, parent.Term.From, parent.Term.To),
		OwnerUnit: owner.Code,
		Parent:    parent.Code,
		Term:      parent.Term,
	}
}

// Own returns what a derived program's file and document hold: the
// program without the sub-programs and data elements it shares with its
// parent. A program that is not derived is returned as it is.
func Own(p *Program) *Program {
	if !p.Derived() {
		return p
	}
	o := *p
	o.Subprograms, o.DataElements = nil, nil
	return &o
}

// Resolve returns the derived program p with the sub-programs, targets and
// data elements of its resolved parent. They are shared with the parent,
// not copied: read them, do not change them.
func Resolve(p, parent *Program) *Program {
	r := *p
	r.Subprograms, r.DataElements = parent.Subprograms, parent.DataElements
	if r.Example == "" {
		r.Example = parent.Example // a unit's program derived from an example is one too
	}
	return &r
}

// Target returns the program's target with the code.
func (p *Program) Target(code string) (Target, bool) {
	for _, s := range p.Subprograms {
		for _, t := range s.Targets {
			if t.Code == code {
				return t, true
			}
		}
	}
	return Target{}, false
}

// Overridable reports whether a unit may hold itself to a threshold of its
// own for the condition: a comparison with a threshold. "= 0", "≥ last
// year" and tracked figures have none to change.
func (c Condition) Overridable() bool {
	switch c.Comparator {
	case GE, GT, LE, LT:
		return c.Threshold != nil
	}
	return false
}

// Quotable reports whether the target is an amount that adds up over the
// tree (money raised, people registered), so a unit can split it among
// the units below it: one count condition over the subtree, "≥" a
// threshold, every element added up.
func (p *Program) Quotable(t Target) bool {
	if len(t.Conditions) != 1 {
		return false
	}
	c := t.Conditions[0]
	if c.IsPercent() || c.Scope == Self || (c.Comparator != GE && c.Comparator != GT) || c.Threshold == nil {
		return false
	}
	for _, code := range c.Elements {
		if e, ok := p.Element(code); !ok || e.Aggregation != Sum {
			return false
		}
	}
	return true
}

// QuotaTargets lists the program's quota targets.
func (p *Program) QuotaTargets() []Target {
	var out []Target
	for _, t := range p.Targets() {
		if p.Quotable(t) {
			out = append(out, t)
		}
	}
	return out
}

// AtLeastAsStrict reports whether holding a value to own asks at least as
// much as holding it to base: ≥ 85% asks more than ≥ 80%, ≤ 2 more than ≤ 3.
func (c Comparator) AtLeastAsStrict(own, base float64) bool {
	switch c {
	case LE, LT:
		return own <= base
	}
	return own >= base
}

// Stricter returns the stricter of two thresholds under the comparator.
func (c Comparator) Stricter(a, b float64) float64 {
	if c.AtLeastAsStrict(a, b) {
		return a
	}
	return b
}

// checkAmount checks a number typed as a threshold or quota of the
// condition: a percent within 0..100, a count or sum of money not negative
// and whole. It returns a message in Vietnamese, or "".
func (p *Program) checkAmount(c Condition, v float64, what string) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "Không phải là số."
	case v < 0:
		return what + " không được âm."
	case c.IsPercent() && v > 100:
		return "Tỷ lệ phải từ 0 đến 100%."
	case !c.IsPercent() && v != math.Trunc(v):
		if p.IsMoney(c) {
			return "Số tiền phải là số đồng chẵn, không có phần lẻ."
		}
		return what + " phải là số nguyên."
	}
	return ""
}

// CheckOwnThreshold checks a unit's own threshold v for condition i of t:
// a threshold that can be changed, a valid amount, and no easier than what
// the unit is held to from above — the program's threshold where the target
// applies to units of its kind, and the quota it was assigned (nil: none).
// It returns a message in Vietnamese to show beside the field, or "".
func (p *Program) CheckOwnThreshold(t Target, i int, v float64, kind unit.Kind, quota *float64) string {
	if i < 0 || i >= len(t.Conditions) {
		return fmt.Sprintf("Chỉ tiêu %s không có điều kiện thứ %d.", t.Code, i+1)
	}
	c := t.Conditions[i]
	if !c.Overridable() {
		return "Điều kiện này không đặt ngưỡng riêng được (" + c.ThresholdText(p.IsMoney(c)) + ")."
	}
	if msg := p.checkAmount(c, v, "Ngưỡng"); msg != "" {
		return msg
	}
	easier := "thấp hơn"
	if c.Comparator == LE || c.Comparator == LT {
		easier = "cao hơn"
	}
	if t.AppliesToKind(kind) && !c.Comparator.AtLeastAsStrict(v, *c.Threshold) {
		return fmt.Sprintf("Ngưỡng riêng không được %s ngưỡng chung (%s).", easier, c.ThresholdText(p.IsMoney(c)))
	}
	if quota != nil && i == 0 && !c.Comparator.AtLeastAsStrict(v, *quota) {
		q := c
		q.Threshold = quota
		return fmt.Sprintf("Ngưỡng riêng không được %s chỉ tiêu cấp trên giao (%s).", easier, q.ThresholdText(p.IsMoney(c)))
	}
	return ""
}

// CheckQuota checks an amount assigned to a unit below for the quota
// target t. It returns a message in Vietnamese, or "".
func (p *Program) CheckQuota(t Target, amount float64) string {
	if !p.Quotable(t) {
		return fmt.Sprintf("Chỉ tiêu %s không giao theo số lượng cho cấp dưới được.", t.Code)
	}
	return p.checkAmount(t.Conditions[0], amount, "Chỉ tiêu giao")
}

// CheckDerived checks a derived program's own part against its resolved
// parent: each own threshold (for an owner of kind, assigned quota by
// target from above) and each added task. It is the one check of a derived
// program, used by the store whatever the program came from.
func CheckDerived(p, parent *Program, kind unit.Kind, quotas map[string]float64) []FieldError {
	v := &validator{}
	for i, th := range p.Thresholds {
		t, ok := parent.Target(th.Target)
		if !ok {
			v.add(fmt.Sprintf("chương trình %s không có chỉ tiêu %q", parent.Code, th.Target), "thresholds", i, "target")
			continue
		}
		var quota *float64
		if q, ok := quotas[t.Code]; ok {
			quota = &q
		}
		if msg := parent.CheckOwnThreshold(t, th.Condition, th.Threshold, kind, quota); msg != "" {
			v.add(t.Code+": "+msg, "thresholds", i, "threshold")
		}
	}
	for i, task := range p.Tasks {
		if !parent.hasSubprogram(task.Subprogram) {
			v.add(fmt.Sprintf("chương trình %s không có chương trình con %q", parent.Code, task.Subprogram), "tasks", i, "subprogram")
		}
	}
	return v.errs
}

func (p *Program) hasSubprogram(code string) bool {
	for _, s := range p.Subprograms {
		if s.Code == code {
			return true
		}
	}
	return false
}

// maxTaskLength bounds an added task's text: a paragraph, not a document.
const maxTaskLength = 2000

// CheckTask checks the text of an added task; it returns a message in
// Vietnamese, or "".
func CheckTask(text string) string {
	switch n := len([]rune(strings.TrimSpace(text))); {
	case n == 0:
		return "Hãy nhập nội dung nhiệm vụ."
	case n > maxTaskLength:
		return fmt.Sprintf("Nội dung dài %d ký tự; tối đa %d.", n, maxTaskLength)
	}
	return ""
}

// derived checks the parts of a program that a derived program has and a
// root program has not, as far as the document alone tells.
func (v *validator) derived(p *Program) {
	if !p.Derived() {
		if len(p.Thresholds) > 0 {
			v.add("chỉ chương trình cụ thể hóa (có parent) mới có ngưỡng riêng; chương trình gốc đặt ngưỡng trong từng chỉ tiêu", "thresholds")
		}
		if len(p.Tasks) > 0 {
			v.add("chỉ chương trình cụ thể hóa (có parent) mới có nhiệm vụ riêng; chương trình gốc ghi vào focus_tasks", "tasks")
		}
		return
	}
	v.code(p.Parent, "chương trình cấp trên", "parent")
	if p.Parent == p.Code {
		v.add("một chương trình không thể cụ thể hóa chính nó", "parent")
	}
	if len(p.Subprograms) > 0 {
		v.add("chương trình cụ thể hóa dùng chung các chương trình con và chỉ tiêu của chương trình cấp trên: bỏ subprograms", "subprograms")
	}
	if len(p.DataElements) > 0 {
		v.add("chương trình cụ thể hóa dùng chung các chỉ số của chương trình cấp trên: bỏ data_elements", "data_elements")
	}
	type key struct {
		target string
		cond   int
	}
	seen := map[key]bool{}
	for i, th := range p.Thresholds {
		if th.Target == "" {
			v.add("thiếu mã chỉ tiêu", "thresholds", i, "target")
		}
		if th.Condition < 0 {
			v.add(fmt.Sprintf("điều kiện số %d không hợp lệ", th.Condition), "thresholds", i, "condition")
		}
		if k := (key{th.Target, th.Condition}); seen[k] {
			v.add(fmt.Sprintf("ngưỡng riêng của %s bị lặp", th.Target), "thresholds", i)
		} else {
			seen[k] = true
		}
		if math.IsNaN(th.Threshold) || math.IsInf(th.Threshold, 0) || th.Threshold < 0 {
			v.add(fmt.Sprintf("ngưỡng %v không hợp lệ", th.Threshold), "thresholds", i, "threshold")
		}
	}
	for i, task := range p.Tasks {
		v.required(task.Subprogram, "mã chương trình con", "tasks", i, "subprogram")
		if msg := CheckTask(task.Text); msg != "" {
			v.add(msg, "tasks", i, "text")
		}
	}
}
