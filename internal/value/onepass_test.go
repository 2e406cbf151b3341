package value

import (
	"reflect"
	"testing"

	"mattran/internal/program"
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

func TestOutlier(t *testing.T) {
	count := program.DataElement{Code: "C", ValueType: program.Integer}
	yes := program.DataElement{Code: "B", ValueType: program.Boolean}
	tests := []struct {
		name      string
		e         program.DataElement
		last, now float64
		want      bool
	}{
		{"same", count, 100, 100, false},
		{"half up is still fine", count, 100, 150, false},
		{"more than half up", count, 100, 151, true},
		{"an extra zero", count, 120, 1200, true},
		{"more than half down", count, 100, 49, true},
		{"nothing last year", count, 0, 1000, false},
		{"yes/no", yes, 1, 0, false},
	}
	for _, tt := range tests {
		if got := Outlier(tt.e, tt.last, tt.now); got != tt.want {
			t.Errorf("%s: Outlier(%v, %v) = %v, want %v", tt.name, tt.last, tt.now, got, tt.want)
		}
	}
}
