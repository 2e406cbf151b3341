package casework

import (
	"context"
	"strings"
	"unicode/utf8"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/unit"
)

// ActivityKind is a kind of work of the Front that cases come out of.
type ActivityKind string

const (
	Reception    ActivityKind = "reception"     // buổi tiếp công dân (sổ tiếp công dân)
	Supervising  ActivityKind = "supervision"   // giám sát
	Criticising  ActivityKind = "criticism"     // phản biện xã hội
	Contributing ActivityKind = "contribution"  // góp ý xây dựng Đảng, chính quyền; góp ý dự thảo
	VoterMeeting ActivityKind = "voter_meeting" // tiếp xúc cử tri
	Conference   ActivityKind = "conference"    // hội nghị công khai kết quả giải quyết vụ việc
)

// ActivityInfo is one row of the activities table: its label and the kind
// of case each of its recommendations becomes (none for a conference).
type ActivityInfo struct {
	Kind     ActivityKind
	Label    string
	CaseKind Kind
}

var activities = []ActivityInfo{
	{Reception, "Tiếp công dân", ""},
	{Supervising, "Giám sát", SupervisionRec},
	{Criticising, "Phản biện xã hội", CriticismRec},
	{Contributing, "Góp ý xây dựng Đảng, chính quyền", CriticismRec},
	{VoterMeeting, "Tiếp xúc cử tri", VoterOpinion},
	{Conference, "Hội nghị công khai kết quả giải quyết vụ việc", ""},
}

// Activities returns the activities table.
func Activities() []ActivityInfo { return append([]ActivityInfo(nil), activities...) }

// LookupActivity returns an activity kind's row.
func LookupActivity(k ActivityKind) (ActivityInfo, bool) {
	for _, a := range activities {
		if a.Kind == k {
			return a, true
		}
	}
	return ActivityInfo{}, false
}

// SupervisionForms are the four forms of NQLT 403/2017.
var SupervisionForms = []struct{ Code, Label string }{
	{"nghien_cuu_van_ban", "Nghiên cứu, xem xét văn bản"},
	{"doan_giam_sat", "Tổ chức đoàn giám sát"},
	{"qua_ban", "Thông qua hoạt động của Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng"},
	{"tham_gia", "Tham gia giám sát với cơ quan nhà nước"},
}

// Activity is one session, supervision, draft, meeting or conference.
type Activity struct {
	ID       int64
	Kind     ActivityKind
	UnitID   int64
	UnitPath string
	UnitName string
	Held     calendar.Date
	Title    string
	Place    string
	// Detail holds the kind's own fields: officer and citizens (a
	// reception); plan, form, agency, findings (a supervision); the draft
	// and the drafting body (criticism); deputies and voters present (a
	// voter meeting); participants (a conference).
	Detail    map[string]string
	CreatedBy string
	Cases     []Case
}

// DetailFields are the fields an activity of each kind records, in form order.
var DetailFields = map[ActivityKind][]struct{ Key, Label string }{
	Reception:    {{"officer", "Người tiếp"}, {"citizens", "Công dân (một người hoặc đoàn)"}, {"content", "Nội dung"}},
	Supervising:  {{"plan", "Kế hoạch số"}, {"form", "Hình thức"}, {"agency", "Cơ quan được giám sát"}, {"to", "Đến ngày"}, {"findings", "Kết quả, phát hiện"}},
	Criticising:  {{"draft", "Dự thảo"}, {"agency", "Cơ quan chủ trì soạn thảo"}, {"opinions", "Ý kiến đã nêu"}},
	Contributing: {{"draft", "Nội dung góp ý"}, {"agency", "Cơ quan nhận góp ý"}, {"opinions", "Ý kiến đã nêu"}},
	VoterMeeting: {{"deputies", "Đại biểu dự"}, {"voters", "Số cử tri dự"}, {"agency", "Cơ quan nhận kiến nghị"}},
	Conference:   {{"participants", "Thành phần"}, {"cases", "Vụ việc được công khai"}},
}

// NewActivity is an activity as a form sends it: its fields and its
// recommendations, one per line, each becoming a case sent to Agency.
type NewActivity struct {
	Kind            ActivityKind
	Held            calendar.Date
	Title, Place    string
	Detail          map[string]string
	Agency          string
	Recommendations []string
}

// ParseActivity reads an activity from form fields.
func ParseActivity(f map[string][]string) (NewActivity, error) {
	r := &formReader{f: f}
	get, fail := r.get, r.fail
	n := NewActivity{Kind: ActivityKind(get("kind")), Title: get("title"), Place: get("place"), Detail: map[string]string{}}
	info, ok := LookupActivity(n.Kind)
	if !ok {
		fail("kind", "chọn loại hoạt động")
	}
	if d, err := ParseDay(get("held")); err != nil {
		fail("held", "ngày phải có dạng dd/mm/yyyy")
	} else {
		n.Held = d
	}
	text := func(field, label, s string, max int) {
		if !utf8.ValidString(s) {
			fail(field, label+" có ký tự không hợp lệ")
		} else if utf8.RuneCountInString(s) > max {
			fail(field, label+" quá dài")
		}
	}
	if n.Title == "" {
		fail("title", "Tên, nội dung hoạt động không được để trống")
	}
	text("title", "Tên hoạt động", n.Title, MaxTitle)
	text("place", "Địa điểm", n.Place, MaxText)
	for _, df := range DetailFields[n.Kind] {
		v := get(df.Key)
		text(df.Key, df.Label, v, MaxContent)
		if v != "" {
			n.Detail[df.Key] = v
		}
	}
	n.Agency = n.Detail["agency"]
	recs := get("recommendations")
	text("recommendations", "Kiến nghị", recs, MaxContent)
	for _, line := range strings.Split(recs, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			n.Recommendations = append(n.Recommendations, line)
		}
	}
	if len(n.Recommendations) > 100 {
		fail("recommendations", "nhiều nhất 100 kiến nghị mỗi hoạt động")
	}
	if ok && len(n.Recommendations) > 0 && info.CaseKind == "" {
		fail("recommendations", info.Label+" không có kiến nghị theo dõi")
	}
	if len(n.Recommendations) > 0 && n.Agency == "" {
		fail("agency", "ghi cơ quan nhận kiến nghị")
	}
	if err := r.err("Chưa ghi được hoạt động"); err != nil {
		return NewActivity{}, err
	}
	return n, nil
}

// Record stores an activity and opens a case for each recommendation.
func Record(ctx context.Context, tx Tx, a audit.Actor, handler string, u unit.Unit, n NewActivity) (Activity, error) {
	return record(ctx, tx, a, handler, u, n, nil)
}

func record(ctx context.Context, tx Tx, a audit.Actor, handler string, u unit.Unit, n NewActivity, p pending) (Activity, error) {
	info, ok := LookupActivity(n.Kind)
	if !ok {
		return Activity{}, errs.New(errs.Invalid, "loại hoạt động %q không có", n.Kind)
	}
	today := calendar.DateOf(clock.InVietnam(tx.Now()))
	if n.Held.IsZero() || n.Held.After(today) {
		return Activity{}, errs.New(errs.Invalid, "ngày hoạt động phải là một ngày đã qua")
	}
	if !u.ValidOn(n.Held.String()) {
		return Activity{}, errs.New(errs.Invalid, "đơn vị %s không tồn tại ngày %s", u.Name, n.Held.FormatVN())
	}
	act := Activity{Kind: n.Kind, UnitID: u.ID, UnitPath: u.Path, UnitName: u.Name, Held: n.Held, Title: n.Title,
		Place: n.Place, Detail: n.Detail, CreatedBy: handler}
	if err := tx.InsertActivity(ctx, a, &act); err != nil {
		return Activity{}, err
	}
	for _, r := range n.Recommendations {
		c, err := open(ctx, tx, a, handler, u, Intake{Kind: info.CaseKind, Received: n.Held, Channel: FromActivity,
			Field: "khac", Title: Shorten(r, 120), Content: r, Agency: n.Agency, ActivityID: act.ID}, nil, p)
		if err != nil {
			return Activity{}, err
		}
		act.Cases = append(act.Cases, c)
	}
	if len(n.Recommendations) == 0 {
		if err := p.note(ctx, tx, u, n.Held.Year()); err != nil {
			return Activity{}, err
		}
	}
	return act, nil
}
