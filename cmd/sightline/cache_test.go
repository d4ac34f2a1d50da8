package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"sightline/internal/testdb"
)

// TestServeWithCacheURL starts the server with -cache-url: with a Redis
// that answers it says so and hears the cache bus; with one that does not
// it says that, and serves all the same.
func TestServeWithCacheURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "redis://" + ln.Addr().String() + "/0"
	ln.Close()
	for _, tt := range []struct {
		name, url, log string
	}{
		{"Redis answers", testdb.Redis(t).URL, "shared cache answers"},
		{"Redis does not answer", closed, "shared cache unreachable at start"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, "-cache-url", tt.url, "-admin-email", "ops@example.com", "-admin-password", "ops password")
			ctx, cancel := context.WithCancel(context.Background())
			ready := make(chan string, 1)
			done := make(chan error, 1)
			var logs lockedBuffer
			go func() { done <- serve(ctx, cfg, func(string) string { return "" }, &logs, ready) }()
			var addr string
			select {
			case addr = <-ready:
			case err := <-done:
				t.Fatalf("serve = %v before it was ready:\n%s", err, logs.String())
			}
			res, err := http.Post("http://"+addr+"/api/session", "application/json", strings.NewReader(`{"email":"ops@example.com","password":"ops password"}`))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("sign-in = %d, want 200", res.StatusCode)
			}
			if !strings.Contains(logs.String(), tt.log) {
				t.Errorf("the log does not say %q:\n%s", tt.log, logs.String())
			}
			if tt.url != closed {
				deadline := time.Now().Add(5 * time.Second)
				for !strings.Contains(logs.String(), "cache bus heard") && time.Now().Before(deadline) {
					time.Sleep(10 * time.Millisecond)
				}
				if !strings.Contains(logs.String(), "cache bus heard") {
					t.Errorf("the server never heard the cache bus:\n%s", logs.String())
				}
			}
			stopServe(t, cancel, done)
		})
	}
}
