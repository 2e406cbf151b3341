package demo

import (
	"context"
	"fmt"

	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/submission"
	"mattran/internal/synth"
	"mattran/internal/unit"
	"mattran/internal/value"
	"mattran/programs"
)

// oldDate is the day the old tree is read on: its last full year's end.
const oldDate = "2024-12-31"

// oldLists are the lists the old tree comes from, and what a reader must
// know of them: the list of 1/3/2025 stands for every day before the
// reform, though the arrangement of 1/1/2025 had changed it (the lists of
// earlier dates, in the dvhcvn project's history, are not shipped here).
var oldLists = []struct{ file, name, note string }{
	{"data/bac-giang-2025-03.json", "danh mục đơn vị hành chính ngày 01/03/2025 của tỉnh Bắc Giang",
		"dùng cho mọi ngày trước 01/07/2025, cả 2019–2024, nên đã có các đơn vị của đợt sắp xếp có hiệu lực 01/01/2025: " +
			"Thị xã Chũ hiện ra cả ngày 31/12/2024 và tỉnh có 195 xã, trong khi danh mục ngày 01/11/2024 có 209 xã và chưa có Thị xã Chũ; " +
			"khu dân cư là dữ liệu giả lập"},
	{"data/bac-ninh-27-2025-03.json", "danh mục đơn vị hành chính ngày 01/03/2025 của tỉnh Bắc Ninh (cũ)",
		"dùng cho mọi ngày trước 01/07/2025, cả 2019–2024: tỉnh có 121 xã, trong khi danh mục ngày 01/11/2024 có 126 xã; khu dân cư là dữ liệu giả lập"},
}

// oldWorld builds the tree before the reform: Bắc Giang and the old Bắc
// Ninh as the list of 1/3/2025 has them, with synthetic residential
// areas, the seed program, figures for 2020–2024 and the months and
// quarters of the first half of 2025, every report approved and every
// period locked: by July 2025 these committees had closed their books.
func (l *loader) oldWorld(ctx context.Context) (*World, error) {
	for _, list := range oldLists {
		raw, err := data.ReadFile(list.file)
		if err != nil {
			return nil, err
		}
		if _, err := l.importUnits(ctx, raw, unit.Options{Name: list.name, Note: list.note}, "nạp cây đơn vị "+list.file); err != nil {
			return nil, err
		}
	}
	var provinces []unit.Unit
	for _, code := range []string{Province, OldBacNinh} {
		p, err := l.s.UnitAt(ctx, code, oldDate)
		if err != nil {
			return nil, err
		}
		provinces = append(provinces, p)
	}
	tree, err := l.subtrees(ctx, provinces, oldDate)
	if err != nil {
		return nil, err
	}
	var communes []unit.Unit
	for _, u := range tree {
		if u.Kind == unit.Commune {
			communes = append(communes, u)
		}
	}
	if _, err := l.importUnits(ctx, synth.ResidentialAreas(communes, ResidentialAreasPerCommune, 1), unit.Options{Date: oldDate}, "tạo khu dân cư"); err != nil {
		return nil, err
	}
	prog, err := l.saveProgram(ctx, programs.SeedFile)
	if err != nil {
		return nil, err
	}
	if tree, err = l.subtrees(ctx, provinces, oldDate); err != nil {
		return nil, err
	}
	elements, err := l.s.Elements(ctx)
	if err != nil {
		return nil, err
	}
	// One import per year, as the figures would arrive; 2025 has only its
	// first half's months and quarters, the committees' last.
	h1 := period.MustParse("2025S1")
	for _, y := range append(Years, 2025) {
		var rows []value.Row
		keep := func(value.Row) bool { return true }
		if y == 2025 {
			keep = within(h1, nil)
		}
		synth.Figures(tree, elements, []int{y}, 1, collect(&rows, keep))
		if err := l.importFigures(ctx, rows, fmt.Sprintf("demo %d", y)); err != nil {
			return nil, err
		}
	}
	// Every period is approved and locked.
	for _, p := range provinces {
		for _, y := range Years {
			if err := l.s.LockPeriod(ctx, l.actor, p, period.Period{Type: period.Yearly, Year: y}); err != nil {
				return nil, err
			}
		}
		for _, q := range h1.Within(period.Quarterly) {
			if err := l.s.LockPeriod(ctx, l.actor, p, q); err != nil {
				return nil, err
			}
		}
	}
	from, to := period.MustParse("202001"), period.MustParse("202506")
	all := func(unit.Unit, form.Form, period.Period) reportState { return approved }
	if err := l.importReports(ctx, prog, submission.Submitters(tree), from, to, all); err != nil {
		return nil, fmt.Errorf("nạp báo cáo định kỳ: %w", err)
	}
	return &World{Provinces: provinces, Date: oldDate, Tree: tree, Program: prog, From: from, To: to}, nil
}
