package app

import (
	"context"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"sightline"
	"sightline/internal/auth"
)

// passwordWait bounds how long a request waits for a turn to hash a
// password before it is turned away.
const passwordWait = 10 * time.Second

// passwordSlots is how many passwords are hashed at once: argon2id takes
// 12 MiB and a core for tens of milliseconds per hash, so more at once
// only raises the memory peak (20 concurrent sign-ins would hold 240 MiB)
// without finishing sooner.
func passwordSlots() int { return max(1, runtime.GOMAXPROCS(0)) }

// errPasswordBusy is what a request gets when its turn to hash a password
// did not come within passwordWait.
var errPasswordBusy = sightline.Errorf(sightline.EBUSY, "Too many sign-ins are being checked right now. Try again in a few seconds.")

// withPasswordSlot runs work, which hashes a password, once one of the
// password slots is free; it gives up with errPasswordBusy after
// a.passwordWait, or with the context's error.
func (a *App) withPasswordSlot(ctx context.Context, work func()) error {
	t := time.NewTimer(a.passwordWait)
	defer t.Stop()
	select {
	case a.passwords <- struct{}{}:
	case <-t.C:
		return errPasswordBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	a.hashMemory.beforeHash()
	defer func() {
		<-a.passwords
		a.hashMemory.afterHash(len(a.passwords))
	}()
	work()
	return nil
}

// hashMemory keeps the memory that password hashes take from piling up.
// Each argon2id hash allocates a 12 MiB buffer that is garbage the moment
// the hash is done. Left to itself the garbage collector sets its next goal
// at twice the heap it last found live, which during a burst of sign-ins
// holds one buffer per busy slot, so the heap swells by several buffers
// before any is freed (20 concurrent sign-ins peaked 60 MiB above an idle
// server). Instead, a hash that starts while an earlier one's buffer is
// still uncollected first runs a collection, so that its buffer takes the
// place of the freed one; and once the last running hash is done, the
// freed memory goes back to the system in the background, so that a server
// idling after a burst is small again. A collection costs a few
// milliseconds against the tens a hash takes; giving memory back costs a
// collection of the whole heap, so it happens at most every
// hashReleaseEvery, and the runtime returns the rest in its own time.
//
// Its zero value is ready for use.
type hashMemory struct {
	mu sync.Mutex
	// garbage counts finished hashes whose buffers no collection has
	// reclaimed yet.
	garbage int
	// releasing is true while a background release runs; released is
	// when the last one began.
	releasing bool
	released  time.Time
	// background tracks the background release, for tests.
	background sync.WaitGroup
	// collect, when set, replaces collectGarbage (for tests).
	collect func(release bool)
}

// hashReleaseEvery spaces the releases of hashMemory, so that a server
// with a large heap and a steady trickle of sign-ins does not collect the
// whole heap for each one.
const hashReleaseEvery = 10 * time.Second

// beforeHash collects the buffers of finished hashes, if any, before a new
// hash allocates its own.
func (m *hashMemory) beforeHash() {
	m.mu.Lock()
	pending := m.garbage > 0
	m.garbage = 0
	run := m.collector()
	m.mu.Unlock()
	if pending {
		run(false)
	}
}

// afterHash records a finished hash, busy being how many others still run;
// when none does, it returns the freed memory to the system in the
// background.
func (m *hashMemory) afterHash(busy int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.garbage++
	if busy > 0 || m.releasing || time.Since(m.released) < hashReleaseEvery {
		return
	}
	m.garbage, m.releasing, m.released = 0, true, time.Now()
	run := m.collector()
	m.background.Go(func() {
		run(true)
		m.mu.Lock()
		m.releasing = false
		m.mu.Unlock()
	})
}

func (m *hashMemory) collector() func(release bool) {
	if m.collect != nil {
		return m.collect
	}
	return collectGarbage
}

// collectGarbage runs a garbage collection and, with release, returns the
// freed memory to the system.
func collectGarbage(release bool) {
	if release {
		debug.FreeOSMemory()
		return
	}
	runtime.GC()
}

// hashPassword hashes a new password in a password slot.
func (a *App) hashPassword(ctx context.Context, password string) (string, error) {
	var hash string
	var herr error
	if err := a.withPasswordSlot(ctx, func() { hash, herr = auth.HashPassword(password) }); err != nil {
		return "", err
	}
	if herr != nil {
		return "", sightline.Internal(herr)
	}
	return hash, nil
}

// checkPassword checks a password against its stored hash in a password
// slot; an empty hash costs what a real check costs and never matches.
func (a *App) checkPassword(ctx context.Context, hash, password string) (ok bool, hashErr, err error) {
	err = a.withPasswordSlot(ctx, func() {
		if hash == "" {
			auth.DummyCheck(password)
			return
		}
		ok, hashErr = auth.CheckPassword(hash, password)
	})
	return ok, hashErr, err
}
