package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"mattran/internal/access"
	"mattran/internal/audit"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// The fund's rows of the access table. Each target unit gets its own
// yearly fund and relief campaign; a unit's books are written at the
// target, so the relations are the table's usual ones.

var fundActor = audit.Actor{UserID: 999_999, Name: "thuquy.khac"}

// fundCampaign is the target's campaign of the kind (yearly or relief),
// opened the first time it is asked for.
func (e *accessEnv) fundCampaign(target string, kind fund.Kind) fund.Campaign {
	e.t.Helper()
	ctx := context.Background()
	code := fmt.Sprintf("%s-%s", kind, target)
	if c, err := e.s.CampaignByCode(ctx, code); err == nil {
		return c
	}
	c := fund.Campaign{Code: code, Name: "Quỹ thử " + target, Kind: kind, Year: 2024}
	if kind == fund.Relief {
		c.ReceiveFrom, c.ReceiveTo, c.DistributeTo, c.Account = "2024-11-01", "2024-12-31", "2025-01-10", "1234567890"
	}
	err := e.s.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		c, err = fund.OpenCampaign(ctx, tx, fundActor, e.unit(target), c)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// fundReceipt records a receipt of 10 million at the target, in its
// yearly fund.
func (e *accessEnv) fundReceipt(target string) fund.Entry {
	e.t.Helper()
	ctx := context.Background()
	c := e.fundCampaign(target, fund.Yearly)
	var out fund.Entry
	err := e.s.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = fund.Receive(ctx, tx, fundActor, e.unit(target), fund.Entry{CampaignID: c.ID, Day: "2024-12-10", Amount: 10_000_000,
			Channel: fund.Cash, DonorKind: fund.Person, Donor: "Nhà hảo tâm " + target})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// fundRequest is a pending disbursement at the target, entered by
// someone who is none of the harness's users.
func (e *accessEnv) fundRequest(target string) fund.Request {
	e.t.Helper()
	ctx := context.Background()
	e.fundReceipt(target)
	c := e.fundCampaign(target, fund.Yearly)
	var out fund.Request
	err := e.s.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = fund.RequestDisbursement(ctx, tx, fundActor, e.unit(target), fund.Request{CampaignID: c.ID, Day: "2024-12-10", Amount: 1_000_000,
			Purpose: "relief", Beneficiary: "Hộ ông A"})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

var (
	openCampaignRule = access.OpenCampaign
	enterFundRule    = access.EnterFund
	reverseRule      = access.ReverseEntry
	approveFundRule  = func(u user.User, x unit.Unit) error { return access.ApproveDisbursement(u, x, fundActor.UserID) }
)

func fundAccessCases() []accessCase {
	books := func(suffix string, kind fund.Kind, form url.Values) func(*accessEnv, accessActor, string) accessReq {
		return func(e *accessEnv, _ accessActor, target string) accessReq {
			c := e.fundCampaign(target, kind)
			f := url.Values{"unit": {target}}
			for k, v := range form {
				f[k] = v
			}
			return accessReq{method: http.MethodPost, path: "/fund/campaigns/" + c.Code + suffix, form: f}
		}
	}
	return []accessCase{
		{route: "GET /fund", rule: r(seeRule), may: everyone, req: get("/fund?unit=UNIT")},
		{route: "POST /fund/campaigns", rule: r(openCampaignRule), may: approvers, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodPost, path: "/fund/campaigns", form: url.Values{"unit": {target}, "code": {fmt.Sprintf("MOI-%d", e.next())},
				"name": {"Quỹ Vì người nghèo 2024"}, "kind": {"yearly"}, "year": {"2024"}}}
		}},
		{route: "GET /fund/campaigns/{code}", rule: r(seeRule), may: everyone, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			e.fundReceipt(target)
			return accessReq{method: http.MethodGet, path: "/fund/campaigns/" + e.fundCampaign(target, fund.Yearly).Code + "?unit=" + target}
		}},
		{route: "GET /fund/campaigns/{code}/report", rule: r(seeRule), may: everyone, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			e.fundReceipt(target)
			return accessReq{method: http.MethodGet, path: "/fund/campaigns/" + e.fundCampaign(target, fund.Yearly).Code + "/report?unit=" + target}
		}},
		{route: "POST /fund/campaigns/{code}/receipts", rule: r(enterFundRule), may: recorders, req: books("/receipts", fund.Yearly,
			url.Values{"amount": {"50.000.000"}, "donorKind": {"person"}, "donor": {"Nguyễn Văn Đường"}, "channel": {"cash"}, "date": {"10/12/2024"}})},
		{route: "POST /fund/campaigns/{code}/requests", rule: r(enterFundRule), may: recorders, req: books("/requests", fund.Yearly,
			url.Values{"amount": {"1.000.000"}, "purpose": {"tet_gift"}, "beneficiary": {"Hộ bà B"}})},
		{route: "POST /fund/campaigns/{code}/transfers", rule: r(enterFundRule), may: recorders, req: func(e *accessEnv, a accessActor, target string) accessReq {
			e.fundReceipt(target)
			return books("/transfers", fund.Yearly, url.Values{"amount": {"1.000.000"}, "to": {around[target].child}})(e, a, target)
		}},
		{route: "POST /fund/campaigns/{code}/disclosures", rule: r(openCampaignRule), may: approvers, req: books("/disclosures", fund.Relief,
			url.Values{"kind": {"arrangements"}, "date": {"30/10/2024"}, "note": {"Đăng trên cổng thông tin"}})},
		{route: "POST /fund/campaigns/{code}/statement/upload", rule: r(enterFundRule), may: recorders, req: func(e *accessEnv, a accessActor, target string) accessReq {
			req := books("/statement/upload", fund.Relief, url.Values{"preset": {"generic"}})(e, a, target)
			req.file = fmt.Appendf(nil, "Ngày GD;Số CT;Số tiền ghi nợ;Số tiền ghi có;Số dư;Nội dung chi tiết\n10/12/2024;%d;;200.000;;ung ho 0912345678\n", e.next())
			return req
		}},
		{route: "POST /fund/requests/{id}/decide", rule: r(approveFundRule), may: approvers, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			q := e.fundRequest(target)
			return accessReq{method: http.MethodPost, path: fmt.Sprintf("/fund/requests/%d/decide", q.ID), form: url.Values{"action": {"approve"}}}
		}},
		{route: "POST /fund/entries/{id}/reverse", rule: r(reverseRule), may: approvers, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			x := e.fundReceipt(target)
			return accessReq{method: http.MethodPost, path: fmt.Sprintf("/fund/entries/%d/reverse", x.ID), form: url.Values{"reason": {"Nhập nhầm số tiền"}}}
		}},
		{route: "GET /fund/entries/{id}/receipt", rule: r(seeRule), may: everyone, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodGet, path: fmt.Sprintf("/fund/entries/%d/receipt", e.fundReceipt(target).ID)}
		}},
		{route: "GET /fund/households", rule: r(seeRule), may: everyone, req: get("/fund/households?unit=UNIT&year=2024")},
		{route: "POST /fund/households", rule: r(enterFundRule), may: recorders, req: func(_ *accessEnv, _ accessActor, target string) accessReq {
			// A commune's household is in one of its residential areas.
			return accessReq{method: http.MethodPost, path: "/fund/households", form: url.Values{"unit": {target}, "year": {"2024"},
				"head": {"Hoàng Văn Cường"}, "address": {"Thôn Đông"}, "area": {around[target].child}, "status": {"poor"}}}
		}},
		{route: "GET /public/fund", rule: r(noRule), public: true, unitless: true, may: public, req: get("/public/fund")},
		{route: "GET /public/fund/{code}", rule: r(noRule), public: true, may: public, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			e.fundReceipt(target)
			return accessReq{method: http.MethodGet, path: "/public/fund/" + e.fundCampaign(target, fund.Yearly).Code + "?q=nha+hao+tam"}
		}},
	}
}
