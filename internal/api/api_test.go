package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mattran/internal/clock"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"mattran/internal/api"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/user"
)

// server starts the API over a fixture database with one user per role
// and level, and returns their tokens by name.
func server(t *testing.T, s *store.Store) (*httptest.Server, map[string]string) {
	t.Helper()
	ctx := context.Background()
	storetest.Fixture(t, s)
	tokens := map[string]string{}
	for _, u := range []struct {
		name string
		role user.Role
		unit string
	}{
		{"admin", user.Admin, "TW"},
		{"leader.province", user.Leader, "24"},
		{"officer.district", user.Officer, "213"},
		{"officer.commune", user.Officer, "07201"},
		{"viewer.commune", user.Viewer, "07207"},
	} {
		unit, err := s.UnitAt(ctx, u.unit, "2024-12-31")
		if err != nil {
			t.Fatal(err)
		}
		created, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: u.name, Role: u.role, Unit: unit, Password: "mat-khau-thu-nghiem"})
		if err != nil {
			t.Fatal(err)
		}
		if tokens[u.name], err = s.CreateToken(ctx, storetest.Actor, created, "test"); err != nil {
			t.Fatal(err)
		}
	}
	mux := http.NewServeMux()
	s.Clock = clock.Fixed(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	a := &api.API{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	a.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, tokens
}

func call(t *testing.T, srv *httptest.Server, token, method, path, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestEveryRouteByRole checks each route for each kind of caller: who gets
// in, who is refused, and that refusals say why in the one error shape.
func TestEveryRouteByRole(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv, tokens := server(t, s)
		kdc1 := `{"dataValues":[{"dataElement":"CT2_HGD_TONG","period":"2024","orgUnit":"KDC-1","value":"120"}]}`
		kdc3 := "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-3,80\n"
		callers := []string{"anonymous", "bad-token", "admin", "leader.province", "officer.district", "officer.commune", "viewer.commune"}
		cases := []struct {
			method, path, contentType, body string
			want                            map[string]int // by caller; callers left out expect the default
			def                             int
			contains                        string // in every 200 body
		}{
			{"GET", "/healthz", "", "", nil, 200, `"ok"`},
			{"GET", "/api/openapi.json", "", "", nil, 200, `"openapi"`},
			{"GET", "/api/v1/me", "", "", map[string]int{"anonymous": 401, "bad-token": 401}, 200, `"role"`},
			{"GET", "/api/v1/units/24", "", "", map[string]int{"admin": 200, "leader.province": 200}, 403, `"Tỉnh Bắc Giang"`},
			{"GET", "/api/v1/units/24?date=2024-13-01", "", "", map[string]int{"anonymous": 401, "bad-token": 401}, 400, ""},
			{"GET", "/api/v1/units/07201/children?date=2024-06-01", "", "", map[string]int{"viewer.commune": 403}, 200, `"KDC-1"`},
			{"GET", "/api/v1/units/99999", "", "", map[string]int{"anonymous": 401, "bad-token": 401}, 404, ""},
			{"GET", "/api/v1/programs", "", "", nil, 200, `"BG-CTHD-2019-2024"`},
			{"GET", "/api/v1/programs/BG-CTHD-2019-2024", "", "", nil, 200, `"T5.3"`},
			{"GET", "/api/v1/programs/KHONG-CO", "", "", map[string]int{"anonymous": 401, "bad-token": 401}, 404, ""},
			{"GET", "/api/v1/dataElements", "", "", nil, 200, `"CT2_QUY_VNN"`},
			{"GET", "/api/v1/scorecard?program=BG-CTHD-2019-2024&unit=213&period=2024", "", "", map[string]int{"admin": 200, "leader.province": 200, "officer.district": 200}, 403, `"T2.5"`},
			{"GET", "/api/v1/scorecard?program=BG-CTHD-2019-2024&unit=213&period=2024Q5", "", "", map[string]int{"anonymous": 401, "bad-token": 401}, 400, ""},
			{"GET", "/api/v1/analytics?dataElement=CT2_HGD_TONG&unit=07201&period=2024&by=children", "", "", map[string]int{"viewer.commune": 403}, 200, `"children"`},
			{"GET", "/api/v1/dataValueSets?orgUnit=07201&children=true&period=2024", "", "", map[string]int{"viewer.commune": 403}, 200, `"dataValues"`},
			{"POST", "/api/v1/dataValueSets", "application/json", kdc1, map[string]int{"admin": 200, "officer.district": 200, "officer.commune": 200, "leader.province": 403, "viewer.commune": 403}, 401, `"imported"`},
			{"POST", "/api/v1/dataValueSets?dryRun=true", "text/csv", kdc3, map[string]int{"admin": 200, "officer.district": 200, "officer.commune": 403, "leader.province": 403, "viewer.commune": 403}, 401, `"dryRun": true`},
		}
		for _, c := range cases {
			for _, who := range callers {
				token := tokens[who]
				if who == "bad-token" {
					token = "mt_khong-phai-ma-that"
				}
				want, ok := c.want[who]
				if !ok {
					want = c.def
					if (who == "anonymous" || who == "bad-token") && strings.HasPrefix(c.path, "/api/v1/") {
						want = 401
					}
				}
				got, body := call(t, srv, token, c.method, c.path, c.contentType, c.body)
				if got != want {
					t.Errorf("%s %s as %s: status %d, want %d\n%s", c.method, c.path, who, got, want, body)
					continue
				}
				if got == 200 && c.contains != "" && !strings.Contains(body, c.contains) {
					t.Errorf("%s %s as %s: body lacks %s:\n%.400s", c.method, c.path, who, c.contains, body)
				}
				if got >= 400 {
					var e struct {
						Error struct{ Code, Message string } `json:"error"`
					}
					if json.Unmarshal([]byte(body), &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
						t.Errorf("%s %s as %s: error body is not {\"error\":{code,message}}: %s", c.method, c.path, who, body)
					}
				}
			}
		}
	})
}

func TestScorecardAndImportOverHTTP(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		srv, tokens := server(t, s)
		csv := "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,100\nCT2_HGD_VANHOA,2024,KDC-1,95\nCT2_HGD_TONG,2024,KDC-2,50\nCT2_HGD_VANHOA,2024,KDC-2,40\n"
		if code, body := call(t, srv, tokens["officer.commune"], "POST", "/api/v1/dataValueSets", "text/csv", csv); code != 200 || !strings.Contains(body, `"imported": 4`) {
			t.Fatalf("import: %d %s", code, body)
		}
		// The very next query sees it: 135 of 150 households, 90%.
		code, body := call(t, srv, tokens["officer.commune"], "GET", "/api/v1/scorecard?program=BG-CTHD-2019-2024&unit=07201&period=2024", "", "")
		if code != 200 {
			t.Fatalf("scorecard: %d %s", code, body)
		}
		var card struct {
			Unit    struct{ Code string }
			Targets []struct {
				Code       string
				Thresholds []struct{ Text string }
				Own        struct {
					Value  *float64
					Status string
				}
			}
		}
		if err := json.Unmarshal([]byte(body), &card); err != nil {
			t.Fatal(err)
		}
		if len(card.Targets) != 25 || card.Unit.Code != "07201" {
			t.Fatalf("scorecard has %d targets for %s", len(card.Targets), card.Unit.Code)
		}
		for _, tg := range card.Targets {
			if tg.Code == "T2.5" && (tg.Own.Value == nil || *tg.Own.Value != 90 || tg.Own.Status != "dat" || tg.Thresholds[0].Text != "≥ 90%") {
				t.Errorf("T2.5 = %+v", tg)
			}
		}
		// A bad file: each bad row named, nothing stored.
		bad := "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,-3\nCT2_HGD_TONG,2024,KDC-3,5\n"
		code, body = call(t, srv, tokens["officer.commune"], "POST", "/api/v1/dataValueSets", "text/csv", bad)
		if code != 400 || !strings.Contains(body, `"row": 2`) || !strings.Contains(body, `"row": 3`) || !strings.Contains(body, "ngoài phạm vi") {
			t.Errorf("bad import: %d %s", code, body)
		}
		// Each detail says where, why as a code with its arguments, and
		// the message a person reads, numbers as the file wrote them.
		var refused struct {
			Error struct {
				Details []struct {
					Row         int
					Field, Code string
					Args        map[string]any
					Message     string
				}
			}
		}
		if err := json.Unmarshal([]byte(body), &refused); err != nil || len(refused.Error.Details) != 2 {
			t.Fatalf("bad import: %v %s", err, body)
		}
		d := refused.Error.Details[0]
		if d.Row != 2 || d.Field != "value" || d.Code != "negative" || d.Args["element"] != "CT2_HGD_TONG" || d.Args["text"] != "-3" ||
			d.Message != "dòng 2, value: giá trị -3 của chỉ số CT2_HGD_TONG là số âm; số đếm và số tiền không được âm" {
			t.Errorf("first detail = %+v", d)
		}
		if d := refused.Error.Details[1]; d.Code != "out_of_scope" || d.Args["unit"] != "KDC-3" {
			t.Errorf("second detail = %+v", d)
		}
		code, body = call(t, srv, tokens["officer.commune"], "GET", "/api/v1/dataValueSets?orgUnit=KDC-1&period=2024&format=csv", "", "")
		if code != 200 || !strings.Contains(body, "CT2_HGD_TONG,2024,KDC-1,100,officer.commune") {
			t.Errorf("export after a rejected import: %d %s", code, body)
		}
	})
}

// TestOpenAPIDocumentsEveryRoute keeps the document honest.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	s := storetest.SQLite(t)
	srv, _ := server(t, s)
	_, body := call(t, srv, "", "GET", "/api/openapi.json", "", "")
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	a := &api.API{}
	for _, r := range a.Routes() {
		method, path, _ := strings.Cut(r.Pattern, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("route %s is not in openapi.json", r.Pattern)
		}
	}
}

// TestAdminTokenFromEnvironment: MATTRAN_ADMIN_TOKEN gives a root
// administrator that token, once, for automation.
func TestAdminTokenFromEnvironment(t *testing.T) {
	s := storetest.SQLite(t)
	srv, _ := server(t, s)
	const token = "ci-token-0123456789abcdef"
	for i := 0; i < 2; i++ {
		u, err := s.EnsureAdminToken(context.Background(), token)
		if err != nil || u.Role != user.Admin || u.Unit.Code != "TW" {
			t.Fatalf("EnsureAdminToken: %+v, %v", u, err)
		}
	}
	code, body := call(t, srv, token, "GET", "/api/v1/me", "", "")
	if code != 200 || !strings.Contains(body, `"role": "admin"`) {
		t.Errorf("/me with the admin token: %d %s", code, body)
	}
	var n int
	s.DB.QueryRow(`SELECT count(*) FROM api_tokens WHERE label = 'MATTRAN_ADMIN_TOKEN'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d admin tokens stored after two starts, want 1", n)
	}
	if _, err := s.EnsureAdminToken(context.Background(), "short"); err == nil {
		t.Error("a short admin token was accepted")
	}
}

// With ?tree=, analytics and the scorecard read the period's figures on
// the tree of that day, and say which rule moved which value: 2024's fund
// of Xã A (1.000), split between N1 and N2 by households (1:4), and Xã B's
// (500), merged whole into N1.
func TestFiguresOnTheTreeOfADay(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		storetest.Split(t, s)
		if err := s.SetReassignRule(ctx, storetest.Actor, rollup.Rule{Element: "E_QUY", Kind: rollup.ByHouseholds, Weight: "E_HO"}); err != nil {
			t.Fatal(err)
		}
		root, _ := s.Root(ctx)
		admin, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: "admin", Role: user.Admin, Unit: root, Password: "mat-khau-thu-nghiem"})
		if err != nil {
			t.Fatal(err)
		}
		token, _ := s.CreateToken(ctx, storetest.Actor, admin, "test")
		mux := http.NewServeMux()
		(&api.API{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(mux)
		srv := httptest.NewServer(mux)
		defer srv.Close()

		status, body := call(t, srv, token, "GET", "/api/v1/analytics?dataElement=E_QUY&unit=90&period=2024&tree=2025-07-01&by=children", "", "")
		if status != 200 {
			t.Fatalf("analytics: %d %s", status, body)
		}
		var got struct {
			Unit struct {
				Value float64 `json:"value"`
			} `json:"unit"`
			Children []struct {
				Code        string  `json:"code"`
				Value       float64 `json:"value"`
				CarriedFrom []struct {
					Code  string  `json:"code"`
					Share float64 `json:"share"`
				} `json:"carriedFrom"`
				SplitRules []struct {
					How string `json:"how"`
				} `json:"splitRules"`
			} `json:"children"`
			Tree struct {
				Date  string `json:"date"`
				Moves []struct {
					From  struct{ Code string } `json:"from"`
					To    struct{ Code string } `json:"to"`
					Share float64               `json:"share"`
					Value float64               `json:"value"`
					Rule  string                `json:"rule"`
				} `json:"moves"`
			} `json:"tree"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		if got.Unit.Value != 8500 || len(got.Children) != 2 || got.Tree.Date != "2025-07-01" {
			t.Fatalf("analytics on the tree of 1/7/2025:\n%s", body)
		}
		want := map[string]float64{"90010": 200 + 500, "90020": 800}
		for _, c := range got.Children {
			if c.Value != want[c.Code] {
				t.Errorf("%s: %v; want %v", c.Code, c.Value, want[c.Code])
			}
			if len(c.SplitRules) != 1 || c.SplitRules[0].How != "chia theo số hộ năm 2024" {
				t.Errorf("%s: the rule is not named next to its figure: %+v", c.Code, c.SplitRules)
			}
		}
		if n1 := got.Children[0]; len(n1.CarriedFrom) != 2 || n1.CarriedFrom[0].Code != "90001" || n1.CarriedFrom[0].Share != 0.2 || n1.CarriedFrom[1].Share != 1 {
			t.Errorf("N1 carried from %+v", n1.CarriedFrom)
		}
		if len(got.Tree.Moves) != 2 || got.Tree.Moves[0].From.Code != "90001" || got.Tree.Moves[0].Value != 200 || got.Tree.Moves[1].Value != 800 || got.Tree.Moves[0].Rule != "households" {
			t.Errorf("moves: %+v", got.Tree.Moves)
		}

		status, body = call(t, srv, token, "GET", "/api/v1/scorecard?program=TEST-SPLIT&unit=90010&period=2024&tree=2025-07-01", "", "")
		if status != 200 || !strings.Contains(body, `"tree": {`) || !strings.Contains(body, `"how": "chia theo số hộ năm 2024"`) || !strings.Contains(body, `"value": 700`) {
			t.Errorf("scorecard on the tree of 1/7/2025: %d %s", status, body)
		}
		// The new commune did not exist in 2024: without tree= there is no such unit then.
		if status, _ := call(t, srv, token, "GET", "/api/v1/scorecard?program=TEST-SPLIT&unit=90010&period=2024", "", ""); status != 404 {
			t.Errorf("scorecard of N1 for 2024 without a tree: %d; want 404", status)
		}
		if status, body := call(t, srv, token, "GET", "/api/v1/analytics?dataElement=E_QUY&unit=90&period=2024&tree=2025-13-01", "", ""); status != 400 || !strings.Contains(body, "tree") {
			t.Errorf("bad tree: %d %s", status, body)
		}
	})
}
