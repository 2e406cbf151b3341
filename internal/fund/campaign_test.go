package fund

import (
	"testing"

	"mattran/internal/errs"
)

func TestCampaignValidate(t *testing.T) {
	relief := Campaign{Code: "R", Name: "Cứu trợ", Kind: Relief, Year: 2024, ReceiveFrom: "2024-09-09", ReceiveTo: "2024-12-07", DistributeTo: "2024-12-27", Account: "123"}
	tests := []struct {
		name   string
		change func(c *Campaign)
		field  string
		reason errs.Reason
	}{
		{"90 days, 20 after", func(c *Campaign) {}, "", ""},
		{"91 days", func(c *Campaign) { c.ReceiveTo = "2024-12-08"; c.DistributeTo = "2024-12-20" }, "receiveTo", errs.FundReceiveTooLong},
		{"21 days after", func(c *Campaign) { c.DistributeTo = "2024-12-28" }, "distributeTo", errs.FundDistributeTooLate},
		{"no account", func(c *Campaign) { c.Account = "" }, "account", errs.FundNoAccount},
		{"ends before start", func(c *Campaign) { c.ReceiveTo = "2024-09-01" }, "receiveTo", errs.BadDate},
		{"bad kind", func(c *Campaign) { c.Kind = "x" }, "kind", errs.FundBadKind},
	}
	for _, tt := range tests {
		c := relief
		tt.change(&c)
		err := c.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		e, ok := errs.As(err)
		if !ok || e.Details[0].Field != tt.field || e.Details[0].Code != tt.reason {
			t.Errorf("%s: err = %v, want %s on %s", tt.name, err, tt.reason, tt.field)
		}
	}
	peak := NewCampaign(Campaign{Kind: PeakMonth, Year: 2024})
	if peak.ReceiveFrom != "2024-10-17" || peak.ReceiveTo != "2024-11-18" {
		t.Errorf("peak month = %s–%s, want 17/10–18/11", peak.ReceiveFrom, peak.ReceiveTo)
	}
}

// Each disclosure is upcoming, due in its window, late after it, and
// done (on time or late) once recorded.
func TestDeadlines(t *testing.T) {
	c := Campaign{Kind: Relief, ReceiveFrom: "2024-09-09", ReceiveTo: "2024-10-31", DistributeTo: "2024-11-15"}
	status := func(today string, done map[string]string) map[string]Status {
		out := map[string]Status{}
		for _, d := range c.Deadlines(today, done) {
			out[d.Kind] = d.Status
		}
		return out
	}
	tests := []struct {
		today string
		done  map[string]string
		want  [3]Status
	}{
		{"2024-08-01", nil, [3]Status{Upcoming, Upcoming, Upcoming}},
		{"2024-09-01", nil, [3]Status{Due, Upcoming, Upcoming}},
		{"2024-09-09", nil, [3]Status{Late, Upcoming, Upcoming}},
		{"2024-09-09", map[string]string{DiscloseArrangements: "2024-09-08"}, [3]Status{Done, Upcoming, Upcoming}},
		{"2024-11-10", map[string]string{DiscloseArrangements: "2024-09-09"}, [3]Status{DoneLate, Due, Upcoming}},
		{"2024-11-16", nil, [3]Status{Late, Late, Due}},
		{"2024-12-16", map[string]string{DiscloseTotals: "2024-11-15"}, [3]Status{Late, Done, Late}},
	}
	for _, tt := range tests {
		got := status(tt.today, tt.done)
		want := map[string]Status{DiscloseArrangements: tt.want[0], DiscloseTotals: tt.want[1], DiscloseDistribution: tt.want[2]}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s %v: %s = %s, want %s", tt.today, tt.done, k, got[k], v)
			}
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ung ho 0912345678", "ung ho *******678"},
		{"ND: 0912 345 678 ủng hộ", "ND: **** *** 678 ủng hộ"},
		{"84912345678 ung ho", "********678 ung ho"},
		{"+84912345678", "+********678"},
		{"TK 1903567812345 chuyen", "TK **********345 chuyen"},
		{"ung ho 500.000 dong", "ung ho 500.000 dong"},
		{"ung ho 500.000.000 dong", "ung ho 500.000.000 dong"},
		{"MBVCB.6923019125.005.Yagi", "MBVCB.*******125.005.Yagi"},
		{"so 12345", "so 12345"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSearchKey(t *testing.T) {
	k := SearchKey("Nguyễn Văn Đường", "ủng hộ 0912345678", "")
	for _, q := range []string{"nguyen van", "duong", "ung ho"} {
		if !foldedContains(k, q) {
			t.Errorf("%q not in %q", q, k)
		}
	}
	if foldedContains(k, "0912345") {
		t.Errorf("the phone number is searchable in %q", k)
	}
}
