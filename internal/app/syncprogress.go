package app

import (
	"context"
	"sync"
	"time"

	"sightline/internal/datasource"
)

// syncProgressEvery is the least time between two writes of a running
// sync's progress, so that a sync of many tables costs at most a few
// app-database writes a second.
const syncProgressEvery = 250 * time.Millisecond

// progressRecorder records the step a running sync has reached as the
// database's sync progress. A step is written at once when the last write is
// at least every old; otherwise the latest step is written when that time
// has passed, so what Admin > Databases shows is never staler than every.
type progressRecorder struct {
	write func(progress string)
	every time.Duration

	mu        sync.Mutex
	latest    string // the step last reported
	written   string // the step last written
	lastWrite time.Time
	timer     *time.Timer // a write of latest to come, nil when none
	stopped   bool
}

// newProgressRecorder returns a recorder whose last write, just now, was
// written.
func newProgressRecorder(written string, every time.Duration, write func(string)) *progressRecorder {
	return &progressRecorder{write: write, every: every, latest: written, written: written, lastWrite: time.Now()}
}

// report records that the sync has reached step.
func (r *progressRecorder) report(step string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	r.latest = step
	if r.timer != nil {
		return
	}
	wait := r.every - time.Since(r.lastWrite)
	if wait <= 0 {
		r.flush()
		return
	}
	r.timer = time.AfterFunc(wait, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.timer = nil
		if !r.stopped {
			r.flush()
		}
	})
}

// flush writes the latest step if it is not written yet; r.mu is held.
func (r *progressRecorder) flush() {
	if r.latest == r.written {
		return
	}
	r.write(r.latest)
	r.written, r.lastWrite = r.latest, time.Now()
}

// stop ends the recording: once it returns, nothing more is written, so
// the sync's outcome written next cannot be overwritten by a late step.
func (r *progressRecorder) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = true
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
}

// recordSyncProgress starts recording the progress of a sync of database
// id, which has just been written as first.
func (a *App) recordSyncProgress(ctx context.Context, id int64, first string) *progressRecorder {
	return newProgressRecorder(first, a.progressEvery, func(progress string) {
		// A lost progress write only makes the display staler; the sync
		// goes on.
		if err := a.meta.SetSyncState(ctx, id, SyncRunning, progress, "", time.Time{}); err != nil && ctx.Err() == nil {
			a.log.Warn("record sync progress", "database", id, "err", err)
		}
	})
}

// reportTo adapts r to the datasource's progress reports.
func (r *progressRecorder) reportTo() func(datasource.Progress) {
	return func(p datasource.Progress) { r.report(p.String()) }
}
