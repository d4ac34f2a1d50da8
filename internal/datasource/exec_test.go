package datasource

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"sightline"
)

// syncedTypes returns the synced base types of a table's fields, in order:
// what the query layer passes as Options.BaseTypes.
func syncedTypes(t *testing.T, s *Source, table string) []string {
	t.Helper()
	md, err := s.Sync(context.Background())
	if err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	var out []string
	for _, f := range findTable(t, md, table).Fields {
		out = append(out, f.BaseType)
	}
	return out
}

func TestExecNormalisesValuesAlike(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	want := [][]any{
		{int64(1), "a@example.com", "Basic", int64(3), true, 40.5, -73.25, 295.0, day(1990, 5, 17),
			time.Date(2024, 1, 15, 10, 20, 30, 0, time.UTC), "08:30:00", `{"a": 1}`, "a1b2c3d4-0000-4000-8000-000000000001", []byte{1, 2}, "first"},
		{int64(2), "b@example.com", "Premium", int64(12), false, -33.75, 151.5, 875.5, day(1985, 12, 1),
			time.Date(2023, 6, 30, 23, 59, 59, 0, time.UTC), "17:00:00", "[1, 2]", "a1b2c3d4-0000-4000-8000-000000000002", []byte{0xff}, "second"},
		{int64(3), "c@example.com", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
	}
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, fixtureSchema(e.name)))
			opts := Options{BaseTypes: syncedTypes(t, s, "accounts")}
			res, err := s.Exec(context.Background(), "SELECT * FROM accounts ORDER BY id", nil, opts)
			if err != nil {
				t.Fatalf("Exec() = %v", err)
			}
			if diff := cmp.Diff(want, res.Rows); diff != "" {
				t.Errorf("Exec() rows mismatch (-want +got):\n%s", diff)
			}
			if res.Truncated {
				t.Errorf("Exec() Truncated = true, want false")
			}
			if got := res.Columns[7]; got.Name != "price" || got.BaseType != sightline.BaseDecimal {
				t.Errorf("Exec() column 7 = %+v, want price as %s", got, sightline.BaseDecimal)
			}
		})
	}
}

func TestExecArgsAndOddIdentifiers(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, fixtureSchema(e.name)))
			ph := firstPlaceholder(e.name)
			q := func(n string) string { return QuoteIdent(e.name, n) }
			query := "SELECT " + q("Mixed Case") + ", " + q(`we"ird`) + ", " + q("back`tick") +
				" FROM " + q("order") + " WHERE " + q("select") + " = " + ph + " ORDER BY " + q("Line No")
			res, err := s.Exec(context.Background(), query, []any{1}, Options{})
			if err != nil {
				t.Fatalf("Exec(%s) = %v", query, err)
			}
			want := [][]any{{"x", "y", int64(7)}, {"x", "z", int64(8)}}
			if diff := cmp.Diff(want, res.Rows); diff != "" {
				t.Errorf("Exec(%s) mismatch (-want +got):\n%s", query, diff)
			}
		})
	}
}

// TestExecValueBeyondParameterType binds whole numbers past the range of
// an integer column: the engines that take them find no row, and
// PostgreSQL, to which pgx refuses to send them as the column's type,
// gives a clear EINVALID error naming the value instead of an internal one.
func TestExecValueBeyondParameterType(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, fixtureSchema(e.name)))
			ph := firstPlaceholder(e.name)
			query := "SELECT id FROM accounts WHERE id = " + ph
			for _, v := range []int64{1_000_000_000_000, -9_000_000_000} {
				res, err := s.Exec(context.Background(), query, []any{v}, Options{})
				if e.name != sightline.EnginePostgres {
					if err != nil || len(res.Rows) != 0 {
						t.Errorf("Exec(%s, %d) = %v, %v; want no rows", query, v, res, err)
					}
					continue
				}
				if code := sightline.ErrorCode(err); code != sightline.EINVALID {
					t.Fatalf("Exec(%s, %d) code = %q (%v), want %q", query, v, code, err, sightline.EINVALID)
				}
				if msg := sightline.ErrorMessage(err); !strings.Contains(msg, strconv.FormatInt(v, 10)) || strings.Contains(msg, "args[") {
					t.Errorf("Exec(%s, %d) message = %q, want it to name the value without the driver's decorations", query, v, msg)
				}
			}
		})
	}
}

// TestSQLiteValueSize checks that a SQLite source computes no value past
// SQLiteMaxValueBytes: replace inside replace multiplies a text's length,
// in Sightline's own memory, and is refused with a clear message once it
// passes the bound.
func TestSQLiteValueSize(t *testing.T) {
	s := open(t, sqliteFixture(t, fixtureSchema(sightline.EngineSQLite)))
	ctx := context.Background()
	grow := strings.Repeat("a", 9000)
	res, err := s.Exec(ctx, "SELECT LENGTH(REPLACE('a', 'a', ?))", []any{grow}, Options{})
	if err != nil {
		t.Fatalf("Exec(one replace) = %v", err)
	}
	if diff := cmp.Diff([][]any{{int64(9000)}}, res.Rows); diff != "" {
		t.Errorf("Exec(one replace) mismatch (-want +got):\n%s", diff)
	}
	// 9,000 times 9,000 is 81,000,000 bytes.
	_, err = s.Exec(ctx, "SELECT LENGTH(REPLACE(REPLACE('a', 'a', ?), 'a', ?))", []any{grow, grow}, Options{})
	if code := sightline.ErrorCode(err); code != sightline.EINVALID {
		t.Fatalf("Exec(replace in replace) code = %q (%v), want %q", code, err, sightline.EINVALID)
	}
	if msg := sightline.ErrorMessage(err); !strings.Contains(msg, "64 MiB") {
		t.Errorf("Exec(replace in replace) message = %q, want it to name the bound", msg)
	}
}

// TestExecResultSize checks that Exec holds no more than DefaultMaxBytes
// of values: of 2,000 rows of 40,000 characters (80 MB, within the row
// cap) it keeps those that fit and says the result is cut, on every
// engine, and the same rows stream through Stream, which keeps none of
// them.
func TestExecResultSize(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, fixtureSchema(e.name)))
			long := "REPEAT('x', 40000)"
			if e.name == sightline.EngineSQLite {
				long = "printf('%.*c', 40000, 'x')"
			}
			query := "SELECT i, " + long + " AS v FROM (" + countQuery + ") AS n WHERE i <= 2000"
			res, err := s.Exec(context.Background(), query, nil, Options{})
			if err != nil || !res.Truncated || len(res.Rows) == 0 || len(res.Rows)*40000 > DefaultMaxBytes {
				rows := 0
				if res != nil {
					rows = len(res.Rows)
				}
				t.Fatalf("Exec(2,000 rows of 40,000 characters) = %d rows, %v; want the rows that fit in %d bytes, cut", rows, err, DefaultMaxBytes)
			}
			n := 0
			if _, err := s.Stream(context.Background(), query, nil, Options{}, func([]any) error { n++; return nil }); err != nil || n != 2000 {
				t.Errorf("Stream(2,000 rows of 40,000 characters) = %d rows, %v; want 2000", n, err)
			}
		})
	}
}

// TestPostgresLongRow checks that a PostgreSQL row longer than
// MaxResultBytes is refused from its message header, before pgx reads it
// into memory, and that the pool serves the next query.
func TestPostgresLongRow(t *testing.T) {
	s := open(t, postgresFixture(t, fixtureSchema(sightline.EnginePostgres)))
	ctx := context.Background()
	for range 2 {
		_, err := s.Exec(ctx, "SELECT repeat('x', 70 * 1024 * 1024)", nil, Options{})
		if code, msg := sightline.ErrorCode(err), sightline.ErrorMessage(err); code != sightline.EINVALID || !strings.Contains(msg, "A row of this result is longer than 64 MiB") {
			t.Fatalf("Exec(a 70 MiB value) = %v, want EINVALID refusing the row", err)
		}
		res, err := s.Exec(ctx, "SELECT 1", nil, Options{})
		if err != nil || len(res.Rows) != 1 {
			t.Fatalf("Exec(SELECT 1) after a refused row = %v, %v", res, err)
		}
	}
}

// countQuery yields 1..10000 in order on every engine (MariaDB caps
// recursive CTEs at 1000 iterations by default, hence the cross join).
const countQuery = "WITH d(x) AS (SELECT 0 UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 " +
	"UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) " +
	"SELECT a.x * 1000 + b.x * 100 + c.x * 10 + e.x + 1 AS i FROM d a, d b, d c, d e ORDER BY 1"

func TestExecRowCap(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, nil))
			tests := []struct {
				maxRows       int
				wantRows      int
				wantTruncated bool
			}{
				{100, 100, true},
				{0, DefaultMaxRows, true},
				{9500, 9500, true},
				{10000, 10000, false},
				{20000, 10000, false},
			}
			for _, tt := range tests {
				res, err := s.Exec(context.Background(), countQuery, nil, Options{MaxRows: tt.maxRows})
				if err != nil {
					t.Fatalf("Exec(MaxRows %d) = %v", tt.maxRows, err)
				}
				if len(res.Rows) != tt.wantRows || res.Truncated != tt.wantTruncated {
					t.Errorf("Exec(MaxRows %d) = %d rows, truncated %v, want %d, %v", tt.maxRows, len(res.Rows), res.Truncated, tt.wantRows, tt.wantTruncated)
				}
				if len(res.Rows) > 0 && res.Rows[len(res.Rows)-1][0] != int64(len(res.Rows)) {
					t.Errorf("Exec(MaxRows %d) last row = %v, want %d", tt.maxRows, res.Rows[len(res.Rows)-1], len(res.Rows))
				}
			}
			// The pool still works after a query was cut short.
			if _, err := s.Exec(context.Background(), "SELECT 1", nil, Options{}); err != nil {
				t.Errorf("Exec after a truncated query = %v", err)
			}
			// A cap a few rows short of the result skips the rest and keeps
			// the connection rather than cancelling.
			before := s.db.Stats().OpenConnections
			if _, err := s.Exec(context.Background(), countQuery, nil, Options{MaxRows: 9999}); err != nil {
				t.Fatalf("Exec(MaxRows 9999) = %v", err)
			}
			if after := s.db.Stats().OpenConnections; after != before {
				t.Errorf("open connections after a nearly complete read = %d, want %d", after, before)
			}
		})
	}
}

// wideQuery returns rows numbered 1 to n, each with a text value of size
// bytes, on engine.
func wideQuery(engine string, n, size int) string {
	switch engine {
	case sightline.EnginePostgres:
		return fmt.Sprintf("SELECT i, repeat('x', %d) AS v FROM generate_series(1, %d) AS i", size, n)
	case sightline.EngineMySQL:
		return fmt.Sprintf("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) SELECT i, REPEAT('x', %d) AS v FROM n", n, size)
	}
	return fmt.Sprintf("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) SELECT i, hex(zeroblob(%d)) AS v FROM n", n, size/2)
}

// TestExecByteCap checks that a result's size is capped like its rows:
// wide rows stop at the byte cap, and a single row above it is refused.
func TestExecByteCap(t *testing.T) {
	const kib = 1 << 10
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, nil))
			ctx := context.Background()
			res, err := s.Exec(ctx, wideQuery(e.name, 1000, 64*kib), nil, Options{MaxBytes: 1 << 20})
			if err != nil {
				t.Fatalf("Exec(1000 rows of 64 KiB, MaxBytes 1 MiB) = %v", err)
			}
			if len(res.Rows) != 15 || !res.Truncated {
				t.Errorf("Exec(1000 rows of 64 KiB, MaxBytes 1 MiB) = %d rows, truncated %v, want 15, true", len(res.Rows), res.Truncated)
			}
			_, err = s.Exec(ctx, wideQuery(e.name, 3, 2<<20), nil, Options{MaxBytes: 1 << 20})
			want := "The first row of this result is larger than 1 MiB, the most a result can hold: select fewer or smaller columns."
			if sightline.ErrorCode(err) != sightline.EINVALID || sightline.ErrorMessage(err) != want {
				t.Errorf("Exec(a row of 2 MiB, MaxBytes 1 MiB) = %v, want %s %q", err, sightline.EINVALID, want)
			}
			// The pool still works after a query was cut short.
			if _, err := s.Exec(ctx, "SELECT 1", nil, Options{}); err != nil {
				t.Errorf("Exec after a query over the byte cap = %v", err)
			}
		})
	}
	t.Run("default", func(t *testing.T) {
		s := open(t, sqliteFixture(t, nil))
		res, err := s.Exec(context.Background(), wideQuery(sightline.EngineSQLite, 100, 1<<20), nil, Options{})
		if err != nil {
			t.Fatalf("Exec(100 rows of 1 MiB) = %v", err)
		}
		if got, want := len(res.Rows), DefaultMaxBytes>>20-1; got != want || !res.Truncated {
			t.Errorf("Exec(100 rows of 1 MiB) = %d rows, truncated %v, want %d, true", got, res.Truncated, want)
		}
	})
}

func TestStream(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, nil))
			var sum int64
			cols, err := s.Stream(context.Background(), countQuery, nil, Options{}, func(row []any) error {
				sum += row[0].(int64)
				return nil
			})
			if err != nil {
				t.Fatalf("Stream() = %v", err)
			}
			if len(cols) != 1 || sum != 10000*10001/2 {
				t.Errorf("Stream() = %d columns, sum %d, want 1, %d", len(cols), sum, 10000*10001/2)
			}

			stop := errors.New("enough")
			n := 0
			_, err = s.Stream(context.Background(), countQuery, nil, Options{}, func(row []any) error {
				n++
				if n == 5 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) || n != 5 {
				t.Errorf("Stream(fn fails at row 5) = %v after %d rows, want %v after 5", err, n, stop)
			}
		})
	}
}

func TestExecErrors(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, fixtureSchema(e.name)))
			tests := []struct {
				name     string
				query    string
				opts     Options
				wantCode string
				wantMsg  string
			}{
				{"syntax", "SELECT FROM WHERE", Options{}, sightline.EINVALID, "syntax"},
				{"missing table", "SELECT * FROM no_such_table", Options{}, sightline.EINVALID, "no_such_table"},
				{"read-only write", "INSERT INTO accounts (id, email) VALUES (9, 'z@example.com')", Options{ReadOnly: true}, sightline.EINVALID, "read"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := s.Exec(context.Background(), tt.query, nil, tt.opts)
					if code := sightline.ErrorCode(err); code != tt.wantCode {
						t.Fatalf("Exec(%q) code = %q (%v), want %q", tt.query, code, err, tt.wantCode)
					}
					if msg := sightline.ErrorMessage(err); !strings.Contains(strings.ToLower(msg), tt.wantMsg) {
						t.Errorf("Exec(%q) message = %q, want it to mention %q", tt.query, msg, tt.wantMsg)
					}
				})
			}
		})
	}
}

// TestSQLiteSourceIsReadOnly checks that writes fail even without the
// ReadOnly option, and that the file is left untouched.
func TestSQLiteSourceIsReadOnly(t *testing.T) {
	s := open(t, sqliteFixture(t, fixtureSchema(sightline.EngineSQLite)))
	for _, q := range []string{
		"INSERT INTO accounts (id, email) VALUES (9, 'z@example.com')",
		"CREATE TABLE t (x)",
		"PRAGMA query_only = 0",
	} {
		if _, err := s.Exec(context.Background(), q, nil, Options{}); err == nil {
			t.Errorf("Exec(%q) = nil, want an error", q)
		}
	}
	res, err := s.Exec(context.Background(), "SELECT COUNT(*) FROM accounts", nil, Options{})
	if err != nil || res.Rows[0][0] != int64(3) {
		t.Errorf("Exec(count) = %v, %v; want 3 rows left", res, err)
	}
}

// TestReadOnlyWritesNothing checks the read-only transaction on the
// servers: a ReadOnly write fails and leaves no row behind.
func TestReadOnlyWritesNothing(t *testing.T) {
	for _, e := range engines()[1:] {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, []string{"CREATE TABLE t (x INT)"}))
			if _, err := s.Exec(context.Background(), "INSERT INTO t VALUES (1)", nil, Options{ReadOnly: true}); err == nil {
				t.Fatalf("Exec(INSERT, ReadOnly) = nil, want an error")
			}
			res, err := s.Exec(context.Background(), "SELECT COUNT(*) FROM t", nil, Options{ReadOnly: true})
			if err != nil {
				t.Fatalf("Exec(count, ReadOnly) = %v", err)
			}
			if got := res.Rows[0][0]; got != int64(0) {
				t.Errorf("rows after a read-only insert = %v, want 0", got)
			}
		})
	}
}

// TestNativeSQLLeavesNoSessionState runs one person's SQL that leaves
// state on its connection (locks, variables) and checks that nothing of it
// outlives the query: the server holds no lock of it, and the next query on
// the same pool, which gets the same connection or a new one, sees nothing.
func TestNativeSQLLeavesNoSessionState(t *testing.T) {
	tests := map[string]struct {
		poison []string
		// held counts the locks the poison left, given the database name.
		held string
		// seen reads what the poison left in the session: NULL when nothing.
		seen string
	}{
		sightline.EnginePostgres: {
			poison: []string{"SELECT pg_advisory_lock(42)", "SELECT pg_try_advisory_lock_shared(43)", "SELECT set_config('search_path', 'forged', false)"},
			held:   "SELECT COUNT(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = $1",
			seen:   "SELECT NULLIF(current_setting('search_path'), '\"$user\", public')",
		},
		sightline.EngineMySQL: {
			poison: []string{"SELECT @secret := 'ACME', GET_LOCK(CONCAT(DATABASE(), '.held'), 0)"},
			held:   "SELECT COUNT(IS_USED_LOCK(CONCAT(?, '.held')))",
			seen:   "SELECT @secret",
		},
	}
	for _, e := range engines()[1:] {
		t.Run(e.name, func(t *testing.T) {
			tt := tests[e.name]
			db := e.setup(t, nil)
			// One connection, so that the next query gets the poisoned one
			// unless it was reset or closed.
			db.Details.MaxOpenConns = 1
			s := open(t, db)
			ctx := context.Background()
			for _, q := range tt.poison {
				if _, err := s.Exec(ctx, q, nil, Options{ReadOnly: true}); err != nil {
					t.Fatalf("Exec(%q) = %v", q, err)
				}
			}
			var held int
			if err := e.admin(t).QueryRow(tt.held, db.Details.DBName).Scan(&held); err != nil {
				t.Fatalf("count held locks: %v", err)
			}
			if held != 0 {
				t.Errorf("locks held after the queries = %d, want 0", held)
			}
			for _, ro := range []bool{true, false} {
				res, err := s.Exec(ctx, tt.seen, nil, Options{ReadOnly: ro})
				if err != nil {
					t.Fatalf("Exec(%q) = %v", tt.seen, err)
				}
				if got := res.Rows[0][0]; got != nil {
					t.Errorf("Exec(%q, ReadOnly: %v) = %v, want NULL: the last query's session state leaked", tt.seen, ro, got)
				}
			}
		})
	}
}

// serverSleep holds a long query for each server and a query counting its
// running copies.
var serverSleep = map[string]struct{ sleep, running string }{
	sightline.EnginePostgres: {
		sleep:   "SELECT pg_sleep(30)",
		running: "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query = 'SELECT pg_sleep(30)'",
	},
	sightline.EngineMySQL: {
		sleep:   "SELECT SLEEP(30)",
		running: "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO = 'SELECT SLEEP(30)'",
	},
}

// waitRunning polls the server until n copies of the sleep query run. The
// wait for a cancelled query to go is short: servers notice a dropped
// client only after seconds, so only a real cancel passes.
func waitRunning(t *testing.T, admin *sql.DB, query, dbName string, n int) {
	t.Helper()
	wait := 5 * time.Second
	if n == 0 {
		wait = time.Second
	}
	deadline := time.Now().Add(wait)
	var got int
	for time.Now().Before(deadline) {
		if err := admin.QueryRow(query, dbName).Scan(&got); err != nil {
			t.Fatalf("count running queries: %v", err)
		}
		if got == n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("running sleep queries = %d, want %d", got, n)
}

func TestTimeoutCancelsOnServer(t *testing.T) {
	for _, e := range engines()[1:] {
		t.Run(e.name, func(t *testing.T) {
			db := e.setup(t, nil)
			db.Details.QueryTimeoutMS = 1500
			s := open(t, db)
			admin := e.admin(t)
			q := serverSleep[e.name]

			errc := make(chan error, 1)
			go func() {
				_, err := s.Exec(context.Background(), q.sleep, nil, Options{})
				errc <- err
			}()
			waitRunning(t, admin, q.running, db.Details.DBName, 1)
			var err error
			select {
			case err = <-errc:
			case <-time.After(10 * time.Second):
				t.Fatal("Exec did not return after its timeout")
			}
			if code := sightline.ErrorCode(err); code != sightline.ETIMEOUT {
				t.Fatalf("Exec(%s) = %v, want code %s", q.sleep, err, sightline.ETIMEOUT)
			}
			if got, want := sightline.ErrorMessage(err), "the query took longer than 1.5 s and was cancelled"; got != want {
				t.Errorf("Exec(%s) message = %q, want %q", q.sleep, got, want)
			}
			waitRunning(t, admin, q.running, db.Details.DBName, 0)
		})
	}
}

func TestCancelStopsServerQuery(t *testing.T) {
	for _, e := range engines()[1:] {
		t.Run(e.name, func(t *testing.T) {
			db := e.setup(t, nil)
			s := open(t, db)
			admin := e.admin(t)
			q := serverSleep[e.name]

			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() {
				_, err := s.Exec(ctx, q.sleep, nil, Options{ReadOnly: true})
				errc <- err
			}()
			waitRunning(t, admin, q.running, db.Details.DBName, 1)
			cancel()
			if err := <-errc; !errors.Is(err, context.Canceled) {
				t.Errorf("Exec(cancelled) = %v, want context.Canceled", err)
			}
			waitRunning(t, admin, q.running, db.Details.DBName, 0)
			if _, err := s.Exec(context.Background(), "SELECT 1", nil, Options{}); err != nil {
				t.Errorf("Exec after a cancellation = %v", err)
			}
		})
	}
}

func TestSQLiteTimeout(t *testing.T) {
	db := sqliteFixture(t, nil)
	db.Details.QueryTimeoutMS = 200
	s := open(t, db)
	_, err := s.Exec(context.Background(), "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n", nil, Options{})
	if code := sightline.ErrorCode(err); code != sightline.ETIMEOUT {
		t.Fatalf("Exec(endless) = %v, want code %s", err, sightline.ETIMEOUT)
	}
	if got, want := sightline.ErrorMessage(err), "the query took longer than 0.2 s and was cancelled"; got != want {
		t.Errorf("Exec(endless) message = %q, want %q", got, want)
	}
}

func TestExecUnreachable(t *testing.T) {
	for _, e := range engines()[1:] {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, sightline.Database{Name: "gone", Engine: e.name, Details: sightline.DatabaseDetails{
				Host: "127.0.0.1", Port: 1, DBName: "x", User: "u", Password: "s3cret-pw",
			}})
			_, err := s.Exec(context.Background(), "SELECT 1", nil, Options{})
			if code := sightline.ErrorCode(err); code != sightline.EUNAVAILABLE {
				t.Fatalf("Exec(unreachable) = %v, want code %s", err, sightline.EUNAVAILABLE)
			}
			msg := sightline.ErrorMessage(err)
			if !strings.Contains(msg, "could not connect to host 127.0.0.1:1") {
				t.Errorf("Exec(unreachable) message = %q, want it to name the host", msg)
			}
			if strings.Contains(err.Error(), "s3cret-pw") {
				t.Errorf("Exec(unreachable) error %q contains the password", err)
			}
			if _, err := s.Sync(context.Background()); sightline.ErrorCode(err) != sightline.EUNAVAILABLE {
				t.Errorf("Sync(unreachable) = %v, want code %s", err, sightline.EUNAVAILABLE)
			}
		})
	}
}

// TestSQLiteCustomColumnFunctions runs the functions Sightline adds to
// SQLite through a source's guarded connection: the authorizer lets them
// run, they give NULL for no match and refuse an over-long pattern.
func TestSQLiteCustomColumnFunctions(t *testing.T) {
	s := open(t, sqliteFixture(t, fixtureSchema(sightline.EngineSQLite)))
	ctx := context.Background()
	res, err := s.Exec(ctx, "SELECT sightline_regex_match_first(email, ?), sightline_regex_match_first(email, ?), sightline_regex_match_first(email, ?), sightline_split_part(email, '@', 2), sightline_split_part(email, '@', 3) FROM accounts ORDER BY id LIMIT 1",
		[]any{`@(\w+)\.`, `^[a-z]+`, `^Z`}, Options{})
	if err != nil {
		t.Fatalf("Exec = %v", err)
	}
	want := []any{"example", "a", nil, "example.com", ""}
	if diff := cmp.Diff(want, res.Rows[0]); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
	_, err = s.Exec(ctx, "SELECT sightline_regex_match_first('x', ?)", []any{strings.Repeat("a", 501)}, Options{})
	if err == nil || !strings.Contains(err.Error(), "over the limit of 500") {
		t.Errorf("Exec(long pattern) = %v, want an error naming the limit", err)
	}
}

// TestSQLitePercentile runs the percentile aggregate Sightline adds to
// SQLite: interpolated like PostgreSQL's percentile_cont, NULLs left out,
// NULL for no values, and a percentile outside 0..1 refused.
func TestSQLitePercentile(t *testing.T) {
	s := open(t, sqliteFixture(t, nil))
	ctx := context.Background()
	const values = "(SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 10 UNION ALL SELECT NULL UNION ALL SELECT 4)"
	res, err := s.Exec(ctx, "SELECT sightline_percentile(x, 0.5), sightline_percentile(x, 0.9), sightline_percentile(x, 0), (SELECT sightline_percentile(x, 0.5) FROM "+values+" WHERE x > 100) FROM "+values, nil, Options{})
	if err != nil {
		t.Fatalf("Exec = %v", err)
	}
	// Sorted 1, 2, 4, 10: the median is halfway between 2 and 4; the 90th
	// percentile sits 0.7 of the way from 4 to 10.
	want := []any{3.0, 4 + 0.7*6, 1.0, nil}
	if diff := cmp.Diff(want, res.Rows[0], cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("percentiles (-want +got):\n%s", diff)
	}
	_, err = s.Exec(ctx, "SELECT sightline_percentile(x, 1.5) FROM "+values, nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "between 0 and 1") {
		t.Errorf("Exec(percentile 1.5) = %v, want an error saying it must be between 0 and 1", err)
	}
}

// firstPlaceholder is how SQL for engine writes its first bound argument.
func firstPlaceholder(engine string) string {
	if engine == sightline.EnginePostgres {
		return "$1"
	}
	return "?"
}
