package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/access"
)

// permEditorConfig reads the JSON block the permissions page hands to
// permissions.js.
func permEditorConfig(t *testing.T, body string) permConfig {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="perm-data">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no perm-data block in the page")
	}
	var cfg permConfig
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatalf("perm-data is not JSON: %v\n%s", err, m[1])
	}
	return cfg
}

// nonAdmin creates a user without admin rights and returns their client.
func nonAdmin(t *testing.T, e *testEnv, email string) (*http.Client, int64) {
	t.Helper()
	r := e.postJSON(e.adminClient, "/api/user", `{"email":"`+email+`","first_name":"Bob","password":"bob password"}`)
	if r.status != 200 {
		t.Fatalf("POST /api/user = %d %s", r.status, r.body)
	}
	var u struct{ ID int64 }
	json.Unmarshal([]byte(r.body), &u)
	c := e.client()
	if r := e.postJSON(c, "/api/session", `{"email":"`+email+`","password":"bob password"}`); r.status != 200 {
		t.Fatalf("sign-in of %s = %d", email, r.status)
	}
	return c, u.ID
}

// createGroup creates a group through the form and returns its id.
func createGroup(t *testing.T, e *testEnv, name string) int64 {
	t.Helper()
	r := e.postForm(e.adminClient, "/admin/groups", url.Values{"name": {name}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("POST /admin/groups %q = %d %s, want 303", name, r.status, r.body)
	}
	groups, err := e.app.Groups(context.Background(), mustUser(t, e))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		if g.Name == name {
			return g.ID
		}
	}
	t.Fatalf("group %q was not created", name)
	return 0
}

func dataGraph(t *testing.T, e *testEnv) map[int64]map[int64]permCell {
	t.Helper()
	w, err := e.app.DataPermissionGraph(context.Background(), mustUser(t, e))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(w)
	var back access.WireGraph
	json.Unmarshal(b, &back)
	out := map[int64]map[int64]permCell{}
	for g, m := range back.Groups {
		gid, _ := parseID(g)
		out[gid] = map[int64]permCell{}
		for d, p := range m {
			did, _ := parseID(d)
			out[gid][did] = cellOf(p)
		}
	}
	return out
}

func parseID(s string) (int64, error) {
	var n int64
	err := json.Unmarshal([]byte(s), &n)
	return n, err
}

func TestPermissionPagesAdminOnly(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	bob, _ := nonAdmin(t, e, "bob@example.com")
	tests := []struct {
		method, path string
	}{
		{"GET", "/admin/permissions"},
		{"GET", "/admin/permissions?tab=collections"},
		{"POST", "/admin/permissions/data"},
		{"POST", "/admin/permissions/collections"},
		{"GET", "/admin/groups"},
		{"POST", "/admin/groups"},
		{"GET", "/admin/groups/1"},
		{"POST", "/admin/groups/1/members"},
		{"GET", "/admin/audit"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			if r := e.do(bob, tt.method, tt.path, "application/x-www-form-urlencoded", "name=x"); r.status != http.StatusForbidden {
				t.Errorf("%s %s as non-admin = %d, want 403", tt.method, tt.path, r.status)
			}
			r := e.do(e.client(), tt.method, tt.path, "application/x-www-form-urlencoded", "name=x")
			if r.status != http.StatusFound && r.status != http.StatusUnauthorized {
				t.Errorf("%s %s signed out = %d, want a redirect to sign-in or 401", tt.method, tt.path, r.status)
			}
		})
	}
}

func TestPermissionsPageRenders(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	acme := createGroup(t, e, "Customer Acme")
	inv, _ := invoicesMeta(t, e)

	r := e.do(e.adminClient, "GET", "/admin/permissions", "", "")
	if r.status != 200 {
		t.Fatalf("GET /admin/permissions = %d %s", r.status, r.body)
	}
	for _, want := range []string{"Permissions for the All Users group", "Sample Database", "Customer Acme", "View data", "Create queries",
		"Download results", "Conflicting sandboxes", `id="sandbox-modal"`, "Filter by a column in the table", assetURL("js/admin/permissions.js")} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the permissions page lacks %q", want)
		}
	}
	cfg := permEditorConfig(t, r.body)
	if cfg.Revision < 0 || cfg.Tab != "data" {
		t.Errorf("config revision %d tab %q, want a revision and the data tab", cfg.Revision, cfg.Tab)
	}
	if got := cfg.Perms[sightline.AllUsersGroupID][1]; got.View != access.ViewUnrestricted || got.Create != access.QueryNative {
		t.Errorf("All Users on the Sample Database = %+v, want the fresh-install grant", got)
	}
	if got := cfg.Perms[acme][1]; got.View != access.ViewBlocked {
		t.Errorf("a new group's grant = %+v, want blocked", got)
	}
	if len(cfg.Databases) != 1 || len(cfg.Databases[0].Tables) < 8 {
		t.Fatalf("config databases = %+v, want the Sample Database with its tables", cfg.Databases)
	}

	// The Customer Acme grid has a hidden row per table, with Sandboxed
	// offered; All Users cannot be sandboxed.
	r = e.do(e.adminClient, "GET", "/admin/permissions?tab=data&group="+itoa(acme), "", "")
	if !strings.Contains(r.body, `data-table="`+itoa(inv)+`" hidden`) || !strings.Contains(r.body, `value="sandboxed"`) {
		t.Errorf("the Customer Acme grid lacks the INVOICES row or the Sandboxed choice")
	}
	r = e.do(e.adminClient, "GET", "/admin/permissions?tab=data&group=1", "", "")
	if strings.Contains(r.body, `value="sandboxed"`) {
		t.Errorf("All Users is offered Sandboxed")
	}

	// By database: one row per group, Administrators read-only.
	r = e.do(e.adminClient, "GET", "/admin/permissions?tab=data&view=database&database=1", "", "")
	if n := strings.Count(r.body, `<tr class="perm-row"`); n != 3 {
		t.Errorf("the database view has %d group rows, want 3", n)
	}
	if !strings.Contains(r.body, `aria-label="view for Administrators on Sample Database" disabled`) {
		t.Errorf("the Administrators row is editable")
	}

	// Collections: the root and Automatically Generated Dashboards once an
	// X-ray is saved.
	savedXray(t, e, inv)
	r = e.do(e.adminClient, "GET", "/admin/permissions?tab=collections", "", "")
	if r.status != 200 || !strings.Contains(r.body, "Permissions for Our analytics") || !strings.Contains(r.body, sightline.AutoDashboardsCollectionName) ||
		!strings.Contains(r.body, "Also change sub-collections") {
		t.Errorf("GET collections tab = %d, want the root and the X-ray collection", r.status)
	}
	if cfg := permEditorConfig(t, r.body); cfg.CollectionPerms["1"]["root"] != access.CollectionWrite {
		t.Errorf("All Users on the root = %q, want write", cfg.CollectionPerms["1"]["root"])
	}
}

// postData posts the data tab's form as permissions.js does.
func postData(e *testEnv, rev int64, changes, sandboxes string) resp {
	e.t.Helper()
	return e.postForm(e.adminClient, "/admin/permissions/data", url.Values{"revision": {itoa(rev)}, "changes": {changes},
		"sandboxes": {sandboxes}, "return": {"/admin/permissions?tab=data&group=1"}})
}

func TestPermissionsSaveThroughForm(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	acme := createGroup(t, e, "Customer Acme")
	inv, fields := invoicesMeta(t, e)
	cfg := permEditorConfig(t, e.do(e.adminClient, "GET", "/admin/permissions", "", "").body)

	// All Users -> no self-service, Customer Acme -> granular with INVOICES
	// sandboxed by ACCOUNT_ID = account_id, in one save.
	changes := `{"1": {"1": {"view-data": "legacy-no-self-service", "create-queries": "no", "download": {"schemas": "none"}}},
		"` + itoa(acme) + `": {"1": {"view-data": {"": {"` + itoa(inv) + `": "sandboxed"}}, "create-queries": "query-builder", "download": {"schemas": "limited"}}}}`
	sandboxes := `[{"group_id": ` + itoa(acme) + `, "table_id": ` + itoa(inv) + `, "card_id": 0,
		"attribute_remappings": {"account_id": ["dimension", ["field", ` + itoa(fields["ACCOUNT_ID"]) + `, null]]}}]`
	r := postData(e, cfg.Revision, changes, sandboxes)
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "flash=Permissions+saved") {
		t.Fatalf("save = %d %s -> %q, want 303 back to the editor", r.status, r.body, r.header.Get("Location"))
	}
	if loc := r.header.Get("Location"); !strings.Contains(loc, "group=1") || !strings.Contains(loc, "tab=data") {
		t.Errorf("after saving, back to %q, want the group the editor showed", loc)
	}
	g := dataGraph(t, e)
	if got := g[sightline.AllUsersGroupID][1]; got.View != access.ViewNoSelfService || got.Create != access.QueryNone {
		t.Errorf("All Users after saving = %+v, want no self-service", got)
	}
	want := permCell{View: access.ViewGranular, Tables: map[string]string{itoa(inv): access.ViewSandboxed}, Create: access.QueryBuilder, Download: access.DownloadLimited}
	if diff := cmp.Diff(want, g[acme][1]); diff != "" {
		t.Errorf("Customer Acme after saving (-want +got):\n%s", diff)
	}
	policies, err := e.app.Sandboxes(context.Background(), mustUser(t, e))
	if err != nil || len(policies) != 1 || policies[0].GroupID != acme || policies[0].TableID != inv ||
		policies[0].Remappings["account_id"].FieldID != fields["ACCOUNT_ID"] {
		t.Fatalf("sandboxes after saving = %+v, %v; want INVOICES by ACCOUNT_ID for Customer Acme", policies, err)
	}

	// The editor now shows the sandbox with its Edit button, and the summary
	// of the next load starts from the saved state.
	r = e.do(e.adminClient, "GET", "/admin/permissions?group="+itoa(acme), "", "")
	if !strings.Contains(r.body, `data-table="`+itoa(inv)+`">Edit sandbox`) {
		t.Errorf("the saved sandbox has no visible Edit sandbox button")
	}

	// A stale revision: 409, the conflict message, and the edits handed back
	// to the editor over the current permissions.
	stale := `{"1": {"1": {"view-data": "blocked", "create-queries": "no", "download": {"schemas": "none"}}}}`
	r = postData(e, cfg.Revision, stale, "")
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Someone else changed the permissions") || !strings.Contains(r.body, "your edits kept on top") {
		t.Fatalf("stale save = %d, want 409 with the conflict message\n%s", r.status, r.body)
	}
	back := permEditorConfig(t, r.body)
	var pending dataSave
	if err := json.Unmarshal(back.Pending, &pending); err != nil {
		t.Fatalf("pending edits %s: %v", back.Pending, err)
	}
	if got := cellOf(pending.Changes["1"]["1"]); got.View != access.ViewBlocked {
		t.Errorf("kept edit = %+v, want All Users blocked", got)
	}
	if back.Revision <= cfg.Revision {
		t.Errorf("the conflict page has revision %d, want the current one (> %d)", back.Revision, cfg.Revision)
	}
	if got := dataGraph(t, e)[sightline.AllUsersGroupID][1].View; got != access.ViewNoSelfService {
		t.Errorf("after the refused save All Users = %q, want it unchanged", got)
	}

	// Invalid input is a 400 with the message, nothing saved.
	r = postData(e, back.Revision, `{"1": {"1": {"view-data": "sideways", "create-queries": "no"}}}`, "")
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "sideways") {
		t.Errorf("unknown level = %d, want 400 naming it", r.status)
	}
	// A sandbox on a column of another table is refused with its message and
	// kept for the editor.
	bad := `[{"group_id": ` + itoa(acme) + `, "table_id": ` + itoa(inv) + `, "card_id": 0, "attribute_remappings": {"account_id": ["dimension", ["field", 999999, null]]}}]`
	r = postData(e, back.Revision, `{}`, bad)
	if r.status < 400 || r.status >= 500 || !strings.Contains(r.body, "no longer exists") {
		t.Errorf("sandbox on a missing column = %d, want it refused\n%s", r.status, r.body)
	}
	if p := permEditorConfig(t, r.body).Pending; !strings.Contains(string(p), "999999") {
		t.Errorf("the refused sandbox is not kept for the editor: %s", p)
	}
	// Saved with grid changes, a refused sandbox leaves the grid as it was:
	// nothing of the save is stored.
	cur := permEditorConfig(t, e.do(e.adminClient, "GET", "/admin/permissions", "", "").body).Revision
	r = postData(e, cur, `{"1": {"1": {"view-data": "blocked", "create-queries": "no", "download": {"schemas": "none"}}}}`, bad)
	if r.status < 400 || r.status >= 500 {
		t.Errorf("grid changes with a bad sandbox = %d, want refused", r.status)
	}
	if got := dataGraph(t, e)[sightline.AllUsersGroupID][1].View; got != access.ViewNoSelfService {
		t.Errorf("after a save refused for its sandbox All Users = %q, want it unchanged", got)
	}
}

func TestCollectionPermissionsSave(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	u := mustUser(t, e)
	ctx := context.Background()
	parent, err := e.app.CreateCollection(ctx, u, "Customers", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	child, err := e.app.CreateCollection(ctx, u, "Acme", "", parent.ID)
	if err != nil {
		t.Fatal(err)
	}
	cfg := permEditorConfig(t, e.do(e.adminClient, "GET", "/admin/permissions?tab=collections&collection="+itoa(parent.ID), "", "").body)
	changes := `[{"group": 1, "collection": ` + itoa(parent.ID) + `, "level": "read", "children": true}, {"group": 1, "collection": 0, "level": "none"}]`
	r := e.postForm(e.adminClient, "/admin/permissions/collections", url.Values{"revision": {itoa(cfg.Revision)}, "changes": {changes},
		"return": {"/admin/permissions?tab=collections&collection=" + itoa(parent.ID)}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save collections = %d %s", r.status, r.body)
	}
	w, err := e.app.CollectionPermissionGraph(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"root": "none", itoa(parent.ID): "read", itoa(child.ID): "read"}
	if diff := cmp.Diff(want, w.Groups["1"]); diff != "" {
		t.Errorf("All Users' collection access (-want +got):\n%s", diff)
	}
	// The same revision again is stale.
	r = e.postForm(e.adminClient, "/admin/permissions/collections", url.Values{"revision": {itoa(cfg.Revision)}, "changes": {changes}})
	if r.status != http.StatusConflict || !strings.Contains(permEditorConfigPending(t, r.body), `"collection":`+itoa(parent.ID)) {
		t.Errorf("stale collection save = %d, want 409 keeping the edits", r.status)
	}
}

func permEditorConfigPending(t *testing.T, body string) string {
	t.Helper()
	return string(permEditorConfig(t, body).Pending)
}

func TestCollectionWire(t *testing.T) {
	// 1 > 2 > 3, and 4 at the top.
	tree := []permCollection{{ID: 0}, {ID: 1, Parent: 0}, {ID: 2, Parent: 1}, {ID: 3, Parent: 2}, {ID: 4, Parent: 0}}
	tests := []struct {
		name    string
		changes []collectionChange
		want    map[string]map[string]string
	}{
		{"one collection", []collectionChange{{Group: 5, Collection: 2, Level: "read"}},
			map[string]map[string]string{"5": {"2": "read"}}},
		{"with sub-collections", []collectionChange{{Group: 5, Collection: 1, Level: "write", Children: true}},
			map[string]map[string]string{"5": {"1": "write", "2": "write", "3": "write"}}},
		{"an explicit edit of a child wins", []collectionChange{{Group: 5, Collection: 1, Level: "write", Children: true}, {Group: 5, Collection: 3, Level: "none"}},
			map[string]map[string]string{"5": {"1": "write", "2": "write", "3": "none"}}},
		{"the root with everything", []collectionChange{{Group: 1, Collection: 0, Level: "read", Children: true}},
			map[string]map[string]string{"1": {"root": "read", "1": "read", "2": "read", "3": "read", "4": "read"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collectionWire(7, tt.changes, tree)
			if got.Revision != 7 {
				t.Errorf("collectionWire revision = %d, want 7", got.Revision)
			}
			if diff := cmp.Diff(tt.want, got.Groups); diff != "" {
				t.Errorf("collectionWire(%v) (-want +got):\n%s", tt.changes, diff)
			}
		})
	}
}

func TestCellOf(t *testing.T) {
	tests := []struct {
		name string
		in   access.WireDBPerms
		want permCell
	}{
		{"database level", access.WireDBPerms{ViewData: "unrestricted", CreateQueries: "query-builder", Download: &access.WireDownload{Schemas: "full"}},
			permCell{View: "unrestricted", Create: "query-builder", Download: "full"}},
		{"granular as the app builds it", access.WireDBPerms{ViewData: map[string]map[string]string{"": {"4": "sandboxed"}}, CreateQueries: "query-builder"},
			permCell{View: "granular", Tables: map[string]string{"4": "sandboxed"}, Create: "query-builder", Download: "none"}},
		{"granular as JSON decodes it", access.WireDBPerms{ViewData: map[string]any{"PUBLIC": map[string]any{"4": "blocked", "5": "unrestricted"}}},
			permCell{View: "granular", Tables: map[string]string{"4": "blocked", "5": "unrestricted"}, Create: "no", Download: "none"}},
		{"nothing", access.WireDBPerms{}, permCell{View: "blocked", Create: "no", Download: "none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, cellOf(tt.in)); diff != "" {
				t.Errorf("cellOf(%+v) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestPermissionsPageWarnsWhileJWTIsOn checks that the permissions page
// explains the fail-closed rule and, once JWT sign-in is on, warns that All
// Users can curate the root collection (a fresh install's default) and can
// view a collection another group curates.
func TestPermissionsPageWarnsWhileJWTIsOn(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	ctx := context.Background()
	admin := e.adminUser()
	const curates = "JWT sign-in is on, and All Users can curate &#34;Our analytics&#34;"
	const views = "JWT sign-in is on, and All Users can view &#34;Acme reports&#34; (curated by Customer Acme)"

	r := e.do(e.adminClient, "GET", "/admin/permissions", "", "")
	if !strings.Contains(r.body, "While JWT sign-in is on, sandboxed tables fail closed") {
		t.Errorf("the permissions page does not explain the fail-closed rule")
	}
	if strings.Contains(r.body, "perm-warning") {
		t.Errorf("the permissions page warns while JWT sign-in is off")
	}

	e.settings(map[string]string{sightline.SettingJWTEnabled: "true", sightline.SettingJWTSharedSecret: ssoSecret})
	acme := createGroup(t, e, "Customer Acme")
	reports, err := e.app.CreateCollection(ctx, admin, "Acme reports", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	cg, err := e.app.CollectionPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision, Groups: map[string]map[string]string{
		"1":        {itoa(reports.ID): access.CollectionRead},
		itoa(acme): {itoa(reports.ID): access.CollectionWrite},
	}}, false); err != nil {
		t.Fatal(err)
	}
	r = e.do(e.adminClient, "GET", "/admin/permissions?tab=collections", "", "")
	for _, want := range []string{curates, views} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the permissions page with JWT on lacks the warning %q", want)
		}
	}

	// Restricting All Users on the root silences the curate warning.
	cg, err = e.app.CollectionPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision, Groups: map[string]map[string]string{
		"1": {"root": access.CollectionNone}}}, false); err != nil {
		t.Fatal(err)
	}
	r = e.do(e.adminClient, "GET", "/admin/permissions", "", "")
	if strings.Contains(r.body, "All Users can curate") || !strings.Contains(r.body, views) {
		t.Errorf("after restricting the root: curate warning shown %v, view warning shown %v; want false, true",
			strings.Contains(r.body, "All Users can curate"), strings.Contains(r.body, views))
	}
}
