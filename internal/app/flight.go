package app

import (
	"context"
	"sync"
	"time"
)

// cacheLoadTimeout bounds one reload of a cache from the app database. The
// load runs apart from the request that started it, so it needs a bound of
// its own.
const cacheLoadTimeout = 30 * time.Second

// flights runs at most one load per key at a time: callers that ask for a
// key while its load runs wait for that load instead of starting their
// own, so that a cache entry expiring under many concurrent requests costs
// one app-database read, not one per request.
//
// The load runs in its own goroutine under a context that no caller owns
// (base, bounded by cacheLoadTimeout): a caller whose request is cancelled
// stops waiting and gets its context's error, while the load goes on for
// the others. Caches put a generation in the key and bump it when they are
// invalidated, so that a request arriving after a change never joins a
// load that started before it.
type flights[K comparable, V any] struct {
	mu    sync.Mutex
	calls map[K]*flight[V]
}

type flight[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// do returns the result of load for key, running it unless a load of key
// is already running.
func (f *flights[K, V]) do(ctx, base context.Context, key K, load func(ctx context.Context) (V, error)) (V, error) {
	if err := ctx.Err(); err != nil {
		var zero V
		return zero, err
	}
	f.mu.Lock()
	c, ok := f.calls[key]
	if !ok {
		c = &flight[V]{done: make(chan struct{})}
		if f.calls == nil {
			f.calls = map[K]*flight[V]{}
		}
		f.calls[key] = c
		go func() {
			lctx, cancel := context.WithTimeout(base, cacheLoadTimeout)
			defer cancel()
			c.v, c.err = load(lctx)
			f.mu.Lock()
			delete(f.calls, key)
			f.mu.Unlock()
			close(c.done)
		}()
	}
	f.mu.Unlock()
	select {
	case <-c.done:
		return c.v, c.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}
