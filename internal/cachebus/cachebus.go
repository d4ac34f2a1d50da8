// Package cachebus lets several Sightline instances that share one app
// database share what they cache, too. It has two parts: a bus over which
// an instance tells the others that sessions, permissions, settings,
// metadata or content changed, so that they drop what they cached at once
// instead of waiting for it to expire; and a store of encoded query
// results that every instance reads and writes (see Redis).
//
// Without a bus each instance keeps its caches to itself and trusts them
// only for a few seconds, so that changes made on another instance show
// soon enough. With one, an instance may trust its caches longer while it
// hears the bus, and falls back to the short lifetimes whenever it does
// not.
package cachebus

import (
	"context"
	"sync"
)

// Kind says what changed.
type Kind string

// The kinds of change the bus carries.
const (
	// Session: one session ended; Key is its token's hash.
	Session Kind = "session"
	// UserSessions: a person's sessions changed (signed out everywhere,
	// deactivated, new groups or attributes); ID is the person.
	UserSessions Kind = "user"
	// Sessions: every cached session may be wrong.
	Sessions Kind = "sessions"
	// Permissions: the permission graph, sandboxes, memberships or the
	// collection tree (a collection created or moved).
	Permissions Kind = "permissions"
	// Settings: a stored setting.
	Settings Kind = "settings"
	// Metadata: a database's connection, tables or fields (a sync, an
	// edit); ID is the database.
	Metadata Kind = "metadata"
	// Content: a dashboard, question or public link.
	Content Kind = "content"
	// Everything: a change may have gone unheard; drop every cache.
	Everything Kind = "everything"
)

// Event is one change.
type Event struct {
	Kind Kind   `json:"k"`
	ID   int64  `json:"i,omitempty"`
	Key  string `json:"s,omitempty"`
}

// Bus carries events between instances.
type Bus interface {
	// Publish tells the other instances about a change this one made.
	// It does not fail: a change that cannot be told is told as
	// Everything once the bus carries messages again.
	Publish(ctx context.Context, e Event)
	// Listen calls on with every other instance's events until ctx ends.
	// live is called with true once events are heard and with false as
	// soon as they may no longer be (the connection dropped or went
	// quiet); while not live, an instance must not trust its caches
	// longer than it would without a bus.
	Listen(ctx context.Context, on func(Event), live func(bool))
}

// Hub is an in-process bus: the instances it joins live in one process
// (tests, or several apps in one binary). Its members hear each other at
// once and are always live.
type Hub struct {
	mu      sync.Mutex
	members map[*member]func(Event)
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{members: map[*member]func(Event){}} }

// Join returns a new member of the hub, for one instance.
func (h *Hub) Join() Bus { return &member{hub: h} }

type member struct{ hub *Hub }

func (m *member) Publish(_ context.Context, e Event) {
	m.hub.mu.Lock()
	var others []func(Event)
	for o, on := range m.hub.members {
		if o != m {
			others = append(others, on)
		}
	}
	m.hub.mu.Unlock()
	for _, on := range others {
		on(e)
	}
}

func (m *member) Listen(ctx context.Context, on func(Event), live func(bool)) {
	m.hub.mu.Lock()
	m.hub.members[m] = on
	m.hub.mu.Unlock()
	live(true)
	<-ctx.Done()
	m.hub.mu.Lock()
	delete(m.hub.members, m)
	m.hub.mu.Unlock()
	live(false)
}
