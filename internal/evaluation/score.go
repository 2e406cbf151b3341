package evaluation

import (
	"fmt"
	"math"
	"strings"

	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

// Points are kept in hundredths of a point, as guides round to two
// decimals: sums and the class bands are then exact (90,00 is xuất sắc,
// 89,995% is not, with no float between).
type Points int64

// PointsOf rounds x to hundredths, halves away from zero.
func PointsOf(x float64) Points { return Points(math.Round(x * 100)) }

// Float is the points as a number, for the API and Excel.
func (p Points) Float() float64 { return float64(p) / 100 }

// String prints the points the Vietnamese way: 14,25.
func (p Points) String() string { return vn.FormatNumber(p.Float(), 2) }

// Stage is who entered a score.
type Stage string

const (
	Self   Stage = "self"   // the unit's own score (tự chấm)
	Verify Stage = "verify" // the level above's verified or adjusted score (thẩm định)
	// Cross is the cluster's cross-check (chấm chéo) by its leading
	// unit: shown beside the others for the level above, not counted.
	Cross Stage = "cross"
)

// Entry is a score someone entered for one criterion (or bonus or
// deduction item) of a unit's sheet.
type Entry struct {
	Criterion string `json:"criterion"`
	Stage     Stage  `json:"stage"`
	Points    Points `json:"points"`
	// Reason: why the level above adjusted it (required then); Evidence:
	// what backs it (a decision number, a commendation, the inspection's
	// conclusion); Ref: a link to the evidence in the app, if any.
	Reason   string `json:"reason,omitempty"`
	Evidence string `json:"evidence,omitempty"`
	Ref      string `json:"ref,omitempty"`
	Scorer   string `json:"scorer"`
	On       string `json:"on"` // YYYY-MM-DD
}

// ReportFacts are what the unit's reports of the year show.
type ReportFacts struct {
	Due      int `json:"due"`      // reports whose deadline has passed
	OnTime   int `json:"onTime"`   // of them, sent on time
	Late     int `json:"late"`     // sent late, or not sent
	Returned int `json:"returned"` // times a report was returned
}

// Facts are what a unit's derived and workflow points are read from.
type Facts struct {
	Unit    unit.Unit
	Card    *rollup.Card // the unit's scorecard for the year; nil: no figures
	Reports ReportFacts
}

// Origin says where a line's points come from, so each traces back.
type Origin struct {
	Kind   string `json:"kind"` // target, reports, entry, none
	Target string `json:"target,omitempty"`
	Text   string `json:"text"`
}

// Line is one criterion (or bonus or deduction item) on a unit's sheet.
type Line struct {
	Group    string  `json:"group"` // group code; "bonus" or "deduction"
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Kind     Kind    `json:"kind"`
	Max      Points  `json:"max"`
	Computed *Points `json:"computed,omitempty"` // from figures or reports
	Self     *Entry  `json:"self,omitempty"`
	Cross    *Entry  `json:"cross,omitempty"` // the cluster's cross-check, not counted
	Verified *Entry  `json:"verified,omitempty"`
	Points   Points  `json:"points"`
	Origin   Origin  `json:"source"`
}

// Diff is the self-score less the points the line stands at before the
// level above adjusts it (computed, or nothing), for the verifier's view.
func (l Line) Diff() (Points, bool) {
	if l.Self == nil {
		return 0, false
	}
	base := Points(0)
	if l.Computed != nil {
		base = *l.Computed
	} else if l.Verified != nil {
		base = l.Verified.Points
	} else {
		return 0, false
	}
	return l.Self.Points - base, true
}

// GroupTotal is a group's points, capped at its maximum.
type GroupTotal struct {
	Code, Name string
	Max        Points
	Points     Points
	Capped     bool // the lines add up to more than the maximum
}

// Sheet is a unit's scoresheet (phiếu chấm điểm).
type Sheet struct {
	Unit      unit.Unit    `json:"unit"`
	UnitID    int64        `json:"unitId"`   // Unit's id and path, which its JSON leaves out,
	UnitPath  string       `json:"unitPath"` // for a frozen snapshot
	Lines     []Line       `json:"lines"`
	Groups    []GroupTotal `json:"groups"`
	Bonus     Points       `json:"bonus"`
	Deduction Points       `json:"deduction"`
	Derived   Points       `json:"derived"` // points from figures and reports
	Total     Points       `json:"total"`
	Max       Points       `json:"max"`
	// Band is the class by the bands; Class the one after the cap.
	Band    Class  `json:"band"`
	Class   Class  `json:"class"`
	Dropped bool   `json:"dropped,omitempty"` // the cap moved it down a class
	Cluster string `json:"cluster,omitempty"`
	Rank    int    `json:"rank"`
	// ClusterRank is the rank within the cluster; 0 without one.
	ClusterRank int    `json:"clusterRank,omitempty"`
	Title       string `json:"title,omitempty"` // the title proposed, its code
}

// Percent is the total as a share of the maximum.
func (s *Sheet) Percent() float64 {
	if s.Max == 0 {
		return 0
	}
	return float64(s.Total) * 100 / float64(s.Max)
}

// PercentText is Percent the Vietnamese way, two decimals, cut not
// rounded: 89,995% prints 89,99% and is not 90%.
func (s *Sheet) PercentText() string {
	if s.Max == 0 {
		return "—"
	}
	bp := int64(s.Total) * 10000 / int64(s.Max)
	return vn.FormatNumber(float64(bp)/100, 2) + "%"
}

// Score computes a unit's sheet from the guide, the facts and the
// entries. The level above's entry wins over the unit's; a derived or
// workflow line without one stands at its computed points, a manual line
// at the unit's own score (zero if none).
func Score(g *Guide, f Facts, entries []Entry) *Sheet {
	byKey := map[string]*Entry{}
	for i := range entries {
		e := &entries[i]
		byKey[string(e.Stage)+"/"+e.Criterion] = e
	}
	results := map[string]rollup.TargetResult{}
	if f.Card != nil {
		for _, t := range f.Card.Targets {
			results[t.Target.Code] = t
		}
	}
	s := &Sheet{Unit: f.Unit, UnitID: f.Unit.ID, UnitPath: f.Unit.Path, Max: g.Max()}
	line := func(group string, c Criterion) Line {
		l := Line{Group: group, Code: c.Code, Name: c.Name, Kind: c.Kind, Max: PointsOf(c.Max)}
		switch c.Kind {
		case Derived:
			p, src := derivedPoints(c, results[c.Target], f.Card != nil)
			l.Computed, l.Origin = &p, src
		case Workflow:
			p, src := workflowPoints(c, f.Reports)
			l.Computed, l.Origin = &p, src
		}
		l.Self, l.Cross, l.Verified = byKey["self/"+c.Code], byKey["cross/"+c.Code], byKey["verify/"+c.Code]
		switch {
		case l.Verified != nil:
			l.Points = l.Verified.Points
			l.Origin = entrySource(*l.Verified, l.Origin)
		case l.Computed != nil:
			l.Points = *l.Computed
		case l.Self != nil:
			l.Points = l.Self.Points
			l.Origin = entrySource(*l.Self, l.Origin)
		default:
			l.Origin = Origin{Kind: "none", Text: "chưa chấm"}
		}
		l.Points = min(max(l.Points, 0), l.Max)
		if l.Computed != nil && l.Kind != Manual {
			s.Derived += min(*l.Computed, l.Max)
		}
		return l
	}
	for _, gr := range g.Groups {
		gt := GroupTotal{Code: gr.Code, Name: gr.Name, Max: PointsOf(gr.Max)}
		for _, c := range gr.Criteria {
			l := line(gr.Code, c)
			gt.Points += l.Points
			s.Lines = append(s.Lines, l)
		}
		if gt.Points > gt.Max {
			gt.Points, gt.Capped = gt.Max, true
		}
		s.Groups = append(s.Groups, gt)
		s.Total += gt.Points
	}
	for _, it := range g.Bonus {
		l := line("bonus", Criterion{Code: it.Code, Name: it.Name, Max: it.Max, Kind: Manual})
		s.Bonus += l.Points
		s.Lines = append(s.Lines, l)
	}
	for _, it := range g.Deductions {
		l := line("deduction", Criterion{Code: it.Code, Name: it.Name, Max: it.Max, Kind: Manual})
		s.Deduction += l.Points
		s.Lines = append(s.Lines, l)
	}
	if g.BonusCap > 0 {
		s.Bonus = min(s.Bonus, PointsOf(g.BonusCap))
	}
	if g.DeductionCap > 0 {
		s.Deduction = min(s.Deduction, PointsOf(g.DeductionCap))
	}
	s.Total = max(s.Total+s.Bonus-s.Deduction, 0)
	s.Band = BandOf(g, s.Total)
	s.Class = s.Band
	return s
}

// BandOf is the class the bands give a total.
func BandOf(g *Guide, total Points) Class {
	maxP := int64(g.Max())
	for _, b := range g.BandsOrDefault() {
		bp := int64(math.Round(b.Min * 100)) // basis points of a percent
		if int64(total)*10000 >= bp*maxP {
			return b.Class
		}
	}
	return NotDone
}

func entrySource(e Entry, computed Origin) Origin {
	who := "đơn vị tự chấm"
	if e.Stage == Verify {
		who = "cấp trên thẩm định"
	}
	text := fmt.Sprintf("%s (%s, %s)", who, e.Scorer, dayVN(e.On))
	if e.Reason != "" {
		text += ": " + e.Reason
	}
	if e.Evidence != "" {
		text += "; minh chứng: " + e.Evidence
	}
	if computed.Text != "" {
		text += " — tính từ số liệu: " + computed.Text
	}
	return Origin{Kind: "entry", Target: computed.Target, Text: text}
}

func dayVN(d string) string {
	if len(d) == 10 {
		return d[8:10] + "/" + d[5:7] + "/" + d[0:4]
	}
	return d
}

// derivedPoints applies the criterion's rule to the target's result.
func derivedPoints(c Criterion, r rollup.TargetResult, haveCard bool) (Points, Origin) {
	src := Origin{Kind: "target", Target: c.Target}
	maxP := PointsOf(c.Max)
	if !haveCard || r.Target.Code == "" {
		src.Text = c.Target + ": không có kết quả chỉ tiêu → 0 điểm"
		return 0, src
	}
	var status rollup.Status
	var pct float64 // the share of the target reached, in percent
	var have bool
	var what string
	if c.Reading == Coverage {
		status = r.Coverage.Status
		what = "tỷ lệ đơn vị cấp dưới đạt"
		if r.Coverage.Percent != nil {
			pct, have = *r.Coverage.Percent, true
			what += fmt.Sprintf(" %s (%d/%d đơn vị)", vn.FormatPercent(pct), r.Coverage.Met, r.Coverage.Units)
		}
	} else {
		status = r.Own.Status
		what = "số của đơn vị"
		// A target of several conditions is reached as far as its
		// least-reached condition: a met condition counts 100%, one
		// without a ratio (a count to stay under) and not met, nothing.
		for i, p := range r.Own.Parts {
			part, ok := 0.0, false
			switch {
			case p.Value != nil && p.Threshold != nil && *p.Threshold > 0 && (p.Comparator == program.GE || p.Comparator == program.GT):
				part, ok = *p.Value / *p.Threshold * 100, true
			case p.Status == rollup.Met:
				part, ok = 100, true
			case p.Status == rollup.NotMet:
				part, ok = 0, true
			}
			if !ok {
				have = false
				break
			}
			if i == 0 || part < pct {
				pct = part
			}
			have = true
		}
		if len(r.Own.Parts) > 0 {
			p := r.Own.Parts[0]
			if p.Value != nil {
				what += " " + partValue(p)
			}
			if p.Threshold != nil {
				what += " / ngưỡng " + comparatorText(p.Comparator) + " " + thresholdValue(p)
			}
			if n := len(r.Own.Parts); n > 1 && have {
				what += fmt.Sprintf("; %d điều kiện, điều kiện đạt thấp nhất %s ngưỡng", n, vn.FormatPercent(min(pct, 100)))
			}
		}
	}
	src.Text = c.Target + " (" + what + ", " + strings.ToLower(status.Label()) + ")"
	if status == rollup.Met && !have {
		pct, have = 100, true
	}
	var p Points
	switch {
	case status != rollup.Met && status != rollup.NotMet:
		src.Text += " → không có số liệu: 0 điểm"
		return 0, src
	case c.Rule == Full:
		if status == rollup.Met {
			p = maxP
		}
		src.Text += " → đạt đủ điểm, không đạt 0 điểm"
	case c.Rule == Proportional:
		if status == rollup.Met {
			p = maxP
		} else if have {
			p = min(PointsOf(c.Max*pct/100), maxP)
		}
		src.Text += " → điểm theo tỷ lệ đạt"
	case c.Rule == Steps:
		for _, st := range c.Steps {
			if have && pct+1e-9 >= st.Min {
				p = PointsOf(st.Points)
				src.Text += fmt.Sprintf(" → bậc ≥ %s%%", vn.FormatNumber(st.Min, 2))
				break
			}
		}
		if p == 0 {
			src.Text += " → dưới bậc thấp nhất"
		}
	}
	src.Text += ": " + p.String() + " điểm"
	return p, src
}

func partValue(p rollup.Part) string {
	if p.Percent {
		return vn.FormatPercent(*p.Value)
	}
	return vn.FormatNumber(*p.Value, 2)
}

func thresholdValue(p rollup.Part) string {
	if p.Percent {
		return vn.FormatPercent(*p.Threshold)
	}
	return vn.FormatNumber(*p.Threshold, 2)
}

func comparatorText(c program.Comparator) string {
	switch c {
	case program.GE:
		return "≥"
	case program.GT:
		return ">"
	case program.LE:
		return "≤"
	case program.LT:
		return "<"
	}
	return "="
}

// workflowPoints counts the unit's reports.
func workflowPoints(c Criterion, r ReportFacts) (Points, Origin) {
	src := Origin{Kind: "reports"}
	maxP := PointsOf(c.Max)
	var p Points
	switch c.Measure {
	case OnTime:
		if r.Due == 0 {
			p = maxP
			src.Text = "chưa có báo cáo đến hạn → đủ điểm"
		} else {
			p = min(PointsOf(c.Max*float64(r.OnTime)/float64(r.Due)), maxP)
			src.Text = fmt.Sprintf("%d/%d báo cáo gửi đúng hạn", r.OnTime, r.Due)
		}
	case Returned:
		p = max(maxP-PointsOf(c.Per)*Points(r.Returned), 0)
		src.Text = fmt.Sprintf("%d lần báo cáo bị trả lại, trừ %s điểm mỗi lần", r.Returned, PointsOf(c.Per))
	case Late:
		p = max(maxP-PointsOf(c.Per)*Points(r.Late), 0)
		src.Text = fmt.Sprintf("%d báo cáo gửi muộn hoặc chưa gửi, trừ %s điểm mỗi báo cáo", r.Late, PointsOf(c.Per))
	}
	src.Text += ": " + p.String() + " điểm"
	return p, src
}
