package web

import (
	"context"
	"html"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sightline"
	"sightline/internal/app"
)

// TestAdminDatabasesShowsSyncProgress checks Admin > Databases while a
// database syncs: it shows the step the sync has reached and reloads itself
// every few seconds; once the sync is over it shows the outcome and stops.
func TestAdminDatabasesShowsSyncProgress(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	ctx := context.Background()
	d := &sightline.Database{Name: "Shop", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: filepath.Join(t.TempDir(), "shop.db")}}
	if err := e.db.CreateDatabase(ctx, d); err != nil {
		t.Fatal(err)
	}
	const poll = `hx-get="/admin/databases" hx-trigger="every 2s"`
	steps := []struct {
		status, progress, lastError string
		shows                       string
		polls                       bool
	}{
		{app.SyncRunning, "reading tables", "", "Syncing… reading tables", true},
		{app.SyncRunning, "table 3 of 8: ORDERS", "", "Syncing… table 3 of 8: ORDERS", true},
		{app.SyncRunning, "reading field values 5 of 12", "", "Syncing… reading field values 5 of 12", true},
		{app.SyncComplete, "", "", "Complete", false},
		{app.SyncFailed, "", "Cannot reach the database.", "Failed: Cannot reach the database.", false},
	}
	for _, s := range steps {
		var finished time.Time
		if s.status != app.SyncRunning {
			finished = time.Now()
		}
		if err := e.db.SetSyncState(ctx, d.ID, s.status, s.progress, s.lastError, finished); err != nil {
			t.Fatal(err)
		}
		r := e.get(admin, "/admin/databases")
		body := html.UnescapeString(r.body)
		if r.status != http.StatusOK || !strings.Contains(body, s.shows) {
			t.Errorf("Admin > Databases while %s %q = %d, want it to show %q", s.status, s.progress, r.status, s.shows)
		}
		if got := strings.Contains(r.body, poll); got != s.polls {
			t.Errorf("Admin > Databases while %s %q reloads itself = %t, want %t", s.status, s.progress, got, s.polls)
		}
	}
}
