package demo

import (
	"context"
	"time"

	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/submission"
	"mattran/internal/synth"
	"mattran/internal/unit"
)

// reportState is where a committee's report of one period stands in the
// demo: approved, sent and awaiting approval, being drafted, or not yet
// started (skip).
type reportState int

const (
	skip reportState = iota
	drafted
	sent
	approved
)

// importReports records the periodic reports of the submitters (the
// committees) for every period of each of prog's forms in [from, to]
// (months), each in the state stateOf gives. Monthly reports come on time
// or late as synth.Reports says; a report sent before its deadline and
// not yet decided came on time. T1.2 is counted from them.
func (l *loader) importReports(ctx context.Context, prog *program.Program, submitters []unit.Unit, from, to period.Period,
	stateOf func(u unit.Unit, f form.Form, p period.Period) reportState) error {
	type key struct {
		form string
		p    period.Period
	}
	deadlines := map[key]submission.Deadlines{}
	var subs []submission.Submission
	var failed error
	add := func(u unit.Unit, f form.Form, p period.Period, onTime bool) {
		st := stateOf(u, f, p)
		if st == skip || failed != nil {
			return
		}
		dl, ok := deadlines[key{f.Code, p}]
		if !ok {
			var err error
			if dl, err = l.s.Deadlines(ctx, prog.Code, f.Code, p); err != nil {
				failed = err
				return
			}
			deadlines[key{f.Code, p}] = dl
		}
		deadline, _ := time.Parse(time.DateOnly, dl[u.Kind])
		sub := submission.Submission{Form: f.Code, Unit: u, Period: p, Status: submission.Draft}
		if f.Narrative {
			sub.Narrative = "Tình hình nhân dân trên địa bàn " + p.InSentence() + " ổn định; nhân dân tin tưởng vào sự lãnh đạo của Đảng, " +
				"phấn khởi với kết quả phát triển kinh tế – xã hội. Một số ý kiến, kiến nghị về đất đai, môi trường đã được tổng hợp gửi cấp ủy, chính quyền."
		}
		if st != drafted {
			at := deadline.Add(9 * time.Hour) // 16:00 in Vietnam on the deadline
			if !onTime {
				at = at.AddDate(0, 0, 3)
			}
			if at.After(l.now) {
				// Sent before the deadline, which has not come yet: on time.
				at, onTime = l.now.Add(-time.Duration(2+len(u.Code)%3)*24*time.Hour), true
			}
			sub.Status, sub.Deadline, sub.SubmittedAt, sub.SubmittedBy, sub.OnTime = submission.Submitted, deadline.Format(time.DateOnly), at, l.actor.Name, onTime
		}
		if st == approved {
			sub.Status, sub.DecidedAt, sub.DecidedBy = submission.Approved, sub.SubmittedAt.AddDate(0, 0, 2), l.actor.Name
			if sub.DecidedAt.After(l.now) {
				sub.DecidedAt = l.now
			}
		}
		subs = append(subs, sub)
	}
	forms := map[string]form.Form{}
	for _, f := range form.Of(prog) {
		forms[f.Code] = f
	}
	var years []int
	for y := from.Year; y <= to.Year; y++ {
		years = append(years, y)
	}
	inRange := func(p period.Period) bool {
		return from.Start().Compare(p.Start()) <= 0 && p.End().Compare(to.End()) <= 0
	}
	for _, u := range submitters {
		for _, y := range years {
			year := period.Period{Type: period.Yearly, Year: y}
			for _, code := range []string{form.Yearly, form.Quarterly} {
				if f, ok := forms[code]; ok {
					for _, p := range year.Within(f.PeriodType) {
						if inRange(p) {
							add(u, f, p, true)
						}
					}
				}
			}
		}
	}
	if f, ok := forms[form.Monthly]; ok {
		synth.Reports(submitters, years, 1, func(u unit.Unit, p period.Period, onTime bool) {
			if inRange(p) {
				add(u, f, p, onTime)
			}
		})
	}
	if failed != nil {
		return failed
	}
	return l.s.ImportSubmissions(ctx, l.actor, prog, subs)
}
