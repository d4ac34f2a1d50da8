package app

import (
	"context"
	"database/sql"
	"net/url"
	"strconv"
	"testing"

	"sightline"
	"sightline/internal/testdb"
)

// TestBrowseTableBreaksTies sorts a PostgreSQL table by a column full of
// ties, whose rows an update has moved around the heap: the rows tied on it
// come in primary-key order, so that the pages of the table view, each read
// by its own query, neither repeat nor skip rows.
func TestBrowseTableBreaksTies(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	pg := testdb.Postgres(t)
	conn, err := sql.Open("pgx", pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range []string{
		"CREATE TABLE tickets (id integer PRIMARY KEY, priority integer NOT NULL)",
		"INSERT INTO tickets SELECT g, g % 3 FROM generate_series(1, 600) AS g",
		"UPDATE tickets SET priority = priority WHERE id % 7 = 0",
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	u, err := url.Parse(pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	d, err := a.AddDatabase(ctx, admin, DatabaseInput{Name: "Helpdesk", Engine: sightline.EnginePostgres,
		Details: sightline.DatabaseDetails{Host: u.Hostname(), Port: port, DBName: pg.Name, User: u.User.Username(), SSLMode: "disable"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SyncDatabase(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	tables, err := a.Tables(ctx, admin, d.ID)
	if err != nil || len(tables) != 1 {
		t.Fatalf("Tables() = %v, %v; want tickets", tables, err)
	}
	tickets := tables[0]
	var priority int64
	for _, f := range tickets.Fields {
		if f.Name == "priority" {
			priority = f.ID
		}
	}

	for _, desc := range []bool{false, true} {
		res, err := a.BrowseTable(ctx, admin, tickets.ID, BrowseOptions{SortField: priority, Desc: desc})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 600 {
			t.Fatalf("BrowseTable(sort by priority, desc %t) = %d rows, want 600", desc, len(res.Rows))
		}
		for i := 1; i < len(res.Rows); i++ {
			prev, cur := res.Rows[i-1], res.Rows[i]
			p0, p1 := prev[1].(int64), cur[1].(int64)
			ordered := p0 < p1 || (p0 == p1 && prev[0].(int64) < cur[0].(int64))
			if desc {
				ordered = p0 > p1 || (p0 == p1 && prev[0].(int64) < cur[0].(int64))
			}
			if !ordered {
				t.Fatalf("BrowseTable(sort by priority, desc %t): row %d is %v after %v, want ties in id order", desc, i, cur, prev)
			}
		}
	}
}
