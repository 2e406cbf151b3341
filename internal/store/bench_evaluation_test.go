package store_test

import (
	"context"
	"testing"
	"time"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/errs"
	"mattran/internal/evaluation"
	"mattran/internal/period"
	"mattran/internal/rollup"
	"mattran/internal/store"
	"mattran/internal/synth"
	"mattran/internal/unit"
)

// BenchmarkEvaluation scores communes for 2024 on the example guide built
// from the seed program (every target that applies to a commune, the
// reports, the entered criteria): evaluation.Results, which reads each
// commune's scorecard, its reports and entries, scores, classifies and
// ranks. Baseline in the same iteration: the scorecards of the provinces
// the communes lie in (rollup.Scorecard), which read the same figures.
//   - national: every commune of the country (a guide of the root);
//   - province: the communes of the province with the most residential
//     areas (a guide of that province), against its one scorecard.
func BenchmarkEvaluation(b *testing.B) {
	for _, eng := range engines {
		b.Run(eng.name, func(b *testing.B) {
			s := eng.national(b)
			ctx := context.Background()
			root, err := s.Root(ctx)
			if err != nil {
				b.Fatal(err)
			}
			prov, _ := biggestProvince(b, s)
			provinces, err := s.Children(ctx, root, synth.NationalAsOf)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("national", func(b *testing.B) { benchEvaluation(b, s, root, provinces) })
			b.Run("province", func(b *testing.B) { benchEvaluation(b, s, prov, []unit.Unit{prov}) })
		})
	}
}

func benchEvaluation(b *testing.B, s *store.Store, owner unit.Unit, baseline []unit.Unit) {
	ctx := context.Background()
	prog, err := s.Program(ctx, benchProgram)
	if err != nil {
		b.Fatal(err)
	}
	rec, err := s.EvalGuide(ctx, owner.ID, 2024, unit.Commune)
	if errs.Is(err, errs.NotFound) {
		err = s.WithTx(ctx, func(tx *store.Tx) error {
			rec, err = evaluation.SaveGuide(ctx, tx, audit.System, owner, evaluation.Example(2024, unit.Commune, prog), prog)
			return err
		})
	}
	if err != nil {
		b.Fatal(err)
	}
	p := period.MustParse(benchYear)
	today := calendar.MustParseDate("2025-03-01")
	var base, cpu time.Duration
	var scored int
	b.ResetTimer()
	mem := startMemWatch()
	for i := 0; i < b.N; i++ {
		c0 := cpuTime()
		board, err := evaluation.Results(ctx, s, rec, today)
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
		scored = len(board.Sheets)
		b.StopTimer()
		start := time.Now()
		for _, u := range baseline {
			if _, err := rollup.Scorecard(ctx, s, prog, u, p); err != nil {
				b.Fatal(err)
			}
		}
		base += time.Since(start)
		b.StartTimer()
	}
	b.StopTimer()
	b.Logf("%s: %d communes scored, baseline %d province scorecards", owner.Name, scored, len(baseline))
	b.ReportMetric(float64(scored), "communes")
	mem.report(b)
	reportCPU(b, cpu)
	reportBaseline(b, "scorecards", base)
}
