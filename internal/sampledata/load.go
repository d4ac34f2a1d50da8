package sampledata

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx" for LoadURL
	"github.com/schollz/progressbar/v3"

	"sightline"
)

// batchRows is how many rows one INSERT carries: large enough to make the
// round trips cheap, small enough to stay under every engine's limit of
// 65,535 bind arguments for the widest table.
const batchRows = 500

// Load copies the Sample Database for opts into db, which must be a
// PostgreSQL ("postgres", driver pgx) or MySQL/MariaDB ("mysql",
// go-sql-driver/mysql) database. It is LoadWith for exactly opts' anchor
// date and scale (a scale below 1 means 1), refusing with ECONFLICT when db
// holds another generation.
//
// A progress bar is written to progress; nil means silent.
func Load(ctx context.Context, db *sql.DB, dialect string, opts Options, progress io.Writer) error {
	if _, err := newGenerator(opts); err != nil {
		return err
	}
	_, err := LoadWith(ctx, db, dialect, LoadOptions{Anchor: opts.Anchor, Scale: normScale(opts.Scale), Progress: progress})
	return err
}

// LoadOptions choose what LoadWith loads. Zero values defer to the
// generation recorded by an earlier load, so that a re-run, on another day
// or without flags, completes the same rows.
type LoadOptions struct {
	// Anchor is the date the rows are generated as of. Zero means the
	// recorded anchor, or today (by Now) on a first load.
	Anchor time.Time
	// Scale multiplies every table's row count. Zero means the recorded
	// scale, or 1 on a first load.
	Scale int
	// Replace drops the sample tables and loads them again when they hold
	// another generation than the one asked for, or rows of an unrecorded
	// one. Without it, such a load is refused with ECONFLICT.
	Replace bool
	// Progress receives a progress bar; nil means silent.
	Progress io.Writer
	// Now is the clock that dates a first load without Anchor; nil means
	// time.Now.
	Now func() time.Time
}

// LoadWith copies the Sample Database into db, a PostgreSQL ("postgres",
// driver pgx) or MySQL/MariaDB ("mysql", go-sql-driver/mysql) database, and
// returns the Options of the rows it holds. It creates the tables when they
// are missing, with keys, indexes and descriptions as comments, records the
// generation (anchor date, scale, GeneratorVersion) in InfoTable before the
// first row, then inserts the rows in dependency order in batches of bound
// arguments.
//
// LoadWith is resumable and idempotent: it continues each table after the
// highest ID already there and skips any row whose ID exists, so running it
// again after an interruption completes the data and running it after a
// complete load inserts nothing. The recorded generation makes resuming
// safe: asking for another one is refused unless o.Replace is set.
func LoadWith(ctx context.Context, db *sql.DB, dialect string, o LoadOptions) (Options, error) {
	return load(ctx, db, dialect, o, nil)
}

// load is LoadWith with a hook called after every batch (tests interrupt with it).
func load(ctx context.Context, db *sql.DB, dialect string, o LoadOptions, afterBatch func(table string)) (Options, error) {
	if dialect != sightline.EnginePostgres && dialect != sightline.EngineMySQL {
		return Options{}, sightline.Errorf(sightline.EINVALID, "Load writes to postgres or mysql, not %q; use WriteSQLite for SQLite.", dialect)
	}
	if o.Scale < 0 {
		return Options{}, sightline.Errorf(sightline.EINVALID, "The scale must be at least 1, not %d.", o.Scale)
	}
	for _, s := range createStatements(dialect, infoDef) {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return Options{}, fmt.Errorf("sample data: create %s: %w", InfoTable, err)
		}
	}
	have, recorded, err := readInfo(ctx, db, dialect)
	if err != nil {
		return Options{}, err
	}
	opts := Options{Anchor: o.Anchor, Scale: o.Scale}
	if opts.Anchor.IsZero() {
		opts.Anchor = have.Anchor
		if !recorded {
			now := time.Now
			if o.Now != nil {
				now = o.Now
			}
			opts.Anchor = now().UTC()
		}
	}
	if opts.Scale == 0 {
		opts.Scale = max(have.Scale, 1)
	}
	want := generationOf(opts)
	opts = Options{Anchor: want.Anchor, Scale: want.Scale}
	if recorded && have != want {
		if !o.Replace {
			return Options{}, conflictError(have, want)
		}
		if err := dropTables(ctx, db, dialect); err != nil {
			return Options{}, err
		}
		recorded = false
	}

	tables := Tables()
	done, err := createTables(ctx, db, dialect, tables)
	if err != nil {
		return Options{}, err
	}
	if !recorded {
		for _, t := range tables {
			if done[t.Name] == 0 {
				continue
			}
			if !o.Replace {
				return Options{}, errUnrecorded
			}
			if err := dropTables(ctx, db, dialect); err != nil {
				return Options{}, err
			}
			if done, err = createTables(ctx, db, dialect, tables); err != nil {
				return Options{}, err
			}
			break
		}
		if err := writeInfo(ctx, db, dialect, want); err != nil {
			return Options{}, err
		}
	}

	l := &loader{db: db, dialect: dialect, afterBatch: afterBatch, done: done, defs: map[string]TableDef{}}
	var total, already int64
	for _, t := range tables {
		want := int64(t.RowCount(opts.Scale))
		l.defs[t.Name] = t
		total += want
		already += min(done[t.Name], want)
	}
	if already == total {
		return opts, nil
	}
	if o.Progress != nil {
		l.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(o.Progress),
			progressbar.OptionSetDescription("Sample Database"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(o.Progress) }),
		)
		if err := l.bar.Add64(already); err != nil {
			return Options{}, fmt.Errorf("sample data: progress: %w", err)
		}
	}
	defer l.close()

	err = Generate(opts, func(table string, row []any) error {
		if table != l.table {
			if err := l.flush(ctx); err != nil {
				return err
			}
			l.close()
			l.table = table
		}
		if row[0].(int64) <= l.done[table] {
			return nil
		}
		t := l.defs[table]
		for i, v := range row {
			l.args = append(l.args, value(dialect, t.Columns[i].Kind, v))
		}
		if l.rows++; l.rows == batchRows {
			return l.flush(ctx)
		}
		return nil
	})
	if err == nil {
		err = l.flush(ctx)
	}
	if err != nil {
		return Options{}, fmt.Errorf("sample data: load: %w", err)
	}
	if l.bar != nil {
		if err := l.bar.Finish(); err != nil {
			return Options{}, fmt.Errorf("sample data: progress: %w", err)
		}
	}
	return opts, nil
}

// createTables creates the sample tables that are missing and returns the
// highest ID in each, where a load resumes.
func createTables(ctx context.Context, db *sql.DB, dialect string, tables []TableDef) (map[string]int64, error) {
	for _, t := range tables {
		for _, s := range createStatements(dialect, t) {
			if _, err := db.ExecContext(ctx, s); err != nil {
				return nil, fmt.Errorf("sample data: create %s: %w", t.Name, err)
			}
		}
	}
	done := map[string]int64{}
	for _, t := range tables {
		var last int64
		q := "SELECT COALESCE(MAX(" + quote(dialect, "ID") + "), 0) FROM " + quote(dialect, t.Name)
		if err := db.QueryRowContext(ctx, q).Scan(&last); err != nil {
			return nil, fmt.Errorf("sample data: resume point of %s: %w", t.Name, err)
		}
		done[t.Name] = last
	}
	return done, nil
}

// loader accumulates one table's rows into batches and inserts them.
type loader struct {
	db         *sql.DB
	dialect    string
	bar        *progressbar.ProgressBar
	afterBatch func(string)
	done       map[string]int64 // highest ID present per table when the load began
	defs       map[string]TableDef

	table string
	rows  int
	args  []any
	stmt  *sql.Stmt // a full batch into table
}

func (l *loader) flush(ctx context.Context) error {
	if l.rows == 0 {
		return nil
	}
	var err error
	if l.rows == batchRows {
		if l.stmt == nil {
			l.stmt, err = l.db.PrepareContext(ctx, insertStatement(l.dialect, l.defs[l.table], batchRows))
			if err != nil {
				return fmt.Errorf("prepare insert into %s: %w", l.table, err)
			}
		}
		_, err = l.stmt.ExecContext(ctx, l.args...)
	} else {
		_, err = l.db.ExecContext(ctx, insertStatement(l.dialect, l.defs[l.table], l.rows), l.args...)
	}
	if err != nil {
		return fmt.Errorf("insert into %s: %w", l.table, err)
	}
	if l.bar != nil {
		if err := l.bar.Add(l.rows); err != nil {
			return fmt.Errorf("progress: %w", err)
		}
	}
	l.rows, l.args = 0, l.args[:0]
	if l.afterBatch != nil {
		l.afterBatch(l.table)
	}
	return nil
}

// close releases the prepared statement of the current table.
func (l *loader) close() {
	if l.stmt != nil {
		l.stmt.Close()
		l.stmt = nil
	}
}

// LoadURL opens the database at rawURL and Loads the Sample Database for
// opts into it. It accepts postgres://user:pass@host:port/db?sslmode=...
// (also postgresql://) and mysql://user:pass@host:port/db?params (also
// mariadb://), which becomes a go-sql-driver/mysql DSN with parseTime=true.
func LoadURL(ctx context.Context, rawURL string, opts Options, progress io.Writer) error {
	if _, err := newGenerator(opts); err != nil {
		return err
	}
	_, err := LoadURLWith(ctx, rawURL, LoadOptions{Anchor: opts.Anchor, Scale: normScale(opts.Scale), Progress: progress})
	return err
}

// LoadURLWith opens the database at rawURL, as LoadURL does, and runs
// LoadWith on it.
func LoadURLWith(ctx context.Context, rawURL string, o LoadOptions) (Options, error) {
	dialect, driver, dsn, err := parseURL(rawURL)
	if err != nil {
		return Options{}, err
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return Options{}, sightline.Errorf(sightline.EINVALID, "Cannot use the database URL: %v", err)
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		return Options{}, &sightline.Error{Code: sightline.EUNAVAILABLE, Message: "Cannot connect to the database.", Err: err}
	}
	return LoadWith(ctx, db, dialect, o)
}

// parseURL turns a database URL into a dialect, a driver name and its DSN.
func parseURL(rawURL string) (dialect, driver, dsn string, err error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", "", "", sightline.Errorf(sightline.EINVALID, "The database URL is not valid: %v", err)
	}
	switch u.Scheme {
	case "postgres", "postgresql":
		return sightline.EnginePostgres, "pgx", rawURL, nil
	case "mysql", "mariadb":
		cfg := mysql.NewConfig()
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
		cfg.Net = "tcp"
		cfg.Addr = u.Host
		if u.Port() == "" {
			cfg.Addr = net.JoinHostPort(u.Hostname(), "3306")
		}
		cfg.DBName = strings.TrimPrefix(u.Path, "/")
		cfg.ParseTime = true
		dsn := cfg.FormatDSN()
		if u.RawQuery != "" {
			sep := "?"
			if strings.Contains(dsn, "?") {
				sep = "&"
			}
			dsn += sep + u.RawQuery
		}
		// Parsing again validates the extra parameters and normalises the DSN.
		parsed, err := mysql.ParseDSN(dsn)
		if err != nil {
			return "", "", "", sightline.Errorf(sightline.EINVALID, "The MySQL URL is not valid: %v", err)
		}
		if cfg.DBName == "" {
			return "", "", "", sightline.Errorf(sightline.EINVALID, "The MySQL URL needs a database name: mysql://user:pass@host:3306/dbname.")
		}
		return sightline.EngineMySQL, "mysql", parsed.FormatDSN(), nil
	}
	return "", "", "", sightline.Errorf(sightline.EINVALID, "Unsupported database URL scheme %q: use postgres:// or mysql://.", u.Scheme)
}
