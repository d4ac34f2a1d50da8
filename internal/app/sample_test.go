package app

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/appdb"
	"sightline/internal/sampledata"
)

// registerSQLite registers the SQLite file at path without syncing it.
func registerSQLite(t *testing.T, db *appdb.DB, name, path string) *sightline.Database {
	t.Helper()
	d := &sightline.Database{Name: name, Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}}
	if err := db.CreateDatabase(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}

// writeSQLite runs statements in the SQLite file at path, creating it,
// waiting while a sync reads it.
func writeSQLite(t *testing.T, path string, stmts ...string) {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range stmts {
		if _, err := conn.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestSyncLeavesOutSampleInfo syncs a database holding sightline sample's
// record table: only the data tables are synced.
func TestSyncLeavesOutSampleInfo(t *testing.T) {
	a, db, admin := newTestApp(t)
	path := filepath.Join(t.TempDir(), "loaded.db")
	writeSQLite(t, path, "CREATE TABLE ORDERS (ID INTEGER PRIMARY KEY, TOTAL DECIMAL(10,2))",
		"CREATE TABLE "+sampledata.InfoTable+" (ID INTEGER PRIMARY KEY, ANCHOR VARCHAR(10), SCALE INTEGER, GENERATOR_VERSION INTEGER)",
		"INSERT INTO "+sampledata.InfoTable+" VALUES (1, '2026-01-15', 1, 1)")
	d := registerSQLite(t, db, "Loaded", path)
	if err := a.SyncDatabase(context.Background(), d.ID); err != nil {
		t.Fatal(err)
	}
	tables, err := a.AdminTables(context.Background(), admin, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Name)
	}
	if diff := cmp.Diff([]string{"ORDERS"}, names); diff != "" {
		t.Errorf("synced tables (-want +got):\n%s", diff)
	}
}
