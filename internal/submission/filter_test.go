package submission_test

import (
	"testing"
	"time"

	"mattran/internal/clock"
	"mattran/internal/submission"
)

// Every report is in exactly one of the five filters, and is late by the
// days the page's rule counts: from the deadline to its first sending, or
// to today when never sent.
func TestFilterAndDaysLate(t *testing.T) {
	ict := clock.Zone
	day := func(d, m int) time.Time { return time.Date(2024, time.Month(m), d, 9, 0, 0, 0, ict) }
	now := day(10, 12)
	const deadline = "2024-11-05"
	for _, c := range []struct {
		name   string
		sub    submission.Submission
		filter submission.Filter
		late   int
	}{
		{"never saved", submission.Submission{}, submission.FilterOverdue, 35},
		{"a draft", submission.Submission{Status: submission.Draft}, submission.FilterOverdue, 35},
		{"sent on time", submission.Submission{Status: submission.Submitted, SubmittedBy: "x", OnTime: true, FirstSubmittedAt: day(3, 11), SubmittedAt: day(3, 11)}, submission.FilterWaiting, 0},
		{"sent late", submission.Submission{Status: submission.Submitted, SubmittedBy: "x", FirstSubmittedAt: day(8, 11), SubmittedAt: day(8, 11)}, submission.FilterWaiting, 3},
		{"on time, returned, sent again two years later", submission.Submission{Status: submission.Approved, SubmittedBy: "x", OnTime: true,
			FirstSubmittedAt: day(3, 11), ReturnedAt: day(6, 11), SubmittedAt: day(3, 11).AddDate(2, 0, 0)}, submission.FilterApproved, 0},
		{"late, returned, not sent again", submission.Submission{Status: submission.Returned, SubmittedBy: "x", FirstSubmittedAt: day(9, 11), SubmittedAt: day(9, 11)}, submission.FilterReturned, 4},
		{"kept before first sendings were", submission.Submission{Status: submission.Approved, SubmittedBy: "x", SubmittedAt: day(7, 11)}, submission.FilterApproved, 2},
	} {
		if got := submission.FilterOf(c.sub, deadline, now); got != c.filter {
			t.Errorf("%s: filter %s, want %s", c.name, got, c.filter)
		}
		if got := submission.DaysLate(c.sub, deadline, now); got != c.late {
			t.Errorf("%s: %d days late, want %d", c.name, got, c.late)
		}
	}
	if got := submission.FilterOf(submission.Submission{}, deadline, day(1, 11)); got != submission.FilterNotSent {
		t.Errorf("before the deadline: %s", got)
	}
}
