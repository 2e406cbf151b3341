package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"mattran/internal/casework"
	"mattran/internal/errs"
	"mattran/internal/sheet"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

// caseStatsPage: a subtree's cases in a year by month and kind, field,
// status and agency; the answer rate by agency, slowest first; and the
// unit's own figures behind T3.1–T3.5, each linked to its cases.
type caseStatsPage struct {
	Base
	Unit                      unit.Unit
	Year, Prev, Next          int
	Months                    []int
	ByKind, ByField, ByStatus []statLine
	ByAgency                  []statLine
	Agencies                  []agencyLine
	Figures                   []figureLine
	Total                     int
}

type statLine struct {
	Label  string
	Months [12]int
	Total  int
	Link   string
}

type agencyLine struct {
	Agency                                       string
	Sent, Answered, InWriting, OpenOverdue, Late int
	Rate                                         string
	Low                                          bool
}

type figureLine struct{ Code, Label, Value, Link string }

// unitYear is the unit (?unit=) and year (?year=, this year by default)
// a statistics page asks about.
func (h *Web) unitYear(r *http.Request, s *Session) (unit.Unit, int, error) {
	u, err := h.caseUnit(r, s, r.URL.Query().Get("unit"))
	if err != nil {
		return u, 0, err
	}
	y := h.today().Year()
	if q := r.URL.Query().Get("year"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 2000 || n > 2100 {
			return u, 0, errs.New(errs.Invalid, "Năm %q không hợp lệ.", q)
		}
		y = n
	}
	return u, y, nil
}

func (h *Web) caseStatsPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	u, year, err := h.unitYear(r, s)
	if err != nil {
		return err
	}
	ctx := r.Context()
	stats, err := h.Store.MonthlyStats(ctx, u.Path, year)
	if err != nil {
		return err
	}
	today := h.today()
	rates, err := h.Store.AgencyRates(ctx, u.Path, year, today)
	if err != nil {
		return err
	}
	p := caseStatsPage{Base: h.base(s, fmt.Sprintf("Thống kê đơn thư năm %d — %s", year, u.Name)), Unit: u, Year: year,
		Prev: year - 1, Next: year + 1, Months: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}
	p.Nav = "cases"
	base := url.Values{"unit": {u.Code}, "year": {strconv.Itoa(year)}}
	link := func(k, v string) string {
		q := url.Values{}
		for a, b := range base {
			q[a] = b
		}
		q.Set(k, v)
		return "/cases?" + q.Encode()
	}
	group := func(dim string, key func(value string) (string, string)) []statLine {
		idx := map[string]int{}
		var out []statLine
		for _, st := range stats {
			if st.Dim != dim {
				continue
			}
			label, filter := key(st.Value)
			i, ok := idx[label]
			if !ok {
				i = len(out)
				idx[label] = i
				out = append(out, statLine{Label: label, Link: filter})
			}
			if st.Month >= 1 && st.Month <= 12 {
				out[i].Months[st.Month-1] += st.N
			}
			out[i].Total += st.N
		}
		slices.SortStableFunc(out, func(a, b statLine) int { return b.Total - a.Total })
		return out
	}
	p.ByKind = group("kind", func(v string) (string, string) { return casework.Kind(v).Label(), link("kind", v) })
	p.ByField = group("field", func(v string) (string, string) { return casework.FieldLabel(v), "" })
	p.ByStatus = group("status", func(v string) (string, string) { return casework.Status(v).Label(), link("status", v) })
	p.ByAgency = group("agency", func(v string) (string, string) {
		if v == "" {
			return "(chưa chuyển)", ""
		}
		return v, ""
	})
	for _, l := range p.ByKind {
		p.Total += l.Total
	}
	for _, a := range rates {
		line := agencyLine{Agency: a.Agency, Sent: a.Sent, Answered: a.Answered, InWriting: a.InWriting, OpenOverdue: a.OpenOverdue, Late: a.Late, Rate: "—"}
		if a.RateOK {
			line.Rate, line.Low = vn.FormatPercent(a.Rate), a.Rate < 80
		}
		p.Agencies = append(p.Agencies, line)
	}
	counts, err := h.Store.CaseCounts(ctx, []string{u.Path}, year, today)
	if err != nil {
		return err
	}
	c := counts[0]
	acts := func(kind casework.ActivityKind) string {
		return fmt.Sprintf("/cases/activities?kind=%s&unit=%s&year=%d", kind, url.QueryEscape(u.Code), year)
	}
	rate := "—"
	if v, ok := c.Rate(); ok {
		rate = vn.FormatPercent(v)
	}
	p.Figures = []figureLine{
		{"T3.1–T3.3", "Nội dung giám sát", strconv.Itoa(c.Supervisions), acts(casework.Supervising)},
		{"T3.1, T3.3", "Nội dung phản biện xã hội", strconv.Itoa(c.Criticisms), acts(casework.Criticising)},
		{"T3.2, T3.3", "Nội dung góp ý xây dựng Đảng, chính quyền", strconv.Itoa(c.Contributions), acts(casework.Contributing)},
		{"T3.4", "Đơn được trả lời bằng văn bản", strconv.Itoa(c.InWriting), link("status", string(casework.Answered))},
		{"T3.4", "Đơn đã trả lời + đơn quá hạn chưa trả lời", strconv.Itoa(c.Answered + c.OpenOverdue), link("overdue", "1")},
		{"T3.4", "Tỷ lệ trả lời bằng văn bản", rate, link("status", string(casework.Answered))},
		{"T3.5", "Hội nghị công khai kết quả giải quyết", strconv.Itoa(c.Conferences), acts(casework.Conference)},
	}
	return h.render(w, "case_stats.html", p)
}

// caseRegister is the petition register (sổ theo dõi đơn) of a subtree
// for a year as XLSX. It leaves out every protected identity, and the
// personal data of cases outside the reader's own subtree.
func (h *Web) caseRegister(w http.ResponseWriter, r *http.Request, s *Session) error {
	u, year, err := h.unitYear(r, s)
	if err != nil {
		return err
	}
	today := h.today()
	t := sheet.TableSpec{
		Title:     fmt.Sprintf("Sổ theo dõi đơn thư năm %d — %s", year, u.Name),
		Subtitles: []string{"Xuất lúc " + vnTime(h.Now()) + ". Danh tính người tố cáo được giữ bí mật (Luật Tố cáo 2018, Điều 47)."},
		Header: []string{"Mã", "Ngày nhận", "Đơn vị", "Loại", "Lĩnh vực", "Người gửi", "Nội dung", "Tình trạng", "Cơ quan nhận",
			"Số công văn", "Ngày chuyển", "Hạn", "Ngày trả lời", "Bằng văn bản", "Ghi chú hạn"},
	}
	const batch = 1000
	for off := 0; ; off += batch {
		cs, err := h.Store.Cases(r.Context(), store.CaseFilter{Path: u.Path, Year: year, Limit: batch, Offset: off})
		if err != nil {
			return err
		}
		ids := make([]int64, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		petitioners, err := h.Store.PetitionersOf(r.Context(), ids)
		if err != nil {
			return err
		}
		for _, c := range cs {
			who := casework.Secret
			if !c.Info().Protected {
				ps := petitioners[c.ID]
				if !unit.InSubtree(s.User.Unit.Path, c.UnitPath) {
					ps = casework.Hidden(ps)
				}
				who = petitionerNames(ps)
			}
			d := func(x interface{ FormatVN() string }, zero bool) string {
				if zero {
					return ""
				}
				return x.FormatVN()
			}
			writing := ""
			if c.Status == casework.Answered {
				writing = map[bool]string{true: "Có", false: "Không"}[c.InWriting]
			}
			t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(c.Code), sheet.Text(c.Received.FormatVN()), sheet.Text(c.UnitName),
				sheet.Text(c.Kind.Label()), sheet.Text(casework.FieldLabel(c.Field)), sheet.Text(who), sheet.Text(c.Title),
				sheet.Text(c.Status.Label()), sheet.Text(c.Agency), sheet.Text(c.DispatchNo), sheet.Text(d(c.SentOn, c.SentOn.IsZero())),
				sheet.Text(d(c.Due, c.Due.IsZero())), sheet.Text(d(c.AnsweredOn, c.AnsweredOn.IsZero())), sheet.Text(writing),
				sheet.Text(daysText(c, today))})
		}
		if len(cs) < batch {
			break
		}
	}
	return sendTable(w, fmt.Sprintf("so-don-thu-%s-%d.xlsx", u.Code, year), t)
}

func petitionerNames(ps []casework.Petitioner) string {
	out := ""
	for i, p := range ps {
		if i > 0 {
			out += "; "
		}
		switch {
		case p.Anonymous:
			out += "Nặc danh"
		case p.Group && p.Members > 0:
			out += fmt.Sprintf("%s (%d người)", p.Name, p.Members)
		default:
			out += p.Name
		}
	}
	return out
}
