package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"sightline"
)

// TestPublicLinkedFilterValues: a public dashboard's Vendor filter, limited
// by its Category filter, offers through the link the vendors the signed-in
// dashboard offers for the same category; a filter that does not limit
// Vendor, or an unknown one, changes nothing.
func TestPublicLinkedFilterValues(t *testing.T) {
	e := newEnv(t, nil)
	f := setupPublicFixture(t, e)
	ctx := context.Background()
	a, admin := e.app, e.adminUser()
	tables, err := a.Tables(ctx, admin, f.db)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]int64{}
	for _, tb := range tables {
		if tb.Name == "PRODUCTS" {
			for _, fl := range tb.Fields {
				fields[fl.Name] = fl.ID
			}
		}
	}
	wire := func(param, field string) sightline.ParameterMapping {
		return sightline.ParameterMapping{ParameterID: param, CardID: f.products,
			Target: json.RawMessage(fmt.Sprintf(`["dimension", ["field", %d, null]]`, fields[field]))}
	}
	d, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Vendors by category",
		Parameters: []sightline.DashboardParameter{
			{ID: "cat", Name: "Category", Slug: "category", Type: "category"},
			{ID: "vendor", Name: "Vendor", Slug: "vendor", Type: "category", FilteringParameters: []string{"cat"}},
			{ID: "title", Name: "Title", Slug: "title", Type: "category"},
		},
		Cards: []sightline.DashboardCard{{CardID: f.products, SizeX: 4, SizeY: 4,
			Mappings: []sightline.ParameterMapping{wire("cat", "CATEGORY"), wire("vendor", "VENDOR"), wire("title", "TITLE")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.settings(map[string]string{sightline.SettingPublicSharing: "true"})
	uuid, err := a.CreatePublicLink(ctx, admin, sightline.PublicDashboard, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	signedIn := func(query string) string {
		return outcome(t, e.do(f.clients["admin"], "GET", fmt.Sprintf("/api/dashboard/%d/params/vendor/values%s", d.ID, query), "", ""), fieldValues)
	}
	public := func(query string) string {
		return outcome(t, e.do(e.client(), "GET", "/api/public/dashboard/"+uuid+"/params/vendor/values"+query, "", ""), fieldValues)
	}
	all := public("")
	gizmo := signedIn("?cat=Gizmo")
	if all == gizmo || len(gizmo) < len("200 [[x]]") {
		t.Fatalf("Gizmo's vendors signed in = %.200s, all vendors = %.200s; want a shorter, non-empty list", gizmo, all)
	}
	for _, tt := range []struct {
		name, query, want string
	}{
		{"every vendor", "", all},
		{"limited by the category", "?cat=Gizmo", gizmo},
		{"limited by two categories", "?cat=Gizmo&cat=Widget", signedIn("?cat=Gizmo&cat=Widget")},
		{"a filter that does not limit Vendor", "?title=" + url.QueryEscape("Rustic Paper Wallet"), all},
		{"an unknown filter", "?nope=1", all},
		{"Vendor's own value", "?vendor=Nobody", all},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := public(tt.query); got != tt.want {
				t.Errorf("vendors through the public link with %q = %.300s, want %.300s", tt.query, got, tt.want)
			}
		})
	}
}
