package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"mattran/internal/access"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/sheet"
	"mattran/internal/store"
	"mattran/internal/submission"
	"mattran/internal/unit"
	"mattran/internal/user"
	"mattran/internal/vn"
)

// submissionRoutes: submission, approval, deadlines and completeness.
func (h *Web) submissionRoutes() []Route {
	const one = "/submissions/{program}/{form}/{unit}/{period}/"
	return []Route{
		{"GET /submissions", false, h.completeness},
		{"POST /submissions/approve-selected", false, h.approveSelected},
		{"GET /submissions/late", false, h.lateReports},
		{"POST " + one + "approve", false, h.decide(submission.Approve)},
		{"POST " + one + "return", false, h.decide(submission.Return)},
		{"POST " + one + "reopen", false, h.decide(submission.Reopen)},
		{"POST " + one + "remind", false, h.remind},
		{"POST /submissions/remind-overdue", false, h.remindOverdue},
		{"POST /submissions/deadline", false, h.setDeadline},
	}
}

// completenessPage is /submissions: for a form and period, every unit
// under the chosen one that sends the form, with who has reported (on
// time or late), who is overdue and who is not yet due, and counts.
type completenessPage struct {
	Base
	Programs []*program.Program
	Program  *program.Program
	Forms    []form.Form
	Form     form.Form
	Period   period.Period
	Periods  []period.Period
	Units    []unitChoice
	Unit     unit.Unit
	// Deadlines by level, as read: "Xã, phường, thị trấn: 05/12/2024".
	Deadlines []string
	Counts    []standingCount
	Approved  int
	// Rows is the table, one unit a row, kept as plain data so the same
	// rows can be written to Excel.
	Rows []completenessRow
	// CanSetDeadline: an administrator of the program's owner unit (or
	// above) sets the deadlines; DeadlineKinds are the levels to choose.
	CanSetDeadline bool
	DeadlineKinds  []kindChoice
	CanRemindAll   bool // some overdue unit the user may remind
	Back           string
	XLSX           string // the table as an Excel file
	// What the table shows: a status filter (empty: all), grouped by the
	// unit above, in which order; the choices offered.
	Filter   submission.Filter
	Filters  []filterChoice
	Group    bool
	Sort     string
	Sorts    []sortChoice
	Total    int  // reports before the filter
	Approver bool // some shown report the user may approve: the page offers the checkboxes
	// Bulk is the outcome of approving several reports at once.
	Bulk *bulkOutcome
	Late string // the page of late and missing units, for the same choices
	// PickAll ticks every box (the pages run no script: "chọn tất cả" is
	// a link to the page with the boxes ticked); PickAllURL is that link.
	PickAll    bool
	PickAllURL string
}

type filterChoice struct {
	Filter submission.Filter
	Label  string
	N      int
}

type sortChoice struct{ Key, Label string }

// The orders the table can take. The default is the official list's
// (unit.TreeOrder): districts by code, each followed by its communes.
var completenessSorts = []sortChoice{
	{"", "Theo danh mục đơn vị"},
	{"ten", "Theo tên đơn vị"},
	{"trang_thai", "Theo trạng thái"},
	{"gui", "Theo thời gian gửi (sớm trước)"},
	{"tre", "Theo số ngày trễ (nhiều trước)"},
}

type standingCount struct {
	Standing submission.Standing
	Label    string
	N        int
}

type kindChoice struct {
	Kind  unit.Kind
	Label string
}

// completenessRow is one unit's report.
type completenessRow struct {
	Code, Name    string
	Indent        string // no-break spaces before the name, by depth
	Level         string
	Status        submission.Status
	StatusLabel   string
	Standing      submission.Standing
	StandingLabel string
	Deadline      string // dd/mm/yyyy
	SubmittedAt   string
	SubmittedBy   string
	Reason        string
	Reminded      string // the last reminder: when, by whom
	Reminders     int
	EntryURL      string
	ActionPath    string // "/submissions/{program}/{form}/{unit}/{period}/"
	// The decisions the user may take here and the report's state allows;
	// Override: the user is an admin deciding in the place of the level
	// directly above, which needs a reason.
	Choices   submission.Choices
	Override  bool
	CanRemind bool
	// Filter is the report's state as the filter names it; Parent the
	// unit directly above, and Group the heading before the first row of
	// each unit above when the table is grouped.
	Filter      submission.Filter
	FilterLabel string
	Parent      string
	Group       *groupHeading
	// The report's history, as the rule of timeliness needs it: first
	// sent, last returned, sent again; days late by that rule.
	FirstSent, Returned, Resent string
	DaysLate                    int
	order                       int
	sentAt                      time.Time
	depth                       int
}

// groupHeading is a unit above and what its reports count.
type groupHeading struct {
	Name   string
	Counts []filterChoice
}

// completenessTarget reads the page's choices: program, form, period and
// unit (the user's own by default), with the last period that is due.
func (h *Web) completenessTarget(r *http.Request, s *Session, q func(string) string) (*completenessPage, error) {
	ctx := r.Context()
	progs, err := h.reportingPrograms(ctx)
	if err != nil {
		return nil, err
	}
	prog := h.defaultProgram(ctx, progs, s.User.Unit)
	if code := q("program"); code != "" {
		if prog, err = h.reportingProgram(ctx, code); err != nil {
			return nil, err
		}
	}
	forms := form.Of(prog)
	if len(forms) == 0 {
		return nil, errs.New(errs.NotFound, "Chương trình %s không có biểu báo cáo nào.", prog.Code)
	}
	f := forms[len(forms)-1] // the monthly report, the one chased most
	if code := q("form"); code != "" {
		if f, err = form.Find(prog, code); err != nil {
			return nil, errs.New(errs.NotFound, "%v", err)
		}
	}
	today, _ := time.Parse(time.DateOnly, clock.Today(h.Now()))
	p := period.ForDate(f.PeriodType, today).Prev()
	if f.PeriodType == period.Yearly {
		p = p.Next() // the year's report is due in December of the year
	}
	if p.Year > prog.Term.To {
		// The program's term is over: its last period, not one it never had.
		p = period.ForDate(f.PeriodType, time.Date(prog.Term.To, 12, 31, 0, 0, 0, 0, time.UTC))
	}
	if code := q("period"); code != "" {
		if p, err = period.Parse(code); err != nil {
			return nil, errs.New(errs.Invalid, "%v", err)
		}
		if p.Type != f.PeriodType {
			// Another form was chosen with the old period: its period
			// containing the old one's start.
			p = period.ForDate(f.PeriodType, p.Start())
		}
		// Reports exist only within the program's term; opening the page
		// counts the missing ones (T1.2), which must not write figures
		// for 2010 because someone typed it.
		if err := submission.InTerm(prog, p); err != nil {
			return nil, err
		}
	}
	code := q("unit")
	if code == "" {
		code = s.User.Unit.Code
		if !form.Submits(s.User.Unit.Kind) {
			code = prog.OwnerUnit
		}
	}
	u, err := h.unitFor(r, s, code, p.StartDate(), p.EndDate())
	if err != nil {
		return nil, err
	}
	return &completenessPage{Programs: progs, Program: prog, Forms: forms, Form: f, Period: p, Unit: u}, nil
}

func (h *Web) completeness(w http.ResponseWriter, r *http.Request, s *Session) error {
	q := r.URL.Query()
	page, err := h.buildCompleteness(r, s, q.Get)
	if err != nil {
		return err
	}
	switch q.Get("msg") {
	case "approve":
		page.Notice = "Đã duyệt báo cáo; số liệu của đơn vị kỳ này đã khóa."
	case "return":
		page.Notice = "Đã trả lại báo cáo cho đơn vị."
	case "reopen":
		page.Notice = "Đã mở khóa và trả lại báo cáo để đơn vị sửa."
	case "remind":
		page.Notice = "Đã ghi nhắc nhở; đơn vị sẽ thấy khi mở trang Nhập số liệu."
	case "deadline":
		page.Notice = "Đã đặt hạn nộp."
	}
	if q.Get("format") == "xlsx" {
		return sendCompleteness(w, page, h.Now())
	}
	return h.render(w, "submissions.html", page)
}

// buildCompleteness reads the completeness page for the choices q gives
// (the address's query, or a posted form's fields): every report, the
// counts, and the rows the filter keeps in the order asked.
func (h *Web) buildCompleteness(r *http.Request, s *Session, q func(string) string) (*completenessPage, error) {
	ctx := r.Context()
	page, err := h.completenessTarget(r, s, q)
	if err != nil {
		return nil, err
	}
	prog, f, p, u := page.Program, page.Form, page.Period, page.Unit
	now := h.Now()
	// The reporting counts (T1.2) of units whose deadline passed without a
	// report are written when someone looks: see store.SyncCounts.
	if err := h.Store.SyncCounts(ctx, prog, f, p); err != nil {
		return nil, err
	}
	page.Base = h.base(s, "Tiến độ báo cáo — "+f.Name+" "+p.Label())
	page.Nav = "submissions"
	page.Filter, _ = submission.ParseFilter(q("status"))
	page.Group = q("group") == "1"
	for _, c := range completenessSorts {
		if c.Key == q("sort") {
			page.Sort = c.Key
		}
	}
	page.Sorts = completenessSorts
	view := url.Values{"program": {prog.Code}, "form": {f.Code}, "period": {p.String()}, "unit": {u.Code}}
	for k, v := range map[string]string{"status": string(page.Filter), "sort": page.Sort} {
		if v != "" {
			view.Set(k, v)
		}
	}
	if page.Group {
		view.Set("group", "1")
	}
	page.Back = "/submissions?" + view.Encode()
	page.PickAll = q("pick") == "all"
	page.PickAllURL = page.Back + "&pick=all"
	tree, subs, dl, err := h.reportState(ctx, page)
	if err != nil {
		return nil, err
	}
	tree = unit.TreeOrder(tree)
	rems, err := h.Store.Reminders(ctx, prog.Code, f.Code, p)
	if err != nil {
		return nil, err
	}
	lastReminder := map[int64]store.Reminder{}
	reminders := map[int64]int{}
	for _, rm := range rems {
		lastReminder[rm.UnitID] = rm
		reminders[rm.UnitID]++
	}
	groups := reportGroups(u, tree)
	counts := map[submission.Standing]int{}
	filters := map[submission.Filter]int{}
	depth0 := strings.Count(u.Path, "/")
	below := reportsBelow(tree, subs)
	var rows []completenessRow
	for i, x := range submission.Submitters(tree) {
		sub := subs[x.ID]
		sub.Unit = x
		deadline := dl.For(x.Kind, sub)
		st := submission.StandingOf(sub, deadline, now)
		counts[st]++
		if sub.Status == submission.Approved {
			page.Approved++
		}
		fl := submission.FilterOf(sub, deadline, now)
		filters[fl]++
		row := completenessRow{
			Code: x.Code, Name: x.Name, Level: x.Kind.Label(),
			depth:  strings.Count(x.Path, "/") - depth0,
			Status: sub.Status, StatusLabel: sub.Status.Label(), Standing: st, StandingLabel: st.Label(),
			Deadline: vnDate(deadline), SubmittedBy: sub.SubmittedBy, Reason: sub.Reason,
			EntryURL:   entryPath(prog.Code, f.Code, x, p),
			ActionPath: "/submissions/" + prog.Code + "/" + f.Code + "/" + x.Code + "/" + p.String() + "/",
			CanRemind:  access.Remind(s.User, x) == nil && !sub.Status.Reported(),
			Reminders:  reminders[x.ID],
			Filter:     fl, FilterLabel: fl.Label(), Parent: groups[x.ID].Name,
			DaysLate: submission.DaysLate(sub, deadline, now),
			order:    i, sentAt: sub.FirstSent(),
		}
		if how, err := access.DecideReport(s.User, x, prog.OwnerUnit); err == nil {
			var above *submission.Submission
			if a, ok := subs[x.ParentID]; ok || x.ParentID == u.ParentID {
				// The parent's report: known when the parent is on the page;
				// above the page's unit, read it.
				if !ok {
					if a, err = h.parentReport(ctx, prog, f, x, p); err != nil {
						return nil, err
					}
				}
				above = &a
			}
			row.Choices = submission.ChoicesFor(sub, below[x.ID], above)
			row.Override = how == access.Override
		}
		if !sub.SubmittedAt.IsZero() {
			row.SubmittedAt = vnTime(sub.SubmittedAt)
			row.FirstSent = vnTime(sub.FirstSent())
			if !sub.ReturnedAt.IsZero() {
				row.Returned = vnTime(sub.ReturnedAt)
			}
			if sub.Status.Reported() && sub.SubmittedAt.After(sub.FirstSent()) {
				row.Resent = vnTime(sub.SubmittedAt)
			}
		}
		if rm, ok := lastReminder[x.ID]; ok {
			row.Reminded = fmt.Sprintf("%s (%s)", vnTime(rm.At), rm.Actor)
		}
		if row.CanRemind && (st == submission.OverdueReport || st == submission.ReturnedReport && submission.PastDeadline(deadline, now)) {
			page.CanRemindAll = true
		}
		rows = append(rows, row)
	}
	page.Total = len(rows)
	for _, st := range []submission.Standing{submission.OnTimeReport, submission.LateReport, submission.ReturnedReport, submission.OverdueReport, submission.NotDueReport} {
		page.Counts = append(page.Counts, standingCount{st, st.Label(), counts[st]})
	}
	for _, fl := range submission.Filters {
		page.Filters = append(page.Filters, filterChoice{fl, fl.Label(), filters[fl]})
	}
	page.Rows = arrangeRows(rows, page.Filter, page.Sort, page.Group)
	for _, row := range page.Rows {
		page.Approver = page.Approver || row.Choices.Approve
	}
	page.CanSetDeadline = h.canSetDeadline(r, s, prog)
	for _, k := range form.SubmittingKinds {
		page.DeadlineKinds = append(page.DeadlineKinds, kindChoice{k, k.Label()})
	}
	if err := h.fillChoices(r, s, page, tree, dl); err != nil {
		return nil, err
	}
	view.Set("format", "xlsx")
	page.XLSX = "/submissions?" + view.Encode()
	view.Del("format")
	view.Del("status")
	view.Del("sort")
	view.Del("group")
	page.Late = "/submissions/late?" + view.Encode()
	return page, nil
}

// arrangeRows keeps the rows the filter asks for, in the order asked,
// grouped by the unit above when asked (the groups in the list's order,
// each with its counts). Without grouping, the list's order indents each
// unit by its depth; any other order lists the units flat, naming the
// unit above.
func arrangeRows(rows []completenessRow, fl submission.Filter, by string, group bool) []completenessRow {
	var out []completenessRow
	for _, r := range rows {
		if fl == "" || r.Filter == fl {
			out = append(out, r)
		}
	}
	rank := map[submission.Filter]int{}
	for i, f := range submission.Filters {
		rank[f] = i
	}
	less := func(a, b completenessRow) int {
		switch by {
		case "ten":
			return strings.Compare(vn.Fold(a.Name), vn.Fold(b.Name))
		case "trang_thai":
			return rank[a.Filter] - rank[b.Filter]
		case "gui":
			switch {
			case a.sentAt.IsZero() != b.sentAt.IsZero():
				if a.sentAt.IsZero() {
					return 1
				}
				return -1
			case a.sentAt.Before(b.sentAt):
				return -1
			case b.sentAt.Before(a.sentAt):
				return 1
			}
		case "tre":
			return b.DaysLate - a.DaysLate
		}
		return 0
	}
	parentOrder := map[string]int{}
	for _, r := range rows {
		if _, ok := parentOrder[r.Parent]; !ok {
			parentOrder[r.Parent] = r.order
		}
	}
	slices.SortStableFunc(out, func(a, b completenessRow) int {
		if group && a.Parent != b.Parent {
			return parentOrder[a.Parent] - parentOrder[b.Parent]
		}
		if c := less(a, b); c != 0 {
			return c
		}
		return a.order - b.order
	})
	for i := range out {
		if by == "" && !group && fl == "" {
			out[i].Indent = strings.Repeat("\u00a0\u00a0\u00a0\u00a0", out[i].depth)
		}
		if group && (i == 0 || out[i].Parent != out[i-1].Parent) {
			g := &groupHeading{Name: out[i].Parent}
			n := map[submission.Filter]int{}
			for _, r := range out[i:] {
				if r.Parent != out[i].Parent {
					break
				}
				n[r.Filter]++
			}
			for _, f := range submission.Filters {
				if n[f] > 0 {
					g.Counts = append(g.Counts, filterChoice{f, f.Label(), n[f]})
				}
			}
			out[i].Group = g
		}
	}
	return out
}

// sendCompleteness sends the page's table as an Excel file: the rows the
// page shows, one unit a row.
func sendCompleteness(w http.ResponseWriter, page *completenessPage, now time.Time) error {
	t := sheet.TableSpec{
		Title:     "Tiến độ báo cáo — " + page.Form.Name + " — " + page.Period.Label(),
		Subtitles: []string{page.Unit.Name + " và các đơn vị cấp dưới", "Hạn nộp: " + strings.Join(page.Deadlines, "; "), "Xuất lúc " + vnTime(now)},
		Header:    []string{"Mã", "Đơn vị", "Cấp", "Trạng thái", "Tiến độ", "Hạn nộp", "Gửi lúc", "Người gửi", "Lý do trả lại/mở khóa", "Số lần nhắc", "Nhắc lần cuối"},
	}
	for _, r := range page.Rows {
		t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(r.Code), sheet.Text(r.Name), sheet.Text(r.Level), sheet.Text(r.StatusLabel), sheet.Text(r.StandingLabel),
			sheet.Text(r.Deadline), sheet.Text(r.SubmittedAt), sheet.Text(r.SubmittedBy), sheet.Text(r.Reason), sheet.Number(float64(r.Reminders), 0), sheet.Text(r.Reminded)})
	}
	var buf bytes.Buffer
	if err := sheet.Table(&buf, t); err != nil {
		return err
	}
	return sendXLSX(w, fmt.Sprintf("tien-do-%s-%s-%s-%s.xlsx", page.Program.Code, page.Form.Code, page.Unit.Code, page.Period), buf.Bytes())
}

func hasKind(units []unit.Unit, k unit.Kind) bool {
	for _, u := range units {
		if u.Kind == k {
			return true
		}
	}
	return false
}

// submitterChoices lists the user's unit and the units under it that
// have units below them to follow (province and districts), indented.
func (h *Web) submitterChoices(r *http.Request, s *Session, shown unit.Unit) ([]unitChoice, error) {
	tree, err := h.Store.Subtree(r.Context(), s.User.Unit, clock.Today(h.Now()))
	if err != nil {
		return nil, err
	}
	tree = unit.TreeOrder(tree)
	depth0 := strings.Count(s.User.Unit.Path, "/")
	var out []unitChoice
	for _, u := range tree {
		if u.ID != s.User.Unit.ID && u.ID != shown.ID && u.Kind != unit.Province && u.Kind != unit.District {
			continue
		}
		label := u.Name
		if d := strings.Count(u.Path, "/") - depth0; d > 0 {
			label = strings.Repeat("\u00a0\u00a0\u00a0\u00a0", d-1) + "— " + label
		}
		out = append(out, unitChoice{Code: u.Code, Label: label, Selected: u.ID == shown.ID})
	}
	if len(out) == 0 || !containsChoice(out, shown.Code) {
		out = append(out, unitChoice{Code: shown.Code, Label: shown.Name, Selected: true})
	}
	return out, nil
}

func containsChoice(cs []unitChoice, code string) bool {
	for _, c := range cs {
		if c.Code == code {
			return true
		}
	}
	return false
}

// canSetDeadline: an administrator whose subtree holds the program's
// owner unit (the province's, or the root's).
func (h *Web) canSetDeadline(r *http.Request, s *Session, prog *program.Program) bool {
	owner, err := h.Store.UnitAt(r.Context(), prog.OwnerUnit, clock.Today(h.Now()))
	return err == nil && access.SetDeadline(s.User, owner) == nil
}

// reportsBelow groups the reports of a subtree by the unit directly above
// each: what a unit's approval waits for.
func reportsBelow(tree []unit.Unit, subs map[int64]submission.Submission) map[int64][]submission.Submission {
	out := map[int64][]submission.Submission{}
	for _, x := range submission.Submitters(tree) {
		sub := subs[x.ID]
		sub.Unit = x
		out[x.ParentID] = append(out[x.ParentID], sub)
	}
	return out
}

// parentReport reads the report of x's parent, which lies above the page.
func (h *Web) parentReport(ctx context.Context, prog *program.Program, f form.Form, x unit.Unit, p period.Period) (submission.Submission, error) {
	parent, err := h.Store.UnitByID(ctx, x.ParentID)
	if err != nil {
		return submission.Submission{}, err
	}
	return h.Store.Submission(ctx, prog.Code, f.Code, parent, p)
}

// decisionTarget resolves an action's path: program, form, unit, period.
func (h *Web) decisionTarget(r *http.Request, s *Session) (submission.Decision, error) {
	prog, f, u, p, err := h.entryTarget(r, s)
	if err != nil {
		return submission.Decision{}, err
	}
	return submission.Decision{Actor: s.User.Actor(), Program: prog, Form: f, Unit: u, Period: p, Reason: r.PostFormValue("reason")}, nil
}

// back is where an action returns: the page it was posted from, if it is
// one of ours, else the completeness page of the report.
func back(r *http.Request, d submission.Decision, msg string) string {
	to, err := url.Parse(r.PostFormValue("back"))
	if err != nil || to.Scheme != "" || to.Host != "" || !strings.HasPrefix(to.Path, "/") || strings.HasPrefix(to.Path, "//") {
		to = &url.URL{Path: "/submissions", RawQuery: url.Values{"program": {d.Program.Code}, "form": {d.Form.Code}, "period": {d.Period.String()}}.Encode()}
	}
	q := to.Query()
	q.Set("msg", msg)
	to.RawQuery, to.Fragment = q.Encode(), ""
	return to.String()
}

// decide approves, returns or reopens a report: for the level above only.
func (h *Web) decide(a submission.Action) func(w http.ResponseWriter, r *http.Request, s *Session) error {
	return func(w http.ResponseWriter, r *http.Request, s *Session) error {
		d, err := h.decisionTarget(r, s)
		if err != nil {
			return err
		}
		how, err := access.DecideReport(s.User, d.Unit, d.Program.OwnerUnit)
		if err != nil {
			return err
		}
		d.Override = how == access.Override
		if (a != submission.Approve || d.Override) && strings.TrimSpace(d.Reason) == "" {
			verb, button := "trả lại", "Trả lại"
			switch {
			case d.Override:
				verb, button = "quyết định thay cấp trên trực tiếp của", "Duyệt thay"
			case a == submission.Reopen:
				verb, button = "mở khóa", "Mở khóa"
			}
			return errs.New(errs.Invalid, "Hãy ghi lý do %s báo cáo, để %s biết: quay lại trang trước, ghi lý do vào ô cạnh nút «%s» rồi bấm lại.", verb, d.Unit.Name, button)
		}
		err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
			switch a {
			case submission.Approve:
				return submission.ApproveReport(r.Context(), tx, d)
			case submission.Return:
				return submission.ReturnReport(r.Context(), tx, d)
			}
			return submission.ReopenReport(r.Context(), tx, d)
		})
		if err != nil {
			return err
		}
		return redirect(w, r, back(r, d, string(a)))
	}
}

// remind records a reminder to one unit.
func (h *Web) remind(w http.ResponseWriter, r *http.Request, s *Session) error {
	d, err := h.decisionTarget(r, s)
	if err != nil {
		return err
	}
	if err := access.Remind(s.User, d.Unit); err != nil {
		return err
	}
	if err := h.Store.Remind(r.Context(), s.User.Actor(), s.User.Unit, d.Program.Code, d.Form.Code, d.Unit, d.Period); err != nil {
		return err
	}
	return redirect(w, r, back(r, d, "remind"))
}

// remindOverdue reminds every overdue unit of the page the user may remind.
func (h *Web) remindOverdue(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	// A viewer may remind no unit: refuse before looking for overdue ones,
	// rather than answer that there are none.
	if s.User.Role == user.Viewer {
		return access.Remind(s.User, s.User.Unit)
	}
	page, err := h.completenessTarget(r, s, r.PostFormValue)
	if err != nil {
		return err
	}
	prog, f, p := page.Program, page.Form, page.Period
	tree, subs, dl, err := h.reportState(ctx, page)
	if err != nil {
		return err
	}
	n := 0
	for _, x := range submission.Submitters(tree) {
		sub := subs[x.ID]
		deadline := dl.For(x.Kind, sub)
		st := submission.StandingOf(sub, deadline, h.Now())
		late := st == submission.OverdueReport || st == submission.ReturnedReport && submission.PastDeadline(deadline, h.Now())
		if !late || access.Remind(s.User, x) != nil {
			continue
		}
		if err := h.Store.Remind(ctx, s.User.Actor(), s.User.Unit, prog.Code, f.Code, x, p); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return errs.New(errs.Invalid, "Không có đơn vị quá hạn nào để nhắc.")
	}
	return redirect(w, r, back(r, submission.Decision{Program: prog, Form: f, Period: p}, "remind"))
}

// setDeadline sets a form's deadline for a period and level (admins).
func (h *Web) setDeadline(w http.ResponseWriter, r *http.Request, s *Session) error {
	page, err := h.completenessTarget(r, s, r.PostFormValue)
	if err != nil {
		return err
	}
	owner, err := h.Store.UnitAt(r.Context(), page.Program.OwnerUnit, clock.Today(h.Now()))
	if err != nil {
		return err
	}
	if err := access.SetDeadline(s.User, owner); err != nil {
		return err
	}
	k, err := unit.ParseKind(r.PostFormValue("kind"))
	if err != nil || !form.Submits(k) {
		return errs.New(errs.Invalid, "Cấp %q không nộp báo cáo.", r.PostFormValue("kind"))
	}
	d, err := vn.ParseDate(r.PostFormValue("deadline"))
	if err != nil {
		return errs.WithDetails("Hạn nộp không hợp lệ.", []errs.Detail{dateDetail("deadline", err)})
	}
	if d.Before(page.Period.Start()) {
		return errs.WithDetails("Hạn nộp không hợp lệ.", []errs.Detail{{Field: "deadline", Code: errs.DeadlineBeforeStart, Args: errs.Args{Date: d.Format(time.DateOnly), Period: page.Period.String()}}})
	}
	if err := h.Store.SetDeadline(r.Context(), s.User.Actor(), page.Program.Code, page.Form.Code, page.Period, k, d.Format(time.DateOnly)); err != nil {
		return err
	}
	return redirect(w, r, back(r, submission.Decision{Program: page.Program, Form: page.Form, Period: page.Period}, "deadline"))
}

// reportState reads a form and period's reports under the page's unit:
// the unit's subtree as of the period, each unit's report, and the
// deadlines set by kind. The completeness page and the reminders to
// overdue units read the same.
func (h *Web) reportState(ctx context.Context, page *completenessPage) (tree []unit.Unit, subs map[int64]submission.Submission, deadlines submission.Deadlines, err error) {
	prog, f, p := page.Program, page.Form, page.Period
	if tree, err = h.Store.Subtree(ctx, page.Unit, rollup.AsOf(page.Unit, p)); err != nil {
		return nil, nil, nil, err
	}
	if subs, err = h.Store.Submissions(ctx, prog.Code, f.Code, p); err != nil {
		return nil, nil, nil, err
	}
	if deadlines, err = h.Store.Deadlines(ctx, prog.Code, f.Code, p); err != nil {
		return nil, nil, nil, err
	}
	return tree, subs, deadlines, nil
}
