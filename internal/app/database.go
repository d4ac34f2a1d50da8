package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"sightline"
	"sightline/internal/datasource"
	"sightline/internal/sampledata"
)

// MetadataStore is what the app needs to keep databases and their synced
// tables.
type MetadataStore interface {
	CreateDatabase(ctx context.Context, d *sightline.Database) error
	UpdateDatabase(ctx context.Context, d *sightline.Database) error
	DeleteDatabase(ctx context.Context, id int64) error
	Database(ctx context.Context, id int64) (*sightline.Database, error)
	Databases(ctx context.Context) ([]*sightline.Database, error)
	SetSyncState(ctx context.Context, id int64, status, progress, lastError string, finished time.Time) error
	SaveSync(ctx context.Context, dbID int64, tables []sightline.Table) error
	Tables(ctx context.Context, dbID int64) ([]sightline.Table, error)
	Table(ctx context.Context, id int64) (*sightline.Table, error)
	FieldValues(ctx context.Context, fieldID int64) ([]any, error)
	UpdateTable(ctx context.Context, id int64, e sightline.TableEdit) error
	UpdateField(ctx context.Context, id int64, e sightline.FieldEdit) error
}

// Sync states of a database.
const (
	SyncRunning  = "syncing"
	SyncComplete = "complete"
	SyncFailed   = "failed"
)

// SampleDatabaseName is the name the bundled Sample Database is registered under.
const SampleDatabaseName = "Sample Database"

// syncLocks keeps one sync per database at a time; a second request waits
// for the running one and then syncs again, so it sees fresh metadata.
type syncLocks struct {
	mu    sync.Mutex
	locks map[int64]*sync.Mutex
}

// mutex is database id's sync lock.
func (l *syncLocks) mutex(id int64) *sync.Mutex {
	l.mu.Lock()
	defer l.mu.Unlock()
	m, ok := l.locks[id]
	if !ok {
		m = &sync.Mutex{}
		l.locks[id] = m
	}
	return m
}

func (l *syncLocks) lock(id int64) func() {
	m := l.mutex(id)
	m.Lock()
	return m.Unlock
}

// tryLock takes database id's sync lock when it is free.
func (l *syncLocks) tryLock(id int64) (unlock func(), ok bool) {
	m := l.mutex(id)
	if !m.TryLock() {
		return nil, false
	}
	return m.Unlock, true
}

// DatabaseInput is what an admin types to add a connection.
type DatabaseInput struct {
	Name    string                    `json:"name"`
	Engine  string                    `json:"engine"`
	Details sightline.DatabaseDetails `json:"details"`
}

// Databases lists the connections a user may see. Passwords never leave.
func (a *App) Databases(ctx context.Context, actor *sightline.User) ([]*sightline.Database, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	dbs, err := a.meta.Databases(ctx)
	if err != nil {
		return nil, err
	}
	out := dbs[:0]
	for _, d := range dbs {
		if !a.canSeeDatabase(ctx, actor, d.ID) {
			continue
		}
		out = append(out, databaseFor(actor, d))
	}
	return out, nil
}

// Database returns one connection, without its password.
func (a *App) Database(ctx context.Context, actor *sightline.User, id int64) (*sightline.Database, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if !a.canSeeDatabase(ctx, actor, id) {
		return nil, notFoundErr("Database")
	}
	d, err := a.meta.Database(ctx, id)
	if err != nil {
		return nil, err
	}
	return databaseFor(actor, d), nil
}

// databaseFor shapes a connection for the person who will see it. The
// password never leaves. Connection details (host, port, user, database
// name, file path, options), sync errors, which quote them, and sync
// progress, which names tables the person may not see, are for
// administrators only: anyone else sees the name, engine and sync status.
func databaseFor(actor *sightline.User, d *sightline.Database) *sightline.Database {
	c := *d
	if actor == nil || !actor.IsAdmin {
		c.Details = sightline.DatabaseDetails{}
		c.LastSyncError, c.SyncProgress = "", ""
		return &c
	}
	c.Details.PasswordSet = d.Details.Password != ""
	c.Details.Password = ""
	return &c
}

// tableFor shapes a table for the person who will see it. Row counts and
// distinct-value counts are measured by sync over every row, across every
// tenant of a shared table, so they are for administrators only; a
// sandboxed customer would otherwise learn how many rows the others have.
// The fields are copied, so shaping never touches a cached table.
func tableFor(actor *sightline.User, t *sightline.Table) *sightline.Table {
	if actor != nil && actor.IsAdmin {
		return t
	}
	c := *t
	c.RowCount = 0
	c.Fields = make([]sightline.Field, len(t.Fields))
	for i, f := range t.Fields {
		f.DistinctCount = 0
		c.Fields[i] = f
	}
	return &c
}

func notFoundErr(what string) error {
	return sightline.Errorf(sightline.ENOTFOUND, "%s not found.", what)
}

// AddDatabase checks the connection by connecting, and only then saves it
// and starts its first metadata sync in the background.
func (a *App) AddDatabase(ctx context.Context, actor *sightline.User, in DatabaseInput) (*sightline.Database, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	d := &sightline.Database{Name: strings.TrimSpace(in.Name), Engine: in.Engine, Details: in.Details}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := checkLimits(d.Details); err != nil {
		return nil, err
	}
	if err := a.pool.Check(*d); err != nil {
		return nil, err
	}
	if err := datasource.Test(ctx, *d); err != nil {
		return nil, err
	}
	if err := a.meta.CreateDatabase(ctx, d); err != nil {
		return nil, err
	}
	a.audit(ctx, actor, "database-create", jsonDetail(map[string]any{"database_id": d.ID, "name": d.Name, "engine": d.Engine}))
	a.syncInBackground(d.ID)
	return databaseFor(actor, d), nil
}

// DatabaseEdit is an admin's change to a connection. A nil field keeps the
// stored value, so an edit never loses a detail its form does not show:
// driver options, limits set through the API, the Sample Database's anchor.
type DatabaseEdit struct {
	Name    *string     `json:"name"`
	Engine  *string     `json:"engine"`
	Details DetailsEdit `json:"details"`
}

// DetailsEdit changes some of a connection's details; nil keeps a value.
type DetailsEdit struct {
	Path     *string `json:"path"`
	Host     *string `json:"host"`
	Port     *int    `json:"port"`
	DBName   *string `json:"dbname"`
	User     *string `json:"user"`
	Password *string `json:"password"`
	// PasswordSet is accepted so that a client may send back the details it
	// read; it changes nothing.
	PasswordSet    *bool   `json:"password_set"`
	SSLMode        *string `json:"ssl_mode"`
	Options        *string `json:"options"`
	MaxOpenConns   *int    `json:"max_open_conns"`
	QueryTimeoutMS *int    `json:"query_timeout_ms"`
}

// Apply returns d with the edit's values set. An empty engine keeps d's, and
// an empty password keeps the stored one: passwords never reach a browser,
// so a form cannot send the stored one back.
func (e DatabaseEdit) Apply(d sightline.Database) sightline.Database {
	set(&d.Name, e.Name)
	if e.Engine != nil && *e.Engine != "" {
		d.Engine = *e.Engine
	}
	v := e.Details
	set(&d.Details.Path, v.Path)
	set(&d.Details.Host, v.Host)
	set(&d.Details.Port, v.Port)
	set(&d.Details.DBName, v.DBName)
	set(&d.Details.User, v.User)
	if v.Password != nil && *v.Password != "" {
		d.Details.Password = *v.Password
	}
	set(&d.Details.SSLMode, v.SSLMode)
	set(&d.Details.Options, v.Options)
	set(&d.Details.MaxOpenConns, v.MaxOpenConns)
	set(&d.Details.QueryTimeoutMS, v.QueryTimeoutMS)
	return d
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// Input returns the edit as a new connection's input: what it leaves unset
// is empty.
func (e DatabaseEdit) Input() DatabaseInput {
	d := e.Apply(sightline.Database{})
	return DatabaseInput{Name: d.Name, Engine: d.Engine, Details: d.Details}
}

// Limits an admin may set on a connection; zero means the default.
const (
	DefaultPoolSize     = datasource.DefaultMaxOpenConns
	MaxPoolSize         = 100
	DefaultQueryTimeout = datasource.DefaultQueryTimeout
	MinQueryTimeout     = time.Second
	MaxQueryTimeout     = time.Hour
)

// checkLimits checks a connection's pool size and query timeout.
func checkLimits(d sightline.DatabaseDetails) error {
	if d.MaxOpenConns < 0 || d.MaxOpenConns > MaxPoolSize {
		return sightline.Errorf(sightline.EINVALID, "The connection pool size must be between 1 and %d connections; leave it empty for the default of %d.",
			MaxPoolSize, DefaultPoolSize)
	}
	timeout := time.Duration(d.QueryTimeoutMS) * time.Millisecond
	if d.QueryTimeoutMS < 0 || (d.QueryTimeoutMS > 0 && (timeout < MinQueryTimeout || timeout > MaxQueryTimeout)) {
		return sightline.Errorf(sightline.EINVALID, "The query timeout must be between %g and %g seconds; leave it empty for the default of %g seconds.",
			MinQueryTimeout.Seconds(), MaxQueryTimeout.Seconds(), DefaultQueryTimeout.Seconds())
	}
	return nil
}

// UpdateDatabase edits a connection: fields the edit leaves nil keep their
// stored values, and so does an empty password. The Sample Database keeps
// its engine and its options, which hold the anchor date its data is
// generated from. The new details are checked by connecting before they are
// saved.
func (a *App) UpdateDatabase(ctx context.Context, actor *sightline.User, id int64, e DatabaseEdit) (*sightline.Database, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	d, err := a.meta.Database(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.IsSample && e.Engine != nil && *e.Engine != "" && *e.Engine != d.Engine {
		return nil, sightline.Errorf(sightline.EINVALID, "The Sample Database's engine cannot change.")
	}
	if d.IsSample && e.Details.Options != nil && *e.Details.Options != d.Details.Options {
		return nil, sightline.Errorf(sightline.EINVALID, "The Sample Database's options cannot change: they hold the date its data is generated from.")
	}
	before := *d
	*d = e.Apply(*d)
	d.Name = strings.TrimSpace(d.Name)
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := checkLimits(d.Details); err != nil {
		return nil, err
	}
	if unchanged(&before, d) {
		return databaseFor(actor, d), nil
	}
	if err := a.pool.Check(*d); err != nil {
		return nil, err
	}
	if err := datasource.Test(ctx, *d); err != nil {
		return nil, err
	}
	if err := a.meta.UpdateDatabase(ctx, d); err != nil {
		return nil, err
	}
	a.pool.Remove(d.ID)
	a.forgetMetadata(d.ID)
	a.audit(ctx, actor, "database-update", jsonDetail(map[string]any{"database_id": d.ID, "name": d.Name}))
	a.syncInBackground(d.ID)
	return databaseFor(actor, d), nil
}

// DeleteDatabase removes a connection with its synced tables and its
// permissions. Questions on it stay, so that nothing anyone wrote is lost;
// running one then fails with "Database not found.".
func (a *App) DeleteDatabase(ctx context.Context, actor *sightline.User, id int64) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if err := a.meta.DeleteDatabase(ctx, id); err != nil {
		return err
	}
	a.pool.Remove(id)
	a.forgetMetadata(id)
	a.audit(ctx, actor, "database-delete", jsonDetail(map[string]any{"database_id": id}))
	return nil
}

// RequestSync starts a metadata sync of a database now (admin "Sync now").
func (a *App) RequestSync(ctx context.Context, actor *sightline.User, id int64) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if _, err := a.meta.Database(ctx, id); err != nil {
		return err
	}
	a.syncInBackground(id)
	return nil
}

// syncInBackground runs SyncDatabase detached from the request, bounded by
// the app's lifetime context.
func (a *App) syncInBackground(id int64) {
	// The lock is taken here when it is free, so that this sync runs
	// before any sync asked for once this call has returned (a database
	// just added and then synced again ends with the second sync, not
	// with the first finishing later and dropping what was cached since).
	unlock, held := a.syncs.tryLock(id)
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		if !held {
			unlock = a.syncs.lock(id)
		}
		defer unlock()
		ctx, cancel := context.WithTimeout(a.life, 10*time.Minute)
		defer cancel()
		if err := a.syncLocked(ctx, id); err != nil {
			a.log.Warn("metadata sync", "database", id, "err", err)
		}
	}()
}

// SyncDatabase reads a database's tables and fields and stores them. While
// it runs, the database's sync progress says which step it has reached
// ("table 3 of 8: ORDERS"), updated a few times a second at most. An
// unreachable database records the error on the database and nothing else
// breaks; a sync cut short because the app is closing stays marked as
// running, for ResumeSyncs at the next start. Only one sync of a database
// runs at a time; a second one waits.
func (a *App) SyncDatabase(ctx context.Context, id int64) error {
	defer a.syncs.lock(id)()
	return a.syncLocked(ctx, id)
}

// syncLocked is SyncDatabase once database id's sync lock is held.
func (a *App) syncLocked(ctx context.Context, id int64) error {
	d, err := a.meta.Database(ctx, id)
	if err != nil {
		return err
	}
	first := datasource.Progress{Step: datasource.StepCatalog}.String()
	if err := a.meta.SetSyncState(ctx, id, SyncRunning, first, "", time.Time{}); err != nil {
		return err
	}
	progress := a.recordSyncProgress(ctx, id, first)
	tables, err := a.readMetadata(ctx, d, progress.reportTo())
	progress.stop()
	if err == nil {
		err = a.meta.SaveSync(ctx, id, tables)
	}
	if err != nil && ctx.Err() != nil && a.life.Err() != nil {
		// The process is stopping: leave the sync marked as running, so
		// that ResumeSyncs runs it again at the next start instead of
		// showing a failure that nothing retries.
		return err
	}
	if err != nil {
		msg := sightline.ErrorMessage(err)
		if sightline.ErrorCode(err) == sightline.EINTERNAL {
			msg = err.Error()
		}
		if serr := a.meta.SetSyncState(context.WithoutCancel(ctx), id, SyncFailed, "", msg, a.now().UTC()); serr != nil {
			a.log.Error("record sync failure", "database", id, "err", serr)
		}
		return err
	}
	a.forgetMetadata(id)
	return a.meta.SetSyncState(ctx, id, SyncComplete, "", "", a.now().UTC())
}

// readMetadata syncs through the datasource, reporting its steps, and
// converts to the vocabulary. It leaves out the table in which sightline
// sample records the generation it loaded: that is no data anyone browses.
func (a *App) readMetadata(ctx context.Context, d *sightline.Database, report func(datasource.Progress)) ([]sightline.Table, error) {
	src, err := a.pool.Source(ctx, *d)
	if err != nil {
		return nil, err
	}
	md, err := src.SyncWith(ctx, datasource.SyncOptions{Report: report, Skip: func(_, table string) bool {
		return table == sampledata.InfoTable
	}})
	if err != nil {
		return nil, err
	}
	var describe map[string]sampledata.TableDef
	if d.IsSample {
		describe = map[string]sampledata.TableDef{}
		for _, t := range sampledata.Tables() {
			describe[t.Name] = t
		}
	}
	out := make([]sightline.Table, 0, len(md.Tables))
	for i := range md.Tables {
		st := &md.Tables[i]
		t := st.Sightline(d.ID)
		def, sample := describe[st.Name]
		if sample && t.Description == "" {
			t.Description = def.Description
		}
		for j, f := range st.Fields {
			if f.FK != nil {
				t.Fields[j].FKTarget = &sightline.ColumnRef{Schema: f.FK.Schema, Table: f.FK.Table, Column: f.FK.Column}
			}
			t.Fields[j].Values = f.Values
			if sample && t.Fields[j].Description == "" {
				for _, c := range def.Columns {
					if c.Name == f.Name {
						t.Fields[j].Description = c.Description
					}
				}
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// SyncAll syncs every database one after another (the hourly schedule).
func (a *App) SyncAll(ctx context.Context) {
	dbs, err := a.meta.Databases(ctx)
	if err != nil {
		a.log.Error("scheduled sync: list databases", "err", err)
		return
	}
	for _, d := range dbs {
		if ctx.Err() != nil {
			return
		}
		if err := a.SyncDatabase(ctx, d.ID); err != nil {
			a.log.Warn("scheduled sync", "database", d.Name, "err", err)
		}
	}
}

// ResumeSyncs syncs again, one after another, every database whose last
// sync never finished: one a stopped process left "syncing" (a crash, a
// kill or a shutdown during its sync, which would otherwise show no tables
// and "syncing" for ever), and one registered but never synced. It runs at
// start, when no sync of this process can be running. With several
// instances on one app database, one starting while another syncs repeats
// that sync, which is harmless: a sync replaces the metadata it read.
func (a *App) ResumeSyncs(ctx context.Context) {
	dbs, err := a.meta.Databases(ctx)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("resume interrupted syncs: list databases", "err", err)
		}
		return
	}
	for _, d := range dbs {
		if ctx.Err() != nil {
			return
		}
		if !unfinishedSync(d) {
			continue
		}
		a.log.Info("resuming an interrupted metadata sync", "database", d.Name)
		if err := a.SyncDatabase(ctx, d.ID); err != nil && ctx.Err() == nil {
			a.log.Warn("resumed sync", "database", d.Name, "err", err)
		}
	}
}

// unfinishedSync reports a database whose sync started and did not end, or
// never started.
func unfinishedSync(d *sightline.Database) bool {
	return d.SyncStatus == SyncRunning || d.SyncStatus == "" && d.LastSyncAt.IsZero()
}

// RunSyncSchedule syncs every database each interval until ctx ends.
func (a *App) RunSyncSchedule(ctx context.Context, every time.Duration) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.SyncAll(ctx)
		}
	}
}

// EnsureSampleDatabase creates the Sample Database file in dataDir and
// registers it, once. The anchor date of its generated data is stored with
// the connection, so a regeneration (for instance after the file is
// deleted) reproduces the same rows.
func (a *App) EnsureSampleDatabase(ctx context.Context, dataDir string) error {
	dbs, err := a.meta.Databases(ctx)
	if err != nil {
		return err
	}
	var sample *sightline.Database
	for _, d := range dbs {
		if d.IsSample {
			sample = d
		}
	}
	path, err := filepath.Abs(filepath.Join(dataDir, "sample-database.db"))
	if err != nil {
		return err
	}
	anchor := a.now().UTC().Truncate(24 * time.Hour)
	if sample != nil {
		path = sample.Details.Path
		if t, err := time.Parse("2006-01-02", strings.TrimPrefix(sample.Details.Options, "anchor=")); err == nil {
			anchor = t
		}
	}
	// A file left from an earlier app database (the app database was reset,
	// or pointed elsewhere) was made with an anchor date nobody recorded:
	// make it again with the one about to be recorded, so that the rows are
	// the same whenever the file is regenerated.
	_, err = os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && sample == nil) {
		start := time.Now()
		if err := sampledata.WriteSQLite(ctx, path, sampledata.Options{Anchor: anchor, Scale: 1}); err != nil {
			return fmt.Errorf("generate the Sample Database: %w", err)
		}
		a.log.Info("generated the Sample Database", "path", path, "took", time.Since(start).Round(time.Millisecond))
		// Generating took tens of megabytes that nothing needs any more;
		// give them back to the system now rather than over the next
		// minutes, so an idle server stays small after a first start.
		defer debug.FreeOSMemory()
	}
	if sample != nil {
		return nil
	}
	sample = &sightline.Database{Name: SampleDatabaseName, Engine: sightline.EngineSQLite, IsSample: true,
		Details: sightline.DatabaseDetails{Path: path, Options: "anchor=" + anchor.Format("2006-01-02")}}
	if err := a.meta.CreateDatabase(ctx, sample); err != nil {
		if sightline.ErrorCode(err) == sightline.ECONFLICT {
			return nil // another instance registered it first
		}
		return err
	}
	return a.SyncDatabase(ctx, sample.ID)
}

// Tables lists the visible tables of a database for browsing.
func (a *App) Tables(ctx context.Context, actor *sightline.User, dbID int64) ([]sightline.Table, error) {
	if _, err := a.Database(ctx, actor, dbID); err != nil {
		return nil, err
	}
	all, err := a.meta.Tables(ctx, dbID)
	if err != nil {
		return nil, err
	}
	up, snap, err := a.userPerms(ctx, actor)
	if err != nil {
		return nil, err
	}
	sandboxed := up.Sandboxed(dbID, true)
	out := all[:0]
	for _, t := range all {
		if (t.Visibility == sightline.VisibilityHidden && !actor.IsAdmin) || !a.canSeeTable(ctx, actor, &t) {
			continue
		}
		// A sandbox's view leaves out the columns it hides.
		st, err := a.viewOfTable(ctx, actor, snap, sandboxed, &t)
		if err != nil {
			return nil, err
		}
		out = append(out, *tableFor(actor, st))
	}
	return out, nil
}

// Table returns one table with its fields, if the user may see it; a
// sandbox's view leaves out the columns it hides.
func (a *App) Table(ctx context.Context, actor *sightline.User, id int64) (*sightline.Table, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	t, err := a.meta.Table(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.canSeeDatabase(ctx, actor, t.DatabaseID) || !a.canSeeTable(ctx, actor, t) ||
		(t.Visibility == sightline.VisibilityHidden && !actor.IsAdmin) {
		return nil, notFoundErr("Table")
	}
	st, err := a.sandboxedTable(ctx, actor, t)
	if err != nil {
		return nil, err
	}
	return tableFor(actor, st), nil
}

// AdminTables returns every table of a database with its fields, hidden
// ones included, for Admin > Table Metadata.
func (a *App) AdminTables(ctx context.Context, actor *sightline.User, dbID int64) ([]sightline.Table, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	return a.meta.Tables(ctx, dbID)
}

// EditTable applies an admin's edit of a table's metadata.
func (a *App) EditTable(ctx context.Context, actor *sightline.User, id int64, e sightline.TableEdit) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if e.Visibility != nil && *e.Visibility != sightline.VisibilityNormal && *e.Visibility != sightline.VisibilityHidden {
		return sightline.Errorf(sightline.EINVALID, "Visibility must be normal or hidden.")
	}
	t, err := a.meta.Table(ctx, id)
	if err != nil {
		return err
	}
	if err := a.meta.UpdateTable(ctx, id, e); err != nil {
		return err
	}
	a.forgetMetadata(t.DatabaseID)
	return nil
}

// EditField applies an admin's edit of a field's metadata.
func (a *App) EditField(ctx context.Context, actor *sightline.User, tableID, fieldID int64, e sightline.FieldEdit) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if e.SemanticType != nil && *e.SemanticType != "" {
		ok := false
		for _, s := range sightline.SemanticTypes {
			ok = ok || s == *e.SemanticType
		}
		if !ok {
			return sightline.Errorf(sightline.EINVALID, "Unknown semantic type %q.", *e.SemanticType)
		}
	}
	if e.Visibility != nil && *e.Visibility != sightline.VisibilityNormal && *e.Visibility != sightline.VisibilityHidden {
		return sightline.Errorf(sightline.EINVALID, "A field's visibility must be normal or hidden, not %q.", *e.Visibility)
	}
	t, err := a.meta.Table(ctx, tableID)
	if err != nil {
		return err
	}
	found := false
	for _, f := range t.Fields {
		found = found || f.ID == fieldID
	}
	if !found {
		return notFoundErr("Field")
	}
	if err := a.meta.UpdateField(ctx, fieldID, e); err != nil {
		return err
	}
	a.forgetMetadata(t.DatabaseID)
	return nil
}
