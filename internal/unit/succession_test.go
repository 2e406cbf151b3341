package unit

import (
	"strings"
	"testing"

	"mattran/internal/errs"
)

// After the 2025 reform, each old residential area carries on under its new
// commune (a CSV row with a merges column), and from 2026 residential
// areas merge with each other: both are versions linked to the old ones.
func TestPlanResidentialAreaSuccessions(t *testing.T) {
	tt := bacGiang()
	tt.apply(plan(t, tt.tree(), reform(), "2025-07-01"))

	// The area of the old Thọ Xương carries on under the new ward, under a
	// code of its own, with a sibling made from nothing before.
	carry := "code,name,kind,parent_code,synthetic,valid_from,merges\n" +
		"07210-01,Tổ dân phố số 1,residential_area,07210,true,2025-07-01,07201-01\n" +
		"07210-02,Tổ dân phố số 2,residential_area,07210,true,2025-07-01,\n"
	p := plan(t, tt.tree(), parseString(t, carry), "2025-07-01")
	if len(p.Creates) != 2 || len(p.Links) != 1 || p.Links[0].FromID != 10000 || p.Creates[p.Links[0].ToNew].Code != "07210-01" || p.Links[0].Kind != Full {
		t.Fatalf("carry on: creates %+v links %+v", p.Creates, p.Links)
	}
	if len(p.Closes) != 0 {
		t.Errorf("the old area was already closed with its commune; closes %+v", p.Closes)
	}
	tt.apply(p)
	// The same file again changes nothing.
	if again := plan(t, tt.tree(), parseString(t, carry), "2025-07-01"); !again.Empty() {
		t.Errorf("second import: %+v", again)
	}

	// On 1/3/2026 the two areas merge into one that keeps the first code.
	merge := "code,name,kind,parent_code,synthetic,valid_from,merges\n" +
		"07210-01,Tổ dân phố Thọ Xương,residential_area,07210,true,2026-03-01,07210-01;07210-02:full\n"
	p = plan(t, tt.tree(), parseString(t, merge), "")
	closed := closedIDs(p)
	if len(closed) != 2 || len(p.Creates) != 1 || len(p.Links) != 2 {
		t.Fatalf("merge: closes %v creates %+v links %+v", closed, p.Creates, p.Links)
	}
	for _, to := range closed {
		if to != "2026-02-28" {
			t.Errorf("old areas end %s; want 2026-02-28", to)
		}
	}
	if c := p.Creates[0]; c.ValidFrom != "2026-03-01" || c.ValidTo != Forever {
		t.Errorf("merged area valid %s – %s", c.ValidFrom, c.ValidTo)
	}
	tt.apply(p)
	if u, ok := tt.tree().At("07210-01", "2026-03-01"); !ok || u.Name != "Tổ dân phố Thọ Xương" {
		t.Errorf("07210-01 on 1/3/2026: %+v", u)
	}
}

func TestPlanSuccessionErrors(t *testing.T) {
	tt := bacGiang()
	tt.apply(plan(t, tt.tree(), reform(), "2025-07-01"))
	for _, c := range []struct {
		name, csv, field, want string
	}{
		{"old unit ended earlier than the day before", "code,name,kind,parent_code,merges\nX-1,Thôn 1,residential_area,07210,07201-01\n", "merges", "không có hiệu lực ngày 31/07/2025"},
		{"unknown old unit", "code,name,kind,parent_code,valid_from,merges\nX-1,Thôn 1,residential_area,07210,2025-07-01,NOPE\n", "merges", `"NOPE"`},
		{"old unit of another kind", "code,name,kind,parent_code,valid_from,merges\nX-1,Thôn 1,residential_area,07210,2025-07-01,07201\n", "merges", "khác loại"},
		{"bad kind", "code,name,kind,parent_code,valid_from,merges\nX-1,Thôn 1,residential_area,07210,2025-07-01,07201-01:half\n", "merges", `"half"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(c.csv))
			if err == nil {
				_, err = PlanImport(tt.tree(), f, Options{Date: "2025-08-01"})
			}
			e, ok := errs.As(err)
			if !ok || len(e.Details) == 0 || e.Details[0].Field != c.field || !strings.Contains(errs.Text(e.Details[0], errs.Exchange), c.want) {
				t.Errorf("error %v (%+v); want field %s with %q", err, e, c.field, c.want)
			}
		})
	}
}
