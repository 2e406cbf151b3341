package fund_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"mattran/internal/audit"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

var (
	officer = audit.Actor{UserID: 11, Name: "Cán bộ Lan"}
	leader  = audit.Actor{UserID: 12, Name: "Lãnh đạo Minh"}
	leader2 = audit.Actor{UserID: 13, Name: "Lãnh đạo Hòa"}
)

// ledgerFixture opens a relief campaign of the province with receipts at
// the province, returning it and the units.
type world struct {
	s                  *store.Store
	prov, city, commun unit.Unit
	c                  fund.Campaign
}

func setup(t *testing.T, s *store.Store) world { return setupB(t, s) }

func setupB(t testing.TB, s *store.Store) world {
	t.Helper()
	storetest.Fixture(t, s)
	s.Clock = clock.Fixed(time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC))
	ctx := context.Background()
	w := world{s: s}
	var err error
	for _, x := range []struct {
		code string
		u    *unit.Unit
	}{{"24", &w.prov}, {"213", &w.city}, {"07201", &w.commun}} {
		if *x.u, err = s.UnitAt(ctx, x.code, "2024-09-20"); err != nil {
			t.Fatal(err)
		}
	}
	err = s.WithTx(ctx, func(tx *store.Tx) error {
		w.c, err = fund.OpenCampaign(ctx, tx, leader, w.prov, fund.Campaign{Code: "YAGI-2024", Name: "Ủng hộ đồng bào bị thiệt hại do bão Yagi",
			Kind: fund.Relief, Year: 2024, ReceiveFrom: "2024-09-09", ReceiveTo: "2024-10-31", DistributeTo: "2024-11-15", Bank: "Vietcombank", Account: "0011001932418"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w world) receive(t *testing.T, u unit.Unit, amount int64, donor, desc string) fund.Entry {
	t.Helper()
	var e fund.Entry
	err := w.s.WithTx(context.Background(), func(tx *store.Tx) (err error) {
		e, err = fund.Receive(context.Background(), tx, officer, u, fund.Entry{CampaignID: w.c.ID, Day: "2024-09-20", Amount: amount,
			Channel: fund.BankWire, DonorKind: fund.Person, Donor: donor, Description: desc, DocNo: "5213.81246"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func verify(t *testing.T, s *store.Store) store.LedgerCheck {
	t.Helper()
	c, err := s.VerifyLedger(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A treasurer's day: donations in, a transfer to a commune, a disbursement
// entered by an officer and approved by another leader (not by its
// author), a correction by a reversing entry; the chain verifies and the
// balances reconcile, per unit and for the campaign.
func TestLedgerWorkflow(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		w.receive(t, w.prov, 50_000_000, "Nguyễn Văn Đường", "ung ho dong bao bao Yagi 0912345678")
		bad := w.receive(t, w.prov, 5_000_000, "Trần Thị Hoa", "ủng hộ bão lũ")
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := fund.TransferFunds(ctx, tx, leader, w.prov, w.commun, fund.Entry{CampaignID: w.c.ID, Day: "2024-09-21", Amount: 30_000_000, Description: "Hỗ trợ xã Thọ Xương"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// A transfer beyond the balance is refused.
		err = s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := fund.TransferFunds(ctx, tx, leader, w.prov, w.city, fund.Entry{CampaignID: w.c.ID, Day: "2024-09-21", Amount: 30_000_000})
			return err
		})
		if !errs.Is(err, errs.Invalid) {
			t.Fatalf("transfer over the balance: %v", err)
		}
		var req fund.Request
		err = s.WithTx(ctx, func(tx *store.Tx) (err error) {
			req, err = fund.RequestDisbursement(ctx, tx, leader, w.commun, fund.Request{CampaignID: w.c.ID, Day: "2024-09-25", Amount: 10_000_000,
				Purpose: "house", Beneficiary: "Hộ ông Lê Văn Tư, thôn 3"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// Its author cannot approve it, even as a leader.
		err = s.WithTx(ctx, func(tx *store.Tx) error { _, err := fund.ApproveDisbursement(ctx, tx, leader, req.ID); return err })
		if !errs.Is(err, errs.Forbidden) {
			t.Fatalf("self-approval: %v", err)
		}
		var paid fund.Entry
		err = s.WithTx(ctx, func(tx *store.Tx) (err error) {
			paid, err = fund.ApproveDisbursement(ctx, tx, leader2, req.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if paid.EnteredBy != leader.Name || paid.ApprovedBy != leader2.Name || paid.Kind != fund.Disbursement {
			t.Errorf("disbursement entry = %+v", paid)
		}
		// Approving twice is a conflict.
		err = s.WithTx(ctx, func(tx *store.Tx) error { _, err := fund.ApproveDisbursement(ctx, tx, leader2, req.ID); return err })
		if !errs.Is(err, errs.Conflict) {
			t.Fatalf("second approval: %v", err)
		}
		// A correction: the wrong receipt is reversed, once.
		err = s.WithTx(ctx, func(tx *store.Tx) error { _, err := fund.Reverse(ctx, tx, leader, bad.ID, "nhập trùng"); return err })
		if err != nil {
			t.Fatal(err)
		}
		err = s.WithTx(ctx, func(tx *store.Tx) error { _, err := fund.Reverse(ctx, tx, leader, bad.ID, "nhập trùng"); return err })
		if !errs.Is(err, errs.Conflict) {
			t.Fatalf("second reversal: %v", err)
		}
		bals, err := s.Balances(ctx, w.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		var total int64
		for _, b := range bals {
			got[b.UnitCode] = b.Net()
			total += b.Net()
		}
		if got["24"] != 20_000_000 || got["07201"] != 20_000_000 {
			t.Errorf("balances = %v, want 24: 20.000.000 and 07201: 20.000.000", got)
		}
		if total != 50_000_000-10_000_000 {
			t.Errorf("campaign balance %d, want received 50.000.000 − disbursed 10.000.000", total)
		}
		if c := verify(t, s); !c.OK() || c.Entries != 5 {
			t.Errorf("verify = %+v, want 5 entries, all matching", c)
		}
	})
}

// Someone edits an amount directly in the database: verify names that
// entry. Someone who also recomputes that entry's hash breaks the next
// entry's link; one who rewrites the whole chain breaks the day's
// published digest.
func TestLedgerTampering(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		for i := range 5 {
			w.receive(t, w.prov, int64(1_000_000*(i+1)), "Người ủng hộ", "ung ho")
		}
		if c := verify(t, s); !c.OK() {
			t.Fatalf("untouched ledger: %+v", c)
		}
		if _, err := s.DB.ExecContext(ctx, `UPDATE fund_entries SET amount = 300000 WHERE id = 3`); err != nil {
			t.Fatal(err)
		}
		c := verify(t, s)
		if c.Break == nil || c.Break.ID != 3 || !strings.Contains(c.Break.Reason, "đã bị sửa") {
			t.Fatalf("after editing entry 3: %+v", c.Break)
		}
		// Rehash entry 3 as a forger would, after entry 2's hash: entry 4
		// no longer links to it.
		before, err := s.Entry(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.Entry(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.ExecContext(ctx, `UPDATE fund_entries SET hash = $1 WHERE id = 3`, fund.HashOf(before.Hash, e)); err != nil {
			t.Fatal(err)
		}
		if c := verify(t, s); c.Break == nil || c.Break.ID != 4 || !strings.Contains(c.Break.Reason, "bút toán 3 bị sửa rồi băm lại") {
			t.Fatalf("after rehashing entry 3: %+v", c.Break)
		}
		// Rewrite the whole chain from 3 on: only the digest shows it.
		prev := before.Hash
		for id := int64(3); id <= 5; id++ {
			e, err := s.Entry(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			h := fund.HashOf(prev, e)
			if _, err := s.DB.ExecContext(ctx, `UPDATE fund_entries SET hash = $1 WHERE id = $2`, h, id); err != nil {
				t.Fatal(err)
			}
			prev = h
		}
		if c := verify(t, s); c.Break == nil || !strings.Contains(c.Break.Reason, "bản tóm tắt ngày") {
			t.Fatalf("after rewriting the chain: %+v", c.Break)
		}
		// A deleted entry is named too.
		if _, err := s.DB.ExecContext(ctx, `DELETE FROM fund_entries WHERE id = 2`); err != nil {
			t.Fatal(err)
		}
		if c := verify(t, s); c.Break == nil || c.Break.ID != 3 || !strings.Contains(c.Break.Reason, "thiếu bút toán số 2") {
			t.Fatalf("after deleting entry 2: %+v", c.Break)
		}
	})
}

// A balance edited in the database no longer reconciles with the entries.
func TestLedgerBalanceTampering(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		w.receive(t, w.prov, 1_000_000, "A", "")
		if _, err := s.DB.Exec(`UPDATE fund_balances SET received = 2000000`); err != nil {
			t.Fatal(err)
		}
		if c := verify(t, s); c.Break != nil || len(c.Balances) != 1 {
			t.Fatalf("verify = %+v, want one balance mismatch", c)
		}
	})
}

// A receipt outside the relief campaign's receiving period is refused,
// naming the field.
func TestReceiptOutsideReceiving(t *testing.T) {
	s := storetest.SQLite(t)
	w := setup(t, s)
	ctx := context.Background()
	err := s.WithTx(ctx, func(tx *store.Tx) error {
		_, err := fund.Receive(ctx, tx, officer, w.prov, fund.Entry{CampaignID: w.c.ID, Day: "2024-12-01", Amount: 1000, Channel: fund.Cash, DonorKind: fund.Anonymous})
		return err
	})
	e, ok := errs.As(err)
	if !ok || e.Details[0].Field != "date" || !strings.Contains(errs.Text(e.Details[0], errs.Page), "ngoài thời gian tiếp nhận") {
		t.Fatalf("err = %v", err)
	}
}

// A commune's register: two poor households, one given a Tết gift (entered
// by one leader, approved by another); the count says 1 of 2. A gift
// reversed no longer counts.
func TestHouseholdsAndTetGifts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		w.receive(t, w.prov, 5_000_000, "Nhà hảo tâm", "")
		var hs []fund.Household
		var req fund.Request
		kdc1, err := s.UnitAt(ctx, "KDC-1", "2024-09-20")
		if err != nil {
			t.Fatal(err)
		}
		err = s.WithTx(ctx, func(tx *store.Tx) error {
			for _, head := range []string{"Lê Văn Tư", "Ngô Thị Năm"} {
				h, err := fund.RegisterHousehold(ctx, tx, officer, w.commun, fund.Household{Year: 2024, AreaID: kdc1.ID, Head: head, Address: "Thôn 3", Status: fund.Poor})
				if err != nil {
					return err
				}
				hs = append(hs, h)
			}
			if _, err := fund.RegisterHousehold(ctx, tx, officer, w.city, fund.Household{Year: 2024, Head: "X", Status: fund.Poor}); !errs.Is(err, errs.Invalid) {
				t.Errorf("household of a district: %v", err)
			}
			if _, err := fund.TransferFunds(ctx, tx, leader, w.prov, w.commun, fund.Entry{CampaignID: w.c.ID, Day: "2024-09-21", Amount: 1_000_000}); err != nil {
				return err
			}
			// Only the commune whose register lists a household pays it.
			_, err := fund.RequestDisbursement(ctx, tx, officer, w.prov, fund.Request{CampaignID: w.c.ID, Day: "2024-09-22", Amount: 500_000,
				Purpose: "tet_gift", HouseholdID: hs[0].ID, Beneficiary: hs[0].Head})
			if e, ok := errs.As(err); !ok || e.Details[0].Field != "household" || !strings.Contains(errs.Text(e.Details[0], errs.Page), "không thuộc danh sách hộ của "+w.prov.Name) {
				t.Errorf("the province paying a commune's household: %v", err)
			}
			_, err = fund.RequestDisbursement(ctx, tx, officer, w.commun, fund.Request{CampaignID: w.c.ID, Day: "2024-09-22", Amount: 500_000,
				Purpose: "tet_gift", HouseholdID: 999_999, Beneficiary: "Không có"})
			if e, ok := errs.As(err); !ok || e.Code != errs.Invalid || e.Details[0].Field != "household" {
				t.Errorf("paying a household of no register: %v", err)
			}
			// A household of the 2025 register is not paid on a day of
			// 2024: the figures of neither year would count it.
			next, err := fund.RegisterHousehold(ctx, tx, officer, w.commun, fund.Household{Year: 2025, AreaID: kdc1.ID, Head: "Lê Văn Tư", Address: "Thôn 3", Status: fund.Poor})
			if err != nil {
				return err
			}
			_, err = fund.RequestDisbursement(ctx, tx, officer, w.commun, fund.Request{CampaignID: w.c.ID, Day: "2024-09-22", Amount: 500_000,
				Purpose: "medical", HouseholdID: next.ID, Beneficiary: next.Head})
			if e, ok := errs.As(err); !ok || e.Details[0].Field != "date" || !strings.Contains(errs.Text(e.Details[0], errs.Page), "thuộc danh sách năm 2025") ||
				!strings.Contains(errs.Text(e.Details[0], errs.Page), "22/09/2024") || !strings.Contains(errs.Text(e.Details[0], errs.Page), "quà Tết được ghi từ 01/12/2024") {
				t.Errorf("paying a household of 2025 on 22/9/2024: %v", err)
			}
			req, err = fund.RequestDisbursement(ctx, tx, officer, w.commun, fund.Request{CampaignID: w.c.ID, Day: "2024-09-22", Amount: 500_000,
				Purpose: "tet_gift", HouseholdID: hs[0].ID, Beneficiary: hs[0].Head})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var paid fund.Entry
		if err := s.WithTx(ctx, func(tx *store.Tx) (err error) {
			paid, err = fund.ApproveDisbursement(ctx, tx, leader2, req.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		count := func() store.HouseholdCount {
			cs, err := s.HouseholdCounts(ctx, w.commun.ID, 2024, "tet_gift")
			if err != nil || len(cs) != 1 {
				t.Fatalf("counts = %+v, %v", cs, err)
			}
			return cs[0]
		}
		if c := count(); c.Households != 2 || c.Disbursed != 1 {
			t.Errorf("after the gift: %+v, want 1 of 2", c)
		}
		if err := s.WithTx(ctx, func(tx *store.Tx) error { _, err := fund.Reverse(ctx, tx, leader, paid.ID, "trả lại"); return err }); err != nil {
			t.Fatal(err)
		}
		if c := count(); c.Disbursed != 0 {
			t.Errorf("after reversing the gift: %+v, want 0 of 2", c)
		}
	})
}
