package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"mattran/internal/audit"
	"mattran/internal/fund"
	"mattran/internal/store"
)

// ledger verify says the ledger matches, then, after a row is edited in
// the database, names that entry and exits 1.
func TestLedgerVerifyCommand(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	if code, out, errOut := mattran(t, "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %d %s%s", code, out, errOut)
	}
	if code, out, errOut := mattran(t, "units", "import", "--db", db, "../../internal/demo/data/bac-giang-2025-03.json"); code != 0 {
		t.Fatalf("units import: %d %s%s", code, out, errOut)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.UnitAt(ctx, "24", "2024-12-31")
	if err != nil {
		t.Fatal(err)
	}
	a := audit.Actor{UserID: 1, Name: "Thủ quỹ"}
	err = s.WithTx(ctx, func(tx *store.Tx) error {
		c, err := fund.OpenCampaign(ctx, tx, a, u, fund.Campaign{Code: "VNN-2024", Name: "Quỹ 2024", Kind: fund.Yearly, Year: 2024})
		if err != nil {
			return err
		}
		for range 3 {
			if _, err := fund.Receive(ctx, tx, a, u, fund.Entry{CampaignID: c.ID, Day: "2024-05-01", Amount: 100_000, Channel: fund.Cash, DonorKind: fund.Anonymous}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := mattran(t, "ledger", "verify", "--db", db); code != 0 || !strings.Contains(out, "Sổ quỹ khớp: 3 bút toán") {
		t.Fatalf("verify: %d %s%s", code, out, errOut)
	}
	if _, err := s.DB.Exec(`UPDATE fund_entries SET donor = 'Người khác' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := mattran(t, "ledger", "verify", "--db", db)
	if code != 1 || !strings.Contains(errOut, "bút toán số 2") {
		t.Fatalf("verify after tampering: exit %d, %s", code, errOut)
	}
}
