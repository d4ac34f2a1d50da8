package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"sightline"
	"sightline/internal/app"
	"sightline/internal/appdb"
)

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

// TestRequestLogLevels checks the level of each request's log line: a
// request that succeeds is logged at debug, or at info with the access
// log on; a request the client cancelled is logged at debug and never as
// an internal error.
func TestRequestLogLevels(t *testing.T) {
	for _, accessLog := range []bool{false, true} {
		t.Run(map[bool]string{false: "default", true: "access log"}[accessLog], func(t *testing.T) {
			db, err := appdb.Open(context.Background(), appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			a := app.New(app.Options{Store: db, Meta: db, Content: db, Search: db})
			t.Cleanup(func() { a.Close() })
			if _, _, err := a.Setup(context.Background(), app.SetupInput{Email: "ada@example.com", Password: "correct horse", FirstName: "Ada"}); err != nil {
				t.Fatal(err)
			}
			token, _, err := a.SignIn(context.Background(), "ada@example.com", "correct horse", "192.0.2.1")
			if err != nil {
				t.Fatal(err)
			}
			var logs syncBuffer
			ws, err := New(a, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), prometheus.NewRegistry(), Config{AccessLog: accessLog})
			if err != nil {
				t.Fatal(err)
			}
			ws.SetReady(true)
			h := ws.Handler()
			serve := func(ctx context.Context, path string) int {
				req := httptest.NewRequestWithContext(ctx, "GET", path, nil)
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec.Code
			}

			if got := serve(context.Background(), "/api/user/current"); got != http.StatusOK {
				t.Fatalf("GET /api/user/current = %d, want 200", got)
			}
			wantLevel := map[bool]string{false: "level=DEBUG", true: "level=INFO"}[accessLog]
			if line := requestLine(logs.take(), "/api/user/current"); !strings.Contains(line, wantLevel) || !strings.Contains(line, "status=200") {
				t.Errorf("log line of a successful request = %q, want %s and status=200", line, wantLevel)
			}

			if got := serve(context.Background(), "/api/card/987654"); got != http.StatusNotFound {
				t.Fatalf("GET /api/card/987654 = %d, want 404", got)
			}
			if line := requestLine(logs.take(), "/api/card/987654"); !strings.Contains(line, "level=INFO") || !strings.Contains(line, "status=404") {
				t.Errorf("log line of a request for a missing card = %q, want level=INFO and status=404", line)
			}

			// A session not looked up yet: its look-up sees the cancellation.
			if token, _, err = a.SignIn(context.Background(), "ada@example.com", "correct horse", "192.0.2.1"); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			serve(ctx, "/api/user/current")
			got := logs.take()
			if strings.Contains(got, "level=ERROR") {
				t.Errorf("a request the client cancelled was logged as an error:\n%s", got)
			}
			if line := requestLine(got, "/api/user/current"); !strings.Contains(line, "level=DEBUG") {
				t.Errorf("log line of a cancelled request = %q, want level=DEBUG", line)
			}
		})
	}
}

// requestLine is the "request" log line of path in logs.
func requestLine(logs, path string) string {
	for l := range strings.Lines(logs) {
		if strings.Contains(l, "msg=request ") && strings.Contains(l, "path="+path+" ") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// TestBusyStatus checks that work turned away at capacity (password
// sign-ins waiting too long for their turn) answers 503, which clients
// and load balancers retry, rather than a 500.
func TestBusyStatus(t *testing.T) {
	if got := statusOf(sightline.EBUSY); got != http.StatusServiceUnavailable {
		t.Errorf("statusOf(%q) = %d, want %d", sightline.EBUSY, got, http.StatusServiceUnavailable)
	}
}
