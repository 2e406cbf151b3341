package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/user"
	"mattran/internal/vn"
	"mattran/internal/web"
)

// homeFigures: households and "cultured" households in two residential
// areas for every year of the term, so that commune 07201 (KDC-1) meets
// T2.5 (≥ 90%) in 2024 with 95% and commune 07207 (KDC-3) misses it with
// 80%; district 213 reads 175/200 = 87,5%. The province raised 25 tỷ of
// its 50 tỷ.
func homeFigures() string {
	var b strings.Builder
	b.WriteString("dataelement,period,orgunit,value\nCT2_QUY_VNN,2024,24,25000000000\n")
	for i, y := range []int{2019, 2020, 2021, 2022, 2023, 2024} {
		fmt.Fprintf(&b, "CT2_HGD_TONG,%d,KDC-1,100\nCT2_HGD_VANHOA,%d,KDC-1,%d\n", y, y, 70+5*i)
		fmt.Fprintf(&b, "CT2_HGD_TONG,%d,KDC-3,100\nCT2_HGD_VANHOA,%d,KDC-3,80\n", y, y)
	}
	return b.String()
}

type pageCase struct {
	name, user, url string
	status          int
	want, wantNot   []string
}

func checkPages(t *testing.T, h *harness, cases []pageCase) {
	t.Helper()
	clients := map[string]*client{}
	for _, c := range cases {
		cl := clients[c.user]
		if cl == nil {
			if c.user == "" {
				cl = h.anonymous()
			} else {
				cl = h.login(c.user)
			}
			clients[c.user] = cl
		}
		status, page := cl.get(c.url)
		if status != c.status {
			t.Errorf("%s: %s GET %s = %d, want %d\n%.600s", c.name, c.user, c.url, status, c.status, page)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: %s GET %s lacks %q", c.name, c.user, c.url, w)
			}
		}
		for _, w := range c.wantNot {
			if strings.Contains(page, w) {
				t.Errorf("%s: %s GET %s shows %q", c.name, c.user, c.url, w)
			}
		}
	}
}

func TestHomePages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		if err := storetest.ImportCSV(s, homeFigures()); err != nil {
			t.Fatal(err)
		}
		checkPages(t, h, []pageCase{
			{"the province's leader lands on the province", "lanhdao.tinh", "/home", 200,
				[]string{"<h2>Tỉnh Bắc Giang — Năm 2024</h2>", "CT1. ", "CT2. ", "CT3. ", "CT4. ", "CT5. ", "Xu hướng 2019–2024",
					`href="/home/children?period=2024&amp;unit=24"`}, nil},
			{"a commune officer lands on the commune", "canbo.xa", "/home", 200,
				[]string{"<h2>Phường Thọ Xương — Năm 2024</h2>", `href="/home/children?period=2024&amp;unit=07201"`}, nil},
			{"a district leader opens a commune below", "lanhdao.huyen", "/home?unit=07207&period=2023", 200,
				[]string{"<h2>Phường Ngô Quyền — Năm 2023</h2>", `<a href="/home?period=2023&amp;unit=213">Thành phố Bắc Giang</a>`}, nil},
			{"a commune officer asks for a sibling district", "canbo.xa", "/home?unit=215", 403, []string{"Bạn không có quyền với đơn vị Huyện Yên Thế"}, nil},
			{"a commune officer asks for a neighbour commune", "canbo.xa", "/home?unit=07207", 403, nil, nil},
			{"a commune officer asks for the district above", "canbo.xa", "/home?unit=213", 403, nil, nil},
			{"a bad period", "canbo.xa", "/home?period=2024Q9", 400, nil, nil},
			{"not signed in", "", "/home", 303, []string{"/login?next=%2Fhome"}, nil},
		})

		// Each target's row: figure, threshold, verdict and bar.
		for _, c := range []struct {
			user, url, target string
			want, wantNot     []string
		}{
			{"lanhdao.tinh", "/home", "T2.1", []string{"25 tỷ đồng", "≥ 50 tỷ đồng", "Chưa đạt", `style="width:50%"`}, nil},
			{"lanhdao.tinh", "/home", "T2.5", []string{"87,5%", "≥ 90%", "Chưa đạt", `style="width:88%"`, `style="left:90%"`}, nil},
			{"canbo.xa", "/home", "T2.5", []string{">95%<", "Đạt", `style="width:95%"`}, nil},
			{"canbo.xa", "/home?unit=07201&period=2023", "T2.5", []string{">90%<", "Đạt", `style="width:90%"`}, nil},
			{"lanhdao.tinh", "/home", "T1.1", []string{"theo dõi"}, []string{`class="hbar"`}}, // tracked: no bar
			// T3.3 holds at communes: the province has no own figure and is
			// judged by its 195 communes, none of which reported.
			{"lanhdao.tinh", "/home", "T3.3", []string{"Thiếu số liệu", "0/195 xã đạt (0%), 195 thiếu số liệu"}, nil},
		} {
			_, page := h.login(c.user).get(c.url)
			row := homeRow(page, c.target)
			if row == "" {
				t.Errorf("%s %s: no row %s", c.user, c.url, c.target)
			}
			for _, w := range c.want {
				if !strings.Contains(row, w) {
					t.Errorf("%s %s: row %s lacks %q:\n%s", c.user, c.url, c.target, w, row)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(row, w) {
					t.Errorf("%s %s: row %s shows %q:\n%s", c.user, c.url, c.target, w, row)
				}
			}
		}

		// The home page lists every target once, under its program.
		lead := h.login("lanhdao.tinh")
		_, page := lead.get("/home")
		if n := strings.Count(page, `<td class="code">`); n != 25 {
			t.Errorf("the home page lists %d targets, want 25", n)
		}
		// The summary: at the commune, T2.5 is met; T2.6 and others lack figures.
		_, page = h.login("canbo.xa").get("/home")
		if !regexp.MustCompile(`<div class="st-dat"><b>1</b>Đạt</div>`).MatchString(page) {
			t.Errorf("the commune's summary does not count one target met:\n%s", between(page, `<div class="tiles"`, `</div>
</div>`))
		}

		// The trend: one dot per year with a figure, coloured by that
		// year's verdict: 07201 reads 70, 75, 80, 85, 90, 95% — missed
		// until 2023, met from 2023 on.
		_, page = h.login("canbo.xa").get("/home")
		svg := between(homeRow(page, "T2.5"), "<svg", "</svg>")
		dots := regexp.MustCompile(`<circle [^>]*fill="([^"]+)"><title>(\d{4}): ([^<]*)</title>`).FindAllStringSubmatch(svg, -1)
		if len(dots) != 6 {
			t.Fatalf("the T2.5 trend has %d dots, want 6:\n%s", len(dots), svg)
		}
		for i, d := range dots {
			year := 2019 + i
			wantColor, wantText := "#c62828", fmt.Sprintf("%d%% — Chưa đạt", 70+5*i)
			if year >= 2023 {
				wantColor, wantText = "#2e8b45", fmt.Sprintf("%d%% — Đạt", 70+5*i)
			}
			if d[2] != fmt.Sprint(year) || d[1] != wantColor || d[3] != wantText {
				t.Errorf("dot %d reads %s %q in %s, want %d %q in %s", i, d[2], d[3], d[1], year, wantText, wantColor)
			}
		}

		// A write shows on the next page: nothing is served stale.
		if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\nCT2_QUY_VNN,2024,24,50000000000\n"); err != nil {
			t.Fatal(err)
		}
		_, page = lead.get("/home")
		if row := homeRow(page, "T2.1"); !strings.Contains(row, "50 tỷ đồng") || !strings.Contains(row, "Đạt") || !strings.Contains(row, `style="width:100%"`) {
			t.Errorf("after the fund reached 50 tỷ the row reads:\n%s", row)
		}
	})
}

func TestChildrenTable(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		if err := storetest.ImportCSV(s, homeFigures()); err != nil {
			t.Fatal(err)
		}
		checkPages(t, h, []pageCase{
			{"every target of the districts", "lanhdao.tinh", "/home/children?unit=24&period=2024", 200,
				[]string{"Các đơn vị trực thuộc Tỉnh Bắc Giang — Năm 2024", `<a href="/home?period=2024&amp;unit=213">Thành phố Bắc Giang</a>`,
					`href="/home/children?dir=asc&amp;period=2024&amp;sort=T2.5&amp;unit=24"`, "Huyện Yên Thế"}, nil},
			{"one target of the communes", "lanhdao.huyen", "/home/children?unit=213&period=2024&target=T2.5", 200,
				[]string{"T2.5", "Ngưỡng", "95/100", "80/100"}, nil},
			{"a commune's residential areas", "canbo.xa", "/home/children?unit=07201&target=T2.5", 200,
				[]string{"Tổ dân phố 1", "Tổ dân phố 2", "95/100"}, nil},
			{"a commune officer asks for the district's communes", "canbo.xa", "/home/children?unit=213", 403, nil, nil},
			{"a sibling district's leader", "lanhdao.huyen2", "/home/children?unit=213", 403, nil, nil},
			{"an unknown column", "lanhdao.huyen", "/home/children?unit=213&sort=nope", 400, []string{"Không sắp xếp được theo cột"}, nil},
			{"an unknown target", "lanhdao.huyen", "/home/children?unit=213&target=T9.9", 404, nil, nil},
		})

		// Sorting by T2.5's figure: 07201 (95%) and 07207 (80%) in the
		// order asked, the communes without figures after them either way.
		c := h.login("lanhdao.huyen")
		for _, dir := range []string{"asc", "desc"} {
			_, page := c.get("/home/children?unit=213&period=2024&target=T2.5&sort=part1&dir=" + dir)
			names := rowNames(page)
			if len(names) < 3 {
				t.Fatalf("sort %s: rows %q", dir, names)
			}
			want := []string{"Phường Ngô Quyền", "Phường Thọ Xương"}
			if dir == "desc" {
				want = []string{"Phường Thọ Xương", "Phường Ngô Quyền"}
			}
			if names[0] != want[0] || names[1] != want[1] {
				t.Errorf("sort by T2.5 %s: rows begin %q, want %q", dir, names[:2], want)
			}
			// The heading marks the column and links to the other direction.
			other := map[string]string{"asc": "desc", "desc": "asc"}[dir]
			if !strings.Contains(page, `<th class="sorted"><a href="/home/children?dir=`+other+`&amp;period=2024&amp;sort=part1&amp;target=T2.5&amp;unit=213">`) {
				t.Errorf("sort %s: the sorted heading does not link to %s", dir, other)
			}
		}
		// By name, as Vietnamese readers order names (accents folded).
		_, page := c.get("/home/children?unit=213&sort=name&dir=asc")
		names := rowNames(page)
		for i := 1; i < len(names); i++ {
			if strings.Compare(vn.Fold(names[i-1]), vn.Fold(names[i])) > 0 {
				t.Errorf("by name: %q comes before %q", names[i-1], names[i])
			}
		}
		_, page = c.get("/home/children?unit=213&sort=name&dir=desc")
		if desc := rowNames(page); len(desc) != len(names) || desc[0] != names[len(names)-1] {
			t.Errorf("by name, descending: rows begin %q, ascending ended %q", desc[:1], names[len(names)-1:])
		}
	})
}

func TestPublicPages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		if err := storetest.ImportCSV(s, homeFigures()); err != nil {
			t.Fatal(err)
		}
		const doc = "/public/program/BG-CTHD-2019-2024"
		checkPages(t, h, []pageCase{
			{"the public page", "", "/", 200,
				[]string{"bản điện tử", `href="` + doc + `"`, `<a href="/login">Đăng nhập</a>`, "số liệu tạm thời",
					`<a href="/?period=2024&amp;unit=213">Thành phố Bắc Giang</a>`, `href="/public/children?period=2024&amp;unit=24"`},
				[]string{"Tổ dân phố"}},
			{"a commune: no residential area named", "", "/?unit=07201", 200, []string{"Phường Thọ Xương"}, []string{"Tổ dân phố", "/public/children"}},
			{"the public table of communes", "", "/public/children?unit=213&target=T2.5", 200,
				[]string{"Phường Thọ Xương", "95/100", `<a href="/?period=2024&amp;unit=07201">`}, []string{"Tổ dân phố", "/home"}},
			{"the public table of a commune's areas", "", "/public/children?unit=07201", 200, []string{"không có đơn vị trực thuộc được công bố"}, []string{"Tổ dân phố"}},
			{"a residential area's table", "", "/public/children?unit=KDC-1", 404, nil, []string{"Tổ dân phố 1"}},
			{"the published program", "", doc, 200,
				[]string{"CHƯƠNG TRÌNH HÀNH ĐỘNG", "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "2. Yêu cầu", "II. NỘI DUNG, MỤC TIÊU GIẢI PHÁP THỰC HIỆN",
					"Chương trình 1: Tuyên truyền", "Chương trình 5:", "1. Mục tiêu", "2. Nhiệm vụ trọng tâm", "3. Những giải pháp chủ yếu",
					"III. TỔ CHỨC THỰC HIỆN", "1. Căn cứ nội dung", "Bản điện tử:", "ỦY BAN MTTQ VIỆT NAM TỈNH BẮC GIANG"},
				[]string{`class="badge`, "Đăng xuất"}},
			{"the first program by default", "", "/public/program", 200, []string{"CHƯƠNG TRÌNH HÀNH ĐỘNG"}, nil},
			{"an unknown program", "", "/public/program/KHONG-CO", 404, []string{"Không có chương trình mã KHONG-CO"}, nil},
			{"the signed-in program needs sign-in", "", "/program", 303, nil, nil},
			{"a signed-in user sees the same public page, with the menu", "canbo.xa", "/", 200,
				[]string{"bản điện tử", "Tỉnh Bắc Giang", `<a href="/home"`}, []string{`<a href="/login">Đăng nhập</a>`}},
			{"the program with the reader's results", "canbo.xa", "/program", 200,
				[]string{"Phường Thọ Xương — Năm 2024", "T2.5", "95%", `<span class="badge st-dat">Đạt</span>`, "Chương trình 3:"}, nil},
			{"another year", "canbo.xa", "/program/BG-CTHD-2019-2024?period=2020", 200, []string{"Năm 2020", "75%"}, nil},
			{"not another commune", "canbo.xa", "/program?unit=07207", 403, nil, nil},
		})

		// Once the province approves 2024, its figures are final.
		province, err := s.UnitAt(context.Background(), "24", "2024-12-31")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.LockPeriod(context.Background(), storetest.Actor, province, period.MustParse("2024")); err != nil {
			t.Fatal(err)
		}
		checkPages(t, h, []pageCase{
			{"an approved year", "", "/", 200, nil, []string{"số liệu tạm thời"}},
			{"an approved year, at a commune", "", "/?unit=07201", 200, nil, []string{"số liệu tạm thời"}},
			{"a year not approved", "", "/?period=2023", 200, []string{"số liệu tạm thời"}, nil},
		})
	})
}

// homeRow is the home page's row of a target.
func homeRow(page, target string) string {
	return between(page, `<tr id="`+target+`">`, "</tr>")
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(to)]
}

var rowName = regexp.MustCompile(`<td class="name"><a href="[^"]*">([^<]+)</a>`)

// rowNames are the units of the children table, in the order shown.
func rowNames(page string) []string {
	var out []string
	for _, m := range rowName.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestTablesToExcel: the children table and the public scorecard download
// as the page shows them, figures as numbers Excel can sum.
func TestTablesToExcel(t *testing.T) {
	s := storetest.SQLite(t)
	h := newHarness(t, s)
	if err := storetest.ImportCSV(s, homeFigures()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, user, url string
		want            [][]string // rows that must be there, as their first cells read
	}{
		{"one target of the communes, sorted", "lanhdao.huyen", "/home/children?unit=213&period=2024&target=T2.5&sort=part1&dir=desc",
			[][]string{{"Đơn vị", "Tỷ lệ hộ gia đình được công nhận danh hiệu gia đình văn hóa trong năm", "Ngưỡng", "Đánh giá", "Tiến độ"},
				{"Phường Thọ Xương", "0.95", "≥ 90%", "Đạt", "0.95"}, {"Phường Ngô Quyền", "0.8", "≥ 90%", "Chưa đạt", "0.8"}}},
		{"every target of the districts", "lanhdao.tinh", "/home/children?unit=24&period=2024", [][]string{{"Thành phố Bắc Giang"}}},
		{"the public table", "", "/public/children?unit=213&target=T2.5", [][]string{{"Phường Thọ Xương", "0.95"}}},
		{"the public scorecard", "", "/?unit=24&period=2024",
			[][]string{{"T2.1", "Vận động quỹ vì người nghèo và chương trình an sinh xã hội hằng năm đạt 50 tỷ đồng", "≥ 50 tỷ đồng", "25000000000", "Chưa đạt"}}},
	} {
		cl := h.anonymous()
		if c.user != "" {
			cl = h.login(c.user)
		}
		_, page := cl.get(c.url)
		if !strings.Contains(page, `class="xlsx noprint"`) {
			t.Errorf("%s: the page has no Excel link", c.name)
		}
		status, body := cl.get(c.url + "&format=xlsx")
		if status != 200 || !strings.HasPrefix(body, "PK") {
			t.Errorf("%s: GET %s&format=xlsx = %d, not a workbook", c.name, c.url, status)
			continue
		}
		book, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows(book.GetSheetName(0), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		at := -1
		for _, w := range c.want {
			found := slices.IndexFunc(rows, func(r []string) bool { return len(r) >= len(w) && slices.Equal(r[:len(w)], w) })
			if found < 0 {
				t.Errorf("%s: no row begins %q in\n%q", c.name, w, rows)
			} else if found < at {
				t.Errorf("%s: row %q comes before the one above it", c.name, w)
			}
			at = found
		}
		if c.user == "" && slices.ContainsFunc(rows, func(r []string) bool { return len(r) > 0 && strings.HasPrefix(r[0], "Tổ dân phố") }) {
			t.Errorf("%s: the public workbook names a residential area", c.name)
		}
	}
}

// TestChildrenTableShowsTheMissedCondition: in the table of every target,
// a target of several conditions shows one figure; when the first is met
// and another is not, the red cell shows the missed one and names it,
// rather than a red «100%».
func TestChildrenTableShowsTheMissedCondition(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	csv := "dataelement,period,orgunit,value\n" +
		"CT2_HGD_TONG,2024,KDC-1,100\nCT2_HGD_CK_ATGT,2024,KDC-1,100\nCT2_HGD_CK_SXAT,2024,KDC-1,80\nCT2_HGD_CK_KHHGD,2024,KDC-1,100\n"
	if err := storetest.ImportCSV(h.Store, csv); err != nil {
		t.Fatal(err)
	}
	checkPages(t, h, []pageCase{{"T2.6 of the communes", "lanhdao.huyen", "/home/children?unit=213&period=2024", 200,
		[]string{"chưa đạt: Tỷ lệ hộ ký cam kết sản xuất nông nghiệp an toàn 80%", ">80%<"}, nil}})
}

// TestChildRowsOnTheFixture: on the fixture's figures, the children
// tables' rows written by hand equal what the template wrote, for every
// target and for one, signed in and public.
func TestChildRowsOnTheFixture(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		newHarness(t, s)
		if err := storetest.ImportCSV(s, homeFigures()); err != nil {
			t.Fatal(err)
		}
		pages := &web.Web{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		pages.Register(http.NewServeMux())
		leader, err := s.UserByUsername(context.Background(), "lanhdao.tinh")
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{
			"/home/children?unit=24&period=2024",
			"/home/children?unit=213&period=2024",
			"/home/children?unit=213&period=2024&target=T2.5&sort=part1&dir=desc",
			"/home/children?unit=07201&period=2024&target=T2.5",
			"/home/children?unit=07201&period=2024",
		} {
			for _, reader := range []*user.User{&leader, nil} {
				r := httptest.NewRequest(http.MethodGet, path, nil)
				got, want, err := web.ChildRowsBothWays(pages, r, reader)
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				// (The public table leaves out residential areas: a
				// commune's is empty.)
				if reader != nil && !strings.Contains(want, "<td") {
					t.Errorf("%s (public %v): no cells:\n%s", path, reader == nil, want)
				}
				if got != want {
					t.Errorf("%s (public %v): rows differ:\nwriter:\n%s\ntemplate:\n%s", path, reader == nil, got, want)
				}
			}
		}
	})
}
