package submission

import (
	"time"

	"mattran/internal/clock"
)

// Filter is what an approver looks for on the completeness page: the five
// states a report can be in, as a district leader names them. Every report
// is in exactly one.
type Filter string

const (
	FilterNotSent  Filter = "chua_nop"  // not sent, deadline not passed
	FilterOverdue  Filter = "qua_han"   // never sent, deadline passed
	FilterWaiting  Filter = "cho_duyet" // sent, waiting for approval
	FilterReturned Filter = "tra_lai"   // returned, not yet sent again
	FilterApproved Filter = "da_duyet"  // approved and locked
)

// Filters are the filters in the order the page offers them.
var Filters = []Filter{FilterNotSent, FilterOverdue, FilterWaiting, FilterReturned, FilterApproved}

// Label is the filter as users read it.
func (f Filter) Label() string {
	switch f {
	case FilterNotSent:
		return "Chưa nộp"
	case FilterOverdue:
		return "Quá hạn"
	case FilterWaiting:
		return "Đã gửi, chờ duyệt"
	case FilterReturned:
		return "Bị trả lại"
	case FilterApproved:
		return "Đã duyệt"
	}
	return string(f)
}

// ParseFilter reads a filter; "" and unknown words are no filter.
func ParseFilter(s string) (Filter, bool) {
	for _, f := range Filters {
		if string(f) == s {
			return f, true
		}
	}
	return "", false
}

// FilterOf is the one filter a report falls under.
func FilterOf(sub Submission, deadline string, now time.Time) Filter {
	switch sub.Status {
	case Approved:
		return FilterApproved
	case Submitted:
		return FilterWaiting
	case Returned:
		return FilterReturned
	}
	if PastDeadline(deadline, now) {
		return FilterOverdue
	}
	return FilterNotSent
}

// DaysLate counts the calendar days a report is late, by the rule the
// pages state: timeliness is judged by the first sending. A report first
// sent after its deadline is late by the days from the deadline to that
// sending (whatever happened after: a return does not undo it, a re-sending
// does not add to it); a report never sent is late, once its deadline
// passed, by the days from the deadline to today. 0 when not late.
func DaysLate(sub Submission, deadline string, now time.Time) int {
	if sub.SubmittedBy != "" || sub.Status.Reported() {
		if sub.OnTime || sub.FirstSent().IsZero() {
			return 0
		}
		return daysBetween(deadline, clock.Today(sub.FirstSent()))
	}
	return daysBetween(deadline, clock.Today(now))
}

// DaysSince counts the calendar days from t to now (0 when t is zero):
// how long a returned report has waited to be sent again.
func DaysSince(t, now time.Time) int {
	if t.IsZero() {
		return 0
	}
	return daysBetween(clock.Today(t), clock.Today(now))
}

// FirstSent is when the report was first sent: FirstSubmittedAt, or, for
// reports kept before that was recorded, the last sending.
func (s Submission) FirstSent() time.Time {
	if !s.FirstSubmittedAt.IsZero() {
		return s.FirstSubmittedAt
	}
	return s.SubmittedAt
}

// daysBetween counts the days from date a to date b (YYYY-MM-DD); 0 when
// b is not after a.
func daysBetween(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil || !tb.After(ta) {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}
