package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/submission"
)

// Reports are approved level by level, as the seed's reporting chain
// goes: a commune's by its district, the district's by the province. The
// province's leader may not approve a commune's report over its
// district's head, and is not offered the button; a district's report is
// not offered for approval while its communes' wait; an admin of the
// province may decide in the district's place, with a reason, which the
// audit log shows.
func TestApprovalLevelByLevel(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		ctx := context.Background()
		p, err := s.Program(ctx, prog)
		if err != nil {
			t.Fatal(err)
		}
		oct := period.MustParse("202410")
		at := time.Date(2024, 11, 3, 2, 0, 0, 0, time.UTC)
		sent := func(code string) submission.Submission {
			u, err := s.UnitAt(ctx, code, "2024-10-31")
			if err != nil {
				t.Fatal(err)
			}
			return submission.Submission{Program: prog, Form: "THANG", Unit: u, Period: oct, Status: submission.Submitted,
				Narrative: "Ổn định.", Deadline: "2024-11-05", SubmittedAt: at, SubmittedBy: "canbo", OnTime: true}
		}
		// The commune 07201 and its district 213 have sent theirs; 213's
		// other communes have not.
		if err := s.ImportSubmissions(ctx, storetest.Actor, p, []submission.Submission{sent("07201"), sent("213")}); err != nil {
			t.Fatal(err)
		}
		province := h.login("lanhdao.tinh")
		status, page := province.get("/submissions?form=THANG&period=202410&unit=24")
		expect(t, "the province's completeness page", status, page, http.StatusOK, "Chờ duyệt")
		for _, action := range []string{"/07201/202410/approve", "/213/202410/approve", "/07201/202410/return"} {
			if strings.Contains(page, action) {
				t.Errorf("the province's leader is offered %s", action)
			}
		}
		// The district's report is the province's to return: it is
		// directly above.
		if !strings.Contains(page, "/213/202410/return") {
			t.Error("the province's leader is not offered to return the district's report")
		}
		before := auditCount(t, s)
		status, page = province.post(decidePath("THANG", "07201", "202410", "approve"), nil)
		expect(t, "the province's leader approves a commune", status, page, http.StatusForbidden, "cấp trên trực tiếp")
		if auditCount(t, s) != before {
			t.Error("a refused approval wrote to the audit log")
		}
		status, page = province.post(decidePath("THANG", "213", "202410", "approve"), nil)
		expect(t, "the district before its communes", status, page, http.StatusConflict, "chưa được duyệt")

		// The district's leader approves the commune.
		district := h.login("lanhdao.huyen")
		status, page = district.get(formPath("THANG", "07201", "202410"))
		expect(t, "the commune's report, to its district", status, page, http.StatusOK, "Duyệt và khóa số liệu")
		status, page = district.post(decidePath("THANG", "07201", "202410", "approve"), nil)
		expect(t, "the district approves its commune", status, page, http.StatusSeeOther)

		// An admin of the province decides in the district's place: a
		// reason, or nothing is done.
		if err := s.ImportSubmissions(ctx, storetest.Actor, p, []submission.Submission{sent("07207")}); err != nil {
			t.Fatal(err)
		}
		admin := h.login("admin.tinh")
		status, page = admin.get("/submissions?form=THANG&period=202410&unit=213")
		expect(t, "the admin's completeness page", status, page, http.StatusOK, "Duyệt thay", "Lý do duyệt thay cấp trên")
		status, page = admin.post(decidePath("THANG", "07207", "202410", "approve"), nil)
		expect(t, "an override without a reason", status, page, http.StatusBadRequest, "Hãy ghi lý do")
		status, page = admin.post(decidePath("THANG", "07207", "202410", "approve"), url.Values{"reason": {"Huyện vắng lãnh đạo cả tuần"}})
		expect(t, "an override with a reason", status, page, http.StatusSeeOther)
		commune, _ := s.UnitAt(ctx, "07207", "2024-10-31")
		if sub, err := s.Submission(ctx, prog, "THANG", commune, oct); err != nil || sub.Status != submission.Approved || sub.Reason != "Huyện vắng lãnh đạo cả tuần" {
			t.Errorf("after the override: %+v, %v", sub, err)
		}
		status, page = admin.get("/audit?kind=submission")
		expect(t, "the audit log", status, page, http.StatusOK, "Duyệt (quản trị viên quyết định thay cấp trên)", "Huyện vắng lãnh đạo cả tuần")
	})
}

func auditCount(t *testing.T, s *store.Store) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
