package auth

import (
	"container/list"
	"context"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Throttler counts failed sign-ins per key (an email, a client address)
// within a sliding window and refuses further attempts once a key reaches
// the limit. It is safe for concurrent use.
//
// Memory is bounded: a key keeps at most limit failure times, and at most
// maxKeys keys are tracked. When full, keys whose failures have all left the
// window go first, then the key that failed least recently. An attacker who
// floods fresh keys can therefore push out an older key's count, which is
// why callers throttle per email and per client address together.
type Throttler struct {
	limit   int
	window  time.Duration
	maxKeys int
	now     func() time.Time

	mu      sync.Mutex
	entries map[string]*list.Element // value *throttleEntry
	order   *list.List               // least recently failed at the front
}

type throttleEntry struct {
	key   string
	fails []time.Time // oldest first, at most limit
}

// NewThrottler returns a Throttler that allows limit failures per key within
// window and tracks at most maxKeys keys. now is the clock (time.Now when
// nil); tests pass a fake one.
func NewThrottler(limit int, window time.Duration, maxKeys int, now func() time.Time) *Throttler {
	if limit < 1 {
		limit = 1
	}
	if maxKeys < 1 {
		maxKeys = 1
	}
	if now == nil {
		now = time.Now
	}
	return &Throttler{
		limit: limit, window: window, maxKeys: maxKeys, now: now,
		entries: make(map[string]*list.Element),
		order:   list.New(),
	}
}

// Check reports whether key may try again. When it may not, retryAfter is
// how long until its oldest counted failure leaves the window.
func (t *Throttler) Check(key string) (retryAfter time.Duration, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	el, found := t.entries[key]
	if !found {
		return 0, true
	}
	now := t.now()
	e := el.Value.(*throttleEntry)
	e.fails = t.live(e.fails, now)
	if len(e.fails) == 0 {
		t.remove(el)
		return 0, true
	}
	if len(e.fails) < t.limit {
		return 0, true
	}
	return e.fails[0].Add(t.window).Sub(now), false
}

// Fail records a failed attempt for key.
func (t *Throttler) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if el, found := t.entries[key]; found {
		e := el.Value.(*throttleEntry)
		e.fails = append(t.live(e.fails, now), now)
		if len(e.fails) > t.limit {
			e.fails = e.fails[len(e.fails)-t.limit:]
		}
		t.order.MoveToBack(el)
		return
	}
	t.evict(now)
	e := &throttleEntry{key: key, fails: make([]time.Time, 1, t.limit)}
	e.fails[0] = now
	t.entries[key] = t.order.PushBack(e)
}

// Reset forgets key's failures, after a successful sign-in.
func (t *Throttler) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if el, found := t.entries[key]; found {
		t.remove(el)
	}
}

// Len returns the number of keys tracked.
func (t *Throttler) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

// live drops the failures that have left the window.
func (t *Throttler) live(fails []time.Time, now time.Time) []time.Time {
	cutoff := now.Add(-t.window)
	i := 0
	for i < len(fails) && !fails[i].After(cutoff) {
		i++
	}
	return fails[i:]
}

// evict makes room for one more key. The list is ordered by last failure,
// so expired keys are all at the front.
func (t *Throttler) evict(now time.Time) {
	cutoff := now.Add(-t.window)
	for el := t.order.Front(); el != nil; el = t.order.Front() {
		e := el.Value.(*throttleEntry)
		if len(t.entries) < t.maxKeys && e.fails[len(e.fails)-1].After(cutoff) {
			return
		}
		t.remove(el)
	}
}

func (t *Throttler) remove(el *list.Element) {
	delete(t.entries, el.Value.(*throttleEntry).key)
	t.order.Remove(el)
}

// FailureStore keeps counts of failures where every instance that shares
// it sees them, so that N instances behind one address allow no more
// guesses than one.
type FailureStore interface {
	// Failures forgets key's failures at or before now-window, records
	// one at now when record is set (keeping the newest limit), and
	// returns how many are left and when the oldest of them happened.
	Failures(ctx context.Context, key string, now time.Time, window time.Duration, limit int, record bool) (n int, oldest time.Time, err error)
	// ForgetFailures forgets key's failures.
	ForgetFailures(ctx context.Context, key string) error
}

// SignInThrottle decides whether a password sign-in may be tried, from the
// failures seen so far. It counts failures per (email, client address) pair,
// an IPv6 address counting as its /64 network (see clientNetwork),
// so that someone guessing from one address locks that email only for
// themselves and never for its owner signing in from elsewhere, and per
// client address over all emails, so that one address cannot spray guesses
// over many accounts. It is safe for concurrent use.
//
// With a FailureStore (see Share) the counts are also kept there, and a
// sign-in is refused when either this instance's counts or the shared ones
// reach a limit. When the store cannot be reached, this instance's own
// counts still apply: throttling never stops, it only stops being shared.
type SignInThrottle struct {
	pair *Throttler
	addr *Throttler

	pairLimit, addrLimit int
	window               time.Duration
	now                  func() time.Time
	shared               FailureStore
	onErr                func(error)
}

// NewSignInThrottle returns a SignInThrottle that allows pairLimit failures
// per (email, address) pair and addrLimit failures per address within
// window. now is the clock (time.Now when nil).
func NewSignInThrottle(pairLimit, addrLimit int, window time.Duration, now func() time.Time) *SignInThrottle {
	const maxKeys = 100_000
	if now == nil {
		now = time.Now
	}
	s := &SignInThrottle{
		pair:   NewThrottler(pairLimit, window, maxKeys, now),
		addr:   NewThrottler(addrLimit, window, maxKeys, now),
		window: window, now: now,
	}
	s.pairLimit, s.addrLimit = s.pair.limit, s.addr.limit
	return s
}

// Share keeps the counts in store as well as in this process. onErr, when
// not nil, hears every error of the store (the sign-in goes on, judged by
// this instance's counts). Call it before the throttle is used.
func (s *SignInThrottle) Share(store FailureStore, onErr func(error)) {
	if onErr == nil {
		onErr = func(error) {}
	}
	s.shared, s.onErr = store, onErr
}

// clientNetwork is what the throttle counts of a client address: an IPv4
// address whole (also when it arrives IPv4-mapped), an IPv6 address by its
// /64 network, since one client is usually given a whole /64 and would
// otherwise gain fresh guesses with every address in it. Brackets and a
// zone are ignored; text that is not an IP address is kept as it is.
func clientNetwork(addr string) string {
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]"))
	if err != nil {
		return addr
	}
	a = a.WithZone("").Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

func pairKey(email, addr string) string { return email + "\x00" + addr }

// The keys of the shared counts: one kind letter, then the local key.
func sharedPairKey(email, addr string) string { return "p:" + pairKey(email, addr) }
func sharedAddrKey(addr string) string        { return "a:" + addr }

// Check reports whether email may be tried from addr. When it may not,
// retryAfter is how long until it may.
func (s *SignInThrottle) Check(ctx context.Context, email, addr string) (retryAfter time.Duration, ok bool) {
	addr = clientNetwork(addr)
	if wait, ok := s.pair.Check(pairKey(email, addr)); !ok {
		return wait, false
	}
	if wait, ok := s.addr.Check(addr); !ok {
		return wait, false
	}
	if s.shared == nil {
		return 0, true
	}
	now := s.now()
	for _, c := range []struct {
		key   string
		limit int
	}{{sharedPairKey(email, addr), s.pairLimit}, {sharedAddrKey(addr), s.addrLimit}} {
		n, oldest, err := s.shared.Failures(ctx, c.key, now, s.window, c.limit, false)
		if err != nil {
			s.onErr(err)
			return 0, true
		}
		if n >= c.limit {
			return max(oldest.Add(s.window).Sub(now), time.Second), false
		}
	}
	return 0, true
}

// Fail records a failed sign-in for email from addr.
func (s *SignInThrottle) Fail(ctx context.Context, email, addr string) {
	addr = clientNetwork(addr)
	s.pair.Fail(pairKey(email, addr))
	s.addr.Fail(addr)
	if s.shared == nil {
		return
	}
	now := s.now()
	if _, _, err := s.shared.Failures(ctx, sharedPairKey(email, addr), now, s.window, s.pairLimit, true); err != nil {
		s.onErr(err)
		return
	}
	if _, _, err := s.shared.Failures(ctx, sharedAddrKey(addr), now, s.window, s.addrLimit, true); err != nil {
		s.onErr(err)
	}
}

// Reset forgets the failures of email from addr after a successful
// sign-in; the address's overall count stays.
func (s *SignInThrottle) Reset(ctx context.Context, email, addr string) {
	addr = clientNetwork(addr)
	s.pair.Reset(pairKey(email, addr))
	if s.shared != nil {
		if err := s.shared.ForgetFailures(ctx, sharedPairKey(email, addr)); err != nil {
			s.onErr(err)
		}
	}
}
