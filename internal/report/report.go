// Package report holds the consolidated report (báo cáo tổng hợp) of a
// program at a unit for a period, laid out as an administrative document
// of Nghị định 30/2020/NĐ-CP: the issuing body and the national motto at
// the top, the place and date, the title and subject, the body, the
// recipients and the signature. The web page prints it; XLSX writes it
// for Excel.
//
// The package holds what the document says and how it is laid out, not
// how figures are written: the caller gives each row its text, so the
// report reads exactly as the scorecard page does.
package report

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mattran/internal/rollup"
	"mattran/internal/unit"
)

// Document is one report.
type Document struct {
	// Top left, centred: the committee (upper line, normal weight) and the
	// body that issues the report (bold, underlined), then its number.
	Committee string // "UB MTTQ VIỆT NAM TỈNH BẮC GIANG"
	Issuer    string // "BAN THƯỜNG TRỰC"
	Number    string // "Số: …/BC-MTTQ-BTT"
	// Top right: the national motto, then the place and date, in italics.
	Motto, Slogan string
	PlaceDate     string // "Bắc Giang, ngày 10 tháng 12 năm 2024"

	Title   string // "BÁO CÁO"
	Subject string // "Kết quả thực hiện Chương trình hành động … năm 2024"
	Intro   string

	Sections []Section
	Summary  Summary
	// The written sections (Texts), as paragraphs: under II. Đánh giá
	// chung, and III. Phương hướng, nhiệm vụ kỳ tới.
	Highlights, Shortcomings, Causes, NextTasks []string

	// Bottom left: "Nơi nhận:" and the recipients, each ending in ";" and
	// the last "Lưu: VT.".
	Recipients []string
	// Bottom right: "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", space to sign, and
	// the signer's name (a placeholder until someone signs).
	SignFor, SignerTitle, Signer string

	Generated string // when the figures were read, for the footnote
}

// Section is a sub-program's table of targets.
type Section struct {
	Heading string // "1. Chương trình 1: …"
	Rows    []Row
}

// Row is one target. The texts are written by the caller.
type Row struct {
	Code, Name, Threshold string
	Result                string // the unit's own figure, "—" if none
	// Value is the own figure as a number, for Excel (nil when none);
	// Percent: it is a percentage (97.7 for 97,7%).
	Value          *float64
	Percent, Money bool
	Details        []string // parts of a target with several conditions, last year's figure
	Status         rollup.Status
	Below          string // "7/10 huyện đạt (70%)"
}

// Summary counts the verdicts: one per target, as the scorecard counts
// them.
type Summary struct {
	Total, Met, NotMet, NoData, Tracked, NotApplicable int
	NotMetCodes, NoDataCodes                           []string
}

// Add counts one target's verdict.
func (s *Summary) Add(code string, st rollup.Status) {
	s.Total++
	switch st {
	case rollup.Met:
		s.Met++
	case rollup.NotMet:
		s.NotMet++
		s.NotMetCodes = append(s.NotMetCodes, code)
	case rollup.NoData:
		s.NoData++
		s.NoDataCodes = append(s.NoDataCodes, code)
	case rollup.Tracked:
		s.Tracked++
	default:
		s.NotApplicable++
	}
}

// Lines are the summary's sentences.
func (s Summary) Lines() []string {
	parts := []string{fmt.Sprintf("%d chỉ tiêu đạt", s.Met), fmt.Sprintf("%d chỉ tiêu chưa đạt", s.NotMet), fmt.Sprintf("%d chỉ tiêu thiếu số liệu", s.NoData)}
	if s.Tracked > 0 {
		parts = append(parts, fmt.Sprintf("%d chỉ tiêu theo dõi (không có ngưỡng)", s.Tracked))
	}
	if s.NotApplicable > 0 {
		parts = append(parts, fmt.Sprintf("%d chỉ tiêu không áp dụng ở cấp này và cấp dưới", s.NotApplicable))
	}
	lines := []string{fmt.Sprintf("Tổng số %d chỉ tiêu: %s.", s.Total, strings.Join(parts, "; "))}
	if len(s.NotMetCodes) > 0 {
		lines = append(lines, "Các chỉ tiêu chưa đạt: "+strings.Join(s.NotMetCodes, ", ")+".")
	}
	if len(s.NoDataCodes) > 0 {
		lines = append(lines, "Các chỉ tiêu chưa đủ số liệu để đánh giá: "+strings.Join(s.NoDataCodes, ", ")+".")
	}
	return lines
}

// New returns a report of the committee at u, dated day (in Vietnam's
// time), with the heading, recipients and signature of its level. parent
// is u's parent unit (the zero Unit for the root): a residential area's
// working committee writes under its commune's name, and every level
// reports to the level above.
func New(u, parent unit.Unit, day time.Time) Document {
	d := Document{
		Committee:   "UB MTTQ VIỆT NAM " + strings.ToUpper(u.Name),
		Issuer:      "BAN THƯỜNG TRỰC",
		Number:      "Số: …/BC-MTTQ-BTT",
		Motto:       "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		Slogan:      "Độc lập - Tự do - Hạnh phúc",
		PlaceDate:   place(u) + ", " + dateWords(day),
		Title:       "BÁO CÁO",
		SignFor:     "TM. BAN THƯỜNG TRỰC",
		SignerTitle: "CHỦ TỊCH",
		Signer:      "………………………………",
	}
	above := "Ban Thường trực UB MTTQ " + lowerFirst(parent.Name) + ";"
	switch u.Kind {
	case unit.Central:
		d.Committee = "ỦY BAN TRUNG ƯƠNG MTTQ VIỆT NAM"
		d.PlaceDate = "Hà Nội, " + dateWords(day)
		d.Recipients = []string{"Ban Bí thư Trung ương Đảng;"}
	case unit.Province:
		d.Recipients = []string{"Ban Thường trực UB TW MTTQ Việt Nam;", "Thường trực Tỉnh ủy;"}
	case unit.District:
		d.Recipients = []string{above, "Thường trực " + partyCommittee(u) + ";"}
	case unit.Commune:
		d.Recipients = []string{above, "Đảng ủy " + lowerFirst(u.Name) + ";"}
	case unit.ResidentialArea:
		// A residential area has a Ban Công tác Mặt trận under its
		// commune's committee, headed by a trưởng ban.
		d.Committee = "UB MTTQ VIỆT NAM " + strings.ToUpper(parent.Name)
		d.Issuer = "BAN CÔNG TÁC MẶT TRẬN " + strings.ToUpper(u.Name)
		d.Number = "Số: …/BC-BCTMT"
		d.PlaceDate = place(parent) + ", " + dateWords(day)
		d.SignFor, d.SignerTitle = "TM. BAN CÔNG TÁC MẶT TRẬN", "TRƯỞNG BAN"
		d.Recipients = []string{above, "Chi bộ " + lowerFirst(u.Name) + ";"}
	default: // a member organisation reports to the committee it hangs under
		d.Committee = "UB MTTQ VIỆT NAM " + strings.ToUpper(parent.Name)
		d.Issuer = strings.ToUpper(u.Name)
		d.Number = "Số: …/BC"
		d.PlaceDate = place(parent) + ", " + dateWords(day)
		d.SignFor, d.SignerTitle = "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"
		d.Recipients = []string{above}
	}
	d.Recipients = append(d.Recipients, "Lưu: VT.")
	return d
}

// IssuerName is the issuing body as a sentence names it: "Ban Thường trực
// Ủy ban MTTQ Việt Nam tỉnh Bắc Giang".
func IssuerName(u, parent unit.Unit) string {
	switch u.Kind {
	case unit.Central:
		return "Đoàn Chủ tịch Ủy ban Trung ương MTTQ Việt Nam"
	case unit.ResidentialArea:
		return "Ban Công tác Mặt trận " + u.Name + " (" + lowerFirst(parent.Name) + ")"
	case unit.MemberOrg:
		return u.Name
	}
	return "Ban Thường trực Ủy ban MTTQ Việt Nam " + lowerFirst(u.Name)
}

// place is the place name of a document (NĐ 30/2020, Phụ lục I): the
// unit's name without its type, "Bắc Giang" for "Tỉnh Bắc Giang".
func place(u unit.Unit) string {
	if u.OfficialType != "" {
		if rest, ok := strings.CutPrefix(u.Name, u.OfficialType+" "); ok {
			return rest
		}
	}
	for _, t := range []string{"Tỉnh ", "Thành phố ", "Huyện ", "Quận ", "Thị xã ", "Xã ", "Phường ", "Thị trấn "} {
		if rest, ok := strings.CutPrefix(u.Name, t); ok {
			return rest
		}
	}
	return u.Name
}

// dateWords writes "ngày 05 tháng 02 năm 2024": NĐ 30/2020 puts a 0 before
// a day below 10 and before months 1 and 2 (so "tháng 02" cannot be
// misread as "tháng 12" by adding a digit).
func dateWords(t time.Time) string {
	month := fmt.Sprint(int(t.Month()))
	if t.Month() < 3 {
		month = "0" + month
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), month, t.Year())
}

// partyCommittee is the Party committee of a district: Huyện ủy, Thành
// ủy, Thị ủy, Quận ủy.
func partyCommittee(u unit.Unit) string {
	t := u.OfficialType
	if t == "" {
		t, _, _ = strings.Cut(u.Name, " ")
	}
	switch strings.ToLower(t) {
	case "thành phố":
		return "Thành ủy"
	case "thị xã":
		return "Thị ủy"
	case "quận":
		return "Quận ủy"
	}
	return "Huyện ủy"
}

// lowerFirst writes a name inside a sentence: "tỉnh Bắc Giang".
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// Subject is the report's subject line: "Kết quả thực hiện Chương trình
// hành động … năm 2024".
func Subject(programName, periodLabel string) string {
	return "Kết quả thực hiện " + programName + " " + lowerFirst(periodLabel)
}

// Intro is the body's opening sentence.
func Intro(programName, issuerName, periodLabel, asOf string) string {
	return fmt.Sprintf("Thực hiện %s, %s báo cáo kết quả thực hiện các chỉ tiêu %s (số liệu tổng hợp đến %s) như sau:",
		programName, issuerName, lowerFirst(periodLabel), asOf)
}

// CommitteeLines is the committee's name as the heading prints it: on one
// line when it fits beside the motto, else broken after "VIỆT NAM"
// ("UB MTTQ VIỆT NAM" over "THÀNH PHỐ BẮC GIANG").
func (d Document) CommitteeLines() []string {
	if utf8.RuneCountInString(d.Committee) <= 32 {
		return []string{d.Committee}
	}
	if head, rest, ok := strings.Cut(d.Committee, "VIỆT NAM "); ok {
		return []string{head + "VIỆT NAM", rest}
	}
	return []string{d.Committee}
}
