package evaluation

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"mattran/internal/calendar"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
)

// Source is what the results are read from (*store.Store implements it).
type Source interface {
	Program(ctx context.Context, code string) (*program.Program, error)
	// EvalScored are the units the guide scores: those of its level in
	// the owner's subtree on the year's last day.
	EvalScored(ctx context.Context, rec Record) ([]unit.Unit, error)
	// EvalCards are the units' results of the targets for the year; with
	// coverage, whole scorecards (each reads the unit's subtree), else
	// only the own readings of those targets.
	EvalCards(ctx context.Context, prog *program.Program, targets []string, coverage bool, units []unit.Unit, p period.Period) (map[int64]*rollup.Card, error)
	// EvalReports count the units' reports of the year, as of today.
	EvalReports(ctx context.Context, prog *program.Program, formCode string, units []unit.Unit, year int, today calendar.Date) (map[int64]ReportFacts, error)
	EvalEntries(ctx context.Context, guideID int64) (map[int64][]Entry, error)
	EvalStates(ctx context.Context, guideID int64) (map[int64]SheetState, error)
	EvalClustersOf(ctx context.Context, guideID int64) ([]Cluster, error)
}

// Board is a year's results at the level: every scored unit's sheet in
// rank order, the clusters and the sheets' workflow states.
type Board struct {
	Record   Record
	Sheets   []*Sheet
	Clusters []Cluster
	States   map[int64]SheetState
	// Frozen: Sheets are the snapshot kept when the year was frozen.
	Frozen bool
}

// Counts are the units per class.
func (b *Board) Counts() map[Class]int {
	out := map[Class]int{}
	for _, s := range b.Sheets {
		out[s.Class]++
	}
	return out
}

// Sheet finds a unit's sheet.
func (b *Board) Sheet(unitID int64) (*Sheet, bool) {
	for _, s := range b.Sheets {
		if s.Unit.ID == unitID {
			return s, true
		}
	}
	return nil, false
}

// ClusterOf is the cluster a unit is in.
func (b *Board) ClusterOf(unitID int64) (Cluster, bool) {
	for _, c := range b.Clusters {
		for _, m := range c.Members {
			if m == unitID {
				return c, true
			}
		}
	}
	return Cluster{}, false
}

// Results scores every unit the guide scores, classifies and ranks them;
// once the year is frozen they are read from its snapshot instead.
func Results(ctx context.Context, src Source, rec Record, today calendar.Date) (*Board, error) {
	b := &Board{Record: rec}
	var err error
	if b.Clusters, err = src.EvalClustersOf(ctx, rec.ID); err != nil {
		return nil, err
	}
	if b.States, err = src.EvalStates(ctx, rec.ID); err != nil {
		return nil, err
	}
	if rec.Frozen() {
		if err := json.Unmarshal(rec.Snapshot, &b.Sheets); err != nil {
			return nil, fmt.Errorf("kết quả đã khóa năm %d không đọc được: %w", rec.Guide.Year, err)
		}
		for _, s := range b.Sheets {
			s.Unit.ID, s.Unit.Path = s.UnitID, s.UnitPath
		}
		b.Frozen = true
		return b, nil
	}
	g := rec.Guide
	prog, err := src.Program(ctx, g.Program)
	if err != nil {
		return nil, err
	}
	units, err := src.EvalScored(ctx, rec)
	if err != nil {
		return nil, err
	}
	p := period.Period{Type: period.Yearly, Year: g.Year}
	targets, coverage := g.reads()
	cards, err := src.EvalCards(ctx, prog, targets, coverage, units, p)
	if err != nil {
		return nil, err
	}
	reports, err := src.EvalReports(ctx, prog, g.Form, units, g.Year, today)
	if err != nil {
		return nil, err
	}
	entries, err := src.EvalEntries(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	cluster := map[int64]string{}
	for _, c := range b.Clusters {
		for _, m := range c.Members {
			cluster[m] = c.Code
		}
	}
	sheets := make([]*Sheet, 0, len(units))
	for _, u := range units {
		s := Score(g, Facts{Unit: u, Card: cards[u.ID], Reports: reports[u.ID]}, entries[u.ID])
		s.Cluster = cluster[u.ID]
		sheets = append(sheets, s)
	}
	b.Sheets = Rank(g, sheets)
	return b, nil
}

// reads lists the targets the guide's derived criteria read, and whether
// any reads a coverage (which needs each unit's subtree).
func (g *Guide) reads() (targets []string, coverage bool) {
	for _, gr := range g.Groups {
		for _, c := range gr.Criteria {
			if c.Kind != Derived {
				continue
			}
			if !slices.Contains(targets, c.Target) {
				targets = append(targets, c.Target)
			}
			coverage = coverage || c.Reading == Coverage
		}
	}
	return targets, coverage
}
