package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// JobRun is one run of a background job, as job_runs records it.
type JobRun struct {
	Job        string
	Slot       int64 // which interval: the start of it, in Unix seconds, divided by the interval
	Server     string
	StartedAt  time.Time
	FinishedAt time.Time // zero while it runs (or if its server died)
	Error      string
}

// JobStopped is the error of a run cut short because its server was
// stopping; the next interval's run does the work.
const JobStopped = "dừng giữa chừng vì máy chủ tắt"

// JobSkipped is the error of a claimed run that did not run because the
// previous one (on any server) still held the job: the two never overlap.
const JobSkipped = "bỏ qua vì lượt chạy trước vẫn đang giữ việc này"

var errSkipped = errors.New(JobSkipped)

// RunJob runs fn as the job's run for the interval now falls in, unless a
// server already claimed that interval. Several app servers share one
// database and each runs the same background jobs; claiming the interval
// in job_runs (one row per job and interval, its key refusing a second)
// makes each interval run exactly once across them, on both engines. On
// PostgreSQL the job's advisory lock is held while it runs too, so a run
// longer than its interval does not overlap the next one: that next one is
// recorded as skipped. ran reports whether fn ran here.
func (s *Store) RunJob(ctx context.Context, name string, every time.Duration, server string, fn func(ctx context.Context) error) (ran bool, err error) {
	key, ok := advisoryLocks["job:"+name]
	if !ok {
		return false, fmt.Errorf("job %q has no advisory lock key in lockkeys.go", name)
	}
	if every < time.Second {
		return false, fmt.Errorf("job %q: interval %v is under a second", name, every)
	}
	started := s.now()
	slot := started.Unix() / int64(every/time.Second)
	res, err := s.DB.ExecContext(ctx, `INSERT INTO job_runs (job, slot, server, started_at) VALUES ($1, $2, $3, $4) ON CONFLICT (job, slot) DO NOTHING`,
		name, slot, server, started.UTC())
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	runErr := s.runExclusive(ctx, key, func() error { return fn(ctx) })
	msg := ""
	switch {
	case runErr != nil && ctx.Err() != nil:
		// The server is stopping: the run was cut short, not failed.
		msg = JobStopped
	case runErr != nil:
		msg = runErr.Error()
	}
	// Record the end even if ctx ended: the run is over either way.
	if _, err := s.DB.ExecContext(context.WithoutCancel(ctx), `UPDATE job_runs SET finished_at = $1, error = $2 WHERE job = $3 AND slot = $4`,
		s.now().UTC(), msg, name, slot); err != nil {
		return runErr == nil, errors.Join(runErr, err)
	}
	if errors.Is(runErr, errSkipped) {
		return false, nil
	}
	return true, runErr
}

// RunJobNow runs fn as the job's run out of its interval's turn: when
// something asks for it at once (EvalsWanted). It is not recorded in
// job_runs, whose rows are one per interval. On PostgreSQL it holds the
// job's lock as RunJob does, so it never overlaps the job's run on any
// server; ran is false when that run holds it (its work then covers this).
func (s *Store) RunJobNow(ctx context.Context, name string, fn func(ctx context.Context) error) (ran bool, err error) {
	key, ok := advisoryLocks["job:"+name]
	if !ok {
		return false, fmt.Errorf("job %q has no advisory lock key in lockkeys.go", name)
	}
	err = s.runExclusive(ctx, key, func() error { return fn(ctx) })
	if errors.Is(err, errSkipped) {
		return false, nil
	}
	return true, err
}

// runExclusive runs fn while holding a session-scoped advisory lock on
// PostgreSQL, or returns errSkipped if another server holds it. SQLite has
// one server by construction, and its scheduler runs one job at a time.
func (s *Store) runExclusive(ctx context.Context, key int64, fn func() error) error {
	if s.Engine != Postgres {
		return fn()
	}
	c, err := s.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	var got bool
	if err := c.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
		return err
	}
	if !got {
		return errSkipped
	}
	// The unlock must use the same session, and must run even if ctx ended.
	defer c.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key)
	return fn()
}

// JobRuns returns the runs of a job since a moment, oldest first.
func (s *Store) JobRuns(ctx context.Context, name string, since time.Time) ([]JobRun, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT job, slot, server, started_at, finished_at, error FROM job_runs
		WHERE job = $1 AND started_at >= $2 ORDER BY slot`, name, since.UTC())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []JobRun
	for rows.Next() {
		var r JobRun
		var finished sql.NullTime
		if err := rows.Scan(&r.Job, &r.Slot, &r.Server, &r.StartedAt, &finished, &r.Error); err != nil {
			return nil, err
		}
		r.FinishedAt = finished.Time
		out = append(out, r)
	}
	return out, rows.Err()
}

// Cleanup deletes what no one needs any more: expired sessions, sign-in
// attempts older than a day (the rate limit looks back 15 minutes), and
// job runs older than 90 days.
func (s *Store) Cleanup(ctx context.Context) error {
	now := s.now().UTC()
	for _, q := range []struct {
		sql    string
		before time.Time
	}{
		{`DELETE FROM sessions WHERE expires_at < $1`, now},
		{`DELETE FROM login_attempts WHERE at < $1`, now.Add(-24 * time.Hour)},
		{`DELETE FROM job_runs WHERE started_at < $1`, now.Add(-90 * 24 * time.Hour)},
	} {
		if _, err := s.DB.ExecContext(ctx, q.sql, q.before); err != nil {
			return err
		}
	}
	return nil
}
