package demo_test

import (
	"context"
	"testing"

	"mattran/internal/demo"
	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// TestDemo checks what the demo promises: the real Bắc Giang tree, synthetic
// residential areas, and a province scorecard with every target figured,
// some met and some missed; each demo user can sign in.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo loads five years of figures: skipped under -short")
	}
	ctx := context.Background()
	s := storetest.SQLite(t)
	accounts, err := demo.Load(ctx, s, "mat-khau-demo-01")
	if err != nil {
		t.Fatal(err)
	}
	province, err := s.UnitAt(ctx, demo.Province, "2024-12-31")
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := s.Subtree(ctx, province, "2024-12-31")
	kinds := map[unit.Kind]int{}
	synthetic := 0
	for _, u := range tree {
		kinds[u.Kind]++
		if u.Synthetic {
			synthetic++
		}
	}
	if kinds[unit.District] != 10 || kinds[unit.Commune] != 195 || kinds[unit.ResidentialArea] < 1500 || synthetic != kinds[unit.ResidentialArea] {
		t.Errorf("demo tree: %v, %d synthetic; want 10 districts, 195 communes, residential areas all synthetic", kinds, synthetic)
	}

	progs, _ := s.Programs(ctx)
	if len(progs) != 1 {
		t.Fatalf("%d programs", len(progs))
	}
	for _, year := range []string{"2020", "2024"} {
		card, err := rollup.Scorecard(ctx, s, progs[0], province, period.MustParse(year))
		if err != nil {
			t.Fatal(err)
		}
		if len(card.Targets) != 25 {
			t.Fatalf("%s: %d targets, want 25", year, len(card.Targets))
		}
		count := map[rollup.Status]int{}
		for _, r := range card.Targets {
			if r.Own.Value == nil && r.Coverage.Units == 0 {
				t.Errorf("%s %s has no figure at all", year, r.Target.Code)
			}
			st := r.Own.Status
			if st == rollup.NotApplicable {
				st = r.Coverage.Status
			}
			count[st]++
		}
		if count[rollup.Met] == 0 || count[rollup.NotMet] == 0 {
			t.Errorf("%s: statuses %v; the demo should show targets both met and missed", year, count)
		}
		t.Logf("%s: %v", year, count)
	}

	// One account per role, at the province, a district and a commune.
	roles, levels := map[user.Role]bool{}, map[unit.Kind]bool{}
	for _, a := range accounts {
		roles[a.Role], levels[a.Unit.Kind] = true, true
	}
	if len(roles) != 4 || !levels[unit.Province] || !levels[unit.District] || !levels[unit.Commune] {
		t.Errorf("demo accounts cover roles %v and levels %v; want every role and the three levels", roles, levels)
	}
	for _, a := range accounts {
		if _, err := s.Authenticate(ctx, a.Username, a.Password); err != nil {
			t.Errorf("%s cannot sign in: %v", a.Username, err)
		}
		if u, err := s.UserByToken(ctx, a.Token); err != nil || u.Username != a.Username {
			t.Errorf("%s's token: %v", a.Username, err)
		}
	}
	if err := s.VerifyRollups(ctx); err != nil {
		t.Error(err)
	}
}
