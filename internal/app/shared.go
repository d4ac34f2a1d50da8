package app

import (
	"context"
	"maps"
	"sync/atomic"
	"time"

	"sightline/internal/cachebus"
	"sightline/internal/resultcache"
)

// liveTTL is how long an instance trusts what it cached from the app
// database (sessions, permissions, settings, metadata, dashboards) while
// it hears the cache bus: every change on another instance arrives as an
// event and drops the cached copy at once, so the lifetime only bounds
// the memory of entries nobody asks for. Without the bus, or while it is
// not heard, the short lifetimes of each cache apply (sessionTTL,
// permTTL, settingsTTL, metaTTL, dashTTL).
const liveTTL = 5 * time.Minute

// freshness decides how long cached app-database reads are trusted.
type freshness struct {
	// live is true while the instance hears the cache bus.
	live atomic.Bool
}

// ttl is short, or liveTTL while the bus is heard. A nil freshness (no
// bus) is always short.
func (f *freshness) ttl(short time.Duration) time.Duration {
	if f != nil && f.live.Load() {
		return max(short, liveTTL)
	}
	return short
}

// resultStore is where RunQuery keeps results: in process
// (resultcache.Cache) or shared by every instance (resultcache.Shared).
type resultStore interface {
	GetPolicy(ctx context.Context, k resultcache.Key, p resultcache.Policy[*Result], load func() (*Result, int64, error)) (*Result, bool, error)
	DropDatabase(db int64)
	Stats() resultcache.Stats
}

// newResultStore returns the shared store over remote, or an in-process
// cache when remote is nil.
func newResultStore(o Options) resultStore {
	if o.SharedResults != nil {
		return resultcache.NewShared(o.SharedResults, resultCodec, resultCacheEntryBytes, o.Logger)
	}
	return resultcache.New[*Result](resultCacheBytes, resultCacheEntryBytes, o.Now)
}

// listen applies the other instances' changes while the app is open.
func (a *App) listen() {
	if a.bus == nil {
		return
	}
	a.Go(func(ctx context.Context) {
		a.bus.Listen(ctx, a.apply, a.setLive)
	})
}

// setLive records whether the bus is heard. Either way every cache is
// emptied: on losing the bus, because the copies were trusted for
// liveTTL; on hearing it again, because changes made while it was not
// heard were never told. Flipping live first means a load still under
// way is not kept (the caches' generations move on) and the next one is
// trusted for the right time.
func (a *App) setLive(live bool) {
	a.fresh.live.Store(live)
	a.apply(cachebus.Event{Kind: cachebus.Everything})
	switch {
	case a.life.Err() != nil:
		// Closing: nothing to say.
	case live:
		a.log.Info("cache bus heard: caches are shared with the other instances")
	default:
		a.log.Warn("cache bus not heard: caches fall back to short lifetimes")
	}
}

// changed applies a change made on this instance and tells the others.
func (a *App) changed(e cachebus.Event) {
	a.apply(e)
	if e.Kind == cachebus.Metadata {
		// Cached results were read under the old description or data;
		// a shared store drops them for every instance.
		a.results.DropDatabase(e.ID)
	}
	if a.bus != nil {
		a.bus.Publish(a.life, e)
	}
}

// apply drops what a change makes stale in this instance's caches.
func (a *App) apply(e cachebus.Event) {
	switch e.Kind {
	case cachebus.Session:
		a.sessions.mu.Lock()
		delete(a.sessions.entries, e.Key)
		a.sessions.gen++
		a.sessions.mu.Unlock()
	case cachebus.UserSessions:
		a.sessions.mu.Lock()
		maps.DeleteFunc(a.sessions.entries, func(_ string, s cachedSession) bool { return s.user.ID == e.ID })
		a.sessions.gen++
		a.sessions.mu.Unlock()
	case cachebus.Sessions:
		a.dropSessions()
	case cachebus.Permissions:
		a.dropPermissions()
	case cachebus.Settings:
		a.settings.forget()
	case cachebus.Metadata:
		a.metaCache.mu.Lock()
		delete(a.metaCache.entries, e.ID)
		a.metaCache.gen++
		a.metaCache.mu.Unlock()
		// A sync or a removed database may have removed questions too.
		a.dashes.forgetAll()
	case cachebus.Content:
		a.dashes.forgetAll()
	default: // Everything, or a kind this version does not know
		a.dropSessions()
		a.dropPermissions()
		a.settings.forget()
		a.metaCache.mu.Lock()
		clear(a.metaCache.entries)
		a.metaCache.gen++
		a.metaCache.mu.Unlock()
		a.dashes.forgetAll()
	}
}

// dropSessions empties the session cache.
func (a *App) dropSessions() {
	a.sessions.mu.Lock()
	a.sessions.entries = nil
	a.sessions.gen++
	a.sessions.mu.Unlock()
	// Dashboards name the people who made them.
	a.dashes.forgetAll()
}

// dropPermissions empties the permission cache.
func (a *App) dropPermissions() {
	a.perms.mu.Lock()
	a.perms.snap = nil
	a.perms.gen++
	a.perms.mu.Unlock()
	a.dashes.forgetAll()
	a.perms.colMu.Lock()
	a.perms.columns = nil
	a.perms.colMu.Unlock()
}

// CacheBusLive reports whether this instance hears the other instances'
// changes through the cache bus (always false without one).
func (a *App) CacheBusLive() bool { return a.fresh.live.Load() }
