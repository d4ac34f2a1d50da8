package datasource

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"

	"sightline"
	"sightline/internal/sqlitefunc"
)

// Pool limits and timeouts used when a database's details leave them at zero.
const (
	// DefaultMaxOpenConns caps a database's pool unless its details set MaxOpenConns.
	DefaultMaxOpenConns = 10
	// DefaultMaxIdleConns is how many idle connections a pool keeps: as
	// many as a browser loads dashboard cards at once (six requests per
	// host), so that a dashboard's next load opens none. DefaultConnIdleTime
	// closes them when they stay unused.
	DefaultMaxIdleConns = 6
	// DefaultConnLifetime retires connections so that server restarts and
	// failovers are picked up.
	DefaultConnLifetime = 30 * time.Minute
	// DefaultConnIdleTime closes connections nobody used for a while.
	DefaultConnIdleTime = 5 * time.Minute
	// DefaultQueryTimeout bounds a query unless the details set QueryTimeoutMS.
	DefaultQueryTimeout = 60 * time.Second
	// TestTimeout bounds Test: connecting and running a trivial query.
	TestTimeout = 10 * time.Second
	// dialTimeout bounds establishing one TCP connection.
	dialTimeout = 10 * time.Second
)

// sqliteMagic is the header every SQLite 3 database file starts with.
var sqliteMagic = []byte("SQLite format 3\x00")

// Source is an open connection pool to one user database. It is safe for
// concurrent use. Close it when the database is removed; a Pool does that
// for the sources it holds.
type Source struct {
	db       *sql.DB
	engine   string
	name     string
	details  sightline.DatabaseDetails
	timeout  time.Duration
	password string
	// file is the SQLite file the source opened, to notice when the path
	// no longer leads to it; nil for other engines.
	file os.FileInfo
	// zones remembers whether a MySQL server knows time zone names; see
	// NamedTimeZones.
	zones zoneState
}

// Open returns a pool for db without necessarily connecting: PostgreSQL and
// MySQL connections are made on first use (see Test to check details).
// A SQLite file is opened read-only, and must exist and be a SQLite database:
// Open never creates a file.
func Open(ctx context.Context, db sightline.Database) (*Source, error) {
	if err := db.Validate(); err != nil {
		return nil, err
	}
	s := &Source{
		engine:   db.Engine,
		name:     db.Name,
		details:  db.Details,
		timeout:  DefaultQueryTimeout,
		password: db.Details.Password,
	}
	if db.Details.QueryTimeoutMS > 0 {
		s.timeout = time.Duration(db.Details.QueryTimeoutMS) * time.Millisecond
	}
	var err error
	switch db.Engine {
	case sightline.EngineSQLite:
		s.db, s.file, err = openSQLite(db.Details.Path)
	case sightline.EnginePostgres:
		s.db, err = openPostgres(db.Details)
	case sightline.EngineMySQL:
		s.db, err = openMySQL(db.Details)
	}
	if err != nil {
		return nil, err
	}
	maxOpen := db.Details.MaxOpenConns
	if maxOpen <= 0 {
		maxOpen = DefaultMaxOpenConns
	}
	s.db.SetMaxOpenConns(maxOpen)
	s.db.SetMaxIdleConns(min(DefaultMaxIdleConns, maxOpen))
	s.db.SetConnMaxLifetime(DefaultConnLifetime)
	s.db.SetConnMaxIdleTime(DefaultConnIdleTime)
	return s, nil
}

// Engine returns the engine of the database (sightline.EngineSQLite, ...).
func (s *Source) Engine() string { return s.engine }

// Timeout returns the query timeout applied when a caller's context has no
// shorter deadline.
func (s *Source) Timeout() time.Duration { return s.timeout }

// Close closes every connection of the pool, waiting for running queries.
func (s *Source) Close() error { return s.db.Close() }

// Test connects to db and runs a trivial query within TestTimeout (or ctx's
// shorter deadline). The error, if any, is an EINVALID *sightline.Error whose
// message says what is wrong ("could not connect to host ...", "password
// authentication failed for user ...", ...) and never contains the password.
func Test(ctx context.Context, db sightline.Database) error {
	ctx, cancel := context.WithTimeout(ctx, TestTimeout)
	defer cancel()
	s, err := Open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	var one int64
	err = s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
	if err == nil {
		return nil
	}
	if msg, ok := s.connectionProblem(err); ok {
		return &sightline.Error{Code: sightline.EINVALID, Message: msg, Err: s.scrubbed(err)}
	}
	if ctx.Err() != nil {
		return &sightline.Error{Code: sightline.EINVALID, Message: fmt.Sprintf("could not connect to %s: timed out after %s", s.hostPort(), TestTimeout), Err: s.scrubbed(err)}
	}
	return &sightline.Error{Code: sightline.EINVALID, Message: s.scrub(engineMessage(err)), Err: s.scrubbed(err)}
}

// openSQLite opens the file at path read-only after checking that it is a
// SQLite database, and returns the file's identity.
func openSQLite(path string) (*sql.DB, os.FileInfo, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, &sightline.Error{Code: sightline.EINVALID, Message: fmt.Sprintf("No SQLite database file at %s.", path), Err: err}
	}
	if err != nil {
		return nil, nil, &sightline.Error{Code: sightline.EINVALID, Message: fmt.Sprintf("Cannot open %s: %v", path, errors.Unwrap(err)), Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, &sightline.Error{Code: sightline.EINVALID, Message: fmt.Sprintf("Cannot open %s: %v", path, errors.Unwrap(err)), Err: err}
	}
	if st.IsDir() {
		return nil, nil, sightline.Errorf(sightline.EINVALID, "%s is a directory, not a SQLite database file.", path)
	}
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	// An empty file is a valid, empty SQLite database.
	if n > 0 && (err != nil || !bytes.Equal(head, sqliteMagic)) {
		return nil, nil, sightline.Errorf(sightline.EINVALID, "%s is not a SQLite database file.", path)
	}
	// Custom columns call the functions SQLite lacks (regex-match-first,
	// split-part); they are pure, so the authorizer lets them run.
	if err := sqlitefunc.Register(); err != nil {
		return nil, nil, sightline.Internal(err)
	}
	conn, err := sqlite.NewConnector(sqliteDSN(path))
	if err != nil {
		return nil, nil, sightline.Internal(err)
	}
	return sql.OpenDB(sqliteConnector{conn}), st, nil
}

// fileMoved reports whether a SQLite source's path no longer leads to the
// file it opened: the file was deleted, renamed or replaced. Its open
// connections would go on reading the old file.
func (s *Source) fileMoved() bool {
	if s.file == nil {
		return false
	}
	st, err := os.Stat(s.details.Path)
	return err != nil || !os.SameFile(st, s.file)
}

// sqliteDSN returns a read-only URI for path. mode=ro makes SQLite refuse to
// create a missing file, and query_only refuses writes even through ATTACH.
//
// Each pooled connection keeps a page cache of its own, by default up to
// 2 MB; SQLite's allocator keeps what a cache once held even after the
// connection closes, so a sync's table scans alone left the server 5 MB
// larger for good. 512 KiB per connection still holds the indexes and
// smaller tables a dashboard reads again and again, and a page missing
// from it comes from the operating system's file cache (measured on the
// Sample Database: no difference in CPU time for typical card queries
// beyond the noise of a few percent).
func sqliteDSN(path string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(path) + "?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(5000)&_pragma=cache_size(-512)"
}

// openPostgres builds a pgx pool whose connections cancel a running query on
// the server (a CancelRequest) when its context ends, rather than only
// dropping the socket, which would leave the query running.
func openPostgres(d sightline.DatabaseDetails) (*sql.DB, error) {
	port := d.Port
	if port == 0 {
		port = 5432
	}
	q := url.Values{}
	if d.Options != "" {
		opts, err := url.ParseQuery(d.Options)
		if err != nil {
			return nil, sightline.Errorf(sightline.EINVALID, "Options must look like key=value&key2=value2.")
		}
		q = opts
	}
	if d.SSLMode != "" {
		q.Set("sslmode", d.SSLMode)
	}
	if !q.Has("connect_timeout") {
		q.Set("connect_timeout", strconv.Itoa(int(dialTimeout/time.Second)))
	}
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(d.User),
		Host:     net.JoinHostPort(d.Host, strconv.Itoa(port)),
		Path:     "/" + d.DBName,
		RawQuery: q.Encode(),
	}
	if d.User == "" {
		u.User = nil
	}
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		return nil, sightline.Errorf(sightline.EINVALID, "Invalid PostgreSQL connection details: %s", scrub(err.Error(), d.Password))
	}
	// The password is set on the parsed config so that it never appears in a
	// connection string, where it would need escaping and could leak.
	cfg.Password = d.Password
	// Every transaction, implicit ones included, is read-only unless it
	// says otherwise, which Sightline never does.
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	// The simple protocol (default_query_exec_mode=simple_protocol in the
	// options) would run several statements sent as one text; the extended
	// protocol's Parse message holds exactly one.
	if cfg.DefaultQueryExecMode == pgx.QueryExecModeSimpleProtocol {
		cfg.DefaultQueryExecMode = pgx.QueryExecModeExec
	}
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 5 * time.Second}
	}
	// Each result row is one message, read whole into memory before Exec
	// can count it against its byte cap: one longer than MaxResultBytes (a
	// value can reach 1 GiB) is refused from its header instead.
	cfg.AfterConnect = func(_ context.Context, c *pgconn.PgConn) error {
		c.Frontend().SetMaxBodyLen(MaxResultBytes)
		return nil
	}
	return stdlib.OpenDB(*cfg), nil
}

// openMySQL builds a go-sql-driver/mysql pool with parseTime and UTC.
func openMySQL(d sightline.DatabaseDetails) (*sql.DB, error) {
	port := d.Port
	if port == 0 {
		port = 3306
	}
	cfg := mysql.NewConfig()
	cfg.User = d.User
	cfg.Passwd = d.Password
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(d.Host, strconv.Itoa(port))
	cfg.DBName = d.DBName
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.Timeout = dialTimeout
	// One statement per query, and no LOAD DATA LOCAL INFILE reading files
	// of the machine Sightline runs on, whatever the options say.
	cfg.MultiStatements = false
	cfg.AllowAllFiles = false
	if d.Options != "" {
		opts, err := url.ParseQuery(d.Options)
		if err != nil {
			return nil, sightline.Errorf(sightline.EINVALID, "Options must look like key=value&key2=value2.")
		}
		cfg.Params = map[string]string{}
		for k := range opts {
			cfg.Params[k] = opts.Get(k)
		}
	}
	// SSLMode takes PostgreSQL's words or the driver's own tls values.
	switch strings.ToLower(d.SSLMode) {
	case "", "disable", "false":
		cfg.TLSConfig = "false"
	case "prefer", "preferred", "allow":
		cfg.TLSConfig = "preferred"
	case "require", "skip-verify":
		cfg.TLSConfig = "skip-verify"
	case "verify-ca", "verify-full", "true":
		cfg.TLSConfig = "true"
	default:
		return nil, sightline.Errorf(sightline.EINVALID, "Unknown SSL mode %q: use disable, preferred, require or verify-full.", d.SSLMode)
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, sightline.Errorf(sightline.EINVALID, "Invalid MySQL connection details: %s", scrub(err.Error(), d.Password))
	}
	return sql.OpenDB(threadConnector{conn}), nil
}

// hostPort names the server in messages.
func (s *Source) hostPort() string {
	if s.engine == sightline.EngineSQLite {
		return s.details.Path
	}
	port := s.details.Port
	if port == 0 {
		port = 5432
		if s.engine == sightline.EngineMySQL {
			port = 3306
		}
	}
	return net.JoinHostPort(s.details.Host, strconv.Itoa(port))
}

// scrub removes the source's password from a message.
func (s *Source) scrub(msg string) string { return scrub(msg, s.password) }

// scrubbed returns err with the password removed from its text, for
// wrapping in errors that get logged.
func (s *Source) scrubbed(err error) error {
	if s.password == "" || !strings.Contains(err.Error(), s.password) {
		return err
	}
	return errors.New(s.scrub(err.Error()))
}

func scrub(msg, password string) string {
	if password == "" {
		return msg
	}
	return strings.ReplaceAll(msg, password, "********")
}
