package resultcache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRemote is a Remote in memory, with generations like Redis's and a
// switch that makes every call fail.
type fakeRemote struct {
	mu   sync.Mutex
	vals map[string][]byte
	ttls map[string]time.Duration
	gens map[int64]int
	down bool
}

func newFakeRemote() *fakeRemote {
	return &fakeRemote{vals: map[string][]byte{}, ttls: map[string]time.Duration{}, gens: map[int64]int{}}
}

var errDown = errors.New("connection refused")

func (f *fakeRemote) Get(_ context.Context, db int64, digest string) ([]byte, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return nil, "", errDown
	}
	slot := fmt.Sprintf("%d:%d:%s", db, f.gens[db], digest)
	return f.vals[slot], slot, nil
}

func (f *fakeRemote) Set(_ context.Context, slot string, val []byte, ttl time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return errDown
	}
	f.vals[slot], f.ttls[slot] = val, ttl
	return nil
}

func (f *fakeRemote) Drop(_ context.Context, db int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return errDown
	}
	f.gens[db]++
	return nil
}

func (f *fakeRemote) setDown(v bool) {
	f.mu.Lock()
	f.down = v
	f.mu.Unlock()
}

var stringCodec = Codec[string]{
	Encode: func(s string) ([]byte, error) { return []byte(s), nil },
	Decode: func(b []byte) (string, error) { return string(b), nil },
}

func TestSharedAcrossProcesses(t *testing.T) {
	remote := newFakeRemote()
	var logA bytes.Buffer
	a := NewShared(remote, stringCodec, 100, slog.New(slog.NewTextHandler(&logA, nil)))
	b := NewShared(remote, stringCodec, 100, nil)
	ctx := context.Background()
	loads := 0
	loader := func(v string) func() (string, int64, error) {
		return func() (string, int64, error) { loads++; return v, int64(len(v)), nil }
	}
	minute := Policy[string]{TTL: func(string, int64) time.Duration { return time.Minute }}
	k28 := Key{Database: 1, SQL: "SELECT count(*) FROM t WHERE acct = ?", Args: []any{int64(28)}, Zone: "UTC", MaxRows: 2000}
	k29 := k28
	k29.Args = []any{int64(29)}

	get := func(c *Shared[string], k Key, v string, p Policy[string]) (string, bool) {
		t.Helper()
		got, hit, err := c.GetPolicy(ctx, k, p, loader(v))
		if err != nil {
			t.Fatal(err)
		}
		return got, hit
	}
	if got, hit := get(a, k28, "22", minute); got != "22" || hit {
		t.Errorf("A's first run = %q hit=%v, want a load of 22", got, hit)
	}
	if got, hit := get(b, k28, "wrong", minute); got != "22" || !hit || loads != 1 {
		t.Errorf("B's run = %q hit=%v after %d loads, want A's 22 from the remote", got, hit, loads)
	}
	if got, hit := get(b, k29, "5", minute); got != "5" || hit {
		t.Errorf("B's run of account 29 = %q hit=%v, want its own load, never 28's", got, hit)
	}
	for slot, ttl := range remote.ttls {
		if ttl != time.Minute {
			t.Errorf("slot %s stored for %v, want the policy's minute", slot, ttl)
		}
	}

	t.Run("drop reaches every process", func(t *testing.T) {
		a.DropDatabase(1)
		if got, hit := get(b, k28, "23", minute); got != "23" || hit {
			t.Errorf("B after A's drop = %q hit=%v, want a new load", got, hit)
		}
	})
	t.Run("refresh loads and replaces", func(t *testing.T) {
		p := minute
		p.Refresh = true
		if got, hit := get(a, k28, "24", p); got != "24" || hit {
			t.Errorf("refresh = %q hit=%v, want a new load", got, hit)
		}
		if got, _ := get(b, k28, "x", minute); got != "24" {
			t.Errorf("after a refresh B reads %q, want 24", got)
		}
	})
	t.Run("values over the entry limit are not stored", func(t *testing.T) {
		big := Key{Database: 2, SQL: "SELECT big"}
		get(a, big, strings.Repeat("x", 101), minute)
		if _, hit := get(b, big, "y", minute); hit {
			t.Error("a value over the limit was shared")
		}
	})
	t.Run("no TTL stores nothing", func(t *testing.T) {
		k := Key{Database: 2, SQL: "SELECT fast"}
		never := Policy[string]{TTL: func(string, int64) time.Duration { return 0 }}
		get(a, k, "1", never)
		if _, hit := get(b, k, "2", never); hit {
			t.Error("a value with no TTL was shared")
		}
	})
	t.Run("an outage runs uncached and is logged once", func(t *testing.T) {
		remote.setDown(true)
		before := loads
		for i := range 3 {
			if got, hit := get(a, k28, "live"+strconv.Itoa(i), minute); hit || got != "live"+strconv.Itoa(i) {
				t.Errorf("run %d during the outage = %q hit=%v, want a load", i, got, hit)
			}
		}
		if loads-before != 3 {
			t.Errorf("%d loads during the outage, want 3", loads-before)
		}
		// A drop during the outage is not lost: the remote is not read
		// again before it hears it.
		a.DropDatabase(1)
		if n := strings.Count(logA.String(), "unreachable"); n != 1 {
			t.Errorf("the outage was logged %d times, want once:\n%s", n, logA.String())
		}
		remote.setDown(false)
		if got, hit := get(a, k28, "25", minute); got != "25" || hit {
			t.Errorf("after the outage = %q hit=%v, want a new load (the drop during the outage was applied)", got, hit)
		}
		if !strings.Contains(logA.String(), "answers again") {
			t.Errorf("the end of the outage was not logged:\n%s", logA.String())
		}
	})
}

func TestSharedRunsConcurrentLoadsOnce(t *testing.T) {
	c := NewShared(newFakeRemote(), stringCodec, 100, nil)
	release := make(chan struct{})
	var mu sync.Mutex
	loads := 0
	k := Key{Database: 1, SQL: "SELECT slow"}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			v, _, err := c.GetPolicy(context.Background(), k, Policy[string]{TTL: func(string, int64) time.Duration { return time.Minute }},
				func() (string, int64, error) {
					mu.Lock()
					loads++
					mu.Unlock()
					<-release
					return "v", 1, nil
				})
			if err != nil || v != "v" {
				t.Errorf("GetPolicy = %q, %v", v, err)
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if loads != 1 {
		t.Errorf("10 concurrent callers ran %d loads, want 1", loads)
	}
}
