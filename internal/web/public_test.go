package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sightline"
)

// publicFixture is the leak fixture (invoices sandboxed for "acme") with a
// question and a dashboard on the unsandboxed products table.
type publicFixture struct {
	*leakFixture
	products, productsDash, productsDashcard int64
	// nativeProducts is a SQL question on products, in a database where
	// invoices is sandboxed.
	nativeProducts int64
}

func setupPublicFixture(t *testing.T, e *testEnv) *publicFixture {
	t.Helper()
	f := &publicFixture{leakFixture: setupLeakFixture(t, e)}
	ctx := context.Background()
	a, admin := e.app, e.adminUser()
	tables, err := a.Tables(ctx, admin, f.db)
	if err != nil {
		t.Fatal(err)
	}
	var products, category int64
	for _, tb := range tables {
		if tb.Name == "PRODUCTS" {
			products = tb.ID
			for _, fl := range tb.Fields {
				if fl.Name == "CATEGORY" {
					category = fl.ID
				}
			}
		}
	}
	q := &sightline.Query{}
	if err := json.Unmarshal([]byte(fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, f.db, products)), q); err != nil {
		t.Fatal(err)
	}
	c, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Product count", Description: "All products", Query: q})
	if err != nil {
		t.Fatal(err)
	}
	f.products = c.ID
	nq := &sightline.Query{}
	if err := json.Unmarshal([]byte(fmt.Sprintf(`{"database": %d, "type": "native", "native": {"query": "SELECT COUNT(*) FROM PRODUCTS"}}`, f.db)), nq); err != nil {
		t.Fatal(err)
	}
	nc, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Product count in SQL", Query: nq})
	if err != nil {
		t.Fatal(err)
	}
	f.nativeProducts = nc.ID
	cat := sightline.ParameterMapping{ParameterID: "category", CardID: c.ID, Target: json.RawMessage(fmt.Sprintf(`["dimension", ["field", %d, null]]`, category))}
	d, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Products",
		Parameters: []sightline.DashboardParameter{{ID: "category", Name: "Category", Slug: "category", Type: "category"}},
		Cards:      []sightline.DashboardCard{{CardID: c.ID, SizeX: 4, SizeY: 4, Mappings: []sightline.ParameterMapping{cat}}}})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = a.Dashboard(ctx, admin, d.ID); err != nil {
		t.Fatal(err)
	}
	f.productsDash, f.productsDashcard = d.ID, d.Cards[0].ID
	return f
}

// uuidOf decodes {"uuid": ...}.
func uuidOf(t *testing.T, r resp) string {
	t.Helper()
	var v struct {
		UUID string `json:"uuid"`
	}
	if err := json.Unmarshal([]byte(r.body), &v); err != nil || len(v.UUID) != 36 {
		t.Fatalf("not a public link: %d %.300s", r.status, r.body)
	}
	return v.UUID
}

// TestPublicLinkAdmin creates, lists and revokes public links: only
// administrators may, only while public sharing is on, and each change is
// audited.
func TestPublicLinkAdmin(t *testing.T) {
	e := newEnv(t, nil)
	f := setupPublicFixture(t, e)
	admin, user := f.clients["admin"], f.clients["unrestricted"]
	cardPath := fmt.Sprintf("/api/card/%d/public_link", f.products)
	dashPath := fmt.Sprintf("/api/dashboard/%d/public_link", f.productsDash)

	e.settings(map[string]string{sightline.SettingPublicSharing: "false"})
	for _, tt := range []struct {
		name, method, path string
	}{
		{"public_link_create_sharing_off", "POST", cardPath},
		{"public_link_delete_sharing_off", "DELETE", dashPath},
		{"public_link_list_sharing_off", "GET", "/api/card/public"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name, http.StatusForbidden, e.do(admin, tt.method, tt.path, "", ""))
		})
	}
	e.settings(map[string]string{sightline.SettingPublicSharing: "true"})

	for _, tt := range []struct {
		name, method, path string
		c                  *http.Client
		status             int
	}{
		{"public_link_create_non_admin", "POST", cardPath, user, http.StatusForbidden},
		{"public_link_delete_non_admin", "DELETE", fmt.Sprintf("/api/card/%d/public_link", f.countCard), user, http.StatusForbidden},
		{"public_link_list_non_admin", "GET", "/api/dashboard/public", user, http.StatusForbidden},
		{"public_link_create_unauthenticated", "POST", dashPath, e.client(), http.StatusUnauthorized},
		{"public_link_create_unknown", "POST", "/api/card/9999/public_link", admin, http.StatusNotFound},
		{"public_link_delete_none", "DELETE", cardPath, admin, http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name, tt.status, e.do(tt.c, tt.method, tt.path, "", ""))
		})
	}

	r := e.do(admin, "POST", cardPath, "", "")
	card := uuidOf(t, r)
	if again := uuidOf(t, e.do(admin, "POST", cardPath, "", "")); again != card {
		t.Errorf("a second POST %s = %q, want the same link %q", cardPath, again, card)
	}
	dash := uuidOf(t, e.do(admin, "POST", dashPath, "", ""))
	if n := e.auditCount("public-link.create"); n != 4 { // two in the leak fixture
		t.Errorf("audit has %d public-link.create entries, want 4", n)
	}
	norm := func(r resp) resp {
		r.body = strings.NewReplacer(card, "<card uuid>", dash, "<dashboard uuid>", f.publicCard, "<uuid>", f.publicDash, "<uuid>").Replace(r.body)
		return r
	}
	checkGolden(t, "public_link_create", http.StatusOK, norm(r))
	checkGolden(t, "public_link_list_cards", http.StatusOK, norm(e.do(admin, "GET", "/api/card/public", "", "")))
	checkGolden(t, "public_link_list_dashboards", http.StatusOK, norm(e.do(admin, "GET", "/api/dashboard/public", "", "")))

	if r := e.do(e.client(), "GET", "/api/public/card/"+card, "", ""); r.status != http.StatusOK {
		t.Fatalf("GET the new public link = %d %s, want 200", r.status, r.body)
	}
	if r := e.do(admin, "DELETE", cardPath, "", ""); r.status != http.StatusNoContent {
		t.Fatalf("DELETE %s = %d %s, want 204", cardPath, r.status, r.body)
	}
	if n := e.auditCount("public-link.delete"); n != 1 {
		t.Errorf("audit has %d public-link.delete entries, want 1", n)
	}
	checkGolden(t, "public_card_revoked", http.StatusNotFound, e.do(e.client(), "GET", "/api/public/card/"+card, "", ""))
	if r := e.do(e.client(), "GET", "/api/public/card/"+card+"/query", "", ""); r.status != http.StatusNotFound {
		t.Errorf("running a revoked public link = %d %s, want 404", r.status, r.body)
	}
}

// TestPublicLinkServing serves public links without a session: the
// shapes, the rows, no cookie, and the refusals (unknown links, bad
// parameters, sandboxed tables, sharing turned off).
func TestPublicLinkServing(t *testing.T) {
	e := newEnv(t, nil)
	f := setupPublicFixture(t, e)
	ctx := context.Background()
	card, err := e.app.CreatePublicLink(ctx, e.adminUser(), sightline.PublicCard, f.products)
	if err != nil {
		t.Fatal(err)
	}
	dash, err := e.app.CreatePublicLink(ctx, e.adminUser(), sightline.PublicDashboard, f.productsDash)
	if err != nil {
		t.Fatal(err)
	}
	native, err := e.app.CreatePublicLink(ctx, e.adminUser(), sightline.PublicCard, f.nativeProducts)
	if err != nil {
		t.Fatal(err)
	}
	want := countOfDataset(t, e.do(f.clients["admin"], "POST", fmt.Sprintf("/api/card/%d/query", f.products), "", "").body)
	dashcard := fmt.Sprintf("/api/public/dashboard/%s/dashcard/%d/card/%d", dash, f.productsDashcard, f.products)
	// The category filter, applied through the public link, narrows the
	// count as it does for the administrator.
	filter := `{"parameters": [{"id": "category", "value": ["Gizmo"]}]}`
	wantGizmo := countOfDataset(t, e.postJSON(f.clients["admin"], fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.productsDash, f.productsDashcard, f.products), filter).body)
	if wantGizmo == want {
		t.Fatalf("the category filter does not narrow the count (%s)", want)
	}
	r := e.do(e.client(), "GET", dashcard+"?parameters="+url.QueryEscape(`[{"id": "category", "value": ["Gizmo"]}]`), "", "")
	if r.status != http.StatusAccepted || countOfDataset(t, r.body) != wantGizmo {
		t.Errorf("public dashcard with the category filter = %d %.300s, want 202 %s", r.status, r.body, wantGizmo)
	}
	sandboxed := fmt.Sprintf("/api/public/dashboard/%s/dashcard/%d/card/%d", f.publicDash, f.dashcard, f.countCard)

	for _, tt := range []struct {
		name, path string
		status     int
		golden     bool
	}{
		{"public_card", "/api/public/card/" + card, http.StatusOK, true},
		{"public_card_query", "/api/public/card/" + card + "/query", http.StatusAccepted, false},
		{"public_dashboard", "/api/public/dashboard/" + dash, http.StatusOK, true},
		{"public_dashcard_query", dashcard + "?parameters=" + url.QueryEscape("[]"), http.StatusAccepted, false},
		{"public_card_unknown", "/api/public/card/00000000-0000-4000-8000-000000000000", http.StatusNotFound, true},
		{"public_dashboard_unknown", "/api/public/dashboard/nope", http.StatusNotFound, true},
		{"public_dashcard_wrong_card", fmt.Sprintf("/api/public/dashboard/%s/dashcard/%d/card/%d", dash, f.productsDashcard, f.countCard), http.StatusNotFound, true},
		{"public_dashcard_other_dashboard", fmt.Sprintf("/api/public/dashboard/%s/dashcard/%d/card/%d", dash, f.dashcard, f.countCard), http.StatusNotFound, true},
		{"public_dashcard_bad_parameters", dashcard + "?parameters=" + url.QueryEscape("{not json"), http.StatusBadRequest, true},
		{"public_card_sandboxed", "/api/public/card/" + f.publicCard + "/query", http.StatusForbidden, true},
		{"public_dashcard_sandboxed", sandboxed, http.StatusForbidden, true},
		{"public_card_native_sandboxed_database", "/api/public/card/" + native + "/query", http.StatusForbidden, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(e.client(), "GET", tt.path, "", "")
			if c := r.header.Values("Set-Cookie"); len(c) != 0 {
				t.Errorf("GET %s set cookies %q, want none", tt.path, c)
			}
			if tt.golden {
				r.body = strings.NewReplacer(card, "<uuid>", dash, "<uuid>").Replace(r.body)
				checkGolden(t, tt.name, tt.status, r)
				return
			}
			if r.status != tt.status {
				t.Fatalf("GET %s = %d %.300s, want %d", tt.path, r.status, r.body, tt.status)
			}
			if got := countOfDataset(t, r.body); got != want {
				t.Errorf("GET %s = %s, want %s as the administrator sees", tt.path, got, want)
			}
		})
	}
	for _, p := range []string{"/api/public/card/" + card, "/api/public/dashboard/" + dash} {
		if r := e.do(e.client(), "GET", p, "", ""); strings.Contains(r.body, "dataset_query") || strings.Contains(r.body, "source-table") {
			t.Errorf("GET %s shows a query: %.300s", p, r.body)
		}
	}

	e.settings(map[string]string{sightline.SettingPublicSharing: "false"})
	checkGolden(t, "public_card_sharing_off", http.StatusForbidden, e.do(e.client(), "GET", "/api/public/card/"+card+"/query", "", ""))
}

// TestPermissionsPageExplainsPublicLinks checks that the data permissions
// page tells administrators what public links do with sandboxed tables.
func TestPermissionsPageExplainsPublicLinks(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	r := e.do(admin, "GET", "/admin/permissions", "", "")
	if r.status != http.StatusOK || !strings.Contains(r.body, "Public links bypass permissions and sandboxes, so sandboxed tables are refused on them.") {
		t.Errorf("GET /admin/permissions = %d, want the public links note; body %.300s", r.status, r.body)
	}
}

// TestPublicSharingFromEnvironment turns public sharing on with its
// environment variable alone.
func TestPublicSharingFromEnvironment(t *testing.T) {
	for _, tt := range []struct {
		name, value string
		status      int
	}{
		{"on", "true", http.StatusOK},
		{"off", "false", http.StatusForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, map[string]string{sightline.EnvName(sightline.SettingPublicSharing): tt.value})
			admin := e.setup()
			if r := e.do(admin, "GET", "/api/card/public", "", ""); r.status != tt.status {
				t.Errorf("GET /api/card/public with %s=%s = %d %s, want %d", sightline.EnvName(sightline.SettingPublicSharing), tt.value, r.status, r.body, tt.status)
			}
		})
	}
}
