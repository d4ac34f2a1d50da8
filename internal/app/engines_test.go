package app

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/sampledata"
	"sightline/internal/testdb"
)

// sampleAnchor fixes the generated data so that the three engines hold
// exactly the same rows.
var sampleAnchor = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

// addSynced adds a database as admin, waits for its sync, and returns it
// with its tables.
func addSynced(t *testing.T, a *App, admin *sightline.User, in DatabaseInput) (*sightline.Database, []sightline.Table) {
	t.Helper()
	ctx := context.Background()
	d, err := a.AddDatabase(ctx, admin, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SyncDatabase(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	tables, err := a.Tables(ctx, admin, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	return d, tables
}

// addEngineSample loads the Sample Database into a fresh PostgreSQL or
// MariaDB database, registers it, and syncs it.
func addEngineSample(t *testing.T, a *App, admin *sightline.User, engine string) *sightline.Database {
	t.Helper()
	ctx := context.Background()
	var in DatabaseInput
	switch engine {
	case sightline.EnginePostgres:
		pg := testdb.Postgres(t)
		if err := sampledata.LoadURL(ctx, pg.URL, sampledata.Options{Anchor: sampleAnchor}, nil); err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(pg.URL)
		port, err := strconv.Atoi(u.Port())
		if err != nil {
			port = 5432
		}
		in = DatabaseInput{Name: "PG sample", Engine: engine, Details: sightline.DatabaseDetails{Host: u.Hostname(), Port: port, DBName: pg.Name, User: u.User.Username(), SSLMode: "disable"}}
	case sightline.EngineMySQL:
		my := testdb.MySQL(t)
		if err := sampledata.LoadURL(ctx, my.URL, sampledata.Options{Anchor: sampleAnchor}, nil); err != nil {
			t.Fatal(err)
		}
		in = DatabaseInput{Name: "MariaDB sample", Engine: engine, Details: sightline.DatabaseDetails{Host: my.Host, Port: my.Port, DBName: my.Name, User: my.User}}
	}
	d, err := a.AddDatabase(ctx, admin, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SyncDatabase(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	return d
}

// shape is what must agree across engines: per table, each field's base
// and semantic type and whether it is a foreign key.
func shape(t *testing.T, a *App, admin *sightline.User, dbID int64) map[string]map[string]string {
	t.Helper()
	tables, err := a.Tables(context.Background(), admin, dbID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, tb := range tables {
		m := map[string]string{"(display)": tb.DisplayName, "(description)": tb.Description}
		for _, f := range tb.Fields {
			m[f.Name] = fmt.Sprintf("%s %s fk=%v %q", f.BaseType, f.SemanticType, f.FKTargetFieldID != 0, f.DisplayName)
		}
		out[tb.Name] = m
	}
	return out
}

// TestSampleDatabaseSameOnEveryEngine loads the same Sample Database into
// SQLite, PostgreSQL and MariaDB: they sync to the same tables, types and
// semantic types, and browsing INVOICES returns identical rows.
func TestSampleDatabaseSameOnEveryEngine(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	dir := t.TempDir()
	path := dir + "/sample.db"
	if err := sampledata.WriteSQLite(ctx, path, sampledata.Options{Anchor: sampleAnchor}); err != nil {
		t.Fatal(err)
	}
	lite, err := a.AddDatabase(ctx, admin, DatabaseInput{Name: "SQLite sample", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SyncDatabase(ctx, lite.ID); err != nil {
		t.Fatal(err)
	}
	want := shape(t, a, admin, lite.ID)
	// SQLite has no comments: descriptions come from the generator only for
	// the bundled Sample Database, so compare them only between the servers.
	for _, m := range want {
		delete(m, "(description)")
	}
	wantRows := invoiceRows(t, a, admin, lite.ID)
	for _, engine := range []string{sightline.EnginePostgres, sightline.EngineMySQL} {
		t.Run(engine, func(t *testing.T) {
			d := addEngineSample(t, a, admin, engine)
			got := shape(t, a, admin, d.ID)
			for name, m := range got {
				if m["(description)"] == "" {
					t.Errorf("%s on %s has no description, want the COMMENT the loader wrote", name, engine)
				}
				delete(m, "(description)")
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("metadata on %s differs from SQLite (-sqlite +%s):\n%s", engine, engine, diff)
			}
			if diff := cmp.Diff(wantRows, invoiceRows(t, a, admin, d.ID)); diff != "" {
				t.Errorf("INVOICES rows on %s differ from SQLite (-sqlite +%s):\n%s", engine, engine, diff)
			}
		})
	}
}

// invoiceRows browses every INVOICES row of account 28 and of the first
// 2,000 by ID, formatted the way the table view shows values.
func invoiceRows(t *testing.T, a *App, admin *sightline.User, dbID int64) []string {
	t.Helper()
	ctx := context.Background()
	tables, err := a.Tables(ctx, admin, dbID)
	if err != nil {
		t.Fatal(err)
	}
	inv := tableByName(t, tables, "INVOICES")
	res, err := a.BrowseTable(ctx, admin, inv.ID, BrowseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 13856 {
		t.Errorf("INVOICES total = %d, want 13856", res.Total)
	}
	out := make([]string, 0, len(res.Rows))
	for _, row := range res.Rows {
		out = append(out, fmt.Sprint(normalizeRow(row)...))
	}
	return out
}

func normalizeRow(row []any) []any {
	out := make([]any, len(row))
	for i, v := range row {
		switch x := v.(type) {
		case time.Time:
			out[i] = x.UTC().Format(time.DateTime)
		case float64:
			out[i] = fmt.Sprintf("%.2f", x)
		case int64:
			out[i] = fmt.Sprintf("%d", x)
		default:
			out[i] = v
		}
	}
	return out
}
