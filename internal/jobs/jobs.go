// Package jobs runs the background jobs every app server runs: each job
// once per interval across all the servers sharing a database (the store
// claims the interval, see store.RunJob), one job at a time per server.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"mattran/internal/notify"
	"mattran/internal/store"
)

// Job is a background job: its name (which has an advisory lock key in
// the store's lockkeys.go), how often it runs, and what it does.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// Standard are the jobs a server runs:
//   - due-counts: T1.2 counts a report missing at its deadline; no one
//     sends anything then, so a job notices it (store.SyncDueCounts);
//   - cleanup: expired sessions, old sign-in attempts and job records;
//   - case-overdue: T3.4 counts a case open past its due date; no one acts
//     on it then, so a job notices it (store.SyncCaseOverdue);
//   - evals: builds the kept target evaluations of each program's years
//     that have none (store.KeepEvals): at start, when a year begins, and
//     after a change of programs, units or thresholds dropped them. Until
//     then pages read the values, exact but slower; five minutes is how
//     long a change's pages may stay slow, against a row in job_runs per
//     run (26,000 in the 90 days Cleanup keeps).
func Standard(s *store.Store) []Job {
	return []Job{
		{Name: "due-counts", Every: 30 * time.Minute, Run: s.SyncDueCounts},
		{Name: "cleanup", Every: time.Hour, Run: s.Cleanup},
		{Name: "case-overdue", Every: 30 * time.Minute, Run: s.SyncCaseOverdue},
		Evals(s),
	}
}

// Mail is the job that e-mails notices (package notify) through mailer:
// every minute, the notices written since, each once, by one server.
func Mail(s *store.Store, mailer *notify.Mailer) Job {
	return Job{Name: "notify-mail", Every: time.Minute, Run: func(ctx context.Context) error { return s.SendMail(ctx, mailer) }}
}

// Evals is the job that keeps the target evaluations (see Standard).
func Evals(s *store.Store) Job {
	return Job{Name: "evals", Every: 5 * time.Minute, Run: func(ctx context.Context) error {
		_, err := s.KeepEvals(ctx)
		return err
	}}
}

// Runner runs jobs until its context ends.
type Runner struct {
	Store *store.Store
	Jobs  []Job
	Log   *slog.Logger
	// Server names this server in job_runs; host and process by default.
	Server string
	// Tick is how often the runner looks for a job whose interval has
	// begun unclaimed: a minute by default, a fraction of the shortest
	// interval in tests.
	Tick time.Duration
	// Wake, when it receives, runs the job named WakeJob at once, out of
	// its turn: store.EvalsWanted for "evals", after a write too big to
	// refresh the kept evaluations dropped some.
	Wake    <-chan struct{}
	WakeJob string
}

// RunNow runs the job of the list with this name once, now, unless its
// current interval is already claimed (by this server or another): a
// server runs the evaluations job before it warms its pages, so the pages
// it warms read the kept evaluations.
func (r *Runner) RunNow(ctx context.Context, name string) {
	r.setDefaults()
	for _, j := range r.Jobs {
		if j.Name == name {
			r.runOne(ctx, j)
		}
	}
}

func (r *Runner) setDefaults() {
	if r.Server == "" {
		host, _ := os.Hostname()
		r.Server = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
}

func (r *Runner) runOne(ctx context.Context, j Job) {
	start := time.Now()
	ran, err := r.Store.RunJob(ctx, j.Name, j.Every, r.Server, j.Run)
	switch {
	case err != nil && ctx.Err() == nil:
		r.Log.Error("background job failed", "job", j.Name, "err", err)
	case ran:
		r.Log.Info("background job ran", "job", j.Name, "took", time.Since(start).Round(time.Millisecond))
	}
}

// Run runs each job as soon as its current interval is unclaimed: at
// start (unless another server ran it this interval), then at each new
// interval. It returns when ctx ends.
func (r *Runner) Run(ctx context.Context) {
	r.setDefaults()
	tick := r.Tick
	if tick <= 0 {
		tick = time.Minute
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		for _, j := range r.Jobs {
			if ctx.Err() != nil {
				return
			}
			r.runOne(ctx, j)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-r.Wake:
			r.runAgain(ctx, r.WakeJob)
		}
	}
}

// runAgain runs the job of the list with this name out of its turn
// (store.RunJobNow).
func (r *Runner) runAgain(ctx context.Context, name string) {
	for _, j := range r.Jobs {
		if j.Name != name {
			continue
		}
		start := time.Now()
		ran, err := r.Store.RunJobNow(ctx, j.Name, j.Run)
		switch {
		case err != nil && ctx.Err() == nil:
			r.Log.Error("background job failed", "job", j.Name, "err", err, "woken", true)
		case ran:
			r.Log.Info("background job ran", "job", j.Name, "took", time.Since(start).Round(time.Millisecond), "woken", true)
		}
	}
}
