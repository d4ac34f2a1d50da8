package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

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
