package resultcache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a settable time for TTL tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func key(sql string, args ...any) Key { return Key{Database: 1, SQL: sql, Args: args, Zone: "UTC"} }

// loader returns a load function that counts its calls and returns v with
// size n.
func loader(calls *atomic.Int64, v string, n int64) func() (string, int64, error) {
	return func() (string, int64, error) {
		calls.Add(1)
		return v, n, nil
	}
}

func TestGetCachesUntilTTL(t *testing.T) {
	clk := &clock{t: time.Unix(1000, 0)}
	c := New[string](1<<20, 1<<10, clk.now)
	var calls atomic.Int64
	ctx := context.Background()
	for i, want := range []struct {
		advance time.Duration
		hit     bool
		calls   int64
	}{{0, false, 1}, {30 * time.Second, true, 1}, {29 * time.Second, true, 1}, {2 * time.Second, false, 2}} {
		clk.add(want.advance)
		v, hit, err := c.Get(ctx, key("SELECT 1"), time.Minute, loader(&calls, "one", 10))
		if err != nil || v != "one" || hit != want.hit || calls.Load() != want.calls {
			t.Errorf("Get #%d = %q, hit %v, %v after %d loads, want one, hit %v after %d", i, v, hit, err, calls.Load(), want.hit, want.calls)
		}
	}
}

func TestDifferentArgumentsNeverShare(t *testing.T) {
	c := New[string](1<<20, 1<<10, nil)
	ctx := context.Background()
	keys := []Key{
		key("SELECT n FROM t WHERE a = ?", int64(28)),
		key("SELECT n FROM t WHERE a = ?", int64(29)),
		key("SELECT n FROM t WHERE a = ?", "28"),
		key("SELECT n FROM t WHERE a = ?", float64(28)),
		key("SELECT n FROM t WHERE a = ?", int64(28), int64(29)),
		key("SELECT n FROM t WHERE a = ?", []any{int64(28)}),
		{Database: 2, SQL: "SELECT n FROM t WHERE a = ?", Args: []any{int64(28)}, Zone: "UTC"},
		{Database: 1, SQL: "SELECT n FROM t WHERE a = ?", Args: []any{int64(28)}, Zone: "Europe/Paris"},
		key("SELECT n FROM t WHERE a = ?", "28\x00s\"29\""),
		key("SELECT n FROM t WHERE a = ?", "28", "29"),
	}
	for i, k := range keys {
		want := string(rune('a' + i))
		v, hit, err := c.Get(ctx, k, time.Minute, func() (string, int64, error) { return want, 1, nil })
		if err != nil || hit || v != want {
			t.Errorf("Get(%+v) = %q, hit %v, %v; want its own load %q", k, v, hit, err, want)
		}
	}
	for i, k := range keys {
		v, hit, _ := c.Get(ctx, k, time.Minute, func() (string, int64, error) { return "reloaded", 1, nil })
		if want := string(rune('a' + i)); !hit || v != want {
			t.Errorf("second Get(%+v) = %q, hit %v; want %q from the cache", k, v, hit, want)
		}
	}
}

func TestBoundedByBytesLRU(t *testing.T) {
	c := New[string](300, 200, nil)
	ctx := context.Background()
	var calls atomic.Int64
	get := func(sql string) bool {
		_, hit, err := c.Get(ctx, key(sql), time.Hour, loader(&calls, sql, 100))
		if err != nil {
			t.Fatal(err)
		}
		return hit
	}
	get("a")
	get("b")
	get("a") // a is now more recent than b
	get("c") // 3 × (100 + key) > 300: b, the least recently used, goes
	if s := c.Stats(); s.Bytes > 300 || s.Evictions != 1 || s.Entries != 2 {
		t.Errorf("after 3 entries of ~110 bytes in 300: %+v, want 2 entries, 1 eviction, at most 300 bytes", s)
	}
	if !get("a") || !get("c") {
		t.Errorf("a or c was evicted, want b (least recently used) evicted")
	}
	if get("b") {
		t.Errorf("b is still cached, want it evicted")
	}
	// A result over the per-entry limit is returned but not kept.
	before := c.Stats()
	if v, hit, _ := c.Get(ctx, key("big"), time.Hour, loader(&calls, "big", 500)); v != "big" || hit {
		t.Errorf("big result = %q hit %v, want it loaded", v, hit)
	}
	if _, hit, _ := c.Get(ctx, key("big"), time.Hour, loader(&calls, "big", 500)); hit {
		t.Errorf("a result over the per-entry limit was cached")
	}
	if after := c.Stats(); after.Entries != before.Entries || after.Bytes != before.Bytes {
		t.Errorf("stats after a big result = %+v, want %+v", after, before)
	}
}

func TestErrorsAndZeroTTLAreNotKept(t *testing.T) {
	c := New[string](1<<20, 1<<10, nil)
	ctx := context.Background()
	boom := errors.New("boom")
	if _, _, err := c.Get(ctx, key("x"), time.Minute, func() (string, int64, error) { return "", 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("Get = %v, want boom", err)
	}
	var calls atomic.Int64
	if _, hit, _ := c.Get(ctx, key("x"), time.Minute, loader(&calls, "x", 1)); hit || calls.Load() != 1 {
		t.Errorf("an error was cached")
	}
	c.Get(ctx, key("y"), 0, loader(&calls, "y", 1))
	if _, hit, _ := c.Get(ctx, key("y"), 0, loader(&calls, "y", 1)); hit {
		t.Errorf("a result with TTL 0 was cached")
	}
}

func TestSingleflight(t *testing.T) {
	c := New[string](1<<20, 1<<10, nil)
	ctx := context.Background()
	var calls atomic.Int64
	release := make(chan struct{})
	load := func() (string, int64, error) {
		calls.Add(1)
		<-release
		return "rows", 10, nil
	}
	const n = 50
	var wg sync.WaitGroup
	got := make([]string, n)
	for i := range n {
		wg.Go(func() {
			v, _, err := c.Get(ctx, key("SELECT slow"), time.Minute, load)
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	// Wait until every caller is either loading or waiting.
	for deadline := time.Now().Add(5 * time.Second); ; {
		s := c.Stats()
		if s.Misses+s.Shared == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("callers did not all arrive: %+v", s)
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("%d concurrent identical Gets ran the load %d times, want once", n, calls.Load())
	}
	for i, v := range got {
		if v != "rows" {
			t.Errorf("caller %d got %q, want rows", i, v)
		}
	}
}

func TestDropDatabase(t *testing.T) {
	c := New[string](1<<20, 1<<10, nil)
	ctx := context.Background()
	var calls atomic.Int64
	c.Get(ctx, key("a"), time.Hour, loader(&calls, "a", 1))
	other := Key{Database: 2, SQL: "a", Zone: "UTC"}
	c.Get(ctx, other, time.Hour, loader(&calls, "a2", 1))
	c.DropDatabase(1)
	if _, hit, _ := c.Get(ctx, key("a"), time.Hour, loader(&calls, "a", 1)); hit {
		t.Errorf("a result of a dropped database was still cached")
	}
	if _, hit, _ := c.Get(ctx, other, time.Hour, loader(&calls, "a2", 1)); !hit {
		t.Errorf("dropping database 1 dropped database 2's result")
	}
	// A load under way when the database is dropped is not stored.
	c.Get(ctx, key("late"), time.Hour, func() (string, int64, error) {
		c.DropDatabase(1)
		return "stale", 1, nil
	})
	if _, hit, _ := c.Get(ctx, key("late"), time.Hour, loader(&calls, "fresh", 1)); hit {
		t.Errorf("a result loaded across a drop was stored")
	}
}

func TestWaiterCancelled(t *testing.T) {
	c := New[string](1<<20, 1<<10, nil)
	release := make(chan struct{})
	started := make(chan struct{})
	go c.Get(context.Background(), key("slow"), time.Minute, func() (string, int64, error) {
		close(started)
		<-release
		return "rows", 1, nil
	})
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := c.Get(ctx, key("slow"), time.Minute, func() (string, int64, error) { return "", 0, nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled waiter got %v, want context.Canceled", err)
	}
	close(release)
}

func TestPolicyTTLFromValueAndRefresh(t *testing.T) {
	clk := &clock{t: time.Unix(1000, 0)}
	c := New[string](1<<20, 1<<10, clk.now)
	ctx := context.Background()
	var calls atomic.Int64
	// The TTL is decided from what was loaded: small values are kept, big ones not.
	byValue := Policy[string]{TTL: func(v string, size int64) time.Duration {
		if size > 100 {
			return 0
		}
		return time.Minute
	}}
	for i, tt := range []struct {
		sql     string
		size    int64
		refresh bool
		hit     bool
		calls   int64
	}{
		{"small", 10, false, false, 1},
		{"small", 10, false, true, 1},
		{"small", 10, true, false, 2}, // refresh loads again
		{"small", 10, false, true, 2}, // and its value is the one kept
		{"big", 500, false, false, 3},
		{"big", 500, false, false, 4}, // never kept
	} {
		p := byValue
		p.Refresh = tt.refresh
		v, hit, err := c.GetPolicy(ctx, key(tt.sql), p, loader(&calls, tt.sql, tt.size))
		if err != nil || v != tt.sql || hit != tt.hit || calls.Load() != tt.calls {
			t.Errorf("GetPolicy #%d(%s) = %q, hit %v, %v after %d loads, want hit %v after %d", i, tt.sql, v, hit, err, calls.Load(), tt.hit, tt.calls)
		}
	}
	// A refresh resets the entry's age.
	clk.add(50 * time.Second)
	c.GetPolicy(ctx, key("small"), Policy[string]{TTL: byValue.TTL, Refresh: true}, loader(&calls, "small", 10))
	clk.add(50 * time.Second)
	if _, hit, _ := c.GetPolicy(ctx, key("small"), byValue, loader(&calls, "small", 10)); !hit {
		t.Errorf("GetPolicy 50 s after a refresh with a 1 min TTL: hit false, want true")
	}
}
