package report

import (
	"strings"
	"time"
	"unicode/utf8"

	"mattran/internal/errs"
	"mattran/internal/vn"
)

// Texts are what a unit writes into its report: the document's number,
// signing date and signer, and the written assessment around the table of
// targets, which the system generates.
type Texts struct {
	Number      string // the register number, "12": printed "Số: 12/BC-MTTQ-BTT"
	SignedOn    string // YYYY-MM-DD; "" prints the day the report is read
	Signer      string // "Nguyễn Văn An"
	SignerTitle string // "Chủ tịch" or "Phó Chủ tịch"
	// The sections of a real report (II. Đánh giá chung, III. Phương
	// hướng): paragraphs separated by new lines.
	Highlights   string // kết quả nổi bật
	Shortcomings string // tồn tại, hạn chế
	Causes       string // nguyên nhân
	NextTasks    string // phương hướng, nhiệm vụ kỳ tới

	UpdatedBy string
	UpdatedAt time.Time
}

// Bounds of what a report holds: a section of a few pages, a name of a line.
const (
	maxSection = 20000
	maxLine    = 200
)

// Deputy is the title of a deputy signer: NĐ 30/2020 has them sign "KT.
// CHỦ TỊCH" over their own title.
const Deputy = "Phó Chủ tịch"

// Normalize trims the texts and makes new lines plain.
func (t Texts) Normalize() Texts {
	clean := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	t.Number, t.SignedOn, t.Signer, t.SignerTitle = clean(t.Number), clean(t.SignedOn), clean(t.Signer), clean(t.SignerTitle)
	t.Highlights, t.Shortcomings, t.Causes, t.NextTasks = clean(t.Highlights), clean(t.Shortcomings), clean(t.Causes), clean(t.NextTasks)
	return t
}

// Check returns what is wrong with the texts, each detail naming its form
// field: the one validation the web form and any other writer use. The
// date is given as typed (dd/mm/yyyy) and stored as YYYY-MM-DD.
func (t *Texts) Check(typedDate string) []errs.Detail {
	var bad []errs.Detail
	long := func(field, s string, max int) {
		if n := utf8.RuneCountInString(s); n > max {
			bad = append(bad, errs.Detail{Field: field, Code: errs.TextTooLong, Args: errs.Args{Number: float64(n), Max: float64(max)}})
		}
	}
	long("number", t.Number, 30)
	long("signer", t.Signer, maxLine)
	long("signer_title", t.SignerTitle, maxLine)
	long("highlights", t.Highlights, maxSection)
	long("shortcomings", t.Shortcomings, maxSection)
	long("causes", t.Causes, maxSection)
	long("next_tasks", t.NextTasks, maxSection)
	t.SignedOn = ""
	if typed := strings.TrimSpace(typedDate); typed != "" {
		d, err := vn.ParseDate(typed)
		if err != nil {
			bad = append(bad, errs.Detail{Field: "signed_on", Code: errs.BadDate, Args: errs.Args{Text: typed}})
		} else {
			t.SignedOn = d.Format(time.DateOnly)
		}
	}
	return bad
}

// Paragraphs splits a section into its paragraphs, dropping empty lines.
func Paragraphs(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// Apply puts the texts into the document: the number, the date, the
// signer and the written sections.
func (d *Document) Apply(t Texts) {
	if t.Number != "" {
		d.Number = strings.Replace(d.Number, "…", t.Number, 1)
	}
	if day, err := time.Parse(time.DateOnly, t.SignedOn); err == nil {
		if place, _, ok := strings.Cut(d.PlaceDate, ", ngày "); ok {
			d.PlaceDate = place + ", " + dateWords(day)
		}
	}
	if t.Signer != "" {
		d.Signer = t.Signer
	}
	if t.SignerTitle != "" {
		if strings.EqualFold(t.SignerTitle, Deputy) {
			d.SignerTitle = "KT. " + d.SignerTitle + "\n" + strings.ToUpper(t.SignerTitle)
		} else {
			d.SignerTitle = strings.ToUpper(t.SignerTitle)
		}
	}
	d.Highlights, d.Shortcomings, d.Causes, d.NextTasks = Paragraphs(t.Highlights), Paragraphs(t.Shortcomings), Paragraphs(t.Causes), Paragraphs(t.NextTasks)
}

// SignLines are the lines above the signature: "TM. BAN THƯỜNG TRỰC",
// then the title, or "KT. CHỦ TỊCH" and the deputy's title.
func (d Document) SignLines() []string {
	return append([]string{d.SignFor}, strings.Split(d.SignerTitle, "\n")...)
}
