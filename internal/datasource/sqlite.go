package datasource

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"

	"modernc.org/libc"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"sightline"
)

// A SQLite source is made read-only by SQLite itself, on every connection:
// the file is opened with mode=ro and query_only, the limit of attached
// databases is zero, and an authorizer lets SQLite compile only what reads
// the source's own tables. The authorizer sees the statement as SQLite parsed
// it, so no spelling, comment or quoting gets past it.

// SQLiteMaxValueBytes bounds the size of any text or blob a SQLite source
// reads or computes, such as replace nested in replace, each multiplying
// the length of a text (SQLite's own bound is a billion bytes). SQLite runs
// inside Sightline's process, so this bounds the memory one query can take
// from every other request; 64 MiB is the largest packet MySQL allows by
// default.
const SQLiteMaxValueBytes = 64 << 20

// sqliteConnector opens read-only SQLite connections guarded by
// sqliteAuthorize.
type sqliteConnector struct {
	driver.Connector
}

// Connect opens a connection and installs the authorizer. The DSN's pragmas
// (query_only, busy_timeout) have run by then; afterwards no pragma that
// changes state can.
func (c sqliteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	reg, ok := conn.(sqlite.AuthorizerRegisterer)
	if !ok {
		return nil, errors.Join(fmt.Errorf("sqlite connection %T has no authorizer", conn), conn.Close())
	}
	sc := &sqliteConn{conn: conn, stmts: newStmtCache(sqliteStmtsPerConn)}
	if err := reg.RegisterAuthorizer(sc.authorize); err != nil {
		return nil, errors.Join(err, conn.Close())
	}
	return sc, nil
}

// sqliteConn is a SQLite driver connection that remembers why its
// authorizer last refused something, so that the person sees the reason
// rather than SQLite's "not authorized".
type sqliteConn struct {
	conn driver.Conn
	mu   sync.Mutex
	// denied is the reason of the last refusal, cleared before each
	// statement (see takeDenial).
	denied string
	// limited is set once the connection's limit of attached databases
	// is zero; only the goroutine holding the connection touches it.
	limited bool
	// stmts keeps the connection's prepared queries.
	stmts *stmtCache
}

// authorize is the connection's SQLite authorizer.
func (c *sqliteConn) authorize(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
	reason := sqliteAuthorize(action, arg1, arg2)
	if reason == "" {
		return sqlite.AuthorizerOK
	}
	c.mu.Lock()
	if c.denied == "" {
		c.denied = reason
	}
	c.mu.Unlock()
	return sqlite.AuthorizerDeny
}

// takeDenial returns the reason of the last refusal and forgets it.
func (c *sqliteConn) takeDenial() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.denied
	c.denied = ""
	return r
}

// sqliteReadPragma reports whether the pragma name may run: it describes
// tables and indexes and changes nothing. takesArg says whether it takes an
// argument (a table or index name); the others may only be read, not set.
func sqliteReadPragma(name string) (ok, takesArg bool) {
	switch strings.ToLower(name) {
	case "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list":
		return true, true
	case "collation_list", "function_list", "module_list", "pragma_list", "user_version", "application_id",
		"schema_version", "encoding", "page_size", "page_count", "freelist_count", "foreign_keys", "query_only":
		return true, false
	}
	return false, false
}

// sqliteAuthorize decides whether SQLite may compile one action of a
// statement on a source connection: it returns "" to allow it, or the reason
// it is refused, a sentence for the person who wrote the SQL.
func sqliteAuthorize(action sqlite.AuthorizerActionCode, arg1, arg2 string) string {
	switch action {
	case sqlite.AuthSelect, sqlite.AuthRecursive:
		return ""
	case sqlite.AuthRead:
		// The virtual tables of the file's pages read it below its
		// tables: deleted rows still in free pages included.
		if t := strings.ToLower(arg1); t == "sqlite_dbpage" || t == "dbstat" {
			return fmt.Sprintf("%s cannot be read in a SQL question: it reads the file's raw pages, where deleted rows can remain.", arg1)
		}
		// Table-valued pragmas are read like tables: only those of the
		// allowed pragmas (pragma_table_info, ...) may be.
		if name, ok := strings.CutPrefix(strings.ToLower(arg1), "pragma_"); ok {
			if allowed, _ := sqliteReadPragma(name); !allowed {
				return fmt.Sprintf("%s cannot be read in a SQL question: it describes the server rather than the data.", arg1)
			}
		}
		return ""
	case sqlite.AuthFunction:
		if f := strings.ToLower(arg2); f == "load_extension" || f == "fts3_tokenizer" {
			return fmt.Sprintf("The function %s cannot run in a SQL question.", arg2)
		}
		return ""
	case sqlite.AuthPragma:
		ok, takesArg := sqliteReadPragma(arg1)
		if ok && (takesArg || arg2 == "") {
			return ""
		}
		return fmt.Sprintf("PRAGMA %s cannot run in a SQL question: only pragmas that describe tables (such as table_info and index_list) can.", arg1)
	case sqlite.AuthAttach, sqlite.AuthDetach:
		return "ATTACH and DETACH cannot run in a SQL question: a question reads only its own database."
	}
	return msgWrite
}

// sqliteError turns an error from SQLite into the authorizer's reason when
// the authorizer refused the statement.
func sqliteError(err error, denied string) error {
	var se *sqlite.Error
	if denied == "" || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_AUTH {
		return nil
	}
	return &sightline.Error{Code: sightline.EINVALID, Message: denied, Err: err}
}

// sqliteCheckBudget bounds the bytes sqliteOneStatement copies and
// sqlite3_complete reads for one text: each semicolon costs the text before
// it.
const sqliteCheckBudget = 64 << 20

// sqliteOneStatement refuses SQL text holding more than one statement.
// SQLite's own tokenizer (sqlite3_complete) says which semicolons end a
// statement; after the first of them only blanks and comments may follow.
func sqliteOneStatement(sqlText string) error {
	if !strings.Contains(sqlText, ";") {
		return nil
	}
	tls := libc.NewTLS()
	defer tls.Close()
	scanned := 0
	for i := range len(sqlText) {
		if sqlText[i] != ';' {
			continue
		}
		if scanned += i + 1; scanned > sqliteCheckBudget {
			return sightline.Errorf(sightline.EINVALID, "The SQL text has too many semicolons to check that it holds one statement.")
		}
		ends, err := sqliteComplete(tls, sqlText[:i+1])
		if err != nil {
			return sightline.Internal(err)
		}
		if !ends {
			continue
		}
		if !sqliteBlank(sqlText[i+1:]) {
			return sightline.Errorf(sightline.EINVALID, "%s", msgSeveral)
		}
		return nil
	}
	return nil
}

// sqliteComplete reports whether text ends with a semicolon that ends a
// statement, by SQLite's tokenizer.
func sqliteComplete(tls *libc.TLS, text string) (bool, error) {
	p, err := libc.CString(text)
	if err != nil {
		return false, err
	}
	defer libc.Xfree(tls, p)
	return sqlite3.Xsqlite3_complete(tls, p) != 0, nil
}

// sqliteBlank reports whether s holds only whitespace and comments, as
// SQLite's tokenizer reads them. It errs on the side of "not blank".
func sqliteBlank(s string) bool {
	for i := 0; i < len(s); {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\f' || s[i] == '\r':
			i++
		case strings.HasPrefix(s[i:], "--"):
			nl := strings.IndexByte(s[i:], '\n')
			if nl < 0 {
				return true
			}
			i += nl + 1
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return true
			}
			i += 2 + end + 2
		default:
			return false
		}
	}
	return true
}

// Prepare implements driver.Conn.
func (c *sqliteConn) Prepare(query string) (driver.Stmt, error) { return c.conn.Prepare(query) }

// Close implements driver.Conn, closing the cached statements first.
func (c *sqliteConn) Close() error {
	c.stmts.close()
	return c.conn.Close()
}

// Begin implements driver.Conn; database/sql calls BeginTx instead.
func (c *sqliteConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx implements driver.ConnBeginTx.
func (c *sqliteConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

// PrepareContext implements driver.ConnPrepareContext.
func (c *sqliteConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

// QueryContext implements driver.QueryerContext through the connection's
// statement cache.
func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if rows, ok, err := c.stmts.query(ctx, c.conn, query, args); ok {
		return rows, err
	}
	return c.conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

// ExecContext implements driver.ExecerContext.
func (c *sqliteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

// Ping implements driver.Pinger.
func (c *sqliteConn) Ping(ctx context.Context) error { return c.conn.(driver.Pinger).Ping(ctx) }

// ResetSession implements driver.SessionResetter.
func (c *sqliteConn) ResetSession(ctx context.Context) error {
	return c.conn.(driver.SessionResetter).ResetSession(ctx)
}

// IsValid implements driver.Validator.
func (c *sqliteConn) IsValid() bool { return c.conn.(driver.Validator).IsValid() }

// Unwrap returns the driver's own connection, for sqlite.Limit.
func (c *sqliteConn) Unwrap() driver.Conn { return c.conn }

// sqliteGuard returns conn's authorizer state with no refusal left from
// earlier statements, and makes sure the connection can attach no database.
func sqliteGuard(conn *sql.Conn) (*sqliteConn, error) {
	var sc *sqliteConn
	if err := conn.Raw(func(dc any) error {
		c, ok := dc.(*sqliteConn)
		if !ok {
			return fmt.Errorf("sqlite connection %T has no authorizer", dc)
		}
		sc = c
		return nil
	}); err != nil {
		return nil, err
	}
	sc.takeDenial()
	if !sc.limited {
		if _, err := sqlite.Limit(conn, sqlite3.SQLITE_LIMIT_ATTACHED, 0); err != nil {
			return nil, err
		}
		if _, err := sqlite.Limit(conn, sqlite3.SQLITE_LIMIT_LENGTH, SQLiteMaxValueBytes); err != nil {
			return nil, err
		}
		sc.limited = true
	}
	return sc, nil
}
