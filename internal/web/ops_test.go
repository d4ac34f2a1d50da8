package web

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/app"
)

func TestHealthWithoutAppDatabase(t *testing.T) {
	e := newEnv(t, nil)
	if r := e.do(e.client(), "GET", "/api/health", "", ""); r.status != http.StatusOK {
		t.Fatalf("GET /api/health = %d %s, want 200 while the app database answers", r.status, r.body)
	}
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	r := e.do(e.client(), "GET", "/api/health", "", "")
	var got struct{ Status, Message string }
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatalf("GET /api/health body %q is not JSON: %v", r.body, err)
	}
	if r.status != http.StatusServiceUnavailable || got.Status != "unavailable" || !strings.Contains(got.Message, "app database") {
		t.Errorf("GET /api/health with the app database closed = %d %s, want 503 naming the app database", r.status, r.body)
	}
}

func TestMetricsAccess(t *testing.T) {
	const token = "scrape-me-0123456789"
	e := newEnv(t, nil)
	admin := e.setup()
	if _, err := e.app.CreateUser(context.Background(), e.adminUser(), app.NewUserInput{Email: "bob@example.com", Password: "bob password"}); err != nil {
		t.Fatal(err)
	}
	bob := e.signIn("bob@example.com", "bob password")
	anon := e.client()
	tests := []struct {
		name   string
		c      *http.Client
		header []string
		want   int
	}{
		{"anonymous", anon, nil, http.StatusUnauthorized},
		{"non-admin", bob, nil, http.StatusForbidden},
		{"no token configured", anon, []string{"Authorization", "Bearer " + token}, http.StatusUnauthorized},
		{"admin", admin, nil, http.StatusOK},
	}
	check := func(tests []struct {
		name   string
		c      *http.Client
		header []string
		want   int
	}) {
		t.Helper()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.get(tt.c, "/metrics", tt.header...)
				if r.status != tt.want {
					t.Fatalf("GET /metrics = %d %s, want %d", r.status, r.body, tt.want)
				}
				has := strings.Contains(r.body, "sightline_http_requests_total")
				if has != (tt.want == http.StatusOK) {
					t.Errorf("GET /metrics = %d with metrics shown = %v", r.status, has)
				}
			})
		}
	}
	check(tests)
	e.settings(map[string]string{sightline.SettingMetricsToken: token})
	check([]struct {
		name   string
		c      *http.Client
		header []string
		want   int
	}{
		{"token", anon, []string{"Authorization", "Bearer " + token}, http.StatusOK},
		{"wrong token", anon, []string{"Authorization", "Bearer " + token + "x"}, http.StatusUnauthorized},
		{"non-admin with wrong token", bob, []string{"Authorization", "Bearer nope"}, http.StatusUnauthorized},
		{"non-admin without token", bob, nil, http.StatusForbidden},
		{"anonymous without token", anon, nil, http.StatusUnauthorized},
	})
}

func TestTestPagesNotServed(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	for _, p := range []string{"/static/viz-test.html", "/static/viz-test.js"} {
		if r := e.get(admin, p); r.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, r.status)
		}
	}
	if r := e.get(admin, "/static/js/charts/viz.js"); r.status != http.StatusOK {
		t.Errorf("GET /static/js/charts/viz.js = %d, want 200", r.status)
	}
	// Test pages, harnesses and front-end unit tests belong in testdata,
	// not among the assets the binary serves.
	testish := regexp.MustCompile(`(?i)(^|[-_.])(test|tests|spec|harness|fixture)s?([-_.]|$)`)
	err := fs.WalkDir(assets, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && testish.MatchString(path.Base(p)) {
			t.Errorf("the binary serves %s, which looks like a test file", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
