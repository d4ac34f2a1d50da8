package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"testing"
)

// vizHarness returns the URL of the visualization harness page, which the
// binary does not ship: a test-only server on 127.0.0.1 answers
// /static/viz-test.html and /static/viz-test.js from testdata/viz, with the
// Content-Security-Policy the binary sends, and passes every other request
// to the running sightline, so the harness draws with the real assets under
// the real policy.
func vizHarness(t *testing.T, s *sightline) string {
	t.Helper()
	target, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(s.URL + "/static/js/charts/viz.js")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	if csp == "" {
		t.Fatalf("GET /static/js/charts/viz.js sent no Content-Security-Policy")
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	mux := http.NewServeMux()
	mux.Handle("/", proxy)
	for _, name := range []string{"viz-test.html", "viz-test.js"} {
		file := filepath.Join("testdata", "viz", name)
		mux.HandleFunc("GET /static/"+name, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", csp)
			w.Header().Set("X-Content-Type-Options", "nosniff")
			http.ServeFile(w, r, file)
		})
	}
	// httptest listens on 127.0.0.1, the host the harness tests use.
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/static/viz-test.html"
}
