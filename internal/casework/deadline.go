package casework

import (
	"mattran/internal/calendar"
	"mattran/internal/errs"
)

// The rules' keys. A rule may change on a date: the table holds one row per
// key and effective date, and a case keeps the rule in force on the day it
// was received.
const (
	RuleReception           = "tiep_cong_dan"
	RuleComplaintAccept     = "khieu_nai_thu_ly"
	RuleComplaintDecide     = "khieu_nai_giai_quyet"
	RuleComplaintReport     = "khieu_nai_bao_mat_tran"
	RuleDenunciationInitial = "to_cao_xu_ly_ban_dau"
	RuleDenunciationForward = "to_cao_chuyen"
	RuleDenunciationResolve = "to_cao_giai_quyet"
	RuleDenunciationNotify  = "to_cao_bao_noi_chuyen"
	RulePetitionAnswer      = "kien_nghi_tra_loi"
	RuleSupervisionAnswer   = "giam_sat_tra_loi"
	RuleCriticismAnswer     = "phan_bien_tra_loi"
	RuleVoterAnswer         = "cu_tri_tra_loi"
	RuleInspectionDone      = "kiem_tra_thuc_hien"
)

// Unverified marks a source the team could not check against the
// published text: the figure is what the issue asked for.
const Unverified = "cần kiểm tra lại"

// Rule is a legal time limit: so many working or calendar days from an
// event, in force from a date.
type Rule struct {
	Key     string
	Label   string
	From    calendar.Date // in force for cases received on or after it; zero: always
	Days    int
	Working bool // working days (the calendar's), else calendar days
	// Complex and Remote are the longer limits for complex cases and for
	// remote areas, where the law gives them (0: the same as Days).
	Complex, Remote, RemoteComplex int
	// Extension is how many days each extension adds, and MaxExtensions
	// how many the law allows.
	Extension, MaxExtensions int
	Source                   string
	Verified                 bool // false: Unverified
}

var july2026 = calendar.MustParseDate("2026-07-01")

// rules is the table of time limits, by key then effective date.
var rules = []Rule{
	{Key: RuleReception, Label: "Trả lời công dân tại nơi tiếp công dân: thụ lý, chuyển đơn hoặc không thụ lý",
		Days: 10, Working: true, Source: "Luật Tiếp công dân 2013, Điều 28", Verified: true},
	{Key: RuleComplaintAccept, Label: "Thụ lý giải quyết khiếu nại",
		Days: 10, Source: "Luật Khiếu nại 2011, Điều 27", Verified: true},
	{Key: RuleComplaintAccept, Label: "Thụ lý giải quyết khiếu nại", From: july2026,
		Days: 7, Working: true, Source: "Nghị định 155/2026/NĐ-CP (theo đề bài; " + Unverified + ")"},
	{Key: RuleComplaintDecide, Label: "Giải quyết khiếu nại lần đầu",
		Days: 30, Complex: 45, Remote: 45, RemoteComplex: 60, Source: "Luật Khiếu nại 2011, Điều 28", Verified: true},
	{Key: RuleComplaintReport, Label: "Thông báo kết quả giải quyết khiếu nại do Mặt trận chuyển đến",
		Days: 7, Source: "Luật Khiếu nại 2011, Điều 66 (" + Unverified + ")"},
	{Key: RuleDenunciationInitial, Label: "Xử lý ban đầu thông tin tố cáo",
		Days: 7, Working: true, Source: "Luật Tố cáo 2018, Điều 24", Verified: true},
	{Key: RuleDenunciationForward, Label: "Chuyển tố cáo không thuộc thẩm quyền",
		Days: 5, Working: true, Source: "Luật Tố cáo 2018, Điều 24", Verified: true},
	{Key: RuleDenunciationResolve, Label: "Giải quyết tố cáo",
		Days: 30, Extension: 30, MaxExtensions: 2, Source: "Luật Tố cáo 2018, Điều 30", Verified: true},
	{Key: RuleDenunciationNotify, Label: "Thông báo kết quả cho cơ quan, tổ chức đã chuyển tố cáo",
		Days: 20, Source: "Luật Tố cáo 2018, Điều 26 (" + Unverified + ")"},
	{Key: RulePetitionAnswer, Label: "Trả lời kiến nghị, phản ánh do Mặt trận chuyển đến",
		Days: 30, Source: "mặc định của hệ thống, chưa có thời hạn luật định riêng (" + Unverified + ")"},
	{Key: RuleSupervisionAnswer, Label: "Trả lời kiến nghị sau giám sát",
		Days: 30, Source: "Nghị quyết liên tịch 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN (" + Unverified + ")"},
	{Key: RuleCriticismAnswer, Label: "Cơ quan chủ trì soạn thảo trả lời bằng văn bản ý kiến phản biện",
		Days: 30, Source: "Nghị quyết liên tịch 403/2017 (" + Unverified + ")"},
	{Key: RuleVoterAnswer, Label: "Trả lời kiến nghị của cử tri",
		Days: 60, Source: "Quyết định 30/2020 (theo đề bài; " + Unverified + ")"},
	{Key: RuleInspectionDone, Label: "Đơn vị được kiểm tra báo cáo thực hiện kiến nghị",
		Days: 30, Source: "mặc định của hệ thống (" + Unverified + ")"},
}

// Rules returns the table of time limits, in its order.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// RuleAt returns the rule of key in force for a case received on day.
func RuleAt(key string, day calendar.Date) (Rule, error) {
	var best Rule
	found := false
	for _, r := range rules {
		if r.Key == key && !day.Before(r.From) && (!found || best.From.Before(r.From)) {
			best, found = r, true
		}
	}
	if !found {
		return Rule{}, errs.New(errs.Internal, "không có quy tắc thời hạn %q cho ngày %s", key, day.FormatVN())
	}
	return best, nil
}

// Circumstances lengthen some limits.
type Circumstances struct {
	Complex    bool // vụ việc phức tạp
	Remote     bool // vùng sâu, vùng xa đi lại khó khăn
	Extensions int  // times the resolution was extended
}

// Limit is the number of days the rule gives in these circumstances.
func (r Rule) Limit(c Circumstances) int {
	n := r.Days
	switch {
	case c.Remote && c.Complex && r.RemoteComplex > 0:
		n = r.RemoteComplex
	case c.Remote && r.Remote > 0:
		n = r.Remote
	case c.Complex && r.Complex > 0:
		n = r.Complex
	}
	ext := min(c.Extensions, r.MaxExtensions)
	return n + ext*r.Extension
}

// End is the last day of the limit counted from start: the day start
// itself does not count (Bộ luật Dân sự 2015, Điều 147); a limit in
// calendar days that ends on a day off ends on the next working day
// (Điều 148 khoản 5).
func (r Rule) End(cal *calendar.Calendar, start calendar.Date, c Circumstances) (calendar.Date, error) {
	n := r.Limit(c)
	if r.Working {
		return cal.AddWorkdays(start, n)
	}
	return cal.NextWorkday(start.AddDays(n)), nil
}

// Step is one limit of a chain and the day it ends.
type Step struct {
	Rule Rule
	End  calendar.Date
}

// Chain applies the rules one after another from start, each in the
// version in force on received: the first ends counted from start, each
// next from the end of the one before.
func Chain(cal *calendar.Calendar, keys []string, received, start calendar.Date, c Circumstances) ([]Step, error) {
	var out []Step
	at := start
	for _, k := range keys {
		r, err := RuleAt(k, received)
		if err != nil {
			return nil, err
		}
		end, err := r.End(cal, at, c)
		if err != nil {
			return nil, err
		}
		out = append(out, Step{Rule: r, End: end})
		at = end
	}
	return out, nil
}

// IntakeDue is the day by which the Front must have handled a case
// received on received (answered the citizen, forwarded it); zero for a
// kind sent on as it is created.
func IntakeDue(cal *calendar.Calendar, k KindInfo, received calendar.Date) (calendar.Date, error) {
	if k.Intake == "" {
		return calendar.Date{}, nil
	}
	steps, err := Chain(cal, []string{k.Intake}, received, received, Circumstances{})
	if err != nil {
		return calendar.Date{}, err
	}
	return steps[0].End, nil
}

// AnswerDue is the day by which the agency's answer is due for a case of
// kind k received on received and sent to the agency on sent.
func AnswerDue(cal *calendar.Calendar, k KindInfo, received, sent calendar.Date, c Circumstances) (calendar.Date, []Step, error) {
	steps, err := Chain(cal, k.Answer, received, sent, c)
	if err != nil || len(steps) == 0 {
		return calendar.Date{}, steps, err
	}
	return steps[len(steps)-1].End, steps, nil
}
