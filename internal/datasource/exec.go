package datasource

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"time"

	"sightline"
)

// DefaultMaxRows is the row cap of Exec when Options.MaxRows is zero.
const DefaultMaxRows = 2000

// DefaultMaxBytes is the byte cap of Exec when Options.MaxBytes is zero:
// the most its rows' text and binary values may hold together. The row
// cap alone would let 2,000 rows of values as long as an engine allows
// (16 MiB each on MariaDB by default, 1 GiB on PostgreSQL) fill
// Sightline's memory; Stream, which hands rows on as they come, has no
// such bound.
const DefaultMaxBytes = 64 << 20

// MaxResultBytes bounds one row as the driver reads it, before any cap
// can count it: a PostgreSQL row longer than this is refused from its
// message header instead of being read into memory.
const MaxResultBytes = DefaultMaxBytes

// cellBytes is what one value costs a result besides its text or bytes.
const cellBytes = 16

// rowBlock is the most rows whose cells run allocates at once.
const rowBlock = 64

// resetTimeout bounds clearing a connection's session after native SQL.
const resetTimeout = 5 * time.Second

// drainRows is how many rows past the cap run skips before it cancels the
// query instead.
const drainRows = 1000

// Options tune one query.
type Options struct {
	// MaxRows caps the rows read: Exec stops after MaxRows rows and sets
	// Result.Truncated (zero means DefaultMaxRows); Stream stops likewise
	// when MaxRows is positive and reads everything otherwise.
	MaxRows int
	// MaxBytes caps the size of the rows read (see rowSize): Exec stops
	// before the row that would pass it, cancels the query and sets
	// Result.Truncated, or fails when even the first row passes it (zero
	// means DefaultMaxBytes); Stream, which holds no rows, applies it only
	// when it is positive.
	MaxBytes int64
	// ReadOnly runs the query in a read-only transaction (PostgreSQL BEGIN
	// READ ONLY, MySQL START TRANSACTION READ ONLY) that is rolled back, so
	// that nothing the statement sets outlives it. Every source connection
	// reads only anyway (see checkStatement); SQLite sources need no
	// transaction. Use it for native SQL typed by people.
	ReadOnly bool
	// BaseTypes, when set, gives the base type of each result column by
	// position (as synced); an empty entry means "infer from the driver".
	// It is how a MySQL TINYINT(1) column comes back as bool: the MySQL
	// driver reports TINYINT without its display width.
	BaseTypes []string
}

// Column describes one column of a result.
type Column struct {
	Name         string `json:"name"`
	DatabaseType string `json:"database_type"`
	BaseType     string `json:"base_type"`
}

// Result is the outcome of Exec: columns, normalised rows, and whether the
// row cap cut the rows short.
type Result struct {
	Columns   []Column `json:"cols"`
	Rows      [][]any  `json:"rows"`
	Truncated bool     `json:"truncated"`
}

// Exec runs sqlText with args (placeholders as the engine expects: $1 on
// PostgreSQL, ? elsewhere) and returns at most opts.MaxRows normalised rows.
// A column whose driver type is unknown gets its base type from its values
// (see inferTypes).
// The query gets a deadline of the database's query timeout unless ctx has
// a shorter one; when ctx ends the query is cancelled on the server.
// sqlText must be one read statement: anything else (a second statement, a
// write, DDL, SELECT ... INTO OUTFILE, a pragma that changes state, ATTACH)
// is refused with an EINVALID error saying why, by the engine where it can
// tell (see checkStatement and the SQLite authorizer).
// Errors are *sightline.Error: ETIMEOUT, EUNAVAILABLE, or EINVALID with the
// engine's message.
func (s *Source) Exec(ctx context.Context, sqlText string, args []any, opts Options) (*Result, error) {
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultMaxRows
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	res := &Result{Rows: [][]any{}}
	cols, truncated, err := s.run(ctx, sqlText, args, opts, func(row []any) error {
		res.Rows = append(res.Rows, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	inferTypes(cols, res.Rows)
	res.Columns = cols
	res.Truncated = truncated
	return res, nil
}

// Stream runs sqlText like Exec but hands each normalised row to fn as it
// is read, for downloads. An error from fn stops the query and is returned
// as is. Rows are not capped unless opts.MaxRows is positive.
func (s *Source) Stream(ctx context.Context, sqlText string, args []any, opts Options, fn func(row []any) error) ([]Column, error) {
	cols, _, err := s.run(ctx, sqlText, args, opts, fn)
	return cols, err
}

// fnError carries an error returned by the caller's row function, which run
// hands back unchanged.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }

// queryer is what *sql.Conn and *sql.Tx have in common.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// run executes one query on a dedicated connection and feeds rows to fn.
func (s *Source) run(ctx context.Context, sqlText string, args []any, opts Options, fn func([]any) error) (cols []Column, truncated bool, err error) {
	if err := checkStatement(s.engine, sqlText); err != nil {
		return nil, false, err
	}
	started := time.Now()
	var own time.Duration
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > s.timeout {
		own = s.timeout
	}
	var cancel context.CancelFunc
	if own > 0 {
		ctx, cancel = context.WithTimeout(ctx, own)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	defer cancel()
	// stopped is set when the row cap ends the query early: the cancellation
	// that follows is ours, not an error.
	stopped := false
	// guard is the SQLite connection's authorizer state, nil elsewhere.
	var guard *sqliteConn
	fail := func(err error) ([]Column, bool, error) {
		var fe fnError
		if errors.As(err, &fe) {
			return nil, false, fe.err
		}
		if guard != nil {
			if e := sqliteError(err, guard.takeDenial()); e != nil {
				err = e
			}
		}
		switch {
		case multipleStatements(err):
			err = &sightline.Error{Code: sightline.EINVALID, Message: msgSeveral, Err: s.scrubbed(err)}
		case writeRefused(err):
			err = &sightline.Error{Code: sightline.EINVALID, Message: msgWrite, Err: s.scrubbed(err)}
		}
		return nil, false, s.queryError(ctx, err, started, own)
	}

	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
	defer func() {
		// After a cancellation a late PostgreSQL cancel request or MySQL
		// kill could hit the next statement on this connection: drop it.
		if ctx.Err() != nil && s.engine != sightline.EngineSQLite {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()

	if s.engine == sightline.EngineSQLite {
		if guard, err = sqliteGuard(conn); err != nil {
			return fail(err)
		}
	}
	if s.engine == sightline.EngineMySQL {
		// go-sql-driver only closes its socket when a context ends, and
		// MySQL keeps running the statement, so kill it by thread id.
		stop, err := s.killOnCancel(ctx, conn)
		if err != nil {
			return fail(err)
		}
		defer stop()
	}

	var q queryer = conn
	if opts.ReadOnly && s.engine != sightline.EngineSQLite {
		// Runs after the transaction's rollback below, so that nothing
		// the statement left on the connection reaches its next user.
		defer func() {
			if ctx.Err() == nil {
				s.resetSession(ctx, conn)
			}
		}()
		tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return fail(err)
		}
		defer func() { _ = tx.Rollback() }()
		q = tx
	}

	if s.engine == sightline.EnginePostgres {
		err = s.runPostgres(ctx, conn, sqlText, args, opts, func(c []Column, next func() (bool, error), scan func([]any) error) error {
			cols = c
			truncated, stopped, err = readRows(len(c), opts.MaxRows, opts.MaxBytes, cancel, next, scan, fn)
			return err
		})
		if err != nil {
			return fail(err)
		}
		return cols, truncated, nil
	}

	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return fail(err)
	}
	defer func() {
		if cerr := rows.Close(); cerr != nil && err == nil && !stopped {
			cols, truncated, err = fail(cerr)
		}
	}()

	cols, err = s.columns(rows, opts.BaseTypes)
	if err != nil {
		return fail(err)
	}
	n := len(cols)
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	next := func() (bool, error) {
		if rows.Next() {
			return true, nil
		}
		return false, rows.Err()
	}
	scan := func(row []any) error {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			row[i] = normalize(cols[i].BaseType, v)
		}
		return nil
	}
	truncated, stopped, err = readRows(n, opts.MaxRows, opts.MaxBytes, cancel, next, scan, fn)
	if err != nil {
		return fail(err)
	}
	return cols, truncated, nil
}

// resetSession clears what a person's SQL may leave on a PostgreSQL or
// MySQL connection beyond its rolled-back transaction, before the pool
// hands the connection to the next query, which may be someone else's.
//
// On PostgreSQL a read-only transaction that is rolled back undoes every
// setting (set_config, search_path, role) but not session-level advisory
// locks (pg_advisory_lock), which stay held until released: they are
// released. On MySQL and MariaDB a SELECT can leave user variables
// (@x := ...) and named locks (GET_LOCK), and the driver has no way to
// reset a session, so the connection is closed instead of reused. A reset
// that fails closes the connection too.
func (s *Source) resetSession(ctx context.Context, conn *sql.Conn) {
	if s.engine == sightline.EnginePostgres {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), resetTimeout)
		defer cancel()
		if _, err := conn.ExecContext(rctx, "SELECT pg_advisory_unlock_all()"); err == nil {
			return
		}
	}
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// readRows reads rows of n cells with next and scan and hands each to fn,
// at most maxRows of them when maxRows is positive, and only while their
// sizes add up to at most maxBytes when maxBytes is positive. truncated
// says a cap cut the rows short; stopped that the query was then cancelled
// or drained on purpose, so that the error its end reports is ours. A first
// row larger than maxBytes is an EINVALID error.
func readRows(n, maxRows int, maxBytes int64, cancel context.CancelFunc, next func() (bool, error), scan func(row []any) error, fn func([]any) error) (truncated, stopped bool, err error) {
	// Rows are cut from blocks of cells, a few rows' worth at first and
	// up to rowBlock rows' as the rows keep coming, rather than one
	// allocation per row; each row's capacity ends at its own last cell,
	// so that no append on a row reaches into the next.
	var block []any
	blockRows := 4
	count := 0
	var size int64
	for {
		more, err := next()
		if err != nil {
			return false, false, err
		}
		if !more {
			return false, false, nil
		}
		if maxRows > 0 && count == maxRows {
			// A few rows past the cap (a compiled LIMIT cap+1) are cheaper to
			// skip than a cancellation, which costs the connection; beyond
			// that, cancelling stops the server producing rows nobody reads.
			for skipped := 0; ; skipped++ {
				if more, _ := next(); !more {
					break
				}
				if skipped == drainRows {
					cancel()
					break
				}
			}
			return true, true, nil
		}
		if len(block) < n {
			block = make([]any, n*blockRows)
			blockRows = min(2*blockRows, rowBlock)
		}
		row := block[:n:n]
		block = block[n:]
		if err := scan(row); err != nil {
			return false, false, err
		}
		if size += rowSize(row); maxBytes > 0 && size > maxBytes {
			// The rest could be as large: stop the server sending it.
			cancel()
			if count == 0 {
				return false, true, sightline.Errorf(sightline.EINVALID, "The first row of this result is larger than %s, the most a result can hold: select fewer or smaller columns.", mebibytes(maxBytes))
			}
			return true, true, nil
		}
		count++
		if err := fn(row); err != nil {
			return false, false, fnError{err}
		}
	}
}

// rowSize estimates what a normalised row holds in memory: its text and
// binary values' bytes, and a fixed cost per value.
func rowSize(row []any) int64 {
	n := int64(len(row)) * cellBytes
	for _, v := range row {
		switch v := v.(type) {
		case string:
			n += int64(len(v))
		case []byte:
			n += int64(len(v))
		}
	}
	return n
}

// mebibytes formats a byte count for messages: "64 MiB", "1.5 MiB".
func mebibytes(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MiB"
}

// columns reads a result's column descriptions and decides each base type.
func (s *Source) columns(rows *sql.Rows, hints []string) ([]Column, error) {
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	cols := make([]Column, len(types))
	for i, ct := range types {
		c := Column{Name: ct.Name(), DatabaseType: ct.DatabaseTypeName()}
		if i < len(hints) && hints[i] != "" {
			c.BaseType = hints[i]
		} else {
			c.BaseType = BaseType(s.engine, c.DatabaseType)
		}
		cols[i] = c
	}
	return cols, nil
}

// killOnCancel arranges for MySQL's KILL QUERY to be sent for conn's thread
// when ctx ends. stop disarms it, or waits for the kill if it has fired.
func (s *Source) killOnCancel(ctx context.Context, conn *sql.Conn) (stop func(), err error) {
	var id int64
	if err := conn.Raw(func(dc any) error {
		tc, ok := dc.(*threadConn)
		if !ok {
			return fmt.Errorf("mysql connection %T has no thread id", dc)
		}
		id = tc.id
		return nil
	}); err != nil {
		return nil, err
	}
	kill := func() {
		kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		// A failed kill leaves nothing to do: the statement either ended or
		// the server is gone.
		_, _ = s.db.ExecContext(kctx, "KILL QUERY "+strconv.FormatInt(id, 10))
	}
	done := make(chan struct{})
	disarm := context.AfterFunc(ctx, func() {
		defer close(done)
		kill()
	})
	return func() {
		if !disarm() {
			<-done
			return
		}
		// ctx's Done channel closes before its AfterFuncs are started, so
		// the driver may give up on a cancelled statement before the kill
		// is under way; kill here then.
		if ctx.Err() != nil {
			kill()
		}
	}, nil
}
