package casework

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// Module names the figures casework derives (derived:casework).
const Module = "casework"

// Tx is the transaction the workflow runs in (store.Tx implements it).
type Tx interface {
	Now() time.Time
	Calendar(ctx context.Context) (*calendar.Calendar, error)
	// InsertCase stores a new case (its ID set on return) with its
	// petitioners and files, and audits it.
	InsertCase(ctx context.Context, a audit.Actor, c *Case) error
	// Case reads a case, without its files' data.
	Case(ctx context.Context, id int64) (Case, error)
	// UpdateCase writes the case's new state, the event and the audit
	// entry (before and after as AuditView).
	UpdateCase(ctx context.Context, a audit.Actor, before, after Case, ev Event) error
	// InsertActivity stores an activity (its ID set on return) and audits it.
	InsertActivity(ctx context.Context, a audit.Actor, act *Activity) error
	// CaseCounts are the counts behind T3.1–T3.5 of the units in paths
	// (each unit's own, not its subtree's) for a year, as of today.
	CaseCounts(ctx context.Context, paths []string, year int, today calendar.Date) ([]Counts, error)
	// Elements are the stored data elements by code.
	Elements(ctx context.Context) (map[string]*value.Element, error)
	// UnitByID reads a unit.
	UnitByID(ctx context.Context, id int64) (unit.Unit, error)
	WriteDerived(ctx context.Context, module string, rows []value.Row) (value.Summary, error)
}

// Event is one step in a case's history.
type Event struct {
	Action ActionName
	On     calendar.Date
	Note   string
}

// ActionName names what an officer does with a case.
type ActionName string

const (
	Take     ActionName = "take"     // nhận xử lý: the officer becomes the handler
	Forward  ActionName = "forward"  // chuyển đơn
	Guide    ActionName = "guide"    // hướng dẫn
	File     ActionName = "file"     // lưu đơn
	Answer   ActionName = "answer"   // ghi nhận trả lời
	Remind   ActionName = "remind"   // đôn đốc
	Escalate ActionName = "escalate" // đề nghị cấp trên
	Extend   ActionName = "extend"   // gia hạn giải quyết
	Link     ActionName = "link"     // xác nhận trùng đơn
	Create   ActionName = "create"
)

// Label is the action for users.
func (n ActionName) Label() string {
	switch n {
	case Take:
		return "Nhận xử lý"
	case Forward:
		return "Chuyển đơn"
	case Guide:
		return "Hướng dẫn công dân"
	case File:
		return "Lưu đơn"
	case Answer:
		return "Ghi nhận trả lời"
	case Remind:
		return "Đôn đốc"
	case Escalate:
		return "Đề nghị cấp trên"
	case Extend:
		return "Gia hạn giải quyết"
	case Link:
		return "Xác nhận trùng đơn"
	case Create:
		return "Tiếp nhận"
	}
	return string(n)
}

// Action is an officer's action on a case, as a form or the API sends it.
type Action struct {
	Name       ActionName
	On         calendar.Date // the day it happened; today when zero
	Agency     string
	DispatchNo string
	InWriting  bool
	Summary    string
	Outcome    string
	Published  bool
	Note       string
	Handler    string // Take: the user taking it
	ToUnit     unit.Unit
	Duplicate  int64
}

// Open records a new case from an intake, at unit u, by actor a. A
// protected kind needs a sealer: its petitioners are sealed before they
// reach the transaction.
func Open(ctx context.Context, tx Tx, a audit.Actor, handler string, u unit.Unit, in Intake, s *Sealer) (Case, error) {
	return open(ctx, tx, a, handler, u, in, s, nil)
}

func open(ctx context.Context, tx Tx, a audit.Actor, handler string, u unit.Unit, in Intake, s *Sealer, p pending) (Case, error) {
	ki, ok := Lookup(in.Kind)
	if !ok {
		return Case{}, errs.New(errs.Invalid, "loại vụ việc %q không có", in.Kind)
	}
	// Lists show a case by its summary line; one taken in without it (the
	// API, a loaded batch) is summed up by its content's start, as the form does.
	if in.Title == "" {
		in.Title = Shorten(in.Content, 120)
	}
	today := calendar.DateOf(clock.InVietnam(tx.Now()))
	if in.Received.IsZero() {
		in.Received = today
	}
	if in.Received.After(today) {
		return Case{}, errs.New(errs.Invalid, "ngày tiếp nhận %s chưa tới", in.Received.FormatVN())
	}
	if !u.ValidOn(in.Received.String()) {
		return Case{}, errs.New(errs.Invalid, "đơn vị %s không tồn tại ngày %s", u.Name, in.Received.FormatVN())
	}
	cal, err := tx.Calendar(ctx)
	if err != nil {
		return Case{}, err
	}
	c := Case{Code: NewCode(), Kind: in.Kind, UnitID: u.ID, UnitPath: u.Path, UnitName: u.Name, ActivityID: in.ActivityID,
		Received: in.Received, Channel: in.Channel, Field: in.Field, Title: in.Title, Content: in.Content,
		Status: Received, Circumstances: in.Circumstances, Handler: handler}
	if ki.Intake == "" {
		// Sent on as it is made (a supervision's recommendation).
		c.Status, c.SentOn, c.Agency = Sent, in.Received, in.Agency
		if c.Agency == "" {
			return Case{}, errs.New(errs.Invalid, "ghi cơ quan nhận kiến nghị")
		}
		if c.Due, _, err = AnswerDue(cal, ki, c.Received, c.SentOn, c.Circumstances); err != nil {
			return Case{}, err
		}
		if !in.Due.IsZero() {
			if in.Due.Before(in.Received) {
				return Case{}, errs.New(errs.Invalid, "thời hạn %s trước ngày %s", in.Due.FormatVN(), in.Received.FormatVN())
			}
			c.Due = in.Due
		}
	} else if c.Due, err = IntakeDue(cal, ki, c.Received); err != nil {
		return Case{}, err
	}
	files := make([]Attachment, len(in.Files))
	for i, f := range in.Files {
		sum := sha256.Sum256(f.Data)
		f.Size, f.SHA256 = int64(len(f.Data)), hex.EncodeToString(sum[:])
		files[i] = f
	}
	if ki.Protected && (len(in.Petitioners) > 0 || len(files) > 0) {
		if s == nil {
			return Case{}, errs.New(errs.Unavailable, "Máy chủ chưa có khóa bảo vệ danh tính người tố cáo (%s hoặc %s): chưa ghi được đơn tố cáo.", KeyEnv, KeyFileEnv)
		}
		if c.Sealed, err = s.Seal(c.Code, in.Petitioners); err != nil {
			return Case{}, err
		}
		// Scans of a denunciation carry the denouncer's handwriting.
		for i := range files {
			files[i].Data = s.SealBytes(c.Code+"/"+files[i].SHA256, files[i].Data)
		}
	} else {
		c.Petitioners = in.Petitioners
	}
	c.Files = files
	if err := tx.InsertCase(ctx, a, &c); err != nil {
		return Case{}, err
	}
	if err := p.note(ctx, tx, u, c.Received.Year()); err != nil {
		return Case{}, err
	}
	return c, nil
}

// Act applies an officer's action to case id.
func Act(ctx context.Context, tx Tx, a audit.Actor, id int64, act Action) (Case, error) {
	return doAct(ctx, tx, a, id, act, nil)
}

func doAct(ctx context.Context, tx Tx, a audit.Actor, id int64, act Action, p pending) (Case, error) {
	c, err := tx.Case(ctx, id)
	if err != nil {
		return Case{}, err
	}
	today := calendar.DateOf(clock.InVietnam(tx.Now()))
	if act.On.IsZero() {
		act.On = today
	}
	if act.On.After(today) {
		return Case{}, errs.New(errs.Invalid, "ngày %s chưa tới", act.On.FormatVN())
	}
	if act.On.Before(c.Received) {
		return Case{}, errs.New(errs.Invalid, "ngày %s trước ngày tiếp nhận %s", act.On.FormatVN(), c.Received.FormatVN())
	}
	for _, t := range []struct{ f, label string }{{act.Agency, "Cơ quan"}, {act.DispatchNo, "Số công văn"},
		{act.Summary, "Tóm tắt trả lời"}, {act.Outcome, "Kết quả"}, {act.Note, "Ghi chú"}} {
		if len([]rune(t.f)) > MaxText*4 {
			return Case{}, errs.New(errs.Invalid, "%s dài quá %d ký tự", t.label, MaxText*4)
		}
	}
	ki := c.Info()
	after := c
	ev := Event{Action: act.Name, On: act.On, Note: act.Note}
	need := func(ok bool, format string, args ...any) error {
		if !ok {
			return errs.New(errs.Conflict, format, args...)
		}
		return nil
	}
	switch act.Name {
	case Take:
		if err := need(c.Status.Open(), "Vụ việc đã kết thúc."); err != nil {
			return Case{}, err
		}
		after.Handler = act.Handler
		ev.Note = act.Handler
	case Forward:
		if err := need(c.Status == Received, "Chỉ chuyển được đơn mới tiếp nhận; đơn này: %s.", c.Status.Label()); err != nil {
			return Case{}, err
		}
		if strings.TrimSpace(act.Agency) == "" {
			return Case{}, errs.New(errs.Invalid, "ghi cơ quan có thẩm quyền nhận đơn")
		}
		cal, err := tx.Calendar(ctx)
		if err != nil {
			return Case{}, err
		}
		after.Status, after.Agency, after.DispatchNo, after.SentOn = Sent, strings.TrimSpace(act.Agency), strings.TrimSpace(act.DispatchNo), act.On
		if after.Due, _, err = AnswerDue(cal, ki, c.Received, act.On, c.Circumstances); err != nil {
			return Case{}, err
		}
		ev.Note = joinNote(after.Agency, after.DispatchNo, act.Note)
	case Guide, File:
		if err := need(c.Status == Received, "Đơn đã được xử lý: %s.", c.Status.Label()); err != nil {
			return Case{}, err
		}
		after.Status = Guided
		if act.Name == File {
			after.Status = Filed
		}
		after.Due = calendar.Date{}
	case Answer:
		if err := need(c.Status == Sent, "Chỉ ghi trả lời cho vụ việc đã chuyển và đang chờ; vụ việc này: %s.", c.Status.Label()); err != nil {
			return Case{}, err
		}
		if act.On.Before(c.SentOn) {
			return Case{}, errs.New(errs.Invalid, "ngày trả lời %s trước ngày chuyển %s", act.On.FormatVN(), c.SentOn.FormatVN())
		}
		if strings.TrimSpace(act.Summary) == "" {
			return Case{}, errs.New(errs.Invalid, "ghi tóm tắt nội dung trả lời")
		}
		after.Status, after.AnsweredOn, after.InWriting = Answered, act.On, act.InWriting
		after.Summary, after.Outcome, after.Published = strings.TrimSpace(act.Summary), strings.TrimSpace(act.Outcome), act.Published
	case Remind:
		if err := need(c.Status == Sent, "Chỉ đôn đốc vụ việc đang chờ cơ quan trả lời."); err != nil {
			return Case{}, err
		}
		after.Reminders++
	case Escalate:
		if err := need(c.Status.Open(), "Vụ việc đã kết thúc."); err != nil {
			return Case{}, err
		}
		if act.ToUnit.ID == 0 {
			return Case{}, errs.New(errs.Invalid, "đơn vị %s không có cấp trên", c.UnitName)
		}
		after.EscalatedTo = act.ToUnit.ID
		ev.Note = joinNote(act.ToUnit.Name, act.Note)
	case Extend:
		r, err := RuleAt(RuleDenunciationResolve, c.Received)
		if err != nil {
			return Case{}, err
		}
		if err := need(c.Status == Sent && slicesContains(ki.Answer, RuleDenunciationResolve), "Chỉ gia hạn giải quyết tố cáo đang chờ."); err != nil {
			return Case{}, err
		}
		if err := need(c.Extensions < r.MaxExtensions, "Đã gia hạn %d lần, tối đa theo luật.", c.Extensions); err != nil {
			return Case{}, err
		}
		cal, err := tx.Calendar(ctx)
		if err != nil {
			return Case{}, err
		}
		after.Extensions++
		if after.Due, _, err = AnswerDue(cal, ki, c.Received, c.SentOn, after.Circumstances); err != nil {
			return Case{}, err
		}
	case Link:
		if err := need(act.Duplicate != 0 && act.Duplicate != c.ID, "Chọn đơn trùng khác đơn này."); err != nil {
			return Case{}, err
		}
		if _, err := tx.Case(ctx, act.Duplicate); err != nil {
			return Case{}, err
		}
		after.DuplicateOf = act.Duplicate
	default:
		return Case{}, errs.New(errs.Invalid, "thao tác %q không có", act.Name)
	}
	if err := tx.UpdateCase(ctx, a, c, after, ev); err != nil {
		return Case{}, err
	}
	u, err := tx.UnitByID(ctx, c.UnitID)
	if err != nil {
		return Case{}, err
	}
	if err := p.note(ctx, tx, u, c.Received.Year()); err != nil {
		return Case{}, err
	}
	return after, nil
}

func slicesContains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func joinNote(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " — ")
}

// codeAlphabet leaves out letters read as others (0/O, 1/I/L).
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// NewCode returns a fresh tracking code, "DT-XXXX-XXXX": 8 random
// letters of 31, about 40 bits, too many to guess one.
func NewCode() string {
	b := make([]byte, 8)
	rand.Read(b)
	out := []byte("DT-XXXX-XXXX")
	j := 0
	for i := range out {
		if out[i] == 'X' {
			out[i] = codeAlphabet[int(b[j])%len(codeAlphabet)]
			j++
		}
	}
	return string(out)
}

// AuditView is a case as the audit log keeps it: no petitioner, no
// sealed identity and no file, which the log must not copy.
type AuditView struct {
	Code, Kind, Status, Due, Agency, DispatchNo, SentOn, AnsweredOn string
	InWriting, Published                                            bool
	Summary, Outcome, Handler                                       string
	EscalatedTo, DuplicateOf                                        int64
	Reminders, Extensions, Petitioners                              int
}

// View is c as the audit log keeps it.
func View(c Case) AuditView {
	d := func(x calendar.Date) string {
		if x.IsZero() {
			return ""
		}
		return x.String()
	}
	return AuditView{Code: c.Code, Kind: string(c.Kind), Status: string(c.Status), Due: d(c.Due), Agency: c.Agency,
		DispatchNo: c.DispatchNo, SentOn: d(c.SentOn), AnsweredOn: d(c.AnsweredOn), InWriting: c.InWriting,
		Published: c.Published, Summary: c.Summary, Outcome: c.Outcome, Handler: c.Handler, EscalatedTo: c.EscalatedTo,
		DuplicateOf: c.DuplicateOf, Reminders: c.Reminders, Extensions: c.Extensions, Petitioners: len(c.Petitioners)}
}
