// Package program holds an action program as data: its sub-programs
// (CT1..CT5), their objectives, measurable targets, focus tasks and
// solutions, and the data elements the targets are computed from.
package program

import (
	"slices"

	"mattran/internal/unit"
)

// ValueType is what a data element's values are.
type ValueType string

const (
	Integer ValueType = "integer" // a count of people, households, contents…
	Money   ValueType = "money"   // whole đồng
	Percent ValueType = "percent" // 0..100
	Boolean ValueType = "boolean" // 0 or 1
)

// Aggregation is how values combine over units and over time.
type Aggregation string

const (
	Sum  Aggregation = "sum"  // add up over units and periods
	Last Aggregation = "last" // a stock: the latest period's values, added up over units
	Max  Aggregation = "max"  // the largest value
)

// Comparator is how a target's value is judged against its threshold.
type Comparator string

const (
	GE             Comparator = "ge" // value ≥ threshold
	GT             Comparator = "gt"
	LE             Comparator = "le"
	LT             Comparator = "lt"
	EQ             Comparator = "eq"
	GEPreviousYear Comparator = "ge_previous_year" // value ≥ the same period's value a year earlier
	Tracked        Comparator = "tracked"          // no threshold: shown, trended and compared
)

// Holds reports whether v stands to threshold as the comparator says; for
// "≥ last year" the threshold is last year's value. Tracked holds nothing.
func (c Comparator) Holds(v, threshold float64) bool {
	switch c {
	case GE, GEPreviousYear:
		return v >= threshold
	case GT:
		return v > threshold
	case LE:
		return v <= threshold
	case LT:
		return v < threshold
	case EQ:
		return v == threshold
	}
	return false
}

// Scope says whose figures a target condition counts.
type Scope string

const (
	Subtree Scope = "subtree" // the unit and everything below it (households, money raised)
	Self    Scope = "self"    // the unit's own committee only (contents it supervised itself)
)

// DataElement is a raw figure collected or computed per unit and period.
type DataElement struct {
	Code        string      `yaml:"code" json:"code"`
	Name        string      `yaml:"name" json:"name"`
	ShortName   string      `yaml:"short_name,omitempty" json:"shortName,omitempty"`
	Description string      `yaml:"description,omitempty" json:"description,omitempty"`
	ValueType   ValueType   `yaml:"value_type" json:"valueType"`
	Aggregation Aggregation `yaml:"aggregation" json:"aggregation"`
	PeriodType  string      `yaml:"period_type" json:"periodType"`
	CollectedAt []unit.Kind `yaml:"collected_at" json:"collectedAt"`
	// Denominator names the element this one is a part of: a value may not
	// exceed the denominator's value for the same unit and period.
	Denominator string `yaml:"denominator,omitempty" json:"denominator,omitempty"`
	// YesNo: each unit that reports the element says 1 (yes) or 0 (no),
	// and the sum above is a count of units ("khu dân cư văn hóa": 1 if
	// the area was recognised). The entry form shows a checkbox.
	YesNo bool `yaml:"yes_no,omitempty" json:"yesNo,omitempty"`
	// Source is "reported" (typed in or imported) or "derived:<module>"
	// (computed from daily work, e.g. derived:casework).
	Source string `yaml:"source" json:"source"`
	// TypedUntil, for a derived element, is the last year whose figures
	// were typed in (before the module kept the records they count): those
	// years are entered on the form as before, and the module writes only
	// the years after it. Zero: every year is the module's.
	TypedUntil int `yaml:"typed_until,omitempty" json:"typedUntil,omitempty"`
}

// Typed reports whether the element's figures of a year are typed in (on
// a form, from Excel or the API) rather than computed by its module.
func (e DataElement) Typed(year int) bool {
	return e.Source == "reported" || year <= e.TypedUntil
}

// CollectedAtKind reports whether units of kind k report this element.
func (e DataElement) CollectedAtKind(k unit.Kind) bool { return slices.Contains(e.CollectedAt, k) }

// Program is a multi-year action program.
type Program struct {
	Code      string `yaml:"code" json:"id"`
	Name      string `yaml:"name" json:"name"`
	OwnerUnit string `yaml:"owner_unit" json:"ownerUnit"` // code of the committee that issued it
	Parent    string `yaml:"parent,omitempty" json:"parent,omitempty"`
	Term      Term   `yaml:"term" json:"term"`
	Preamble  string `yaml:"preamble,omitempty" json:"preamble,omitempty"`
	// Purpose and Requirements are section I (Mục đích, yêu cầu).
	Purpose      []string `yaml:"purpose,omitempty" json:"purpose,omitempty"`
	Requirements []string `yaml:"requirements,omitempty" json:"requirements,omitempty"`
	// Subprograms are section II: the numbered programs CT1..CTn.
	Subprograms []Subprogram `yaml:"subprograms,omitempty" json:"subprograms"`
	// Implementation is section III (Tổ chức thực hiện).
	Implementation []string      `yaml:"implementation,omitempty" json:"implementation,omitempty"`
	DataElements   []DataElement `yaml:"data_elements,omitempty" json:"dataElements"`
	// A derived program (Parent set; derive.go) states only what is its
	// own: its owner's thresholds and its added tasks. Its sub-programs,
	// targets and data elements are its parent's.
	Thresholds []OwnThreshold `yaml:"thresholds,omitempty" json:"thresholds,omitempty"`
	Tasks      []OwnTask      `yaml:"tasks,omitempty" json:"tasks,omitempty"`
	// Example marks a program that illustrates, not one a committee
	// adopted: every page that shows it shows this note (terms.go).
	Example string `yaml:"example,omitempty" json:"example,omitempty"`
	// Continues is the code of the program of the term before, whose
	// targets this program's carry on (Target.Continues).
	Continues string `yaml:"continues,omitempty" json:"continues,omitempty"`
}

// Term is the years a program runs, inclusive.
type Term struct {
	From int `yaml:"from" json:"from"`
	To   int `yaml:"to" json:"to"`
}

// Subprogram is one of the numbered programs (Chương trình 1..5).
type Subprogram struct {
	Code       string   `yaml:"code" json:"code"`
	Name       string   `yaml:"name" json:"name"`
	Objectives []string `yaml:"objectives" json:"objectives"`               // 1. Mục tiêu
	FocusTasks []string `yaml:"focus_tasks" json:"focusTasks"`              // 2. Nhiệm vụ trọng tâm
	Solutions  []string `yaml:"solutions" json:"solutions"`                 // 3. Những giải pháp chủ yếu
	Targets    []Target `yaml:"targets,omitempty" json:"targets,omitempty"` // measurable targets read from the objectives
}

// Target is a measurable target. It is met when all its conditions are.
type Target struct {
	Code       string      `yaml:"code" json:"code"`
	Name       string      `yaml:"name" json:"name"`
	Measure    string      `yaml:"measure" json:"measure"`     // what is counted, in words
	Objective  int         `yaml:"objective" json:"objective"` // 1-based index of the objective it measures
	PeriodType string      `yaml:"period_type" json:"periodType"`
	AppliesTo  []unit.Kind `yaml:"applies_to" json:"appliesTo"`
	Conditions []Condition `yaml:"conditions" json:"conditions"`
	// Continues is the code of the target of the previous term's program
	// (Program.Continues) that this one carries on: its trend runs through
	// the years of both.
	Continues string `yaml:"continues,omitempty" json:"continues,omitempty"`
}

// AppliesToKind reports whether units of kind k are held to the target.
func (t Target) AppliesToKind(k unit.Kind) bool { return slices.Contains(t.AppliesTo, k) }

// Condition is one measured part of a target: either a count (the sum of
// Elements) or a percent (100 × ΣNumerator / ΣDenominator, a ratio of sums,
// never an average of percents), judged by Comparator against Threshold.
type Condition struct {
	Label       string     `yaml:"label" json:"label"`
	Scope       Scope      `yaml:"scope,omitempty" json:"scope"`
	Elements    []string   `yaml:"elements,omitempty" json:"elements,omitempty"`
	Numerator   []string   `yaml:"numerator,omitempty" json:"numerator,omitempty"`
	Denominator []string   `yaml:"denominator,omitempty" json:"denominator,omitempty"`
	Comparator  Comparator `yaml:"comparator" json:"comparator"`
	Threshold   *float64   `yaml:"threshold,omitempty" json:"threshold,omitempty"`
}

// IsPercent reports whether the condition is a ratio.
func (c Condition) IsPercent() bool { return len(c.Numerator) > 0 }

// ElementCodes lists every element the condition reads.
func (c Condition) ElementCodes() []string {
	out := append([]string{}, c.Elements...)
	out = append(out, c.Numerator...)
	return append(out, c.Denominator...)
}

// Targets lists every target of the program in order.
func (p *Program) Targets() []Target {
	var out []Target
	for _, s := range p.Subprograms {
		out = append(out, s.Targets...)
	}
	return out
}

// Element returns the program's data element with the code.
func (p *Program) Element(code string) (DataElement, bool) {
	for _, e := range p.DataElements {
		if e.Code == code {
			return e, true
		}
	}
	return DataElement{}, false
}

// DenominatorOf is the code of the element the element with the code is a
// part of, or "" (value.Checkable's question).
func (p *Program) DenominatorOf(code string) string {
	e, _ := p.Element(code)
	return e.Denominator
}
