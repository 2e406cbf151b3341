package value

import (
	"reflect"
	"testing"
)

func TestCheckable(t *testing.T) {
	den := func(code string) string {
		if code == "PART" {
			return "WHOLE"
		}
		return ""
	}
	row := func(e, u string) Row { return Row{DataElement: e, OrgUnit: u, Period: "2024", Value: "1"} }
	tests := []struct {
		name          string
		rows, refused []Row
		want          []Row
	}{
		{"nothing refused", []Row{row("PART", "A"), row("WHOLE", "A")}, nil, []Row{row("PART", "A"), row("WHOLE", "A")}},
		{"the whole refused leaves out its part", []Row{row("PART", "A"), row("OTHER", "A")}, []Row{row("WHOLE", "A")}, []Row{row("OTHER", "A")}},
		{"a part refused leaves out its whole", []Row{row("WHOLE", "A"), row("OTHER", "A")}, []Row{row("PART", "A")}, []Row{row("OTHER", "A")}},
		{"another unit's refusal does not count", []Row{row("PART", "B"), row("WHOLE", "B")}, []Row{row("WHOLE", "A")}, []Row{row("PART", "B"), row("WHOLE", "B")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Checkable(tt.rows, tt.refused, den); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
