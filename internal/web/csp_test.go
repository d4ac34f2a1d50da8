package web

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestEveryRouteSendsStrictCSP requests every GET route of the route table,
// signed in and not, and checks the Content-Security-Policy each answer
// carries: scripts only from Sightline's own files (never inline, eval or
// another origin), no plugins, no other base URL. A new route, or a policy
// loosened anywhere, fails here.
func TestEveryRouteSendsStrictCSP(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	ws, err := New(e.app, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, rt := range ws.routes() {
		method, path := routePath(rt.pattern)
		if method != http.MethodGet {
			continue
		}
		for who, c := range map[string]*http.Client{"administrator": admin, "anonymous": e.client()} {
			r, err := c.Get(e.srv.URL + path)
			if err != nil {
				t.Fatalf("GET %s as %s: %v", path, who, err)
			}
			r.Body.Close()
			csp := directives(r.Header.Get("Content-Security-Policy"))
			checked++
			if path == "/api/logo" || strings.HasSuffix(path, "/logo") {
				if csp["script-src"] != "'none'" && csp["default-src"] != "'none'" {
					t.Errorf("GET %s as %s: CSP %v, want no script at all", path, who, csp)
				}
				continue
			}
			for d, want := range map[string]string{"script-src": "'self'", "object-src": "'none'", "base-uri": "'self'", "default-src": "'self'"} {
				if csp[d] != want {
					t.Errorf("GET %s as %s: CSP %s = %q, want %q", path, who, d, csp[d], want)
				}
			}
			if _, ok := csp["frame-ancestors"]; !ok {
				t.Errorf("GET %s as %s: CSP has no frame-ancestors", path, who)
			}
		}
	}
	if checked < 50 {
		t.Errorf("checked %d answers, want every GET route twice", checked)
	}
}

// directives splits a Content-Security-Policy into its directives.
func directives(csp string) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		if name != "" {
			out[name] = strings.TrimSpace(value)
		}
	}
	return out
}
