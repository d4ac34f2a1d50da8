package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/cachebus"
	"sightline/internal/datasource"
	"sightline/internal/query"
	"sightline/internal/resultcache"
)

// Row caps: what a page shows and what a download may stream.
const (
	MaxDisplayRows  = 2000
	MaxDownloadRows = 1_000_000
)

// Column is a result column as the API and pages show it.
type Column struct {
	Name         string `json:"name"`
	DisplayName  string `json:"display_name"`
	BaseType     string `json:"base_type"`
	SemanticType string `json:"semantic_type"`
	FieldID      int64  `json:"id,omitempty"`
	Source       string `json:"source"`
	// Unit is a date breakout's temporal unit ("month"), for formatting.
	Unit string `json:"unit,omitempty"`
}

// Result is the outcome of RunQuery.
type Result struct {
	Columns   []Column      `json:"cols"`
	Rows      [][]any       `json:"rows"`
	RowCount  int           `json:"row_count"`
	Truncated bool          `json:"truncated"`
	Duration  time.Duration `json:"-"`
	// SQL is the compiled SQL, for admins' "view the SQL".
	SQL string `json:"-"`
	// Cached is true when the rows came from the result cache (or from an
	// identical run another request had under way) rather than from a run
	// of this request; UpdatedAt is when the rows were read.
	Cached    bool      `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// RunOptions tune one run through the door.
type RunOptions struct {
	// MaxRows caps the rows returned; 0 means MaxDisplayRows.
	MaxRows int
	// CacheTTL, when positive, lets the run answer from the result cache
	// and keeps its result there that long. The door's checks run first
	// all the same; the cache key holds the compiled SQL and its bound
	// arguments, so runs whose filters differ never share a result.
	CacheTTL time.Duration
	// IgnoreCache runs the query even when the cache holds its result,
	// and the new result replaces the cached one.
	IgnoreCache bool
	// keep, when set, decides after a run how long its result is cached
	// (see savedRunCache); it wins over CacheTTL.
	keep func(r *Result, size int64) time.Duration
}

// Bounds of the result cache: all results, and one result.
const (
	resultCacheBytes      = 64 << 20
	resultCacheEntryBytes = 4 << 20
)

// metaCache keeps each database's tables and fields in memory for the
// compiler, so that a dashboard's cards cost no app-database query each.
// Entries are dropped on sync and edits (on every instance that shares a
// cache bus), and expire so that several instances converge without one.
type metaCache struct {
	mu      sync.Mutex
	entries map[int64]metaEntry
	// gen counts invalidations (see permCache.gen).
	gen  uint64
	load flights[metaKey, metaEntry]
}

type metaKey struct {
	db  int64
	gen uint64
}

type metaEntry struct {
	db     *sightline.Database
	md     *query.StaticMetadata
	tables []sightline.Table
	loaded time.Time
}

const metaTTL = 30 * time.Second

// forgetMetadata drops a database's cached metadata, results and the
// dashboards that may show them, here and on every other instance.
func (a *App) forgetMetadata(dbID int64) {
	a.changed(cachebus.Event{Kind: cachebus.Metadata, ID: dbID})
}

// QueriesRun is the number of queries the data door has sent to users'
// databases since the App started (answers from the result cache are not
// counted).
func (a *App) QueriesRun() int64 { return a.queries.Load() }

// ResultCacheStats reports what the result cache did.
func (a *App) ResultCacheStats() resultcache.Stats { return a.results.Stats() }

// metadata returns the compiler's view of a database.
func (a *App) metadata(ctx context.Context, dbID int64) (*query.StaticMetadata, error) {
	e, err := a.cachedDatabase(ctx, dbID)
	if err != nil {
		return nil, err
	}
	return e.md, nil
}

// database returns a database's connection details from the cache.
func (a *App) database(ctx context.Context, dbID int64) (*sightline.Database, error) {
	e, err := a.cachedDatabase(ctx, dbID)
	if err != nil {
		return nil, err
	}
	return e.db, nil
}

// cachedDatabase loads a database and its metadata once per metaTTL;
// concurrent requests share one load.
func (a *App) cachedDatabase(ctx context.Context, dbID int64) (metaEntry, error) {
	a.metaCache.mu.Lock()
	e, ok := a.metaCache.entries[dbID]
	gen := a.metaCache.gen
	a.metaCache.mu.Unlock()
	if ok && a.now().Sub(e.loaded) < a.fresh.ttl(metaTTL) {
		return e, nil
	}
	return a.metaCache.load.do(ctx, a.life, metaKey{dbID, gen}, func(ctx context.Context) (metaEntry, error) {
		d, err := a.meta.Database(ctx, dbID)
		if err != nil {
			return metaEntry{}, err
		}
		tables, err := a.meta.Tables(ctx, dbID)
		if err != nil {
			return metaEntry{}, err
		}
		e := metaEntry{db: d, md: query.NewStaticMetadata(tables, nil), tables: tables, loaded: a.now()}
		a.metaCache.mu.Lock()
		if a.metaCache.gen == gen {
			a.metaCache.entries[dbID] = e
		}
		a.metaCache.mu.Unlock()
		return e, nil
	})
}

// RunQuery is the one door for data: every row a user sees from one of their
// databases comes through here (question results, table browsing, dashboard
// cards, drill-through, filter values, downloads, X-rays). It checks that the
// user may query the database, compiles the query with every value bound and
// every identifier quoted, and runs it with a deadline and a row cap.
func (a *App) RunQuery(ctx context.Context, actor *sightline.User, q *sightline.Query, opts RunOptions) (*Result, error) {
	res, err := a.runQuery(ctx, actor, q, opts)
	if err != nil {
		return nil, a.unreachableFor(ctx, actor, q, err)
	}
	return res, nil
}

// unreachableFor shapes the error of a database that cannot be reached for
// the person who ran q. Its reason quotes the connection's details (host
// and port, user, database name, SQLite file), which only administrators
// may see (see databaseFor), so anyone else gets a sentence naming only the
// database. Other errors are returned as they are.
func (a *App) unreachableFor(ctx context.Context, actor *sightline.User, q *sightline.Query, err error) error {
	if sightline.ErrorCode(err) != sightline.EUNAVAILABLE || (actor != nil && actor.IsAdmin) {
		return err
	}
	name := "of this question"
	if d, derr := a.database(ctx, q.Database); derr == nil {
		name = strconv.Quote(d.Name)
	}
	return &sightline.Error{Code: sightline.EUNAVAILABLE, Message: fmt.Sprintf("The database %s does not answer; an administrator can see why.", name), Err: err}
}

// runQuery is RunQuery with errors as the data source gives them.
func (a *App) runQuery(ctx context.Context, actor *sightline.User, q *sightline.Query, opts RunOptions) (*Result, error) {
	maxRows := opts.MaxRows
	if maxRows <= 0 {
		maxRows = MaxDisplayRows
	}
	p, err := a.prepare(ctx, actor, q, maxRows)
	if err != nil {
		return nil, err
	}
	if opts.CacheTTL <= 0 && opts.keep == nil {
		return a.exec(ctx, p)
	}
	policy := resultcache.Policy[*Result]{Refresh: opts.IgnoreCache, TTL: opts.keep}
	if policy.TTL == nil {
		policy.TTL = func(*Result, int64) time.Duration { return opts.CacheTTL }
	}
	k := resultcache.Key{Database: p.db, SQL: p.compiled.SQL, Args: p.compiled.Args, Zone: p.zone, MaxRows: p.opts.MaxRows}
	res, hit, err := a.results.GetPolicy(ctx, k, policy, func() (*Result, int64, error) {
		r, err := a.exec(ctx, p)
		if err != nil {
			return nil, 0, err
		}
		return r, resultSize(r), nil
	})
	if err != nil {
		return nil, err
	}
	cp := *res
	cp.Cached = hit
	return &cp, nil
}

// exec runs a prepared query on its source.
func (a *App) exec(ctx context.Context, p *prepared) (*Result, error) {
	done, err := a.turn(ctx, p.person)
	if err != nil {
		return nil, err
	}
	defer done()
	start := time.Now()
	a.queries.Add(1)
	res, err := p.src.Exec(ctx, p.compiled.SQL, p.compiled.Args, p.opts)
	if err != nil {
		return nil, err
	}
	return &Result{Rows: res.Rows, RowCount: len(res.Rows), Truncated: res.Truncated, Duration: time.Since(start), SQL: p.compiled.SQL,
		UpdatedAt: a.now(),
		Columns:   resultColumns(p.compiled.Columns, res.Columns)}, nil
}

// resultSize estimates the memory a result holds, for the cache's bounds.
func resultSize(r *Result) int64 {
	n := int64(len(r.SQL)) + 64
	for _, c := range r.Columns {
		n += int64(len(c.Name)+len(c.DisplayName)+len(c.BaseType)+len(c.SemanticType)+len(c.Source)+len(c.Unit)) + 96
	}
	for _, row := range r.Rows {
		n += 24 + int64(len(row))*16
		for _, v := range row {
			switch t := v.(type) {
			case string:
				n += int64(len(t)) + 16
			case []byte:
				n += int64(len(t)) + 24
			case time.Time:
				n += 24
			default:
				n += 8
			}
		}
	}
	return n
}

// prepared is a query that passed the door's checks and compiled, ready to
// run on its source with opts.
type prepared struct {
	src      *datasource.Source
	compiled *query.Compiled
	opts     datasource.Options
	// db and zone are the database and report time zone, for the result
	// cache's key.
	db   int64
	zone string
	// person is who runs it, 0 for a static embed or public link.
	person int64
}

// prepare is the door's check-and-compile step, shared by RunQuery and the
// streaming downloads: it checks that the user may query the database and
// compiles the query with every value bound, every identifier quoted and the
// outer LIMIT capped one past maxRows.
func (a *App) prepare(ctx context.Context, actor *sightline.User, q *sightline.Query, maxRows int) (*prepared, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if q == nil {
		return nil, sightline.Errorf(sightline.EINVALID, "No query to run.")
	}
	if err := checkDataRoute(ctx); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if !a.canSeeDatabase(ctx, actor, q.Database) {
		return nil, notFoundErr("Database")
	}
	d, err := a.database(ctx, q.Database)
	if err != nil {
		return nil, err
	}
	md, err := a.metadata(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	// Permissions: which tables the query may reach, the row filters of
	// sandboxed ones, and how many rows a download may carry.
	dr, err := a.guard(ctx, actor, q, cardMetadata{md, ctx, a.content})
	if err != nil {
		return nil, err
	}
	if maxRows > MaxDisplayRows {
		if dr.maxRows == 0 {
			return nil, sightline.Errorf(sightline.EFORBIDDEN, "You may not download results from this database.")
		}
		maxRows = min(maxRows, dr.maxRows)
	}
	loc := a.reportLocation(ctx)
	compiled, err := a.compile(ctx, q, dr.md, d, query.Options{Now: a.now(), Location: loc, MaxRows: maxRows + 1, Views: dr.views})
	if err != nil {
		return nil, err
	}
	src, err := a.pool.Source(ctx, *d)
	if err != nil {
		return nil, err
	}
	bases := make([]string, len(compiled.Columns))
	for i, c := range compiled.Columns {
		bases[i] = c.BaseType
	}
	return &prepared{src: src, compiled: compiled, db: d.ID, zone: loc.String(), person: actor.ID,
		opts: datasource.Options{MaxRows: maxRows, ReadOnly: q.Type == sightline.QueryTypeNative || compiled.Native, BaseTypes: bases}}, nil
}

// compile compiles q for database d. A question that converts time zones
// on MySQL/MariaDB compiles only once the server is known to have its time
// zone tables: the first attempt leaves them out, and only a refusal for
// their lack asks the server (once per source, see
// datasource.Source.NamedTimeZones) and compiles again, so no other
// question waits for the server's answer.
func (a *App) compile(ctx context.Context, q *sightline.Query, md query.Metadata, d *sightline.Database, opts query.Options) (*query.Compiled, error) {
	c, err := query.Compile(q, md, query.Dialect(d.Engine), opts)
	if errors.Is(err, query.ErrNoTimeZoneTables) && a.namedTimeZones(ctx, d) {
		opts.TimeZoneTables = true
		c, err = query.Compile(q, md, query.Dialect(d.Engine), opts)
	}
	return c, err
}

// namedTimeZones reports whether database d converts between named time
// zones. A server that cannot be asked counts as one without its time
// zone tables: the question is refused with the command that loads them,
// and the failure is logged.
func (a *App) namedTimeZones(ctx context.Context, d *sightline.Database) bool {
	src, err := a.pool.Source(ctx, *d)
	if err != nil {
		a.log.Warn("could not open the database to ask whether it knows time zone names", "database", d.ID, "err", err)
		return false
	}
	ok, err := src.NamedTimeZones(ctx)
	if err != nil {
		a.log.Warn("could not ask the database whether it knows time zone names", "database", d.ID, "err", err)
	}
	return ok
}

// resultColumns describes a result's columns: the compiler's description
// where it has one (structured queries), else the driver's.
func resultColumns(compiled []query.Column, driver []datasource.Column) []Column {
	out := make([]Column, len(driver))
	for i, c := range driver {
		col := Column{Name: c.Name, DisplayName: sightline.HumanizeName(c.Name), BaseType: c.BaseType}
		if i < len(compiled) {
			cc := compiled[i]
			col = Column{Name: cc.Name, DisplayName: cc.DisplayName, BaseType: cc.BaseType, SemanticType: cc.SemanticType, FieldID: cc.FieldID, Source: cc.Source, Unit: cc.Unit}
			if col.BaseType == "" || col.BaseType == sightline.BaseUnknown {
				col.BaseType = c.BaseType
			}
		}
		out[i] = col
	}
	return out
}

// reportLocation is the report time zone: the setting, else the server's
// zone (TZ, then /etc/timezone), else UTC.
func (a *App) reportLocation(ctx context.Context) *time.Location {
	name := a.settings.String(ctx, sightline.SettingReportTimezone)
	if name == "" {
		name = serverZoneOnce()
	}
	if name == "" {
		return time.UTC
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		a.log.Warn("unknown report time zone; using UTC", "zone", name)
		return time.UTC
	}
	zones.Store(name, loc)
	return loc
}

// zones caches loaded time zones by name: loading one reads the zone
// database, which would otherwise happen on every query.
var zones sync.Map

// serverZoneOnce is the machine's time zone, read once.
var serverZoneOnce = sync.OnceValue(serverZone)

// serverZone names the machine's time zone, or "" when it cannot tell.
// The compiler needs a named zone rather than time.Local.
func serverZone() string {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		return tz
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		return strings.TrimSpace(string(b))
	}
	return ""
}

// canSeeDatabase reports whether the user may know a database exists: they
// may browse it or read saved questions on it (see package access). A
// failure to load the permissions hides it.
func (a *App) canSeeDatabase(ctx context.Context, u *sightline.User, dbID int64) bool {
	if u == nil {
		return false
	}
	if publicGrantOf(ctx) != nil {
		// A public link's question runs where its administrator saved it;
		// the door decides which of its tables it may read.
		return true
	}
	up, _, err := a.userPerms(ctx, u)
	if err != nil {
		a.log.Error("load permissions", "err", err)
		return false
	}
	return up.CanSeeDatabase(dbID)
}

// canSeeTable reports whether the user may browse a table and query it with
// the query builder, unrestricted or sandboxed.
func (a *App) canSeeTable(ctx context.Context, u *sightline.User, t *sightline.Table) bool {
	if u == nil {
		return false
	}
	up, _, err := a.userPerms(ctx, u)
	if err != nil {
		a.log.Error("load permissions", "err", err)
		return false
	}
	return up.CanViewTable(t.DatabaseID, t.ID) != access.ViewBlocked
}
