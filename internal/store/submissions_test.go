package store_test

import (
	"context"
	"errors"
	"mattran/internal/clock"
	"mattran/internal/submission"
	"sync"
	"testing"
	"time"

	"mattran/internal/errs"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/value"
)

// Two editors who opened the form with the same figure save different
// ones at the same moment: the check runs inside the write transaction,
// so exactly one is written and the other gets a conflict showing it.
func TestSaveFormConcurrentConflict(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		storetest.Fixture(t, s)
		s.Clock = clock.Fixed(time.Date(2024, 12, 10, 9, 0, 0, 0, time.UTC))
		ctx := context.Background()
		prog, err := s.Program(ctx, "BG-CTHD-2019-2024")
		if err != nil {
			t.Fatal(err)
		}
		f, _ := form.Find(prog, form.Yearly)
		commune, _ := s.UnitAt(ctx, "07201", "2024-06-30")
		p := period.MustParse("2024")
		save := func(v string) error {
			return s.WithTx(ctx, func(tx *store.Tx) error {
				_, err := submission.SaveForm(ctx, tx, submission.FormSave{
					Actor: storetest.Actor, Scope: commune, Program: prog, Form: f, Unit: commune, Period: p,
					Rows:   []value.Row{{DataElement: "CT1_CTV", Period: "2024", OrgUnit: "07201", Value: v, Line: 1}},
					Loaded: map[int]value.Loaded{1: {}},
				})
				return err
			})
		}
		var wg sync.WaitGroup
		results := make([]error, 2)
		for i, v := range []string{"10", "12"} {
			wg.Add(1)
			go func() { defer wg.Done(); results[i] = save(v) }()
		}
		wg.Wait()
		var conflicts int
		for _, err := range results {
			var ce *value.ConflictError
			switch {
			case err == nil:
			case errors.As(err, &ce) && errs.CodeOf(err) == errs.Conflict && len(ce.Values) == 1:
				conflicts++
			default:
				t.Errorf("save: %v", err)
			}
		}
		if conflicts != 1 {
			t.Errorf("%d conflicts of two simultaneous saves, want 1 (%v)", conflicts, results)
		}
		sub, err := s.Submission(ctx, prog.Code, f.Code, commune, p)
		if err != nil || sub.Status != "draft" {
			t.Errorf("report after the save: %q, %v; want a draft", sub.Status, err)
		}
	})
}
