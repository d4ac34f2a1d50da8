package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestSandboxViewAPI saves a sandbox whose custom view is a SQL question
// bound to an attribute through POST /api/mt/gtap, and checks what a
// sandboxed person then gets from the dataset API and the permissions page.
func TestSandboxViewAPI(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	ctx := context.Background()
	if err := e.app.EnsureSampleDatabase(ctx, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	r := e.postJSON(admin, "/api/permissions/group", `{"name": "Customer SQL"}`)
	var g struct {
		ID int64 `json:"id"`
	}
	decodeBody(t, r, &g)
	r = e.postJSON(admin, "/api/user", `{"email": "sam@acme.example", "password": "sam password", "login_attributes": {"account_id": "28"}}`)
	var sam struct {
		ID int64 `json:"id"`
	}
	decodeBody(t, r, &sam)
	if r := e.postJSON(admin, "/api/permissions/membership", fmt.Sprintf(`{"group_id": %d, "user_id": %d}`, g.ID, sam.ID)); r.status != http.StatusOK {
		t.Fatalf("POST /api/permissions/membership = %d %s", r.status, r.body)
	}
	tables, err := e.app.Tables(ctx, e.adminUser(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var inv int64
	for _, tb := range tables {
		if tb.Name == "INVOICES" {
			inv = tb.ID
		}
	}
	// A sandbox's view must be a question only administrators can change:
	// keep All Users at view access on the root, where the question goes.
	r = e.do(admin, "GET", "/api/collection/graph", "", "")
	var cg struct {
		Revision int64 `json:"revision"`
	}
	decodeBody(t, r, &cg)
	if r := e.do(admin, "PUT", "/api/collection/graph", "application/json", fmt.Sprintf(`{"revision": %d, "groups": {"1": {"root": "read"}}}`, cg.Revision)); r.status != http.StatusOK {
		t.Fatalf("PUT /api/collection/graph = %d %s", r.status, r.body)
	}
	card := `{"name": "Account invoices", "display": "table", "dataset_query": {"database": 1, "type": "native", "native": {
		"query": "SELECT ID, ACCOUNT_ID, PLAN FROM INVOICES WHERE ACCOUNT_ID = {{account_id}}",
		"template-tags": {"account_id": {"id": "t1", "name": "account_id", "display-name": "Account ID", "type": "number", "default": "1"}}}}}`
	r = e.postJSON(admin, "/api/card", card)
	var c struct {
		ID int64 `json:"id"`
	}
	decodeBody(t, r, &c)
	if r.status != http.StatusOK || c.ID == 0 {
		t.Fatalf("POST /api/card = %d %s", r.status, r.body)
	}
	r = e.postJSON(admin, "/api/mt/gtap", fmt.Sprintf(`{"group_id": %d, "table_id": %d, "card_id": %d,
		"attribute_remappings": {"account_id": ["variable", ["template-tag", "account_id"]]}}`, g.ID, inv, c.ID))
	if r.status != http.StatusOK || !strings.Contains(r.body, fmt.Sprintf(`"card_id":%d`, c.ID)) || !strings.Contains(r.body, `["variable",["template-tag","account_id"]]`) {
		t.Fatalf("POST /api/mt/gtap with a SQL view = %d %s", r.status, r.body)
	}
	bad := fmt.Sprintf(`{"group_id": %d, "table_id": %d, "card_id": %d,
		"attribute_remappings": {"account_id": ["variable", ["template-tag", "nope"]]}}`, g.ID, inv, c.ID)
	if r := e.postJSON(admin, "/api/mt/gtap", bad); r.status != http.StatusBadRequest && r.status != http.StatusForbidden {
		t.Errorf("POST /api/mt/gtap binding an unknown variable = %d %s, want refused", r.status, r.body)
	}

	graph := e.do(admin, "GET", "/api/permissions/graph", "", "")
	var rev struct {
		Revision int64 `json:"revision"`
	}
	decodeBody(t, graph, &rev)
	restrict := fmt.Sprintf(`{"revision": %d, "groups": {"1": {"1": {"view-data": "legacy-no-self-service", "create-queries": "no"}}}}`, rev.Revision)
	if r := e.do(admin, "PUT", "/api/permissions/graph", "application/json", restrict); r.status != http.StatusOK {
		t.Fatalf("restrict All Users = %d %s", r.status, r.body)
	}
	client := e.client()
	if r := e.postJSON(client, "/api/session", `{"username": "sam@acme.example", "password": "sam password"}`); r.status != http.StatusOK {
		t.Fatalf("sign in = %d %s", r.status, r.body)
	}
	count := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, inv)
	if r := e.postJSON(client, "/api/dataset", count); !strings.Contains(r.body, "[[22]]") {
		t.Errorf("count through the SQL view = %d %.300s, want 22", r.status, r.body)
	}
	payment := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [["sum", ["field", "PAYMENT", {"base-type": "type/Float"}]]]}}`, inv)
	if r := e.postJSON(client, "/api/dataset", payment); r.status != http.StatusForbidden || !strings.Contains(r.body, "hidden by your sandbox") {
		t.Errorf("sum of PAYMENT through the SQL view = %d %.300s, want refused", r.status, r.body)
	}

	page := e.do(admin, "GET", "/admin/permissions", "", "")
	if !strings.Contains(page.body, "Use a saved question to create a custom view for this table") || !strings.Contains(page.body, `"variables":["account_id"]`) {
		t.Errorf("permissions page lacks the custom-view option or the question's variables")
	}
}
