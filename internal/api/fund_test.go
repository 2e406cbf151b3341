package api_test

import (
	"context"
	"strings"
	"testing"

	"mattran/internal/audit"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// A donation appears in the public search without signing in: found by
// its donor's name typed without diacritics and by a part of its text,
// with the phone number in its description masked, and in the CSV too.
func TestPublicLedgerSearch(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv, _ := server(t, s)
		ctx := context.Background()
		prov, err := s.UnitAt(ctx, "24", "2024-12-31")
		if err != nil {
			t.Fatal(err)
		}
		a := audit.Actor{UserID: 1, Name: "Cán bộ"}
		err = s.WithTx(ctx, func(tx *store.Tx) error {
			c, err := fund.OpenCampaign(ctx, tx, a, prov, fund.Campaign{Code: "VNN-2026", Name: "Quỹ Vì người nghèo 2026", Kind: fund.Yearly, Year: 2026})
			if err != nil {
				return err
			}
			for _, e := range []fund.Entry{
				{Donor: "Nguyễn Văn Đường", Description: "Ủng hộ quỹ, liên hệ 0912345678", Amount: 50_000_000},
				{Donor: "Công ty Hòa Bình", DonorKind: fund.Organisation, Description: "ủng hộ", Amount: 200_000_000},
			} {
				e.CampaignID, e.Day, e.Channel = c.ID, "2026-10-20", fund.BankWire
				if e.DonorKind == "" {
					e.DonorKind = fund.Person
				}
				if _, err := fund.Receive(ctx, tx, a, prov, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			query, want, not string
		}{
			{"q=duong", "Nguyễn Văn Đường", "Hòa Bình"},
			{"q=nguyen+van", "Nguyễn Văn Đường", "Hòa Bình"},
			{"q=hoa+b", "Hòa Bình", "Đường"},
			{"min=100.000.000", "Hòa Bình", "Đường"},
			{"q=0912345", `"count": 0`, "Đường"},
		} {
			code, body := call(t, srv, "", "GET", "/api/v1/public/fund/campaigns/VNN-2026/entries?"+tt.query, "", "")
			if code != 200 || !strings.Contains(body, tt.want) || strings.Contains(body, tt.not) {
				t.Errorf("%s: %d %s", tt.query, code, body)
			}
			if strings.Contains(body, "0912345678") || strings.Contains(body, "Cán bộ") {
				t.Errorf("%s: a phone number or who entered it is public: %s", tt.query, body)
			}
		}
		_, body := call(t, srv, "", "GET", "/api/v1/public/fund/campaigns/VNN-2026/entries?q=duong", "", "")
		if !strings.Contains(body, "*******678") {
			t.Errorf("masked phone not shown: %s", body)
		}
		code, body := call(t, srv, "", "GET", "/api/v1/public/fund/campaigns/VNN-2026/entries?format=csv", "", "")
		if code != 200 || !strings.Contains(body, "Nguyễn Văn Đường") || strings.Contains(body, "0912345678") {
			t.Errorf("csv: %d %s", code, body)
		}
		code, body = call(t, srv, "", "GET", "/api/v1/public/fund/campaigns", "", "")
		if code != 200 || !strings.Contains(body, "250000000") || !strings.Contains(body, `"digests"`) {
			t.Errorf("campaigns: %d %s", code, body)
		}
		if code, _ := call(t, srv, "", "GET", "/api/v1/public/fund/campaigns/VNN-2026/entries?min=abc", "", ""); code != 400 {
			t.Errorf("bad amount: %d", code)
		}
	})
}
