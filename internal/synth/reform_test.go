package synth_test

import (
	"context"
	"math"
	"testing"

	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store/storetest"
	"mattran/internal/synth"
	"mattran/internal/unit"
)

// The national reform data set at its smallest (one residential area per
// old commune): the new tree has the 34 provinces and 3,321 communes, and
// Hà Nội's households of 2024, read on the tree of 1/7/2025 across its 200
// split communes, are the same in total as on the old tree and add up over
// its 126 new communes.
func TestNationalReform(t *testing.T) {
	if testing.Short() {
		t.Skip("imports some 500,000 values; skipped with -short")
	}
	ctx := context.Background()
	s := storetest.SQLite(t)
	if _, err := (synth.NationalReform{ResidentialAreasPerCommune: 1, ChunkRows: 200_000}).Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	root, _ := s.Root(ctx)
	tree, err := s.Subtree(ctx, root, synth.ReformDate)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[unit.Kind]int{}
	for _, u := range tree {
		kinds[u.Kind]++
	}
	if kinds[unit.Province] != 34 || kinds[unit.Commune] != 3321 || kinds[unit.District] != 0 || kinds[unit.ResidentialArea] < 10000 {
		t.Errorf("new tree: %v", kinds)
	}
	hanoi, err := s.UnitAt(ctx, "01", synth.ReformDate)
	if err != nil {
		t.Fatal(err)
	}
	elements, _ := s.Elements(ctx)
	e := elements["CT2_HGD_TONG"]
	y := period.MustParse("2024")
	old, _, err := rollup.Analytics(ctx, s, nil, e, hanoi, y)
	if err != nil {
		t.Fatal(err)
	}
	a, err := rollup.NewAcross(ctx, s, hanoi, synth.ReformDate)
	if err != nil {
		t.Fatal(err)
	}
	communes, _ := s.Children(ctx, hanoi, synth.ReformDate)
	at, below, re, err := a.Analytics(ctx, e, hanoi, communes, y)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, pt := range below {
		if pt.Value != nil {
			sum += *pt.Value
		}
	}
	if old.Value == nil || at.Value == nil || *at.Value != *old.Value || math.Abs(sum-*old.Value) > 1e-6 {
		t.Errorf("Hà Nội's households of 2024: %v on the old tree, %v on the new one, %v over its %d new communes", old.Value, at.Value, sum, len(below))
	}
	if len(re.Splits) != 0 {
		t.Errorf("households follow the areas, which carry on whole: %d splits named", len(re.Splits))
	}
}
