package web_test

import (
	"context"
	"mattran/internal/clock"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/user"
	"mattran/internal/value"
)

// writeAs writes values as a harness user, as a form or a file would.
func writeAs(t *testing.T, s *store.Store, username, csv string) {
	t.Helper()
	ctx := context.Background()
	u, err := s.UserByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := value.Parse(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportValues(ctx, rows, store.ImportOptions{Actor: u.Actor(), Scope: u.Unit, Source: "form:" + username, Today: "2024-12-10"}); err != nil {
		t.Fatal(err)
	}
}

func TestAuditLog(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		// In district 213: its admin creates a user and changes her role;
		// a commune officer enters a figure, which the province's admin
		// then corrects. In the sibling district 215: the province's
		// admin creates a user, and its leader writes a figure.
		admin := h.login("admin.huyen")
		admin.post("/users", url.Values{"username": {"canbo.tho"}, "full_name": {"Đỗ Thị Thơ"}, "role": {"officer"}, "unit": {"07201"}, "password": {"mat-khau-cua-tho"}})
		admin.post("/users/canbo.tho", url.Values{"full_name": {"Đỗ Thị Thơ"}, "role": {"leader"}, "unit": {"07201"}})
		h.login("admin.tinh").post("/users", url.Values{"username": {"canbo.yenthe"}, "full_name": {"Hà Văn Thế"}, "role": {"officer"}, "unit": {"215"}, "password": {"mat-khau-yen-the"}})
		writeAs(t, s, "canbo.xa", "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,1200\n")
		writeAs(t, s, "admin.tinh", "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,1250\n")
		writeAs(t, s, "lanhdao.huyen2", "dataelement,period,orgunit,value\nCT1_BAO_DDK,2024,215,2\n")

		district := h.login("lanhdao.huyen")
		status, page := district.get("/audit")
		if status != 200 {
			t.Fatalf("GET /audit = %d\n%s", status, page)
		}
		for _, want := range []string{
			"canbo.tho", "Vai trò: Cán bộ nghiệp vụ → Lãnh đạo", // readable, not JSON
			"form:canbo.xa", // a write by a user of the district
			"“Số hộ gia đình” (mã CT2_HGD_TONG), kỳ 2024, Tổ dân phố 1 (KDC-1): 1.200 → 1.250", // the province's correction of the district's figure
			"Thành phố Bắc Giang", // the unit import, about the district's units
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the district leader's log lacks %q", want)
			}
		}
		for _, not := range []string{"canbo.yenthe", "form:lanhdao.huyen2", `{"`} {
			if strings.Contains(page, not) {
				t.Errorf("the district leader's log shows %q", not)
			}
		}
		_, sibling := h.login("lanhdao.huyen2").get("/audit")
		if !strings.Contains(sibling, "form:lanhdao.huyen2") || strings.Contains(sibling, "canbo.tho") || strings.Contains(sibling, "form:canbo.xa") {
			t.Error("the sibling district's leader sees the wrong entries")
		}

		// Filters.
		today := h.now.In(clock.Zone).Format("02/01/2006") // writes are stamped with the store's clock
		for _, c := range []struct {
			name, query string
			status      int
			want, not   []string
		}{
			{"by user", "user=admin.huyen", 200, []string{"canbo.tho"}, []string{"form:canbo.xa", "Tổ dân phố 1 (KDC-1)"}},
			{"values only", "kind=data_values", 200, []string{"form:canbo.xa", "form:admin.tinh"}, []string{"canbo.tho"}},
			{"by action", "action=update&kind=user", 200, []string{"Cán bộ nghiệp vụ → Lãnh đạo"}, []string{"form:canbo.xa", "<td>Tạo mới</td>"}},
			{"a commune", "unit=07201&kind=user", 200, []string{"canbo.tho"}, nil},
			{"a sibling district", "unit=215", 403, nil, nil},
			{"today", "from=" + today + "&to=" + today + "&kind=data_values", 200, []string{"form:canbo.xa"}, nil},
			{"a future range", "from=01/01/2099&to=31/12/2099", 200, []string{"Không có thay đổi nào khớp bộ lọc"}, []string{"form:canbo.xa"}},
			{"a bad date", "from=31/02/2024", 400, []string{`31/02/2024&#34; không tồn tại`, "Bộ lọc chưa hợp lệ"}, nil},
			{"a reversed range", "from=10/12/2024&to=01/12/2024", 400, []string{"Ngày cuối phải từ ngày đầu trở đi"}, nil},
			{"an unknown unit", "unit=99999", 400, []string{"Không có đơn vị mã 99999"}, nil},
		} {
			status, page := district.get("/audit?" + c.query)
			if status != c.status {
				t.Errorf("%s: GET /audit?%s = %d, want %d\n%s", c.name, c.query, status, c.status, page)
				continue
			}
			for _, w := range c.want {
				if !strings.Contains(page, w) {
					t.Errorf("%s: the log lacks %q", c.name, w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(page, w) {
					t.Errorf("%s: the log shows %q", c.name, w)
				}
			}
		}

		// Pages of 50, newest first: the province's log holds every unit
		// import entry of the fixture.
		province := h.login("lanhdao.tinh")
		_, first := province.get("/audit")
		if n := strings.Count(first, `<td class="when">`); n != 50 || !strings.Contains(first, "Trang sau") {
			t.Errorf("first page: %d rows", n)
		}
		if strings.Index(first, "form:lanhdao.huyen2") > strings.Index(first, "form:canbo.xa") {
			t.Error("the newest entry is not first")
		}
		_, second := province.get("/audit?page=2")
		if n := strings.Count(second, `<td class="when">`); n != 50 || !strings.Contains(second, "Trang trước") {
			t.Errorf("second page: %d rows", n)
		}

		// Admins and leaders only.
		for _, c := range []struct {
			user   string
			status int
		}{{"admin.huyen", 200}, {"lanhdao.xa", 200}, {"canbo.tinh", 403}, {"xem.tinh", 403}, {"canbo.xa", 403}} {
			if status, _ := h.login(c.user).get("/audit"); status != c.status {
				t.Errorf("%s GET /audit = %d, want %d", c.user, status, c.status)
			}
		}
		if status, _ := h.anonymous().get("/audit"); status != http.StatusSeeOther {
			t.Errorf("anonymous GET /audit = %d", status)
		}
	})
}

// An entry belongs to the subtree its actor was in when they acted: a
// district admin moved to a commune does not bring the district's log
// along to the commune's leaders.
func TestAuditFollowsTheActorsUnitAtTheTime(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		ctx := context.Background()
		admin, err := s.UserByUsername(ctx, "admin.huyen")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, admin.Actor(), store.NewUser{Username: "moi.huyen", FullName: "Cán bộ mới", Role: user.Officer, Unit: admin.Unit, Password: testPassword}); err != nil {
			t.Fatal(err)
		}
		commune, err := s.UnitAt(ctx, "07201", "2024-06-30")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.ExecContext(ctx, `UPDATE users SET unit_id = $1 WHERE username = 'admin.huyen'`, commune.ID); err != nil {
			t.Fatal(err)
		}
		if _, page := h.login("lanhdao.xa").get("/audit"); strings.Contains(page, "moi.huyen") {
			t.Error("the commune's leader sees what the admin did in the district before moving to the commune")
		}
		if _, page := h.login("lanhdao.huyen").get("/audit"); !strings.Contains(page, "moi.huyen") {
			t.Error("the district's leader does not see the user created in the district")
		}
	})
}

// Report actions read in Vietnamese in the log, with their status by name.
func TestAuditNamesReportActions(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	xa := h.login("canbo.xa")
	path := formPath("NAM", "07201", "2024")
	_, page := xa.get(path)
	if status, _ := xa.post(path, fillAll(page, "submit")); status != http.StatusSeeOther {
		t.Fatalf("submit = %d", status)
	}
	_, log := h.login("lanhdao.huyen").get("/audit")
	for _, want := range []string{"Gửi báo cáo", "Báo cáo định kỳ", "Trạng thái: Đã gửi, chờ duyệt"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	for _, bad := range []string{">submit<", "@0001-01-01", "status:"} {
		if strings.Contains(log, bad) {
			t.Errorf("the log shows %q", bad)
		}
	}
}
