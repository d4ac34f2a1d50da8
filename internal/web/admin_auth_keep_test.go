package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"sightline"
)

// TestAdminAuthKeepsTyped presses Generate key, a failing Save and Pause
// with changes typed in the JWT form: each shows the page again with what
// was typed, saves none of it unless asked, and says so.
func TestAdminAuthKeepsTyped(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	g := &sightline.Group{Name: "Customer Acme"}
	if err := e.db.CreateGroup(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	gid := strconv.FormatInt(g.ID, 10)
	// typed is the JWT form as the browser sends it with changes in it.
	typed := func(op string) url.Values {
		return url.Values{
			"op": {op}, sightline.SettingJWTIdentityProvider: {"https://app.example.com/sso/sightline"},
			sightline.SettingJWTAttrEmail: {"mail"}, sightline.SettingJWTGroupSync: {"true"},
			sightline.SettingJWTMaxTokenLifetime: {"300"}, "map_name": {"Customer-Acme"}, "map_groups_0": {gid},
		}
	}
	shows := func(t *testing.T, body string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("the page lacks %s", w)
			}
		}
	}
	typedMarks := []string{`value="https://app.example.com/sso/sightline"`, `name="jwt-attribute-email" value="mail"`,
		`name="jwt-group-sync" value="true" checked`, `name="jwt-max-token-lifetime" value="300"`, `value="Customer-Acme"`,
		`<option value="` + gid + `" selected>Customer Acme</option>`}

	t.Run("generate key", func(t *testing.T) {
		r := e.postForm(admin, "/admin/settings/authentication/jwt/key", typed("generate-key"))
		m := newKeyRE.FindStringSubmatch(r.body)
		if r.status != http.StatusOK || m == nil {
			t.Fatalf("Generate key = %d, want 200 with the new key", r.status)
		}
		shows(t, r.body, typedMarks...)
		shows(t, r.body, `id="jwt-copy-key" data-copy="jwt-new-key">Copy</button>`,
			"A new key is stored. Your other changes on this page are not saved yet: press Save to keep them.")
		if got := e.setting(sightline.SettingJWTSharedSecret); got != m[1] {
			t.Errorf("stored key = %q, want the shown one", got)
		}
		if got := e.setting(sightline.SettingJWTIdentityProvider); got != "" {
			t.Errorf("identity provider after Generate key = %q, want nothing saved", got)
		}
	})

	t.Run("generate key with nothing typed", func(t *testing.T) {
		r := e.postForm(admin, "/admin/settings/authentication/jwt/key", url.Values{"op": {"generate-key"}})
		if r.status != http.StatusOK || strings.Contains(r.body, "not saved yet") {
			t.Errorf("Generate key without the form = %d, want 200 without a note on unsaved changes", r.status)
		}
	})

	t.Run("validation error", func(t *testing.T) {
		form := typed("save-enable")
		form.Set(sightline.SettingJWTIdentityProvider, "ftp://app.example.com")
		r := e.postForm(admin, "/admin/settings/authentication/jwt", form)
		if r.status != http.StatusBadRequest {
			t.Fatalf("save with an ftp URI = %d, want 400", r.status)
		}
		shows(t, r.body, append(typedMarks[1:], `value="ftp://app.example.com"`,
			"The identity provider URI must be an http or https URL")...)
		if got := e.setting(sightline.SettingJWTAttrEmail); got != "email" {
			t.Errorf("email claim after a refused save = %q, want the default kept", got)
		}
	})

	t.Run("pause", func(t *testing.T) {
		if r := e.postForm(admin, "/admin/settings/authentication/jwt", url.Values{"op": {"save-enable"}}); r.status != http.StatusSeeOther {
			t.Fatalf("save-enable = %d %s", r.status, r.body)
		}
		r := e.postForm(admin, "/admin/settings/authentication/jwt/state", typed("pause"))
		if r.status != http.StatusOK {
			t.Fatalf("Pause with changes = %d, want 200", r.status)
		}
		shows(t, r.body, typedMarks...)
		shows(t, r.body, `id="jwt-state">Paused`, "JWT sign-in is paused. Your other changes on this page are not saved yet")
		if got := e.setting(sightline.SettingJWTEnabled); got != "false" {
			t.Errorf("enabled after Pause = %q, want false", got)
		}
		if got := e.setting(sightline.SettingJWTAttrEmail); got != "email" {
			t.Errorf("email claim after Pause = %q, want nothing typed saved", got)
		}
		// The stored form sent back unchanged is no unsaved change.
		same := url.Values{"op": {"resume"}, sightline.SettingJWTAttrEmail: {"email"}, sightline.SettingJWTAttrFirstName: {"first_name"},
			sightline.SettingJWTAttrLastName: {"last_name"}, sightline.SettingJWTAttrGroups: {"groups"},
			sightline.SettingJWTMaxTokenLifetime: {e.setting(sightline.SettingJWTMaxTokenLifetime)}}
		for _, k := range []string{sightline.SettingJWTUserProvisioning, sightline.SettingJWTGroupSync, sightline.SettingJWTAllowAdminSignIn, sightline.SettingJWTRequireGroup} {
			if e.setting(k) == "true" {
				same.Set(k, "true")
			}
		}
		if r := e.postForm(admin, "/admin/settings/authentication/jwt/state", same); r.status != http.StatusSeeOther {
			t.Errorf("Resume with the stored form = %d %.300s, want 303", r.status, r.body)
		}
	})

	t.Run("page", func(t *testing.T) {
		if r := e.postForm(admin, "/admin/settings/authentication/jwt", typed("save")); r.status != http.StatusSeeOther {
			t.Fatalf("save = %d %.300s", r.status, r.body)
		}
		body := e.get(admin, "/admin/settings/authentication").body
		shows(t, body, `<script type="module" src="`+assetURL("js/admin/forms.js")+`"></script>`, `multiple data-multiselect`,
			`form="jwt-form" formaction="/admin/settings/authentication/jwt/key"`)
		// Enter in a field saves: the form's first submit button is Save.
		first := strings.Index(body, `form="jwt-form"`)
		if first < 0 || !strings.HasPrefix(body[first:], `form="jwt-form" type="submit" name="op" value="save" hidden`) {
			t.Errorf("the first button of the JWT form is not the hidden Save")
		}
	})
}
