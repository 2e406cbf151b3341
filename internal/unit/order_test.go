package unit_test

import (
	"strings"
	"testing"

	"mattran/internal/unit"
)

// The official list's order, whatever order the ids were made in: a
// district created after another but with a smaller code comes first,
// each followed by its communes by code.
func TestTreeOrder(t *testing.T) {
	units := []unit.Unit{
		{ID: 1, Code: "24", Path: "/1/"},
		{ID: 9, Code: "215", ParentID: 1, Path: "/1/9/"},
		{ID: 10, Code: "213", ParentID: 1, Path: "/1/10/"},
		{ID: 3, Code: "07207", ParentID: 10, Path: "/1/10/3/"},
		{ID: 4, Code: "07201", ParentID: 10, Path: "/1/10/4/"},
		{ID: 5, Code: "07243", ParentID: 9, Path: "/1/9/5/"},
	}
	var got []string
	for _, u := range unit.TreeOrder(units) {
		got = append(got, u.Code)
	}
	if want := "24 213 07201 07207 215 07243"; strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}
