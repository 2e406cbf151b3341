package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"mattran/internal/jobs"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// TestWakeRunsOutOfTurn: a job runs once per interval, and again at once
// when the runner's Wake receives (what a big write's dropped evaluations
// ask for), without waiting for its next interval.
func TestWakeRunsOutOfTurn(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		var runs atomic.Int32
		wake := make(chan struct{}, 1)
		r := &jobs.Runner{
			Store:   s,
			Jobs:    []jobs.Job{{Name: "evals", Every: time.Hour, Run: func(context.Context) error { runs.Add(1); return nil }}},
			Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
			Tick:    time.Hour,
			Wake:    wake,
			WakeJob: "evals",
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { r.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		waitFor := func(n int32) {
			t.Helper()
			for deadline := time.Now().Add(10 * time.Second); runs.Load() < n; {
				if time.Now().After(deadline) {
					t.Fatalf("the job ran %d times; want %d", runs.Load(), n)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		waitFor(1) // its interval's run, at start
		wake <- struct{}{}
		waitFor(2) // out of turn, within the same interval
		time.Sleep(100 * time.Millisecond)
		if n := runs.Load(); n != 2 {
			t.Fatalf("the job ran %d times after one wake; want 2", n)
		}
	})
}
