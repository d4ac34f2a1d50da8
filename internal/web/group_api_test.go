package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"sightline"
)

// TestAPIContractGroups checks a group's members, emptying a group and the
// permission graph slices against golden files, for an administrator, a
// manager of the group, someone else and no one.
func TestAPIContractGroups(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	manager, managerID := nonAdmin(t, e, "manager@example.com")
	bob, bobID := nonAdmin(t, e, "bob@example.com")
	anon := e.client()
	acme := createGroup(t, e, "Customer Acme")
	other := createGroup(t, e, "Customer Other")
	for _, m := range []struct {
		group, user int64
		manager     bool
	}{{acme, managerID, true}, {acme, bobID, false}, {other, bobID, false}} {
		r := e.postJSON(e.adminClient, "/api/permissions/membership", fmt.Sprintf(`{"group_id": %d, "user_id": %d, "is_group_manager": %t}`, m.group, m.user, m.manager))
		if r.status != 200 {
			t.Fatalf("add membership = %d %s", r.status, r.body)
		}
	}
	g, o := strconv.FormatInt(acme, 10), strconv.FormatInt(other, 10)
	admins := strconv.FormatInt(sightline.AdminGroupID, 10)
	everyone := strconv.FormatInt(sightline.AllUsersGroupID, 10)
	for _, tt := range []struct {
		name         string
		c            *http.Client
		method, path string
		status       int
	}{
		{"group-get-admin", e.adminClient, "GET", "/api/permissions/group/" + g, 200},
		{"group-get-manager", manager, "GET", "/api/permissions/group/" + g, 200},
		{"group-get-403", bob, "GET", "/api/permissions/group/" + g, 403},
		{"group-get-manager-other-403", manager, "GET", "/api/permissions/group/" + o, 403},
		{"group-get-401", anon, "GET", "/api/permissions/group/" + g, 401},
		{"group-get-404", e.adminClient, "GET", "/api/permissions/group/999", 404},
		{"graph-db", e.adminClient, "GET", "/api/permissions/graph/db/1", 200},
		{"graph-db-404", e.adminClient, "GET", "/api/permissions/graph/db/999", 404},
		{"graph-db-403", manager, "GET", "/api/permissions/graph/db/1", 403},
		{"graph-group", e.adminClient, "GET", "/api/permissions/graph/group/" + g, 200},
		{"graph-group-404", e.adminClient, "GET", "/api/permissions/graph/group/999", 404},
		{"graph-group-401", anon, "GET", "/api/permissions/graph/group/" + g, 401},
		{"group-clear-403", bob, "PUT", "/api/permissions/membership/" + o + "/clear", 403},
		{"group-clear-admins-400", e.adminClient, "PUT", "/api/permissions/membership/" + admins + "/clear", 400},
		{"group-clear-all-users-400", e.adminClient, "PUT", "/api/permissions/membership/" + everyone + "/clear", 400},
		{"group-clear-404", e.adminClient, "PUT", "/api/permissions/membership/999/clear", 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name, tt.status, e.do(tt.c, tt.method, tt.path, "", ""))
		})
	}
	// A manager empties their group; the other group keeps its member.
	if r := e.do(manager, "PUT", "/api/permissions/membership/"+g+"/clear", "", ""); r.status != http.StatusNoContent {
		t.Fatalf("PUT clear as the group's manager = %d %s, want 204", r.status, r.body)
	}
	r := e.get(e.adminClient, "/api/permissions/group/"+g)
	if !strings.Contains(r.body, `"members":[]`) || !strings.Contains(r.body, `"member_count":0`) {
		t.Errorf("group after clear = %s, want no members", r.body)
	}
	if r := e.get(e.adminClient, "/api/permissions/group/"+o); !strings.Contains(r.body, `"user_id":`+strconv.FormatInt(bobID, 10)) {
		t.Errorf("the other group after clear = %s, want bob still in it", r.body)
	}
	// The manager managed the group only as its member: they cannot see it now.
	if r := e.get(manager, "/api/permissions/group/"+g); r.status != http.StatusForbidden {
		t.Errorf("GET the group as its former manager = %d, want 403", r.status)
	}
	// The audit log records who emptied it.
	if r := e.get(e.adminClient, "/api/audit"); !strings.Contains(r.body, "group-members-clear") {
		t.Errorf("audit log = %.300s, want group-members-clear", r.body)
	}
}
