package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"mattran/internal/access"
	"mattran/internal/errs"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/submission"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// bulkOutcome is what approving several reports at once did: which were
// approved and which refused, and why, each decided on its own.
type bulkOutcome struct {
	Approved []string
	Refused  []bulkRefusal
}

type bulkRefusal struct{ Name, Why string }

// maxBulk bounds one bulk approval: a province has a few hundred units
// that send a form; a form with more boxes is not one of our pages.
const maxBulk = 5000

// approveSelected approves the reports ticked on /submissions, or every
// report shown that may be approved ("all"). Each is checked and approved
// in its own transaction, with its own audit entry, exactly as its own
// "Duyệt" button would: one refusal does not hold up the others. Units
// lower in the tree go first, so a district's report ticked together with
// its communes' is approved after them. The answer is the page again, with
// what was approved and what was refused, and why.
func (h *Web) approveSelected(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	if s.User.Role != user.Leader && s.User.Role != user.Admin {
		return errs.New(errs.Forbidden, "Chỉ lãnh đạo (hoặc quản trị viên) cấp trên trực tiếp được duyệt báo cáo.")
	}
	page, err := h.buildCompleteness(r, s, r.PostFormValue)
	if err != nil {
		return err
	}
	codes := r.PostForm["pick"]
	if r.PostFormValue("all") == "1" {
		codes = nil
		for _, row := range page.Rows {
			if row.Choices.Approve {
				codes = append(codes, row.Code)
			}
		}
	}
	if len(codes) > maxBulk {
		return errs.New(errs.Invalid, "Chọn quá nhiều báo cáo (%d); mỗi lần duyệt tối đa %d.", len(codes), maxBulk)
	}
	if len(codes) == 0 {
		return errs.New(errs.Invalid, "Chưa chọn báo cáo nào: đánh dấu ô đầu dòng của các báo cáo cần duyệt rồi bấm «Duyệt các báo cáo đã chọn».")
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	date := rollup.AsOf(page.Unit, page.Period)
	var units []unit.Unit
	out := &bulkOutcome{}
	seen := map[string]bool{}
	for _, code := range codes {
		if seen[code] {
			continue
		}
		seen[code] = true
		x, err := h.Store.UnitAt(ctx, code, date)
		if err != nil || !strings.HasPrefix(x.Path, page.Unit.Path) {
			out.Refused = append(out.Refused, bulkRefusal{code, "Không có đơn vị mã này trong danh sách đang xem."})
			continue
		}
		// Who may decide is checked for every report before any is
		// approved: the page offers boxes only where the user may, so a
		// box the user may not tick is a forged form, refused whole. What
		// the reports' state allows is then checked one by one.
		if _, err := access.DecideReport(s.User, x, page.Program.OwnerUnit); err != nil {
			return err
		}
		units = append(units, x)
	}
	slices.SortStableFunc(units, func(a, b unit.Unit) int { return strings.Count(b.Path, "/") - strings.Count(a.Path, "/") })
	for _, x := range units {
		d := submission.Decision{Actor: s.User.Actor(), Program: page.Program, Form: page.Form, Unit: x, Period: page.Period}
		err := h.approveOne(r, s, &d, reason)
		if err == nil {
			out.Approved = append(out.Approved, x.Name)
			continue
		}
		why := "Lỗi hệ thống; chi tiết đã được ghi vào nhật ký máy chủ."
		if e, ok := errs.As(err); ok && e.Code != errs.Internal {
			why = e.Message
		} else {
			h.Log.Error("bulk approval failed", "unit", x.Code, "err", err)
		}
		out.Refused = append(out.Refused, bulkRefusal{x.Name, why})
	}
	// The page as it stands now, for the same choices.
	page, err = h.buildCompleteness(r, s, r.PostFormValue)
	if err != nil {
		return err
	}
	page.Bulk = out
	return h.render(w, "submissions.html", page)
}

// approveOne approves one report of a bulk approval: the same access
// rule and workflow as its own button.
func (h *Web) approveOne(r *http.Request, s *Session, d *submission.Decision, reason string) error {
	how, err := access.DecideReport(s.User, d.Unit, d.Program.OwnerUnit)
	if err != nil {
		return err
	}
	if d.Override = how == access.Override; d.Override {
		if reason == "" {
			return errs.New(errs.Invalid, "Quản trị viên duyệt thay cấp trên trực tiếp phải ghi lý do vào ô «Lý do duyệt thay».")
		}
		d.Reason = reason
	}
	return h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		return submission.ApproveReport(r.Context(), tx, *d)
	})
}

// latePage lists the units late with a form's report, or missing it,
// grouped by the unit above (the district; the province itself after the
// 2025 reform, when communes sit directly under it), with days late.
type latePage struct {
	*completenessPage
	Groups []lateGroup
	Count  int
	Full   string // the whole completeness page for the same choices
}

type lateGroup struct {
	Name                     string
	Rows                     []lateRow
	Missing, Returned, Tardy int
}

type lateRow struct {
	Name, Code, What, Deadline, FirstSent, Returned, Reminded string
	DaysLate, DaysReturned                                    int
	EntryURL                                                  string
}

// lateReports is /submissions/late.
func (h *Web) lateReports(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	page, err := h.completenessTarget(r, s, r.URL.Query().Get)
	if err != nil {
		return err
	}
	prog, f, p, u := page.Program, page.Form, page.Period, page.Unit
	if err := h.Store.SyncCounts(ctx, prog, f, p); err != nil {
		return err
	}
	page.Base = h.base(s, "Đơn vị chậm, thiếu báo cáo — "+f.Name+" "+p.Label())
	page.Nav = "submissions"
	tree, subs, dl, err := h.reportState(ctx, page)
	if err != nil {
		return err
	}
	tree = unit.TreeOrder(tree)
	rems, err := h.Store.Reminders(ctx, prog.Code, f.Code, p)
	if err != nil {
		return err
	}
	reminded := map[int64]string{}
	for _, rm := range rems {
		reminded[rm.UnitID] = vnTime(rm.At)
	}
	if err := h.fillChoices(r, s, page, tree, dl); err != nil {
		return err
	}
	groups := reportGroups(u, tree)
	out := &latePage{completenessPage: page}
	now := h.Now()
	groupOf := map[int64]int{}
	for _, x := range submission.Submitters(tree) {
		sub := subs[x.ID]
		deadline := dl.For(x.Kind, sub)
		days := submission.DaysLate(sub, deadline, now)
		returned := sub.Status == submission.Returned && submission.PastDeadline(deadline, now)
		if days == 0 && !returned {
			continue
		}
		row := lateRow{Name: x.Name, Code: x.Code, Deadline: vnDate(deadline), DaysLate: days, Reminded: reminded[x.ID], EntryURL: entryPath(prog.Code, f.Code, x, p)}
		if !sub.FirstSent().IsZero() {
			row.FirstSent = vnTime(sub.FirstSent())
		}
		gu := groups[x.ID]
		i, ok := groupOf[gu.ID]
		if !ok {
			i = len(out.Groups)
			groupOf[gu.ID] = i
			out.Groups = append(out.Groups, lateGroup{Name: gu.Name})
		}
		g := &out.Groups[i]
		switch {
		case returned:
			row.What = "Bị trả lại, chưa gửi lại"
			row.Returned = vnTime(sub.ReturnedAt)
			row.DaysReturned = submission.DaysSince(sub.ReturnedAt, now)
			g.Returned++
		case sub.Status.Reported():
			row.What = "Nộp muộn"
			g.Tardy++
		default:
			row.What = "Chưa nộp"
			g.Missing++
		}
		g.Rows = append(g.Rows, row)
		out.Count++
	}
	for i := range out.Groups {
		slices.SortStableFunc(out.Groups[i].Rows, func(a, b lateRow) int { return b.DaysLate - a.DaysLate })
	}
	out.Full = "/submissions?" + url.Values{"program": {prog.Code}, "form": {f.Code}, "period": {p.String()}, "unit": {u.Code}, "group": {"1"}}.Encode()
	return h.render(w, "submissions_late.html", out)
}

// reportGroups says which group each report of a subtree falls in, the
// way a province reads its reports: by district, each district's own
// report with its communes'. A unit's group is the unit directly below the
// page's unit on its way down, when that one has reports below it (a
// district); otherwise the page's unit itself (a district's communes, or
// after the 2025 reform a province's communes, which are listed one by one
// under the province).
func reportGroups(page unit.Unit, tree []unit.Unit) map[int64]unit.Unit {
	byID := make(map[int64]unit.Unit, len(tree))
	parents := map[int64]bool{}
	for _, x := range tree {
		byID[x.ID] = x
	}
	for _, x := range submission.Submitters(tree) {
		parents[x.ParentID] = true
	}
	depth := len(unit.PathIDs(page.Path))
	out := make(map[int64]unit.Unit, len(tree))
	for _, x := range tree {
		out[x.ID] = page
		if ids := unit.PathIDs(x.Path); len(ids) > depth && parents[ids[depth]] {
			out[x.ID] = byID[ids[depth]]
		}
	}
	return out
}

// fillChoices sets what the page's form offers and its heading's
// deadlines: the term's periods, the units to choose, the deadlines by
// level.
func (h *Web) fillChoices(r *http.Request, s *Session, page *completenessPage, tree []unit.Unit, dl submission.Deadlines) error {
	prog, f, p := page.Program, page.Form, page.Period
	for _, k := range form.SubmittingKinds {
		if d, ok := dl[k]; ok && hasKind(tree, k) {
			page.Deadlines = append(page.Deadlines, k.Label()+": "+vnDate(d))
		}
	}
	// The term's periods, and the asked one even outside the term, so the
	// list shows what the page shows.
	for t := period.ForDate(f.PeriodType, time.Date(prog.Term.From, 1, 1, 0, 0, 0, 0, time.UTC)); t.Year <= prog.Term.To || t.Compare(p) <= 0; t = t.Next() {
		if t.Year > prog.Term.To && t != p {
			continue
		}
		page.Periods = append(page.Periods, t)
	}
	var err error
	page.Units, err = h.submitterChoices(r, s, page.Unit)
	return err
}
