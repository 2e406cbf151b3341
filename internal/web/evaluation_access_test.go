package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"mattran/internal/access"
	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/errs"
	"mattran/internal/evaluation"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// The annual evaluation's rows of the access table. A guide is owned by a
// unit and scores the units of the next kind below it; the table asks
// about the owner (the level above's pages), the scored unit (its sheet)
// or, for the level above's verdicts, a unit below the user's (below).

// childKind is the kind a unit's guide scores in the fixture.
func childKind(u unit.Unit) unit.Kind {
	switch u.Kind {
	case unit.Central:
		return unit.Province
	case unit.Province:
		return unit.District
	case unit.District:
		return unit.Commune
	}
	return unit.ResidentialArea
}

func evalGuideText(level unit.Kind) string {
	return fmt.Sprintf(`year: 2024
level: %s
program: %s
name: Hướng dẫn thử
groups:
  - {code: DG, name: Đánh giá, max: 10, criteria: [{code: DG1, name: Đổi mới, max: 10, kind: manual}]}
`, level, prog)
}

// guideAt stores (once) a guide of the owner for 2024, with one cluster
// (set again each time: a row before may have changed it) of its child
// and the child's sibling, led by the child; frozen as asked.
func (e *accessEnv) guideAt(owner string, frozen bool) evaluation.Record {
	e.t.Helper()
	ctx := context.Background()
	o := e.unit(owner)
	level := childKind(o)
	p := e.program(prog)
	err := e.s.WithTx(ctx, func(tx *store.Tx) error {
		rec, err := tx.EvalGuide(ctx, o.ID, 2024, level)
		if errs.Is(err, errs.NotFound) {
			g, perr := evaluation.ParseGuide(strings.NewReader(evalGuideText(level)))
			if perr != nil {
				return perr
			}
			rec, err = evaluation.SaveGuide(ctx, tx, audit.System, o, g, p)
		}
		if err != nil {
			return err
		}
		if rec.Frozen() {
			if err := evaluation.Reopen(ctx, tx, audit.System, rec, "thử"); err != nil {
				return err
			}
			if rec, err = tx.EvalGuide(ctx, o.ID, 2024, level); err != nil {
				return err
			}
		}
		child := e.unit(around[owner].child)
		members := []int64{child.ID}
		if sib := around[child.Code].sibling; sib != "" {
			members = append(members, e.unit(sib).ID)
		}
		if err := evaluation.SetClusters(ctx, tx, audit.System, rec, []evaluation.Cluster{{Code: "C1", Name: "Cụm một", Lead: child.ID, Members: members}}); err != nil {
			return err
		}
		if frozen {
			return evaluation.Freeze(ctx, tx, audit.System, rec, nil)
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	rec, err := e.s.EvalGuide(ctx, o.ID, 2024, level)
	if err != nil {
		e.t.Fatal(err)
	}
	return rec
}

// inspectionAt plans an inspection by owner of its child, concluded as asked.
func (e *accessEnv) inspectionAt(owner string, concluded bool) evaluation.Inspection {
	e.t.Helper()
	ctx := context.Background()
	var in evaluation.Inspection
	err := e.s.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		in, err = evaluation.PlanInspection(ctx, tx, audit.System, e.unit(owner), evaluation.Inspection{Year: 2024, Unit: e.unit(around[owner].child),
			Subjects: "Thực hiện chương trình", From: calendar.MustParseDate("2024-11-04"), To: calendar.MustParseDate("2024-11-05"), Leader: "Trưởng đoàn"})
		if err == nil && concluded {
			in, err = evaluation.Conclude(ctx, tx, audit.System, in.ID, "Ghi nhận", "Kết luận", "1/KL", calendar.Date{})
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return in
}

func (e *accessEnv) parentOf(x unit.Unit) unit.Unit {
	p, err := e.s.UnitByID(context.Background(), x.ParentID)
	if err != nil {
		return unit.Unit{Name: "không có"}
	}
	return p
}

func evaluationAccessCases() []accessCase {
	// The ranked list: the owner's subtree and the units below read it.
	seeBoard := func(_ accessActor, rel relation, _ string) bool { return rel == ownUnit || rel == parentUnit }
	boardRule := r(access.SeeEvaluation)
	judges := approvers
	judgeRule := r(access.JudgeEvaluation)
	// A verdict on a unit below: the level above it judges.
	judgeBelow := func(a accessActor, rel relation, target string) bool {
		return approvers(a, rel, target) && target != a.unit
	}
	judgeBelowRule := func(e *accessEnv, u user.User, x unit.Unit) error {
		return access.JudgeEvaluation(u, e.parentOf(x))
	}
	inspectors := roles(user.Admin, user.Leader, user.Officer)
	// An inspection by the target of its child: the target's subtree, and
	// the inspected unit's, read it.
	seeInspection := func(a accessActor, rel relation, target string) bool {
		return rel == ownUnit || rel == parentUnit && around[target].child == a.unit
	}
	inspectionRule := func(e *accessEnv, u user.User, x unit.Unit) error {
		if access.See(u, x) == nil {
			return nil
		}
		return access.See(u, e.unit(around[x.Code].child))
	}
	withGuide := func(frozen bool, path string) func(*accessEnv, accessActor, string) accessReq {
		return func(e *accessEnv, _ accessActor, target string) accessReq {
			e.guideAt(target, frozen)
			return accessReq{method: http.MethodGet, path: strings.ReplaceAll(path, "UNIT", target)}
		}
	}
	postGuide := func(frozen bool, path string, form func(e *accessEnv, target string) url.Values) func(*accessEnv, accessActor, string) accessReq {
		return func(e *accessEnv, _ accessActor, target string) accessReq {
			e.guideAt(target, frozen)
			f := form(e, target)
			f.Set("unit", target)
			f.Set("year", "2024")
			return accessReq{method: http.MethodPost, path: path, form: f,
				after: func() {
					e.exec(`UPDATE evaluation_guides SET frozen_at = NULL, snapshot = '', titles_confirmed_at = NULL`)
				}}
		}
	}
	// A sheet's form about the target, scored by its parent's guide.
	postSheet := func(path string, form url.Values) func(*accessEnv, accessActor, string) accessReq {
		return func(e *accessEnv, _ accessActor, target string) accessReq {
			if p := around[target].parent; p != "" {
				e.guideAt(p, false)
			}
			f := url.Values{"unit": {target}, "year": {"2024"}}
			for k, v := range form {
				f[k] = v
			}
			return accessReq{method: http.MethodPost, path: path, form: f,
				after: func() { e.exec(`DELETE FROM evaluation_sheets`) }}
		}
	}
	inspectionPath := func(concluded bool, suffix string, form url.Values) func(*accessEnv, accessActor, string) accessReq {
		return func(e *accessEnv, _ accessActor, target string) accessReq {
			if around[target].child == "" {
				return accessReq{method: http.MethodGet, path: "/evaluation/inspections/999999" + suffix}
			}
			in := e.inspectionAt(target, concluded)
			method := http.MethodGet
			if form != nil {
				method = http.MethodPost
			}
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			return accessReq{method: method, path: fmt.Sprintf("/evaluation/inspections/%d%s", in.ID, suffix), form: f}
		}
	}
	return []accessCase{
		{route: "GET /evaluation", rule: boardRule, may: seeBoard, req: withGuide(false, "/evaluation?unit=UNIT&year=2024")},
		{route: "GET /evaluation/cluster", rule: boardRule, may: seeBoard, req: withGuide(false, "/evaluation/cluster?unit=UNIT&year=2024&cluster=C1&sort=total")},
		{route: "GET /evaluation/guide", rule: boardRule, may: seeBoard, req: withGuide(false, "/evaluation/guide?unit=UNIT&year=2024")},
		{route: "GET /evaluation/report", rule: boardRule, may: seeBoard, req: withGuide(false, "/evaluation/report?unit=UNIT&year=2024")},
		{route: "POST /evaluation/guide", rule: judgeRule, may: judges, req: postGuide(false, "/evaluation/guide", func(e *accessEnv, target string) url.Values {
			return url.Values{"guide": {evalGuideText(childKind(e.unit(target)))}}
		})},
		{route: "POST /evaluation/clusters", rule: judgeRule, may: judges, req: postGuide(false, "/evaluation/clusters", func(e *accessEnv, target string) url.Values {
			return url.Values{"clusters": {"C1 | Cụm một | | " + around[target].child}}
		})},
		{route: "POST /evaluation/freeze", rule: judgeRule, may: judges, req: postGuide(false, "/evaluation/freeze", func(*accessEnv, string) url.Values { return url.Values{} })},
		{route: "POST /evaluation/reopen", rule: judgeRule, may: judges, req: postGuide(true, "/evaluation/reopen", func(*accessEnv, string) url.Values {
			return url.Values{"reason": {"Đính chính số liệu"}}
		})},
		{route: "POST /evaluation/titles", rule: judgeRule, may: judges, req: postGuide(true, "/evaluation/titles", func(*accessEnv, string) url.Values { return url.Values{} })},
		{route: "GET /evaluation/sheet", rule: r(access.SeeScoresheet), may: everyone, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			if p := around[target].parent; p != "" {
				e.guideAt(p, false)
			}
			return accessReq{method: http.MethodGet, path: "/evaluation/sheet?year=2024&unit=" + target}
		}},
		{route: "POST /evaluation/sheet/self", rule: r(access.SelfScore), may: roles(user.Leader), req: postSheet("/evaluation/sheet/self", url.Values{"points_DG1": {"8,5"}, "send": {"1"}})},
		{route: "POST /evaluation/sheet/adjust", below: true, rule: judgeBelowRule, may: judgeBelow,
			req: postSheet("/evaluation/sheet/adjust", url.Values{"criterion": {"DG1"}, "points": {"7"}, "reason": {"Theo kết luận kiểm tra"}})},
		{route: "POST /evaluation/sheet/decide", below: true, rule: judgeBelowRule, may: judgeBelow, req: postSheet("/evaluation/sheet/decide", url.Values{})},
		// The cluster's leading unit cross-checks the other members: the
		// fixture's cluster is a unit and its sibling, led by the one
		// around names as its parent's child.
		{route: "POST /evaluation/sheet/cross", rule: func(e *accessEnv, u user.User, x unit.Unit) error {
			lead := unit.Unit{}
			if p := around[x.Code].parent; p != "" && around[p].child != "" {
				lead = e.unit(around[p].child)
			}
			return access.CrossCheck(u, lead, x)
		}, may: func(a accessActor, rel relation, target string) bool {
			return a.role == user.Leader && rel == siblingUnit && around[around[target].parent].child == a.unit
		}, req: postSheet("/evaluation/sheet/cross", url.Values{"criterion": {"DG1"}, "points": {"6"}, "reason": {"Có mô hình mới"}})},
		{route: "GET /evaluation/inspections", rule: boardRule, may: seeBoard, req: get("/evaluation/inspections?unit=UNIT&year=2024")},
		{route: "POST /evaluation/inspections", rule: r(access.Inspect), may: inspectors, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodPost, path: "/evaluation/inspections", form: url.Values{"unit": {target}, "year": {"2024"},
				"target": {around[target].child}, "from": {"02/12/2024"}, "to": {"03/12/2024"}, "subjects": {"Công tác Mặt trận"}, "leader": {"Trưởng đoàn"}}}
		}},
		{route: "GET /evaluation/inspections/{id}", rule: inspectionRule, may: seeInspection, req: inspectionPath(false, "", nil)},
		{route: "GET /evaluation/inspections/{id}/print", rule: inspectionRule, may: seeInspection, req: inspectionPath(true, "/print", nil)},
		{route: "POST /evaluation/inspections/{id}/conclude", rule: r(access.Inspect), may: inspectors,
			req: inspectionPath(false, "/conclude", url.Values{"findings": {"Ghi nhận"}, "conclusion": {"Kết luận"}, "number": {"2/KL"}})},
		{route: "POST /evaluation/inspections/{id}/recommend", rule: r(access.Inspect), may: inspectors,
			req: inspectionPath(true, "/recommend", url.Values{"content": {"Bổ sung hồ sơ"}, "due": {"31/12/2024"}})},
	}
}
