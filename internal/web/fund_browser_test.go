package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mattran/internal/audit"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// TestFundInBrowser: a relief campaign of the province has donations and
// sent money to the district; the district's officer enters a disbursement
// to a household, which the officer cannot approve and the district's
// leader approves; a citizen on a phone finds a donation by typing the
// name without diacritics, sees the phone number masked, and finds the
// disbursement in the public ledger. Screenshots of each step are kept.
func TestFundInBrowser(t *testing.T) {
	bctx := browser(t)
	h := newHarness(t, storetest.SQLite(t))
	ctx := context.Background()
	s := h.Store
	prov, err := s.UnitAt(ctx, "24", "2024-12-10")
	if err != nil {
		t.Fatal(err)
	}
	dist, err := s.UnitAt(ctx, "213", "2024-12-10")
	if err != nil {
		t.Fatal(err)
	}
	a := audit.Actor{UserID: 999_999, Name: "thuquy.tinh"}
	err = s.WithTx(ctx, func(tx *store.Tx) error {
		c, err := fund.OpenCampaign(ctx, tx, a, prov, fund.Campaign{Code: "BAO-2024", Name: "Ủng hộ đồng bào bị thiệt hại do bão số 3",
			Kind: fund.Relief, Year: 2024, ReceiveFrom: "2024-11-20", ReceiveTo: "2024-12-31", DistributeTo: "2025-01-15", Bank: "Vietcombank", Account: "0011001932418"})
		if err != nil {
			return err
		}
		for _, d := range []struct {
			donor, desc string
			amount      int64
		}{{"Nguyễn Văn Đường", "Ủng hộ đồng bào, liên hệ 0912345678", 5_000_000}, {"Công ty TNHH Hòa Bình", "Ủng hộ bão số 3", 200_000_000},
			{"", "NGUYEN VAN AN chuyen khoan ung ho 0987 654 321", 500_000}, {"Trần Thị Hoa", "ủng hộ", 1_000_000}} {
			kind := fund.Person
			if d.donor == "" {
				kind = fund.Anonymous
			}
			if _, err := fund.Receive(ctx, tx, a, prov, fund.Entry{CampaignID: c.ID, Day: "2024-12-09", Amount: d.amount, Channel: fund.BankWire,
				DonorKind: kind, Donor: d.donor, Description: d.desc}); err != nil {
				return err
			}
		}
		_, err = fund.TransferFunds(ctx, tx, a, prov, dist, fund.Entry{CampaignID: c.ID, Day: "2024-12-09", Amount: 100_000_000, Description: "Hỗ trợ thành phố Bắc Giang"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: bctx, dir: artifacts(t)}

	// 1. The district's officer enters a disbursement.
	p.signIn(h.URL, "canbo.huyen")
	p.open(h.URL + "/fund/campaigns/BAO-2024?unit=213")
	p.must(chromedp.Do(p.ctx,
		chromedp.SendKeys(`form[action$="/requests"] input[name=beneficiary]`, "Hộ ông Lò Văn Sơn, thôn Đông"),
		chromedp.SetValue(`form[action$="/requests"] select[name=purpose]`, "house"),
		chromedp.SendKeys(`form[action$="/requests"] input[name=amount]`, "30.000.000"),
		chromedp.SendKeys(`form[action$="/requests"] input[name=docNo]`, "PC-07"),
		chromedp.SendKeys(`form[action$="/requests"] input[name=note]`, "Dựng lại nhà bị sập")))
	p.shot("officer-disbursement")
	p.click(`form[action$="/requests"] button`)
	p.shot("officer-pending")
	if txt := p.text(); !strings.Contains(txt, "Cần một lãnh đạo khác duyệt") || !strings.Contains(txt, "Lò Văn Sơn") {
		t.Fatalf("after entering the disbursement:\n%s", txt)
	}

	// 2. The district's leader approves it. Signing out by the button waits
	// for its page, so the sign-in's own navigation is not cut short on a
	// loaded machine.
	p.click(`form[action="/logout"] button`)
	p.signIn(h.URL, "lanhdao.huyen")
	p.open(h.URL + "/fund/campaigns/BAO-2024?unit=213")
	p.click(`form[action$="/decide"] button.primary`)
	p.shot("leader-approved")
	if txt := p.text(); !strings.Contains(txt, "Đã duyệt khoản chi") || !strings.Contains(txt, "70.000.000") {
		t.Fatalf("after approving:\n%s", txt)
	}

	// The campaign's report, as it prints.
	p.open(h.URL + "/fund/campaigns/BAO-2024/report?unit=213")
	p.shot("campaign-report")
	if txt := p.text(); !strings.Contains(txt, "Xây, sửa nhà") || !strings.Contains(txt, "30.000.000") {
		t.Errorf("the campaign report lacks the disbursement:\n%s", txt)
	}

	// 3. A citizen on a phone.
	p.click(`form[action="/logout"] button`)
	p.must(chromedp.Do(p.ctx, chromedp.EmulateViewport(390, 844)))
	p.open(h.URL + "/public/fund")
	p.shot("citizen-campaigns")
	p.open(h.URL + "/public/fund/BAO-2024")
	p.must(chromedp.Do(p.ctx, chromedp.SendKeys(`input[name=q]`, "nguyen van")))
	p.click(`form.filter button`)
	p.shot("citizen-search")
	txt := p.text()
	for _, want := range []string{"Nguyễn Văn Đường", "NGUYEN VAN AN", "*******678", "**** *** 321"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the search for 'nguyen van' lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "0912345678") || strings.Contains(txt, "Trần Thị Hoa") {
		t.Errorf("the search shows a phone number or a row it should not match:\n%s", txt)
	}
	p.open(h.URL + "/public/fund/BAO-2024?kind=disbursement")
	p.shot("citizen-disbursements")
	txt = p.text()
	if !strings.Contains(txt, "Lò Văn Sơn") || !strings.Contains(txt, "30.000.000") || !strings.Contains(txt, "Xây, sửa nhà") {
		t.Errorf("the public ledger lacks the approved disbursement:\n%s", txt)
	}
}
