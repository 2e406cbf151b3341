package fund_test

import (
	"context"
	"strings"
	"testing"

	"mattran/internal/errs"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

// rolled is an element's 2024 figure over u's subtree as the roll-up
// keeps it (data_rollups), 0 when it has none.
func rolled(t *testing.T, s *store.Store, code string, u unit.Unit) float64 {
	t.Helper()
	var v float64
	err := s.DB.QueryRow(`SELECT COALESCE(SUM(r.value), 0) FROM data_rollups r JOIN data_elements e ON e.id = r.element_id
		WHERE e.code = $1 AND r.period = '2024' AND r.unit_path = $2`, code, u.Path).Scan(&v)
	if err != nil {
		t.Fatalf("%s of %s: %v", code, u.Code, err)
	}
	return v
}

// own is an element's 2024 value at a unit, and whether it has one.
func own(t *testing.T, s *store.Store, code string, u unit.Unit) (float64, bool) {
	t.Helper()
	var v float64
	err := s.DB.QueryRow(`SELECT v.value FROM data_values v JOIN data_elements e ON e.id = v.element_id
		WHERE e.code = $1 AND v.period = '2024' AND v.unit_path = $2`, code, u.Path).Scan(&v)
	if err != nil {
		return 0, false
	}
	return v, true
}

type register struct {
	world
	kdc1, kdc2, kdc3 unit.Unit
	commune2         unit.Unit
}

func setupRegister(t *testing.T, s *store.Store) register {
	t.Helper()
	w := register{world: setup(t, s)}
	ctx := context.Background()
	for _, x := range []struct {
		code string
		u    *unit.Unit
	}{{"KDC-1", &w.kdc1}, {"KDC-2", &w.kdc2}, {"KDC-3", &w.kdc3}, {"07207", &w.commune2}} {
		var err error
		if *x.u, err = s.UnitAt(ctx, x.code, "2024-09-20"); err != nil {
			t.Fatal(err)
		}
	}
	w.receive(t, w.prov, 100_000_000, "Công ty Hòa Bình", "ủng hộ")
	err := s.WithTx(ctx, func(tx *store.Tx) error {
		for _, to := range []unit.Unit{w.commun, w.commune2} {
			if _, err := fund.TransferFunds(ctx, tx, leader, w.prov, to, fund.Entry{CampaignID: w.c.ID, Day: "2024-09-20", Amount: 10_000_000}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// add registers households of a status in an area.
func (w register) add(t *testing.T, commune, area unit.Unit, status string, heads ...string) []fund.Household {
	t.Helper()
	ctx := context.Background()
	var out []fund.Household
	err := w.s.WithTx(ctx, func(tx *store.Tx) error {
		for _, head := range heads {
			h, err := fund.RegisterHousehold(ctx, tx, officer, commune, fund.Household{Year: 2024, AreaID: area.ID, Head: head, Address: area.Name, Status: status})
			if err != nil {
				return err
			}
			out = append(out, h)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// give pays a household through the officer's request and another
// leader's approval, as the pages do.
func (w register) give(t *testing.T, commune unit.Unit, h fund.Household, purpose, day string) fund.Entry {
	t.Helper()
	ctx := context.Background()
	var e fund.Entry
	err := w.s.WithTx(ctx, func(tx *store.Tx) error {
		q, err := fund.RequestDisbursement(ctx, tx, officer, commune, fund.Request{CampaignID: w.c.ID, Day: day, Amount: 500_000,
			Purpose: purpose, HouseholdID: h.ID, Beneficiary: h.Head})
		if err != nil {
			return err
		}
		e, err = fund.ApproveDisbursement(ctx, tx, leader2, q.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (w register) reverse(t *testing.T, e fund.Entry) {
	t.Helper()
	ctx := context.Background()
	if err := w.s.WithTx(ctx, func(tx *store.Tx) error { _, err := fund.Reverse(ctx, tx, leader, e.ID, "Chi nhầm hộ"); return err }); err != nil {
		t.Fatal(err)
	}
}

// T2.2 comes from the register and the ledger: each area's poor
// households and those given a Tết gift, rolled up exactly to the commune
// and the province; a reversed gift no longer counts, and an area of the
// commune with no poor household gets its zero.
func TestPoorHouseholdFigures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setupRegister(t, s)
		ctx := context.Background()
		a := w.add(t, w.commun, w.kdc1, fund.Poor, "Lê Văn Tư", "Ngô Thị Năm", "Đỗ Văn Sáu", "Vi Thị Bảy")
		w.add(t, w.commun, w.kdc1, fund.NearPoor, "Hà Văn Tám") // near-poor: in neither figure
		w.add(t, w.commun, w.kdc2, fund.Special, "Lục Thị Chín")
		b := w.add(t, w.commune2, w.kdc3, fund.Poor, "Nông Văn Mười")
		if v, ok := own(t, s, fund.ElemPoor, w.kdc1); !ok || v != 4 {
			t.Fatalf("KDC-1 poor = %v (%v), want 4", v, ok)
		}
		if v, ok := own(t, s, fund.ElemPoor, w.kdc2); !ok || v != 0 {
			t.Errorf("KDC-2 poor = %v (%v), want 0 written: the commune has a register", v, ok)
		}
		gifts := []fund.Entry{
			w.give(t, w.commun, a[0], "tet_gift", "2024-01-25"),
			w.give(t, w.commun, a[1], "tet_gift", "2023-12-28"), // the December before Tết counts
			w.give(t, w.commun, a[1], "tet_gift", "2024-02-01"), // a second gift: still one household
			w.give(t, w.commun, a[2], "medical", "2024-03-02"),  // not a gift
			w.give(t, w.commune2, b[0], "tet_gift", "2024-01-20"),
		}
		if v, _ := own(t, s, fund.ElemPoorTet, w.kdc1); v != 2 {
			t.Errorf("KDC-1 poor with a Tết gift = %v, want 2", v)
		}
		pct := func(u unit.Unit) float64 {
			return 100 * rolled(t, s, fund.ElemPoorTet, u) / rolled(t, s, fund.ElemPoor, u)
		}
		if got := pct(w.commun); got != 50 {
			t.Errorf("commune 07201: %v%% of poor households got a Tết gift, want 50%% (2 of 4)", got)
		}
		if got := pct(w.prov); got != 60 {
			t.Errorf("province: %v%%, want 60%% (3 of 5)", got)
		}
		w.reverse(t, gifts[0])
		if got := pct(w.commun); got != 25 {
			t.Errorf("after reversing a gift the commune has %v%%, want 25%% (1 of 4)", got)
		}
		if got := pct(w.prov); got != 40 {
			t.Errorf("after reversing a gift the province has %v%%, want 40%% (2 of 5)", got)
		}
		if err := s.VerifyRollups(ctx); err != nil {
			t.Errorf("roll-ups do not add up: %v", err)
		}
	})
}

// T2.3: a household in special difficulty is supported regularly when it
// was supported in at least two different quarters of the year; two
// supports in one quarter, a Tết gift, or a support reversed do not make
// it so.
func TestSupportedRegularly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setupRegister(t, s)
		hs := w.add(t, w.commun, w.kdc2, fund.Special, "Hộ A", "Hộ B", "Hộ C", "Hộ D")
		w.give(t, w.commun, hs[0], "medical", "2024-02-10")
		w.give(t, w.commun, hs[0], "livelihood", "2024-05-10") // A: Q1 and Q2
		w.give(t, w.commun, hs[1], "medical", "2024-04-02")
		w.give(t, w.commun, hs[1], "education", "2024-06-20") // B: twice in Q2 only
		w.give(t, w.commun, hs[2], "tet_gift", "2024-01-20")
		w.give(t, w.commun, hs[2], "house", "2024-08-01") // C: a gift and one support
		w.give(t, w.commun, hs[3], "medical", "2024-03-01")
		wrong := w.give(t, w.commun, hs[3], "medical", "2024-09-01") // D: Q1 and Q3, then Q3 reversed
		if v, _ := own(t, s, fund.ElemSpecial, w.kdc2); v != 4 {
			t.Fatalf("KDC-2 special = %v, want 4", v)
		}
		if v, _ := own(t, s, fund.ElemSpecialSupported, w.kdc2); v != 2 {
			t.Errorf("supported regularly = %v, want 2 (A and D)", v)
		}
		w.reverse(t, wrong)
		if v, _ := own(t, s, fund.ElemSpecialSupported, w.kdc2); v != 1 {
			t.Errorf("after the reversal, supported regularly = %v, want 1 (A)", v)
		}
		if got := 100 * rolled(t, s, fund.ElemSpecialSupported, w.prov) / rolled(t, s, fund.ElemSpecial, w.prov); got != 25 {
			t.Errorf("province: %v%% supported regularly, want 25%%", got)
		}
	})
}

// A household names an area of its commune: none, or another commune's,
// is refused with a message that says which field.
func TestHouseholdArea(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setupRegister(t, s)
		ctx := context.Background()
		for _, tc := range []struct {
			name string
			area int64
			want string
		}{
			{"no area", 0, "Chưa chọn khu dân cư"},
			{"another commune's area", w.kdc3.ID, "khu dân cư đã chọn không thuộc"},
			{"a commune, not an area", w.commune2.ID, "khu dân cư đã chọn không thuộc"},
		} {
			err := s.WithTx(ctx, func(tx *store.Tx) error {
				_, err := fund.RegisterHousehold(ctx, tx, officer, w.commun, fund.Household{Year: 2024, AreaID: tc.area, Head: "Hộ E", Status: fund.Poor})
				return err
			})
			if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: %v, want refused with %q", tc.name, err, tc.want)
			}
		}
		var n int
		if err := s.DB.QueryRow(`SELECT count(*) FROM fund_households`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d households stored after refusals (%v), want 0", n, err)
		}
	})
}

// A year the program keeps as typed (typed_until: 2023) keeps its typed
// figures: registering a household of 2023 writes nothing over them.
func TestHouseholdFiguresLeaveTypedYear(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		w := setupRegister(t, s)
		if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\nCT2_HN_TONG,2023,KDC-1,12\nCT2_HN_QUATET,2023,KDC-1,11\n"); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := fund.RegisterHousehold(ctx, tx, officer, w.commun, fund.Household{Year: 2023, AreaID: w.kdc1.ID, Head: "Hộ F", Status: fund.Poor})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for code, want := range map[string]float64{"CT2_HN_TONG": 12, "CT2_HN_QUATET": 11} {
			var v float64
			if err := s.DB.QueryRow(`SELECT v.value FROM data_values v JOIN data_elements e ON e.id = v.element_id
				WHERE e.code = $1 AND v.period = '2023' AND v.unit_path = $2`, code, w.kdc1.Path).Scan(&v); err != nil || v != want {
				t.Errorf("typed 2023 %s became %v (%v), want %v as typed", code, v, err, want)
			}
		}
	})
}

// Which aids count for a household of 2025's register: any dated in 2025,
// and a Tết gift from 1/12/2024 (the Tết of 2025 fell on 29/1).
// RequestDisbursement refuses the others.
func TestAidCountsIn(t *testing.T) {
	for _, tc := range []struct {
		purpose, day string
		want         bool
	}{
		{"tet_gift", "2024-12-01", true},
		{"tet_gift", "2024-12-31", true},
		{"tet_gift", "2025-01-20", true},
		{"tet_gift", "2024-11-30", false},
		{"tet_gift", "2026-01-10", false},
		{"medical", "2024-12-15", false},
		{"medical", "2025-03-01", true},
		{"medical", "2025-12-31", true},
		{"medical", "", false},
	} {
		if got := (fund.Aid{Purpose: tc.purpose, Day: tc.day}).CountsIn(2025); got != tc.want {
			t.Errorf("%s on %q counts in 2025: %v, want %v", tc.purpose, tc.day, got, tc.want)
		}
	}
}
