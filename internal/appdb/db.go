// Package appdb stores Sightline's own metadata (users, groups, sessions,
// settings, databases and their synced tables, content, permissions) in an
// embedded SQLite file or in PostgreSQL. All SQL against the app database
// lives here; migrations are embedded per dialect and applied at start-up.
package appdb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL app database
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // embedded SQLite app database

	"sightline"
)

//go:embed migrations
var migrations embed.FS

// Dialects of the app database.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is the app database. On SQLite it keeps one writer connection (SQLite
// allows one writer at a time, so queuing in Go avoids SQLITE_BUSY) and a pool
// of readers; on PostgreSQL both are the same pool.
type DB struct {
	dialect string
	w       *sql.DB
	r       *sql.DB
	secrets *secretBox
	// path is the SQLite file, "" on PostgreSQL.
	path string
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// Options configure Open.
type Options struct {
	// URL is postgres://... for PostgreSQL; otherwise Path names the SQLite file.
	URL  string
	Path string
	// EncryptionKey encrypts secrets at rest when set.
	EncryptionKey string
	Logger        *slog.Logger
}

// Open connects to the app database and applies pending migrations.
func Open(ctx context.Context, o Options) (*DB, error) {
	db, err := open(ctx, o)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx, nil, o.Logger); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func open(ctx context.Context, o Options) (*DB, error) {
	db := &DB{Now: func() time.Time { return time.Now().UTC() }, secrets: newSecretBox(o.EncryptionKey)}
	if strings.HasPrefix(o.URL, "postgres://") || strings.HasPrefix(o.URL, "postgresql://") {
		p, err := sql.Open("pgx", o.URL)
		if err != nil {
			return nil, fmt.Errorf("open app database: %w", err)
		}
		p.SetMaxOpenConns(20)
		p.SetMaxIdleConns(10)
		p.SetConnMaxIdleTime(5 * time.Minute)
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := p.PingContext(pctx); err != nil {
			p.Close()
			return nil, fmt.Errorf("connect to the app database: %w", err)
		}
		db.dialect, db.w, db.r = Postgres, p, p
		return db, nil
	}
	if o.Path == "" {
		return nil, errors.New("app database: no PostgreSQL URL and no SQLite path")
	}
	if err := os.MkdirAll(filepath.Dir(o.Path), 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	pragmas := "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	w, err := sql.Open("sqlite", "file:"+o.Path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open app database: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open app database %s: %w", o.Path, err)
	}
	r, err := sql.Open("sqlite", "file:"+o.Path+"?"+pragmas)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open app database: %w", err)
	}
	r.SetMaxOpenConns(4)
	db.dialect, db.w, db.r, db.path = SQLite, w, r, o.Path
	return db, nil
}

// Dialect is SQLite or Postgres.
func (db *DB) Dialect() string { return db.dialect }

// Close closes every connection.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		if rerr := db.r.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Ping checks that the database answers: a round trip on PostgreSQL; on
// SQLite, that the file is still where it was opened (an open connection
// keeps reading a deleted file while every write to it is lost, and a new
// connection would create an empty one) and that the schema reads.
func (db *DB) Ping(ctx context.Context) error {
	if db.dialect != SQLite {
		return db.r.PingContext(ctx)
	}
	if _, err := os.Stat(db.path); err != nil {
		return fmt.Errorf("app database file: %w", err)
	}
	var n int
	return db.r.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n)
}

// migrate applies the embedded migrations of the dialect, each in its own
// transaction, so a failure leaves the previous version in place. On
// PostgreSQL an advisory lock serialises instances that start together.
// fsys replaces the embedded migrations in tests.
func (db *DB) migrate(ctx context.Context, fsys fs.FS, log *slog.Logger) error {
	if fsys == nil {
		sub, err := fs.Sub(migrations, "migrations/"+db.dialect)
		if err != nil {
			return err
		}
		fsys = sub
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	dialect := goose.DialectSQLite3
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.w, fsys, opts...)
	if err != nil {
		return fmt.Errorf("prepare migrations: %w", err)
	}
	res, err := p.Up(ctx)
	for _, r := range res {
		if log != nil && r.Error == nil {
			log.Info("applied migration", "version", r.Source.Version, "took", r.Duration)
		}
	}
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// Version returns the applied migration version.
func (db *DB) Version(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	err := db.r.QueryRowContext(ctx, "SELECT MAX(version_id) FROM goose_db_version WHERE is_applied").Scan(&v)
	return v.Int64, err
}

// rebind turns ? placeholders into $N for PostgreSQL. Queries in this package
// are written with ? and never contain a literal question mark.
func (db *DB) rebind(q string) string {
	if db.dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx runs fn in a write transaction and commits it when fn returns nil.
func (db *DB) tx(ctx context.Context, fn func(q querier) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// insertID runs an INSERT ... RETURNING id.
func (db *DB) insertID(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, db.rebind(query+" RETURNING id"), args...).Scan(&id)
	return id, err
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// likeEscaper makes %, _ and \ match themselves in a LIKE pattern written
// with ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// likePattern is the pattern of a LIKE ... ESCAPE '\' that matches text
// literally, with before and after ("%" or "") around it. Every search of
// the app database builds its pattern here, so text longer than
// sightline.MaxSearchText is refused with an EINVALID error before it
// reaches the engine: SQLite fails on patterns over 50,000 bytes, and no
// name is that long.
func likePattern(before, text, after string) (string, error) {
	if n := utf8.RuneCountInString(text); n > sightline.MaxSearchText {
		return "", sightline.OverLimit("The search text is", int64(n), "characters", sightline.MaxSearchText)
	}
	return before + likeEscaper.Replace(text) + after, nil
}

// notFound is the error for a missing row.
func notFound(what string) error {
	return sightline.Errorf(sightline.ENOTFOUND, "%s not found.", what)
}
