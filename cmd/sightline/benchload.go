package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/app"
	"sightline/internal/appdb"
	"sightline/internal/cachebus"
	"sightline/internal/sandbox"
)

// The bench-load command is a load test shaped like the one the reference
// vendor publishes for dashboards: N people sign in once by JWT single
// sign-on, then each loops over loading a dashboard (the page, its
// definition, and every card's query, the cards at once as the browser
// does). The server runs as a child process, so that its CPU time and
// memory are its own and not the load generator's.

// benchAdminEmail and benchAdminPassword sign the benchmark's
// administrator in.
const (
	benchAdminEmail    = "bench-admin@example.com"
	benchAdminPassword = "bench admin password"
	benchGroup         = "Bench Customers"
)

// runBenchLoad runs the load test and prints its figures to stdout.
func runBenchLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	users := fs.Int("users", 10, "concurrent people of each kind (customers with different account_id, and administrators)")
	duration := fs.Duration("duration", 15*time.Second, "how long each kind of person loops over the dashboard, warm")
	signins := fs.Int("signins", 20, "concurrent password sign-ins whose peak server memory is measured (0 skips it)")
	keep := fs.Bool("keep", false, "keep the temporary data directory")
	memoryOnly := fs.Bool("memory", false, "print the memory figures only (idle after a cold start, the sign-ins' peak, idle after a warm restart) and skip the dashboard load")
	cacheHours := fs.Int("cache-hours", 1, "turn query caching on and keep the dashboard's results this many hours (its cache_ttl); 0 runs with the result cache off")
	sharedCache := fs.Bool("shared-cache", false, "run the loaded server with the Redis of SIGHTLINE_CACHE_URL (results and invalidation shared); otherwise caches stay in process")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sightline bench-load [-users N] [-duration D] [-signins N] [-cache-hours H] [-shared-cache] [-memory]")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Starts a server with the Sample Database, signs N sandboxed customers and N administrator")
		fmt.Fprintln(stderr, "sessions in by JWT SSO, loops over the INVOICES X-ray dashboard (page, definition, every card)")
		fmt.Fprintln(stderr, "and prints req/s, p50/p95/p99 latency and server CPU ms per request, cold and warm.")
		fmt.Fprintln(stderr, "First it prints the server's resident memory (VmRSS) when idle after a cold start that")
		fmt.Fprintln(stderr, "generates the Sample Database, its peak during -signins concurrent password sign-ins, and")
		fmt.Fprintln(stderr, "its resident memory when idle after a warm restart.")
		fmt.Fprintln(stderr, "")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if *users < 1 {
		return errors.New("bench-load: -users must be at least 1")
	}
	cacheURL := os.Getenv("SIGHTLINE_CACHE_URL")
	if *sharedCache && cacheURL == "" {
		return errors.New("bench-load: -shared-cache needs SIGHTLINE_CACHE_URL")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "sightline-bench-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Fprintln(stdout, "data directory:", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	// A cold start: a fresh data directory, the Sample Database generated
	// by the server itself; then password sign-ins at once.
	cold, err := startBenchServer(ctx, exe, filepath.Join(tmp, "cold"), []string{"SIGHTLINE_CACHE_URL="})
	if err != nil {
		return err
	}
	err = func() error {
		defer cold.stop()
		if err := cold.waitFor(ctx, "generated the Sample Database", 2*time.Minute); err != nil {
			return err
		}
		if err := cold.waitIdle(ctx); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "idle RSS after a cold start (Sample Database generated): %.1f MB\n", mb(cold.rss()))
		if *signins > 0 {
			peak, took, err := cold.concurrentSignIns(ctx, *signins)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%d concurrent password sign-ins: peak RSS %.1f MB, all done in %s\n", *signins, mb(peak), took.Round(time.Millisecond))
		}
		return nil
	}()
	if err != nil {
		return err
	}

	dir := filepath.Join(tmp, "load")
	secret := randomHex(32)
	fx, err := setupBenchFixture(ctx, dir, *cacheHours)
	if err != nil {
		return fmt.Errorf("bench-load: set up: %w", err)
	}
	mappings, _ := json.Marshal(map[string][]int64{benchGroup: {fx.group}})
	cacheEnv := "SIGHTLINE_CACHE_URL="
	if *sharedCache {
		// Results an earlier run left in Redis belong to another app
		// database with the same ids: drop them, so the cold run is cold.
		if err := dropSharedResults(ctx, cacheURL, fx.db); err != nil {
			return fmt.Errorf("bench-load: shared cache: %w", err)
		}
		cacheEnv += cacheURL
	}
	srv, err := startBenchServer(ctx, exe, dir, []string{
		cacheEnv,
		"SIGHTLINE_JWT_ENABLED=true",
		"SIGHTLINE_JWT_SHARED_SECRET=" + secret,
		"SIGHTLINE_JWT_GROUP_SYNC=true",
		"SIGHTLINE_JWT_GROUP_MAPPINGS=" + string(mappings),
		"SIGHTLINE_JWT_ALLOW_ADMIN_SIGN_IN=true",
		"SIGHTLINE_ENABLE_QUERY_CACHING=" + strconv.FormatBool(*cacheHours > 0),
	})
	if err != nil {
		return err
	}
	defer srv.stop()
	if err := srv.waitFor(ctx, "ready", 30*time.Second); err != nil {
		return err
	}
	if err := srv.waitIdle(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "idle RSS after a warm restart: %.1f MB\n", mb(srv.rss()))
	if *memoryOnly {
		return nil
	}
	caching := "result cache off"
	if *cacheHours > 0 {
		caching = fmt.Sprintf("query caching on, dashboard cache_ttl %d h (cold: empty cache)", *cacheHours)
	}
	if *sharedCache {
		caching += ", caches shared through Redis"
	} else {
		caching += ", caches in process"
	}
	fmt.Fprintf(stdout, "dashboard %q: %d cards; %d people of each kind; %s per run; %s\n", fx.name, len(fx.cards), *users, *duration, caching)

	kinds := []struct {
		name   string
		claims func(i int) jwt.MapClaims
	}{
		{"customer", func(i int) jwt.MapClaims {
			return jwt.MapClaims{"email": fmt.Sprintf("customer-%d@example.com", i), "first_name": "Customer", "last_name": strconv.Itoa(i),
				"groups": []string{benchGroup}, "account_id": strconv.Itoa(1 + i%fx.accounts)}
		}},
		{"admin", func(int) jwt.MapClaims { return jwt.MapClaims{"email": benchAdminEmail} }},
	}
	for _, k := range kinds {
		sessions := make([]string, *users)
		for i := range sessions {
			tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, withTimes(k.claims(i))).SignedString([]byte(secret))
			if err != nil {
				return err
			}
			if sessions[i], err = srv.sso(ctx, tok); err != nil {
				return fmt.Errorf("bench-load: sign %s %d in: %w", k.name, i, err)
			}
		}
		// Cold: the first load of each person, all at once, after the
		// caches have expired (sessions, permissions, metadata).
		time.Sleep(6 * time.Second)
		r, err := srv.load(ctx, fx, sessions, 0)
		if err != nil {
			return fmt.Errorf("bench-load: %s: %w", k.name, err)
		}
		r.print(stdout, k.name+" cold")
		r, err = srv.load(ctx, fx, sessions, *duration)
		if err != nil {
			return fmt.Errorf("bench-load: %s: %w", k.name, err)
		}
		r.print(stdout, k.name+" warm")
	}
	fmt.Fprintf(stdout, "server peak RSS: %.1f MB\n", mb(srv.peakRSS()))
	if *sharedCache {
		fmt.Fprintf(stdout, "server warnings about the shared cache: %d\n", srv.countLines("cache"))
	}
	return nil
}

// dropSharedResults drops database db's results in the Redis at url.
func dropSharedResults(ctx context.Context, url string, db int64) error {
	r, err := cachebus.Open(url, cacheKeyPrefix, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	return r.Drop(ctx, db)
}

func withTimes(c jwt.MapClaims) jwt.MapClaims {
	now := time.Now()
	c["iat"], c["exp"], c["jti"] = now.Unix(), now.Add(5*time.Minute).Unix(), randomHex(12)
	return c
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// benchFixture is what the load runs over: the saved INVOICES X-ray,
// sandboxed for the customers' group by account.
type benchFixture struct {
	name  string
	db    int64
	dash  int64
	cards [][2]int64 // dashcard id, card id
	group int64
	// accounts is how many account ids the customers spread over.
	accounts int
}

// setupBenchFixture makes dir's app database and Sample Database in
// process: an administrator, the group benchGroup that sees INVOICES and
// ACCOUNTS only through sandboxes on the account_id attribute, All Users
// blocked, and the INVOICES X-ray saved where the group may read it, with
// a cache_ttl of cacheHours when that is above 0.
func setupBenchFixture(ctx context.Context, dir string, cacheHours int) (*benchFixture, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	db, err := appdb.Open(ctx, appdb.Options{Path: filepath.Join(dir, "sightline.db")})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	a := app.New(app.Options{Store: db, Meta: db, Content: db, Search: db, Permissions: db, AuditLog: db, Logger: slog.New(slog.DiscardHandler)})
	defer a.Close()
	if err := a.EnsureAdmin(ctx, benchAdminEmail, benchAdminPassword); err != nil {
		return nil, err
	}
	if err := a.EnsureSampleDatabase(ctx, dir); err != nil {
		return nil, err
	}
	admin, _, err := db.UserByEmail(ctx, benchAdminEmail)
	if err != nil {
		return nil, err
	}
	const sampleID = 1
	tables, err := a.Tables(ctx, admin, sampleID)
	if err != nil {
		return nil, err
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
			return nil, fmt.Errorf("the Sample Database has no %s", k)
		}
	}
	g, err := a.CreateGroup(ctx, admin, benchGroup)
	if err != nil {
		return nil, err
	}
	graph, err := a.DataPermissionGraph(ctx, admin)
	if err != nil {
		return nil, err
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	sandboxed := map[string]any{id(ids["INVOICES"]): access.ViewSandboxed, id(ids["ACCOUNTS"]): access.ViewSandboxed}
	if _, err := a.SaveDataPermissionGraph(ctx, admin, access.WireGraph{Revision: graph.Revision, Groups: map[string]map[string]access.WireDBPerms{
		id(sightline.AllUsersGroupID): {id(sampleID): {ViewData: access.ViewBlocked, CreateQueries: access.QueryNone}},
		id(g.ID):                      {id(sampleID): {ViewData: map[string]any{schema: sandboxed}, CreateQueries: access.QueryBuilder}},
	}}); err != nil {
		return nil, err
	}
	for _, p := range [][2]string{{"INVOICES", "INVOICES.ACCOUNT_ID"}, {"ACCOUNTS", "ACCOUNTS.ID"}} {
		if _, err := a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: g.ID, TableID: ids[p[0]],
			Remappings: map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetDimension, FieldID: ids[p[1]]}}}); err != nil {
			return nil, fmt.Errorf("sandbox %s: %w", p[0], err)
		}
	}
	x, err := a.XRay(ctx, admin, ids["INVOICES"])
	if err != nil {
		return nil, err
	}
	if cacheHours > 0 {
		x.CacheTTL = &cacheHours
	}
	saved, err := a.SaveXRay(ctx, admin, x)
	if err != nil {
		return nil, err
	}
	d, err := a.Dashboard(ctx, admin, saved.ID)
	if err != nil {
		return nil, err
	}
	cg, err := a.CollectionPermissionGraph(ctx, admin)
	if err != nil {
		return nil, err
	}
	if _, err := a.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision, Groups: map[string]map[string]string{
		id(sightline.AllUsersGroupID): {"root": access.CollectionNone},
		id(g.ID):                      {id(d.CollectionID): access.CollectionRead},
	}}, false); err != nil {
		return nil, err
	}
	fx := &benchFixture{name: d.Name, db: sampleID, dash: d.ID, group: g.ID, accounts: 50}
	for _, dc := range d.Cards {
		if dc.CardID != 0 {
			fx.cards = append(fx.cards, [2]int64{dc.ID, dc.CardID})
		}
	}
	return fx, nil
}

// benchServer is a sightline serve child process.
type benchServer struct {
	cmd  *exec.Cmd
	base string
	// lines receives the server's log lines.
	mu    sync.Mutex
	lines []string
	seen  chan struct{}
	done  chan struct{}
	http  *http.Client
}

func startBenchServer(ctx context.Context, exe, dir string, env []string) (*benchServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(exe, "serve")
	cmd.Env = append(os.Environ(),
		"SIGHTLINE_HOST=127.0.0.1", "SIGHTLINE_PORT="+strconv.Itoa(port), "SIGHTLINE_DATA_DIR="+dir,
		"SIGHTLINE_ADMIN_EMAIL="+benchAdminEmail, "SIGHTLINE_ADMIN_PASSWORD="+benchAdminPassword,
		"SIGHTLINE_SYNC_INTERVAL=0", "SIGHTLINE_LOG_LEVEL=info")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &benchServer{cmd: cmd, base: fmt.Sprintf("http://127.0.0.1:%d", port), seen: make(chan struct{}, 1), done: make(chan struct{}),
		http: &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 256},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			s.mu.Lock()
			s.lines = append(s.lines, sc.Text())
			s.mu.Unlock()
			select {
			case s.seen <- struct{}{}:
			default:
			}
		}
	}()
	return s, nil
}

// waitFor waits until a log line contains msg=<msg>.
func (s *benchServer) waitFor(ctx context.Context, msg string, limit time.Duration) error {
	deadline := time.After(limit)
	want := "msg=" + strconv.Quote(msg)
	for {
		s.mu.Lock()
		found := slices.ContainsFunc(s.lines, func(l string) bool {
			return strings.Contains(l, want) || strings.Contains(l, "msg="+msg+" ") || strings.HasSuffix(l, "msg="+msg)
		})
		s.mu.Unlock()
		if found {
			return nil
		}
		select {
		case <-s.seen:
		case <-s.done:
			return fmt.Errorf("the server stopped before logging %q:\n%s", msg, s.log())
		case <-deadline:
			return fmt.Errorf("the server did not log %q within %s:\n%s", msg, limit, s.log())
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// countLines counts the server's warnings and errors that mention word.
func (s *benchServer) countLines(word string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range s.lines {
		if strings.Contains(l, word) && (strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR")) {
			n++
		}
	}
	return n
}

func (s *benchServer) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.lines[max(0, len(s.lines)-20):], "\n")
}

// waitIdle waits until the server answers and its CPU time has stood
// still for a second, so that background work (the Sample Database's
// sync) is over.
func (s *benchServer) waitIdle(ctx context.Context) error {
	for range 600 {
		resp, err := s.http.Get(s.base + "/api/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	last := s.cpu()
	for range 60 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
		now := s.cpu()
		if now-last < 20*time.Millisecond {
			return nil
		}
		last = now
	}
	return errors.New("the server never went idle")
}

func (s *benchServer) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
	}
	s.cmd.Wait()
}

// cpu is the server's user and system CPU time so far (Linux).
func (s *benchServer) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	// USER_HZ is 100 on Linux.
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// rss and peakRSS are the server's resident memory now and at its peak.
func (s *benchServer) rss() int64     { return s.status("VmRSS:") }
func (s *benchServer) peakRSS() int64 { return s.status("VmHWM:") }

func (s *benchServer) status(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for l := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(l, field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// concurrentSignIns signs the administrator in n times at once by
// password and returns the highest RSS sampled meanwhile.
func (s *benchServer) concurrentSignIns(ctx context.Context, n int) (int64, time.Duration, error) {
	var peak atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if r := s.rss(); r > peak.Load() {
				peak.Store(r)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			body := fmt.Sprintf(`{"username": %q, "password": %q}`, benchAdminEmail, benchAdminPassword)
			req, _ := http.NewRequestWithContext(ctx, "POST", s.base+"/api/session", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := s.http.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				errs[i] = fmt.Errorf("sign-in %d = %d %s", i, resp.StatusCode, b)
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	time.Sleep(50 * time.Millisecond)
	close(stop)
	<-sampled
	return peak.Load(), took, errors.Join(errs...)
}

// sso signs in with a JWT and returns the session cookie header.
func (s *benchServer) sso(ctx context.Context, tok string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/auth/sso?jwt="+tok+"&return_to=/", nil)
	resp, err := s.http.Do(req)
	if err != nil {
		return "", err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return "", fmt.Errorf("GET /auth/sso = %d %.300s", resp.StatusCode, b)
	}
	var parts []string
	for _, c := range resp.Cookies() {
		parts = append(parts, c.Name+"="+c.Value)
	}
	if len(parts) == 0 {
		return "", errors.New("GET /auth/sso set no cookie")
	}
	return strings.Join(parts, "; "), nil
}

// loadResult is the figures of one run.
type loadResult struct {
	loads, requests int
	wall, cpu       time.Duration
	latencies       []time.Duration
}

func (r loadResult) print(w io.Writer, name string) {
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Fprintf(w, "%-14s %6d req in %6.2fs: %8.1f req/s %6.1f loads/s  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  server CPU %.3f ms/req\n",
		name, r.requests, r.wall.Seconds(), float64(r.requests)/r.wall.Seconds(), float64(r.loads)/r.wall.Seconds(),
		ms(pct(0.50)), ms(pct(0.95)), ms(pct(0.99)), ms(r.cpu)/float64(max(1, r.requests)))
}

// load has every session load the dashboard in a loop for d, or once each
// when d is 0: the page, GET /api/dashboard/{id}, then every card's query
// at once.
func (s *benchServer) load(ctx context.Context, fx *benchFixture, sessions []string, d time.Duration) (loadResult, error) {
	var mu sync.Mutex
	var r loadResult
	var firstErr error
	do := func(cookie, method, path, body string) (time.Duration, error) {
		req, _ := http.NewRequestWithContext(ctx, method, s.base+path, strings.NewReader(body))
		req.Header.Set("Cookie", cookie)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		start := time.Now()
		resp, err := s.http.Do(req)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		if err == nil && resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusAccepted {
			err = fmt.Errorf("%s %s = %d", method, path, resp.StatusCode)
		}
		return took, err
	}
	start := time.Now()
	cpu0 := s.cpu()
	until := start.Add(d)
	var wg sync.WaitGroup
	for _, cookie := range sessions {
		wg.Go(func() {
			for {
				lat := make([]time.Duration, 0, len(fx.cards)+2)
				var errs []error
				for _, p := range []string{fmt.Sprintf("/dashboard/%d", fx.dash), fmt.Sprintf("/api/dashboard/%d", fx.dash)} {
					t, err := do(cookie, "GET", p, "")
					lat, errs = append(lat, t), append(errs, err)
				}
				var cmu sync.Mutex
				var cwg sync.WaitGroup
				for _, c := range fx.cards {
					cwg.Go(func() {
						t, err := do(cookie, "POST", fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", fx.dash, c[0], c[1]), `{"parameters": []}`)
						cmu.Lock()
						lat, errs = append(lat, t), append(errs, err)
						cmu.Unlock()
					})
				}
				cwg.Wait()
				mu.Lock()
				r.loads++
				r.requests += len(lat)
				r.latencies = append(r.latencies, lat...)
				if err := errors.Join(errs...); err != nil && firstErr == nil {
					firstErr = err
				}
				stop := firstErr != nil || time.Now().After(until) || ctx.Err() != nil
				mu.Unlock()
				if stop {
					return
				}
			}
		})
	}
	wg.Wait()
	r.wall, r.cpu = time.Since(start), s.cpu()-cpu0
	return r, firstErr
}
