package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"mattran/internal/access"
	"mattran/internal/audit"
	"mattran/internal/casework"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// Casework's rows of the access table. A case lives at the target unit;
// its petitioner's name carries the unit's code, so the table can check
// that a reader outside the handling unit's subtree never sees it.

func petitionerAt(code string) string { return "Người gửi đơn " + code }

// caseAt stores a case at the target unit: forwarded when sent is true,
// a denunciation handled by canbo.xa when kind is to_cao.
func (e *accessEnv) caseAt(target string, kind casework.Kind, sent bool) casework.Case {
	e.t.Helper()
	ctx := context.Background()
	u := e.unit(target)
	in := casework.Intake{Kind: kind, Field: "khac", Content: fmt.Sprintf("Nội dung đơn %d", e.next()),
		Petitioners: []casework.Petitioner{{Name: petitionerAt(target), Address: "Địa chỉ " + target}}}
	if kind == casework.Recommendation {
		in.Files = []casework.Attachment{{Name: "don.pdf", Type: "application/pdf", Data: []byte("%PDF-1.4 " + target)}}
	}
	var c casework.Case
	err := e.s.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		c, err = casework.Open(ctx, tx, audit.Actor{Name: "canbo.xa"}, "canbo.xa", u, in, testSealer)
		if err == nil && sent {
			c, err = casework.Act(ctx, tx, audit.Actor{Name: "canbo.xa"}, c.ID, casework.Action{Name: casework.Forward, Agency: "UBND"})
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

var recorders = roles(user.Admin, user.Leader, user.Officer)

var (
	seeCasesRule   = access.SeeCases
	recordCaseRule = access.RecordCase
	// caseFileRule: the file of an unprotected case, for readers inside
	// the handling unit's subtree.
	caseFileRule = func(u user.User, x unit.Unit) error {
		if err := access.SeeCases(u, x); err != nil {
			return err
		}
		if !access.SeePersonal(u, x) {
			return fmt.Errorf("not personal")
		}
		return nil
	}
	// revealRule: the denunciation's handler, canbo.xa, only.
	revealRule = func(u user.User, x unit.Unit) error {
		if err := access.SeeCases(u, x); err != nil {
			return err
		}
		return access.RevealIdentity(u, casework.Case{Handler: "canbo.xa"}, x)
	}
)

// hidesPetitioners: the names of petitioners at units whose subtree the
// reader is not inside.
func hidesPetitioners(a accessActor) []string {
	var out []string
	for code := range around {
		if !inSubtreeOf(a.unit, code) {
			out = append(out, petitionerAt(code))
		}
	}
	return out
}

func caseAccessCases() []accessCase {
	casePath := func(kind casework.Kind, sent bool, suffix string) func(*accessEnv, accessActor, string) accessReq {
		return func(e *accessEnv, _ accessActor, target string) accessReq {
			c := e.caseAt(target, kind, sent)
			return accessReq{method: http.MethodGet, path: fmt.Sprintf("/cases/%d%s", c.ID, suffix)}
		}
	}
	clearAttempts := func(e *accessEnv) func() {
		return func() { e.exec(`DELETE FROM case_public_attempts`) }
	}
	return []accessCase{
		{route: "GET /cases", rule: r(seeCasesRule), may: everyone, req: get("/cases?unit=UNIT"), hides: hidesPetitioners},
		{route: "GET /cases", rule: r(seeCasesRule), may: everyone, req: get("/cases?unit=UNIT&overdue=1&year=2024")},
		{route: "GET /cases/new", rule: r(recordCaseRule), may: recorders, req: get("/cases/new?unit=UNIT")},
		{route: "POST /cases", rule: r(recordCaseRule), may: recorders, req: post("/cases", url.Values{"unit": {"UNIT"}, "kind": {"kien_nghi"},
			"content": {"Kiến nghị sửa đường"}, "name_1": {"Nguyễn Văn Dân"}})},
		// A case's page: anyone who reads its unit; the petitioner's
		// personal data only inside the handling unit's subtree.
		{route: "GET /cases/{id}", rule: r(seeCasesRule), may: everyone, req: casePath(casework.Complaint, false, ""), hides: hidesPetitioners},
		// A denunciation: its denouncer is hidden from everyone, the
		// handler too until they ask.
		{route: "GET /cases/{id}", rule: r(seeCasesRule), may: everyone, req: casePath(casework.Denunciation, false, ""),
			hides: func(accessActor) []string {
				var out []string
				for code := range around {
					out = append(out, petitionerAt(code))
				}
				return out
			}},
		{route: "POST /cases/{id}/act", rule: r(recordCaseRule), may: recorders, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			c := e.caseAt(target, casework.Complaint, true)
			return accessReq{method: http.MethodPost, path: fmt.Sprintf("/cases/%d/act", c.ID), form: url.Values{"action": {"remind"}, "note": {"Đôn đốc"}}}
		}},
		{route: "POST /cases/{id}/reveal", rule: r(revealRule), may: func(a accessActor, rel relation, _ string) bool {
			return a.name == "canbo.xa" && rel == ownUnit
		}, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			c := e.caseAt(target, casework.Denunciation, false)
			return accessReq{method: http.MethodPost, path: fmt.Sprintf("/cases/%d/reveal", c.ID)}
		}},
		{route: "GET /cases/{id}/files/{file}", rule: r(caseFileRule), may: everyone, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			c := e.caseAt(target, casework.Recommendation, false)
			full, err := e.s.Case(context.Background(), c.ID)
			if err != nil || len(full.Files) != 1 {
				e.t.Fatalf("case file: %v", err)
			}
			return accessReq{method: http.MethodGet, path: fmt.Sprintf("/cases/%d/files/%d", c.ID, full.Files[0].ID)}
		}},
		{route: "GET /cases/activities", rule: r(seeCasesRule), may: everyone, req: get("/cases/activities?kind=supervision&unit=UNIT")},
		{route: "POST /cases/activities", rule: r(recordCaseRule), may: recorders, req: post("/cases/activities", url.Values{"unit": {"UNIT"},
			"kind": {"supervision"}, "held": {"05/12/2024"}, "title": {"Giám sát chi trả chính sách"}, "agency": {"UBND"}, "recommendations": {"Chi trả đúng hạn"}})},
		{route: "GET /cases/stats", rule: r(seeCasesRule), may: everyone, req: get("/cases/stats?unit=UNIT&year=2024")},
		{route: "GET /cases/register.xlsx", rule: r(seeCasesRule), may: everyone, req: get("/cases/register.xlsx?unit=UNIT&year=2024")},
		{route: "GET /public/petition", rule: r(noRule), public: true, unitless: true, may: public, req: get("/public/petition")},
		{route: "POST /public/petition", rule: r(noRule), public: true, unitless: true, may: public, req: func(e *accessEnv, _ accessActor, _ string) accessReq {
			return accessReq{method: http.MethodPost, path: "/public/petition", client: e.h.anonymous(), after: clearAttempts(e),
				form: url.Values{"unit": {"07201"}, "kind": {"phan_anh"}, "content": {"Phản ánh đèn đường hỏng"}, "name_1": {"Công dân"}}}
		}},
		// The tracking page shows no one's name.
		{route: "GET /public/track", rule: r(noRule), public: true, may: public, hides: func(accessActor) []string {
			var out []string
			for code := range around {
				out = append(out, petitionerAt(code), "Địa chỉ "+code)
			}
			return out
		}, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			c := e.caseAt(target, casework.Complaint, true)
			return accessReq{method: http.MethodGet, path: "/public/track?code=" + c.Code}
		}},
	}
}
