package store_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

var tester = audit.Actor{Name: "test"}

func importFile(t *testing.T, s *store.Store, path string, opts unit.Options) *unit.Plan {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parsed, err := unit.Parse(f)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	plan, err := s.ImportUnits(context.Background(), tester, parsed, opts)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return plan
}

const (
	beforeList = "../unit/testdata/bg-bn-2025-03.json"
	afterList  = "../unit/testdata/bac-ninh-2025-07-merges.json"
)

func TestUnitCodesAreReusedAcrossTheReform(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p1 := importFile(t, s, beforeList, unit.Options{})
		if got, want := len(p1.Creates), 2+10+8+195+121; got != want {
			t.Errorf("first import created %d units, want %d (2 provinces, their districts and communes)", got, want)
		}
		p2 := importFile(t, s, afterList, unit.Options{})
		if len(p2.Creates) != 1+99 {
			t.Errorf("merge import created %d units, want 100 (new Bắc Ninh and its 99 communes)", len(p2.Creates))
		}

		cases := []struct{ code, date, want string }{
			{"24", "2025-06-30", "Tỉnh Bắc Giang"},
			{"24", "2025-07-01", "Tỉnh Bắc Ninh"},
			{"27", "2025-06-30", "Tỉnh Bắc Ninh"},
			{"07210", "2025-06-30", "Phường Hoàng Văn Thụ"},
			{"07210", "2025-07-01", "Phường Bắc Giang"},
			{"07246", "2020-01-01", "Xã Canh Nậu"},
			{"07246", "2025-07-01", "Xã Xuân Lương"},
		}
		for _, c := range cases {
			u, err := s.UnitAt(ctx, c.code, c.date)
			if err != nil {
				t.Errorf("UnitAt(%s, %s): %v", c.code, c.date, err)
				continue
			}
			if u.Name != c.want {
				t.Errorf("code %s on %s is %q, want %q", c.code, c.date, u.Name, c.want)
			}
		}
		if _, err := s.UnitAt(ctx, "27", "2025-07-01"); !errs.Is(err, errs.NotFound) {
			t.Errorf("code 27 after the reform: err = %v, want not found", err)
		}
		// A district is gone after the reform: all its communes ended.
		if _, err := s.UnitAt(ctx, "213", "2025-07-01"); !errs.Is(err, errs.NotFound) {
			t.Errorf("district 213 (Thành phố Bắc Giang) after the reform: err = %v, want not found", err)
		}

		oldBG, _ := s.UnitAt(ctx, "24", "2024-12-31")
		sub, err := s.Subtree(ctx, oldBG, "2024-12-31")
		if err != nil {
			t.Fatal(err)
		}
		if kinds := countKinds(sub); kinds[unit.Province] != 1 || kinds[unit.District] != 10 || kinds[unit.Commune] != 195 {
			t.Errorf("Bắc Giang subtree in 2024: %v, want 1 province, 10 districts, 195 communes", kinds)
		}
		newBN, _ := s.UnitAt(ctx, "24", "2025-07-01")
		sub, _ = s.Subtree(ctx, newBN, "2025-07-01")
		if kinds := countKinds(sub); kinds[unit.Commune] != 99 || kinds[unit.District] != 0 {
			t.Errorf("new Bắc Ninh subtree: %v, want 99 communes and no district", kinds)
		}
		children, _ := s.Children(ctx, newBN, "2025-07-01")
		if len(children) != 99 {
			t.Errorf("new Bắc Ninh has %d children, want 99", len(children))
		}

		// Successor links: Thọ Xương went wholly into Phường Bắc Giang.
		thoXuong, _ := s.UnitAt(ctx, "07201", "2025-06-30")
		next, _, err := s.Successors(ctx, thoXuong)
		if err != nil {
			t.Fatal(err)
		}
		if len(next) != 1 || next[0].To.Name != "Phường Bắc Giang" || next[0].Kind != unit.Full {
			t.Errorf("successors of Thọ Xương = %+v, want full into Phường Bắc Giang", next)
		}
		_, prev, _ := s.Successors(ctx, newBN)
		if len(prev) != 2 {
			t.Errorf("new Bắc Ninh has %d predecessors, want 2 (Bắc Giang and Bắc Ninh)", len(prev))
		}

		// Importing both files again changes nothing.
		if p := importFile(t, s, beforeList, unit.Options{}); !p.Empty() {
			t.Errorf("re-import of the list changed: %d creates, %d updates, %d closes", len(p.Creates), len(p.Updates), len(p.Closes))
		}
		if p := importFile(t, s, afterList, unit.Options{}); !p.Empty() {
			t.Errorf("re-import of the merges changed: %d creates, %d updates, %d closes, %d links", len(p.Creates), len(p.Updates), len(p.Closes), len(p.Links))
		}

		// Every change is audited.
		entries, err := s.AuditEntries(ctx, "unit", "07210@2025-07-01", 10)
		if err != nil || len(entries) != 1 || entries[0].Action != "create" || !strings.Contains(entries[0].After, "Phường Bắc Giang") {
			t.Errorf("audit of the new Phường Bắc Giang = %+v, %v", entries, err)
		}
	})
}

func countKinds(us []unit.Unit) map[unit.Kind]int {
	m := map[unit.Kind]int{}
	for _, u := range us {
		m[u.Kind]++
	}
	return m
}

func TestUnitCSVImportRejectsBadRowsAndAppliesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		importFile(t, s, beforeList, unit.Options{})
		before, _ := s.AllUnits(ctx)
		bad := "code,name,kind,parent_code\n" +
			"KDC-1,Thôn Một,residential_area,07201\n" +
			"KDC-2,Thôn Hai,hamlet,07201\n" +
			"KDC-3,Thôn Ba,residential_area,99999\n" +
			",Thôn Bốn,residential_area,07201\n"
		f, err := unit.Parse(strings.NewReader(bad))
		if err == nil {
			_, err = s.ImportUnits(ctx, tester, f, unit.Options{Date: "2024-01-01"})
		}
		e, ok := errs.As(err)
		if !ok || e.Code != errs.Invalid {
			t.Fatalf("bad CSV: err = %v, want an invalid-input error", err)
		}
		after, _ := s.AllUnits(ctx)
		if len(after) != len(before) {
			t.Errorf("a rejected file changed the tree: %d units before, %d after", len(before), len(after))
		}
		msg := e.Error()
		for _, d := range e.Details {
			msg += "\n" + d.String()
		}
		for _, want := range []string{"dòng 3", "hamlet", "dòng 5", "thiếu mã"} {
			if !strings.Contains(msg, want) {
				t.Errorf("error does not mention %q:\n%s", want, msg)
			}
		}

		good := "code,name,kind,parent_code,synthetic\nKDC-1,Thôn Một,residential_area,07201,true\nKDC-2,Thôn Hai,residential_area,07201,true\n"
		f, err = unit.Parse(strings.NewReader(good))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportUnits(ctx, tester, f, unit.Options{Date: "2024-01-01"}); err != nil {
			t.Fatal(err)
		}
		commune, _ := s.UnitAt(ctx, "07201", "2024-01-01")
		kids, _ := s.Children(ctx, commune, "2024-01-01")
		if len(kids) != 2 || !kids[0].Synthetic || kids[0].Kind != unit.ResidentialArea {
			t.Errorf("children of Thọ Xương = %+v, want two synthetic residential areas", kids)
		}
	})
}

// sharedData finds the official national lists (../shared/data beside the
// repository, or $MATTRAN_SHARED_DATA); tests that need them skip, saying
// so, where they are not.
func sharedData(t testing.TB, name string) string {
	dir := os.Getenv("MATTRAN_SHARED_DATA")
	if dir == "" {
		dir = "../../../shared/data"
	}
	path := dir + "/" + name
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not found (set MATTRAN_SHARED_DATA to the folder of the official lists): skipping", path)
	}
	return path
}

func TestNationalListsAcrossTheReform(t *testing.T) {
	before, after := sharedData(t, "dvhcvn-2025-03.json"), sharedData(t, "dvhcvn-2025-07-merges.json")
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		importFile(t, s, before, unit.Options{})
		p := importFile(t, s, after, unit.Options{})
		root, _ := s.Root(ctx)
		count := func(date string) map[unit.Kind]int {
			us, err := s.Subtree(ctx, root, date)
			if err != nil {
				t.Fatal(err)
			}
			return countKinds(us)
		}
		if k := count("2025-06-30"); k[unit.Province] != 63 || k[unit.District] != 696 || k[unit.Commune] != 10047 {
			t.Errorf("on 30/6/2025: %v, want 63 provinces, 696 districts, 10047 communes", k)
		}
		if k := count("2025-07-01"); k[unit.Province] != 34 || k[unit.District] != 0 || k[unit.Commune] != 3321 {
			t.Errorf("on 1/7/2025: %v, want 34 provinces, no district, 3321 communes", k)
		}
		// Codes that name another commune after the reform.
		all, _ := s.AllUnits(ctx)
		byCode := map[string][]unit.Unit{}
		for _, u := range all {
			if u.Kind == unit.Commune {
				byCode[u.Code] = append(byCode[u.Code], u)
			}
		}
		renamed := 0
		for _, vs := range byCode {
			var old, cur *unit.Unit
			for i := range vs {
				if vs[i].ValidOn("2025-06-30") {
					old = &vs[i]
				}
				if vs[i].ValidOn("2025-07-01") {
					cur = &vs[i]
				}
			}
			if old != nil && cur != nil && old.ID != cur.ID && old.Name != cur.Name {
				renamed++
			}
		}
		if renamed < 2100 {
			t.Errorf("%d codes name a different commune after the reform, want over 2,100", renamed)
		}
		t.Logf("%d commune codes were reused under another name; the merge created %d units, closed %d, linked %d", renamed, len(p.Creates), len(p.Closes), len(p.Links))
		if again := importFile(t, s, after, unit.Options{}); !again.Empty() {
			t.Errorf("re-import of the merge mapping changed something")
		}
	})
}

// BenchmarkImportOfficialList imports the whole 2025-03 list (63
// provinces, 696 districts, 10,047 communes) into an empty database.
// Baseline in the same run: parsing the file alone.
func BenchmarkImportOfficialList(b *testing.B) {
	path := sharedData(b, "dvhcvn-2025-03.json")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var parse, total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := storetest.SQLite(b)
		b.StartTimer()
		start := time.Now()
		f, err := unit.Parse(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		parse += time.Since(start)
		if _, err := s.ImportUnits(context.Background(), tester, f, unit.Options{}); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/import")
	b.ReportMetric(float64(total)/float64(parse), "x_parse")
}

// TestUnitExportReadsBack: what units export writes, units import reads
// back unchanged, on the same database and into an empty one, across the
// reform's reused codes.
func TestUnitExportReadsBack(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		importFile(t, s, beforeList, unit.Options{})
		importFile(t, s, afterList, unit.Options{})
		root, _ := s.Root(ctx)
		export := func(us []unit.Unit) *unit.File {
			var b bytes.Buffer
			if err := unit.WriteCSV(&b, us); err != nil {
				t.Fatal(err)
			}
			f, err := unit.Parse(&b)
			if err != nil {
				t.Fatalf("reading the export back: %v", err)
			}
			return f
		}
		dated, _ := s.Subtree(ctx, root, "2024-12-31")
		p, err := s.ImportUnits(ctx, tester, export(dated), unit.Options{})
		if err != nil || !p.Empty() {
			t.Fatalf("re-importing a dated export: %v, %d creates, %d updates", err, len(p.Creates), len(p.Updates))
		}
		all, _ := s.AllUnits(ctx)
		fresh := storetest.SQLite(t)
		if _, err := fresh.ImportUnits(ctx, tester, export(all), unit.Options{}); err != nil {
			t.Fatalf("importing every version into an empty database: %v", err)
		}
		describe := func(st *store.Store) map[string]string {
			us, _ := st.AllUnits(ctx)
			byID := map[int64]unit.Unit{}
			for _, u := range us {
				byID[u.ID] = u
			}
			out := map[string]string{}
			for _, u := range us {
				out[u.Code+"@"+u.ValidFrom] = u.Name + "|" + string(u.Kind) + "|" + u.ValidTo + "|" + byID[u.ParentID].Code
			}
			return out
		}
		want, got := describe(s), describe(fresh)
		if len(got) != len(want) {
			t.Errorf("the empty database got %d versions, want %d", len(got), len(want))
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("version %s: %q, want %q", k, got[k], w)
				break
			}
		}
	})
}
