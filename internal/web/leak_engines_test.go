package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"sightline"
	"sightline/internal/app"
	"sightline/internal/sampledata"
	"sightline/internal/testdb"
)

// leakAnchor is the anchor date of the shared Sample Database file
// (sharedSampleDir), so that every engine holds exactly the same rows.
var leakAnchor = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

// leakEngine is one engine the leak matrix runs on. sample puts the Sample
// Database's data on that engine, registers it in e and returns its id.
type leakEngine struct {
	name   string
	sample func(t *testing.T, e *testEnv) int64
}

// leakEngines lists SQLite (the bundled Sample Database) and the same data
// loaded into PostgreSQL and MariaDB; those two skip when their server is
// missing, and fail under CI=true.
func leakEngines() []leakEngine {
	return []leakEngine{
		{"sqlite", sqliteLeakSample},
		{"postgres", postgresLeakSample},
		{"mariadb", mariadbLeakSample},
	}
}

// sqliteLeakSample registers the bundled Sample Database.
func sqliteLeakSample(t *testing.T, e *testEnv) int64 {
	t.Helper()
	e.withSample()
	dbs, err := e.app.Databases(context.Background(), e.adminUser())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dbs {
		if d.IsSample {
			return d.ID
		}
	}
	t.Fatal("no Sample Database after registering it")
	return 0
}

// postgresLeakSample loads the Sample Database into a fresh PostgreSQL
// database and registers it.
func postgresLeakSample(t *testing.T, e *testEnv) int64 {
	t.Helper()
	pg := testdb.Postgres(t)
	if err := sampledata.LoadURL(context.Background(), pg.URL, sampledata.Options{Anchor: leakAnchor, Scale: 1}, nil); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatalf("port of %s: %v", pg.URL, err)
	}
	return addLeakSample(t, e, app.DatabaseInput{Name: "Sample on PostgreSQL", Engine: sightline.EnginePostgres,
		Details: sightline.DatabaseDetails{Host: u.Hostname(), Port: port, DBName: pg.Name, User: u.User.Username(), SSLMode: "disable"}})
}

// mariadbLeakSample loads the Sample Database into a fresh MariaDB database
// and registers it.
func mariadbLeakSample(t *testing.T, e *testEnv) int64 {
	t.Helper()
	my := testdb.MySQL(t)
	if err := sampledata.LoadURL(context.Background(), my.URL, sampledata.Options{Anchor: leakAnchor, Scale: 1}, nil); err != nil {
		t.Fatal(err)
	}
	return addLeakSample(t, e, app.DatabaseInput{Name: "Sample on MariaDB", Engine: sightline.EngineMySQL,
		Details: sightline.DatabaseDetails{Host: my.Host, Port: my.Port, DBName: my.Name, User: my.User}})
}

// addLeakSample registers a server database through the app, next to the
// bundled Sample Database so that its id is not 1, and waits for its
// metadata sync.
func addLeakSample(t *testing.T, e *testEnv, in app.DatabaseInput) int64 {
	t.Helper()
	ctx := context.Background()
	e.withSample()
	d, err := e.app.AddDatabase(ctx, e.adminUser(), in)
	if err != nil {
		t.Fatal(err)
	}
	// AddDatabase syncs in the background; a second sync waits for it.
	if err := e.app.SyncDatabase(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if d.ID == 1 {
		t.Fatalf("%s registered as database 1, want another id so that a hard-coded 1 shows", in.Name)
	}
	return d.ID
}
