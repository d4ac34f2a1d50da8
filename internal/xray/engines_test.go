package xray

import (
	"context"
	"testing"

	"sightline"
	"sightline/internal/sampledata"
	"sightline/internal/testdb"
)

// TestEngines X-rays INVOICES and ORDERS of the Sample Database loaded into
// PostgreSQL and MariaDB: the dashboards have the same questions as on
// SQLite, none fails, and each returns as many rows as on SQLite.
func TestEngines(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the Sample Database into PostgreSQL and MariaDB")
	}
	lite := sqliteSample(t)
	tables := []string{sampledata.Invoices, sampledata.Orders}
	want := map[string]map[string]int{}
	for _, name := range tables {
		d, err := Generate(lite.table(t, name), lite.md, Options{})
		if err != nil {
			t.Fatalf("Generate(%s) on SQLite = %v", name, err)
		}
		want[name] = map[string]int{}
		for _, r := range runCards(t, lite, d) {
			if r.err != nil {
				t.Fatalf("SQLite card %q: %v", r.name, r.err)
			}
			want[name][r.name] = r.rows
		}
	}
	engines := []struct {
		name string
		open func(t *testing.T) (url string, db sightline.Database)
	}{
		{sightline.EnginePostgres, func(t *testing.T) (string, sightline.Database) {
			pg := testdb.Postgres(t)
			return pg.URL, sightline.Database{ID: 2, Name: "Sample on PostgreSQL", Engine: sightline.EnginePostgres,
				Details: sightline.DatabaseDetails{Host: "127.0.0.1", Port: 5432, DBName: pg.Name, User: "postgres", SSLMode: "disable"}}
		}},
		{sightline.EngineMySQL, func(t *testing.T) (string, sightline.Database) {
			my := testdb.MySQL(t)
			return my.URL, sightline.Database{ID: 3, Name: "Sample on MariaDB", Engine: sightline.EngineMySQL,
				Details: sightline.DatabaseDetails{Host: my.Host, Port: my.Port, DBName: my.Name, User: my.User}}
		}},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			url, db := e.open(t)
			if err := sampledata.LoadURL(context.Background(), url, sampledata.Options{Anchor: anchor()}, nil); err != nil {
				t.Fatalf("LoadURL = %v", err)
			}
			s := syncSample(t, db)
			for _, name := range tables {
				d, err := Generate(s.table(t, name), s.md, Options{})
				if err != nil {
					t.Fatalf("Generate(%s) = %v", name, err)
				}
				got := map[string]bool{}
				results := runCards(t, s, d)
				t.Logf("%s on %s: %d questions", name, e.name, len(results))
				for _, r := range results {
					got[r.name] = true
					n, ok := want[name][r.name]
					switch {
					case r.err != nil:
						t.Errorf("%s card %q: %v", name, r.name, r.err)
					case !ok:
						t.Errorf("%s card %q is not on the SQLite X-ray", name, r.name)
					case r.rows != n:
						t.Errorf("%s card %q: %d rows, want %d as on SQLite", name, r.name, r.rows, n)
					}
				}
				for card := range want[name] {
					if !got[card] {
						t.Errorf("%s card %q of the SQLite X-ray is missing", name, card)
					}
				}
			}
		})
	}
}
