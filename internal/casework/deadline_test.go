package casework

import (
	"testing"

	"mattran/internal/calendar"
)

func d(s string) calendar.Date { return calendar.MustParseDate(s) }

// The legal limits across holidays (Tết, Giỗ Tổ and their days in lieu)
// and across the change of 1/7/2026, as an officer would count them on a
// paper calendar.
func TestDeadlines(t *testing.T) {
	cal, err := calendar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		kind     Kind
		received string
		sent     string // "" : the intake limit
		c        Circumstances
		want     string
	}{
		// Friday 6/2/2026: five working days to Friday 13/2, then Tết
		// (16–20/2) off, then five more: Friday 27/2.
		{"reception across Tết 2026", Complaint, "2026-02-06", "", Circumstances{}, "2026-02-27"},
		// Monday 1/2/2027: Tết and its days in lieu run 5–11/2.
		{"reception across Tết 2027", Recommendation, "2027-02-01", "", Circumstances{}, "2027-02-22"},
		// Thursday 23/4/2026: Giỗ Tổ's day in lieu (27/4), 30/4 and 1/5 are off.
		{"denunciation forwarded across Giỗ Tổ and 30/4", Denunciation, "2026-04-23", "", Circumstances{}, "2026-05-05"},
		// Received before 1/7/2026: 10 calendar days to accept (13/7),
		// 30 to decide (12/8), 7 to report back to the Front (19/8).
		{"complaint under the old rule", Complaint, "2026-06-30", "2026-07-03", Circumstances{}, "2026-08-19"},
		// Received on 1/7/2026: 7 working days to accept (14/7), then 30
		// (13/8) and 7 (20/8).
		{"complaint under the rule of 1/7/2026", Complaint, "2026-07-01", "2026-07-03", Circumstances{}, "2026-08-20"},
		// Complex, remote: 60 days to decide.
		{"complex complaint in a remote area", Complaint, "2026-03-02", "2026-03-02", Circumstances{Complex: true, Remote: true}, "2026-05-18"},
		// A denunciation sent Monday 2/3/2026: 7 working days of initial
		// processing (11/3), 30 days to resolve plus two extensions of 30
		// (9/6), 20 days to tell the Front (29/6). A third extension is
		// not allowed and changes nothing.
		// Without extension the last day, 30/4, is a holiday, as are 1/5 and the weekend: Monday 4/5.
		{"denunciation", Denunciation, "2026-03-02", "2026-03-02", Circumstances{}, "2026-05-04"},
		{"denunciation extended twice", Denunciation, "2026-03-02", "2026-03-02", Circumstances{Extensions: 2}, "2026-06-29"},
		{"denunciation extended three times counts twice", Denunciation, "2026-03-02", "2026-03-02", Circumstances{Extensions: 3}, "2026-06-29"},
		{"voter opinion", VoterOpinion, "2026-01-05", "2026-01-05", Circumstances{}, "2026-03-06"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ki, _ := Lookup(tt.kind)
			var got calendar.Date
			var err error
			if tt.sent == "" {
				got, err = IntakeDue(cal, ki, d(tt.received))
			} else {
				got, _, err = AnswerDue(cal, ki, d(tt.received), d(tt.sent), tt.c)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Errorf("due %s, want %s", got, tt.want)
			}
		})
	}
}

// A limit in calendar days that ends on a day off ends on the next
// working day: 10 days from Friday 17/4/2026 end on Monday 27/4, Giỗ Tổ's
// day in lieu, so Tuesday 28/4.
func TestCalendarDaysEndOnWorkday(t *testing.T) {
	cal, _ := calendar.New(nil)
	r, err := RuleAt(RuleComplaintAccept, d("2026-04-17"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.End(cal, d("2026-04-17"), Circumstances{})
	if err != nil || got.String() != "2026-04-28" {
		t.Fatalf("got %s, %v; want 2026-04-28", got, err)
	}
}

// The rule in force is the one of the day the case was received.
func TestRuleAtChange(t *testing.T) {
	old, _ := RuleAt(RuleComplaintAccept, d("2026-06-30"))
	cur, _ := RuleAt(RuleComplaintAccept, d("2026-07-01"))
	if old.Days != 10 || old.Working || cur.Days != 7 || !cur.Working {
		t.Fatalf("30/6: %d working=%v; 1/7: %d working=%v", old.Days, old.Working, cur.Days, cur.Working)
	}
	for _, r := range Rules() {
		if r.Source == "" || r.Days <= 0 {
			t.Errorf("rule %s has no source or no limit", r.Key)
		}
	}
	for _, k := range Kinds() {
		for _, key := range append([]string{k.Intake}, k.Answer...) {
			if key == "" {
				continue
			}
			if _, err := RuleAt(key, d("2020-01-01")); err != nil {
				t.Errorf("kind %s: %v", k.Kind, err)
			}
		}
	}
}

func TestOverdueAndDaysLeft(t *testing.T) {
	c := Case{Status: Sent, Due: d("2026-03-10")}
	if c.Overdue(d("2026-03-10")) || !c.Overdue(d("2026-03-11")) {
		t.Fatal("a case is overdue from the day after its due date")
	}
	if n, ok := c.DaysLeft(d("2026-03-13")); !ok || n != -3 {
		t.Fatalf("days left %d %v, want -3", n, ok)
	}
	c.Status = Answered
	if c.Overdue(d("2027-01-01")) {
		t.Fatal("an answered case is not overdue")
	}
}

func TestSimilar(t *testing.T) {
	a := "ho ong nguyen van a bi lan chiem dat tai thon 3 xa tho xuong de nghi giai quyet"
	b := "ho ong nguyen van a bi lan chiem dat tai thon 3 xa tho xuong, de nghi som giai quyet"
	c := "de nghi giai quyet che do chinh sach nguoi co cong cho ba tran thi b"
	if !Similar(a, b) || Similar(a, c) {
		t.Fatal("similar texts not told apart")
	}
}

func TestSealer(t *testing.T) {
	s, err := NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := s.Seal("DT-AAAA-BBBB", []Petitioner{{Name: "Trần Văn Tố"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open("DT-AAAA-CCCC", sealed); err == nil {
		t.Fatal("a sealed identity opened on another case")
	}
	ps, err := s.Open("DT-AAAA-BBBB", sealed)
	if err != nil || ps[0].Name != "Trần Văn Tố" {
		t.Fatalf("%v %v", ps, err)
	}
	if _, err := ParseKey("abc"); err == nil {
		t.Fatal("a short key was taken")
	}
}
