package app

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/testdb"
)

// TestConvertTimezoneOnMariaDB runs convertTimezone through the data door
// on a MariaDB database: the app asks the server whether it knows zone
// names and, with its time zone tables loaded (scripts/setup.sh --test),
// the question shows UTC times in Berlin's time on either side of both
// daylight saving changes of 2024.
func TestConvertTimezoneOnMariaDB(t *testing.T) {
	ctx := context.Background()
	my := testdb.MySQL(t)
	raw, err := sql.Open("mysql", my.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range []string{
		"CREATE TABLE visits (id INT PRIMARY KEY, at DATETIME)",
		"INSERT INTO visits VALUES (1, '2024-03-31 00:30:00'), (2, '2024-03-31 01:30:00'), (3, '2024-10-27 00:30:00'), (4, '2024-10-27 01:30:00')",
	} {
		if _, err := raw.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	a, _, admin := newTestApp(t)
	d, tables := addSynced(t, a, admin, DatabaseInput{Name: "MariaDB visits", Engine: sightline.EngineMySQL,
		Details: sightline.DatabaseDetails{Host: my.Host, Port: my.Port, DBName: my.Name, User: my.User}})
	visits := tableByName(t, tables, "visits")
	js := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "expressions": {"Berlin": ["convert-timezone", ["field", %d, null], "Europe/Berlin", "UTC"]},
		"fields": [["field", %d, null], ["expression", "Berlin"]], "order-by": [["asc", ["field", %d, null]]]}}`,
		d.ID, visits.ID, fieldByName(t, visits, "at").ID, fieldByName(t, visits, "id").ID, fieldByName(t, visits, "id").ID)
	q, err := sightline.ParseQuery([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.RunQuery(ctx, admin, q, RunOptions{})
	if err != nil {
		t.Fatalf("RunQuery = %v; the test MariaDB needs its time zone tables: run scripts/setup.sh --test", err)
	}
	var got []string
	for _, row := range res.Rows {
		v := row[1]
		if tm, ok := v.(time.Time); ok {
			v = tm.Format(time.DateTime)
		}
		got = append(got, fmt.Sprint(row[0], " ", v))
	}
	want := []string{"1 2024-03-31 01:30:00", "2 2024-03-31 03:30:00", "3 2024-10-27 02:30:00", "4 2024-10-27 02:30:00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("visits in Berlin's time (-want +got):\n%s", diff)
	}
}
