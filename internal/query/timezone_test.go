package query

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// requireZoneTables fails the test when the MariaDB behind db cannot
// convert between named time zones, naming the fix, rather than letting
// convertTimezone's results differ as empty.
func requireZoneTables(t *testing.T, ctx context.Context, db *sql.DB) {
	t.Helper()
	var ok bool
	if err := db.QueryRowContext(ctx, "SELECT CONVERT_TZ('2000-01-01 00:00:00', 'UTC', 'Asia/Tokyo') IS NOT NULL").Scan(&ok); err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatal("the test MariaDB has no time zone tables, which convertTimezone needs: run scripts/setup.sh --test to load them")
	}
}

// TestConvertTimezoneChanges converts the times that daylight saving
// changes make special on every engine, and requires the answers
// PostgreSQL 15 gives (written down from it): a time the clocks show twice
// in autumn is the later (winter) one, a time they skip in spring is read
// with the offset from before the jump, in zones east and west of UTC and
// in the southern hemisphere; a date is its midnight. MySQL/MariaDB's
// CONVERT_TZ alone answers differently for the first two. Outside the
// range CONVERT_TZ converts, MariaDB gives an empty value rather than an
// unconverted time.
func TestConvertTimezoneChanges(t *testing.T) {
	md := fixtureMetadata(t)
	tests := []struct {
		name, at, to, from, want string
		// mysql is MariaDB's answer where it cannot give PostgreSQL's.
		mysql *string
	}{
		{"Berlin autumn, repeated hour", "2024-10-27 02:30:00", "UTC", "Europe/Berlin", "2024-10-27 01:30:00", nil},
		{"Berlin spring, skipped hour", "2024-03-31 02:30:00", "UTC", "Europe/Berlin", "2024-03-31 01:30:00", nil},
		{"Berlin just before spring", "2024-03-31 01:59:59", "UTC", "Europe/Berlin", "2024-03-31 00:59:59", nil},
		{"Berlin just after spring", "2024-03-31 03:00:00", "UTC", "Europe/Berlin", "2024-03-31 01:00:00", nil},
		{"New York autumn, repeated hour", "2024-11-03 01:30:00", "UTC", "America/New_York", "2024-11-03 06:30:00", nil},
		{"New York spring, skipped hour", "2024-03-10 02:30:00", "UTC", "America/New_York", "2024-03-10 07:30:00", nil},
		{"Sydney autumn, repeated hour", "2024-04-07 02:30:00", "UTC", "Australia/Sydney", "2024-04-06 16:30:00", nil},
		{"Sydney spring, skipped hour", "2024-10-06 02:30:00", "UTC", "Australia/Sydney", "2024-10-05 16:30:00", nil},
		{"between two zones with changes", "2024-03-31 02:30:00", "America/New_York", "Europe/Berlin", "2024-03-30 21:30:00", nil},
		{"into the repeated hour", "2024-11-03 05:30:00", "America/New_York", "UTC", "2024-11-03 01:30:00", nil},
		{"a date", "2024-03-10", "America/New_York", "UTC", "2024-03-09 19:00:00", nil},
		{"before 1970", "1969-07-20 20:17:00", "Europe/Berlin", "UTC", "1969-07-20 21:17:00", new("NULL")},
	}
	forEachEngine(t, func(t *testing.T, e engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if e.d == MySQL {
			requireZoneTables(t, ctx, e.db)
		}
		for _, tt := range tests {
			js := q(`{"source-table": 1, "expressions": {"T": ["convert-timezone", "` + tt.at + `", "` + tt.to + `", "` + tt.from + `"]}, "fields": [["expression", "T"]], "limit": 1}`)
			c, err := Compile(parse(t, js), md, e.d, Options{Location: time.UTC, TimeZoneTables: true})
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			got, err := run(ctx, e.db, c)
			if err != nil {
				t.Fatalf("%s: %v\n%s", tt.name, err, c.SQL)
			}
			want := tt.want
			if e.d == MySQL && tt.mysql != nil {
				want = *tt.mysql
			}
			if diff := cmp.Diff([][]string{{want}}, got); diff != "" {
				t.Errorf("convertTimezone(%q, %q, %q) on %s (-want +got):\n%s", tt.at, tt.to, tt.from, e.d, diff)
			}
		}
	})
}

// TestConvertTimezoneWithoutZoneTables: on a MySQL/MariaDB server without
// its time zone tables, a question converting time zones is refused with
// the command that loads them, at any depth, instead of showing an empty
// column; the other engines never need them.
func TestConvertTimezoneWithoutZoneTables(t *testing.T) {
	md := fixtureMetadata(t)
	queries := map[string]string{
		"column":    q(`{"source-table": 3, "expressions": {"T": ["convert-timezone", ["field", 25, null], "Asia/Tokyo"]}, "fields": [["expression", "T"]]}`),
		"filter":    q(`{"source-table": 3, "filter": [">", ["convert-timezone", ["field", 25, null], "UTC", "Asia/Tokyo"], "2024-01-01"], "aggregation": [["count"]]}`),
		"breakout":  q(`{"source-table": 3, "expressions": {"T": ["get-hour", ["convert-timezone", ["field", 25, null], "America/New_York"]]}, "aggregation": [["count"]], "breakout": [["expression", "T"]]}`),
		"in metric": q(`{"source-table": 3, "aggregation": [["max", ["convert-timezone", ["field", 25, null], "Asia/Tokyo"]]]}`),
	}
	for name, js := range queries {
		_, err := Compile(parse(t, js), md, MySQL, Options{Location: time.UTC})
		if sightline.ErrorCode(err) != sightline.EINVALID || !strings.Contains(sightline.ErrorMessage(err), "mariadb-tzinfo-to-sql /usr/share/zoneinfo | mariadb -u root mysql") {
			t.Errorf("%s: Compile on MySQL without time zone tables = %v, want a refusal naming mariadb-tzinfo-to-sql", name, err)
		}
		if !errors.Is(err, ErrNoTimeZoneTables) {
			t.Errorf("%s: the refusal %v does not wrap ErrNoTimeZoneTables, so the caller cannot ask the server and retry", name, err)
		}
		if _, err := Compile(parse(t, js), md, MySQL, Options{Location: time.UTC, TimeZoneTables: true}); err != nil {
			t.Errorf("%s: Compile on MySQL with time zone tables = %v", name, err)
		}
		for _, d := range []Dialect{SQLite, Postgres} {
			if _, err := Compile(parse(t, js), md, d, Options{Location: time.UTC}); err != nil {
				t.Errorf("%s: Compile on %s = %v, want no need for time zone tables", name, d, err)
			}
		}
	}
}
