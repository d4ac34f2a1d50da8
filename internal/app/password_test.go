package app

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// TestSetupRefusedWithoutHashing sends the public first-run setup again,
// with every password slot taken: once someone exists it is refused at
// once, without waiting for a slot to hash the password it carries, so
// repeating it cannot keep sign-ins from their turn.
func TestSetupRefusedWithoutHashing(t *testing.T) {
	a, _, _ := newTestApp(t)
	a.passwordWait = time.Second
	for range cap(a.passwords) {
		a.passwords <- struct{}{}
	}
	start := time.Now()
	_, _, err := a.Setup(context.Background(), SetupInput{Email: "mallory@example.com", Password: "mallory password"})
	if code := sightline.ErrorCode(err); code != sightline.EFORBIDDEN {
		t.Fatalf("Setup once someone exists = %v, want %s", err, sightline.EFORBIDDEN)
	}
	if waited := time.Since(start); waited >= a.passwordWait {
		t.Errorf("Setup once someone exists took %s, waiting for a password slot; want a refusal at once", waited)
	}
}

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

// TestPasswordHashMemory follows the collections around password hashes: a
// sign-in on an idle server gives the memory of its hash back once done; in
// a burst (another hash holding a slot) each hash after the first collects
// the buffer its predecessor left behind before taking its own, and the
// memory goes back to the system only when the last hash is done, and not
// again within hashReleaseEvery of the last time.
func TestPasswordHashMemory(t *testing.T) {
	a, _, _ := newTestApp(t)
	ctx := context.Background()
	a.hashMemory.background.Wait()
	// The sign-in that set the app up released already.
	a.hashMemory.mu.Lock()
	a.hashMemory.released = time.Time{}
	a.hashMemory.mu.Unlock()
	var mu sync.Mutex
	var got []string
	a.hashMemory.collect = func(release bool) {
		mu.Lock()
		defer mu.Unlock()
		if release {
			got = append(got, "collect and release")
		} else {
			got = append(got, "collect")
		}
	}
	signIn := func() {
		t.Helper()
		if _, _, err := a.SignIn(ctx, "admin@example.com", "admin password", "192.0.2.1"); err != nil {
			t.Fatalf("SignIn: %v", err)
		}
		a.hashMemory.background.Wait()
	}
	steps := []struct {
		name  string
		do    func()
		after []string
	}{
		{"a lone sign-in", signIn, []string{"collect and release"}},
		{"another hash starts", func() { a.passwords <- struct{}{} }, nil},
		{"first sign-in of the burst", signIn, nil},
		{"second sign-in of the burst", signIn, []string{"collect"}},
		{"the other hash ends", func() { <-a.passwords }, nil},
		{"last sign-in of the burst, right after the lone one", signIn, []string{"collect"}},
		{"a sign-in hashReleaseEvery later", func() {
			a.hashMemory.mu.Lock()
			a.hashMemory.released = a.hashMemory.released.Add(-hashReleaseEvery)
			a.hashMemory.mu.Unlock()
			signIn()
		}, []string{"collect", "collect and release"}},
	}
	var want []string
	for _, s := range steps {
		s.do()
		want = append(want, s.after...)
		mu.Lock()
		diff := cmp.Diff(want, got)
		mu.Unlock()
		if diff != "" {
			t.Fatalf("collections after %s (-want +got):\n%s", s.name, diff)
		}
	}
}
