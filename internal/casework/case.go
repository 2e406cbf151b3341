package casework

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mattran/internal/calendar"
	"mattran/internal/errs"
	"mattran/internal/vn"
)

// Status is where a case stands.
type Status string

const (
	Received Status = "received"  // tiếp nhận, chưa xử lý
	Sent     Status = "forwarded" // đã chuyển cơ quan có thẩm quyền, chờ trả lời
	Guided   Status = "guided"    // đã hướng dẫn công dân
	Filed    Status = "filed"     // lưu đơn
	Answered Status = "answered"  // cơ quan đã trả lời
)

// Label is the status for users.
func (s Status) Label() string {
	switch s {
	case Received:
		return "Mới tiếp nhận"
	case Sent:
		return "Đã chuyển, chờ trả lời"
	case Guided:
		return "Đã hướng dẫn"
	case Filed:
		return "Lưu đơn"
	case Answered:
		return "Đã có trả lời"
	}
	return string(s)
}

// Open reports whether the case still waits for someone: the Front (to
// handle it) or the agency (to answer).
func (s Status) Open() bool { return s == Received || s == Sent }

// Statuses in list order.
var Statuses = []Status{Received, Sent, Answered, Guided, Filed}

// Secret is what anyone but the case's handlers sees of a protected identity.
const Secret = "[được giữ bí mật]"

// Petitioner is one person or group who filed a petition.
type Petitioner struct {
	Name      string `json:"name"`
	IDNumber  string `json:"idNumber,omitempty"`
	Address   string `json:"address,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Group     bool   `json:"group,omitempty"`     // a group (đơn tập thể); Name names it
	Members   int    `json:"members,omitempty"`   // how many people signed, for a group
	Anonymous bool   `json:"anonymous,omitempty"` // nặc danh: no name given
}

// Attachment is a file sent with a petition.
type Attachment struct {
	ID     int64
	Name   string
	Type   string // a MIME type from AllowedTypes
	Size   int64
	SHA256 string // hex
	Data   []byte // nil when only listed
}

// Case is one thing the Front follows up.
type Case struct {
	ID         int64
	Code       string // tracking code (mã tra cứu), printed on the receipt
	Kind       Kind
	UnitID     int64
	UnitPath   string
	UnitName   string
	ActivityID int64 // the session, supervision or meeting it came from; 0 if none
	Received   calendar.Date
	Channel    Channel
	Field      string
	Title      string // a one-line summary
	Content    string
	Status     Status
	Due        calendar.Date // zero: no deadline
	Circumstances
	Agency      string // the agency it was sent to
	DispatchNo  string // số công văn chuyển
	SentOn      calendar.Date
	AnsweredOn  calendar.Date
	InWriting   bool
	Summary     string // of the answer
	Outcome     string
	Published   bool // the answer shows on the public tracking page
	EscalatedTo int64
	Handler     string // the officer handling it (username)
	DuplicateOf int64
	Reminders   int
	// Petitioners are the people who filed it; for a protected kind they
	// are sealed (Sealed) and this is empty unless revealed.
	Petitioners []Petitioner
	Sealed      []byte
	Files       []Attachment
	CreatedAt   time.Time
}

// Overdue reports whether the case is open past its due date on today.
func (c Case) Overdue(today calendar.Date) bool {
	return c.Status.Open() && !c.Due.IsZero() && c.Due.Before(today)
}

// DaysLeft is the calendar days from today to the due date: negative when
// overdue. ok is false when there is nothing to count (closed, no due).
func (c Case) DaysLeft(today calendar.Date) (n int, ok bool) {
	if !c.Status.Open() || c.Due.IsZero() {
		return 0, false
	}
	return c.Due.Sub(today), true
}

// AnsweredLate reports whether the answer came after the due date.
func (c Case) AnsweredLate() bool {
	return c.Status == Answered && !c.Due.IsZero() && c.Due.Before(c.AnsweredOn)
}

// Info is the kind's row.
func (c Case) Info() KindInfo { k, _ := Lookup(c.Kind); return k }

// Limits on what an intake carries.
const (
	MaxTitle       = 300
	MaxContent     = 20000
	MaxName        = 200
	MaxText        = 500
	MaxPetitioners = 50
	MaxFiles       = 3       // a petition's form is at most 4 MB (web.maxAttachFormBytes)
	MaxFileSize    = 1 << 20 // 1 MB: a scanned page or two
)

// AllowedTypes are the attachment types accepted, by the file's leading
// bytes (the name and the browser's claim are not trusted).
var AllowedTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// Intake is a new case as typed on a form, sent to the API or filed online.
type Intake struct {
	Kind        Kind
	UnitCode    string
	Received    calendar.Date
	Channel     Channel
	Field       string
	Title       string
	Content     string
	Petitioners []Petitioner
	Circumstances
	Agency     string // for kinds sent on as they are created
	ActivityID int64
	// Due is a deadline set by whoever made the recommendation (an
	// inspection's conclusion gives each its own); zero: the kind's rule.
	// Only for kinds sent on as they are created.
	Due   calendar.Date
	Files []Attachment
}

// ParseIntake reads an intake from form fields (as a page or the public
// form posts them: kind, unit, received (dd/mm/yyyy or yyyy-mm-dd),
// channel, field, title, content, and per petitioner name_i, id_i,
// address_i, phone_i, group_i, members_i, anonymous_i for i = 1..). Every
// bad field is named in the error, in Vietnamese; nothing is half-read.
// It reads each field once: linear in the input.
func ParseIntake(f map[string][]string) (Intake, error) {
	r := &formReader{f: f}
	get, fail := r.get, r.fail
	in := Intake{
		Kind: Kind(get("kind")), UnitCode: get("unit"), Channel: Channel(get("channel")),
		Field: get("field"), Title: get("title"), Content: get("content"), Agency: get("agency"),
	}
	if _, ok := Lookup(in.Kind); !ok {
		fail("kind", "chọn loại đơn, vụ việc")
	}
	if in.Channel == "" {
		in.Channel = InPerson
	}
	if in.Channel.Label() == string(in.Channel) {
		fail("channel", "hình thức tiếp nhận không hợp lệ")
	}
	if in.Field == "" {
		in.Field = "khac"
	}
	if !validField(in.Field) {
		fail("field", "lĩnh vực không hợp lệ")
	}
	if r := get("received"); r != "" {
		d, err := ParseDay(r)
		if err != nil {
			fail("received", "ngày tiếp nhận phải có dạng dd/mm/yyyy")
		}
		in.Received = d
	}
	checkText := func(field, label, s string, max int, required bool) {
		switch {
		case required && s == "":
			fail(field, label+" không được để trống")
		case !utf8.ValidString(s):
			fail(field, label+" có ký tự không hợp lệ")
		case utf8.RuneCountInString(s) > max:
			fail(field, label+" dài quá "+vn.FormatInt(int64(max))+" ký tự")
		}
	}
	checkText("title", "Tóm tắt", in.Title, MaxTitle, false)
	checkText("content", "Nội dung", in.Content, MaxContent, true)
	checkText("agency", "Cơ quan", in.Agency, MaxText, false)
	if in.Title == "" && in.Content != "" && utf8.ValidString(in.Content) {
		in.Title = Shorten(in.Content, 120)
	}
	if a := get("activity"); a != "" {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			fail("activity", "buổi tiếp công dân không hợp lệ")
		}
		in.ActivityID = id
	}
	in.Complex = get("complex") != ""
	in.Remote = get("remote") != ""
	for i := 1; i <= MaxPetitioners+1; i++ {
		n := strconv.Itoa(i)
		p := Petitioner{Name: get("name_" + n), IDNumber: get("id_" + n), Address: get("address_" + n),
			Phone: get("phone_" + n), Group: get("group_"+n) != "", Anonymous: get("anonymous_"+n) != ""}
		if m := get("members_" + n); m != "" {
			k, err := strconv.Atoi(m)
			if err != nil || k < 1 || k > 100000 {
				fail("members_"+n, "số người ký của người gửi thứ "+n+" không hợp lệ")
			}
			p.Members = k
		}
		if p == (Petitioner{}) {
			if _, more := f["name_"+strconv.Itoa(i+1)]; !more {
				break
			}
			continue
		}
		if i > MaxPetitioners {
			fail("name_"+n, "nhiều nhất "+strconv.Itoa(MaxPetitioners)+" người gửi")
			break
		}
		lbl := " của người gửi thứ " + n
		checkText("name_"+n, "Họ tên"+lbl, p.Name, MaxName, !p.Anonymous)
		checkText("id_"+n, "Số định danh"+lbl, p.IDNumber, 20, false)
		checkText("address_"+n, "Địa chỉ"+lbl, p.Address, MaxText, false)
		checkText("phone_"+n, "Số điện thoại"+lbl, p.Phone, 20, false)
		if p.IDNumber != "" && !digitsOnly(p.IDNumber) {
			fail("id_"+n, "Số định danh"+lbl+" chỉ gồm chữ số")
		}
		if p.Anonymous {
			p.Name = ""
		}
		in.Petitioners = append(in.Petitioners, p)
	}
	if ki, ok := Lookup(in.Kind); ok && ki.Family == Petition && len(in.Petitioners) == 0 {
		fail("name_1", "ghi người gửi đơn (hoặc đánh dấu nặc danh)")
	}
	if err := r.err("Đơn chưa ghi được"); err != nil {
		return Intake{}, err
	}
	return in, nil
}

// ParseDay reads dd/mm/yyyy or yyyy-mm-dd.
func ParseDay(s string) (calendar.Date, error) {
	if d, err := calendar.ParseDate(s); err == nil {
		return d, nil
	}
	parts := strings.Split(s, "/")
	if len(parts) == 3 && len(parts[0]) <= 2 && len(parts[1]) <= 2 && len(parts[2]) == 4 {
		return calendar.ParseDate(parts[2] + "-" + pad2(parts[1]) + "-" + pad2(parts[0]))
	}
	return calendar.Date{}, errs.New(errs.Invalid, "ngày %q không hợp lệ", s)
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Shorten cuts s to at most n runes at a word, on one line.
func Shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndex(string(r), " "); i > n/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// ErrorText is the Vietnamese text of a refused intake's field.
func ErrorText(d errs.Detail) string { return d.Args.Text }

// formReader reads form fields and gathers what is wrong with them.
type formReader struct {
	f   map[string][]string
	bad []errs.Detail
}

func (r *formReader) get(k string) string {
	if v := r.f[k]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

func (r *formReader) fail(field, msg string) {
	r.bad = append(r.bad, errs.Detail{Field: field, Code: errs.FieldText, Args: errs.Args{Text: msg}})
}

// err is nil when nothing was wrong, else an Invalid error naming the
// first bad field in its message and all of them in its details.
func (r *formReader) err(what string) error {
	if len(r.bad) == 0 {
		return nil
	}
	return &errs.Error{Code: errs.Invalid, Message: what + ": " + r.bad[0].Args.Text + ".", Details: r.bad}
}
