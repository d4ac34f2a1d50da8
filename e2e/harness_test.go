// Package e2e runs whole user journeys: the real sightline binary, started
// as a process, driven through Debian's Chromium with chromedp. A failing
// test keeps a screenshot in e2e/artifacts.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sightline/internal/testdb"
)

// binDir holds the binaries TestMain builds once for every test.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sightline-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var buildOnce sync.Map // package path -> *buildResult

type buildResult struct {
	once sync.Once
	path string
	err  error
}

// build compiles a command of this module once per test run.
func build(t *testing.T, pkg string) string {
	t.Helper()
	v, _ := buildOnce.LoadOrStore(pkg, &buildResult{})
	b := v.(*buildResult)
	b.once.Do(func() {
		b.path = filepath.Join(binDir, filepath.Base(pkg))
		cmd := exec.Command("go", "build", "-o", b.path, "sightline/"+pkg)
		cmd.Dir = ".."
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// freePort asks the kernel for a port that is free right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// process is a started binary whose output is kept for failure reports.
type process struct {
	cmd *exec.Cmd
	mu  sync.Mutex
	out strings.Builder
}

func (p *process) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// start runs a binary with env (added to a minimal environment) and stops
// it with SIGTERM when the test ends.
func start(t *testing.T, bin string, env map[string]string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &process{cmd: cmd}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
		}
	}()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		pw.Close()
		if t.Failed() {
			t.Logf("output of %s:\n%s", filepath.Base(bin), p.output())
		}
	})
	return p
}

// sightline is a running server.
type sightline struct {
	*process
	URL     string
	DataDir string
}

// startSightline starts the real binary on host (127.0.0.1 or localhost)
// with a fresh data directory and waits for /api/health.
func startSightline(t *testing.T, host string, env map[string]string) *sightline {
	t.Helper()
	bin := build(t, "cmd/sightline")
	port := freePort(t)
	data := t.TempDir()
	full := map[string]string{"SIGHTLINE_HOST": "127.0.0.1", "SIGHTLINE_PORT": fmt.Sprint(port), "SIGHTLINE_DATA_DIR": data}
	for k, v := range env {
		full[k] = v
	}
	p := start(t, bin, full)
	s := &sightline{process: p, URL: fmt.Sprintf("http://%s:%d", host, port), DataDir: data}
	waitHealthy(t, s.URL+"/api/health")
	return s
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not answer 200 within 30 s", url)
}

// browser starts a headless Chromium for one test. On failure a screenshot
// of the current page is written to e2e/artifacts/<test>.png.
func browser(t *testing.T, extraFlags ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path := testdb.RequireChromium(t)
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts,
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
	)
	opts = append(opts, extraFlags...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	// The first action starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			shot(t, ctx, "failure")
		}
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// shot saves a screenshot of the page as e2e/artifacts/<test>-<name>.png.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	dir := filepath.Join("artifacts")
	os.MkdirAll(dir, 0o755)
	file := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+"-"+name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Logf("write screenshot: %v", err)
		return
	}
	t.Logf("screenshot kept at e2e/%s", file)
}

// do runs steps with a deadline derived from the browser context.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// run runs one action that returns a value, with a deadline.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// text returns the text of the first element matching a CSS selector.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return run(t, ctx, chromedp.Text(chromedp.CSS(sel)))
}

// location returns the page URL.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	return run(t, ctx, chromedp.Location())
}

// submitAndWait clicks a submit button and waits for the next page load.
func submitAndWait(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(sctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("submit %s: %v", sel, err)
	}
}
