package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
)

// embedPageConfig reads the JSON block a static page hands to embed.js.
func embedPageConfig(t *testing.T, body string) embedConfig {
	t.Helper()
	const open = `<script type="application/json" id="embed-data">`
	i := strings.Index(body, open)
	if i < 0 {
		t.Fatalf("the page has no embed-data block: %.500s", body)
	}
	rest := body[i+len(open):]
	var cfg embedConfig
	if err := json.Unmarshal([]byte(rest[:strings.Index(rest, "</script>")]), &cfg); err != nil {
		t.Fatalf("embed-data: %v", err)
	}
	return cfg
}

// TestStaticEmbedPages checks the static embed, public-link and preview
// pages: what they show and hide, their errors, their framing policy and
// that they set no cookie.
func TestStaticEmbedPages(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	f := lf.embed
	dash := map[string]any{"dashboard": f.dash}
	locked28 := f.sign(t, dash, map[string]any{"account_id": 28})
	question := f.sign(t, map[string]any{"question": f.card}, map[string]any{"account_id": 28})
	expired := signEmbed(t, jwt.SigningMethodHS256, []byte(embedSecret),
		jwt.MapClaims{"resource": dash, "params": map[string]any{"account_id": 28}, "exp": time.Now().Add(-time.Minute).Unix()})
	e.settings(map[string]string{sightline.SettingPublicSharing: "true"})
	publicDash, err := e.app.CreatePublicLink(context.Background(), e.adminUser(), sightline.PublicDashboard, f.dash)
	if err != nil {
		t.Fatal(err)
	}
	publicCard, err := e.app.CreatePublicLink(context.Background(), e.adminUser(), sightline.PublicCard, f.card)
	if err != nil {
		t.Fatal(err)
	}

	// A browser that holds a Sightline session still gets no cookie from
	// these pages: they never read or refresh it.
	signedIn := lf.clients["admin"]
	for _, c := range []struct {
		name, path string
		status     int
		want       string // in the page
		api        string // the API base embed.js is handed
		params     []string
	}{
		{"embedded dashboard", "/embed/dashboard/" + locked28, 200, "Embedded invoices", "/api/embed/dashboard/" + locked28, []string{"plan"}},
		{"embedded dashboard with an editable value", "/embed/dashboard/" + locked28 + "?plan=Basic", 200, "Embedded invoices", "/api/embed/dashboard/" + locked28, []string{"plan"}},
		{"embedded question", "/embed/question/" + question, 200, "Invoices of an account", "/api/embed/card/" + question, nil},
		{"public dashboard", "/public/dashboard/" + publicDash, 200, "Embedded invoices", "/api/public/dashboard/" + publicDash, []string{"account_id", "plan", "internal"}},
		{"public question", "/public/question/" + publicCard, 200, "Invoices of an account", "/api/public/card/" + publicCard, []string{"account_id"}},
		{"expired token", "/embed/dashboard/" + expired, 400, "The embedding token has expired.", "", nil},
		{"bad token", "/embed/dashboard/x.y.z", 400, "could not be verified", "", nil},
		{"question token on the dashboard page", "/embed/dashboard/" + question, 400, "names a question, not a dashboard", "", nil},
		{"dashboard token on the question page", "/embed/question/" + locked28, 400, "names a dashboard, not a question", "", nil},
		{"locked value in the query string", "/embed/dashboard/" + locked28 + "?account_id=29", 400, "You can&#39;t specify a value for :account_id in the URL", "", nil},
		{"unpublished dashboard", "/embed/dashboard/" + f.sign(t, map[string]any{"dashboard": lf.dash}, nil), 400, "Embedding is not enabled for this object.", "", nil},
		{"unknown public link", "/public/dashboard/00000000-0000-4000-8000-000000000000", 404, "", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			se := *e
			se.t = t
			for who, cl := range map[string]*http.Client{"anonymous": e.client(), "signed in": signedIn} {
				r := se.do(cl, "GET", c.path, "", "")
				if r.status != c.status || !strings.Contains(r.body, c.want) {
					t.Fatalf("%s: GET %s = %d %.600s, want %d with %q", who, c.path, r.status, r.body, c.status, c.want)
				}
				if v := r.header.Values("Set-Cookie"); len(v) > 0 {
					t.Errorf("%s: GET %s set cookies %v, want none", who, c.path, v)
				}
				if csp := r.header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors *") {
					t.Errorf("%s: CSP = %q, want frame-ancestors * (the default of %s)", who, csp, sightline.SettingEmbeddingStaticOrigins)
				}
				for _, hidden := range []string{"SELECT", "ACCOUNT_ID", "dataset_query", "parameter_mappings", "id=\"topbar\"", "href=\"/question/", "href=\"/dashboard/"} {
					if strings.Contains(r.body, hidden) {
						t.Errorf("%s: the page shows %q", who, hidden)
					}
				}
			}
			if c.status != 200 {
				return
			}
			cfg := embedPageConfig(t, se.do(e.client(), "GET", c.path, "", "").body)
			if cfg.API != c.api {
				t.Errorf("api = %q, want %q", cfg.API, c.api)
			}
			var slugs []string
			for _, p := range cfg.Parameters {
				slugs = append(slugs, p.Slug)
			}
			if fmt.Sprint(slugs) != fmt.Sprint(c.params) && !(len(slugs) == 0 && len(c.params) == 0) {
				t.Errorf("filters = %v, want %v (locked and disabled ones never shown on a token's page)", slugs, c.params)
			}
			if !cfg.Downloads {
				t.Error("downloads are off; they are on for embeds and public links")
			}
		})
	}

	t.Run("public question reads the target of a variable value", func(t *testing.T) {
		se := *e
		se.t = t
		// The wire form embed.js sends for a SQL variable; the target is
		// read, so a variable the question lacks is named in the refusal.
		p := `[{"id": "nope", "type": "category", "value": "28", "target": ["variable", ["template-tag", "nope"]]}]`
		r := se.do(e.client(), "GET", "/api/public/card/"+publicCard+"/query?parameters="+url.QueryEscape(p), "", "")
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `A filter is wired to the variable \"nope\", which the question does not have.`) {
			t.Errorf("public question with a value for a missing variable = %d %.300s, want 400 naming the variable", r.status, r.body)
		}
	})

	t.Run("static embedding off", func(t *testing.T) {
		se := *e
		se.t = t
		se.settings(map[string]string{sightline.SettingEmbeddingStatic: "false"})
		defer se.settings(map[string]string{sightline.SettingEmbeddingStatic: "true"})
		r := se.do(e.client(), "GET", "/embed/dashboard/"+locked28, "", "")
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Static embedding is not enabled.") {
			t.Errorf("with static embedding off = %d %.300s, want 400 Static embedding is not enabled.", r.status, r.body)
		}
	})

	t.Run("framing follows embedding-static-origins", func(t *testing.T) {
		se := *e
		se.t = t
		se.settings(map[string]string{sightline.SettingEmbeddingStaticOrigins: "https://app.example.com localhost:*"})
		defer se.settings(map[string]string{sightline.SettingEmbeddingStaticOrigins: "*"})
		for path, want := range map[string]string{
			"/embed/dashboard/" + locked28:         "frame-ancestors https://app.example.com http://localhost:* https://localhost:*",
			"/public/dashboard/" + publicDash:      "frame-ancestors https://app.example.com http://localhost:* https://localhost:*",
			"/embed/dashboard/x.y.z":               "frame-ancestors https://app.example.com http://localhost:* https://localhost:*",
			"/preview_embed/dashboard/" + locked28: "frame-ancestors 'self'",
			"/auth/login":                          "frame-ancestors 'none'",
		} {
			r := se.do(signedIn, "GET", path, "", "")
			if csp := r.header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, want) {
				t.Errorf("CSP of %s = %q, want it to end with %q", path, csp, want)
			}
		}
	})

	t.Run("preview is for administrators", func(t *testing.T) {
		se := *e
		se.t = t
		for _, c := range []struct {
			who    string
			client *http.Client
			status int
			want   string
		}{
			{"anonymous", e.client(), http.StatusFound, ""},
			{"person", lf.clients["unrestricted"], http.StatusForbidden, "Only administrators may preview static embeds."},
			{"administrator", signedIn, http.StatusOK, "/api/preview_embed/dashboard/" + locked28},
		} {
			r := se.do(c.client, "GET", "/preview_embed/dashboard/"+locked28, "", "")
			if r.status != c.status || !strings.Contains(r.body, c.want) {
				t.Errorf("%s: preview = %d %.300s, want %d with %q", c.who, r.status, r.body, c.status, c.want)
			}
		}
		r := se.do(signedIn, "GET", "/preview_embed/question/"+question, "", "")
		if cfg := embedPageConfig(t, r.body); cfg.API != "/api/preview_embed/card/"+question || !cfg.Load || cfg.Downloads {
			t.Errorf("question preview config = %+v, want it to load from /api/preview_embed/card/ without downloads", cfg)
		}
	})
}

func TestLockedText(t *testing.T) {
	got := lockedText(map[string]any{"account_id": float64(28), "big": float64(1000000), "plans": []any{"Basic", float64(2.5)}, "name": "Acme"})
	want := map[string]string{"account_id": "28", "big": "1000000", "plans": "Basic, 2.5", "name": "Acme"}
	if len(got) != len(want) {
		t.Fatalf("lockedText = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("lockedText[%s] = %q, want %q", k, got[k], v)
		}
	}
	if lockedText(nil) != nil {
		t.Error("lockedText(nil) is not nil")
	}
}
