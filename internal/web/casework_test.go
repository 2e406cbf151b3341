package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mattran/internal/casework"
	"mattran/internal/store/storetest"
)

// testSealer is the harness's key for denouncers' identities.
var testSealer = func() *casework.Sealer {
	s, err := casework.NewSealer([]byte("harness-key-0123456789abcdefghij"))
	if err != nil {
		panic(err)
	}
	return s
}()

var caseLink = regexp.MustCompile(`/cases/(\d+)\?msg=created`)

// fileCase takes a petition in through the intake form and returns its page's path.
func fileCase(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	status, body := c.post("/cases", form)
	m := caseLink.FindStringSubmatch(body)
	if status != http.StatusSeeOther || m == nil {
		t.Fatalf("intake: %d %s", status, excerpt(body))
	}
	return "/cases/" + m[1]
}

// A commune officer takes in a complaint, forwards it, records the
// answer; the list, the statistics and the register follow; a province
// viewer reads the case without the petitioner's address.
func TestCasePages(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	xa := h.login("canbo.xa")
	path := fileCase(t, xa, url.Values{"unit": {"07201"}, "kind": {"khieu_nai"}, "received": {"02/12/2024"}, "channel": {"truc_tiep"},
		"field": {"dat_dai"}, "content": {"Khiếu nại việc thu hồi đất nông nghiệp của gia đình"},
		"name_1": {"Hoàng Văn Khiếu"}, "id_1": {"024080000999"}, "address_1": {"Số 12 đường Lê Lợi"}})
	_, page := xa.get(path)
	for _, want := range []string{"Hoàng Văn Khiếu", "Số 12 đường Lê Lợi", "Mới tiếp nhận", "16/12/2024", "còn 6 ngày", "Chuyển đơn"} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	if status, body := xa.post(path+"/act", url.Values{"action": {"forward"}, "agency": {""}}); status != http.StatusBadRequest || !strings.Contains(body, "cơ quan có thẩm quyền") {
		t.Errorf("forward without agency: %d %s", status, excerpt(body))
	}
	if status, _ := xa.post(path+"/act", url.Values{"action": {"forward"}, "agency": {"UBND thành phố Bắc Giang"}, "dispatch": {"45/MTTQ"}, "on": {"03/12/2024"}}); status != http.StatusSeeOther {
		t.Fatalf("forward: %d", status)
	}
	_, page = xa.get(path)
	if !strings.Contains(page, "Luật Khiếu nại 2011, Điều 28") || !strings.Contains(page, "Đã chuyển, chờ trả lời") {
		t.Errorf("forwarded case page:\n%s", excerpt(page))
	}
	if status, _ := xa.post(path+"/act", url.Values{"action": {"answer"}, "on": {"09/12/2024"}, "in_writing": {"1"}, "summary": {"Đã thụ lý"}, "published": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("answer: %d", status)
	}
	// A reception session, and a petition handed in at it.
	if status, _ := xa.post("/cases/activities", url.Values{"unit": {"07201"}, "kind": {"reception"}, "held": {"09/12/2024"},
		"title": {"Tiếp công dân định kỳ tháng 12"}, "officer": {"Nguyễn Cán Bộ"}, "citizens": {"Ông Khiếu"}}); status != http.StatusSeeOther {
		t.Fatalf("reception session: %d", status)
	}
	_, register := xa.get("/cases/activities?kind=reception&unit=07201")
	m := regexp.MustCompile(`activity=(\d+)">Tiếp nhận đơn tại buổi này`).FindStringSubmatch(register)
	if m == nil {
		t.Fatalf("register:\n%s", excerpt(register))
	}
	fileCase(t, xa, url.Values{"unit": {"07201"}, "kind": {"kien_nghi"}, "activity": {m[1]}, "content": {"Kiến nghị tại buổi tiếp"}, "name_1": {"Ông Khiếu"}})
	if _, session := xa.get("/cases?unit=07201&activity=" + m[1]); !strings.Contains(session, "Kiến nghị tại buổi tiếp") || strings.Contains(session, "thu hồi đất") {
		t.Errorf("the session's cases:\n%s", excerpt(session))
	}
	_, list := xa.get("/cases?unit=07201")
	if !strings.Contains(list, "Đã có trả lời") || !strings.Contains(list, "bằng văn bản") {
		t.Errorf("list:\n%s", excerpt(list))
	}
	// T3.4's row on the commune's home page links to the cases behind it;
	// a target that reads no casework figure does not.
	_, home := xa.get("/home?unit=07201&period=2024")
	row := regexp.MustCompile(`(?s)<tr id="T3\.4">.*?</tr>`).FindString(home)
	if !strings.Contains(row, `href="/cases/stats?unit=07201&amp;year=2024"`) || strings.Contains(strings.SplitN(home, `<tr id="T3.1">`, 2)[0], "/cases/stats") {
		t.Errorf("home page's T3.4 row does not link to its cases")
	}
	_, stats := xa.get("/cases/stats?unit=07201&year=2024")
	if !strings.Contains(stats, "100%") || !strings.Contains(stats, "UBND thành phố Bắc Giang") {
		t.Errorf("stats:\n%s", excerpt(stats))
	}
	status, xlsx := xa.get("/cases/register.xlsx?unit=07201&year=2024")
	if cells := sheetText(t, xlsx); status != 200 || !strings.Contains(cells, "Hoàng Văn Khiếu") || !strings.Contains(cells, "45/MTTQ") {
		t.Errorf("register: %d\n%s", status, cells)
	}
	// A province viewer reads the case, not the petitioner's personal data.
	_, page = h.login("xem.tinh").get(path)
	if strings.Contains(page, "Hoàng Văn Khiếu") || strings.Contains(page, "Lê Lợi") || !strings.Contains(page, casework.Secret) {
		t.Errorf("province viewer sees personal data:\n%s", excerpt(page))
	}
	// A sibling commune's officer does not read it at all.
	if status, _ := h.login("canbo.xa2").get(path); status != http.StatusForbidden {
		t.Errorf("sibling commune: %d, want 403", status)
	}
}

// A denouncer's identity: hidden from everyone but the handler, even the
// commune's leader and the province admin; shown to the handler on
// request, audited; left out of the register.
func TestDenouncerIdentity(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	xa := h.login("canbo.xa")
	const name = "Đinh Thị Tố Cáo"
	path := fileCase(t, xa, url.Values{"unit": {"07201"}, "kind": {"to_cao"}, "received": {"09/12/2024"}, "field": {"tham_nhung"},
		"content": {"Tố cáo cán bộ nhận tiền"}, "name_1": {name}, "phone_1": {"0987654321"}})
	for _, who := range []string{"lanhdao.xa", "admin.tinh", "canbo.xa"} {
		_, page := h.login(who).get(path)
		if strings.Contains(page, name) || strings.Contains(page, "0987654321") || !strings.Contains(page, casework.Secret) {
			t.Errorf("%s sees the denouncer before revealing", who)
		}
		if who == "canbo.xa" {
			continue
		}
		if status, _ := h.login(who).post(path+"/reveal", nil); status != http.StatusForbidden {
			t.Errorf("%s reveals: %d, want 403", who, status)
		}
	}
	status, page := xa.post(path+"/reveal", nil)
	if status != 200 || !strings.Contains(page, name) {
		t.Fatalf("the handler reveals: %d", status)
	}
	var n int
	h.Store.DB.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'reveal_identity'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d reveals audited, want 1", n)
	}
	_, xlsx := xa.get("/cases/register.xlsx?unit=07201&year=2024")
	if cells := sheetText(t, xlsx); strings.Contains(cells, "Đinh") || !strings.Contains(cells, casework.Secret) {
		t.Errorf("the register shows the denouncer, or not the secret mark:\n%s", cells)
	}
}

// The public page: a citizen files without signing in, gets a code, and
// the tracking page shows the status and nothing personal; an oversized
// or wrong file is refused with a message; a flood from one address is
// stopped.
func TestPublicPetition(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	v := h.anonymous()
	if status, page := v.get("/public/petition"); status != 200 || !strings.Contains(page, "Thọ Xương") {
		t.Fatalf("petition page: %d", status)
	}
	type upload struct {
		name string
		data []byte
	}
	sendAll := func(files ...upload) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, x := range map[string]string{"unit": "07201", "kind": "kien_nghi", "field": "moi_truong", "content": "Đề nghị sửa đường liên thôn",
			"name_1": "Công Dân Mạng", "address_1": "Thôn Bãi"} {
			mw.WriteField(k, x)
		}
		for _, f := range files {
			fw, _ := mw.CreateFormFile("files", f.name)
			fw.Write(f.data)
		}
		mw.Close()
		req, _ := http.NewRequest("POST", v.url("/public/petition"), &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return v.do(req)
	}
	send := func(file []byte, name string) (int, string) {
		if file == nil {
			return sendAll()
		}
		return sendAll(upload{name, file})
	}
	if status, body := send([]byte("MZ\x90\x00 not a picture"), "virus.png"); status != http.StatusBadRequest || !strings.Contains(body, "không phải PDF, JPEG hay PNG") {
		t.Errorf("wrong type: %d %s", status, excerpt(body))
	}
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), casework.MaxFileSize+10)...)
	if status, body := send(big, "lon.pdf"); status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "tối đa 1 MB") {
		t.Errorf("oversized: %d %s", status, excerpt(body))
	}
	pdf, png := []byte("%PDF-1.4\n%%EOF\n"), []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	if status, body := sendAll(upload{"1.pdf", pdf}, upload{"2.pdf", pdf}, upload{"3.png", png}, upload{"4.png", png}); status != http.StatusBadRequest || !strings.Contains(body, "nhiều nhất 3 tệp") {
		t.Errorf("four files: %d %s", status, excerpt(body))
	}
	// Three files of 1 MB fit in the form's 4 MB.
	scan := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), casework.MaxFileSize-20)...)
	status, body := sendAll(upload{"don.pdf", pdf}, upload{"anh-hien-truong.png", png}, upload{"ban-scan.pdf", scan})
	m := regexp.MustCompile(`code=(DT-[A-Z0-9-]+)`).FindStringSubmatch(body)
	if status != http.StatusSeeOther || m == nil {
		t.Fatalf("filing: %d %s", status, excerpt(body))
	}
	_, track := v.get("/public/track?new=1&code=" + m[1])
	if !strings.Contains(track, m[1]) || !strings.Contains(track, "Mới tiếp nhận") || strings.Contains(track, "Công Dân Mạng") || strings.Contains(track, "sửa đường") {
		t.Errorf("tracking page:\n%s", excerpt(track))
	}
	// The officer sees the three files.
	xa := h.login("canbo.xa")
	_, list := xa.get("/cases?unit=07201&q=sua+duong")
	cm := regexp.MustCompile(`href="/cases/(\d+)"`).FindStringSubmatch(list)
	if cm == nil {
		t.Fatalf("the commune's list lacks the online petition:\n%s", excerpt(list))
	}
	_, page := xa.get("/cases/" + cm[1])
	for _, name := range []string{"don.pdf", "anh-hien-truong.png", "ban-scan.pdf"} {
		if !strings.Contains(page, name) {
			t.Errorf("the case page lacks the attachment %s", name)
		}
	}
	// Four attempts counted so far, refused ones too; one more is let
	// through, the sixth in the hour is not.
	for range 1 {
		if status, body := send(nil, ""); status != http.StatusSeeOther {
			t.Fatalf("within the limit: %d %s", status, excerpt(body))
		}
	}
	if status, body := send(nil, ""); status != http.StatusTooManyRequests {
		t.Errorf("flood: %d %s", status, excerpt(body))
	}
}

// sheetText is every cell of a downloaded workbook's first sheet, a row a line.
func sheetText(t *testing.T, data string) string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(data))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	return b.String()
}

// A commune escalates a case to its district: the district's case list
// says so and lists it; a neighbouring commune's list does not; once the
// district forwards it, it no longer waits.
func TestCaseEscalation(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	xa := h.login("canbo.xa")
	path := fileCase(t, xa, url.Values{"unit": {"07201"}, "kind": {"kien_nghi"}, "received": {"02/12/2024"},
		"content": {"Kiến nghị về ô nhiễm từ cụm công nghiệp vượt thẩm quyền xã"}, "name_1": {"Trần Thị Kiến"}})
	if status, body := xa.post(path+"/act", url.Values{"action": {"escalate"}, "note": {"Vượt thẩm quyền cấp xã"}}); status != http.StatusSeeOther {
		t.Fatalf("escalate: %d %s", status, excerpt(body))
	}
	huyen := h.login("canbo.huyen")
	_, list := huyen.get("/cases?unit=213")
	if !strings.Contains(list, "<strong>1</strong> vụ việc cấp dưới đề nghị") || !strings.Contains(list, "chưa xử lý xong") {
		t.Errorf("the district's list does not say a case was escalated to it:\n%s", excerpt(list))
	}
	_, only := huyen.get("/cases?unit=213&escalated=1")
	if !strings.Contains(only, "ô nhiễm từ cụm công nghiệp") || !strings.Contains(only, "1 vụ việc.") {
		t.Errorf("the district's escalated cases:\n%s", excerpt(only))
	}
	xa2 := h.login("canbo.xa2")
	if _, other := xa2.get("/cases?unit=07207&escalated=1"); strings.Contains(other, "ô nhiễm") || strings.Contains(other, "chưa xử lý xong") {
		t.Errorf("another commune sees the escalation:\n%s", excerpt(other))
	}
	if status, body := huyen.post(path+"/act", url.Values{"action": {"forward"}, "agency": {"UBND huyện"}, "dispatch": {"12/MTTQ"}, "on": {"04/12/2024"}}); status != http.StatusSeeOther {
		t.Fatalf("the district forwards: %d %s", status, excerpt(body))
	}
	// Forwarded is still open (waiting for the agency), so it still shows
	// in the filter, and the count stays until the agency answers.
	if status, _ := huyen.post(path+"/act", url.Values{"action": {"answer"}, "on": {"09/12/2024"}, "in_writing": {"1"}, "summary": {"Đã kiểm tra"}}); status != http.StatusSeeOther {
		t.Fatalf("answer: %d", status)
	}
	if _, list := huyen.get("/cases?unit=213"); strings.Contains(list, "chưa xử lý xong") {
		t.Errorf("an answered escalation still waits:\n%s", excerpt(list))
	}
}
