package chart

import (
	"html/template"
	"strings"
)

// Bars is a grouped bar chart of shares: one group per label (a year),
// one bar per series (a class), each a percent 0–100.
type Bars struct {
	Groups []BarGroup
	Series []Series
	Label  string // what a screen reader says of the whole chart
}

// BarGroup is one group of bars: Values[i] is series i's percent, and
// Titles[i] what hovering it says.
type BarGroup struct {
	Label  string
	Values []float64
	Titles []string
}

// Series names a bar colour.
type Series struct {
	Name, Color string
}

// SVG writes the chart with its legend, about 90 pixels high.
func (b Bars) SVG() template.HTML {
	const barW, gap, groupGap, plotH, top, bottom = 14, 2, 18, 80, 14, 16
	n := len(b.Series)
	groupW := n*barW + (n-1)*gap
	width := pad*2 + len(b.Groups)*(groupW+groupGap)
	height := top + plotH + bottom + 16
	var sb strings.Builder
	sb.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="bars" role="img" width="` + itoa(max(width, 320)) + `" height="` + itoa(height) + `" aria-label="` + esc(b.Label) + `">`)
	base := top + plotH
	sb.WriteString(`<line x1="0" x2="` + itoa(width) + `" y1="` + itoa(base) + `" y2="` + itoa(base) + `" stroke="#999"/>`)
	for gi, g := range b.Groups {
		x0 := pad + gi*(groupW+groupGap)
		for i, v := range g.Values {
			if i >= n {
				break
			}
			h := int(v/100*plotH + 0.5)
			x := x0 + i*(barW+gap)
			title := ""
			if i < len(g.Titles) {
				title = g.Titles[i]
			}
			sb.WriteString(`<rect x="` + itoa(x) + `" y="` + itoa(base-h) + `" width="` + itoa(barW) + `" height="` + itoa(h) + `" fill="` + esc(b.Series[i].Color) + `"><title>` + esc(title) + `</title></rect>`)
			if v > 0 {
				sb.WriteString(`<text x="` + itoa(x+barW/2) + `" y="` + itoa(base-h-2) + `" font-size="9" text-anchor="middle">` + num(v) + `</text>`)
			}
		}
		sb.WriteString(`<text x="` + itoa(x0+groupW/2) + `" y="` + itoa(base+12) + `" font-size="11" text-anchor="middle">` + esc(g.Label) + `</text>`)
	}
	lx := pad
	for _, s := range b.Series {
		sb.WriteString(`<rect x="` + itoa(lx) + `" y="` + itoa(height-10) + `" width="9" height="9" fill="` + esc(s.Color) + `"/>`)
		sb.WriteString(`<text x="` + itoa(lx+12) + `" y="` + itoa(height-2) + `" font-size="10">` + esc(s.Name) + `</text>`)
		lx += 12 + 7*len([]rune(s.Name)) + 10
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}
