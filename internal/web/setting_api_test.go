package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestAPIContractSettings checks the settings endpoints' status codes and
// response shapes against golden files.
func TestAPIContractSettings(t *testing.T) {
	e := newEnv(t, map[string]string{"SIGHTLINE_REPORT_TIMEZONE": "Europe/Paris"})
	e.adminClient = e.setup()
	bob, _ := nonAdmin(t, e, "bob@example.com")
	anon := e.client()
	if r := e.do(e.adminClient, "PUT", "/api/setting/jwt-shared-secret", "application/json", `{"value": "`+strings.Repeat("k", 64)+`"}`); r.status != http.StatusNoContent {
		t.Fatalf("set the JWT secret = %d %s", r.status, r.body)
	}
	for _, tt := range []struct {
		name         string
		c            *http.Client
		method, path string
		body         string
		status       int
	}{
		{"session-properties-anonymous", anon, "GET", "/api/session/properties", "", 200},
		{"session-properties-user", bob, "GET", "/api/session/properties", "", 200},
		{"session-properties-admin", e.adminClient, "GET", "/api/session/properties", "", 200},
		{"setting-get-bool", e.adminClient, "GET", "/api/setting/enable-xrays", "", 200},
		{"setting-get-int", e.adminClient, "GET", "/api/setting/jwt-max-token-lifetime", "", 200},
		{"setting-get-json", e.adminClient, "GET", "/api/setting/jwt-group-mappings", "", 200},
		{"setting-get-secret", e.adminClient, "GET", "/api/setting/jwt-shared-secret", "", 200},
		{"setting-get-unset", e.adminClient, "GET", "/api/setting/site-url", "", 200},
		{"setting-get-401", anon, "GET", "/api/setting/site-name", "", 401},
		{"setting-get-403", bob, "GET", "/api/setting/site-name", "", 403},
		{"setting-get-404", e.adminClient, "GET", "/api/setting/no-such-setting", "", 404},
		{"setting-put-bulk-403", bob, "PUT", "/api/setting", `{"site-name": "Mine"}`, 403},
		{"setting-put-bulk-401", anon, "PUT", "/api/setting", `{"site-name": "Mine"}`, 401},
		{"setting-put-bulk-unknown", e.adminClient, "PUT", "/api/setting", `{"site-name": "Half", "no-such-setting": 1}`, 400},
		{"setting-put-bulk-env", e.adminClient, "PUT", "/api/setting", `{"site-name": "Half", "report-timezone": "UTC"}`, 400},
		{"setting-put-bulk-invalid", e.adminClient, "PUT", "/api/setting", `{"site-name": "Half", "enable-xrays": "maybe"}`, 400},
		{"setting-put-bulk-empty", e.adminClient, "PUT", "/api/setting", `{}`, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ct := ""
			if tt.body != "" {
				ct = "application/json"
			}
			checkGolden(t, tt.name, tt.status, e.do(tt.c, tt.method, tt.path, ct, tt.body))
		})
	}
	// Nothing of a refused bulk update was stored.
	if got := e.get(e.adminClient, "/api/setting/site-name").body; strings.TrimSpace(got) != `"Acme Analytics"` {
		t.Errorf("site-name after refused bulk updates = %s, want \"Acme Analytics\" unchanged", got)
	}
	// A good one stores every value, typed.
	r := e.do(e.adminClient, "PUT", "/api/setting", "application/json", `{"site-name": "Beta", "enable-xrays": false, "jwt-max-token-lifetime": 300, "jwt-group-mappings": {"acme": [2]}}`)
	if r.status != http.StatusNoContent {
		t.Fatalf("PUT /api/setting = %d %s, want 204", r.status, r.body)
	}
	for key, want := range map[string]string{"site-name": `"Beta"`, "enable-xrays": "false", "jwt-max-token-lifetime": "300", "jwt-group-mappings": `{"acme":[2]}`} {
		if got := strings.TrimSpace(e.get(e.adminClient, "/api/setting/"+key).body); got != want {
			t.Errorf("GET /api/setting/%s = %s, want %s", key, got, want)
		}
	}
}

// TestSessionPropertiesHoldNoSecrets reads the session properties as
// someone who is not an administrator: no secret, and no setting beyond
// the public ones, even once they are all set.
func TestSessionPropertiesHoldNoSecrets(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	bob, _ := nonAdmin(t, e, "bob@example.com")
	secret := strings.Repeat("s", 64)
	r := e.do(e.adminClient, "PUT", "/api/setting", "application/json",
		`{"jwt-shared-secret": "`+secret+`", "metrics-token": "scrape-token-123", "embedding-app-origins-interactive": "https://host.example"}`)
	if r.status != http.StatusNoContent {
		t.Fatalf("PUT /api/setting = %d %s", r.status, r.body)
	}
	for _, c := range []*http.Client{bob, e.client()} {
		got := e.get(c, "/api/session/properties").body
		for _, hidden := range []string{secret, "scrape-token-123", "https://host.example", "jwt-shared-secret", "metrics-token", "jwt-group-mappings"} {
			if strings.Contains(got, hidden) {
				t.Errorf("GET /api/session/properties as a non-admin shows %q: %s", hidden, got)
			}
		}
	}
	if got := e.get(e.adminClient, "/api/session/properties").body; strings.Contains(got, secret) || !strings.Contains(got, `"jwt-shared-secret":"**********"`) {
		t.Errorf("GET /api/session/properties as the admin = %s, want the secret masked", got)
	}
}
