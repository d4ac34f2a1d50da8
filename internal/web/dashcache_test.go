package web

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"sightline"
	"sightline/internal/access"
)

// TestCachedDashboardSeesEveryEdit opens a dashboard as a sandboxed
// customer while the app's clock stands still, so no cache entry expires:
// the second open reads nothing from the app database, and each edit
// (a question renamed, the dashboard renamed, the customer's group losing
// the collection) shows on the very next open.
func TestCachedDashboardSeesEveryEdit(t *testing.T) {
	f := setupDashboardCalls(t, t, 3)
	e, d := f.e, f.bySize[3]
	customer := e.client()
	customer.Jar.SetCookies(mustURL(e.srv.URL), f.customerCookies)
	admin := e.client()
	admin.Jar.SetCookies(mustURL(e.srv.URL), f.adminCookies)
	open := func(c *http.Client) (int, sightline.Dashboard) {
		t.Helper()
		r := e.get(c, "/api/dashboard/"+itoa(d.ID))
		var got sightline.Dashboard
		if r.status == http.StatusOK {
			if err := json.Unmarshal([]byte(r.body), &got); err != nil {
				t.Fatalf("GET /api/dashboard/%d: %v in %.300s", d.ID, err, r.body)
			}
		}
		return r.status, got
	}

	if status, _ := open(customer); status != http.StatusOK {
		t.Fatalf("customer's GET /api/dashboard/%d = %d, want 200", d.ID, status)
	}
	f.cs.take()
	if status, _ := open(customer); status != http.StatusOK {
		t.Fatalf("customer's second GET /api/dashboard/%d = %d, want 200", d.ID, status)
	}
	if calls := splitSessions(f.cs.take()).calls; calls["Dashboard"] != 0 || calls["CardsByID"] != 0 || calls["Card"] != 0 {
		t.Errorf("a second open of the dashboard read it again from the app database: %v", calls)
	}

	card := d.Cards[0]
	if r := e.do(admin, "PUT", "/api/card/"+itoa(card.CardID), "application/json", `{"name": "Renamed on the dashboard"}`); r.status != http.StatusOK {
		t.Fatalf("PUT /api/card/%d = %d %.300s", card.CardID, r.status, r.body)
	}
	if _, got := open(customer); got.Cards[0].Card == nil || got.Cards[0].Card.Name != "Renamed on the dashboard" {
		t.Errorf("after the question was renamed, the customer's dashboard shows %+v, want the name %q", got.Cards[0].Card, "Renamed on the dashboard")
	}

	r := e.get(admin, "/api/dashboard/"+itoa(d.ID))
	var body map[string]any
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatal(err)
	}
	body["name"] = "Renamed dashboard"
	b, _ := json.Marshal(body)
	if r := e.do(admin, "PUT", "/api/dashboard/"+itoa(d.ID), "application/json", string(b)); r.status != http.StatusOK {
		t.Fatalf("PUT /api/dashboard/%d = %d %.300s", d.ID, r.status, r.body)
	}
	if _, got := open(customer); got.Name != "Renamed dashboard" {
		t.Errorf("after the dashboard was renamed, the customer sees %q, want %q", got.Name, "Renamed dashboard")
	}

	ctx := context.Background()
	cg, err := e.app.CollectionPermissionGraph(ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]map[string]string{}
	for g, perms := range cg.Groups {
		if _, ok := perms[itoa(d.CollectionID)]; ok && g != itoa(sightline.AdminGroupID) {
			groups[g] = map[string]string{itoa(d.CollectionID): access.CollectionNone}
		}
	}
	if len(groups) == 0 {
		t.Fatal("no group reads the dashboard's collection")
	}
	if _, err := e.app.SaveCollectionPermissionGraph(ctx, f.admin, access.WireCollectionGraph{Revision: cg.Revision, Groups: groups}, false); err != nil {
		t.Fatal(err)
	}
	if status, _ := open(customer); status != http.StatusNotFound {
		t.Errorf("after the customer's group lost the collection, GET /api/dashboard/%d = %d, want 404", d.ID, status)
	}
}
