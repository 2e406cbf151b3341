package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

const apiGuide = `year: 2024
level: district
program: BG-CTHD-2019-2024
name: Hướng dẫn thử
groups:
  - {code: DG, name: Đánh giá, max: 10, criteria: [{code: DG1, name: Đổi mới, max: 10, kind: manual}]}
bonus: [{code: TH, name: Sáng tạo, max: 2}]
`

// The evaluation API: the province imports its guide, exports it back,
// reads the ranked list of its districts with the source of each point; a
// district reads its own place only; a commune's viewer is refused the
// province's guide import, and a bad guide names its field.
func TestEvaluationAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv, tokens := server(t, s)
		lead := tokens["leader.province"]
		code, body := call(t, srv, lead, "POST", "/api/v1/evaluation/guide?unit=24", "application/yaml", apiGuide)
		if code != 200 || !strings.Contains(body, `"max": 10`) {
			t.Fatalf("import: %d %s", code, body)
		}
		code, body = call(t, srv, lead, "POST", "/api/v1/evaluation/guide?unit=24", "application/yaml", strings.Replace(apiGuide, "kind: manual", "kind: tay", 1))
		if code != 400 || !strings.Contains(body, "groups[1].criteria[1].kind") {
			t.Errorf("bad guide: %d %s", code, body)
		}
		if code, body = call(t, srv, tokens["officer.district"], "POST", "/api/v1/evaluation/guide?unit=24", "application/yaml", apiGuide); code != 403 {
			t.Errorf("a district's officer imports the province's guide: %d %s", code, body)
		}
		code, body = call(t, srv, lead, "GET", "/api/v1/evaluation/guide?unit=24&year=2024&format=yaml", "", "")
		if code != 200 || !strings.Contains(body, "code: DG1") {
			t.Errorf("export: %d %s", code, body)
		}
		code, body = call(t, srv, lead, "GET", "/api/v1/evaluation?year=2024&unit=24", "", "")
		var list struct {
			Frozen bool `json:"frozen"`
			Units  []struct {
				Rank  int     `json:"rank"`
				Total float64 `json:"total"`
				Class string  `json:"class"`
				Unit  struct {
					Code string `json:"code"`
				} `json:"unit"`
				Lines []struct {
					Code   string `json:"code"`
					Source struct {
						Kind string `json:"kind"`
						Text string `json:"text"`
					} `json:"source"`
				} `json:"lines"`
			} `json:"units"`
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil || code != 200 {
			t.Fatalf("ranked list: %d %v %s", code, err, body)
		}
		if len(list.Units) < 2 || list.Units[0].Rank != 1 || list.Units[0].Class != "khong_hoan_thanh" || list.Units[0].Lines[0].Source.Text != "chưa chấm" {
			t.Errorf("ranked list: %+v", list.Units[:min(2, len(list.Units))])
		}
		code, body = call(t, srv, tokens["officer.district"], "GET", "/api/v1/evaluation?year=2024&unit=213", "", "")
		if code != 200 || strings.Count(body, `"rank"`) != 1 || !strings.Contains(body, `"code": "213"`) {
			t.Errorf("a district's own place: %d %s", code, body)
		}
		if code, body = call(t, srv, tokens["viewer.commune"], "GET", "/api/v1/evaluation?year=2024&unit=213", "", ""); code != 403 {
			t.Errorf("a commune reads its district's sheet: %d %s", code, body)
		}
		if code, _ = call(t, srv, lead, "GET", "/api/v1/evaluation?year=2024", "", ""); code != 400 {
			t.Errorf("without unit: %d", code)
		}
	})
}
