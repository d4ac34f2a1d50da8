package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"sightline/internal/appdb"
	"sightline/internal/sampledata"
)

// TestResumeSyncs leaves databases in each state a process can leave
// behind and checks that ResumeSyncs syncs exactly the unfinished ones.
func TestResumeSyncs(t *testing.T) {
	ctx := context.Background()
	a, db, states, _ := newSyncApp(t)
	path := filepath.Join(t.TempDir(), "sample.db")
	if err := sampledata.WriteSQLite(ctx, path, sampledata.Options{Anchor: sampleAnchor}); err != nil {
		t.Fatal(err)
	}
	done := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name       string
		status     string
		finished   time.Time
		wantResync bool
	}{
		{"interrupted", SyncRunning, time.Time{}, true},
		{"interrupted after an earlier sync", SyncRunning, done, true},
		{"never synced", "", time.Time{}, true},
		{"complete", SyncComplete, done, false},
		{"failed", SyncFailed, done, false},
	}
	ids := make([]int64, len(tests))
	for i, tt := range tests {
		d := registerSQLite(t, db, tt.name, path)
		if err := db.SetSyncState(ctx, d.ID, tt.status, "", "", tt.finished); err != nil {
			t.Fatal(err)
		}
		ids[i] = d.ID
	}
	before := make([]int, len(tests))
	for i, id := range ids {
		before[i] = len(states.of(id))
	}
	a.ResumeSyncs(ctx)
	for i, tt := range tests {
		resynced := len(states.of(ids[i])) > before[i]
		if resynced != tt.wantResync {
			t.Errorf("%s: synced again = %v, want %v", tt.name, resynced, tt.wantResync)
		}
		if !tt.wantResync {
			continue
		}
		checkSynced(t, db, ids[i])
		tables, err := db.Tables(ctx, ids[i])
		if err != nil || len(tables) != len(sampledata.Tables()) {
			t.Errorf("%s: %d tables after ResumeSyncs (%v), want %d", tt.name, len(tables), err, len(sampledata.Tables()))
		}
	}
}

// stopOnSync is a MetadataStore that stops its app as soon as a sync has
// started, as a shutdown in the middle of a sync does.
type stopOnSync struct {
	MetadataStore
	stop func()
}

func (s *stopOnSync) SetSyncState(ctx context.Context, id int64, status, progress, lastError string, finished time.Time) error {
	err := s.MetadataStore.SetSyncState(ctx, id, status, progress, lastError, finished)
	if status == SyncRunning {
		s.stop()
	}
	return err
}

// TestSyncCutShortByShutdownResumes stops the app during a first sync and
// starts another over the same app database: the sync is left marked as
// running, not failed, and the next start completes it.
func TestSyncCutShortByShutdownResumes(t *testing.T) {
	ctx := context.Background()
	db, err := appdb.Open(ctx, appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	path := filepath.Join(t.TempDir(), "sample.db")
	if err := sampledata.WriteSQLite(ctx, path, sampledata.Options{Anchor: sampleAnchor}); err != nil {
		t.Fatal(err)
	}
	d := registerSQLite(t, db, "Sample", path)

	first := New(Options{Store: db, Content: db, Search: db})
	first.meta = &stopOnSync{MetadataStore: db, stop: first.stop}
	done := make(chan struct{})
	first.Go(func(ctx context.Context) {
		defer close(done)
		if err := first.SyncDatabase(ctx, d.ID); err == nil {
			t.Error("SyncDatabase during shutdown = nil, want the cancellation")
		}
	})
	<-done
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := db.Database(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SyncStatus != SyncRunning || got.LastSyncError != "" {
		t.Fatalf("after a shutdown mid-sync the database is %q (error %q), want %q for the next start", got.SyncStatus, got.LastSyncError, SyncRunning)
	}

	next := New(Options{Store: db, Meta: db, Content: db, Search: db})
	t.Cleanup(func() { next.Close() })
	next.ResumeSyncs(ctx)
	checkSynced(t, db, d.ID)
}
