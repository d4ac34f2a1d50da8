package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/prometheus/client_golang/prometheus"

	"sightline"
	"sightline/internal/app"
	"sightline/internal/appdb"
)

const ssoSecret = "0f5e2c4a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f"

// ssoToken signs claims with the test secret; exp defaults to ten minutes.
func ssoToken(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	if _, ok := claims["exp"]; !ok {
		claims["exp"] = time.Now().Add(10 * time.Minute).Unix()
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(ssoSecret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// adminUser returns the administrator created by setup.
func (e *testEnv) adminUser() *sightline.User {
	e.t.Helper()
	u, _, err := e.db.UserByEmail(context.Background(), "ada@example.com")
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// settings stores settings as the administrator.
func (e *testEnv) settings(kv map[string]string) {
	e.t.Helper()
	if err := e.app.UpdateSettings(context.Background(), e.adminUser(), kv); err != nil {
		e.t.Fatalf("UpdateSettings(%v): %v", kv, err)
	}
}

// ssoEnv is a set-up Sightline with JWT sign-in enabled.
func ssoEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newEnv(t, nil)
	e.setup()
	e.settings(map[string]string{sightline.SettingJWTEnabled: "true", sightline.SettingJWTSharedSecret: ssoSecret,
		sightline.SettingJWTIdentityProvider: "http://localhost:8080/sso/sightline"})
	return e
}

// get sends a GET with extra headers.
func (e *testEnv) get(c *http.Client, path string, header ...string) resp {
	e.t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp{status: res.StatusCode, body: string(b), header: res.Header}
}

// TestSSOTokenUsedOnce checks that a token with a jti signs in once.
func TestSSOTokenUsedOnce(t *testing.T) {
	e := ssoEnv(t)
	path := "/auth/sso?" + url.Values{"jwt": {ssoToken(t, jwt.MapClaims{"email": "rene@acme.example", "jti": "once"})}, "return_to": {"/"}}.Encode()
	if r := e.get(e.client(), path, "Accept", "text/html"); r.status != http.StatusFound {
		t.Fatalf("first use = %d, want 302", r.status)
	}
	r := e.get(e.client(), path, "Accept", "text/html")
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "JWT token has been used already") {
		t.Errorf("second use = %d, want 401 saying the token has been used already:\n%s", r.status, r.body)
	}
}

func TestSSOStatusCodes(t *testing.T) {
	e := ssoEnv(t)
	good := ssoToken(t, jwt.MapClaims{"email": "rene@acme.example", "first_name": "Rene"})
	wrongKey, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"email": "rene@acme.example",
		"exp": time.Now().Add(time.Minute).Unix()}).SignedString([]byte("not the shared secret"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, token, returnTo string
		status                int
		code, msg             string
	}{
		{"valid", good, "/browse?logo=false", http.StatusFound, "", ""},
		{"wrong key", wrongKey, "/", http.StatusUnauthorized, sightline.EUNAUTHORIZED, "JWT signature is invalid"},
		{"expired", ssoToken(t, jwt.MapClaims{"email": "rene@acme.example", "exp": time.Now().Add(-time.Hour).Unix()}), "/",
			http.StatusUnauthorized, sightline.EUNAUTHORIZED, "JWT token has expired"},
		{"missing email", ssoToken(t, jwt.MapClaims{"first_name": "Rene"}), "/", http.StatusBadRequest, sightline.EINVALID, "JWT token missing email claim"},
		{"unsafe return_to", good, "https://evil.example/", http.StatusBadRequest, sightline.EINVALID, "Invalid redirect URL"},
		{"administrator", ssoToken(t, jwt.MapClaims{"email": " ADA@Example.com "}), "/", http.StatusForbidden, sightline.EFORBIDDEN,
			"administrators may not sign in with SSO"},
		{"a year to live", ssoToken(t, jwt.MapClaims{"email": "rene@acme.example", "exp": time.Now().Add(365 * 24 * time.Hour).Unix()}), "/",
			http.StatusUnauthorized, sightline.EUNAUTHORIZED, "JWT token lives too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/auth/sso?" + url.Values{"jwt": {tt.token}, "return_to": {tt.returnTo}}.Encode()
			page := e.get(e.client(), path, "Accept", "text/html")
			if page.status != tt.status {
				t.Errorf("GET %s (page) = %d, want %d", tt.name, page.status, tt.status)
			}
			if tt.status == http.StatusFound {
				if loc := page.header.Get("Location"); loc != tt.returnTo {
					t.Errorf("GET %s Location = %q, want %q", tt.name, loc, tt.returnTo)
				}
				return
			}
			if !strings.Contains(page.body, `id="sso-error"`) || !strings.Contains(page.body, tt.msg) {
				t.Errorf("GET %s page lacks the error page with %q:\n%s", tt.name, tt.msg, page.body)
			}
			api := e.get(e.client(), path, "Accept", "application/json")
			var got apiError
			if err := json.Unmarshal([]byte(api.body), &got); err != nil {
				t.Fatalf("GET %s (JSON) body %q: %v", tt.name, api.body, err)
			}
			if api.status != tt.status || got.Code != tt.code || !strings.Contains(got.Message, tt.msg) {
				t.Errorf("GET %s (JSON) = %d %+v, want %d %s containing %q", tt.name, api.status, got, tt.status, tt.code, tt.msg)
			}
		})
	}

	t.Run("post", func(t *testing.T) {
		c := e.client()
		r := e.postForm(c, "/auth/sso", url.Values{"jwt": {ssoToken(t, jwt.MapClaims{"email": "rene@acme.example"})}, "return_to": {"/browse"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/browse" {
			t.Errorf("POST /auth/sso = %d -> %q, want 303 -> /browse", r.status, r.header.Get("Location"))
		}
		if r := e.get(c, "/api/user/current"); r.status != http.StatusOK || !strings.Contains(r.body, "rene@acme.example") {
			t.Errorf("current user after POST /auth/sso = %d %s, want rene", r.status, r.body)
		}
	})

	t.Run("not configured", func(t *testing.T) {
		e.settings(map[string]string{sightline.SettingJWTEnabled: "false"})
		defer e.settings(map[string]string{sightline.SettingJWTEnabled: "true"})
		for _, path := range []string{"/auth/sso?jwt=" + good, "/auth/sso"} {
			r := e.get(e.client(), path, "Accept", "application/json")
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, "SSO has not been enabled and/or configured") {
				t.Errorf("GET %s with SSO off = %d %s, want 400 not configured", path, r.status, r.body)
			}
		}
	})
}

func TestSSORedirectsToIdentityProvider(t *testing.T) {
	e := ssoEnv(t)
	tests := []struct {
		idp, query, want string
	}{
		{"http://localhost:8080/sso/sightline", "", "http://localhost:8080/sso/sightline"},
		{"http://localhost:8080/sso/sightline", "?redirect=%2Fdashboard%2F1%3Flogo%3Dfalse",
			"http://localhost:8080/sso/sightline?return_to=%2Fdashboard%2F1%3Flogo%3Dfalse"},
		{"https://app.example/sso?app=bi", "?redirect=%2Fbrowse", "https://app.example/sso?app=bi&return_to=%2Fbrowse"},
		{"https://app.example/sso", "?redirect=https%3A%2F%2Fevil.example%2F", "https://app.example/sso"},
	}
	for _, tt := range tests {
		e.settings(map[string]string{sightline.SettingJWTIdentityProvider: tt.idp})
		r := e.get(e.client(), "/auth/sso"+tt.query)
		if loc := r.header.Get("Location"); r.status != http.StatusFound || loc != tt.want {
			t.Errorf("GET /auth/sso%s with IdP %s = %d -> %q, want 302 -> %q", tt.query, tt.idp, r.status, loc, tt.want)
		}
	}
}

func TestUnauthenticatedPageGoesToSSO(t *testing.T) {
	e := ssoEnv(t)
	r := e.get(e.client(), "/browse?x=1")
	if loc := r.header.Get("Location"); r.status != http.StatusFound || loc != "/auth/sso?redirect=%2Fbrowse%3Fx%3D1" {
		t.Errorf("GET /browse signed out with SSO on = %d -> %q, want 302 -> /auth/sso?redirect=%%2Fbrowse%%3Fx%%3D1", r.status, loc)
	}
	// The sign-in page offers SSO.
	if r := e.get(e.client(), "/auth/login?redirect=%2Fbrowse"); !strings.Contains(r.body, `id="sso-button"`) {
		t.Errorf("sign-in page with SSO on lacks the Sign in with SSO button")
	}
	e.settings(map[string]string{sightline.SettingJWTEnabled: "false"})
	r = e.get(e.client(), "/browse")
	if loc := r.header.Get("Location"); r.status != http.StatusFound || !strings.HasPrefix(loc, "/auth/login?redirect=") {
		t.Errorf("GET /browse signed out with SSO off = %d -> %q, want the sign-in page", r.status, loc)
	}
}

func TestSSOCookie(t *testing.T) {
	tests := []struct {
		sameSite string
		want     []string
	}{
		{"lax", []string{"HttpOnly", "SameSite=Lax"}},
		{"strict", []string{"HttpOnly", "SameSite=Strict"}},
		{"none", []string{"HttpOnly", "SameSite=None", "Secure", "Partitioned"}},
	}
	e := ssoEnv(t)
	for _, tt := range tests {
		t.Run(tt.sameSite, func(t *testing.T) {
			e.settings(map[string]string{sightline.SettingSessionSameSite: tt.sameSite})
			r := e.get(e.client(), "/auth/sso?jwt="+ssoToken(t, jwt.MapClaims{"email": "rene@acme.example"}))
			cookie := r.header.Get("Set-Cookie")
			if r.status != http.StatusFound || !strings.HasPrefix(cookie, sessionCookie+"=") {
				t.Fatalf("GET /auth/sso = %d, Set-Cookie %q; want 302 with the session cookie", r.status, cookie)
			}
			for _, attr := range tt.want {
				if !strings.Contains(cookie, attr) {
					t.Errorf("Set-Cookie with samesite=%s = %q, want %s", tt.sameSite, cookie, attr)
				}
			}
		})
	}
}

// newBenchServer is a whole Sightline over SQLite for benchmarks, served
// without a network.
func newBenchServer(b *testing.B) (http.Handler, *app.App, *appdb.DB, *sightline.User) {
	b.Helper()
	ctx := context.Background()
	db, err := appdb.Open(ctx, appdb.Options{Path: filepath.Join(b.TempDir(), "app.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	a := app.New(app.Options{Store: db, Meta: db, Content: db})
	b.Cleanup(func() { a.Close() })
	ws, err := New(a, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		b.Fatal(err)
	}
	ws.SetReady(true)
	_, admin, err := a.Setup(ctx, app.SetupInput{Email: "ada@example.com", Password: "correct horse"})
	if err != nil {
		b.Fatal(err)
	}
	return ws.Handler(), a, db, admin
}

// BenchmarkAuthSSO measures the server time of GET /auth/sso for an existing
// user with group sync and a mapping on SQLite, through every middleware,
// and reports sign-ins per second. The target is under 2 ms.
func BenchmarkAuthSSO(b *testing.B) {
	h, a, db, admin := newBenchServer(b)
	ctx := context.Background()
	g := &sightline.Group{Name: "Customer Acme"}
	if err := db.CreateGroup(ctx, g); err != nil {
		b.Fatal(err)
	}
	if err := a.UpdateSettings(ctx, admin, map[string]string{sightline.SettingJWTEnabled: "true",
		sightline.SettingJWTSharedSecret: ssoSecret, sightline.SettingJWTGroupSync: "true",
		sightline.SettingJWTGroupMappings: fmt.Sprintf(`{"Customer-Acme": [%d]}`, g.ID)}); err != nil {
		b.Fatal(err)
	}
	path := "/auth/sso?" + url.Values{"jwt": {ssoToken(b, jwt.MapClaims{"email": "rene@acme.example", "first_name": "Rene",
		"last_name": "Mercier", "groups": []string{"Customer-Acme"}, "account_id": 28})}, "return_to": {"/dashboard/1?logo=false"}}.Encode()
	serve := func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusFound {
			b.Fatalf("GET /auth/sso = %d %s", rec.Code, rec.Body)
		}
	}
	serve() // creates the user
	start := time.Now()
	for b.Loop() {
		serve()
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "signins/s")
}
