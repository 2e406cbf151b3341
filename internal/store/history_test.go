package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/synth"
	"mattran/internal/unit"
	"mattran/internal/value"
	"mattran/programs"
)

func importUnits(t *testing.T, s *store.Store, data []byte, date string) {
	t.Helper()
	f, err := unit.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportUnits(context.Background(), storetest.Actor, f, unit.Options{Date: date}); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAcrossBacNinh reads 2024 on the tree of 1/7/2025 for the real new
// Bắc Ninh: its 99 communes carry the old communes of Bắc Giang and Bắc
// Ninh that merged into them. Every element's total at each new commune
// and at the province must equal the sums the test works out by itself
// from the merge mapping file and the figures it generated, without the
// store's roll-up or its links.
func TestAcrossBacNinh(t *testing.T) {
	if testing.Short() {
		t.Skip("loads two provinces' figures: skipped under -short")
	}
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		importUnits(t, s, readFile(t, "../unit/testdata/bg-bn-2025-03.json"), "")
		var communes []unit.Unit
		for _, code := range []string{"24", "27"} {
			p, err := s.UnitAt(ctx, code, "2024-12-31")
			if err != nil {
				t.Fatal(err)
			}
			tree, err := s.Subtree(ctx, p, "2024-12-31")
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range tree {
				if u.Kind == unit.Commune {
					communes = append(communes, u)
				}
			}
		}
		importUnits(t, s, synth.ResidentialAreas(communes, 2, 1), "2024-12-31")
		doc, err := programs.Files.ReadFile(programs.SeedFile)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := program.Parse(doc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveProgram(ctx, storetest.Actor, prog); err != nil {
			t.Fatal(err)
		}
		elements, err := s.Elements(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var rows []value.Row
		for _, code := range []string{"24", "27"} {
			p, _ := s.UnitAt(ctx, code, "2024-12-31")
			tree, _ := s.Subtree(ctx, p, "2024-12-31")
			synth.Figures(tree, elements, []int{2024}, 7, func(r value.Row) {
				r.Line = len(rows) + 2
				rows = append(rows, r)
			})
		}
		root, _ := s.Root(ctx)
		if _, err := s.ImportValues(ctx, rows, store.ImportOptions{Actor: storetest.Actor, Scope: root, Source: "test", Today: "2025-01-15"}); err != nil {
			t.Fatal(err)
		}
		mapping := readFile(t, "../unit/testdata/bac-ninh-2025-07-merges.json")
		importUnits(t, s, mapping, "2025-07-01")

		// The sums, worked out from the file and the rows alone.
		var file struct {
			Data []struct {
				Level2s []struct {
					ID     string `json:"level2_id"`
					Merges []struct {
						OldID string `json:"old_id"`
						Type  string `json:"type"`
					} `json:"merges"`
				} `json:"level2s"`
			} `json:"data"`
		}
		if err := json.Unmarshal(mapping, &file); err != nil {
			t.Fatal(err)
		}
		type key struct{ element, unit string }
		oldCommune := map[key]float64{} // an old commune's subtree total
		provinceAll := map[string]float64{}
		provinceOwn := map[string]float64{}
		for _, r := range rows {
			v, err := strconv.ParseFloat(r.Value, 64)
			if err != nil {
				t.Fatal(err)
			}
			provinceAll[r.DataElement] += v
			code := r.OrgUnit
			if c, _, ok := strings.Cut(code, "-"); ok {
				code = c // a residential area "07201-01" lies in commune 07201
			}
			switch len(code) {
			case 5:
				oldCommune[key{r.DataElement, code}] += v
			case 2:
				provinceOwn[r.DataElement] += v
			}
		}
		if len(file.Data) != 1 || len(file.Data[0].Level2s) != 99 {
			t.Fatalf("mapping: %d provinces", len(file.Data))
		}
		expect := map[key]float64{}
		for _, c := range file.Data[0].Level2s {
			for _, m := range c.Merges {
				if m.Type != "full" {
					t.Fatalf("%s: a %s merge; this test expects Bắc Ninh's merges to be whole", c.ID, m.Type)
				}
				for e := range provinceAll {
					expect[key{e, c.ID}] += oldCommune[key{e, m.OldID}]
				}
			}
		}

		province, err := s.UnitAt(ctx, "24", "2025-07-01")
		if err != nil {
			t.Fatal(err)
		}
		if province.Name != "Tỉnh Bắc Ninh" {
			t.Fatalf("24 on 1/7/2025 is %s", province.Name)
		}
		across, err := rollup.NewAcross(ctx, s, province, "2025-07-01")
		if err != nil {
			t.Fatal(err)
		}
		kids, err := s.Children(ctx, province, "2025-07-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(kids) != 99 {
			t.Fatalf("%d communes under the new province", len(kids))
		}
		y2024 := period.MustParse("2024")
		checked := 0
		for code := range provinceAll {
			e := elements[code]
			at, below, re, err := across.Analytics(ctx, e, province, kids, y2024)
			if err != nil {
				t.Fatal(err)
			}
			if at.Value == nil || *at.Value != provinceAll[code] {
				t.Errorf("%s at the new province: %v; want %v", code, at.Value, provinceAll[code])
			}
			if want, ok := provinceOwn[code]; ok && (at.Own == nil || *at.Own != want) {
				t.Errorf("%s of the province committees themselves: %v; want %v", code, at.Own, want)
			}
			for _, pt := range below {
				want := expect[key{code, pt.Unit.Code}]
				got := 0.0
				if pt.Value != nil {
					got = *pt.Value
				}
				if got != want {
					t.Errorf("%s at %s %s: %v; want %v", code, pt.Unit.Code, pt.Unit.Name, got, want)
				}
				checked++
			}
			if len(re.Splits) != 0 {
				t.Errorf("%s: splits %v; Bắc Ninh's merges are whole", code, re.Splits)
			}
		}
		if checked < 99*20 {
			t.Errorf("checked %d figures", checked)
		}

		// A ratio on the new tree is the ratio of the carried sums.
		card, _, err := across.Scorecard(ctx, prog, province, y2024)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range card.Targets {
			if r.Target.Code != "T2.5" {
				continue
			}
			want := 100 * provinceAll["CT2_HGD_VANHOA"] / provinceAll["CT2_HGD_TONG"]
			if r.Own.Value == nil || math.Abs(*r.Own.Value-want) > 1e-9 {
				t.Errorf("T2.5 at the new province for 2024: %v; want %v", r.Own.Value, want)
			}
			if r.Coverage.Units != 99 {
				t.Errorf("T2.5 coverage counts %d communes; want the 99 new ones", r.Coverage.Units)
			}
		}
	})
}

// TestAcrossSplitRules reads 2024 on the tree of 1/7/2025 under each
// rule: Xã A's fund and counts are shared between N1 and N2 as the rule
// says, the ratio at each new commune is the ratio of the shared sums, the
// areas' figures follow the areas exactly whatever the rule, and the rule
// is named for the figures it changed.
func TestAcrossSplitRules(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prog := storetest.Split(t, s)
		province, err := s.UnitAt(ctx, "90", "2025-07-01")
		if err != nil {
			t.Fatal(err)
		}
		n1, _ := s.UnitAt(ctx, "90010", "2025-07-01")
		n2, _ := s.UnitAt(ctx, "90020", "2025-07-01")
		y2024 := period.MustParse("2024")
		for _, c := range []struct {
			rule   rollup.Rule
			toN1   float64 // the share of Xã A that N1 gets
			how    string
			unset  bool
			weight string
		}{
			// A's areas: one went to N1, two to N2.
			{rule: rollup.Rule{Kind: rollup.ByAreas}, toN1: 1.0 / 3, how: "chia theo số khu dân cư", unset: true},
			// A's households: 100 to N1, 400 to N2.
			{rule: rollup.Rule{Kind: rollup.ByHouseholds, Weight: "E_HO"}, toN1: 0.2, how: "chia theo số hộ năm 2024"},
			// A's population: 500 to N1, 1,500 to N2.
			{rule: rollup.Rule{Kind: rollup.ByPopulation, Weight: "E_DANSO"}, toN1: 0.25, how: "chia theo dân số năm 2024"},
			// N2 received most of A's areas.
			{rule: rollup.Rule{Kind: rollup.Largest}, toN1: 0, how: rollup.Largest.Label()},
		} {
			t.Run(string(c.rule.Kind), func(t *testing.T) {
				for _, e := range []string{"E_QUY", "E_GS", "E_ND"} {
					r := c.rule
					r.Element = e
					if c.unset {
						s.DeleteReassignRule(ctx, storetest.Actor, e)
						continue
					}
					if err := s.SetReassignRule(ctx, storetest.Actor, r); err != nil {
						t.Fatal(err)
					}
				}
				across, err := rollup.NewAcross(ctx, s, province, "2025-07-01")
				if err != nil {
					t.Fatal(err)
				}
				card, re, err := across.Scorecard(ctx, prog, province, y2024)
				if err != nil {
					t.Fatal(err)
				}
				// The shares and the sums, by hand.
				w := c.toN1
				fundN1, fundN2 := 1000*w+500, 1000*(1-w)
				ratioN1 := 100 * (30*w + 10) / (40*w + 10)
				ratioN2 := 75.0
				below := map[string]map[int64]rollup.Reading{}
				for _, res := range card.Targets {
					below[res.Target.Code] = map[int64]rollup.Reading{}
					for _, b := range res.Coverage.Below {
						below[res.Target.Code][b.Unit.ID] = b.Reading
					}
					switch res.Target.Code {
					case "F1":
						near(t, "F1 at the province", res.Own.Value, 8500)
					case "R1":
						near(t, "R1 at the province", res.Own.Value, 100*47.0/58)
					case "R2":
						near(t, "R2 at the province", res.Own.Value, 100*620.0/700)
					}
				}
				near(t, "F1 at N1", below["F1"][n1.ID].Value, fundN1)
				near(t, "F1 at N2", below["F1"][n2.ID].Value, fundN2)
				near(t, "R1 at N1", below["R1"][n1.ID].Value, ratioN1)
				if c.toN1 < 1 {
					near(t, "R1 at N2", below["R1"][n2.ID].Value, ratioN2)
				}
				// Not an average of A's 75% and B's 100%.
				if c.toN1 > 0 && math.Abs(*below["R1"][n1.ID].Value-87.5) < 1e-9 && c.rule.Kind != rollup.ByPopulation {
					t.Errorf("R1 at N1 is the average of the percents")
				}
				near(t, "R2 at N1", below["R2"][n1.ID].Value, 100*280.0/300)
				near(t, "R2 at N2", below["R2"][n2.ID].Value, 100*340.0/400)

				// The rule is named next to the figures it moved, and only there.
				for _, u := range []unit.Unit{n1, n2} {
					got := re.RulesFor(u, []string{"E_QUY"})
					if len(got) != 1 || got[0].From.Code != "90001" || got[0].How != c.how {
						t.Errorf("rule shown at %s: %+v; want Xã A's split, %q", u.Name, got, c.how)
					}
				}
				if got := re.RulesFor(province, []string{"E_QUY"}); len(got) != 0 {
					t.Errorf("the province's total is no rule's doing: %+v", got)
				}
				if got := re.RulesFor(n1, []string{"E_HO"}); len(got) != 0 {
					t.Errorf("households follow the areas, no rule: %+v", got)
				}
			})
		}

		// Read the other way: 2026's figures of N1 and N2 on the tree of
		// 2024. N1 came from A and B (one area each), N2 from A alone.
		old, err := s.UnitAt(ctx, "90", "2024-12-31")
		if err != nil {
			t.Fatal(err)
		}
		a, _ := s.UnitAt(ctx, "90001", "2024-12-31")
		b, _ := s.UnitAt(ctx, "90002", "2024-12-31")
		s.DeleteReassignRule(ctx, storetest.Actor, "E_QUY")
		back, err := rollup.NewAcross(ctx, s, old, "2024-12-31")
		if err != nil {
			t.Fatal(err)
		}
		e, _ := s.Elements(ctx)
		_, pts, _, err := back.Analytics(ctx, e["E_QUY"], old, []unit.Unit{a, b}, period.MustParse("2026"))
		if err != nil {
			t.Fatal(err)
		}
		near(t, "2026 at Xã A on the old tree", pts[0].Value, 600+800)
		near(t, "2026 at Xã B on the old tree", pts[1].Value, 600)
	})
}

func near(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: no figure; want %v", what, want)
		return
	}
	if math.Abs(*got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s: %v; want %v", what, *got, want)
	}
}
