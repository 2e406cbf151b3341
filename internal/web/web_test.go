package web_test

import (
	"io"
	"log/slog"
	"mattran/internal/clock"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"mattran/internal/store/storetest"
	"mattran/internal/web"
)

// figures: the province's fund just short of 50 tỷ, its newspaper
// subscriptions this year and last, and one residential area's households,
// 99.97% of which signed the traffic pledge.
const figures = `dataelement,period,orgunit,value
CT2_QUY_VNN,2024,24,49996000000
CT1_BAO_DDK,2023,24,1392
CT1_BAO_DDK,2024,24,1400
CT2_HGD_TONG,2024,KDC-1,10000
CT2_HGD_CK_ATGT,2024,KDC-1,9997
CT2_HGD_CK_SXAT,2024,KDC-1,9140
CT2_HGD_CK_KHHGD,2024,KDC-1,10000
`

func TestScorecardPage(t *testing.T) {
	s := storetest.SQLite(t)
	storetest.Fixture(t, s)
	if err := storetest.ImportCSV(s, figures); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	// 09:00 UTC is 16:00 in Vietnam.
	s.Clock = clock.Fixed(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	(&web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	for _, c := range []struct {
		name, url string
		status    int
		want      []string
		wantNot   []string
	}{
		{"the province, the last year of the term", "/", 200,
			[]string{"Tỉnh Bắc Giang", "Năm 2024", "≥ 50 tỷ đồng", "≥ 90%", "Thiếu số liệu",
				"<h1>Ủy ban MTTQ Việt Nam tỉnh Bắc Giang", // the header names the unit's committee
				"lúc 16:00 27/11/2026",                    // Vietnam time
				"25 chỉ tiêu:", "theo đánh giá của chính đơn vị nếu chỉ tiêu áp dụng cho cấp của đơn vị",
			},
			[]string{"(%):", "(đồng):", "theo dõi; theo dõi", "≥ 100%; ≥ 100%", "“Không áp dụng”"}},
		{"a district, a quarter", "/?unit=213&period=2024Q2", 200,
			[]string{"Thành phố Bắc Giang", "Quý II/2024", "<h1>Ủy ban MTTQ Việt Nam thành phố Bắc Giang",
				`<span class="st-khong_ap_dung">Không áp dụng: `, "“Không áp dụng”: chỉ tiêu không đặt cho cấp này"},
			nil},
		// The public page publishes no village's or street group's figures.
		{"a residential area", "/?unit=KDC-1", 404, []string{"không công bố số liệu của từng khu dân cư"}, []string{"Tổ dân phố 1"}},
		{"a commune lists no residential area", "/?unit=07201", 200, []string{"<strong>Phường Thọ Xương</strong>"}, []string{"Tổ dân phố"}},
		{"an unknown unit", "/?unit=99999", 404, []string{"không có đơn vị mã", "<h1>Ủy ban Mặt trận Tổ quốc Việt Nam"}, nil},
		{"a bad period", "/?period=2024Q7", 400, []string{"quý phải từ 1 đến 4"}, nil},
	} {
		code, page := get(c.url)
		if code != c.status {
			t.Errorf("%s: GET %s = %d, want %d\n%s", c.name, c.url, code, c.status, page)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: GET %s lacks %q", c.name, c.url, w)
			}
		}
		for _, w := range c.wantNot {
			if strings.Contains(page, w) {
				t.Errorf("%s: GET %s shows %q", c.name, c.url, w)
			}
		}
	}

	_, page := get("/")
	for _, c := range []string{"T1.1", "T1.4", "T2.1", "T2.8", "T3.1", "T3.9", "T4.1", "T5.1", "T5.3"} {
		if !strings.Contains(page, ">"+c+"<") {
			t.Errorf("the page lacks target %s", c)
		}
	}
	if n := strings.Count(page, `<td class="code">`); n != 25 {
		t.Errorf("the page lists %d targets, want 25", n)
	}
	// Each figure agrees with the verdict beside it, and the row says what
	// it was compared with.
	for _, c := range []struct {
		target string
		want   []string
	}{
		{"T2.1", []string{"≥ 50 tỷ đồng", "49.996.000.000 đ", "Chưa đạt"}},
		{"T1.3", []string{"1.400", "năm trước: 1.392", "Đạt"}},
		{"T2.6", []string{"<td>≥ 100%</td>", ">99,97%<", "Chưa đạt",
			"Tỷ lệ hộ ký cam kết đảm bảo an toàn giao thông: 99,97%",
			"Tỷ lệ hộ ký cam kết sản xuất nông nghiệp an toàn: 91,4%",
			"không sinh con thứ 3: 100%"}},
		{"T4.1", []string{"<td>theo dõi</td>"}},
		{"T3.9", []string{"<td>≥ 80%; = 0</td>"}},
		{"T3.3", []string{`<td class="num">—</td>`, "Không áp dụng"}}, // a commune's own count, not the province's
	} {
		row := rowOf(page, c.target)
		for _, w := range c.want {
			if !strings.Contains(row, w) {
				t.Errorf("row %s lacks %q:\n%s", c.target, w, row)
			}
		}
	}

	// The period list always holds the shown period, selected, with the
	// half years and quarters of its year.
	for _, c := range []struct {
		period, label string
	}{
		{"2025", "Năm 2025"},
		{"202406", "Tháng 6/2024"},
		{"2024S1", "6 tháng đầu năm 2024"},
		{"2023Q3", "Quý III/2023"},
		{"2019", "Năm 2019"},
	} {
		_, page := get("/?period=" + c.period)
		list := selectOf(page, "period")
		selected := regexp.MustCompile(`<option value="([^"]*)" selected>([^<]*)<`).FindAllStringSubmatch(list, -1)
		if len(selected) != 1 || selected[0][1] != c.period || selected[0][2] != c.label {
			t.Errorf("?period=%s selects %v, want %s %q", c.period, selected, c.period, c.label)
		}
		year := c.period[:4]
		for _, p := range []string{"2019", "2024", year + "S1", year + "S2", year + "Q1", year + "Q4"} {
			if !strings.Contains(list, `value="`+p+`"`) {
				t.Errorf("?period=%s: the list lacks %s", c.period, p)
			}
		}
	}

	// The unit list puts a district's communes under it, indented, and a
	// commune among its district's communes.
	for _, c := range []struct {
		unit string
		want []string // labels, in order, as the list shows them
	}{
		{"213", []string{"Tỉnh Bắc Giang", "— Thành phố Bắc Giang", "\u00a0\u00a0\u00a0\u00a0— Phường Thọ Xương", "\u00a0\u00a0\u00a0\u00a0— Phường Ngô Quyền"}},
		{"07207", []string{"— Thành phố Bắc Giang", "\u00a0\u00a0\u00a0\u00a0— Phường Thọ Xương", "\u00a0\u00a0\u00a0\u00a0— Phường Ngô Quyền", "\u00a0\u00a0\u00a0\u00a0— Phường Hoàng Văn Thụ"}},
	} {
		_, page := get("/?unit=" + c.unit)
		labels := regexp.MustCompile(`<option value="[^"]*"(?: selected)?>([^<]*)<`).FindAllStringSubmatch(selectOf(page, "unit"), -1)
		var got []string
		for _, l := range labels {
			got = append(got, l[1])
		}
		if !inOrder(got, c.want) {
			t.Errorf("?unit=%s: the unit list reads %q, want %q in that order, each right after the one before", c.unit, got, c.want)
		}
		if n := strings.Count(selectOf(page, "unit"), " selected"); n != 1 {
			t.Errorf("?unit=%s: %d units selected", c.unit, n)
		}
	}
}

// rowOf is the table row of a target.
func rowOf(page, target string) string {
	i := strings.Index(page, `<td class="code">`+target+`</td>`)
	if i < 0 {
		return ""
	}
	end := strings.Index(page[i:], "</tr>")
	return page[i : i+end]
}

// selectOf is the <select> of a form field.
func selectOf(page, name string) string {
	i := strings.Index(page, `<select name="`+name+`">`)
	if i < 0 {
		return ""
	}
	end := strings.Index(page[i:], "</select>")
	return page[i : i+end]
}

// inOrder reports whether want appears in got as a run of neighbours.
func inOrder(got, want []string) bool {
	for i := range got {
		if i+len(want) <= len(got) && strings.Join(got[i:i+len(want)], "\n") == strings.Join(want, "\n") {
			return true
		}
	}
	return false
}
