package chart

import (
	"encoding/xml"
	"strings"
	"testing"
)

func f(v float64) *float64 { return &v }

func TestTrend(t *testing.T) {
	for _, c := range []struct {
		name      string
		trend     Trend
		dots      int
		polylines int
		threshold bool
		want      []string
	}{
		{"six years", Trend{Label: "Xu hướng T2.5", Threshold: f(90), Points: []Point{
			{"2019", f(70), "#c62828", "2019: 70%"}, {"2020", f(75), "#c62828", ""}, {"2021", f(80), "#c62828", ""},
			{"2022", f(85), "#c62828", ""}, {"2023", f(90), "#2e8b45", ""}, {"2024", f(95), "#2e8b45", "2024: 95% — Đạt"}}},
			6, 1, true, []string{`aria-label="Xu hướng T2.5"`, ">2019</text>", ">2024</text>", `fill="#2e8b45"><title>2024: 95% — Đạt</title>`}},
		{"a missing year breaks the line", Trend{Points: []Point{
			{"2019", f(1), "", ""}, {"2020", f(2), "", ""}, {"2021", nil, "", ""}, {"2022", f(3), "", ""}, {"2023", f(4), "", ""}}},
			4, 2, false, nil},
		{"no figures at all", Trend{Threshold: f(100), Points: []Point{{"2019", nil, "", ""}, {"2020", nil, "", ""}}}, 0, 0, false, []string{">2019</text>"}},
		{"a flat line", Trend{Points: []Point{{"2019", f(5), "", ""}, {"2020", f(5), "", ""}}}, 2, 1, false, nil},
		{"one year", Trend{Points: []Point{{"2024", f(5), "", ""}}}, 1, 0, false, []string{`text-anchor="middle"`}},
		{"text is escaped", Trend{Label: `<b>"x"</b>`, Points: []Point{{"<y>", f(1), `"red`, "a & b"}}}, 1, 0, false,
			[]string{"&lt;b&gt;&#34;x&#34;&lt;/b&gt;", "&lt;y&gt;", "a &amp; b", `fill="&#34;red"`}},
	} {
		svg := string(c.trend.SVG())
		// It is well-formed XML, whatever the text.
		d := xml.NewDecoder(strings.NewReader(svg))
		for {
			if _, err := d.Token(); err != nil {
				if err.Error() != "EOF" {
					t.Errorf("%s: not well-formed: %v\n%s", c.name, err, svg)
				}
				break
			}
		}
		if n := strings.Count(svg, "<circle"); n != c.dots {
			t.Errorf("%s: %d dots, want %d", c.name, n, c.dots)
		}
		if n := strings.Count(svg, "<polyline"); n != c.polylines {
			t.Errorf("%s: %d lines, want %d", c.name, n, c.polylines)
		}
		if got := strings.Contains(svg, `class="threshold"`); got != c.threshold {
			t.Errorf("%s: threshold line %v, want %v", c.name, got, c.threshold)
		}
		for _, w := range c.want {
			if !strings.Contains(svg, w) {
				t.Errorf("%s: lacks %q\n%s", c.name, w, svg)
			}
		}
	}
}

// TestTrendScale: the highest figure is drawn highest, and every dot lies
// inside the chart, the threshold included in the range.
func TestTrendScale(t *testing.T) {
	svg := string(Trend{Width: 100, Height: 40, Threshold: f(100), Points: []Point{{"a", f(10), "", ""}, {"b", f(50), "", ""}}}.SVG())
	if !strings.Contains(svg, `<circle cx="5" cy="23"`) || !strings.Contains(svg, `<circle cx="95" cy="15"`) {
		t.Errorf("dots are not where the scale puts them:\n%s", svg)
	}
	if !strings.Contains(svg, `class="threshold" x1="0" y1="5"`) {
		t.Errorf("the threshold is not at the top of the plot:\n%s", svg)
	}
}

// A break (the 2025 reform) is a dashed line between the two points it
// falls between, labelled; points before it may be drawn hollow.
func TestTrendBreak(t *testing.T) {
	svg := string(Trend{Width: 110, Height: 46, Break: &Break{After: 1, Label: "7/2025", Title: "Sắp xếp đơn vị 1/7/2025"}, Hollow: 2, Points: []Point{
		{Label: "2023", Value: f(1)}, {Label: "2024", Value: f(2)}, {Label: "2025", Value: f(3)}}}.SVG())
	if !strings.Contains(svg, `<g class="break"><title>Sắp xếp đơn vị 1/7/2025</title><line x1="80"`) || !strings.Contains(svg, `>7/2025</text>`) {
		t.Errorf("no break between the second and third points:\n%s", svg)
	}
	if n := strings.Count(svg, `fill="#fff" stroke=`); n != 2 {
		t.Errorf("%d hollow dots, want 2:\n%s", n, svg)
	}
	if strings.Count(svg, "<polyline") != 1 {
		t.Errorf("the line should run through the break:\n%s", svg)
	}
	if svg2 := string(Trend{Break: &Break{After: 5}, Points: []Point{{Label: "a", Value: f(1)}}}.SVG()); strings.Contains(svg2, "break") {
		t.Errorf("a break past the last point is drawn:\n%s", svg2)
	}
}

func TestBars(t *testing.T) {
	b := Bars{Label: "Xếp loại", Series: []Series{{"Xuất sắc", "#1b7a35"}, {"Tốt <b>", "#4a8"}},
		Groups: []BarGroup{{Label: "2023", Values: []float64{20, 80}, Titles: []string{"2 đơn vị", "8 đơn vị"}}, {Label: "2024", Values: []float64{0, 100}}}}
	svg := string(b.SVG())
	for _, want := range []string{`aria-label="Xếp loại"`, ">2023<", ">2024<", "2 đơn vị", "Tốt &lt;b&gt;", `height="64"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q:\n%s", want, svg)
		}
	}
}
