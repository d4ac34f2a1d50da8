package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"sightline/internal/access"
)

// TestAPIContractGraphWithSandboxes sends sandboxes with PUT
// /api/permissions/graph: they are checked like any sandbox, saved with the
// graph in one transaction, and a refused one or a stale revision saves
// nothing at all.
func TestAPIContractGraphWithSandboxes(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	f := setupLeakFixtureOn(t, e, sqliteLeakSample(t, e))
	ctx := context.Background()
	acme, other := int64(0), int64(0)
	for _, name := range []string{"Customer Globex", "Customer Initech"} {
		g, err := e.app.CreateGroup(ctx, e.adminUser(), name)
		if err != nil {
			t.Fatal(err)
		}
		if acme == 0 {
			acme = g.ID
		} else {
			other = g.ID
		}
	}
	globex, initech := acme, other
	rev := func() int64 {
		g, err := e.app.DataPermissionGraph(ctx, e.adminUser())
		if err != nil {
			t.Fatal(err)
		}
		return g.Revision
	}
	sandboxCount := func() int {
		ps, err := e.app.Sandboxes(ctx, e.adminUser())
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	byPlan := func(g int64) string {
		return fmt.Sprintf(`{"group_id": %d, "table_id": %d, "attribute_remappings": {"plan": ["dimension", ["field", %d, null]]}}`, g, f.inv, f.plan)
	}
	before := sandboxCount()
	// Initech's grant on the database says INVOICES is blocked, not
	// sandboxed: refused, and Globex's sandbox sent with it is not saved.
	blocked := fmt.Sprintf(`"%d": {"%d": {"view-data": "blocked", "create-queries": "no"}}`, initech, f.db)
	for _, tt := range []struct {
		name   string
		body   string
		status int
	}{
		{"graph-sandboxes-not-sandboxed-400", fmt.Sprintf(`{"revision": %d, "groups": {%s}, "sandboxes": [%s, %s]}`, rev(), blocked, byPlan(globex), byPlan(initech)), 400},
		{"graph-sandboxes-bad-field-403", fmt.Sprintf(`{"revision": %d, "groups": {}, "sandboxes": [{"group_id": %d, "table_id": %d, "attribute_remappings": {"plan": ["dimension", ["field", 999999, null]]}}]}`, rev(), globex, f.inv), 403},
		{"graph-sandboxes-stale-409", fmt.Sprintf(`{"revision": %d, "groups": {}, "sandboxes": [%s]}`, rev()-1, byPlan(globex)), 409},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name, tt.status, e.do(e.adminClient, "PUT", "/api/permissions/graph", "application/json", tt.body))
			if n := sandboxCount(); n != before {
				t.Errorf("sandboxes after a refused save = %d, want %d", n, before)
			}
		})
	}
	// Accepted: Globex's sandbox, its table made sandboxed for Globex.
	r := e.do(e.adminClient, "PUT", "/api/permissions/graph", "application/json",
		fmt.Sprintf(`{"revision": %d, "groups": {}, "sandboxes": [%s]}`, rev(), byPlan(globex)))
	checkGolden(t, "graph-sandboxes", http.StatusOK, r)
	if n := sandboxCount(); n != before+1 {
		t.Errorf("sandboxes after the save = %d, want %d", n, before+1)
	}
	var back access.WireGraph
	if err := json.Unmarshal([]byte(r.body), &back); err != nil {
		t.Fatal(err)
	}
	cell, _ := json.Marshal(back.Groups[fmt.Sprint(globex)][fmt.Sprint(f.db)].ViewData)
	if !strings.Contains(string(cell), `"sandboxed"`) {
		t.Errorf("Globex's view-data after the save = %s, want INVOICES sandboxed", cell)
	}
	// Someone in Acme (sandboxed by account) joining Globex (sandboxed by
	// plan) is a conflict the sandbox check names.
	u := userIDOf(t, e, "sandboxed-28@example.com")
	if r := e.postJSON(e.adminClient, "/api/permissions/membership", fmt.Sprintf(`{"group_id": %d, "user_id": %d}`, initech, u)); r.status != 200 {
		t.Fatalf("add to Initech = %d %s", r.status, r.body)
	}
	r = e.do(e.adminClient, "PUT", "/api/permissions/graph", "application/json",
		fmt.Sprintf(`{"revision": %d, "groups": {}, "sandboxes": [%s]}`, rev(), byPlan(initech)))
	checkGolden(t, "graph-sandboxes-conflict-409", http.StatusConflict, r)
	if n := sandboxCount(); n != before+1 {
		t.Errorf("sandboxes after the refused conflicting save = %d, want %d", n, before+1)
	}
}
