package unit

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"mattran/internal/errs"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseOfficialList(t *testing.T) {
	f, err := Parse(strings.NewReader(string(readTestdata(t, "bg-bn-2025-03.json"))))
	if err != nil {
		t.Fatalf("the official list of 1/3/2025 does not parse: %v", err)
	}
	if f.Format != FormatOfficial || f.Date != "2025-03-01" {
		t.Errorf("format %q, date %q; want official, 2025-03-01 (from data_date 01/03/2025)", f.Format, f.Date)
	}
	count := map[Kind]int{}
	for _, r := range f.Records {
		count[r.Kind]++
	}
	// Bắc Giang: 10 districts, 195 communes; Bắc Ninh: 8 districts, 121 communes.
	if want := map[Kind]int{Province: 2, District: 18, Commune: 316}; !reflect.DeepEqual(count, want) {
		t.Errorf("records by kind = %v; want %v", count, want)
	}
	want := []Record{
		{Code: "24", Name: "Tỉnh Bắc Giang", Kind: Province, OfficialType: "Tỉnh", Line: 5},
		{Code: "213", Name: "Thành phố Bắc Giang", Kind: District, OfficialType: "Thành phố", ParentCode: "24", Line: 10},
		{Code: "07201", Name: "Phường Thọ Xương", Kind: Commune, OfficialType: "Phường", ParentCode: "213", Line: 15},
	}
	if got := f.Records[:3]; !reflect.DeepEqual(got, want) {
		t.Errorf("first records = %+v\nwant %+v", got, want)
	}
	// The file is applied top-down: every parent comes before its children,
	// and a record's Line is the file line of its id, so a message can point
	// at it: lines grow in file order.
	seen := map[string]Kind{}
	for i, r := range f.Records {
		if i > 0 && r.Line <= f.Records[i-1].Line {
			t.Fatalf("record %d (%s) has Line %d, not after the previous record's %d", i+1, r.Code, r.Line, f.Records[i-1].Line)
		}
		if r.ParentCode != "" {
			pk, ok := seen[r.ParentCode]
			if !ok || pk.Rank() >= r.Kind.Rank() {
				t.Errorf("%s %s: parent %s is not an earlier, higher unit", r.Kind, r.Code, r.ParentCode)
			}
		}
		seen[r.Code] = r.Kind
	}
}

func TestParseMergeMapping(t *testing.T) {
	f, err := Parse(strings.NewReader(string(readTestdata(t, "bac-ninh-2025-07-merges.json"))))
	if err != nil {
		t.Fatalf("the merge mapping of 1/7/2025 does not parse: %v", err)
	}
	if f.Format != FormatMerges {
		t.Fatalf("format %q; want merges", f.Format)
	}
	if len(f.Records) != 100 {
		t.Fatalf("%d records; want the new Bắc Ninh and its 99 communes", len(f.Records))
	}
	p := f.Records[0]
	wantMerges := []Merge{{OldCode: "24", OldName: "Tỉnh Bắc Giang", Kind: Full}, {OldCode: "27", OldName: "Tỉnh Bắc Ninh", Kind: Full}}
	if p.Code != "24" || p.Name != "Tỉnh Bắc Ninh" || p.Kind != Province || !reflect.DeepEqual(p.Merges, wantMerges) {
		t.Errorf("province record = %+v; want 24 Tỉnh Bắc Ninh made of Bắc Giang and Bắc Ninh", p)
	}
	c := f.Records[1]
	if c.Code != "07210" || c.Name != "Phường Bắc Giang" || c.Kind != Commune || c.OfficialType != "Phường" || c.ParentCode != "24" || len(c.Merges) != 9 {
		t.Errorf("first commune = %+v; want 07210 Phường Bắc Giang, a commune (Phường) under 24 made of 9 old units", c)
	}
	olds := map[string]bool{}
	for _, r := range f.Records[1:] {
		if r.Kind != Commune || r.ParentCode != "24" {
			t.Errorf("%s %s is a %s under %q; after the reform communes sit right under the province", r.Code, r.Name, r.Kind, r.ParentCode)
		}
		if r.OfficialType == "" {
			t.Errorf("%s %s: official type not read off the name", r.Code, r.Name)
		}
		for _, m := range r.Merges {
			olds[m.OldCode] = true
		}
	}
	// Every one of the 316 old communes of the two provinces went somewhere.
	if len(olds) != 316 {
		t.Errorf("the communes merge %d distinct old communes; want 316", len(olds))
	}
}

func TestParseCSV(t *testing.T) {
	// A spreadsheet export: BOM, CRLF, upper-case headers in another order,
	// spaces around cells, the optional columns, a blank line.
	in := "\ufeffKind, Code ,name,parent_code,official_type,synthetic,valid_from,valid_to\r\n" +
		"province,24,Tỉnh Bắc Giang,,Tỉnh,,,\r\n" +
		"district, 213 ,Thành phố Bắc Giang,24,Thành phố,false,,2025-06-30\r\n" +
		"\r\n" +
		"commune,07201,Phường Thọ Xương,213,Phường,0,,\r\n" +
		"residential_area,07201-01,\"Tổ dân phố số 1, Thọ Xương\",07201,,có,2020-01-01,\r\n" +
		"member_org,24-HND,Hội Nông dân tỉnh,,,,,\r\n"
	f, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := &File{Format: FormatCSV, Versioned: true, Records: []Record{
		{Code: "24", Name: "Tỉnh Bắc Giang", Kind: Province, OfficialType: "Tỉnh", Line: 2},
		{Code: "213", Name: "Thành phố Bắc Giang", Kind: District, OfficialType: "Thành phố", ParentCode: "24", ValidTo: "2025-06-30", Line: 3},
		{Code: "07201", Name: "Phường Thọ Xương", Kind: Commune, OfficialType: "Phường", ParentCode: "213", Line: 5},
		{Code: "07201-01", Name: "Tổ dân phố số 1, Thọ Xương", Kind: ResidentialArea, ParentCode: "07201", Synthetic: true, ValidFrom: "2020-01-01", Line: 6},
		{Code: "24-HND", Name: "Hội Nông dân tỉnh", Kind: MemberOrg, Line: 7},
	}}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("Parse =\n%+v\nwant\n%+v", f, want)
	}
}

// errorAt checks that err is an Invalid *errs.Error and that one of its
// details is at row and field and says want. A file-level problem (the CSV
// header, broken syntax) has no details; then row and field are 0 and "",
// and the message itself must say want.
func errorAt(t *testing.T, err error, row int, field, want string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != errs.Invalid {
		t.Fatalf("error = %#v; want an Invalid *errs.Error", err)
	}
	if row == 0 && field == "" {
		if !strings.Contains(e.Error(), want) {
			t.Errorf("error %q does not say %q", e.Error(), want)
		}
		return
	}
	for _, d := range e.Details {
		if d.Row == row && d.Field == field && strings.Contains(errs.Text(d, errs.Exchange), want) {
			return
		}
	}
	t.Errorf("no detail at row %d, field %q saying %q; got %+v", row, field, want, e.Details)
}

func TestParseRejects(t *testing.T) {
	const header = "code,name,kind,parent_code\n"
	const prov = "24,Tỉnh Bắc Giang,province,\n"
	tests := []struct {
		name  string
		in    string
		row   int
		field string
		want  string
	}{
		{"empty file", "", 0, "", "tệp đơn vị rỗng"},
		{"only spaces", " \n\t\n", 0, "", "dòng 1: cột"},
		{"garbage bytes", "\x00\xff\xfe\x01garbage\x02", 0, "", "dòng 1: cột"},
		{"missing column", "code,name,kind\n24,Tỉnh Bắc Giang,province\n", 0, "", `dòng 1: thiếu cột "parent_code"`},
		{"unknown column", "code,name,kind,parent_code,colour\n", 0, "", `dòng 1: cột "colour" không được hỗ trợ`},
		{"repeated column", "code,name,kind,parent_code,Name\n", 0, "", `dòng 1: cột "name" bị lặp`},
		{"bad kind", header + prov + "213,Thành phố Bắc Giang,huyen,24\n", 3, "kind", `loại đơn vị "huyen" không hợp lệ`},
		{"central is the root", header + "VN,Trung ương,central,\n", 2, "kind", "Trung ương"},
		{"duplicate code", header + prov + "213,A,district,24\n213,B,district,24\n", 4, "code", `mã "213" xuất hiện hai lần`},
		{"missing code", header + prov + ",Thành phố Bắc Giang,district,24\n", 3, "code", "thiếu mã"},
		{"code with a slash", header + "24/1,Tỉnh,province,\n", 2, "code", `mã "24/1" không hợp lệ`},
		{"missing name", header + prov + "213,,district,24\n", 3, "name", `thiếu tên đơn vị "213"`},
		{"name too long", header + "24," + strings.Repeat("Bắc ", 60) + ",province,\n", 2, "name", "quá dài"},
		{"commune without a parent", header + "07201,Phường Thọ Xương,commune,\n", 2, "parent_code", "cần mã đơn vị cấp trên"},
		{"district under a commune", header + prov + "07201,Phường Thọ Xương,commune,24\n213,Thành phố Bắc Giang,district,07201\n", 4, "parent_code", "không thể nằm trực tiếp dưới"},
		{"30 February", "code,name,kind,parent_code,valid_from\n24,Tỉnh Bắc Giang,province,,2024-02-30\n", 2, "valid_from", `ngày "2024-02-30" không hợp lệ`},
		{"day-first date", "code,name,kind,parent_code,valid_to\n24,Tỉnh Bắc Giang,province,,30/06/2025\n", 2, "valid_to", `ngày "30/06/2025" không hợp lệ`},
		{"bad synthetic", "code,name,kind,parent_code,synthetic\n24,Tỉnh Bắc Giang,province,,maybe\n", 2, "synthetic", `"maybe"`},
		{"row after a blank line", header + prov + "\n213,,district,24\n", 4, "name", "thiếu tên"},
		{"row after a two-line name", header + "24,\"Tỉnh\nBắc Giang\",province,\n213,,district,24\n", 4, "name", "thiếu tên"},
		{"stray quote", header + prov + "2\"13,A,district,24\n", 0, "", "dòng 3"},
		{"a line over 64 KB", header + prov + "213,\"" + strings.Repeat("Bắc Giang\n", 8<<10) + "\",district,24\n", 0, "", "dòng 3: dòng dài hơn 64 KB"},
		{"CSV with a BOM still checks", "\ufeff" + header + "24,,province,\n", 2, "name", "thiếu tên"},

		{"JSON syntax", "{\"data\": [\n {\"level1_id\": \"24\",\n  \"name\": \"Tỉnh Bắc Giang\",}\n]}", 0, "", "dòng 3"},
		{"JSON wrong type", "{\"data\": [\n {\"level1_id\": 24}\n]}", 0, "", "dòng 2, data.level1_id: giá trị sai kiểu"},
		{"JSON without data", `{"data_date": "01/03/2025"}`, 0, "", `"data"`},
		{"JSON empty data", `{"data": []}`, 0, "", `"data"`},
		// In JSON a record's row is its position in the list (province 1,
		// its first district 2, that district's first commune 3, …).
		{"JSON commune without a name", "{\"data\":[{\"level1_id\":\"24\",\"name\":\"Tỉnh Bắc Giang\",\"level2s\":[{\"level2_id\":\"213\",\"name\":\"Thành phố Bắc Giang\",\n\"level3s\":[{\"level3_id\":\"07201\",\"name\":\"Phường Thọ Xương\"},\n{\"level3_id\":\"07207\",\"name\":\" \"}]}]}]}", 3, "name", `"07207"`},
		{"JSON duplicate code", "{\"data\":[{\"level1_id\":\"24\",\"name\":\"Tỉnh Bắc Giang\",\"level2s\":[\n{\"level2_id\":\"213\",\"name\":\"A\"},\n{\"level2_id\":\"213\",\"name\":\"B\"}]}]}", 3, "code", `mã "213" xuất hiện hai lần`},
		{"JSON code with a space", `{"data":[{"level1_id":"2 4","name":"Tỉnh Bắc Giang"}]}`, 1, "code", `"2 4"`},
		{"merge of unknown type", `{"data":[{"level1_id":"24","name":"Tỉnh Bắc Ninh","merges":[{"old_id":"24","name":"Tỉnh Bắc Giang","type":"một phần"}]}]}`, 1, "merges", `"một phần"`},
		{"merge without old code", `{"data":[{"level1_id":"24","name":"Tỉnh Bắc Ninh","merges":[{"name":"Tỉnh Bắc Giang","type":"full"}]}]}`, 1, "merges", "thiếu mã đơn vị cũ"},
		{"merge file with a third level", `{"data":[{"level1_id":"24","name":"Tỉnh Bắc Ninh","merges":[{"old_id":"24","name":"Tỉnh Bắc Giang","type":"full"}],"level2s":[{"level2_id":"07210","name":"Phường Bắc Giang","level3s":[{"level3_id":"1","name":"x"}]}]}]}`, 0, "", "data[0].level2s[0].level3s[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("accepted: %+v", f)
			}
			if f != nil {
				t.Errorf("returned a file along with the error")
			}
			errorAt(t, err, tt.row, tt.field, tt.want)
		})
	}
}

func TestParseListsEveryBadRow(t *testing.T) {
	in := "code,name,kind,parent_code,valid_from\n" +
		"24,Tỉnh Bắc Giang,province,,\n" +
		"213,,district,24,\n" +
		"215,Huyện Yên Thế,huyen,24,\n" +
		"07201,Phường Thọ Xương,commune,213,2024-13-01\n"
	_, err := Parse(strings.NewReader(in))
	e, ok := errs.As(err)
	if !ok {
		t.Fatalf("error = %v; want *errs.Error", err)
	}
	var got []string
	for _, d := range e.Details {
		got = append(got, fmt.Sprintf("dòng %d, %s", d.Row, d.Field))
	}
	if want := []string{"dòng 3, name", "dòng 4, kind", "dòng 5, valid_from"}; !sameSet(got, want) {
		t.Errorf("details at %v; want %v", got, want)
	}
	if !strings.Contains(e.Message, "3 lỗi") || !strings.Contains(e.Message, "không có gì được ghi") {
		t.Errorf("message %q; want it to count 3 errors and say nothing was written", e.Message)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestParseJSONWithBOM(t *testing.T) {
	in := "\ufeff" + `{"data_date":"01/07/2025","data":[{"level1_id":"24","name":"Tỉnh Bắc Ninh","type":"Tỉnh"}]}`
	f, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("a JSON list saved with a BOM is refused: %v", err)
	}
	if f.Format != FormatOfficial || f.Date != "2025-07-01" || len(f.Records) != 1 || f.Records[0].Name != "Tỉnh Bắc Ninh" {
		t.Errorf("Parse = %+v", f)
	}
}

// trimmedSample returns a testdata file with every list cut to its first
// two items, except the lists named keep, which keep three.
func trimmedSample(f *testing.F, name, keep string) []byte {
	var doc any
	if err := json.Unmarshal(readTestdata(f, name), &doc); err != nil {
		f.Fatal(err)
	}
	var trim func(v any, key string) any
	trim = func(v any, key string) any {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				v[k] = trim(x, k)
			}
		case []any:
			n := 2
			if key == keep {
				n = 3
			}
			v = v[:min(n, len(v))]
			for i := range v {
				v[i] = trim(v[i], "")
			}
			return v
		}
		return v
	}
	out, err := json.MarshalIndent(trim(doc, ""), "", " ")
	if err != nil {
		f.Fatal(err)
	}
	return out
}

func FuzzParse(f *testing.F) {
	// The real files, cut to a few units each: the fuzzer minimises every
	// new input it keeps, which takes minutes on a 40 KB seed.
	f.Add(trimmedSample(f, "bg-bn-2025-03.json", "level3s"))
	f.Add(trimmedSample(f, "bac-ninh-2025-07-merges.json", "merges"))
	f.Add([]byte(`{"data_date":"01/03/2025","data":[{"level1_id":"24","name":"Tỉnh Bắc Giang","type":"Tỉnh","level2s":[{"level2_id":"213","name":"Thành phố Bắc Giang","type":"Thành phố","level3s":[{"level3_id":"07201","name":"Phường Thọ Xương","type":"Phường"}]}]}]}`))
	f.Add([]byte(`{"data":[{"level1_id":"24","name":"Tỉnh Bắc Ninh","merges":[{"old_id":"24","name":"Tỉnh Bắc Giang","type":"full"}],"level2s":[{"level2_id":"07210","name":"Phường Bắc Giang","merges":[{"old_id":"07201","name":"Phường Thọ Xương","type":"partial"}]}]}]}`))
	f.Add([]byte("code,name,kind,parent_code,official_type,synthetic,valid_from,valid_to\n24,Tỉnh Bắc Giang,province,,Tỉnh,false,,\n213,Thành phố Bắc Giang,district,24,,,2020-01-01,2025-06-30\n07201-01,\"Tổ 1, Thọ Xương\",residential_area,07201,,có,,\n"))
	f.Add([]byte("\ufeffcode,name,kind,parent_code\r\n24,A,province,\r\n\r\n213,,huyen,24\r\n"))
	// Found by the fuzzer: keys in another case, a code of invalid UTF-8.
	f.Add([]byte("{\"dAtA\":[{\"level1_id\":\"\x9d\",\"nAme\":\"0\"}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(strings.NewReader(string(data)))
		if err != nil {
			if e, ok := errs.As(err); !ok || e.Code != errs.Invalid || e.Message == "" {
				t.Fatalf("error %#v is not an Invalid *errs.Error with a message", err)
			}
			if file != nil {
				t.Fatal("returned a file along with an error")
			}
			return
		}
		for _, r := range file.Records {
			if r.Code == "" || r.Name == "" {
				t.Fatalf("accepted a record without code or name: %+v", r)
			}
			if k, err := ParseKind(string(r.Kind)); err != nil || k == Central {
				t.Fatalf("accepted a record of kind %q: %+v", r.Kind, r)
			}
			if r.Line < 1 {
				t.Fatalf("record %s has Line %d", r.Code, r.Line)
			}
			for _, d := range []string{r.ValidFrom, r.ValidTo} {
				if d != "" && !IsDate(d) {
					t.Fatalf("accepted date %q: %+v", d, r)
				}
			}
		}
	})
}
