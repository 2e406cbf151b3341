package web

// The children table's rows, written by hand. A province's table is about
// a hundred rows of 25 cells, each with a class, a title and perhaps a
// link: through html/template that was a third of a cold table's CPU
// (reflection and a call per action). The writer below gives the same
// bytes the template gave (TestChildRowsAsTheTemplateWrote) with the same
// escaping: html/template's for text and quoted attributes, and its URL
// filter and normalizer for links.

import (
	"html/template"
	"strings"

	"mattran/internal/rollup"
)

// RowsHTML is the table's body rows (the template calls it).
func (p *childrenPage) RowsHTML() template.HTML {
	var b strings.Builder
	b.Grow(len(p.Rows) * (200 + 220*len(p.Columns)))
	for _, r := range p.Rows {
		b.WriteString("<tr>\n  <td class=\"name\"><a href=\"")
		writeURL(&b, r.URL)
		b.WriteString("\">")
		writeEscaped(&b, r.Unit.Name)
		b.WriteString("</a>")
		if r.ChildrenURL != "" {
			b.WriteString("<a class=\"down noprint\" href=\"")
			writeURL(&b, r.ChildrenURL)
			b.WriteString("\" title=\"Các đơn vị trực thuộc\">cấp dưới ›</a>")
		}
		b.WriteString("</td>\n  ")
		for _, c := range r.Cells {
			if p.Target != nil {
				writeTargetCell(&b, c)
			} else {
				b.WriteString("<td class=\"cell ")
				writeEscaped(&b, statusClass(c.Status))
				b.WriteString("\" title=\"")
				writeEscaped(&b, c.Title)
				b.WriteString(" — ")
				writeEscaped(&b, c.Status.Label())
				b.WriteString("\">")
				writeRecordsText(&b, c)
				b.WriteString("</td>")
			}
		}
		b.WriteString("\n</tr>\n")
	}
	return template.HTML(b.String())
}

// writeTargetCell is a cell of the table of one target: a verdict's
// badge, a progress bar (as template "home_bar" writes it) or a figure,
// and its note.
func writeTargetCell(b *strings.Builder, c childCell) {
	b.WriteString("<td")
	if c.Bar != nil {
		b.WriteString(" class=\"bar\"")
	}
	b.WriteString(">")
	switch {
	case c.Badge:
		b.WriteString("<span class=\"badge ")
		writeEscaped(b, statusClass(c.Status))
		b.WriteString("\">")
		writeEscaped(b, c.Text)
		b.WriteString("</span>")
	case c.Bar != nil:
		b.WriteString("<span class=\"hbar\" title=\"")
		writeEscaped(b, c.Bar.Title)
		b.WriteString("\"><span class=\"fill ")
		writeEscaped(b, statusClass(c.Bar.Status))
		b.WriteString("\" style=\"width:")
		b.WriteString(cssNumber(c.Bar.Width))
		b.WriteString("%\"></span>")
		if c.Bar.Mark != "" {
			b.WriteString("<span class=\"mark\" style=\"left:")
			b.WriteString(cssNumber(c.Bar.Mark))
			b.WriteString("%\"></span>")
		}
		b.WriteString("</span>")
	default:
		writeRecordsText(b, c)
	}
	if c.Note != "" {
		b.WriteString("<span class=\"note\">")
		writeEscaped(b, c.Note)
		b.WriteString("</span>")
	}
	b.WriteString("</td>")
}

// writeRecordsText is template "records_text": the cell's figure, a link
// to the records behind it when it is computed.
func writeRecordsText(b *strings.Builder, c childCell) {
	if c.Records.URL == "" {
		writeEscaped(b, c.Text)
		return
	}
	b.WriteString("<a class=\"records\" href=\"")
	writeURL(b, c.Records.URL)
	b.WriteString("\" title=\"")
	writeEscaped(b, c.Records.Title)
	b.WriteString("\">")
	writeEscaped(b, c.Text)
	b.WriteString("</a>")
}

// statusClass is a verdict's CSS class (template func "statusClass").
func statusClass(s rollup.Status) string { return "st-" + string(s) }

// htmlEscapes are html/template's replacements in text and in quoted
// attributes (its htmlReplacementTable). All are ASCII, so a byte loop
// finds them: no byte of a multibyte UTF-8 sequence is ASCII.
var htmlEscapes = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// writeEscaped writes s escaped as html/template escapes a string in text
// or in a quoted attribute.
func writeEscaped(b *strings.Builder, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; int(c) < len(htmlEscapes) && htmlEscapes[c] != "" {
			b.WriteString(s[written:i])
			b.WriteString(htmlEscapes[c])
			written = i + 1
		}
	}
	b.WriteString(s[written:])
}

// writeURL writes s as html/template writes a string in an href: a scheme
// other than http, https or mailto becomes "#ZgotmplZ", bytes a URL may
// not hold are %-encoded (valid escapes kept), and the result is escaped
// for the attribute.
func writeURL(b *strings.Builder, s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		b.WriteString("#ZgotmplZ")
		return
	}
	const hex = "0123456789abcdef"
	var norm strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue
		}
		norm.WriteString(s[written:i])
		norm.WriteByte('%')
		norm.WriteByte(hex[c>>4])
		norm.WriteByte(hex[c&15])
		written = i + 1
	}
	if written > 0 {
		norm.WriteString(s[written:])
		s = norm.String()
	}
	writeEscaped(b, s)
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// cssNumber is a bar's width or mark in a style attribute: barWidth writes
// a whole or decimal number, which html/template's CSS filter lets through
// unchanged; it would refuse anything else, so this does too, as
// "ZgotmplZ" (its answer to most refused values).
func cssNumber(s string) string {
	if strings.Trim(s, "0123456789.") != "" {
		return "ZgotmplZ"
	}
	return s
}
