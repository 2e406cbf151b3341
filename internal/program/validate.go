package program

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/unit"
)

// FieldError is one problem with a program, at a field path such as
// "subprograms[1].targets[0].threshold".
type FieldError struct {
	Path    []any // keys (string) and indices (int)
	Message string
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

func (v *validator) add(msg string, path ...any) {
	v.errs = append(v.errs, FieldError{Path: path, Message: msg})
}

func (v *validator) code(s, what string, path ...any) {
	if s == "" {
		v.add("thiếu mã "+what, path...)
	} else if !codePattern.MatchString(s) {
		v.add(fmt.Sprintf("mã %s %q không hợp lệ (chữ, số, dấu . _ -; tối đa 64 ký tự)", what, s), path...)
	}
}

func (v *validator) required(s, what string, path ...any) {
	if strings.TrimSpace(s) == "" {
		v.add("thiếu "+what, path...)
	}
}

func (v *validator) program(p *Program) {
	v.code(p.Code, "chương trình", "code")
	v.required(p.Name, "tên chương trình", "name")
	v.required(p.OwnerUnit, "mã đơn vị ban hành", "owner_unit")
	if p.Term.From < 1945 || p.Term.From > 2200 {
		v.add(fmt.Sprintf("năm bắt đầu nhiệm kỳ %d không hợp lệ", p.Term.From), "term", "from")
	}
	if p.Term.To < p.Term.From || p.Term.To > 2200 {
		v.add(fmt.Sprintf("năm kết thúc nhiệm kỳ %d không hợp lệ (phải từ %d)", p.Term.To, p.Term.From), "term", "to")
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
			v.add(fmt.Sprintf("mẫu số %q không có trong data_elements", e.Denominator), "data_elements", i, "denominator")
		case d.Code == e.Code:
			v.add("một chỉ số không thể là mẫu số của chính nó", "data_elements", i, "denominator")
		case d.PeriodType != e.PeriodType:
			v.add(fmt.Sprintf("mẫu số %q có kỳ %s, khác kỳ %s của tử số", d.Code, d.PeriodType, e.PeriodType), "data_elements", i, "denominator")
		}
	}
	v.derived(p)
	v.continuation(p)
	if len(p.Subprograms) == 0 && !p.Derived() {
		v.add("chương trình phải có ít nhất một chương trình con", "subprograms")
	}
	subCodes, targetCodes := map[string]bool{}, map[string]bool{}
	for i, s := range p.Subprograms {
		v.code(s.Code, "chương trình con", "subprograms", i, "code")
		if subCodes[s.Code] {
			v.add(fmt.Sprintf("mã chương trình con %q bị lặp", s.Code), "subprograms", i, "code")
		}
		subCodes[s.Code] = true
		v.required(s.Name, "tên chương trình con", "subprograms", i, "name")
		if len(s.Objectives) == 0 {
			v.add("chương trình con phải có ít nhất một mục tiêu", "subprograms", i, "objectives")
		}
		for j, t := range s.Targets {
			if targetCodes[t.Code] {
				v.add(fmt.Sprintf("mã chỉ tiêu %q bị lặp", t.Code), "subprograms", i, "targets", j, "code")
			}
			targetCodes[t.Code] = true
			v.target(t, len(s.Objectives), elements, "subprograms", i, "targets", j)
		}
	}
}

func (v *validator) element(e DataElement, i int, seen map[string]DataElement) {
	at := func(field string) []any { return []any{"data_elements", i, field} }
	v.code(e.Code, "chỉ số", at("code")...)
	if _, dup := seen[e.Code]; dup {
		v.add(fmt.Sprintf("mã chỉ số %q bị lặp", e.Code), at("code")...)
	}
	v.required(e.Name, "tên chỉ số", at("name")...)
	switch e.ValueType {
	case Integer, Money, Percent, Boolean:
	default:
		v.add(fmt.Sprintf("kiểu giá trị %q không hợp lệ (integer, money, percent, boolean)", e.ValueType), at("value_type")...)
	}
	switch e.Aggregation {
	case Sum, Last, Max:
	default:
		v.add(fmt.Sprintf("cách tổng hợp %q không hợp lệ (sum, last, max)", e.Aggregation), at("aggregation")...)
	}
	if _, err := period.ParseType(e.PeriodType); err != nil {
		v.add(fmt.Sprintf("loại kỳ %q không hợp lệ (monthly, quarterly, sixmonthly, yearly)", e.PeriodType), at("period_type")...)
	}
	v.kinds(e.CollectedAt, at("collected_at")...)
	if e.Source != "reported" && !strings.HasPrefix(e.Source, "derived:") {
		v.add(fmt.Sprintf("nguồn %q không hợp lệ (reported hoặc derived:<phân hệ>)", e.Source), at("source")...)
	}
}

func (v *validator) kinds(kinds []unit.Kind, path ...any) {
	if len(kinds) == 0 {
		v.add("cần ít nhất một loại đơn vị", path...)
	}
	for j, k := range kinds {
		if _, err := unit.ParseKind(string(k)); err != nil {
			v.add(err.Error(), append(path, j)...)
		}
	}
}

func (v *validator) target(t Target, objectives int, elements map[string]DataElement, path ...any) {
	at := func(rest ...any) []any { return append(append([]any{}, path...), rest...) }
	v.code(t.Code, "chỉ tiêu", at("code")...)
	v.required(t.Name, "tên chỉ tiêu", at("name")...)
	v.required(t.Measure, "cách đo (measure)", at("measure")...)
	if t.Objective < 1 || t.Objective > objectives {
		v.add(fmt.Sprintf("mục tiêu số %d không có (chương trình con có %d mục tiêu)", t.Objective, objectives), at("objective")...)
	}
	targetType, err := period.ParseType(t.PeriodType)
	if err != nil {
		v.add(fmt.Sprintf("loại kỳ %q không hợp lệ (monthly, quarterly, sixmonthly, yearly)", t.PeriodType), at("period_type")...)
	}
	v.kinds(t.AppliesTo, at("applies_to")...)
	if len(t.Conditions) == 0 {
		v.add("chỉ tiêu phải có ít nhất một điều kiện", at("conditions")...)
	}
	for i, c := range t.Conditions {
		cp := at("conditions", i)
		cat := func(field string) []any { return append(append([]any{}, cp...), field) }
		v.required(c.Label, "nhãn điều kiện", cat("label")...)
		switch c.Scope {
		case "", Subtree, Self:
		default:
			v.add(fmt.Sprintf("phạm vi %q không hợp lệ (subtree hoặc self)", c.Scope), cat("scope")...)
		}
		hasCount, hasRatio := len(c.Elements) > 0, len(c.Numerator) > 0 || len(c.Denominator) > 0
		switch {
		case hasCount && hasRatio:
			v.add("dùng elements (đếm) hoặc numerator/denominator (tỷ lệ), không dùng cả hai", cp...)
		case !hasCount && !hasRatio:
			v.add("thiếu elements hoặc numerator/denominator", cp...)
		case hasRatio && (len(c.Numerator) == 0 || len(c.Denominator) == 0):
			v.add("tỷ lệ cần cả numerator và denominator", cp...)
		}
		for _, field := range []struct {
			name  string
			codes []string
		}{{"elements", c.Elements}, {"numerator", c.Numerator}, {"denominator", c.Denominator}} {
			for j, code := range field.codes {
				e, ok := elements[code]
				if !ok {
					v.add(fmt.Sprintf("chỉ số %q không có trong data_elements", code), append(cat(field.name), j)...)
					continue
				}
				if et, err := period.ParseType(e.PeriodType); err == nil && targetType != 0 && et > targetType {
					v.add(fmt.Sprintf("chỉ số %q theo kỳ %s, dài hơn kỳ %s của chỉ tiêu", code, e.PeriodType, t.PeriodType), append(cat(field.name), j)...)
				}
			}
		}
		switch c.Comparator {
		case GE, GT, LE, LT, EQ:
			if c.Threshold == nil {
				v.add("thiếu ngưỡng (threshold) cho phép so sánh "+string(c.Comparator), cat("threshold")...)
			} else if t := *c.Threshold; math.IsNaN(t) || math.IsInf(t, 0) || t < 0 || (hasRatio && t > 100) {
				v.add(fmt.Sprintf("ngưỡng %v không hợp lệ cho điều kiện này", *c.Threshold), cat("threshold")...)
			}
		case GEPreviousYear, Tracked:
			if c.Threshold != nil {
				v.add("phép so sánh "+string(c.Comparator)+" không dùng ngưỡng", cat("threshold")...)
			}
		default:
			v.add(fmt.Sprintf("phép so sánh %q không hợp lệ (ge, gt, le, lt, eq, ge_previous_year, tracked)", c.Comparator), cat("comparator")...)
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
		details[i] = errs.Detail{Field: fe.PathString(), Message: fe.Message}
		if line != nil {
			details[i].Row = line(fe)
		}
	}
	return errs.WithDetails(fmt.Sprintf("chương trình có %d lỗi; không có gì được ghi", len(fes)), details)
}
