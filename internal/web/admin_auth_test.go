package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/app"
)

func (e *testEnv) setting(key string) string {
	e.t.Helper()
	return e.app.Settings().String(context.Background(), key)
}

func TestAdminEmbeddingForm(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	r := e.postForm(admin, "/admin/settings/embedding", url.Values{
		sightline.SettingEmbeddingEnabled: {"true"},
		sightline.SettingEmbeddingOrigins: {"ftp://files.example localhost:8080 app.example.com/path"},
	})
	if r.status != http.StatusBadRequest {
		t.Fatalf("POST bad origins = %d, want 400", r.status)
	}
	for _, want := range []string{`&#34;ftp://files.example&#34;: the scheme must be http or https`, `&#34;app.example.com/path&#34;: give only a scheme`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("POST bad origins: page lacks %q", want)
		}
	}
	if got := e.setting(sightline.SettingEmbeddingEnabled); got != "false" {
		t.Errorf("after a refused save, enabled = %q, want false", got)
	}

	r = e.postForm(admin, "/admin/settings/embedding", url.Values{
		sightline.SettingEmbeddingEnabled: {"true"},
		sightline.SettingEmbeddingOrigins: {"  localhost:8080\n https://*.example.com "},
		sightline.SettingSessionSameSite:  {"none"},
	})
	if r.status != http.StatusSeeOther {
		t.Fatalf("POST good origins = %d %s, want 303", r.status, r.body)
	}
	if got := e.setting(sightline.SettingEmbeddingOrigins); got != "localhost:8080 https://*.example.com" {
		t.Errorf("stored origins = %q, want them space-separated", got)
	}
	if got := e.setting(sightline.SettingEmbeddingEnabled); got != "true" {
		t.Errorf("enabled = %q, want true", got)
	}
	// SameSite=None on an http site gets a warning.
	if r := e.get(admin, "/admin/settings/embedding"); !strings.Contains(r.body, `id="samesite-warning"`) {
		t.Errorf("embedding page with SameSite=None over http lacks the warning")
	}
	e.settings(map[string]string{sightline.SettingSiteURL: "https://bi.example.com"})
	if r := e.get(admin, "/admin/settings/embedding"); strings.Contains(r.body, `id="samesite-warning"`) {
		t.Errorf("embedding page with an https site URL still warns")
	}
	// Unticking the box turns embedding off.
	e.postForm(admin, "/admin/settings/embedding", url.Values{sightline.SettingEmbeddingOrigins: {"localhost:8080"}})
	if got := e.setting(sightline.SettingEmbeddingEnabled); got != "false" {
		t.Errorf("enabled after unticking = %q, want false", got)
	}
}

var newKeyRE = regexp.MustCompile(`id="jwt-new-key" value="([0-9a-f]+)"`)

func TestAdminJWTLifecycle(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	g := &sightline.Group{Name: "Customer Acme"}
	if err := e.db.CreateGroup(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	gid := strconv.FormatInt(g.ID, 10)
	page := func() string { return e.get(admin, "/admin/settings/authentication").body }
	if p := page(); !strings.Contains(p, "Not configured") || !strings.Contains(p, "Generate key") {
		t.Fatalf("fresh Authentication page lacks Not configured / Generate key")
	}

	// Save and enable without a key is refused.
	r := e.postForm(admin, "/admin/settings/authentication/jwt", url.Values{"op": {"save-enable"}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Generate a key") {
		t.Errorf("save-enable without a key = %d, want 400 asking for a key", r.status)
	}

	// Generate key: stored at once and shown once.
	r = e.postForm(admin, "/admin/settings/authentication/jwt/key", nil)
	m := newKeyRE.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil || len(m[1]) != 64 {
		t.Fatalf("POST key = %d, want the page with a 64-hex key", r.status)
	}
	if got := e.setting(sightline.SettingJWTSharedSecret); got != m[1] {
		t.Errorf("stored secret = %q, want the shown key %q", got, m[1])
	}
	if p := page(); strings.Contains(p, m[1]) || !strings.Contains(p, "Regenerate key") || !strings.Contains(p, "data-confirm") {
		t.Errorf("the page after generation shows the key again or lacks a confirmed Regenerate key")
	}

	// Mapping rows are added and removed without saving.
	form := url.Values{
		"op": {"add-row"}, sightline.SettingJWTIdentityProvider: {"http://localhost:8080/sso/sightline"},
		"map_name": {"Customer-Acme"}, "map_groups_0": {gid},
	}
	r = e.postForm(admin, "/admin/settings/authentication/jwt", form)
	if n := strings.Count(r.body, `class="mapping-row"`); r.status != http.StatusOK || n != 2 {
		t.Errorf("add-row = %d with %d rows, want 200 with 2", r.status, n)
	}
	if got := e.setting(sightline.SettingJWTGroupMappings); got != "{}" {
		t.Errorf("mappings after add-row = %q, want nothing saved", got)
	}
	form.Set("op", "remove-row-0")
	r = e.postForm(admin, "/admin/settings/authentication/jwt", form)
	if n := strings.Count(r.body, `class="mapping-row"`); n != 0 {
		t.Errorf("remove-row-0 left %d rows, want 0", n)
	}

	// A bad identity provider URI is refused.
	bad := url.Values{"op": {"save"}, sightline.SettingJWTIdentityProvider: {"javascript:alert(1)"}}
	if r := e.postForm(admin, "/admin/settings/authentication/jwt", bad); r.status != http.StatusBadRequest {
		t.Errorf("save with a javascript: IdP = %d, want 400", r.status)
	}

	// Save and enable.
	form.Set("op", "save-enable")
	form.Set(sightline.SettingJWTGroupSync, "true")
	form.Set(sightline.SettingJWTUserProvisioning, "true")
	form.Set(sightline.SettingJWTAttrEmail, "mail")
	r = e.postForm(admin, "/admin/settings/authentication/jwt", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("save-enable = %d %s, want 303", r.status, r.body)
	}
	want := map[string]string{
		sightline.SettingJWTEnabled: "true", sightline.SettingJWTIdentityProvider: "http://localhost:8080/sso/sightline",
		sightline.SettingJWTGroupSync: "true", sightline.SettingJWTGroupMappings: `{"Customer-Acme":[` + gid + `]}`,
		sightline.SettingJWTAttrEmail: "mail", sightline.SettingJWTSharedSecret: m[1],
	}
	for k, v := range want {
		if got := e.setting(k); got != v {
			t.Errorf("after save-enable %s = %q, want %q", k, got, v)
		}
	}
	if p := page(); !strings.Contains(p, `id="jwt-state">Active`) || !strings.Contains(p, `id="jwt-pause"`) {
		t.Errorf("page after save-enable does not show Active with Pause")
	}

	// Pause keeps the configuration; Resume turns it back on.
	e.postForm(admin, "/admin/settings/authentication/jwt/state", url.Values{"op": {"pause"}})
	if got := e.setting(sightline.SettingJWTEnabled); got != "false" || e.setting(sightline.SettingJWTSharedSecret) != m[1] {
		t.Errorf("after pause enabled = %q and the key changed; want false and the key kept", got)
	}
	if p := page(); !strings.Contains(p, `id="jwt-state">Paused`) || !strings.Contains(p, `id="jwt-resume"`) {
		t.Errorf("page after pause does not show Paused with Resume")
	}
	e.postForm(admin, "/admin/settings/authentication/jwt/state", url.Values{"op": {"resume"}})
	if got := e.setting(sightline.SettingJWTEnabled); got != "true" {
		t.Errorf("after resume enabled = %q, want true", got)
	}

	// Deactivate clears everything.
	e.postForm(admin, "/admin/settings/authentication/jwt/state", url.Values{"op": {"deactivate"}})
	for _, k := range jwtKeys {
		def, _ := sightline.LookupSetting(k)
		if got := e.setting(k); got != def.Default {
			t.Errorf("after deactivate %s = %q, want the default %q", k, got, def.Default)
		}
	}
	if p := page(); !strings.Contains(p, "Not configured") {
		t.Errorf("page after deactivate does not show Not configured")
	}

	// The password sign-in toggle.
	e.postForm(admin, "/admin/settings/authentication/password", url.Values{})
	if got := e.setting(sightline.SettingPasswordLoginEnabled); got != "false" {
		t.Errorf("password sign-in after unticking = %q, want false", got)
	}
}

func TestAdminAuthEnvReadOnly(t *testing.T) {
	e := newEnv(t, map[string]string{
		sightline.EnvName(sightline.SettingJWTIdentityProvider): "https://app.example/sso",
		sightline.EnvName(sightline.SettingJWTSharedSecret):     "an environment secret of some length",
	})
	admin := e.setup()
	p := e.get(admin, "/admin/settings/authentication").body
	for _, want := range []string{`value="https://app.example/sso" readonly`, "Set by SIGHTLINE_JWT_IDENTITY_PROVIDER_URI", "The key is set by SIGHTLINE_JWT_SHARED_SECRET"} {
		if !strings.Contains(p, want) {
			t.Errorf("Authentication page lacks %q", want)
		}
	}
	if strings.Contains(p, "an environment secret") {
		t.Errorf("Authentication page shows the secret")
	}
	r := e.postForm(admin, "/admin/settings/authentication/jwt", url.Values{"op": {"save-enable"}, sightline.SettingJWTIdentityProvider: {"https://other.example"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save-enable with env settings = %d %s, want 303", r.status, r.body)
	}
	if got := e.setting(sightline.SettingJWTIdentityProvider); got != "https://app.example/sso" {
		t.Errorf("IdP = %q, want the environment's", got)
	}
}

func TestAdminAuthPagesNeedAdmin(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	if _, err := e.app.CreateUser(context.Background(), e.adminUser(), app.NewUserInput{Email: "bob@example.com", Password: "bob password"}); err != nil {
		t.Fatal(err)
	}
	bob := e.client()
	if r := e.postForm(bob, "/auth/login", url.Values{"email": {"bob@example.com"}, "password": {"bob password"}}); r.status != http.StatusSeeOther {
		t.Fatalf("bob signs in = %d", r.status)
	}
	for _, req := range []struct{ method, path string }{
		{"GET", "/admin/settings/authentication"}, {"GET", "/admin/settings/embedding"},
		{"POST", "/admin/settings/authentication/jwt/key"}, {"POST", "/admin/settings/embedding"},
		{"POST", "/admin/settings/authentication/jwt/state"}, {"POST", "/admin/settings/embedding/key"},
		{"POST", "/admin/settings/embedding/key/value"}, {"POST", "/admin/settings/embedding/unpublish"},
		{"POST", "/admin/settings/embedding/revoke"},
	} {
		var r resp
		if req.method == "GET" {
			r = e.get(bob, req.path)
		} else {
			r = e.postForm(bob, req.path, url.Values{"op": {"pause"}})
		}
		if r.status != http.StatusForbidden {
			t.Errorf("%s %s as a non-admin = %d, want 403", req.method, req.path, r.status)
		}
	}
	if got := e.setting(sightline.SettingJWTSharedSecret); got != "" {
		t.Errorf("a non-admin generated a key")
	}
	if got := e.setting(sightline.SettingEmbeddingSecretKey); got != "" {
		t.Errorf("a non-admin generated an embedding secret key")
	}
}

// TestAdminJWTAdministratorMapping checks that the mapping editor warns on a
// mapping to Administrators, and that the admin sign-in and token lifetime
// settings are saved from the form.
func TestAdminJWTAdministratorMapping(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	e.postForm(admin, "/admin/settings/authentication/jwt/key", nil)
	form := url.Values{"op": {"save"}, sightline.SettingJWTIdentityProvider: {"http://localhost:8080/sso/sightline"},
		sightline.SettingJWTGroupSync: {"true"}, "map_name": {"Staff-Admins"}, "map_groups_0": {strconv.Itoa(sightline.AdminGroupID)},
		sightline.SettingJWTAllowAdminSignIn: {"true"}, sightline.SettingJWTMaxTokenLifetime: {"120"}}
	r := e.postForm(admin, "/admin/settings/authentication/jwt", form)
	if r.status >= 400 {
		t.Fatalf("save = %d %s", r.status, r.body)
	}
	if got := e.setting(sightline.SettingJWTAllowAdminSignIn); got != "true" {
		t.Errorf("%s = %q, want true", sightline.SettingJWTAllowAdminSignIn, got)
	}
	if got := e.setting(sightline.SettingJWTMaxTokenLifetime); got != "120" {
		t.Errorf("%s = %q, want 120", sightline.SettingJWTMaxTokenLifetime, got)
	}
	p := e.get(admin, "/admin/settings/authentication").body
	if !strings.Contains(p, "Everyone whose token names &ldquo;Staff-Admins&rdquo; becomes an administrator") {
		t.Errorf("the mapping editor does not warn about the mapping to Administrators")
	}
	form.Set(sightline.SettingJWTMaxTokenLifetime, "ten minutes")
	if r := e.postForm(admin, "/admin/settings/authentication/jwt", form); r.status != http.StatusBadRequest || !strings.Contains(r.body, "whole number of seconds") {
		t.Errorf("save with a lifetime of %q = %d, want 400 saying whole number of seconds", "ten minutes", r.status)
	}
}
