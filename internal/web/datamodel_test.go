package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// sampleTables returns the Sample Database's id and its tables by name, as
// the admin sees them.
func sampleTables(t *testing.T, e *testEnv) (int64, map[string]sightline.Table) {
	t.Helper()
	dbs, err := e.app.Databases(context.Background(), e.adminUser())
	if err != nil || len(dbs) == 0 {
		t.Fatalf("databases = %v, %v", dbs, err)
	}
	ts, err := e.app.Tables(context.Background(), e.adminUser(), dbs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]sightline.Table{}
	for _, tb := range ts {
		out[tb.Name] = tb
	}
	return dbs[0].ID, out
}

// TestAPIContractDataModel checks the data-model endpoints' status codes and
// response shapes against golden files, for an admin, a non-admin (who
// never gets statistics or connection details) and no one.
func TestAPIContractDataModel(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	db, tables := sampleTables(t, e)
	bob, _ := nonAdmin(t, e, "bob@example.com")
	anon := e.client()
	acc, inv := tables["ACCOUNTS"], tables["INVOICES"]
	if acc.ID == 0 || inv.ID == 0 {
		t.Fatalf("the Sample Database has no ACCOUNTS or INVOICES: %v", tables)
	}
	d, s := strconv.FormatInt(db, 10), url.PathEscape(inv.Schema)
	accID := strconv.FormatInt(acc.ID, 10)
	plan := fieldID(t, inv, "PLAN")
	for _, tt := range []struct {
		name         string
		c            *http.Client
		method, path string
		body         string
		status       int
	}{
		{"table-list-admin", e.adminClient, "GET", "/api/table", "", 200},
		{"table-list-user", bob, "GET", "/api/table", "", 200},
		{"table-list-401", anon, "GET", "/api/table", "", 401},
		{"database-schemas", bob, "GET", "/api/database/" + d + "/schemas", "", 200},
		{"database-schemas-404", bob, "GET", "/api/database/999/schemas", "", 404},
		{"database-schema-tables", bob, "GET", "/api/database/" + d + "/schema/" + s, "", 200},
		{"database-schema-404", bob, "GET", "/api/database/" + d + "/schema/nosuchschema", "", 404},
		{"database-include-tables-user", bob, "GET", "/api/database/" + d + "?include=tables", "", 200},
		{"database-include-400", bob, "GET", "/api/database/" + d + "?include=cards", "", 400},
		{"database-healthcheck", bob, "GET", "/api/database/" + d + "/healthcheck", "", 200},
		{"database-healthcheck-401", anon, "GET", "/api/database/" + d + "/healthcheck", "", 401},
		{"database-rescan-values", e.adminClient, "POST", "/api/database/" + d + "/rescan_values", "", 200},
		{"database-rescan-values-403", bob, "POST", "/api/database/" + d + "/rescan_values", "", 403},
		{"database-rescan-values-404", e.adminClient, "POST", "/api/database/999/rescan_values", "", 404},
		{"field-get-user", bob, "GET", "/api/field/" + plan, "", 200},
		{"field-get-404", bob, "GET", "/api/field/999999", "", 404},
		{"field-put", e.adminClient, "PUT", "/api/field/" + plan, `{"display_name": "Plan name", "description": "The plan invoiced", "semantic_type": "type/Category", "visibility_type": "normal", "has_field_values": "list", "unknown_key": 1}`, 200},
		{"field-put-403", bob, "PUT", "/api/field/" + plan, `{"display_name": "Mine"}`, 403},
		{"field-put-400-semantic", e.adminClient, "PUT", "/api/field/" + plan, `{"semantic_type": "type/Nonsense"}`, 400},
		{"field-put-400-visibility", e.adminClient, "PUT", "/api/field/" + plan, `{"visibility_type": "everywhere"}`, 400},
		{"field-put-400-values", e.adminClient, "PUT", "/api/field/" + plan, `{"has_field_values": "always"}`, 400},
		{"field-put-404", e.adminClient, "PUT", "/api/field/999999", `{"display_name": "x"}`, 404},
		{"table-fks", bob, "GET", "/api/table/" + accID + "/fks", "", 200},
		{"table-fks-404", bob, "GET", "/api/table/999999/fks", "", 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ct := ""
			if tt.body != "" {
				ct = "application/json"
			}
			checkGolden(t, tt.name, tt.status, e.do(tt.c, tt.method, tt.path, ct, tt.body))
		})
	}
	// The edit is stored: the field reads back as edited.
	if r := e.get(bob, "/api/field/"+plan); !strings.Contains(r.body, `"display_name":"Plan name"`) {
		t.Errorf("GET /api/field/%s after the edit = %s, want the new display name", plan, r.body)
	}
}

// TestDataModelOnlyWhatTheActorMaySee reads the data-model lists as a
// sandboxed customer whose group may see INVOICES alone: no other table is
// listed, named through a foreign key, or readable through one of its
// fields.
func TestDataModelOnlyWhatTheActorMaySee(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	f := setupLeakFixtureOn(t, e, sqliteLeakSample(t, e))
	all, err := e.app.Tables(context.Background(), e.adminUser(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	var acc sightline.Table
	for _, tb := range all {
		if tb.Name == "ACCOUNTS" {
			acc = tb
		}
	}
	c := f.clients["sandboxed-28"]
	var listed []struct {
		Name string `json:"name"`
	}
	r := e.get(c, "/api/table")
	if err := json.Unmarshal([]byte(r.body), &listed); err != nil || r.status != 200 {
		t.Fatalf("GET /api/table = %d %s", r.status, r.body)
	}
	if len(listed) != 1 || listed[0].Name != "INVOICES" {
		t.Errorf("GET /api/table as a sandboxed customer lists %v, want INVOICES alone", listed)
	}
	for _, p := range []string{
		"/api/table/" + strconv.FormatInt(acc.ID, 10) + "/fks",
		"/api/field/" + fieldID(t, acc, "ID"),
	} {
		if r := e.get(c, p); r.status != http.StatusNotFound {
			t.Errorf("GET %s as a sandboxed customer = %d %.200s, want 404", p, r.status, r.body)
		}
	}
	// The foreign keys into INVOICES come only from tables they may see:
	// none.
	r = e.get(c, "/api/table/"+strconv.FormatInt(f.inv, 10)+"/fks")
	if r.status != 200 || strings.TrimSpace(r.body) != "[]" {
		t.Errorf("GET /api/table/INVOICES/fks as a sandboxed customer = %d %s, want []", r.status, r.body)
	}
	if r := e.get(f.clients["blocked"], "/api/table"); r.status != 200 || strings.TrimSpace(r.body) != "[]" {
		t.Errorf("GET /api/table as a blocked person = %d %s, want []", r.status, r.body)
	}
}

// TestHealthcheckErrorQuotesNoDetails checks a database that no longer
// answers: the health check says so with status 200 and "error", naming
// the reason to an administrator and quoting no connection detail to
// anyone else.
func TestHealthcheckErrorQuotesNoDetails(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	bob, _ := nonAdmin(t, e, "bob@example.com")
	d, path := addSQLite(t, e, e.adminClient, "Shop", "")
	// The first sync runs in the background; a sync of one's own waits for
	// it (one sync of a database at a time).
	if err := e.app.SyncDatabase(context.Background(), d.ID); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	p := "/api/database/" + strconv.FormatInt(d.ID, 10) + "/healthcheck"
	for _, c := range []struct {
		who    string
		client *http.Client
	}{{"admin", e.adminClient}, {"bob", bob}} {
		var got struct{ Status, Message string }
		r := e.get(c.client, p)
		if err := json.Unmarshal([]byte(r.body), &got); err != nil || r.status != 200 || got.Status != "error" || got.Message == "" {
			t.Errorf("GET %s as %s = %d %s, want 200 with status error and a message", p, c.who, r.status, r.body)
		}
		if c.who != "admin" && strings.Contains(r.body, filepath.Base(filepath.Dir(path))) {
			t.Errorf("GET %s as %s = %s, quotes the database's path", p, c.who, r.body)
		}
		t.Logf("%s reads %s", c.who, got.Message)
	}
}

// TestDatamodelSaveRedirect saves a table and a field with the form's
// database field as typed: the redirect back names that database only as a
// number, and nothing typed adds parameters (a flash message of its own, a
// second table) to the address.
func TestDatamodelSaveRedirect(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	e.withSample()
	db, tables := sampleTables(t, e)
	inv := tables["INVOICES"]
	d, tid := strconv.FormatInt(db, 10), strconv.FormatInt(inv.ID, 10)
	plan := fieldID(t, inv, "PLAN")
	for _, path := range []string{"/admin/datamodel/table/" + tid, "/admin/datamodel/table/" + tid + "/field/" + plan} {
		for _, tt := range []struct {
			db   string
			want url.Values
		}{
			{d, url.Values{"db": {d}, "table": {tid}, "flash": {"Saved."}}},
			{d + "&flash=Sign in again at evil.example&table=1", url.Values{"table": {tid}, "flash": {"Saved."}}},
			{"#x", url.Values{"table": {tid}, "flash": {"Saved."}}},
		} {
			r := e.postForm(admin, path, url.Values{"db": {tt.db}, "description": {"Invoices."}})
			loc, err := url.Parse(r.header.Get("Location"))
			if r.status != http.StatusSeeOther || err != nil || loc.Path != "/admin/datamodel" || loc.Fragment != "" {
				t.Fatalf("POST %s db=%q = %d, Location %q (%v), want a redirect to /admin/datamodel", path, tt.db, r.status, r.header.Get("Location"), err)
			}
			got := loc.Query()
			if got.Get("flash_sig") == "" {
				t.Errorf("POST %s db=%q: Location %q has no flash signature", path, tt.db, loc)
			}
			got.Del("flash_sig")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("POST %s db=%q: Location query (-want +got):\n%s", path, tt.db, diff)
			}
		}
	}
}
