package datasource

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"sightline"
	"sightline/internal/testdb"
)

// engine is one database engine under test: how to get a fresh database,
// run setup SQL against it, and reach it as a sightline.Database.
type engine struct {
	name  string
	setup func(t testing.TB, stmts []string) sightline.Database
	// admin opens a privileged connection to the same server for checks
	// (pg_stat_activity, the process list), or nil for SQLite.
	admin func(t testing.TB) *sql.DB
}

// engines lists the three engines; PostgreSQL and MariaDB skip the test
// (or fail it under CI=true) when their server is missing.
func engines() []engine {
	return []engine{
		{name: sightline.EngineSQLite, setup: sqliteFixture},
		{name: sightline.EnginePostgres, setup: postgresFixture, admin: postgresAdmin},
		{name: sightline.EngineMySQL, setup: mysqlFixture, admin: mysqlAdmin},
	}
}

// execAll runs setup statements on a writable connection.
func execAll(t testing.TB, db *sql.DB, stmts []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("setup %q: %v", s, err)
		}
	}
}

// sqliteFixture writes a SQLite file in t.TempDir with stmts applied.
func sqliteFixture(t testing.TB, stmts []string) sightline.Database {
	t.Helper()
	path := filepath.Join(t.TempDir(), "user data.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Writing the header creates the file even when stmts is empty.
	execAll(t, db, append([]string{"PRAGMA user_version = 1"}, stmts...))
	return sightline.Database{ID: 1, Name: "SQLite fixture", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}}
}

// postgresFixture creates a PostgreSQL database with stmts applied.
func postgresFixture(t testing.TB, stmts []string) sightline.Database {
	t.Helper()
	pg := testdb.Postgres(t)
	db, err := sql.Open("pgx", pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	execAll(t, db, stmts)
	return sightline.Database{ID: 2, Name: "PostgreSQL fixture", Engine: sightline.EnginePostgres, Details: sightline.DatabaseDetails{
		Host: "127.0.0.1", Port: 5432, DBName: pg.Name, User: "postgres", SSLMode: "disable",
	}}
}

func postgresAdmin(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// mysqlFixture creates a MariaDB database with stmts applied.
func mysqlFixture(t testing.TB, stmts []string) sightline.Database {
	t.Helper()
	my := testdb.MySQL(t)
	db, err := sql.Open("mysql", my.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	execAll(t, db, stmts)
	return sightline.Database{ID: 3, Name: "MariaDB fixture", Engine: sightline.EngineMySQL, Details: sightline.DatabaseDetails{
		Host: my.Host, Port: my.Port, DBName: my.Name, User: my.User,
	}}
}

func mysqlAdmin(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("mysql", "root@tcp(127.0.0.1:3306)/?parseTime=true")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// open opens db as a Source closed at the end of the test.
func open(t testing.TB, db sightline.Database) *Source {
	t.Helper()
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatalf("Open(%s) = %v", db.Name, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// fixtureSchema returns the DDL and data of the shared fixture for engine:
// every base type, a single and a composite primary key, foreign keys, a
// view, comments, and identifiers with spaces, quotes, mixed case, reserved
// words and a backtick. The data is the same on every engine.
func fixtureSchema(engine string) []string {
	switch engine {
	case sightline.EnginePostgres:
		return []string{
			`CREATE TYPE mood AS ENUM ('happy', 'sad')`,
			`CREATE DOMAIN short_text AS varchar(10)`,
			`CREATE TABLE accounts (
				id integer PRIMARY KEY,
				email varchar(100) NOT NULL,
				plan varchar(20),
				seats bigint,
				active boolean,
				latitude double precision,
				longitude real,
				price numeric(10,2),
				born date,
				created_at timestamp,
				opens_at time,
				profile json,
				token uuid,
				avatar bytea,
				body text
			)`,
			`COMMENT ON TABLE accounts IS 'One row per customer account'`,
			`COMMENT ON COLUMN accounts.plan IS 'Subscription plan'`,
			`CREATE TABLE "order" (
				"select" integer NOT NULL REFERENCES accounts (id),
				"Line No" smallint NOT NULL,
				"Mixed Case" varchar(50),
				"we""ird" varchar(50),
				"back` + "`" + `tick" integer,
				PRIMARY KEY ("select", "Line No")
			)`,
			`CREATE VIEW "Active Accounts" AS SELECT id, email FROM accounts WHERE active`,
			`CREATE TABLE extras (
				id bigserial PRIMARY KEY,
				stamp_tz timestamptz,
				clock_tz timetz,
				doc jsonb,
				tags text[],
				feeling mood,
				code short_text,
				amount money,
				ratio float4
			)`,
			`CREATE MATERIALIZED VIEW account_counts AS SELECT plan, count(*) AS n FROM accounts GROUP BY plan`,
			`INSERT INTO accounts VALUES
				(1, 'a@example.com', 'Basic', 3, true, 40.5, -73.25, 295.00, '1990-05-17', '2024-01-15 10:20:30', '08:30:00', '{"a": 1}', 'a1b2c3d4-0000-4000-8000-000000000001', '\x0102', 'first'),
				(2, 'b@example.com', 'Premium', 12, false, -33.75, 151.5, 875.50, '1985-12-01', '2023-06-30 23:59:59', '17:00:00', '[1, 2]', 'a1b2c3d4-0000-4000-8000-000000000002', '\xff', 'second'),
				(3, 'c@example.com', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
			`INSERT INTO "order" VALUES (1, 1, 'x', 'y', 7), (1, 2, 'x', 'z', 8), (2, 1, 'w', 'y', 9)`,
			// Row counts come from the planner's statistics, which a fresh
			// table has only once analyzed (the activity counters the sync
			// falls back on reach the server up to a second late).
			`ANALYZE accounts, "order"`,
		}
	case sightline.EngineMySQL:
		return []string{
			"CREATE TABLE accounts (" +
				"id INT PRIMARY KEY, " +
				"email VARCHAR(100) NOT NULL, " +
				"plan VARCHAR(20) COMMENT 'Subscription plan', " +
				"seats BIGINT, " +
				"active BOOLEAN, " +
				"latitude DOUBLE, " +
				"longitude FLOAT, " +
				"price DECIMAL(10,2), " +
				"born DATE, " +
				"created_at DATETIME, " +
				"opens_at TIME, " +
				"profile JSON, " +
				"token CHAR(36), " +
				"avatar VARBINARY(16), " +
				"body TEXT" +
				") COMMENT 'One row per customer account'",
			"CREATE TABLE `order` (" +
				"`select` INT NOT NULL, " +
				"`Line No` SMALLINT NOT NULL, " +
				"`Mixed Case` VARCHAR(50), " +
				"`we\"ird` VARCHAR(50), " +
				"`back``tick` INT, " +
				"PRIMARY KEY (`select`, `Line No`), " +
				"FOREIGN KEY (`select`) REFERENCES accounts (id))",
			"CREATE VIEW `Active Accounts` AS SELECT id, email FROM accounts WHERE active",
			"CREATE TABLE extras (" +
				"id BIGINT UNSIGNED PRIMARY KEY AUTO_INCREMENT, " +
				"small TINYINT, " +
				"flag BIT(1), " +
				"feeling ENUM('happy', 'sad'), " +
				"yr YEAR, " +
				"stamp TIMESTAMP NULL, " +
				"blobby LONGBLOB, " +
				"ratio FLOAT)",
			"INSERT INTO accounts VALUES " +
				"(1, 'a@example.com', 'Basic', 3, true, 40.5, -73.25, 295.00, '1990-05-17', '2024-01-15 10:20:30', '08:30:00', '{\"a\": 1}', 'a1b2c3d4-0000-4000-8000-000000000001', X'0102', 'first'), " +
				"(2, 'b@example.com', 'Premium', 12, false, -33.75, 151.5, 875.50, '1985-12-01', '2023-06-30 23:59:59', '17:00:00', '[1, 2]', 'a1b2c3d4-0000-4000-8000-000000000002', X'ff', 'second'), " +
				"(3, 'c@example.com', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
			"INSERT INTO `order` VALUES (1, 1, 'x', 'y', 7), (1, 2, 'x', 'z', 8), (2, 1, 'w', 'y', 9)",
			"ANALYZE TABLE accounts, `order`",
		}
	}
	return []string{
		`CREATE TABLE accounts (
			id INTEGER PRIMARY KEY,
			email VARCHAR(100) NOT NULL,
			plan VARCHAR(20),
			seats BIGINT,
			active BOOLEAN,
			latitude DOUBLE,
			longitude REAL,
			price DECIMAL(10,2),
			born DATE,
			created_at DATETIME,
			opens_at TIME,
			profile JSON,
			token UUID,
			avatar BLOB,
			body TEXT
		)`,
		`CREATE TABLE "order" (
			"select" INTEGER NOT NULL REFERENCES accounts (id),
			"Line No" SMALLINT NOT NULL,
			"Mixed Case" VARCHAR(50),
			"we""ird" VARCHAR(50),
			"back` + "`" + `tick" INTEGER,
			PRIMARY KEY ("select", "Line No")
		)`,
		`CREATE VIEW "Active Accounts" AS SELECT id, email FROM accounts WHERE active`,
		`CREATE TABLE extras (
			id INTEGER PRIMARY KEY,
			stamp_tz TIMESTAMPTZ,
			free,
			numberish NUMERIC,
			ratio FLOAT
		)`,
		`INSERT INTO accounts VALUES
			(1, 'a@example.com', 'Basic', 3, 1, 40.5, -73.25, 295.00, '1990-05-17', '2024-01-15 10:20:30', '08:30:00', '{"a": 1}', 'a1b2c3d4-0000-4000-8000-000000000001', X'0102', 'first'),
			(2, 'b@example.com', 'Premium', 12, 0, -33.75, 151.5, 875.50, '1985-12-01', '2023-06-30 23:59:59', '17:00:00', '[1, 2]', 'a1b2c3d4-0000-4000-8000-000000000002', X'ff', 'second'),
			(3, 'c@example.com', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
		`INSERT INTO "order" VALUES (1, 1, 'x', 'y', 7), (1, 2, 'x', 'z', 8), (2, 1, 'w', 'y', 9)`,
	}
}
