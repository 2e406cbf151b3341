package store

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"mattran/internal/calendar"
	"mattran/internal/evaluation"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/submission"
	"mattran/internal/unit"
)

// EvalCards are the units' results of the targets for p. With coverage,
// the whole scorecards: the kept evaluations where the period is kept,
// else read from the figures, one unit (and its subtree) at a time.
// Without, the targets' own readings of all the units at once
// (rollup.Evaluate: a few queries of the units' values and roll-ups).
func (s *Store) EvalCards(ctx context.Context, prog *program.Program, targets []string, coverage bool, units []unit.Unit, p period.Period) (map[int64]*rollup.Card, error) {
	out := make(map[int64]*rollup.Card, len(units))
	if coverage {
		for _, u := range units {
			card, ok, err := s.KeptCard(ctx, prog, u, p)
			if err != nil {
				return nil, err
			}
			if !ok {
				if card, err = rollup.Scorecard(ctx, s, prog, u, p); err != nil {
					return nil, err
				}
			}
			out[u.ID] = card
		}
		return out, nil
	}
	var ts []program.Target
	for _, t := range prog.Targets() {
		if slices.Contains(targets, t.Code) {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return out, nil
	}
	// In chunks, so that a country's communes are a few queries each of
	// bounded size.
	const chunk = 500
	for i := 0; i < len(units); i += chunk {
		part := units[i:min(i+chunk, len(units))]
		r, err := rollup.Evaluate(ctx, s, prog, ts, part, []period.Period{p})
		if err != nil {
			return nil, err
		}
		for _, u := range part {
			card := &rollup.Card{Program: prog, Unit: u, Period: p, Date: rollup.AsOf(u, p)}
			for _, t := range ts {
				card.Targets = append(card.Targets, rollup.TargetResult{Target: t, Own: r.At(t.Code, u, p)})
			}
			out[u.ID] = card
		}
	}
	return out, nil
}

// EvalReports counts the units' reports of a year: for each form (formCode,
// or every form of the program) and period of the year whose deadline has
// passed by today, whether the unit sent it on time, late or not at all;
// and how many times a report of the year was returned (from the audit
// log, which keeps every return).
func (s *Store) EvalReports(ctx context.Context, prog *program.Program, formCode string, units []unit.Unit, year int, today calendar.Date) (map[int64]evaluation.ReportFacts, error) {
	out := make(map[int64]evaluation.ReportFacts, len(units))
	byID := map[int64]unit.Unit{}
	byKey := map[string]int64{}
	for _, u := range units {
		byID[u.ID] = u
		byKey[u.Code+"@"+u.ValidFrom] = u.ID
	}
	y := period.Period{Type: period.Yearly, Year: year}
	for _, f := range form.Of(prog) {
		if formCode != "" && f.Code != formCode {
			continue
		}
		for _, p := range y.Within(f.PeriodType) {
			dl, err := s.Deadlines(ctx, prog.Code, f.Code, p)
			if err != nil {
				return nil, err
			}
			subs, err := s.Submissions(ctx, prog.Code, f.Code, p)
			if err != nil {
				return nil, err
			}
			for id, u := range byID {
				if !u.Overlaps(p.StartDate(), p.EndDate()) {
					continue
				}
				sub := subs[id]
				deadline := dl.For(u.Kind, sub)
				if deadline == "" || deadline >= today.String() && !sub.Status.Reported() {
					continue // not due yet, and not sent: nothing to count
				}
				r := out[id]
				r.Due++
				if sub.SubmittedBy != "" && sub.OnTime {
					r.OnTime++
				} else if sub.SubmittedBy != "" || submission.PastDeadline(deadline, today.Time()) {
					r.Late++
				}
				out[id] = r
			}
		}
	}
	// Returns: the audit log's "return" entries of the program's reports
	// of the year. The key is program/form/unit@from/period.
	lo := prog.Code + "/"
	rows, err := s.DB.QueryContext(ctx, `SELECT entity_key FROM audit_log WHERE entity = 'submission' AND action LIKE 'return%'
		AND entity_key >= $1 AND entity_key < $2`, lo, prog.Code+"0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ys := strconv.Itoa(year)
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, err
		}
		parts := strings.Split(key, "/")
		if len(parts) != 4 || !strings.HasPrefix(parts[3], ys) || (formCode != "" && parts[1] != formCode) {
			continue
		}
		if id, ok := byKey[parts[2]]; ok {
			r := out[id]
			r.Returned++
			out[id] = r
		}
	}
	return out, rows.Err()
}
