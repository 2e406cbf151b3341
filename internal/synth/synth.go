// Package synth makes synthetic data where real data does not exist:
// residential areas (the official lists stop at communes) and plausible
// yearly figures for the seed program's data elements. Everything it makes
// is deterministic for a seed, and residential areas are marked synthetic.
package synth

import (
	"embed"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"mattran/internal/period"
	"mattran/internal/unit"
	"mattran/internal/value"
)

//go:embed data/vn-2025-07.csv
var data embed.FS

// NationalUnits returns the 34 provinces and 3,321 communes in force from
// 1/7/2025, as a units CSV (derived from the official list by
// tools/derivedata).
func NationalUnits() []byte {
	b, _ := data.ReadFile("data/vn-2025-07.csv")
	return b
}

// ResidentialAreas returns a units CSV with synthetic residential areas
// under each commune: about perCommune each (±30%), named "Tổ dân phố n" in
// wards and towns and "Thôn n" in communes, coded "<commune code>-nn".
func ResidentialAreas(communes []unit.Unit, perCommune int, seed uint64) []byte {
	var b strings.Builder
	b.WriteString("code,name,kind,parent_code,synthetic\n")
	for _, c := range communes {
		r := rng(seed, c.Code, "kdc")
		n := perCommune
		if perCommune > 3 {
			n = perCommune*7/10 + r.IntN(perCommune*6/10+1)
		}
		label := "Thôn"
		if c.OfficialType == "Phường" || c.OfficialType == "Thị trấn" {
			label = "Tổ dân phố"
		}
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "%s-%02d,%s %d,residential_area,%s,true\n", c.Code, i, label, i, c.Code)
		}
	}
	return []byte(b.String())
}

// rng gives each unit its own random stream, so a unit's figures do not
// depend on which other units are generated.
func rng(seed uint64, parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// Figures generates plausible values of the seed program's elements for
// every unit in tree (parents before children) and each year, calling emit
// for each. Levels improve over the years, units differ in how well they do,
// and a share of them misses each target, as real figures do.
// Elements computed from other records (source derived:…) are left out:
// their module writes them; Reports gives the monthly reports T1.2 counts.
func Figures(tree []unit.Unit, elements map[string]*value.Element, years []int, seed uint64, emit func(value.Row)) {
	figures(tree, elements, years, seed, emit, nil, nil)
}

// Sizes gives a residential area's households in 2020 where they are not
// its code's: an area made of several merged ones has theirs together.
type Sizes func(u unit.Unit) (float64, bool)

// FiguresSized is Figures with the sizes of some residential areas given.
func FiguresSized(tree []unit.Unit, elements map[string]*value.Element, years []int, seed uint64, sizes Sizes, emit func(value.Row)) {
	figures(tree, elements, years, seed, emit, nil, sizes)
}

// AreaSize is a residential area's households in 2020, by its code: what
// Figures gives it unless Sizes says otherwise.
func AreaSize(code string) float64 { return 150 + 300*hash01(code) }

// Reports says, for every committee in tree and each month of the years,
// whether its monthly people's situation report (báo cáo tình hình nhân
// dân) came on time. It draws the same numbers as Figures, so a unit's
// other figures do not depend on whether its reports are asked for.
func Reports(tree []unit.Unit, years []int, seed uint64, fn func(u unit.Unit, month period.Period, onTime bool)) {
	figures(tree, nil, years, seed, func(value.Row) {}, fn, nil)
}

func figures(tree []unit.Unit, elements map[string]*value.Element, years []int, seed uint64, emit func(value.Row), report func(unit.Unit, period.Period, bool), sizes Sizes) {
	g := &gen{elements: elements, emit: emit, report: report, sizes: sizes}
	kinds := make(map[int64]unit.Kind, len(tree))
	for _, u := range tree {
		kinds[u.ID] = u.Kind
	}
	for _, u := range tree {
		quality := rng(seed, u.Code, u.ValidFrom, "q").Float64()
		for _, y := range years {
			g.r = rng(seed, u.Code, u.ValidFrom, strconv.Itoa(y))
			g.u, g.year, g.q = u, y, quality
			g.t = math.Min(1, math.Max(0, float64(y-2020)/4))
			switch u.Kind {
			case unit.ResidentialArea:
				g.residentialArea()
			case unit.Commune:
				g.committee(1)
			case unit.District:
				g.committee(6)
			case unit.Province:
				g.committee(40)
				g.province()
			case unit.MemberOrg:
				g.memberOrg(kinds[u.ParentID])
			}
		}
	}
}

type gen struct {
	sizes    Sizes
	elements map[string]*value.Element
	emit     func(value.Row)
	report   func(unit.Unit, period.Period, bool)
	r        *rand.Rand
	u        unit.Unit
	year     int
	q        float64 // the unit's lasting quality, 0..1
	t        float64 // progress through the term, 0..1
}

// put emits a yearly value, if the program has the element.
func (g *gen) put(code string, v float64) {
	g.putPeriod(code, strconv.Itoa(g.year), v)
}

func (g *gen) putPeriod(code, per string, v float64) {
	if e, ok := g.elements[code]; !ok || !e.Typed(g.year) {
		return
	}
	g.emit(value.Row{DataElement: code, Period: per, OrgUnit: g.u.Code, Value: strconv.FormatFloat(math.Round(v), 'f', -1, 64)})
}

// share returns round(whole × rate) with rate clamped to [0, 1].
func share(whole, rate float64) float64 {
	return math.Round(whole * math.Max(0, math.Min(1, rate)))
}

// chance is true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// full returns whole for a unit that reaches the target this year, and a
// little less otherwise: 100% targets are met by good units, missed by some.
func (g *gen) full(whole, pMeet float64) float64 {
	if whole == 0 || g.chance(pMeet) {
		return whole
	}
	return whole - 1 - math.Floor(g.r.Float64()*math.Max(1, whole*0.05))
}

func (g *gen) residentialArea() {
	households := math.Round(150 + 300*hash01(g.u.Code) + 3*float64(g.year-2020))
	if g.sizes != nil {
		if base, ok := g.sizes(g.u); ok {
			households = math.Round(base + 3*float64(g.year-2020))
		}
	}
	g.put("CT2_KDC_TONG", 1)
	g.put("CT2_KDC_VANHOA", b2f(g.chance(0.62+0.2*g.q+0.1*g.t)))
	g.put("CT2_HGD_TONG", households)
	g.put("CT2_HGD_VANHOA", share(households, 0.84+0.07*g.q+0.04*g.t+0.03*g.r.NormFloat64()))
	// Commitments and gifts reach nearly every household; a district meets
	// a 100% target only when every one of its areas does, so the misses
	// here are rare, as they are in real reports.
	for _, c := range []string{"CT2_HGD_CK_ATGT", "CT2_HGD_CK_SXAT", "CT2_HGD_CK_KHHGD"} {
		g.put(c, g.full(households, 0.985+0.012*g.q+0.003*g.t))
	}
	people := math.Round(households * (3.4 + 0.6*hash01(g.u.Code+"p")))
	g.put("CT2_DANSO", people)
	g.put("CT2_BHYT", share(people, 0.86+0.06*g.q+0.07*g.t))
	poor := math.Round(households * math.Max(0.005, 0.07-0.012*float64(g.year-2020)) * (0.5 + hash01(g.u.Code+"n")))
	g.put("CT2_HN_TONG", poor)
	g.put("CT2_HN_QUATET", g.full(poor, 0.997+0.003*g.t))
	hard := float64(g.r.IntN(4))
	g.put("CT2_HKK_TONG", hard)
	g.put("CT2_HKK_HOTRO", g.full(hard, 0.97+0.03*g.q))
	g.put("CT2_KDC_MH_MOITRUONG", b2f(g.chance(0.97+0.03*g.t)))
	g.put("CT2_KDC_MH_ANTT", b2f(g.chance(0.985+0.015*g.t)))
	weak := g.chance(0.015)
	g.put("CT5_XL_TONG", 1)
	g.put("CT5_XL_KHA", b2f(!weak && g.chance(0.8+0.12*g.q+0.05*g.t)))
	g.put("CT5_XL_YEU", b2f(weak))
	for q := 1; q <= 4; q++ {
		per := fmt.Sprintf("%dQ%d", g.year, q)
		g.putPeriod("CT1_TTCTMT_KDC", per, 1)
		g.putPeriod("CT1_TTCTMT_NHAN", per, b2f(g.chance(0.985+0.015*g.q)))
	}
	// Drawn last, so that the figures above are the same with or without
	// the element (the 2025–2030 example program's digital channels).
	g.put("CT1_KDC_KTS", b2f(g.chance(0.25+0.12*float64(max(0, g.year-2024))+0.3*g.q)))
}

// memberOrg generates a member organisation's own figures: members, new
// members and the supervisions it joined; an organisation of the province
// is some hundred times one of a commune.
func (g *gen) memberOrg(parent unit.Kind) {
	scale := 1.0
	if parent == unit.Province {
		scale = 120
	}
	members := math.Round(scale * (250 + 500*hash01(g.u.Code+"m")) * (1 + 0.02*float64(g.year-2020)))
	g.put("TV_HOIVIEN", members)
	g.put("TV_HOIVIEN_MOI", math.Round(members*(0.02+0.05*g.q+0.02*g.r.Float64())))
	g.put("TV_GIAMSAT", float64(g.r.IntN(3)+b2i(g.chance(0.7+0.25*g.q))))
}

// committee generates a Front committee's own figures; scale grows with the
// level (commune 1, district 6, province 40).
func (g *gen) committee(scale float64) {
	raise := map[float64]float64{1: 105e6, 6: 1.3e9, 40: 11e9}[scale]
	// A committee made by the 2025 reform is about three old communes, or
	// two old provinces; its fund also takes over what the districts raised.
	if g.u.ValidFrom >= "2025-07-01" && g.u.Kind == unit.Commune {
		scale, raise = 3, 5*raise
	} else if g.u.ValidFrom >= "2025-07-01" && g.u.Kind == unit.Province {
		scale, raise = 80, 2*raise
	}
	g.put("CT1_CTV", math.Round(scale*(15+25*g.q)+float64(g.r.IntN(5))))
	for m := 1; m <= 12; m++ {
		onTime := g.chance(0.985 + 0.015*g.q)
		if g.report != nil {
			g.report(g.u, period.Period{Type: period.Monthly, Year: g.year, Index: m}, onTime)
		}
	}
	// Subscriptions drift: most units keep or grow theirs, some drop.
	base := scale * (3 + 4*hash01(g.u.Code+"b"))
	g.put("CT1_BAO_DDK", math.Round(base*(1+0.03*float64(g.year-2020)*(g.q-0.3))))
	// The province's 50 billion: about a third raised by communes, a third
	// by districts, a third by the province itself; short in 2020–2021.
	g.put("CT2_QUY_VNN", math.Round(raise*math.Max(0.2, 0.75+0.25*g.t+0.4*g.q+0.1*g.r.NormFloat64())/1e6)*1e6)
	// Supervision and criticism: the province and districts must do 2 and 5,
	// communes 1 and 2; a few fall short.
	g.put("CT3_GIAMSAT", float64(g.r.IntN(3)+b2i(g.chance(0.9))))
	g.put("CT3_PHANBIEN", float64(g.r.IntN(2)+b2i(g.chance(0.85))))
	g.put("CT3_GOPY", float64(g.r.IntN(3)+2+3*b2i(g.u.Kind != unit.Commune && g.chance(0.85))))
	forwarded := math.Round(scale*(8+20*g.r.Float64())) + 2
	g.put("CT3_DON_CHUYEN", forwarded)
	g.put("CT3_DON_TRALOI_VB", share(forwarded, 0.7+0.15*g.q+0.1*g.t+0.05*g.r.NormFloat64()))
	if g.u.Kind == unit.District {
		g.put("CT3_HN_CONGKHAI", float64(1+b2i(g.chance(0.75))+b2i(g.chance(0.3))))
	}
	if g.u.Kind == unit.Commune {
		g.put("CT3_TTND_TONG", 1)
		g.put("CT3_TTND_GIAMSAT", b2f(g.chance(0.85+0.1*g.q)))
		projects := float64(2 + g.r.IntN(6))
		g.put("CT3_DTCD_DUAN", projects)
		g.put("CT3_DTCD_DUAN_GS", g.full(projects, 0.75+0.2*g.q))
		g.put("CT3_BAN_TONG", 2)
		g.put("CT3_BAN_DUKP", 2-b2f(g.chance(0.12-0.08*g.t)))
		weak := g.chance(0.03)
		good := 2.0
		if weak || g.chance(0.25-0.15*g.q) {
			good = 1
		}
		g.put("CT3_BAN_KHA", good)
		g.put("CT3_BAN_YEU", b2f(weak))
		cWeak := g.chance(0.01)
		g.put("CT5_XL_TONG", 1)
		g.put("CT5_XL_KHA", b2f(!cWeak && g.chance(0.85+0.1*g.q)))
		g.put("CT5_XL_YEU", b2f(cWeak))
	}
	fullTime := math.Round(scale*0.8) + 2
	g.put("CT5_CB_CHUYENTRACH", fullTime)
	g.put("CT5_CB_DAIHOC", g.full(fullTime, 0.6+0.35*g.t))
	cadres := math.Round(fullTime * 2.5)
	g.put("CT5_CB_TONG", cadres)
	g.put("CT5_CB_TAPHUAN", g.full(cadres, 0.9+0.1*g.q))
}

func (g *gen) province() {
	g.put("CT4_DNND_HD", float64(4+g.r.IntN(8)))
	g.put("CT4_DONGHUONG_VND", math.Round((500+2500*g.r.Float64())*1e6))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// hash01 maps a string to a fixed number in [0, 1): a unit's size does not
// change from year to year.
func hash01(s string) float64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return float64(h.Sum64()%1_000_000) / 1_000_000
}

// Years lists the years from, to inclusive.
func Years(from, to int) []int {
	var out []int
	for y := from; y <= to; y++ {
		out = append(out, y)
	}
	return out
}
