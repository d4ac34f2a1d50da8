package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/app"
	"sightline/internal/appdb"
	"sightline/internal/sandbox"
)

// The permission issue asks two things of a sandboxed dashboard: that it
// loads in at most 1.1 times an administrator's time, and that its
// app-database queries do not grow with its cards. The fixture below is an
// embedding host's set-up; BenchmarkSandboxXrayDashboard measures the first
// target, TestSandboxDashboardAppDBCalls and its benchmark the second.

// sandboxedXray is the Sample Database set up as a host embedding Sightline
// for its customers would: All Users blocked on the data and on every
// collection, the group Customer Acme seeing INVOICES and ACCOUNTS only
// through sandboxes (ACCOUNT_ID, and ACCOUNTS.ID, = the user's account_id)
// and reading the "Automatically Generated Dashboards" collection, where the
// INVOICES X-ray is saved. Four X-ray cards group by a column of the
// account (Country, Plan, Source, location); with ACCOUNTS blocked rather
// than sandboxed they would be refused, and the customer would not load the
// same dashboard as the administrator.
type sandboxedXray struct {
	admin, customer *sightline.User
	// adminCookies and customerCookies sign HTTP requests in.
	adminCookies, customerCookies []*http.Cookie
	// dash is the saved X-ray, loaded with its dashcards' ids.
	dash *sightline.Dashboard
	// byAccount is a copy of dash with an Account ID filter on every card:
	// with byAccount28 the administrator gets the customer's rows without
	// a sandbox.
	byAccount   *sightline.Dashboard
	byAccount28 []app.FilterValue
}

// setupSandboxedXray builds a sandboxedXray in e, a fresh environment.
func setupSandboxedXray(t *testing.T, e *testEnv) *sandboxedXray {
	t.Helper()
	ctx := context.Background()
	e.adminClient = e.setup()
	e.withSample()
	a, admin := e.app, e.adminUser()
	tables, err := a.Tables(ctx, admin, 1)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	var schema string
	for _, tb := range tables {
		if tb.Name != "INVOICES" && tb.Name != "ACCOUNTS" {
			continue
		}
		ids[tb.Name], schema = tb.ID, tb.Schema
		for _, f := range tb.Fields {
			ids[tb.Name+"."+f.Name] = f.ID
		}
	}
	for _, k := range []string{"INVOICES", "INVOICES.ACCOUNT_ID", "ACCOUNTS", "ACCOUNTS.ID"} {
		if ids[k] == 0 {
			t.Fatalf("the Sample Database has no %s", k)
		}
	}

	acme, err := a.CreateGroup(ctx, admin, "Customer Acme")
	if err != nil {
		t.Fatal(err)
	}
	g, err := a.DataPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	sandboxed := map[string]any{strconv.FormatInt(ids["INVOICES"], 10): access.ViewSandboxed, strconv.FormatInt(ids["ACCOUNTS"], 10): access.ViewSandboxed}
	if _, err := a.SaveDataPermissionGraph(ctx, admin, access.WireGraph{Revision: g.Revision, Groups: map[string]map[string]access.WireDBPerms{
		itoa(sightline.AllUsersGroupID): {"1": {ViewData: access.ViewBlocked, CreateQueries: access.QueryNone}},
		itoa(acme.ID):                   {"1": {ViewData: map[string]any{schema: sandboxed}, CreateQueries: access.QueryBuilder}},
	}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ table, field string }{{"INVOICES", "INVOICES.ACCOUNT_ID"}, {"ACCOUNTS", "ACCOUNTS.ID"}} {
		if _, err := a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: acme.ID, TableID: ids[p.table],
			Remappings: map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetDimension, FieldID: ids[p.field]}}}); err != nil {
			t.Fatalf("sandbox %s: %v", p.table, err)
		}
	}

	x, err := a.XRay(ctx, admin, ids["INVOICES"])
	if err != nil {
		t.Fatal(err)
	}
	saved, err := a.SaveXRay(ctx, admin, x)
	if err != nil {
		t.Fatal(err)
	}
	d, err := a.Dashboard(ctx, admin, saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	cg, err := a.CollectionPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision, Groups: map[string]map[string]string{
		itoa(sightline.AllUsersGroupID): {"root": access.CollectionNone},
		itoa(acme.ID):                   {itoa(d.CollectionID): access.CollectionRead},
	}}, false); err != nil {
		t.Fatal(err)
	}

	const email, password = "acme-28@example.com", "a password"
	if _, err := a.CreateUser(ctx, admin, app.NewUserInput{Email: email, Password: password,
		GroupIDs: []int64{acme.ID}, Attributes: map[string]string{"account_id": "28"}}); err != nil {
		t.Fatal(err)
	}
	customer, _, err := e.db.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	byAccount := dashboardOf(t, a, admin, d, len(questionCards(d)), ids["INVOICES.ACCOUNT_ID"])
	return &sandboxedXray{admin: admin, customer: customer, dash: d,
		byAccount: byAccount, byAccount28: []app.FilterValue{{ID: "account", Value: []any{"28"}}},
		adminCookies: signedInCookies(t, e, "ada@example.com", "correct horse"), customerCookies: signedInCookies(t, e, email, password)}
}

// signedInCookies signs in over HTTP and returns the session cookies.
func signedInCookies(t *testing.T, e *testEnv, email, password string) []*http.Cookie {
	t.Helper()
	c := e.client()
	if r := e.postJSON(c, "/api/session", fmt.Sprintf(`{"username": %q, "password": %q}`, email, password)); r.status != http.StatusOK {
		t.Fatalf("sign in as %s = %d %s", email, r.status, r.body)
	}
	return c.Jar.Cookies(mustURL(e.srv.URL))
}

// dashboardOf saves, in src's collection, a dashboard of the first n
// questions of src with its filters and their wiring and, when acct is
// not 0, a filter "account" on that field of every card; it returns the
// dashboard loaded.
func dashboardOf(t *testing.T, a *app.App, admin *sightline.User, src *sightline.Dashboard, n int, acct int64) *sightline.Dashboard {
	t.Helper()
	qs := questionCards(src)
	if n > len(qs) {
		t.Fatalf("%q has %d questions, fewer than %d", src.Name, len(qs), n)
	}
	d := &sightline.Dashboard{Name: fmt.Sprintf("%s, %d cards", src.Name, n), CollectionID: src.CollectionID,
		Parameters: slices.Clone(src.Parameters)}
	if acct != 0 {
		d.Name += ", by account"
		d.Parameters = append(d.Parameters, sightline.DashboardParameter{ID: "account", Name: "Account ID", Slug: "account", Type: "id"})
	}
	for _, dc := range qs[:n] {
		dc.ID, dc.Card = 0, nil
		dc.Mappings = slices.Clone(dc.Mappings)
		for j := range dc.Mappings {
			dc.Mappings[j].CardID = dc.CardID
		}
		if acct != 0 {
			dc.Mappings = append(dc.Mappings, sightline.ParameterMapping{ParameterID: "account", CardID: dc.CardID,
				Target: json.RawMessage(fmt.Sprintf(`["dimension", ["field", %d, null]]`, acct))})
		}
		d.Cards = append(d.Cards, dc)
	}
	created, err := a.CreateDashboard(context.Background(), admin, d)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := a.Dashboard(context.Background(), admin, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	return loaded
}

// questionCards returns the dashcards of d that run a question.
func questionCards(d *sightline.Dashboard) []sightline.DashboardCard {
	var qs []sightline.DashboardCard
	for _, dc := range d.Cards {
		if dc.CardID != 0 {
			qs = append(qs, dc)
		}
	}
	return qs
}

// cardsLoad is one run of every question card of a dashboard.
type cardsLoad struct {
	wall time.Duration
	// took and exec are each card's time in RunDashboardCard and, within
	// it, in the data source; the difference is the data door's own work
	// (permissions, sandbox filters, compiling, reading the result).
	took, exec []time.Duration
	rows       []int
}

// door is the time spent outside the data source, summed over the cards.
func (l cardsLoad) door() time.Duration {
	var d time.Duration
	for i := range l.took {
		d += l.took[i] - l.exec[i]
	}
	return d
}

// runCards runs every question card of d through app.RunDashboardCard as u
// with the filter values, either one after the other or all at once, as
// dashboard.js does (Promise.all over the cards).
func runCards(ctx context.Context, a *app.App, u *sightline.User, d *sightline.Dashboard, values []app.FilterValue, parallel bool) (cardsLoad, error) {
	qs := questionCards(d)
	l := cardsLoad{took: make([]time.Duration, len(qs)), exec: make([]time.Duration, len(qs)), rows: make([]int, len(qs))}
	errs := make([]error, len(qs))
	run := func(i int) {
		start := time.Now()
		res, err := a.RunDashboardCard(ctx, u, d.ID, qs[i].ID, values, app.RunOptions{})
		l.took[i] = time.Since(start)
		if err != nil {
			errs[i] = fmt.Errorf("card %q: %w", qs[i].Card.Name, err)
			return
		}
		l.exec[i], l.rows[i] = res.Duration, res.RowCount
	}
	start := time.Now()
	if parallel {
		var wg sync.WaitGroup
		for i := range qs {
			wg.Go(func() { run(i) })
		}
		wg.Wait()
	} else {
		for i := range qs {
			run(i)
		}
	}
	l.wall = time.Since(start)
	return l, errors.Join(errs...)
}

// benchSetup runs build, which takes the *testing.T the package's helpers
// need, for a benchmark: a failure ends only build's goroutine, and then b
// fails instead of timing a half-built fixture.
func benchSetup[F any](b *testing.B, build func(t *testing.T) F) F {
	b.Helper()
	t := &testing.T{}
	var f F
	done := make(chan struct{})
	go func() {
		defer close(done)
		f = build(t)
	}()
	<-done
	if t.Failed() {
		b.Fatal("setup failed; the Sandbox tests show why")
	}
	return f
}

// TestSandboxedXrayDashboard checks the benchmark's premise: every card of
// the X-ray runs for the administrator and for the sandboxed customer, who
// gets the rows the administrator gets by filtering on account 28.
func TestSandboxedXrayDashboard(t *testing.T) {
	e, _ := newSandboxEnv(t, t, nil)
	f := setupSandboxedXray(t, e)
	ctx := context.Background()
	qs, filtered := questionCards(f.dash), questionCards(f.byAccount)
	if len(qs) < 10 {
		t.Fatalf("the INVOICES X-ray has %d questions, want at least 10", len(qs))
	}
	for i, dc := range qs {
		t.Run(dc.Card.Name, func(t *testing.T) {
			admin, err := e.app.RunDashboardCard(ctx, f.admin, f.dash.ID, dc.ID, nil, app.RunOptions{})
			if err != nil {
				t.Fatalf("as the admin: %v", err)
			}
			admin28, err := e.app.RunDashboardCard(ctx, f.admin, f.byAccount.ID, filtered[i].ID, f.byAccount28, app.RunOptions{})
			if err != nil {
				t.Fatalf("as the admin, filtered on account 28: %v", err)
			}
			customer, err := e.app.RunDashboardCard(ctx, f.customer, f.dash.ID, dc.ID, nil, app.RunOptions{})
			if err != nil {
				t.Fatalf("as the customer: %v", err)
			}
			// A binned card computes its bins' range over the rows its
			// reader may see, so there only the counts must agree.
			if diff := cmp.Diff(admin28.Rows, customer.Rows); diff != "" && lastColumn(admin28.Rows) != lastColumn(customer.Rows) {
				t.Errorf("the customer's rows differ from the admin's for account 28 (-admin +customer):\n%s", diff)
			}
			if dc.Card.Name == "Total Invoices" {
				if got, want := fmt.Sprint(admin.Rows, customer.Rows), "[[13856]] [[22]]"; got != want {
					t.Errorf("invoices for the admin and the customer = %s, want %s", got, want)
				}
			}
		})
	}
}

// lastColumn lists the last value of every row.
func lastColumn(rows [][]any) string {
	var last []any
	for _, r := range rows {
		last = append(last, r[len(r)-1])
	}
	return fmt.Sprint(last)
}

// BenchmarkSandboxXrayDashboard measures loading every card of the saved
// INVOICES X-ray (app.RunDashboardCard for each, after a warm-up, on the
// SQLite Sample Database) as three people: the administrator (admin), the
// customer sandboxed to account 28 (sandboxed), and the administrator
// filtering a copy of the X-ray on account 28 (admin-filtered), who reads
// the customer's rows without a sandbox. The customer's queries read 22
// invoices where the administrator's read 13,856, so sandboxed/admin
// mostly measures the data; sandboxed/admin-filtered is the cost of
// sandboxing itself. Cards run one after the other (sequential) or all at
// once as dashboard.js sends them (parallel).
//
// Each person's sub-benchmark gives ns/op for one load. The paired one
// loads as all three in every iteration, in changing orders so that drift
// (other processes, CPU frequency, GC) touches them alike (exactly so over
// a multiple of 6 iterations), and reports each one's ns/load and the
// ratios (target: at most 1.1). Sequential runs also report door-ns/card,
// a card's time outside the data source: permission checks, sandbox
// filters, compiling and building the result.
func BenchmarkSandboxXrayDashboard(b *testing.B) {
	var a *app.App
	f := benchSetup(b, func(t *testing.T) *sandboxedXray {
		e, _ := newSandboxEnv(t, b, nil)
		a = e.app
		return setupSandboxedXray(t, e)
	})
	ctx := context.Background()
	cards := float64(len(questionCards(f.dash)))
	type person struct {
		name   string
		u      *sightline.User
		d      *sightline.Dashboard
		values []app.FilterValue
	}
	people := []person{{"admin", f.admin, f.dash, nil}, {"admin-filtered", f.admin, f.byAccount, f.byAccount28}, {"sandboxed", f.customer, f.dash, nil}}
	for _, mode := range []struct {
		name     string
		parallel bool
	}{{"sequential", false}, {"parallel", true}} {
		load := func(b *testing.B, p person) cardsLoad {
			l, err := runCards(ctx, a, p.u, p.d, p.values, mode.parallel)
			if err != nil {
				b.Fatal(err)
			}
			return l
		}
		for _, p := range people {
			b.Run(mode.name+"/"+p.name, func(b *testing.B) {
				load(b, p)
				var door time.Duration
				b.ResetTimer()
				for range b.N {
					door += load(b, p).door()
				}
				b.ReportMetric(cards, "cards")
				if !mode.parallel {
					b.ReportMetric(float64(door.Nanoseconds())/float64(b.N)/cards, "door-ns/card")
				}
			})
		}
		b.Run(mode.name+"/paired", func(b *testing.B) {
			for _, p := range people {
				load(b, p)
			}
			wall := make([]time.Duration, len(people))
			door := make([]time.Duration, len(people))
			// Iteration i loads in the order orders[i%6], so that each person
			// comes first, second and third, and after each other person,
			// equally often.
			orders := [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
			b.ResetTimer()
			for i := range b.N {
				for _, k := range orders[i%len(orders)] {
					l := load(b, people[k])
					wall[k] += l.wall
					door[k] += l.door()
				}
			}
			n := float64(b.N)
			for k, p := range people {
				b.ReportMetric(float64(wall[k].Nanoseconds())/n, p.name+"-ns/load")
				if !mode.parallel {
					b.ReportMetric(float64(door[k].Nanoseconds())/n/cards, p.name+"-door-ns/card")
				}
			}
			b.ReportMetric(float64(wall[2])/float64(wall[0]), "sandboxed/admin")
			b.ReportMetric(float64(wall[2])/float64(wall[1]), "sandboxed/admin-filtered")
		})
	}
}

// testClock is an app clock that stands still until advanced, so that no
// cache expires between two loads whose queries are compared.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// appDBCalls are the app-database store calls of one dashboard load, by
// method, with the session look-ups that sign the requests in apart: at
// most one per burst of requests, as the app caches sessions briefly.
type appDBCalls struct {
	calls    map[string]int
	sessions int
}

func splitSessions(m map[string]int) appDBCalls {
	c := appDBCalls{calls: m, sessions: m["SessionUser"]}
	delete(m, "SessionUser")
	// Views are written in the background, once a second, whatever the
	// load: not part of any one load's calls.
	delete(m, "RecordView")
	return c
}

// dashboardCallsFixture is a sandboxedXray over a counting app database
// with a standing clock, and dashboards of the X-ray's first n questions
// (with its filters) in the X-ray's collection, by n.
type dashboardCallsFixture struct {
	*sandboxedXray
	e      *testEnv
	cs     *countingStore
	clock  *testClock
	bySize map[int]*sightline.Dashboard
}

func setupDashboardCalls(t *testing.T, tb testing.TB, sizes ...int) *dashboardCallsFixture {
	t.Helper()
	clock := &testClock{now: time.Now()}
	e, cs := newSandboxEnv(t, tb, clock.Now)
	f := &dashboardCallsFixture{sandboxedXray: setupSandboxedXray(t, e), e: e, cs: cs, clock: clock, bySize: map[int]*sightline.Dashboard{}}
	for _, n := range sizes {
		f.bySize[n] = dashboardOf(t, e.app, f.admin, f.dash, n, 0)
	}
	return f
}

// count loads dashboard d (the page, then every card's query over HTTP, in
// process) with cookies, warm: right after the same load, with every cache
// filled; and cold: after the app's caches (permissions, settings,
// metadata, dashboards) have expired.
func (f *dashboardCallsFixture) count(tb testing.TB, cookies []*http.Cookie, d *sightline.Dashboard) (warm, cold appDBCalls) {
	tb.Helper()
	h := f.e.srv.Config.Handler
	loadDashboard(tb, h, cookies, d)
	f.cs.take()
	loadDashboard(tb, h, cookies, d)
	warm = splitSessions(f.cs.take())
	f.clock.advance(2 * time.Minute)
	loadDashboard(tb, h, cookies, d)
	cold = splitSessions(f.cs.take())
	return warm, cold
}

// TestSandboxDashboardAppDBCalls checks that a sandboxed customer's
// dashboard load (the page and every card) makes as many app-database
// calls for 15 cards as for 3, warm and cold: permissions, sandboxes,
// metadata and the dashboard are read once per load or less, never once per
// card. The session that signs each HTTP request in is looked up at most
// once per load too: the page and its cards arrive as one burst.
func TestSandboxDashboardAppDBCalls(t *testing.T) {
	const small, large = 3, 15
	f := setupDashboardCalls(t, t, small, large)
	for _, who := range []struct {
		name    string
		cookies []*http.Cookie
	}{{"sandboxed", f.customerCookies}, {"admin", f.adminCookies}} {
		t.Run(who.name, func(t *testing.T) {
			warm := map[int]appDBCalls{}
			cold := map[int]appDBCalls{}
			for _, n := range []int{small, large} {
				warm[n], cold[n] = f.count(t, who.cookies, f.bySize[n])
				t.Logf("%2d cards: warm %d calls %v, cold %d calls %v; session look-ups warm %d, cold %d", n,
					total(warm[n].calls), warm[n].calls, total(cold[n].calls), cold[n].calls, warm[n].sessions, cold[n].sessions)
			}
			for _, c := range []struct {
				name string
				by   map[int]appDBCalls
			}{{"warm", warm}, {"cold", cold}} {
				if diff := cmp.Diff(c.by[small].calls, c.by[large].calls); diff != "" {
					t.Errorf("%s app-database calls of a %d-card load vs a %d-card one (-%d +%d):\n%s", c.name, small, large, small, large, diff)
				}
				for _, n := range []int{small, large} {
					if got := c.by[n].sessions; got > 1 {
						t.Errorf("%s %d-card load: %d session look-ups, want at most one for the whole burst of requests", c.name, n, got)
					}
				}
			}
		})
	}
}

// BenchmarkSandboxDashboardAppDBCalls loads, as the sandboxed customer,
// dashboards of 3 and 15 of the X-ray's cards (the page, then every card's
// query, in process) and reports the app-database store calls per load:
// appdb-queries/load warm (every iteration after the first),
// cold-appdb-queries/load once the app's caches have expired, and apart
// from both session-queries/load, the session look-ups that sign the
// requests in.
// The target is the same appdb-queries/load for both sizes.
func BenchmarkSandboxDashboardAppDBCalls(b *testing.B) {
	sizes := []int{3, 15}
	f := benchSetup(b, func(t *testing.T) *dashboardCallsFixture { return setupDashboardCalls(t, b, sizes...) })
	h := f.e.srv.Config.Handler
	for _, n := range sizes {
		d := f.bySize[n]
		b.Run(fmt.Sprintf("cards=%d", n), func(b *testing.B) {
			_, cold := f.count(b, f.customerCookies, d)
			loadDashboard(b, h, f.customerCookies, d)
			f.cs.take()
			b.ResetTimer()
			for range b.N {
				loadDashboard(b, h, f.customerCookies, d)
			}
			b.StopTimer()
			warm := splitSessions(f.cs.take())
			b.ReportMetric(float64(total(warm.calls))/float64(b.N), "appdb-queries/load")
			b.ReportMetric(float64(total(cold.calls)), "cold-appdb-queries/load")
			b.ReportMetric(float64(warm.sessions)/float64(b.N), "session-queries/load")
		})
	}
}

// newSandboxEnv is newCountingEnv with the permission store's calls counted
// too and the app's clock from now (nil for the real one). t receives the
// helpers' failures; tb owns the files and the server, so that a benchmark
// can pass itself.
func newSandboxEnv(t *testing.T, tb testing.TB, now func() time.Time) (*testEnv, *countingStore) {
	t.Helper()
	db, err := appdb.Open(context.Background(), appdb.Options{Path: filepath.Join(tb.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	cs := &countingStore{DB: db, calls: map[string]int{}}
	a := app.New(app.Options{Store: cs, Meta: cs, Content: cs, Search: cs, Permissions: countingPerms{cs}, Now: now})
	tb.Cleanup(func() { a.Close() })
	ws, err := New(a, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReady(true)
	srv := httptest.NewServer(ws.Handler())
	tb.Cleanup(srv.Close)
	return &testEnv{t: t, srv: srv, db: db, app: a, env: map[string]string{}}, cs
}

// countingPerms is a countingStore's permission store, counted in the same
// map; through a countingStore alone these calls reach the embedded
// appdb.DB uncounted.
type countingPerms struct{ *countingStore }

func (st countingPerms) PermissionGraph(ctx context.Context) (*access.Graph, error) {
	st.count("PermissionGraph")
	return st.DB.PermissionGraph(ctx)
}

func (st countingPerms) SaveDataPermissions(ctx context.Context, revision int64, changes map[int64]map[int64]access.DBPerms) (int64, error) {
	st.count("SaveDataPermissions")
	return st.DB.SaveDataPermissions(ctx, revision, changes)
}

func (st countingPerms) SaveCollectionPermissions(ctx context.Context, revision int64, changes map[int64]map[int64]string) (int64, error) {
	st.count("SaveCollectionPermissions")
	return st.DB.SaveCollectionPermissions(ctx, revision, changes)
}

func (st countingPerms) Sandboxes(ctx context.Context) ([]sandbox.Policy, error) {
	st.count("Sandboxes")
	return st.DB.Sandboxes(ctx)
}

func (st countingPerms) Sandbox(ctx context.Context, id int64) (*sandbox.Policy, error) {
	st.count("Sandbox")
	return st.DB.Sandbox(ctx, id)
}

func (st countingPerms) SaveSandbox(ctx context.Context, revision int64, p *sandbox.Policy, dbID int64, perms access.DBPerms) (int64, error) {
	st.count("SaveSandbox")
	return st.DB.SaveSandbox(ctx, revision, p, dbID, perms)
}

func (st countingPerms) DeleteSandbox(ctx context.Context, revision, id, dbID int64, perms access.DBPerms) (int64, error) {
	st.count("DeleteSandbox")
	return st.DB.DeleteSandbox(ctx, revision, id, dbID, perms)
}

func (st countingPerms) Group(ctx context.Context, id int64) (*sightline.Group, error) {
	st.count("Group")
	return st.DB.Group(ctx, id)
}

func (st countingPerms) RenameGroup(ctx context.Context, id int64, name string) error {
	st.count("RenameGroup")
	return st.DB.RenameGroup(ctx, id, name)
}

func (st countingPerms) DeleteGroup(ctx context.Context, id int64) error {
	st.count("DeleteGroup")
	return st.DB.DeleteGroup(ctx, id)
}

func (st countingPerms) AddMember(ctx context.Context, groupID, userID int64, manager bool) error {
	st.count("AddMember")
	return st.DB.AddMember(ctx, groupID, userID, manager)
}

func (st countingPerms) RemoveMember(ctx context.Context, groupID, userID int64) error {
	st.count("RemoveMember")
	return st.DB.RemoveMember(ctx, groupID, userID)
}

func (st countingPerms) Memberships(ctx context.Context) ([]access.Membership, error) {
	st.count("Memberships")
	return st.DB.Memberships(ctx)
}

func (st countingPerms) ManagedGroups(ctx context.Context, userID int64) ([]int64, error) {
	st.count("ManagedGroups")
	return st.DB.ManagedGroups(ctx, userID)
}
