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

// bulkReports sets October 2024's monthly reports of district 213's
// communes as a district leader finds them on 10/12/2024 (deadline
// 05/11/2024): 07201 and 07210 sent on time, waiting; 07207 sent on time,
// returned on 06/11 and sent again on 02/12; 07213 first sent late on
// 08/11 and returned on 09/11, not sent again; the rest never sent.
func bulkReports(t testing.TB, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	p, err := s.Program(ctx, prog)
	if err != nil {
		t.Fatal(err)
	}
	oct := period.MustParse("202410")
	day := func(d, m int) time.Time { return time.Date(2024, time.Month(m), d, 2, 0, 0, 0, time.UTC) }
	report := func(code string, st submission.Status, first, returned, last time.Time, onTime bool) submission.Submission {
		u, err := s.UnitAt(ctx, code, "2024-10-31")
		if err != nil {
			t.Fatal(err)
		}
		return submission.Submission{Program: prog, Form: "THANG", Unit: u, Period: oct, Status: st, Narrative: "Ổn định.",
			Deadline: "2024-11-05", FirstSubmittedAt: first, ReturnedAt: returned, SubmittedAt: last, SubmittedBy: "canbo", OnTime: onTime}
	}
	subs := []submission.Submission{
		report("07201", submission.Submitted, day(3, 11), time.Time{}, day(3, 11), true),
		report("07210", submission.Submitted, day(4, 11), time.Time{}, day(4, 11), true),
		report("07207", submission.Submitted, day(3, 11), day(6, 11), day(2, 12), true),
		report("07213", submission.Returned, day(8, 11), day(9, 11), day(8, 11), false),
	}
	if err := s.ImportSubmissions(ctx, storetest.Actor, p, subs); err != nil {
		t.Fatal(err)
	}
}

// A district leader filters the waiting reports, approves three at once,
// one of which was returned meanwhile: two are approved, each audited on
// its own, and the third is named with why it was not. The re-sent
// report shows its three times; the returned one is "bị trả lại", not
// "quá hạn"; the late page counts days late by the rule it states.
func TestBulkApproval(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		bulkReports(t, s)
		leader := h.login("lanhdao.huyen")
		base := "/submissions?form=THANG&period=202410&unit=213"

		status, page := leader.get(base + "&status=cho_duyet")
		expect(t, "the waiting reports", status, page, http.StatusOK, "Phường Thọ Xương", "Phường Ngô Quyền", "Phường Hoàng Văn Thụ",
			"Đã gửi, chờ duyệt (3)", "Gửi lần đầu: 09:00 03/11/2024", "Trả lại: 09:00 06/11/2024", "Gửi lại: 09:00 02/12/2024", `name="pick" value="07201"`)
		if strings.Contains(page, "Phường Trần Phú") || strings.Contains(page, "Phường Mỹ Độ") {
			t.Error("the filter on waiting reports shows a returned or a missing one")
		}
		status, page = leader.get(base + "&status=tra_lai")
		expect(t, "the returned reports", status, page, http.StatusOK, "Phường Trần Phú", "Bị trả lại, chờ gửi lại", "trễ 3 ngày")
		if strings.Contains(page, `class="badge qua_han"`) {
			t.Error("a returned report reads «Quá hạn, chưa nộp»")
		}

		// Another leader returns 07210 before this one presses the button.
		other := h.login("admin.huyen")
		status, body := other.post(decidePath("THANG", "07210", "202410", "return"), url.Values{"reason": {"Thiếu số liệu"}})
		expect(t, "another returns 07210", status, body, http.StatusSeeOther)
		before := auditCount(t, s)
		status, page = leader.post("/submissions/approve-selected", url.Values{"form": {"THANG"}, "period": {"202410"}, "unit": {"213"},
			"status": {"cho_duyet"}, "pick": {"07201", "07207", "07210"}})
		expect(t, "three approved at once", status, page, http.StatusOK, "Kết quả duyệt: 2 báo cáo đã duyệt, 1 không duyệt được",
			"Đã duyệt: Phường Thọ Xương, Phường Ngô Quyền.", "<strong>Phường Hoàng Văn Thụ</strong>: Báo cáo")
		if got := auditCount(t, s) - before; got < 2 {
			t.Errorf("%d audit entries for two approvals, want one each at least", got)
		}
		for code, want := range map[string]submission.Status{"07201": submission.Approved, "07207": submission.Approved, "07210": submission.Returned} {
			u, _ := s.UnitAt(context.Background(), code, "2024-10-31")
			sub, err := s.Submission(context.Background(), prog, "THANG", u, period.MustParse("202410"))
			if err != nil || sub.Status != want {
				t.Errorf("%s: %s (%v), want %s", code, sub.Status, err, want)
			}
		}
		// Nothing ticked: said so.
		status, page = leader.post("/submissions/approve-selected", url.Values{"form": {"THANG"}, "period": {"202410"}, "unit": {"213"}})
		expect(t, "nothing ticked", status, page, http.StatusBadRequest, "Chưa chọn báo cáo nào")
		// A box for a unit the leader does not decide on (the district's
		// own report, the province's to approve): refused whole.
		status, page = leader.post("/submissions/approve-selected", url.Values{"form": {"THANG"}, "period": {"202410"}, "unit": {"213"}, "pick": {"213"}})
		expect(t, "the district's own report", status, page, http.StatusForbidden)

		// The province: late and missing units grouped by district.
		province := h.login("lanhdao.tinh")
		status, page = province.get("/submissions/late?form=THANG&period=202410&unit=24")
		expect(t, "the late page", status, page, http.StatusOK, "Thành phố Bắc Giang", "Huyện Yên Thế", "Phường Mỹ Độ", "35 ngày",
			"Bị trả lại, chưa gửi lại", "Cách tính:")
		if strings.Contains(page, "Phường Thọ Xương") {
			t.Error("the late page lists a unit that sent on time")
		}
		// The district's groups keep the official list's order: 213 before 215.
		if strings.Index(page, "Thành phố Bắc Giang") > strings.Index(page, "Huyện Yên Thế") {
			t.Error("the late page lists Yên Thế before Thành phố Bắc Giang")
		}
		status, page = province.get("/submissions?form=THANG&period=202410&unit=24&group=1&sort=tre")
		expect(t, "grouped and sorted", status, page, http.StatusOK, `<tr class="group"><th colspan="7">Thành phố Bắc Giang`)
	})
}
