package submission_test

import (
	"mattran/internal/clock"
	"testing"
	"time"

	"mattran/internal/errs"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/submission"
	"mattran/internal/unit"
	"mattran/internal/user"
	"mattran/programs"
)

var (
	province = unit.Unit{ID: 2, Code: "24", Name: "Tỉnh Bắc Giang", Kind: unit.Province, Path: "/1/2/"}
	district = unit.Unit{ID: 3, Code: "213", Name: "Thành phố Bắc Giang", Kind: unit.District, Path: "/1/2/3/"}
	sibling  = unit.Unit{ID: 4, Code: "215", Name: "Huyện Yên Thế", Kind: unit.District, Path: "/1/2/4/"}
	commune  = unit.Unit{ID: 5, Code: "07201", Name: "Phường Thọ Xương", Kind: unit.Commune, Path: "/1/2/3/5/"}
)

func at(u unit.Unit, r user.Role) user.User {
	return user.User{Username: string(r) + "@" + u.Code, Role: r, Unit: u}
}

// On time is any moment of the deadline's day in Vietnam.
func TestOnTimeAndStanding(t *testing.T) {
	deadline := "2024-12-05"
	ict := clock.Zone
	for _, c := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2024, 12, 5, 23, 59, 0, 0, ict), true},
		{time.Date(2024, 12, 5, 16, 59, 0, 0, time.UTC), true}, // 23:59 in Vietnam
		{time.Date(2024, 12, 5, 17, 0, 0, 0, time.UTC), false}, // 00:00 on the 6th
		{time.Date(2024, 12, 6, 0, 0, 0, 0, ict), false},
	} {
		if got := submission.OnTime(c.at, deadline); got != c.want {
			t.Errorf("sent %v: on time %v, want %v", c.at, got, c.want)
		}
	}
	before, after := time.Date(2024, 12, 4, 0, 0, 0, 0, ict), time.Date(2024, 12, 6, 0, 0, 0, 0, ict)
	for _, c := range []struct {
		sub  submission.Submission
		now  time.Time
		want submission.Standing
	}{
		{submission.Submission{}, before, submission.NotDueReport},
		{submission.Submission{Status: submission.Draft}, after, submission.OverdueReport},
		{submission.Submission{Status: submission.Returned, SubmittedBy: "x", OnTime: true}, after, submission.ReturnedReport},
		{submission.Submission{Status: submission.Submitted, SubmittedBy: "x", OnTime: true}, after, submission.OnTimeReport},
		{submission.Submission{Status: submission.Approved, SubmittedBy: "x"}, after, submission.LateReport},
	} {
		if got := submission.StandingOf(c.sub, deadline, c.now); got != c.want {
			t.Errorf("%+v at %v: %s, want %s", c.sub.Status, c.now, got, c.want)
		}
	}
}

// A report's status moves only along draft → submitted → approved, or
// back to returned; the refusals say why, as conflicts.
func TestCheck(t *testing.T) {
	ok := map[submission.Status][]submission.Action{
		submission.None:      {submission.Save, submission.Submit},
		submission.Draft:     {submission.Save, submission.Submit},
		submission.Returned:  {submission.Save, submission.Submit},
		submission.Submitted: {submission.Approve, submission.Return},
		submission.Approved:  {submission.Reopen},
	}
	all := []submission.Action{submission.Save, submission.Submit, submission.Approve, submission.Return, submission.Reopen}
	for status, allowed := range ok {
		for _, a := range all {
			err := submission.Check(status, a, "báo cáo")
			want := false
			for _, x := range allowed {
				want = want || x == a
			}
			if (err == nil) != want {
				t.Errorf("%s on %q: %v, want allowed %v", a, status, err, want)
			}
			if err != nil && errs.CodeOf(err) != errs.Conflict {
				t.Errorf("%s on %q: code %s, want conflict", a, status, errs.CodeOf(err))
			}
		}
	}
}

// The seed program counts its monthly reports in T1.2's two elements.
func TestCounted(t *testing.T) {
	data, err := programs.Files.ReadFile(programs.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := program.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	monthly, err := form.Find(p, form.Monthly)
	if err != nil {
		t.Fatal(err)
	}
	if due, onTime, ok := submission.CountedElements(p, monthly); !ok || due != "CT1_BCTHND_PHAINOP" || onTime != "CT1_BCTHND_DUNGHAN" {
		t.Errorf("Counted = %q, %q, %v", due, onTime, ok)
	}
	if len(monthly.Elements) != 0 || !monthly.Narrative {
		t.Errorf("the monthly form has %d typed elements and narrative %v; want none (T1.2 is counted) and a text", len(monthly.Elements), monthly.Narrative)
	}
	yearly, _ := form.Find(p, form.Yearly)
	if _, _, ok := submission.CountedElements(p, yearly); ok {
		t.Error("the yearly report is counted too")
	}
	// Not counted before the deadline unless sent.
	dl := submission.DeadlineOf("", period.MustParse("202411"), unit.Commune, nil)
	if dl != "2024-12-05" {
		t.Errorf("deadline %s", dl)
	}
	if due, _ := submission.Count(submission.Submission{}, dl, time.Date(2024, 12, 5, 12, 0, 0, 0, time.UTC)); due {
		t.Error("counted as due on its deadline day")
	}
	if due, onTime := submission.Count(submission.Submission{}, dl, time.Date(2024, 12, 6, 12, 0, 0, 0, time.UTC)); !due || onTime {
		t.Error("an overdue report is not counted as due and late")
	}
}
