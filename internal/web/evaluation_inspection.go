package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"mattran/internal/access"
	"mattran/internal/casework"
	"mattran/internal/errs"
	"mattran/internal/evaluation"
	"mattran/internal/report"
	"mattran/internal/store"
	"mattran/internal/unit"
)

type inspectionRow struct {
	ID                  int64
	Unit, Subjects      string
	Dates, Team         string
	Concluded           string
	Recs, Open, Overdue int
	URL                 string
}

type inspectionsPage struct {
	Base
	Owner   unit.Unit
	Year    int
	Rows    []inspectionRow
	Units   []unit.Unit
	Inspect bool
	Query   string
}

// inspectionsPage is the year's inspection plan of a level: who is
// inspected, on what, when, by which team, and where each stands.
func (h *Web) inspectionsPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	year, owner, err := h.evalAt(ctx, s, q)
	if err != nil {
		return err
	}
	list, err := h.Store.Inspections(ctx, owner.ID, 0, year)
	if err != nil {
		return err
	}
	page := inspectionsPage{Base: h.base(s, fmt.Sprintf("Kế hoạch kiểm tra năm %d — %s", year, owner.Name)), Owner: owner, Year: year,
		Inspect: access.Inspect(s.User, owner) == nil, Query: "year=" + strconv.Itoa(year) + "&unit=" + owner.Code}
	page.Nav = "evaluation"
	today := h.today()
	for _, in := range list {
		row := inspectionRow{ID: in.ID, Unit: in.Unit.Name, Subjects: in.Subjects, Dates: in.From.FormatVN() + " – " + in.To.FormatVN(),
			Team: in.Leader, Recs: len(in.Recs), URL: "/evaluation/inspections/" + strconv.FormatInt(in.ID, 10)}
		if in.Concluded() {
			row.Concluded = in.Number + " ngày " + in.ConcludedOn.FormatVN()
		}
		for _, id := range in.Recs {
			c, err := h.Store.Case(ctx, id)
			if err != nil {
				return err
			}
			if c.Status.Open() {
				row.Open++
			}
			if c.Overdue(today) {
				row.Overdue++
			}
		}
		page.Rows = append(page.Rows, row)
	}
	if page.Inspect {
		day := strconv.Itoa(year) + "-12-31"
		if today.Year() == year {
			day = today.String()
		}
		kids, err := h.Store.Subtree(ctx, owner, min(day, owner.ValidTo))
		if err != nil {
			return err
		}
		for _, k := range kids {
			if k.ID != owner.ID && k.Kind != unit.ResidentialArea {
				page.Units = append(page.Units, k)
			}
		}
	}
	page.Notice = evalNotice(q.Get("msg"), year)
	return h.render(w, "evaluation_inspections.html", page)
}

// inspectionPlan adds an inspection to the plan.
func (h *Web) inspectionPlan(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	year, owner, err := h.evalPosted(r, s, access.Inspect)
	if err != nil {
		return err
	}
	target, err := h.evalUnit(ctx, r.PostFormValue("target"), year)
	if err != nil {
		return err
	}
	from, err := evalDate("Ngày bắt đầu", r.PostFormValue("from"))
	if err != nil {
		return err
	}
	to, err := evalDate("Ngày kết thúc", r.PostFormValue("to"))
	if err != nil {
		return err
	}
	in := evaluation.Inspection{Year: year, Unit: target, Subjects: strings.TrimSpace(r.PostFormValue("subjects")), From: from, To: to,
		Leader: strings.TrimSpace(r.PostFormValue("leader")), Members: strings.TrimSpace(r.PostFormValue("members"))}
	if err := h.Store.WithTx(ctx, func(tx *store.Tx) error {
		in, err = evaluation.PlanInspection(ctx, tx, s.User.Actor(), owner, in)
		return err
	}); err != nil {
		return err
	}
	http.Redirect(w, r, "/evaluation/inspections/"+strconv.FormatInt(in.ID, 10)+"?msg=planned", http.StatusSeeOther)
	return nil
}

type inspectionPage struct {
	Base
	In      evaluation.Inspection
	Owner   unit.Unit
	Recs    []caseRow
	Inspect bool
	Members []string
	Doc     report.Document
	Today   string
	// InspectedIssuer names the inspected unit's standing committee.
	InspectedIssuer string
}

func (h *Web) inspectionModel(ctx context.Context, r *http.Request, s *Session) (*inspectionPage, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, errs.New(errs.NotFound, "Không có cuộc kiểm tra %q.", r.PathValue("id"))
	}
	in, err := h.Store.Inspection(ctx, id)
	if err != nil {
		return nil, err
	}
	owner, err := h.Store.UnitByID(ctx, in.OwnerID)
	if err != nil {
		return nil, err
	}
	// The inspecting level and the inspected unit's subtree read it.
	if access.See(s.User, owner) != nil && access.See(s.User, in.Unit) != nil {
		return nil, access.See(s.User, in.Unit)
	}
	page := &inspectionPage{Base: h.base(s, "Kiểm tra "+in.Unit.Name+" năm "+strconv.Itoa(in.Year)), In: in, Owner: owner,
		Inspect: access.Inspect(s.User, owner) == nil, Today: h.today().FormatVN()}
	page.Nav = "evaluation"
	for _, m := range strings.Split(in.Members, "\n") {
		if m = strings.TrimSpace(m); m != "" {
			page.Members = append(page.Members, m)
		}
	}
	today := h.today()
	for _, cid := range in.Recs {
		c, err := h.Store.Case(ctx, cid)
		if err != nil {
			return nil, err
		}
		page.Recs = append(page.Recs, rowOf(c, today))
	}
	parent := unit.Unit{}
	if owner.ParentID != 0 {
		if parent, err = h.Store.UnitByID(ctx, owner.ParentID); err != nil {
			return nil, err
		}
	}
	doc := report.New(owner, parent, in.ConcludedOn.Time())
	doc.Title = "KẾT LUẬN"
	doc.Number = "Số: " + in.Number
	if in.Number == "" {
		doc.Number = "Số: …/KL-MTTQ"
	}
	doc.Subject = "Kiểm tra việc thực hiện Chương trình hành động tại " + in.Unit.Name
	page.InspectedIssuer = report.IssuerName(in.Unit, owner)
	doc.Recipients = []string{page.InspectedIssuer + " (để thực hiện);", "Đoàn kiểm tra;", "Lưu: VT."}
	page.Doc = doc
	return page, nil
}

func (h *Web) inspectionPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	page, err := h.inspectionModel(r.Context(), r, s)
	if err != nil {
		return err
	}
	page.Notice = evalNotice(r.URL.Query().Get("msg"), page.In.Year)
	return h.render(w, "evaluation_inspection.html", page)
}

// inspectionPrint is the conclusion as an administrative document.
func (h *Web) inspectionPrint(w http.ResponseWriter, r *http.Request, s *Session) error {
	page, err := h.inspectionModel(r.Context(), r, s)
	if err != nil {
		return err
	}
	if !page.In.Concluded() {
		return errs.New(errs.Conflict, "Cuộc kiểm tra chưa có kết luận để in.")
	}
	return h.render(w, "evaluation_conclusion.html", page)
}

func (h *Web) inspectionOf(r *http.Request, s *Session) (evaluation.Inspection, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return evaluation.Inspection{}, errs.New(errs.NotFound, "Không có cuộc kiểm tra %q.", r.PathValue("id"))
	}
	in, err := h.Store.Inspection(r.Context(), id)
	if err != nil {
		return in, err
	}
	owner, err := h.Store.UnitByID(r.Context(), in.OwnerID)
	if err != nil {
		return in, err
	}
	return in, access.Inspect(s.User, owner)
}

func (h *Web) inspectionConclude(w http.ResponseWriter, r *http.Request, s *Session) error {
	in, err := h.inspectionOf(r, s)
	if err != nil {
		return err
	}
	on, err := evalDate("Ngày kết luận", r.PostFormValue("on"))
	if err != nil {
		return err
	}
	if err := h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		_, err := evaluation.Conclude(r.Context(), tx, s.User.Actor(), in.ID, r.PostFormValue("findings"), r.PostFormValue("conclusion"), r.PostFormValue("number"), on)
		return err
	}); err != nil {
		return err
	}
	http.Redirect(w, r, "/evaluation/inspections/"+strconv.FormatInt(in.ID, 10)+"?msg=concluded", http.StatusSeeOther)
	return nil
}

func (h *Web) inspectionRecommend(w http.ResponseWriter, r *http.Request, s *Session) error {
	in, err := h.inspectionOf(r, s)
	if err != nil {
		return err
	}
	due, err := evalDate("Thời hạn", r.PostFormValue("due"))
	if err != nil {
		return err
	}
	if err := h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		_, err := evaluation.Recommend(r.Context(), tx, s.User.Actor(), in.ID, r.PostFormValue("content"), due)
		return err
	}); err != nil {
		return err
	}
	http.Redirect(w, r, "/evaluation/inspections/"+strconv.FormatInt(in.ID, 10)+"?msg=recommended", http.StatusSeeOther)
	return nil
}

// overdueRecommendations are the open inspection recommendations past
// their deadline in a unit's subtree: the inspected unit's own, and, for
// the inspecting level, those of the units it inspected.
func (h *Web) overdueRecommendations(ctx context.Context, u unit.Unit) ([]caseRow, error) {
	today := h.today()
	cs, err := h.Store.Cases(ctx, store.CaseFilter{Path: u.Path, Kind: casework.InspectionRec, Overdue: true, Today: today, Limit: 20})
	if err != nil {
		return nil, err
	}
	var out []caseRow
	for _, c := range cs {
		out = append(out, rowOf(c, today))
	}
	return out, nil
}
