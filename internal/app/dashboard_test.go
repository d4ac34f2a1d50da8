package app

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/testdb"
)

// TestDashboardCardOfDroppedTable drops the table behind one card of a
// dashboard: that card reports a clear error, before and after the next
// metadata sync, while the other card still loads.
func TestDashboardCardOfDroppedTable(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	pg := testdb.Postgres(t)
	raw, err := sql.Open("pgx", pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{
		`CREATE TABLE kept (id INTEGER PRIMARY KEY, amount NUMERIC(10,2))`,
		`CREATE TABLE doomed (id INTEGER PRIMARY KEY, label TEXT)`,
		`INSERT INTO kept VALUES (1, 10), (2, 20)`,
		`INSERT INTO doomed VALUES (1, 'a')`,
	} {
		if _, err := raw.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	u, _ := url.Parse(pg.URL)
	d, err := a.AddDatabase(ctx, admin, DatabaseInput{Name: "Shop", Engine: sightline.EnginePostgres,
		Details: sightline.DatabaseDetails{Host: u.Hostname(), Port: 5432, DBName: pg.Name, User: "postgres", SSLMode: "disable"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SyncDatabase(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	tables, _ := a.Tables(ctx, admin, d.ID)
	count := func(name string) *sightline.Card {
		tb := tableByName(t, tables, name)
		return &sightline.Card{Name: "Count of " + name, Display: "number", Query: &sightline.Query{Database: d.ID, Type: sightline.QueryTypeStructured,
			Structured: &sightline.StructuredQuery{SourceTable: tb.ID, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}}
	}
	dash, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Shop", Cards: []sightline.DashboardCard{
		{Row: 0, Col: 0, SizeX: 12, SizeY: 4, Card: count("kept")},
		{Row: 0, Col: 12, SizeX: 12, SizeY: 4, Card: count("doomed")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `DROP TABLE doomed`); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		d, err := a.Dashboard(ctx, admin, dash.ID)
		if err != nil {
			t.Fatal(err)
		}
		res, err := a.RunDashboardCard(ctx, admin, d.ID, d.Cards[0].ID, nil, RunOptions{})
		if err != nil || len(res.Rows) != 1 {
			t.Errorf("%s: the other card = %v, %v; want it to load", when, res, err)
		}
		_, err = a.RunDashboardCard(ctx, admin, d.ID, d.Cards[1].ID, nil, RunOptions{})
		msg := sightline.ErrorMessage(err)
		if err == nil || sightline.ErrorCode(err) == sightline.EINTERNAL || !strings.Contains(msg, "doomed") && !strings.Contains(msg, "does not exist") && !strings.Contains(msg, "no longer in the database") {
			t.Errorf("%s: the dropped table's card = %v (%q), want a clear error", when, err, msg)
		}
		t.Logf("%s: %s", when, msg)
	}
	check("before the next sync")
	if err := a.SyncDatabase(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	check("after the next sync")
}
