package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sightline"
	"sightline/internal/appdb"
)

// newTestApp returns an App over a real SQLite app database with an admin.
func newTestApp(t testing.TB) (*App, *appdb.DB, *sightline.User) {
	t.Helper()
	db, err := appdb.Open(context.Background(), appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := New(Options{Store: db, Meta: db, Content: db, Search: db})
	t.Cleanup(func() { a.Close() })
	_, admin, err := a.Setup(context.Background(), SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	return a, db, admin
}

// sampleApp is newTestApp with the Sample Database generated and synced.
func sampleApp(t testing.TB) (*App, *appdb.DB, *sightline.User, *sightline.Database) {
	t.Helper()
	a, db, admin := newTestApp(t)
	ctx := context.Background()
	if err := a.EnsureSampleDatabase(ctx, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	dbs, err := a.Databases(ctx, admin)
	if err != nil || len(dbs) != 1 {
		t.Fatalf("Databases() = %v, %v; want the Sample Database", dbs, err)
	}
	return a, db, admin, dbs[0]
}

func tableByName(t testing.TB, tables []sightline.Table, name string) *sightline.Table {
	t.Helper()
	for i := range tables {
		if tables[i].Name == name {
			return &tables[i]
		}
	}
	t.Fatalf("no table %s", name)
	return nil
}

func fieldByName(t testing.TB, tb *sightline.Table, name string) *sightline.Field {
	t.Helper()
	for i := range tb.Fields {
		if tb.Fields[i].Name == name {
			return &tb.Fields[i]
		}
	}
	t.Fatalf("no field %s.%s", tb.Name, name)
	return nil
}

// TestCloseWaitsForBackgroundWork checks that Close cancels the work started
// with Go and returns only once it has stopped, and that Go starts nothing
// once Close has run.
func TestCloseWaitsForBackgroundWork(t *testing.T) {
	a := New(Options{})
	started := make(chan struct{})
	var stopped atomic.Bool
	a.Go(func(ctx context.Context) {
		close(started)
		<-ctx.Done()
		// Work that takes a moment to wind down, like a write in progress.
		time.Sleep(20 * time.Millisecond)
		stopped.Store(true)
	})
	<-started
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if !stopped.Load() {
		t.Error("Close returned while background work was still running")
	}
	var ran atomic.Bool
	a.Go(func(context.Context) { ran.Store(true) })
	a.bg.Wait()
	if ran.Load() {
		t.Error("Go ran work after Close")
	}
}

func TestSampleDatabaseSynced(t *testing.T) {
	a, _, admin, sample := sampleApp(t)
	ctx := context.Background()
	if sample.Name != "Sample Database" || sample.SyncStatus != SyncComplete || sample.Details.Password != "" {
		t.Errorf("sample = %+v, want a synced Sample Database", sample)
	}
	tables, err := a.Tables(ctx, admin, sample.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 8 {
		t.Fatalf("got %d tables, want 8", len(tables))
	}
	inv := tableByName(t, tables, "INVOICES")
	if inv.DisplayName != "Invoices" || inv.Description == "" {
		t.Errorf("INVOICES = %q / %q, want a display name and the generator's description", inv.DisplayName, inv.Description)
	}
	acct := fieldByName(t, inv, "ACCOUNT_ID")
	accounts := tableByName(t, tables, "ACCOUNTS")
	if acct.SemanticType != sightline.SemanticFK || acct.FKTargetFieldID != fieldByName(t, accounts, "ID").ID || acct.DisplayName != "Account ID" {
		t.Errorf("INVOICES.ACCOUNT_ID = %+v, want a foreign key to ACCOUNTS.ID named Account ID", acct)
	}
	checks := map[string]string{"ID": sightline.SemanticPK, "PAYMENT": sightline.SemanticCurrency, "PLAN": sightline.SemanticCategory}
	for name, want := range checks {
		if got := fieldByName(t, inv, name).SemanticType; got != want {
			t.Errorf("INVOICES.%s semantic type = %q, want %q", name, got, want)
		}
	}
	vals, err := a.meta.FieldValues(ctx, fieldByName(t, inv, "PLAN").ID)
	if err != nil || len(vals) != 3 {
		t.Errorf("PLAN values = %v, %v; want Basic, Business, Premium", vals, err)
	}
}

func TestBrowseInvoices(t *testing.T) {
	a, _, admin, sample := sampleApp(t)
	ctx := context.Background()
	tables, _ := a.Tables(ctx, admin, sample.ID)
	inv := tableByName(t, tables, "INVOICES")
	all, err := a.BrowseTable(ctx, admin, inv.ID, BrowseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if all.RowCount != MaxDisplayRows || !all.Truncated || all.Total != 13856 {
		t.Errorf("all invoices: %d rows shown, truncated %v, total %d; want 2000, true, 13856", all.RowCount, all.Truncated, all.Total)
	}
	acct := fieldByName(t, inv, "ACCOUNT_ID").ID
	r, err := a.BrowseTable(ctx, admin, inv.ID, BrowseOptions{Filters: map[int64]string{acct: "28"}, SortField: fieldByName(t, inv, "DATE_RECEIVED").ID, Desc: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 22 || r.RowCount != 22 {
		t.Fatalf("account 28: %d rows (total %d), want 22", r.RowCount, r.Total)
	}
	pay := -1
	for i, c := range r.Columns {
		if c.Name == "PAYMENT" {
			pay = i
		}
	}
	for _, row := range r.Rows {
		if v, ok := row[pay].(float64); !ok || v != 295 {
			t.Errorf("account 28 payment = %#v, want 295", row[pay])
		}
	}
	bad := []map[int64]string{{acct: "28 OR 1=1"}, {999999: "x"}}
	for _, f := range bad {
		if _, err := a.BrowseTable(ctx, admin, inv.ID, BrowseOptions{Filters: f}); sightline.ErrorCode(err) != sightline.EINVALID {
			t.Errorf("BrowseTable(filters %v) error = %v, want invalid", f, err)
		}
	}
	plan := fieldByName(t, inv, "PLAN").ID
	r, err = a.BrowseTable(ctx, admin, inv.ID, BrowseOptions{Filters: map[int64]string{plan: "' OR '1'='1"}})
	if err != nil || r.Total != 0 {
		t.Errorf("injection through a text filter: %v rows, %v; want none", r.Total, err)
	}
}

func TestAddDatabaseBadInputSavesNothing(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tests := []struct {
		name string
		in   DatabaseInput
	}{
		{"missing sqlite file", DatabaseInput{Name: "x", Engine: "sqlite", Details: sightline.DatabaseDetails{Path: "/nonexistent/file.db"}}},
		{"unknown engine", DatabaseInput{Name: "x", Engine: "oracle"}},
		{"no name", DatabaseInput{Engine: "sqlite", Details: sightline.DatabaseDetails{Path: "/tmp/x.db"}}},
		{"wrong host", DatabaseInput{Name: "x", Engine: "postgres", Details: sightline.DatabaseDetails{Host: "127.0.0.1", Port: 1, DBName: "x", User: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.AddDatabase(ctx, admin, tt.in)
			if err == nil || sightline.ErrorMessage(err) == "" {
				t.Fatalf("AddDatabase(%s) = %v, want a clear error", tt.name, err)
			}
			t.Logf("%s: %s", tt.name, sightline.ErrorMessage(err))
			dbs, _ := a.Databases(ctx, admin)
			if len(dbs) != 0 {
				t.Errorf("a database was saved after the error: %+v", dbs)
			}
		})
	}
}

// BenchmarkSyncSampleDatabase measures a full metadata sync of the Sample
// Database on SQLite (catalog, probes, semantic types, field values, and
// the merge into the app database).
func BenchmarkSyncSampleDatabase(b *testing.B) {
	a, _, _, sample := sampleApp(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := a.SyncDatabase(ctx, sample.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// TestResyncKeepsAdminEdits edits a table's and a field's metadata, syncs
// again, and finds the edits intact.
func TestResyncKeepsAdminEdits(t *testing.T) {
	a, _, admin, sample := sampleApp(t)
	ctx := context.Background()
	tables, _ := a.AdminTables(ctx, admin, sample.ID)
	inv := tableByName(t, tables, "INVOICES")
	plan := fieldByName(t, inv, "PLAN")
	name, desc, hidden := "Billing", "What customers paid, month by month.", sightline.VisibilityHidden
	if err := a.EditTable(ctx, admin, inv.ID, sightline.TableEdit{DisplayName: &name, Description: &desc}); err != nil {
		t.Fatal(err)
	}
	fname, sem := "Subscription plan", sightline.SemanticTitle
	if err := a.EditField(ctx, admin, inv.ID, plan.ID, sightline.FieldEdit{DisplayName: &fname, SemanticType: &sem, Visibility: &hidden}); err != nil {
		t.Fatal(err)
	}
	bad := "type/Nonsense"
	if err := a.EditField(ctx, admin, inv.ID, plan.ID, sightline.FieldEdit{SemanticType: &bad}); sightline.ErrorCode(err) != sightline.EINVALID {
		t.Errorf("unknown semantic type = %v, want invalid", err)
	}
	if err := a.SyncDatabase(ctx, sample.ID); err != nil {
		t.Fatal(err)
	}
	tables, _ = a.AdminTables(ctx, admin, sample.ID)
	inv = tableByName(t, tables, "INVOICES")
	plan = fieldByName(t, inv, "PLAN")
	if inv.DisplayName != name || inv.Description != desc {
		t.Errorf("after re-sync the table is %q / %q, want the edits kept", inv.DisplayName, inv.Description)
	}
	if plan.DisplayName != fname || plan.SemanticType != sem || plan.Visibility != hidden {
		t.Errorf("after re-sync PLAN is %q %q %q, want the edits kept", plan.DisplayName, plan.SemanticType, plan.Visibility)
	}
	// A non-admin cannot edit metadata.
	bob, err := a.CreateUser(ctx, admin, NewUserInput{Email: "bob@example.com", Password: "bob password"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.EditTable(ctx, bob, inv.ID, sightline.TableEdit{DisplayName: &name}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("non-admin edit = %v, want forbidden", err)
	}
}

// TestSampleDatabaseKeepsItsAnchor: a Sample Database file that no app
// database has recorded is made again with the anchor date that gets
// recorded, so the rows never depend on when the file happened to be made.
func TestSampleDatabaseKeepsItsAnchor(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func(day time.Time) (*App, *sightline.User) {
		db, err := appdb.Open(ctx, appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		a := New(Options{Store: db, Meta: db, Content: db, Search: db, Now: func() time.Time { return day }})
		t.Cleanup(func() { a.Close() })
		_, admin, err := a.Setup(ctx, SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada"})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.EnsureSampleDatabase(ctx, dir); err != nil {
			t.Fatal(err)
		}
		return a, admin
	}
	// latest is the newest invoice date in the file, as the app reads it.
	latest := func(a *App, admin *sightline.User) string {
		dbs, err := a.Databases(ctx, admin)
		if err != nil || len(dbs) != 1 {
			t.Fatalf("Databases = %v, %v", dbs, err)
		}
		tables, err := a.Tables(ctx, admin, dbs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		inv := tableByName(t, tables, "INVOICES")
		q := &sightline.Query{Database: dbs[0].ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: inv.ID,
			Aggregations: []sightline.Aggregation{{Op: sightline.AggMax, Arg: &sightline.FieldRef{ID: fieldByName(t, inv, "DATE_RECEIVED").ID}}}}}
		res, err := a.RunQuery(ctx, admin, q, RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return dbs[0].Details.Options + " " + fmt.Sprint(res.Rows[0][0])
	}
	first := latest(open(time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)))
	// A second app database finds the file but no record of its anchor.
	second := latest(open(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)))
	if !strings.HasPrefix(first, "anchor=2026-01-15 ") || !strings.HasPrefix(second, "anchor=2026-06-01 ") || first[len("anchor=2026-01-15 "):] == second[len("anchor=2026-06-01 "):] {
		t.Errorf("first app: %s; second app: %s; want each file made with its recorded anchor", first, second)
	}
}
