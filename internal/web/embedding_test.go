package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
	"sightline/internal/embed"
)

func frameAncestorsOf(t *testing.T, r resp) string {
	t.Helper()
	for _, d := range strings.Split(r.header.Get("Content-Security-Policy"), ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(d), "frame-ancestors "); ok {
			return v
		}
	}
	t.Fatalf("no frame-ancestors in %q", r.header.Get("Content-Security-Policy"))
	return ""
}

func TestFrameAncestors(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	tests := []struct {
		name, enabled, origins, path, want string
	}{
		{"off", "false", "localhost:8080", "/", "'none'"},
		{"on without origins", "true", "", "/", "'none'"},
		{"on", "true", "localhost:8080 https://*.example.com", "/", "http://localhost:8080 https://localhost:8080 https://*.example.com"},
		{"on, sign-in page", "true", "http://localhost:8080", "/auth/login", "http://localhost:8080"},
		{"admin page", "true", "http://localhost:8080", "/admin/settings", "'none'"},
		{"admin root", "true", "http://localhost:8080", "/admin", "'none'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.settings(map[string]string{sightline.SettingEmbeddingEnabled: tt.enabled, sightline.SettingEmbeddingOrigins: tt.origins})
			if got := frameAncestorsOf(t, e.get(admin, tt.path)); got != tt.want {
				t.Errorf("frame-ancestors of %s = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestApplyEmbed(t *testing.T) {
	full := defaultShell("home")
	opts := func(q string) embed.Options { o, _ := embed.ParseOptions(q); return o }
	tests := []struct {
		kind, query string
		want        func(s shell) shell
	}{
		{"home", "", func(s shell) shell { s.Search, s.NewButton = false, false; return s }},
		{"home", "logo=false&top_nav=false", func(s shell) shell {
			s.TopNav, s.Logo, s.Search, s.NewButton = false, false, false, false
			return s
		}},
		{"home", "logo=false&breadcrumbs=false", func(s shell) shell {
			s.TopNav, s.Logo, s.Breadcrumbs, s.Search, s.NewButton = false, false, false, false, false
			return s
		}},
		{"home", "search=true&new_button=true&side_nav=false", func(s shell) shell { s.SideNav, s.NoSideNav = false, true; return s }},
		{"table", "side_nav=true&header=false&additional_info=false&action_buttons=false", func(s shell) shell {
			s.Search, s.NewButton, s.SideNav, s.Header, s.AdditionalInfo, s.ActionButtons = false, false, true, false, false, false
			return s
		}},
	}
	for _, tt := range tests {
		base := defaultShell(tt.kind)
		want := tt.want(base)
		want.Embedded = true
		if got := applyEmbed(base, opts(tt.query)); got != want {
			t.Errorf("applyEmbed(%s, %q) = %+v, want %+v", tt.kind, tt.query, got, want)
		}
	}
	if full.Embedded {
		t.Errorf("defaultShell(home) is embedded")
	}
}

func TestEmbedOptionsKeptAcrossNavigation(t *testing.T) {
	e := ssoEnv(t)
	c := e.client()
	r := e.get(c, "/auth/sso?"+url.Values{"jwt": {ssoToken(t, jwt.MapClaims{"email": "rene@acme.example", "first_name": "Rene"})},
		"return_to": {"/?logo=false&top_nav=false"}}.Encode())
	if r.status != http.StatusFound {
		t.Fatalf("GET /auth/sso = %d %s", r.status, r.body)
	}
	hidden := func(r resp) bool {
		return r.status == http.StatusOK && !strings.Contains(r.body, `id="topbar"`) && !strings.Contains(r.body, `id="logo"`) &&
			strings.Contains(r.body, `data-embedded="true"`)
	}
	for _, step := range []struct {
		path   string
		header []string
		hidden bool
	}{
		{"/?logo=false&top_nav=false", nil, true},
		{"/browse", nil, true},
		{"/", []string{"Sec-Fetch-Dest", "iframe"}, true},
		// A top-level load shows the whole app even in this session.
		{"/browse", []string{"Sec-Fetch-Dest", "document"}, false},
		// New parameters replace the kept ones.
		{"/browse?a=1?top_nav=true", nil, false},
		{"/", nil, false},
	} {
		r := e.get(c, step.path, step.header...)
		if got := hidden(r); got != step.hidden {
			t.Errorf("GET %s %v: top bar and logo hidden = %v, want %v (status %d)", step.path, step.header, got, step.hidden, r.status)
		}
	}
	// The defaults of an embedded session hide search and + New.
	if r := e.get(c, "/"); strings.Contains(r.body, `class="search"`) || strings.Contains(r.body, "new-menu") || !strings.Contains(r.body, `id="logo"`) {
		t.Errorf("embedded session with default options: want the logo but no search box or + New")
	}

	// A password session ignores the parameters unless framed.
	admin := e.client()
	if r := e.postForm(admin, "/auth/login", url.Values{"email": {"ada@example.com"}, "password": {"correct horse"}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign in = %d", r.status)
	}
	if r := e.get(admin, "/?logo=false"); !strings.Contains(r.body, `id="logo"`) || strings.Contains(r.body, "data-embedded") {
		t.Errorf("password session, top level, ?logo=false: want the whole app")
	}
	e.get(admin, "/browse?a=1?logo=false", "Sec-Fetch-Dest", "iframe")
	if r := e.get(admin, "/browse"); strings.Contains(r.body, `id="logo"`) {
		t.Errorf("password session framed with ?a=1?logo=false: the logo is still shown on the next page")
	}
}
