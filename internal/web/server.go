// Package web is Sightline's HTTP layer: one list of routes, middleware,
// server-rendered pages (html/template + htmx) and the JSON API. Handlers
// parse the request, make one call into the app and render; they never touch
// SQL or drivers.
package web

import (
	"embed"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"sightline/internal/app"
)

//go:embed templates static
var assets embed.FS

// Server serves Sightline over HTTP.
type Server struct {
	app     *app.App
	log     *slog.Logger
	pages   *pageSet
	static  *staticFiles
	metrics *metrics
	cfg     Config
	// ready turns true once migrations ran and the app can serve; until then
	// /api/health answers 503.
	ready atomic.Bool
	mux   *http.ServeMux
	// openapi is the JSON OpenAPI description of the API, built from the
	// route table in New.
	openapi []byte
}

// Config holds what the web layer needs from the process configuration.
type Config struct {
	SiteURL string
	Version string
	// AccessLog logs every request at info; otherwise requests that
	// succeed are logged at debug.
	AccessLog bool
}

// New parses the embedded templates (a broken template fails here, at
// start-up, not in a person's request) and builds the route table.
func New(a *app.App, log *slog.Logger, reg *prometheus.Registry, cfg Config) (*Server, error) {
	pages, err := newPageSet()
	if err != nil {
		return nil, err
	}
	// The asset version hashes every static file once, here at start-up
	// rather than in the first request.
	assetVersion()
	staticFS, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	s := &Server{app: a, log: log, pages: pages, static: newStaticFiles(staticFS), metrics: newMetrics(reg), cfg: cfg}
	s.mux = http.NewServeMux()
	for _, r := range s.routes() {
		h := r.handler
		if !r.data {
			h = withoutData(h)
		}
		s.mux.Handle(r.pattern, h)
	}
	doc, err := openAPIDocument(s.routes(), cfg.Version)
	if err != nil {
		return nil, err
	}
	if s.openapi, err = json.Marshal(doc); err != nil {
		return nil, err
	}
	return s, nil
}

// SetReady marks the server ready (migrations applied).
func (s *Server) SetReady(v bool) { s.ready.Store(v) }

// Handler returns the whole middleware chain around the routes.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	// A host app may post a long token to /auth/sso from its own site.
	cop.AddInsecureBypassPattern("POST /auth/sso")
	var h http.Handler = s.mux
	h = withoutTrailingSlash(s.mux, h)
	h = s.withSession(h)
	h = s.withTextCheck(h)
	h = withOriginCheck(cop, h)
	h = s.withSecurityHeaders(h)
	h = s.withRecover(h)
	h = s.withLogging(h)
	return h
}

// withoutTrailingSlash routes an API path written with a trailing slash
// ("/api/card/", as the reference vendor documents its list endpoints) like
// the same path without it, so that every route answers both spellings
// through the one route table. A path that a route matches as written
// (such as the empty schema of "/api/database/1/schema/") is left alone.
func withoutTrailingSlash(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; len(p) > len("/api/") && strings.HasPrefix(p, "/api/") && strings.HasSuffix(p, "/") {
			if _, pattern := mux.Handler(r); pattern == "" || pattern == "/" {
				r2 := r.Clone(r.Context())
				r2.URL.Path = strings.TrimSuffix(p, "/")
				r2.URL.RawPath = strings.TrimSuffix(r.URL.RawPath, "/")
				r = r2
			}
		}
		next.ServeHTTP(w, r)
	})
}

// withoutData marks the requests of a route not declared as returning data,
// which the data door then refuses (see app.WithoutData).
func withoutData(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(app.WithoutData(r.Context())))
	})
}
