package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"mattran/internal/access"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/unit"
)

// The fund's staff pages: campaigns and their NĐ 93/2021 dates, a unit's
// books in a campaign (receipts and their printed phiếu thu,
// disbursements entered by an officer and approved by another leader,
// transfers between levels, reversing entries), bank statements and their
// reconciliation, and the households register. Every write goes through
// package fund in one store transaction.

func (h *Web) fundRoutes() []Route {
	return []Route{
		{"GET /fund", false, h.fundPage},
		{"POST /fund/campaigns", false, h.fundOpen},
		{"GET /fund/campaigns/{code}", false, h.fundCampaignPage},
		{"GET /fund/campaigns/{code}/report", false, h.fundReport},
		{"POST /fund/campaigns/{code}/receipts", false, h.fundReceipt},
		{"POST /fund/campaigns/{code}/requests", false, h.fundRequest},
		{"POST /fund/campaigns/{code}/transfers", false, h.fundTransfer},
		{"POST /fund/campaigns/{code}/disclosures", false, h.fundDisclose},
		{"POST /fund/campaigns/{code}/statement/upload", false, h.fundStatement},
		{"POST /fund/requests/{id}/decide", false, h.fundDecide},
		{"POST /fund/entries/{id}/reverse", false, h.fundReverse},
		{"GET /fund/entries/{id}/receipt", false, h.fundReceiptPrint},
		{"GET /fund/households", false, h.householdsPage},
		{"POST /fund/households", false, h.householdAdd},
		{"GET /public/fund", true, h.publicFundPage},
		{"GET /public/fund/{code}", true, h.publicLedgerPage},
	}
}

// fundUnit is the unit a fund page is about: ?unit= (a code, today), else
// the user's own; refused outside the user's subtree.
func (h *Web) fundUnit(r *http.Request, s *Session, code string) (unit.Unit, error) {
	today := h.today().String()
	return h.fundUnitDuring(r, s, code, today, today)
}

// fundUnitDuring is fundUnit for a page about a past span (a year's
// register, a campaign): the unit that carried code during [from, to], so
// that a commune or district that ended with the 2025 reform still shows
// its 2024 books. The reform reused codes within 2025 (a new commune took
// one of its old communes' codes), so a link from a page that knows which
// of the two it means carries ?on=, a day of [from, to] when that one
// existed (unitDay); without it the later unit is read.
func (h *Web) fundUnitDuring(r *http.Request, s *Session, code, from, to string) (unit.Unit, error) {
	if code == "" {
		return s.User.Unit, nil
	}
	if on := r.FormValue("on"); on >= from && on <= to {
		if _, err := time.Parse(time.DateOnly, on); err == nil {
			from, to = on, on
		}
	}
	u, err := h.Store.UnitDuring(r.Context(), code, from, to)
	if err != nil {
		return u, err
	}
	return u, access.See(s.User, u)
}

// unitDay is the last day of year on which u existed: the ?on= of a link
// to u's pages of that year (fundUnitDuring).
func unitDay(u unit.Unit, year int) string {
	_, last := yearSpan(year)
	return min(last, u.ValidTo)
}

// yearSpan is a year's first and last day.
func yearSpan(year int) (string, string) {
	return fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year)
}

// campaignSpan is the days a campaign's books cover: from its first day of
// receiving to its last of distributing.
func campaignSpan(c fund.Campaign) (string, string) {
	return c.ReceiveFrom, max(c.ReceiveTo, c.DistributeTo)
}

// campaignRow is a campaign as the lists show it: its totals and the
// NĐ 93 dates due or late.
type campaignRow struct {
	fund.Campaign
	Received, Disbursed, Held int64
	Deadlines                 []fund.Deadline
	Flags                     int // dates due or late
}

func (h *Web) campaignRows(r *http.Request) ([]campaignRow, error) {
	cs, err := h.Store.Campaigns(r.Context())
	if err != nil {
		return nil, err
	}
	today := clock.Today(h.Now())
	out := make([]campaignRow, 0, len(cs))
	for _, c := range cs {
		row, err := h.campaignRow(r, c, today)
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}

func (h *Web) campaignRow(r *http.Request, c fund.Campaign, today string) (campaignRow, error) {
	row := campaignRow{Campaign: c}
	bals, err := h.Store.Balances(r.Context(), c.ID)
	if err != nil {
		return row, err
	}
	for _, b := range bals {
		row.Received += b.Received
		row.Disbursed += b.Disbursed
		row.Held += b.Net()
	}
	done, err := h.Store.Disclosures(r.Context(), c.ID)
	if err != nil {
		return row, err
	}
	row.Deadlines = c.Deadlines(today, done)
	for _, d := range row.Deadlines {
		if d.Status == fund.Due || d.Status == fund.Late {
			row.Flags++
		}
	}
	return row, nil
}

type fundListPage struct {
	Base
	Unit      unit.Unit
	Campaigns []campaignRow
	CanOpen   bool
	Kinds     []fund.Kind
	Year      int // the open-campaign form's year: this year
	Register  int // the year of the households register linked: ?year=, else this year
}

func (h *Web) fundPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	// ?year= (the link from T2.1's figure): that year's campaigns, and the
	// unit as it was that year.
	year, yearErr := strconv.Atoi(r.URL.Query().Get("year"))
	from, to := h.today().String(), h.today().String()
	if yearErr == nil {
		from, to = yearSpan(year)
	}
	u, err := h.fundUnitDuring(r, s, r.URL.Query().Get("unit"), from, to)
	if err != nil {
		return err
	}
	rows, err := h.campaignRows(r)
	if err != nil {
		return err
	}
	if yearErr == nil {
		rows = slices.DeleteFunc(rows, func(c campaignRow) bool { return c.Campaign.Year != year })
	}
	p := fundListPage{Base: h.base(s, "Quỹ Vì người nghèo và vận động cứu trợ"), Unit: u, Campaigns: rows,
		CanOpen: access.OpenCampaign(s.User, u) == nil && u.ValidTo >= h.today().String(), Kinds: fund.Kinds, Year: h.today().Year(), Register: h.today().Year()}
	if yearErr == nil {
		p.Register = year
	}
	p.Nav, p.Notice = "fund", fundNotice(r)
	return h.render(w, "fund.html", p)
}

// fundNotice is the confirmation a redirect after a write asks for.
func fundNotice(r *http.Request) string {
	switch r.URL.Query().Get("msg") {
	case "opened":
		return "Đã mở chiến dịch."
	case "received":
		return "Đã ghi phiếu thu."
	case "requested":
		return "Đã nhập khoản chi; khoản chi chờ một lãnh đạo khác duyệt."
	case "approved":
		return "Đã duyệt khoản chi; bút toán chi đã ghi vào sổ và công khai."
	case "rejected":
		return "Đã từ chối khoản chi."
	case "transferred":
		return "Đã ghi điều chuyển."
	case "reversed":
		return "Đã ghi bút toán đảo."
	case "disclosed":
		return "Đã ghi ngày công khai."
	case "household":
		return "Đã thêm hộ vào danh sách."
	}
	if m := r.URL.Query().Get("imported"); m != "" {
		return "Đã nhập sao kê: " + m
	}
	return ""
}

func (h *Web) fundOpen(w http.ResponseWriter, r *http.Request, s *Session) error {
	u, err := h.fundUnit(r, s, r.PostFormValue("unit"))
	if err != nil {
		return err
	}
	if err := access.OpenCampaign(s.User, u); err != nil {
		return err
	}
	f := r.PostForm
	year, _ := strconv.Atoi(f.Get("year"))
	c := fund.Campaign{Code: strings.TrimSpace(f.Get("code")), Name: strings.TrimSpace(f.Get("name")), Kind: fund.Kind(f.Get("kind")), Year: year,
		Bank: strings.TrimSpace(f.Get("bank")), Account: strings.TrimSpace(f.Get("account"))}
	for _, d := range []struct {
		field string
		p     *string
	}{{"receiveFrom", &c.ReceiveFrom}, {"receiveTo", &c.ReceiveTo}, {"distributeTo", &c.DistributeTo}} {
		if v := strings.TrimSpace(f.Get(d.field)); v != "" {
			day, ok := fund.ParseStatementDate(v)
			if !ok {
				return caseFieldError(d.field, "ngày "+v+" không hợp lệ (dd/mm/yyyy)")
			}
			*d.p = day
		}
	}
	err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		var err error
		c, err = fund.OpenCampaign(r.Context(), tx, s.User.Actor(), u, c)
		return err
	})
	if err != nil {
		return err
	}
	return redirect(w, r, "/fund/campaigns/"+url.PathEscape(c.Code)+"?msg=opened&unit="+url.QueryEscape(u.Code))
}

// entryRow is an entry in a unit's books, with what the user may do.
type entryRow struct {
	fund.Entry
	FromUnit   string // a transfer's sending unit
	ToUnit     string
	ReversedBy int64
	CanReverse bool
}

type fundCampaignPageData struct {
	Base
	Row        campaignRow
	Unit       unit.Unit
	Balance    store.Balance
	Balances   []store.Balance
	Entries    []entryRow
	Pending    []fund.Request
	Decided    []fund.Request
	Households []fund.Household
	Targets    []unit.Unit // where a transfer may go: the unit's parent and children
	Recon      store.StatementReconciliation
	Presets    []fund.Preset
	Purposes   []string
	CanEnter   bool
	CanOpen    bool // leaders of the campaign's unit: disclosures
	CanImport  bool
	UserID     int64
	Today      string
}

func (h *Web) campaignByCode(r *http.Request) (fund.Campaign, error) {
	return h.Store.CampaignByCode(r.Context(), r.PathValue("code"))
}

func (h *Web) fundCampaignPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	c, err := h.campaignByCode(r)
	if err != nil {
		return err
	}
	from, to := campaignSpan(c)
	u, err := h.fundUnitDuring(r, s, r.URL.Query().Get("unit"), from, to)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("unit") == "" && !u.Overlaps(from, to) {
		// The user's unit did not exist during the campaign (the new
		// province opening a 2024 appeal): it has no books there, and
		// the page shows the opening unit's, if the user may read them.
		opener, err := h.Store.UnitByID(ctx, c.UnitID)
		if err != nil {
			return err
		}
		if access.See(s.User, opener) == nil {
			u = opener
		}
	}
	today := clock.Today(h.Now())
	p := fundCampaignPageData{Base: h.base(s, c.Name), Unit: u, Presets: append([]fund.Preset{fund.Generic}, fund.Presets...),
		Purposes: fund.Purposes, CanEnter: access.EnterFund(s.User, u) == nil, UserID: s.User.ID, Today: today}
	p.Nav, p.Notice = "fund", fundNotice(r)
	if p.Row, err = h.campaignRow(r, c, today); err != nil {
		return err
	}
	campaignUnit, err := h.Store.UnitByID(ctx, c.UnitID)
	if err != nil {
		return err
	}
	p.CanOpen = access.OpenCampaign(s.User, campaignUnit) == nil
	p.CanImport = u.ID == c.UnitID && access.EnterFund(s.User, u) == nil
	if p.Balances, err = h.Store.Balances(ctx, c.ID); err != nil {
		return err
	}
	p.Balance = store.Balance{UnitCode: u.Code, UnitName: u.Name}
	for _, b := range p.Balances {
		if b.UnitID == u.ID {
			p.Balance = b
		}
	}
	es, err := h.Store.UnitEntries(ctx, c.ID, u.ID, 200)
	if err != nil {
		return err
	}
	reversed, err := h.Store.ReversedIDs(ctx, c.ID)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, e := range es {
		row := entryRow{Entry: e, ReversedBy: reversed[e.ID]}
		name := func(id int64) string {
			if names[id] == "" {
				if x, err := h.Store.UnitByID(ctx, id); err == nil {
					names[id] = x.Name
				}
			}
			return names[id]
		}
		if e.ToUnitID != 0 {
			row.ToUnit = name(e.ToUnitID)
		}
		if e.Kind == fund.Transfer {
			row.FromUnit = name(e.UnitID)
		}
		row.CanReverse = e.Reverses == 0 && row.ReversedBy == 0 && e.UnitID == u.ID && access.ReverseEntry(s.User, u) == nil
		p.Entries = append(p.Entries, row)
	}
	reqs, err := h.Store.Requests(ctx, c.ID, "")
	if err != nil {
		return err
	}
	for _, q := range reqs {
		if q.UnitID != u.ID {
			continue
		}
		if q.Status == fund.Pending {
			p.Pending = append(p.Pending, q)
		} else if len(p.Decided) < 20 {
			p.Decided = append(p.Decided, q)
		}
	}
	if u.Kind == unit.Commune {
		if p.Households, err = h.Store.Households(ctx, u.ID, c.Year); err != nil {
			return err
		}
	}
	if parent, err := h.Store.UnitByID(ctx, u.ParentID); err == nil && u.ParentID != 0 {
		p.Targets = append(p.Targets, parent)
	}
	children, err := h.Store.Children(ctx, u, today)
	if err != nil {
		return err
	}
	p.Targets = append(p.Targets, children...)
	if u.ID == c.UnitID {
		if p.Recon, err = h.Store.Reconcile(ctx, c); err != nil {
			return err
		}
	}
	return h.render(w, "fund_campaign.html", p)
}

// booksOf is a write's campaign and unit (?unit= of the form), checked
// with rule.
func (h *Web) booksOf(r *http.Request, s *Session, rule func(*Session, unit.Unit) error) (fund.Campaign, unit.Unit, error) {
	c, err := h.campaignByCode(r)
	if err != nil {
		return c, unit.Unit{}, err
	}
	// The unit as the campaign's page read it (fundCampaignPage).
	from, to := campaignSpan(c)
	u, err := h.fundUnitDuring(r, s, r.PostFormValue("unit"), from, to)
	if err != nil {
		return c, u, err
	}
	return c, u, rule(s, u)
}

func enterRule(s *Session, u unit.Unit) error { return access.EnterFund(s.User, u) }

func campaignPath(c fund.Campaign, u unit.Unit, msg string) string {
	return "/fund/campaigns/" + url.PathEscape(c.Code) + "?unit=" + url.QueryEscape(u.Code) + "&msg=" + msg
}

// formAmount reads an amount of money typed the Vietnamese way
// ("50.000.000").
func formAmount(f url.Values, field string) (int64, error) {
	v := strings.TrimSpace(f.Get(field))
	n, ok := fund.ParseAmount(v)
	if !ok || n <= 0 {
		return 0, caseFieldError(field, "số tiền "+strconv.Quote(v)+" không hợp lệ (viết như 50.000.000)")
	}
	return n, nil
}

// formDay reads a date (dd/mm/yyyy or yyyy-mm-dd), today when empty.
func (h *Web) formDay(f url.Values, field string) (string, error) {
	v := strings.TrimSpace(f.Get(field))
	if v == "" {
		return clock.Today(h.Now()), nil
	}
	d, ok := fund.ParseStatementDate(v)
	if !ok {
		return "", caseFieldError(field, "ngày "+v+" không hợp lệ (dd/mm/yyyy)")
	}
	return d, nil
}

func (h *Web) fundReceipt(w http.ResponseWriter, r *http.Request, s *Session) error {
	c, u, err := h.booksOf(r, s, enterRule)
	if err != nil {
		return err
	}
	f := r.PostForm
	e := fund.Entry{CampaignID: c.ID, Channel: f.Get("channel"), DocNo: f.Get("docNo"), DonorKind: f.Get("donorKind"),
		Donor: f.Get("donor"), Description: f.Get("description")}
	if e.Amount, err = formAmount(f, "amount"); err != nil {
		return err
	}
	if e.Day, err = h.formDay(f, "date"); err != nil {
		return err
	}
	err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		var err error
		e, err = fund.Receive(r.Context(), tx, s.User.Actor(), u, e)
		return err
	})
	if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/fund/entries/%d/receipt?msg=received", e.ID))
}

func (h *Web) fundRequest(w http.ResponseWriter, r *http.Request, s *Session) error {
	c, u, err := h.booksOf(r, s, enterRule)
	if err != nil {
		return err
	}
	f := r.PostForm
	q := fund.Request{CampaignID: c.ID, Purpose: f.Get("purpose"), Beneficiary: f.Get("beneficiary"), Note: f.Get("note"), DocNo: f.Get("docNo")}
	if q.Amount, err = formAmount(f, "amount"); err != nil {
		return err
	}
	if q.Day, err = h.formDay(f, "date"); err != nil {
		return err
	}
	if id, _ := strconv.ParseInt(f.Get("household"), 10, 64); id != 0 {
		hh, err := h.Store.Household(r.Context(), id)
		if err != nil {
			return err
		}
		q.HouseholdID = hh.ID
		if q.Beneficiary == "" {
			q.Beneficiary = hh.Head
		}
	}
	err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		_, err := fund.RequestDisbursement(r.Context(), tx, s.User.Actor(), u, q)
		return err
	})
	if err != nil {
		return err
	}
	return redirect(w, r, campaignPath(c, u, "requested"))
}

func (h *Web) fundTransfer(w http.ResponseWriter, r *http.Request, s *Session) error {
	c, u, err := h.booksOf(r, s, enterRule)
	if err != nil {
		return err
	}
	f := r.PostForm
	to, err := h.Store.UnitAt(r.Context(), strings.TrimSpace(f.Get("to")), h.today().String())
	if err != nil {
		return caseFieldError("to", "chọn đơn vị nhận")
	}
	if to.ParentID != u.ID && u.ParentID != to.ID {
		return caseFieldError("to", "điều chuyển giữa hai cấp liền nhau: cấp trên hoặc cấp dưới trực tiếp của "+u.Name)
	}
	e := fund.Entry{CampaignID: c.ID, Description: f.Get("description"), DocNo: f.Get("docNo")}
	if e.Amount, err = formAmount(f, "amount"); err != nil {
		return err
	}
	if e.Day, err = h.formDay(f, "date"); err != nil {
		return err
	}
	err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		_, err := fund.TransferFunds(r.Context(), tx, s.User.Actor(), u, to, e)
		return err
	})
	if err != nil {
		return err
	}
	return redirect(w, r, campaignPath(c, u, "transferred"))
}

func (h *Web) fundDisclose(w http.ResponseWriter, r *http.Request, s *Session) error {
	c, err := h.campaignByCode(r)
	if err != nil {
		return err
	}
	cu, err := h.Store.UnitByID(r.Context(), c.UnitID)
	if err != nil {
		return err
	}
	if err := access.OpenCampaign(s.User, cu); err != nil {
		return err
	}
	day, err := h.formDay(r.PostForm, "date")
	if err != nil {
		return err
	}
	err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		return fund.Disclose(r.Context(), tx, s.User.Actor(), c.ID, r.PostFormValue("kind"), day, r.PostFormValue("note"))
	})
	if err != nil {
		return err
	}
	return redirect(w, r, campaignPath(c, cu, "disclosed"))
}

// fundStatement imports a bank statement into the campaign's account:
// the whole file or nothing; a refusal lists the rows and why.
func (h *Web) fundStatement(w http.ResponseWriter, r *http.Request, s *Session) error {
	c, u, err := h.booksOf(r, s, enterRule)
	if err != nil {
		return err
	}
	preset, ok := fund.PresetNamed(r.PostFormValue("preset"))
	if !ok {
		return caseFieldError("preset", "chọn mẫu sao kê của ngân hàng")
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return caseFieldError("file", "chọn tệp sao kê (CSV hoặc XLSX)")
	}
	defer file.Close()
	var st fund.Statement
	err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		var err error
		st, err = fund.ImportStatement(r.Context(), tx, s.User.Actor(), u, c.ID, hdr.Filename, preset, file)
		return err
	})
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%d dòng; %d phiếu thu mới, %d khớp phiếu thu đã nhập, %d đã có từ trước, %d khoản chi khớp, %d khoản chi chưa khớp.",
		st.Rows, st.Receipts, st.CreditsMatched, st.Known, st.DebitsMatched, st.DebitsOpen)
	return redirect(w, r, "/fund/campaigns/"+url.PathEscape(c.Code)+"?unit="+url.QueryEscape(u.Code)+"&imported="+url.QueryEscape(msg))
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, errs.New(errs.NotFound, "Không có mục số %s.", r.PathValue("id"))
	}
	return id, nil
}

func (h *Web) fundDecide(w http.ResponseWriter, r *http.Request, s *Session) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q, err := h.Store.Request(r.Context(), id)
	if err != nil {
		return err
	}
	u, err := h.Store.UnitByID(r.Context(), q.UnitID)
	if err != nil {
		return err
	}
	if err := access.ApproveDisbursement(s.User, u, q.EnteredByID); err != nil {
		return err
	}
	c, err := h.Store.Campaign(r.Context(), q.CampaignID)
	if err != nil {
		return err
	}
	msg := "approved"
	err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		if r.PostFormValue("action") == "reject" {
			msg = "rejected"
			return fund.RejectDisbursement(r.Context(), tx, s.User.Actor(), id, r.PostFormValue("reason"))
		}
		_, err := fund.ApproveDisbursement(r.Context(), tx, s.User.Actor(), id)
		return err
	})
	if err != nil {
		return err
	}
	return redirect(w, r, campaignPath(c, u, msg))
}

func (h *Web) fundReverse(w http.ResponseWriter, r *http.Request, s *Session) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := h.Store.Entry(r.Context(), id)
	if err != nil {
		return err
	}
	u, err := h.Store.UnitByID(r.Context(), e.UnitID)
	if err != nil {
		return err
	}
	if err := access.ReverseEntry(s.User, u); err != nil {
		return err
	}
	c, err := h.Store.Campaign(r.Context(), e.CampaignID)
	if err != nil {
		return err
	}
	err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		_, err := fund.Reverse(r.Context(), tx, s.User.Actor(), id, r.PostFormValue("reason"))
		return err
	})
	if err != nil {
		return err
	}
	return redirect(w, r, campaignPath(c, u, "reversed"))
}

// receiptPrint is the printed receipt (phiếu thu, mẫu C40-BB of the
// administrative accounting regime): the unit, the number, the donor, the
// reason, the amount in figures and in words, and the signature lines.
type receiptPrint struct {
	Base
	Entry    fund.Entry
	Campaign fund.Campaign
	Unit     unit.Unit
	Words    string
	Reversed int64
}

func (h *Web) fundReceiptPrint(w http.ResponseWriter, r *http.Request, s *Session) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := h.Store.Entry(r.Context(), id)
	if err != nil {
		return err
	}
	u, err := h.Store.UnitByID(r.Context(), e.UnitID)
	if err != nil {
		return err
	}
	if err := access.See(s.User, u); err != nil {
		return err
	}
	if e.Kind != fund.Receipt {
		return errs.New(errs.NotFound, "Bút toán số %d không phải phiếu thu.", id)
	}
	c, err := h.Store.Campaign(r.Context(), e.CampaignID)
	if err != nil {
		return err
	}
	reversed, err := h.Store.ReversedIDs(r.Context(), c.ID)
	if err != nil {
		return err
	}
	p := receiptPrint{Base: h.base(s, fmt.Sprintf("Phiếu thu số %d", e.ID)), Entry: e, Campaign: c, Unit: u,
		Words: amountWords(e.Amount), Reversed: reversed[e.ID]}
	p.Nav, p.Notice = "fund", fundNotice(r)
	return h.render(w, "fund_receipt.html", p)
}

// householdsPage is a commune's register of a year (danh sách hộ), or
// one residential area's part of it: each household with its Tết gift and
// supports, and per area the four figures the ledger writes for T2.2 and
// T2.3. Above the commune it lists the units below, each a link down.
type householdsPage struct {
	Base
	Unit       unit.Unit
	Year       int
	Commune    *unit.Unit              // the register's commune; nil above the commune level
	Area       *unit.Unit              // the area the page is about, when it is one
	Areas      []unit.Unit             // the commune's areas of the year, for the form
	Summaries  []fund.HouseholdFigures // per area, or per unit below above the communes: what T2.2 and T2.3 count
	Total      fund.HouseholdFigures   // every register counted: the sum of Summaries and Other
	Other      fund.HouseholdFigures   // above the communes: those under no unit of Children
	Households []householdRow
	Children   []unit.Unit
	Regular    int // fund.RegularQuarters, for the page's note
	CanEnter   bool
}

// householdRow is a household as the register lists it.
type householdRow struct {
	fund.Household
	AreaName string
	TetGift  bool // given a Tết gift for the year (fund.TetGift)
	Supports int  // supports in the year (fund.Supports)
	Regular  bool // supported regularly (fund.SupportedRegularly)
}

func (h *Web) householdsPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	if year < 2000 || year > 2100 {
		year = h.today().Year()
	}
	from, to := yearSpan(year)
	u, err := h.fundUnitDuring(r, s, r.URL.Query().Get("unit"), from, to)
	if err != nil {
		return err
	}
	if err := access.SeeHouseholds(s.User, u); err != nil {
		return err
	}
	p := householdsPage{Base: h.base(s, "Danh sách hộ nghèo, cận nghèo, khó khăn đặc biệt"), Unit: u, Year: year, Regular: fund.RegularQuarters}
	p.Nav, p.Notice = "fund", fundNotice(r)
	switch u.Kind {
	case unit.Commune:
		p.Commune = &u
	case unit.ResidentialArea:
		c, err := h.Store.UnitByID(ctx, u.ParentID)
		if err != nil {
			return err
		}
		p.Commune, p.Area = &c, &u
	default:
		day := min(h.today().String(), to, u.ValidTo)
		if p.Children, err = h.Store.Children(ctx, u, day); err != nil {
			return err
		}
		// Each commune's register counted as the commune's own page and
		// T2.2 and T2.3 count it: households in one of its areas. A
		// commune under no unit listed (ended or moved within the year)
		// counts in a row of its own, so the total is every register below.
		summaries, at := fund.FiguresFor(year, p.Children)
		p.Summaries = summaries
		p.Total = fund.HouseholdFigures{Unit: u, Year: year}
		err = h.Store.EachHouseholdBelow(ctx, u, year, func(hh fund.Household, path string, aids []fund.Aid) error {
			if hh.AreaID == 0 {
				return nil
			}
			p.Total.Add(hh, aids)
			if i, ok := at[childUnder(u, path)]; ok {
				p.Summaries[i].Add(hh, aids)
			}
			return nil
		})
		if err != nil {
			return err
		}
		p.Other = p.Total.Minus(sumFigures(u, year, p.Summaries))
		return h.render(w, "fund_households.html", p)
	}
	p.CanEnter = access.EnterFund(s.User, *p.Commune) == nil
	if p.Areas, err = h.Store.AreasOf(ctx, *p.Commune, year); err != nil {
		return err
	}
	hs, aids, err := h.Store.HouseholdAids(ctx, *p.Commune, year)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, a := range p.Areas {
		names[a.ID] = a.Name
	}
	for _, hh := range hs {
		if p.Area != nil && hh.AreaID != p.Area.ID {
			continue
		}
		p.Households = append(p.Households, householdRow{Household: hh, AreaName: names[hh.AreaID], TetGift: fund.TetGift(year, aids[hh.ID]),
			Supports: fund.Supports(year, aids[hh.ID]), Regular: fund.SupportedRegularly(year, aids[hh.ID])})
	}
	shown := p.Areas
	if p.Area != nil {
		shown = []unit.Unit{*p.Area}
	}
	p.Summaries = fund.CountAreas(year, shown, hs, aids)
	p.Total = sumFigures(u, year, p.Summaries)
	return h.render(w, "fund_households.html", p)
}

// childUnder is the id of the unit right below parent on the way down to
// the unit at path, or 0 when path is not below parent.
func childUnder(parent unit.Unit, path string) int64 {
	rest, ok := strings.CutPrefix(path, parent.Path)
	if !ok {
		return 0
	}
	seg, _, _ := strings.Cut(rest, "/")
	id, _ := strconv.ParseInt(seg, 10, 64)
	return id
}

// sumFigures is the sum of the register page's rows, at u.
func sumFigures(u unit.Unit, year int, fs []fund.HouseholdFigures) fund.HouseholdFigures {
	t := fund.HouseholdFigures{Unit: u, Year: year}
	for _, f := range fs {
		t = t.Plus(f)
	}
	return t
}

func (h *Web) householdAdd(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	// The unit as the year's register read it (householdsPage); a year
	// out of range is refused by RegisterHousehold, naming the field.
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	from, to := h.today().String(), h.today().String()
	if year >= 2000 && year <= 2100 {
		from, to = yearSpan(year)
	}
	u, err := h.fundUnitDuring(r, s, r.PostFormValue("unit"), from, to)
	if err != nil {
		return err
	}
	if err := access.EnterFund(s.User, u); err != nil {
		return err
	}
	hh := fund.Household{Year: year, Head: r.PostFormValue("head"), Address: r.PostFormValue("address"), Status: r.PostFormValue("status")}
	if code := r.PostFormValue("area"); code != "" {
		// An area of another commune is found here, by its code, and
		// refused by fund.RegisterHousehold with the field named; a code
		// of no unit at all is refused the same way.
		hh.AreaID = -1
		first, last := yearSpan(year)
		if a, err := h.Store.UnitDuring(ctx, code, first, last); err == nil {
			hh.AreaID = a.ID
		}
		if areas, err := h.Store.AreasOf(ctx, u, year); err == nil {
			for _, a := range areas {
				if a.Code == code {
					hh.AreaID = a.ID // the commune's own, when the code changed hands in the year
				}
			}
		}
	}
	err = h.Store.WithTx(ctx, func(tx *store.Tx) error {
		_, err := fund.RegisterHousehold(ctx, tx, s.User.Actor(), u, hh)
		return err
	})
	if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/fund/households?unit=%s&year=%d&on=%s&msg=household", url.QueryEscape(u.Code), year, unitDay(u, year)))
}
