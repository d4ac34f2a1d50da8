package datasource

import (
	"container/list"
	"context"
	"database/sql/driver"
	"reflect"
	"sync"
)

// sqliteStmtsPerConn bounds the prepared statements a SQLite source
// connection keeps: the questions of a few dashboards. The least recently
// used goes first.
const sqliteStmtsPerConn = 64

// stmtCache keeps one connection's prepared statements by their SQL text,
// so that a question run again on the connection skips SQLite's parsing
// and planning. It belongs to one driver connection, so to one database:
// a statement never runs anywhere but where it was prepared. Statements
// are closed when they fall out of the cache (once their rows are closed)
// and when the connection closes.
//
// A statement is compiled by SQLite, authorizer included, when it is
// prepared; a cached one was allowed then and SQLite itself compiles it
// again, asking the authorizer again, whenever the schema changes.
type stmtCache struct {
	mu sync.Mutex
	// order holds the *cachedStmt, most recently used first.
	order *list.List
	bySQL map[string]*list.Element
	size  int
	// prepared counts the statements prepared for the cache.
	prepared int
}

// cachedStmt is a statement of the cache; busy while rows read from it,
// when the next query of the same text prepares a statement of its own.
type cachedStmt struct {
	sql     string
	stmt    driver.Stmt
	busy    bool
	evicted bool
}

func newStmtCache(size int) *stmtCache {
	return &stmtCache{order: list.New(), bySQL: map[string]*list.Element{}, size: size}
}

// query runs query with args on conn through a cached statement, preparing
// it on first use. ok is false when the cache cannot serve it (its
// statement is reading rows already): the caller runs it uncached.
func (c *stmtCache) query(ctx context.Context, conn driver.Conn, query string, args []driver.NamedValue) (rows driver.Rows, ok bool, err error) {
	c.mu.Lock()
	var cs *cachedStmt
	if e := c.bySQL[query]; e != nil {
		cs = e.Value.(*cachedStmt)
		if cs.busy {
			c.mu.Unlock()
			return nil, false, nil
		}
		cs.busy = true
		c.order.MoveToFront(e)
	}
	c.mu.Unlock()
	if cs == nil {
		st, err := conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
		if err != nil {
			return nil, true, err
		}
		cs = &cachedStmt{sql: query, stmt: st, busy: true}
		c.add(cs)
	}
	sq, isQ := cs.stmt.(driver.StmtQueryContext)
	if !isQ {
		c.release(cs)
		return nil, false, nil
	}
	r, err := sq.QueryContext(ctx, args)
	if err != nil {
		c.release(cs)
		return nil, true, err
	}
	return &cachedRows{Rows: r, cache: c, stmt: cs}, true, nil
}

// add puts a new statement, busy, in front, closing the least recently
// used ones beyond the bound that no rows read from. A statement whose
// text the cache holds already stays out of it, closed after its use.
func (c *stmtCache) add(cs *cachedStmt) {
	c.mu.Lock()
	c.prepared++
	if c.bySQL[cs.sql] != nil {
		cs.evicted = true
		c.mu.Unlock()
		return
	}
	c.bySQL[cs.sql] = c.order.PushFront(cs)
	var closing []driver.Stmt
	for c.order.Len() > c.size {
		e := c.order.Back()
		old := e.Value.(*cachedStmt)
		c.order.Remove(e)
		delete(c.bySQL, old.sql)
		if old.busy {
			old.evicted = true
			continue
		}
		closing = append(closing, old.stmt)
	}
	c.mu.Unlock()
	for _, st := range closing {
		closeStmt(st)
	}
}

// closeStmt closes a statement that left the cache. SQLite's finalize
// reports the error of the statement's last run, which its caller saw
// already: there is nothing new to report.
func closeStmt(st driver.Stmt) { _ = st.Close() }

// release marks cs free again, closing it if it left the cache meanwhile.
func (c *stmtCache) release(cs *cachedStmt) {
	c.mu.Lock()
	cs.busy = false
	evicted := cs.evicted
	c.mu.Unlock()
	if evicted {
		closeStmt(cs.stmt)
	}
}

// close closes every statement; the cache is empty afterwards.
func (c *stmtCache) close() {
	c.mu.Lock()
	var all []driver.Stmt
	for e := c.order.Front(); e != nil; e = e.Next() {
		cs := e.Value.(*cachedStmt)
		cs.evicted = true
		if !cs.busy {
			all = append(all, cs.stmt)
		}
	}
	c.order.Init()
	clear(c.bySQL)
	c.mu.Unlock()
	for _, st := range all {
		closeStmt(st)
	}
}

// len is how many statements the cache holds.
func (c *stmtCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// cachedRows are rows read from a cached statement: closing them resets
// the statement for its next use. The column descriptions database/sql
// asks for pass through.
type cachedRows struct {
	driver.Rows
	cache  *stmtCache
	stmt   *cachedStmt
	closed bool
}

func (r *cachedRows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.Rows.Close()
	r.cache.release(r.stmt)
	return err
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *cachedRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *cachedRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}
