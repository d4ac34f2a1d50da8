package datasource

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"sightline"
)

// connectionProblem reports whether err means the database cannot be
// reached or refuses the credentials, with a message for a person.
func (s *Source) connectionProblem(err error) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "28P01":
			return fmt.Sprintf("password authentication failed for user %q", s.details.User), true
		case "28000":
			return s.scrub(pgErr.Message), true
		case "3D000":
			return fmt.Sprintf("database %q does not exist", s.details.DBName), true
		case "53300", "57P03":
			return fmt.Sprintf("the server at %s refuses connections: %s", s.hostPort(), s.scrub(pgErr.Message)), true
		case "57P01", "57P02":
			// The server ended the session: it is shutting down, or the
			// database is being dropped.
			return fmt.Sprintf("the server at %s closed the connection: %s", s.hostPort(), s.scrub(pgErr.Message)), true
		}
		return "", false
	}
	var myErr *mysql.MySQLError
	if errors.As(err, &myErr) {
		switch myErr.Number {
		case 1045:
			return fmt.Sprintf("password authentication failed for user %q", s.details.User), true
		case 1044:
			return fmt.Sprintf("access denied for user %q to database %q", s.details.User, s.details.DBName), true
		case 1049:
			return fmt.Sprintf("database %q does not exist", s.details.DBName), true
		case 1040, 1203:
			return fmt.Sprintf("the server at %s refuses connections: too many connections", s.hostPort()), true
		}
		return "", false
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() & 0xff {
		case 26: // SQLITE_NOTADB
			return fmt.Sprintf("%s is not a SQLite database file.", s.details.Path), true
		case 14: // SQLITE_CANTOPEN
			return fmt.Sprintf("Cannot open the SQLite database file %s.", s.details.Path), true
		}
		return "", false
	}
	if reason, ok := networkReason(err); ok {
		return fmt.Sprintf("could not connect to host %s: %s", s.hostPort(), reason), true
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn) {
		return fmt.Sprintf("lost the connection to %s", s.hostPort()), true
	}
	return "", false
}

// networkReason describes a dial or network failure in a few words.
func networkReason(err error) (string, bool) {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsNotFound {
			return "no such host", true
		}
		return "the host name cannot be resolved", true
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return "connection refused", true
	}
	if errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return "no route to host", true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		if opErr.Timeout() {
			return "timed out", true
		}
		if opErr.Op == "dial" {
			return "the connection failed", true
		}
		return "the connection was interrupted", true
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		if errors.Is(err, context.DeadlineExceeded) {
			return "timed out", true
		}
		return "the connection failed", true
	}
	return "", false
}

// engineMessage returns the engine's own text for a SQL error, without the
// driver's decorations.
func engineMessage(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Message
	}
	var myErr *mysql.MySQLError
	if errors.As(err, &myErr) {
		return myErr.Message
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		msg := sqErr.Error()
		// modernc appends " (code)"; the code means nothing to a person.
		if i := strings.LastIndex(msg, " ("); i > 0 && strings.HasSuffix(msg, ")") {
			msg = msg[:i]
		}
		return msg
	}
	return err.Error()
}

// queryError turns an error from running a query into a *sightline.Error:
// ETIMEOUT when the deadline passed, EUNAVAILABLE when the database cannot
// be reached, EINVALID with the engine's message for SQL errors. A caller's
// cancellation is returned as the context's error.
func (s *Source) queryError(ctx context.Context, err error, started time.Time, own time.Duration) error {
	var done *sightline.Error
	if errors.As(err, &done) {
		return err
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		limit := own
		if limit == 0 {
			limit = time.Since(started)
		}
		return &sightline.Error{
			Code:    sightline.ETIMEOUT,
			Message: fmt.Sprintf("the query took longer than %s s and was cancelled", seconds(limit)),
			Err:     s.scrubbed(err),
		}
	case errors.Is(ctx.Err(), context.Canceled):
		return fmt.Errorf("query cancelled: %w", ctx.Err())
	}
	var long *pgproto3.ExceededMaxBodyLenErr
	if errors.As(err, &long) {
		msg := fmt.Sprintf("A row of this result is longer than %d MiB, the most one answer may hold.", MaxResultBytes>>20)
		return &sightline.Error{Code: sightline.EINVALID, Message: msg, Err: s.scrubbed(err)}
	}
	if msg, ok := s.connectionProblem(err); ok {
		return &sightline.Error{
			Code:    sightline.EUNAVAILABLE,
			Message: fmt.Sprintf("Cannot reach the database %q: %s", s.name, msg),
			Err:     s.scrubbed(err),
		}
	}
	var pgErr *pgconn.PgError
	var myErr *mysql.MySQLError
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) && sqErr.Code()&0xff == sqlite3.SQLITE_TOOBIG {
		msg := fmt.Sprintf("A value of this query grows past %d MiB, the most a value of a SQLite database may hold here.", SQLiteMaxValueBytes>>20)
		return &sightline.Error{Code: sightline.EINVALID, Message: msg, Err: s.scrubbed(err)}
	}
	if errors.As(err, &pgErr) || errors.As(err, &myErr) || errors.As(err, &sqErr) {
		return &sightline.Error{Code: sightline.EINVALID, Message: s.scrub(engineMessage(err)), Err: s.scrubbed(err)}
	}
	if reason, ok := argumentRefused(err); ok {
		msg := "A value of the query does not fit the type PostgreSQL expects for it: " + reason + "."
		return &sightline.Error{Code: sightline.EINVALID, Message: s.scrub(msg), Err: s.scrubbed(err)}
	}
	return sightline.Internal(s.scrubbed(err))
}

// argumentRefused reports whether err is pgx refusing to send a bound value
// as the type PostgreSQL gave its placeholder (a whole number past the
// range of an integer column, say), and pgx's reason. Such a query never
// reaches the server, so there is no PgError; pgx marks these errors only
// by their text.
func argumentRefused(err error) (string, bool) {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if !strings.HasPrefix(e.Error(), "failed to encode args[") {
			continue
		}
		reason := e
		for inner := errors.Unwrap(reason); inner != nil; inner = errors.Unwrap(inner) {
			reason = inner
		}
		return strings.TrimSuffix(reason.Error(), "."), true
	}
	return "", false
}

// seconds formats d in seconds without needless decimals: "60", "1.5".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Round(100*time.Millisecond).Seconds(), 'f', -1, 64)
}

// multipleStatements reports whether err is PostgreSQL refusing several
// statements in one query.
func multipleStatements(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42601" && strings.Contains(pgErr.Message, "multiple commands")
}

// writeRefused reports whether err is the engine refusing a write because
// the connection or transaction is read-only.
func writeRefused(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "25006" // read_only_sql_transaction
	}
	var myErr *mysql.MySQLError
	if errors.As(err, &myErr) {
		return myErr.Number == 1792 // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code()&0xff == 8 // SQLITE_READONLY
	}
	return false
}
