package datasource

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"sightline"
)

// appLikeFile writes a second SQLite file, standing for any file the server
// can read (the app database), with one member in a groups table.
func appLikeFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "app.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	execAll(t, db, []string{
		"CREATE TABLE group_members (user_id INTEGER, group_id INTEGER)",
		"INSERT INTO group_members VALUES (1, 2)",
	})
	return path
}

// countRows counts the rows of table in the SQLite file at path, read on a
// connection of its own.
func countRows(t *testing.T, path, table string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatalf("count %s in %s: %v", table, path, err)
	}
	return n
}

// wantRefused checks that err is an EINVALID error whose message contains
// want (case-insensitive).
func wantRefused(t *testing.T, query string, err error, want string) {
	t.Helper()
	if err == nil {
		t.Errorf("Exec(%q) = nil, want it refused", query)
		return
	}
	if code := sightline.ErrorCode(err); code != sightline.EINVALID {
		t.Errorf("Exec(%q) code = %q (%v), want %q", query, code, err, sightline.EINVALID)
	}
	if msg := sightline.ErrorMessage(err); !strings.Contains(strings.ToLower(msg), strings.ToLower(want)) {
		t.Errorf("Exec(%q) message = %q, want it to mention %q", query, msg, want)
	}
}

// TestSQLiteCannotEscape plays a hostile author of SQL questions on a SQLite
// source: turning query_only off, attaching another file and writing into
// it, running several statements, and reading the files' paths.
func TestSQLiteCannotEscape(t *testing.T) {
	app := appLikeFile(t)
	db := sqliteFixture(t, fixtureSchema(sightline.EngineSQLite))
	s := open(t, db)
	lit := "'" + strings.ReplaceAll(app, "'", "''") + "'"
	tests := []struct {
		name  string
		query string
		want  string
	}{
		{"query_only off", "PRAGMA query_only = 0", "pragma"},
		{"query_only off, other spelling", "pragma QUERY_ONLY(false)", "pragma"},
		{"writable schema", "PRAGMA writable_schema = 1", "pragma"},
		{"journal mode", "PRAGMA journal_mode = delete", "pragma"},
		{"attach", "ATTACH DATABASE " + lit + " AS app", "attach"},
		{"attach and write", "ATTACH " + lit + " AS app; INSERT INTO app.group_members VALUES (28, 2)", "one statement"},
		{"attach in a second statement", "SELECT 1; ATTACH " + lit + " AS app", "one statement"},
		{"two selects", "SELECT 1; SELECT 2", "one statement"},
		{"query_only off then write", "PRAGMA query_only = 0; INSERT INTO accounts (id, email) VALUES (9, 'z@example.com')", "one statement"},
		{"database list", "PRAGMA database_list", "pragma"},
		{"database list function", "SELECT file FROM pragma_database_list", "database_list"},
		{"database list function in a subquery", "SELECT (SELECT group_concat(file) FROM pragma_database_list) AS f", "database_list"},
		{"insert", "INSERT INTO accounts (id, email) VALUES (9, 'z@example.com')", "change the database"},
		{"temp table", "CREATE TEMP TABLE t AS SELECT 1", "change the database"},
		{"begin", "BEGIN", "change the database"},
		{"vacuum into", "VACUUM INTO " + lit, "cannot run"},
		{"raw pages", "SELECT data FROM sqlite_dbpage", "raw pages"},
		{"raw pages, other spelling", "SELECT count(*) FROM main.SQLITE_DBPAGE WHERE pgno = 2", "raw pages"},
		{"page statistics", "SELECT name, unused FROM dbstat", "raw pages"},
		{"page statistics in a subquery", "SELECT (SELECT sum(pgsize) FROM dbstat('main')) AS n", "raw pages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Exec(context.Background(), tt.query, nil, Options{ReadOnly: true})
			wantRefused(t, tt.query, err, tt.want)
		})
	}
	// Downloads stream through the same checks.
	q := "SELECT 1; ATTACH " + lit + " AS app"
	_, err := s.Stream(context.Background(), q, nil, Options{}, func([]any) error { return nil })
	wantRefused(t, q, err, "one statement")
	if got := countRows(t, app, "group_members"); got != 1 {
		t.Errorf("rows in the attached file afterwards = %d, want 1", got)
	}
	if got := countRows(t, db.Details.Path, "accounts"); got != 3 {
		t.Errorf("rows in the source afterwards = %d, want 3", got)
	}
	// Refused statements leave the pool's connections as they were: still
	// query_only, still with nothing attached.
	for range 3 {
		res, err := s.Exec(context.Background(), "SELECT COUNT(*) FROM pragma_table_info('accounts')", nil, Options{})
		if err != nil {
			t.Fatalf("Exec(table info) = %v", err)
		}
		if got := res.Rows[0][0]; got != int64(15) {
			t.Errorf("columns of accounts = %v, want 15", got)
		}
	}
}

// TestSQLiteAttachLimit checks that a SQLite source's connections can attach
// no database, whatever the authorizer allows.
func TestSQLiteAttachLimit(t *testing.T) {
	db := sqliteFixture(t, nil)
	db.Details.MaxOpenConns = 1
	s := open(t, db)
	if _, err := s.Exec(context.Background(), "SELECT 1", nil, Options{}); err != nil {
		t.Fatalf("Exec() = %v", err)
	}
	conn, err := s.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	got, err := sqlite.Limit(conn, sqlite3.SQLITE_LIMIT_ATTACHED, -1)
	if err != nil {
		t.Fatalf("sqlite.Limit() = %v", err)
	}
	if got != 0 {
		t.Errorf("attached database limit = %d, want 0", got)
	}
}

// TestSQLiteReadsStillWork checks what a SQL question may do on SQLite.
func TestSQLiteReadsStillWork(t *testing.T) {
	s := open(t, sqliteFixture(t, fixtureSchema(sightline.EngineSQLite)))
	tests := []struct {
		query string
		want  any
	}{
		{"SELECT COUNT(*) FROM accounts", int64(3)},
		{"SELECT COUNT(*) FROM accounts;", int64(3)},
		{"SELECT COUNT(*) FROM accounts; -- the count\n", int64(3)},
		{"/* leading; comment */ SELECT COUNT(*) FROM accounts WHERE email <> 'a;b'", int64(3)},
		{"WITH n AS (SELECT id FROM accounts) SELECT COUNT(*) FROM n", int64(3)},
		{"SELECT COUNT(*) FROM pragma_table_info('accounts')", int64(15)},
		{"SELECT name FROM pragma_table_info('accounts') WHERE cid = 0", "id"},
		{"PRAGMA user_version", int64(1)},
		{"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", int64(3)},
	}
	for _, tt := range tests {
		res, err := s.Exec(context.Background(), tt.query, nil, Options{ReadOnly: true})
		if err != nil {
			t.Errorf("Exec(%q) = %v", tt.query, err)
			continue
		}
		if len(res.Rows) == 0 || res.Rows[0][0] != tt.want {
			t.Errorf("Exec(%q) = %v, want first value %v", tt.query, res.Rows, tt.want)
		}
	}
}

// TestServersRunOneStatement checks that PostgreSQL and MariaDB run a single
// statement per request, with and without bind arguments, and that nothing
// a second statement would do happens.
func TestServersRunOneStatement(t *testing.T) {
	for _, e := range engines()[1:] {
		t.Run(e.name, func(t *testing.T) {
			db := e.setup(t, []string{"CREATE TABLE t (x INT)", "INSERT INTO t VALUES (1)"})
			s := open(t, db)
			ph := firstPlaceholder(e.name)
			tests := []struct {
				query string
				args  []any
				opts  Options
			}{
				{"SELECT 1; SELECT 2", nil, Options{ReadOnly: true}},
				{"SELECT 1; DELETE FROM t", nil, Options{}},
				{"SELECT 1; COMMIT; DELETE FROM t", nil, Options{ReadOnly: true}},
				{"SELECT x FROM t WHERE x = " + ph + "; DELETE FROM t", []any{1}, Options{ReadOnly: true}},
				{"SELECT 1;\nDROP TABLE t", nil, Options{}},
			}
			for _, tt := range tests {
				_, err := s.Exec(context.Background(), tt.query, tt.args, tt.opts)
				wantRefused(t, tt.query, err, "one statement")
			}
			if e.name == sightline.EnginePostgres {
				// The simple protocol would run every statement of the
				// text; the options cannot bring it back.
				simple := db
				simple.Details.Options = "default_query_exec_mode=simple_protocol"
				ss := open(t, simple)
				for _, q := range []string{"SELECT 1; DELETE FROM t", "SELECT 1; COMMIT; DELETE FROM t"} {
					_, err := ss.Exec(context.Background(), q, nil, Options{ReadOnly: true})
					wantRefused(t, q, err, "one statement")
				}
			}
			res, err := s.Exec(context.Background(), "SELECT COUNT(*) FROM t", nil, Options{})
			if err != nil {
				t.Fatalf("Exec(count) = %v", err)
			}
			if got := res.Rows[0][0]; got != int64(1) {
				t.Errorf("rows left in t = %v, want 1", got)
			}
			// A trailing semicolon is still one statement.
			if _, err := s.Exec(context.Background(), "SELECT x FROM t;", nil, Options{ReadOnly: true}); err != nil {
				t.Errorf("Exec(trailing semicolon) = %v", err)
			}
		})
	}
}

// TestMySQLRefusesWrites plays a hostile author of SQL questions on MariaDB:
// DDL commits the read-only transaction on its own, so every statement that
// is not a read must be refused before it runs.
func TestMySQLRefusesWrites(t *testing.T) {
	e := engines()[2]
	s := open(t, e.setup(t, []string{
		"CREATE TABLE t (x INT)",
		"INSERT INTO t VALUES (1)",
		"CREATE PROCEDURE p() INSERT INTO t VALUES (2)",
	}))
	outfile := filepath.Join(t.TempDir(), "out.txt")
	tests := []struct {
		name  string
		query string
	}{
		{"drop table", "DROP TABLE t"},
		{"create table", "CREATE TABLE u (y INT)"},
		{"create table as select", "CREATE TABLE u AS SELECT * FROM t"},
		{"alter", "ALTER TABLE t ADD COLUMN y INT"},
		{"truncate", "TRUNCATE TABLE t"},
		{"rename", "RENAME TABLE t TO u"},
		{"insert", "INSERT INTO t VALUES (3)"},
		{"update", "UPDATE t SET x = 5"},
		{"delete", "DELETE FROM t"},
		{"replace", "REPLACE INTO t VALUES (4)"},
		{"load data", "LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE t"},
		{"into outfile", "SELECT * FROM t INTO OUTFILE '" + outfile + "'"},
		{"into dumpfile", "SELECT x FROM t LIMIT 1 INTO DUMPFILE '" + outfile + "'"},
		{"into variable", "SELECT x INTO @v FROM t"},
		{"set", "SET autocommit = 1"},
		{"set transaction", "SET TRANSACTION READ WRITE"},
		{"call", "CALL p()"},
		{"handler", "HANDLER t OPEN"},
		{"lock tables", "LOCK TABLES t WRITE"},
		{"do", "DO SLEEP(0)"},
		{"for update", "SELECT * FROM t FOR UPDATE"},
		{"lock in share mode", "SELECT * FROM t LOCK IN SHARE MODE"},
		{"commit", "COMMIT"},
		{"grant", "GRANT SELECT ON t TO CURRENT_USER"},
		{"executable comment", "SELECT 1 /*! ; DROP TABLE t */"},
		{"executable comment hiding a write", "/*!50000 DROP TABLE t */"},
		{"mariadb executable comment", "SELECT 1 /*M! INTO OUTFILE '" + outfile + "' */"},
		{"write behind a comment", "/* SELECT */ DROP TABLE t"},
		{"write behind a line comment", "-- SELECT\nDROP TABLE t"},
		{"write behind a hash comment", "# SELECT\nDROP TABLE t"},
		{"double dash without a space is code", "SELECT 1 --1 INTO OUTFILE '" + outfile + "'"},
		{"quote escaped by a backslash", `SELECT '\' INTO OUTFILE '` + outfile + `' -- '`},
		{"with delete", "WITH d AS (SELECT 1) DELETE FROM t"},
		{"explain analyze delete", "EXPLAIN ANALYZE DELETE FROM t"},
		{"analyze", "ANALYZE TABLE t"},
		{"multi statement", "SELECT 1; DROP TABLE t"},
		{"prepare", "PREPARE s FROM 'DROP TABLE t'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Exec(context.Background(), tt.query, nil, Options{ReadOnly: true})
			if err == nil {
				t.Errorf("Exec(%q) = nil, want it refused", tt.query)
			} else if code := sightline.ErrorCode(err); code != sightline.EINVALID {
				t.Errorf("Exec(%q) code = %q (%v), want %q", tt.query, code, err, sightline.EINVALID)
			}
		})
	}
	res, err := s.Exec(context.Background(), "SELECT COUNT(*), SUM(x) FROM t", nil, Options{})
	if err != nil {
		t.Fatalf("table t after the attempts: %v", err)
	}
	if got := res.Rows[0]; got[0] != int64(1) || got[1] != 1.0 {
		t.Errorf("COUNT, SUM of t afterwards = %v, want [1 1]", got)
	}
	res, err = s.Exec(context.Background(), "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()", nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rows[0][0]; got != int64(1) {
		t.Errorf("tables afterwards = %v, want only t", got)
	}
	if _, err := os.Stat(outfile); err == nil {
		t.Errorf("%s was written", outfile)
	}
}

// TestMySQLReadsStillWork checks the read statements a SQL question may run
// on MariaDB, and the message a refused one shows.
func TestMySQLReadsStillWork(t *testing.T) {
	e := engines()[2]
	s := open(t, e.setup(t, []string{"CREATE TABLE t (x INT, `into` INT)", "INSERT INTO t VALUES (1, 2)"}))
	for _, q := range []string{
		"SELECT x FROM t",
		"select x from t;",
		"  /* why */ SELECT x FROM t -- done",
		"(SELECT x FROM t) UNION (SELECT 1)",
		"WITH a AS (SELECT x FROM t), b (y) AS (SELECT 1) SELECT x FROM a",
		"WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT COUNT(*) FROM r",
		"SELECT `into` FROM t",
		"SELECT 'INTO OUTFILE ; DROP TABLE t' AS s FROM t",
		"SELECT REPLACE('a', 'a', 'b'), INSERT('abc', 1, 1, 'x') FROM t",
		"SHOW TABLES",
		"DESCRIBE t",
		"EXPLAIN SELECT x FROM t",
		"VALUES (1), (2)",
		"SELECT /*+ MAX_EXECUTION_TIME(1000) */ x FROM t",
	} {
		if _, err := s.Exec(context.Background(), q, nil, Options{ReadOnly: true}); err != nil {
			t.Errorf("Exec(%q) = %v", q, err)
		}
	}
	_, err := s.Exec(context.Background(), "DROP TABLE t", nil, Options{ReadOnly: true})
	wantRefused(t, "DROP TABLE t", err, "Only one read statement (SELECT) can run in a SQL question; this one would change the database.")
}

func TestMySQLReadStatement(t *testing.T) {
	tests := []struct {
		query string
		want  string // "" when allowed, else part of the refusal
	}{
		{"SELECT 1", ""},
		{"select 1;", ""},
		{"SELECT 1;;", ""},
		{"\t( (SELECT 1) ) UNION SELECT 2", ""},
		{"WITH a AS (SELECT 1), `b c` (x) AS (SELECT 2) SELECT * FROM a, `b c`", ""},
		{"WITH RECURSIVE r AS (SELECT 1 UNION ALL SELECT 1 FROM r) (SELECT 1)", ""},
		{"VALUES (1), (2)", ""},
		{"TABLE t", ""},
		{"SHOW CREATE TABLE t", ""},
		{"DESCRIBE t", ""},
		{"DESC db.t 'x%'", ""},
		{"EXPLAIN FORMAT=JSON SELECT 1", ""},
		{"EXPLAIN ANALYZE SELECT 1", ""},
		{"SELECT 'it''s; INTO', 'a\\\\b', \"a\"\"b\", `in``to` FROM t", ""},
		// A backslash before a quote reads differently per sql_mode.
		{"SELECT 'it\\'s' FROM t", "two quotes"},
		{"SELECT 1 -- ; DROP TABLE t", ""},
		{"SELECT 1 # ; DROP TABLE t", ""},
		{"SELECT 1 # comment\r; DROP TABLE t", "one statement"},
		{"SELECT 1 /* ; DROP TABLE t */", ""},
		{"SELECT 1--1", ""},
		{"SELECT information, fortune, locked, into_x FROM t", ""},
		{"SELECT /*+ BKA(t) */ 1 FROM t", ""},
		{"SELECT x FROM t FOR SYSTEM_TIME ALL", ""},

		{"", "no statement"},
		{" -- nothing\n", "no statement"},
		{";", "no statement"},
		{"SELECT 1; SELECT 2", "one statement"},
		{"SELECT 1;\n-- done\nDROP TABLE t", "one statement"},
		{"DROP TABLE t", "change the database"},
		{"drop table t", "change the database"},
		{"CREATE TABLE u AS SELECT 1", "change the database"},
		{"INSERT INTO t SELECT 1", "change the database"},
		{"LOAD DATA INFILE 'f' INTO TABLE t", "change the database"},
		{"SET @a = 1", "change the database"},
		{"HANDLER t READ FIRST", "change the database"},
		{"LOCK TABLES t READ", "change the database"},
		{"SELEC 1", "starts with SELEC"},
		{"FLUSH TABLES", "change the database"},
		{"SELECT 1 INTO @a", "INTO"},
		{"SELECT load_file('/etc/passwd')", "LOAD_FILE"},
		{"SELECT 1 FROM t INTO OUTFILE '/tmp/x'", "INTO"},
		{"SELECT 1 UNION SELECT 2 INTO DUMPFILE '/tmp/x'", "INTO"},
		{"SELECT 1e1INTO @a", "hide a keyword"},
		{"SELECT 1 FROM t WHERE x = 1e1FOR UPDATE", "hide a keyword"},
		{"SELECT 1 FROM t FOR UPDATE", "lock rows"},
		{"SELECT 1 FROM t FOR /* */ SHARE", "lock rows"},
		{"SELECT 1 FROM t LOCK IN SHARE MODE", "lock rows"},
		{"SELECT 1 /*! INTO OUTFILE '/tmp/x' */", "Executable comments"},
		{"SELECT 1 /*!50100 , 2 */", "Executable comments"},
		{"SELECT 1 /*m! , 2 */", "Executable comments"},
		{"SELECT 1 /* not closed", "not closed"},
		{"SELECT 'not closed", "not closed"},
		{"SELECT `not closed", "not closed"},
		// Under NO_BACKSLASH_ESCAPES the first string ends at \' and INTO is code.
		{`SELECT '\' INTO OUTFILE '/tmp/x' -- '`, "sql_mode"},
		// Under ANSI_QUOTES "..." is a name, where a backslash is plain.
		{`SELECT "\" INTO OUTFILE '/tmp/x' -- "`, "sql_mode"},
		{"/* SELECT */ DELETE FROM t", "change the database"},
		{"WITH d AS (SELECT 1) DELETE FROM t", "change the database"},
		{"WITH d AS (SELECT 1) UPDATE t SET x = 1", "change the database"},
		{"WITH d AS (SELECT 1", "change the database"},
		{"WITH d AS SELECT 1", "change the database"},
		{"(DELETE FROM t)", "change the database"},
		{"(SHOW TABLES)", "starts with SHOW"},
		{"EXPLAIN DELETE FROM t", "change the database"},
		{"EXPLAIN ANALYZE DELETE FROM t", "change the database"},
		{"EXPLAIN FOR CONNECTION 5", "change the database"},
		{"DESCRIBE t; DROP TABLE t", "one statement"},
		{"DESCRIBE t x y", "change the database"},
		{"ANALYZE SELECT 1", "change the database"},
	}
	for _, tt := range tests {
		got := mysqlReadStatement(tt.query)
		if tt.want == "" && got != "" {
			t.Errorf("mysqlReadStatement(%q) = %q, want it allowed", tt.query, got)
		}
		if tt.want != "" && !strings.Contains(strings.ToLower(got), strings.ToLower(tt.want)) {
			t.Errorf("mysqlReadStatement(%q) = %q, want a refusal mentioning %q", tt.query, got, tt.want)
		}
	}
}

// TestCompiledSQLPasses checks that the SQL the query compiler writes for
// MySQL and PostgreSQL (its golden files) passes the statement checks.
func TestCompiledSQLPasses(t *testing.T) {
	checks := map[string]func(string) string{"mysql": mysqlReadStatement, "postgres": pgReadStatement}
	for engine, check := range checks {
		files, err := filepath.Glob(filepath.Join("..", "query", "testdata", "*."+engine+".sql"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no golden %s files: %v", engine, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			if strings.HasPrefix(text, "-- error:") {
				continue
			}
			if msg := check(text); msg != "" {
				t.Errorf("%s: check = %q, want it allowed", filepath.Base(f), msg)
			}
		}
	}
}

// TestPostgresRefusesCopy checks that a SQL question cannot run COPY on
// PostgreSQL: a READ ONLY transaction still lets a privileged role copy to
// a server file or program.
func TestPostgresRefusesCopy(t *testing.T) {
	s := open(t, engines()[1].setup(t, []string{"CREATE TABLE t (x INT)"}))
	f, err := os.CreateTemp("", "sightline-copy-*")
	if err != nil {
		t.Fatal(err)
	}
	probe := f.Name()
	f.Close()
	os.Remove(probe)
	t.Cleanup(func() { os.Remove(probe) })
	for _, q := range []string{
		"COPY (SELECT 1) TO PROGRAM 'touch " + probe + "'",
		"/* a /* nested */ comment */ COPY (SELECT 1) TO '" + probe + "'",
		"DO $$ BEGIN PERFORM 1; END $$",
		"SET ROLE NONE",
		"LOAD 'plpgsql'",
	} {
		_, err := s.Exec(context.Background(), q, nil, Options{ReadOnly: true})
		wantRefused(t, q, err, "read statement")
	}
	if _, err := os.Stat(probe); err == nil {
		t.Errorf("%s was written", probe)
	}
	for _, q := range []string{
		"SELECT 1",
		"-- why\n(SELECT 1)",
		"/* a /* nested */ comment */ WITH a AS (SELECT 1) SELECT * FROM a",
		"VALUES (1)",
		"TABLE t",
		"SHOW search_path",
		"EXPLAIN SELECT 1",
	} {
		if _, err := s.Exec(context.Background(), q, nil, Options{ReadOnly: true}); err != nil {
			t.Errorf("Exec(%q) = %v", q, err)
		}
	}
}

func TestPgReadStatement(t *testing.T) {
	tests := []struct {
		query string
		want  string // "" when allowed, else part of the refusal
	}{
		{"SELECT 1", ""},
		{"  ((select 1))", ""},
		{"-- c\r(SELECT 1)", ""},
		{"/* a /* b */ c */ WITH a AS (SELECT 1) SELECT 1", ""},
		{"EXPLAIN ANALYZE SELECT 1", ""},
		{"", "no statement"},
		{"-- only a comment", "no statement"},
		{";", "no statement"},
		{"/* a /* b */ SELECT 1", "not closed"},
		{"/* a /* b */ */ COPY t TO PROGRAM 'x'", "change the database"},
		{"/* a */ */ SELECT 1", "does not start with one"},
		{"COPY (SELECT 1) TO '/tmp/x'", "change the database"},
		{"DO $$ BEGIN END $$", "change the database"},
		{"LISTEN x", "starts with LISTEN"},
		{"SELECTX", "starts with SELECTX"},
		{"SELECT1", "starts with SELECT1"},
		{"\"select\" 1", "does not start with one"},
	}
	for _, tt := range tests {
		got := pgReadStatement(tt.query)
		if tt.want == "" && got != "" {
			t.Errorf("pgReadStatement(%q) = %q, want it allowed", tt.query, got)
		}
		if tt.want != "" && !strings.Contains(strings.ToLower(got), strings.ToLower(tt.want)) {
			t.Errorf("pgReadStatement(%q) = %q, want a refusal mentioning %q", tt.query, got, tt.want)
		}
	}
}

// TestServerSessionsAreReadOnly checks that the servers themselves refuse
// writes on a source's connections, for any statement that would get past
// the statement checks: every PostgreSQL transaction is read-only by
// default, and every MariaDB session.
func TestServerSessionsAreReadOnly(t *testing.T) {
	for _, e := range engines()[1:] {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, []string{"CREATE TABLE t (x INT)", "INSERT INTO t VALUES (1)"}))
			for _, q := range []string{"INSERT INTO t VALUES (2)", "DELETE FROM t", "CREATE TABLE u (y INT)", "DROP TABLE t"} {
				if _, err := s.db.ExecContext(context.Background(), q); err == nil {
					t.Errorf("ExecContext(%q) on a source connection = nil, want an error", q)
				}
			}
			// A write the checks let through (a data-modifying WITH on
			// PostgreSQL) is refused by the server, in words.
			if e.name == sightline.EnginePostgres {
				q := "WITH d AS (DELETE FROM t RETURNING x) SELECT COUNT(*) FROM d"
				for _, opts := range []Options{{}, {ReadOnly: true}} {
					_, err := s.Exec(context.Background(), q, nil, opts)
					wantRefused(t, q, err, "would change the database")
				}
			}
			res, err := s.Exec(context.Background(), "SELECT COUNT(*) FROM t", nil, Options{})
			if err != nil {
				t.Fatalf("Exec(count) = %v", err)
			}
			if got := res.Rows[0][0]; got != int64(1) {
				t.Errorf("rows in t = %v, want 1", got)
			}
		})
	}
}

func TestSQLiteAuthorize(t *testing.T) {
	tests := []struct {
		action     sqlite.AuthorizerActionCode
		arg1, arg2 string
		want       string // "" when allowed, else part of the refusal
	}{
		{sqlite.AuthSelect, "", "", ""},
		{sqlite.AuthRead, "accounts", "email", ""},
		{sqlite.AuthRead, "pragma_table_info", "name", ""},
		{sqlite.AuthRead, "PRAGMA_FOREIGN_KEY_LIST", "from", ""},
		{sqlite.AuthRead, "pragma_database_list", "file", "pragma_database_list"},
		{sqlite.AuthRead, "sqlite_dbpage", "data", "raw pages"},
		{sqlite.AuthRead, "DBSTAT", "name", "raw pages"},
		{sqlite.AuthFunction, "", "lower", ""},
		{sqlite.AuthFunction, "", "LOAD_EXTENSION", "LOAD_EXTENSION"},
		{sqlite.AuthPragma, "table_info", "accounts", ""},
		{sqlite.AuthPragma, "user_version", "", ""},
		{sqlite.AuthPragma, "user_version", "7", "PRAGMA user_version"},
		{sqlite.AuthPragma, "query_only", "0", "PRAGMA query_only"},
		{sqlite.AuthPragma, "database_list", "", "PRAGMA database_list"},
		{sqlite.AuthPragma, "wal_checkpoint", "", "PRAGMA wal_checkpoint"},
		{sqlite.AuthAttach, "/data/app.db", "", "ATTACH"},
		{sqlite.AuthDetach, "main", "", "ATTACH"},
		{sqlite.AuthInsert, "accounts", "", "change the database"},
		{sqlite.AuthCreateTempTable, "t", "", "change the database"},
		{sqlite.AuthTransaction, "BEGIN", "", "change the database"},
		{sqlite.AuthAnalyze, "accounts", "", "change the database"},
	}
	for _, tt := range tests {
		got := sqliteAuthorize(tt.action, tt.arg1, tt.arg2)
		if tt.want == "" && got != "" {
			t.Errorf("sqliteAuthorize(%d, %q, %q) = %q, want it allowed", tt.action, tt.arg1, tt.arg2, got)
		}
		if tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("sqliteAuthorize(%d, %q, %q) = %q, want a refusal mentioning %q", tt.action, tt.arg1, tt.arg2, got, tt.want)
		}
	}
}
