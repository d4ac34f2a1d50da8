package app

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/sandbox"
)

// TestSandboxOnDroppedColumnFailsClosed: a sandbox whose column is dropped
// from the user's database refuses the table after the next sync, with an
// error, and never shows the rows unfiltered.
func TestSandboxOnDroppedColumnFailsClosed(t *testing.T) {
	ctx := context.Background()
	a, _, admin := newTestApp(t)
	path := filepath.Join(t.TempDir(), "orders.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{
		"CREATE TABLE ORDERS (ID INTEGER PRIMARY KEY, ACCOUNT_ID INTEGER NOT NULL, TOTAL REAL NOT NULL)",
		"INSERT INTO ORDERS (ACCOUNT_ID, TOTAL) VALUES (28, 10), (28, 20), (13, 30), (13, 40), (7, 50)",
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	d, tables := addSynced(t, a, admin, DatabaseInput{Name: "Orders", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}})
	orders := tableByName(t, tables, "ORDERS")
	acme, err := a.CreateGroup(ctx, admin, "Customer Acme")
	if err != nil {
		t.Fatal(err)
	}
	g, err := a.DataPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	db := strconv.FormatInt(d.ID, 10)
	if _, err := a.SaveDataPermissionGraph(ctx, admin, access.WireGraph{Revision: g.Revision, Groups: map[string]map[string]access.WireDBPerms{
		"1": {db: {ViewData: access.ViewBlocked, CreateQueries: access.QueryNone}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: acme.ID, TableID: orders.ID,
		Remappings: map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetDimension, FieldID: fieldByName(t, orders, "ACCOUNT_ID").ID}}}); err != nil {
		t.Fatal(err)
	}
	ann, err := a.CreateUser(ctx, admin, NewUserInput{Email: "ann@acme.example", Password: "a password", GroupIDs: []int64{acme.ID}, Attributes: map[string]string{"account_id": "28"}})
	if err != nil {
		t.Fatal(err)
	}
	count := &sightline.Query{Database: d.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
		SourceTable: orders.ID, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}
	wantCount(t, a, ann, "ORDERS before the drop", count, 2)

	if _, err := raw.ExecContext(ctx, "ALTER TABLE ORDERS DROP COLUMN ACCOUNT_ID"); err != nil {
		t.Fatal(err)
	}
	if err := a.SyncDatabase(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	res, err := a.RunQuery(ctx, ann, count, RunOptions{})
	if err == nil {
		t.Fatalf("ORDERS after its sandbox column was dropped = %v, want an error", res.Rows)
	}
	if code := sightline.ErrorCode(err); code != sightline.EFORBIDDEN || !strings.Contains(sightline.ErrorMessage(err), "no longer exists") {
		t.Errorf("ORDERS after its sandbox column was dropped: %v, want a forbidden error saying the column no longer exists", err)
	}
	if _, err := a.BrowseTable(ctx, ann, orders.ID, BrowseOptions{}); err == nil {
		t.Errorf("browsing ORDERS after its sandbox column was dropped worked, want an error")
	}
	// The administrator still reads the table.
	wantCount(t, a, admin, "ORDERS for the admin after the drop", count, 5)
}
