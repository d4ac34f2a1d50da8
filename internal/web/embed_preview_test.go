package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
)

// TestPreviewEmbed checks administrators' previews of static embeds: a
// signed-in administrator is required, the item need not be published,
// the token's _embedding_params replace the saved modes, and the signing
// route makes ten-minute tokens.
func TestPreviewEmbed(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	f := lf.embed
	admin, user := lf.clients["admin"], lf.clients["unrestricted"]
	sign := func(resource, params, modes map[string]any) string {
		claims := jwt.MapClaims{"resource": resource, "params": params, "exp": time.Now().Add(time.Minute).Unix()}
		if modes != nil {
			claims["_embedding_params"] = modes
		}
		return signEmbed(t, jwt.SigningMethodHS256, []byte(embedSecret), claims)
	}
	// lf.dash is not published; its Plan filter is wired to the count.
	unpublished := sign(map[string]any{"dashboard": lf.dash}, map[string]any{"plan": "Basic"}, map[string]any{"plan": "locked"})
	basic := countOfDataset(t, e.postJSON(admin, fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", lf.dash, lf.dashcard, lf.countCard),
		`{"parameters": [{"id": "plan", "value": "Basic"}]}`).body)
	editable := sign(map[string]any{"dashboard": f.dash}, map[string]any{}, map[string]any{"account_id": "enabled"})
	planLocked := sign(map[string]any{"dashboard": f.dash}, map[string]any{"plan": "Basic"}, map[string]any{"account_id": "enabled", "plan": "locked"})
	for _, c := range []struct {
		name   string
		who    *http.Client
		path   string
		status int
		want   string
	}{
		{"without a session", e.client(), "/api/preview_embed/dashboard/" + unpublished, 401, "Please sign in."},
		{"as a person", user, "/api/preview_embed/dashboard/" + unpublished, 403, "Only administrators"},
		{"as a person, a card", user, fmt.Sprintf("/api/preview_embed/dashboard/%s/dashcard/%d/card/%d", unpublished, lf.dashcard, lf.countCard), 403, "Only administrators"},
		{"an unpublished dashboard", admin, "/api/preview_embed/dashboard/" + unpublished, 200, `"name":"Invoices"`},
		{"its card with the locked plan", admin, fmt.Sprintf("/api/preview_embed/dashboard/%s/dashcard/%d/card/%d", unpublished, lf.dashcard, lf.countCard), 202, basic},
		{"the same token outside a preview", admin, fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d", unpublished, lf.dashcard, lf.countCard), 400, "Embedding is not enabled for this object."},
		{"_embedding_params make a locked filter editable", admin, fmt.Sprintf("/api/preview_embed/dashboard/%s/dashcard/%d/card/%d?account_id=28", planLocked, f.filtered, lf.countCard), 202, "count=22"},
		{"with nothing locked a sandboxed table is refused", admin, fmt.Sprintf("/api/preview_embed/dashboard/%s/dashcard/%d/card/%d", editable, f.filtered, lf.countCard), 403, "sandboxed for some people"},
		{"the saved modes apply without _embedding_params", admin, fmt.Sprintf("/api/preview_embed/dashboard/%s/dashcard/%d/card/%d",
			sign(map[string]any{"dashboard": f.dash}, map[string]any{}, nil), f.filtered, lf.countCard), 400, "You must specify a value for :account_id in the JWT."},
		{"bad _embedding_params", admin, "/api/preview_embed/dashboard/" + sign(map[string]any{"dashboard": f.dash}, nil, map[string]any{"account_id": "open"}), 400, "must be disabled, enabled or locked"},
		{"a question", admin, fmt.Sprintf("/api/preview_embed/card/%s/query", sign(map[string]any{"question": f.card}, map[string]any{"account_id": 28}, nil)), 202, "count=22"},
		{"a question's definition", admin, "/api/preview_embed/card/" + sign(map[string]any{"question": f.card}, map[string]any{"account_id": 28}, nil), 200, `"name":"Invoices of an account"`},
		{"filter values", admin, fmt.Sprintf("/api/preview_embed/dashboard/%s/params/plan/values", sign(map[string]any{"dashboard": f.dash}, map[string]any{"account_id": 28}, nil)), 200, `[["Basic"]]`},
		{"a badly signed token", admin, "/api/preview_embed/dashboard/x.y.z", 400, "could not be verified"},
	} {
		t.Run(c.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(c.who, "GET", c.path, "", "")
			got := r.body
			if r.status == http.StatusAccepted {
				got = countOfDataset(t, r.body)
			}
			if r.status != c.status || !strings.Contains(got, c.want) {
				t.Errorf("GET %s = %d %.300s, want %d %q", c.path, r.status, r.body, c.status, c.want)
			}
		})
	}
	t.Run("previews work with static embedding off", func(t *testing.T) {
		se := *e
		se.t = t
		se.settings(map[string]string{sightline.SettingEmbeddingStatic: "false"})
		defer se.settings(map[string]string{sightline.SettingEmbeddingStatic: "true"})
		if r := se.do(admin, "GET", "/api/preview_embed/dashboard/"+unpublished, "", ""); r.status != http.StatusOK {
			t.Errorf("preview with static embedding off = %d %.300s, want 200", r.status, r.body)
		}
	})
}

// TestSignPreviewToken checks POST /api/preview_embed/token.
func TestSignPreviewToken(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	admin := lf.clients["admin"]
	for _, c := range []struct {
		name   string
		who    *http.Client
		body   string
		status int
		want   string
	}{
		{"without a session", e.client(), `{"resource": {"dashboard": 1}}`, 401, "Please sign in."},
		{"as a person", lf.clients["unrestricted"], fmt.Sprintf(`{"resource": {"dashboard": %d}}`, lf.dash), 403, "Only administrators"},
		{"no resource", admin, `{"params": {}}`, 400, "The resource must name one dashboard or question"},
		{"two resources", admin, fmt.Sprintf(`{"resource": {"dashboard": %d, "question": %d}}`, lf.dash, lf.countCard), 400, "The resource must name one"},
		{"unknown dashboard", admin, `{"resource": {"dashboard": 9999}}`, 404, "not found"},
		{"bad modes", admin, fmt.Sprintf(`{"resource": {"dashboard": %d}, "_embedding_params": {"plan": "open"}}`, lf.dash), 400, "must be disabled, enabled or locked"},
	} {
		t.Run(c.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.postJSON(c.who, "/api/preview_embed/token", c.body)
			if r.status != c.status || !strings.Contains(r.body, c.want) {
				t.Errorf("POST %s = %d %.300s, want %d %q", c.body, r.status, r.body, c.status, c.want)
			}
		})
	}
	r := e.postJSON(admin, "/api/preview_embed/token", fmt.Sprintf(`{"resource": {"dashboard": %d}, "params": {"plan": "Basic"}, "_embedding_params": {"plan": "locked"}}`, lf.dash))
	var out struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil || r.status != http.StatusOK {
		t.Fatalf("sign = %d %.300s", r.status, r.body)
	}
	claims := jwt.MapClaims{}
	if _, err := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"})).ParseWithClaims(out.Token, claims, func(*jwt.Token) (any, error) { return []byte(embedSecret), nil }); err != nil {
		t.Fatalf("the signed token does not verify with the embedding secret: %v", err)
	}
	exp, _ := claims.GetExpirationTime()
	if left := time.Until(exp.Time); left < 9*time.Minute || left > 10*time.Minute+time.Second {
		t.Errorf("the token expires in %v, want 10 minutes", left)
	}
	if r := e.do(admin, "GET", fmt.Sprintf("/api/preview_embed/dashboard/%s/dashcard/%d/card/%d", out.Token, lf.dashcard, lf.countCard), "", ""); r.status != http.StatusAccepted {
		t.Errorf("preview with the signed token = %d %.300s, want 202", r.status, r.body)
	}
}

// TestEmbeddableLists checks GET /api/card/embeddable and GET
// /api/dashboard/embeddable: administrators only, published items only.
func TestEmbeddableLists(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	lf.addEmbed(t, e)
	admin := lf.clients["admin"]
	for _, c := range []struct {
		path, want, not string
	}{
		{"/api/dashboard/embeddable", fmt.Sprintf(`[{"id":%d,"name":"Embedded invoices"`, lf.embed.dash), `"name":"Invoices"`},
		{"/api/card/embeddable", fmt.Sprintf(`[{"id":%d,"name":"Invoices of an account"`, lf.embed.card), `"name":"Invoice count"`},
	} {
		r := e.do(admin, "GET", c.path, "", "")
		if r.status != http.StatusOK || !strings.Contains(r.body, c.want) || strings.Contains(r.body, c.not) {
			t.Errorf("GET %s = %d %.300s, want %q and not %q", c.path, r.status, r.body, c.want, c.not)
		}
		if r := e.do(lf.clients["unrestricted"], "GET", c.path, "", ""); r.status != http.StatusForbidden {
			t.Errorf("GET %s as a person = %d, want 403", c.path, r.status)
		}
		if r := e.do(e.client(), "GET", c.path, "", ""); r.status != http.StatusUnauthorized {
			t.Errorf("GET %s without a session = %d, want 401", c.path, r.status)
		}
	}
}
