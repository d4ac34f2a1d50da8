package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"sightline"
	"sightline/internal/app"
	"sightline/internal/sampledata"
	"sightline/internal/testdb"
)

// statKeys are the JSON keys that carry numbers measured over every row of
// a table, or a connection's details.
var statKeys = map[string]bool{
	"rows": true, "distinct_count": true, "last_sync_error": true, "sync_progress": true,
	"path": true, "host": true, "port": true, "user": true, "dbname": true, "ssl_mode": true, "options": true,
}

// TestMetadataStatsForAdminsOnly reads the metadata routes as a sandboxed
// customer, an unrestricted non-admin and an administrator: only the
// administrator sees row counts, distinct counts and connection details.
func TestMetadataStatsForAdminsOnly(t *testing.T) {
	for _, eng := range []struct {
		name   string
		sample func(t *testing.T, e *testEnv) int64
	}{
		{"sqlite", sqliteLeakSample},
		{"postgres", postgresLeakSample},
	} {
		t.Run(eng.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.setup()
			f := setupLeakFixtureOn(t, e, eng.sample(t, e))
			d, err := e.app.Database(context.Background(), e.adminUser(), f.db)
			if err != nil {
				t.Fatal(err)
			}
			// The values that must not show, whatever key carries them (a
			// user named like the engine cannot be told apart).
			var secrets []string
			for _, v := range []string{d.Details.Path, d.Details.Host, d.Details.User, d.Details.DBName} {
				if v != "" && v != d.Engine {
					secrets = append(secrets, v)
				}
			}
			if len(secrets) == 0 {
				t.Fatalf("database %d has no connection details to hide: %+v", f.db, d.Details)
			}
			db, inv := strconv.FormatInt(f.db, 10), strconv.FormatInt(f.inv, 10)
			it, err := e.app.Table(context.Background(), e.adminUser(), f.inv)
			if err != nil || it.RowCount == 0 {
				t.Fatalf("the admin's INVOICES = %+v, %v; want its row count", it, err)
			}
			paths := []string{"/api/database", "/api/database/" + db, "/api/database/" + db + "/metadata",
				"/api/table/" + inv, "/api/table/" + inv + "/query_metadata",
				fmt.Sprintf("/api/card/%d/query_metadata", f.countCard), fmt.Sprintf("/api/dashboard/%d/query_metadata", f.dash),
				"/api/table", "/api/database/" + db + "?include=tables.fields", "/api/database/" + db + "/schema/" + url.PathEscape(it.Schema),
				"/api/field/" + strconv.FormatInt(f.plan, 10), "/api/database/" + db + "/schemas", "/api/database/" + db + "/healthcheck",
				"/api/table/" + inv + "/fks", "/api/automagic-dashboards/table/" + inv, "/api/field/" + strconv.FormatInt(f.acct, 10),
				"/api/search?q=invoices"}
			for _, who := range []string{"sandboxed-28", "unrestricted", "api-key-analysts"} {
				for _, p := range paths {
					t.Run(who+p, func(t *testing.T) {
						r := e.get(f.clients[who], p)
						if r.status != 200 {
							t.Fatalf("GET %s = %d %s", p, r.status, r.body)
						}
						if got := jsonKeys(t, r.body, statKeys); len(got) > 0 {
							t.Errorf("GET %s as %s shows %v, want none of them", p, who, got)
						}
						for _, s := range secrets {
							if strings.Contains(r.body, s) {
								t.Errorf("GET %s as %s shows %q of the connection details", p, who, s)
							}
						}
					})
				}
			}
			// Pages show nothing of them either, nor, to a sandboxed
			// customer, how many rows the table holds for all tenants.
			total := strconv.FormatInt(it.RowCount, 10)
			hidden := append([]string{total, thousandsSep(total)}, secrets...)
			for _, p := range []string{"/browse", "/browse/" + db, "/table/" + inv, "/question/new?table=" + inv,
				"/auto/dashboard/table/" + inv, "/api/search?q=invoices"} {
				t.Run("sandboxed-28"+p, func(t *testing.T) {
					r := e.get(f.clients["sandboxed-28"], p)
					if r.status != 200 {
						t.Fatalf("GET %s = %d %.300s", p, r.status, r.body)
					}
					for _, s := range hidden {
						if strings.Contains(r.body, s) {
							t.Errorf("GET %s as a sandboxed customer shows %q", p, s)
						}
					}
				})
			}
			t.Run("admin", func(t *testing.T) {
				want := map[string][]string{
					"/api/database/" + db:                                   {"dbname", "path"},
					"/api/database/" + db + "/metadata":                     {"rows", "distinct_count"},
					"/api/table/" + inv + "/query_metadata":                 {"rows", "distinct_count"},
					fmt.Sprintf("/api/card/%d/query_metadata", f.countCard): {"dbname", "path", "rows", "distinct_count"},
					fmt.Sprintf("/api/dashboard/%d/query_metadata", f.dash): {"dbname", "path", "rows", "distinct_count"},
					"/api/database/" + db + "?include=tables.fields":        {"rows", "distinct_count"},
					"/api/table": {"rows"},
				}
				for p, keys := range want {
					r := e.get(f.clients["admin"], p)
					got := jsonKeys(t, r.body, statKeys)
					found := 0
					for _, k := range keys {
						if got[k] {
							found++
						}
					}
					if r.status != 200 || found == 0 {
						t.Errorf("GET %s as the admin = %d with %v, want some of %v", p, r.status, got, keys)
					}
				}
			})
		})
	}
}

// jsonKeys returns which of keys appear, at any depth, in a JSON body.
func jsonKeys(t *testing.T, body string, keys map[string]bool) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("body is not JSON: %v: %.200s", err, body)
	}
	found := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if keys[k] {
					found[k] = true
				}
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return found
}

// thousandsSep writes digits with "," every three places.
func thousandsSep(digits string) string {
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + "," + digits[i:]
	}
	return digits
}

// TestSyncStateDetailsForAdminsOnly leaves a database mid-sync and after a
// failed sync: a non-admin sees the status, not the progress (which names
// tables) nor the error (which quotes the connection).
func TestSyncStateDetailsForAdminsOnly(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	admin := e.setup()
	db := sqliteLeakSample(t, e)
	if _, err := e.app.CreateUser(ctx, e.adminUser(), app.NewUserInput{Email: "bob@example.com", Password: "bob password"}); err != nil {
		t.Fatal(err)
	}
	bob := e.signIn("bob@example.com", "bob password")
	path := "/api/database/" + strconv.FormatInt(db, 10)
	tests := []struct {
		status, progress, lastError string
	}{
		{"syncing", "table 3 of 8: PAYROLL_SECRETS", ""},
		{"failed", "", "dial tcp 10.1.2.3:5432: connect: connection refused"},
	}
	for _, tt := range tests {
		if err := e.db.SetSyncState(ctx, db, tt.status, tt.progress, tt.lastError, time.Time{}); err != nil {
			t.Fatal(err)
		}
		secret := tt.progress + tt.lastError
		if r := e.get(bob, path); r.status != 200 || strings.Contains(r.body, secret) || !strings.Contains(r.body, `"sync_status":"`+tt.status+`"`) {
			t.Errorf("GET %s as a non-admin while %s = %d %s, want the status without %q", path, tt.status, r.status, r.body, secret)
		}
		if r := e.get(admin, path); !strings.Contains(r.body, secret) {
			t.Errorf("GET %s as the admin while %s = %d %s, want %q", path, tt.status, r.status, r.body, secret)
		}
	}
}

// TestXRayChartsIgnoreOtherTenants X-rays the sandboxed INVOICES as
// account 28 before and after other accounts' rows bring many new plans:
// the charts an X-ray picks come from the table's metadata, and none of
// what account 28 is shown may change with rows it cannot see.
func TestXRayChartsIgnoreOtherTenants(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	e.setup()
	pg := testdb.Postgres(t)
	if err := sampledata.LoadURL(ctx, pg.URL, sampledata.Options{Anchor: leakAnchor, Scale: 1}, nil); err != nil {
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
	db := addLeakSample(t, e, app.DatabaseInput{Name: "Sample on PostgreSQL", Engine: sightline.EnginePostgres,
		Details: sightline.DatabaseDetails{Host: u.Hostname(), Port: port, DBName: pg.Name, User: u.User.Username(), SSLMode: "disable"}})
	f := setupLeakFixtureOn(t, e, db)
	path := "/api/automagic-dashboards/table/" + strconv.FormatInt(f.inv, 10)
	xray := func(who string) string {
		t.Helper()
		r := e.get(f.clients[who], path)
		if r.status != 200 {
			t.Fatalf("GET %s as %s = %d %.300s", path, who, r.status, r.body)
		}
		return r.body
	}
	before, adminBefore := xray("sandboxed-28"), xray("admin")

	conn, err := sql.Open("pgx", pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i := range 12 {
		if _, err := conn.ExecContext(ctx, `INSERT INTO "INVOICES" ("ID", "ACCOUNT_ID", "PAYMENT", "EXPECTED_INVOICE", "PLAN", "DATE_RECEIVED")
			SELECT MAX("ID") + 1, 1, 10, false, $1, CURRENT_DATE FROM "INVOICES"`, fmt.Sprintf("Plan %02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.app.SyncDatabase(ctx, db); err != nil {
		t.Fatal(err)
	}
	if xray("admin") == adminBefore {
		t.Fatalf("the admin's X-ray is the same with 15 plans as with 3: the rows added change nothing to test")
	}
	if after := xray("sandboxed-28"); after != before {
		t.Errorf("GET %s as account 28 changed when other accounts' rows did:\nbefore %.600s\nafter  %.600s", path, before, after)
	}
}
