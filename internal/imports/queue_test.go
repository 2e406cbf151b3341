package imports

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"mattran/internal/errs"
	"mattran/internal/value"
)

// Jobs run one at a time, in the order they came; each knows its place;
// a waiting job whose sender gives up leaves the queue; the queue and a
// user's share of it are bounded.
func TestQueueRunsOneAtATimeInOrder(t *testing.T) {
	q := &Queue{MaxWaiting: 3, MaxPerUser: 2}
	var mu sync.Mutex
	var order []string
	running, most := 0, 0
	gate := make(chan struct{})
	job := func(name string) Run {
		return func(ctx context.Context) (value.Summary, error) {
			mu.Lock()
			running++
			most = max(most, running)
			order = append(order, name)
			mu.Unlock()
			<-gate
			mu.Lock()
			running--
			mu.Unlock()
			return value.Summary{Imported: 1}, nil
		}
	}
	a, err := q.Submit(context.Background(), 1, "a", "", job("a"))
	if err != nil || a.Arrived != 0 {
		t.Fatalf("first job: %v, arrived %d", err, a.Arrived)
	}
	b, _ := q.Submit(context.Background(), 2, "b", "", job("b"))
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := q.Submit(ctx, 3, "c", "", job("c"))
	d, _ := q.Submit(context.Background(), 1, "d", "", job("d"))
	if b.Arrived != 1 || c.Arrived != 2 || d.Arrived != 3 {
		t.Errorf("places on arrival: %d %d %d", b.Arrived, c.Arrived, d.Arrived)
	}
	if _, err := q.Submit(context.Background(), 1, "e", "", job("e")); errs.CodeOf(err) != errs.TooMany || !strings.Contains(err.Error(), "đang chờ") {
		t.Errorf("a user's third job: %v", err)
	}
	if _, err := q.Submit(context.Background(), 4, "f", "", job("f")); errs.CodeOf(err) != errs.TooMany || !strings.Contains(err.Error(), "xếp hàng") {
		t.Errorf("a fourth waiting job: %v", err)
	}
	cancel() // c's sender leaves
	<-c.Done()
	if st := q.Status(c); st.State != Failed || st.Err == nil {
		t.Errorf("a cancelled waiting job: %+v", st)
	}
	if st := q.Status(d); st.State != Waiting || st.Position != 2 {
		t.Errorf("d after c left: %+v, want waiting with 2 ahead", st)
	}
	close(gate)
	for _, j := range []*Job{a, b, d} {
		select {
		case <-j.Done():
		case <-time.After(5 * time.Second):
			t.Fatalf("job %s did not finish", j.Label)
		}
	}
	if most != 1 || strings.Join(order, "") != "abd" {
		t.Errorf("ran %q, at most %d at once; want abd one at a time", strings.Join(order, ""), most)
	}
	if st := q.Status(d); st.State != Done || st.Summary.Imported != 1 {
		t.Errorf("d: %+v", st)
	}
}

// Bodies are read a few at a time: one more is refused at once.
func TestReceiveSlots(t *testing.T) {
	q := &Queue{}
	var releases []func()
	for {
		release, err := q.Receive()
		if err != nil {
			if errs.CodeOf(err) != errs.TooMany || len(releases) == 0 {
				t.Fatalf("after %d slots: %v", len(releases), err)
			}
			break
		}
		releases = append(releases, release)
	}
	releases[0]()
	releases[0]() // twice is harmless
	if _, err := q.Receive(); err != nil {
		t.Errorf("a slot given back is not free: %v", err)
	}
}
