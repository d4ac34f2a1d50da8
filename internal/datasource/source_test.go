package datasource

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"sightline"
)

const secret = "pa55-w0rd-never-shown"

func TestTestGoodDetails(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			if err := Test(context.Background(), e.setup(t, nil)); err != nil {
				t.Errorf("Test(good details) = %v, want nil", err)
			}
		})
	}
}

// mysqlUserWithPassword creates a MariaDB user that needs a password and
// drops it when the test ends.
func mysqlUserWithPassword(t *testing.T, dbName string) string {
	t.Helper()
	admin := mysqlAdmin(t)
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	user := "sl_user_" + hex.EncodeToString(b)
	for _, q := range []string{
		"CREATE USER '" + user + "'@'%' IDENTIFIED BY 'the-right-one'",
		"GRANT SELECT ON `" + dbName + "`.* TO '" + user + "'@'%'",
	} {
		if _, err := admin.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP USER '" + user + "'@'%'"); err != nil {
			t.Logf("drop user %s: %v", user, err)
		}
	})
	return user
}

func TestTestBadDetails(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte("these are notes, not a database, and long enough"), 0o600); err != nil {
		t.Fatal(err)
	}
	sqliteDB := func(path string) sightline.Database {
		return sightline.Database{Name: "file", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}}
	}
	server := func(engine string, port int, dbName, user string) sightline.Database {
		return sightline.Database{Name: "server", Engine: engine, Details: sightline.DatabaseDetails{
			Host: "127.0.0.1", Port: port, DBName: dbName, User: user, Password: secret, SSLMode: "disable",
		}}
	}

	tests := []struct {
		name    string
		db      func(t *testing.T) sightline.Database
		wantMsg string
	}{
		{"missing sqlite file", func(*testing.T) sightline.Database { return sqliteDB(filepath.Join(dir, "nope.db")) },
			"No SQLite database file at " + filepath.Join(dir, "nope.db")},
		{"not a sqlite file", func(*testing.T) sightline.Database { return sqliteDB(notDB) },
			notDB + " is not a SQLite database file."},
		{"directory", func(*testing.T) sightline.Database { return sqliteDB(dir) },
			dir + " is a directory"},
		{"postgres wrong host", func(*testing.T) sightline.Database { return server(sightline.EnginePostgres, 1, "x", "postgres") },
			"could not connect to host 127.0.0.1:1: connection refused"},
		{"mysql wrong host", func(*testing.T) sightline.Database { return server(sightline.EngineMySQL, 1, "x", "root") },
			"could not connect to host 127.0.0.1:1: connection refused"},
		{"postgres unknown database", func(t *testing.T) sightline.Database {
			postgresFixture(t, nil) // skips when the server is missing
			return server(sightline.EnginePostgres, 5432, "sl_no_such_db", "postgres")
		}, `database "sl_no_such_db" does not exist`},
		{"mysql unknown database", func(t *testing.T) sightline.Database {
			mysqlFixture(t, nil)
			d := server(sightline.EngineMySQL, 3306, "sl_no_such_db", "root")
			d.Details.Password = "" // root has none; a wrong one would be refused first
			return d
		}, `database "sl_no_such_db" does not exist`},
		{"mysql wrong password", func(t *testing.T) sightline.Database {
			my := mysqlFixture(t, nil)
			return server(sightline.EngineMySQL, 3306, my.Details.DBName, mysqlUserWithPassword(t, my.Details.DBName))
		}, "password authentication failed for user"},
		{"invalid details", func(*testing.T) sightline.Database {
			return sightline.Database{Name: "x", Engine: sightline.EnginePostgres}
		}, "Host is required."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Test(context.Background(), tt.db(t))
			if code := sightline.ErrorCode(err); code != sightline.EINVALID {
				t.Fatalf("Test() = %v, want code %s", err, sightline.EINVALID)
			}
			msg := sightline.ErrorMessage(err)
			t.Logf("Test() message: %s", msg)
			if !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("Test() message = %q, want it to contain %q", msg, tt.wantMsg)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("Test() error %q contains the password", err)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "nope.db")); !os.IsNotExist(err) {
		t.Errorf("Test(missing file) created it: stat = %v", err)
	}
}

// TestConnectionProblemPostgresAuth covers PostgreSQL's refusals, which the
// trust-auth server of the test machine cannot produce, and a session the
// server ends.
func TestConnectionProblemPostgresAuth(t *testing.T) {
	s := &Source{engine: sightline.EnginePostgres, details: sightline.DatabaseDetails{Host: "db", User: "ann", DBName: "shop"}, password: secret}
	tests := []struct {
		err  error
		want string
	}{
		{&pgconn.PgError{Code: "28P01", Message: `password authentication failed for user "ann"`}, `password authentication failed for user "ann"`},
		{&pgconn.PgError{Code: "28000", Message: `role "ann" does not exist`}, `role "ann" does not exist`},
		{&pgconn.PgError{Code: "3D000", Message: `database "shop" does not exist`}, `database "shop" does not exist`},
		{&pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"},
			"the server at db:5432 closed the connection: terminating connection due to administrator command"},
	}
	for _, tt := range tests {
		got, ok := s.connectionProblem(tt.err)
		if !ok || got != tt.want {
			t.Errorf("connectionProblem(%v) = %q, %v, want %q, true", tt.err, got, ok, tt.want)
		}
	}
	if got, ok := s.connectionProblem(&pgconn.PgError{Code: "42601", Message: "syntax error"}); ok {
		t.Errorf("connectionProblem(syntax error) = %q, true, want false", got)
	}
}

func TestSQLiteDSN(t *testing.T) {
	tests := []struct {
		path, want string
	}{
		{"/data/sample.db", "file:/data/sample.db?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(5000)&_pragma=cache_size(-512)"},
		{"/odd/a?b#c%d.db", "file:/odd/a%3fb%23c%25d.db?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(5000)&_pragma=cache_size(-512)"},
	}
	for _, tt := range tests {
		if got := sqliteDSN(tt.path); got != tt.want {
			t.Errorf("sqliteDSN(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestSQLiteOddPathAndEmptyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "we?ird #dir%")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	src := sqliteFixture(t, []string{"CREATE TABLE t (x INTEGER)", "INSERT INTO t VALUES (42)"})
	data, err := os.ReadFile(src.Details.Path)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s := open(t, sightline.Database{Name: "odd", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}})
	res, err := s.Exec(context.Background(), "SELECT x FROM t", nil, Options{})
	if err != nil || res.Rows[0][0] != int64(42) {
		t.Errorf("Exec on %q = %v, %v, want 42", path, res, err)
	}

	empty := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	edb := sightline.Database{Name: "empty", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: empty}}
	if err := Test(context.Background(), edb); err != nil {
		t.Errorf("Test(empty file) = %v, want nil: an empty file is an empty database", err)
	}
	md, err := open(t, edb).Sync(context.Background())
	if err != nil || len(md.Tables) != 0 {
		t.Errorf("Sync(empty file) = %v, %v, want no tables", md, err)
	}
}

func TestPool(t *testing.T) {
	ctx := context.Background()
	p := NewPool()
	db := sqliteFixture(t, []string{"CREATE TABLE t (x INTEGER)"})

	a, err := p.Source(ctx, db)
	if err != nil {
		t.Fatalf("Source() = %v", err)
	}
	if b, _ := p.Source(ctx, db); b != a {
		t.Errorf("Source(same details) = a new source, want the open one")
	}

	changed := db
	changed.Details.QueryTimeoutMS = 1234
	c, err := p.Source(ctx, changed)
	if err != nil {
		t.Fatalf("Source(changed) = %v", err)
	}
	if c == a || c.Timeout().Milliseconds() != 1234 {
		t.Errorf("Source(changed details) = same source or timeout %v, want a new source with 1.234s", c.Timeout())
	}
	if p.Len() != 1 {
		t.Errorf("Len() = %d, want 1", p.Len())
	}

	other := sqliteFixture(t, nil)
	other.ID = 99
	d, err := p.Source(ctx, other)
	if err != nil {
		t.Fatalf("Source(other) = %v", err)
	}
	p.Remove(other.ID)
	if p.Len() != 1 {
		t.Errorf("Len() after Remove = %d, want 1", p.Len())
	}

	if err := p.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	for name, s := range map[string]*Source{"replaced": a, "current": c, "removed": d} {
		if err := s.db.PingContext(ctx); err == nil || !strings.Contains(err.Error(), "closed") {
			t.Errorf("%s source after Close: Ping = %v, want database is closed", name, err)
		}
	}
	if _, err := p.Source(ctx, db); sightline.ErrorCode(err) != sightline.EUNAVAILABLE {
		t.Errorf("Source() after Close = %v, want code %s", err, sightline.EUNAVAILABLE)
	}
}

func TestPoolRejectsBadDetails(t *testing.T) {
	p := NewPool()
	defer p.Close()
	_, err := p.Source(context.Background(), sightline.Database{ID: 1, Name: "x", Engine: sightline.EngineSQLite,
		Details: sightline.DatabaseDetails{Path: filepath.Join(t.TempDir(), "missing.db")}})
	if sightline.ErrorCode(err) != sightline.EUNAVAILABLE || p.Len() != 0 {
		t.Errorf("Source(missing file) = %v with %d sources, want code %s and none", err, p.Len(), sightline.EUNAVAILABLE)
	}
}

// TestPoolNoticesMovedSQLiteFile moves a database's file away while its
// source is open: open connections would go on reading the old file, so
// the pool must say the file is gone, and open the path anew once a file
// is back there.
func TestPoolNoticesMovedSQLiteFile(t *testing.T) {
	ctx := context.Background()
	p := NewPool()
	defer p.Close()
	db := sqliteFixture(t, []string{"CREATE TABLE t (x INTEGER)", "INSERT INTO t VALUES (1)"})
	const count = "SELECT COUNT(*) FROM t"
	rows := func(s *Source) any {
		t.Helper()
		res, err := s.Exec(ctx, count, nil, Options{})
		if err != nil {
			t.Fatalf("Exec(%s) = %v", count, err)
		}
		return res.Rows[0][0]
	}
	s, err := p.Source(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(s); got != int64(1) {
		t.Fatalf("rows before the move = %v, want 1", got)
	}

	moved := db.Details.Path + ".old"
	if err := os.Rename(db.Details.Path, moved); err != nil {
		t.Fatal(err)
	}
	_, err = p.Source(ctx, db)
	want := fmt.Sprintf("Cannot reach the database %q: its SQLite file %s is gone: it was moved or deleted.", db.Name, db.Details.Path)
	if sightline.ErrorCode(err) != sightline.EUNAVAILABLE || !strings.HasPrefix(sightline.ErrorMessage(err), want) {
		t.Errorf("Source(moved file) = %v, want code %s and a message starting %q", err, sightline.EUNAVAILABLE, want)
	}
	if p.Len() != 0 {
		t.Errorf("Len() after the file moved = %d, want 0: the old source reads a file that is no longer there", p.Len())
	}

	// Another database at the path: the pool reads it, not the old file.
	other := sqliteFixture(t, []string{"CREATE TABLE t (x INTEGER)", "INSERT INTO t VALUES (1), (2)"})
	if err := os.Rename(other.Details.Path, db.Details.Path); err != nil {
		t.Fatal(err)
	}
	s2, err := p.Source(ctx, db)
	if err != nil {
		t.Fatalf("Source(file replaced) = %v", err)
	}
	if got := rows(s2); got != int64(2) {
		t.Errorf("rows after the file was replaced = %v, want 2 (the new file's)", got)
	}
	if again, _ := p.Source(ctx, db); again != s2 {
		t.Errorf("Source(unchanged file) = a new source, want the open one")
	}
}

// TestPoolRefusesProtectedFile points SQLite databases at a protected file
// (the app database's) by every road: its path, another spelling of it, a
// symbolic link, a hard link, and a path whose file is swapped for a link
// after its source opened. None may be opened or saved; other files may.
func TestPoolRefusesProtectedFile(t *testing.T) {
	ctx := context.Background()
	appDB := sqliteFixture(t, []string{"CREATE TABLE users (email TEXT)"}).Details.Path
	dir := t.TempDir()
	symlink := filepath.Join(dir, "link.db")
	if err := os.Symlink(appDB, symlink); err != nil {
		t.Fatal(err)
	}
	hardlink := filepath.Join(dir, "hard.db")
	if err := os.Link(appDB, hardlink); err != nil {
		t.Fatal(err)
	}
	p := NewPool(appDB)
	defer p.Close()
	paths := map[string]string{
		"path":           appDB,
		"other spelling": filepath.Dir(appDB) + "/./" + filepath.Base(appDB),
		"symbolic link":  symlink,
		"hard link":      hardlink,
	}
	for name, path := range paths {
		t.Run(name, func(t *testing.T) {
			db := sightline.Database{ID: 7, Name: "App", Engine: sightline.EngineSQLite, Details: sightline.DatabaseDetails{Path: path}}
			want := path + " is Sightline's own app database, which cannot be a data source: its tables hold this server's accounts and settings."
			if err := p.Check(db); sightline.ErrorCode(err) != sightline.EINVALID || sightline.ErrorMessage(err) != want {
				t.Errorf("Check(%s) = %v, want %s %q", path, err, sightline.EINVALID, want)
			}
			if _, err := p.Source(ctx, db); sightline.ErrorCode(err) != sightline.EUNAVAILABLE || !strings.HasSuffix(sightline.ErrorMessage(err), want) {
				t.Errorf("Source(%s) = %v, want %s ending %q", path, err, sightline.EUNAVAILABLE, want)
			}
			if p.Len() != 0 {
				t.Errorf("Len() = %d, want 0", p.Len())
			}
		})
	}

	t.Run("swapped after opening", func(t *testing.T) {
		db := sqliteFixture(t, []string{"CREATE TABLE t (x INTEGER)"})
		if err := p.Check(db); err != nil {
			t.Fatalf("Check(a user's file) = %v", err)
		}
		if _, err := p.Source(ctx, db); err != nil {
			t.Fatalf("Source(a user's file) = %v", err)
		}
		if err := os.Remove(db.Details.Path); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(appDB, db.Details.Path); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Source(ctx, db); sightline.ErrorCode(err) != sightline.EUNAVAILABLE || !strings.Contains(sightline.ErrorMessage(err), "Sightline's own app database") {
			t.Errorf("Source(file swapped for a link to the app database) = %v, want it refused", err)
		}
	})
}

func TestMaxOpenConns(t *testing.T) {
	tests := []struct {
		set, want int
	}{
		{0, DefaultMaxOpenConns},
		{3, 3},
	}
	for _, tt := range tests {
		db := sqliteFixture(t, nil)
		db.Details.MaxOpenConns = tt.set
		if got := open(t, db).db.Stats().MaxOpenConnections; got != tt.want {
			t.Errorf("Open(MaxOpenConns %d) pool limit = %d, want %d", tt.set, got, tt.want)
		}
	}
}
