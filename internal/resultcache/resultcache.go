// Package resultcache keeps query results in memory for a short time, so
// that many viewers of the same embedded item cost one query per card per
// interval. An entry is keyed by everything that decides a result: the
// database, the compiled SQL, its bound arguments (which carry a static
// embed's locked values, so two tenants never share an entry) and the
// report time zone. Entries expire after their own TTL, the cache is
// bounded in bytes and drops the least recently used entries first,
// results larger than a per-entry limit are never kept, and concurrent
// loads of one key run once.
//
// The cache only remembers results: every caller still decides, before
// asking it, whether it may run the query at all.
package resultcache

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Key names one result.
type Key struct {
	Database int64
	SQL      string
	Args     []any
	Zone     string
	// MaxRows is the row cap the result was read with.
	MaxRows int
}

// entryKey is a Key as a comparable value: its arguments are written with
// their types, so 1 (a number) and "1" (text) never meet.
type entryKey struct {
	db   int64
	text string
}

func (k Key) entryKey() entryKey {
	var b strings.Builder
	b.WriteString(strconv.Quote(k.Zone))
	b.WriteByte(0)
	b.WriteString(strconv.Itoa(k.MaxRows))
	b.WriteByte(0)
	b.WriteString(k.SQL)
	for _, a := range k.Args {
		b.WriteByte(0)
		writeArg(&b, a)
	}
	return entryKey{db: k.Database, text: b.String()}
}

func writeArg(b *strings.Builder, a any) {
	switch v := a.(type) {
	case nil:
		b.WriteString("nil")
	case string:
		b.WriteString("s")
		b.WriteString(strconv.Quote(v))
	case []byte:
		b.WriteString("b")
		b.WriteString(strconv.Quote(string(v)))
	case time.Time:
		b.WriteString("t")
		b.WriteString(v.Format(time.RFC3339Nano))
		b.WriteString(v.Location().String())
	case float64:
		b.WriteString("f")
		b.WriteString(strconv.FormatUint(math.Float64bits(v), 16))
	default:
		fmt.Fprintf(b, "%T:%#v", v, v)
	}
}

// Stats counts what the cache did.
type Stats struct {
	Hits, Misses, Loads, Shared, Evictions int64
	Entries                                int
	Bytes                                  int64
}

// Cache is a result cache holding values of type V.
type Cache[V any] struct {
	maxBytes, maxEntry int64
	now                func() time.Time

	mu    sync.Mutex
	used  int64
	lru   *list.List // of *entry[V], most recent first
	items map[entryKey]*list.Element
	calls map[entryKey]*call[V]
	// gens counts the invalidations of each database, so that a load
	// begun before one is not stored after it.
	gens  map[int64]uint64
	stats Stats
}

type entry[V any] struct {
	key     entryKey
	val     V
	size    int64
	expires time.Time
}

type call[V any] struct {
	done chan struct{}
	val  V
	err  error
}

// New returns a cache holding up to maxBytes of results, none larger than
// maxEntry bytes. now is the clock (time.Now when nil).
func New[V any](maxBytes, maxEntry int64, now func() time.Time) *Cache[V] {
	if now == nil {
		now = time.Now
	}
	return &Cache[V]{maxBytes: maxBytes, maxEntry: min(maxEntry, maxBytes), now: now, lru: list.New(),
		items: map[entryKey]*list.Element{}, calls: map[entryKey]*call[V]{}, gens: map[int64]uint64{}}
}

// Policy decides how one call uses the cache.
type Policy[V any] struct {
	// TTL says how long a value this call loaded is kept, from the value
	// and its size in bytes; 0 or less keeps nothing.
	TTL func(v V, size int64) time.Duration
	// Refresh skips any stored value and in-flight load: the call loads
	// for itself and its value replaces the stored one.
	Refresh bool
}

// Get returns the result for k: a stored one younger than its TTL, or the
// one a concurrent caller is loading, or else it calls load and stores
// what it returns (the value and its size in bytes) for ttl. Errors are
// never stored. hit reports whether load was not called by this caller.
// A caller waiting for another's load whose request was cancelled loads
// for itself.
func (c *Cache[V]) Get(ctx context.Context, k Key, ttl time.Duration, load func() (V, int64, error)) (v V, hit bool, err error) {
	return c.GetPolicy(ctx, k, Policy[V]{TTL: func(V, int64) time.Duration { return ttl }}, load)
}

// GetPolicy is Get with the TTL decided after the load, and an optional
// refresh.
func (c *Cache[V]) GetPolicy(ctx context.Context, k Key, p Policy[V], load func() (V, int64, error)) (v V, hit bool, err error) {
	ek := k.entryKey()
	c.mu.Lock()
	if el, ok := c.items[ek]; ok {
		e := el.Value.(*entry[V])
		if !p.Refresh && c.now().Before(e.expires) {
			c.lru.MoveToFront(el)
			c.stats.Hits++
			c.mu.Unlock()
			return e.val, true, nil
		}
		c.remove(el)
	}
	if cl, ok := c.calls[ek]; ok && !p.Refresh {
		c.stats.Shared++
		c.mu.Unlock()
		return join(ctx, cl, load)
	}
	c.stats.Misses++
	cl := &call[V]{done: make(chan struct{})}
	// A refresh leaves a load already under way to its own waiters.
	own := c.calls[ek] == nil
	if own {
		c.calls[ek] = cl
	}
	gen := c.gens[ek.db]
	c.mu.Unlock()

	val, size, err := load()
	var ttl time.Duration
	if err == nil && p.TTL != nil {
		ttl = p.TTL(val, size)
	}
	size += int64(len(ek.text))

	c.mu.Lock()
	if own {
		delete(c.calls, ek)
	}
	c.stats.Loads++
	if err == nil && ttl > 0 && size <= c.maxEntry && c.gens[ek.db] == gen {
		if el, ok := c.items[ek]; ok {
			c.remove(el)
		}
		c.items[ek] = c.lru.PushFront(&entry[V]{key: ek, val: val, size: size, expires: c.now().Add(ttl)})
		c.used += size
		for c.used > c.maxBytes {
			c.remove(c.lru.Back())
			c.stats.Evictions++
		}
	}
	c.mu.Unlock()
	cl.val, cl.err = val, err
	close(cl.done)
	return val, false, err
}

// remove drops an entry; c.mu is held.
func (c *Cache[V]) remove(el *list.Element) {
	e := el.Value.(*entry[V])
	c.lru.Remove(el)
	delete(c.items, e.key)
	c.used -= e.size
}

// DropDatabase forgets every result of database db, and any load of one
// under way: its data or its description changed.
func (c *Cache[V]) DropDatabase(db int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gens[db]++
	for el := c.lru.Front(); el != nil; {
		next := el.Next()
		if el.Value.(*entry[V]).key.db == db {
			c.remove(el)
		}
		el = next
	}
}

// Stats returns the cache's counters.
func (c *Cache[V]) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Entries, s.Bytes = len(c.items), c.used
	return s
}

// join waits for the load another caller started for the same entry and
// answers with its result. When that load ended because its own caller's
// context was cancelled or timed out, which says nothing about this
// caller, this caller loads for itself.
func join[V any](ctx context.Context, cl *call[V], load func() (V, int64, error)) (V, bool, error) {
	select {
	case <-cl.done:
	case <-ctx.Done():
		var zero V
		return zero, false, ctx.Err()
	}
	if cl.err == nil || !errors.Is(cl.err, context.Canceled) && !errors.Is(cl.err, context.DeadlineExceeded) {
		return cl.val, true, cl.err
	}
	v, _, err := load()
	return v, false, err
}
