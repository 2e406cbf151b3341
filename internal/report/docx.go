package report

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"mattran/internal/rollup"
)

// WriteDOCX writes the report as a Word document (.docx), laid out as the
// printed page: NĐ 30/2020's A4 portrait, margins 20/15/20/30 mm, Times
// New Roman 14 pt, the heading table, title, body, tables of targets,
// the written sections and the signature block, which is kept with the
// last lines of text. Leaders finish and sign the report in Word.
//
// It writes the WordprocessingML itself: a document this plain needs a
// few hundred lines of XML, not a library (the Go libraries for .docx are
// either unmaintained or commercial).
func WriteDOCX(w io.Writer, d Document) error {
	z := zip.NewWriter(w)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRels},
		{"word/_rels/document.xml.rels", docxDocRels},
		{"word/styles.xml", docxStyles},
		{"word/document.xml", docxDocument(d)},
	}
	for _, f := range files {
		fw, err := z.Create(f.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return err
		}
	}
	return z.Close()
}

const docxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>`

const docxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`

const docxDocRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`

// The default run: Times New Roman 14 pt (28 half-points), Vietnamese.
const docxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults>
<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
</w:styles>`

// run is a piece of text with its look.
type run struct {
	text                    string
	bold, italic, underline bool
	size                    int // points; 0 is the default 14
	breakBefore             bool
}

// para is a paragraph: its runs and its layout.
type para struct {
	runs      []run
	align     string // "left", "center", "right", "both"
	indent    bool   // first line indented 1 cm
	before    int    // space before, in points
	after     int    // space after, in points
	keepNext  bool   // kept on the page of the next paragraph
	keepLines bool
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (r run) xml() string {
	var pr strings.Builder
	if r.bold {
		pr.WriteString(`<w:b/><w:bCs/>`)
	}
	if r.italic {
		pr.WriteString(`<w:i/><w:iCs/>`)
	}
	if r.underline {
		pr.WriteString(`<w:u w:val="single"/>`)
	}
	if r.size > 0 {
		fmt.Fprintf(&pr, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, 2*r.size, 2*r.size)
	}
	var b strings.Builder
	b.WriteString(`<w:r>`)
	if pr.Len() > 0 {
		b.WriteString(`<w:rPr>` + pr.String() + `</w:rPr>`)
	}
	if r.breakBefore {
		b.WriteString(`<w:br/>`)
	}
	b.WriteString(`<w:t xml:space="preserve">` + esc(r.text) + `</w:t></w:r>`)
	return b.String()
}

func (p para) xml() string {
	var pr strings.Builder
	if p.keepNext {
		pr.WriteString(`<w:keepNext/>`)
	}
	if p.keepLines {
		pr.WriteString(`<w:keepLines/>`)
	}
	if p.before > 0 || p.after > 0 {
		fmt.Fprintf(&pr, `<w:spacing w:before="%d" w:after="%d"/>`, 20*p.before, 20*p.after)
	}
	if p.indent {
		pr.WriteString(`<w:ind w:firstLine="567"/>`)
	}
	if p.align != "" {
		pr.WriteString(`<w:jc w:val="` + p.align + `"/>`)
	}
	var b strings.Builder
	b.WriteString(`<w:p>`)
	if pr.Len() > 0 {
		b.WriteString(`<w:pPr>` + pr.String() + `</w:pPr>`)
	}
	for _, r := range p.runs {
		b.WriteString(r.xml())
	}
	b.WriteString(`</w:p>`)
	return b.String()
}

// cell is a table cell: its width in twips and its paragraphs.
type cell struct {
	width int
	paras []para
}

// table writes a table. borders draws every line; header repeats the
// first row on each page; rows are never split across pages.
func table(widths []int, rows [][]cell, borders, header bool) string {
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>`)
	if borders {
		b.WriteString(`<w:tblBorders>`)
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
		}
		b.WriteString(`</w:tblBorders>`)
	}
	b.WriteString(`</w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	for i, row := range rows {
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
		if header && i == 0 {
			b.WriteString(`<w:tblHeader/>`)
		}
		b.WriteString(`</w:trPr>`)
		for j, c := range row {
			fmt.Fprintf(&b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, widths[j])
			if len(c.paras) == 0 {
				c.paras = []para{{}}
			}
			for _, p := range c.paras {
				b.WriteString(p.xml())
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	return b.String()
}

// The text width: A4 (11906 twips) less 30 mm and 15 mm margins.
const textWidth = 11906 - 1701 - 850

func docxDocument(d Document) string {
	var body strings.Builder
	add := func(p para) { body.WriteString(p.xml()) }
	center := func(text string, r run) para {
		r.text = text
		return para{runs: []run{r}, align: "center"}
	}

	// The heading: the committee and issuer left, the motto right.
	var left, right []para
	for _, l := range d.CommitteeLines() {
		left = append(left, center(l, run{size: 12}))
	}
	left = append(left, center(d.Issuer, run{bold: true, size: 13}))
	left = append(left, center("—————", run{size: 8}))
	left = append(left, para{runs: []run{{text: d.Number, size: 13}}, align: "center", before: 4})
	right = append(right, center(d.Motto, run{bold: true, size: 12}))
	right = append(right, center(d.Slogan, run{bold: true, underline: true, size: 13}))
	right = append(right, para{runs: []run{{text: d.PlaceDate, italic: true}}, align: "center", before: 8})
	body.WriteString(table([]int{3900, textWidth - 3900}, [][]cell{{{3900, left}, {textWidth - 3900, right}}}, false, false))

	add(para{runs: []run{{text: d.Title, bold: true}}, align: "center", before: 18})
	add(para{runs: []run{{text: d.Subject, bold: true}}, align: "center"})
	add(center("—————", run{size: 8}))
	add(para{runs: []run{{text: d.Intro}}, align: "both", indent: true, before: 8, after: 4})

	heading := func(text string) {
		add(para{runs: []run{{text: text, bold: true}}, before: 8, after: 2, keepNext: true})
	}
	sub := func(text string) {
		add(para{runs: []run{{text: text, bold: true}}, indent: true, before: 6, after: 2, keepNext: true})
	}
	text := func(s string) { add(para{runs: []run{{text: s}}, align: "both", indent: true, after: 4}) }

	heading("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
	widths := []int{700, 3200, 1050, 1600, 1100, 1705}
	for _, sec := range d.Sections {
		sub(sec.Heading)
		head := []string{"Mã", "Chỉ tiêu", "Ngưỡng", "Kết quả", "Đánh giá", "Đơn vị cấp dưới đạt"}
		rows := [][]cell{{}}
		for i, h := range head {
			rows[0] = append(rows[0], cell{widths[i], []para{center(h, run{bold: true, size: 12})}})
		}
		for _, r := range sec.Rows {
			result := []para{{runs: []run{{text: r.Result, size: 12}}, align: "right"}}
			for _, det := range r.Details {
				result = append(result, para{runs: []run{{text: det, size: 10}}})
			}
			status := center(r.Status.Label(), run{size: 12, bold: r.Status == rollup.NotMet})
			rows = append(rows, []cell{
				{widths[0], []para{center(r.Code, run{size: 12})}},
				{widths[1], []para{{runs: []run{{text: r.Name, size: 12}}}}},
				{widths[2], []para{center(r.Threshold, run{size: 12})}},
				{widths[3], result},
				{widths[4], []para{status}},
				{widths[5], []para{{runs: []run{{text: r.Below, size: 12}}}}},
			})
		}
		body.WriteString(table(widths, rows, true, true))
	}

	heading("II. ĐÁNH GIÁ CHUNG")
	for _, l := range d.Summary.Lines() {
		text(l)
	}
	for _, s := range []struct {
		title string
		paras []string
	}{{"1. Kết quả nổi bật", d.Highlights}, {"2. Tồn tại, hạn chế", d.Shortcomings}, {"3. Nguyên nhân", d.Causes}} {
		if len(s.paras) == 0 {
			continue
		}
		sub(s.title)
		for _, p := range s.paras {
			text(p)
		}
	}
	if len(d.NextTasks) > 0 {
		heading("III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI")
		for _, p := range d.NextTasks {
			text(p)
		}
	}
	// The last paragraph keeps with the signature block: the block never
	// stands alone on a page.
	out := body.String()
	if i := strings.LastIndex(out, `<w:p><w:pPr>`); i >= 0 {
		out = out[:i] + `<w:p><w:pPr><w:keepNext/>` + out[i+len(`<w:p><w:pPr>`):]
	}
	body.Reset()
	body.WriteString(out)

	var to, sign []para
	to = append(to, para{runs: []run{{text: "Nơi nhận:", bold: true, italic: true, size: 12}}, keepNext: true, before: 12})
	for _, r := range d.Recipients {
		to = append(to, para{runs: []run{{text: "- " + r, size: 11}}, keepNext: true})
	}
	for i, l := range d.SignLines() {
		p := center(l, run{bold: true})
		p.keepNext = true
		if i == 0 {
			p.before = 12
		}
		sign = append(sign, p)
	}
	for range 4 {
		sign = append(sign, para{keepNext: true})
	}
	sign = append(sign, center(d.Signer, run{bold: true}))
	half := textWidth / 2
	body.WriteString(table([]int{half - 300, textWidth - half + 300}, [][]cell{{{half - 300, to}, {textWidth - half + 300, sign}}}, false, false))

	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr></w:body></w:document>`
}
