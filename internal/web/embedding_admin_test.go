package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/embed"
)

// embeddingForm is what the Embedding page's form posts, as typed.
func embeddingForm(kv ...string) url.Values {
	v := url.Values{"form": {"embedding"}, sightline.SettingSessionSameSite: {"lax"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// checked reports whether the page's checkbox named key is ticked.
func checked(body, key string) bool {
	return regexp.MustCompile(`<input type="checkbox" name="` + regexp.QuoteMeta(key) + `" value="true"[^>]*\bchecked\b`).MatchString(body)
}

func mustContain(t *testing.T, what string, r resp, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.body, w) {
			t.Errorf("%s: page does not say %q:\n%.3000s", what, w, r.body)
		}
	}
}

// TestEmbeddingSecretKey generates and regenerates the embedding secret
// key from Admin > Embedding: the key is never part of the page, only its
// last four characters; Copy reads it from its own route (administrators
// only); what the administrator typed in the rest of the form stays.
func TestEmbeddingSecretKey(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	r := e.get(admin, "/admin/settings/embedding")
	mustContain(t, "before a key", r, "No key yet.", `id="embedding-key-generate"`, ">Generate key<")
	if r := e.do(admin, "POST", "/admin/settings/embedding/key/value", "", ""); r.status != http.StatusNotFound ||
		!strings.Contains(r.body, "No embedding secret key is set: generate one first.") {
		t.Errorf("key value before a key = %d %.300s, want 404 and a message", r.status, r.body)
	}

	typed := embeddingForm(sightline.SettingEmbeddingEnabled, "true", sightline.SettingEmbeddingOrigins, "localhost:8080  https://app.example.com")
	r = e.postForm(admin, "/admin/settings/embedding/key", typed)
	if r.status != http.StatusOK {
		t.Fatalf("POST key = %d %.500s", r.status, r.body)
	}
	key := e.setting(sightline.SettingEmbeddingSecretKey)
	if len(key) != 64 || strings.Trim(key, "0123456789abcdef") != "" {
		t.Fatalf("generated key = %q, want 64 hexadecimal characters", key)
	}
	mustContain(t, "after Generate", r, "A new embedding secret key was generated", "••••"+key[60:], ">Regenerate key<",
		"Every existing embed stops working", "localhost:8080  https://app.example.com")
	if strings.Contains(r.body, key) {
		t.Errorf("the page shows the whole key")
	}
	if !checked(r.body, sightline.SettingEmbeddingEnabled) {
		t.Errorf("the interactive embedding checkbox ticked before Generate is not ticked after it")
	}
	if got := e.setting(sightline.SettingEmbeddingEnabled); got != "false" {
		t.Errorf("Generate saved the rest of the form: %s = %q", sightline.SettingEmbeddingEnabled, got)
	}

	if r := e.do(admin, "POST", "/admin/settings/embedding/key/value", "", ""); r.status != http.StatusOK || r.body != key ||
		r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("key value = %d %q (Cache-Control %q), want 200, the key, no-store", r.status, r.body, r.header.Get("Cache-Control"))
	}
	e.postForm(admin, "/admin/settings/embedding/key", nil)
	if again := e.setting(sightline.SettingEmbeddingSecretKey); again == key || len(again) != 64 {
		t.Errorf("Regenerate kept %q, want a new key", again)
	}

	e.postForm(admin, "/admin/people", url.Values{"first_name": {"Bo"}, "last_name": {"B"}, "email": {"bo@example.com"}, "password": {"correct horse 2"}})
	bo := e.signIn("bo@example.com", "correct horse 2")
	for _, p := range []string{"/admin/settings/embedding/key/value", "/admin/settings/embedding/key"} {
		if r := e.do(bo, "POST", p, "", ""); r.status != http.StatusForbidden {
			t.Errorf("POST %s by a non-administrator = %d, want 403", p, r.status)
		}
	}
	if r := e.do(e.client(), "POST", "/admin/settings/embedding/key/value", "", ""); r.status == http.StatusOK {
		t.Errorf("POST key value signed out = 200, want a refusal")
	}
}

// TestEmbeddingSecretKeyFromEnv: a key set by SIGHTLINE_EMBEDDING_SECRET_KEY
// is read-only on the page, and Generate is refused with a message.
func TestEmbeddingSecretKeyFromEnv(t *testing.T) {
	key := strings.Repeat("ab", 32)
	e := newEnv(t, map[string]string{"SIGHTLINE_EMBEDDING_SECRET_KEY": key})
	admin := e.setup()
	r := e.get(admin, "/admin/settings/embedding")
	mustContain(t, "env key", r, "Set by SIGHTLINE_EMBEDDING_SECRET_KEY; read-only here.", "••••abab")
	if strings.Contains(r.body, `id="embedding-key-generate"`) || strings.Contains(r.body, key) {
		t.Errorf("the page offers Generate or shows the key set by the environment")
	}
	r = e.postForm(admin, "/admin/settings/embedding/key", embeddingForm())
	if r.status != http.StatusBadRequest {
		t.Errorf("POST key with the key set by the environment = %d, want 400", r.status)
	}
	mustContain(t, "env key generate", r, "is set by the environment variable SIGHTLINE_EMBEDDING_SECRET_KEY and cannot be changed here.")
	if r := e.do(admin, "POST", "/admin/settings/embedding/key/value", "", ""); r.body != key {
		t.Errorf("Copy of the key set by the environment = %q, want it", r.body)
	}
}

// TestEmbeddingFormKeepsWhatWasTyped: a save refused for one field (a bad
// origin) saves nothing and comes back with every field as typed, the
// interactive and static checkboxes and the public sharing toggle too; a
// good save stores all of them.
func TestEmbeddingFormKeepsWhatWasTyped(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	bad := embeddingForm(sightline.SettingEmbeddingEnabled, "true", sightline.SettingEmbeddingStatic, "true",
		sightline.SettingPublicSharing, "true", sightline.SettingEmbeddingOrigins, "https://app.example.com ftp://nope")
	r := e.postForm(admin, "/admin/settings/embedding", bad)
	if r.status != http.StatusBadRequest {
		t.Fatalf("POST with a bad origin = %d, want 400", r.status)
	}
	mustContain(t, "bad origin", r, "Nothing was saved", "https://app.example.com ftp://nope")
	for _, k := range []string{sightline.SettingEmbeddingEnabled, sightline.SettingEmbeddingStatic, sightline.SettingPublicSharing} {
		if !checked(r.body, k) {
			t.Errorf("after a refused save, %s is not ticked as typed", k)
		}
		if got := e.setting(k); got != "false" {
			t.Errorf("a refused save stored %s = %q", k, got)
		}
	}
	good := embeddingForm(sightline.SettingEmbeddingStatic, "true", sightline.SettingPublicSharing, "true",
		sightline.SettingEmbeddingOrigins, "https://app.example.com")
	if r := e.postForm(admin, "/admin/settings/embedding", good); r.status != http.StatusSeeOther {
		t.Fatalf("POST good form = %d %.300s, want 303", r.status, r.body)
	}
	for k, want := range map[string]string{sightline.SettingEmbeddingStatic: "true", sightline.SettingPublicSharing: "true",
		sightline.SettingEmbeddingEnabled: "false", sightline.SettingEmbeddingOrigins: "https://app.example.com"} {
		if got := e.setting(k); got != want {
			t.Errorf("after Save, %s = %q, want %q", k, got, want)
		}
	}
}

// TestEmbeddingPublishedAndPublicLists lists the published items and the
// public links on Admin > Embedding, unpublishes one and revokes one, and
// keeps the rest of the form as typed meanwhile.
func TestEmbeddingPublishedAndPublicLists(t *testing.T) {
	e := newEnv(t, nil)
	f := setupPublicFixture(t, e)
	admin := f.clients["admin"]
	e.settings(map[string]string{sightline.SettingEmbeddingStatic: "true"})
	put := func(path, body string) {
		t.Helper()
		if r := e.do(admin, "PUT", path, "application/json", body); r.status != http.StatusOK {
			t.Fatalf("PUT %s = %d %.300s", path, r.status, r.body)
		}
	}
	put(fmt.Sprintf("/api/dashboard/%d", f.productsDash), `{"enable_embedding": true, "embedding_params": {"category": "locked"}}`)
	put(fmt.Sprintf("/api/card/%d", f.products), `{"enable_embedding": true}`)

	r := e.get(admin, "/admin/settings/embedding")
	dashItem := fmt.Sprintf(`data-item="dashboard:%d"`, f.productsDash)
	cardItem := fmt.Sprintf(`data-item="card:%d"`, f.products)
	mustContain(t, "lists", r, dashItem, cardItem, `<code>category</code>`, fmt.Sprintf(`href="/dashboard/%d">Products</a>`, f.productsDash),
		"/public/dashboard/"+f.publicDash, "/public/question/"+f.publicCard)

	typed := embeddingForm(sightline.SettingEmbeddingEnabled, "true", sightline.SettingEmbeddingOrigins, "https://typed.example.com",
		sightline.SettingEmbeddingStatic, "true", sightline.SettingPublicSharing, "true")
	typed.Set("item", fmt.Sprintf("dashboard:%d", f.productsDash))
	r = e.postForm(admin, "/admin/settings/embedding/unpublish", typed)
	if r.status != http.StatusOK {
		t.Fatalf("unpublish = %d %.500s", r.status, r.body)
	}
	mustContain(t, "unpublish", r, "“Products” is no longer published", "https://typed.example.com", cardItem)
	if strings.Contains(r.body, dashItem) {
		t.Errorf("the unpublished dashboard is still listed")
	}
	if !checked(r.body, sightline.SettingEmbeddingEnabled) {
		t.Errorf("Unpublish lost the interactive embedding checkbox as typed")
	}
	d := e.do(admin, "GET", fmt.Sprintf("/api/dashboard/%d", f.productsDash), "", "")
	if !strings.Contains(d.body, `"enable_embedding":false`) || !strings.Contains(d.body, `"category":"locked"`) {
		t.Errorf("after Unpublish the dashboard = %.400s, want enable_embedding false and its parameters kept", d.body)
	}

	typed.Set("item", fmt.Sprintf("card:%d", f.countCard))
	r = e.postForm(admin, "/admin/settings/embedding/revoke", typed)
	mustContain(t, "revoke", r, "The public link was revoked")
	if strings.Contains(r.body, f.publicCard) {
		t.Errorf("the revoked link is still listed")
	}
	if got := e.get(e.client(), "/api/public/card/"+f.publicCard); got.status != http.StatusNotFound {
		t.Errorf("the revoked link answers %d, want 404", got.status)
	}

	for _, tt := range []struct{ path, item, msg string }{
		{"/admin/settings/embedding/unpublish", "table:1", "Choose a dashboard or a question."},
		{"/admin/settings/embedding/unpublish", "card:99999", "not found"},
		{"/admin/settings/embedding/revoke", fmt.Sprintf("card:%d", f.countCard), "has no public link."},
	} {
		typed.Set("item", tt.item)
		r := e.postForm(admin, tt.path, typed)
		if r.status != http.StatusBadRequest || !strings.Contains(strings.ToLower(r.body), strings.ToLower(tt.msg)) {
			t.Errorf("POST %s item=%s = %d, want 400 saying %q", tt.path, tt.item, r.status, tt.msg)
		}
	}
	user := f.clients["unrestricted"]
	if r := e.postForm(user, "/admin/settings/embedding/unpublish", url.Values{"item": {fmt.Sprintf("card:%d", f.products)}}); r.status != http.StatusForbidden {
		t.Errorf("unpublish by a non-administrator = %d, want 403", r.status)
	}
	if c := e.do(admin, "GET", fmt.Sprintf("/api/card/%d", f.products), "", ""); !strings.Contains(c.body, `"enable_embedding":true`) {
		t.Errorf("a refused unpublish changed the question")
	}
}

// TestSameSiteWarning names the real problem of each SameSite choice.
func TestSameSiteWarning(t *testing.T) {
	origins := func(s string) []embed.Origin { o, _ := parseOriginList(s); return o }
	tests := []struct {
		name, sameSite, site string
		enabled              bool
		origins              string
		want                 []string // empty: no warning
	}{
		{"lax, same site", "lax", "https://bi.example.com", true, "https://app.example.com", nil},
		{"lax, other site", "lax", "https://bi.example.com", true, "https://app.other.com localhost:3000",
			[]string{"SameSite=Lax", "do not send it", "https://app.other.com, localhost", "https://bi.example.com"}},
		{"strict, any origin", "strict", "https://bi.example.com", true, "*", []string{"SameSite=Strict", "any site (*)"}},
		{"lax, other scheme", "lax", "https://bi.example.com", true, "http://app.example.com", []string{"http://app.example.com"}},
		{"lax, public suffix", "lax", "https://a.example.co.uk", true, "https://b.other.co.uk", []string{"https://b.other.co.uk"}},
		{"lax, interactive off", "lax", "https://bi.example.com", false, "https://app.other.com", nil},
		{"none over https", "none", "https://bi.example.com", true, "https://app.other.com", nil},
		{"none over http", "none", "http://bi.example.com", true, "", []string{"must be Secure", "http://bi.example.com is not https"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sameSiteWarning(tt.sameSite, tt.site, tt.enabled, origins(tt.origins))
			if len(tt.want) == 0 && got != "" {
				t.Errorf("sameSiteWarning = %q, want none", got)
			}
			if len(tt.want) > 0 && got == "" {
				t.Errorf("sameSiteWarning = none, want one saying %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("sameSiteWarning = %q, want it to say %q", got, w)
				}
			}
		})
	}
}

// TestEmbedPanelOnlyForAdministrators: the Embed button and its script are
// on dashboard and saved question pages for administrators, and on no page
// for anyone else.
func TestEmbedPanelOnlyForAdministrators(t *testing.T) {
	e := newEnv(t, nil)
	f := setupPublicFixture(t, e)
	pages := []struct{ path, button string }{
		{fmt.Sprintf("/dashboard/%d", f.productsDash), fmt.Sprintf(`id="embed-open" data-publish-model="dashboard" data-publish-id="%d"`, f.productsDash)},
		{fmt.Sprintf("/question/%d", f.products), fmt.Sprintf(`id="embed-open" data-publish-model="card" data-publish-id="%d"`, f.products)},
	}
	for _, p := range pages {
		r := e.get(f.clients["admin"], p.path)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s as admin = %d", p.path, r.status)
		}
		mustContain(t, p.path+" as admin", r, p.button, `<script type="module" src="`+assetURL("js/embed/publish.js")+`"></script>`)
		r = e.get(f.clients["unrestricted"], p.path)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s as a person = %d", p.path, r.status)
		}
		if strings.Contains(r.body, "embed-open") || strings.Contains(r.body, "publish.js") {
			t.Errorf("GET %s as a person who is not an administrator shows the Embed panel", p.path)
		}
	}
	if r := e.get(f.clients["admin"], "/question/new"); strings.Contains(r.body, "embed-open") {
		t.Errorf("a new, unsaved question offers Embed")
	}
}

// TestPermissionsPagePublicLinksNote: while public sharing is on, the
// permissions page says that public links bypass permissions and
// sandboxes, and links to the list of public links; while it is off, it
// says nothing.
func TestPermissionsPagePublicLinksNote(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	for _, tt := range []struct {
		sharing string
		want    bool
	}{{"false", false}, {"true", true}} {
		e.settings(map[string]string{sightline.SettingPublicSharing: tt.sharing})
		for _, path := range []string{"/admin/permissions", "/admin/permissions?tab=collections"} {
			r := e.get(admin, path)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s = %d", path, r.status)
			}
			if got := strings.Contains(r.body, `id="public-sharing-on"`); got != tt.want {
				t.Errorf("public sharing %s: GET %s shows the public sharing note = %v, want %v", tt.sharing, path, got, tt.want)
			}
			if tt.want {
				mustContain(t, path, r, "public links bypass these permissions and every sandbox", "refuses a public link whose question reads a table sandboxed",
					`href="/admin/settings/embedding#public-links"`)
			}
		}
	}
}
