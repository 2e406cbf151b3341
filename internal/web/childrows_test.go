package web

import (
	"bytes"
	"html/template"
	"testing"

	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
)

// childRowsTemplate is how home_children.html wrote the table's rows
// before RowsHTML: the reference its output must equal, byte for byte.
const childRowsTemplate = `{{define "child_rows_reference"}}{{range .Rows}}<tr>
  <td class="name"><a href="{{.URL}}">{{.Unit.Name}}</a>{{with .ChildrenURL}}<a class="down noprint" href="{{.}}" title="Các đơn vị trực thuộc">cấp dưới ›</a>{{end}}</td>
  {{range .Cells}}{{if $.Target}}<td{{if .Bar}} class="bar"{{end}}>{{if .Badge}}<span class="badge {{statusClass .Status}}">{{.Text}}</span>{{else if .Bar}}{{template "home_bar" .Bar}}{{else}}{{template "records_text" .}}{{end}}{{with .Note}}<span class="note">{{.}}</span>{{end}}</td>{{else}}<td class="cell {{statusClass .Status}}" title="{{.Title}} — {{.Status.Label}}">{{template "records_text" .}}</td>{{end}}{{end}}
</tr>
{{end}}{{end}}`

// rowsByTemplate writes p's rows with childRowsTemplate, beside the
// page's own templates (home_bar, records_text).
func rowsByTemplate(p *childrenPage) (string, error) {
	t, err := template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		return "", err
	}
	if t, err = t.New("reference").Parse(childRowsTemplate); err != nil {
		return "", err
	}
	var b bytes.Buffer
	err = t.ExecuteTemplate(&b, "child_rows_reference", p)
	return b.String(), err
}

// TestChildRowsAsTheTemplateWrote: the hand-written rows equal the
// template's, for both tables (every target, one target), every kind of
// cell, and text that html/template escapes: quotes, ampersands, plus
// signs, angle brackets, NUL, Vietnamese letters, invalid UTF-8, and links
// with spaces, non-ASCII, broken and valid %-escapes, and unsafe schemes.
func TestChildRowsAsTheTemplateWrote(t *testing.T) {
	nasty := []string{"", "Xã Đông Hưng", `A & B <i>"x"</i> 'y' 1+1`, "nul\x00here", "bad\xffutf8", "—", "50 tỷ đồng"}
	urls := []string{"/home?period=2024&unit=213", "/home?q=a+b&x=%zz&y=%4A%4", "/hồ sơ?a=ü", "javascript:alert(1)", "JavaScript:x", "https://example.vn/a?b=c", "mailto:a@b.vn", "/a:b", "?x='\"<>", "#frag", ""}
	statuses := []rollup.Status{rollup.Met, rollup.NotMet, rollup.NotApplicable, ""}
	var rows []childRow
	for i, name := range nasty {
		row := childRow{Unit: unit.Unit{Name: name}, URL: urls[i%len(urls)], ChildrenURL: urls[(i+3)%len(urls)]}
		for j := range 12 {
			s, text := nasty[(i+j)%len(nasty)], nasty[(i+2*j)%len(nasty)]
			c := childCell{Text: text, Title: s, Status: statuses[(i+j)%len(statuses)]}
			switch j % 4 {
			case 0:
				c.Records = recordsLink{URL: urls[(i+j)%len(urls)], Title: s}
			case 1:
				c.Badge, c.Note = true, s
			case 2:
				c.Bar = &progressBar{Width: []string{"57", "100", "0", "33.5"}[j%4], Title: s, Status: c.Status}
				if i%2 == 0 {
					c.Bar.Mark = "80"
				}
			case 3:
				c.Note = text
			}
			row.Cells = append(row.Cells, c)
		}
		rows = append(rows, row)
	}
	target := &program.Target{Code: "T2.5"}
	for _, page := range []*childrenPage{{Rows: rows}, {Rows: rows, Target: target}, {Target: target}, {}} {
		want, err := rowsByTemplate(page)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(page.RowsHTML()); got != want {
			t.Errorf("target %v: rows differ at byte %d:\nwriter:   %q\ntemplate: %q", page.Target != nil, firstDiff(got, want), around(got, firstDiff(got, want)), around(want, firstDiff(got, want)))
		}
	}
}

// firstDiff is the first byte at which a and b differ.
func firstDiff(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

func around(s string, i int) string {
	return s[max(0, i-60):min(len(s), i+60)]
}

// TestCSSNumber: a bar's width passes as html/template's CSS filter
// passes it.
func TestCSSNumber(t *testing.T) {
	for in, want := range map[string]string{"57": "57", "33.5": "33.5", "": "", "5;x": "ZgotmplZ", "expression(1)": "ZgotmplZ"} {
		if got := cssNumber(in); got != want {
			t.Errorf("cssNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
