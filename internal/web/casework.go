package web

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"mattran/internal/access"
	"mattran/internal/api"
	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// caseRoutes: casework (đơn thư, vụ việc): the list with overdue cases
// flagged, the intake form, a case and its actions, the activities cases
// come from (reception register, supervision, criticism, voter meetings,
// conferences), the statistics and the register as XLSX, and the public
// petition page with its tracking page.
func (h *Web) caseRoutes() []Route {
	return []Route{
		{"GET /cases", false, h.casesPage},
		{"GET /cases/new", false, h.caseNewPage},
		{"POST /cases", false, h.caseCreate},
		{"GET /cases/{id}", false, h.casePage},
		{"POST /cases/{id}/act", false, h.caseAct},
		{"POST /cases/{id}/reveal", false, h.caseReveal},
		{"GET /cases/{id}/files/{file}", false, h.caseFile},
		{"GET /cases/activities", false, h.activitiesPage},
		{"POST /cases/activities", false, h.activityCreate},
		{"GET /cases/stats", false, h.caseStatsPage},
		{"GET /cases/register.xlsx", false, h.caseRegister},
		{"GET /public/petition", true, h.petitionPage},
		{"POST /public/petition", true, h.petitionFile},
		{"GET /public/track", true, h.trackPage},
	}
}

func (h *Web) today() calendar.Date { return calendar.DateOf(clock.InVietnam(h.Now())) }

// caseUnit is the unit a case page asks about: ?unit= (a code, today),
// else the user's own; refused outside the user's subtree.
func (h *Web) caseUnit(r *http.Request, s *Session, code string) (unit.Unit, error) {
	if code == "" {
		return s.User.Unit, nil
	}
	u, err := h.Store.UnitAt(r.Context(), code, h.today().String())
	if err != nil {
		return u, err
	}
	return u, access.SeeCases(s.User, u)
}

// caseRow is a case as lists show it.
type caseRow struct {
	ID                                        int64
	Code, Kind, Unit, Received, Title, Status string
	Due, Days, Agency                         string
	Overdue, Open, InWriting, Late, Protected bool
}

func rowOf(c casework.Case, today calendar.Date) caseRow {
	r := caseRow{ID: c.ID, Code: c.Code, Kind: c.Kind.Label(), Unit: c.UnitName, Received: c.Received.FormatVN(), Title: c.Title,
		Status: c.Status.Label(), Agency: c.Agency, Overdue: c.Overdue(today), Open: c.Status.Open(), InWriting: c.InWriting,
		Late: c.AnsweredLate(), Protected: c.Info().Protected}
	if !c.Due.IsZero() {
		r.Due = c.Due.FormatVN()
	}
	r.Days = daysText(c, today)
	return r
}

// daysText: "còn 3 ngày", "hạn hôm nay", "quá hạn 5 ngày"; "" when closed.
func daysText(c casework.Case, today calendar.Date) string {
	n, ok := c.DaysLeft(today)
	switch {
	case !ok:
		return ""
	case n > 0:
		return fmt.Sprintf("còn %d ngày", n)
	case n == 0:
		return "hạn hôm nay"
	}
	return fmt.Sprintf("quá hạn %d ngày", -n)
}

type casesPage struct {
	Base
	Unit           unit.Unit
	Filter         casesFilter
	Rows           []caseRow
	Total, Overdue int
	Escalated      int // open cases units below escalated to this unit
	Next, Prev     string
	CanRecord      bool
	Kinds          []casework.KindInfo
	Statuses       []casework.Status
}

type casesFilter struct {
	Unit, Status, Kind, Q, Year, Month string
	Overdue, Escalated                 bool
	Activity                           string
	Page                               int
}

func (f casesFilter) query(page int) string {
	v := url.Values{}
	for k, x := range map[string]string{"unit": f.Unit, "status": f.Status, "kind": f.Kind, "q": f.Q, "year": f.Year, "month": f.Month, "activity": f.Activity} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if f.Overdue {
		v.Set("overdue", "1")
	}
	if f.Escalated {
		v.Set("escalated", "1")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "/cases?" + v.Encode()
}

const casesPerPage = 50

func (h *Web) casesPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	q := r.URL.Query()
	f := casesFilter{Unit: q.Get("unit"), Status: q.Get("status"), Kind: q.Get("kind"), Q: q.Get("q"), Year: q.Get("year"),
		Month: q.Get("month"), Overdue: q.Get("overdue") != "", Escalated: q.Get("escalated") != "", Activity: q.Get("activity")}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	f.Page = max(f.Page, 1)
	u, err := h.caseUnit(r, s, f.Unit)
	if err != nil {
		return err
	}
	today := h.today()
	sf := store.CaseFilter{Path: u.Path, Status: casework.Status(f.Status), Kind: casework.Kind(f.Kind), Overdue: f.Overdue,
		Today: today, Query: f.Q, Limit: casesPerPage, Offset: (f.Page - 1) * casesPerPage}
	if f.Year != "" {
		if sf.Year, err = strconv.Atoi(f.Year); err != nil || sf.Year < 2000 || sf.Year > 2100 {
			return errs.New(errs.Invalid, "Năm %q không hợp lệ.", f.Year)
		}
		sf.Month, _ = strconv.Atoi(f.Month)
	}
	sf.Activity, _ = strconv.ParseInt(f.Activity, 10, 64)
	if f.Escalated {
		sf.EscalatedTo = u.ID
	}
	if len([]rune(f.Q)) > 200 {
		return errs.New(errs.Invalid, "Từ khóa tìm dài quá 200 ký tự.")
	}
	cs, err := h.Store.Cases(r.Context(), sf)
	if err != nil {
		return err
	}
	total, err := h.Store.CountCases(r.Context(), sf)
	if err != nil {
		return err
	}
	over, err := h.Store.OverdueCases(r.Context(), u.Path, today)
	if err != nil {
		return err
	}
	escalated, err := h.Store.CountCases(r.Context(), store.CaseFilter{EscalatedTo: u.ID, Open: true})
	if err != nil {
		return err
	}
	page := casesPage{Base: h.base(s, "Đơn thư, vụ việc — "+u.Name), Unit: u, Filter: f, Total: total, Overdue: over, Escalated: escalated,
		CanRecord: access.RecordCase(s.User, u) == nil, Kinds: casework.Kinds(), Statuses: casework.Statuses}
	page.Nav = "cases"
	for _, c := range cs {
		page.Rows = append(page.Rows, rowOf(c, today))
	}
	if f.Page*casesPerPage < total {
		page.Next = f.query(f.Page + 1)
	}
	if f.Page > 1 {
		page.Prev = f.query(f.Page - 1)
	}
	switch q.Get("msg") {
	case "activity":
		page.Notice = "Đã ghi hoạt động."
	}
	return h.render(w, "cases.html", page)
}

// caseNewPage is the intake form (tiếp nhận đơn).
type caseNewPage struct {
	Base
	Unit     unit.Unit
	Form     url.Values
	Errors   map[string]string
	Message  string
	Kinds    []casework.KindInfo
	Channels []casework.Channel
	Fields   []struct{ Code, Label string }
	Rows     []int
	Today    string
	Key      bool
	// The attachments' limits, stated on the form.
	MaxFiles, MaxMB int
}

func (h *Web) newCasePage(s *Session, u unit.Unit, form url.Values) caseNewPage {
	p := caseNewPage{Base: h.base(s, "Tiếp nhận đơn — "+u.Name), Unit: u, Form: form, Errors: map[string]string{},
		Kinds: casework.Kinds(), Channels: casework.Channels(), Fields: casework.Fields, Rows: []int{1, 2, 3},
		Today: h.today().FormatVN(), Key: h.Sealer != nil, MaxFiles: casework.MaxFiles, MaxMB: casework.MaxFileSize >> 20}
	p.Kinds = slices.DeleteFunc(p.Kinds, func(k casework.KindInfo) bool { return k.Family != casework.Petition })
	p.Nav = "cases"
	return p
}

func (h *Web) caseNewPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	u, err := h.caseUnit(r, s, r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	if err := access.RecordCase(s.User, u); err != nil {
		return err
	}
	form := url.Values{"received": {h.today().FormatVN()}}
	if a := r.URL.Query().Get("activity"); a != "" {
		form.Set("activity", a)
	}
	return h.render(w, "case_new.html", h.newCasePage(s, u, form))
}

// caseCreate takes in a petition typed by an officer.
func (h *Web) caseCreate(w http.ResponseWriter, r *http.Request, s *Session) error {
	u, err := h.caseUnit(r, s, r.PostFormValue("unit"))
	if err != nil {
		return err
	}
	if err := access.RecordCase(s.User, u); err != nil {
		return err
	}
	in, err := casework.ParseIntake(r.PostForm)
	if err == nil && in.ActivityID != 0 {
		// A petition handed in at a reception session of this unit.
		if a, aerr := h.Store.Activity(r.Context(), in.ActivityID); aerr != nil || a.UnitID != u.ID || a.Kind != casework.Reception {
			err = caseFieldError("activity", "buổi tiếp công dân không thuộc đơn vị này")
		}
	}
	if err == nil {
		in.Files, err = readAttachments(r)
	}
	var c casework.Case
	if err == nil {
		err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
			var err error
			c, err = casework.Open(r.Context(), tx, s.User.Actor(), s.User.Username, u, in, h.Sealer)
			return err
		})
	}
	if e, ok := errs.As(err); ok && e.Code != errs.Internal {
		page := h.newCasePage(s, u, r.PostForm)
		page.Message, page.Errors = e.Message, formErrors(e)
		return h.renderStatus(w, api.Status(e.Code), "case_new.html", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/cases/%d?msg=created", c.ID))
}

// formErrors are a refused form's messages by field.
func formErrors(e *errs.Error) map[string]string {
	out := map[string]string{}
	for _, d := range e.Details {
		out[d.Field] = errs.Text(d, errs.Page)
	}
	return out
}

// readAttachments reads the files of a form's "files" field: at most
// MaxFiles, each at most MaxFileSize, each a PDF, JPEG or PNG by its
// first bytes (the name and the browser's word are not trusted).
func readAttachments(r *http.Request) ([]casework.Attachment, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []casework.Attachment
	for _, fh := range r.MultipartForm.File["files"] {
		if fh.Size == 0 && fh.Filename == "" {
			continue
		}
		if len(out) == casework.MaxFiles {
			return nil, caseFieldError("files", fmt.Sprintf("gửi kèm nhiều nhất %d tệp", casework.MaxFiles))
		}
		a, err := readAttachment(fh)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func readAttachment(fh *multipart.FileHeader) (casework.Attachment, error) {
	name := fh.Filename
	if len([]rune(name)) > 200 {
		name = string([]rune(name)[:200])
	}
	if fh.Size > casework.MaxFileSize {
		return casework.Attachment{}, &errs.Error{Code: errs.Oversized, Message: fmt.Sprintf("Tệp %q quá lớn: mỗi tệp tối đa %d MB.", name, casework.MaxFileSize>>20),
			Details: []errs.Detail{{Field: "files", Code: errs.FieldText, Args: errs.Args{Text: fmt.Sprintf("tệp %q quá lớn (tối đa %d MB)", name, casework.MaxFileSize>>20)}}}}
	}
	f, err := fh.Open()
	if err != nil {
		return casework.Attachment{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, casework.MaxFileSize+1))
	if err != nil {
		return casework.Attachment{}, err
	}
	if len(data) > casework.MaxFileSize {
		return casework.Attachment{}, caseFieldError("files", fmt.Sprintf("tệp %q quá lớn (tối đa %d MB)", name, casework.MaxFileSize>>20))
	}
	typ := http.DetectContentType(data)
	if i := strings.IndexByte(typ, ';'); i >= 0 {
		typ = typ[:i]
	}
	if !slices.Contains(casework.AllowedTypes, typ) {
		return casework.Attachment{}, caseFieldError("files", fmt.Sprintf("tệp %q không phải PDF, JPEG hay PNG", name))
	}
	return casework.Attachment{Name: name, Type: typ, Data: data}, nil
}

func caseFieldError(field, text string) error {
	return &errs.Error{Code: errs.Invalid, Message: upperFirst(text) + ".",
		Details: []errs.Detail{{Field: field, Code: errs.FieldText, Args: errs.Args{Text: text}}}}
}

// casePageData is a case with what the user may see and do.
type casePageData struct {
	Base
	Case                casework.Case
	Row                 caseRow
	UnitOf              unit.Unit
	Petitioners         []casework.Petitioner
	Protected, Personal bool
	CanAct, CanReveal   bool
	Revealed            bool
	Events              []store.CaseEventRow
	Duplicates          []caseRow
	Steps               []stepRow
	Error               string
	Parent              string
	Today               string
	Channel, Field      string
	Files               []casework.Attachment
	CanExtend           bool
}

type stepRow struct{ Label, Limit, End, Source string }

func (h *Web) loadCase(r *http.Request, s *Session) (casework.Case, unit.Unit, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return casework.Case{}, unit.Unit{}, errs.New(errs.NotFound, "Không có vụ việc %q.", r.PathValue("id"))
	}
	c, u, err := h.Store.CaseAt(r.Context(), id)
	if err != nil {
		return c, u, err
	}
	return c, u, access.SeeCases(s.User, u)
}

func (h *Web) casePage(w http.ResponseWriter, r *http.Request, s *Session) error {
	c, u, err := h.loadCase(r, s)
	if err != nil {
		return err
	}
	page, err := h.caseData(r.Context(), s, c, u)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("msg") {
	case "created":
		page.Notice = "Đã tiếp nhận đơn. Mã tra cứu: " + c.Code + "."
	case "done":
		page.Notice = "Đã ghi."
	}
	return h.render(w, "case.html", page)
}

func (h *Web) caseData(ctx context.Context, s *Session, c casework.Case, u unit.Unit) (*casePageData, error) {
	today := h.today()
	ki := c.Info()
	p := &casePageData{Base: h.base(s, "Vụ việc "+c.Code), Case: c, Row: rowOf(c, today), UnitOf: u, Protected: ki.Protected,
		Personal: access.SeePersonal(s.User, u), CanAct: access.HandleCase(s.User, u) == nil, Today: today.FormatVN(),
		Channel: c.Channel.Label(), Field: casework.FieldLabel(c.Field)}
	p.Nav = "cases"
	p.CanReveal = ki.Protected && c.Sealed != nil && access.RevealIdentity(s.User, c, u) == nil
	switch {
	case ki.Protected && c.Sealed != nil:
		p.Petitioners = []casework.Petitioner{{Name: casework.Secret, IDNumber: casework.Secret, Address: casework.Secret, Phone: casework.Secret}}
	case p.Personal:
		p.Petitioners = c.Petitioners
	default:
		p.Petitioners = casework.Hidden(c.Petitioners)
	}
	if p.Personal && !ki.Protected || p.CanReveal {
		p.Files = c.Files
	}
	var err error
	if p.Events, err = h.Store.CaseEvents(ctx, c.ID); err != nil {
		return nil, err
	}
	if p.Personal && !ki.Protected {
		dups, err := h.Store.LikelyDuplicates(ctx, c)
		if err != nil {
			return nil, err
		}
		for _, d := range dups {
			if d.ID != c.DuplicateOf {
				p.Duplicates = append(p.Duplicates, rowOf(d, today))
			}
		}
	}
	if c.Status == casework.Sent {
		cal, err := h.Store.Calendar(ctx)
		if err != nil {
			return nil, err
		}
		_, steps, err := casework.AnswerDue(cal, ki, c.Received, c.SentOn, c.Circumstances)
		if err != nil {
			return nil, err
		}
		for _, st := range steps {
			unitWord := "ngày"
			if st.Rule.Working {
				unitWord = "ngày làm việc"
			}
			p.Steps = append(p.Steps, stepRow{Label: st.Rule.Label, Limit: fmt.Sprintf("%d %s", st.Rule.Limit(c.Circumstances), unitWord),
				End: st.End.FormatVN(), Source: st.Rule.Source})
		}
		p.CanExtend = slices.Contains(ki.Answer, casework.RuleDenunciationResolve)
	}
	if u.ParentID != 0 {
		parent, err := h.Store.UnitByID(ctx, u.ParentID)
		if err == nil {
			p.Parent = parent.Name
		}
	}
	return p, nil
}

// caseAct applies an action from the case page.
func (h *Web) caseAct(w http.ResponseWriter, r *http.Request, s *Session) error {
	c, u, err := h.loadCase(r, s)
	if err != nil {
		return err
	}
	if err := access.HandleCase(s.User, u); err != nil {
		return err
	}
	a, err := parseAction(r.PostForm)
	if err == nil {
		err = h.completeAction(r.Context(), s.User, u, &a)
	}
	if err == nil {
		err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
			_, err := casework.Act(r.Context(), tx, s.User.Actor(), c.ID, a)
			return err
		})
	}
	if e, ok := errs.As(err); ok && e.Code != errs.Internal && e.Code != errs.Forbidden {
		page, perr := h.caseData(r.Context(), s, c, u)
		if perr != nil {
			return perr
		}
		page.Error = e.Message
		return h.renderStatus(w, api.Status(e.Code), "case.html", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/cases/%d?msg=done", c.ID))
}

// parseAction reads an action from form fields, as the page and the API send them.
func parseAction(f url.Values) (casework.Action, error) {
	a := casework.Action{Name: casework.ActionName(f.Get("action")), Agency: strings.TrimSpace(f.Get("agency")),
		DispatchNo: strings.TrimSpace(f.Get("dispatch")), InWriting: f.Get("in_writing") != "", Summary: strings.TrimSpace(f.Get("summary")),
		Outcome: strings.TrimSpace(f.Get("outcome")), Published: f.Get("published") != "", Note: strings.TrimSpace(f.Get("note"))}
	if d := strings.TrimSpace(f.Get("on")); d != "" {
		day, err := casework.ParseDay(d)
		if err != nil {
			return a, errs.New(errs.Invalid, "Ngày %q không hợp lệ: viết dd/mm/yyyy.", d)
		}
		a.On = day
	}
	if d := f.Get("duplicate"); d != "" {
		a.Duplicate, _ = strconv.ParseInt(d, 10, 64)
	}
	return a, nil
}

// completeAction fills what an action takes from the user and the tree:
// who takes the case, the level above for an escalation.
func (h *Web) completeAction(ctx context.Context, u user.User, at unit.Unit, a *casework.Action) error {
	switch a.Name {
	case casework.Take:
		a.Handler = u.Username
	case casework.Escalate:
		if at.ParentID != 0 {
			p, err := h.Store.UnitByID(ctx, at.ParentID)
			if err != nil {
				return err
			}
			a.ToUnit = p
		}
	}
	return nil
}

// caseReveal shows a protected identity to the case's handler, and audits it.
func (h *Web) caseReveal(w http.ResponseWriter, r *http.Request, s *Session) error {
	c, u, err := h.loadCase(r, s)
	if err != nil {
		return err
	}
	if err := access.RevealIdentity(s.User, c, u); err != nil {
		return err
	}
	if h.Sealer == nil {
		return errs.New(errs.Unavailable, "Máy chủ chưa có khóa bảo vệ danh tính: không mở được.")
	}
	ps, err := h.Sealer.Open(c.Code, c.Sealed)
	if err != nil {
		return err
	}
	if err := h.Store.AuditReveal(r.Context(), s.User.Actor(), c.Code, "petitioners"); err != nil {
		return err
	}
	page, err := h.caseData(r.Context(), s, c, u)
	if err != nil {
		return err
	}
	page.Petitioners, page.Revealed = ps, true
	return h.render(w, "case.html", page)
}

// caseFile sends an attachment: to users who see the petitioners'
// personal data; a protected case's only to its handler, audited.
func (h *Web) caseFile(w http.ResponseWriter, r *http.Request, s *Session) error {
	c, u, err := h.loadCase(r, s)
	if err != nil {
		return err
	}
	fid, _ := strconv.ParseInt(r.PathValue("file"), 10, 64)
	protected := c.Info().Protected
	if protected {
		if err := access.RevealIdentity(s.User, c, u); err != nil {
			return err
		}
	} else if !access.SeePersonal(s.User, u) {
		return errs.New(errs.Forbidden, "Tệp kèm đơn chỉ đơn vị xử lý xem được.")
	}
	f, err := h.Store.CaseFile(r.Context(), c.ID, fid)
	if err != nil {
		return err
	}
	if protected {
		if h.Sealer == nil {
			return errs.New(errs.Unavailable, "Máy chủ chưa có khóa bảo vệ danh tính: không mở được tệp.")
		}
		if f.Data, err = h.Sealer.OpenBytes(c.Code+"/"+f.SHA256, f.Data); err != nil {
			return err
		}
		if err := h.Store.AuditReveal(r.Context(), s.User.Actor(), c.Code, "file "+f.Name); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", f.Type)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(f.Data)
	return err
}

// homeFrame is the home page with casework's overdue flag above it.
type homeFrame struct {
	framedPage
	Overdue *overdueFlag
	// InspectionRecs are the inspection recommendations overdue in the
	// unit's subtree (evaluation_inspection.go).
	InspectionRecs []caseRow
}

type overdueFlag struct {
	N          int
	Unit, Link string
}

// overdueFlag counts the unit's subtree's cases open past their due date:
// nil when none (or the unit is of another day's tree).
func (h *Web) overdueFlag(ctx context.Context, u unit.Unit) (*overdueFlag, error) {
	today := h.today()
	if !u.ValidOn(today.String()) {
		return nil, nil
	}
	n, err := h.Store.OverdueCases(ctx, u.Path, today)
	if err != nil || n == 0 {
		return nil, err
	}
	return &overdueFlag{N: n, Unit: u.Name, Link: "/cases?overdue=1&unit=" + url.QueryEscape(u.Code)}, nil
}
