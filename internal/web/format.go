package web

import (
	"html/template"
	"math"
	"strings"

	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

var funcs = template.FuncMap{
	"statusClass": func(s rollup.Status) string { return "st-" + string(s) },
	"date":        func(s string) string { return vnDate(s) },
}

// vnDate writes "2024-12-31" as "31/12/2024".
func vnDate(s string) string {
	if len(s) != 10 {
		return s
	}
	return s[8:10] + "/" + s[5:7] + "/" + s[0:4]
}

// figure writes a target's headline value the way its first condition
// counts: a percent, money in tỷ/triệu đồng, or a plain number.
func figure(p *program.Program, c program.Condition, v *float64) string {
	if v == nil {
		return "—"
	}
	switch {
	case c.IsPercent():
		return percent(*v)
	case p.IsMoney(c):
		return vn.FormatMoney(*v)
	}
	return vn.FormatNumber(*v, -1)
}

// percent writes a ratio rounded down to one decimal, so a figure just
// short of its threshold never prints as reaching it: 99.97% is "99,9%",
// not "100%" beside "Chưa đạt". The tiny epsilon keeps an exact 90% that
// floating point computed as 89.999… at 90%.
func percent(v float64) string {
	return vn.FormatPercent(math.Floor(v*10+1e-6) / 10)
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

// thresholds joins a target's thresholds: "≥ 80%; = 0".
func thresholds(p *program.Program, t program.Target) string {
	var parts []string
	for _, c := range t.Conditions {
		parts = append(parts, c.ThresholdText(p.IsMoney(c)))
	}
	return strings.Join(parts, "; ")
}
