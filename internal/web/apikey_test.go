package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"sightline/internal/app"
)

// apiKeyReply is the part of an /api/api-key answer the tests read.
type apiKeyReply struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	MaskedKey   string `json:"masked_key"`
	UnmaskedKey string `json:"unmasked_key"`
	Group       struct {
		ID int64 `json:"id"`
	} `json:"group"`
}

// createAPIKey creates a key through the API as c and returns it.
func (e *testEnv) createAPIKey(c *http.Client, name string, group int64) apiKeyReply {
	e.t.Helper()
	r := e.postJSON(c, "/api/api-key", fmt.Sprintf(`{"name": %q, "group_id": %d}`, name, group))
	var k apiKeyReply
	if err := json.Unmarshal([]byte(r.body), &k); err != nil || r.status != http.StatusOK || k.UnmaskedKey == "" {
		e.t.Fatalf("POST /api/api-key = %d %s, want 200 with the key", r.status, r.body)
	}
	return k
}

func TestAPIKeysAPI(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	ctx := context.Background()
	if _, err := e.app.CreateUser(ctx, e.adminUser(), app.NewUserInput{Email: "bob@example.com", Password: "bob password"}); err != nil {
		t.Fatal(err)
	}
	bob := e.signIn("bob@example.com", "bob password")

	checkAPIGolden(t, "api_key_list_empty", e.do(admin, "GET", "/api/api-key", "", ""))
	r := e.postJSON(admin, "/api/api-key", `{"name": "Onboarding", "group_id": 2, "unknown_key": true}`)
	checkAPIGolden(t, "api_key_create", r)
	var k apiKeyReply
	decodeBody(t, r, &k)
	if !strings.HasPrefix(k.UnmaskedKey, "mb_") || !strings.HasPrefix(k.MaskedKey, k.UnmaskedKey[:7]) || strings.Contains(k.MaskedKey, k.UnmaskedKey[7:]) {
		t.Errorf("create: unmasked %q masked %q, want an mb_ key and its prefix followed by stars", k.UnmaskedKey, k.MaskedKey)
	}
	checkAPIGolden(t, "api_key_list", e.do(admin, "GET", "/api/api-key", "", ""))
	checkAPIGolden(t, "api_key_count", e.do(admin, "GET", "/api/api-key/count", "", ""))
	if r := e.do(admin, "GET", "/api/api-key", "", ""); strings.Contains(r.body, k.UnmaskedKey) || strings.Contains(r.body, "unmasked_key") {
		t.Errorf("the list shows the secret: %s", r.body)
	}

	// The key works until it is regenerated; then only the new one does.
	key := headerClient(headerAPIKey, k.UnmaskedKey)
	if r := e.do(key, "GET", "/api/user/current", "", ""); r.status != http.StatusOK || !strings.Contains(r.body, `"is_superuser":true`) {
		t.Errorf("GET /api/user/current with an Administrators key = %d %s, want 200 as an administrator", r.status, r.body)
	}
	r = e.do(admin, "PUT", fmt.Sprintf("/api/api-key/%d/regenerate", k.ID), "", "")
	checkAPIGolden(t, "api_key_regenerate", r)
	var k2 apiKeyReply
	decodeBody(t, r, &k2)
	if r := e.do(key, "GET", "/api/user/current", "", ""); r.status != http.StatusUnauthorized {
		t.Errorf("the old secret after regenerating = %d, want 401", r.status)
	}
	if k2.UnmaskedKey == k.UnmaskedKey {
		t.Fatal("regenerate returned the same secret")
	}
	key = headerClient(headerAPIKey, k2.UnmaskedKey)
	if r := e.do(key, "GET", "/api/user/current", "", ""); r.status != http.StatusOK {
		t.Errorf("the new secret = %d, want 200", r.status)
	}

	// Moving the key to All Users takes its administration away at once.
	checkAPIGolden(t, "api_key_update", e.do(admin, "PUT", fmt.Sprintf("/api/api-key/%d", k.ID), "application/json", `{"name": "Reporting", "group_id": 1}`))
	if r := e.do(key, "GET", "/api/api-key", "", ""); r.status != http.StatusForbidden {
		t.Errorf("GET /api/api-key with an All Users key = %d %s, want 403", r.status, r.body)
	}
	if r := e.do(key, "GET", "/api/user/current", "", ""); r.status != http.StatusOK || !strings.Contains(r.body, `"is_superuser":false`) {
		t.Errorf("GET /api/user/current with an All Users key = %d %s, want 200, not an administrator", r.status, r.body)
	}

	// Error shapes.
	errs := []struct {
		name, method, path, body string
		c                        *http.Client
	}{
		{"api_key_list_unauthenticated", "GET", "/api/api-key", "", e.client()},
		{"api_key_list_forbidden", "GET", "/api/api-key", "", bob},
		{"api_key_create_forbidden", "POST", "/api/api-key", `{"name": "Mine", "group_id": 2}`, bob},
		{"api_key_create_no_name", "POST", "/api/api-key", `{"name": " ", "group_id": 2}`, admin},
		{"api_key_create_no_group", "POST", "/api/api-key", `{"name": "No group"}`, admin},
		{"api_key_create_unknown_group", "POST", "/api/api-key", `{"name": "Lost", "group_id": 9999}`, admin},
		{"api_key_create_duplicate", "POST", "/api/api-key", `{"name": "Reporting", "group_id": 2}`, admin},
		{"api_key_update_unknown", "PUT", "/api/api-key/9999", `{"name": "x"}`, admin},
		{"api_key_regenerate_forbidden", "PUT", fmt.Sprintf("/api/api-key/%d/regenerate", k.ID), "", bob},
		{"api_key_delete_unknown", "DELETE", "/api/api-key/9999", "", admin},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			se := *e
			se.t = t
			ct := ""
			if tt.body != "" {
				ct = "application/json"
			}
			checkAPIGolden(t, tt.name, se.do(tt.c, tt.method, tt.path, ct, tt.body))
		})
	}
	if r := e.do(admin, "GET", "/api/api-key/count", "", ""); strings.TrimSpace(r.body) != "1" {
		t.Errorf("count after refused requests = %s, want 1", r.body)
	}

	if r := e.do(admin, "DELETE", fmt.Sprintf("/api/api-key/%d", k.ID), "", ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE /api/api-key = %d %s, want 204", r.status, r.body)
	}
	if r := e.do(key, "GET", "/api/user/current", "", ""); r.status != http.StatusUnauthorized || r.body != "Unauthenticated" {
		t.Errorf("a deleted key = %d %q, want 401 Unauthenticated", r.status, r.body)
	}
	for topic, n := range map[string]int{"api-key-create": 1, "api-key-regenerate": 1, "api-key-update": 1, "api-key-delete": 1} {
		if got := e.auditCount(topic); got != n {
			t.Errorf("audit entries %q = %d, want %d", topic, got, n)
		}
	}
}
