package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"sightline"
)

func TestTurns(t *testing.T) {
	tr := turns{running: map[int64]int{}, freed: map[int64]chan struct{}{}}
	ctx := context.Background()
	first, err := tr.take(ctx, 1, 2, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.take(ctx, 1, 2, time.Second); err != nil {
		t.Fatal(err)
	}
	// Another person has turns of their own.
	other, err := tr.take(ctx, 2, 2, 0)
	if err != nil {
		t.Fatalf("take for another person = %v, want a turn at once", err)
	}
	other()

	// A third question of person 1 waits, and runs once one ends.
	got := make(chan error, 1)
	go func() {
		done, err := tr.take(ctx, 1, 2, 5*time.Second)
		if err == nil {
			done()
		}
		got <- err
	}()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-got:
		t.Fatalf("take past the limit = %v before a turn was given back, want it to wait", err)
	default:
	}
	first()
	if err := <-got; err != nil {
		t.Errorf("take after a turn was given back = %v, want the turn", err)
	}

	// Past the wait, the refusal says why; a cancelled request stops waiting.
	if _, err := tr.take(ctx, 1, 1, 10*time.Millisecond); sightline.ErrorCode(err) != sightline.ETOOMANY {
		t.Errorf("take with no turn free = %v, want %s", err, sightline.ETOOMANY)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := tr.take(cancelled, 1, 1, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("take with a cancelled context = %v, want context.Canceled", err)
	}
}
