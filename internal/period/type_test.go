package period

import "testing"

func TestTypeNames(t *testing.T) {
	tests := []struct {
		typ   Type
		name  string
		label string
	}{
		{Monthly, "monthly", "tháng"},
		{Quarterly, "quarterly", "quý"},
		{SixMonthly, "sixmonthly", "6 tháng"},
		{Yearly, "yearly", "năm"},
	}
	for _, tt := range tests {
		if got := tt.typ.String(); got != tt.name {
			t.Errorf("%d.String() = %q, want %q", tt.typ, got, tt.name)
		}
		if got := tt.typ.Label(); got != tt.label {
			t.Errorf("%v.Label() = %q, want %q", tt.typ, got, tt.label)
		}
		got, err := ParseType(tt.name)
		if err != nil || got != tt.typ {
			t.Errorf("ParseType(%q) = %v, %v, want %v", tt.name, got, err, tt.typ)
		}
	}
}

func TestTypeOrder(t *testing.T) {
	if !(Monthly < Quarterly && Quarterly < SixMonthly && SixMonthly < Yearly) {
		t.Error("types are not ordered from shortest to longest")
	}
}

func TestParseTypeRejects(t *testing.T) {
	for _, s := range []string{"", "Monthly", "month", "six_monthly", " yearly", "Type(0)"} {
		got, err := ParseType(s)
		if err == nil {
			t.Errorf("ParseType(%q) = %v, want error", s, got)
		}
	}
	_, err := ParseType("weekly")
	want := `loại kỳ "weekly" không hợp lệ: cần monthly, quarterly, sixmonthly hoặc yearly`
	if err == nil || err.Error() != want {
		t.Errorf("ParseType(weekly) error = %v, want %s", err, want)
	}
}

func TestInvalidType(t *testing.T) {
	if Type(0).Valid() || Type(5).Valid() {
		t.Error("Type(0) or Type(5) reported valid")
	}
	if got := Type(7).String(); got != "Type(7)" {
		t.Errorf("Type(7).String() = %q", got)
	}
	if got := Type(7).Label(); got != "" {
		t.Errorf("Type(7).Label() = %q, want empty", got)
	}
}
