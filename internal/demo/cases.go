package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/unit"
)

// The demo's casework: a year of petitions, supervisions, criticism,
// voter meetings and conferences at every province, district and commune
// of a world, so that T3.1–T3.5 are computed from them. Most petitions
// are forwarded and answered, some late, some still open past their due
// date; one denunciation carries a protected identity, handled by the
// new ward's officer (canbo.phuong).

// Casework volumes per unit and year.
const (
	petitionsProvince = 24
	petitionsDistrict = 10
	petitionsCommune  = 3
)

// DenunciationUnit is the ward whose officer handles the demo's denunciation.
const DenunciationUnit = "07210"

var (
	surnames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"}
	middles  = []string{"Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Hữu", "Ngọc"}
	givens   = []string{"An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương", "Sơn", "Thảo", "Tuấn", "Yến"}
	subjects = map[string][]string{
		"dat_dai":    {"Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình", "Tranh chấp ranh giới đất ở giữa hai hộ liền kề", "Khiếu nại mức bồi thường khi thu hồi đất làm đường"},
		"chinh_sach": {"Đề nghị xét hưởng trợ cấp người có công", "Chậm chi trả trợ cấp người cao tuổi", "Đề nghị xét hộ cận nghèo"},
		"moi_truong": {"Ô nhiễm mùi từ trang trại chăn nuôi gần khu dân cư", "Rác thải đổ trộm ven kênh", "Khói bụi từ cơ sở sản xuất gạch"},
		"xay_dung":   {"Công trình xây dựng lấn chiếm hành lang đường", "Đường liên thôn xuống cấp chưa được sửa", "Nhà văn hóa thôn xây dựng chậm tiến độ"},
		"an_sinh":    {"Đề nghị hỗ trợ hộ có hoàn cảnh khó khăn sửa nhà", "Đề nghị cấp thẻ bảo hiểm y tế cho trẻ em", "Hỗ trợ học bổng cho học sinh nghèo"},
		"hanh_chinh": {"Thủ tục chứng thực kéo dài", "Thái độ tiếp dân của cán bộ một cửa", "Chậm giải quyết hồ sơ đăng ký hộ tịch"},
	}
	fields = []string{"dat_dai", "chinh_sach", "moi_truong", "xay_dung", "an_sinh", "hanh_chinh"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func personName(r *rand.Rand) string {
	return pick(r, surnames) + " " + pick(r, middles) + " " + pick(r, givens)
}

// cases fills a world's casework over every year whose T3 figures it
// computes (those after the program's typed years) up to the world's end
// or today: the old tree's 2024, the new tree's months of 2025 and this
// year. Each year gets a year's volume, in proportion to the days it
// covers, so a year's figures read as a year's work.
func (l *loader) cases(ctx context.Context, w *World, seed uint64, denounce bool) error {
	cal, err := l.s.Calendar(ctx)
	if err != nil {
		return err
	}
	today := calendar.MustParseDate(l.today)
	last := calendar.MustParseDate(w.To.EndDate())
	if today.Before(last) {
		last = today
	}
	// The last day drawn is a working day, so that moving a drawn day off
	// a weekend or holiday never lands after today (the demo run on a
	// Saturday drew next Monday's activities and refused them).
	for !cal.IsWorkday(last) {
		last = last.AddDays(-1)
	}
	first := calendar.MustParseDate(w.From.StartDate())
	if y := firstComputedYear(w.Program, "casework"); first.Year() < y {
		first = calendar.MustParseDate(fmt.Sprintf("%d-01-01", y))
	}
	r := rand.New(rand.NewPCG(seed, 2026))
	var acts []casework.ActivitySeed
	var seeds []casework.Seed
	for y := first.Year(); y <= last.Year(); y++ {
		from, to := first, last
		if start := calendar.MustParseDate(fmt.Sprintf("%d-01-01", y)); from.Before(start) {
			from = start
		}
		if end := calendar.MustParseDate(fmt.Sprintf("%d-12-31", y)); end.Before(to) {
			to = end
		}
		if to.Before(from) {
			continue
		}
		share := float64(to.Sub(from)+1) / 365
		day := func() calendar.Date {
			d := cal.NextWorkday(from.AddDays(r.IntN(to.Sub(from) + 1)))
			if to.Before(d) {
				d = cal.NextWorkday(from) // a holiday at the year's end
			}
			return d
		}
		for _, u := range w.Tree {
			var n int
			switch u.Kind {
			case unit.Province:
				n = petitionsProvince
			case unit.District:
				n = petitionsDistrict
			case unit.Commune:
				n = petitionsCommune
			default:
				continue
			}
			for _, a := range activitiesOf(r, u, day) {
				// The agencies answer most recommendations, some late, a few never.
				for range a.Activity.Recommendations {
					a.Actions = append(a.Actions, answerOf(r, cal, a.Activity.Held, today))
				}
				acts = append(acts, a)
			}
			for range max(1, int(math.Round(float64(n)*share))) {
				if s, ok := l.petition(r, cal, u, day(), today); ok {
					seeds = append(seeds, s)
				}
			}
		}
	}
	if denounce {
		if s, ok := l.denunciation(ctx, cal, today); ok {
			seeds = append(seeds, s)
		}
	}
	sealer, err := casework.SealerFromEnv()
	if err != nil {
		return err
	}
	if sealer == nil {
		// No key set: the demo's denunciation is sealed with a key of its
		// own, which nobody keeps; the demo command sets one it keeps.
		key, _ := casework.ParseKey(casework.NewKeyText())
		sealer, _ = casework.NewSealer(key)
	}
	return l.s.WithTx(ctx, func(tx *store.Tx) error {
		return casework.Load(ctx, tx, l.actor, acts, seeds, sealer)
	})
}

// firstComputedYear is the first year whose figures of a module
// (casework, fund) no one typed: the year after the last typed_until of
// the program's elements derived from it.
func firstComputedYear(p *program.Program, module string) int {
	y := 0
	for _, e := range p.DataElements {
		if e.Source == "derived:"+module {
			y = max(y, e.TypedUntil+1)
		}
	}
	return y
}

// petition is a petition received on day at u, and what became of it by today.
func (l *loader) petition(r *rand.Rand, cal *calendar.Calendar, u unit.Unit, received, today calendar.Date) (casework.Seed, bool) {
	if received.After(today) {
		return casework.Seed{}, false
	}
	field := pick(r, fields)
	kind := casework.Recommendation
	switch x := r.IntN(10); {
	case x < 3:
		kind = casework.Complaint
	case x < 6:
		kind = casework.Reflection
	}
	p := casework.Petitioner{Name: personName(r), Address: "Thôn " + fmt.Sprint(1+r.IntN(12)) + ", " + shortName(u),
		IDNumber: fmt.Sprintf("0240%08d", r.IntN(1e8))}
	switch x := r.IntN(20); {
	case x == 0:
		p = casework.Petitioner{Anonymous: true}
	case x < 3:
		p = casework.Petitioner{Name: "Các hộ dân thôn " + fmt.Sprint(1+r.IntN(12)), Group: true, Members: 5 + r.IntN(40)}
	}
	channel := pick(r, []casework.Channel{casework.InPerson, casework.InPerson, casework.Post, casework.Email, casework.Forwarded, casework.Online})
	s := casework.Seed{Unit: u, Handler: "demo", Intake: casework.Intake{Kind: kind, Received: received, Channel: channel, Field: field,
		Content: pick(r, subjects[field]) + " (" + shortName(u) + ").", Petitioners: []casework.Petitioner{p}}}
	age := today.Sub(received)
	if age < 3 || r.IntN(20) == 0 {
		return s, true // still waiting for the Front
	}
	switch r.IntN(20) {
	case 0:
		s.Actions = append(s.Actions, casework.Action{Name: casework.Guide, On: received.AddDays(1), Note: "Hướng dẫn công dân gửi đơn đến cơ quan có thẩm quyền"})
		return s, true
	case 1:
		s.Actions = append(s.Actions, casework.Action{Name: casework.File, On: received.AddDays(1), Note: "Đơn trùng nội dung đã giải quyết"})
		return s, true
	}
	sent := cal.NextWorkday(received.AddDays(1 + r.IntN(4)))
	if sent.After(today) {
		return s, true
	}
	s.Actions = append(s.Actions, casework.Action{Name: casework.Forward, On: sent, Agency: agencyFor(r, u, field),
		DispatchNo: fmt.Sprintf("%d/MTTQ-BTT", 10+r.IntN(400))})
	ki, _ := casework.Lookup(kind)
	due, _, err := casework.AnswerDue(cal, ki, received, sent, casework.Circumstances{})
	if err != nil {
		return s, true
	}
	// Most agencies answer in time, some late, a few never.
	var answered calendar.Date
	switch x := r.IntN(20); {
	case x < 13:
		answered = sent.AddDays(3 + r.IntN(max(1, due.Sub(sent)-2)))
	case x < 17:
		answered = due.AddDays(3 + r.IntN(25))
	}
	if answered.IsZero() || answered.After(today) {
		if due.Before(today) && r.IntN(2) == 0 {
			s.Actions = append(s.Actions, casework.Action{Name: casework.Remind, On: due.AddDays(1), Note: "Công văn đôn đốc"})
		}
		return s, true
	}
	answered = cal.NextWorkday(answered)
	if answered.After(today) {
		return s, true
	}
	s.Actions = append(s.Actions, casework.Action{Name: casework.Answer, On: answered, InWriting: r.IntN(10) < 8,
		Summary: "Cơ quan đã xem xét và trả lời công dân", Outcome: pick(r, []string{"Đã giải quyết xong", "Giải quyết một phần", "Không có cơ sở giải quyết"}),
		Published: true})
	return s, true
}

// answerOf is an agency's written answer to a recommendation sent on
// sent: in time for most, late for some, none for a few.
func answerOf(r *rand.Rand, cal *calendar.Calendar, sent, today calendar.Date) []casework.Action {
	var on calendar.Date
	switch x := r.IntN(20); {
	case x < 15:
		on = sent.AddDays(5 + r.IntN(20))
	case x < 18:
		on = sent.AddDays(35 + r.IntN(60))
	default:
		return nil
	}
	if on = cal.NextWorkday(on); on.After(today) {
		return nil
	}
	return []casework.Action{{Name: casework.Answer, On: on, InWriting: true, Summary: "Cơ quan đã tiếp thu và trả lời bằng văn bản", Published: true}}
}

func agencyFor(r *rand.Rand, u unit.Unit, field string) string {
	name := shortName(u)
	switch u.Kind {
	case unit.Province:
		return pick(r, []string{"UBND tỉnh", "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Thanh tra tỉnh", "Sở Y tế"})
	case unit.District:
		if field == "dat_dai" || field == "moi_truong" {
			return "Phòng Tài nguyên và Môi trường " + name
		}
		return pick(r, []string{"UBND " + name, "Thanh tra " + name, "Phòng Lao động - Thương binh và Xã hội " + name})
	}
	return "UBND " + u.Name
}

// activitiesOf are a unit's activities of the year: supervision with its
// recommendations, criticism and opinions on drafts, a voter meeting, the
// district's conferences, and reception sessions.
func activitiesOf(r *rand.Rand, u unit.Unit, day func() calendar.Date) []casework.ActivitySeed {
	var out []casework.ActivitySeed
	add := func(kind casework.ActivityKind, n int, title, agency string, recs []string) {
		for i := range n {
			a := casework.NewActivity{Kind: kind, Held: day(), Title: fmt.Sprintf("%s (%d)", title, i+1), Place: "Trụ sở " + u.Name,
				Detail: map[string]string{"agency": agency}, Agency: agency}
			if kind == casework.Supervising {
				a.Detail["form"] = pick(r, casework.SupervisionForms).Code
				a.Detail["findings"] = "Cơ bản thực hiện đúng quy định; còn chậm ở một số hồ sơ."
			}
			if len(recs) > 0 {
				a.Recommendations = recs[:1+r.IntN(len(recs))]
			}
			out = append(out, casework.ActivitySeed{Unit: u, Handler: "demo", Activity: a})
		}
	}
	agency := "UBND " + u.Name
	recs := []string{"Công khai danh sách hộ được hỗ trợ", "Chi trả đúng thời hạn", "Rà soát hồ sơ còn tồn đọng"}
	switch u.Kind {
	case unit.Province:
		add(casework.Supervising, 3, "Giám sát việc thực hiện chính sách an sinh xã hội", "UBND tỉnh", recs)
		add(casework.Criticising, 2, "Phản biện dự thảo nghị quyết của HĐND tỉnh", "Văn phòng HĐND tỉnh", []string{"Bổ sung đánh giá tác động"})
		add(casework.Contributing, 6, "Góp ý xây dựng Đảng, xây dựng chính quyền", "Tỉnh ủy", nil)
		add(casework.VoterMeeting, 2, "Tiếp xúc cử tri trước kỳ họp", "UBND tỉnh", []string{"Sửa chữa đường tỉnh lộ", "Nâng cấp trạm y tế", "Giải quyết ngập úng"})
	case unit.District:
		add(casework.Supervising, 2, "Giám sát công tác quản lý đất đai", agency, recs)
		add(casework.Contributing, 5, "Góp ý dự thảo văn kiện", "Huyện ủy", nil)
		add(casework.Conference, 2, "Hội nghị công khai kết quả giải quyết vụ việc", agency, nil)
		add(casework.VoterMeeting, 1, "Tiếp xúc cử tri", agency, []string{"Cải tạo kênh mương nội đồng"})
	case unit.Commune:
		add(casework.Supervising, 1, "Giám sát thu, chi các khoản đóng góp của nhân dân", agency, recs[:2])
		add(casework.Criticising, 1, "Phản biện dự thảo quy hoạch khu dân cư", agency, nil)
		add(casework.Contributing, 1, "Góp ý xây dựng chính quyền cơ sở", "Đảng ủy "+u.Name, nil)
		add(casework.Reception, 2, "Tiếp công dân định kỳ", "", nil)
	}
	return out
}

// denunciation is the demo's one denunciation, to the new ward of
// DenunciationUnit, received a month ago and forwarded: its denouncer's
// identity is sealed, readable only by canbo.phuong.
func (l *loader) denunciation(ctx context.Context, cal *calendar.Calendar, today calendar.Date) (casework.Seed, bool) {
	u, err := l.s.UnitAt(ctx, DenunciationUnit, l.today)
	if err != nil {
		return casework.Seed{}, false
	}
	received := cal.NextWorkday(today.AddDays(-30))
	return casework.Seed{Unit: u, Handler: "canbo.phuong", Intake: casework.Intake{Kind: casework.Denunciation, Received: received,
		Channel: casework.InPerson, Field: "tham_nhung",
		Content:     "Tố cáo cán bộ địa chính nhận tiền của người dân để đẩy nhanh hồ sơ cấp giấy chứng nhận quyền sử dụng đất.",
		Petitioners: []casework.Petitioner{{Name: "Trịnh Thị Tố Giác", IDNumber: "024190012345", Address: "Tổ dân phố số 3", Phone: "0912000111"}}},
		Actions: []casework.Action{{Name: casework.Forward, On: cal.NextWorkday(received.AddDays(2)), Agency: "Thanh tra tỉnh Bắc Ninh", DispatchNo: "88/MTTQ-BTT"}}}, true
}
