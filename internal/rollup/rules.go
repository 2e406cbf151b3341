package rollup

import (
	"time"

	"mattran/internal/errs"
	"mattran/internal/program"
	"mattran/internal/value"
)

// RuleKind is how the figure of a unit that was split is shared among the
// units that took it over, when figures are read on the tree of a later
// day (or how the figure of a new unit made from parts of several old ones
// is shared among them, on the tree of an earlier day).
type RuleKind string

const (
	// Largest: the whole figure goes to the unit that received most of
	// the split one (most of its residential areas).
	Largest RuleKind = "largest"
	// ByAreas: shared in proportion to the residential areas each received.
	ByAreas RuleKind = "areas"
	// ByHouseholds: in proportion to the households of those areas.
	ByHouseholds RuleKind = "households"
	// ByPopulation: in proportion to their population.
	ByPopulation RuleKind = "population"
)

// RuleKinds lists the kinds as the rules page offers them.
var RuleKinds = []RuleKind{ByAreas, ByHouseholds, ByPopulation, Largest}

// Label is the kind as users read it.
func (k RuleKind) Label() string {
	switch k {
	case Largest:
		return "giao cả cho đơn vị nhận phần lớn nhất (nhiều khu dân cư nhất)"
	case ByAreas:
		return "chia theo số khu dân cư"
	case ByHouseholds:
		return "chia theo số hộ"
	case ByPopulation:
		return "chia theo dân số"
	}
	return string(k)
}

// Rule is the rule an administrator declared for one data element. An
// element without one is shared by residential areas (DefaultRule).
type Rule struct {
	Element string   `json:"dataElement"`
	Kind    RuleKind `json:"rule"`
	// Weight is the element that counts households or population, for
	// those kinds: the residential areas' figure of the year before the
	// split.
	Weight  string    `json:"weightElement,omitempty"`
	SetBy   string    `json:"setBy,omitempty"`
	SetAt   time.Time `json:"setAt,omitzero"`
	Default bool      `json:"default,omitempty"` // no rule was declared
}

// DefaultRule is the rule of an element nobody declared one for.
func DefaultRule(element string) Rule {
	return Rule{Element: element, Kind: ByAreas, Default: true}
}

// Label is the rule in words, naming its weight element.
func (r Rule) Label() string {
	s := r.Kind.Label()
	if r.Weight != "" && (r.Kind == ByHouseholds || r.Kind == ByPopulation) {
		s += " (chỉ số " + r.Weight + ")"
	}
	if r.Default {
		s += ", mặc định"
	}
	return s
}

// key names what the rule's shares depend on: rules of the same kind and
// weight share the same way.
func (r Rule) key() string { return string(r.Kind) + "|" + r.Weight }

// Validate checks a rule against the stored elements: a known element, a
// known kind, and for households and population a weight element that
// counts them at residential areas, yearly, as a whole number.
func (r Rule) Validate(elements map[string]*value.Element) error {
	var details []errs.Detail
	if _, ok := elements[r.Element]; !ok {
		details = append(details, errs.Detail{Field: "dataElement", Code: errs.UnknownElement, Args: errs.Args{Text: r.Element}})
	}
	switch r.Kind {
	case Largest, ByAreas:
		if r.Weight != "" {
			details = append(details, errs.Detail{Field: "weightElement", Code: errs.RuleNoWeight})
		}
	case ByHouseholds, ByPopulation:
		w, ok := elements[r.Weight]
		switch {
		case r.Weight == "":
			details = append(details, errs.Detail{Field: "weightElement", Code: errs.RuleNeedsWeight, Args: errs.Args{Text: map[RuleKind]string{ByHouseholds: "số hộ", ByPopulation: "dân số"}[r.Kind]}})
		case !ok:
			details = append(details, errs.Detail{Field: "weightElement", Code: errs.UnknownElement, Args: errs.Args{Text: r.Weight}})
		case w.ValueType != program.Integer || !w.CollectedAtKind("residential_area") || w.PeriodType != "yearly":
			details = append(details, errs.Detail{Field: "weightElement", Code: errs.RuleBadWeight, Args: errs.Args{Element: r.Weight}})
		}
	default:
		details = append(details, errs.Detail{Field: "rule", Code: errs.RuleUnknown, Args: errs.Args{Text: string(r.Kind)}})
	}
	if len(details) > 0 {
		return errs.WithDetails("quy tắc phân bổ không hợp lệ; không có gì được ghi", details)
	}
	return nil
}
