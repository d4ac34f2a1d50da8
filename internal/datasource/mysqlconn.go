package datasource

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
)

// threadConnector wraps the MySQL connector so that every connection learns
// its server thread id once, when it connects, and is made read-only.
// Cancelling a query needs that id (KILL QUERY), and asking for it on each
// query would cost a round trip.
type threadConnector struct {
	driver.Connector
}

// Connect opens a connection and reads its thread id.
func (c threadConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	id, err := connectionID(ctx, conn)
	if err != nil {
		return nil, errors.Join(err, conn.Close())
	}
	// The session's transactions are read-only: the server then refuses
	// writes and DDL in every statement, not only inside a START
	// TRANSACTION READ ONLY, which DDL would commit and leave.
	if _, err := conn.(driver.ExecerContext).ExecContext(ctx, "SET SESSION TRANSACTION READ ONLY", nil); err != nil {
		return nil, errors.Join(err, conn.Close())
	}
	return &threadConn{conn: conn, id: id}, nil
}

// connectionID asks the server for the thread id of conn.
func connectionID(ctx context.Context, conn driver.Conn) (int64, error) {
	q, ok := conn.(driver.QueryerContext)
	if !ok {
		return 0, fmt.Errorf("mysql connection %T cannot run queries", conn)
	}
	rows, err := q.QueryContext(ctx, "SELECT CONNECTION_ID()", nil)
	if err != nil {
		return 0, err
	}
	dest := make([]driver.Value, 1)
	err = rows.Next(dest)
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	switch v := dest[0].(type) {
	case int64:
		return v, nil
	case uint64:
		return int64(v), nil
	case []byte:
		return strconv.ParseInt(string(v), 10, 64)
	}
	return 0, fmt.Errorf("unexpected CONNECTION_ID() value %T", dest[0])
}

// threadConn is a MySQL driver connection with its thread id. It forwards
// every interface go-sql-driver's connection implements, so database/sql
// uses the same fast paths as without the wrapper.
type threadConn struct {
	conn driver.Conn
	id   int64
}

// Prepare implements driver.Conn.
func (c *threadConn) Prepare(query string) (driver.Stmt, error) { return c.conn.Prepare(query) }

// Close implements driver.Conn.
func (c *threadConn) Close() error { return c.conn.Close() }

// Begin implements driver.Conn; database/sql calls BeginTx instead.
func (c *threadConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx implements driver.ConnBeginTx.
func (c *threadConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

// PrepareContext implements driver.ConnPrepareContext.
func (c *threadConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

// QueryContext implements driver.QueryerContext.
func (c *threadConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

// ExecContext implements driver.ExecerContext.
func (c *threadConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

// Ping implements driver.Pinger.
func (c *threadConn) Ping(ctx context.Context) error { return c.conn.(driver.Pinger).Ping(ctx) }

// CheckNamedValue implements driver.NamedValueChecker.
func (c *threadConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

// ResetSession implements driver.SessionResetter.
func (c *threadConn) ResetSession(ctx context.Context) error {
	return c.conn.(driver.SessionResetter).ResetSession(ctx)
}

// IsValid implements driver.Validator.
func (c *threadConn) IsValid() bool { return c.conn.(driver.Validator).IsValid() }
