package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sightline"
	"sightline/internal/sampledata"
	"sightline/internal/testdb"
)

// sampleDir holds one generated Sample Database shared by this package's
// tests; user SQLite files open read-only, so sharing it is safe.
var sampleDir struct {
	once sync.Once
	dir  string
	err  error
}

func sharedSampleDir(t *testing.T) string {
	t.Helper()
	sampleDir.once.Do(func() {
		dir, err := os.MkdirTemp("", "sightline-web-sample-")
		if err != nil {
			sampleDir.err = err
			return
		}
		sampleDir.dir = dir
		sampleDir.err = sampledata.WriteSQLite(context.Background(), filepath.Join(dir, "sample-database.db"),
			sampledata.Options{Anchor: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), Scale: 1})
	})
	if sampleDir.err != nil {
		t.Fatal(sampleDir.err)
	}
	return sampleDir.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleDir.dir != "" {
		os.RemoveAll(sampleDir.dir)
	}
	os.Exit(code)
}

// withSample registers the shared Sample Database in e.
func (e *testEnv) withSample() {
	e.t.Helper()
	if err := e.app.EnsureSampleDatabase(context.Background(), sharedSampleDir(e.t)); err != nil {
		e.t.Fatal(err)
	}
}

func TestBrowseAndTableView(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	e.withSample()
	r := e.do(admin, "GET", "/browse", "", "")
	if r.status != 200 || !strings.Contains(r.body, "Sample Database") {
		t.Fatalf("GET /browse = %d, want the Sample Database listed", r.status)
	}
	r = e.do(admin, "GET", "/api/database/1/metadata", "", "")
	var md struct {
		Tables []sightline.Table `json:"tables"`
	}
	if err := json.Unmarshal([]byte(r.body), &md); err != nil || len(md.Tables) != 8 {
		t.Fatalf("metadata = %d tables (%v), want 8", len(md.Tables), err)
	}
	var inv *sightline.Table
	for i := range md.Tables {
		if md.Tables[i].Name == "INVOICES" {
			inv = &md.Tables[i]
		}
	}
	r = e.do(admin, "GET", "/browse/1", "", "")
	if !strings.Contains(r.body, "Invoices") || !strings.Contains(r.body, inv.Description) {
		t.Errorf("GET /browse/1 does not list Invoices with its description")
	}
	var acct, payment, plan int64
	for _, f := range inv.Fields {
		switch f.Name {
		case "ACCOUNT_ID":
			acct = f.ID
		case "PAYMENT":
			payment = f.ID
		case "PLAN":
			plan = f.ID
		}
	}
	tablePath := "/table/" + itoa(inv.ID)
	r = e.do(admin, "GET", tablePath, "", "")
	if r.status != 200 || !strings.Contains(r.body, "Showing the first 2,000 of 13,856 rows") {
		t.Errorf("GET %s = %d, want the capped view with the total", tablePath, r.status)
	}
	r = e.do(admin, "GET", tablePath+"?f_"+itoa(acct)+"=28&sort="+itoa(payment)+"&desc=1", "", "")
	if !strings.Contains(r.body, ">22 rows<") || strings.Count(r.body, ">295.00<") != 22 {
		t.Errorf("account 28's invoices: want 22 rows of 295.00; row count %q", between(r.body, `id="row-count">`, "<"))
	}
	// Bad quick-filter input is a clear message on the page, not a crash.
	r = e.do(admin, "GET", tablePath+"?f_"+itoa(acct)+"=twenty", "", "")
	if r.status != 400 || !strings.Contains(r.body, "Account ID takes a number") {
		t.Errorf("non-numeric filter = %d, want 400 with a message", r.status)
	}
	// Filter values come through the data door.
	r = e.do(admin, "GET", "/api/field/"+itoa(plan)+"/values", "", "")
	if !strings.Contains(r.body, `[["Basic"],["Business"],["Premium"]]`) {
		t.Errorf("PLAN values = %s", r.body)
	}
	// Anonymous visitors are sent to sign in; API clients get 401.
	if r := e.do(e.client(), "GET", tablePath, "", ""); r.status != 302 || !strings.HasPrefix(r.header.Get("Location"), "/auth/login?redirect=") {
		t.Errorf("anonymous GET %s = %d %s, want a redirect to sign in", tablePath, r.status, r.header.Get("Location"))
	}
	if r := e.do(e.client(), "GET", "/api/field/"+itoa(plan)+"/values", "", ""); r.status != 401 {
		t.Errorf("anonymous field values = %d, want 401", r.status)
	}
}

func between(s, a, b string) string {
	_, after, _ := strings.Cut(s, a)
	v, _, _ := strings.Cut(after, b)
	return v
}

func TestAddDatabaseErrorsKeepNothing(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notDB, []byte("this is not a database, just some text that is long enough to have a header"), 0o644)
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"missing file", url.Values{"engine": {"sqlite"}, "name": {"Missing"}, "path": {"/no/such/file.db"}}, "No SQLite database file"},
		{"not a database", url.Values{"engine": {"sqlite"}, "name": {"Notes"}, "path": {notDB}}, "not a SQLite database"},
		{"wrong host", url.Values{"engine": {"postgres"}, "name": {"PG"}, "host": {"127.0.0.1"}, "port": {"1"}, "dbname": {"x"}, "user": {"x"}}, "connect"},
		{"wrong password", url.Values{"engine": {"mysql"}, "name": {"My"}, "host": {"127.0.0.1"}, "port": {"3306"}, "dbname": {"test"}, "user": {"root"}, "password": {"definitely-wrong"}}, "password authentication failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.postForm(admin, "/admin/databases", tt.form)
			if r.status != 400 && r.status != 502 {
				t.Fatalf("POST /admin/databases = %d, want 400 or 502", r.status)
			}
			msg := between(r.body, `role="alert">`, "<")
			if !strings.Contains(strings.ToLower(msg), strings.ToLower(tt.want)) {
				t.Errorf("message = %q, want it to mention %q", msg, tt.want)
			}
			if strings.Contains(r.body, "definitely-wrong") {
				t.Error("the page echoes the password back")
			}
		})
	}
	r := e.do(admin, "GET", "/api/database", "", "")
	if !strings.Contains(r.body, `"total":0`) {
		t.Errorf("databases after failed adds = %s, want none", r.body)
	}
}

// TestDatabaseGoneAway takes a database away while the server runs: its
// pages and queries say clearly which database cannot be reached and why,
// its sync fails visibly, and the rest of the app keeps working.
func TestDatabaseGoneAway(t *testing.T) {
	tests := []struct {
		name string
		// add registers a database and returns its id and a func that
		// takes it away, and the message people should then see.
		add func(t *testing.T, e *testEnv, admin *http.Client) (id int64, takeAway func(), want string)
	}{
		{name: "SQLite file moved", add: func(t *testing.T, e *testEnv, admin *http.Client) (int64, func(), string) {
			d, path := addSQLite(t, e, admin, "Shop", "")
			return d.ID, func() {
					if err := os.Rename(path, path+".moved"); err != nil {
						t.Fatal(err)
					}
				}, `Cannot reach the database "Shop": its SQLite file ` + path + ` is gone: it was moved or deleted. ` +
					`An administrator can restore the file, or give its new path in Admin > Databases.`
		}},
		{name: "PostgreSQL database dropped", add: func(t *testing.T, e *testEnv, admin *http.Client) (int64, func(), string) {
			pg := testdb.Postgres(t)
			u, err := url.Parse(pg.URL)
			if err != nil {
				t.Fatal(err)
			}
			conn, err := sql.Open("pgx", pg.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Exec("CREATE TABLE orders (id integer PRIMARY KEY, total numeric(10, 2)); INSERT INTO orders VALUES (1, 9.5), (2, 20)"); err != nil {
				t.Fatal(err)
			}
			r := e.postJSON(admin, "/api/database", fmt.Sprintf(`{"name": "Warehouse", "engine": "postgres", "details": {"host": %q, "port": %s, "dbname": %q, "user": %q, "ssl_mode": "disable"}}`,
				u.Hostname(), u.Port(), pg.Name, u.User.Username()))
			var d sightline.Database
			if err := json.Unmarshal([]byte(r.body), &d); r.status != 200 || err != nil {
				t.Fatalf("add database = %d %s", r.status, r.body)
			}
			return d.ID, func() {
				u.Path = "/postgres"
				admin, err := sql.Open("pgx", u.String())
				if err != nil {
					t.Fatal(err)
				}
				defer admin.Close()
				if _, err := admin.Exec("DROP DATABASE " + pg.Name + " WITH (FORCE)"); err != nil {
					t.Fatal(err)
				}
			}, `Cannot reach the database "Warehouse": database "` + pg.Name + `" does not exist`
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			admin := e.setup()
			e.withSample()
			ctx := context.Background()
			id, takeAway, want := tt.add(t, e, admin)
			if err := e.app.SyncDatabase(ctx, id); err != nil {
				t.Fatal(err)
			}
			tables, err := e.app.Tables(ctx, mustUser(t, e), id)
			if err != nil || len(tables) == 0 {
				t.Fatalf("tables = %v, %v", tables, err)
			}
			page := "/table/" + itoa(tables[0].ID)
			query := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, id, tables[0].ID)
			// Open the database's connections first, as any use would.
			if r := e.get(admin, page); r.status != 200 {
				t.Fatalf("GET %s = %d before the database went away", page, r.status)
			}

			takeAway()

			// The first use may meet a connection the server closed; it
			// names the database too. Every later use knows the reason.
			named := want[:strings.Index(want, ": ")+2]
			r := e.postJSON(admin, "/api/dataset", query)
			var got apiError
			if err := json.Unmarshal([]byte(r.body), &got); err != nil || r.status != http.StatusBadGateway || got.Code != sightline.EUNAVAILABLE || !strings.HasPrefix(got.Message, named) {
				t.Errorf("POST /api/dataset = %d %s, want 502 unavailable starting %q", r.status, r.body, named)
			}
			r = e.get(admin, page)
			if body := html.UnescapeString(r.body); r.status != http.StatusBadGateway || !strings.Contains(body, `<div class="alert" role="alert">`+want) {
				t.Errorf("GET %s after the database went away = %d, want 502 with an alert saying %q", page, r.status, want)
			}
			if err := e.app.SyncDatabase(ctx, id); err == nil || !strings.HasPrefix(sightline.ErrorMessage(err), want) {
				t.Errorf("SyncDatabase() = %v, want an error starting %q", err, want)
			}
			r = e.get(admin, "/admin/databases")
			if body := html.UnescapeString(r.body); r.status != 200 || !strings.Contains(body, "Failed: "+want) {
				t.Errorf("Admin > Databases = %d, want it to show the failed sync: %q", r.status, want)
			}
			// Everything else keeps working, the other database included.
			sample, err := e.app.Tables(ctx, mustUser(t, e), 1)
			if err != nil || len(sample) == 0 {
				t.Fatalf("Sample Database tables = %v, %v", sample, err)
			}
			for _, p := range []string{"/", "/browse", "/browse/" + itoa(id), "/table/" + itoa(sample[0].ID), "/admin/databases/" + itoa(id)} {
				if r := e.get(admin, p); r.status != 200 {
					t.Errorf("GET %s = %d after a database went away, want 200", p, r.status)
				}
			}
		})
	}
}

// TestDatabaseComesBack moves a SQLite file away and back while the server
// runs: once the file is back the database works again without a restart.
func TestDatabaseComesBack(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	d, path := addSQLite(t, e, admin, "Shop", "")
	if err := e.app.SyncDatabase(context.Background(), d.ID); err != nil {
		t.Fatal(err)
	}
	tables, err := e.app.Tables(context.Background(), mustUser(t, e), d.ID)
	if err != nil || len(tables) == 0 {
		t.Fatalf("tables = %v, %v", tables, err)
	}
	page := "/table/" + itoa(tables[0].ID)
	steps := []struct {
		name     string
		from, to string
		status   int
	}{
		{"moved away", path, path + ".moved", http.StatusBadGateway},
		{"moved back", path + ".moved", path, http.StatusOK},
	}
	for _, s := range steps {
		if err := os.Rename(s.from, s.to); err != nil {
			t.Fatal(err)
		}
		if r := e.get(admin, page); r.status != s.status {
			t.Errorf("GET %s after the file was %s = %d, want %d", page, s.name, r.status, s.status)
		}
	}
}

func mustUser(t *testing.T, e *testEnv) *sightline.User {
	t.Helper()
	u, _, err := e.db.UserByEmail(context.Background(), "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	return u
}
