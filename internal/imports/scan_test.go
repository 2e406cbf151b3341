package imports

import (
	"strings"
	"testing"
)

func TestScanValues(t *testing.T) {
	for _, c := range []struct {
		name, file string
		rows       int
		codes      map[string]string
		unread     bool
	}{
		{"csv", "dataelement,period,orgunit,value\nA,2024,07201,1\nA,2024,07207,2\n\nB,2024,07201,3\n", 3,
			map[string]string{"07201": "dòng 2", "07207": "dòng 3"}, false},
		{"csv with ; and a BOM", "\ufeffDataElement;Period;OrgUnit;Value\nA;2024;24;1\n", 1, map[string]string{"24": "dòng 2"}, false},
		{"json", `{"orgUnit":"213","dataValues":[{"dataElement":"A","period":"2024","value":"1"},{"dataElement":"A","orgUnit":"07201","period":"2024","value":"2"}]}`, 2,
			map[string]string{"213": `trường "orgUnit" đầu tệp`, "07201": "giá trị thứ 2"}, false},
		{"csv without orgunit", "a,b\n1,2\n", 0, nil, true},
		{"broken json", `{"dataValues":[{"orgUnit":`, 0, nil, true},
	} {
		sc, err := ScanValues(strings.NewReader(c.file))
		if c.unread {
			if err != ErrUnread {
				t.Errorf("%s: %v, want ErrUnread", c.name, err)
			}
			continue
		}
		if err != nil || sc.Rows != c.rows || len(sc.Codes) != len(c.codes) {
			t.Errorf("%s: %+v, %v", c.name, sc, err)
			continue
		}
		for code, where := range c.codes {
			if sc.Codes[code] != where {
				t.Errorf("%s: code %s at %q, want %q", c.name, code, sc.Codes[code], where)
			}
		}
	}
}
