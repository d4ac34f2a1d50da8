// Package app holds Sightline's use cases: setting up, signing in, managing
// people and settings, and (through RunQuery) the one door every row of a
// user's database passes through. It owns permission checks and declares the
// small store interfaces it needs; concrete stores are wired in cmd/sightline.
package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"sightline"
	"sightline/internal/auth"
	"sightline/internal/cachebus"
	"sightline/internal/datasource"
	"sightline/internal/resultcache"
)

// Store is what the app needs from the app database.
type Store interface {
	CountUsers(ctx context.Context) (int, error)
	CreateFirstAdmin(ctx context.Context, u *sightline.User, passwordHash string) error
	CreateUser(ctx context.Context, u *sightline.User, passwordHash string, admin bool) error
	UserByID(ctx context.Context, id int64) (*sightline.User, error)
	UserByEmail(ctx context.Context, email string) (*sightline.User, string, error)
	ListUsers(ctx context.Context, query, status string) ([]*sightline.User, error)
	UpdateUser(ctx context.Context, u *sightline.User) error
	SetPassword(ctx context.Context, userID int64, hash string) error
	UpdatePasswordHash(ctx context.Context, userID int64, hash string) error
	SetUserActive(ctx context.Context, userID int64, active bool) error
	RecordLogin(ctx context.Context, userID int64, at time.Time) error
	Groups(ctx context.Context) ([]sightline.Group, error)
	CreateGroup(ctx context.Context, g *sightline.Group) error
	SetUserGroups(ctx context.Context, userID int64, add, remove []int64) error
	// JWT single sign-on.
	UpdateSSOUser(ctx context.Context, id int64, first, last *string, jwtAttrs map[string]string, at time.Time) error
	GroupIDsByName(ctx context.Context) (map[string]int64, error)
	CountActiveAdmins(ctx context.Context) (int, error)
	UseTokenID(ctx context.Context, digest string, expires time.Time) error

	CreateSession(ctx context.Context, s *sightline.Session, tokenHash, method string) error
	SessionUser(ctx context.Context, tokenHash string) (*sightline.Session, *sightline.User, error)
	SetSessionEmbed(ctx context.Context, sessionID int64, embed string) error
	DeleteSession(ctx context.Context, tokenHash string) error

	Settings(ctx context.Context) (map[string]string, error)
	SetSettings(ctx context.Context, kv map[string]string) error
	Audit(ctx context.Context, userID int64, topic, detailJSON string) error
	// Ping checks that the app database answers.
	Ping(ctx context.Context) error
}

// App is the application: every use case is a method on it.
type App struct {
	store   Store
	meta    MetadataStore
	content ContentStore
	search  SearchStore
	// permStore keeps permissions; perms caches what every request reads.
	permStore PermissionStore
	perms     permCache
	sessions  sessionCache
	auditLog  AuditLogStore
	keys      APIKeyStore
	pool      *datasource.Pool
	settings  *SettingsCache
	log       *slog.Logger
	now       func() time.Time

	// life bounds background work (syncs); bg waits for it on Close.
	// closed, guarded by bgMu, turns Go away once Close has begun.
	life      context.Context
	stop      context.CancelFunc
	bg        sync.WaitGroup
	bgMu      sync.Mutex
	closed    bool
	syncs     syncLocks
	metaCache metaCache
	dashes    dashCache
	// results caches the rows of runs that ask for it (RunOptions.CacheTTL).
	results resultStore
	// bus carries changes to and from other instances (nil: none);
	// fresh says how long cached reads are trusted meanwhile.
	bus   cachebus.Bus
	fresh *freshness
	// queries counts the queries the data door sent to users' databases.
	queries atomic.Int64
	views   viewBatch
	// progressEvery spaces the writes of a running sync's progress.
	progressEvery time.Duration

	// throttle counts failed sign-ins per email and client address.
	throttle *auth.SignInThrottle
	// passwords holds a token per password being hashed (passwordSlots);
	// a request waits at most passwordWait for one.
	passwords    chan struct{}
	passwordWait time.Duration
	// hashMemory collects the buffers of finished password hashes.
	hashMemory hashMemory

	setupMu   sync.Mutex
	setupDone bool

	// turns bounds the questions each person runs at once.
	turns turns
}

// Options configure New.
type Options struct {
	Store Store
	// Meta keeps databases and synced metadata; Pool connects to them.
	Meta MetadataStore
	// Content keeps collections, questions and dashboards.
	Content ContentStore
	// Search finds content and remembers recent views.
	Search SearchStore
	// Permissions keeps the permission graphs, sandboxes and memberships.
	// When nil, a Store that also implements PermissionStore is used, so
	// that permissions are never silently off; without either, every group
	// keeps a fresh install's defaults.
	Permissions PermissionStore
	Pool        *datasource.Pool
	Getenv      func(string) string
	Logger      *slog.Logger
	Now         func() time.Time

	// AuditLog lists the audit log; when nil, a Store that also implements
	// AuditLogStore is used.
	AuditLog AuditLogStore
	// APIKeys keeps API keys; when nil, a Store that also implements
	// APIKeyStore is used, and without either no key is accepted.
	APIKeys APIKeyStore

	// Bus, when set, carries cache invalidations between the instances
	// that share the app database (see package cachebus); without it each
	// instance trusts its caches for a few seconds only.
	Bus cachebus.Bus
	// SharedResults, when set, keeps query results where every instance
	// reads them instead of in this process.
	SharedResults resultcache.Remote
	// SharedFailures, when set, keeps the counts of failed sign-ins where
	// every instance sees them, so that several instances allow no more
	// guesses than one.
	SharedFailures auth.FailureStore
}

// New returns an App over the given store.
func New(o Options) *App {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Getenv == nil {
		o.Getenv = func(string) string { return "" }
	}
	if o.Pool == nil {
		o.Pool = datasource.NewPool()
	}
	if o.Permissions == nil {
		o.Permissions, _ = o.Store.(PermissionStore)
	}
	if o.AuditLog == nil {
		o.AuditLog, _ = o.Store.(AuditLogStore)
	}
	if o.APIKeys == nil {
		o.APIKeys, _ = o.Store.(APIKeyStore)
	}
	life, stop := context.WithCancel(context.Background())
	a := &App{
		store:         o.Store,
		meta:          o.Meta,
		content:       o.Content,
		search:        o.Search,
		permStore:     o.Permissions,
		auditLog:      o.AuditLog,
		keys:          o.APIKeys,
		pool:          o.Pool,
		life:          life,
		stop:          stop,
		syncs:         syncLocks{locks: map[int64]*sync.Mutex{}},
		progressEvery: syncProgressEvery,
		metaCache:     metaCache{entries: map[int64]metaEntry{}},
		dashes:        dashCache{},
		results:       newResultStore(o),
		bus:           o.Bus,
		fresh:         &freshness{},
		settings:      NewSettingsCache(o.Store, o.Getenv, o.Now),
		log:           o.Logger,
		now:           o.Now,
		throttle:      auth.NewSignInThrottle(10, 50, 15*time.Minute, o.Now),
		passwords:     make(chan struct{}, passwordSlots()),
		passwordWait:  passwordWait,
		turns:         turns{running: map[int64]int{}, freed: map[int64]chan struct{}{}},
	}
	if o.Content != nil {
		a.content = contentWatch{ContentStore: o.Content,
			changed: func() { a.changed(cachebus.Event{Kind: cachebus.Content}) },
			// Dropping the permission state drops the dashboard cache too.
			treeChanged: func() { a.changed(cachebus.Event{Kind: cachebus.Permissions}) }}
	}
	if o.SharedFailures != nil {
		a.throttle.Share(o.SharedFailures, func(err error) {
			a.log.Warn("shared sign-in counts unavailable; this instance's counts apply", "err", err)
		})
	}
	a.settings.fresh = a.fresh
	a.settings.changed = func() { a.changed(cachebus.Event{Kind: cachebus.Settings}) }
	a.listen()
	return a
}

// Close stops background work, waits for it, and closes the connections to
// users' databases.
func (a *App) Close() error {
	a.bgMu.Lock()
	a.closed = true
	a.bgMu.Unlock()
	a.stop()
	a.bg.Wait()
	return a.pool.Close()
}

// Go runs work in the background for as long as the app is open: work's
// context ends when Close is called, and Close waits for work to return, so
// that it never outlives the stores it writes to. After Close, Go does
// nothing.
func (a *App) Go(work func(ctx context.Context)) {
	a.bgMu.Lock()
	defer a.bgMu.Unlock()
	if a.closed {
		return
	}
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		work(a.life)
	}()
}

// Settings returns the settings cache.
func (a *App) Settings() *SettingsCache { return a.settings }

// audit records an admin change; a failure to record is logged, not fatal.
// A change made with an API key (user id 0) names the key in the detail.
func (a *App) audit(ctx context.Context, actor *sightline.User, topic, detail string) {
	var id int64
	if actor != nil {
		id = actor.ID
		if actor.IsAPIKey() {
			detail = withAPIKey(detail, actor)
		}
	}
	if err := a.store.Audit(ctx, id, topic, detail); err != nil {
		a.log.Error("audit log", "topic", topic, "err", err)
	}
}

// withAPIKey adds the key behind a change to an audit detail object.
func withAPIKey(detail string, actor *sightline.User) string {
	m := map[string]any{}
	if detail != "" {
		if err := json.Unmarshal([]byte(detail), &m); err != nil {
			m = map[string]any{"detail": detail}
		}
	}
	m["by_api_key"] = map[string]any{"id": actor.APIKeyID, "name": actor.FirstName}
	return jsonDetail(m)
}

// requireAdmin refuses non-administrators.
func requireAdmin(u *sightline.User) error {
	if u == nil {
		return sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if !u.IsAdmin {
		return sightline.Errorf(sightline.EFORBIDDEN, "Only administrators can do that.")
	}
	return nil
}
