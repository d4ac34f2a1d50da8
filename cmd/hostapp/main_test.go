package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunNeedsSecret(t *testing.T) {
	err := run(context.Background(), []string{"hostapp"}, func(string) string { return "" }, &syncBuffer{})
	if err == nil || !strings.Contains(err.Error(), "SIGHTLINE_JWT_SHARED_SECRET is required") {
		t.Errorf("run(no secret) = %v, want the missing-secret error", err)
	}
}

func TestRunServesUntilCanceled(t *testing.T) {
	env := map[string]string{"SIGHTLINE_JWT_SHARED_SECRET": "s3cret", "HOSTAPP_ADDR": "localhost:8080"}
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"hostapp", "-addr", "localhost:0"}, func(k string) string { return env[k] }, out)
	}()

	re := regexp.MustCompile(`hostapp listening on (http://localhost:\d+)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("run printed %q, want a listening line", out.String())
	}
	resp, err := http.Get(base + "/login")
	if err != nil {
		cancel()
		t.Fatalf("GET /login: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /login = %d, want 200", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel = %v, want nil", err)
	}
}
