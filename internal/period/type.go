package period

import (
	"fmt"
	"strconv"
)

// Type is the length of a reporting period. The values are ordered from
// shortest to longest, so t1 < t2 means t1 periods fit inside t2 periods.
type Type int

const (
	Monthly Type = iota + 1
	Quarterly
	SixMonthly
	Yearly
)

// ParseType reads a period type name as written by Type.String:
// "monthly", "quarterly", "sixmonthly" or "yearly".
func ParseType(s string) (Type, error) {
	for t := Monthly; t <= Yearly; t++ {
		if t.String() == s {
			return t, nil
		}
	}
	return 0, fmt.Errorf("loại kỳ %q không hợp lệ: cần monthly, quarterly, sixmonthly hoặc yearly", s)
}

// Valid reports whether t is one of the four defined types.
func (t Type) Valid() bool {
	return t >= Monthly && t <= Yearly
}

// String returns the name ParseType accepts. The names follow DHIS2's
// period types in lower case and are what URLs, forms and the database
// store.
func (t Type) String() string {
	switch t {
	case Monthly:
		return "monthly"
	case Quarterly:
		return "quarterly"
	case SixMonthly:
		return "sixmonthly"
	case Yearly:
		return "yearly"
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// Label returns the Vietnamese word for the type, as in "báo cáo tháng",
// "báo cáo quý", "báo cáo 6 tháng", "báo cáo năm". It returns "" for an
// invalid type.
func (t Type) Label() string {
	switch t {
	case Monthly:
		return "tháng"
	case Quarterly:
		return "quý"
	case SixMonthly:
		return "6 tháng"
	case Yearly:
		return "năm"
	}
	return ""
}

// months is how many calendar months a period of type t spans.
func (t Type) months() int {
	switch t {
	case Monthly:
		return 1
	case Quarterly:
		return 3
	case SixMonthly:
		return 6
	case Yearly:
		return 12
	}
	return 0
}

// perYear is how many periods of type t make a year; their Index runs from
// 1 to perYear, except for Yearly whose only period has Index 0.
func (t Type) perYear() int {
	if m := t.months(); m > 0 {
		return 12 / m
	}
	return 0
}
