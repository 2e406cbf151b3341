package web

import (
	"html/template"
	"mattran/internal/clock"
	"net/url"
	"strings"
	"time"

	"mattran/internal/errs"
	"mattran/internal/fund"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

var funcs = template.FuncMap{
	"statusClass": statusClass,
	"date":        func(s string) string { return vnDate(s) },
	// detail writes a refused row, cell or field as pages show it:
	// numbers the Vietnamese way, figures by name.
	"detail":     func(d errs.Detail) string { return errs.Line(d, errs.Page) },
	"example":    exampleNote,
	"noticeTime": vnTime,
	// filterURL is a page's address with its status filter set to f ("":
	// none).
	"filterURL": func(page, f string) string {
		u, err := url.Parse(page)
		if err != nil {
			return page
		}
		q := u.Query()
		q.Del("status")
		q.Del("pick")
		if f != "" {
			q.Set("status", f)
		}
		u.RawQuery = q.Encode()
		return u.String()
	},
	// The fund's pages: amounts "1.234.567", labels of its codes.
	"vnd":         func(n int64) string { return vn.FormatInt(n) },
	"purpose":     fund.PurposeLabel,
	"hhStatus":    fund.StatusLabel,
	"disclosure":  fund.DisclosureLabel,
	"fundKind":    func(k fund.Kind) string { return k.Label() },
	"deadlineTag": deadlineTag,
	"inc":         func(i int) int { return i + 1 }, // a table's TT (số thứ tự) column
	"unitDay":     unitDay,                          // a link's ?on= (fundUnitDuring)
	// statTable is a table of casework's monthly statistics.
	"statTable": func(head string, months []int, lines []statLine) any {
		return struct {
			Head   string
			Months []int
			Lines  []statLine
		}{head, months, lines}
	},
}

// vnTime writes a moment as a Vietnamese clock shows it: "16:00 27/11/2026".
func vnTime(t time.Time) string {
	return t.In(clock.Zone).Format("15:04 02/01/2006")
}

// vnDate writes "2024-12-31" as "31/12/2024".
func vnDate(s string) string { return vn.Day(s) }

// measure is how a condition's value is written.
type measure int

const (
	count      measure = iota // a plain number: "1.392"
	percentage                // "91,4%"
	money                     // "54,39 tỷ đồng"
)

func measureOf(p *program.Program, c program.Condition) measure {
	switch {
	case c.IsPercent():
		return percentage
	case p.IsMoney(c):
		return money
	}
	return count
}

// text writes v as reports do, rounded half up (one decimal for a percent,
// tỷ/triệu with two for money, two for a number), and returns the value
// the text shows.
func (m measure) text(v float64) (string, float64) {
	switch m {
	case percentage:
		return vn.FormatPercent(v), vn.Round(v, 1)
	case money:
		return vn.FormatMoney(v), vn.MoneyShown(v)
	}
	return vn.FormatNumber(v, -1), vn.Round(v, 2)
}

// fine writes v more precisely, rounded down or up: a percent or a number
// to two decimals, money in whole đồng.
func (m measure) fine(v float64, down bool) string {
	round := vn.Ceil
	if down {
		round = vn.Floor
	}
	switch m {
	case percentage:
		return vn.FormatNumber(round(v, 2), -1) + "%"
	case money:
		return vn.FormatVND(round(v, 0))
	}
	return vn.FormatNumber(round(v, 2), -1)
}

// judged writes v so that a reader comparing the text with the threshold
// comes to the verdict printed beside it. The text is rounded as usual
// (91.398% is "91,4%", as Excel shows it) unless the rounded figure lands
// on the other side of the threshold than v: 99.97% would read "100%"
// beside "Chưa đạt" for "≥ 100%", and 49,996 tỷ would read "50 tỷ đồng"
// beside "Chưa đạt" for "≥ 50 tỷ đồng". Only then is v shown finer,
// rounded away from the threshold: "99,97%", "49.996.000.000 đ".
//
// met is the verdict, not recomputed here: the roll-up judges a percent on
// its numerator and denominator, which a float64 ratio can miss by a hair.
func (m measure) judged(v float64, cmp program.Comparator, threshold float64, met bool) string {
	text, shown := m.text(v)
	if cmp.Holds(shown, threshold) == met {
		return text
	}
	var down bool
	switch cmp {
	case program.GE, program.GT, program.GEPreviousYear:
		down = !met // a miss lies below the threshold
	case program.LE, program.LT:
		down = met
	default: // "=": round toward where v lies
		down = v < threshold
	}
	return m.fine(v, down)
}

// figure writes one condition's reading at a unit: a percent, money in
// tỷ/triệu đồng, or a plain number, in agreement with its verdict.
func figure(m measure, part rollup.Part) string {
	if part.Value == nil {
		return "—"
	}
	v := *part.Value
	threshold := part.Threshold
	switch part.Comparator {
	case program.Tracked:
		threshold = nil
	case program.GEPreviousYear:
		threshold = part.Previous
	}
	if threshold == nil || (part.Status != rollup.Met && part.Status != rollup.NotMet) {
		text, _ := m.text(v)
		return text
	}
	return m.judged(v, part.Comparator, *threshold, part.Status == rollup.Met)
}

// previous writes last year's figure for a "≥ last year" condition, or ""
// when there is none to show.
func previous(m measure, part rollup.Part) string {
	if part.Comparator != program.GEPreviousYear || part.Previous == nil || part.Value == nil {
		return ""
	}
	text, _ := m.text(*part.Previous)
	return "năm trước: " + text
}

// partText writes one condition of a target with several: its label and
// its figure, "Tỷ lệ hộ ký cam kết (%)" becoming "Tỷ lệ hộ ký cam kết:
// 99,9%" since the figure carries its own unit.
func partText(m measure, c program.Condition, part rollup.Part) string {
	label := strings.TrimSpace(c.Label)
	switch m {
	case percentage:
		label = strings.TrimSpace(strings.TrimSuffix(label, "(%)"))
	case money:
		label = strings.TrimSpace(strings.TrimSuffix(label, "(đồng)"))
	}
	s := label + ": " + figure(m, part)
	if prev := previous(m, part); prev != "" {
		s += " (" + prev + ")"
	}
	return s
}

// coveragePercent writes the share of units below that met their target.
// The coverage is met only when all of them did, so 1.999 of 2.000 reads
// "99,95%", not "100%".
func coveragePercent(c rollup.Coverage) string {
	return percentage.judged(*c.Percent, program.GE, 100, c.Met == c.Units)
}

// kindWord is a level's short name in a count ("7/10 huyện").
func kindWord(kinds []unit.Kind) string {
	if len(kinds) != 1 {
		return "đơn vị"
	}
	switch kinds[0] {
	case unit.Province:
		return "tỉnh"
	case unit.District:
		return "huyện"
	case unit.Commune:
		return "xã"
	case unit.ResidentialArea:
		return "khu dân cư"
	}
	return "đơn vị"
}

// thresholds joins a target's thresholds, each once: "≥ 80%; = 0", and
// "≥ 100%" for three conditions that all need 100%.
func thresholds(p *program.Program, t program.Target) string { return heldTo(p, t, nil) }

// committee names the committee of the Front at a unit, as its documents
// are headed: "Ủy ban MTTQ Việt Nam tỉnh Bắc Giang", the unit-type word in
// lower case inside the title (NĐ 30/2020). A residential area
// has a Ban Công tác Mặt trận instead of a committee.
func committee(u unit.Unit) string {
	switch u.Kind {
	case unit.Central:
		return "Ủy ban Trung ương MTTQ Việt Nam"
	case unit.ResidentialArea:
		return "Ban Công tác Mặt trận " + u.Name
	case unit.MemberOrg:
		return u.Name
	}
	return "Ủy ban MTTQ Việt Nam " + u.InTitle()
}

// dateDetail is why vn.ParseDate refused a form's date field.
func dateDetail(field string, err error) errs.Detail {
	d := errs.Detail{Field: field, Code: errs.BadDate}
	if de, ok := err.(*vn.DateError); ok {
		d.Args.Text = de.Text
		if de.NoSuchDay {
			d.Code = errs.NoSuchDate
		}
	}
	return d
}
