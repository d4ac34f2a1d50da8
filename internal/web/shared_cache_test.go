package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/app"
	"sightline/internal/appdb"
	"sightline/internal/cachebus"
	"sightline/internal/testdb"
)

// seenWithin is how soon a change on one instance must show on another
// that shares its Redis.
const seenWithin = 100 * time.Millisecond

// newInstance is one more Sightline (its own App, store and HTTP server)
// on the PostgreSQL app database at pgURL. With cacheURL it shares that
// Redis, under prefix, with the other instances.
func newInstance(t *testing.T, pgURL, cacheURL, prefix string) *testEnv {
	t.Helper()
	db, err := appdb.Open(context.Background(), appdb.Options{URL: pgURL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	env := map[string]string{}
	opts := app.Options{Store: db, Meta: db, Content: db, Search: db, Permissions: db, Getenv: func(k string) string { return env[k] }}
	if cacheURL != "" {
		r, err := cachebus.Open(cacheURL, prefix, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		opts.Bus, opts.SharedResults, opts.SharedFailures = r, r, r
	}
	a := app.New(opts)
	t.Cleanup(func() { a.Close() })
	ws, err := New(a, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReady(true)
	srv := httptest.NewServer(ws.Handler())
	t.Cleanup(srv.Close)
	return &testEnv{t: t, srv: srv, db: db, app: a, env: env}
}

// twoInstances returns instances A and B on one new PostgreSQL app
// database, sharing one Redis when shared is true, with the leak fixture
// (people, groups, a sandbox, the Sample Database, a static embed) set
// up through A.
func twoInstances(t *testing.T, shared bool) (a, b *testEnv, lf *leakFixture) {
	t.Helper()
	pg := testdb.Postgres(t)
	var url, prefix string
	if shared {
		r := testdb.Redis(t)
		url, prefix = r.URL, r.Prefix
	}
	a = newInstance(t, pg.URL, url, prefix)
	b = newInstance(t, pg.URL, url, prefix)
	lf = setupLeakFixture(t, a)
	lf.addEmbed(t, a)
	if shared {
		for _, e := range []*testEnv{a, b} {
			if !eventually(5*time.Second, e.app.CacheBusLive) {
				t.Fatal("an instance never heard the cache bus")
			}
		}
	}
	return a, b, lf
}

// eventually reports whether check holds within d, trying every few
// milliseconds.
func eventually(d time.Duration, check func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if check() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestInstancesShareChangesThroughRedis runs two instances on one
// PostgreSQL app database and makes changes on A that B must honour
// within seenWithin: with a shared Redis it does; without one, B goes on
// serving what it cached (for up to its few seconds), which shows that
// Redis is what makes the difference.
func TestInstancesShareChangesThroughRedis(t *testing.T) {
	for _, shared := range []bool{true, false} {
		name := "without Redis B still serves what it cached"
		if shared {
			name = "with Redis B sees the change"
		}
		t.Run(name, func(t *testing.T) {
			a, b, lf := twoInstances(t, shared)
			ctx := context.Background()
			check := func(what string, seen func() bool) {
				t.Helper()
				got := eventually(seenWithin, seen)
				if got != shared {
					t.Errorf("%s: seen on B within %v = %v, want %v", what, seenWithin, got, shared)
				}
			}

			t.Run("sign-out on A", func(t *testing.T) {
				id := a.sessionID("unrestricted@example.com", "a password")
				c := headerClient(headerSession, id)
				if r := b.do(c, "GET", "/api/user/current", "", ""); r.status != http.StatusOK {
					t.Fatalf("B before the sign-out = %d, want 200", r.status)
				}
				if r := a.do(c, "DELETE", "/api/session", "", ""); r.status != http.StatusNoContent {
					t.Fatalf("sign-out on A = %d", r.status)
				}
				check("the session is refused", func() bool {
					return b.do(c, "GET", "/api/user/current", "", "").status == http.StatusUnauthorized
				})
			})

			t.Run("deactivation on A", func(t *testing.T) {
				id := a.sessionID("blocked@example.com", "a password")
				c := headerClient(headerSession, id)
				if r := b.do(c, "GET", "/api/user/current", "", ""); r.status != http.StatusOK {
					t.Fatalf("B before the deactivation = %d, want 200", r.status)
				}
				u, _, err := a.db.UserByEmail(ctx, "blocked@example.com")
				if err != nil {
					t.Fatal(err)
				}
				if r := a.do(lf.clients["admin"], "DELETE", fmt.Sprintf("/api/user/%d", u.ID), "", ""); r.status != http.StatusOK {
					t.Fatalf("deactivate on A = %d %s", r.status, r.body)
				}
				check("the deactivated person's session is refused", func() bool {
					return b.do(c, "GET", "/api/user/current", "", "").status == http.StatusUnauthorized
				})
			})

			t.Run("revoking a group's data access on A", func(t *testing.T) {
				c := lf.clients["unrestricted"]
				path := fmt.Sprintf("/api/card/%d/query", lf.countCard)
				if r := b.do(c, "POST", path, "", ""); r.status != http.StatusAccepted {
					t.Fatalf("B before the change = %d %.200s", r.status, r.body)
				}
				g, err := a.app.DataPermissionGraph(ctx, a.adminUser())
				if err != nil {
					t.Fatal(err)
				}
				groups, err := a.db.Groups(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var analysts int64
				for _, gr := range groups {
					if gr.Name == "Analysts" {
						analysts = gr.ID
					}
				}
				dbKey := strconv.FormatInt(lf.db, 10)
				if _, err := a.app.SaveDataPermissionGraph(ctx, a.adminUser(), access.WireGraph{Revision: g.Revision, Groups: map[string]map[string]access.WireDBPerms{
					strconv.FormatInt(analysts, 10): {dbKey: {ViewData: access.ViewBlocked, CreateQueries: access.QueryNone}},
				}}); err != nil {
					t.Fatal(err)
				}
				check("the query is refused", func() bool {
					r := b.do(c, "POST", path, "", "")
					return r.status == http.StatusForbidden || r.status == http.StatusNotFound
				})
			})

			t.Run("renaming a field on A", func(t *testing.T) {
				c := lf.clients["admin"]
				path := fmt.Sprintf("/api/card/%d/query", lf.accountsCard)
				if got := firstColumnName(t, b.do(c, "POST", path, "", "")); got == "Customer account" {
					t.Fatalf("B shows %q before the rename", got)
				}
				if r := a.do(c, "PUT", fmt.Sprintf("/api/field/%d", lf.acct), "application/json", `{"display_name": "Customer account"}`); r.status != http.StatusOK {
					t.Fatalf("rename on A = %d %.200s", r.status, r.body)
				}
				check("B shows the new name", func() bool {
					return firstColumnName(t, b.do(c, "POST", path, "", "")) == "Customer account"
				})
			})

			t.Run("editing a dashboard on A", func(t *testing.T) {
				c := lf.clients["admin"]
				path := fmt.Sprintf("/api/dashboard/%d", lf.dash)
				if r := b.do(c, "GET", path, "", ""); r.status != http.StatusOK || dashboardName(t, r) != "Invoices" {
					t.Fatalf("B before the edit = %d %.200s", r.status, r.body)
				}
				if r := a.do(c, "PUT", path, "application/json", `{"name": "Invoices by plan"}`); r.status != http.StatusOK {
					t.Fatalf("edit on A = %d %.200s", r.status, r.body)
				}
				check("B serves the new dashboard", func() bool {
					return dashboardName(t, b.do(c, "GET", path, "", "")) == "Invoices by plan"
				})
			})

			t.Run("a setting changed on A", func(t *testing.T) {
				if got := b.app.Settings().String(ctx, sightline.SettingSiteName); got == "Shared Analytics" {
					t.Fatalf("B has the new site name before the change")
				}
				a.settings(map[string]string{sightline.SettingSiteName: "Shared Analytics"})
				check("B reads the new site name", func() bool {
					return b.app.Settings().String(ctx, sightline.SettingSiteName) == "Shared Analytics"
				})
			})
		})
	}
}

func firstColumnName(t *testing.T, r resp) string {
	t.Helper()
	var d struct {
		Data struct {
			Cols []struct {
				DisplayName string `json:"display_name"`
			} `json:"cols"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(r.body), &d); err != nil || len(d.Data.Cols) == 0 {
		t.Fatalf("not a dataset: %d %.300s", r.status, r.body)
	}
	return d.Data.Cols[0].DisplayName
}

func dashboardName(t *testing.T, r resp) string {
	t.Helper()
	var d struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(r.body), &d); err != nil {
		t.Fatalf("not a dashboard: %d %.300s", r.status, r.body)
	}
	return d.Name
}

// TestInstancesShareResults checks the shared result cache through the
// static embed of the leak fixture: a card A ran for account 28 is served
// by B without a query, account 29 never gets account 28's entry, and a
// table edit on A drops the database's entries for B.
func TestInstancesShareResults(t *testing.T) {
	a, b, lf := twoInstances(t, true)
	f := lf.embed
	anon := a.client()
	dashcard := func(v any) string {
		return fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d",
			f.sign(t, map[string]any{"dashboard": f.dash}, map[string]any{"account_id": v}), f.filtered, lf.countCard)
	}
	run := func(e *testEnv, path string) (string, int64) {
		t.Helper()
		before := e.app.QueriesRun()
		r := e.do(anon, "GET", path, "", "")
		if r.status != http.StatusAccepted {
			t.Fatalf("GET %s = %d %.300s", path, r.status, r.body)
		}
		return countOfDataset(t, r.body), e.app.QueriesRun() - before
	}
	steps := []struct {
		name    string
		e       *testEnv
		account int
		count   string
		queries int64
	}{
		{"A warms account 28", a, 28, "count=22", 1},
		{"B serves account 28 from Redis", b, 28, "count=22", 0},
		{"B runs account 29 for itself", b, 29, "", 1},
		{"A serves account 29 from Redis", a, 29, "", 0},
	}
	counts := map[int]string{}
	for _, s := range steps {
		got, n := run(s.e, dashcard(s.account))
		if n != s.queries {
			t.Errorf("%s: %d queries to the database, want %d", s.name, n, s.queries)
		}
		if s.count != "" && got != s.count {
			t.Errorf("%s: %s, want %s", s.name, got, s.count)
		}
		if prev, ok := counts[s.account]; ok && prev != got {
			t.Errorf("%s: %s, but the first run said %s", s.name, got, prev)
		}
		counts[s.account] = got
	}
	if counts[29] == counts[28] {
		t.Errorf("account 29 got %s, account 28's count", counts[29])
	}
	if r := a.do(lf.clients["admin"], "PUT", fmt.Sprintf("/api/table/%d", lf.inv), "application/json", `{"description": "Invoices of every account"}`); r.status != http.StatusOK {
		t.Fatalf("PUT table on A = %d %.300s", r.status, r.body)
	}
	if _, n := run(b, dashcard(28)); n != 1 {
		t.Errorf("after a table edit on A, B sent %d queries for account 28, want 1 (the entry dropped)", n)
	}
	if err := a.app.SyncDatabase(context.Background(), lf.db); err != nil {
		t.Fatal(err)
	}
	if _, n := run(b, dashcard(28)); n != 1 {
		t.Errorf("after a sync on A, B sent %d queries for account 28, want 1 (the entry dropped)", n)
	}
}

// TestRedisGoingAway runs an instance whose Redis goes away mid-way (its
// connections pass through a proxy that is then closed): embedded cards
// still answer, each with its own query, and the instance stops trusting
// its caches for long.
func TestRedisGoingAway(t *testing.T) {
	pg := testdb.Postgres(t)
	r := testdb.Redis(t)
	p := newTCPProxy(t, redisAddr(t, r.URL))
	e := newInstance(t, pg.URL, "redis://"+p.addr()+"/0", r.Prefix)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	f := lf.embed
	anon := e.client()
	path := fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d",
		f.sign(t, map[string]any{"dashboard": f.dash}, map[string]any{"account_id": 28}), f.filtered, lf.countCard)
	run := func() int64 {
		t.Helper()
		before := e.app.QueriesRun()
		r := e.do(anon, "GET", path, "", "")
		if r.status != http.StatusAccepted || countOfDataset(t, r.body) != "count=22" {
			t.Fatalf("GET dashcard = %d %.300s, want account 28's count", r.status, r.body)
		}
		return e.app.QueriesRun() - before
	}
	if !eventually(5*time.Second, e.app.CacheBusLive) {
		t.Fatal("the instance never heard the cache bus")
	}
	if n := run() + run(); n != 1 {
		t.Fatalf("two runs with Redis sent %d queries, want 1", n)
	}
	p.close()
	for i := range 3 {
		if n := run(); n != 1 {
			t.Errorf("run %d without Redis sent %d queries, want 1 (uncached)", i, n)
		}
	}
	if !eventually(5*time.Second, func() bool { return !e.app.CacheBusLive() }) {
		t.Error("the instance still trusts the cache bus after Redis went away")
	}
}

// TestClosedCachePort starts an instance whose Redis never answered:
// everything works, uncached.
func TestClosedCachePort(t *testing.T) {
	pg := testdb.Postgres(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	e := newInstance(t, pg.URL, "redis://"+addr+"/0", "closed:")
	lf := setupLeakFixture(t, e)
	c := lf.clients["sandboxed-28"]
	for i := range 2 {
		before := e.app.QueriesRun()
		r := e.do(c, "POST", fmt.Sprintf("/api/card/%d/query", lf.countCard), "", "")
		if r.status != http.StatusAccepted || countOfDataset(t, r.body) != "count=22" {
			t.Fatalf("run %d = %d %.300s, want account 28's count", i, r.status, r.body)
		}
		if n := e.app.QueriesRun() - before; n != 1 {
			t.Errorf("run %d sent %d queries, want 1", i, n)
		}
	}
	if e.app.CacheBusLive() {
		t.Error("the instance trusts a cache bus that never answered")
	}
}

func redisAddr(t *testing.T, url string) string {
	t.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	return opt.Addr
}

// tcpProxy forwards connections to a server until it is closed.
type tcpProxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go pipe(c, s)
			go pipe(s, c)
		}
	}()
	t.Cleanup(p.close)
	return p
}

func pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

func (p *tcpProxy) addr() string { return p.ln.Addr().String() }

// close stops accepting and closes every connection.
func (p *tcpProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestSignInThrottleSharedThroughRedis: guesses spread over two instances
// add up to one count when they share Redis, so the eleventh guess is
// refused on either; without Redis each instance counts only its own.
func TestSignInThrottleSharedThroughRedis(t *testing.T) {
	for _, shared := range []bool{true, false} {
		name := "without Redis each instance counts its own guesses"
		if shared {
			name = "with Redis the instances count together"
		}
		t.Run(name, func(t *testing.T) {
			pg := testdb.Postgres(t)
			var url, prefix string
			if shared {
				r := testdb.Redis(t)
				url, prefix = r.URL, r.Prefix
			}
			a := newInstance(t, pg.URL, url, prefix)
			b := newInstance(t, pg.URL, url, prefix)
			a.setup()
			guess := `{"email":"ada@example.com","password":"guess guess"}`
			for i := range 10 {
				e := a
				if i%2 == 1 {
					e = b
				}
				if r := e.postJSON(e.client(), "/api/session", guess); r.status != http.StatusUnauthorized {
					t.Fatalf("guess %d = %d %s, want 401", i+1, r.status, r.body)
				}
			}
			right := `{"email":"ada@example.com","password":"correct horse"}`
			for _, e := range []*testEnv{a, b} {
				r := e.postJSON(e.client(), "/api/session", right)
				want := http.StatusOK
				if shared {
					want = http.StatusTooManyRequests
				}
				if r.status != want {
					t.Errorf("right password after 5 guesses on each instance = %d %s, want %d", r.status, r.body, want)
				}
				if shared && !strings.Contains(r.body, "Too many failed sign-in attempts") {
					t.Errorf("refusal = %s, want the throttle's message", r.body)
				}
			}
		})
	}
}
