package app

import (
	"context"
	"database/sql"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/appdb"
	"sightline/internal/cachebus"
	"sightline/internal/sampledata"
	"sightline/internal/testdb"
)

// userSQLite writes a small SQLite database of the user's and returns its path.
func userSQLite(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shop.db")
	if err := sampledata.WriteSQLite(context.Background(), path, sampledata.Options{Anchor: sampleAnchor}); err != nil {
		t.Fatal(err)
	}
	return path
}

func ptr[T any](v T) *T { return &v }

// storedDetails reads a connection's details as stored, password included.
func storedDetails(t *testing.T, db *appdb.DB, id int64) sightline.DatabaseDetails {
	t.Helper()
	d, err := db.Database(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	d.Details.PasswordSet = false
	return d.Details
}

func TestUpdateDatabaseKeepsWhatTheEditLeaves(t *testing.T) {
	a, db, admin := newTestApp(t)
	ctx := context.Background()
	path := userSQLite(t)
	start := sightline.DatabaseDetails{Path: path, Password: "s3cret", Options: "cache=private", MaxOpenConns: 4, QueryTimeoutMS: 30_000}
	with := func(f func(*sightline.DatabaseDetails)) sightline.DatabaseDetails {
		d := start
		f(&d)
		return d
	}
	tests := []struct {
		name string
		edit DatabaseEdit
		want sightline.DatabaseDetails
	}{
		{"name only", DatabaseEdit{Name: ptr("Renamed")}, start},
		{"what the form posts, password blank",
			DatabaseEdit{Name: ptr("Renamed again"), Engine: ptr(sightline.EngineSQLite), Details: DetailsEdit{Path: &path, Password: ptr("")}},
			start},
		{"new password", DatabaseEdit{Details: DetailsEdit{Password: ptr("n3w")}},
			with(func(d *sightline.DatabaseDetails) { d.Password = "n3w" })},
		{"limits", DatabaseEdit{Details: DetailsEdit{MaxOpenConns: ptr(7), QueryTimeoutMS: ptr(1500)}},
			with(func(d *sightline.DatabaseDetails) { d.MaxOpenConns, d.QueryTimeoutMS = 7, 1500 })},
		{"limits back to the defaults", DatabaseEdit{Details: DetailsEdit{MaxOpenConns: ptr(0), QueryTimeoutMS: ptr(0)}},
			with(func(d *sightline.DatabaseDetails) { d.MaxOpenConns, d.QueryTimeoutMS = 0, 0 })},
		{"options", DatabaseEdit{Details: DetailsEdit{Options: ptr("")}},
			with(func(d *sightline.DatabaseDetails) { d.Options = "" })},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := a.AddDatabase(ctx, admin, DatabaseInput{Name: "Shop " + itoa(int64(i)), Engine: sightline.EngineSQLite, Details: start})
			if err != nil {
				t.Fatal(err)
			}
			got, err := a.UpdateDatabase(ctx, admin, d.ID, tt.edit)
			if err != nil {
				t.Fatalf("UpdateDatabase(%s) = %v", tt.name, err)
			}
			if got.Details.Password != "" || !got.Details.PasswordSet {
				t.Errorf("UpdateDatabase returned password %q, set %v; want it hidden and set", got.Details.Password, got.Details.PasswordSet)
			}
			if tt.edit.Name != nil && got.Name != *tt.edit.Name {
				t.Errorf("name = %q, want %q", got.Name, *tt.edit.Name)
			}
			if diff := cmp.Diff(tt.want, storedDetails(t, db, d.ID)); diff != "" {
				t.Errorf("stored details after UpdateDatabase(%s) (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestDatabaseLimits(t *testing.T) {
	a, db, admin := newTestApp(t)
	ctx := context.Background()
	path := userSQLite(t)
	d, err := a.AddDatabase(ctx, admin, DatabaseInput{Name: "Shop", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}})
	if err != nil {
		t.Fatal(err)
	}
	const (
		poolRule    = "The connection pool size must be between 1 and 100 connections; leave it empty for the default of 10."
		timeoutRule = "The query timeout must be between 1 and 3600 seconds; leave it empty for the default of 60 seconds."
	)
	tests := []struct {
		name            string
		pool, timeoutMS int
		want            string
	}{
		{"defaults", 0, 0, ""},
		{"smallest", 1, 1000, ""},
		{"largest", 100, 3_600_000, ""},
		{"negative pool", -1, 0, poolRule},
		{"pool too large", 101, 0, poolRule},
		{"timeout too short", 0, 999, timeoutRule},
		{"timeout too long", 0, 3_600_001, timeoutRule},
		{"negative timeout", 0, -1000, timeoutRule},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := storedDetails(t, db, d.ID)
			_, err := a.UpdateDatabase(ctx, admin, d.ID, DatabaseEdit{Details: DetailsEdit{MaxOpenConns: &tt.pool, QueryTimeoutMS: &tt.timeoutMS}})
			if got := sightline.ErrorMessage(err); got != tt.want {
				t.Errorf("UpdateDatabase(pool %d, timeout %d ms) error = %q, want %q", tt.pool, tt.timeoutMS, got, tt.want)
			}
			if tt.want != "" {
				if sightline.ErrorCode(err) != sightline.EINVALID {
					t.Errorf("error code = %s, want %s", sightline.ErrorCode(err), sightline.EINVALID)
				}
				if diff := cmp.Diff(before, storedDetails(t, db, d.ID)); diff != "" {
					t.Errorf("a rejected edit changed the details (-before +after):\n%s", diff)
				}
				in := DatabaseInput{Name: "New " + tt.name, Engine: sightline.EngineSQLite,
					Details: sightline.DatabaseDetails{Path: path, MaxOpenConns: tt.pool, QueryTimeoutMS: tt.timeoutMS}}
				if _, err := a.AddDatabase(ctx, admin, in); sightline.ErrorMessage(err) != tt.want {
					t.Errorf("AddDatabase(pool %d, timeout %d ms) error = %v, want %q", tt.pool, tt.timeoutMS, err, tt.want)
				}
			}
		})
	}
}

// TestQueryTimeoutApplies sets a database's query timeout through an edit
// and finds an endless query cancelled after it.
func TestQueryTimeoutApplies(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	d, err := a.AddDatabase(ctx, admin, DatabaseInput{Name: "Shop", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: userSQLite(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.UpdateDatabase(ctx, admin, d.ID, DatabaseEdit{Details: DetailsEdit{QueryTimeoutMS: ptr(1000)}}); err != nil {
		t.Fatal(err)
	}
	endless := &sightline.Query{Database: d.ID, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{
		SQL: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n"}}
	started := time.Now()
	_, err = a.RunQuery(ctx, admin, endless, RunOptions{})
	if took := time.Since(started); took > 10*time.Second {
		t.Errorf("the endless query ran %s, want it cancelled after about 1 s", took)
	}
	if got, want := sightline.ErrorMessage(err), "the query took longer than 1 s and was cancelled"; sightline.ErrorCode(err) != sightline.ETIMEOUT || got != want {
		t.Errorf("RunQuery(endless) = %v, want code %s and %q", err, sightline.ETIMEOUT, want)
	}
}

// TestSampleDatabaseEditKeepsAnchor edits the Sample Database, deletes its
// file and starts again on a later day: the regenerated data must be the
// same, because the edit kept the anchor date stored in its options.
func TestSampleDatabaseEditKeepsAnchor(t *testing.T) {
	db, err := appdb.Open(context.Background(), appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var clock atomic.Int64
	clock.Store(sampleAnchor.Unix())
	a := New(Options{Store: db, Meta: db, Content: db, Search: db, Now: func() time.Time { return time.Unix(clock.Load(), 0).UTC() }})
	t.Cleanup(func() { a.Close() })
	ctx := context.Background()
	_, admin, err := a.Setup(ctx, SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := a.EnsureSampleDatabase(ctx, dir); err != nil {
		t.Fatal(err)
	}
	dbs, err := a.Databases(ctx, admin)
	if err != nil || len(dbs) != 1 {
		t.Fatalf("Databases() = %v, %v; want the Sample Database", dbs, err)
	}
	sample := dbs[0]
	anchor := "anchor=" + sampleAnchor.Format("2006-01-02")
	if sample.Details.Options != anchor {
		t.Fatalf("Sample Database options = %q, want %q", sample.Details.Options, anchor)
	}
	summary := &sightline.Query{Database: sample.ID, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{
		SQL: "SELECT COUNT(*), MIN(DATE_RECEIVED), MAX(DATE_RECEIVED), SUM(PAYMENT) FROM INVOICES"}}
	before, err := a.RunQuery(ctx, admin, summary, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// What the admin form posts for the Sample Database: no options.
	edit := DatabaseEdit{Name: ptr("Our sample"), Engine: ptr(sightline.EngineSQLite),
		Details: DetailsEdit{Path: &sample.Details.Path, Password: ptr(""), MaxOpenConns: ptr(3), QueryTimeoutMS: ptr(0)}}
	if _, err := a.UpdateDatabase(ctx, admin, sample.ID, edit); err != nil {
		t.Fatalf("UpdateDatabase(Sample Database) = %v", err)
	}
	if got := storedDetails(t, db, sample.ID).Options; got != anchor {
		t.Errorf("Sample Database options after an edit = %q, want %q", got, anchor)
	}
	_, err = a.UpdateDatabase(ctx, admin, sample.ID, DatabaseEdit{Details: DetailsEdit{Options: ptr("anchor=2000-01-01")}})
	if sightline.ErrorCode(err) != sightline.EINVALID || !strings.Contains(sightline.ErrorMessage(err), "options cannot change") {
		t.Errorf("UpdateDatabase(Sample Database, new anchor) = %v, want an invalid error saying the options cannot change", err)
	}
	if got := storedDetails(t, db, sample.ID).Options; got != anchor {
		t.Errorf("Sample Database options after a refused edit = %q, want %q", got, anchor)
	}

	// Months later the file is gone; the next start regenerates it.
	clock.Store(sampleAnchor.AddDate(0, 5, 0).Unix())
	if err := os.Remove(sample.Details.Path); err != nil {
		t.Fatal(err)
	}
	if err := a.EnsureSampleDatabase(ctx, dir); err != nil {
		t.Fatal(err)
	}
	after, err := a.RunQuery(ctx, admin, summary, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before.Rows, after.Rows); diff != "" {
		t.Errorf("regenerated Sample Database differs from the first (-before +after):\n%s", diff)
	}
}

// TestDeleteDatabase removes a database with a saved question on it: its
// tables go, it leaves the lists, the question stays and says why it
// cannot run, and a database added later never takes its place.
func TestDeleteDatabase(t *testing.T) {
	a, db, admin := newTestApp(t)
	ctx := context.Background()
	path := userSQLite(t)
	d, err := a.AddDatabase(ctx, admin, DatabaseInput{Name: "Shop", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SyncDatabase(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	tables, err := a.Tables(ctx, admin, d.ID)
	if err != nil || len(tables) == 0 {
		t.Fatalf("Tables() = %v, %v; want the synced tables", tables, err)
	}
	inv := tableByName(t, tables, "INVOICES")
	card, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Invoice count", Query: &sightline.Query{Database: d.ID, Type: sightline.QueryTypeNative,
		Native: &sightline.NativeQuery{SQL: "SELECT COUNT(*) FROM INVOICES"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.RunCard(ctx, admin, card.ID, nil, RunOptions{}); err != nil {
		t.Fatalf("RunCard before the delete = %v", err)
	}

	user, err := a.CreateUser(ctx, admin, NewUserInput{Email: "bob@example.com", Password: "bob password"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteDatabase(ctx, user, d.ID); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("DeleteDatabase by a non-admin = %v, want code %s", err, sightline.EFORBIDDEN)
	}
	if err := a.DeleteDatabase(ctx, admin, d.ID); err != nil {
		t.Fatalf("DeleteDatabase() = %v", err)
	}

	if dbs, err := a.Databases(ctx, admin); err != nil || len(dbs) != 0 {
		t.Errorf("Databases() after the delete = %v, %v; want none", dbs, err)
	}
	if _, err := a.Database(ctx, admin, d.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
		t.Errorf("Database() after the delete = %v, want code %s", err, sightline.ENOTFOUND)
	}
	if left, err := db.Tables(ctx, d.ID); err != nil || len(left) != 0 {
		t.Errorf("stored tables after the delete = %d, %v; want none", len(left), err)
	}
	if _, err := a.Table(ctx, admin, inv.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
		t.Errorf("Table(INVOICES) after the delete = %v, want code %s", err, sightline.ENOTFOUND)
	}
	if a.pool.Len() != 0 {
		t.Errorf("%d sources still open after the delete, want 0", a.pool.Len())
	}
	if _, err := a.Card(ctx, admin, card.ID); err != nil {
		t.Errorf("Card() after the delete = %v, want the question kept", err)
	}
	_, _, err = a.RunCard(ctx, admin, card.ID, nil, RunOptions{})
	if sightline.ErrorCode(err) != sightline.ENOTFOUND || sightline.ErrorMessage(err) != "Database not found." {
		t.Errorf("RunCard after the delete = %v, want code %s: Database not found.", err, sightline.ENOTFOUND)
	}
	if err := a.DeleteDatabase(ctx, admin, d.ID); sightline.ErrorCode(err) != sightline.ENOTFOUND {
		t.Errorf("second DeleteDatabase() = %v, want code %s", err, sightline.ENOTFOUND)
	}

	again, err := a.AddDatabase(ctx, admin, DatabaseInput{Name: "Shop", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}})
	if err != nil {
		t.Fatal(err)
	}
	if again.ID == d.ID {
		t.Errorf("a database added again got the removed one's id %d: old questions would run on it", d.ID)
	}
}

// TestSyncAfterAddEndsLast: a database just added syncs in the background,
// and a sync asked for right after waits for that one, so no sync finishes
// (and drops what was cached since) after the asked-for one returned.
func TestSyncAfterAddEndsLast(t *testing.T) {
	db, err := appdb.Open(context.Background(), appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	hub := cachebus.NewHub()
	a := New(Options{Store: db, Meta: db, Content: db, Search: db, Bus: hub.Join()})
	t.Cleanup(func() { a.Close() })
	ctx := context.Background()
	_, admin, err := a.Setup(ctx, SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	synced := map[int64]int{}
	listenCtx, stop := context.WithCancel(ctx)
	defer stop()
	live := make(chan bool, 1)
	go hub.Join().Listen(listenCtx, func(e cachebus.Event) {
		if e.Kind == cachebus.Metadata {
			mu.Lock()
			synced[e.ID]++
			mu.Unlock()
		}
	}, func(v bool) {
		select {
		case live <- v:
		default:
		}
	})
	<-live
	count := func(id int64) int {
		mu.Lock()
		defer mu.Unlock()
		return synced[id]
	}
	for i := range 20 {
		path := filepath.Join(t.TempDir(), "shop.db")
		writeSQLite(t, path, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
		d, err := a.AddDatabase(ctx, admin, DatabaseInput{Name: "Shop " + itoa(int64(i)), Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.SyncDatabase(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		at := count(d.ID)
		// A sync that was still to come would take the lock by now.
		time.Sleep(20 * time.Millisecond)
		a.syncs.lock(d.ID)()
		if after := count(d.ID); after != at || at != 2 {
			t.Fatalf("database %d: %d syncs had finished when the asked-for one returned, %d in the end; want both first", i, at, after)
		}
	}
}

// TestUnreachableDatabaseHidesDetails takes a database away and runs a
// question on it: an administrator learns why it cannot be reached, while
// anyone else, who may not see the connection's details, gets a sentence
// that quotes none of them (no file path, host, port, user or database
// name), from every door: results and downloads.
func TestUnreachableDatabaseHidesDetails(t *testing.T) {
	tests := []struct {
		engine string
		// add registers a database and returns the details its errors
		// could quote and a func that takes it away.
		add func(t *testing.T) (in DatabaseInput, details []string, takeAway func())
	}{
		{sightline.EngineSQLite, func(t *testing.T) (DatabaseInput, []string, func()) {
			path := userSQLite(t)
			return DatabaseInput{Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}}, []string{path}, func() {
				if err := os.Rename(path, path+".moved"); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{sightline.EnginePostgres, func(t *testing.T) (DatabaseInput, []string, func()) {
			pg := testdb.Postgres(t)
			u, err := url.Parse(pg.URL)
			if err != nil {
				t.Fatal(err)
			}
			port, _ := strconv.Atoi(u.Port())
			in := DatabaseInput{Engine: sightline.EnginePostgres, Details: sightline.DatabaseDetails{Host: u.Hostname(), Port: port, DBName: pg.Name, User: u.User.Username(), SSLMode: "disable"}}
			return in, []string{pg.Name, u.Host}, func() {
				u.Path = "/postgres"
				execOn(t, "pgx", u.String(), "DROP DATABASE "+pg.Name+" WITH (FORCE)")
			}
		}},
		{sightline.EngineMySQL, func(t *testing.T) (DatabaseInput, []string, func()) {
			my := testdb.MySQL(t)
			in := DatabaseInput{Engine: sightline.EngineMySQL, Details: sightline.DatabaseDetails{Host: my.Host, Port: my.Port, DBName: my.Name, User: my.User}}
			return in, []string{my.Name, net.JoinHostPort(my.Host, strconv.Itoa(my.Port))}, func() {
				server := my.User + "@tcp(" + net.JoinHostPort(my.Host, strconv.Itoa(my.Port)) + ")/"
				execOn(t, "mysql", server, "DROP DATABASE "+my.Name)
				// MariaDB lets sessions go on in a dropped database: end them.
				root, err := sql.Open("mysql", server)
				if err != nil {
					t.Fatal(err)
				}
				defer root.Close()
				rows, err := root.Query("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()", my.Name)
				if err != nil {
					t.Fatal(err)
				}
				var ids []int64
				for rows.Next() {
					var id int64
					if err := rows.Scan(&id); err != nil {
						t.Fatal(err)
					}
					ids = append(ids, id)
				}
				if err := rows.Close(); err != nil {
					t.Fatal(err)
				}
				for _, id := range ids {
					if _, err := root.Exec("KILL " + strconv.FormatInt(id, 10)); err != nil {
						t.Fatal(err)
					}
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.engine, func(t *testing.T) {
			a, _, admin := newTestApp(t)
			ctx := context.Background()
			in, details, takeAway := tt.add(t)
			in.Name = "Shop"
			d, err := a.AddDatabase(ctx, admin, in)
			if err != nil {
				t.Fatal(err)
			}
			bob, err := a.CreateUser(ctx, admin, NewUserInput{Email: "bob@example.com", Password: "bob password"})
			if err != nil {
				t.Fatal(err)
			}
			q := &sightline.Query{Database: d.ID, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{SQL: "SELECT 1"}}
			if _, err := a.RunQuery(ctx, bob, q, RunOptions{}); err != nil {
				t.Fatalf("RunQuery before the database went away = %v", err)
			}

			takeAway()

			// The first use may meet a connection the server closed: run
			// each door twice.
			for range 2 {
				_, err := a.RunQuery(ctx, admin, q, RunOptions{})
				if sightline.ErrorCode(err) != sightline.EUNAVAILABLE || !slices.ContainsFunc(details, func(d string) bool { return strings.Contains(sightline.ErrorMessage(err), d) }) {
					t.Errorf("RunQuery(admin) = %v, want %s naming one of %q", err, sightline.EUNAVAILABLE, details)
				}
				_, rerr := a.RunQuery(ctx, bob, q, RunOptions{})
				_, derr := a.Download(ctx, bob, q, &collect{})
				for door, err := range map[string]error{"RunQuery": rerr, "Download": derr} {
					want := `The database "Shop" does not answer; an administrator can see why.`
					if got := sightline.ErrorMessage(err); sightline.ErrorCode(err) != sightline.EUNAVAILABLE || got != want {
						t.Errorf("%s(non-admin) = %v, want %s %q", door, err, sightline.EUNAVAILABLE, want)
					}
				}
			}
		})
	}
}

// execOn runs one statement on a database reached with driver and dsn.
func execOn(t *testing.T, driver, dsn, stmt string) {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}
