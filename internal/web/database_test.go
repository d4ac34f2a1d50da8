package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/sampledata"
	"sightline/internal/testdb"
)

// addSQLite writes a small SQLite database and adds it through the API
// with the given JSON details besides its path.
func addSQLite(t *testing.T, e *testEnv, c *http.Client, name, details string) (sightline.Database, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shop.db")
	if err := sampledata.WriteSQLite(context.Background(), path, sampledata.Options{Anchor: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if details != "" {
		details = ", " + details
	}
	r := e.postJSON(c, "/api/database", fmt.Sprintf(`{"name": %q, "engine": "sqlite", "details": {"path": %q%s}}`, name, path, details))
	var d sightline.Database
	if err := json.Unmarshal([]byte(r.body), &d); r.status != 200 || err != nil {
		t.Fatalf("add database %s = %d %s", name, r.status, r.body)
	}
	return d, path
}

// getDatabase reads a database through GET /api/database/{id}.
func getDatabase(t *testing.T, e *testEnv, c *http.Client, id int64) sightline.Database {
	t.Helper()
	r := e.get(c, "/api/database/"+itoa(id))
	var d sightline.Database
	if err := json.Unmarshal([]byte(r.body), &d); r.status != 200 || err != nil {
		t.Fatalf("GET /api/database/%d = %d %s", id, r.status, r.body)
	}
	return d
}

// storedDetails reads a database's details as stored, password included.
func storedDetails(t *testing.T, e *testEnv, id int64) sightline.DatabaseDetails {
	t.Helper()
	d, err := e.db.Database(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	d.Details.PasswordSet = false
	return d.Details
}

// inputValue returns the value attribute of the form's input name.
func inputValue(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, `name="`+name+`"`)
	if i < 0 {
		t.Fatalf("no input %s in the page", name)
	}
	tag := body[strings.LastIndex(body[:i], "<"):]
	tag = tag[:strings.Index(tag, ">")]
	_, v, ok := strings.Cut(tag, `value="`)
	if !ok {
		return ""
	}
	v, _, _ = strings.Cut(v, `"`)
	return html.UnescapeString(v)
}

func TestDatabaseFormLimits(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	if r := e.get(admin, "/admin/databases/new"); r.status != 200 || inputValue(t, r.body, "max_open_conns") != "" || inputValue(t, r.body, "query_timeout") != "" {
		t.Fatalf("GET /admin/databases/new = %d, want empty pool size and timeout fields", r.status)
	}
	_, path := addSQLite(t, e, admin, "Other", "")
	form := func(pool, timeout string) url.Values {
		return url.Values{"engine": {"sqlite"}, "name": {"Shop"}, "path": {path}, "max_open_conns": {pool}, "query_timeout": {timeout}}
	}

	bad := []struct {
		name, pool, timeout, want string
	}{
		{"pool not a number", "ten", "", `The connection pool size must be a whole number, not "ten".`},
		{"pool too large", "500", "", "The connection pool size must be between 1 and 100 connections; leave it empty for the default of 10."},
		{"negative pool", "-2", "", "The connection pool size must be between 1 and 100"},
		{"timeout not a number", "", "soon", `The query timeout must be a number of seconds, not "soon".`},
		{"timeout too short", "", "0.5", "The query timeout must be between 1 and 3600 seconds; leave it empty for the default of 60 seconds."},
		{"timeout too long", "", "86400", "The query timeout must be between 1 and 3600 seconds"},
		{"negative timeout", "", "-1", "The query timeout must be between 1 and 3600 seconds"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := e.postForm(admin, "/admin/databases", form(tt.pool, tt.timeout))
			if r.status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(r.body), tt.want) {
				t.Errorf("POST /admin/databases (pool %q, timeout %q) = %d, want 400 with %q", tt.pool, tt.timeout, r.status, tt.want)
			}
			if got := inputValue(t, r.body, "max_open_conns"); got != tt.pool {
				t.Errorf("pool size shown again = %q, want %q as typed", got, tt.pool)
			}
			if got := inputValue(t, r.body, "query_timeout"); got != tt.timeout {
				t.Errorf("timeout shown again = %q, want %q as typed", got, tt.timeout)
			}
		})
	}
	if r := e.get(admin, "/api/database"); strings.Contains(r.body, `"Shop"`) {
		t.Fatalf("a rejected form saved a database: %s", r.body)
	}

	r := e.postForm(admin, "/admin/databases", form(" 4 ", "2.5"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("POST /admin/databases with limits = %d %s", r.status, r.body)
	}
	var list struct{ Data []sightline.Database }
	json.Unmarshal([]byte(e.get(admin, "/api/database").body), &list)
	var shop sightline.Database
	for _, d := range list.Data {
		if d.Name == "Shop" {
			shop = d
		}
	}
	if shop.Details.MaxOpenConns != 4 || shop.Details.QueryTimeoutMS != 2500 {
		t.Fatalf("added with pool 4 and timeout 2.5 s: details = %+v, want max_open_conns 4, query_timeout_ms 2500", shop.Details)
	}
	edit := "/admin/databases/" + itoa(shop.ID)
	r = e.get(admin, edit)
	if pool, timeout := inputValue(t, r.body, "max_open_conns"), inputValue(t, r.body, "query_timeout"); pool != "4" || timeout != "2.5" {
		t.Errorf("edit form shows pool %q, timeout %q; want 4 and 2.5", pool, timeout)
	}

	// Emptied fields mean the defaults again.
	if r := e.postForm(admin, edit, form("", "")); r.status != http.StatusSeeOther {
		t.Fatalf("POST %s with empty limits = %d %s", edit, r.status, r.body)
	}
	if d := storedDetails(t, e, shop.ID); d.MaxOpenConns != 0 || d.QueryTimeoutMS != 0 {
		t.Errorf("after emptying the limits: pool %d, timeout %d ms; want 0 and 0 (the defaults)", d.MaxOpenConns, d.QueryTimeoutMS)
	}
	// A rejected edit changes nothing and keeps the form's other values.
	r = e.postForm(admin, edit, url.Values{"engine": {"sqlite"}, "name": {"Shop renamed"}, "path": {path}, "max_open_conns": {"1000"}})
	if r.status != http.StatusBadRequest || inputValue(t, r.body, "name") != "Shop renamed" || inputValue(t, r.body, "max_open_conns") != "1000" {
		t.Errorf("POST %s with pool 1000 = %d, want 400 showing what was typed", edit, r.status)
	}
	if d := getDatabase(t, e, admin, shop.ID); d.Name != "Shop" {
		t.Errorf("a rejected edit renamed the database to %q", d.Name)
	}

	// The API takes the same fields.
	r = e.do(admin, "PUT", "/api/database/"+itoa(shop.ID), "application/json", `{"details": {"max_open_conns": 0, "query_timeout_ms": 500}}`)
	if r.status != 400 || !strings.Contains(r.body, "The query timeout must be between 1 and 3600 seconds") {
		t.Errorf("PUT /api/database with a 0.5 s timeout = %d %s, want 400 naming the rule", r.status, r.body)
	}
}

// TestEditDatabaseKeepsDetails edits a database through the form, which
// shows neither its driver options nor anything only the API sets, and
// through the API with partial bodies: nothing left out is lost.
func TestEditDatabaseKeepsDetails(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	d, path := addSQLite(t, e, admin, "Shop", `"options": "cache=private", "max_open_conns": 4, "query_timeout_ms": 30000`)
	want := sightline.DatabaseDetails{Path: path, Options: "cache=private", MaxOpenConns: 4, QueryTimeoutMS: 30000}
	if diff := cmp.Diff(want, storedDetails(t, e, d.ID)); diff != "" {
		t.Fatalf("stored details after adding (-want +got):\n%s", diff)
	}

	edit := "/admin/databases/" + itoa(d.ID)
	r := e.get(admin, edit)
	// What a browser posts: the SQLite fields and the limits as shown.
	form := url.Values{"engine": {"sqlite"}, "name": {"Shop renamed"}, "path": {inputValue(t, r.body, "path")},
		"max_open_conns": {inputValue(t, r.body, "max_open_conns")}, "query_timeout": {inputValue(t, r.body, "query_timeout")}}
	if r := e.postForm(admin, edit, form); r.status != http.StatusSeeOther {
		t.Fatalf("POST %s = %d %s", edit, r.status, r.body)
	}
	if got := getDatabase(t, e, admin, d.ID); got.Name != "Shop renamed" {
		t.Errorf("name after the edit = %q, want Shop renamed", got.Name)
	}
	if diff := cmp.Diff(want, storedDetails(t, e, d.ID)); diff != "" {
		t.Errorf("stored details after a form edit (-want +got):\n%s", diff)
	}

	puts := []struct {
		name, body string
		change     func(*sightline.DatabaseDetails)
	}{
		{"name only", `{"name": "Shop again"}`, func(*sightline.DatabaseDetails) {}},
		{"one limit", `{"details": {"max_open_conns": 6}}`, func(d *sightline.DatabaseDetails) { d.MaxOpenConns = 6 }},
		{"details as read back", `{"name": "Shop", "engine": "sqlite", "details": {"path": "` + path + `", "password_set": false, "query_timeout_ms": 45000}}`,
			func(d *sightline.DatabaseDetails) { d.QueryTimeoutMS = 45000 }},
	}
	for _, tt := range puts {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(admin, "PUT", "/api/database/"+itoa(d.ID), "application/json", tt.body)
			if r.status != 200 {
				t.Fatalf("PUT /api/database/%d %s = %d %s", d.ID, tt.body, r.status, r.body)
			}
			tt.change(&want)
			if diff := cmp.Diff(want, storedDetails(t, e, d.ID)); diff != "" {
				t.Errorf("stored details after PUT %s (-want +got):\n%s", tt.body, diff)
			}
		})
	}
}

// TestEditDatabaseKeepsPassword renames a PostgreSQL database through the
// form with the password field left blank, as the form always shows it.
func TestEditDatabaseKeepsPassword(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	pg := testdb.Postgres(t)
	u, err := url.Parse(pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatalf("port of %s: %v", pg.URL, err)
	}
	const password = "correct-battery-staple"
	r := e.postJSON(admin, "/api/database", fmt.Sprintf(`{"name": "Warehouse", "engine": "postgres", "details": {"host": %q, "port": %d,
		"dbname": %q, "user": %q, "password": %q, "ssl_mode": "disable", "options": "application_name=sightline", "query_timeout_ms": 20000}}`,
		u.Hostname(), port, pg.Name, u.User.Username(), password))
	var d sightline.Database
	if err := json.Unmarshal([]byte(r.body), &d); r.status != 200 || err != nil {
		t.Fatalf("add database = %d %s", r.status, r.body)
	}
	before := storedDetails(t, e, d.ID)
	if before.Password != password {
		t.Fatalf("stored password = %q, want %q", before.Password, password)
	}

	edit := "/admin/databases/" + itoa(d.ID)
	r = e.get(admin, edit)
	if strings.Contains(r.body, password) || !strings.Contains(r.body, "(unchanged)") {
		t.Errorf("edit form shows the password or does not say it is kept")
	}
	form := url.Values{"engine": {"postgres"}, "name": {"Data warehouse"}, "password": {""}}
	for _, f := range []string{"host", "port", "dbname", "user", "ssl_mode", "max_open_conns", "query_timeout"} {
		form.Set(f, inputValue(t, r.body, f))
	}
	if r := e.postForm(admin, edit, form); r.status != http.StatusSeeOther {
		t.Fatalf("POST %s = %d %s", edit, r.status, r.body)
	}
	if diff := cmp.Diff(before, storedDetails(t, e, d.ID)); diff != "" {
		t.Errorf("stored details after renaming (-want +got):\n%s", diff)
	}
	if got := getDatabase(t, e, admin, d.ID); got.Name != "Data warehouse" || got.Details.Password != "" || !got.Details.PasswordSet {
		t.Errorf("GET /api/database after renaming = %q, password %q, set %v; want Data warehouse, hidden, set", got.Name, got.Details.Password, got.Details.PasswordSet)
	}
}

// TestEditSampleDatabaseKeepsAnchor renames the Sample Database through
// the form: the anchor date it regenerates its data from must survive.
func TestEditSampleDatabaseKeepsAnchor(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	e.withSample()
	sample := getDatabase(t, e, admin, 1)
	anchor := storedDetails(t, e, sample.ID).Options
	if !sample.IsSample || !strings.HasPrefix(anchor, "anchor=") {
		t.Fatalf("database 1 = %+v with options %q, want the Sample Database with its anchor", sample, anchor)
	}
	edit := "/admin/databases/" + itoa(sample.ID)
	r := e.get(admin, edit)
	form := url.Values{"engine": {"sqlite"}, "name": {"Our sample"}, "path": {inputValue(t, r.body, "path")},
		"max_open_conns": {"2"}, "query_timeout": {""}}
	if r := e.postForm(admin, edit, form); r.status != http.StatusSeeOther {
		t.Fatalf("POST %s = %d %s", edit, r.status, r.body)
	}
	got := storedDetails(t, e, sample.ID)
	if got.Options != anchor || got.MaxOpenConns != 2 {
		t.Errorf("Sample Database after a form edit: options %q, pool %d; want %q and 2", got.Options, got.MaxOpenConns, anchor)
	}
	r = e.do(admin, "PUT", "/api/database/"+itoa(sample.ID), "application/json", `{"details": {"options": ""}}`)
	if r.status != 400 || !strings.Contains(r.body, "options cannot change") {
		t.Errorf("PUT /api/database clearing the Sample Database's options = %d %s, want 400", r.status, r.body)
	}
	if got := storedDetails(t, e, sample.ID).Options; got != anchor {
		t.Errorf("Sample Database options after a refused edit = %q, want %q", got, anchor)
	}
}

// TestRemoveDatabase removes a database with a saved question on it
// through Admin > Databases.
func TestRemoveDatabase(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	admin := e.adminClient
	d, _ := addSQLite(t, e, admin, "Shop", "")
	if err := e.app.SyncDatabase(context.Background(), d.ID); err != nil {
		t.Fatal(err)
	}
	tables, err := e.app.Tables(context.Background(), mustUser(t, e), d.ID)
	if err != nil || len(tables) == 0 {
		t.Fatalf("tables = %v, %v", tables, err)
	}
	q := fmt.Sprintf(`{"database": %d, "type": "native", "native": {"query": "SELECT COUNT(*) FROM INVOICES"}}`, d.ID)
	r := e.postJSON(admin, "/api/card", `{"name": "Invoice count", "display": "number", "dataset_query": `+q+`}`)
	var card sightline.Card
	if err := json.Unmarshal([]byte(r.body), &card); r.status != 200 || err != nil {
		t.Fatalf("POST /api/card = %d %s", r.status, r.body)
	}
	run := "/api/card/" + itoa(card.ID) + "/query"
	if r := e.postJSON(admin, run, `{}`); r.status != http.StatusAccepted {
		t.Fatalf("POST %s before the removal = %d %s", run, r.status, r.body)
	}

	remove := "/admin/databases/" + itoa(d.ID) + "/delete"
	bob, _ := nonAdmin(t, e, "bob@example.com")
	if r := e.postForm(bob, remove, nil); r.status != http.StatusForbidden {
		t.Errorf("POST %s by a non-admin = %d, want 403", remove, r.status)
	}
	if r := e.get(admin, "/admin/databases"); !strings.Contains(r.body, "Remove Shop? Questions that use it will stop working.") {
		t.Errorf("Admin > Databases does not warn before removing Shop")
	}
	r = e.postForm(admin, remove, nil)
	if loc := r.header.Get("Location"); r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/databases?flash=") {
		t.Fatalf("POST %s = %d -> %q, want 303 back to Admin > Databases", remove, r.status, loc)
	}

	gone := []struct{ path, notWant string }{
		{"/admin/databases", "Shop"},
		{"/browse", "Shop"},
		{"/api/database", "Shop"},
	}
	for _, tt := range gone {
		if r := e.get(admin, tt.path); r.status != 200 || strings.Contains(r.body, tt.notWant) {
			t.Errorf("GET %s after the removal = %d, want 200 without %q", tt.path, r.status, tt.notWant)
		}
	}
	notFound := []struct{ path, want string }{
		{"/browse/" + itoa(d.ID), "Database not found."},
		{"/table/" + itoa(tables[0].ID), "Table not found."},
		{"/api/database/" + itoa(d.ID) + "/metadata", "Database not found."},
		{"/admin/databases/" + itoa(d.ID), "Database not found."},
	}
	for _, tt := range notFound {
		if r := e.get(admin, tt.path); r.status != 404 || !strings.Contains(r.body, tt.want) {
			t.Errorf("GET %s after the removal = %d, want 404 with %q", tt.path, r.status, tt.want)
		}
	}
	// The question is kept, and running it says why it cannot run.
	if r := e.get(admin, "/question/"+itoa(card.ID)); r.status != 200 || !strings.Contains(r.body, "Invoice count") {
		t.Errorf("GET /question/%d after the removal = %d, want the question kept", card.ID, r.status)
	}
	r = e.postJSON(admin, run, `{}`)
	var got apiError
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || r.status != 404 || got.Message != "Database not found." {
		t.Errorf("POST %s after the removal = %d %s, want 404 Database not found.", run, r.status, r.body)
	}
	if r := e.postForm(admin, remove, nil); r.status != 404 {
		t.Errorf("removing it again = %d, want 404", r.status)
	}
}
