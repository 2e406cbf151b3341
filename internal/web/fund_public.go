package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/vn"
)

// The public ledger: no sign-in. A citizen on a phone lists the campaigns
// with their totals and legal dates, and searches one campaign's entries
// by name, content, amount and date, without diacritics and by substring;
// phone and account numbers come masked, and who entered or approved an
// entry is not shown. The downloads are the public API's.

type publicFundPage struct {
	Base
	Campaigns []campaignRow
	Digests   []fund.Digest
	Year      int // ?year= (the link from T2.1's figure on the public page): that year's campaigns; 0: all
}

func (h *Web) publicFundPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	rows, err := h.campaignRows(r)
	if err != nil {
		return err
	}
	digests, err := h.Store.Digests(r.Context(), 7)
	if err != nil {
		return err
	}
	p := publicFundPage{Base: h.base(s, "Công khai Quỹ Vì người nghèo và vận động cứu trợ"), Campaigns: rows, Digests: digests}
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil {
		p.Year = y
		p.Campaigns = slices.DeleteFunc(rows, func(c campaignRow) bool { return c.Campaign.Year != y })
	}
	p.Nav = "public"
	return h.render(w, "public_fund.html", p)
}

// publicPageSize is how many rows a search shows; the downloads give up
// to the API's 1,000.
const publicPageSize = 100

type publicLedgerPage struct {
	Base
	Row       campaignRow
	Balances  []store.Balance
	ByUnit    []store.CommuneDisbursement
	Form      url.Values
	Searched  bool
	Entries   []fund.Entry
	More      bool   // a full page: there may be more rows
	Sum       int64  // of the rows shown
	CSV, JSON string // the downloads of the same search
	Digests   []fund.Digest
	Message   string
	PageLimit int
}

func (h *Web) publicLedgerPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	c, err := h.campaignByCode(r)
	if err != nil {
		return err
	}
	p := publicLedgerPage{Base: h.base(s, "Sổ công khai: "+c.Name), Form: r.URL.Query(), PageLimit: publicPageSize}
	p.Nav = "public"
	if p.Row, err = h.campaignRow(r, c, clock.Today(h.Now())); err != nil {
		return err
	}
	if p.Balances, err = h.Store.Balances(ctx, c.ID); err != nil {
		return err
	}
	if p.ByUnit, err = h.Store.DisbursedByUnit(ctx, c.ID); err != nil {
		return err
	}
	if p.Digests, err = h.Store.Digests(ctx, 7); err != nil {
		return err
	}
	lq, err := ledgerQuery(c, r.URL.Query())
	status := http.StatusOK
	if e, ok := errs.As(err); ok && e.Code == errs.Invalid {
		p.Message, status = e.Message, http.StatusBadRequest
	} else if err != nil {
		return err
	} else {
		lq.Limit = publicPageSize + 1
		es, err := h.Store.SearchLedger(ctx, lq)
		if err != nil {
			return err
		}
		p.Searched = true
		if len(es) > publicPageSize {
			es, p.More = es[:publicPageSize], true
		}
		p.Entries = es
		for _, e := range es {
			p.Sum += e.Amount
		}
		api := "/api/v1/public/fund/campaigns/" + url.PathEscape(c.Code) + "/entries?"
		keep := url.Values{}
		for _, k := range []string{"q", "kind", "min", "max", "from", "to"} {
			if v := r.URL.Query().Get(k); v != "" {
				keep.Set(k, v)
			}
		}
		p.JSON = api + keep.Encode()
		keep.Set("format", "csv")
		p.CSV = api + keep.Encode()
	}
	return h.renderStatus(w, status, "public_fund_ledger.html", p)
}

// ledgerQuery reads the public search's fields: q, min, max, from, to,
// kind; amounts the Vietnamese way, dates dd/mm/yyyy.
func ledgerQuery(c fund.Campaign, q url.Values) (store.LedgerQuery, error) {
	lq := store.LedgerQuery{CampaignID: c.ID, Text: vn.Fold(strings.TrimSpace(q.Get("q"))), Kind: q.Get("kind")}
	if len([]rune(lq.Text)) > 100 {
		return lq, errs.New(errs.Invalid, "Từ khóa tìm kiếm quá dài (tối đa 100 ký tự).")
	}
	switch lq.Kind {
	case "", string(fund.Receipt), string(fund.Disbursement), string(fund.Transfer):
	default:
		return lq, errs.New(errs.Invalid, "Loại bút toán %q không có.", lq.Kind)
	}
	for _, f := range []struct {
		name, label string
		v           *int64
	}{{"min", "Số tiền từ", &lq.Min}, {"max", "Số tiền đến", &lq.Max}} {
		if v := strings.TrimSpace(q.Get(f.name)); v != "" {
			n, ok := fund.ParseAmount(v)
			if !ok || n < 0 {
				return lq, errs.New(errs.Invalid, "%s: %q không phải số tiền (viết như 500.000).", f.label, v)
			}
			*f.v = n
		}
	}
	for _, f := range []struct {
		name, label string
		v           *string
	}{{"from", "Từ ngày", &lq.From}, {"to", "Đến ngày", &lq.To}} {
		if v := strings.TrimSpace(q.Get(f.name)); v != "" {
			d, ok := fund.ParseStatementDate(v)
			if !ok {
				return lq, errs.New(errs.Invalid, "%s: %q không phải ngày (viết như 15/09/2024).", f.label, v)
			}
			*f.v = d
		}
	}
	return lq, nil
}

// amountWords is an amount as the receipt writes it in words.
func amountWords(n int64) string { return vn.AmountInWords(n) }

// deadlineTag is a legal date's status as a badge: its text and class.
func deadlineTag(st fund.Status) struct{ Text, Class string } {
	switch st {
	case fund.Due:
		return struct{ Text, Class string }{"Đến hạn", "st-thieu_so_lieu"}
	case fund.Late:
		return struct{ Text, Class string }{"Quá hạn", "st-chua_dat"}
	case fund.Done:
		return struct{ Text, Class string }{"Đã làm đúng hạn", "st-dat"}
	case fund.DoneLate:
		return struct{ Text, Class string }{"Đã làm, trễ hạn", "st-chua_dat"}
	}
	return struct{ Text, Class string }{"Chưa đến hạn", "st-khong_ap_dung"}
}
