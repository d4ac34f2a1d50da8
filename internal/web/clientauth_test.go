package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// headerTransport adds fixed headers to every request, as an API client
// holding a session id or an API key does; it keeps no cookies.
type headerTransport struct {
	header http.Header
}

func (t headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, vs := range t.header {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// headerClient returns a client without a cookie jar that sends name: value
// with every request and does not follow redirects.
func headerClient(kv ...string) *http.Client {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return &http.Client{Transport: headerTransport{h}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// sessionID signs in with email and password through POST /api/session,
// as a script does, and returns the session id from the body.
func (e *testEnv) sessionID(email, password string) string {
	e.t.Helper()
	r := e.postJSON(&http.Client{}, "/api/session", fmt.Sprintf(`{"username": %q, "password": %q}`, email, password))
	var s struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(r.body), &s); err != nil || r.status != http.StatusOK || s.ID == "" {
		e.t.Fatalf("POST /api/session = %d %s, want 200 with an id", r.status, r.body)
	}
	return s.ID
}

func TestSessionHeader(t *testing.T) {
	e := newEnv(t, nil)
	cookieAdmin := e.setup()
	id := e.sessionID("ada@example.com", "correct horse")
	for _, name := range []string{headerSession, headerSessionAlias} {
		c := headerClient(name, id)
		r := e.do(c, "GET", "/api/user/current", "", "")
		if r.status != http.StatusOK || !strings.Contains(r.body, `"ada@example.com"`) {
			t.Errorf("GET /api/user/current with %s = %d %.200s, want 200 as Ada", name, r.status, r.body)
		}
		if c := r.header.Get("Set-Cookie"); c != "" {
			t.Errorf("a header-authenticated request was sent a cookie: %s", c)
		}
	}

	// A header naming no live session is refused, never served as the
	// cookie's user; so is one naming two credentials.
	refused := []struct {
		name   string
		header []string
	}{
		{"unknown session", []string{headerSession, "no-such-session"}},
		{"empty session", []string{headerSession, ""}},
		{"unknown alias session", []string{headerSessionAlias, "no-such-session"}},
		{"unknown key", []string{headerAPIKey, "mb_nosuchkey"}},
		{"two sessions", []string{headerSession, id, headerSessionAlias, "other"}},
		{"session and key", []string{headerSession, id, headerAPIKey, "mb_nosuchkey"}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			c := headerClient(tt.header...)
			c.Jar = cookieAdmin.Jar
			for _, p := range []string{"/api/user/current", "/api/user"} {
				r := e.do(c, "GET", p, "", "")
				if r.status != http.StatusUnauthorized || r.body != "Unauthenticated" {
					t.Errorf("GET %s with %v and the admin's cookie = %d %q, want 401 Unauthenticated", p, tt.header, r.status, r.body)
				}
			}
		})
	}

	// No credential at all: the API's usual 401.
	checkAPIGolden(t, "session_header_none", e.do(headerClient(), "GET", "/api/user/current", "", ""))
	checkAPIGolden(t, "session_header_unknown", e.do(headerClient(headerSession, "no-such-session"), "GET", "/api/user/current", "", ""))

	// Signing out with the header ends that session.
	other := e.sessionID("ada@example.com", "correct horse")
	c := headerClient(headerSession, other)
	if r := e.do(c, "DELETE", "/api/session", "", ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE /api/session with the header = %d %s, want 204", r.status, r.body)
	}
	if r := e.do(c, "GET", "/api/user/current", "", ""); r.status != http.StatusUnauthorized {
		t.Errorf("the header's session after sign-out = %d, want 401", r.status)
	}
	if r := e.do(headerClient(headerSession, id), "GET", "/api/user/current", "", ""); r.status != http.StatusOK {
		t.Errorf("another session after that sign-out = %d, want 200", r.status)
	}
}

// crossSitePOST posts body to path from another site, as a browser would
// label it, through c.
func (e *testEnv) crossSitePOST(c *http.Client, path, body string) resp {
	e.t.Helper()
	req, err := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
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

func TestHeaderAuthSkipsOriginCheck(t *testing.T) {
	e := newEnv(t, nil)
	cookieAdmin := e.setup()
	ctx := context.Background()
	byHeader := headerClient(headerSession, e.sessionID("ada@example.com", "correct horse"))

	// A script's POST carries no Origin and passes.
	if r := e.postJSON(byHeader, "/api/permissions/group", `{"name": "By script"}`); r.status != http.StatusOK {
		t.Errorf("header-authenticated POST without Origin = %d %s, want 200", r.status, r.body)
	}
	// Even labelled cross-site it passes: a browser cannot send the header
	// cross-site (that needs a CORS preflight Sightline never allows).
	if r := e.crossSitePOST(byHeader, "/api/permissions/group", `{"name": "By script 2"}`); r.status != http.StatusOK {
		t.Errorf("header-authenticated cross-site POST = %d %s, want 200", r.status, r.body)
	}
	// A cookie POST from another origin is refused as before, and changes
	// nothing.
	if r := e.crossSitePOST(cookieAdmin, "/api/permissions/group", `{"name": "Forged"}`); r.status != http.StatusForbidden {
		t.Errorf("cookie cross-site POST = %d %s, want 403", r.status, r.body)
	}
	groups, err := e.db.GroupIDsByName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := groups["Forged"]; ok {
		t.Error("the cross-site cookie request created a group")
	}
	if _, ok := groups["By script 2"]; !ok {
		t.Error("the header-authenticated request did not create its group")
	}
	// A bad header with a good cookie, cross-site: still refused (401),
	// never the cookie's user.
	c := headerClient(headerSession, "no-such-session")
	c.Jar = cookieAdmin.Jar
	if r := e.crossSitePOST(c, "/api/permissions/group", `{"name": "Forged 2"}`); r.status != http.StatusUnauthorized {
		t.Errorf("cross-site POST with a bad header and the admin's cookie = %d %s, want 401", r.status, r.body)
	}
}
