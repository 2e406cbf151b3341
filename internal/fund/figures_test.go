package fund_test

import (
	"context"
	"testing"

	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

func raised(t *testing.T, s *store.Store, u unit.Unit) float64 {
	t.Helper()
	var v float64
	err := s.DB.QueryRow(`SELECT v.value FROM data_values v JOIN data_elements e ON e.id = v.element_id
		WHERE e.code = $1 AND v.period = '2024' AND v.unit_path = $2`, fund.ElemRaised, u.Path).Scan(&v)
	if err != nil {
		t.Fatalf("%s of %s: %v", fund.ElemRaised, u.Code, err)
	}
	return v
}

// T2.1 comes from the ledger: the province's figure for 2024 is the sum of
// its receipts, a reversal takes its amount off, and the city's own
// receipt is the city's figure, not the province's.
func TestRaisedFigure(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		w.receive(t, w.prov, 50_000_000, "Công ty Hòa Bình", "ủng hộ")
		wrong := w.receive(t, w.prov, 2_000_000, "Trần Thị Hoa", "ủng hộ")
		w.receive(t, w.city, 3_000_000, "Lê Văn Tư", "ủng hộ")
		if v := raised(t, s, w.prov); v != 52_000_000 {
			t.Fatalf("province raised %v, want 52.000.000", v)
		}
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := fund.Reverse(ctx, tx, leader, wrong.ID, "Nhập trùng")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if v := raised(t, s, w.prov); v != 50_000_000 {
			t.Errorf("after the reversal the province raised %v, want 50.000.000", v)
		}
		if v := raised(t, s, w.city); v != 3_000_000 {
			t.Errorf("the city raised %v, want 3.000.000", v)
		}
	})
}

// A year the program has as typed (T2.1's typed_until: 2023) keeps its
// typed figure: a receipt in that year's campaign does not overwrite it.
func TestRaisedLeavesTypedYear(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setup(t, s)
		ctx := context.Background()
		if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\n"+fund.ElemRaised+",2023,24,51000000000\n"); err != nil {
			t.Fatal(err)
		}
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			c, err := fund.OpenCampaign(ctx, tx, leader, w.prov, fund.Campaign{Code: "QVNN-2023", Name: "Quỹ Vì người nghèo năm 2023",
				Kind: fund.Yearly, Year: 2023})
			if err != nil {
				return err
			}
			_, err = fund.Receive(ctx, tx, officer, w.prov, fund.Entry{CampaignID: c.ID, Day: "2023-11-20", Amount: 7_000_000,
				Channel: fund.Cash, DonorKind: fund.Person, Donor: "Nguyễn Văn An", Description: "ủng hộ"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var v float64
		if err := s.DB.QueryRow(`SELECT v.value FROM data_values v JOIN data_elements e ON e.id = v.element_id
			WHERE e.code = $1 AND v.period = '2023' AND v.unit_path = $2`, fund.ElemRaised, w.prov.Path).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != 51e9 {
			t.Errorf("the typed 2023 figure became %v, want 51.000.000.000 as typed", v)
		}
	})
}
