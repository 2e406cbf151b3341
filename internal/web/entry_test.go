package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
	"mattran/internal/value"
)

const prog = "BG-CTHD-2019-2024"

// formPath is a report form's page.
func formPath(form, unitCode, per string) string {
	return "/entry/" + prog + "/" + form + "/" + unitCode + "/" + per
}

// decidePath is an approver's action on a report.
func decidePath(form, unitCode, per, action string) string {
	return "/submissions/" + prog + "/" + form + "/" + unitCode + "/" + per + "/" + action
}

var hiddenLoaded = regexp.MustCompile(`name="(o:[^"]+)" value="([^"]*)"`)
var figureInput = regexp.MustCompile(`name="(v:[^"]+)" id="[^"]*" value="([^"]*)"`)

// formValues reads a form page as a browser would post it back: every
// figure empty unless set, with the hidden "as loaded" values.
func formValues(body string, set map[string]string) url.Values {
	v := url.Values{}
	for _, m := range hiddenLoaded.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range figureInput.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for k, x := range set {
		v.Set(k, x)
	}
	return v
}

// fillAll sets every figure of the form to "1": every part then equals
// its whole, which the validation accepts.
func fillAll(body string, action string) url.Values {
	v := formValues(body, nil)
	for _, m := range figureInput.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], "1")
	}
	v.Set("action", action)
	return v
}

// stored reads one stored value; ok is false when there is none.
func stored(t *testing.T, s *store.Store, element, unitCode, per string) (float64, bool) {
	t.Helper()
	var v float64
	err := s.DB.QueryRow(`SELECT v.value FROM data_values v JOIN data_elements e ON e.id = v.element_id JOIN units u ON u.id = v.unit_id
		WHERE e.code = $1 AND u.code = $2 AND v.period = $3`, element, unitCode, per).Scan(&v)
	return v, err == nil
}

func expect(t *testing.T, what string, status int, body string, wantStatus int, wants ...string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("%s: status %d, want %d\n%s", what, status, wantStatus, excerpt(body))
	}
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: page lacks %q\n%s", what, w, excerpt(body))
		}
	}
}

func excerpt(body string) string {
	if i := strings.Index(body, "<main>"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000]
	}
	return body
}

// A commune officer types Vietnamese numbers into the yearly form, for the
// commune and a residential area; they are stored, the form shows them
// back, and the scorecard of the commune and of its district reads them.
// The money raised (T2.1) is typed on 2023's form: from 2024 the fund
// ledger computes it.
func TestEntrySavesVietnameseNumbers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		xa := h.login("canbo.xa")
		path := formPath("NAM", "07201", "2024")
		status, body := xa.get(path)
		expect(t, "form", status, body, http.StatusOK, `name="v:CT1_CTV:07201"`, `name="v:CT2_HGD_TONG:KDC-1"`, `name="v:CT2_HGD_TONG:KDC-2"`, "Tổ dân phố 1", "Lưu nháp", "Gửi báo cáo", "Chưa nhập")
		// T3.1's supervision count comes from the casework register from
		// 2024 on: no input for it, while 2023's form still has one.
		// So does the money raised, from the fund ledger.
		for _, f := range []string{"CT3_GIAMSAT", "CT2_QUY_VNN"} {
			if strings.Contains(body, `name="v:`+f+`:07201"`) {
				t.Errorf("the 2024 form asks for %s, which a module computes", f)
			}
		}
		path2023 := formPath("NAM", "07201", "2023")
		_, body2023 := xa.get(path2023)
		expect(t, "2023 form", http.StatusOK, body2023, http.StatusOK, `name="v:CT3_GIAMSAT:07201"`, `name="v:CT2_QUY_VNN:07201"`)
		status, body = xa.post(path, formValues(body, map[string]string{
			"v:CT2_HGD_TONG:KDC-1": "1.234", "v:CT2_HGD_VANHOA:KDC-1": "1.200", "action": "save",
		}))
		expect(t, "save", status, body, http.StatusSeeOther, "msg=saved")
		if v, _ := stored(t, s, "CT2_HGD_TONG", "KDC-1", "2024"); v != 1234 {
			t.Errorf("CT2_HGD_TONG stored %v, want 1234", v)
		}
		var source string
		if err := s.DB.QueryRow(`SELECT source FROM value_changes ORDER BY id DESC LIMIT 1`).Scan(&source); err != nil || source != "biểu NAM" {
			t.Errorf("value change source %q, %v; want «biểu NAM»", source, err)
		}
		status, body = xa.get(path + "?msg=saved")
		expect(t, "form after save", status, body, http.StatusOK, `value="1.234"`, "Đã lưu nháp", "Đang soạn")
		status, body = xa.post(path2023, formValues(body2023, map[string]string{"v:CT2_QUY_VNN:07201": "105.000.000", "action": "save"}))
		expect(t, "save 2023", status, body, http.StatusSeeOther, "msg=saved")
		if v, _ := stored(t, s, "CT2_QUY_VNN", "07201", "2023"); v != 105e6 {
			t.Errorf("CT2_QUY_VNN stored %v, want 105000000", v)
		}
		status, body = xa.get(path2023 + "?msg=saved")
		expect(t, "2023 form after save", status, body, http.StatusOK, `value="105.000.000"`)
		// 1.200 of 1.234 households: 97,2% (T2.5), at the commune and at
		// the district above it.
		for _, u := range []string{"07201", "213"} {
			status, body = h.anonymous().get("/?program=" + prog + "&unit=" + u + "&period=2024")
			expect(t, "scorecard "+u, status, body, http.StatusOK, "97,2%")
		}
	})
}

// Wrong figures come back beside their fields, in Vietnamese, with what
// was typed, and nothing is written.
func TestEntryValidation(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		xa := h.login("canbo.xa")
		path := formPath("NAM", "07201", "2024")
		_, page := xa.get(path)
		status, body := xa.post(path, formValues(page, map[string]string{"v:CT1_CTV:07201": "mười", "v:CT1_BAO_DDK:07201": "12", "action": "save"}))
		expect(t, "not a number", status, body, http.StatusBadRequest, `&#34;mười&#34; không phải là số`, `value="mười"`, `value="12"`, "Chưa có gì được ghi")
		status, body = xa.post(path, formValues(page, map[string]string{
			"v:CT1_CTV:07201":        "12,5",
			"v:CT2_HGD_TONG:KDC-1":   "1.234",
			"v:CT2_HGD_VANHOA:KDC-1": "1.300",
			"v:CT1_BAO_DDK:07201":    "12", "action": "save",
		}))
		expect(t, "store validation", status, body, http.StatusBadRequest,
			// Beside the field, the figure by its name and numbers as typed.
			"Giá trị 12,5 của chỉ số “Số cán bộ, cộng tác viên, tuyên truyền viên của Mặt trận” phải là số nguyên",
			"“Số hộ gia đình đạt danh hiệu gia đình văn hóa” = 1.300 lớn hơn “Số hộ gia đình” = 1.234", `value="12,5"`, `class="bad"`,
			// Above the form, each bad cell is named and linked: the grid's may be off screen.
			`<a href="#v%3aCT2_HGD_VANHOA%3aKDC-1">Tổ dân phố 1 — `, `<a href="#v%3aCT1_CTV%3a07201">Phường Thọ Xương — `)
		// Every error in one pass: a word where a figure goes, and a part
		// above its whole, both named on the first try.
		status, body = xa.post(path, formValues(page, map[string]string{
			"v:CT1_CTV:07201":        "mười",
			"v:CT2_HGD_TONG:KDC-1":   "1.234",
			"v:CT2_HGD_VANHOA:KDC-1": "1.300",
			"v:CT2_HGD_TONG:KDC-2":   "nhiều",
			"v:CT2_HGD_VANHOA:KDC-2": "5", "action": "save",
		}))
		expect(t, "one pass", status, body, http.StatusBadRequest, `&#34;mười&#34; không phải là số`,
			"“Số hộ gia đình đạt danh hiệu gia đình văn hóa” = 1.300 lớn hơn “Số hộ gia đình” = 1.234", "Có 3 ô chưa đúng")
		// "1,000" in a count is not saved as 1.
		status, body = xa.post(path, formValues(page, map[string]string{"v:CT1_CTV:07201": "1,000", "action": "save"}))
		expect(t, "English thousand", status, body, http.StatusBadRequest, `nếu là số nguyên 1.000, hãy viết &#34;1000&#34; hoặc &#34;1.000&#34;`, `value="1,000"`)
		// 2^53+1 is judged as typed, not as the float it rounds to.
		status, body = xa.post(path, formValues(page, map[string]string{"v:CT1_CTV:07201": "9.007.199.254.740.993", "action": "save"}))
		expect(t, "beyond 2^53", status, body, http.StatusBadRequest, "Giá trị 9.007.199.254.740.993 của chỉ số “Số cán bộ, cộng tác viên, tuyên truyền viên của Mặt trận” quá lớn")
		var n int
		s.DB.QueryRow(`SELECT count(*) FROM data_values`).Scan(&n)
		if n != 0 {
			t.Errorf("%d values stored after refused saves, want 0", n)
		}
		// A draft may leave fields empty; sending it may not.
		status, body = xa.post(path, formValues(page, map[string]string{"v:CT1_CTV:07201": "25", "action": "save"}))
		expect(t, "draft", status, body, http.StatusSeeOther)
		_, page = xa.get(path)
		status, body = xa.post(path, formValues(page, map[string]string{"action": "submit"}))
		expect(t, "submit incomplete", status, body, http.StatusBadRequest, "Cần nhập trước khi gửi báo cáo", `value="25"`)
		// A stored figure cannot be emptied.
		status, body = xa.post(path, formValues(page, map[string]string{"v:CT1_CTV:07201": "", "action": "save"}))
		expect(t, "clear", status, body, http.StatusBadRequest, "Không xóa được số đã lưu")
	})
}

// Two people open the same form and both change a figure: the second to
// save sees both values and nothing of theirs is written until they save
// again; a figure only the first changed is kept, not overwritten.
func TestEntryConflict(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		xa, huyen := h.login("canbo.xa"), h.login("canbo.huyen")
		path := formPath("NAM", "07201", "2024")
		_, first := xa.get(path)
		_, second := huyen.get(path)
		status, body := xa.post(path, formValues(first, map[string]string{"v:CT1_CTV:07201": "10", "v:CT1_BAO_DDK:07201": "40", "action": "save"}))
		expect(t, "first save", status, body, http.StatusSeeOther)
		status, body = huyen.post(path, formValues(second, map[string]string{"v:CT1_CTV:07201": "12", "v:CT3_TTND_TONG:07201": "3", "action": "save"}))
		expect(t, "second save", status, body, http.StatusConflict, "Đang lưu: 10 (do canbo.xa lưu lúc", "Bạn nhập: 12", `value="12"`, "Chưa có gì được ghi")
		if v, _ := stored(t, s, "CT1_CTV", "07201", "2024"); v != 10 {
			t.Errorf("after the conflict CT1_CTV = %v, want 10 (not overwritten)", v)
		}
		if _, ok := stored(t, s, "CT3_TTND_TONG", "07201", "2024"); ok {
			t.Error("the conflicting save wrote CT3_TTND_TONG")
		}
		// Saving the conflict page again writes their value, knowingly.
		status, body = huyen.post(path, formValues(body, map[string]string{"v:CT1_CTV:07201": "12", "v:CT3_TTND_TONG:07201": "3", "action": "save"}))
		expect(t, "save after seeing", status, body, http.StatusSeeOther)
		if v, _ := stored(t, s, "CT1_CTV", "07201", "2024"); v != 12 {
			t.Errorf("CT1_CTV = %v, want 12", v)
		}
		if v, _ := stored(t, s, "CT1_BAO_DDK", "07201", "2024"); v != 40 {
			t.Errorf("CT1_BAO_DDK = %v, want the first editor's 40", v)
		}
	})
}

// Send, approve by the district's leader, locked, reopened with a reason.
func TestSubmitApproveLockReopen(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		xa := h.login("canbo.xa")
		path := formPath("NAM", "07201", "2024")
		_, page := xa.get(path)
		status, body := xa.post(path, fillAll(page, "submit"))
		expect(t, "submit", status, body, http.StatusSeeOther, "msg=submitted")
		_, body = xa.get(path)
		expect(t, "sent", http.StatusOK, body, http.StatusOK, "Đã gửi, chờ duyệt", "đúng hạn", "đang chờ cấp trên duyệt")
		if strings.Contains(body, ">Lưu nháp<") {
			t.Error("a sent report can still be saved")
		}

		approve := decidePath("NAM", "07201", "2024", "approve")
		for _, who := range []string{"lanhdao.xa", "canbo.huyen", "lanhdao.huyen2", "canbo.xa2", "xem.tinh"} {
			status, body := h.login(who).post(approve, nil)
			expect(t, who+" approves", status, body, http.StatusForbidden)
		}
		lead := h.login("lanhdao.huyen")
		status, body = lead.post(approve, url.Values{"back": {path}})
		expect(t, "district leader approves", status, body, http.StatusSeeOther)
		_, body = xa.get(path)
		expect(t, "approved", http.StatusOK, body, http.StatusOK, "Đã duyệt", "số liệu đã khóa")

		// Locked: the form, and every other way in, refuse a change.
		status, body = xa.post(path, formValues(page, map[string]string{"v:CT1_CTV:07201": "7", "action": "save"}))
		expect(t, "save after approval", status, body, http.StatusConflict, "đã được duyệt và số liệu đã khóa")
		err := storetest.ImportCSV(s, "dataElement,period,orgUnit,value\nCT1_CTV,2024,07201,7\n")
		if err == nil || !strings.Contains(err.Error(), "khóa") {
			t.Errorf("an import into the approved period: %v; want it refused as locked", err)
		}
		// The year's report locks the year's figures, not the fourth
		// quarter's, whose own report is due in January.
		if err := storetest.ImportCSV(s, "dataElement,period,orgUnit,value\nCT1_TTCTMT_KDC,2024Q4,KDC-1,1\nCT1_TTCTMT_NHAN,2024Q4,KDC-1,1\n"); err != nil {
			t.Errorf("the fourth quarter's figures after the year's approval: %v", err)
		}

		reopen := decidePath("NAM", "07201", "2024", "reopen")
		status, body = lead.post(reopen, nil)
		expect(t, "reopen without reason", status, body, http.StatusBadRequest, "lý do")
		status, body = lead.post(reopen, url.Values{"reason": {"Sửa số cán bộ tập huấn"}})
		expect(t, "reopen", status, body, http.StatusSeeOther)
		entries, err := s.AuditEntries(context.Background(), "", "", 20)
		if err != nil {
			t.Fatal(err)
		}
		var unlocked, reopened bool
		for _, e := range entries {
			unlocked = unlocked || e.Action == "unlock" && e.Actor == "lanhdao.huyen"
			reopened = reopened || e.Action == "reopen" && e.Actor == "lanhdao.huyen" && strings.Contains(e.After, "Sửa số cán bộ tập huấn")
		}
		if !unlocked || !reopened {
			t.Errorf("audit: unlock %v, reopen with reason %v; want both", unlocked, reopened)
		}
		_, body = xa.get(path)
		expect(t, "returned", http.StatusOK, body, http.StatusOK, "Bị trả lại", "Sửa số cán bộ tập huấn", ">Lưu nháp<")
		_, page = xa.get(path)
		status, body = xa.post(path, formValues(page, map[string]string{"v:CT1_CTV:07201": "7", "action": "save"}))
		expect(t, "save after reopening", status, body, http.StatusSeeOther)
	})
}

// A district's report waits for its communes'; a report is returned with
// a reason and sent again.
func TestParentWaitsForChildrenAndReturn(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		huyen := h.login("canbo.huyen")
		path := formPath("NAM", "213", "2024")
		_, page := huyen.get(path)
		status, body := huyen.post(path, fillAll(page, "submit"))
		expect(t, "district submits", status, body, http.StatusSeeOther)
		status, body = h.login("lanhdao.tinh").post(decidePath("NAM", "213", "2024", "approve"), nil)
		expect(t, "province approves district early", status, body, http.StatusConflict, "chưa được duyệt", "Phường Thọ Xương (chưa nhập)")

		xa := h.login("canbo.xa")
		xpath := formPath("THANG", "07201", "202412")
		status, body = xa.post(xpath, url.Values{"narrative": {strings.Repeat("Ổn định. ", 2500)}, "action": {"submit"}})
		expect(t, "narrative too long", status, body, http.StatusBadRequest, "Nội dung dài 22.499 ký tự, tối đa 20.000.")
		status, body = xa.post(xpath, url.Values{"narrative": {"Tình hình nhân dân ổn định."}, "action": {"submit"}})
		expect(t, "monthly report sent", status, body, http.StatusSeeOther)
		lead := h.login("lanhdao.huyen")
		ret := decidePath("THANG", "07201", "202412", "return")
		status, body = lead.post(ret, url.Values{"reason": {" "}})
		expect(t, "return without reason", status, body, http.StatusBadRequest, "Hãy ghi lý do trả lại")
		if strings.Contains(body, "reason") {
			t.Errorf("the page names the form field in English:\n%s", body)
		}
		status, body = lead.post(ret, url.Values{"reason": {"Bổ sung tình hình an ninh nông thôn"}})
		expect(t, "return", status, body, http.StatusSeeOther)
		_, body = xa.get(xpath)
		expect(t, "returned report", http.StatusOK, body, http.StatusOK, "Bị trả lại", "Bổ sung tình hình an ninh nông thôn", "Tình hình nhân dân ổn định.")
		status, body = xa.post(xpath, url.Values{"narrative": {"Tình hình nhân dân ổn định; an ninh nông thôn được giữ vững."}, "narrative_loaded": {"Tình hình nhân dân ổn định."}, "action": {"submit"}})
		expect(t, "sent again", status, body, http.StatusSeeOther)
		_, body = xa.get(xpath)
		expect(t, "sent again", http.StatusOK, body, http.StatusOK, "Đã gửi, chờ duyệt", "an ninh nông thôn được giữ vững")
	})
}

// Users see and act only within their subtree, as their role allows.
func TestEntryAccess(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		for _, c := range []struct {
			who, method, path string
			want              int
		}{
			{"canbo.xa", "GET", formPath("NAM", "07207", "2024"), http.StatusForbidden},
			{"canbo.xa", "POST", formPath("NAM", "07207", "2024"), http.StatusForbidden},
			{"canbo.xa", "GET", "/submissions?unit=213", http.StatusForbidden},
			{"lanhdao.huyen2", "GET", "/submissions?unit=213", http.StatusForbidden},
			{"lanhdao.huyen2", "GET", formPath("NAM", "07201", "2024"), http.StatusForbidden},
			{"lanhdao.huyen2", "POST", decidePath("NAM", "07201", "2024", "approve"), http.StatusForbidden},
			{"canbo.xa", "POST", decidePath("NAM", "07207", "2024", "remind"), http.StatusForbidden},
			{"canbo.xa", "POST", decidePath("NAM", "07201", "2024", "remind"), http.StatusForbidden},
			{"xem.tinh", "POST", formPath("NAM", "07201", "2024"), http.StatusForbidden},
			{"admin.huyen", "POST", "/submissions/deadline", http.StatusForbidden},
			{"canbo.xa", "GET", formPath("NAM", "KDC-1", "2024"), http.StatusNotFound},
			{"canbo.xa", "GET", formPath("NAM", "07201", "202401"), http.StatusBadRequest},
			{"xem.tinh", "GET", formPath("NAM", "07201", "2024"), http.StatusOK},
			{"lanhdao.huyen", "GET", "/submissions?unit=213", http.StatusOK},
			{"canbo.xa", "GET", "/entry", http.StatusOK},
		} {
			cl := h.login(c.who)
			var status int
			var body string
			if c.method == "GET" {
				status, body = cl.get(c.path)
			} else {
				status, body = cl.post(c.path, url.Values{"action": {"save"}, "v:CT1_CTV:07201": {"3"}, "kind": {"commune"}, "deadline": {"20/12/2024"}, "form": {"THANG"}, "period": {"202411"}})
			}
			expect(t, c.who+" "+c.method+" "+c.path, status, body, c.want)
		}
		_, body := h.login("xem.tinh").get(formPath("NAM", "07201", "2024"))
		if strings.Contains(body, ">Lưu nháp<") || !strings.Contains(body, "chỉ xem") {
			t.Error("a viewer's form is not read-only")
		}
	})
}

// The completeness page counts who reported on time, late, who is overdue
// and who is not yet due; reminders reach the unit; T1.2 is counted from
// the monthly reports, overdue ones included.
func TestCompletenessRemindersAndT12(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		ctx := context.Background()
		// November's report is due on 5/12 for communes, 10/12 for districts.
		h.now = time.Date(2024, 12, 3, 9, 0, 0, 0, time.UTC)
		xa2 := h.login("canbo.xa2")
		status, body := xa2.post(formPath("THANG", "07207", "202411"), url.Values{"narrative": {"Ổn định."}, "action": {"submit"}})
		expect(t, "on time", status, body, http.StatusSeeOther)
		h.now = time.Date(2024, 12, 10, 9, 0, 0, 0, time.UTC)
		xa := h.login("canbo.xa")
		status, body = xa.post(formPath("THANG", "07201", "202411"), url.Values{"narrative": {"Ổn định."}, "action": {"submit"}})
		expect(t, "late", status, body, http.StatusSeeOther)

		district, _ := s.UnitAt(ctx, "213", "2024-11-30")
		communes, _ := s.Children(ctx, district, "2024-11-30")
		n := len(communes)
		lead := h.login("lanhdao.huyen")
		status, body = lead.get("/submissions?form=THANG&period=202411")
		expect(t, "completeness", status, body, http.StatusOK,
			"Đã nộp đúng hạn: 1", "Đã nộp muộn: 1", "Quá hạn, chưa nộp: "+itoa(n-2), "Chưa nộp (chưa đến hạn): 1", itoa(n+1)+" đơn vị phải nộp")

		// The same table as an Excel file.
		status, body = lead.get("/submissions?form=THANG&period=202411&format=xlsx")
		if status != http.StatusOK {
			t.Fatalf("xlsx: status %d", status)
		}
		book, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := book.GetRows(book.GetSheetName(0))
		late := false
		for _, r := range rows {
			late = late || len(r) > 4 && r[1] == "Phường Thọ Xương" && r[4] == "Đã nộp muộn"
		}
		if !late || len(rows) < n+1 {
			t.Errorf("xlsx: %d rows, Thọ Xương late: %v", len(rows), late)
		}

		// T1.2 at the district: on-time reports over reports due, the
		// communes' summed with the district's own (not due until 10/12).
		if v, _ := stored(t, s, "CT1_BCTHND_PHAINOP", "07210", "202411"); v != 1 {
			t.Errorf("an overdue commune's PHAINOP = %v, want 1", v)
		}
		if v, ok := stored(t, s, "CT1_BCTHND_DUNGHAN", "07201", "202411"); !ok || v != 0 {
			t.Errorf("the late commune's DUNGHAN = %v (%v), want 0", v, ok)
		}
		if _, ok := stored(t, s, "CT1_BCTHND_PHAINOP", "213", "202411"); ok {
			t.Error("the district's report is counted before its deadline")
		}
		p, _ := s.Program(ctx, prog)
		card, err := rollup.Scorecard(ctx, s, p, district, period.MustParse("202411"))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range card.Targets {
			if r.Target.Code == "T1.2" {
				want := 100 / float64(n)
				if r.Own.Value == nil || *r.Own.Value-want > 1e-9 || want-*r.Own.Value > 1e-9 || r.Own.Status != rollup.NotMet {
					t.Errorf("T1.2 at the district: %v %s; want %v%%, not met", r.Own.Value, r.Own.Status, want)
				}
			}
		}
		// A typed T1.2 figure is refused: it is counted, not entered.
		if err := typedCSV(s, "dataElement,period,orgUnit,value\nCT1_BCTHND_DUNGHAN,202411,07210,1\n"); err == nil || !strings.Contains(err.Error(), "tính tự động") {
			t.Errorf("typed T1.2 figure: %v; want it refused", err)
		}

		// A reminder to an overdue commune shows on its entry page and on
		// the completeness page.
		status, body = lead.post(decidePath("THANG", "07210", "202411", "remind"), url.Values{"back": {"/submissions?form=THANG&period=202411"}})
		expect(t, "remind", status, body, http.StatusSeeOther, "msg=remind")
		_, body = lead.get("/submissions?form=THANG&period=202411&msg=remind")
		expect(t, "reminded", http.StatusOK, body, http.StatusOK, "Lần cuối: 16:00 10/12/2024 (lanhdao.huyen)", "Đã ghi nhắc nhở")
		status, body = lead.post("/submissions/remind-overdue", url.Values{"form": {"THANG"}, "period": {"202411"}, "unit": {"213"}})
		expect(t, "remind all overdue", status, body, http.StatusSeeOther)
		_, body = xa.get("/entry")
		if strings.Contains(body, "nhắc nộp") {
			t.Error("a commune that reported is reminded")
		}
		var reminded int
		s.DB.QueryRow(`SELECT count(*) FROM reminders`).Scan(&reminded)
		if reminded != 1+n-2 {
			t.Errorf("%d reminders, want %d (one, then every overdue commune)", reminded, n-1)
		}

		// An administrator moves the communes' deadline: not yet due again.
		admin := h.login("admin.tinh")
		status, body = admin.post("/submissions/deadline", url.Values{"form": {"THANG"}, "period": {"202411"}, "unit": {"213"}, "kind": {"commune"}, "deadline": {"20/12/2024"}})
		expect(t, "deadline", status, body, http.StatusSeeOther)
		_, body = lead.get("/submissions?form=THANG&period=202411")
		expect(t, "after the deadline moved", http.StatusOK, body, http.StatusOK, "20/12/2024", "Quá hạn, chưa nộp: 0", "Đã nộp muộn: 1")
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// Reports are sent under the province's program, once: a unit's derived
// program shares its forms and figures, and is no second way in (e.g. a
// commune sending under its neighbour's program).
func TestReportsUnderDerivedProgramsRefused(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	ctx := context.Background()
	district, err := h.Store.UnitAt(ctx, "213", "2024-06-30")
	if err != nil {
		t.Fatal(err)
	}
	derived, err := h.Store.DeriveProgram(ctx, storetest.Actor, "BG-CTHD-2019-2024", district, "Ủy ban MTTQ thành phố Bắc Giang")
	if err != nil {
		t.Fatal(err)
	}
	xa := h.login("canbo.xa")
	for _, path := range []string{
		"/entry/" + derived.Code + "/NAM/07201/2024",
		"/submissions?program=" + derived.Code + "&form=NAM&period=2024&unit=07201",
		"/excel?program=" + derived.Code + "&form=NAM&period=2024&unit=07201",
	} {
		if status, body := xa.get(path); status != http.StatusBadRequest || !strings.Contains(body, "được nộp theo chương trình BG-CTHD-2019-2024") {
			t.Errorf("GET %s = %d, want 400 pointing to the province's program", path, status)
		}
	}
	if status, _ := xa.get("/entry"); status != http.StatusOK {
		t.Errorf("the form picker with a derived program stored: %d", status)
	}
}

// A sent report holds its figures while the level above decides: an
// upload or import may not change them (the same figures again pass), and
// once the report is returned they can be corrected.
func TestSentReportHoldsItsFigures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		xa := h.login("canbo.xa")
		path := formPath("NAM", "07201", "2024")
		_, page := xa.get(path)
		status, body := xa.post(path, fillAll(page, "submit"))
		expect(t, "submit", status, body, http.StatusSeeOther)
		stored, err := s.ExportValues(context.Background(), store.ExportFilter{Unit: mustUnit(t, s, "07201"), Elements: []string{"CT1_CTV"}, Periods: []period.Period{period.MustParse("2024")}})
		if err != nil || len(stored) != 1 {
			t.Fatalf("CT1_CTV of 07201 after sending: %v, %v", stored, err)
		}
		same := "dataElement,period,orgUnit,value\nCT1_CTV,2024,07201," + stored[0].Value + "\n"
		if err := storetest.ImportCSV(s, same); err != nil {
			t.Errorf("the sent figure imported unchanged: %v", err)
		}
		changed := "dataElement,period,orgUnit,value\nCT1_CTV,2024,07201,999\nCT2_HGD_TONG,2024,KDC-1,77\nCT1_CTV,2024,07207,5\n"
		err = storetest.ImportCSV(s, changed)
		if err == nil || !strings.Contains(err.Error(), "đã gửi và đang chờ cấp trên duyệt") {
			t.Fatalf("changing a sent report's figure by import: %v", err)
		}
		if e, _ := errs.As(err); e == nil || len(e.Details) != 2 {
			t.Errorf("want the commune's and its residential area's rows named, not the other commune's: %v", err)
		}
		lead := h.login("lanhdao.huyen")
		status, body = lead.post(decidePath("NAM", "07201", "2024", "return"), url.Values{"reason": {"Sửa số cộng tác viên"}})
		expect(t, "return", status, body, http.StatusSeeOther)
		if err := storetest.ImportCSV(s, changed); err != nil {
			t.Errorf("after the report was returned: %v", err)
		}
	})
}

func mustUnit(t *testing.T, s *store.Store, code string) unit.Unit {
	t.Helper()
	u, err := s.UnitAt(context.Background(), code, "2024-12-31")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A commune merged away on 1/7/2025 still lists itself on the entry and
// Excel pages for its term's periods (the list read today's tree, empty
// for it).
func TestEntryListsAMergedUnit(t *testing.T) {
	s := storetest.SQLite(t)
	h := newHarness(t, s)
	if _, err := s.DB.Exec(`UPDATE units SET valid_to = '2025-06-30' WHERE code = '07201'`); err != nil {
		t.Fatal(err)
	}
	h.now = time.Date(2025, 8, 1, 9, 0, 0, 0, time.UTC)
	xa := h.login("canbo.xa")
	for _, path := range []string{"/entry", "/excel?program=" + prog + "&form=NAM&unit=07201&period=2024"} {
		status, body := xa.get(path)
		expect(t, path, status, body, http.StatusOK, `<option value="07201"`)
	}
}

// typedCSV imports a values CSV as typed by the root's administrator,
// computed figures included (storetest.ImportCSV writes those through
// their module).
func typedCSV(s *store.Store, csv string) error {
	rows, err := value.Parse(strings.NewReader(csv))
	if err != nil {
		return err
	}
	root, err := s.Root(context.Background())
	if err != nil {
		return err
	}
	_, err = s.ImportValues(context.Background(), rows, store.ImportOptions{Actor: storetest.Actor, Scope: root, Source: "test"})
	return err
}
