package app

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"sightline"
	"sightline/internal/auth"
	"sightline/internal/cachebus"
)

// sessionTTL bounds how long an instance trusts a session it has looked
// up. A page and its dashboard cards arrive as a burst of requests with one
// session, so the burst costs one app-database lookup instead of one per
// card. Sign-out, deactivation, password resets and changes to a person's
// attributes or groups on this instance drop the cached sessions at once;
// on another instance sharing the app database they take effect within
// sessionTTL, like permission changes (permTTL), or at once when the
// instances share a cache bus (see liveTTL).
const sessionTTL = 5 * time.Second

// maxCachedSessions bounds the session cache; when it is full, expired
// entries are dropped, and if none are, the whole cache.
const maxCachedSessions = 10_000

// sessionCache maps a token hash to the session and user it names.
type sessionCache struct {
	mu      sync.Mutex
	entries map[string]cachedSession
	// gen counts invalidations (see permCache.gen): a sign-out during a
	// look-up is never undone by the look-up's result.
	gen  uint64
	load flights[sessionKey, cachedSession]
}

type sessionKey struct {
	hash string
	gen  uint64
}

type cachedSession struct {
	sess   sightline.Session
	user   sightline.User
	loaded time.Time
}

// Authenticate returns the session and user for a session token. Each call
// gets its own copies, which it may change.
func (a *App) Authenticate(ctx context.Context, token string) (*sightline.Session, *sightline.User, error) {
	if token == "" {
		return nil, nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	key := auth.HashToken(token)
	now := a.now()
	a.sessions.mu.Lock()
	e, ok := a.sessions.entries[key]
	gen := a.sessions.gen
	a.sessions.mu.Unlock()
	ttl := a.fresh.ttl(sessionTTL)
	if !ok || now.Sub(e.loaded) >= ttl || !now.Before(e.sess.ExpiresAt) {
		var err error
		e, err = a.sessions.load.do(ctx, a.life, sessionKey{key, gen}, func(ctx context.Context) (cachedSession, error) {
			s, u, err := a.store.SessionUser(ctx, key)
			if err != nil {
				return cachedSession{}, err
			}
			e := cachedSession{sess: *s, user: cloneUser(*u), loaded: now}
			a.sessions.mu.Lock()
			if a.sessions.gen == gen {
				if a.sessions.entries == nil || len(a.sessions.entries) >= maxCachedSessions {
					a.sessions.entries = pruneSessions(a.sessions.entries, now, ttl)
				}
				a.sessions.entries[key] = e
			}
			a.sessions.mu.Unlock()
			return e, nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	s, u := e.sess, cloneUser(e.user)
	return &s, &u, nil
}

// pruneSessions drops expired entries, or all of them when none expired.
func pruneSessions(m map[string]cachedSession, now time.Time, ttl time.Duration) map[string]cachedSession {
	if m == nil {
		return map[string]cachedSession{}
	}
	maps.DeleteFunc(m, func(_ string, e cachedSession) bool { return now.Sub(e.loaded) >= ttl })
	if len(m) >= maxCachedSessions {
		return map[string]cachedSession{}
	}
	return m
}

// forgetSessions drops every cached session, here and on the other
// instances, after a change to who may be signed in or to what a
// signed-in person is (groups, attributes, names).
func (a *App) forgetSessions() {
	a.changed(cachebus.Event{Kind: cachebus.Sessions})
}

// cloneUser copies u deeply enough that the copy's maps and groups can be
// changed without touching u.
func cloneUser(u sightline.User) sightline.User {
	u.LoginAttributes = maps.Clone(u.LoginAttributes)
	u.Attributes = maps.Clone(u.Attributes)
	u.Groups = slices.Clone(u.Groups)
	return u
}

// forgetUserSessions drops the cached sessions of one person, here and on
// the other instances.
func (a *App) forgetUserSessions(userID int64) {
	a.changed(cachebus.Event{Kind: cachebus.UserSessions, ID: userID})
}

// forgetSession drops the cached session of one token hash, here and on
// the other instances.
func (a *App) forgetSession(tokenHash string) {
	a.changed(cachebus.Event{Kind: cachebus.Session, Key: tokenHash})
}
