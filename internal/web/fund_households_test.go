package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"mattran/internal/audit"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// TestHouseholdRegisterPage walks a commune officer through the register:
// a household needs one of the commune's residential areas (none, or
// another commune's, is refused naming the field); the area's page lists
// each household with its Tết gift and supports, and the figures T2.2 and
// T2.3 count; the commune's T2.2 on the home page links to the register;
// an officer of another commune may not read it, and the public scorecard
// does not link to it (it names poor households).
func TestHouseholdRegisterPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		ctx := context.Background()
		xa := h.login("canbo.xa")
		add := func(head, area, status string) (int, string) {
			return xa.post("/fund/households", url.Values{"unit": {"07201"}, "year": {"2024"}, "head": {head}, "address": {"Tổ 1"}, "area": {area}, "status": {status}})
		}
		for _, tc := range []struct{ area, want string }{{"", "Chưa chọn khu dân cư"}, {"KDC-3", "khu dân cư đã chọn không thuộc Phường Thọ Xương"}} {
			status, body := add("Hộ sai", tc.area, "poor")
			if status != http.StatusBadRequest && status != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
				t.Errorf("area %q: %d, want refused with %q\n%s", tc.area, status, tc.want, excerpt(body))
			}
		}
		for _, x := range []struct{ head, area, status string }{
			{"Lê Văn Tư", "KDC-1", "poor"}, {"Ngô Thị Năm", "KDC-1", "poor"}, {"Lục Thị Chín", "KDC-1", "special"}, {"Đinh Văn Hai", "KDC-2", "poor"},
		} {
			if status, body := add(x.head, x.area, x.status); status != http.StatusSeeOther {
				t.Fatalf("adding %s: %d\n%s", x.head, status, excerpt(body))
			}
		}

		// A Tết gift to Lê Văn Tư, and two supports in two quarters to
		// Lục Thị Chín, entered and approved by two people.
		hs, _, err := s.HouseholdAids(ctx, mustUnit(t, s, "07201"), 2024)
		if err != nil {
			t.Fatal(err)
		}
		byHead := map[string]fund.Household{}
		for _, x := range hs {
			byHead[x.Head] = x
		}
		enter, approve := audit.Actor{UserID: -21, Name: "cán bộ"}, audit.Actor{UserID: -22, Name: "lãnh đạo"}
		err = s.WithTx(ctx, func(tx *store.Tx) error {
			xa := mustUnit(t, s, "07201")
			c, err := fund.OpenCampaign(ctx, tx, approve, xa, fund.Campaign{Code: "QVNN-07201-2024", Name: "Quỹ Vì người nghèo 2024", Kind: fund.Yearly, Year: 2024})
			if err != nil {
				return err
			}
			if _, err := fund.Receive(ctx, tx, enter, xa, fund.Entry{CampaignID: c.ID, Day: "2024-01-05", Amount: 10_000_000, Channel: fund.Cash,
				DonorKind: fund.Person, Donor: "Nguyễn Văn An"}); err != nil {
				return err
			}
			for _, g := range []struct{ head, purpose, day string }{
				{"Lê Văn Tư", "tet_gift", "2024-02-01"}, {"Lục Thị Chín", "medical", "2024-03-10"}, {"Lục Thị Chín", "livelihood", "2024-07-10"},
			} {
				q, err := fund.RequestDisbursement(ctx, tx, enter, xa, fund.Request{CampaignID: c.ID, Day: g.day, Amount: 500_000, Purpose: g.purpose,
					HouseholdID: byHead[g.head].ID, Beneficiary: g.head})
				if err != nil {
					return err
				}
				if _, err := fund.ApproveDisbursement(ctx, tx, approve, q.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		status, page := xa.get("/fund/households?unit=KDC-1&year=2024")
		if status != http.StatusOK {
			t.Fatalf("KDC-1's register: %d", status)
		}
		mustContain(t, "KDC-1's register", page, "Lê Văn Tư", "Ngô Thị Năm", "Lục Thị Chín", "Đã nhận", "(thường xuyên)")
		if strings.Contains(page, "Đinh Văn Hai") {
			t.Error("KDC-1's register lists a household of KDC-2")
		}
		// The area's figures: 2 poor, 1 with a gift; 1 special, supported.
		if row := trWith(page, ">Tổ dân phố 1</a>"); !strings.Contains(row, ">2<") || !strings.Contains(row, ">1<") {
			t.Errorf("KDC-1's figures row: %s", row)
		}
		if r := trWith(page, "Lê Văn Tư"); !strings.Contains(r, "Đã nhận") {
			t.Errorf("Lê Văn Tư's row does not show the gift: %s", r)
		}
		if r := trWith(page, "Ngô Thị Năm"); !strings.Contains(r, "Chưa") {
			t.Errorf("Ngô Thị Năm's row shows a gift: %s", r)
		}

		// A household in special difficulty is not asked a Tết gift: "—",
		// not "Chưa".
		if r := trWith(page, "Lục Thị Chín"); strings.Contains(r, "Chưa") || !strings.Contains(r, "—") {
			t.Errorf("Lục Thị Chín's row (special, no gift asked): %s", r)
		}

		// Above the communes: the district's leader reads each commune's
		// totals (07201: 3 poor, 1 with a gift, 1 special, supported;
		// 07207: none) and their sum, each commune a link down.
		status, page = h.login("lanhdao.huyen").get("/fund/households?unit=213&year=2024")
		if status != http.StatusOK {
			t.Fatalf("the district's overview: %d", status)
		}
		if r := trWith(page, `unit=07201&amp;year=2024&amp;on=2024-12-31">`); !strings.Contains(r, `data-l="Hộ nghèo">3<`) || !strings.Contains(r, `data-l="Nhận quà Tết">1<`) ||
			!strings.Contains(r, `data-l="Hỗ trợ thường xuyên">1<`) {
			t.Errorf("07201's row on the district's overview: %s", r)
		}
		if r := trWith(page, `unit=07207&amp;year=2024&amp;on=2024-12-31">`); !strings.Contains(r, `data-l="Hộ nghèo">0<`) {
			t.Errorf("07207's row on the district's overview: %s", r)
		}
		if r := trWith(page, "<th>Cộng</th>"); !strings.Contains(r, `data-l="Hộ nghèo">3<`) || !strings.Contains(r, `data-l="Hộ khó khăn đặc biệt">1<`) {
			t.Errorf("the district's total row: %s", r)
		}
		if strings.Contains(page, "Lê Văn Tư") {
			t.Error("the overview lists households")
		}

		// T2.2 at the commune: 1 of 3 poor households (33,3 %), linked to
		// the register.
		_, home := xa.get("/home?program=" + prog + "&unit=07201&period=2024")
		if r := targetRow(home, "T2.2"); !strings.Contains(r, `href="/fund/households?unit=07201&amp;year=2024"`) || !strings.Contains(r, "33,3") {
			t.Errorf("home of 07201: T2.2 is not 33,3%% linked to the register:\n%s", r)
		}

		// Another commune's officer, and the public scorecard.
		if status, _ := h.login("canbo.xa2").get("/fund/households?unit=KDC-1&year=2024"); status != http.StatusForbidden && status != http.StatusNotFound {
			t.Errorf("an officer of 07207 reads KDC-1's register: %d", status)
		}
		if status, _ := h.login("canbo.xa2").get("/fund/households?unit=07201&year=2024"); status != http.StatusForbidden && status != http.StatusNotFound {
			t.Errorf("an officer of 07207 reads 07201's register: %d", status)
		}
		_, card := h.anonymous().get("/?program=" + prog + "&unit=24&period=2024")
		if strings.Contains(card, "/fund/households") {
			t.Error("the public scorecard links to the register of households")
		}
	})
}

// trWith is the table row of page that holds text.
func trWith(page, text string) string {
	i := strings.Index(page, text)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(page[:i], "<tr")
	end := strings.Index(page[i:], "</tr>")
	if start < 0 || end < 0 {
		return ""
	}
	return page[start : i+end]
}

// A district and its communes that ended with the 2025 reform still show
// their 2024 books: the register's overview and a commune's register of
// 2024, and the fund page of 2024 (T2.1's link), read after the reform.
// The overview counts what T2.2 and T2.3 count (households in an area; a
// row from before areas were asked for counts in none), and a commune
// that ended within the year, listed under no unit, in a row of its own
// that the total includes.
func TestFundPagesOfAnEndedUnit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		ctx := context.Background()
		for _, x := range []struct{ commune, area, head string }{{"07201", "KDC-1", "Hà Văn Mười"}, {"07207", "KDC-3", "Tạ Thị Mười Một"}} {
			err := s.WithTx(ctx, func(tx *store.Tx) error {
				_, err := fund.RegisterHousehold(ctx, tx, storetest.Actor, mustUnit(t, s, x.commune),
					fund.Household{Year: 2024, AreaID: mustUnit(t, s, x.area).ID, Head: x.head, Address: "Tổ 1", Status: fund.Poor})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		xa := mustUnit(t, s, "07201")
		if _, err := s.DB.ExecContext(ctx, `INSERT INTO fund_households (unit_id, year, head, status, created_at, created_by) VALUES ($1, 2024, 'Hộ chưa ghi khu', 'poor', $2, 'test')`,
			xa.ID, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		district := mustUnit(t, s, "213")
		xa2 := mustUnit(t, s, "07207")
		for _, end := range []struct{ path, day string }{{district.Path, "2025-06-30"}, {xa2.Path, "2024-06-30"}} {
			if _, err := s.DB.ExecContext(ctx, `UPDATE units SET valid_to = $1 WHERE path LIKE $2`, end.day, end.path+"%"); err != nil {
				t.Fatal(err)
			}
		}
		h.now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		leader := h.login("lanhdao.huyen")
		status, page := leader.get("/fund/households?unit=213&year=2024")
		if status != http.StatusOK {
			t.Fatalf("the ended district's overview of 2024: %d\n%s", status, excerpt(page))
		}
		if r := trWith(page, `unit=07201&amp;year=2024&amp;on=2024-12-31">`); !strings.Contains(r, `data-l="Hộ nghèo">1<`) {
			t.Errorf("07201's row counts other than its one household in an area: %q", r)
		}
		if r := trWith(page, "Các xã khác"); !strings.Contains(r, `data-l="Hộ nghèo">1<`) {
			t.Errorf("07207, ended in mid-2024, is not in a row of its own: %q", r)
		}
		if r := trWith(page, "<th>Cộng</th>"); !strings.Contains(r, `data-l="Hộ nghèo">2<`) {
			t.Errorf("the total is not every register below: %q", r)
		}
		if status, page := leader.get("/fund/households?unit=07201&year=2024"); status != http.StatusOK || !strings.Contains(page, "Hà Văn Mười") {
			t.Errorf("the ended commune's register of 2024: %d\n%s", status, excerpt(page))
		}
		if status, page := leader.get("/fund?unit=07201&year=2024"); status != http.StatusOK || !strings.Contains(page, "Phường Thọ Xương") {
			t.Errorf("the ended commune's fund page of 2024: %d\n%s", status, excerpt(page))
		}
		// The register's form writes to the unit its page shows.
		xaOfficer := h.login("canbo.xa")
		xaOfficer.get("/fund/households?unit=07201&year=2024")
		if status, body := xaOfficer.post("/fund/households", url.Values{"unit": {"07201"}, "year": {"2024"}, "head": {"Lò Văn Mười Hai"}, "area": {"KDC-2"}, "status": {"poor"}}); status != http.StatusSeeOther {
			t.Errorf("adding to the ended commune's register of 2024: %d\n%s", status, excerpt(body))
		}
		if _, page := xaOfficer.get("/fund/households?unit=07201&year=2024"); !strings.Contains(page, "Lò Văn Mười Hai") {
			t.Error("the household added to the 2024 register is not on it")
		}
		if status, _ := leader.get("/fund/households?unit=07201&year=2026"); status != http.StatusNotFound {
			t.Errorf("the ended commune's register of 2026: %d, want 404", status)
		}

		// The reform gave 07201's code to a new ward under the province
		// from 1/7/2025: the district's overview of 2025 links to the
		// commune it lists, not to the ward that took its code.
		province, err := s.UnitByID(ctx, district.ParentID)
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := s.DB.QueryRowContext(ctx, `SELECT max(id) + 1 FROM units`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.ExecContext(ctx, `INSERT INTO units (id, code, name, kind, official_type, parent_id, path, valid_from, valid_to, synthetic)
			VALUES ($1, '07201', 'Phường Mới', 'commune', 'Phường', $2, $3, '2025-07-01', '9999-12-31', false)`,
			id, province.ID, province.Path+strconv.FormatInt(id, 10)+"/"); err != nil {
			t.Fatal(err)
		}
		_, page = leader.get("/fund/households?unit=213&year=2025")
		link := `/fund/households?unit=07201&amp;year=2025&amp;on=2025-06-30`
		if !strings.Contains(page, link) {
			t.Fatalf("the district's overview of 2025 does not link to 07201 as it was on 30/6/2025:\n%s", excerpt(page))
		}
		status, page = leader.get(strings.ReplaceAll(link, "&amp;", "&"))
		if status != http.StatusOK || !strings.Contains(page, "Phường Thọ Xương") || strings.Contains(page, "Phường Mới") {
			t.Errorf("the overview's link to 07201 in 2025: %d, want the old commune's register\n%s", status, excerpt(page))
		}
		// The province's officer, who may enter into both, adds a
		// household on that page: it goes to the commune the page shows.
		tinh := h.login("canbo.tinh")
		_, page = tinh.get(strings.ReplaceAll(link, "&amp;", "&"))
		if !strings.Contains(page, `name="on" value="2025-06-30"`) {
			t.Fatalf("the old commune's register form does not say which 07201 it writes to:\n%s", excerpt(page))
		}
		status, body := tinh.post("/fund/households", url.Values{"unit": {"07201"}, "year": {"2025"}, "on": {"2025-06-30"}, "head": {"Hộ Thử Mười Ba"}, "area": {"KDC-1"}, "status": {"poor"}})
		if status != http.StatusSeeOther {
			t.Fatalf("adding to the old commune's 2025 register: %d\n%s", status, excerpt(body))
		}
		var unitID int64
		if err := s.DB.QueryRowContext(ctx, `SELECT unit_id FROM fund_households WHERE head = 'Hộ Thử Mười Ba'`).Scan(&unitID); err != nil || unitID != xa.ID {
			t.Errorf("the household went to unit %d (%v), want the old commune %d", unitID, err, xa.ID)
		}
	})
}
