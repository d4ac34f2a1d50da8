package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"sightline"
)

func TestCollectionsSearchTrashAndHome(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, _ := invoicesMeta(t, e)

	r := e.postJSON(admin, "/api/collection", `{"name": "Finance", "description": "Money matters"}`)
	var fin sightline.Collection
	if err := json.Unmarshal([]byte(r.body), &fin); err != nil || fin.ID == 0 {
		t.Fatalf("create collection = %d %s", r.status, r.body)
	}
	r = e.postJSON(admin, "/api/collection", fmt.Sprintf(`{"name": "Quarterly", "parent_id": %d}`, fin.ID))
	var quarterly sightline.Collection
	json.Unmarshal([]byte(r.body), &quarterly)
	q := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, inv)
	r = e.postJSON(admin, "/api/card", fmt.Sprintf(`{"name": "Invoice volume", "description": "How many invoices", "collection_id": %d, "display": "number", "dataset_query": %s}`, quarterly.ID, q))
	var card sightline.Card
	json.Unmarshal([]byte(r.body), &card)
	r = e.postJSON(admin, "/api/dashboard", `{"name": "Board pack", "pinned": true}`)
	var dash sightline.Dashboard
	json.Unmarshal([]byte(r.body), &dash)

	// The nested collection's page has breadcrumbs through its parent.
	r = e.do(admin, "GET", fmt.Sprintf("/collection/%d", quarterly.ID), "", "")
	crumbs := between(r.body, `id="breadcrumbs">`, "</div>")
	if r.status != 200 || !strings.Contains(crumbs, "Our analytics") || !strings.Contains(crumbs, "Finance") || !strings.Contains(r.body, "Invoice volume") {
		t.Errorf("GET /collection/%d = %d, breadcrumbs %q; want Our analytics / Finance and the question", quarterly.ID, r.status, crumbs)
	}
	// The root lists the collection, the pinned dashboard and a personal collection.
	r = e.do(admin, "GET", "/collection/root", "", "")
	if !strings.Contains(r.body, "Finance") || !strings.Contains(r.body, "Pinned") || !strings.Contains(r.body, "Personal Collection") {
		t.Errorf("root collection page lacks Finance, the pinned section or the personal collection")
	}
	// Moving a collection into its own child is refused.
	r = e.do(admin, "PUT", fmt.Sprintf("/api/collection/%d", fin.ID), "application/json", fmt.Sprintf(`{"parent_id": %d}`, quarterly.ID))
	if r.status != 400 {
		t.Errorf("moving a collection into its child = %d, want 400", r.status)
	}

	// Search finds items of every kind, grouped.
	r = e.do(admin, "GET", "/api/search?q=invoice", "", "")
	for _, want := range []string{`"model":"card"`, `"model":"table"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("search for invoice = %s, want a %s result", r.body, want)
		}
	}
	r = e.do(admin, "GET", "/search?q=invoice&type=table", "", "")
	if !strings.Contains(r.body, `data-group="table"`) || strings.Contains(r.body, `data-group="card"`) {
		t.Errorf("search with type=table does not keep only tables")
	}

	// Archive the question: gone from its collection and search, in the trash, restorable.
	r = e.postForm(admin, fmt.Sprintf("/item/card/%d", card.ID), url.Values{"action": {"archive"}, "back": {"/trash"}})
	if r.status != 303 {
		t.Fatalf("archive = %d %s", r.status, r.body)
	}
	if r := e.do(admin, "GET", "/api/search?q=volume", "", ""); strings.Contains(r.body, "Invoice volume") {
		t.Error("an archived question is still found by search")
	}
	if r := e.do(admin, "GET", "/trash", "", ""); !strings.Contains(r.body, "Invoice volume") {
		t.Error("the archived question is not in the trash")
	}
	e.postForm(admin, fmt.Sprintf("/item/card/%d", card.ID), url.Values{"action": {"restore"}, "back": {"/trash"}})
	if r := e.do(admin, "GET", fmt.Sprintf("/collection/%d", quarterly.ID), "", ""); !strings.Contains(r.body, "Invoice volume") {
		t.Error("the restored question is not back in its collection")
	}

	// Home: recently viewed and pinned dashboards.
	e.do(admin, "GET", fmt.Sprintf("/api/dashboard/%d", dash.ID), "", "")
	r = e.do(admin, "GET", "/", "", "")
	if !strings.Contains(between(r.body, `id="pinned"`, "</div>"), "Board pack") || !strings.Contains(between(r.body, `id="recent"`, "</div>"), "Board pack") {
		t.Errorf("home page lacks the pinned and recently viewed dashboard")
	}

	// Another user does not see the admin's personal collection.
	r = e.postJSON(admin, "/api/user", `{"email": "bob@example.com", "password": "bob password"}`)
	bob := e.client()
	e.postJSON(bob, "/api/session", `{"email": "bob@example.com", "password": "bob password"}`)
	r = e.do(admin, "GET", "/api/collection/root/items?models=collection", "", "")
	var items struct {
		Data []struct {
			ID   int64
			Name string
		}
	}
	json.Unmarshal([]byte(r.body), &items)
	var personal int64
	for _, it := range items.Data {
		if strings.Contains(it.Name, "Personal") {
			personal = it.ID
		}
	}
	if personal == 0 {
		t.Fatalf("no personal collection for the admin in %s", r.body)
	}
	if r := e.do(bob, "GET", fmt.Sprintf("/collection/%d", personal), "", ""); r.status != 404 {
		t.Errorf("bob opens the admin's personal collection = %d, want 404", r.status)
	}
}

func TestAdminPeopleShowsAttributes(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	r := e.postJSON(admin, "/api/user", `{"email": "rene@acme.example", "first_name": "Rene", "login_attributes": {"account_id": "28"}}`)
	if r.status != 200 {
		t.Fatalf("create user = %d %s", r.status, r.body)
	}
	r = e.do(admin, "GET", "/admin/people", "", "")
	row := between(r.body, "rene@acme.example", "</tr>")
	if !strings.Contains(row, "<code>account_id</code>=28") || !strings.Contains(row, "hand-set") || !strings.Contains(row, "Password") {
		t.Errorf("Admin > People row for rene = %q, want account_id=28 marked hand-set", row)
	}
}
