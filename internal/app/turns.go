package app

import (
	"context"
	"sync"
	"time"

	"sightline"
)

// turns counts the questions each person runs at once on this instance, so
// that one person (or one script with their session) firing hundreds of
// requests cannot hold every connection of a database while other people
// wait: past the max-queries-per-person setting, a question waits for one
// of that person's own to finish, up to query-queue-timeout seconds.
type turns struct {
	mu      sync.Mutex
	running map[int64]int
	// freed is closed, and forgotten, when one of a person's questions
	// ends, waking those of theirs that wait.
	freed map[int64]chan struct{}
}

// take waits until person runs fewer than limit questions and counts one
// more; done gives it back. It gives up after wait with an ETOOMANY error,
// or when ctx ends with ctx's error.
func (t *turns) take(ctx context.Context, person int64, limit int, wait time.Duration) (done func(), err error) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		t.mu.Lock()
		if t.running[person] < limit {
			t.running[person]++
			t.mu.Unlock()
			return func() { t.give(person) }, nil
		}
		freed := t.freed[person]
		if freed == nil {
			freed = make(chan struct{})
			t.freed[person] = freed
		}
		t.mu.Unlock()
		select {
		case <-freed:
		case <-timer.C:
			return nil, sightline.Errorf(sightline.ETOOMANY,
				"You have %d questions running already, and this one waited %s for one of them to finish. Try again when they are done.", limit, wait)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// give ends one of person's questions.
func (t *turns) give(person int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.running[person]--; t.running[person] <= 0 {
		delete(t.running, person)
	}
	if freed := t.freed[person]; freed != nil {
		close(freed)
		delete(t.freed, person)
	}
}

// turn waits for person's turn to run a question on one of their
// databases, per the max-queries-per-person and query-queue-timeout
// settings. Requests that run as no person (static embeds and public
// links, person 0) are bounded by each database's pool alone.
func (a *App) turn(ctx context.Context, person int64) (done func(), err error) {
	limit := a.intSetting(ctx, sightline.SettingMaxQueriesPerPerson)
	if person == 0 || limit <= 0 {
		return func() {}, nil
	}
	wait := time.Duration(max(a.intSetting(ctx, sightline.SettingQueryQueueTimeout), 0)) * time.Second
	return a.turns.take(ctx, person, limit, wait)
}
