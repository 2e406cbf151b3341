package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// Last year's figures stand beside this year's; a figure that moved more
// than half is flagged "kiểm tra lại", the report is not sent until the
// officer confirms it, and the confirmation is kept. A report sent again
// after a return shows its leader what changed since. Yes/no figures are
// checkboxes.
func TestEntryLastYearChecksAndChanges(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		if err := storetest.ImportCSV(s, "dataElement,period,orgUnit,value\nCT1_CTV,2023,07201,20\nCT2_HGD_TONG,2023,KDC-1,120\n"); err != nil {
			t.Fatal(err)
		}
		xa := h.login("canbo.xa")
		path := formPath("NAM", "07201", "2024")
		status, page := xa.get(path)
		expect(t, "form", status, page, http.StatusOK, "<th>Năm 2023</th>", `<td class="last">20</td>`, `title="Năm 2023">120</span>`,
			// Labels, the code only as a small note; yes/no as a checkbox.
			`title="Mã chỉ số: CT1_CTV">`, `<small class="code">CT1_CTV</small>`, `type="checkbox" id="v:CT2_KDC_VANHOA:KDC-1"`)
		if strings.Contains(page, `<td class="code">`) {
			t.Error("the form still has a column of codes")
		}

		// An extra zero: saved as a draft, but flagged.
		status, body := xa.post(path, formValues(page, map[string]string{"v:CT2_HGD_TONG:KDC-1": "1.200", "v:CT1_CTV:07201": "25", "action": "save"}))
		expect(t, "draft", status, body, http.StatusSeeOther)
		_, page = xa.get(path)
		expect(t, "flagged", http.StatusOK, page, http.StatusOK, `Kiểm tra lại: khác năm trước hơn 50%`, `name="c:CT2_HGD_TONG:KDC-1"`)

		// Sending it: refused until confirmed.
		v := fillAll(page, "submit")
		v.Set("v:CT2_HGD_TONG:KDC-1", "1.200")
		v.Set("v:CT2_HGD_VANHOA:KDC-1", "1.000")
		v.Set("v:CT1_CTV:07201", "25")
		status, body = xa.post(path, v)
		expect(t, "send unconfirmed", status, body, http.StatusBadRequest, "Số này khác năm 2023 (120) hơn 50%: hãy kiểm tra lại", "Có 1 ô chưa đúng")
		v.Set("c:CT2_HGD_TONG:KDC-1", "1")
		v.Set("v:CT2_KDC_VANHOA:KDC-1", "1") // the checkbox ticked
		status, body = xa.post(path, v)
		expect(t, "send confirmed", status, body, http.StatusSeeOther, "msg=submitted")
		var n int
		if err := s.DB.QueryRow(`SELECT count(*) FROM figure_checks WHERE value = 1200 AND checked_by = 'canbo.xa'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("confirmations stored: %d, %v; want 1", n, err)
		}
		if got, _ := stored(t, s, "CT2_KDC_VANHOA", "KDC-1", "2024"); got != 1 {
			t.Errorf("the ticked checkbox stored %v, want 1", got)
		}
		if got, ok := stored(t, s, "CT2_KDC_VANHOA", "KDC-2", "2024"); !ok || got != 0 {
			t.Errorf("an unticked checkbox of a sent report stored %v, %v; want 0", got, ok)
		}

		// Returned, corrected, sent again: the leader sees what changed.
		lead := h.login("lanhdao.huyen")
		h.now = h.now.Add(time.Hour)
		status, body = lead.post(decidePath("NAM", "07201", "2024", "return"), url.Values{"reason": {"Xem lại số cộng tác viên"}})
		expect(t, "return", status, body, http.StatusSeeOther)
		h.now = h.now.Add(time.Hour)
		_, page = xa.get(path)
		status, body = xa.post(path, formValues(page, map[string]string{"v:CT1_CTV:07201": "27", "v:CT2_KDC_VANHOA:KDC-1": "1", "action": "submit"}))
		expect(t, "sent again", status, body, http.StatusSeeOther)
		_, page = lead.get(path)
		expect(t, "leader's view", http.StatusOK, page, http.StatusOK, "1 số liệu đã sửa từ đó được tô vàng", `<td class="changed">`, "Trước khi trả lại: 25",
			"Khác năm trước hơn 50%, đã xác nhận đúng")
		if strings.Count(page, `class="changed"`) != 1 {
			t.Errorf("%d figures highlighted, want 1", strings.Count(page, `class="changed"`))
		}
	})
}
