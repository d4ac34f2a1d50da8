package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/appdb"
	"sightline/internal/sampledata"
)

// syncState is one SetSyncState call.
type syncState struct {
	Status, Progress, Error string
	Finished                bool
}

// syncStates is a MetadataStore that keeps every SetSyncState call.
type syncStates struct {
	MetadataStore
	mu    sync.Mutex
	calls map[int64][]syncState
}

func (s *syncStates) SetSyncState(ctx context.Context, id int64, status, progress, lastError string, finished time.Time) error {
	s.mu.Lock()
	s.calls[id] = append(s.calls[id], syncState{status, progress, lastError, !finished.IsZero()})
	s.mu.Unlock()
	return s.MetadataStore.SetSyncState(ctx, id, status, progress, lastError, finished)
}

// of returns the calls for database id so far.
func (s *syncStates) of(id int64) []syncState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls[id])
}

// newSyncApp returns an App whose metadata store records sync states, with
// an admin.
func newSyncApp(t *testing.T) (*App, *appdb.DB, *syncStates, *sightline.User) {
	t.Helper()
	db, err := appdb.Open(context.Background(), appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	states := &syncStates{MetadataStore: db, calls: map[int64][]syncState{}}
	a := New(Options{Store: db, Meta: states, Content: db, Search: db})
	t.Cleanup(func() { a.Close() })
	_, admin, err := a.Setup(context.Background(), SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	return a, db, states, admin
}

// checkSynced fails unless database id's stored sync state is a clean
// success.
func checkSynced(t *testing.T, db *appdb.DB, id int64) {
	t.Helper()
	d, err := db.Database(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if d.SyncStatus != SyncComplete || d.SyncProgress != "" || d.LastSyncError != "" || d.LastSyncAt.IsZero() {
		t.Errorf("sync state after the sync = %q, progress %q, error %q, at %v; want complete, no progress or error, a time",
			d.SyncStatus, d.SyncProgress, d.LastSyncError, d.LastSyncAt)
	}
}

// TestSyncDatabaseReportsProgress syncs the Sample Database and checks the
// progress it records while running: the catalog, each table by number and
// name, then each field's values; and that the final state is clean.
func TestSyncDatabaseReportsProgress(t *testing.T) {
	a, db, states, _ := newSyncApp(t)
	a.progressEvery = 0 // record every step
	path := filepath.Join(t.TempDir(), "sample.db")
	if err := sampledata.WriteSQLite(context.Background(), path, sampledata.Options{Anchor: sampleAnchor}); err != nil {
		t.Fatal(err)
	}
	d := registerSQLite(t, db, "Sample", path)
	if err := a.SyncDatabase(context.Background(), d.ID); err != nil {
		t.Fatal(err)
	}

	calls := states.of(d.ID)
	if len(calls) < 2 {
		t.Fatalf("SetSyncState calls = %+v, want progress and an outcome", calls)
	}
	last := calls[len(calls)-1]
	if want := (syncState{Status: SyncComplete, Finished: true}); last != want {
		t.Errorf("last SetSyncState = %+v, want %+v", last, want)
	}
	var progress []string
	for _, c := range calls[:len(calls)-1] {
		if c.Status != SyncRunning || c.Error != "" || c.Finished {
			t.Errorf("SetSyncState while running = %+v, want status %q with progress only", c, SyncRunning)
		}
		progress = append(progress, c.Progress)
	}
	// The steps: the catalog, the eight tables in order, then the values
	// of each field that has some to cache.
	var wantTables []string
	for _, def := range sampledata.Tables() {
		wantTables = append(wantTables, def.Name)
	}
	slices.Sort(wantTables)
	want := []string{"reading tables"}
	for i, name := range wantTables {
		want = append(want, fmt.Sprintf("table %d of %d: %s", i+1, len(wantTables), name))
	}
	if len(progress) <= len(want) {
		t.Fatalf("progress = %q, want the tables and then field values", progress)
	}
	values := regexp.MustCompile(`^reading field values (\d+) of (\d+)$`)
	m := values.FindStringSubmatch(progress[len(want)])
	if m == nil {
		t.Fatalf("progress after the tables = %q, want reading field values", progress[len(want)])
	}
	n, _ := strconv.Atoi(m[2])
	for k := 1; k <= n; k++ {
		want = append(want, fmt.Sprintf("reading field values %d of %d", k, n))
	}
	if diff := cmp.Diff(want, progress); diff != "" {
		t.Errorf("progress recorded (-want +got):\n%s", diff)
	}
	checkSynced(t, db, d.ID)
}

// TestSyncDatabaseThrottlesProgress checks that progress costs no more
// app-database writes than the interval allows: a sync shorter than it
// writes only its first step and its outcome, and nothing after.
func TestSyncDatabaseThrottlesProgress(t *testing.T) {
	a, db, states, _ := newSyncApp(t)
	a.progressEvery = time.Hour
	path := filepath.Join(t.TempDir(), "shop.db")
	writeSQLite(t, path, "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT)", "INSERT INTO orders VALUES (1, 'open'), (2, 'shipped')",
		"CREATE TABLE people (id INTEGER PRIMARY KEY, active BOOLEAN)", "INSERT INTO people VALUES (1, 1)")
	d := registerSQLite(t, db, "Shop", path)
	if err := a.SyncDatabase(context.Background(), d.ID); err != nil {
		t.Fatal(err)
	}
	want := []syncState{{Status: SyncRunning, Progress: "reading tables"}, {Status: SyncComplete, Finished: true}}
	if diff := cmp.Diff(want, states.of(d.ID)); diff != "" {
		t.Errorf("SetSyncState calls (-want +got):\n%s", diff)
	}
	checkSynced(t, db, d.ID)
}

// TestProgressRecorder checks the recorder's timing: steps within the
// interval are coalesced into one later write of the latest, a step after
// a quiet interval is written at once, and nothing is written after stop.
func TestProgressRecorder(t *testing.T) {
	var mu sync.Mutex
	var writes []string
	write := func(s string) {
		mu.Lock()
		writes = append(writes, s)
		mu.Unlock()
	}
	written := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(writes)
	}

	r := newProgressRecorder("reading tables", 20*time.Millisecond, write)
	for _, s := range []string{"table 1 of 3: A", "table 2 of 3: B", "table 3 of 3: C"} {
		r.report(s)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(written()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if diff := cmp.Diff([]string{"table 3 of 3: C"}, written()); diff != "" {
		t.Fatalf("writes after a burst (-want +got):\n%s", diff)
	}
	r.mu.Lock()
	r.lastWrite = time.Now().Add(-time.Minute)
	r.mu.Unlock()
	r.report("reading field values 1 of 2")
	if diff := cmp.Diff([]string{"table 3 of 3: C", "reading field values 1 of 2"}, written()); diff != "" {
		t.Errorf("writes after a quiet interval (-want +got):\n%s", diff)
	}
	r.report("reading field values 2 of 2")
	r.stop()
	r.report("reading field values 2 of 2")
	time.Sleep(60 * time.Millisecond)
	if got := written(); len(got) != 2 {
		t.Errorf("writes after stop = %q, want none", got[2:])
	}
}

// TestRunSyncSchedule runs the background sync on a short interval: it
// syncs every database again and again, picks up a new table, and records
// the error of an unreachable database without stopping the others.
func TestRunSyncSchedule(t *testing.T) {
	a, db, states, admin := newSyncApp(t)
	dir := t.TempDir()
	gonePath := filepath.Join(dir, "gone.db")
	writeSQLite(t, gonePath, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
	shopPath := filepath.Join(dir, "shop.db")
	writeSQLite(t, shopPath, "CREATE TABLE orders (id INTEGER PRIMARY KEY, total DECIMAL(10,2))")
	// The unreachable database comes first, so the others sync after its
	// failure.
	gone := registerSQLite(t, db, "Gone", gonePath)
	shop := registerSQLite(t, db, "Shop", shopPath)
	if err := os.Remove(gonePath); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.RunSyncSchedule(ctx, 20*time.Millisecond)
	}()
	outcomes := func(id int64, status string) int {
		n := 0
		for _, c := range states.of(id) {
			if c.Status == status {
				n++
			}
		}
		return n
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; sync states: Gone %+v, Shop %+v", what, states.of(gone.ID), states.of(shop.ID))
			}
		}
	}

	waitFor("a first sync of Shop", func() bool { return outcomes(shop.ID, SyncComplete) >= 1 })
	writeSQLite(t, shopPath, "CREATE TABLE refunds (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders (id))")
	hasRefunds := func() bool {
		tables, err := a.AdminTables(ctx, admin, shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			if tb.Name == "refunds" {
				return true
			}
		}
		return false
	}
	waitFor("a re-sync that finds the new table", hasRefunds)
	waitFor("two failed syncs of Gone", func() bool { return outcomes(gone.ID, SyncFailed) >= 2 })
	waitFor("another sync of Shop after them", func() bool {
		return outcomes(shop.ID, SyncComplete) >= outcomes(gone.ID, SyncFailed)
	})
	// A sync that the end of the schedule interrupts may fail; those before
	// it must not.
	for _, c := range states.of(shop.ID) {
		if c.Status == SyncFailed || c.Error != "" {
			t.Errorf("Shop's sync state %+v, want no failure", c)
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("RunSyncSchedule did not return after its context ended")
	}

	d, err := db.Database(context.Background(), gone.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.SyncStatus != SyncFailed || d.SyncProgress != "" || !strings.Contains(d.LastSyncError, gonePath) || d.LastSyncAt.IsZero() {
		t.Errorf("Gone's sync state = %q, progress %q, error %q, at %v; want failed naming its file, no progress",
			d.SyncStatus, d.SyncProgress, d.LastSyncError, d.LastSyncAt)
	}
}
