package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"mattran/internal/program"
	"mattran/internal/store/storetest"
)

// A unit's derived program is read as at /cascade (access.ReadProgramOf):
// GET /api/v1/programs lists it, and GET /api/v1/programs/{id} returns
// it, only to its owner's subtree and the levels above (issue 8, item 13).
func TestDerivedProgramsInAPI(t *testing.T) {
	s := storetest.SQLite(t)
	srv, tokens := server(t, s)
	ctx := context.Background()
	const prog = "BG-CTHD-2019-2024"
	for _, code := range []string{"213", "215"} {
		u, err := s.UnitAt(ctx, code, "2024-06-30")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeriveProgram(ctx, storetest.Actor, prog, u, "Ủy ban MTTQ "+u.Name); err != nil {
			t.Fatal(err)
		}
	}
	of213, of215 := program.DerivedCode(prog, "213"), program.DerivedCode(prog, "215")
	for _, c := range []struct {
		who       string
		sees, not []string
	}{
		{"leader.province", []string{prog, of213, of215}, nil},
		{"officer.district", []string{prog, of213}, []string{of215}}, // at 213: not its sibling's
		{"officer.commune", []string{prog, of213}, []string{of215}},  // under 213: its district's, which it follows
	} {
		status, body := call(t, srv, tokens[c.who], "GET", "/api/v1/programs", "", "")
		if status != http.StatusOK {
			t.Fatalf("%s: GET /api/v1/programs = %d", c.who, status)
		}
		for _, code := range c.sees {
			if !strings.Contains(body, `"`+code+`"`) {
				t.Errorf("%s: the list lacks %s", c.who, code)
			}
		}
		for _, code := range c.not {
			if strings.Contains(body, `"`+code+`"`) {
				t.Errorf("%s: the list shows %s, a sibling's derived program", c.who, code)
			}
			if status, _ := call(t, srv, tokens[c.who], "GET", "/api/v1/programs/"+code, "", ""); status != http.StatusForbidden {
				t.Errorf("%s: GET /api/v1/programs/%s = %d, want 403", c.who, code, status)
			}
		}
	}
}
