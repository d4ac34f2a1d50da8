package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sightline/internal/access"
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
	if a, b := e.do(admin, "GET", "/api/api-key", "", ""), e.do(admin, "GET", "/api/api-key/", "", ""); b.status != http.StatusOK || a.body != b.body {
		t.Errorf("GET /api/api-key/ = %d %s, want the same as without the slash", b.status, b.body)
	}
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

// TestClientWalkthrough has a client holding only the session header and
// one holding only an Administrators API key each onboard a tenant through
// the API: a group, the permission graph, a sandbox, a customer. The
// customer then reads only their rows, and a key of the tenant's group,
// which has no attributes, is refused the rows instead of given all.
func TestClientWalkthrough(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	e.withSample()
	tables, err := e.app.Tables(context.Background(), e.adminUser(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var inv, acct int64
	for _, tb := range tables {
		if tb.Name == "INVOICES" {
			inv = tb.ID
			for _, f := range tb.Fields {
				if f.Name == "ACCOUNT_ID" {
					acct = f.ID
				}
			}
		}
	}
	if inv == 0 || acct == 0 {
		t.Fatal("the Sample Database has no INVOICES.ACCOUNT_ID")
	}
	keyClient := headerClient(headerAPIKey, e.createAPIKey(e.signIn("ada@example.com", "correct horse"), "Automation", 2).UnmaskedKey)
	clients := []struct {
		name string
		c    *http.Client
	}{
		{"session header", headerClient(headerSession, e.sessionID("ada@example.com", "correct horse"))},
		{"api key", keyClient},
	}
	count := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, inv)
	for i, tt := range clients {
		t.Run(tt.name, func(t *testing.T) {
			se := *e
			se.t = t
			c := tt.c
			tenant := fmt.Sprintf("Tenant %d", i)
			// Listing collections works for both, though an API key has
			// no personal collection.
			r := se.do(c, "GET", "/api/collection", "", "")
			if r.status != http.StatusOK || !strings.Contains(r.body, `"id":"root"`) {
				t.Fatalf("GET /api/collection = %d %.300s", r.status, r.body)
			}
			r = se.postJSON(c, "/api/permissions/group", fmt.Sprintf(`{"name": %q}`, tenant))
			var g struct {
				ID int64 `json:"id"`
			}
			decodeBody(t, r, &g)
			if r.status != http.StatusOK || g.ID == 0 {
				t.Fatalf("POST /api/permissions/group = %d %s", r.status, r.body)
			}
			r = se.postJSON(c, "/api/mt/gtap", fmt.Sprintf(`{"group_id": %d, "table_id": %d, "card_id": null,
				"attribute_remappings": {"account_id": ["dimension", ["field", %d, null]]}}`, g.ID, inv, acct))
			if r.status != http.StatusOK {
				t.Fatalf("POST /api/mt/gtap = %d %s", r.status, r.body)
			}
			r = se.do(c, "GET", "/api/permissions/graph", "", "")
			var graph struct {
				Revision int64 `json:"revision"`
			}
			decodeBody(t, r, &graph)
			put := fmt.Sprintf(`{"revision": %d, "groups": {"1": {"1": {"view-data": %q, "create-queries": %q}},
				"%d": {"1": {"view-data": {"PUBLIC": {"%d": %q}}, "create-queries": %q}}}}`,
				graph.Revision, access.ViewBlocked, access.QueryNone, g.ID, inv, access.ViewSandboxed, access.QueryBuilder)
			if r := se.do(c, "PUT", "/api/permissions/graph", "application/json", put); r.status != http.StatusOK {
				t.Fatalf("PUT /api/permissions/graph = %d %s", r.status, r.body)
			}
			email := fmt.Sprintf("customer%d@acme.example", i)
			r = se.postJSON(c, "/api/user", fmt.Sprintf(`{"email": %q, "password": "customer password", "login_attributes": {"account_id": "28"}}`, email))
			var u struct {
				ID int64 `json:"id"`
			}
			decodeBody(t, r, &u)
			if r.status != http.StatusOK {
				t.Fatalf("POST /api/user = %d %s", r.status, r.body)
			}
			if r := se.postJSON(c, "/api/permissions/membership", fmt.Sprintf(`{"group_id": %d, "user_id": %d}`, g.ID, u.ID)); r.status != http.StatusOK {
				t.Fatalf("POST /api/permissions/membership = %d %s", r.status, r.body)
			}
			if r := se.do(c, "GET", "/api/user", "", ""); r.status != http.StatusOK || !strings.Contains(r.body, email) {
				t.Errorf("GET /api/user = %d %.300s, want the new customer listed", r.status, r.body)
			}
			// The audit log says who made the group: Ada, or the key by name.
			entries, err := e.app.AuditLog(context.Background(), e.adminUser(), 0, 1, "group-create")
			if err != nil || len(entries) != 1 {
				t.Fatalf("audit log: %v %v", entries, err)
			}
			byKey := strings.Contains(entries[0].Detail, `"by_api_key":{"id":`) && strings.Contains(entries[0].Detail, `"name":"Automation"`)
			if wantKey := tt.name == "api key"; byKey != wantKey || (entries[0].UserID == 0) != wantKey {
				t.Errorf("audit entry of the group = user %d, detail %s; want it made by the key %v", entries[0].UserID, entries[0].Detail, wantKey)
			}

			customer := headerClient(headerSession, se.sessionID(email, "customer password"))
			if r := se.postJSON(customer, "/api/dataset", count); !strings.Contains(r.body, "[[22]]") {
				t.Errorf("POST /api/dataset as the customer = %d %.300s, want account 28's 22 invoices", r.status, r.body)
			}
			tenantKey := headerClient(headerAPIKey, se.createAPIKey(c, tenant+" key", g.ID).UnmaskedKey)
			r = se.postJSON(tenantKey, "/api/dataset", count)
			if r.status != http.StatusForbidden || strings.Contains(r.body, "[[") {
				t.Errorf("POST /api/dataset with the tenant group's key = %d %.300s, want 403 (no attribute), never rows", r.status, r.body)
			}
			if r := se.do(tenantKey, "GET", "/api/user", "", ""); r.status != http.StatusForbidden {
				t.Errorf("GET /api/user with the tenant group's key = %d, want 403", r.status)
			}
		})
	}
}

func TestAPIKeysPage(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	if _, err := e.app.CreateUser(context.Background(), e.adminUser(), app.NewUserInput{Email: "bob@example.com", Password: "bob password"}); err != nil {
		t.Fatal(err)
	}
	if r := e.do(e.signIn("bob@example.com", "bob password"), "GET", "/admin/settings/api-keys", "", ""); r.status != http.StatusForbidden {
		t.Errorf("GET /admin/settings/api-keys as a non-administrator = %d, want 403", r.status)
	}
	if r := e.get(admin, "/admin/settings/authentication"); !strings.Contains(r.body, `href="/admin/settings/api-keys"`) {
		t.Error("the Authentication page does not link to the API keys")
	}
	r := e.postForm(admin, "/admin/settings/api-keys", url.Values{"name": {"Onboarding"}, "group_id": {"2"}})
	if r.status != http.StatusOK || !strings.Contains(r.body, "it will not be shown again") {
		t.Fatalf("create an API key = %d, want the page showing the key once", r.status)
	}
	i := strings.Index(r.body, `id="api-key-new" value="`)
	if i < 0 {
		t.Fatal("no new key on the page")
	}
	secret := r.body[i+len(`id="api-key-new" value="`):]
	secret = secret[:strings.IndexByte(secret, '"')]
	if r := e.do(headerClient(headerAPIKey, secret), "GET", "/api/user/current", "", ""); r.status != http.StatusOK {
		t.Errorf("the key shown on the page = %d, want it to work", r.status)
	}
	list := e.get(admin, "/admin/settings/api-keys")
	if strings.Contains(list.body, secret) || !strings.Contains(list.body, secret[:7]+"****") || !strings.Contains(list.body, "Onboarding") {
		t.Errorf("the list must show the key's name and prefix and never the secret")
	}
	if r := e.postForm(admin, "/admin/settings/api-keys", url.Values{"name": {""}, "group_id": {"2"}}); r.status != http.StatusBadRequest || !strings.Contains(r.body, "An API key needs a name.") {
		t.Errorf("create without a name = %d, want 400 with the reason", r.status)
	}
	var id int64
	if _, err := fmt.Sscanf(list.body[strings.Index(list.body, `data-api-key-id="`)+len(`data-api-key-id="`):], "%d", &id); err != nil {
		t.Fatal(err)
	}
	if r := e.postForm(admin, fmt.Sprintf("/admin/settings/api-keys/%d", id), url.Values{"name": {"Reporting"}, "group_id": {"1"}}); r.status != http.StatusSeeOther {
		t.Errorf("edit = %d %s, want 303", r.status, r.body)
	}
	if r := e.do(headerClient(headerAPIKey, secret), "GET", "/api/user/current", "", ""); !strings.Contains(r.body, `"is_superuser":false`) {
		t.Errorf("the key moved to All Users = %s, want no administrator", r.body)
	}
	r = e.postForm(admin, fmt.Sprintf("/admin/settings/api-keys/%d/regenerate", id), nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="api-key-new"`) {
		t.Errorf("regenerate = %d, want the new key shown", r.status)
	}
	if r := e.do(headerClient(headerAPIKey, secret), "GET", "/api/user/current", "", ""); r.status != http.StatusUnauthorized {
		t.Errorf("the old key after regenerating = %d, want 401", r.status)
	}
	if r := e.postForm(admin, fmt.Sprintf("/admin/settings/api-keys/%d/delete", id), nil); r.status != http.StatusSeeOther {
		t.Errorf("delete = %d, want 303", r.status)
	}
	if r := e.get(admin, "/admin/settings/api-keys"); !strings.Contains(r.body, "No API keys yet.") {
		t.Error("the key is still listed after deleting it")
	}
	for _, topic := range []string{"api-key-create", "api-key-update", "api-key-regenerate", "api-key-delete"} {
		if e.auditCount(topic) != 1 {
			t.Errorf("audit entries %q = %d, want 1", topic, e.auditCount(topic))
		}
	}
}
