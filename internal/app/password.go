package app

import (
	"context"
	"runtime"
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
	defer func() { <-a.passwords }()
	work()
	return nil
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
