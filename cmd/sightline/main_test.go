package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sightline/internal/config"
	"sightline/internal/testdb"
)

func testConfig(t testing.TB, extra ...string) *config.Config {
	t.Helper()
	args := append([]string{"-host", "127.0.0.1", "-port", "0", "-data-dir", t.TempDir(), "-sample-db=false", "-shutdown-grace", "5s"}, extra...)
	cfg, err := config.Load(args, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestServeAndGracefulShutdown starts the server in-process, creates the
// admin from the environment, and checks that cancelling the context (what
// SIGTERM does) lets the server stop cleanly.
func TestServeAndGracefulShutdown(t *testing.T) {
	cfg := testConfig(t, "-admin-email", "ops@example.com", "-admin-password", "ops password")
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, func(string) string { return "" }, io.Discard, ready) }()
	addr := <-ready
	res, err := http.Post("http://"+addr+"/api/session", "application/json", strings.NewReader(`{"email":"ops@example.com","password":"ops password"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("sign-in as the environment's admin = %d, want 200", res.StatusCode)
	}
	stopServe(t, cancel, done)
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("the port still accepts connections after shutdown")
	}
}

// stopServe ends serve's context and waits for it to return nil.
func stopServe(t *testing.T, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after its context ended")
	}
}

// lockedBuffer is a log destination that a test can read while the server
// may still write to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestShutdownStopsBackgroundWork stops the server while it generates the
// Sample Database: serve must return only once that work has stopped, so
// that nothing writes to the app database after it is closed.
func TestShutdownStopsBackgroundWork(t *testing.T) {
	cfg := testConfig(t, "-sample-db=true")
	var logs lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, func(string) string { return "" }, &logs, ready) }()
	<-ready
	// Generation has begun once its temporary file is in the data directory.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		tmp, err := filepath.Glob(filepath.Join(cfg.DataDir, ".sample-database.db.*.tmp"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(cfg.DataDir, "sample-database.db")); len(tmp) > 0 || err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the Sample Database was not being generated 10s after start")
		}
	}
	stopServe(t, cancel, done)
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	for _, fn := range []string{"sightline/internal/app.(*App).EnsureSampleDatabase", "sightline/internal/app.(*App).RunSyncSchedule", "sightline/internal/sampledata."} {
		if strings.Contains(stacks, fn) {
			t.Errorf("%s still runs after serve returned:\n%s", fn, stacks)
		}
	}
	if out := logs.String(); strings.Contains(out, "database is closed") || strings.Contains(out, "level=ERROR") {
		t.Errorf("shutdown logged errors:\n%s", out)
	}
	if tmp, _ := filepath.Glob(filepath.Join(cfg.DataDir, ".sample-database.db.*.tmp")); len(tmp) > 0 {
		t.Errorf("an interrupted Sample Database left %v behind", tmp)
	}
}

func TestRunCommands(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, &out, io.Discard); err != nil || !strings.Contains(out.String(), "sightline") {
		t.Errorf("run(version) = %v, %q", err, out.String())
	}
	out.Reset()
	dir := t.TempDir()
	if err := run(context.Background(), []string{"migrate", "-data-dir", dir}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatalf("run(migrate) = %v", err)
	}
	if !strings.Contains(out.String(), "migration version") {
		t.Errorf("migrate printed %q, want the version", out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, io.Discard, io.Discard); err == nil {
		t.Error("run(frobnicate) = nil, want an unknown-command error")
	}
}

// BenchmarkStartup measures what the foundation promises: the time from
// starting the real binary to its first 200 from /api/health on a fresh
// SQLite data directory, and its resident memory right after (MB-rss).
func BenchmarkStartup(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "sightline")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	var rssTotal float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		cmd := exec.Command(bin)
		cmd.Env = []string{"SIGHTLINE_HOST=127.0.0.1", "SIGHTLINE_PORT=" + strconv.Itoa(port), "SIGHTLINE_DATA_DIR=" + b.TempDir(), "SIGHTLINE_LOG_LEVEL=warn"}
		url := fmt.Sprintf("http://127.0.0.1:%d/api/health", port)
		client := &http.Client{Timeout: time.Second}
		b.StartTimer()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		for {
			res, err := client.Get(url)
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					break
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
		b.StopTimer()
		rssTotal += rssMB(b, cmd.Process.Pid)
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		b.StartTimer()
	}
	b.ReportMetric(rssTotal/float64(b.N), "MB-rss")
}

// rssMB reads a process's resident set size from /proc.
func rssMB(b *testing.B, pid int) float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

func TestHealthIs503WhileStarting(t *testing.T) {
	rec := httptest.NewRecorder()
	startingHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/health", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "starting") {
		t.Errorf("GET /api/health while starting = %d %q, want 503 starting", rec.Code, rec.Body.String())
	}
}

// TestMetricsEndpoint checks that requests are counted on the private
// registry served at /metrics, which answers only the metrics token.
func TestMetricsEndpoint(t *testing.T) {
	const token = "metrics-scraper-token"
	cfg := testConfig(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	getenv := func(k string) string {
		if k == "SIGHTLINE_METRICS_TOKEN" {
			return token
		}
		return ""
	}
	go func() { done <- serve(ctx, cfg, getenv, io.Discard, ready) }()
	addr := <-ready
	for range 3 {
		res, err := http.Get("http://" + addr + "/api/health")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /metrics without the token = %d, want 401", res.StatusCode)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `sightline_http_requests_total{route="GET /api/health",status="200"} 3`) {
		t.Errorf("/metrics lacks the three health requests:\n%s", body)
	}
	if !strings.Contains(string(body), "go_goroutines") {
		t.Error("/metrics lacks the Go runtime metrics")
	}
	cancel()
	<-done
}

// TestSampleCommand loads the Sample Database into PostgreSQL through the
// command, then runs it again as people do: without flags it completes the
// recorded anchor date and inserts nothing new; another scale is refused
// with a way out.
func TestSampleCommand(t *testing.T) {
	getenv := func(string) string { return "" }
	if err := run(context.Background(), []string{"sample"}, getenv, io.Discard, io.Discard); err == nil {
		t.Error("sample without a URL = nil, want a usage error")
	}
	if err := run(context.Background(), []string{"sample", "-anchor", "yesterday", "postgres://x"}, getenv, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "anchor") {
		t.Errorf("sample with a bad anchor = %v, want an anchor error", err)
	}
	if err := run(context.Background(), []string{"sample", "-scale", "0", "postgres://x"}, getenv, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "-scale must be at least 1") {
		t.Errorf("sample -scale 0 = %v, want a scale error", err)
	}
	var help strings.Builder
	if err := run(context.Background(), []string{"sample", "-h"}, getenv, io.Discard, &help); err != nil || !strings.Contains(help.String(), "-replace") || !strings.Contains(help.String(), "SIGHTLINE_SAMPLE_INFO") {
		t.Errorf("sample -h = %v, printing %q; want the usage with -replace", err, help.String())
	}
	pg := testdb.Postgres(t)
	runs := []struct {
		args []string
		out  string // what a successful run prints
		err  string // part of the error, or "" for success
	}{
		{args: []string{"-anchor", "2026-01-15"}, out: "Sample Database loaded (scale 1, anchor 2026-01-15)"},
		{args: nil, out: "Sample Database loaded (scale 1, anchor 2026-01-15)"},
		{args: []string{"-scale", "2"}, err: "sample: The sample tables hold the Sample Database generated with anchor date 2026-01-15 at scale 1, not with scale 2; " +
			"loading would mix rows of both. Run again without -anchor and -scale to complete the rows there, or with -replace to drop the sample tables and load them again."},
		{args: []string{"-anchor", "2026-01-15", "-scale", "1"}, out: "Sample Database loaded (scale 1, anchor 2026-01-15)"},
	}
	for _, r := range runs {
		var out strings.Builder
		args := append(append([]string{"sample"}, r.args...), pg.URL)
		err := run(context.Background(), args, getenv, &out, io.Discard)
		switch {
		case r.err == "" && (err != nil || !strings.Contains(out.String(), r.out)):
			t.Errorf("run(%q) = %v, printing %q; want %q", args, err, out.String(), r.out)
		case r.err != "" && (err == nil || err.Error() != r.err):
			t.Errorf("run(%q) = %v, want the error %q", args, err, r.err)
		}
	}
	db, err := sql.Open("pgx", pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM "INVOICES"`).Scan(&n); err != nil || n != 13856 {
		t.Errorf("INVOICES rows after the loads = %d, %v; want 13856", n, err)
	}
}

// TestAppDatabaseIsNoDataSource asks a running server to add its own app
// database as a SQLite data source, by its path and through a link: both
// are refused, since its tables hold the server's accounts and settings.
func TestAppDatabaseIsNoDataSource(t *testing.T) {
	cfg := testConfig(t, "-admin-email", "ops@example.com", "-admin-password", "ops password")
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, func(string) string { return "" }, io.Discard, ready) }()
	addr := <-ready
	defer stopServe(t, cancel, done)

	res, err := http.Post("http://"+addr+"/api/session", "application/json", strings.NewReader(`{"email":"ops@example.com","password":"ops password"}`))
	if err != nil {
		t.Fatal(err)
	}
	var session struct{ ID string }
	err = json.NewDecoder(res.Body).Decode(&session)
	res.Body.Close()
	if err != nil || session.ID == "" {
		t.Fatalf("sign-in = %d, %v", res.StatusCode, err)
	}
	link := filepath.Join(t.TempDir(), "data.db")
	if err := os.Symlink(cfg.AppDBPath(), link); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{cfg.AppDBPath(), link} {
		body, _ := json.Marshal(map[string]any{"name": "App", "engine": "sqlite", "details": map[string]string{"path": path}})
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/database", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Metabase-Session", session.ID)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(got), "own app database") {
			t.Errorf("POST /api/database with the path %s = %d %s, want 400 saying it is the app database", path, res.StatusCode, got)
		}
	}
}
