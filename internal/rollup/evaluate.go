package rollup

import (
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// Status is the verdict of a reading.
type Status string

const (
	Met           Status = "dat"           // the threshold is reached
	NotMet        Status = "chua_dat"      // it is not
	NoData        Status = "thieu_so_lieu" // a figure needed is missing
	Tracked       Status = "theo_doi"      // no threshold: the figure is only followed
	NotApplicable Status = "khong_ap_dung" // the target does not apply here (level, period, nothing to count)
)

// Label is the status as users read it.
func (s Status) Label() string {
	switch s {
	case Met:
		return "Đạt"
	case NotMet:
		return "Chưa đạt"
	case NoData:
		return "Thiếu số liệu"
	case Tracked:
		return "Theo dõi"
	case NotApplicable:
		return "Không áp dụng"
	}
	return string(s)
}

// Part is the reading of one condition of a target.
type Part struct {
	Label       string             `json:"label"`
	Percent     bool               `json:"percent"`
	Value       *float64           `json:"value"`
	Numerator   *float64           `json:"numerator,omitempty"`
	Denominator *float64           `json:"denominator,omitempty"`
	Previous    *float64           `json:"previous,omitempty"` // last year's value, for "≥ last year"
	Comparator  program.Comparator `json:"comparator"`
	Threshold   *float64           `json:"threshold,omitempty"`
	// OwnThreshold: Threshold is the unit's own (or the quota it was
	// assigned), not the program's.
	OwnThreshold bool   `json:"ownThreshold,omitempty"`
	Status       Status `json:"status"`
}

// Reading is a target's verdict at one unit: its headline value (the first
// condition's) and each condition's reading.
type Reading struct {
	Value  *float64 `json:"value"`
	Status Status   `json:"status"`
	Parts  []Part   `json:"parts"`
}

// evaluator reads targets off loaded values.
type evaluator struct {
	values   *Values
	elements map[string]*value.Element
	own      ownThresholds
}

func (ev *evaluator) sum(codes []string, u unit.Unit, p period.Period, scope program.Scope) (float64, bool) {
	var total float64
	found := false
	for _, code := range codes {
		e, ok := ev.elements[code]
		if !ok {
			continue
		}
		if x, ok := ev.values.Figure(u, e, p, scope); ok {
			total += x
			found = true
		}
	}
	return total, found
}

// figure computes a condition's value at u over p. A percent is a ratio of
// sums, never an average of percents; a zero denominator means there is
// nothing to measure.
func (ev *evaluator) figure(c program.Condition, u unit.Unit, p period.Period) (val, num, den float64, status Status) {
	scope := c.Scope
	if scope == "" {
		scope = program.Subtree
	}
	if !c.IsPercent() {
		v, ok := ev.sum(c.Elements, u, p, scope)
		if !ok {
			return 0, 0, 0, NoData
		}
		return v, 0, 0, ""
	}
	num, okN := ev.sum(c.Numerator, u, p, scope)
	den, okD := ev.sum(c.Denominator, u, p, scope)
	switch {
	case !okN || !okD:
		return 0, num, den, NoData
	case den == 0:
		return 0, num, den, NotApplicable
	}
	return 100 * num / den, num, den, ""
}

func (ev *evaluator) condition(c program.Condition, u unit.Unit, p period.Period) Part {
	part := Part{Label: c.Label, Percent: c.IsPercent(), Comparator: c.Comparator, Threshold: c.Threshold}
	val, num, den, status := ev.figure(c, u, p)
	if c.IsPercent() && status != NoData {
		part.Numerator, part.Denominator = ptr(num), ptr(den)
	}
	if status != "" {
		part.Status = status
		return part
	}
	part.Value = ptr(val)
	switch c.Comparator {
	case program.Tracked:
		part.Status = Tracked
	case program.GEPreviousYear:
		prev, _, _, prevStatus := ev.figure(c, u, p.PreviousYear())
		if prevStatus != "" {
			part.Status = NoData
			return part
		}
		part.Previous = ptr(prev)
		part.Status = verdict(c.Comparator.Holds(val, prev))
	default:
		part.Status = verdict(judge(c, val, num, den))
	}
	return part
}

// judge compares against the threshold. A percent is compared as
// 100·num against threshold·den, so 99.99…% never rounds up to 100%.
func judge(c program.Condition, val, num, den float64) bool {
	t := *c.Threshold
	left, right := val, t
	if c.IsPercent() {
		left, right = 100*num, t*den
	}
	return c.Comparator.Holds(left, right)
}

func verdict(ok bool) Status {
	if ok {
		return Met
	}
	return NotMet
}

func ptr(f float64) *float64 { return &f }

// target reads a whole target at u: met when every condition is.
func (ev *evaluator) target(t program.Target, u unit.Unit, p period.Period) Reading {
	r := Reading{Parts: make([]Part, 0, len(t.Conditions))}
	own := ev.own.of(u.Code, t.Code)
	for i, c := range t.Conditions {
		var ownThreshold bool
		if i < len(own) && own[i] != nil {
			c.Threshold, ownThreshold = own[i], true
		}
		part := ev.condition(c, u, p)
		part.OwnThreshold = ownThreshold
		r.Parts = append(r.Parts, part)
	}
	if len(r.Parts) > 0 {
		r.Value = r.Parts[0].Value
	}
	r.Status = combine(r.Parts)
	// A unit with a threshold of its own is held to the target even where
	// the program holds none of its level (a district's share of the
	// province's fund).
	if !t.AppliesToKind(u.Kind) && own == nil {
		r.markNotApplicable()
	}
	return r
}

func (r *Reading) markNotApplicable() {
	r.Status = NotApplicable
	for i := range r.Parts {
		r.Parts[i].Status = NotApplicable
	}
}

// combine counts with plain integers, not a map: it runs for every target
// at every unit a coverage counts, thousands of times per scorecard.
func combine(parts []Part) Status {
	var notMet, noData, notApplicable, met int
	for _, p := range parts {
		switch p.Status {
		case NotMet:
			notMet++
		case NoData:
			noData++
		case NotApplicable:
			notApplicable++
		case Met:
			met++
		}
	}
	switch {
	case notMet > 0:
		return NotMet
	case noData > 0:
		return NoData
	case notApplicable == len(parts):
		return NotApplicable
	case met == 0:
		return Tracked
	}
	return Met
}
