package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// TestGroupManagerCannotChangeManagers sends, as a group manager, every
// request that writes a membership's manager flag, each one unmaking the
// group's other manager: only administrators make or unmake group
// managers, so each is refused and the other manager stays one.
func TestGroupManagerCannotChangeManagers(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	mia, miaID := nonAdmin(t, e, "mia@example.com")
	_, noahID := nonAdmin(t, e, "noah@example.com")
	acme := createGroup(t, e, "Customer Acme")
	makeManager := func(t *testing.T, id int64) {
		t.Helper()
		if r := e.postJSON(e.adminClient, "/api/permissions/membership", fmt.Sprintf(`{"group_id": %d, "user_id": %d, "is_group_manager": true}`, acme, id)); r.status != http.StatusOK {
			t.Fatalf("make %d a manager = %d %s", id, r.status, r.body)
		}
	}
	makeManager(t, miaID)
	membership := fmt.Sprintf("/api/permissions/membership/%d-%d", acme, noahID)
	for _, tt := range []struct {
		name string
		send func() resp
		want int
	}{
		{"POST /api/permissions/membership", func() resp {
			return e.postJSON(mia, "/api/permissions/membership", fmt.Sprintf(`{"group_id": %d, "user_id": %d, "is_group_manager": false}`, acme, noahID))
		}, http.StatusForbidden},
		{"PUT /api/permissions/membership/{id}", func() resp {
			return e.do(mia, "PUT", membership, "application/json", `{"is_group_manager": false}`)
		}, http.StatusForbidden},
		{"PUT /api/user/{id}", func() resp {
			return e.do(mia, "PUT", "/api/user/"+strconv.FormatInt(noahID, 10), "application/json",
				fmt.Sprintf(`{"user_group_memberships": [{"id": 1}, {"id": %d, "is_group_manager": false}]}`, acme))
		}, http.StatusForbidden},
		{"POST /admin/groups/{id}/members/{user}/manager", func() resp {
			return e.postForm(mia, fmt.Sprintf("/admin/groups/%d/members/%d/manager", acme, noahID), url.Values{"manager": {"false"}})
		}, http.StatusForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			makeManager(t, noahID)
			if r := tt.send(); r.status != tt.want {
				t.Errorf("%s by a group manager unmaking another = %d %.200s, want %d", tt.name, r.status, r.body, tt.want)
			}
			if got := groupsOf(t, e, noahID); !got[acme] {
				t.Errorf("after %s by a group manager, Noah's groups = %v, want him still a manager of group %d", tt.name, got, acme)
			}
		})
	}
	// Adding a member who manages nothing stays open to the manager.
	_, oliviaID := nonAdmin(t, e, "olivia@example.com")
	if r := e.postJSON(mia, "/api/permissions/membership", fmt.Sprintf(`{"group_id": %d, "user_id": %d, "is_group_manager": false}`, acme, oliviaID)); r.status != http.StatusOK {
		t.Errorf("a group manager adding a member = %d %s, want 200", r.status, r.body)
	}
}
