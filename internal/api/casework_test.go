package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// The casework API: take in a petition, forward it, answer it, list the
// overdue ones; personal data only inside the handling unit's subtree; a
// denunciation's petitioner refused without a key (this server has none).
func TestCasesAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv, tokens := server(t, s)
		xa := tokens["officer.commune"]
		code, body := call(t, srv, xa, "POST", "/api/v1/cases", "application/json", `{"kind":"kien_nghi","unit":"07201","received":"2026-09-01",
			"field":"moi_truong","content":"Kiến nghị xử lý ô nhiễm","petitioners":[{"name":"Nguyễn Văn Dân","address":"Thôn 2"}]}`)
		if code != 201 {
			t.Fatalf("create: %d %s", code, body)
		}
		var c struct {
			ID          int64  `json:"id"`
			Status      string `json:"status"`
			Due         string `json:"due"`
			Overdue     bool   `json:"overdue"`
			Petitioners []struct {
				Name string `json:"name"`
			} `json:"petitioners"`
		}
		json.Unmarshal([]byte(body), &c)
		// 10 working days from 1/9/2026, with 2/9 (Quốc khánh) off: 16/9.
		if c.Status != "received" || c.Due != "2026-09-16" || !c.Overdue {
			t.Errorf("created: %s", body)
		}
		// Overdue at the Front: in the list.
		code, body = call(t, srv, tokens["officer.district"], "GET", "/api/v1/cases?unit=213&overdue=true", "", "")
		if code != 200 || !strings.Contains(body, `"total": 1`) || strings.Contains(body, "Nguyễn Văn Dân") || !strings.Contains(body, "[được giữ bí mật]") {
			t.Errorf("district's overdue list: %d %s", code, body)
		}
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		if code, body = call(t, srv, tokens["viewer.commune"], "GET", path, "", ""); code != 403 {
			t.Errorf("sibling commune reads the case: %d %s", code, body)
		}
		if code, body = call(t, srv, xa, "POST", path+"/forward", "application/json", `{"agency":"UBND xã","on":"2026-09-03"}`); code != 200 || !strings.Contains(body, `"status": "forwarded"`) {
			t.Fatalf("forward: %d %s", code, body)
		}
		if code, body = call(t, srv, xa, "POST", path+"/answer", "application/json", `{"on":"2026-09-20","inWriting":true}`); code != 400 || !strings.Contains(body, "tóm tắt") {
			t.Errorf("answer without summary: %d %s", code, body)
		}
		if code, body = call(t, srv, xa, "POST", path+"/answer", "application/json", `{"on":"2026-09-20","inWriting":true,"summary":"Đã xử lý"}`); code != 200 || !strings.Contains(body, `"status": "answered"`) {
			t.Fatalf("answer: %d %s", code, body)
		}
		if code, body = call(t, srv, xa, "POST", path+"/delete", "application/json", `{}`); code != 404 {
			t.Errorf("unknown action: %d %s", code, body)
		}
		if code, body = call(t, srv, tokens["viewer.commune"], "POST", "/api/v1/cases", "application/json", `{"kind":"kien_nghi","content":"x","petitioners":[{"name":"A"}]}`); code != 403 {
			t.Errorf("a viewer takes in a case: %d %s", code, body)
		}
		if code, body = call(t, srv, xa, "POST", "/api/v1/cases", "application/json", `{"kind":"to_cao","content":"Tố cáo","petitioners":[{"name":"Người Tố Cáo"}]}`); code != 503 {
			t.Errorf("a denunciation without a key: %d %s", code, body)
		}
		if code, body = call(t, srv, xa, "POST", "/api/v1/cases", "application/json", `{"kind":"kien_nghi","content":""}`); code != 400 || !strings.Contains(body, "content") {
			t.Errorf("empty content: %d %s", code, body)
		}
	})
}
