package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/app"
	"sightline/internal/sandbox"
)

// userIDOf returns the id of the person with email.
func userIDOf(t *testing.T, e *testEnv, email string) int64 {
	t.Helper()
	u, _, err := e.db.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// groupsOf returns the ids of person id's groups, and which they manage.
func groupsOf(t *testing.T, e *testEnv, id int64) map[int64]bool {
	t.Helper()
	u, err := e.db.UserByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]bool{}
	for _, g := range u.Groups {
		out[g.ID] = g.Manager
	}
	return out
}

// TestAPIContractUserAccess checks PUT /api/user/{id} with is_superuser,
// user_group_memberships and locale, POST /api/user with
// user_group_memberships, and PUT /api/mt/user/{id}/attributes: who may
// change what, and the answers' shapes.
func TestAPIContractUserAccess(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	adminID := userIDOf(t, e, "ada@example.com")
	manager, managerID := nonAdmin(t, e, "manager@example.com")
	bob, bobID := nonAdmin(t, e, "bob@example.com")
	_, carolID := nonAdmin(t, e, "carol@example.com")
	anon := e.client()
	acme := createGroup(t, e, "Customer Acme")
	other := createGroup(t, e, "Customer Other")
	if r := e.postJSON(e.adminClient, "/api/permissions/membership", fmt.Sprintf(`{"group_id": %d, "user_id": %d, "is_group_manager": true}`, acme, managerID)); r.status != 200 {
		t.Fatalf("make the manager = %d %s", r.status, r.body)
	}
	user := func(id int64) string { return "/api/user/" + strconv.FormatInt(id, 10) }
	list := func(ms ...string) string {
		return `{"user_group_memberships": [` + strings.Join(ms, ", ") + `]}`
	}
	m := func(g int64, manager bool) string {
		return fmt.Sprintf(`{"id": %d, "is_group_manager": %t}`, g, manager)
	}
	for _, tt := range []struct {
		name         string
		c            *http.Client
		method, path string
		body         string
		status       int
	}{
		{"user-put-superuser-401", anon, "PUT", user(bobID), `{"is_superuser": true}`, 401},
		{"user-put-superuser-403", bob, "PUT", user(bobID), `{"is_superuser": true}`, 403},
		{"user-put-superuser-manager-403", manager, "PUT", user(carolID), `{"is_superuser": true}`, 403},
		{"user-put-last-admin-400", e.adminClient, "PUT", user(adminID), `{"is_superuser": false}`, 400},
		{"user-put-memberships-manager", manager, "PUT", user(carolID), list(m(1, false), m(acme, false)), 200},
		{"user-put-memberships-manager-other-403", manager, "PUT", user(carolID), list(m(1, false), m(acme, false), m(other, false)), 403},
		{"user-put-memberships-manager-makes-manager-403", manager, "PUT", user(carolID), list(m(1, false), m(acme, true)), 403},
		{"user-put-profile-manager-403", manager, "PUT", user(carolID), `{"first_name": "Caroline"}`, 403},
		{"user-put-memberships-unknown-group-400", e.adminClient, "PUT", user(carolID), list(m(999, false)), 400},
		{"user-put-memberships-disagree-400", e.adminClient, "PUT", user(carolID), `{"is_superuser": true, "user_group_memberships": [{"id": 1}]}`, 400},
		{"user-put-memberships-404", e.adminClient, "PUT", "/api/user/999", list(m(1, false)), 404},
		{"user-put-locale-400", e.adminClient, "PUT", user(carolID), `{"locale": "fr"}`, 400},
		{"user-put-admin", e.adminClient, "PUT", user(bobID), `{"is_superuser": true, "locale": "en_US", "user_group_memberships": [{"id": 1}, {"id": 2}, {"id": ` + strconv.FormatInt(other, 10) + `, "is_group_manager": true}]}`, 200},
		{"user-post-memberships", e.adminClient, "POST", "/api/user", `{"email": "dan@example.com", "first_name": "Dan", "password": "dan password", "user_group_memberships": [{"id": 1}, {"id": ` + strconv.FormatInt(acme, 10) + `, "is_group_manager": true}]}`, 200},
		{"user-post-memberships-400", e.adminClient, "POST", "/api/user", `{"email": "eve@example.com", "first_name": "Eve", "user_group_memberships": [{"id": 2, "is_group_manager": true}]}`, 400},
		{"user-attributes-put", e.adminClient, "PUT", "/api/mt/user/" + strconv.FormatInt(carolID, 10) + "/attributes", `{"login_attributes": {"account_id": 28, "region": "EU", "beta": true}}`, 200},
		{"user-attributes-put-403", manager, "PUT", "/api/mt/user/" + strconv.FormatInt(carolID, 10) + "/attributes", `{"login_attributes": {"account_id": "1"}}`, 403},
		{"user-attributes-put-400", e.adminClient, "PUT", "/api/mt/user/" + strconv.FormatInt(carolID, 10) + "/attributes", `{"login_attributes": {"account_id": {"nested": 1}}}`, 400},
		{"user-attributes-put-404", e.adminClient, "PUT", "/api/mt/user/999/attributes", `{"login_attributes": {}}`, 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name, tt.status, e.do(tt.c, tt.method, tt.path, "application/json", tt.body))
		})
	}
	for _, c := range []struct {
		who  string
		id   int64
		want map[int64]bool
	}{
		{"carol", carolID, map[int64]bool{1: false, acme: false}},
		{"bob", bobID, map[int64]bool{1: false, sightline.AdminGroupID: false, other: true}},
		{"dan", userIDOf(t, e, "dan@example.com"), map[int64]bool{1: false, acme: true}},
		{"the admin", adminID, map[int64]bool{1: false, sightline.AdminGroupID: false}},
	} {
		if got := groupsOf(t, e, c.id); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("groups of %s = %v, want %v", c.who, got, c.want)
		}
	}
	carol, err := e.db.UserByID(context.Background(), carolID)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(carol.Attributes); got != "map[account_id:28 beta:true region:EU]" {
		t.Errorf("carol's hand-set attributes = %s, want account_id 28, beta true, region EU", got)
	}
	if r := e.get(e.adminClient, "/api/audit"); !strings.Contains(r.body, "user-access-update") {
		t.Errorf("audit log = %.300s, want user-access-update", r.body)
	}
}

// TestUserAccessRefusesConflictingSandboxes adds a sandboxed customer, by
// PUT /api/user/{id}, to a second group that sandboxes the same table
// another way: refused, and nothing changes.
func TestUserAccessRefusesConflictingSandboxes(t *testing.T) {
	e, globex := conflictingSandboxes(t)
	id := userIDOf(t, e, "sandboxed-28@example.com")
	before := groupsOf(t, e, id)
	var ms []string
	for g := range before {
		ms = append(ms, fmt.Sprintf(`{"id": %d}`, g))
	}
	ms = append(ms, fmt.Sprintf(`{"id": %d}`, globex.ID))
	r := e.do(e.adminClient, "PUT", "/api/user/"+strconv.FormatInt(id, 10), "application/json", `{"user_group_memberships": [`+strings.Join(ms, ", ")+`]}`)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Conflicting sandboxes") {
		t.Errorf("PUT /api/user adding a second sandboxing group = %d %s, want 409 Conflicting sandboxes", r.status, r.body)
	}
	if got := groupsOf(t, e, id); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Errorf("groups after the refused change = %v, want %v", got, before)
	}
	// Leaving the first group in the same change is no conflict.
	r = e.do(e.adminClient, "PUT", "/api/user/"+strconv.FormatInt(id, 10), "application/json", fmt.Sprintf(`{"user_group_memberships": [{"id": 1}, {"id": %d}]}`, globex.ID))
	if r.status != http.StatusOK {
		t.Errorf("PUT /api/user moving to the other sandboxing group = %d %s, want 200", r.status, r.body)
	}
}

// TestUserAccessRoundTrip reads a group manager's record and sends its
// is_superuser and user_group_memberships back unchanged: nothing changes,
// the manager flag included.
func TestUserAccessRoundTrip(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	_, id := nonAdmin(t, e, "manager@example.com")
	acme := createGroup(t, e, "Customer Acme")
	if r := e.postJSON(e.adminClient, "/api/permissions/membership", fmt.Sprintf(`{"group_id": %d, "user_id": %d, "is_group_manager": true}`, acme, id)); r.status != 200 {
		t.Fatalf("make the manager = %d %s", r.status, r.body)
	}
	before := groupsOf(t, e, id)
	path := "/api/user/" + strconv.FormatInt(id, 10)
	var got struct {
		Superuser   bool            `json:"is_superuser"`
		Memberships json.RawMessage `json:"user_group_memberships"`
	}
	r := e.get(e.adminClient, path)
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || r.status != 200 {
		t.Fatalf("GET %s = %d %s", path, r.status, r.body)
	}
	body := fmt.Sprintf(`{"is_superuser": %t, "user_group_memberships": %s}`, got.Superuser, got.Memberships)
	if r := e.do(e.adminClient, "PUT", path, "application/json", body); r.status != 200 {
		t.Fatalf("PUT %s %s = %d %s", path, body, r.status, r.body)
	}
	if after := groupsOf(t, e, id); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("groups after a round trip = %v, want %v", after, before)
	}
}

// TestSandboxConflictNamesNoOutsider: when a group manager's change is
// refused for conflicting sandboxes, the refusal names neither the person
// nor the groups the manager does not manage, by whichever route the
// change came; an administrator is told both.
func TestSandboxConflictNamesNoOutsider(t *testing.T) {
	e, globex := conflictingSandboxes(t)
	ctx := context.Background()
	if _, err := e.app.CreateUser(ctx, e.adminUser(), app.NewUserInput{Email: "mia@globex.example", Password: "mia password",
		Memberships: []app.MembershipInput{{ID: globex.ID, Manager: true}}}); err != nil {
		t.Fatal(err)
	}
	mia := e.client()
	if r := e.postJSON(mia, "/api/session", `{"username": "mia@globex.example", "password": "mia password"}`); r.status != http.StatusOK {
		t.Fatalf("Mia signs in = %d %s", r.status, r.body)
	}
	id := userIDOf(t, e, "sandboxed-28@example.com")
	var groups []string
	for g := range groupsOf(t, e, id) {
		groups = append(groups, fmt.Sprintf(`{"id": %d}`, g))
	}
	groups = append(groups, fmt.Sprintf(`{"id": %d}`, globex.ID))
	gid, uid := strconv.FormatInt(globex.ID, 10), strconv.FormatInt(id, 10)
	tests := []struct {
		name, method, path, contentType, body string
	}{
		{"membership API", "POST", "/api/permissions/membership", "application/json", `{"group_id": ` + gid + `, "user_id": ` + uid + `}`},
		{"person API", "PUT", "/api/user/" + uid, "application/json", `{"user_group_memberships": [` + strings.Join(groups, ", ") + `]}`},
		{"group page by id", "POST", "/admin/groups/" + gid + "/members", "application/x-www-form-urlencoded", "user_id=" + uid},
		{"group page by email", "POST", "/admin/groups/" + gid + "/members", "application/x-www-form-urlencoded", "user=sandboxed-28%40example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(mia, tt.method, tt.path, tt.contentType, tt.body)
			if r.status != http.StatusConflict || !strings.Contains(r.body, "Conflicting sandboxes") || !strings.Contains(r.body, "Customer Globex") {
				t.Fatalf("%s %s for Globex's manager = %d %s, want 409 Conflicting sandboxes naming her group", tt.method, tt.path, r.status, r.body)
			}
			if tt.name != "group page by email" && strings.Contains(r.body, "sandboxed-28@example.com") {
				t.Errorf("%s %s for Globex's manager names the person: %s", tt.method, tt.path, r.body)
			}
			if strings.Contains(r.body, "Customer Acme") {
				t.Errorf("%s %s for Globex's manager names a group she does not manage: %s", tt.method, tt.path, r.body)
			}
		})
	}
	r := e.postJSON(e.adminClient, "/api/permissions/membership", `{"group_id": `+gid+`, "user_id": `+uid+`}`)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "sandboxed-28@example.com") || !strings.Contains(r.body, "Customer Acme") {
		t.Errorf("the administrator's refused add = %d %s, want 409 naming the person and both groups", r.status, r.body)
	}
}

// conflictingSandboxes sets up the leak fixture and a group, Customer
// Globex, that sandboxes INVOICES by plan: another way than the
// sandboxed customers' group does.
func conflictingSandboxes(t *testing.T) (*testEnv, *sightline.Group) {
	t.Helper()
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	f := setupLeakFixtureOn(t, e, sqliteLeakSample(t, e))
	globex, err := e.app.CreateGroup(context.Background(), e.adminUser(), "Customer Globex")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.SaveSandbox(context.Background(), e.adminUser(), sandbox.Policy{GroupID: globex.ID, TableID: f.inv,
		Remappings: map[string]sandbox.Target{"plan": {Kind: sandbox.TargetDimension, FieldID: f.plan}}}); err != nil {
		t.Fatal(err)
	}
	return e, globex
}
