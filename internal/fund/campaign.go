// Package fund is the ledger of the Fund for the Poor (Quỹ Vì người nghèo)
// and of relief campaigns: campaigns and their legal dates, append-only
// entries chained by hash, disbursements entered by an officer and
// approved by another leader, bank statements, and the public ledger's
// rules (masking, search keys). It holds no SQL and no net/http: the store
// implements its Tx, and the pages, API and CLI call its workflows.
package fund

import (
	"fmt"
	"strconv"
	"time"

	"mattran/internal/errs"
)

// Kind is a campaign's kind.
type Kind string

const (
	// Yearly is the yearly Fund for the Poor and social security of a unit
	// (Quỹ "Vì người nghèo" và an sinh xã hội), whose receipts make T2.1.
	Yearly Kind = "yearly"
	// PeakMonth is "Tháng cao điểm vì người nghèo", 17/10–18/11 each year.
	PeakMonth Kind = "peak_month"
	// Tet is "Tết vì người nghèo": Tết gifts to poor households (T2.2).
	Tet Kind = "tet"
	// Relief is a relief campaign under NĐ 93/2021/NĐ-CP (storms, floods):
	// one bank account, receiving ≤ 90 days, distribution ≤ 20 days after,
	// three public disclosures.
	Relief Kind = "relief"
)

// Label is the kind as the pages write it.
func (k Kind) Label() string {
	switch k {
	case Yearly:
		return "Quỹ Vì người nghèo (hằng năm)"
	case PeakMonth:
		return "Tháng cao điểm vì người nghèo"
	case Tet:
		return "Tết vì người nghèo"
	case Relief:
		return "Vận động cứu trợ (NĐ 93/2021)"
	}
	return string(k)
}

// Kinds lists the kinds in the order forms offer them.
var Kinds = []Kind{Yearly, PeakMonth, Tet, Relief}

// NĐ 93/2021 limits, in days.
const (
	MaxReceiveDays      = 90 // Điều 5: receiving lasts at most 90 days
	MaxDistributeAfter  = 20 // distribution ends at most 20 days after receiving closes
	DiscloseTotalsDays  = 15 // totals disclosed within 15 days of the close
	DiscloseDistribDays = 30 // distribution disclosed within 30 days of its end
)

// Campaign is one fund or campaign of a unit (the unit that opens it and
// keeps its account). Dates are YYYY-MM-DD.
type Campaign struct {
	ID           int64  `json:"id"`
	Code         string `json:"code"`
	Name         string `json:"name"`
	Kind         Kind   `json:"kind"`
	UnitID       int64  `json:"-"`
	UnitCode     string `json:"unit"`
	UnitName     string `json:"unitName"`
	Year         int    `json:"year"`
	ReceiveFrom  string `json:"receiveFrom"`
	ReceiveTo    string `json:"receiveTo"`
	DistributeTo string `json:"distributeTo,omitempty"`
	Bank         string `json:"bank,omitempty"`
	Account      string `json:"account,omitempty"` // the one account of a relief campaign
}

// NewCampaign completes a campaign's dates from its kind and year where
// the law or custom fixes them: the whole year for the yearly fund,
// 17/10–18/11 for the peak month, and from 1/12 to the 15th of the first
// lunar month's solar month (February) for Tết; a relief campaign's dates
// are given.
func NewCampaign(c Campaign) Campaign {
	y := c.Year
	switch c.Kind {
	case Yearly:
		c.ReceiveFrom, c.ReceiveTo = fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-12-31", y)
	case PeakMonth:
		c.ReceiveFrom, c.ReceiveTo = fmt.Sprintf("%d-10-17", y), fmt.Sprintf("%d-11-18", y)
	case Tet:
		if c.ReceiveFrom == "" {
			c.ReceiveFrom = fmt.Sprintf("%d-12-01", y-1)
		}
		if c.ReceiveTo == "" {
			c.ReceiveTo = fmt.Sprintf("%d-02-28", y)
		}
	}
	if c.DistributeTo == "" && c.Kind != Relief {
		c.DistributeTo = c.ReceiveTo
	}
	return c
}

func invalid(field string, code errs.Reason, a errs.Args) error {
	return &errs.Error{Code: errs.Invalid, Message: "Chiến dịch chưa hợp lệ.", Details: []errs.Detail{{Field: field, Code: code, Args: a}}}
}

// Validate checks a campaign: its code, name, kind, year and dates, and
// for a relief campaign the limits of NĐ 93/2021.
func (c Campaign) Validate() error {
	switch {
	case c.Code == "" || len(c.Code) > 40:
		return invalid("code", errs.Required, errs.Args{})
	case c.Name == "" || len(c.Name) > 300:
		return invalid("name", errs.Required, errs.Args{})
	case c.Year < 2000 || c.Year > 2100:
		return invalid("year", errs.FundBadYear, errs.Args{Text: strconv.Itoa(c.Year)})
	}
	switch c.Kind {
	case Yearly, PeakMonth, Tet, Relief:
	default:
		return invalid("kind", errs.FundBadKind, errs.Args{Text: string(c.Kind)})
	}
	from, err1 := day(c.ReceiveFrom)
	to, err2 := day(c.ReceiveTo)
	if err1 != nil {
		return invalid("receiveFrom", errs.BadDate, errs.Args{Text: c.ReceiveFrom})
	}
	if err2 != nil || to.Before(from) {
		return invalid("receiveTo", errs.BadDate, errs.Args{Text: c.ReceiveTo})
	}
	if c.Kind != Relief {
		return nil
	}
	if c.Account == "" || len(c.Account) > 40 {
		return invalid("account", errs.FundNoAccount, errs.Args{})
	}
	if n := days(from, to) + 1; n > MaxReceiveDays {
		return invalid("receiveTo", errs.FundReceiveTooLong, errs.Args{Number: float64(n), Max: MaxReceiveDays})
	}
	dist, err := day(c.DistributeTo)
	if err != nil || dist.Before(to) {
		return invalid("distributeTo", errs.BadDate, errs.Args{Text: c.DistributeTo})
	}
	if n := days(to, dist); n > MaxDistributeAfter {
		return invalid("distributeTo", errs.FundDistributeTooLate, errs.Args{Number: float64(n), Max: MaxDistributeAfter})
	}
	return nil
}

func day(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

func days(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

func addDays(s string, n int) string {
	t, err := day(s)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// Disclosure kinds (công khai) under NĐ 93/2021 Điều 20.
const (
	DiscloseArrangements = "arrangements" // how to give: account, places, time; before receiving starts
	DiscloseTotals       = "totals"       // what was received; within 15 days of the close
	DiscloseDistribution = "distribution" // what was given to whom; within 30 days of its end
)

// DisclosureLabel is a disclosure as the pages write it.
func DisclosureLabel(kind string) string {
	switch kind {
	case DiscloseArrangements:
		return "Công khai cách thức tiếp nhận (trước khi bắt đầu)"
	case DiscloseTotals:
		return "Công khai kết quả tiếp nhận (trong 15 ngày sau khi kết thúc)"
	case DiscloseDistribution:
		return "Công khai kết quả phân bổ (trong 30 ngày sau khi phân phối xong)"
	}
	return kind
}

// Status of a legal date.
type Status string

const (
	Upcoming Status = "upcoming" // not yet due
	Due      Status = "due"      // its window is open and it is not done
	Late     Status = "late"     // its last day passed and it is not done
	Done     Status = "done"     // done on time
	DoneLate Status = "done_late"
)

// Deadline is one date a relief campaign must keep.
type Deadline struct {
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	From   string `json:"from"` // the window opens (YYYY-MM-DD)
	By     string `json:"by"`   // the last day
	DoneOn string `json:"doneOn,omitempty"`
	Status Status `json:"status"`
}

// Deadlines are a relief campaign's three disclosures, and the close of
// receiving and of distribution, each flagged against today. done holds
// the day each disclosure was made. Other kinds have none.
func (c Campaign) Deadlines(today string, done map[string]string) []Deadline {
	if c.Kind != Relief {
		return nil
	}
	ds := []Deadline{
		{Kind: DiscloseArrangements, From: addDays(c.ReceiveFrom, -30), By: addDays(c.ReceiveFrom, -1)},
		{Kind: DiscloseTotals, From: addDays(c.ReceiveTo, 1), By: addDays(c.ReceiveTo, DiscloseTotalsDays)},
		{Kind: DiscloseDistribution, From: addDays(c.DistributeTo, 1), By: addDays(c.DistributeTo, DiscloseDistribDays)},
	}
	for i := range ds {
		d := &ds[i]
		d.Label = DisclosureLabel(d.Kind)
		d.DoneOn = done[d.Kind]
		switch {
		case d.DoneOn != "" && d.DoneOn <= d.By:
			d.Status = Done
		case d.DoneOn != "":
			d.Status = DoneLate
		case today > d.By:
			d.Status = Late
		case today >= d.From:
			d.Status = Due
		default:
			d.Status = Upcoming
		}
	}
	return ds
}

// Receiving says whether the campaign receives on day.
func (c Campaign) Receiving(day string) bool { return day >= c.ReceiveFrom && day <= c.ReceiveTo }
