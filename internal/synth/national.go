package synth

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"mattran/internal/audit"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/value"
	"mattran/programs"
)

// National builds the national data set the benchmarks measure against:
// the real 34 provinces and 3,321 communes of the 2025 list, about 30
// synthetic residential areas per commune (some 100,000), the seed program,
// and five years of figures, about 13 million values. The same options
// build the same data set, value for value.
//
// It is a synthetic scenario: the 2025 tree did not exist in 2020–2024, but
// the benchmark wants today's national size over five years of history, so
// the 2025 list is imported as of 2020-01-01 and its units are valid from
// the beginning.
type National struct {
	ResidentialAreasPerCommune int   // about this many per commune (±30%); default 30
	Years                      []int // default 2020–2024
	Seed                       uint64
	// ChunkRows bounds one ImportValues call. Figures are generated and
	// imported a chunk at a time (whole provinces of one year), so memory
	// stays at one chunk's worth, not thirteen million rows; default 1,000,000.
	ChunkRows int
	// Log, when set, is told of progress: building takes minutes.
	Log func(format string, args ...any)
}

// NationalDate is the day the national tree is imported as of.
const NationalDate = "2020-01-01"

// NationalAsOf is the day the benchmarks read the tree as of.
const NationalAsOf = "2024-12-31"

func (n *National) defaults() {
	if n.ResidentialAreasPerCommune == 0 {
		n.ResidentialAreasPerCommune = 30
	}
	if len(n.Years) == 0 {
		n.Years = Years(2020, 2024)
	}
	if n.Seed == 0 {
		n.Seed = 1
	}
	if n.ChunkRows == 0 {
		n.ChunkRows = 1_000_000
	}
}

func (n *National) log(format string, args ...any) {
	if n.Log != nil {
		n.Log(format, args...)
	}
}

var nationalActor = audit.Actor{Name: "synth"}

// Load fills s, freshly migrated, with the tree, the program and the
// figures, and returns how many values it imported.
func (n National) Load(ctx context.Context, s *store.Store) (int, error) {
	if err := n.LoadTree(ctx, s); err != nil {
		return 0, err
	}
	return n.LoadFigures(ctx, s)
}

// LoadTree imports the national units, the synthetic residential areas and
// the seed program into s, freshly migrated; no values.
func (n National) LoadTree(ctx context.Context, s *store.Store) error {
	n.defaults()
	f, err := unit.Parse(bytes.NewReader(NationalUnits()))
	if err != nil {
		return err
	}
	if _, err := s.ImportUnits(ctx, nationalActor, f, unit.Options{Date: NationalDate}); err != nil {
		return fmt.Errorf("nạp danh sách đơn vị toàn quốc: %w", err)
	}
	root, err := s.Root(ctx)
	if err != nil {
		return err
	}
	tree, err := s.Subtree(ctx, root, NationalDate)
	if err != nil {
		return err
	}
	var communes []unit.Unit
	for _, u := range tree {
		if u.Kind == unit.Commune {
			communes = append(communes, u)
		}
	}
	ras, err := unit.Parse(bytes.NewReader(ResidentialAreas(communes, n.ResidentialAreasPerCommune, n.Seed)))
	if err != nil {
		return err
	}
	plan, err := s.ImportUnits(ctx, nationalActor, ras, unit.Options{Date: NationalDate})
	if err != nil {
		return fmt.Errorf("tạo khu dân cư: %w", err)
	}
	n.log("units: %d communes, %d residential areas", len(communes), len(plan.Creates))
	doc, err := programs.Files.ReadFile(programs.SeedFile)
	if err != nil {
		return err
	}
	prog, err := program.Parse(doc)
	if err != nil {
		return err
	}
	_, err = s.SaveProgram(ctx, nationalActor, prog)
	return err
}

// LoadFigures imports the figures of every year into s, which holds the
// tree and the program, and returns how many values it imported.
func (n National) LoadFigures(ctx context.Context, s *store.Store) (int, error) {
	n.defaults()
	root, err := s.Root(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, y := range n.Years {
		err := n.Figures(ctx, s, y, n.ChunkRows, func(rows []value.Row) error {
			sum, err := s.ImportValues(ctx, rows, store.ImportOptions{
				Actor: nationalActor, Scope: root, Source: fmt.Sprintf("synth %d", y), Today: "2099-12-31"})
			if err != nil {
				return fmt.Errorf("nạp số liệu năm %d: %w", y, err)
			}
			total += sum.Imported + sum.Updated
			n.log("values: %d imported (year %d)", total, y)
			return nil
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Figures generates one year's figures for the whole national tree, whole
// provinces at a time, and hands them to fn in chunks of about chunkRows
// (a chunk closes at the first province boundary past chunkRows). The
// root's figures, if any, come first. rows is reused after fn returns.
func (n National) Figures(ctx context.Context, s *store.Store, year, chunkRows int, fn func(rows []value.Row) error) error {
	n.defaults()
	asOf := fmt.Sprintf("%04d-12-31", year)
	root, err := s.Root(ctx)
	if err != nil {
		return err
	}
	elements, err := s.Elements(ctx)
	if err != nil {
		return err
	}
	provinces, err := s.Children(ctx, root, asOf)
	if err != nil {
		return err
	}
	sort.Slice(provinces, func(i, j int) bool { return provinces[i].Path < provinces[j].Path })
	var rows []value.Row
	emit := func(r value.Row) {
		r.Line = len(rows) + 2
		rows = append(rows, r)
	}
	Figures([]unit.Unit{root}, elements, []int{year}, n.Seed, emit)
	for i, p := range provinces {
		tree, err := s.Subtree(ctx, p, asOf)
		if err != nil {
			return err
		}
		Figures(tree, elements, []int{year}, n.Seed, emit)
		if len(rows) >= chunkRows || i == len(provinces)-1 {
			if err := fn(rows); err != nil {
				return err
			}
			rows = rows[:0]
		}
	}
	return nil
}
