package unit

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"mattran/internal/errs"
)

// testTree builds a stored tree by hand: units are given as
// {id, code, name, kind, parent id}, valid from Beginning to Forever unless
// changed afterwards.
type testTree struct {
	units map[int64]Unit
	links [][2]int64
}

const rootID = 1

func newTestTree() *testTree {
	return &testTree{units: map[int64]Unit{rootID: {ID: rootID, Code: "VN", Name: "Ủy ban Trung ương MTTQ Việt Nam", Kind: Central,
		Path: "/1/", ValidFrom: Beginning, ValidTo: Forever}}}
}

func (tt *testTree) add(id int64, code, name string, kind Kind, parent int64) *testTree {
	p, ok := tt.units[parent]
	if !ok {
		panic("test tree: no parent " + code)
	}
	tt.units[id] = Unit{ID: id, Code: code, Name: name, Kind: kind, ParentID: parent, Path: ChildPath(p.Path, id),
		ValidFrom: Beginning, ValidTo: Forever}
	return tt
}

func (tt *testTree) tree() *Tree {
	var all []Unit
	for _, u := range tt.units {
		all = append(all, u)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return NewTree(tt.units[rootID], all, tt.links)
}

// apply does to the test tree what the store does with a plan, so a second
// plan can be computed against the result.
func (tt *testTree) apply(p *Plan) *testTree {
	var next int64
	for id := range tt.units {
		next = max(next, id)
	}
	for _, c := range p.Closes {
		u := tt.units[c.Unit.ID]
		u.ValidTo = c.ValidTo
		tt.units[u.ID] = u
	}
	for _, ch := range p.Updates {
		tt.units[ch.After.ID] = ch.After
	}
	created := make([]Unit, len(p.Creates))
	for i, c := range p.Creates {
		parent := tt.units[c.ParentID]
		if c.ParentNew >= 0 {
			parent = created[c.ParentNew]
		}
		next++
		u := Unit{ID: next, Code: c.Code, Name: c.Name, Kind: c.Kind, OfficialType: c.OfficialType, ParentID: parent.ID,
			Path: ChildPath(parent.Path, next), ValidFrom: c.ValidFrom, ValidTo: c.ValidTo, Synthetic: c.Synthetic}
		created[i] = u
		tt.units[u.ID] = u
	}
	for _, l := range p.Links {
		tt.links = append(tt.links, [2]int64{l.FromID, created[l.ToNew].ID})
	}
	return tt
}

// bacGiang is a small stored tree before the 2025 reform: two provinces
// with districts, communes and a residential area, and Hà Nội, which keeps
// its borders.
func bacGiang() *testTree {
	return newTestTree().
		add(10, "24", "Tỉnh Bắc Giang", Province, rootID).
		add(100, "213", "Thành phố Bắc Giang", District, 10).
		add(1000, "07201", "Phường Thọ Xương", Commune, 100).
		add(10000, "07201-01", "Tổ dân phố số 1", ResidentialArea, 1000).
		add(1001, "07207", "Phường Ngô Quyền", Commune, 100).
		add(101, "218", "Huyện Yên Thế", District, 10).
		add(1002, "07246", "Xã Canh Nậu", Commune, 101).
		add(11, "27", "Tỉnh Bắc Ninh", Province, rootID).
		add(102, "256", "Thành phố Bắc Ninh", District, 11).
		add(1003, "09187", "Phường Vũ Ninh", Commune, 102).
		add(12, "01", "Thành phố Hà Nội", Province, rootID).
		add(103, "001", "Quận Ba Đình", District, 12).
		add(1004, "00001", "Phường Phúc Xá", Commune, 103).
		add(10001, "00001-01", "Tổ dân phố số 1", ResidentialArea, 1004).
		add(1005, "00004", "Phường Trúc Bạch", Commune, 103).
		add(104, "002", "Quận Hoàn Kiếm", District, 12).
		add(1006, "00037", "Phường Phúc Tân", Commune, 104).
		add(1007, "00040", "Phường Đồng Xuân", Commune, 104)
}

const bacGiangCSV = "code,name,kind,parent_code\n" +
	"24,Tỉnh Bắc Giang,province,\n" +
	"213,Thành phố Bắc Giang,district,24\n" +
	"07201,Phường Thọ Xương,commune,213\n" +
	"07201-01,Tổ dân phố số 1,residential_area,07201\n" +
	"07207,Phường Ngô Quyền,commune,213\n" +
	"218,Huyện Yên Thế,district,24\n" +
	"07246,Xã Canh Nậu,commune,218\n"

func parseString(t *testing.T, s string) *File {
	t.Helper()
	f, err := Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func plan(t *testing.T, tr *Tree, f *File, date string) *Plan {
	t.Helper()
	p, err := PlanImport(tr, f, Options{Date: date})
	if err != nil {
		t.Fatalf("PlanImport: %v", err)
	}
	return p
}

func TestPlanListIdempotent(t *testing.T) {
	f := parseString(t, bacGiangCSV)
	// Into a store holding only the root: everything is created, each child
	// under the create of its parent.
	empty := newTestTree()
	p1 := plan(t, empty.tree(), f, "2025-03-01")
	if len(p1.Creates) != 7 || len(p1.Updates)+len(p1.Closes)+len(p1.Links) != 0 {
		t.Fatalf("first import: %d creates, %d updates, %d closes, %d links; want 7 creates only",
			len(p1.Creates), len(p1.Updates), len(p1.Closes), len(p1.Links))
	}
	for _, c := range p1.Creates {
		var parent string
		if c.ParentNew >= 0 {
			parent = p1.Creates[c.ParentNew].Code
		} else if c.ParentID != rootID {
			t.Errorf("%s hangs under stored unit %d", c.Code, c.ParentID)
		}
		if parent != c.ParentCode || c.ValidFrom != Beginning || c.ValidTo != Forever {
			t.Errorf("create %s: under %q, %s – %s; want under %q, %s – %s", c.Code, parent, c.ValidFrom, c.ValidTo, c.ParentCode, Beginning, Forever)
		}
	}
	// Importing the same list again changes nothing.
	p2 := plan(t, empty.apply(p1).tree(), f, "2025-03-01")
	if !p2.Empty() || p2.Unchanged != 7 {
		t.Errorf("second import: %+v; want empty with 7 unchanged", p2)
	}
	// And against the hand-built tree holding the same units.
	if p3 := plan(t, bacGiang().tree(), f, "2025-03-01"); !p3.Empty() || p3.Unchanged != 7 {
		t.Errorf("import into a tree that has it: %+v; want empty with 7 unchanged", p3)
	}
}

func TestPlanListRename(t *testing.T) {
	f := parseString(t, strings.Replace(bacGiangCSV, "Xã Canh Nậu", "Xã Canh Nậu mới", 1))
	p := plan(t, bacGiang().tree(), f, "2025-03-01")
	if len(p.Updates) != 1 || len(p.Creates)+len(p.Closes)+len(p.Links) != 0 || p.Unchanged != 6 {
		t.Fatalf("plan = %+v; want one update, 6 unchanged", p)
	}
	u := p.Updates[0]
	if u.Before.ID != 1002 || u.Before.Name != "Xã Canh Nậu" || u.After.ID != 1002 || u.After.Name != "Xã Canh Nậu mới" {
		t.Errorf("update = %+v; want unit 1002 renamed to Xã Canh Nậu mới", u)
	}
	if u.After.ParentID != u.Before.ParentID || u.After.ValidFrom != u.Before.ValidFrom || u.After.Path != u.Before.Path {
		t.Errorf("a rename moved the unit or changed its validity: %+v", u)
	}
}

func TestPlanListNewUnitUnderKnownParent(t *testing.T) {
	f := parseString(t, "code,name,kind,parent_code,synthetic\n07201-02,Tổ dân phố số 2,residential_area,07201,true\n")
	p, err := PlanImport(bacGiang().tree(), f, Options{Date: "2025-03-01", ValidFrom: "2025-03-01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Creates) != 1 || len(p.Updates)+len(p.Closes)+len(p.Links) != 0 {
		t.Fatalf("plan = %+v; want one create", p)
	}
	c := p.Creates[0]
	if c.Code != "07201-02" || c.ParentID != 1000 || c.ParentNew != -1 || c.ValidFrom != "2025-03-01" || c.ValidTo != Forever || !c.Synthetic {
		t.Errorf("create = %+v; want synthetic 07201-02 under stored unit 1000 from 2025-03-01", c)
	}
}

func TestPlanListRejects(t *testing.T) {
	// 07210 was Phường Hoàng Văn Thụ until 30/6/2025; from 1/7 the code
	// belongs to Phường Bắc Giang.
	tt := bacGiang().add(1008, "07210", "Phường Hoàng Văn Thụ", Commune, 100)
	old := tt.units[1008]
	old.ValidTo = "2025-06-30"
	tt.units[1008] = old
	canhNau := tt.units[1002]
	canhNau.ValidFrom = "2020-01-01"
	tt.units[1002] = canhNau
	tests := []struct {
		name  string
		csv   string
		date  string
		row   int
		field string
		want  string
	}{
		{"code reused while its old owner still exists",
			"code,name,kind,parent_code,valid_from\n07210,Phường Bắc Giang,commune,24,2025-06-01\n", "2025-07-01",
			2, "code", `mã "07210" đã là của "Phường Hoàng Văn Thụ"`},
		{"unknown parent", "code,name,kind,parent_code\n07299,Xã Mới,commune,299\n", "2025-03-01",
			2, "parent_code", `"299"`},
		{"child before its parent in the file",
			"code,name,kind,parent_code\n07299,Xã Mới,commune,299\n299,Huyện Mới,district,24\n", "2025-03-01",
			2, "parent_code", `"299"`},
		{"moved to another parent", "code,name,kind,parent_code\n07246,Xã Canh Nậu,commune,213\n", "2025-03-01",
			2, "parent_code", `"07246"`},
		{"ends before it starts", "code,name,kind,parent_code,valid_from,valid_to\n07299,Xã Mới,commune,218,2025-01-01,2024-12-31\n", "2025-03-01",
			2, "valid_to", "trước ngày bắt đầu 01/01/2025"},
		{"stored unit ends before it starts", "code,name,kind,parent_code,valid_to\n07246,Xã Canh Nậu,commune,218,2019-12-31\n", "2025-03-01",
			2, "valid_to", "không thể kết thúc ngày 31/12/2019, trước ngày 01/03/2025"},
		{"commune under a commune", "code,name,kind,parent_code\n07299,Xã Mới,commune,07201\n", "2025-03-01",
			2, "parent_code", "không thể nằm trực tiếp dưới"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PlanImport(tt.tree(), parseString(t, tc.csv), Options{Date: tc.date})
			if err == nil {
				t.Fatalf("accepted: %+v", p)
			}
			errorAt(t, err, tc.row, tc.field, tc.want)
		})
	}
}

func TestPlanBadDate(t *testing.T) {
	_, err := PlanImport(bacGiang().tree(), parseString(t, bacGiangCSV), Options{Date: "2025-02-30"})
	if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "2025-02-30") {
		t.Errorf("error = %v; want Invalid naming 2025-02-30", err)
	}
}

// reform is a merge mapping for 1/7/2025: Bắc Giang and Bắc Ninh become
// the new Bắc Ninh (code 24); Ngô Quyền is split between two new wards.
func reform() *File {
	return &File{Format: FormatMerges, Records: []Record{
		{Code: "24", Name: "Tỉnh Bắc Ninh", Kind: Province, Line: 1,
			Merges: []Merge{{OldCode: "24", Kind: Full}, {OldCode: "27", Kind: Full}}},
		{Code: "07210", Name: "Phường Bắc Giang", Kind: Commune, ParentCode: "24", Line: 2,
			Merges: []Merge{{OldCode: "07201", Kind: Full}, {OldCode: "07207", Kind: Partial}}},
		{Code: "07246", Name: "Xã Xuân Lương", Kind: Commune, ParentCode: "24", Line: 3,
			Merges: []Merge{{OldCode: "07207", Kind: Partial}, {OldCode: "07246", Kind: Full}}},
		{Code: "09187", Name: "Phường Vũ Ninh", Kind: Commune, ParentCode: "24", Line: 4,
			Merges: []Merge{{OldCode: "09187", Kind: Full}}},
	}}
}

func closedIDs(p *Plan) map[int64]string {
	out := map[int64]string{}
	for _, c := range p.Closes {
		out[c.Unit.ID] = c.ValidTo
	}
	return out
}

func TestPlanMerges(t *testing.T) {
	tt := bacGiang()
	p := plan(t, tt.tree(), reform(), "2025-07-01")

	var creates []string
	for _, c := range p.Creates {
		creates = append(creates, c.Code+" "+c.Name)
		if c.ValidFrom != "2025-07-01" || c.ValidTo != Forever {
			t.Errorf("new %s valid %s – %s; want from 2025-07-01", c.Code, c.ValidFrom, c.ValidTo)
		}
	}
	if want := []string{"24 Tỉnh Bắc Ninh", "07210 Phường Bắc Giang", "07246 Xã Xuân Lương", "09187 Phường Vũ Ninh"}; !reflect.DeepEqual(creates, want) {
		t.Errorf("creates %v; want %v", creates, want)
	}
	if c := p.Creates[0]; c.ParentID != rootID || c.ParentNew != -1 {
		t.Errorf("new province under %d/%d; want the root", c.ParentID, c.ParentNew)
	}
	for _, c := range p.Creates[1:] {
		if c.ParentNew != 0 {
			t.Errorf("new commune %s under create %d; want under the new province", c.Code, c.ParentNew)
		}
	}

	// Both old provinces, everything under them, and nothing of Hà Nội end
	// the day before.
	want := map[int64]string{}
	for _, id := range []int64{10, 100, 1000, 10000, 1001, 101, 1002, 11, 102, 1003} {
		want[id] = "2025-06-30"
	}
	if got := closedIDs(p); !reflect.DeepEqual(got, want) {
		t.Errorf("closes %v\nwant   %v", got, want)
	}

	type link struct {
		from int64
		to   string
		kind Succession
	}
	var links []link
	for _, l := range p.Links {
		links = append(links, link{l.FromID, p.Creates[l.ToNew].Code, l.Kind})
	}
	wantLinks := []link{
		{10, "24", Full}, {11, "24", Full},
		{1000, "07210", Full}, {1001, "07210", Partial},
		{1001, "07246", Partial}, {1002, "07246", Full},
		{1003, "09187", Full},
	}
	if !reflect.DeepEqual(links, wantLinks) {
		t.Errorf("links %v\nwant  %v", links, wantLinks)
	}
	// The residential area under Thọ Xương ends with it, and the user is told.
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "1 đơn vị trực thuộc") || !strings.Contains(p.Warnings[0], "2025-06-30") {
		t.Errorf("warnings %q; want one about 1 dependent unit ending on 2025-06-30", p.Warnings)
	}

	// Importing the mapping again changes nothing.
	again := plan(t, tt.apply(p).tree(), reform(), "2025-07-01")
	if !again.Empty() || again.Unchanged != 4 {
		t.Errorf("second import of the mapping: %+v; want empty with 4 unchanged", again)
	}
}

// hanoi maps Hà Nội, which keeps its code and name: only Ba Đình's two
// wards merge, Hoàn Kiếm's are not in this file.
func hanoi(name string) *File {
	return &File{Format: FormatMerges, Records: []Record{
		{Code: "01", Name: name, Kind: Province, Line: 1, Merges: []Merge{{OldCode: "01", Kind: Full}}},
		{Code: "00004", Name: "Phường Ba Đình", Kind: Commune, ParentCode: "01", Line: 2,
			Merges: []Merge{{OldCode: "00001", Kind: Full}, {OldCode: "00004", Kind: Full}}},
	}}
}

func TestPlanMergesProvinceContinues(t *testing.T) {
	p := plan(t, bacGiang().tree(), hanoi("Thành phố Hà Nội"), "2025-07-01")
	if p.Unchanged != 1 || len(p.Creates) != 1 {
		t.Fatalf("plan = %+v; want Hà Nội kept and one new ward", p)
	}
	if c := p.Creates[0]; c.Code != "00004" || c.ParentID != 12 || c.ParentNew != -1 {
		t.Errorf("new ward %s under stored %d / new %d; want under the kept Hà Nội (12)", c.Code, c.ParentID, c.ParentNew)
	}
	// Ba Đình lost both its wards, so it ends; Hoàn Kiếm keeps its own and
	// stays; the residential area of Phúc Xá ends with it.
	want := map[int64]string{1004: "2025-06-30", 1005: "2025-06-30", 103: "2025-06-30", 10001: "2025-06-30"}
	if got := closedIDs(p); !reflect.DeepEqual(got, want) {
		t.Errorf("closes %v; want %v", got, want)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "1 đơn vị trực thuộc") {
		t.Errorf("warnings %q; want one about the residential area", p.Warnings)
	}

	// The same code under a new name is a new committee: the old one ends.
	p = plan(t, bacGiang().tree(), hanoi("Thủ đô Hà Nội"), "2025-07-01")
	if len(p.Creates) != 2 || p.Creates[0].Code != "01" || p.Creates[0].Name != "Thủ đô Hà Nội" {
		t.Fatalf("creates %+v; want a new 01 and its ward", p.Creates)
	}
	if got := closedIDs(p)[12]; got != "2025-06-30" {
		t.Errorf("the old Hà Nội ends on %q; want 2025-06-30", got)
	}
}

func TestPlanMergesRejectsCodeInUse(t *testing.T) {
	// The new ward takes code 00037, but Phường Phúc Tân, which holds it, is
	// not merged into anything: two units would share the code.
	f := hanoi("Thành phố Hà Nội")
	f.Records[1].Code = "00037"
	_, err := PlanImport(bacGiang().tree(), f, Options{Date: "2025-07-01"})
	errorAt(t, err, 2, "code", `mã "00037" đã là của "Phường Phúc Tân"`)
}

func TestPlanMergesMissingOldUnit(t *testing.T) {
	f := hanoi("Thành phố Hà Nội")
	f.Records[1].Merges = append(f.Records[1].Merges, Merge{OldCode: "99999", Kind: Full})
	p := plan(t, bacGiang().tree(), f, "2025-07-01")
	if len(p.Creates) != 1 || len(p.Links) != 2 {
		t.Errorf("%d creates, %d links; want the ward created with links from its two known units", len(p.Creates), len(p.Links))
	}
	found := false
	for _, w := range p.Warnings {
		found = found || strings.Contains(w, "1 đơn vị cũ")
	}
	if !found {
		t.Errorf("warnings %q; want one about the unknown old unit", p.Warnings)
	}
}
