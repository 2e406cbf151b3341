package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

const (
	seedProgram     = "BG-CTHD-2019-2024"
	districtProgram = seedProgram + "-213"
)

// cascadeFigures: district 213 has 214 of 230 households "gia đình văn
// hóa" (93%), and raised 2 + 1 tỷ đồng (itself and commune 07201).
const cascadeFigures = `dataelement,period,orgunit,value
CT2_HGD_TONG,2024,KDC-1,100
CT2_HGD_VANHOA,2024,KDC-1,95
CT2_HGD_TONG,2024,KDC-2,50
CT2_HGD_VANHOA,2024,KDC-2,45
CT2_HGD_TONG,2024,KDC-3,80
CT2_HGD_VANHOA,2024,KDC-3,74
CT2_QUY_VNN,2024,07201,1000000000
CT2_QUY_VNN,2024,213,2000000000
CT2_QUY_VNN,2024,24,5000000000
`

// scorecardRow returns the scorecard's row of a target at a unit.
func scorecardRow(t *testing.T, c *client, unitCode, target string) string {
	t.Helper()
	status, body := c.get("/?program=" + seedProgram + "&unit=" + unitCode + "&period=2024")
	if status != 200 {
		t.Fatalf("scorecard of %s = %d", unitCode, status)
	}
	return rowWith(t, body, `<td class="code">`+target+`</td>`)
}

// rowWith returns the table row that holds marker.
func rowWith(t *testing.T, body, marker string) string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no %q on the page", marker)
	}
	start := strings.LastIndex(body[:i], "<tr")
	end := strings.Index(body[i:], "</tr>")
	return body[start : i+end]
}

func TestCascadeDeriveAndOwnThreshold(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		if err := storetest.ImportCSV(s, cascadeFigures); err != nil {
			t.Fatal(err)
		}
		district, commune := h.login("lanhdao.huyen"), h.login("lanhdao.xa")

		// The commune's leader waits for the district's program.
		_, body := commune.get("/cascade")
		if !strings.Contains(body, "Thành phố Bắc Giang chưa xây dựng chương trình") && !strings.Contains(body, "chưa xây dựng chương trình.") {
			t.Errorf("commune page before the district derives:\n%s", body)
		}
		if status, _ := commune.post("/cascade/derive", url.Values{"program": {seedProgram}}); status != http.StatusBadRequest {
			t.Errorf("commune derives before its district: %d", status)
		}
		// A commune officer may not derive at all.
		if status, _ := h.login("canbo.xa").post("/cascade/derive", url.Values{"program": {seedProgram}}); status != http.StatusForbidden {
			t.Errorf("commune officer derives: %d, want 403", status)
		}

		// The district's leader derives the district's program.
		_, body = district.get("/cascade")
		if !strings.Contains(body, `action="/cascade/derive"`) {
			t.Fatalf("the district's leader is not offered to derive:\n%s", body)
		}
		status, loc := district.post("/cascade/derive", url.Values{"program": {seedProgram}})
		if status != http.StatusSeeOther || !strings.Contains(loc, "/cascade/programs/"+districtProgram) {
			t.Fatalf("derive = %d %s", status, loc)
		}
		_, body = h.login("lanhdao.tinh").get("/cascade")
		if !strings.Contains(body, "1/10 đã xây dựng chương trình") || !strings.Contains(rowWith(t, body, ">213<"), districtProgram) {
			t.Errorf("the province does not see which districts derived theirs")
		}
		if status, body := h.login("lanhdao.tinh").get("/cascade?format=xlsx"); status != 200 || !strings.HasPrefix(body, "PK") {
			t.Errorf("the list of districts as Excel = %d", status)
		}

		// Before: 93% meets the province's 90%.
		if row := scorecardRow(t, district, "213", "T2.5"); !strings.Contains(row, "Đạt") || !strings.Contains(row, "≥ 90%") {
			t.Errorf("T2.5 at 213 before an own threshold: %s", row)
		}
		page := "/cascade/programs/" + districtProgram
		_, body = district.get(page)
		if !strings.Contains(body, `name="th-T2.5-0"`) {
			t.Fatalf("no field for T2.5's own threshold")
		}
		name := "Chương trình hành động của Ủy ban MTTQ thành phố Bắc Giang"
		// Validation beside the fields; nothing is written.
		for _, c := range []struct{ value, want string }{
			{"chín mươi", `&#34;chín mươi&#34; không phải là số`},
			{"120", "Tỷ lệ phải từ 0 đến 100%."},
			{"85", "Ngưỡng riêng không được thấp hơn ngưỡng chung (≥ 90%)."},
		} {
			status, body := district.post(page, url.Values{"name": {name}, "th-T2.5-0": {c.value}})
			if status != http.StatusBadRequest || !strings.Contains(rowWith(t, body, `name="th-T2.5-0"`), c.want) {
				t.Errorf("own threshold %q = %d, want %q beside the field", c.value, status, c.want)
			}
		}
		if status, body := district.post(page, url.Values{"name": {" "}, "th-T2.5-0": {"95"}}); status != http.StatusBadRequest || !strings.Contains(body, "Hãy nhập tên chương trình.") {
			t.Errorf("empty name = %d", status)
		}
		if row := scorecardRow(t, district, "213", "T2.5"); !strings.Contains(row, "Đạt") {
			t.Errorf("a refused form changed the scorecard: %s", row)
		}
		// A sibling district's leader may neither change nor read it.
		sibling := h.login("lanhdao.huyen2")
		if status, _ := sibling.post(page, url.Values{"name": {name}, "th-T2.5-0": {"99"}}); status != http.StatusForbidden {
			t.Errorf("sibling district's leader edits 213's program: %d, want 403", status)
		}
		if status, _ := sibling.get(page); status != http.StatusForbidden {
			t.Errorf("sibling district's leader reads 213's program: %d, want 403", status)
		}
		// Neither may the district's officer; the province's viewer reads.
		if status, _ := h.login("canbo.huyen").post(page, url.Values{"name": {name}, "th-T2.5-0": {"99"}}); status != http.StatusForbidden {
			t.Errorf("district officer edits: %d, want 403", status)
		}
		status, body = h.login("xem.tinh").get(page)
		if status != 200 || strings.Contains(body, `name="th-T2.5-0"`) {
			t.Errorf("province viewer reads the district's program: %d, with a form: %v", status, strings.Contains(body, `name="th-T2.5-0"`))
		}

		// 95%, in Vietnamese notation: 93% no longer meets it.
		if status, body := district.post(page, url.Values{"name": {name}, "th-T2.5-0": {"95,0"}}); status != http.StatusSeeOther {
			t.Fatalf("save own threshold = %d\n%s", status, body)
		}
		row := scorecardRow(t, district, "213", "T2.5")
		if !strings.Contains(row, "Chưa đạt") || !strings.Contains(row, "≥ 95% (riêng)") {
			t.Errorf("T2.5 at 213 against its own 95%%: %s", row)
		}
		// The province is still judged against 90%, and its coverage counts
		// the district against its own 95%.
		row = scorecardRow(t, district, "24", "T2.5")
		if strings.Contains(row, "riêng") || !strings.Contains(row, "0/10 huyện đạt") {
			t.Errorf("T2.5 at the province: %s", row)
		}
		_, body = district.get(page)
		if !strings.Contains(body, `value="95"`) || !strings.Contains(body, name) {
			t.Errorf("the saved own threshold is not shown in its field")
		}

		// Own tasks.
		if status, body := district.post(page+"/tasks", url.Values{"subprogram": {"CT2"}, "text": {"  "}}); status != http.StatusBadRequest || !strings.Contains(body, "Hãy nhập nội dung nhiệm vụ.") {
			t.Errorf("empty task = %d", status)
		}
		task := "Mỗi xã xây dựng ít nhất một khu dân cư kiểu mẫu"
		if status, _ := district.post(page+"/tasks", url.Values{"subprogram": {"CT2"}, "text": {task}}); status != http.StatusSeeOther {
			t.Errorf("add task = %d", status)
		}
		_, body = h.login("xem.tinh").get(page)
		if !strings.Contains(body, task) {
			t.Errorf("the added task is not on the program page")
		}
		if status, _ := district.post(page+"/tasks/delete", url.Values{"index": {"0"}, "text": {"khác"}}); status != http.StatusConflict {
			t.Errorf("delete a task whose text changed = %d, want 409", status)
		}
		if status, _ := district.post(page+"/tasks/delete", url.Values{"index": {"0"}, "text": {task}}); status != http.StatusSeeOther {
			t.Errorf("delete task = %d", status)
		}
		if _, body := district.get(page); strings.Contains(body, task) {
			t.Errorf("the deleted task is still shown")
		}

		// Every change is audited.
		entries, err := s.AuditEntries(context.Background(), "program", districtProgram, 20)
		if err != nil || len(entries) != 4 || entries[0].Actor != "lanhdao.huyen" {
			t.Errorf("audit of the district's program: %d entries, %v", len(entries), err)
		}

		// Now the commune derives from the district's program.
		if status, loc := commune.post("/cascade/derive", url.Values{"program": {seedProgram}}); status != http.StatusSeeOther || !strings.Contains(loc, districtProgram+"-07201") {
			t.Errorf("commune derives = %d %s", status, loc)
		}
	})
}

func TestCascadeQuotas(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		if err := storetest.ImportCSV(s, cascadeFigures); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		province, err := s.UnitAt(ctx, "24", "2024-12-31")
		if err != nil {
			t.Fatal(err)
		}
		districts, err := s.Children(ctx, province, "2024-12-31")
		if err != nil || len(districts) != 10 {
			t.Fatalf("%d districts, %v", len(districts), err)
		}
		leader := h.login("lanhdao.tinh")
		page := "/cascade/quotas?program=" + seedProgram + "&target=T2.1&unit=24&period=2024"
		_, body := leader.get(page)
		if !strings.Contains(body, `name="q-213"`) || !strings.Contains(body, "Chưa giao chỉ tiêu cho đơn vị trực thuộc nào.") {
			t.Fatalf("quota page before any quota:\n%s", body)
		}
		// 10 × 4 tỷ = 40 tỷ against the province's 50 tỷ.
		form := url.Values{"program": {seedProgram}, "target": {"T2.1"}, "unit": {"24"}, "period": {"2024"}}
		for _, d := range districts {
			form.Set("q-"+d.Code, "4.000.000.000")
		}
		bad := clone(form)
		bad.Set("q-215", "-5")
		bad.Set("q-216", "4 tỷ")
		bad.Set("q-217", "1.000.000,5")
		status, body := leader.post("/cascade/quotas", bad)
		if status != http.StatusBadRequest ||
			!strings.Contains(rowWith(t, body, `name="q-215"`), "Chỉ tiêu giao không được âm.") ||
			!strings.Contains(rowWith(t, body, `name="q-216"`), `&#34;4 tỷ&#34; không phải là số`) ||
			!strings.Contains(rowWith(t, body, `name="q-217"`), "Số tiền phải là số đồng chẵn") {
			t.Errorf("invalid quotas = %d", status)
		}
		if qs, _ := s.Quotas(ctx, seedProgram, "T2.1"); len(qs) != 0 {
			t.Errorf("a refused form wrote %d quotas", len(qs))
		}
		// Only the admin or leader of the unit or above assigns.
		if status, _ := h.login("canbo.tinh").post("/cascade/quotas", clone(form)); status != http.StatusForbidden {
			t.Errorf("province officer assigns quotas: %d, want 403", status)
		}
		if status, _ := h.login("lanhdao.huyen").post("/cascade/quotas", clone(form)); status != http.StatusForbidden {
			t.Errorf("district leader assigns the province's quotas: %d, want 403", status)
		}
		if status, loc := leader.post("/cascade/quotas", form); status != http.StatusSeeOther || !strings.Contains(loc, "saved=1") {
			t.Fatalf("assign quotas = %d %s", status, loc)
		}
		_, body = h.login("xem.tinh").get(page)
		if strings.Contains(body, `name="q-213"`) {
			t.Errorf("a viewer gets the quota form")
		}
		if !strings.Contains(body, "còn thiếu 10.000.000.000 đồng (10 tỷ) so với chỉ tiêu của Tỉnh Bắc Giang (≥ 50 tỷ đồng)") || !strings.Contains(body, `quota-balance short`) {
			t.Errorf("the shortfall is not shown:\n%s", body)
		}
		row := rowWith(t, body, ">Thành phố Bắc Giang<")
		for _, want := range []string{"4.000.000.000", "3 tỷ đồng", "75%", "Chưa đạt"} {
			if !strings.Contains(row, want) {
				t.Errorf("213's quota row lacks %q: %s", want, row)
			}
		}
		if !strings.Contains(rowWith(t, body, "Cộng các đơn vị trực thuộc"), "40 tỷ đồng") {
			t.Errorf("the sum of the quotas is not 40 tỷ")
		}
		// The same table in Excel: numbers that add up, the balance on top.
		status, body = leader.get(page + "&format=xlsx")
		if status != 200 {
			t.Fatalf("quota table as Excel = %d", status)
		}
		book, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows(book.GetSheetName(0), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, r := range rows {
			if len(r) > 3 && r[0] == "213" {
				found = r[2] == "4000000000" && r[3] == "3000000000"
			}
		}
		if !found || !strings.Contains(strings.Join(rows[2], ""), "còn thiếu 10.000.000.000 đồng") {
			t.Errorf("Excel quota table:\n%v", rows)
		}
		// The district is judged on its quota; the province still on 50 tỷ.
		if row := scorecardRow(t, leader, "213", "T2.1"); !strings.Contains(row, "≥ 4 tỷ đồng (riêng)") || !strings.Contains(row, "Chưa đạt") {
			t.Errorf("T2.1 at 213 with a 4 tỷ quota: %s", row)
		}
		if row := scorecardRow(t, leader, "24", "T2.1"); !strings.Contains(row, "≥ 50 tỷ đồng") || strings.Contains(row, "riêng") || !strings.Contains(row, "0/10 huyện đạt") {
			t.Errorf("T2.1 at the province: %s", row)
		}
		// Raising one district's quota by 10 tỷ makes them add up.
		form.Set("q-213", "14.000.000.000")
		leader.post("/cascade/quotas", form)
		_, body = leader.get(page)
		if !strings.Contains(body, "Tổng chỉ tiêu đã giao khớp với chỉ tiêu của Tỉnh Bắc Giang") {
			t.Errorf("quotas that add up are not said to")
		}

		// The district splits its quota among its communes once it has its
		// program; its sibling may not.
		district := h.login("lanhdao.huyen")
		dpage := "/cascade/quotas?program=" + seedProgram + "&target=T2.1&unit=213&period=2024"
		if _, body := district.get(dpage); !strings.Contains(body, "chưa xây dựng chương trình") || strings.Contains(body, `name="q-07201"`) {
			t.Errorf("the district assigns before it has a program")
		}
		district.post("/cascade/derive", url.Values{"program": {seedProgram}})
		dform := url.Values{"program": {seedProgram}, "target": {"T2.1"}, "unit": {"213"}, "period": {"2024"}, "q-07201": {"20.000.000.000"}}
		if status, _ := h.login("lanhdao.huyen2").post("/cascade/quotas", clone(dform)); status != http.StatusForbidden {
			t.Errorf("sibling district assigns 213's communes: %d", status)
		}
		if status, _ := district.post("/cascade/quotas", dform); status != http.StatusSeeOther {
			t.Errorf("district assigns a commune = %d", status)
		}
		_, body = district.get(dpage)
		if !strings.Contains(body, "thừa 6.000.000.000 đồng (6 tỷ) so với chỉ tiêu của Thành phố Bắc Giang (≥ 14 tỷ đồng)") {
			t.Errorf("the district's excess is not shown:\n%s", body)
		}
		if e, err := s.AuditEntries(ctx, "quota", districtProgram+"/T2.1", 5); err != nil || len(e) != 1 || e[0].Actor != "lanhdao.huyen" {
			t.Errorf("the district's quotas are not audited: %d, %v", len(e), err)
		}
	})
}

// clone copies a form, so that each user's post carries their own token.
func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if k != "csrf" {
			out[k] = append([]string{}, vs...)
		}
	}
	return out
}

// The "Các cấp" link of a program page leads somewhere the reader may go:
// for a commune reading the province's program, its own unit's list.
func TestCascadeLevelsLinkStaysInReach(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	c := h.login("canbo.xa")
	_, page := c.get("/cascade/programs/BG-CTHD-2019-2024")
	m := regexp.MustCompile(`href="(/cascade\?[^"]*)">Các cấp<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no «Các cấp» link")
	}
	if status, _ := c.get(html.UnescapeString(m[1])); status != http.StatusOK {
		t.Errorf("«Các cấp» (%s) = %d", m[1], status)
	}
}
