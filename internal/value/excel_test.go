package value

import (
	"strings"
	"testing"

	"mattran/internal/errs"
)

// Files as Excel saves them in a Vietnamese office read like any other.
func TestParseCSVFromExcel(t *testing.T) {
	for name, data := range map[string]string{
		"UTF-8 with BOM":             "\ufeffdataelement,period,orgunit,value\r\nCT2_HGD_TONG,2024,KDC-1,120\r\n",
		"semicolons":                 "dataelement;period;orgunit;value\nCT2_HGD_TONG;2024;KDC-1;120\n",
		"BOM, semicolons, CRLF":      "\ufeffDataElement;Period;OrgUnit;Value\r\nCT2_HGD_TONG;2024;KDC-1;120\r\n",
		"tabs (copied from a sheet)": "dataelement\tperiod\torgunit\tvalue\nCT2_HGD_TONG\t2024\tKDC-1\t120\n",
	} {
		rows, err := Parse(strings.NewReader(data))
		if err != nil || len(rows) != 1 || rows[0] != (Row{DataElement: "CT2_HGD_TONG", Period: "2024", OrgUnit: "KDC-1", Value: "120", Line: 2}) {
			t.Errorf("%s: %+v, %v", name, rows, err)
		}
	}
}

func TestParseRejectsWhatWouldBeMisread(t *testing.T) {
	for name, c := range map[string]struct{ data, want string }{
		"decimal comma splits a cell": {"dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,1.234,5\n", "dòng 2: có 5 ô, dòng tiêu đề có 4"},
		"text after the JSON":         {`{"dataValues":[]} {"dataValues":[]}`, "nội dung thừa"},
		"a value that is no object":   {"{\"dataValues\":[\n{\"dataElement\":\"A\"},\n 5]}", "dòng 3 (giá trị thứ 2): mỗi giá trị phải là một đối tượng"},
		"truncated JSON":              {`{"dataValues":[{"dataElement":"A"`, "dữ liệu bị cắt ngang"},
	} {
		_, err := Parse(strings.NewReader(c.data))
		e, ok := errs.As(err)
		if !ok || e.Code != errs.Invalid {
			t.Errorf("%s: err = %v, want invalid", name, err)
			continue
		}
		text := e.Message
		for _, d := range e.Details {
			text += " | " + d.String()
		}
		if !strings.Contains(text, c.want) {
			t.Errorf("%s: %q does not say %q", name, text, c.want)
		}
	}
}
