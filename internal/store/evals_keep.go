package store

import (
	"context"
	"fmt"

	"mattran/internal/clock"
	"mattran/internal/period"
	"mattran/internal/program"
)

// The kept evaluations a server maintains without an operator: a
// background job (jobs.Standard's "evals") builds, for every program that
// no unit derived from another, each year of its term up to the current
// one that has no mark, and so builds again whatever a change of
// programs, units or thresholds dropped. Each program and year is built in
// one transaction that writes its rows and its mark together (BuildEvals),
// so a page never reads a half-built year: until the mark commits, it
// reads the scorecard from the values, as it always could.

// KeptYears are the periods kept for prog on the day now falls on: each
// year of its term from the first to the current one. Years after today
// have no figures yet; the job builds each when it begins. Quarters and
// half years are not kept: pages show years by default, and a quarter's
// scorecard is read from the values (exact, only slower).
func KeptYears(prog *program.Program, year int) []period.Period {
	var out []period.Period
	for y := prog.Term.From; y <= min(prog.Term.To, year); y++ {
		out = append(out, period.Period{Type: period.Yearly, Year: y})
	}
	return out
}

// KeepEvals builds the kept evaluations of every year that KeptYears
// names and that has no mark, one program and year per transaction, and
// returns those it built. A year whose tree cannot be read as one on its
// last day (BuildEvals keeps nothing then) is tried again on the next run.
func (s *Store) KeepEvals(ctx context.Context) ([]string, error) {
	progs, err := s.Programs(ctx)
	if err != nil {
		return nil, err
	}
	marks, err := evalMarks(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	have := map[evalMark]bool{}
	for _, m := range marks {
		have[m] = true
	}
	year := s.now().In(clock.Zone).Year()
	var built []string
	for _, prog := range progs {
		if prog.Derived() {
			// A unit's own program shares its parent's figures; its pages
			// are read from the values.
			continue
		}
		for _, p := range KeptYears(prog, year) {
			if have[evalMark{prog.Code, p}] {
				continue
			}
			if err := ctx.Err(); err != nil {
				return built, err
			}
			if err := s.BuildEvals(ctx, prog.Code, p); err != nil {
				return built, fmt.Errorf("giữ đánh giá %s %s: %w", prog.Code, p, err)
			}
			built = append(built, prog.Code+" "+p.String())
		}
	}
	return built, nil
}
