package web

import (
	"testing"
	"time"

	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
)

// A figure is rounded as Excel rounds it, unless the rounded text would
// sit on the other side of the threshold than the verdict beside it says:
// then it shows enough precision to agree with the verdict.
func TestFigureAgreesWithItsVerdict(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	met, notMet := rollup.Met, rollup.NotMet
	for _, c := range []struct {
		name string
		m    measure
		part rollup.Part
		want string
	}{
		{"short of 100% by a hair", percentage, rollup.Part{Value: f(99.97), Comparator: program.GE, Threshold: f(100), Status: notMet}, "99,97%"},
		{"short of 100% by less than 0.01", percentage, rollup.Part{Value: f(99.999), Comparator: program.GE, Threshold: f(100), Status: notMet}, "99,99%"},
		{"short of 90% by 0.05", percentage, rollup.Part{Value: f(89.95), Comparator: program.GE, Threshold: f(90), Status: notMet}, "89,95%"},
		{"rounds half up, as Excel", percentage, rollup.Part{Value: f(91.398), Comparator: program.GE, Threshold: f(90), Status: met}, "91,4%"},
		{"rounds up below the threshold", percentage, rollup.Part{Value: f(100 * 192.0 / 195), Comparator: program.GE, Threshold: f(100), Status: notMet}, "98,5%"},
		{"exactly the threshold", percentage, rollup.Part{Value: f(100 * 135.0 / 150), Comparator: program.GE, Threshold: f(90), Status: met}, "90%"},
		{"met at 100%", percentage, rollup.Part{Value: f(100), Comparator: program.GE, Threshold: f(100), Status: met}, "100%"},
		{"just above a strict threshold", percentage, rollup.Part{Value: f(80.02), Comparator: program.GT, Threshold: f(80), Status: met}, "80,02%"},
		{"no threshold", percentage, rollup.Part{Value: f(99.97), Comparator: program.Tracked, Status: rollup.Tracked}, "100%"},
		{"not judged here", percentage, rollup.Part{Value: f(99.97), Comparator: program.GE, Threshold: f(100), Status: rollup.NotApplicable}, "100%"},
		{"zero", percentage, rollup.Part{Value: f(0), Comparator: program.GE, Threshold: f(100), Status: notMet}, "0%"},

		{"49,996 tỷ against 50 tỷ", money, rollup.Part{Value: f(49_996_000_000), Comparator: program.GE, Threshold: f(50e9), Status: notMet}, "49.996.000.000 đ"},
		{"49,994 tỷ against 50 tỷ", money, rollup.Part{Value: f(49_994_000_000), Comparator: program.GE, Threshold: f(50e9), Status: notMet}, "49,99 tỷ đồng"},
		{"a tỷ to spare", money, rollup.Part{Value: f(54_390_000_000), Comparator: program.GE, Threshold: f(50e9), Status: met}, "54,39 tỷ đồng"},
		{"exactly 50 tỷ", money, rollup.Part{Value: f(50e9), Comparator: program.GE, Threshold: f(50e9), Status: met}, "50 tỷ đồng"},

		{"a weak board where none may be", count, rollup.Part{Value: f(0.004), Comparator: program.EQ, Threshold: f(0), Status: notMet}, "0,01"},
		{"none, as required", count, rollup.Part{Value: f(0), Comparator: program.EQ, Threshold: f(0), Status: met}, "0"},
		{"over a ceiling by a hair", count, rollup.Part{Value: f(5.004), Comparator: program.LE, Threshold: f(5), Status: notMet}, "5,01"},
		{"last year's figure is the threshold", count, rollup.Part{Value: f(1400), Comparator: program.GEPreviousYear, Previous: f(1392), Status: met}, "1.400"},
		{"just short of last year", count, rollup.Part{Value: f(1391.996), Comparator: program.GEPreviousYear, Previous: f(1392), Status: notMet}, "1.391,99"},
		{"missing", count, rollup.Part{Comparator: program.GE, Threshold: f(2), Status: rollup.NoData}, "—"},
	} {
		if got := figure(c.m, c.part); got != c.want {
			t.Errorf("%s: figure(%v) = %q, want %q", c.name, *c.part.Value, got, c.want)
		}
	}
}

// The share of units below that met their target is 100% only when all
// of them did.
func TestCoveragePercent(t *testing.T) {
	for _, c := range []struct {
		met, units int
		want       string
	}{
		{192, 195, "98,5%"},
		{1999, 2000, "99,95%"},
		{19999, 20000, "99,99%"},
		{10, 10, "100%"},
		{0, 10, "0%"},
	} {
		p := 100 * float64(c.met) / float64(c.units)
		if got := coveragePercent(rollup.Coverage{Met: c.met, Units: c.units, Percent: &p}); got != c.want {
			t.Errorf("%d/%d = %q, want %q", c.met, c.units, got, c.want)
		}
	}
}

// A part's label loses the "(%)" or "(đồng)" its figure already shows, and
// a "≥ last year" part shows last year's figure.
func TestPartText(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		m     measure
		label string
		part  rollup.Part
		want  string
	}{
		{percentage, "Tỷ lệ hộ ký cam kết (%)", rollup.Part{Value: f(91.4), Comparator: program.GE, Threshold: f(100), Status: rollup.NotMet}, "Tỷ lệ hộ ký cam kết: 91,4%"},
		{money, "Số tiền đóng góp (đồng)", rollup.Part{Value: f(1.25e9), Comparator: program.Tracked, Status: rollup.Tracked}, "Số tiền đóng góp: 1,25 tỷ đồng"},
		{count, "Số Ban hoạt động yếu", rollup.Part{Value: f(0), Comparator: program.EQ, Threshold: f(0), Status: rollup.Met}, "Số Ban hoạt động yếu: 0"},
		{count, "Số tờ báo đặt mua", rollup.Part{Value: f(1400), Comparator: program.GEPreviousYear, Previous: f(1392), Status: rollup.Met}, "Số tờ báo đặt mua: 1.400 (năm trước: 1.392)"},
	} {
		if got := partText(c.m, program.Condition{Label: c.label}, c.part); got != c.want {
			t.Errorf("partText(%q) = %q, want %q", c.label, got, c.want)
		}
	}
}

func TestCommittee(t *testing.T) {
	for _, c := range []struct {
		u    unit.Unit
		want string
	}{
		{unit.Unit{Name: "Tỉnh Bắc Giang", Kind: unit.Province}, "Ủy ban MTTQ Việt Nam tỉnh Bắc Giang"},
		{unit.Unit{Name: "Phường Thọ Xương", Kind: unit.Commune}, "Ủy ban MTTQ Việt Nam phường Thọ Xương"},
		{unit.Unit{Name: "Tổ dân phố 1", Kind: unit.ResidentialArea}, "Ban Công tác Mặt trận Tổ dân phố 1"},
	} {
		if got := committee(c.u); got != c.want {
			t.Errorf("committee(%s) = %q, want %q", c.u.Name, got, c.want)
		}
	}
}

// The clock is Vietnam's, whatever the server's zone.
func TestVietnamTime(t *testing.T) {
	if got := vnTime(time.Date(2026, 12, 31, 17, 30, 0, 0, time.UTC)); got != "00:30 01/01/2027" {
		t.Errorf("vnTime = %q, want 00:30 01/01/2027", got)
	}
}
