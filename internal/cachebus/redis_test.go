package cachebus

import (
	"context"
	"net"
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
