package sampledata

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"sightline"
	"sightline/internal/testdb"
)

// engine is a server the tests load into.
type engine struct {
	dialect string
	// open creates a fresh database and returns its URL and a handle on it.
	open func(t *testing.T) (string, *sql.DB)
}

func engines() []engine {
	openDB := func(t *testing.T, driver, dsn string) *sql.DB {
		t.Helper()
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatalf("open %s: %v", driver, err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	return []engine{
		{sightline.EnginePostgres, func(t *testing.T) (string, *sql.DB) {
			pg := testdb.Postgres(t)
			return pg.URL, openDB(t, "pgx", pg.URL)
		}},
		{sightline.EngineMySQL, func(t *testing.T) (string, *sql.DB) {
			my := testdb.MySQL(t)
			return my.URL, openDB(t, "mysql", my.DSN)
		}},
	}
}

// expectedDigests are the digests of every generated table at scale 1.
func expectedDigests(t testing.TB) map[string]string {
	t.Helper()
	rows := rowsOf(t, Options{Anchor: testAnchor()})
	m := map[string]string{}
	for _, def := range Tables() {
		m[def.Name] = digest(def, rows[def.Name])
	}
	return m
}

// checkComplete fails unless every table in db holds exactly the generated rows.
func checkComplete(t *testing.T, db *sql.DB, dialect string, want map[string]string) {
	t.Helper()
	for _, def := range Tables() {
		if got := count(t, db, "SELECT COUNT(*) FROM "+quote(dialect, def.Name)); got != def.Rows {
			t.Errorf("rows in %s = %d, want %d", def.Name, got, def.Rows)
		}
		if got := dbDigest(t, db, dialect, def); got != want[def.Name] {
			t.Errorf("digest of %s = %s, want %s (as generated and in SQLite)", def.Name, got, want[def.Name])
		}
	}
}

func TestLoad(t *testing.T) {
	want := expectedDigests(t)
	sqlite := openSQLite(t, writeSample(t))
	if got := dbDigest(t, sqlite, sightline.EngineSQLite, table(Invoices)); got != want[Invoices] {
		t.Fatalf("INVOICES digest in SQLite = %s, want %s", got, want[Invoices])
	}
	for _, e := range engines() {
		t.Run(e.dialect, func(t *testing.T) {
			t.Parallel()
			url, db := e.open(t)
			ctx := context.Background()
			var progress bytes.Buffer
			if err := LoadURL(ctx, url, Options{Anchor: testAnchor()}, &progress); err != nil {
				t.Fatalf("LoadURL(%s) = %v", url, err)
			}
			if !strings.Contains(progress.String(), "Sample Database") {
				t.Errorf("progress output = %q, want a bar named Sample Database", progress.String())
			}
			checkComplete(t, db, e.dialect, want)
			checkComments(t, db, e.dialect)

			q := "SELECT COUNT(*) FROM " + quote(e.dialect, Invoices) + " WHERE " + quote(e.dialect, "ACCOUNT_ID") +
				" = 28 AND " + quote(e.dialect, "PAYMENT") + " = 295.00"
			if got := count(t, db, q); got != FixedAccountInvoices {
				t.Errorf("account 28's invoices of 295.00 = %d, want %d", got, FixedAccountInvoices)
			}

			batches := 0
			_, err := load(ctx, db, e.dialect, LoadOptions{Anchor: testAnchor()}, func(string) { batches++ })
			if err != nil {
				t.Fatalf("second Load = %v", err)
			}
			if batches != 0 {
				t.Errorf("second Load inserted %d batches, want none", batches)
			}
			checkComplete(t, db, e.dialect, want)
		})
	}
}

func TestLoadResumesAfterInterruption(t *testing.T) {
	want := expectedDigests(t)
	for _, e := range engines() {
		t.Run(e.dialect, func(t *testing.T) {
			t.Parallel()
			_, db := e.open(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// Stop in the middle of ORDERS, after the tables before it are done.
			orderBatches := 0
			_, err := load(ctx, db, e.dialect, LoadOptions{Anchor: testAnchor()}, func(table string) {
				if table == Orders {
					if orderBatches++; orderBatches == 7 {
						cancel()
					}
				}
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted Load = %v, want context.Canceled", err)
			}
			got := count(t, db, "SELECT COUNT(*) FROM "+quote(e.dialect, Orders))
			if got < 7*batchRows || got >= table(Orders).Rows {
				t.Fatalf("ORDERS after the interruption = %d rows, want a partial table", got)
			}
			if got := count(t, db, "SELECT COUNT(*) FROM "+quote(e.dialect, Reviews)); got != 0 {
				t.Fatalf("REVIEWS after the interruption = %d rows, want 0", got)
			}

			var progress bytes.Buffer
			if err := Load(context.Background(), db, e.dialect, Options{Anchor: testAnchor()}, &progress); err != nil {
				t.Fatalf("resumed Load = %v", err)
			}
			checkComplete(t, db, e.dialect, want)
		})
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name    string
		dialect string
		opts    Options
	}{
		{"sqlite dialect", sightline.EngineSQLite, Options{Anchor: testAnchor()}},
		{"unknown dialect", "oracle", Options{Anchor: testAnchor()}},
		{"no anchor", sightline.EnginePostgres, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The checks come before any use of the handle, so none is needed.
			err := Load(context.Background(), nil, tt.dialect, tt.opts, nil)
			if got := sightline.ErrorCode(err); got != sightline.EINVALID {
				t.Errorf("Load(%q, %+v) = %v, want code %q", tt.dialect, tt.opts, err, sightline.EINVALID)
			}
		})
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		in                   string
		dialect, driver, dsn string
		code                 string
	}{
		{
			in:      "postgres://postgres@127.0.0.1:5432/sample?sslmode=disable",
			dialect: sightline.EnginePostgres, driver: "pgx",
			dsn: "postgres://postgres@127.0.0.1:5432/sample?sslmode=disable",
		},
		{
			in:      "postgresql://u:p@db/sample",
			dialect: sightline.EnginePostgres, driver: "pgx", dsn: "postgresql://u:p@db/sample",
		},
		{
			in:      "mysql://root@127.0.0.1:3306/sample",
			dialect: sightline.EngineMySQL, driver: "mysql", dsn: "root@tcp(127.0.0.1:3306)/sample?parseTime=true",
		},
		{
			in:      "mysql://ana:s%40cret@db.example.com/shop?tls=skip-verify",
			dialect: sightline.EngineMySQL, driver: "mysql",
			dsn: "ana:s@cret@tcp(db.example.com:3306)/shop?parseTime=true&tls=skip-verify",
		},
		{in: "mysql://root@127.0.0.1:3306/", code: sightline.EINVALID},
		{in: "sqlserver://sa@host/db", code: sightline.EINVALID},
		{in: "::not a url", code: sightline.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			dialect, driver, dsn, err := parseURL(tt.in)
			if got := sightline.ErrorCode(err); got != tt.code {
				t.Fatalf("parseURL(%q) error = %v, want code %q", tt.in, err, tt.code)
			}
			if dialect != tt.dialect || driver != tt.driver || dsn != tt.dsn {
				t.Errorf("parseURL(%q) = %q, %q, %q; want %q, %q, %q", tt.in, dialect, driver, dsn, tt.dialect, tt.driver, tt.dsn)
			}
		})
	}
}

// checkComments fails unless the descriptions are stored as comments.
func checkComments(t *testing.T, db *sql.DB, dialect string) {
	t.Helper()
	ctx := context.Background()
	def := table(Invoices)
	var q string
	if dialect == sightline.EnginePostgres {
		q = `SELECT obj_description('"INVOICES"'::regclass, 'pg_class')`
	} else {
		q = `SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'INVOICES'`
	}
	var got string
	if err := db.QueryRowContext(ctx, q).Scan(&got); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if got != def.Description {
		t.Errorf("comment on INVOICES = %q, want %q", got, def.Description)
	}
	if dialect == sightline.EnginePostgres {
		q = `SELECT col_description('"INVOICES"'::regclass, 3)`
	} else {
		q = `SELECT COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'INVOICES' AND COLUMN_NAME = 'PAYMENT'`
	}
	if err := db.QueryRowContext(ctx, q).Scan(&got); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if want := def.Columns[col(def, "PAYMENT")].Description; got != want {
		t.Errorf("comment on INVOICES.PAYMENT = %q, want %q", got, want)
	}
}

// TestLoadKeepsItsGeneration re-runs a load the way people do: the next day
// without flags, with another scale or anchor, after a generator change,
// and with Replace. A re-run completes the recorded generation or is
// refused; it never mixes rows of two.
func TestLoadKeepsItsGeneration(t *testing.T) {
	want := expectedDigests(t)
	day := testAnchor()
	next := day.AddDate(0, 0, 1)
	clock := func(t time.Time) func() time.Time {
		return func() time.Time { return t.Add(22 * time.Hour) }
	}
	for _, e := range engines() {
		t.Run(e.dialect, func(t *testing.T) {
			t.Parallel()
			_, db := e.open(t)
			ctx := context.Background()
			batches := 0
			countBatches := func(string) { batches++ }
			checkInfo := func(want Generation) {
				t.Helper()
				got, ok, err := readInfo(ctx, db, e.dialect)
				if err != nil || !ok || got != want {
					t.Errorf("recorded generation = %v, %t, %v; want %v", got, ok, err, want)
				}
			}

			got, err := load(ctx, db, e.dialect, LoadOptions{Now: clock(day)}, nil)
			if err != nil {
				t.Fatalf("first load = %v", err)
			}
			if wantOpts := (Options{Anchor: day, Scale: 1}); got != wantOpts {
				t.Errorf("first load loaded %+v, want %+v", got, wantOpts)
			}
			checkComplete(t, db, e.dialect, want)
			checkInfo(Generation{Anchor: day, Scale: 1, Version: GeneratorVersion})

			// The next day, without an anchor: the recorded one, no new rows.
			got, err = load(ctx, db, e.dialect, LoadOptions{Now: clock(next)}, countBatches)
			if err != nil || !got.Anchor.Equal(day) || got.Scale != 1 {
				t.Fatalf("re-run the next day = %+v, %v; want anchor %s, scale 1", got, err, day.Format(dateLayout))
			}
			if batches != 0 {
				t.Errorf("re-run the next day inserted %d batches, want none", batches)
			}
			checkComplete(t, db, e.dialect, want)

			refused := []struct {
				name string
				o    LoadOptions
				want string
			}{
				{"another scale", LoadOptions{Scale: 2, Now: clock(next)},
					"The sample tables hold the Sample Database generated with anchor date 2026-03-15 at scale 1, not with scale 2; loading would mix rows of both."},
				{"another anchor", LoadOptions{Anchor: next, Scale: 1},
					"The sample tables hold the Sample Database generated with anchor date 2026-03-15 at scale 1, not with anchor date 2026-03-16; loading would mix rows of both."},
				{"both", LoadOptions{Anchor: next, Scale: 3},
					"The sample tables hold the Sample Database generated with anchor date 2026-03-15 at scale 1, not with anchor date 2026-03-16 and scale 3; loading would mix rows of both."},
			}
			for _, r := range refused {
				_, err := load(ctx, db, e.dialect, r.o, countBatches)
				if sightline.ErrorCode(err) != sightline.ECONFLICT || sightline.ErrorMessage(err) != r.want || !errors.Is(err, ErrOtherGeneration) {
					t.Errorf("load with %s = %v, want conflict %q (ErrOtherGeneration)", r.name, err, r.want)
				}
			}
			if err := Load(ctx, db, e.dialect, Options{Anchor: next}, nil); sightline.ErrorCode(err) != sightline.ECONFLICT {
				t.Errorf("Load(anchor %s) = %v, want a conflict", next.Format(dateLayout), err)
			}
			if batches != 0 {
				t.Errorf("refused loads inserted %d batches, want none", batches)
			}
			checkComplete(t, db, e.dialect, want)
			checkInfo(Generation{Anchor: day, Scale: 1, Version: GeneratorVersion})

			// Rows of an older generator are not completed with newer ones.
			exec(t, db, "UPDATE "+quote(e.dialect, InfoTable)+" SET "+quote(e.dialect, "GENERATOR_VERSION")+" = 0")
			_, err = load(ctx, db, e.dialect, LoadOptions{}, countBatches)
			if sightline.ErrorCode(err) != sightline.ECONFLICT || !strings.Contains(sightline.ErrorMessage(err), "version 0 of the generator") || !errors.Is(err, ErrNotCompletable) {
				t.Errorf("load over an older generator's rows = %v, want a conflict naming version 0 (ErrNotCompletable)", err)
			}

			// Replace drops the tables and starts the asked-for generation;
			// stop it after the first batch.
			ctx2, cancel := context.WithCancel(ctx)
			defer cancel()
			_, err = load(ctx2, db, e.dialect, LoadOptions{Anchor: next, Replace: true}, func(string) { cancel() })
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("replacing load = %v, want context.Canceled", err)
			}
			checkInfo(Generation{Anchor: next, Scale: 1, Version: GeneratorVersion})
			fresh := rowsOf(t, Options{Anchor: next})
			if got, want := dbDigest(t, db, e.dialect, table(Accounts)), digest(table(Accounts), fresh[Accounts][:batchRows]); got != want {
				t.Errorf("ACCOUNTS after the replacing load's first batch = digest %s, want the first %d rows of anchor %s (%s)",
					got, batchRows, next.Format(dateLayout), want)
			}
			if got := count(t, db, "SELECT COUNT(*) FROM "+quote(e.dialect, Invoices)); got != 0 {
				t.Errorf("INVOICES after the replacing load's first batch = %d rows, want 0", got)
			}

			// Rows without a record cannot be completed either.
			exec(t, db, "DROP TABLE "+quote(e.dialect, InfoTable))
			_, err = load(ctx, db, e.dialect, LoadOptions{Anchor: next}, countBatches)
			if sightline.ErrorCode(err) != sightline.ECONFLICT || !strings.Contains(sightline.ErrorMessage(err), "no record of the anchor date") || !errors.Is(err, ErrNotCompletable) {
				t.Errorf("load over unrecorded rows = %v, want a conflict (ErrNotCompletable)", err)
			}
			if batches != 0 {
				t.Errorf("refused loads inserted %d batches, want none", batches)
			}
		})
	}
}

func exec(t *testing.T, db *sql.DB, query string) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
