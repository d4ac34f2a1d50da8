package cachebus

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"sightline/internal/testdb"
)

// listener records what Listen reports.
type listener struct {
	events chan Event
	live   chan bool
}

func listen(t *testing.T, r *Redis) *listener {
	t.Helper()
	l := &listener{events: make(chan Event, 16), live: make(chan bool, 16)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Listen(ctx, func(e Event) { l.events <- e }, func(v bool) { l.live <- v })
	}()
	t.Cleanup(func() { cancel(); <-done })
	return l
}

// waitLive waits for Listen to report want.
func (l *listener) waitLive(t *testing.T, want bool, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case v := <-l.live:
			if v == want {
				return
			}
		case <-deadline:
			t.Fatalf("Listen did not report live=%v within %v", want, within)
		}
	}
}

func openRedis(t *testing.T, url, prefix string) *Redis {
	t.Helper()
	r, err := Open(url, prefix, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func TestRedisBusCarriesEventsToOtherInstances(t *testing.T) {
	srv := testdb.Redis(t)
	a, b := openRedis(t, srv.URL, srv.Prefix), openRedis(t, srv.URL, srv.Prefix)
	la, lb := listen(t, a), listen(t, b)
	la.waitLive(t, true, 5*time.Second)
	lb.waitLive(t, true, 5*time.Second)

	want := Event{Kind: Session, Key: "hash"}
	a.Publish(context.Background(), want)
	select {
	case got := <-lb.events:
		if got != want {
			t.Errorf("B heard %+v, want %+v", got, want)
		}
	case <-time.After(time.Second):
		t.Fatal("B heard nothing of A's event")
	}
	select {
	case got := <-la.events:
		t.Errorf("A heard its own event %+v", got)
	case <-time.After(100 * time.Millisecond):
	}

	// Another prefix is another installation: it hears nothing.
	other := openRedis(t, srv.URL, srv.Prefix+"other:")
	lo := listen(t, other)
	lo.waitLive(t, true, 5*time.Second)
	a.Publish(context.Background(), Event{Kind: Permissions})
	select {
	case got := <-lo.events:
		t.Errorf("another prefix heard %+v", got)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestRedisResults(t *testing.T) {
	srv := testdb.Redis(t)
	a, b := openRedis(t, srv.URL, srv.Prefix), openRedis(t, srv.URL, srv.Prefix)
	ctx := context.Background()
	val, slot, err := a.Get(ctx, 7, "abc")
	if err != nil || val != nil || slot == "" {
		t.Fatalf("Get on an empty store = %q, %q, %v; want a miss and a slot", val, slot, err)
	}
	if err := a.Set(ctx, slot, []byte("rows"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if val, _, err := b.Get(ctx, 7, "abc"); err != nil || string(val) != "rows" {
		t.Errorf("B's Get = %q, %v; want what A stored", val, err)
	}
	if val, _, err := b.Get(ctx, 8, "abc"); err != nil || val != nil {
		t.Errorf("Get on another database = %q, %v; want a miss", val, err)
	}
	if err := b.Drop(ctx, 7); err != nil {
		t.Fatal(err)
	}
	val, slot2, err := a.Get(ctx, 7, "abc")
	if err != nil || val != nil || slot2 == slot {
		t.Errorf("Get after Drop = %q, slot %q (before %q), %v; want a miss in a new slot", val, slot2, slot, err)
	}
	// A load begun before the drop stores in the old slot, which no one
	// reads any more.
	if err := a.Set(ctx, slot, []byte("stale rows"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if val, _, _ := b.Get(ctx, 7, "abc"); val != nil {
		t.Errorf("Get after a late store in the old slot = %q, want a miss", val)
	}
}

func TestRedisUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := openRedis(t, "redis://"+addr+"/0", "x:")
	if _, _, err := r.Get(context.Background(), 1, "abc"); err == nil {
		t.Error("Get from a closed port succeeded")
	}
	// Publishing does not fail the caller, and Listen never reports live.
	r.Publish(context.Background(), Event{Kind: Content})
	l := listen(t, r)
	select {
	case v := <-l.live:
		t.Errorf("Listen on a closed port reported live=%v", v)
	case <-time.After(700 * time.Millisecond):
	}
}

// proxy forwards TCP connections to a server and can cut them (as a
// restarted server does) or freeze them (as a network that drops packets
// does).
type proxy struct {
	ln     net.Listener
	target string
	frozen atomic.Bool
	mu     sync.Mutex
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.cut() })
	return p
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go p.pipe(c, s)
		go p.pipe(s, c)
	}
}

// pipe copies from src to dst, dropping what arrives while frozen.
func (p *proxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.frozen.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

// cut closes every connection through the proxy.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestRedisListenReportsLostSubscription(t *testing.T) {
	srv := testdb.Redis(t)
	opt, err := redis.ParseURL(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, opt.Addr)
	r := openRedis(t, "redis://"+p.ln.Addr().String()+"/0", srv.Prefix)
	l := listen(t, r)
	l.waitLive(t, true, 5*time.Second)

	// A closed connection is noticed at once, and the subscription comes
	// back by itself.
	p.cut()
	l.waitLive(t, false, time.Second)
	l.waitLive(t, true, 5*time.Second)

	// A connection that stays open but carries nothing is noticed within
	// quietLimit and a ping.
	p.frozen.Store(true)
	l.waitLive(t, false, quietLimit+2*pingEvery)
	p.frozen.Store(false)
	p.cut()
	l.waitLive(t, true, 5*time.Second)
}

func TestRedisRetellsUnheardChanges(t *testing.T) {
	srv := testdb.Redis(t)
	opt, err := redis.ParseURL(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, opt.Addr)
	a := openRedis(t, "redis://"+p.ln.Addr().String()+"/0", srv.Prefix)
	b := openRedis(t, srv.URL, srv.Prefix)
	la, lb := listen(t, a), listen(t, b)
	la.waitLive(t, true, 5*time.Second)
	lb.waitLive(t, true, 5*time.Second)

	// A's change is lost on the way...
	p.frozen.Store(true)
	a.Publish(context.Background(), Event{Kind: Permissions})
	select {
	case got := <-lb.events:
		t.Fatalf("B heard %+v through a frozen connection", got)
	case <-time.After(100 * time.Millisecond):
	}
	// ... so once A reaches Redis again, B is told to drop everything.
	p.frozen.Store(false)
	p.cut()
	select {
	case got := <-lb.events:
		if got.Kind != Everything {
			t.Errorf("B heard %+v, want %s", got, Everything)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("B was never told of A's lost change")
	}
}

// TestRedisFailures checks the sign-in throttle's shared counts: two
// instances add to one count, failures leave it with the window, at most
// limit are kept, the key is neither readable nor kept past the window,
// and forgetting a key clears it for both.
func TestRedisFailures(t *testing.T) {
	srv := testdb.Redis(t)
	a, b := openRedis(t, srv.URL, srv.Prefix), openRedis(t, srv.URL, srv.Prefix)
	ctx := context.Background()
	const window, limit = 15 * time.Minute, 3
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	key := "p:ada@example.com\x00203.0.113.9"

	count := func(r *Redis, at time.Time) (int, time.Time) {
		t.Helper()
		n, oldest, err := r.Failures(ctx, key, at, window, limit, false)
		if err != nil {
			t.Fatal(err)
		}
		return n, oldest
	}
	if n, _ := count(a, t0); n != 0 {
		t.Fatalf("count of a new key = %d, want 0", n)
	}
	if _, _, err := a.Failures(ctx, key, t0, window, limit, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Failures(ctx, key, t0.Add(time.Minute), window, limit, true); err != nil {
		t.Fatal(err)
	}
	n, oldest := count(a, t0.Add(2*time.Minute))
	if n != 2 || !oldest.Equal(t0) {
		t.Errorf("A's count after one failure on each = %d, oldest %v; want 2, %v", n, oldest, t0)
	}
	// Two at the same millisecond are two failures.
	b.Failures(ctx, key, t0.Add(2*time.Minute), window, limit, true)
	b.Failures(ctx, key, t0.Add(2*time.Minute), window, limit, true)
	if n, oldest := count(b, t0.Add(2*time.Minute)); n != limit || !oldest.Equal(t0.Add(time.Minute)) {
		t.Errorf("count after more than limit = %d, oldest %v; want %d kept, the oldest dropped", n, oldest, limit)
	}
	// The window moves on.
	if n, _ := count(a, t0.Add(time.Minute+window)); n != 2 {
		t.Errorf("count once the minute-1 failure left the window = %d, want 2", n)
	}
	if n, _ := count(a, t0.Add(2*time.Minute+window)); n != 0 {
		t.Errorf("count once every failure left the window = %d, want 0", n)
	}

	// The stored key names neither the email nor the address, and ends
	// with the window.
	b.Failures(ctx, key, time.Now(), window, limit, true)
	keys, err := redis.NewClient(mustParse(t, srv.URL)).Keys(ctx, srv.Prefix+"fail:*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("failure keys = %v, %v; want one", keys, err)
	}
	for _, k := range keys {
		if strings.Contains(k, "ada") || strings.Contains(k, "203.0.113") {
			t.Errorf("failure key %q shows the email or address", k)
		}
		ttl, err := a.client.PTTL(ctx, k).Result()
		if err != nil || ttl <= 0 || ttl > window {
			t.Errorf("failure key lives %v (%v), want at most the window", ttl, err)
		}
	}
	if err := a.ForgetFailures(ctx, key); err != nil {
		t.Fatal(err)
	}
	if n, _ := count(b, time.Now()); n != 0 {
		t.Errorf("B's count after A forgot the key = %d, want 0", n)
	}

	// Another prefix is another installation's count.
	other := openRedis(t, srv.URL, srv.Prefix+"other:")
	a.Failures(ctx, key, time.Now(), window, limit, true)
	if n, _, err := other.Failures(ctx, key, time.Now(), window, limit, false); err != nil || n != 0 {
		t.Errorf("another prefix's count = %d, %v; want 0", n, err)
	}

	unreachable := openRedis(t, "redis://127.0.0.1:1/0", "x:")
	if _, _, err := unreachable.Failures(ctx, key, time.Now(), window, limit, true); err == nil {
		t.Error("Failures on a closed port succeeded")
	}
}

func mustParse(t *testing.T, url string) *redis.Options {
	t.Helper()
	o, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
