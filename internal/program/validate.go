package program

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/unit"
)

// FieldError is one problem with a program, at a field path such as
// "subprograms[1].targets[0].threshold", and why.
type FieldError struct {
	Path []any // keys (string) and indices (int)
	Code errs.Reason
	Args errs.Args
}

// Detail is the problem as a refused input's detail, its field the path.
func (e FieldError) Detail() errs.Detail {
	return errs.Detail{Field: e.PathString(), Code: e.Code, Args: e.Args}
}

// PathString writes the path the way the program file spells it.
func (e FieldError) PathString() string {
	var b strings.Builder
	for _, p := range e.Path {
		switch v := p.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", v)
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(v)
		}
	}
	return b.String()
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Validate checks a program; it is the one validation of a program, used by
// the file importer, the API and the editor alike.
func Validate(p *Program) []FieldError {
	v := &validator{}
	v.program(p)
	return v.errs
}

type validator struct{ errs []FieldError }

func (v *validator) add(code errs.Reason, a errs.Args, path ...any) {
	v.errs = append(v.errs, FieldError{Path: path, Code: code, Args: a})
}

// code checks a code: present (else missing) and well formed (else invalid).
func (v *validator) code(s string, missing, invalid errs.Reason, path ...any) {
	if s == "" {
		v.add(missing, errs.Args{}, path...)
	} else if !codePattern.MatchString(s) {
		v.add(invalid, errs.Args{Text: s}, path...)
	}
}

func (v *validator) required(s string, missing errs.Reason, path ...any) {
	if strings.TrimSpace(s) == "" {
		v.add(missing, errs.Args{}, path...)
	}
}

// How long a program's texts may be. A name is a line; a text (an
// objective, a task, a description) a paragraph or a few. The file itself
// is bounded too (maxProgramBytes), but one field must not take it all.
const (
	maxName = 500
	maxText = 20000
)

// name checks a required name: present and at most maxName characters.
func (v *validator) name(s string, missing errs.Reason, path ...any) {
	v.required(s, missing, path...)
	v.length(s, maxName, errs.NameTooLong, path...)
}

func (v *validator) length(s string, max int, code errs.Reason, path ...any) {
	if n := utf8.RuneCountInString(s); n > max {
		v.add(code, errs.Args{Number: float64(n), Max: float64(max)}, path...)
	}
}

// texts checks the length of each of a list of texts.
func (v *validator) texts(list []string, path ...any) {
	for i, s := range list {
		v.length(s, maxText, errs.TextTooLong, append(append([]any{}, path...), i)...)
	}
}

func (v *validator) program(p *Program) {
	v.code(p.Code, errs.ProgramCodeMissing, errs.ProgramCodeInvalid, "code")
	v.name(p.Name, errs.ProgramNameMissing, "name")
	v.required(p.OwnerUnit, errs.OwnerUnitMissing, "owner_unit")
	v.length(p.Preamble, maxText, errs.TextTooLong, "preamble")
	v.texts(p.Purpose, "purpose")
	v.texts(p.Requirements, "requirements")
	v.texts(p.Implementation, "implementation")
	if p.Term.From < 1945 || p.Term.From > 2200 {
		v.add(errs.TermFromInvalid, errs.Args{Number: float64(p.Term.From)}, "term", "from")
	}
	if p.Term.To < p.Term.From || p.Term.To > 2200 {
		v.add(errs.TermToInvalid, errs.Args{Number: float64(p.Term.To), Min: float64(p.Term.From)}, "term", "to")
	}
	elements := map[string]DataElement{}
	for i, e := range p.DataElements {
		v.element(e, i, elements)
		if e.Code != "" {
			elements[e.Code] = e
		}
	}
	for i, e := range p.DataElements {
		if e.Denominator == "" {
			continue
		}
		d, ok := elements[e.Denominator]
		switch {
		case !ok:
			v.add(errs.DenominatorUnknown, errs.Args{Element: e.Denominator}, "data_elements", i, "denominator")
		case d.Code == e.Code:
			v.add(errs.DenominatorSelf, errs.Args{}, "data_elements", i, "denominator")
		case d.PeriodType != e.PeriodType:
			v.add(errs.DenominatorPeriod, errs.Args{Element: d.Code, PeriodType: d.PeriodType, Other: &errs.Args{PeriodType: e.PeriodType}}, "data_elements", i, "denominator")
		}
	}
	v.derived(p)
	v.continuation(p)
	if len(p.Subprograms) == 0 && !p.Derived() {
		v.add(errs.SubprogramsMissing, errs.Args{}, "subprograms")
	}
	subCodes, targetCodes := map[string]bool{}, map[string]bool{}
	for i, s := range p.Subprograms {
		v.code(s.Code, errs.SubprogramCodeMissing, errs.SubprogramCodeInvalid, "subprograms", i, "code")
		if subCodes[s.Code] {
			v.add(errs.SubprogramRepeated, errs.Args{Text: s.Code}, "subprograms", i, "code")
		}
		subCodes[s.Code] = true
		v.name(s.Name, errs.SubprogramNameMissing, "subprograms", i, "name")
		if len(s.Objectives) == 0 {
			v.add(errs.ObjectivesMissing, errs.Args{}, "subprograms", i, "objectives")
		}
		v.texts(s.Objectives, "subprograms", i, "objectives")
		v.texts(s.FocusTasks, "subprograms", i, "focus_tasks")
		v.texts(s.Solutions, "subprograms", i, "solutions")
		for j, t := range s.Targets {
			if targetCodes[t.Code] {
				v.add(errs.TargetRepeated, errs.Args{Target: t.Code}, "subprograms", i, "targets", j, "code")
			}
			targetCodes[t.Code] = true
			v.target(t, len(s.Objectives), elements, "subprograms", i, "targets", j)
		}
	}
}

func (v *validator) element(e DataElement, i int, seen map[string]DataElement) {
	at := func(field string) []any { return []any{"data_elements", i, field} }
	v.code(e.Code, errs.ElementCodeMissing, errs.ElementCodeInvalid, at("code")...)
	if _, dup := seen[e.Code]; dup {
		v.add(errs.ElementRepeated, errs.Args{Element: e.Code}, at("code")...)
	}
	v.name(e.Name, errs.ElementNameMissing, at("name")...)
	v.length(e.ShortName, maxName, errs.NameTooLong, at("short_name")...)
	v.length(e.Description, maxText, errs.TextTooLong, at("description")...)
	switch e.ValueType {
	case Integer, Money, Percent, Boolean:
	default:
		v.add(errs.ValueTypeInvalid, errs.Args{Text: string(e.ValueType)}, at("value_type")...)
	}
	switch e.Aggregation {
	case Sum, Last, Max:
	default:
		v.add(errs.AggregationInvalid, errs.Args{Text: string(e.Aggregation)}, at("aggregation")...)
	}
	if _, err := period.ParseType(e.PeriodType); err != nil {
		v.add(errs.PeriodTypeInvalid, errs.Args{Text: e.PeriodType}, at("period_type")...)
	}
	v.kinds(e.CollectedAt, at("collected_at")...)
	if e.Source != "reported" && !strings.HasPrefix(e.Source, "derived:") {
		v.add(errs.SourceInvalid, errs.Args{Text: e.Source}, at("source")...)
	}
	if e.TypedUntil != 0 && (e.Source == "reported" || e.TypedUntil < 1990 || e.TypedUntil > 2100) {
		v.add(errs.TypedUntilInvalid, errs.Args{Number: float64(e.TypedUntil)}, at("typed_until")...)
	}
}

func (v *validator) kinds(kinds []unit.Kind, path ...any) {
	if len(kinds) == 0 {
		v.add(errs.KindsMissing, errs.Args{}, path...)
	}
	for j, k := range kinds {
		if _, err := unit.ParseKind(string(k)); err != nil {
			v.add(errs.BadKind, errs.Args{Text: string(k)}, append(path, j)...)
		}
	}
}

func (v *validator) target(t Target, objectives int, elements map[string]DataElement, path ...any) {
	at := func(rest ...any) []any { return append(append([]any{}, path...), rest...) }
	v.code(t.Code, errs.TargetCodeMissing, errs.TargetCodeInvalid, at("code")...)
	v.name(t.Name, errs.TargetNameMissing, at("name")...)
	v.required(t.Measure, errs.MeasureMissing, at("measure")...)
	v.length(t.Measure, maxText, errs.TextTooLong, at("measure")...)
	if t.Objective < 1 || t.Objective > objectives {
		v.add(errs.ObjectiveMissing, errs.Args{Number: float64(t.Objective), Max: float64(objectives)}, at("objective")...)
	}
	targetType, err := period.ParseType(t.PeriodType)
	if err != nil {
		v.add(errs.PeriodTypeInvalid, errs.Args{Text: t.PeriodType}, at("period_type")...)
	}
	v.kinds(t.AppliesTo, at("applies_to")...)
	if len(t.Conditions) == 0 {
		v.add(errs.ConditionsMissing, errs.Args{}, at("conditions")...)
	}
	for i, c := range t.Conditions {
		cp := at("conditions", i)
		cat := func(field string) []any { return append(append([]any{}, cp...), field) }
		v.name(c.Label, errs.ConditionLabelMissing, cat("label")...)
		switch c.Scope {
		case "", Subtree, Self:
		default:
			v.add(errs.ScopeInvalid, errs.Args{Text: string(c.Scope)}, cat("scope")...)
		}
		hasCount, hasRatio := len(c.Elements) > 0, len(c.Numerator) > 0 || len(c.Denominator) > 0
		switch {
		case hasCount && hasRatio:
			v.add(errs.CountAndRatio, errs.Args{}, cp...)
		case !hasCount && !hasRatio:
			v.add(errs.CountOrRatioMissing, errs.Args{}, cp...)
		case hasRatio && (len(c.Numerator) == 0 || len(c.Denominator) == 0):
			v.add(errs.RatioIncomplete, errs.Args{}, cp...)
		}
		for _, field := range []struct {
			name  string
			codes []string
		}{{"elements", c.Elements}, {"numerator", c.Numerator}, {"denominator", c.Denominator}} {
			for j, code := range field.codes {
				e, ok := elements[code]
				if !ok {
					v.add(errs.ConditionElementUnknown, errs.Args{Element: code}, append(cat(field.name), j)...)
					continue
				}
				if et, err := period.ParseType(e.PeriodType); err == nil && targetType != 0 && et > targetType {
					v.add(errs.ConditionElementLonger, errs.Args{Element: code, PeriodType: e.PeriodType, Other: &errs.Args{PeriodType: t.PeriodType}}, append(cat(field.name), j)...)
				}
			}
		}
		switch c.Comparator {
		case GE, GT, LE, LT, EQ:
			if c.Threshold == nil {
				v.add(errs.ThresholdMissing, errs.Args{Text: string(c.Comparator)}, cat("threshold")...)
			} else if t := *c.Threshold; math.IsNaN(t) || math.IsInf(t, 0) || t < 0 || (hasRatio && t > 100) {
				v.add(errs.ThresholdInvalid, errs.Args{Number: t}, cat("threshold")...)
			}
		case GEPreviousYear, Tracked:
			if c.Threshold != nil {
				v.add(errs.ThresholdUnused, errs.Args{Text: string(c.Comparator)}, cat("threshold")...)
			}
		default:
			v.add(errs.ComparatorInvalid, errs.Args{Text: string(c.Comparator)}, cat("comparator")...)
		}
	}
}

// asError turns field errors into one Invalid error, each detail naming its
// field and, when known, its line.
func asError(fes []FieldError, line func(FieldError) int) error {
	if len(fes) == 0 {
		return nil
	}
	details := make([]errs.Detail, len(fes))
	for i, fe := range fes {
		details[i] = fe.Detail()
		if line != nil {
			details[i].Row = line(fe)
		}
	}
	return errs.WithDetails(fmt.Sprintf("chương trình có %d lỗi; không có gì được ghi", len(fes)), details)
}
