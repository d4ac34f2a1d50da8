package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"sightline"
	"sightline/internal/appdb"
	"sightline/internal/sampledata"
)

// TestServeResumesInterruptedSync leaves a database as a crash during its
// first metadata sync does (status "syncing", no tables), starts the
// server, and checks that the sync runs again to completion.
func TestServeResumesInterruptedSync(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t)
	file := filepath.Join(t.TempDir(), "shop.db")
	if err := sampledata.WriteSQLite(ctx, file, sampledata.Options{Anchor: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Scale: 1}); err != nil {
		t.Fatal(err)
	}
	db, err := appdb.Open(ctx, appdb.Options{Path: cfg.AppDBPath()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	shop := &sightline.Database{Name: "Shop", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: file}}
	if err := db.CreateDatabase(ctx, shop); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSyncState(ctx, shop.ID, "syncing", "table 3 of 8: ORDERS", "", time.Time{}); err != nil {
		t.Fatal(err)
	}

	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(sctx, cfg, func(string) string { return "" }, io.Discard, ready) }()
	<-ready
	var d *sightline.Database
	var tables []sightline.Table
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if d, err = db.Database(ctx, shop.ID); err != nil {
			t.Fatal(err)
		}
		if d.SyncStatus == "syncing" {
			continue
		}
		if tables, err = db.Tables(ctx, shop.ID); err != nil {
			t.Fatal(err)
		}
		break
	}
	stopServe(t, cancel, done)
	if d.SyncStatus != "complete" || len(tables) != len(sampledata.Tables()) {
		t.Errorf("after start the database is %q (%q, error %q) with %d tables, want complete with %d",
			d.SyncStatus, d.SyncProgress, d.LastSyncError, len(tables), len(sampledata.Tables()))
	}
}
