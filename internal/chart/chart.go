// Package chart draws small charts as inline SVG on the server: a page
// needs no script and no image request, and a six-year trend weighs about
// a kilobyte, which a commune office's weak line loads with the page.
package chart

import (
	"html/template"
	"strconv"
	"strings"
)

// Point is one period's figure on a trend.
type Point struct {
	Label string   // the period as the axis writes it: "2020"
	Value *float64 // nil: no figure, so no dot and a gap in the line
	Color string   // the dot's fill, e.g. the colour of the period's status
	Title string   // what hovering the dot says: "2020: 91,4% — Đạt"
}

// Break marks a change between two points, such as the reform of the tree
// on 1/7/2025: a dashed upright line after point After, with a short Label
// at its top and Title for hovering.
type Break struct {
	After int
	Label string
	Title string
}

// Trend is a small line chart of figures over periods, with an optional
// threshold drawn as a dashed line.
type Trend struct {
	Points    []Point
	Threshold *float64
	Width     int    // pixels; 0 means 160
	Height    int    // pixels, labels included; 0 means 46
	Label     string // what a screen reader says of the whole chart
	Break     *Break // nil: none
	// Hollow draws the first Hollow points as rings: figures computed
	// again on another tree than the one they were entered on (the years
	// before a reform).
	Hollow int
}

// Sizes of the drawing, in pixels.
const (
	pad       = 5  // around the plot, so a dot on the edge is whole
	labelRoom = 12 // under the plot, for the first and last period's label
	dotRadius = 3
)

// SVG writes the chart. Every text is escaped, so titles may hold any
// text a program's data holds.
func (t Trend) SVG() template.HTML {
	w, h := t.Width, t.Height
	n := len(t.Points)
	if w == 0 {
		w = 160
	}
	if h == 0 {
		h = 46
	}
	plotTop, plotBottom := float64(pad), float64(h-labelRoom-pad)
	lo, hi, ok := t.bounds()
	var b strings.Builder
	// Inline in HTML, an <svg> needs no namespace; attributes at their
	// defaults are left out: a home page holds 25 of these.
	b.WriteString(`<svg class="trend" width="` + itoa(w) + `" height="` + itoa(h) +
		`" viewBox="0 0 ` + itoa(w) + ` ` + itoa(h) + `" role="img" aria-label="` + esc(t.Label) + `">`)
	x := func(i int) float64 {
		if n == 1 {
			return float64(w) / 2
		}
		return pad + float64(i)*(float64(w)-2*pad)/float64(n-1)
	}
	y := func(v float64) float64 {
		if hi == lo {
			return (plotTop + plotBottom) / 2
		}
		return plotBottom - (v-lo)/(hi-lo)*(plotBottom-plotTop)
	}
	if br := t.Break; br != nil && br.After >= 0 && br.After+1 < n {
		bx := num((x(br.After) + x(br.After+1)) / 2)
		b.WriteString(`<g class="break"><title>` + esc(br.Title) + `</title><line x1="` + bx + `" y1="0" x2="` + bx + `" y2="` + num(plotBottom+pad/2) +
			`" stroke="#b3171c" stroke-dasharray="2 2"/>`)
		if br.Label != "" {
			// On the axis line, between the first and last years' labels.
			b.WriteString(`<text x="` + bx + `" y="` + itoa(h-2) + `" font-size="9" fill="#b3171c" text-anchor="middle">` + esc(br.Label) + `</text>`)
		}
		b.WriteString(`</g>`)
	}
	// The baseline, so an empty chart still reads as a chart.
	b.WriteString(`<line x1="0" y1="` + num(plotBottom+pad/2) + `" x2="` + itoa(w) + `" y2="` + num(plotBottom+pad/2) + `" stroke="#ccc"/>`)
	if ok && t.Threshold != nil {
		ty := num(y(*t.Threshold))
		b.WriteString(`<line class="threshold" x1="0" y1="` + ty + `" x2="` + itoa(w) + `" y2="` + ty + `" stroke="#999" stroke-dasharray="3 2"/>`)
	}
	// The line joins neighbouring periods that both have figures; a
	// missing figure breaks it rather than pretending a slope.
	var line []string
	flush := func() {
		if len(line) > 1 {
			b.WriteString(`<polyline fill="none" stroke="#555" stroke-width="1.5" points="` + strings.Join(line, " ") + `"/>`)
		}
		line = line[:0]
	}
	for i, p := range t.Points {
		if p.Value == nil {
			flush()
			continue
		}
		line = append(line, num(x(i))+","+num(y(*p.Value)))
	}
	flush()
	for i, p := range t.Points {
		if p.Value == nil {
			continue
		}
		color := p.Color
		if color == "" {
			color = "#555"
		}
		fill := `" fill="` + esc(color)
		if i < t.Hollow {
			fill = `" fill="#fff" stroke="` + esc(color) + `" stroke-width="1.5`
		}
		b.WriteString(`<circle cx="` + num(x(i)) + `" cy="` + num(y(*p.Value)) + `" r="` + itoa(dotRadius) + fill + `"><title>` + esc(p.Title) + `</title></circle>`)
	}
	if n > 0 {
		b.WriteString(`<g font-size="10" fill="#666">`)
		label := func(i int, anchor string) {
			b.WriteString(`<text x="` + num(x(i)) + `" y="` + itoa(h-2) + `"` + anchor + `>` + esc(t.Points[i].Label) + `</text>`)
		}
		if n == 1 {
			label(0, ` text-anchor="middle"`)
		} else {
			label(0, "")
			label(n-1, ` text-anchor="end"`)
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// bounds is the range the plot spans: every figure and the threshold.
func (t Trend) bounds() (lo, hi float64, ok bool) {
	for _, p := range t.Points {
		if p.Value == nil {
			continue
		}
		if !ok {
			lo, hi, ok = *p.Value, *p.Value, true
		}
		lo, hi = min(lo, *p.Value), max(hi, *p.Value)
	}
	if ok && t.Threshold != nil {
		lo, hi = min(lo, *t.Threshold), max(hi, *t.Threshold)
	}
	return lo, hi, ok
}

func itoa(n int) string { return strconv.Itoa(n) }

// num writes a coordinate to a tenth of a pixel, "35" rather than "35.0".
func num(f float64) string { return strconv.FormatFloat(float64(int(f*10+0.5))/10, 'f', -1, 64) }

func esc(s string) string { return template.HTMLEscapeString(s) }
