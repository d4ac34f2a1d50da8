package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/prometheus/client_golang/prometheus"

	"sightline"
	"sightline/internal/app"
	"sightline/internal/appdb"
)

// testEnv is a whole Sightline (real SQLite app database) behind httptest.
type testEnv struct {
	t   *testing.T
	srv *httptest.Server
	db  *appdb.DB
	app *app.App
	env map[string]string
	// adminClient is the first administrator's client, once a test sets it.
	adminClient *http.Client
}

func newEnv(t *testing.T, env map[string]string) *testEnv {
	t.Helper()
	db, err := appdb.Open(context.Background(), appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if env == nil {
		env = map[string]string{}
	}
	a := app.New(app.Options{Store: db, Meta: db, Content: db, Search: db, Getenv: func(k string) string { return env[k] }})
	t.Cleanup(func() { a.Close() })
	ws, err := New(a, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReady(true)
	srv := httptest.NewServer(ws.Handler())
	t.Cleanup(srv.Close)
	return &testEnv{t: t, srv: srv, db: db, app: a, env: env}
}

// client returns an HTTP client with its own cookie jar that does not follow
// redirects, so tests see them.
func (e *testEnv) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type resp struct {
	status int
	body   string
	header http.Header
}

func (e *testEnv) do(c *http.Client, method, path, contentType, body string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: string(b), header: res.Header}
}

func (e *testEnv) postForm(c *http.Client, path string, v url.Values) resp {
	e.t.Helper()
	return e.do(c, "POST", path, "application/x-www-form-urlencoded", v.Encode())
}

func (e *testEnv) postJSON(c *http.Client, path, body string) resp {
	e.t.Helper()
	return e.do(c, "POST", path, "application/json", body)
}

// setup creates the first admin through the form and returns its client.
func (e *testEnv) setup() *http.Client {
	e.t.Helper()
	c := e.client()
	r := e.postForm(c, "/setup", url.Values{"first_name": {"Ada"}, "last_name": {"Lovelace"}, "email": {"ada@example.com"},
		"password": {"correct horse"}, "password_confirm": {"correct horse"}, "site_name": {"Acme Analytics"}})
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("POST /setup = %d %s, want 303", r.status, r.body)
	}
	return c
}

func TestHealth(t *testing.T) {
	e := newEnv(t, nil)
	r := e.do(e.client(), "GET", "/api/health", "", "")
	if r.status != 200 || !strings.Contains(r.body, `"ok"`) {
		t.Errorf("GET /api/health = %d %s, want 200 ok", r.status, r.body)
	}
}

func TestSetupFlow(t *testing.T) {
	e := newEnv(t, nil)
	anon := e.client()
	for _, p := range []string{"/", "/no/such/page", "/auth/login"} {
		r := e.do(anon, "GET", p, "", "")
		if loc := r.header.Get("Location"); r.status != http.StatusFound || loc != "/setup" {
			t.Errorf("GET %s before setup = %d -> %q, want 302 -> /setup", p, r.status, loc)
		}
	}
	// Mismatched passwords: a clear message and nothing created.
	r := e.postForm(anon, "/setup", url.Values{"email": {"ada@example.com"}, "password": {"correct horse"}, "password_confirm": {"other horse"}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "The passwords do not match.") {
		t.Errorf("setup with mismatched passwords = %d, want 400 with a message", r.status)
	}
	// Short password.
	r = e.postForm(anon, "/setup", url.Values{"email": {"ada@example.com"}, "password": {"short"}, "password_confirm": {"short"}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "at least 8 characters") {
		t.Errorf("setup with a short password = %d, want 400 naming the rule", r.status)
	}
	admin := e.setup()
	r = e.do(admin, "GET", "/api/user/current", "", "")
	var u map[string]any
	if err := json.Unmarshal([]byte(r.body), &u); err != nil {
		t.Fatalf("GET /api/user/current: %v (%s)", err, r.body)
	}
	if u["email"] != "ada@example.com" || u["is_superuser"] != true || u["first_name"] != "Ada" {
		t.Errorf("current user = %v, want the new admin", u)
	}
	// Home greets the admin inside the page shell.
	r = e.do(admin, "GET", "/", "", "")
	if r.status != 200 || !strings.Contains(r.body, "Ada") || !strings.Contains(r.body, `id="topbar"`) || !strings.Contains(r.body, `id="sidenav"`) {
		t.Errorf("GET / as admin = %d, want the shell with a greeting", r.status)
	}
	if got := e.setting("site-name"); got != "Acme Analytics" {
		t.Errorf("site-name after setup = %q, want the name typed in the form", got)
	}
	// A second setup is refused, by form and by API.
	r = e.postForm(e.client(), "/setup", url.Values{"email": {"eve@example.com"}, "password": {"correct horse"}, "password_confirm": {"correct horse"}})
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "already set up") {
		t.Errorf("second POST /setup = %d, want 403 already set up", r.status)
	}
	r = e.postJSON(e.client(), "/api/setup", `{"email":"eve@example.com","password":"correct horse"}`)
	if r.status != http.StatusForbidden {
		t.Errorf("second POST /api/setup = %d %s, want 403", r.status, r.body)
	}
	if r := e.do(e.client(), "GET", "/setup", "", ""); r.status != http.StatusFound {
		t.Errorf("GET /setup after setup = %d, want a redirect to sign-in", r.status)
	}
}

func TestSignInMessagesDoNotRevealAccounts(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	wrong := e.postJSON(e.client(), "/api/session", `{"email":"ada@example.com","password":"wrong password"}`)
	unknown := e.postJSON(e.client(), "/api/session", `{"email":"nobody@example.com","password":"wrong password"}`)
	if wrong.status != 401 || unknown.status != 401 || wrong.body != unknown.body {
		t.Errorf("wrong password = %d %s; unknown email = %d %s; want the same 401", wrong.status, wrong.body, unknown.status, unknown.body)
	}
	pw := e.postForm(e.client(), "/auth/login", url.Values{"email": {"ada@example.com"}, "password": {"nope nope"}})
	pu := e.postForm(e.client(), "/auth/login", url.Values{"email": {"who@example.com"}, "password": {"nope nope"}})
	const msg = "That email and password did not match. Please try again."
	if !strings.Contains(pw.body, msg) || !strings.Contains(pu.body, msg) {
		t.Errorf("sign-in page messages differ or are missing, want %q on both", msg)
	}
	// "username" is accepted for the email, and the right password signs in.
	c := e.client()
	if r := e.postJSON(c, "/api/session", `{"username":"ADA@example.com","password":"correct horse"}`); r.status != 200 {
		t.Fatalf("POST /api/session with username = %d %s, want 200", r.status, r.body)
	}
	if r := e.do(c, "GET", "/api/user/current", "", ""); r.status != 200 {
		t.Errorf("current user after API sign-in = %d, want 200", r.status)
	}
	if r := e.do(c, "DELETE", "/api/session", "", ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE /api/session = %d, want 204", r.status)
	}
	if r := e.do(c, "GET", "/api/user/current", "", ""); r.status != 401 {
		t.Errorf("current user after sign-out = %d, want 401", r.status)
	}
}

func TestSignInThrottled(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	var last resp
	for range 11 {
		last = e.postJSON(e.client(), "/api/session", `{"email":"ada@example.com","password":"guess guess"}`)
	}
	if last.status != http.StatusTooManyRequests || !strings.Contains(last.body, "Too many failed sign-in attempts") {
		t.Errorf("11th failed sign-in = %d %s, want 429", last.status, last.body)
	}
	// Even the right password is refused while throttled.
	if r := e.postJSON(e.client(), "/api/session", `{"email":"ada@example.com","password":"correct horse"}`); r.status != http.StatusTooManyRequests {
		t.Errorf("right password while throttled = %d, want 429", r.status)
	}
}

func TestMalformedJSON(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	tests := []struct {
		name, body, ctype, want string
	}{
		{"truncated", `{"email":`, "application/json", "ends too early"},
		{"syntax", `{"email" "x"}`, "application/json", "not valid JSON"},
		{"wrong type", `{"email": 5, "password": "x"}`, "application/json", `"email" must be a string`},
		{"empty", ``, "application/json", "empty"},
		{"not json", `email=a`, "text/plain", "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(e.client(), "POST", "/api/session", tt.ctype, tt.body)
			var got apiError
			if err := json.Unmarshal([]byte(r.body), &got); err != nil {
				t.Fatalf("body %q is not the API error shape: %v", r.body, err)
			}
			if r.status != 400 || got.Code != "invalid" || !strings.Contains(got.Message, tt.want) {
				t.Errorf("POST /api/session %q = %d %+v, want 400 mentioning %q", tt.body, r.status, got, tt.want)
			}
		})
	}
}

func TestCrossSiteWriteRefused(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	req, _ := http.NewRequest("POST", e.srv.URL+"/admin/people", strings.NewReader("email=evil@example.com&password=12345678"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST /admin/people = %d, want 403", res.StatusCode)
	}
	if _, _, err := e.db.UserByEmail(context.Background(), "evil@example.com"); err == nil {
		t.Error("the cross-site request created a user")
	}
	// Same request from the same origin works.
	req, _ = http.NewRequest("POST", e.srv.URL+"/admin/people", strings.NewReader("email=ok@example.com&password=12345678"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err = admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin POST /admin/people = %d, want 303", res.StatusCode)
	}
}

func TestSecurityHeadersAndCookie(t *testing.T) {
	tests := []struct {
		samesite, siteURL string
		want, not         []string
	}{
		{"", "", []string{"HttpOnly", "SameSite=Lax"}, []string{"Secure"}},
		{"strict", "", []string{"HttpOnly", "SameSite=Strict"}, []string{"Secure"}},
		{"NONE", "", []string{"HttpOnly", "SameSite=None", "Secure", "Partitioned"}, nil},
		{"", "https://analytics.example.com", []string{"HttpOnly", "SameSite=Lax", "Secure"}, []string{"Partitioned"}},
		{"", "http://analytics.example.com", []string{"HttpOnly", "SameSite=Lax"}, []string{"Secure"}},
	}
	for _, tt := range tests {
		t.Run("samesite="+tt.samesite+",site="+tt.siteURL, func(t *testing.T) {
			e := newEnv(t, map[string]string{"SIGHTLINE_SESSION_COOKIE_SAMESITE": tt.samesite, "SIGHTLINE_SITE_URL": tt.siteURL})
			r := e.postForm(e.client(), "/setup", url.Values{"email": {"ada@example.com"}, "password": {"correct horse"}, "password_confirm": {"correct horse"}})
			cookie := r.header.Get("Set-Cookie")
			for _, w := range tt.want {
				if !strings.Contains(cookie, w) {
					t.Errorf("Set-Cookie = %q, want it to contain %q", cookie, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(cookie, w) {
					t.Errorf("Set-Cookie = %q, want it without %q", cookie, w)
				}
			}
			csp := r.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy = %q, want strict scripts and no framing", csp)
			}
			if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") == "" {
				t.Errorf("missing X-Content-Type-Options or Referrer-Policy: %v", r.header)
			}
		})
	}
}

// sessionCookieOf returns the session cookie a response sets, or nil.
func sessionCookieOf(t *testing.T, r resp) *http.Cookie {
	t.Helper()
	for _, line := range r.header.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("ParseSetCookie(%q): %v", line, err)
		}
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

// TestSessionCookieSlides checks that a page load sends the session cookie
// again, to last as long as the (sliding) session and with the attributes
// it got at sign-in, and that API calls leave it alone.
func TestSessionCookieSlides(t *testing.T) {
	for _, samesite := range []string{"", "strict", "none"} {
		t.Run("samesite="+samesite, func(t *testing.T) {
			e := newEnv(t, map[string]string{"SIGHTLINE_SESSION_COOKIE_SAMESITE": samesite})
			r := e.postForm(e.client(), "/setup", url.Values{"email": {"ada@example.com"}, "password": {"correct horse"}, "password_confirm": {"correct horse"}})
			signIn := sessionCookieOf(t, r)
			if signIn == nil {
				t.Fatalf("POST /setup sets no session cookie: %v", r.header)
			}
			sess, _, err := e.app.Authenticate(context.Background(), signIn.Value)
			if err != nil {
				t.Fatal(err)
			}
			// The cookie is sent by hand: a jar would keep a Secure cookie
			// from this plain-HTTP test server.
			page := e.get(e.client(), "/", "Cookie", sessionCookie+"="+signIn.Value)
			got := sessionCookieOf(t, page)
			if page.status != http.StatusOK || got == nil {
				t.Fatalf("GET / = %d with Set-Cookie %q, want 200 and the session cookie", page.status, page.header.Values("Set-Cookie"))
			}
			if age, want := time.Duration(got.MaxAge)*time.Second, time.Until(sess.ExpiresAt); age < want-5*time.Second || age > want+time.Second {
				t.Errorf("refreshed cookie's Max-Age = %v, want the session's remaining %v", age, want)
			}
			ignoreAge := cmpopts.IgnoreFields(http.Cookie{}, "MaxAge", "Raw")
			if diff := cmp.Diff(signIn, got, ignoreAge); diff != "" {
				t.Errorf("refreshed cookie differs from the sign-in cookie (-sign-in +refreshed):\n%s", diff)
			}
			api := e.get(e.client(), "/api/user/current", "Cookie", sessionCookie+"="+signIn.Value)
			if api.status != http.StatusOK {
				t.Fatalf("GET /api/user/current = %d, want 200", api.status)
			}
			if c := sessionCookieOf(t, api); c != nil {
				t.Errorf("GET /api/user/current sets the session cookie %q, want it left alone", c.String())
			}
		})
	}
}

func TestAdminOnlyAndDeactivation(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	r := e.postJSON(admin, "/api/user", `{"email":"bob@example.com","first_name":"Bob","password":"bob password"}`)
	if r.status != 200 {
		t.Fatalf("POST /api/user = %d %s", r.status, r.body)
	}
	var bob struct{ ID int64 }
	json.Unmarshal([]byte(r.body), &bob)
	bc := e.client()
	if r := e.postJSON(bc, "/api/session", `{"email":"bob@example.com","password":"bob password"}`); r.status != 200 {
		t.Fatalf("bob sign-in = %d", r.status)
	}
	for _, p := range []string{"/api/user", "/api/setting", "/api/permissions/group"} {
		if r := e.do(bc, "GET", p, "", ""); r.status != http.StatusForbidden {
			t.Errorf("GET %s as non-admin = %d, want 403", p, r.status)
		}
	}
	if r := e.do(bc, "GET", "/admin/people", "", ""); r.status != http.StatusForbidden {
		t.Errorf("GET /admin/people as non-admin = %d, want 403", r.status)
	}
	if r := e.do(admin, "GET", "/admin/people", "", ""); r.status != 200 || !strings.Contains(r.body, "bob@example.com") {
		t.Errorf("GET /admin/people as admin = %d, want the list with bob", r.status)
	}
	if r := e.do(admin, "DELETE", "/api/user/"+itoa(bob.ID), "", ""); r.status != 200 {
		t.Fatalf("deactivate bob = %d %s", r.status, r.body)
	}
	if r := e.do(bc, "GET", "/api/user/current", "", ""); r.status != 401 {
		t.Errorf("bob's session after deactivation = %d, want 401", r.status)
	}
	if r := e.postJSON(e.client(), "/api/session", `{"email":"bob@example.com","password":"bob password"}`); r.status != 401 {
		t.Errorf("deactivated bob signs in = %d, want 401", r.status)
	}
	if r := e.do(admin, "PUT", "/api/user/"+itoa(bob.ID)+"/reactivate", "", ""); r.status != 200 {
		t.Errorf("reactivate bob = %d %s", r.status, r.body)
	}
	if r := e.postJSON(e.client(), "/api/session", `{"email":"bob@example.com","password":"bob password"}`); r.status != 200 {
		t.Errorf("reactivated bob signs in = %d, want 200", r.status)
	}
}

func TestEnvSettingIsReadOnly(t *testing.T) {
	e := newEnv(t, map[string]string{"SIGHTLINE_SITE_NAME": "From Env"})
	admin := e.setup()
	r := e.do(admin, "PUT", "/api/setting/site-name", "application/json", `{"value":"Other"}`)
	if r.status != 400 || !strings.Contains(r.body, "SIGHTLINE_SITE_NAME") {
		t.Errorf("PUT env-set setting = %d %s, want 400 naming the variable", r.status, r.body)
	}
	r = e.do(admin, "GET", "/api/setting", "", "")
	if !strings.Contains(r.body, `"is_env_setting":true`) || !strings.Contains(r.body, "From Env") {
		t.Errorf("GET /api/setting does not show the env value as env-set: %s", r.body)
	}
	if r := e.do(admin, "PUT", "/api/setting/session-cookie-samesite", "application/json", `{"value":"sideways"}`); r.status != 400 {
		t.Errorf("invalid samesite value = %d, want 400", r.status)
	}
	if r := e.do(admin, "PUT", "/api/setting/jwt-shared-secret", "application/json", `{"value":"abc"}`); r.status != 204 {
		t.Errorf("PUT secret = %d, want 204", r.status)
	}
	r = e.do(admin, "GET", "/api/setting", "", "")
	if strings.Contains(r.body, `"abc"`) {
		t.Error("GET /api/setting sends the JWT secret back")
	}
}

// TestSettingsFormSkipsEnvSettings posts the settings form as a browser sends
// it when some of its settings come from the environment: the read-only
// input and the disabled checkbox's marker arrive with the rest, and the
// rest must still be saved.
func TestSettingsFormSkipsEnvSettings(t *testing.T) {
	e := newEnv(t, map[string]string{"SIGHTLINE_SITE_URL": "https://analytics.example.com", "SIGHTLINE_ENABLE_XRAYS": "false"})
	admin := e.setup()
	page := e.do(admin, "GET", "/admin/settings", "", "")
	if page.status != 200 || !strings.Contains(page.body, `value="https://analytics.example.com" readonly`) {
		t.Errorf("GET /admin/settings = %d, want site-url shown read-only with the environment's value", page.status)
	}
	r := e.postForm(admin, "/admin/settings", url.Values{
		"site-name":                      {"Renamed"},
		"site-url":                       {"https://analytics.example.com"},
		"report-timezone":                {""},
		"session-cookie-samesite":        {"lax"},
		"enable-xrays__present":          {"1"},
		"enable-password-login__present": {"1"},
		"enable-password-login":          {"true"},
	})
	if r.status != http.StatusSeeOther {
		t.Fatalf("POST /admin/settings = %d %s, want 303", r.status, r.body)
	}
	ctx := context.Background()
	for key, want := range map[string]string{
		sightline.SettingSiteName:    "Renamed",
		sightline.SettingSiteURL:     "https://analytics.example.com",
		sightline.SettingEnableXrays: "false",
	} {
		if got := e.app.Settings().String(ctx, key); got != want {
			t.Errorf("%s after saving the form = %q, want %q", key, got, want)
		}
	}
	stored, err := e.db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{sightline.SettingSiteURL, sightline.SettingEnableXrays} {
		if v, ok := stored[key]; ok {
			t.Errorf("the form stored %s = %q, want it left to the environment", key, v)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
