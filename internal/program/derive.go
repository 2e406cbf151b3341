package program

import (
	"fmt"
	"math"
	"strings"

	"mattran/internal/errs"
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
// and whole. It returns why it is refused, or nil.
func (p *Program) checkAmount(c Condition, v float64, negative, notWhole errs.Reason) *errs.Detail {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return refusal(errs.AmountNotNumber, errs.Args{})
	case v < 0:
		return refusal(negative, errs.Args{Number: v})
	case c.IsPercent() && v > 100:
		return refusal(errs.PercentOver100, errs.Args{Number: v})
	case !c.IsPercent() && v != math.Trunc(v):
		if p.IsMoney(c) {
			return refusal(errs.MoneyNotWhole, errs.Args{Number: v})
		}
		return refusal(notWhole, errs.Args{Number: v})
	}
	return nil
}

// CheckOwnThreshold checks a unit's own threshold v for condition i of t:
// a threshold that can be changed, a valid amount, and no easier than what
// the unit is held to from above — the program's threshold where the target
// applies to units of its kind, and the quota it was assigned (nil: none).
// It returns why it is refused, to show beside the field, or nil.
func (p *Program) CheckOwnThreshold(t Target, i int, v float64, kind unit.Kind, quota *float64) *errs.Detail {
	if i < 0 || i >= len(t.Conditions) {
		return refusal(errs.NoSuchCondition, errs.Args{Target: t.Code, Number: float64(i + 1)})
	}
	c := t.Conditions[i]
	if !c.Overridable() {
		return refusal(errs.ThresholdFixed, errs.Args{Target: t.Code, Text: c.ThresholdText(p.IsMoney(c))})
	}
	if d := p.checkAmount(c, v, errs.ThresholdNegative, errs.ThresholdNotWhole); d != nil {
		return d
	}
	belowCommon, belowQuota := errs.BelowCommonThreshold, errs.BelowQuota
	if c.Comparator == LE || c.Comparator == LT {
		belowCommon, belowQuota = errs.AboveCommonThreshold, errs.AboveQuota
	}
	if t.AppliesToKind(kind) && !c.Comparator.AtLeastAsStrict(v, *c.Threshold) {
		return refusal(belowCommon, errs.Args{Target: t.Code, Number: v, Text: c.ThresholdText(p.IsMoney(c))})
	}
	if quota != nil && i == 0 && !c.Comparator.AtLeastAsStrict(v, *quota) {
		q := c
		q.Threshold = quota
		return refusal(belowQuota, errs.Args{Target: t.Code, Number: v, Text: q.ThresholdText(p.IsMoney(c))})
	}
	return nil
}

// CheckQuota checks an amount assigned to a unit below for the quota
// target t. It returns why it is refused, or nil.
func (p *Program) CheckQuota(t Target, amount float64) *errs.Detail {
	if !p.Quotable(t) {
		return refusal(errs.NotQuotaTarget, errs.Args{Target: t.Code})
	}
	return p.checkAmount(t.Conditions[0], amount, errs.QuotaNegative, errs.QuotaNotWhole)
}

func refusal(code errs.Reason, a errs.Args) *errs.Detail { return &errs.Detail{Code: code, Args: a} }

// CheckDerived checks a derived program's own part against its resolved
// parent: each own threshold (for an owner of kind, assigned quota by
// target from above) and each added task. It is the one check of a derived
// program, used by the store whatever the program came from.
func CheckDerived(p, parent *Program, kind unit.Kind, quotas map[string]float64) []FieldError {
	v := &validator{}
	for i, th := range p.Thresholds {
		t, ok := parent.Target(th.Target)
		if !ok {
			v.add(errs.UnknownTarget, errs.Args{Program: parent.Code, Target: th.Target}, "thresholds", i, "target")
			continue
		}
		var quota *float64
		if q, ok := quotas[t.Code]; ok {
			quota = &q
		}
		if d := parent.CheckOwnThreshold(t, th.Condition, th.Threshold, kind, quota); d != nil {
			v.add(d.Code, d.Args, "thresholds", i, "threshold")
		}
	}
	for i, task := range p.Tasks {
		if !parent.hasSubprogram(task.Subprogram) {
			v.add(errs.UnknownSubprogram, errs.Args{Program: parent.Code, Text: task.Subprogram}, "tasks", i, "subprogram")
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

// CheckTask checks the text of an added task; it returns why it is
// refused, or nil.
func CheckTask(text string) *errs.Detail {
	switch n := len([]rune(strings.TrimSpace(text))); {
	case n == 0:
		return refusal(errs.TaskEmpty, errs.Args{})
	case n > maxTaskLength:
		return refusal(errs.TextTooLong, errs.Args{Number: float64(n), Max: maxTaskLength})
	}
	return nil
}

// derived checks the parts of a program that a derived program has and a
// root program has not, as far as the document alone tells.
func (v *validator) derived(p *Program) {
	if !p.Derived() {
		if len(p.Thresholds) > 0 {
			v.add(errs.OwnThresholdsInRoot, errs.Args{}, "thresholds")
		}
		if len(p.Tasks) > 0 {
			v.add(errs.OwnTasksInRoot, errs.Args{}, "tasks")
		}
		return
	}
	v.code(p.Parent, errs.ParentCodeMissing, errs.ParentCodeInvalid, "parent")
	if p.Parent == p.Code {
		v.add(errs.DerivesItself, errs.Args{}, "parent")
	}
	if len(p.Subprograms) > 0 {
		v.add(errs.DerivedSubprograms, errs.Args{}, "subprograms")
	}
	if len(p.DataElements) > 0 {
		v.add(errs.DerivedElements, errs.Args{}, "data_elements")
	}
	type key struct {
		target string
		cond   int
	}
	seen := map[key]bool{}
	for i, th := range p.Thresholds {
		if th.Target == "" {
			v.add(errs.ThresholdTargetMissing, errs.Args{}, "thresholds", i, "target")
		}
		if th.Condition < 0 {
			v.add(errs.ConditionNumberInvalid, errs.Args{Number: float64(th.Condition)}, "thresholds", i, "condition")
		}
		if k := (key{th.Target, th.Condition}); seen[k] {
			v.add(errs.OwnThresholdRepeated, errs.Args{Target: th.Target}, "thresholds", i)
		} else {
			seen[k] = true
		}
		if math.IsNaN(th.Threshold) || math.IsInf(th.Threshold, 0) || th.Threshold < 0 {
			v.add(errs.ThresholdInvalid, errs.Args{Number: th.Threshold}, "thresholds", i, "threshold")
		}
	}
	for i, task := range p.Tasks {
		v.required(task.Subprogram, errs.TaskSubprogramMissing, "tasks", i, "subprogram")
		if d := CheckTask(task.Text); d != nil {
			v.add(d.Code, d.Args, "tasks", i, "text")
		}
	}
}
