package hostapp

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
)

const testSecret = "3b1e0f7a9c5d2e4f6a8b0c1d3e5f7a9b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f"

var testNow = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

func testConfig() Config {
	return Config{
		SiteURL:       "http://127.0.0.1:3000",
		Secret:        testSecret,
		DashboardPath: "/dashboard/1",
		Users:         DemoUsers(DefaultAcmeAccountID, DefaultGlobexAccountID),
		Now:           func() time.Time { return testNow },
	}
}

// client is a browser stand-in: it keeps cookies and does not follow
// redirects, so each hop can be checked.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func newClient(t *testing.T, cfg Config) *client {
	t.Helper()
	h, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, base: srv.URL, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	return resp, readBody(c.t, resp)
}

func (c *client) login(email, password string) *http.Response {
	c.t.Helper()
	resp, err := c.http.PostForm(c.base+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		c.t.Fatalf("POST /login: %v", err)
	}
	readBody(c.t, resp)
	return resp
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantRedirect(t *testing.T, resp *http.Response, status int, location string) {
	t.Helper()
	if resp.StatusCode != status || resp.Header.Get("Location") != location {
		t.Fatalf("%s %s = %d Location %q, want %d %q", resp.Request.Method, resp.Request.URL.Path,
			resp.StatusCode, resp.Header.Get("Location"), status, location)
	}
}

func TestSignIn(t *testing.T) {
	tests := []struct {
		name, email, password, location string
	}{
		{"right password", "rene@acme.example", DemoPassword, "/"},
		{"email in another case", " Cora@Globex.example ", DemoPassword, "/"},
		{"wrong password", "rene@acme.example", "nope", "/login?error=1"},
		{"other user's email", "nobody@acme.example", DemoPassword, "/login?error=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, testConfig())
			wantRedirect(t, c.login(tt.email, tt.password), http.StatusSeeOther, tt.location)
			_, body := c.get("/")
			if signedIn := strings.Contains(body, "Signed in as"); signedIn != (tt.location == "/") {
				t.Errorf("home after sign-in with %q: signed in = %v, want %v", tt.email, signedIn, !signedIn)
			}
		})
	}
}

func TestRestrictRemembersURL(t *testing.T) {
	c := newClient(t, testConfig())
	resp, _ := c.get("/sso/sightline?return_to=/question/7")
	wantRedirect(t, resp, http.StatusFound, "/login")
	_, body := c.get("/login")
	if !strings.Contains(body, "Access denied!") {
		t.Errorf("GET /login after restrict: body lacks the access-denied note")
	}
	wantRedirect(t, c.login("rene@acme.example", DemoPassword), http.StatusSeeOther, "/sso/sightline?return_to=/question/7")

	resp, _ = c.get("/analytics")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /analytics after sign-in = %d, want 200", resp.StatusCode)
	}
	resp, _ = c.get("/logout")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /logout = %d, want 200", resp.StatusCode)
	}
	resp, _ = c.get("/analytics")
	wantRedirect(t, resp, http.StatusFound, "/login")
}

func TestSignInRotatesSession(t *testing.T) {
	c := newClient(t, testConfig())
	c.get("/analytics") // an anonymous session remembering /analytics
	u, _ := url.Parse(c.base)
	before := c.http.Jar.Cookies(u)
	c.login("rene@acme.example", DemoPassword)
	after := c.http.Jar.Cookies(u)
	if len(before) != 1 || len(after) != 1 || before[0].Value == after[0].Value {
		t.Errorf("session cookie before %v and after sign-in %v, want a new id", before, after)
	}
}

func TestSSORedirect(t *testing.T) {
	tests := []struct {
		name     string
		hideEnv  bool
		query    string
		returnTo string
	}{
		{"default return_to", false, "", "/"},
		{"return_to kept", false, "?return_to=/dashboard/1", "/dashboard/1"},
		{"return_to with a query", false, "?return_to=" + url.QueryEscape("/question/1?a=1"), "/question/1?a=1"},
		{"hide by env", true, "?return_to=/dashboard/1", "/dashboard/1?logo=false&top_nav=false"},
		{"hide by env, query already there", true, "?return_to=" + url.QueryEscape("/question/1?a=1"), "/question/1?a=1&logo=false&top_nav=false"},
		{"hide by parameter", false, "?return_to=/dashboard/1&hide_ui=true", "/dashboard/1?logo=false&top_nav=false"},
		{"parameter overrides env", true, "?return_to=/dashboard/1&hide_ui=false", "/dashboard/1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.HideUI = tt.hideEnv
			c := newClient(t, cfg)
			c.login("rene@acme.example", DemoPassword)
			resp, _ := c.get("/sso/sightline" + tt.query)
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("GET /sso/sightline%s = %d, want 302", tt.query, resp.StatusCode)
			}
			loc, err := url.Parse(resp.Header.Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			if got := loc.Scheme + "://" + loc.Host + loc.Path; got != "http://127.0.0.1:3000/auth/sso" {
				t.Errorf("redirect to %q, want http://127.0.0.1:3000/auth/sso", got)
			}
			q := loc.Query()
			if got := q.Get("return_to"); got != tt.returnTo {
				t.Errorf("return_to = %q, want %q", got, tt.returnTo)
			}
			if len(q) != 2 || q.Get("jwt") == "" {
				t.Errorf("query = %v, want exactly jwt and return_to", q)
			}
		})
	}
}

func TestSSOToken(t *testing.T) {
	tests := []struct {
		email string
		want  map[string]any
	}{
		{"rene@acme.example", map[string]any{
			"email": "rene@acme.example", "first_name": "Rene", "last_name": "Mercier",
			"groups": []any{"Customer-Acme"}, "account_id": float64(28),
			"exp": float64(testNow.Add(10 * time.Minute).Unix()),
		}},
		{"cora@globex.example", map[string]any{
			"email": "cora@globex.example", "first_name": "Cora", "last_name": "Lindqvist",
			"groups": []any{"Customer-Globex"}, "account_id": float64(13),
			"exp": float64(testNow.Add(10 * time.Minute).Unix()),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			c := newClient(t, testConfig())
			c.login(tt.email, DemoPassword)
			resp, _ := c.get("/sso/sightline?return_to=/dashboard/1")
			loc, err := url.Parse(resp.Header.Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			raw := loc.Query().Get("jwt")
			claims := jwt.MapClaims{}
			tok, err := jwt.NewParser(
				jwt.WithValidMethods([]string{"HS256"}),
				jwt.WithTimeFunc(func() time.Time { return testNow }),
				jwt.WithExpirationRequired(),
			).ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return []byte(testSecret), nil })
			if err != nil || !tok.Valid {
				t.Fatalf("parse token %q: %v", raw, err)
			}
			if diff := cmp.Diff(tt.want, map[string]any(claims)); diff != "" {
				t.Errorf("claims mismatch (-want +got):\n%s", diff)
			}
			if _, err := jwt.Parse(raw, func(*jwt.Token) (any, error) { return []byte("other"), nil },
				jwt.WithTimeFunc(func() time.Time { return testNow })); err == nil {
				t.Errorf("token verifies with another secret, want a signature error")
			}
		})
	}
}

func TestAnalyticsPage(t *testing.T) {
	cfg := testConfig()
	cfg.DashboardPath = "/dashboard/1?tab=2"
	c := newClient(t, cfg)
	c.login("rene@acme.example", DemoPassword)
	resp, body := c.get("/analytics?hide_ui=true")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /analytics = %d, want 200", resp.StatusCode)
	}
	src := regexp.MustCompile(`<iframe id="sightline"[^>]* src="([^"]*)"`).FindStringSubmatch(body)
	if src == nil {
		t.Fatalf("GET /analytics: no sightline iframe in\n%s", body)
	}
	wantSrc := "/sso/sightline?hide_ui=true&amp;return_to=%2Fdashboard%2F1%3Ftab%3D2"
	if src[1] != wantSrc {
		t.Errorf("iframe src = %q, want %q", src[1], wantSrc)
	}
	if !strings.Contains(body, `data-sightline-origin="http://127.0.0.1:3000"`) {
		t.Errorf("iframe lacks data-sightline-origin for the resize script")
	}
	if !strings.Contains(body, `<script src="/static/resize.js"></script>`) {
		t.Errorf("page does not load /static/resize.js")
	}
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]`).MatchString(body) || strings.Contains(body, " on") && regexp.MustCompile(` on[a-z]+=`).MatchString(body) {
		t.Errorf("page has an inline script or event handler")
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, part := range []string{"script-src 'self'", "frame-src 'self' http://127.0.0.1:3000", "form-action 'self' http://127.0.0.1:3000"} {
		if !strings.Contains(csp, part) {
			t.Errorf("Content-Security-Policy = %q, want it to contain %q", csp, part)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	c := newClient(t, testConfig())
	tests := []struct{ path, ctype, contains string }{
		{"/static/resize.js", "text/javascript", `event.origin !== origin`},
		{"/static/style.css", "text/css", "iframe#sightline"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := c.get(tt.path)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.ctype) || !strings.Contains(body, tt.contains) {
				t.Errorf("GET %s = %d %q, want 200 %s containing %q", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), tt.ctype, tt.contains)
			}
		})
	}
}

func TestLogoutEndsSightlineSession(t *testing.T) {
	c := newClient(t, testConfig())
	c.login("rene@acme.example", DemoPassword)
	_, body := c.get("/logout")
	if !strings.Contains(body, `src="http://127.0.0.1:3000/auth/logout"`) {
		t.Errorf("GET /logout: no hidden iframe loading Sightline's /auth/logout")
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	c := newClient(t, testConfig())
	req, err := http.NewRequest(http.MethodPost, c.base+"/login", strings.NewReader("email=rene%40acme.example&password="+DemoPassword))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST /login = %d, want 403", resp.StatusCode)
	}
}

func TestLoadConfig(t *testing.T) {
	env := func(kv map[string]string) func(string) string {
		return func(k string) string { return kv[k] }
	}
	cfg, err := LoadConfig(env(map[string]string{"SIGHTLINE_JWT_SHARED_SECRET": testSecret}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SiteURL != "http://127.0.0.1:3000" || cfg.DashboardPath != "/dashboard/1" || cfg.Addr != "localhost:8080" || cfg.HideUI ||
		cfg.EmbeddingSecret != "" || cfg.StaticDashboardID != 1 {
		t.Errorf("LoadConfig(defaults) = %+v", cfg)
	}
	cfg, err = LoadConfig(env(map[string]string{
		"SIGHTLINE_JWT_SHARED_SECRET": testSecret, "SIGHTLINE_SITE_URL": "https://bi.example.com",
		"SIGHTLINE_DASHBOARD_PATH": "/dashboard/7", "HOSTAPP_ADDR": "localhost:0", "HOSTAPP_HIDE_UI": "true",
		"HOSTAPP_ACME_ACCOUNT_ID": "5", "HOSTAPP_GLOBEX_ACCOUNT_ID": "6",
		"SIGHTLINE_EMBEDDING_SECRET_KEY": "embed-key", "SIGHTLINE_STATIC_DASHBOARD_ID": "9",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SiteURL != "https://bi.example.com" || cfg.DashboardPath != "/dashboard/7" || cfg.Addr != "localhost:0" ||
		!cfg.HideUI || cfg.Users[0].AccountID != 5 || cfg.Users[1].AccountID != 6 ||
		cfg.EmbeddingSecret != "embed-key" || cfg.StaticDashboardID != 9 {
		t.Errorf("LoadConfig(all set) = %+v", cfg)
	}
	for _, bad := range []map[string]string{
		{},
		{"SIGHTLINE_JWT_SHARED_SECRET": testSecret, "SIGHTLINE_SITE_URL": "127.0.0.1:3000"},
		{"SIGHTLINE_JWT_SHARED_SECRET": testSecret, "SIGHTLINE_DASHBOARD_PATH": "dashboard/1"},
		{"SIGHTLINE_JWT_SHARED_SECRET": testSecret, "HOSTAPP_HIDE_UI": "maybe"},
		{"SIGHTLINE_JWT_SHARED_SECRET": testSecret, "HOSTAPP_ACME_ACCOUNT_ID": "x"},
		{"SIGHTLINE_JWT_SHARED_SECRET": testSecret, "SIGHTLINE_STATIC_DASHBOARD_ID": "0"},
		{"SIGHTLINE_JWT_SHARED_SECRET": testSecret, "SIGHTLINE_STATIC_DASHBOARD_ID": "one"},
	} {
		if _, err := LoadConfig(env(bad)); err == nil {
			t.Errorf("LoadConfig(%v) = nil error, want an error", bad)
		}
	}
}

// TestStaticAnalyticsPage checks the static embed page: each customer's
// iframe carries a token of the reference vendor's shape, signed with the
// embedding secret key, naming the dashboard and locking their account,
// valid 10 minutes; without the key the page says what is missing.
func TestStaticAnalyticsPage(t *testing.T) {
	const embedSecret = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
	cfg := testConfig()
	cfg.EmbeddingSecret = embedSecret
	cfg.StaticDashboardID = 7
	src := regexp.MustCompile(`<iframe id="sightline"[^>]* src="([^"]+)"`)
	for _, u := range cfg.Users {
		t.Run(u.Email, func(t *testing.T) {
			c := newClient(t, cfg)
			c.login(u.Email, DemoPassword)
			resp, body := c.get("/analytics/static")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /analytics/static = %d %s", resp.StatusCode, body)
			}
			m := src.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no iframe in %s", body)
			}
			frame := strings.ReplaceAll(m[1], "&amp;", "&")
			prefix, suffix := "http://127.0.0.1:3000/embed/dashboard/", "#bordered=false&titled=true"
			if !strings.HasPrefix(frame, prefix) || !strings.HasSuffix(frame, suffix) {
				t.Fatalf("iframe src = %q, want %s<token>%s", frame, prefix, suffix)
			}
			token := strings.TrimSuffix(strings.TrimPrefix(frame, prefix), suffix)
			claims := jwt.MapClaims{}
			_, err := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(func() time.Time { return testNow })).
				ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return []byte(embedSecret), nil })
			if err != nil {
				t.Fatalf("the token does not verify with the embedding secret key: %v", err)
			}
			want := jwt.MapClaims{"resource": map[string]any{"dashboard": float64(7)},
				"params": map[string]any{"account_id": float64(u.AccountID)}, "exp": float64(testNow.Add(10 * time.Minute).Unix())}
			if diff := cmp.Diff(want, claims); diff != "" {
				t.Errorf("token claims (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("without the embedding secret key", func(t *testing.T) {
		c := newClient(t, testConfig())
		c.login("rene@acme.example", DemoPassword)
		resp, body := c.get("/analytics/static")
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "set SIGHTLINE_EMBEDDING_SECRET_KEY") {
			t.Errorf("GET /analytics/static without a key = %d %s, want 503 naming SIGHTLINE_EMBEDDING_SECRET_KEY", resp.StatusCode, body)
		}
	})
	t.Run("signed out", func(t *testing.T) {
		c := newClient(t, cfg)
		resp, _ := c.get("/analytics/static")
		wantRedirect(t, resp, http.StatusFound, "/login")
	})
}
