package value

import (
	"bytes"
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
		{"stray quote", header + "A,2024,24,1\nA,2024,24,1\"2\n", 0, "", "dòng 3, cột 12: CSV không hợp lệ"},
		{"stray quote in the first cell", header + "A\"B,2024,24,1\n", 0, "", "dòng 2, cột 2: CSV không hợp lệ"},
		{"quote not closed", header + "A,2024,24,1\n\n\"A,2024,24,1\n", 0, "", "dòng 4, cột 14: CSV không hợp lệ"},
		{"quote then text", header + "\"A\"B,2024,24,1\n", 0, "", "dòng 2, cột 3: CSV không hợp lệ (dấu ngoặc kép"},

		{"JSON broken at once", "{]", 0, "", "dòng 1: JSON không hợp lệ (sai cú pháp"},
		{"JSON without dataValues", `{"period": "2024"}`, 0, "", `thiếu trường "dataValues"`},
		{"dataValues not a list", `{"dataValues": {"dataElement": "A"}}`, 0, "", `"dataValues" phải là một mảng`},
		{"top period a number", "{\n\"period\": 2024, \"dataValues\": []}", 0, "", `dòng 2: trường "period" phải là chuỗi`},
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

func TestParseJSONNotAnObject(t *testing.T) {
	_, err := ParseJSON([]byte(`[{"dataElement": "A"}]`))
	if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "phải là một đối tượng") {
		t.Errorf("error = %v; want Invalid saying the data must be an object", err)
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

func FuzzParse(f *testing.F) {
	f.Add([]byte(sampleJSON))
	f.Add([]byte(sampleCSV))
	f.Add([]byte("\ufeffDataElement,Period,OrgUnit,Value\r\nA,2024,24,\"1\r\n2\"\r\n\r\nB,2024Q1,24,3\r\n"))
	f.Add([]byte(`{"dataValues":[{"dataElement":"A","period":"2024","orgUnit":"24","value":null},{"value":{"x":1}}]}`))
	f.Add([]byte(`{"period":"2024","x":[1,{"y":2}],"dataValues":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := Parse(bytes.NewReader(data))
		if err != nil {
			if e, ok := errs.As(err); !ok || e.Code != errs.Invalid || e.Message == "" {
				t.Fatalf("error %#v is not an Invalid *errs.Error with a message", err)
			}
			if rows != nil {
				t.Fatal("returned rows along with an error")
			}
			return
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
