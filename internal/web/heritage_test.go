package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/web"
)

// A user of a unit made on 1/7/2025 reads the history of the units it was
// made from (Xã N1 from Xã A and Xã B), and not of others (Xã N2 was not
// made from Xã B); it enters nothing there.
func TestHeritagePages(t *testing.T) {
	h := splitHarness(t)

	n1, n2 := h.login("canbo.n1"), h.login("canbo.n2")
	if status, body := n1.get("/home?unit=90001&period=2024"); status != http.StatusOK || !strings.Contains(body, "Xã A") {
		t.Errorf("N1's officer reads Xã A's 2024: %d", status)
	}
	if status, _ := n1.get("/home?unit=90002&period=2024"); status != http.StatusOK {
		t.Errorf("N1's officer reads Xã B's 2024: %d", status)
	}
	if status, _ := n2.get("/home?unit=90002&period=2024"); status != http.StatusForbidden {
		t.Errorf("N2's officer reads Xã B, which it was not made from: %d; want 403", status)
	}
	path := "/entry/TEST-SPLIT/NAM/90001/2024"
	status, page := n1.get(path)
	if status != http.StatusOK || strings.Contains(page, `name="action" value="save"`) {
		t.Errorf("Xã A's form for N1's officer: %d, editable %v", status, strings.Contains(page, `value="save"`))
	}
	form := url.Values{"v:E_QUY:90001": {"7"}, "action": {"save"}}
	if status, _ := n1.post(path, form); status != http.StatusForbidden {
		t.Errorf("N1's officer saves Xã A's figures: %d; want 403", status)
	}
}

// A campaign of 2024 opened by Xã B, read after the reform by N1's officer
// (N1 was made from Xã B): N1 did not exist then and has no books there,
// so the campaign's page shows Xã B's, read-only. N2's officer, not made
// from Xã B, reads N2's own empty books, as before.
func TestCampaignOfAnOldUnit(t *testing.T) {
	h := splitHarness(t)
	s, ctx := h.Store, context.Background()
	xaB, err := s.UnitAt(ctx, "90002", "2024-06-01")
	if err != nil {
		t.Fatal(err)
	}
	err = s.WithTx(ctx, func(tx *store.Tx) error {
		c, err := fund.OpenCampaign(ctx, tx, storetest.Actor, xaB, fund.Campaign{Code: "QVNN-90002-2024", Name: "Quỹ Vì người nghèo 2024", Kind: fund.Yearly, Year: 2024})
		if err != nil {
			return err
		}
		_, err = fund.Receive(ctx, tx, storetest.Actor, xaB, fund.Entry{CampaignID: c.ID, Day: "2024-03-04", Amount: 3_000_000, Channel: fund.Cash, DonorKind: "person", Donor: "Nguyễn Văn An"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	status, page := h.login("canbo.n1").get("/fund/campaigns/QVNN-90002-2024")
	if status != http.StatusOK || !strings.Contains(page, "Sổ của Xã B") || !strings.Contains(page, "3.000.000") {
		t.Errorf("N1's officer opens Xã B's 2024 campaign: %d, want Xã B's books\n%s", status, excerpt(page))
	}
	if strings.Contains(page, `action="/fund/campaigns/QVNN-90002-2024/receipts"`) {
		t.Error("N1's officer is offered to enter receipts into Xã B's books")
	}
	status, page = h.login("canbo.n2").get("/fund/campaigns/QVNN-90002-2024")
	if status != http.StatusOK || !strings.Contains(page, "Sổ của Xã N2") {
		t.Errorf("N2's officer opens Xã B's 2024 campaign: %d, want N2's own empty books\n%s", status, excerpt(page))
	}
}

// splitHarness serves the split tree (storetest.Split) on 4/12/2026, with
// an officer of each new commune: canbo.n1 (Xã N1, made from Xã A in part
// and Xã B) and canbo.n2 (Xã N2, made from Xã A in part).
func splitHarness(t *testing.T) *harness {
	s := storetest.SQLite(t)
	storetest.Split(t, s)
	ctx := context.Background()
	for _, u := range []struct{ name, unit string }{{"canbo.n1", "90010"}, {"canbo.n2", "90020"}} {
		n, err := s.UnitAt(ctx, u.unit, "2025-07-01")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: u.name, Role: "officer", Unit: n, Password: testPassword}); err != nil {
			t.Fatal(err)
		}
	}
	h := &harness{t: t, Store: s, now: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	s.Clock = func() time.Time { return h.now }
	mux := http.NewServeMux()
	(&web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	h.URL = srv.URL
	return h
}
