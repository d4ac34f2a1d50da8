package sampledata

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

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
			err := load(ctx, db, e.dialect, Options{Anchor: testAnchor()}, nil, func(string) { batches++ })
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
			err := load(ctx, db, e.dialect, Options{Anchor: testAnchor()}, nil, func(table string) {
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
