// Package form holds report forms (biểu mẫu báo cáo): what a committee
// fills in and submits for one period. A program's forms are derived from
// its data elements, one form per period type, so a new program needs no
// form definitions of its own.
package form

import (
	"fmt"
	"time"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
)

// Form is one report form of a program.
type Form struct {
	Code       string // "NAM", "QUY", "THANG": stable, used in URLs and the database
	Name       string // "Báo cáo năm"
	PeriodType period.Type
	// Elements are the program's reported elements of the form's period
	// type, in the program's order, and the derived ones some years of
	// which are typed (TypedUntil); For(p) keeps those typed in p. Other
	// derived elements (source derived:…) are computed from daily work and
	// never typed in.
	Elements []program.DataElement
	// Narrative: the monthly people's situation report (báo cáo tình hình
	// nhân dân, T1.2) is written text; whether it came on time is the figure.
	Narrative bool
}

// Codes of the forms, by period type.
const (
	Yearly    = "NAM"
	Quarterly = "QUY"
	Monthly   = "THANG"
)

// SubmittingKinds are the committees that submit forms. A commune's form
// also carries its residential areas' figures: their working committees
// have no accounts, the commune officer enters for them.
var SubmittingKinds = []unit.Kind{unit.Province, unit.District, unit.Commune}

// Submits reports whether units of kind k submit forms.
func Submits(k unit.Kind) bool {
	for _, s := range SubmittingKinds {
		if s == k {
			return true
		}
	}
	return false
}

// Of derives the program's forms: yearly, quarterly and monthly, each only
// when the program has elements of that period type or, for the monthly
// form, a target measured monthly.
func Of(p *program.Program) []Form {
	var out []Form
	for _, d := range []struct {
		code, name string
		t          period.Type
	}{
		{Yearly, "Báo cáo năm", period.Yearly},
		{Quarterly, "Báo cáo quý", period.Quarterly},
		{Monthly, "Báo cáo tình hình nhân dân tháng", period.Monthly},
	} {
		f := Form{Code: d.code, Name: d.name, PeriodType: d.t, Narrative: d.t == period.Monthly}
		for _, e := range p.DataElements {
			if e.PeriodType == d.t.String() && (e.Source == "reported" || e.TypedUntil > 0) {
				f.Elements = append(f.Elements, e)
			}
		}
		if len(f.Elements) > 0 || f.Narrative && hasMonthlyTarget(p) {
			out = append(out, f)
		}
	}
	return out
}

func hasMonthlyTarget(p *program.Program) bool {
	for _, t := range p.Targets() {
		if t.PeriodType == period.Monthly.String() {
			return true
		}
	}
	return false
}

// Find returns the program's form with the code.
func Find(p *program.Program, code string) (Form, error) {
	for _, f := range Of(p) {
		if f.Code == code {
			return f, nil
		}
	}
	return Form{}, fmt.Errorf("chương trình %s không có biểu mẫu %q", p.Code, code)
}

// For is the form of period p: without the elements whose figures of
// p's year its module computes (the casework counts from 2024 on, typed
// before).
func (f Form) For(p period.Period) Form {
	out := f
	out.Elements = nil
	for _, e := range f.Elements {
		if e.Typed(p.Year) {
			out.Elements = append(out.Elements, e)
		}
	}
	return out
}

// ElementsAt lists the form's elements that units of kind k report.
func (f Form) ElementsAt(k unit.Kind) []program.DataElement {
	var out []program.DataElement
	for _, e := range f.Elements {
		if e.CollectedAtKind(k) {
			out = append(out, e)
		}
	}
	return out
}

// DefaultDeadline is when a unit's form for p is due, unless an admin set
// another: a month's report by the 5th of the next month, a quarter's by the
// 10th after it, a year's by 15 December of the year itself (the yearly
// review conferences are held before the year ends). Lower levels report
// first so the level above can consolidate: a district five days, a
// province ten days after a commune.
func DefaultDeadline(p period.Period, k unit.Kind) time.Time {
	var d time.Time
	switch p.Type {
	case period.Monthly:
		d = p.End().AddDate(0, 0, 5)
	case period.Quarterly, period.SixMonthly:
		d = p.End().AddDate(0, 0, 10)
	default:
		d = time.Date(p.Year, 12, 15, 0, 0, 0, 0, time.UTC)
	}
	switch k {
	case unit.District:
		d = d.AddDate(0, 0, 5)
	case unit.Province:
		d = d.AddDate(0, 0, 10)
	}
	return d
}

// CodeFor is the code of the form that carries elements of period type t.
func CodeFor(t period.Type) (string, bool) {
	switch t {
	case period.Yearly:
		return Yearly, true
	case period.Quarterly:
		return Quarterly, true
	case period.Monthly:
		return Monthly, true
	}
	return "", false
}

// Reporter is the unit whose report carries u's figures: u itself for a
// committee that submits, its commune for a residential area; ok is false
// for other units.
func Reporter(u unit.Unit) (id int64, ok bool) {
	switch {
	case Submits(u.Kind):
		return u.ID, true
	case u.Kind == unit.ResidentialArea:
		return u.ParentID, true
	}
	return 0, false
}
