package value

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"mattran/internal/errs"
)

// A DHIS2 JSON dataValueSet as a tool sends it: the period and unit at the
// top, numbers and booleans as JSON values, fields we ignore.
const sampleJSON = `{
  "dataSet": "CT2",
  "period": "2024",
  "orgUnit": "24",
  "completeDate": "2025-01-15",
  "dataValues": [
    {"dataElement": "CT2_HGD_TONG", "value": "512340"},
    {"dataElement": "CT2_HGD_VANHOA", "orgUnit": "07201", "value": 1200,
     "categoryOptionCombo": "HllvX50cXC0", "comment": "số liệu xã"},
    {
      "dataElement": "CT2_QUY_VNN",
      "period": "2023",
      "value": 51234000000
    },
    {"dataElement": "CT1_BC", "period": "202409", "value": true}
  ]
}
`

// The same kind of data as DHIS2's CSV export writes it.
const sampleCSV = "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment\n" +
	"CT2_HGD_TONG,2024,24,,,512340,admin,2025-01-15T10:00:00Z,\n" +
	"CT2_HGD_VANHOA,2024,07201,,,1200,admin,2025-01-15T10:00:00Z,\"ghi chú\nhai dòng\"\n" +
	"CT2_QUY_VNN,2023,24,,,51234000000,admin,2025-01-15T10:00:00Z,\n"

func TestParseJSON(t *testing.T) {
	rows, err := Parse(strings.NewReader(sampleJSON))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []Row{
		{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "24", Value: "512340", Line: 7, Index: 1},
		{DataElement: "CT2_HGD_VANHOA", Period: "2024", OrgUnit: "07201", Value: "1200", Line: 8, Index: 2},
		{DataElement: "CT2_QUY_VNN", Period: "2023", OrgUnit: "24", Value: "51234000000", Line: 10, Index: 3},
		{DataElement: "CT1_BC", Period: "202409", OrgUnit: "24", Value: "true", Line: 15, Index: 4},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows =\n%+v\nwant\n%+v", rows, want)
	}
}

func TestParseCSV(t *testing.T) {
	// Saved from Excel: BOM, CRLF, a blank line, a comment across two lines.
	in := "\ufeff" + strings.ReplaceAll(sampleCSV, "\n", "\r\n")
	in = strings.Replace(in, "CT2_QUY_VNN", "\r\nCT2_QUY_VNN", 1)
	rows, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []Row{
		{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "24", Value: "512340", Line: 2},
		{DataElement: "CT2_HGD_VANHOA", Period: "2024", OrgUnit: "07201", Value: "1200", Line: 3},
		{DataElement: "CT2_QUY_VNN", Period: "2023", OrgUnit: "24", Value: "51234000000", Line: 6},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows =\n%+v\nwant\n%+v", rows, want)
	}
}

func TestParseRejects(t *testing.T) {
	const header = "dataelement,period,orgunit,value\n"
	tests := []struct {
		name  string
		in    string
		row   int    // the detail's row; 0 when the message itself names the line
		field string // the detail's field
		want  string // in the detail's message, or in the error
	}{
		{"empty", "", 0, "", "không có dữ liệu"},
		{"BOM only", "\ufeff", 0, "", "không có dữ liệu"},
		{"missing value column", "dataelement,period,orgunit\nA,2024,24\n", 0, "", `dòng 1: thiếu cột "value"`},
		{"garbage", "\x00\x01\xff\xfe", 0, "", `dòng 1: thiếu cột "dataelement"`},
		{"stray quote", header + "A,2024,24,1\nA,2024,24,1\"2\n", 0, "", "dòng 3: CSV không hợp lệ ở cột 12"},
		{"stray quote in the first cell", header + "A\"B,2024,24,1\n", 0, "", "dòng 2: CSV không hợp lệ ở cột 2"},
		{"quote not closed", header + "A,2024,24,1\n\n\"A,2024,24,1\n", 0, "", "dòng 4: CSV không hợp lệ ở cột 14"},
		{"quote then text", header + "\"A\"B,2024,24,1\n", 0, "", "dòng 2: CSV không hợp lệ ở cột 3 (dấu ngoặc kép"},

		{"JSON broken at once", "{]", 0, "", "dòng 1: JSON không hợp lệ (sai cú pháp"},
		{"JSON without dataValues", `{"period": "2024"}`, 0, "", `thiếu trường "dataValues"`},
		{"dataValues not a list", `{"dataValues": {"dataElement": "A"}}`, 0, "", `"dataValues" phải là một mảng`},
		{"top period a number", "{\n\"period\": 2024, \"dataValues\": []}", 0, "", "dòng 2, period: phải là chuỗi"},
		{"value an object", "{\"dataValues\": [\n  {\"dataElement\": \"A\", \"value\": \"1\"},\n  {\"dataElement\": \"A\",\n   \"value\": {\"n\": 1}}\n]}",
			3, "value", "dòng 3 (giá trị thứ 2)"},
		{"element a list", "{\"dataValues\": [{\"dataElement\": [\"A\"], \"value\": \"1\"}]}", 1, "dataElement", "phải là chuỗi hoặc số"},
		{"item not an object", "{\"dataValues\": [\n{\"dataElement\": \"A\"},\n 5]}", 0, "", "dòng 3"},
		{"missing comma", "{\"dataValues\": [\n{\"dataElement\": \"A\"}\n{\"dataElement\": \"B\"}]}", 0, "", "dòng 3"},
		{"cut short", "{\"dataValues\": [\n{\"dataElement\": \"A\"},\n", 0, "", "JSON không hợp lệ"},
		{"not closed", `{"dataValues": []`, 0, "", "JSON không hợp lệ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("accepted: %+v", rows)
			}
			if rows != nil {
				t.Errorf("returned rows along with the error")
			}
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid {
				t.Fatalf("error = %#v; want an Invalid *errs.Error", err)
			}
			if tt.row == 0 {
				if !strings.Contains(e.Error(), tt.want) {
					t.Errorf("error %q does not say %q", e.Error(), tt.want)
				}
				return
			}
			if len(e.Details) != 1 || e.Details[0].Row != tt.row || e.Details[0].Field != tt.field || !strings.Contains(e.Details[0].String(), tt.want) {
				t.Errorf("details %+v; want row %d, field %s, saying %q", e.Details, tt.row, tt.field, tt.want)
			}
		})
	}
}

// A JSON array at the top is answered as JSON, not read as a CSV file
// without the columns it needs (which Parse did before).
func TestParseJSONNotAnObject(t *testing.T) {
	for _, in := range []string{`[{"dataElement": "A"}]`, "\ufeff \n [\n]"} {
		_, err := Parse(strings.NewReader(in))
		if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), `dữ liệu JSON phải là một đối tượng {"dataValues": [...]}`) {
			t.Errorf("Parse(%q): error = %v; want Invalid saying the data must be an object", in, err)
		}
	}
	if _, err := ParseJSON(strings.NewReader("5")); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "phải là một đối tượng") {
		t.Errorf("ParseJSON(5): %v", err)
	}
}

func TestWriteThenParse(t *testing.T) {
	values := []Exported{
		{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "24", Value: "512340", StoredBy: "Nguyễn Văn A", LastUpdated: time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)},
		{DataElement: "CT2_QUY_VNN", Period: "2024Q3", OrgUnit: "07201", Value: FormatNumber(1.5e10)},
	}
	want := []Row{
		{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "24", Value: "512340"},
		{DataElement: "CT2_QUY_VNN", Period: "2024Q3", OrgUnit: "07201", Value: "15000000000"},
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"JSON": func(b *bytes.Buffer) error { return WriteJSON(b, values) },
		"CSV":  func(b *bytes.Buffer) error { return WriteCSV(b, values) },
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rows, err := Parse(&buf)
		if err != nil {
			t.Fatalf("%s: our own export does not parse: %v", name, err)
		}
		for i := range rows {
			if rows[i].Line < 1 {
				t.Errorf("%s row %d has line %d", name, i+1, rows[i].Line)
			}
			rows[i].Line, rows[i].Index = 0, 0
		}
		if !reflect.DeepEqual(rows, want) {
			t.Errorf("%s: read back %+v; want %+v", name, rows, want)
		}
	}
}

// endless is an input that never ends: a parser that reads the whole
// stream before looking at it never returns.
type endless struct{ read int }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.read += len(p)
	if e.read > 64<<20 {
		return 0, errors.New("read 64 MB of an endless input")
	}
	return len(p), nil
}

// Parsers read their input as a stream: a file is refused at its first
// error, having read no more than a buffer past it, and one line or one
// string is bounded, so a row never takes more memory than that. (Before,
// Parse read the whole body first, then counted lines from its start for
// each value, quadratic in the file.)
func TestParseStreams(t *testing.T) {
	for name, head := range map[string]string{
		"JSON": "{\"dataValues\": [\n{\"dataElement\": \"A\", \"value\": x",
		"CSV":  "dataelement,period,orgunit,value\nA,2024,24,\"1\"2\n",
	} {
		rest := &endless{}
		_, err := Parse(io.MultiReader(strings.NewReader(head), rest))
		if e, ok := errs.As(err); !ok || len(e.Details) != 1 || e.Details[0].Row != 2 {
			t.Errorf("%s: %v; want the error on line 2", name, err)
		}
		if rest.read > 1<<20 {
			t.Errorf("%s: read %d bytes past the error", name, rest.read)
		}
	}
	long := strings.Repeat("x", 70<<10)
	for name, c := range map[string]struct {
		in   string
		line int
		want string
	}{
		"a CSV line over 64 KB":          {"dataelement,period,orgunit,value\nA,2024,24,1\nA,2024,24," + long + "\n", 3, "dòng dài hơn 64 KB"},
		"a quoted CSV cell over 64 KB":   {"dataelement,period,orgunit,value\nA,2024,24,\"" + strings.Repeat("1\n", 40<<10) + "\"\n", 2, "dòng dài hơn 64 KB"},
		"a JSON string over 64 KB":       {"{\"dataValues\": [\n{\"comment\": \"" + long + "\"}]}", 2, "chuỗi dài hơn 64 KB"},
		"a JSON code over 64 characters": {"{\"dataValues\": [\n{\"orgUnit\": \"" + strings.Repeat("9", 65) + "\"}]}", 2, "dòng 2 (giá trị thứ 1), orgUnit: dài 65 ký tự, tối đa 64"},
		"a CSV code over 64 characters":  {"dataelement,period,orgunit,value\n" + strings.Repeat("A", 65) + ",2024,24,1\n", 2, "dòng 2, dataElement: dài 65 ký tự, tối đa 64"},
	} {
		_, err := Parse(strings.NewReader(c.in))
		if e, ok := errs.As(err); !ok || len(e.Details) != 1 || e.Details[0].Row != c.line || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want line %d saying %q", name, err, c.line, c.want)
		}
	}
}

// A file one byte over the bound is refused as too large, not read as the
// file cut at the bound; a file exactly at the bound is read whole.
func TestBounded(t *testing.T) {
	if b, err := io.ReadAll(&bounded{r: strings.NewReader("abcd"), left: 4}); err != nil || string(b) != "abcd" {
		t.Errorf("at the bound: %q, %v", b, err)
	}
	if b, err := io.ReadAll(&bounded{r: strings.NewReader("abcde"), left: 4}); !errors.Is(err, errTooLarge) {
		t.Errorf("over the bound: %q, %v", b, err)
	}
	if err := readError(errTooLarge); !strings.Contains(err.Error(), "tệp số liệu quá lớn (tối đa 256 MB)") {
		t.Errorf("readError = %v", err)
	}
}

// twoReads gives its data in two reads, split at a byte.
type twoReads struct {
	data  []byte
	split int
}

func (r *twoReads) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := len(r.data)
	if r.split > 0 {
		n, r.split = r.split, 0
	}
	n = copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// A read may end anywhere: inside a key, between a key and its colon,
// inside an escape. The rows are the same wherever the stream breaks.
func TestParseAcrossReads(t *testing.T) {
	doc := []byte(sampleJSON[:len(sampleJSON)-4] + `,
    {"dataElement": "CT\u0032_X", "period": "2024", "orgUnit": "07201", "value": -1.5e2}
  ]
}`)
	want, err := Parse(bytes.NewReader(doc))
	if err != nil || len(want) != 5 || want[4].DataElement != "CT2_X" || want[4].Value != "-1.5e2" {
		t.Fatalf("Parse = %+v, %v", want, err)
	}
	for split := 1; split < len(doc); split++ {
		got, err := ParseJSON(&twoReads{data: doc, split: split})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("split at byte %d (%q|%q): %+v, %v", split, doc[max(0, split-10):split], doc[split:min(len(doc), split+10)], got, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sampleJSON))
	f.Add([]byte(sampleCSV))
	f.Add([]byte("\ufeffDataElement,Period,OrgUnit,Value\r\nA,2024,24,\"1\r\n2\"\r\n\r\nB,2024Q1,24,3\r\n"))
	f.Add([]byte(`{"dataValues":[{"dataElement":"A","period":"2024","orgUnit":"24","value":null},{"value":{"x":1}}]}`))
	f.Add([]byte(`{"period":"2024","x":[1,{"y":2}],"dataValues":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := Parse(bytes.NewReader(data))
		// The JSON reader is ours: it must agree with encoding/json on
		// what is JSON.
		body := bytes.TrimLeft(bytes.TrimPrefix(data, bom), " \t\r\n")
		isJSON := len(body) > 0 && (body[0] == '{' || body[0] == '[')
		if isJSON && err == nil && !json.Valid(body) {
			t.Fatalf("accepted JSON that encoding/json refuses: %q", data)
		}
		if err != nil {
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid || e.Message == "" {
				t.Fatalf("error %#v is not an Invalid *errs.Error with a message", err)
			}
			if rows != nil {
				t.Fatal("returned rows along with an error")
			}
			if isJSON && len(e.Details) == 1 && (e.Details[0].Code == errs.JSONSyntax || e.Details[0].Code == errs.JSONTruncated) && json.Valid(body) {
				t.Fatalf("refused as bad JSON what encoding/json reads: %q: %v", data, err)
			}
			return
		}
		// The same rows however the stream is cut into reads.
		if len(data) > 1 {
			split := 1 + int(data[len(data)-1])*len(data)/256
			again, err := Parse(&twoReads{data: data, split: min(split, len(data)-1)})
			if err != nil || !reflect.DeepEqual(again, rows) {
				t.Fatalf("read in two parts (at %d): %+v, %v; in one: %+v", split, again, err, rows)
			}
		}
		for i, r := range rows {
			if r.Line < 1 {
				t.Fatalf("row %d has line %d", i+1, r.Line)
			}
			if r.Index != 0 && r.Index != i+1 {
				t.Fatalf("row %d has index %d", i+1, r.Index)
			}
			if i > 0 && r.Line < rows[i-1].Line {
				t.Fatalf("row %d is on line %d, before row %d on line %d", i+1, r.Line, i, rows[i-1].Line)
			}
		}
	})
}
