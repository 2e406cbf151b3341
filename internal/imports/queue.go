// Package imports runs the imports of figures a server is sent, one at a
// time, in the order they arrive, and tells those waiting where they
// stand. A write of figures holds the database's write lock while it runs
// (SQLite's own; an advisory lock on PostgreSQL), so two imports never
// run side by side anyway: run together, the second waited inside
// SQLite's busy timeout and failed with SQLITE_BUSY (a 500), and every
// import in flight held its file's rows in memory at once (three 247 MB
// files took 7.2 GB). Queued here, an import waits as a file on disk,
// costs memory only while it runs, and its sender sees its place.
//
// The queue is the server's own: with several servers on one PostgreSQL,
// each has its queue, and the advisory lock orders the servers' imports
// between them. Its jobs live in memory: a server that stops drops the
// imports still waiting, none of which was acknowledged.
package imports

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"mattran/internal/errs"
	"mattran/internal/limits"
	"mattran/internal/value"
)

// State is where a job stands.
type State string

const (
	Waiting State = "waiting" // behind another import
	Running State = "running" // being validated and written
	Done    State = "done"    // written (or checked, for a dry run)
	Failed  State = "failed"  // refused or failed: nothing was written
)

// Run is an import's work, run when its turn comes.
type Run func(ctx context.Context) (value.Summary, error)

// Job is one import in the queue.
type Job struct {
	ID    string
	Owner int64  // the user who sent it: only they read its state
	Label string // what it is, for the user: "Excel bieu.xlsx", "API"
	// Back is where its result is shown (the Excel page's address).
	Back string
	// Arrived is its place when it arrived: how many imports were ahead.
	Arrived int

	run    Run
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	// Set by the queue, read under its lock (Status).
	state            State
	created, started time.Time
	finished         time.Time
	summary          value.Summary
	err              error
}

// Done is closed when the job has finished, written or failed.
func (j *Job) Done() <-chan struct{} { return j.done }

// Status is a job as its sender sees it.
type Status struct {
	State    State
	Position int // how many imports are ahead of it: 0 once it runs
	Waited   time.Duration
	Summary  value.Summary
	Err      error
}

// Queue runs imports one at a time, first come first served.
type Queue struct {
	// MaxWaiting is how many imports may wait; MaxPerUser how many of them
	// one user may have waiting or running. Zero takes package limits'.
	MaxWaiting, MaxPerUser int
	// Keep is how long a finished job's result stays readable; an hour by
	// default.
	Keep time.Duration
	// Now reads the time (the store's clock); time.Now by default.
	Now func() time.Time

	mu        sync.Mutex
	waiting   []*Job
	running   *Job
	jobs      map[string]*Job
	receiving chan struct{}
	once      sync.Once
}

func (q *Queue) init() {
	q.once.Do(func() {
		if q.MaxWaiting == 0 {
			q.MaxWaiting = limits.WaitingImports
		}
		if q.MaxPerUser == 0 {
			q.MaxPerUser = limits.ImportsPerUser
		}
		if q.Keep == 0 {
			q.Keep = time.Hour
		}
		if q.Now == nil {
			q.Now = time.Now
		}
		q.jobs = map[string]*Job{}
		q.receiving = make(chan struct{}, limits.ReceivingUploads)
	})
}

// Receive takes one of the slots for reading an import's body, or
// refuses at once when the server already reads as many as it allows:
// a body is read before anything else can be said about it, and bodies
// read at once are what fills memory and disk. Call release when the body
// is read and queued (or refused).
func (q *Queue) Receive() (release func(), err error) {
	q.init()
	select {
	case q.receiving <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-q.receiving }) }, nil
	default:
		return nil, errs.New(errs.TooMany, "Máy chủ đang nhận %d tệp số liệu cùng lúc, là mức tối đa. Hãy gửi lại sau ít phút.", limits.ReceivingUploads)
	}
}

// Submit queues an import for owner, to run with ctx (the request's, for
// a sender who waits for the answer; the server's, for one who comes back
// for it). It refuses, with errs.TooMany, when the queue or the owner's
// share of it is full.
func (q *Queue) Submit(ctx context.Context, owner int64, label, back string, run Run) (*Job, error) {
	q.init()
	b := make([]byte, 12)
	rand.Read(b)
	ctx, cancel := context.WithCancel(ctx)
	j := &Job{ID: hex.EncodeToString(b), Owner: owner, Label: label, Back: back, run: run, ctx: ctx, cancel: cancel,
		done: make(chan struct{}), state: Waiting, created: q.Now()}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.forget()
	mine := 0
	for _, w := range q.waiting {
		if w.Owner == owner {
			mine++
		}
	}
	if q.running != nil && q.running.Owner == owner {
		mine++
	}
	switch {
	case mine >= q.MaxPerUser:
		cancel()
		return nil, errs.New(errs.TooMany, "Bạn đã có %d tệp số liệu đang chờ hoặc đang ghi. Hãy đợi chúng xong rồi gửi tiếp.", mine)
	case len(q.waiting) >= q.MaxWaiting:
		cancel()
		return nil, errs.New(errs.TooMany, "Đã có %d tệp số liệu xếp hàng chờ ghi, là mức tối đa. Hãy gửi lại sau ít phút.", len(q.waiting))
	}
	j.Arrived = len(q.waiting)
	if q.running != nil {
		j.Arrived++
	}
	q.jobs[j.ID] = j
	q.waiting = append(q.waiting, j)
	q.next()
	// A waiting job whose sender gave up leaves the queue.
	go func() {
		select {
		case <-ctx.Done():
			q.mu.Lock()
			defer q.mu.Unlock()
			for i, w := range q.waiting {
				if w == j {
					q.waiting = append(q.waiting[:i:i], q.waiting[i+1:]...)
					q.finish(j, value.Summary{}, errs.New(errs.Invalid, "Việc nhập đã bị hủy trước khi đến lượt; không có gì được ghi."))
				}
			}
		case <-j.done:
		}
	}()
	return j, nil
}

// next starts the first waiting job if none runs. The caller holds mu.
func (q *Queue) next() {
	if q.running != nil || len(q.waiting) == 0 {
		return
	}
	j := q.waiting[0]
	q.waiting = q.waiting[1:]
	q.running, j.state, j.started = j, Running, q.Now()
	go func() {
		sum, err := j.run(j.ctx)
		q.mu.Lock()
		defer q.mu.Unlock()
		q.running = nil
		q.finish(j, sum, err)
		q.next()
	}()
}

// finish records a job's end. The caller holds mu.
func (q *Queue) finish(j *Job, sum value.Summary, err error) {
	j.summary, j.err, j.finished = sum, err, q.Now()
	j.state = Done
	if err != nil {
		j.state = Failed
	}
	j.cancel()
	close(j.done)
}

// forget drops finished jobs older than Keep. The caller holds mu.
func (q *Queue) forget() {
	for id, j := range q.jobs {
		if (j.state == Done || j.state == Failed) && q.Now().Sub(j.finished) > q.Keep {
			delete(q.jobs, id)
		}
	}
}

// Job returns the job with the id, while the queue keeps it; who may read
// it is package access's question (ReadImport).
func (q *Queue) Job(id string) (*Job, bool) {
	q.init()
	q.mu.Lock()
	defer q.mu.Unlock()
	j, ok := q.jobs[id]
	return j, ok
}

// Status says where a job stands.
func (q *Queue) Status(j *Job) Status {
	q.mu.Lock()
	defer q.mu.Unlock()
	st := Status{State: j.state, Summary: j.summary, Err: j.err}
	switch j.state {
	case Waiting:
		st.Waited = q.Now().Sub(j.created)
		if q.running != nil {
			st.Position++
		}
		for _, w := range q.waiting {
			if w == j {
				break
			}
			st.Position++
		}
	default:
		if !j.started.IsZero() {
			st.Waited = j.started.Sub(j.created)
		}
	}
	return st
}

// Length is how many imports run and wait.
func (q *Queue) Length() int {
	q.init()
	q.mu.Lock()
	defer q.mu.Unlock()
	n := len(q.waiting)
	if q.running != nil {
		n++
	}
	return n
}
