package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"sightline"
)

// TestPasswordSignInsQueue fills every password slot: a sign-in then waits
// its turn and, when none comes in time, is turned away with a message
// saying to try again, not with an internal error; once a slot frees, the
// same sign-in succeeds.
func TestPasswordSignInsQueue(t *testing.T) {
	a, _, _ := newTestApp(t)
	ctx := context.Background()
	a.passwordWait = 100 * time.Millisecond
	for range cap(a.passwords) {
		a.passwords <- struct{}{}
	}
	start := time.Now()
	_, _, err := a.SignIn(ctx, "admin@example.com", "admin password", "192.0.2.1")
	if code, msg := sightline.ErrorCode(err), sightline.ErrorMessage(err); code != sightline.EBUSY ||
		msg != "Too many sign-ins are being checked right now. Try again in a few seconds." {
		t.Fatalf("SignIn with every password slot taken = %q %q, want %s and a message to try again", code, msg, sightline.EBUSY)
	}
	if waited := time.Since(start); waited < a.passwordWait {
		t.Errorf("SignIn gave up after %s, before its turn could come (%s)", waited, a.passwordWait)
	}
	// A cancelled request stops waiting with its own error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := a.SignIn(cctx, "admin@example.com", "admin password", "192.0.2.1"); !errors.Is(err, context.Canceled) {
		t.Errorf("SignIn of a cancelled request = %v, want context.Canceled", err)
	}

	<-a.passwords
	if _, u, err := a.SignIn(ctx, "admin@example.com", "admin password", "192.0.2.1"); err != nil || u.Email != "admin@example.com" {
		t.Fatalf("SignIn with a slot free = %v, %v", u, err)
	}
	if n := len(a.passwords); n != cap(a.passwords)-1 {
		t.Errorf("%d password slots taken after the sign-in, want its slot given back (%d)", n, cap(a.passwords)-1)
	}
}
