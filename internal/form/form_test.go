package form_test

import (
	"testing"

	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
	"mattran/programs"
)

func seed(t *testing.T) *program.Program {
	t.Helper()
	data, err := programs.Files.ReadFile(programs.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := program.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The seed gives three forms: the yearly figures, the quarterly bulletin
// count of each residential area, and the monthly people's-situation
// report, which is text (T1.2 counts whether it came on time).
func TestFormsOfTheSeed(t *testing.T) {
	p := seed(t)
	forms := form.Of(p)
	if len(forms) != 3 || forms[0].Code != form.Yearly || forms[1].Code != form.Quarterly || forms[2].Code != form.Monthly {
		t.Fatalf("forms %+v", forms)
	}
	if !forms[2].Narrative || len(forms[2].Elements) != 0 {
		t.Errorf("the monthly report: narrative %v, %d elements typed in; want text and none (T1.2 is counted)", forms[2].Narrative, len(forms[2].Elements))
	}
	for _, c := range []struct {
		form string
		kind unit.Kind
		has  string
	}{
		{form.Yearly, unit.Commune, "CT3_TTND_TONG"},
		{form.Yearly, unit.ResidentialArea, "CT2_HGD_TONG"},
		{form.Yearly, unit.Province, "CT4_DONGHUONG_VND"},
		{form.Quarterly, unit.ResidentialArea, "CT1_TTCTMT_NHAN"},
	} {
		f, err := form.Find(p, c.form)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range f.ElementsAt(c.kind) {
			found = found || e.Code == c.has
		}
		if !found {
			t.Errorf("form %s at %s lacks %s", c.form, c.kind, c.has)
		}
	}
	if _, err := form.Find(p, "XYZ"); err == nil {
		t.Error("an unknown form was found")
	}
}

func TestDefaultDeadlines(t *testing.T) {
	for _, c := range []struct {
		period string
		kind   unit.Kind
		want   string
	}{
		{"202409", unit.Commune, "2024-10-05"},
		{"202412", unit.District, "2025-01-10"},
		{"2024Q4", unit.Commune, "2025-01-10"},
		{"2024Q1", unit.Province, "2024-04-20"},
		{"2024", unit.Commune, "2024-12-15"},
		{"2024", unit.Province, "2024-12-25"},
		{"202402", unit.Commune, "2024-03-05"}, // 29 days in February 2024
	} {
		if got := form.DefaultDeadline(period.MustParse(c.period), c.kind).Format("2006-01-02"); got != c.want {
			t.Errorf("%s at %s: %s, want %s", c.period, c.kind, got, c.want)
		}
	}
}
