package store_test

import (
	"context"
	"strings"
	"testing"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

const seedProgram = "BG-CTHD-2019-2024"

func TestDerivedProgram(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		fixture(t, s)
		mustImport(t, s, scorecardData)
		y2024 := period.MustParse("2024")
		unitAt := func(code string) unit.Unit {
			u, err := s.UnitAt(ctx, code, "2024-12-31")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		district, commune, sibling := unitAt("213"), unitAt("07201"), unitAt("215")

		// The district derives its program from the province's.
		dp, err := s.DeriveProgram(ctx, tester, seedProgram, district, "Ủy ban MTTQ Việt Nam "+district.Name)
		if err != nil {
			t.Fatal(err)
		}
		if dp.Code != seedProgram+"-213" || dp.Parent != seedProgram || dp.OwnerUnit != "213" {
			t.Fatalf("derived program = %s (parent %s, owner %s)", dp.Code, dp.Parent, dp.OwnerUnit)
		}
		if _, err := s.DeriveProgram(ctx, tester, seedProgram, district, "x"); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("deriving twice: %v, want a conflict", err)
		}
		// A commune derives from its district's program, not the province's.
		if _, err := s.DeriveProgram(ctx, tester, seedProgram, commune, "x"); errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "không trực thuộc") {
			t.Errorf("commune from the province's program: %v", err)
		}
		// Read back, it has the province's targets by reference.
		full, err := s.Program(ctx, dp.Code)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(full.Targets()); n != 25 || len(full.DataElements) == 0 {
			t.Fatalf("derived program has %d targets, %d elements", n, len(full.DataElements))
		}

		card := func(prog *program.Program, u unit.Unit) map[string]rollup.TargetResult {
			t.Helper()
			c, err := rollup.Scorecard(ctx, s, prog, u, y2024)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]rollup.TargetResult{}
			for _, r := range c.Targets {
				out[r.Target.Code] = r
			}
			return out
		}
		root, err := s.Program(ctx, seedProgram)
		if err != nil {
			t.Fatal(err)
		}

		// An own threshold no easier than the province's is refused.
		err = s.UpdateProgram(ctx, tester, dp.Code, func(p *program.Program) error {
			p.Thresholds = []program.OwnThreshold{{Target: "T2.5", Threshold: 85}}
			return nil
		})
		if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "không được thấp hơn ngưỡng chung (≥ 90%)") {
			t.Errorf("own threshold below the province's: %v", err)
		}

		// The province assigns quotas of T2.1 to two districts.
		q := func(v float64) *float64 { return &v }
		if err := s.SetQuotas(ctx, tester, seedProgram, "T2.1", map[string]*float64{"213": q(2.5e9), "215": q(1e9)}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetQuotas(ctx, tester, seedProgram, "T2.1", map[string]*float64{"07201": q(1e9)}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a quota for a commune under the province: %v", err)
		}
		if err := s.SetQuotas(ctx, tester, seedProgram, "T2.1", map[string]*float64{"213": q(-1)}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a negative quota: %v", err)
		}
		if err := s.SetQuotas(ctx, tester, seedProgram, "T2.5", map[string]*float64{"213": q(90)}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a quota for a percent target: %v", err)
		}
		if e, err := s.AuditEntries(ctx, "quota", seedProgram+"/T2.1", 10); err != nil || len(e) != 1 {
			t.Errorf("quota audit entries = %d, %v; want 1", len(e), err)
		}
		// The district is judged on its quota; the province still on 50 tỷ.
		d := card(root, district)["T2.1"]
		if d.Own.Status != rollup.Met || !d.Own.Parts[0].OwnThreshold || *d.Own.Parts[0].Threshold != 2.5e9 {
			t.Errorf("district T2.1 with a 2,5 tỷ quota = %s %+v", d.Own.Status, d.Own.Parts[0])
		}
		p := card(root, unitAt("24"))["T2.1"]
		if p.Own.Status != rollup.NotMet || *p.Own.Parts[0].Threshold != 50e9 || p.Own.Parts[0].OwnThreshold {
			t.Errorf("province T2.1 = %s %+v", p.Own.Status, p.Own.Parts[0])
		}
		// The province's coverage counts the districts with a quota.
		if c := p.Coverage; c.Units != 2 || c.Met != 1 || c.NoData != 1 {
			t.Errorf("province T2.1 coverage = %+v, want 2 districts, 1 met, 1 without figures", c)
		}
		if r := card(root, sibling)["T2.5"]; r.Own.Status == rollup.NotApplicable {
			t.Errorf("sibling T2.5 = %s", r.Own.Status)
		}

		// An own threshold above the quota: the district now misses it,
		// on its own program's scorecard as on the province's.
		err = s.UpdateProgram(ctx, tester, dp.Code, func(p *program.Program) error {
			p.Thresholds = []program.OwnThreshold{{Target: "T2.1", Threshold: 2e9}}
			return nil
		})
		if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "chỉ tiêu cấp trên giao (≥ 2,5 tỷ đồng)") {
			t.Errorf("own threshold below the quota: %v", err)
		}
		if err := s.UpdateProgram(ctx, tester, dp.Code, func(p *program.Program) error {
			p.Thresholds = []program.OwnThreshold{{Target: "T2.1", Threshold: 4e9}}
			p.Tasks = []program.OwnTask{{Subprogram: "CT2", Text: "Mỗi xã vận động ít nhất 300 triệu đồng"}}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		full, _ = s.Program(ctx, dp.Code)
		for _, prog := range []*program.Program{root, full} {
			if r := card(prog, district)["T2.1"]; r.Own.Status != rollup.NotMet || *r.Own.Parts[0].Threshold != 4e9 {
				t.Errorf("%s: district T2.1 against its own 4 tỷ = %s", prog.Code, r.Own.Status)
			}
		}

		// The commune derives from the district's program, and holds itself
		// to 95% of cultured households: 90% no longer meets it.
		if r := card(root, commune)["T2.5"]; r.Own.Status != rollup.Met {
			t.Fatalf("commune T2.5 = %s, want met", r.Own.Status)
		}
		cp, err := s.DeriveProgram(ctx, tester, dp.Code, commune, "Ủy ban MTTQ Việt Nam "+commune.Name)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateProgram(ctx, tester, cp.Code, func(p *program.Program) error {
			p.Thresholds = []program.OwnThreshold{{Target: "T2.5", Threshold: 95}}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if r := card(root, commune)["T2.5"]; r.Own.Status != rollup.NotMet {
			t.Errorf("commune T2.5 against its own 95%% = %s", r.Own.Status)
		}
		// The district's coverage of T2.5 judges the commune by its own.
		if c := card(root, district)["T2.5"].Coverage; c.NotMet != 2 {
			t.Errorf("district T2.5 coverage = %+v, want both communes not met", c)
		}
		family, err := s.Family(ctx, seedProgram)
		if err != nil || len(family) != 2 || family[1].Parent != dp.Code {
			t.Errorf("family = %+v, %v", family, err)
		}

		// The file round trip: only the own part is written, and reading it
		// back changes nothing.
		data, err := program.Marshal(full)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "subprograms") || !strings.Contains(string(data), "threshold: 4e+09") && !strings.Contains(string(data), "threshold: 4000000000") {
			t.Errorf("exported derived program:\n%s", data)
		}
		back, err := program.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		if changed, err := s.SaveProgram(ctx, tester, back); err != nil || changed {
			t.Errorf("re-importing the exported derived program: changed %v, %v", changed, err)
		}
		// The full program read back saves unchanged too; changing one of
		// its targets there is refused, not dropped.
		if changed, err := s.SaveProgram(ctx, tester, full); err != nil || changed {
			t.Errorf("saving the resolved program: changed %v, %v", changed, err)
		}
		edited := *full
		edited.Subprograms = append([]program.Subprogram{}, full.Subprograms...)
		edited.Subprograms[0].Name = "Đổi tên"
		if _, err := s.SaveProgram(ctx, tester, &edited); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("changing the parent's sub-program through the derived one: %v", err)
		}
		// Re-importing the province's file keeps the quotas.
		if _, err := s.SaveProgram(ctx, tester, root); err != nil {
			t.Fatal(err)
		}
		if qs, err := s.Quotas(ctx, seedProgram, "T2.1"); err != nil || qs["213"] != 2.5e9 || len(qs) != 2 {
			t.Errorf("quotas after re-import = %v, %v", qs, err)
		}
	})
}
