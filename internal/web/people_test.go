package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/app"
)

// signIn signs a person in with a password and returns their client.
func (e *testEnv) signIn(email, password string) *http.Client {
	e.t.Helper()
	c := e.client()
	if r := e.postJSON(c, "/api/session", `{"username": "`+email+`", "password": "`+password+`"}`); r.status != http.StatusOK {
		e.t.Fatalf("sign in as %s = %d %s", email, r.status, r.body)
	}
	return c
}

func TestEditPersonAndResetPassword(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	ctx := context.Background()
	bob, err := e.app.CreateUser(ctx, e.adminUser(), app.NewUserInput{Email: "bob@example.com", FirstName: "Bob", Password: "bob password"})
	if err != nil {
		t.Fatal(err)
	}
	id := itoa(bob.ID)
	bc := e.signIn("bob@example.com", "bob password")

	r := e.get(admin, "/admin/people/"+id)
	if r.status != http.StatusOK || !strings.Contains(r.body, `value="bob@example.com"`) {
		t.Fatalf("GET /admin/people/%d = %d, want the form with Bob's email", bob.ID, r.status)
	}
	form := url.Values{"first_name": {"Robert"}, "last_name": {"Tables"}, "email": {"Robert@Example.com"},
		"attr_key": {"account_id", "region", ""}, "attr_value": {"28", "EU", ""}}
	if r := e.postForm(admin, "/admin/people/"+id, form); r.status != http.StatusSeeOther {
		t.Fatalf("POST /admin/people/%d = %d %s, want 303", bob.ID, r.status, r.body)
	}
	got, err := e.app.User(ctx, e.adminUser(), bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CommonName() != "Robert Tables" || got.Email != "robert@example.com" || got.Attributes["account_id"] != "28" || got.Attributes["region"] != "EU" || len(got.Attributes) != 2 {
		t.Errorf("after the edit Bob is %q %q %v", got.CommonName(), got.Email, got.Attributes)
	}
	if r := e.get(admin, "/admin/people"); !strings.Contains(r.body, "<code>account_id</code>=28") {
		t.Errorf("People does not show the hand-set attribute")
	}

	// Mistakes are explained and what was typed is kept.
	bad := url.Values{"first_name": {"Robert"}, "email": {"robert@example.com"}, "attr_key": {"", "x"}, "attr_value": {"orphan", "1"}}
	if r := e.postForm(admin, "/admin/people/"+id, bad); r.status != http.StatusBadRequest || !strings.Contains(r.body, "needs an attribute name") || !strings.Contains(r.body, `value="orphan"`) {
		t.Errorf("a value without a name = %d, want 400 with the message and the typed value", r.status)
	}
	if r := e.postForm(admin, "/admin/people/"+id, url.Values{"email": {"ada@example.com"}}); r.status != http.StatusConflict || !strings.Contains(r.body, "already exists") {
		t.Errorf("taking another person's email = %d, want 409", r.status)
	}
	if r := e.do(admin, "PUT", "/api/user/"+id, "application/json", `{"login_attributes": {"`+strings.Repeat("k", 101)+`": "1"}}`); r.status != http.StatusBadRequest {
		t.Errorf("an attribute name of 101 characters = %d, want 400", r.status)
	}
	// The API changes only what it names.
	if r := e.do(admin, "PUT", "/api/user/"+id, "application/json", `{"last_name": "Drop"}`); r.status != http.StatusOK || !strings.Contains(r.body, `"account_id":"28"`) {
		t.Errorf("PUT /api/user/%d = %d %s, want the attributes kept", bob.ID, r.status, r.body)
	}
	// Bob cannot edit himself into other attributes.
	if r := e.do(bc, "PUT", "/api/user/"+id, "application/json", `{"login_attributes": {"account_id": "13"}}`); r.status != http.StatusForbidden {
		t.Errorf("Bob changing his own attributes = %d, want 403", r.status)
	}

	// A password reset ends Bob's sessions; the new password works.
	if r := e.postForm(admin, "/admin/people/"+id+"/password", url.Values{"password": {"short"}}); r.status != http.StatusBadRequest {
		t.Errorf("a too short password = %d, want 400", r.status)
	}
	if r := e.postForm(admin, "/admin/people/"+id+"/password", url.Values{"password": {"a brand new one"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reset = %d %s", r.status, r.body)
	}
	if r := e.get(bc, "/api/user/current"); r.status != http.StatusUnauthorized {
		t.Errorf("Bob's old session after the reset = %d, want 401", r.status)
	}
	e.signIn("robert@example.com", "a brand new one")
}

func TestGroupManagers(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	ctx := context.Background()
	a, ad := e.app, e.adminUser()
	acme, err := a.CreateGroup(ctx, ad, "Customer Acme")
	if err != nil {
		t.Fatal(err)
	}
	globex, err := a.CreateGroup(ctx, ad, "Customer Globex")
	if err != nil {
		t.Fatal(err)
	}
	mia, err := a.CreateUser(ctx, ad, app.NewUserInput{Email: "mia@acme.example", Password: "mia password", GroupIDs: []int64{acme.ID}})
	if err != nil {
		t.Fatal(err)
	}
	newbie, err := a.CreateUser(ctx, ad, app.NewUserInput{Email: "new@acme.example", Password: "new password", Attributes: map[string]string{"account_id": "28"}})
	if err != nil {
		t.Fatal(err)
	}
	// Globex's people, one of them deactivated, are outsiders to Acme's manager.
	if _, err := a.CreateUser(ctx, ad, app.NewUserInput{Email: "gus@globex.example", GroupIDs: []int64{globex.ID}}); err != nil {
		t.Fatal(err)
	}
	gone, err := a.CreateUser(ctx, ad, app.NewUserInput{Email: "gone@globex.example", GroupIDs: []int64{globex.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetUserActive(ctx, ad, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	plain := e.signIn("new@acme.example", "new password")
	if r := e.get(plain, "/admin/groups"); r.status != http.StatusForbidden {
		t.Errorf("/admin/groups for someone who manages nothing = %d, want 403", r.status)
	}
	if r := e.postForm(admin, "/admin/groups/"+itoa(acme.ID)+"/members/"+itoa(mia.ID)+"/manager", url.Values{"manager": {"true"}}); r.status != http.StatusSeeOther {
		t.Fatalf("make Mia a manager = %d %s", r.status, r.body)
	}
	mc := e.signIn("mia@acme.example", "mia password")

	if r := e.get(mc, "/"); !strings.Contains(r.body, `href="/admin/groups"`) {
		t.Errorf("a group manager's menu has no link to Groups")
	}
	r := e.get(mc, "/admin/groups")
	if r.status != http.StatusOK || !strings.Contains(r.body, "Customer Acme") || strings.Contains(r.body, "Customer Globex") || strings.Contains(r.body, "Create a group") {
		t.Errorf("/admin/groups for Mia = %d, want only her group and no group creation", r.status)
	}
	if r := e.get(mc, "/admin/groups/"+itoa(globex.ID)); r.status != http.StatusNotFound {
		t.Errorf("another group's page for Mia = %d, want 404", r.status)
	}
	// Mia sees the members of her group, and nobody else.
	r = e.get(mc, "/admin/people")
	if r.status != http.StatusOK || !strings.Contains(r.body, "mia@acme.example") || strings.Contains(r.body, "new@acme.example") ||
		strings.Contains(r.body, "@globex.example") || strings.Contains(r.body, "Invite someone") {
		t.Errorf("/admin/people for Mia = %d, want only Customer Acme's members and no invitations", r.status)
	}
	if r := e.get(mc, "/api/user"); r.status != http.StatusOK || !strings.Contains(r.body, "mia@acme.example") {
		t.Errorf("GET /api/user for Mia = %d %s, want Customer Acme's members", r.status, r.body)
	}
	for _, p := range []string{"/api/user", "/api/user?status=all", "/api/user?status=deactivated", "/api/user?query=globex", "/admin/people?status=all"} {
		if r := e.get(mc, p); strings.Contains(r.body, "@globex.example") {
			t.Errorf("GET %s for Mia = %d %s, want no Globex people", p, r.status, r.body)
		}
	}
	for _, p := range []string{"/api/user?status=all", "/api/user?status=deactivated"} {
		if r := e.get(mc, p); r.status != http.StatusForbidden {
			t.Errorf("GET %s for Mia = %d, want 403: the status filter is for administrators", p, r.status)
		}
	}
	// Mia adds and removes members of her group, and nothing more.
	if r := e.postForm(mc, "/admin/groups/"+itoa(acme.ID)+"/members", url.Values{"user": {"new@acme.example"}}); r.status != http.StatusSeeOther {
		t.Fatalf("Mia adds a member = %d %s", r.status, r.body)
	}
	r = e.get(mc, "/admin/people")
	if !strings.Contains(r.body, "new@acme.example") || strings.Contains(r.body, "account_id") {
		t.Errorf("/admin/people for Mia after adding a member: want the new member without attributes")
	}
	ms, err := a.Memberships(ctx, ad)
	if err != nil {
		t.Fatal(err)
	}
	if !containsMembership(ms, acme.ID, newbie.ID) {
		t.Errorf("the new member is not in Customer Acme: %v", ms)
	}
	if r := e.postForm(mc, "/admin/groups/"+itoa(globex.ID)+"/members", url.Values{"user": {"new@acme.example"}}); r.status == http.StatusSeeOther {
		t.Errorf("Mia added someone to Globex")
	}
	if r := e.postForm(mc, "/admin/groups/"+itoa(acme.ID)+"/members/"+itoa(newbie.ID)+"/manager", url.Values{"manager": {"true"}}); r.status != http.StatusForbidden {
		t.Errorf("Mia making a manager = %d, want 403", r.status)
	}
	if r := e.postForm(mc, "/admin/groups/"+itoa(acme.ID)+"/members/"+itoa(newbie.ID)+"/remove", nil); r.status != http.StatusSeeOther {
		t.Errorf("Mia removes a member = %d %s", r.status, r.body)
	}
	for _, p := range []string{"/admin/permissions", "/admin/settings", "/admin/people/" + itoa(newbie.ID), "/admin/databases"} {
		if r := e.get(mc, p); r.status != http.StatusForbidden {
			t.Errorf("GET %s for a group manager = %d, want 403", p, r.status)
		}
	}
	if r := e.postForm(mc, "/admin/groups", url.Values{"name": {"Mine"}}); r.status != http.StatusForbidden {
		t.Errorf("a group manager creating a group = %d, want 403", r.status)
	}
}

// managerWorld is an instance with two customer groups: Mia manages
// Customer Acme, Oskar is in Customer Globex and Dee, deactivated, too.
type managerWorld struct {
	admin, mia   *http.Client
	acme, globex int64
	oskar, dee   *sightline.User
}

func newManagerWorld(t *testing.T) (*testEnv, managerWorld) {
	t.Helper()
	e := newEnv(t, nil)
	w := managerWorld{admin: e.setup()}
	ctx := context.Background()
	a, ad := e.app, e.adminUser()
	acme, err := a.CreateGroup(ctx, ad, "Customer Acme")
	if err != nil {
		t.Fatal(err)
	}
	globex, err := a.CreateGroup(ctx, ad, "Customer Globex")
	if err != nil {
		t.Fatal(err)
	}
	w.acme, w.globex = acme.ID, globex.ID
	if _, err := a.CreateUser(ctx, ad, app.NewUserInput{Email: "mia@acme.example", Password: "mia password",
		Memberships: []app.MembershipInput{{ID: acme.ID, Manager: true}}}); err != nil {
		t.Fatal(err)
	}
	if w.oskar, err = a.CreateUser(ctx, ad, app.NewUserInput{Email: "oskar@globex.example", FirstName: "Oskar", GroupIDs: []int64{globex.ID}}); err != nil {
		t.Fatal(err)
	}
	if w.dee, err = a.CreateUser(ctx, ad, app.NewUserInput{Email: "dee@globex.example", FirstName: "Dee", GroupIDs: []int64{globex.ID}}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetUserActive(ctx, ad, w.dee.ID, false); err != nil {
		t.Fatal(err)
	}
	w.mia = e.signIn("mia@acme.example", "mia password")
	return e, w
}

// TestGroupManagerSeesNoOutsiders: no route a group manager can reach
// names someone outside the groups they manage.
func TestGroupManagerSeesNoOutsiders(t *testing.T) {
	e, w := newManagerWorld(t)
	acme, oskar := itoa(w.acme), itoa(w.oskar.ID)
	tests := []struct {
		method, path, body string
	}{
		{"GET", "/api/user", ""},
		{"GET", "/api/user?status=all", ""},
		{"GET", "/api/user?status=deactivated", ""},
		{"GET", "/api/user?query=globex", ""},
		{"GET", "/admin/people", ""},
		{"GET", "/admin/people?status=all", ""},
		{"GET", "/admin/people?query=oskar", ""},
		{"GET", "/admin/groups/" + acme, ""},
		{"GET", "/api/permissions/group/" + acme, ""},
		{"GET", "/api/permissions/membership", ""},
		{"GET", "/api/user/" + oskar, ""},
		{"PUT", "/api/user/" + oskar, `{"locale": "en"}`},
		{"PUT", "/api/user/" + oskar, `{"is_superuser": false}`},
		{"PUT", "/api/user/" + oskar, `{"user_group_memberships": [{"id": 1}, {"id": ` + itoa(w.globex) + `}]}`},
		{"PUT", "/api/user/" + itoa(w.dee.ID), `{"locale": "en"}`},
	}
	for _, tt := range tests {
		r := e.do(w.mia, tt.method, tt.path, "application/json", tt.body)
		for _, secret := range []string{"@globex.example", "Oskar", "Dee"} {
			if strings.Contains(r.body, secret) {
				t.Errorf("%s %s %s for Acme's manager = %d, names %q: %s", tt.method, tt.path, tt.body, r.status, secret, r.body)
			}
		}
	}
	for _, p := range []string{"/api/user/" + oskar} {
		if r := e.get(w.mia, p); r.status != http.StatusNotFound {
			t.Errorf("GET %s for Acme's manager = %d, want 404", p, r.status)
		}
	}
	if r := e.do(w.mia, "PUT", "/api/user/"+oskar, "application/json", `{"locale": "en"}`); r.status != http.StatusNotFound {
		t.Errorf("PUT /api/user/%s changing nothing, for Acme's manager = %d, want 404", oskar, r.status)
	}
	// An administrator still sees everyone, deactivated people too.
	if r := e.get(w.admin, "/api/user?status=all"); !strings.Contains(r.body, "oskar@globex.example") || !strings.Contains(r.body, "dee@globex.example") {
		t.Errorf("GET /api/user?status=all for the administrator lacks Globex's people: %s", r.body)
	}
	if r := e.get(w.admin, "/admin/groups/"+acme); !strings.Contains(r.body, `<option value="oskar@globex.example">`) {
		t.Errorf("the administrator's member picker lacks Oskar")
	}
}

// TestGroupManagerAddsByEmail: a group manager adds someone by their exact
// email; an unknown email and a deactivated person get the same answer.
func TestGroupManagerAddsByEmail(t *testing.T) {
	e, w := newManagerWorld(t)
	path := "/admin/groups/" + itoa(w.acme) + "/members"
	const refused = "No active person with that email can be added."
	for _, email := range []string{"nobody@globex.example", "dee@globex.example", "DEE@Globex.Example", "oskar@globex"} {
		r := e.postForm(w.mia, path, url.Values{"user": {email}})
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, refused) || strings.Contains(r.body, "@globex") {
			t.Errorf("POST %s user=%s = %d, want 400 with %q and no email: %s", path, email, r.status, refused, r.body)
		}
	}
	if r := e.postForm(w.mia, path, url.Values{"user": {"  Oskar@GLOBEX.example "}}); r.status != http.StatusSeeOther {
		t.Fatalf("Mia adds Oskar by email = %d %s", r.status, r.body)
	}
	ms, err := e.app.Memberships(context.Background(), e.adminUser())
	if err != nil {
		t.Fatal(err)
	}
	if !containsMembership(ms, w.acme, w.oskar.ID) || containsMembership(ms, w.acme, w.dee.ID) {
		t.Errorf("after adding by email, Acme's memberships = %v, want Oskar and not Dee", ms)
	}
	// Now a member, Oskar is on Mia's group page, with no group but hers.
	r := e.get(w.mia, "/admin/groups/"+itoa(w.acme))
	if !strings.Contains(r.body, "oskar@globex.example") || strings.Contains(r.body, "Customer Globex") {
		t.Errorf("Mia's group page after adding Oskar: want him listed without his other groups")
	}
	if r := e.postForm(w.mia, "/admin/groups/"+itoa(w.globex)+"/members", url.Values{"user": {"mia@acme.example"}}); r.status != http.StatusForbidden {
		t.Errorf("Mia adding to a group she does not manage = %d, want 403", r.status)
	}
}

// containsMembership reports whether user is in group.
func containsMembership(ms []access.Membership, group, user int64) bool {
	for _, m := range ms {
		if m.GroupID == group && m.UserID == user {
			return true
		}
	}
	return false
}

// TestOwnRecordHidesGroups: only administrators and group managers learn
// which groups they are in.
func TestOwnRecordHidesGroups(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	ctx := context.Background()
	acme, err := e.app.CreateGroup(ctx, e.adminUser(), "Customer Acme")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := e.app.CreateUser(ctx, e.adminUser(), app.NewUserInput{Email: "bob@example.com", Password: "bob password", GroupIDs: []int64{acme.ID}})
	if err != nil {
		t.Fatal(err)
	}
	bc := e.signIn("bob@example.com", "bob password")
	for _, p := range []string{"/api/user/current", "/api/user/" + itoa(bob.ID)} {
		if r := e.get(bc, p); r.status != http.StatusOK || strings.Contains(r.body, "Customer Acme") || strings.Contains(r.body, "group_ids") {
			t.Errorf("GET %s for Bob = %d %s, want his record without his groups", p, r.status, r.body)
		}
	}
	if r := e.get(admin, "/api/user/"+itoa(bob.ID)); !strings.Contains(r.body, "Customer Acme") {
		t.Errorf("the admin's view of Bob lacks his groups: %s", r.body)
	}
	if r := e.get(admin, "/api/user/current"); !strings.Contains(r.body, "Administrators") {
		t.Errorf("the admin's own record lacks their groups: %s", r.body)
	}
}

// TestPasswordSignInOffForNonAdmins: with password sign-in turned off,
// people other than administrators are sent to SSO with a clear message,
// and administrators can still sign in with their password.
func TestPasswordSignInOffForNonAdmins(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	if _, err := e.app.CreateUser(context.Background(), e.adminUser(), app.NewUserInput{Email: "bob@example.com", Password: "bob password"}); err != nil {
		t.Fatal(err)
	}
	e.settings(map[string]string{"enable-password-login": "false"})
	r := e.postJSON(e.client(), "/api/session", `{"username": "bob@example.com", "password": "bob password"}`)
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "Password sign-in is turned off") {
		t.Errorf("Bob's password sign-in with password sign-in off = %d %s, want 403 saying so", r.status, r.body)
	}
	// A wrong password still gets the generic message, so the setting does
	// not reveal who has an account.
	if r := e.postJSON(e.client(), "/api/session", `{"username": "bob@example.com", "password": "wrong password"}`); r.status != http.StatusUnauthorized {
		t.Errorf("a wrong password with password sign-in off = %d, want 401", r.status)
	}
	e.signIn("ada@example.com", "correct horse")
}
