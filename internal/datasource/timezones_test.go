package datasource

import (
	"context"
	"testing"

	"sightline"
)

// TestNamedTimeZones checks the answer a MariaDB source gives about time
// zone names against what CONVERT_TZ does on the same server: true only
// when Berlin's summer time comes out right, false when the server gives
// NULL (its time zone tables are not loaded). SQLite always knows them.
func TestNamedTimeZones(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		s := open(t, sqliteFixture(t, nil))
		if ok, err := s.NamedTimeZones(ctx); !ok || err != nil {
			t.Errorf("NamedTimeZones on SQLite = %v, %v; want true, nil", ok, err)
		}
	})
	t.Run("mariadb", func(t *testing.T) {
		s := open(t, mysqlFixture(t, nil))
		var berlin *string
		if err := mysqlAdmin(t).QueryRowContext(ctx, "SELECT DATE_FORMAT(CONVERT_TZ('2026-03-29 12:00:00', 'UTC', 'Europe/Berlin'), '%Y-%m-%d %H:%i:%s')").Scan(&berlin); err != nil {
			t.Fatal(err)
		}
		loaded := berlin != nil
		if loaded && *berlin != "2026-03-29 14:00:00" {
			t.Fatalf("the server converts noon UTC on 2026-03-29 to %s in Berlin, want 14:00 (summer time)", *berlin)
		}
		for range 2 { // the second answer comes from the cache
			ok, err := s.NamedTimeZones(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if ok != loaded {
				t.Errorf("NamedTimeZones = %v, but CONVERT_TZ to Europe/Berlin gives %v", ok, berlin)
			}
		}
		t.Logf("time zone tables loaded: %v", loaded)
	})
	t.Run("unreachable", func(t *testing.T) {
		s := open(t, sightline.Database{Name: "gone", Engine: sightline.EngineMySQL, Details: sightline.DatabaseDetails{Host: "127.0.0.1", Port: 1, DBName: "gone", User: "root"}})
		if ok, err := s.NamedTimeZones(ctx); ok || err == nil {
			t.Errorf("NamedTimeZones on a closed port = %v, %v; want false and an error", ok, err)
		}
	})
}
