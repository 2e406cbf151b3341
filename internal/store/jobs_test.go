package store_test

import (
	"context"
	"testing"

	"mattran/internal/store/storetest"
)

// A background job runs on one server at a time: while one holds it, a
// second attempt on PostgreSQL skips; once done, the next one runs.
func TestRunExclusive(t *testing.T) {
	s := storetest.Postgres(t)
	ctx := context.Background()
	inside := make(chan struct{})
	release := make(chan struct{})
	done := make(chan bool)
	go func() {
		ran, err := s.RunExclusiveForTest(ctx, func() error { close(inside); <-release; return nil })
		if err != nil {
			t.Error(err)
		}
		done <- ran
	}()
	<-inside
	ran, err := s.RunExclusiveForTest(ctx, func() error { t.Error("ran while another server held the job"); return nil })
	if err != nil || ran {
		t.Errorf("second run: ran %v, err %v", ran, err)
	}
	close(release)
	if !<-done {
		t.Error("the first run did not run")
	}
	if ran, err := s.RunExclusiveForTest(ctx, func() error { return nil }); err != nil || !ran {
		t.Errorf("after release: ran %v, err %v", ran, err)
	}
}
