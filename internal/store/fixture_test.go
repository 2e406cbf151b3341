package store_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"mattran/internal/errs"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/value"
)

// fixture loads Bắc Giang, three residential areas (storetest.Fixture) and
// a small program with a raw percent element.
func fixture(t *testing.T, s *store.Store) {
	t.Helper()
	storetest.Fixture(t, s)
	data, err := os.ReadFile("testdata/percent-program.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := program.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveProgram(context.Background(), tester, p); err != nil {
		t.Fatal(err)
	}
}

// importValues imports a dataValueSet as the root's administrator would.
func importValues(t *testing.T, s *store.Store, data string) (value.Summary, error) {
	t.Helper()
	rows, err := value.Parse(strings.NewReader(data))
	if err != nil {
		return value.Summary{}, err
	}
	root, err := s.Root(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.ImportValues(context.Background(), rows, store.ImportOptions{Actor: tester, Scope: root, Source: "test", Today: "2026-11-27"})
}

// refusedLines imports data, which must be refused as invalid, and
// returns the refusal's details by line.
func refusedLines(t *testing.T, s *store.Store, data string) (map[int]string, *errs.Error) {
	t.Helper()
	_, err := importValues(t, s, data)
	e, ok := errs.As(err)
	if !ok || e.Code != errs.Invalid {
		t.Fatalf("err = %v, want invalid input", err)
	}
	byLine := map[int]string{}
	for _, d := range e.Details {
		byLine[d.Row] += d.String() + " | "
	}
	return byLine, e
}

func mustImport(t *testing.T, s *store.Store, data string) value.Summary {
	t.Helper()
	sum, err := storetest.Import(s, data, "2026-11-27")
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return sum
}

func count(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
