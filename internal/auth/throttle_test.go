package auth

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for the throttler.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func checkThrottle(t *testing.T, th *Throttler, key string, wantOK bool, wantRetry time.Duration) {
	t.Helper()
	retry, ok := th.Check(key)
	if ok != wantOK || retry != wantRetry {
		t.Errorf("Check(%q) = %v, %v, want %v, %v", key, retry, ok, wantRetry, wantOK)
	}
}

func TestThrottler(t *testing.T) {
	clock := &fakeClock{t: testNow}
	th := NewThrottler(3, time.Minute, 100, clock.now)

	checkThrottle(t, th, "a@b.example", true, 0)
	th.Fail("a@b.example")
	clock.advance(10 * time.Second)
	th.Fail("a@b.example")
	checkThrottle(t, th, "a@b.example", true, 0)
	clock.advance(10 * time.Second)
	th.Fail("a@b.example")
	// Three failures at 0, 10 and 20 s: blocked until the first leaves the
	// window at 60 s.
	checkThrottle(t, th, "a@b.example", false, 40*time.Second)
	checkThrottle(t, th, "other@b.example", true, 0)
	clock.advance(39 * time.Second)
	checkThrottle(t, th, "a@b.example", false, time.Second)
	clock.advance(time.Second)
	checkThrottle(t, th, "a@b.example", true, 0)

	// More failures while blocked keep only the last three.
	for i := 0; i < 10; i++ {
		th.Fail("a@b.example")
	}
	checkThrottle(t, th, "a@b.example", false, time.Minute)

	th.Reset("a@b.example")
	checkThrottle(t, th, "a@b.example", true, 0)
	if n := th.Len(); n != 0 {
		t.Errorf("Len() after Reset = %d, want 0", n)
	}
}

func TestThrottlerBoundedMemory(t *testing.T) {
	clock := &fakeClock{t: testNow}
	th := NewThrottler(2, time.Minute, 10, clock.now)
	th.Fail("victim")
	th.Fail("victim")
	for i := 0; i < 1000; i++ {
		th.Fail(fmt.Sprintf("k%d", i))
		if n := th.Len(); n > 10 {
			t.Fatalf("Len() = %d after %d keys, want at most 10", n, i+1)
		}
	}
	// The least recently failed key made room for the newer ones.
	checkThrottle(t, th, "victim", true, 0)
	checkThrottle(t, th, "k999", true, 0)

	// A new key first clears out the keys whose failures have expired.
	clock.advance(2 * time.Minute)
	th.Fail("fresh")
	if n := th.Len(); n != 1 {
		t.Errorf("Len() after the window passed = %d, want 1", n)
	}
}

func TestThrottlerConcurrent(t *testing.T) {
	th := NewThrottler(5, time.Minute, 50, nil)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				key := fmt.Sprintf("k%d", i%70)
				th.Fail(key)
				th.Check(key)
				if i%13 == 0 {
					th.Reset(key)
				}
			}
		}()
	}
	wg.Wait()
	if n := th.Len(); n > 50 {
		t.Errorf("Len() = %d, want at most 50", n)
	}
}

func TestSignInThrottle(t *testing.T) {
	const admin, attacker, office = "admin@example.com", "198.51.100.7", "192.0.2.1"
	tests := []struct {
		name   string
		fails  func(s *SignInThrottle) // what the attacker did
		email  string
		addr   string
		wantOK bool
	}{
		{
			name:   "guesses lock the pair for the guesser",
			fails:  func(s *SignInThrottle) { failN(s, 10, admin, attacker) },
			email:  admin,
			addr:   attacker,
			wantOK: false,
		},
		{
			name:   "guesses elsewhere leave the owner free",
			fails:  func(s *SignInThrottle) { failN(s, 10, admin, attacker) },
			email:  admin,
			addr:   office,
			wantOK: true,
		},
		{
			name:   "nine guesses are allowed",
			fails:  func(s *SignInThrottle) { failN(s, 9, admin, attacker) },
			email:  admin,
			addr:   attacker,
			wantOK: true,
		},
		{
			name: "spraying many emails locks the address",
			fails: func(s *SignInThrottle) {
				for i := range 50 {
					s.Fail(context.Background(), fmt.Sprintf("user%d@example.com", i), attacker)
				}
			},
			email:  "fresh@example.com",
			addr:   attacker,
			wantOK: false,
		},
		{
			name: "spraying from one address leaves other addresses free",
			fails: func(s *SignInThrottle) {
				for i := range 50 {
					s.Fail(context.Background(), fmt.Sprintf("user%d@example.com", i), attacker)
				}
			},
			email:  "user1@example.com",
			addr:   office,
			wantOK: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{t: testNow}
			s := NewSignInThrottle(10, 50, 15*time.Minute, clock.now)
			tt.fails(s)
			if _, ok := s.Check(context.Background(), tt.email, tt.addr); ok != tt.wantOK {
				t.Errorf("Check(%q, %q) ok = %v, want %v", tt.email, tt.addr, ok, tt.wantOK)
			}
			clock.advance(15 * time.Minute)
			if _, ok := s.Check(context.Background(), tt.email, tt.addr); !ok {
				t.Errorf("Check(%q, %q) after the window = false, want true", tt.email, tt.addr)
			}
		})
	}
}

// TestSignInThrottleCountsNetworks guesses from a fresh address each time,
// as a client given an IPv6 /64 can: the throttle counts the network, so
// the guesses lock the email and the address for the whole /64, written
// with or without brackets, and an IPv4 address counts the same when it
// arrives IPv4-mapped. Another network stays free.
func TestSignInThrottleCountsNetworks(t *testing.T) {
	const admin = "admin@example.com"
	inNet := func(i int) string {
		if i%2 == 0 {
			return fmt.Sprintf("2001:db8:1:2::%x", i+1)
		}
		return fmt.Sprintf("[2001:db8:1:2:%x::1]", i+1)
	}
	tests := []struct {
		name   string
		fails  func(s *SignInThrottle)
		email  string
		addr   string
		wantOK bool
	}{
		{
			name: "guesses from one /64 lock the pair for all of it",
			fails: func(s *SignInThrottle) {
				for i := range 10 {
					s.Fail(context.Background(), admin, inNet(i))
				}
			},
			email: admin, addr: "2001:db8:1:2:ffff:ffff:ffff:ffff", wantOK: false,
		},
		{
			name: "spraying emails from one /64 locks all of it",
			fails: func(s *SignInThrottle) {
				for i := range 50 {
					s.Fail(context.Background(), fmt.Sprintf("user%d@example.com", i), inNet(i))
				}
			},
			email: "fresh@example.com", addr: "[2001:db8:1:2::abcd]", wantOK: false,
		},
		{
			name: "an IPv4-mapped address counts as the IPv4 one",
			fails: func(s *SignInThrottle) {
				for i := range 10 {
					addr := "198.51.100.7"
					if i%2 == 0 {
						addr = "::ffff:198.51.100.7"
					}
					s.Fail(context.Background(), admin, addr)
				}
			},
			email: admin, addr: "[::ffff:198.51.100.7]", wantOK: false,
		},
		{
			name: "another /64 stays free",
			fails: func(s *SignInThrottle) {
				for i := range 50 {
					s.Fail(context.Background(), admin, inNet(i))
				}
			},
			email: admin, addr: "2001:db8:1:3::1", wantOK: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSignInThrottle(10, 50, 15*time.Minute, (&fakeClock{t: testNow}).now)
			tt.fails(s)
			if _, ok := s.Check(context.Background(), tt.email, tt.addr); ok != tt.wantOK {
				t.Errorf("Check(%q, %q) ok = %v, want %v", tt.email, tt.addr, ok, tt.wantOK)
			}
		})
	}
}

func failN(s *SignInThrottle, n int, email, addr string) {
	for range n {
		s.Fail(context.Background(), email, addr)
	}
}

// downStore is a FailureStore that cannot be reached.
type downStore struct{ calls int }

func (d *downStore) Failures(context.Context, string, time.Time, time.Duration, int, bool) (int, time.Time, error) {
	d.calls++
	return 0, time.Time{}, fmt.Errorf("connection refused")
}

func (d *downStore) ForgetFailures(context.Context, string) error {
	d.calls++
	return fmt.Errorf("connection refused")
}

// TestSignInThrottleSharedStoreDown: a shared store that fails is
// reported, and this instance's own counts still refuse the eleventh
// guess, so losing the store never lifts the throttle.
func TestSignInThrottleSharedStoreDown(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{t: testNow}
	s := NewSignInThrottle(10, 50, 15*time.Minute, clock.now)
	store := &downStore{}
	var errs int
	s.Share(store, func(error) { errs++ })
	const email, addr = "ada@example.com", "203.0.113.9"
	for i := range 10 {
		if _, ok := s.Check(ctx, email, addr); !ok {
			t.Fatalf("guess %d refused, want allowed", i+1)
		}
		s.Fail(ctx, email, addr)
	}
	if wait, ok := s.Check(ctx, email, addr); ok || wait <= 0 {
		t.Errorf("11th guess with the store down = ok %v, wait %v; want refused by the local count", ok, wait)
	}
	if store.calls == 0 || errs != store.calls {
		t.Errorf("store calls %d, errors reported %d; want every failed call reported", store.calls, errs)
	}
	s.Reset(ctx, email, addr)
	if _, ok := s.Check(ctx, email, addr); !ok {
		t.Error("Check after Reset refused")
	}
}
