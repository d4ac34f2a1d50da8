package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sightline"
)

func TestGroupPages(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	_, bobID := nonAdmin(t, e, "bob@example.com")
	acme := createGroup(t, e, "Customer Acme")

	r := e.do(e.adminClient, "GET", "/admin/groups", "", "")
	for _, want := range []string{"All Users", "Administrators", "Customer Acme", `href="/admin/groups/` + itoa(acme) + `"`, "Create a group"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("GET /admin/groups lacks %q", want)
		}
	}

	tests := []struct {
		name, path string
		form       url.Values
		status     int
		want       string
	}{
		{"duplicate name", "/admin/groups", url.Values{"name": {"Customer Acme"}}, http.StatusConflict, "already exists"},
		{"empty name", "/admin/groups", url.Values{"name": {"  "}}, http.StatusBadRequest, "A group needs a name."},
		{"rename a built-in group", "/admin/groups/1/rename", url.Values{"name": {"Everyone"}}, http.StatusBadRequest, "cannot be renamed"},
		{"delete a built-in group", "/admin/groups/2/delete", nil, http.StatusBadRequest, "cannot be deleted"},
		{"add nobody", "/admin/groups/" + itoa(acme) + "/members", url.Values{"user": {"nobody@example.com"}}, http.StatusBadRequest, "No active person with that email can be added."},
		{"make a manager of All Users", "/admin/groups/1/members/" + itoa(bobID) + "/manager", url.Values{"manager": {"true"}}, http.StatusBadRequest, "no managers"},
		{"remove from All Users", "/admin/groups/1/members/" + itoa(bobID) + "/remove", nil, http.StatusBadRequest, "Everyone is a member of All Users."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.postForm(e.adminClient, tt.path, tt.form)
			if r.status != tt.status || !strings.Contains(r.body, tt.want) {
				t.Errorf("POST %s = %d, want %d with %q", tt.path, r.status, tt.status, tt.want)
			}
		})
	}

	// Add Bob by "Name <email>", as the suggestion list shows him.
	r = e.postForm(e.adminClient, "/admin/groups/"+itoa(acme)+"/members", url.Values{"user": {"Bob <BOB@example.com>"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("add Bob = %d %s", r.status, r.body)
	}
	r = e.do(e.adminClient, "GET", "/admin/groups/"+itoa(acme), "", "")
	if !strings.Contains(r.body, `data-user-id="`+itoa(bobID)+`"`) || !strings.Contains(r.body, "Make manager") {
		t.Errorf("the group page does not list Bob as a member")
	}
	if r := e.postForm(e.adminClient, "/admin/groups/"+itoa(acme)+"/members/"+itoa(bobID)+"/manager", url.Values{"manager": {"true"}}); r.status != http.StatusSeeOther {
		t.Fatalf("make Bob a manager = %d %s", r.status, r.body)
	}
	r = e.do(e.adminClient, "GET", "/admin/groups/"+itoa(acme), "", "")
	if !strings.Contains(r.body, `<span class="badge">Manager</span>`) {
		t.Errorf("Bob is not shown as a manager")
	}
	// Rename, then the list shows the count and the new name.
	if r := e.postForm(e.adminClient, "/admin/groups/"+itoa(acme)+"/rename", url.Values{"name": {"Acme Corp"}}); r.status != http.StatusSeeOther {
		t.Fatalf("rename = %d %s", r.status, r.body)
	}
	groups, err := e.app.Groups(context.Background(), mustUser(t, e))
	if err != nil {
		t.Fatal(err)
	}
	var found *sightline.Group
	for i := range groups {
		if groups[i].ID == acme {
			found = &groups[i]
		}
	}
	if found == nil || found.Name != "Acme Corp" || found.MemberCount != 1 {
		t.Errorf("after rename and add, the group = %+v, want Acme Corp with 1 member", found)
	}
	if r := e.postForm(e.adminClient, "/admin/groups/"+itoa(acme)+"/members/"+itoa(bobID)+"/remove", nil); r.status != http.StatusSeeOther {
		t.Errorf("remove Bob = %d %s", r.status, r.body)
	}
	if r := e.postForm(e.adminClient, "/admin/groups/"+itoa(acme)+"/delete", nil); r.status != http.StatusSeeOther {
		t.Errorf("delete the group = %d %s", r.status, r.body)
	}
	if r := e.do(e.adminClient, "GET", "/admin/groups/"+itoa(acme), "", ""); r.status != http.StatusNotFound {
		t.Errorf("GET a deleted group = %d, want 404", r.status)
	}
}
