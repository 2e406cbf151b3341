package synth

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"sort"
	"strings"

	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/value"
	"mattran/programs"
)

//go:embed data/vn-2025-03.csv data/vn-2025-07-merges.json
var reformData embed.FS

// NationalReform builds the data set the benchmark of figures read across
// the 2025 reform measures: the real 63 provinces, 696 districts and 10,047
// communes before 1/7/2025 with synthetic residential areas, the seed
// program and its figures on that tree; then the reform, as the national
// merge mapping has it (34 provinces, 3,321 communes, each linked to the
// old ones, 460 old communes split), with every residential area carried
// on under the new commune its commune went to (a split commune's areas
// dealt among its successors in turn). The same options build the same
// data set.
type NationalReform struct {
	ResidentialAreasPerCommune int   // about this many per old commune (±30%); default 10
	Years                      []int // years of figures on the old tree; default 2024
	Seed                       uint64
	ChunkRows                  int // default 1,000,000
	Log                        func(format string, args ...any)
}

// ReformDate is the day the new tree starts.
const ReformDate = "2025-07-01"

func (n *NationalReform) defaults() {
	if n.ResidentialAreasPerCommune == 0 {
		n.ResidentialAreasPerCommune = 10
	}
	if len(n.Years) == 0 {
		n.Years = []int{2024}
	}
	if n.Seed == 0 {
		n.Seed = 1
	}
	if n.ChunkRows == 0 {
		n.ChunkRows = 1_000_000
	}
}

func (n *NationalReform) log(format string, args ...any) {
	if n.Log != nil {
		n.Log(format, args...)
	}
}

// OldNationalUnits returns the list before the reform as units CSV
// (derived from the official list by tools/derivedata).
func OldNationalUnits() []byte {
	b, _ := reformData.ReadFile("data/vn-2025-03.csv")
	return b
}

// NationalMerges returns the national merge mapping of 1/7/2025 (derived
// by tools/derivedata).
func NationalMerges() []byte {
	b, _ := reformData.ReadFile("data/vn-2025-07-merges.json")
	return b
}

// Load fills s, freshly migrated, and returns how many values it imported.
func (n NationalReform) Load(ctx context.Context, s *store.Store) (int, error) {
	n.defaults()
	f, err := unit.Parse(bytes.NewReader(OldNationalUnits()))
	if err != nil {
		return 0, err
	}
	if _, err := s.ImportUnits(ctx, nationalActor, f, unit.Options{Date: NationalDate}); err != nil {
		return 0, fmt.Errorf("nạp danh sách đơn vị trước sắp xếp: %w", err)
	}
	root, err := s.Root(ctx)
	if err != nil {
		return 0, err
	}
	const before = "2025-06-30"
	tree, err := s.Subtree(ctx, root, before)
	if err != nil {
		return 0, err
	}
	var communes []unit.Unit
	for _, u := range tree {
		if u.Kind == unit.Commune {
			communes = append(communes, u)
		}
	}
	ras, err := unit.Parse(bytes.NewReader(ResidentialAreas(communes, n.ResidentialAreasPerCommune, n.Seed)))
	if err != nil {
		return 0, err
	}
	if _, err := s.ImportUnits(ctx, nationalActor, ras, unit.Options{Date: NationalDate}); err != nil {
		return 0, fmt.Errorf("tạo khu dân cư: %w", err)
	}
	n.log("old tree: %d communes, %d residential areas", len(communes), len(ras.Records))
	doc, err := programs.Files.ReadFile(programs.SeedFile)
	if err != nil {
		return 0, err
	}
	prog, err := program.Parse(doc)
	if err != nil {
		return 0, err
	}
	if _, err := s.SaveProgram(ctx, nationalActor, prog); err != nil {
		return 0, err
	}
	elements, err := s.Elements(ctx)
	if err != nil {
		return 0, err
	}
	provinces, err := s.Children(ctx, root, before)
	if err != nil {
		return 0, err
	}
	sort.Slice(provinces, func(i, j int) bool { return provinces[i].Path < provinces[j].Path })
	total := 0
	for _, y := range n.Years {
		var rows []value.Row
		flush := func() error {
			if len(rows) == 0 {
				return nil
			}
			sum, err := s.ImportValues(ctx, rows, store.ImportOptions{Actor: nationalActor, Scope: root, Source: fmt.Sprintf("synth %d", y), Today: "2099-12-31"})
			if err != nil {
				return fmt.Errorf("nạp số liệu năm %d: %w", y, err)
			}
			total += sum.Imported + sum.Updated
			n.log("values: %d imported (year %d)", total, y)
			rows = rows[:0]
			return nil
		}
		for _, p := range provinces {
			sub, err := s.Subtree(ctx, p, fmt.Sprintf("%04d-12-31", y))
			if err != nil {
				return total, err
			}
			Figures(sub, elements, []int{y}, n.Seed, func(r value.Row) {
				r.Line = len(rows) + 2
				rows = append(rows, r)
			})
			if len(rows) >= n.ChunkRows {
				if err := flush(); err != nil {
					return total, err
				}
			}
		}
		if err := flush(); err != nil {
			return total, err
		}
	}

	// The reform: new provinces and communes, the old ones closed and
	// linked; then the areas carried on.
	merges, err := unit.Parse(bytes.NewReader(NationalMerges()))
	if err != nil {
		return total, err
	}
	plan, err := s.ImportUnits(ctx, nationalActor, merges, unit.Options{Date: ReformDate})
	if err != nil {
		return total, fmt.Errorf("nạp bảng sáp nhập: %w", err)
	}
	n.log("reform: %d units created, %d closed, %d links", len(plan.Creates), len(plan.Closes), len(plan.Links))
	successors := map[string][]string{} // old commune code → new commune codes, in the file's order
	for _, r := range merges.Records {
		if r.Kind != unit.Commune {
			continue
		}
		for _, m := range r.Merges {
			successors[m.OldCode] = append(successors[m.OldCode], r.Code)
		}
	}
	byID := map[int64]unit.Unit{}
	for _, u := range tree {
		byID[u.ID] = u
	}
	carried, err := s.Subtree(ctx, root, before)
	if err != nil {
		return total, err
	}
	var b strings.Builder
	b.WriteString("code,name,kind,parent_code,synthetic,valid_from,merges\n")
	dealt := map[string]int{}
	carriedN := 0
	for _, a := range carried {
		if a.Kind != unit.ResidentialArea {
			continue
		}
		old, ok := byID[a.ParentID]
		if !ok {
			continue
		}
		to := successors[old.Code]
		if len(to) == 0 {
			continue
		}
		next := to[dealt[old.Code]%len(to)]
		dealt[old.Code]++
		fmt.Fprintf(&b, "%s,%s,residential_area,%s,true,%s,%s\n", a.Code, a.Name, next, ReformDate, a.Code)
		carriedN++
	}
	f, err = unit.Parse(strings.NewReader(b.String()))
	if err != nil {
		return total, err
	}
	if _, err := s.ImportUnits(ctx, nationalActor, f, unit.Options{Date: ReformDate}); err != nil {
		return total, fmt.Errorf("chuyển khu dân cư sang xã mới: %w", err)
	}
	n.log("reform: %d residential areas carried on", carriedN)
	return total, nil
}
