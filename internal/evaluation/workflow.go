package evaluation

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/program"
	"mattran/internal/unit"
)

// Record is a guide as kept: whose it is, for which year, and its state.
type Record struct {
	ID    int64
	Owner unit.Unit // the level above, which issues, verifies, decides and freezes
	Guide *Guide
	// FrozenAt: the level above froze the year; Snapshot then holds the
	// results as they stood (JSON of the ranked sheets), which later
	// changes of figures do not move.
	FrozenAt          time.Time
	FrozenBy          string
	Snapshot          []byte
	TitlesConfirmedAt time.Time
	TitlesConfirmedBy string
	UpdatedAt         time.Time
	UpdatedBy         string
	// Note is why the record changed (a reopening's reason), for the
	// audit entry; it is not kept on the record.
	Note string
}

// Frozen reports whether the year is frozen.
func (r Record) Frozen() bool { return !r.FrozenAt.IsZero() }

// Key is the record's key in the audit log.
func (r Record) Key() string {
	return fmt.Sprintf("%s@%s/%d/%s", r.Owner.Code, r.Owner.ValidFrom, r.Guide.Year, r.Guide.Level)
}

// Cluster is an emulation cluster (cụm, khối thi đua) of a year.
type Cluster struct {
	ID      int64   `json:"-"`
	Code    string  `json:"code"`
	Name    string  `json:"name"`
	Lead    int64   `json:"lead"`    // the leading unit (cụm trưởng); 0: none named
	Members []int64 `json:"members"` // unit ids
}

// SheetStatus is where a unit's sheet stands.
type SheetStatus string

const (
	NotStarted SheetStatus = ""        // nothing entered
	Draft      SheetStatus = "draft"   // the unit is scoring itself
	Sent       SheetStatus = "sent"    // the unit sent its self-score
	Decided    SheetStatus = "decided" // the level above verified and decided
)

// Label is the status as users read it.
func (s SheetStatus) Label() string {
	switch s {
	case Draft:
		return "Đang tự chấm"
	case Sent:
		return "Đã gửi tự chấm, chờ thẩm định"
	case Decided:
		return "Đã thẩm định"
	}
	return "Chưa tự chấm"
}

// SheetState is a unit's sheet's workflow state.
type SheetState struct {
	Status    SheetStatus
	SentAt    time.Time
	SentBy    string
	DecidedAt time.Time
	DecidedBy string
}

// Inspection is one unit's inspection in the level above's yearly plan,
// and what it found.
type Inspection struct {
	ID       int64
	OwnerID  int64 // the inspecting unit
	Year     int
	Unit     unit.Unit // the inspected unit
	Subjects string    // nội dung kiểm tra
	From, To calendar.Date
	Leader   string // trưởng đoàn
	Members  string // thành viên đoàn, one a line
	// Concluded when the conclusion is written.
	Findings    string // kết quả kiểm tra
	Conclusion  string // kết luận
	Number      string // số văn bản kết luận
	ConcludedOn calendar.Date
	CreatedBy   string
	Recs        []int64 // the cases of its recommendations
}

// Concluded reports whether the conclusion is written.
func (in Inspection) Concluded() bool { return !in.ConcludedOn.IsZero() }

// Tx is the transaction the workflow runs in (store.Tx implements it).
type Tx interface {
	casework.Tx
	// EvalGuide reads the guide of owner for a year and level; a NotFound
	// error when there is none.
	EvalGuide(ctx context.Context, ownerID int64, year int, level unit.Kind) (Record, error)
	// PutEvalGuide inserts (before nil) or updates the record, and audits it.
	PutEvalGuide(ctx context.Context, a audit.Actor, action string, before *Record, after *Record) error
	EvalClusters(ctx context.Context, guideID int64) ([]Cluster, error)
	PutEvalClusters(ctx context.Context, a audit.Actor, rec Record, cs []Cluster) error
	EvalScored(ctx context.Context, rec Record) ([]unit.Unit, error)
	EvalState(ctx context.Context, guideID, unitID int64) (SheetState, error)
	PutEvalState(ctx context.Context, a audit.Actor, rec Record, u unit.Unit, action string, before, after SheetState) error
	PutEvalEntry(ctx context.Context, a audit.Actor, rec Record, u unit.Unit, e Entry) error
	Inspection(ctx context.Context, id int64) (Inspection, error)
	PutInspection(ctx context.Context, a audit.Actor, action string, before *Inspection, after *Inspection) error
	LinkRecommendation(ctx context.Context, a audit.Actor, inspectionID, caseID int64) error
}

func today(tx interface{ Now() time.Time }) calendar.Date {
	return calendar.DateOf(clock.InVietnam(tx.Now()))
}

func refuseFrozen(rec Record) error {
	if rec.Frozen() {
		return errs.New(errs.Conflict, "Kết quả chấm điểm năm %d đã được khóa (%s): mở lại trước khi sửa.", rec.Guide.Year, rec.FrozenBy)
	}
	return nil
}

// CheckAgainst checks that the guide's derived criteria read targets of
// the program that apply to the level scored.
func (g *Guide) CheckAgainst(prog *program.Program) error {
	c := &checker{}
	if prog.Code != g.Program {
		c.fail("program", "chương trình %q không phải chương trình %q của hướng dẫn", prog.Code, g.Program)
	}
	targets := map[string]program.Target{}
	for _, t := range prog.Targets() {
		targets[t.Code] = t
	}
	for i, gr := range g.Groups {
		for j, cr := range gr.Criteria {
			if cr.Kind != Derived {
				continue
			}
			f := fmt.Sprintf("groups[%d].criteria[%d].target", i+1, j+1)
			t, ok := targets[cr.Target]
			switch {
			case !ok:
				c.fail(f, "chương trình %s không có chỉ tiêu %q", prog.Code, cr.Target)
			case cr.Reading == Own && !t.AppliesToKind(g.Level):
				c.fail(f, "chỉ tiêu %s không áp dụng cho cấp %s", cr.Target, g.Level.Label())
			}
		}
	}
	if len(c.bad) == 0 {
		return nil
	}
	return &errs.Error{Code: errs.Invalid, Message: "Hướng dẫn chấm điểm chưa hợp lệ: " + c.bad[0].Field + ": " + c.bad[0].Args.Text + ".", Details: c.bad}
}

// SaveGuide stores a guide for owner (replacing the year's one, whose
// entries stay: a criterion whose code is kept keeps its scores).
func SaveGuide(ctx context.Context, tx Tx, a audit.Actor, owner unit.Unit, g *Guide, prog *program.Program) (Record, error) {
	if err := g.Validate(); err != nil {
		return Record{}, err
	}
	if err := g.CheckAgainst(prog); err != nil {
		return Record{}, err
	}
	if owner.Kind == g.Level {
		return Record{}, errs.New(errs.Invalid, "%s không chấm điểm các đơn vị cùng cấp: hướng dẫn do cấp trên ban hành", owner.Name)
	}
	after := &Record{Owner: owner, Guide: g, UpdatedAt: tx.Now(), UpdatedBy: a.Name}
	old, err := tx.EvalGuide(ctx, owner.ID, g.Year, g.Level)
	switch {
	case errs.Is(err, errs.NotFound):
		return *after, tx.PutEvalGuide(ctx, a, "create", nil, after)
	case err != nil:
		return Record{}, err
	}
	if err := refuseFrozen(old); err != nil {
		return Record{}, err
	}
	after.ID, after.TitlesConfirmedAt, after.TitlesConfirmedBy = old.ID, time.Time{}, ""
	return *after, tx.PutEvalGuide(ctx, a, "update", &old, after)
}

// SetClusters replaces the year's clusters. Every member is a unit the
// guide scores, each in one cluster; the leading unit is a member.
func SetClusters(ctx context.Context, tx Tx, a audit.Actor, rec Record, cs []Cluster) error {
	if err := refuseFrozen(rec); err != nil {
		return err
	}
	scored, err := tx.EvalScored(ctx, rec)
	if err != nil {
		return err
	}
	ok := map[int64]string{}
	for _, u := range scored {
		ok[u.ID] = u.Name
	}
	in := map[int64]string{}
	codes := map[string]bool{}
	for i, c := range cs {
		n := fmt.Sprintf("cụm thứ %d", i+1)
		switch {
		case strings.TrimSpace(c.Code) == "" || utf8.RuneCountInString(c.Code) > maxCode:
			return errs.New(errs.Invalid, "%s: mã cụm trống hoặc dài quá %d ký tự", n, maxCode)
		case codes[c.Code]:
			return errs.New(errs.Invalid, "%s: mã cụm %q lặp lại", n, c.Code)
		case strings.TrimSpace(c.Name) == "" || utf8.RuneCountInString(c.Name) > maxName:
			return errs.New(errs.Invalid, "%s: tên cụm trống hoặc dài quá %d ký tự", n, maxName)
		case len(c.Members) == 0:
			return errs.New(errs.Invalid, "%s (%s): chưa có đơn vị nào", n, c.Name)
		case c.Lead != 0 && !slices.Contains(c.Members, c.Lead):
			return errs.New(errs.Invalid, "%s (%s): đơn vị cụm trưởng phải là thành viên của cụm", n, c.Name)
		}
		codes[c.Code] = true
		for _, m := range c.Members {
			name, scoredHere := ok[m]
			if !scoredHere {
				return errs.New(errs.Invalid, "%s (%s): đơn vị mã số %d không thuộc các đơn vị được chấm điểm năm %d", n, c.Name, m, rec.Guide.Year)
			}
			if prev, dup := in[m]; dup {
				return errs.New(errs.Invalid, "%s thuộc hai cụm: %s và %s; mỗi đơn vị chỉ thuộc một cụm trong năm", name, prev, c.Name)
			}
			in[m] = c.Name
		}
	}
	return tx.PutEvalClusters(ctx, a, rec, cs)
}

// checkEntry checks an entry against the guide and fills who and when.
func checkEntry(tx Tx, a audit.Actor, rec Record, e *Entry) error {
	c, ok := rec.Guide.Criterion(e.Criterion)
	if !ok {
		return errs.New(errs.Invalid, "hướng dẫn năm %d không có tiêu chí %q", rec.Guide.Year, e.Criterion)
	}
	if e.Points < 0 || e.Points > PointsOf(c.Max) {
		return errs.New(errs.Invalid, "%s %s: điểm %s ngoài khoảng 0 – %s", c.Code, c.Name, e.Points, PointsOf(c.Max))
	}
	for _, t := range []struct{ s, label string }{{e.Reason, "Lý do"}, {e.Evidence, "Minh chứng"}, {e.Ref, "Liên kết minh chứng"}} {
		if utf8.RuneCountInString(t.s) > 2000 || !utf8.ValidString(t.s) {
			return errs.New(errs.Invalid, "%s %s: %s dài quá 2.000 ký tự", c.Code, c.Name, t.label)
		}
	}
	if e.Ref != "" && !strings.HasPrefix(e.Ref, "/") {
		return errs.New(errs.Invalid, "%s: liên kết minh chứng phải là một trang của hệ thống", c.Code)
	}
	e.Scorer, e.On = a.Name, today(tx).String()
	return nil
}

// SelfScore records the unit's own scores and, if send, sends them to
// the level above. Once sent the unit changes nothing more.
func SelfScore(ctx context.Context, tx Tx, a audit.Actor, rec Record, u unit.Unit, entries []Entry, send bool) error {
	if err := refuseFrozen(rec); err != nil {
		return err
	}
	st, err := tx.EvalState(ctx, rec.ID, u.ID)
	if err != nil {
		return err
	}
	if st.Status == Sent || st.Status == Decided {
		return errs.New(errs.Conflict, "%s đã gửi tự chấm điểm (%s): không sửa được nữa.", u.Name, st.Status.Label())
	}
	for _, e := range entries {
		e.Stage = Self
		if err := checkEntry(tx, a, rec, &e); err != nil {
			return err
		}
		if err := tx.PutEvalEntry(ctx, a, rec, u, e); err != nil {
			return err
		}
	}
	after := st
	after.Status = Draft
	action := "self_save"
	if send {
		after.Status, after.SentAt, after.SentBy, action = Sent, tx.Now(), a.Name, "self_send"
	}
	if after == st && len(entries) == 0 {
		return nil
	}
	return tx.PutEvalState(ctx, a, rec, u, action, st, after)
}

// Adjust records the level above's points for one criterion of a unit,
// with the reason, which is required: the audit log and the sheet show it
// beside the figure or the entry it replaces.
func Adjust(ctx context.Context, tx Tx, a audit.Actor, rec Record, u unit.Unit, e Entry) error {
	if err := refuseFrozen(rec); err != nil {
		return err
	}
	if strings.TrimSpace(e.Reason) == "" {
		return errs.New(errs.Invalid, "ghi lý do điều chỉnh điểm tiêu chí %s", e.Criterion)
	}
	e.Stage = Verify
	if err := checkEntry(tx, a, rec, &e); err != nil {
		return err
	}
	return tx.PutEvalEntry(ctx, a, rec, u, e)
}

// CrossCheck records the cluster's cross-check of one criterion of a
// member's sheet, by its leading unit: the level above sees it beside the
// self-score; it moves no point.
func CrossCheck(ctx context.Context, tx Tx, a audit.Actor, rec Record, u unit.Unit, e Entry) error {
	if err := refuseFrozen(rec); err != nil {
		return err
	}
	e.Stage = Cross
	if err := checkEntry(tx, a, rec, &e); err != nil {
		return err
	}
	return tx.PutEvalEntry(ctx, a, rec, u, e)
}

// Decide records the level above's decision on a unit's sheet (thẩm định).
// A unit that sent nothing may be decided too (its manual criteria then
// stand at the points the level above entered, else zero).
func Decide(ctx context.Context, tx Tx, a audit.Actor, rec Record, u unit.Unit) error {
	if err := refuseFrozen(rec); err != nil {
		return err
	}
	st, err := tx.EvalState(ctx, rec.ID, u.ID)
	if err != nil {
		return err
	}
	if st.Status == Decided {
		return errs.New(errs.Conflict, "Phiếu chấm điểm của %s đã được thẩm định.", u.Name)
	}
	after := st
	after.Status, after.DecidedAt, after.DecidedBy = Decided, tx.Now(), a.Name
	return tx.PutEvalState(ctx, a, rec, u, "decide", st, after)
}

// Freeze keeps the year's results as they stand: later changes of figures
// do not move them.
func Freeze(ctx context.Context, tx Tx, a audit.Actor, rec Record, sheets []*Sheet) error {
	if err := refuseFrozen(rec); err != nil {
		return err
	}
	snap, err := json.Marshal(sheets)
	if err != nil {
		return err
	}
	after := rec
	after.FrozenAt, after.FrozenBy, after.Snapshot = tx.Now(), a.Name, snap
	return tx.PutEvalGuide(ctx, a, "freeze", &rec, &after)
}

// Reopen unfreezes the year, with a reason the audit log keeps.
func Reopen(ctx context.Context, tx Tx, a audit.Actor, rec Record, reason string) error {
	if !rec.Frozen() {
		return errs.New(errs.Conflict, "Kết quả năm %d chưa khóa.", rec.Guide.Year)
	}
	if strings.TrimSpace(reason) == "" {
		return errs.New(errs.Invalid, "ghi lý do mở lại kết quả chấm điểm")
	}
	after := rec
	after.FrozenAt, after.FrozenBy, after.Snapshot = time.Time{}, "", nil
	after.TitlesConfirmedAt, after.TitlesConfirmedBy = time.Time{}, ""
	after.Note = strings.TrimSpace(reason)
	return tx.PutEvalGuide(ctx, a, "reopen", &rec, &after)
}

// ConfirmTitles records that the leader confirmed the proposed titles of
// the frozen year.
func ConfirmTitles(ctx context.Context, tx Tx, a audit.Actor, rec Record) error {
	if !rec.Frozen() {
		return errs.New(errs.Conflict, "Khóa kết quả năm %d trước khi xác nhận đề nghị khen thưởng.", rec.Guide.Year)
	}
	after := rec
	after.TitlesConfirmedAt, after.TitlesConfirmedBy = tx.Now(), a.Name
	return tx.PutEvalGuide(ctx, a, "confirm_titles", &rec, &after)
}

// Limits of an inspection's texts.
const maxInspectionText = 20000

func checkText(label, s string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return errs.New(errs.Invalid, "%s không được để trống", label)
	case !utf8.ValidString(s) || utf8.RuneCountInString(s) > max:
		return errs.New(errs.Invalid, "%s dài quá %d ký tự", label, max)
	}
	return nil
}

// PlanInspection adds an inspection of a unit below owner to the year's
// plan.
func PlanInspection(ctx context.Context, tx Tx, a audit.Actor, owner unit.Unit, in Inspection) (Inspection, error) {
	if in.Unit.ID == owner.ID || !unit.InSubtree(in.Unit.Path, owner.Path) {
		return Inspection{}, errs.New(errs.Invalid, "%s không phải đơn vị cấp dưới của %s", in.Unit.Name, owner.Name)
	}
	for _, t := range []struct {
		label, s string
		req      bool
	}{{"Nội dung kiểm tra", in.Subjects, true}, {"Trưởng đoàn", in.Leader, true}, {"Thành viên đoàn", in.Members, false}} {
		if err := checkText(t.label, t.s, 4000, t.req); err != nil {
			return Inspection{}, err
		}
	}
	if in.From.IsZero() || in.To.IsZero() || in.To.Before(in.From) {
		return Inspection{}, errs.New(errs.Invalid, "thời gian kiểm tra: ghi ngày bắt đầu và ngày kết thúc, kết thúc không trước bắt đầu")
	}
	if in.From.Year() != in.Year {
		return Inspection{}, errs.New(errs.Invalid, "ngày bắt đầu %s không thuộc năm %d của kế hoạch", in.From.FormatVN(), in.Year)
	}
	in.OwnerID, in.CreatedBy = owner.ID, a.Name
	in.Findings, in.Conclusion, in.Number, in.ConcludedOn = "", "", "", calendar.Date{}
	if err := tx.PutInspection(ctx, a, "plan", nil, &in); err != nil {
		return Inspection{}, err
	}
	return in, nil
}

// Conclude records what the inspection found and its written conclusion.
func Conclude(ctx context.Context, tx Tx, a audit.Actor, id int64, findings, conclusion, number string, on calendar.Date) (Inspection, error) {
	in, err := tx.Inspection(ctx, id)
	if err != nil {
		return Inspection{}, err
	}
	if err := checkText("Kết quả kiểm tra", findings, maxInspectionText, true); err != nil {
		return Inspection{}, err
	}
	if err := checkText("Kết luận", conclusion, maxInspectionText, true); err != nil {
		return Inspection{}, err
	}
	if err := checkText("Số văn bản", number, 100, false); err != nil {
		return Inspection{}, err
	}
	if on.IsZero() {
		on = today(tx)
	}
	if on.After(today(tx)) || on.Before(in.From) {
		return Inspection{}, errs.New(errs.Invalid, "ngày kết luận %s phải từ ngày bắt đầu kiểm tra %s đến hôm nay", on.FormatVN(), in.From.FormatVN())
	}
	after := in
	after.Findings, after.Conclusion, after.Number, after.ConcludedOn = strings.TrimSpace(findings), strings.TrimSpace(conclusion), strings.TrimSpace(number), on
	if err := tx.PutInspection(ctx, a, "conclude", &in, &after); err != nil {
		return Inspection{}, err
	}
	return after, nil
}

// Recommend adds a recommendation to a concluded inspection: a case of
// kind kiem_tra at the inspected unit, made on the conclusion's day and
// due by the day given, which the unit closes by reporting it done
// (casework's Answer).
func Recommend(ctx context.Context, tx Tx, a audit.Actor, id int64, content string, due calendar.Date) (casework.Case, error) {
	in, err := tx.Inspection(ctx, id)
	if err != nil {
		return casework.Case{}, err
	}
	if !in.Concluded() {
		return casework.Case{}, errs.New(errs.Conflict, "Ghi kết luận kiểm tra trước khi ghi kiến nghị.")
	}
	if err := checkText("Nội dung kiến nghị", content, casework.MaxContent, true); err != nil {
		return casework.Case{}, err
	}
	if due.IsZero() {
		return casework.Case{}, errs.New(errs.Invalid, "ghi thời hạn thực hiện kiến nghị")
	}
	c, err := casework.Open(ctx, tx, a, a.Name, in.Unit, casework.Intake{
		Kind: casework.InspectionRec, UnitCode: in.Unit.Code, Channel: casework.FromActivity, Field: "khac",
		Content: strings.TrimSpace(content), Agency: in.Unit.Name, Due: due, Received: in.ConcludedOn,
		Title: casework.Shorten(strings.TrimRight(strings.TrimSpace(content), ". "), 200),
	}, nil)
	if err != nil {
		return casework.Case{}, err
	}
	return c, tx.LinkRecommendation(ctx, a, in.ID, c.ID)
}
