package app

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/appdb"
)

// gatedStore is the real SQLite app database with a count of the cache
// loads that reach it and, while gate is open (not nil), every such load
// held until gate is closed, so that a test can have many requests in
// flight at the moment a cache entry is reloaded.
type gatedStore struct {
	*appdb.DB
	mu    sync.Mutex
	calls map[string]int
	gate  chan struct{}
}

func (s *gatedStore) enter(name string) {
	s.mu.Lock()
	s.calls[name]++
	g := s.gate
	s.mu.Unlock()
	if g != nil {
		<-g
	}
}

// hold makes the loads from now on wait until the returned release is
// called.
func (s *gatedStore) hold() (release func()) {
	g := make(chan struct{})
	s.mu.Lock()
	s.gate = g
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.gate = nil
		s.mu.Unlock()
		close(g)
	}
}

func (s *gatedStore) take() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.calls
	s.calls = map[string]int{}
	return m
}

func (s *gatedStore) SessionUser(ctx context.Context, tokenHash string) (*sightline.Session, *sightline.User, error) {
	s.enter("SessionUser")
	return s.DB.SessionUser(ctx, tokenHash)
}

func (s *gatedStore) PermissionGraph(ctx context.Context) (*access.Graph, error) {
	s.enter("PermissionGraph")
	return s.DB.PermissionGraph(ctx)
}

func (s *gatedStore) Collections(ctx context.Context) ([]*sightline.Collection, error) {
	s.enter("Collections")
	return s.DB.Collections(ctx)
}

func (s *gatedStore) Database(ctx context.Context, id int64) (*sightline.Database, error) {
	s.enter("Database")
	return s.DB.Database(ctx, id)
}

func (s *gatedStore) Tables(ctx context.Context, dbID int64) ([]sightline.Table, error) {
	s.enter("Tables")
	return s.DB.Tables(ctx, dbID)
}

func (s *gatedStore) Settings(ctx context.Context) (map[string]string, error) {
	s.enter("Settings")
	return s.DB.Settings(ctx)
}

// flightFixture is an app over a gatedStore with a standing clock, the
// Sample Database registered, and a signed-in person's session token.
type flightFixture struct {
	a       *App
	st      *gatedStore
	token   string
	sample  int64
	advance func(time.Duration)
}

func newFlightFixture(t *testing.T) *flightFixture {
	t.Helper()
	ctx := context.Background()
	db, err := appdb.Open(ctx, appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := &gatedStore{DB: db, calls: map[string]int{}}
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	a := New(Options{Store: st, Meta: st, Content: st, Search: st, Now: clock})
	t.Cleanup(func() { a.Close() })
	if _, _, err := a.Setup(ctx, SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada"}); err != nil {
		t.Fatal(err)
	}
	if err := a.EnsureSampleDatabase(ctx, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	dbs, err := db.Databases(ctx)
	if err != nil || len(dbs) != 1 {
		t.Fatalf("Databases = %v, %v; want the Sample Database", dbs, err)
	}
	token, _, err := a.SignIn(ctx, "admin@example.com", "admin password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	return &flightFixture{a: a, st: st, token: token, sample: dbs[0].ID, advance: advance}
}

// request reads every cache a card request reads: the session, the
// settings, the permissions and the database's metadata.
func (f *flightFixture) request(ctx context.Context) error {
	if _, _, err := f.a.Authenticate(ctx, f.token); err != nil {
		return err
	}
	if _, err := f.a.settings.load(ctx); err != nil {
		return err
	}
	if _, err := f.a.permissionState(ctx); err != nil {
		return err
	}
	_, err := f.a.cachedDatabase(ctx, f.sample)
	return err
}

// TestCachesReloadOncePerExpiry has 50 requests arrive together after every
// cache expired, while the reload is still reading the app database: the
// app database sees one reload of each cache, not one per request.
func TestCachesReloadOncePerExpiry(t *testing.T) {
	f := newFlightFixture(t)
	ctx := context.Background()
	if err := f.request(ctx); err != nil {
		t.Fatal(err)
	}
	f.st.take()
	f.advance(2 * time.Minute)

	release := f.st.hold()
	const n = 50
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { errs <- f.request(ctx) })
	}
	// Without sharing, every request would reach the store meanwhile.
	time.Sleep(200 * time.Millisecond)
	release()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("request after expiry: %v", err)
		}
	}
	want := map[string]int{"SessionUser": 1, "Settings": 1, "PermissionGraph": 1, "Collections": 1, "Database": 1, "Tables": 1}
	if diff := cmp.Diff(want, f.st.take()); diff != "" {
		t.Errorf("app-database loads of %d concurrent requests after expiry (-want +got):\n%s", n, diff)
	}
}

// TestCancelledRequestLeavesTheLoad cancels the request that started a
// reload: it returns its own context's error at once, and the request
// waiting on the same reload still gets the session.
func TestCancelledRequestLeavesTheLoad(t *testing.T) {
	f := newFlightFixture(t)
	f.advance(time.Minute)
	release := f.st.hold()
	cctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, _, err := f.a.Authenticate(cctx, f.token); first <- err }()
	time.Sleep(50 * time.Millisecond)
	second := make(chan error, 1)
	go func() { _, _, err := f.a.Authenticate(context.Background(), f.token); second <- err }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-first:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the cancelled request's Authenticate = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the cancelled request still waits for the reload")
	}
	release()
	if err := <-second; err != nil {
		t.Errorf("the other request's Authenticate = %v, want the session", err)
	}
	if got := f.st.take()["SessionUser"]; got != 1 {
		t.Errorf("session look-ups = %d, want 1 shared by both requests", got)
	}
}

// TestSignOutDuringLookupIsNotUndone signs out while a look-up of the same
// session is reading the app database: the look-up's result is not kept,
// so the next request finds the session gone.
func TestSignOutDuringLookupIsNotUndone(t *testing.T) {
	f := newFlightFixture(t)
	ctx := context.Background()
	f.advance(time.Minute)
	release := f.st.hold()
	done := make(chan error, 1)
	go func() { _, _, err := f.a.Authenticate(ctx, f.token); done <- err }()
	time.Sleep(50 * time.Millisecond)
	if err := f.a.SignOut(ctx, f.token); err != nil {
		t.Fatal(err)
	}
	release()
	<-done
	_, _, err := f.a.Authenticate(ctx, f.token)
	if code := sightline.ErrorCode(err); code != sightline.EUNAUTHORIZED {
		t.Errorf("Authenticate after sign-out = %v, want %s", err, sightline.EUNAUTHORIZED)
	}
	if got := maps.Clone(f.st.take()); got["SessionUser"] != 2 {
		t.Errorf("session look-ups = %v, want 2 (the one in flight, then a fresh one)", got)
	}
}
