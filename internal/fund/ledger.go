package fund

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"mattran/internal/audit"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/unit"
)

// Module is the name the fund's derived figures are written under
// (derived:fund) and its cached pages' group.
const Module = "fund"

// Tx is what the ledger's workflows need of a transaction (the store's
// *store.Tx implements it).
type Tx interface {
	Now() time.Time
	Campaign(ctx context.Context, id int64) (Campaign, error)
	PutCampaign(ctx context.Context, a audit.Actor, c Campaign) (Campaign, error)
	// Append seals the entries into the chain in order, writes them, keeps
	// the balances and the day's digest, and audits them.
	Append(ctx context.Context, a audit.Actor, es []Entry) ([]Entry, error)
	Entry(ctx context.Context, id int64) (Entry, error)
	ReversalOf(ctx context.Context, id int64) (int64, error)
	Balance(ctx context.Context, campaignID, unitID int64) (int64, error)
	Request(ctx context.Context, id int64) (Request, error)
	PutRequest(ctx context.Context, a audit.Actor, r Request) (Request, error)
	PutDisclosure(ctx context.Context, a audit.Actor, campaignID int64, kind, day, note string) error
	Household(ctx context.Context, id int64) (Household, error)
}

func invalidEntry(field string, code errs.Reason, a errs.Args) error {
	return &errs.Error{Code: errs.Invalid, Message: "Bút toán chưa hợp lệ.", Details: []errs.Detail{{Field: field, Code: code, Args: a}}}
}

// checkAmount is the one check of an amount of money.
func checkAmount(n int64) error {
	if n <= 0 {
		return invalidEntry("amount", errs.FundBadAmount, errs.Args{Text: strconv.FormatInt(n, 10)})
	}
	if n > MaxAmount {
		return invalidEntry("amount", errs.FundAmountTooLarge, errs.Args{Text: strconv.FormatInt(n, 10), Max: MaxAmount})
	}
	return nil
}

func checkDay(c Campaign, d string) error {
	if _, err := day(d); err != nil {
		return invalidEntry("date", errs.BadDate, errs.Args{Text: d})
	}
	if c.Kind == Relief && !c.Receiving(d) {
		return invalidEntry("date", errs.FundOutsideReceiving, errs.Args{Date: d, From: c.ReceiveFrom, To: c.ReceiveTo})
	}
	return nil
}

// CheckReceipt is the one validation of a receipt, for the form, the API
// and the statement import alike. It cleans the text fields in place.
func CheckReceipt(c Campaign, e *Entry) error {
	e.Kind = Receipt
	if err := checkAmount(e.Amount); err != nil {
		return err
	}
	if err := checkDay(c, e.Day); err != nil {
		return err
	}
	switch e.Channel {
	case Cash, BankWire:
	default:
		return invalidEntry("channel", errs.FundBadChannel, errs.Args{Text: e.Channel})
	}
	switch e.DonorKind {
	case Person, Organisation:
		if e.Donor == "" {
			return invalidEntry("donor", errs.Required, errs.Args{})
		}
	case Anonymous:
	default:
		return invalidEntry("donorKind", errs.FundBadDonorKind, errs.Args{Text: e.DonorKind})
	}
	var err error
	for _, f := range []struct {
		name string
		p    *string
	}{{"donor", &e.Donor}, {"description", &e.Description}, {"docNo", &e.DocNo}} {
		if *f.p, err = checkText(f.name, *f.p); err != nil {
			return err
		}
	}
	return nil
}

// Receive records one donation in the unit's books.
func Receive(ctx context.Context, tx Tx, a audit.Actor, u unit.Unit, e Entry) (Entry, error) {
	c, err := tx.Campaign(ctx, e.CampaignID)
	if err != nil {
		return Entry{}, err
	}
	e.UnitID, e.EnteredBy, e.RecordedAt = u.ID, a.Name, tx.Now()
	if err := CheckReceipt(c, &e); err != nil {
		return Entry{}, err
	}
	out, err := tx.Append(ctx, a, []Entry{e})
	if err != nil {
		return Entry{}, err
	}
	return out[0], nil
}

// Request states.
const (
	Pending  = "pending"
	Approved = "approved"
	Rejected = "rejected"
)

// Request is a disbursement an officer entered, waiting for a leader. Only
// its approval writes the ledger: the disbursement entry names both.
type Request struct {
	ID          int64     `json:"id"`
	CampaignID  int64     `json:"campaign"`
	UnitID      int64     `json:"-"`
	Day         string    `json:"date"`
	Amount      int64     `json:"amount"`
	Purpose     string    `json:"purpose"`
	HouseholdID int64     `json:"household,omitempty"`
	ToUnitID    int64     `json:"-"`
	Beneficiary string    `json:"beneficiary"`
	Note        string    `json:"note"`
	DocNo       string    `json:"docNo"`
	Status      string    `json:"status"`
	EnteredByID int64     `json:"-"`
	EnteredBy   string    `json:"enteredBy"`
	DecidedByID int64     `json:"-"`
	DecidedBy   string    `json:"decidedBy,omitempty"`
	DecidedAt   time.Time `json:"decidedAt,omitzero"`
	Reason      string    `json:"reason,omitempty"`
	EntryID     int64     `json:"entry,omitempty"`
	CreatedAt   time.Time `json:"createdAt"`
}

// RequestDisbursement records a disbursement waiting for approval.
func RequestDisbursement(ctx context.Context, tx Tx, a audit.Actor, u unit.Unit, r Request) (Request, error) {
	c, err := tx.Campaign(ctx, r.CampaignID)
	if err != nil {
		return Request{}, err
	}
	if err := checkAmount(r.Amount); err != nil {
		return Request{}, err
	}
	if _, err := day(r.Day); err != nil {
		return Request{}, invalidEntry("date", errs.BadDate, errs.Args{Text: r.Day})
	}
	if !slices.Contains(Purposes, r.Purpose) {
		return Request{}, invalidEntry("purpose", errs.FundBadPurpose, errs.Args{Text: r.Purpose})
	}
	for _, f := range []struct {
		name string
		p    *string
	}{{"beneficiary", &r.Beneficiary}, {"note", &r.Note}, {"docNo", &r.DocNo}} {
		if *f.p, err = checkText(f.name, *f.p); err != nil {
			return Request{}, err
		}
	}
	if r.Beneficiary == "" && r.HouseholdID == 0 {
		return Request{}, invalidEntry("beneficiary", errs.Required, errs.Args{})
	}
	if r.HouseholdID != 0 {
		// A unit pays the households of its own register: the commune
		// that lists them, whose figures T2.2 and T2.3 count them in.
		h, err := tx.Household(ctx, r.HouseholdID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return Request{}, err
		}
		if err != nil || h.UnitID != u.ID {
			return Request{}, invalidEntry("household", errs.FundHouseholdElsewhere, errs.Args{UnitName: u.Name})
		}
		// The household is on one year's register; T2.2 and T2.3 of that
		// year count only aids dated in it, so one dated otherwise would
		// count nowhere.
		if !(Aid{Purpose: r.Purpose, Day: r.Day}).CountsIn(h.Year) {
			return Request{}, invalidEntry("date", errs.FundAidOutsideYear, errs.Args{Date: r.Day, Number: float64(h.Year)})
		}
	}
	r.ID, r.CampaignID, r.UnitID, r.Status = 0, c.ID, u.ID, Pending
	r.EnteredByID, r.EnteredBy, r.CreatedAt = a.UserID, a.Name, tx.Now()
	return tx.PutRequest(ctx, a, r)
}

// SelfApproval is the refusal of a decision on one's own request.
func SelfApproval() error {
	return errs.New(errs.Forbidden, "Không ai được tự duyệt khoản chi do chính mình nhập: cần một lãnh đạo khác duyệt.")
}

// ApproveDisbursement approves a pending request and writes its
// disbursement, if the unit's balance in the campaign covers it. The
// approver may not be who entered it.
func ApproveDisbursement(ctx context.Context, tx Tx, a audit.Actor, id int64) (Entry, error) {
	r, err := tx.Request(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	if r.Status != Pending {
		return Entry{}, errs.New(errs.Conflict, "Khoản chi số %d đã được quyết định (%s).", id, r.Status)
	}
	if a.UserID == 0 || a.UserID == r.EnteredByID || a.Name == r.EnteredBy {
		return Entry{}, SelfApproval()
	}
	bal, err := tx.Balance(ctx, r.CampaignID, r.UnitID)
	if err != nil {
		return Entry{}, err
	}
	if r.Amount > bal {
		return Entry{}, invalidEntry("amount", errs.FundOverBalance, errs.Args{Number: float64(r.Amount), Max: float64(bal)})
	}
	e := Entry{CampaignID: r.CampaignID, UnitID: r.UnitID, ToUnitID: r.ToUnitID, Kind: Disbursement, Day: r.Day,
		Amount: r.Amount, Channel: BankWire, DocNo: r.DocNo, DonorKind: Person, Donor: r.Beneficiary, Description: r.Note,
		Purpose: r.Purpose, HouseholdID: r.HouseholdID, RequestID: r.ID, EnteredBy: r.EnteredBy, ApprovedBy: a.Name,
		RecordedAt: tx.Now()}
	out, err := tx.Append(ctx, a, []Entry{e})
	if err != nil {
		return Entry{}, err
	}
	r.Status, r.DecidedByID, r.DecidedBy, r.DecidedAt, r.EntryID = Approved, a.UserID, a.Name, tx.Now(), out[0].ID
	if _, err := tx.PutRequest(ctx, a, r); err != nil {
		return Entry{}, err
	}
	return out[0], nil
}

// RejectDisbursement refuses a pending request with a reason.
func RejectDisbursement(ctx context.Context, tx Tx, a audit.Actor, id int64, reason string) error {
	r, err := tx.Request(ctx, id)
	if err != nil {
		return err
	}
	if r.Status != Pending {
		return errs.New(errs.Conflict, "Khoản chi số %d đã được quyết định.", id)
	}
	if a.UserID == r.EnteredByID {
		return SelfApproval()
	}
	if reason, err = checkText("reason", reason); err != nil {
		return err
	}
	if reason == "" {
		return invalidEntry("reason", errs.MissingReason, errs.Args{})
	}
	r.Status, r.DecidedByID, r.DecidedBy, r.DecidedAt, r.Reason = Rejected, a.UserID, a.Name, tx.Now(), reason
	_, err = tx.PutRequest(ctx, a, r)
	return err
}

// TransferFunds moves money from one unit's fund to another's within a
// campaign (a province handing relief to a commune), if the sender's
// balance covers it.
func TransferFunds(ctx context.Context, tx Tx, a audit.Actor, from, to unit.Unit, e Entry) (Entry, error) {
	c, err := tx.Campaign(ctx, e.CampaignID)
	if err != nil {
		return Entry{}, err
	}
	if err := checkAmount(e.Amount); err != nil {
		return Entry{}, err
	}
	if _, err := day(e.Day); err != nil {
		return Entry{}, invalidEntry("date", errs.BadDate, errs.Args{Text: e.Day})
	}
	if from.ID == to.ID {
		return Entry{}, invalidEntry("to", errs.FundBadStatement, errs.Args{Text: "đơn vị nhận trùng đơn vị chuyển"})
	}
	bal, err := tx.Balance(ctx, c.ID, from.ID)
	if err != nil {
		return Entry{}, err
	}
	if e.Amount > bal {
		return Entry{}, invalidEntry("amount", errs.FundOverBalance, errs.Args{Number: float64(e.Amount), Max: float64(bal)})
	}
	if e.Description, err = checkText("description", e.Description); err != nil {
		return Entry{}, err
	}
	e.Kind, e.UnitID, e.ToUnitID, e.Channel, e.DonorKind = Transfer, from.ID, to.ID, BankWire, Organisation
	e.Donor, e.EnteredBy, e.ApprovedBy, e.RecordedAt = to.Name, a.Name, a.Name, tx.Now()
	out, err := tx.Append(ctx, a, []Entry{e})
	if err != nil {
		return Entry{}, err
	}
	return out[0], nil
}

// Reverse corrects an entry by appending its opposite, pointing to it. An
// entry is reversed at most once, a reversal is not reversed (enter the
// entry again instead), and a reversal may not leave a balance negative.
func Reverse(ctx context.Context, tx Tx, a audit.Actor, id int64, reason string) (Entry, error) {
	orig, err := tx.Entry(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	if orig.Reverses != 0 {
		return Entry{}, errs.New(errs.Conflict, "Bút toán số %d là bút toán đảo; không đảo lại được. Hãy nhập lại bút toán đúng.", id)
	}
	if by, err := tx.ReversalOf(ctx, id); err != nil {
		return Entry{}, err
	} else if by != 0 {
		return Entry{}, errs.New(errs.Conflict, "Bút toán số %d đã được đảo bởi bút toán số %d.", id, by)
	}
	if reason, err = checkText("reason", reason); err != nil {
		return Entry{}, err
	}
	if reason == "" {
		return Entry{}, invalidEntry("reason", errs.MissingReason, errs.Args{})
	}
	r := orig
	r.ID, r.Hash, r.PrevHash, r.StatementID, r.RequestID = 0, "", "", 0, 0
	r.Amount, r.Reverses = -orig.Amount, orig.ID
	r.Description = fmt.Sprintf("Đảo bút toán số %d: %s", orig.ID, reason)
	r.EnteredBy, r.ApprovedBy, r.RecordedAt = a.Name, a.Name, tx.Now()
	// The unit that gains from the original loses on its reversal.
	loser, amount := orig.UnitID, orig.Amount
	if orig.Kind == Transfer {
		loser = orig.ToUnitID
	}
	if orig.Kind != Disbursement {
		bal, err := tx.Balance(ctx, orig.CampaignID, loser)
		if err != nil {
			return Entry{}, err
		}
		if amount > bal {
			return Entry{}, invalidEntry("amount", errs.FundOverBalance, errs.Args{Number: float64(amount), Max: float64(bal)})
		}
	}
	out, err := tx.Append(ctx, a, []Entry{r})
	if err != nil {
		return Entry{}, err
	}
	return out[0], nil
}

// Disclose records that a disclosure was made on day.
func Disclose(ctx context.Context, tx Tx, a audit.Actor, campaignID int64, kind, d, note string) error {
	if _, err := tx.Campaign(ctx, campaignID); err != nil {
		return err
	}
	switch kind {
	case DiscloseArrangements, DiscloseTotals, DiscloseDistribution:
	default:
		return invalidEntry("kind", errs.FundBadKind, errs.Args{Text: kind})
	}
	if _, err := day(d); err != nil {
		return invalidEntry("date", errs.BadDate, errs.Args{Text: d})
	}
	if d > clock.Today(tx.Now()) {
		return invalidEntry("date", errs.BadDate, errs.Args{Text: d})
	}
	note, err := checkText("note", note)
	if err != nil {
		return err
	}
	return tx.PutDisclosure(ctx, a, campaignID, kind, d, note)
}

// OpenCampaign validates and stores a new campaign of unit u.
func OpenCampaign(ctx context.Context, tx Tx, a audit.Actor, u unit.Unit, c Campaign) (Campaign, error) {
	c = NewCampaign(c)
	c.UnitID, c.UnitCode, c.UnitName = u.ID, u.Code, u.Name
	if err := c.Validate(); err != nil {
		return Campaign{}, err
	}
	return tx.PutCampaign(ctx, a, c)
}
