package web

import (
	"fmt"
	"net/http"
	"net/url"

	"mattran/internal/clock"
	"mattran/internal/fund"
	"mattran/internal/report"
	"mattran/internal/sheet"
	"mattran/internal/store"
	"mattran/internal/unit"
)

type fundReportPage struct {
	Base
	Row      campaignRow
	Doc      report.Document
	Intro    string
	Balances []store.Balance
	Total    store.Balance
	ByUnit   []store.CommuneDisbursement
	Back     string
	XLSX     string
}

// fundReport is a campaign's report: what it received, transferred and
// disbursed, and what each unit holds, with the disbursements per unit
// (commune) and purpose, in the administrative layout of the consolidated
// report (NĐ 30/2020), or as XLSX with amounts as numbers.
func (h *Web) fundReport(w http.ResponseWriter, r *http.Request, s *Session) error {
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
	bs, err := h.Store.Balances(ctx, c.ID)
	if err != nil {
		return err
	}
	var total store.Balance
	for _, b := range bs {
		total.Received += b.Received
		total.Disbursed += b.Disbursed
		total.TransferIn += b.TransferIn
		total.TransferOut += b.TransferOut
	}
	by, err := h.Store.DisbursedByUnit(ctx, c.ID)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "xlsx" {
		return sendTable(w, fmt.Sprintf("bao-cao-%s.xlsx", c.Code), fundTable(c, bs, total, by, vnTime(h.Now())))
	}
	owner, err := h.Store.UnitByID(ctx, c.UnitID)
	if err != nil {
		return err
	}
	parent := unit.Unit{}
	if owner.ParentID != 0 {
		if parent, err = h.Store.UnitByID(ctx, owner.ParentID); err != nil {
			return err
		}
	}
	row, err := h.campaignRow(r, c, clock.Today(h.Now()))
	if err != nil {
		return err
	}
	doc := report.New(owner, parent, h.Now())
	doc.Subject = "Kết quả tiếp nhận, phân bổ và sử dụng nguồn " + lowerFirstRune(c.Name)
	doc.Generated = "Số liệu lúc " + vnTime(h.Now()) + ", theo sổ quỹ (công khai tại /public/fund/" + c.Code + ")."
	p := fundReportPage{Base: h.base(s, doc.Subject), Row: row, Doc: doc, Balances: bs, Total: total, ByUnit: by,
		Back: "/fund/campaigns/" + url.PathEscape(c.Code) + "?unit=" + url.QueryEscape(u.Code),
		XLSX: "/fund/campaigns/" + url.PathEscape(c.Code) + "/report?unit=" + url.QueryEscape(u.Code) + "&format=xlsx"}
	p.Nav = "fund"
	p.Intro = fmt.Sprintf("%s (%s) tiếp nhận từ ngày %s đến ngày %s", c.Name, lowerFirstRune(c.Kind.Label()), vnDate(c.ReceiveFrom), vnDate(c.ReceiveTo))
	if c.Account != "" {
		p.Intro += fmt.Sprintf(" qua tài khoản số %s tại %s", c.Account, c.Bank)
	}
	p.Intro += fmt.Sprintf(". %s báo cáo kết quả tiếp nhận, phân bổ và sử dụng như sau:", report.IssuerName(owner, parent))
	return h.render(w, "fund_report.html", p)
}

// fundTable is the report as a sheet: a row per unit with its amounts as
// numbers, the campaign's total, then the disbursements per unit and
// purpose.
func fundTable(c fund.Campaign, bs []store.Balance, total store.Balance, by []store.CommuneDisbursement, generated string) sheet.TableSpec {
	t := sheet.TableSpec{Title: "Báo cáo " + c.Name,
		Subtitles: []string{c.UnitName + " · " + c.Kind.Label() + " · tiếp nhận " + vnDate(c.ReceiveFrom) + "–" + vnDate(c.ReceiveTo), "Số liệu lúc " + generated + " (đồng)"},
		Header:    []string{"Đơn vị", "Mục", "Đã nhận", "Nhận điều chuyển", "Điều chuyển đi", "Đã chi", "Số dư", "Số khoản chi", "Số hộ"}}
	n := func(v int64) sheet.Cell { return sheet.Number(float64(v), 0) }
	for _, b := range bs {
		t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(b.UnitName), sheet.Text("Số dư"), n(b.Received), n(b.TransferIn), n(b.TransferOut), n(b.Disbursed), n(b.Net())})
	}
	t.Rows = append(t.Rows, []sheet.Cell{sheet.Text("Cả chiến dịch"), sheet.Text("Số dư"), n(total.Received), n(total.TransferIn), n(total.TransferOut), n(total.Disbursed), n(total.Net())})
	for _, d := range by {
		t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(d.UnitName), sheet.Text("Chi: " + fund.PurposeLabel(d.Purpose)), sheet.Text(""), sheet.Text(""), sheet.Text(""), n(d.Amount), sheet.Text(""), n(d.Entries), n(d.Households)})
	}
	return t
}
