package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/app"
	"sightline/internal/sandbox"
)

// TestContentAPIContract checks each endpoint on questions, dashboards and
// collections against its golden file, as the sandboxed customer and the
// administrator of the reference fixture, with the error shapes.
func TestContentAPIContract(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	f := setupRefsFixture(t, e, sqliteLeakSample(t, e))
	const who = "sandboxed-28"
	cust, admin, anon := f.clients[who], f.clients["admin"], e.client()
	dashcard := fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.dash, f.dashcard, f.countCard)
	// The customer opened a question, which f=recent lists.
	if r := e.get(cust, fmt.Sprintf("/api/card/%d", f.countCard)); r.status != http.StatusOK {
		t.Fatalf("GET /api/card/%d = %d", f.countCard, r.status)
	}
	tests := []struct {
		name, method, path, body string
		c                        *http.Client
	}{
		{"card_list", "GET", "/api/card", "", cust},
		{"card_list_mine", "GET", "/api/card?f=mine", "", cust},
		{"card_list_bookmarked", "GET", "/api/card?f=bookmarked", "", cust},
		{"card_list_using_model", "GET", "/api/card?f=using_model&model_id=1", "", cust},
		{"card_list_table", "GET", fmt.Sprintf("/api/card?f=table&model_id=%d", f.inv), "", cust},
		{"card_list_database_admin", "GET", fmt.Sprintf("/api/card?f=database&model_id=%d", f.db), "", admin},
		{"card_list_archived", "GET", "/api/card?f=archived", "", cust},
		{"card_list_recent", "GET", "/api/card?f=recent", "", cust},
		{"card_list_unknown_filter", "GET", "/api/card?f=everything", "", cust},
		{"card_list_missing_model", "GET", "/api/card?f=table", "", cust},
		{"card_list_unauthenticated", "GET", "/api/card", "", anon},
		{"card_dashboards", "GET", fmt.Sprintf("/api/card/%d/dashboards", f.countCard), "", cust},
		{"card_dashboards_admin", "GET", fmt.Sprintf("/api/card/%d/dashboards", f.countCard), "", admin},
		{"card_dashboards_unreadable", "GET", fmt.Sprintf("/api/card/%d/dashboards", f.private), "", cust},
		{"card_query_metadata", "GET", fmt.Sprintf("/api/card/%d/query_metadata", f.countCard), "", cust},
		{"card_query_metadata_unreadable", "GET", fmt.Sprintf("/api/card/%d/query_metadata", f.private), "", cust},
		{"dashboard_list", "GET", "/api/dashboard", "", cust},
		{"dashboard_list_mine", "GET", "/api/dashboard?f=mine", "", cust},
		{"dashboard_list_unknown_filter", "GET", "/api/dashboard?f=popular", "", cust},
		{"dashboard_list_unauthenticated", "GET", "/api/dashboard", "", anon},
		{"dashboard_query_metadata", "GET", fmt.Sprintf("/api/dashboard/%d/query_metadata", f.mixed), "", cust},
		{"dashboard_query_metadata_unreadable", "GET", fmt.Sprintf("/api/dashboard/%d/query_metadata", f.privateDash), "", cust},
		{"collection_list", "GET", "/api/collection", "", cust},
		{"collection_list_admin", "GET", "/api/collection", "", admin},
		{"collection_list_admin_exclude_others", "GET", "/api/collection?exclude-other-user-collections=true", "", admin},
		{"collection_list_personal_only", "GET", "/api/collection?personal-only=true", "", admin},
		{"collection_list_bad_boolean", "GET", "/api/collection?archived=yes", "", cust},
		{"collection_list_unauthenticated", "GET", "/api/collection", "", anon},
		{"collection_tree", "GET", "/api/collection/tree", "", cust},
		{"collection_tree_admin", "GET", "/api/collection/tree?exclude-archived=true", "", admin},
		{"collection_root", "GET", "/api/collection/root", "", cust},
		{"collection_root_items", "GET", "/api/collection/root/items", "", cust},
		{"collection_root_items_page", "GET", "/api/collection/root/items?models=dashboard,card&limit=1&offset=1", "", cust},
		{"collection_root_items_archived", "GET", "/api/collection/root/items?archived=true", "", cust},
		{"dashcard_download_json", "POST", dashcard + "/json", `{"parameters": [{"id": "plan", "value": ["Basic"]}]}`, cust},
		{"dashcard_download_admin_filtered", "POST", dashcard + "/json", `{"parameters": [{"id": "plan", "value": ["Basic"]}]}`, admin},
		{"dashcard_download_not_allowed", "POST", dashcard + "/csv", "", f.clients["no-self-service"]},
		{"dashcard_download_unknown_format", "POST", dashcard + "/pdf", "", cust},
		{"dashcard_download_wrong_card", "POST", fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query/csv", f.dash, f.dashcard, f.private), "", cust},
		{"card_archive", "PUT", fmt.Sprintf("/api/card/%d", f.ownCard[who]), `{"archived": true}`, cust},
		{"card_list_archived_after", "GET", "/api/card?f=archived", "", cust},
		{"dashboard_archive", "PUT", fmt.Sprintf("/api/dashboard/%d", f.own[who]), `{"archived": true}`, cust},
		{"dashboard_list_archived_after", "GET", "/api/dashboard?f=archived", "", cust},
		{"collection_personal", "GET", fmt.Sprintf("/api/collection/%d", f.personal[who]), "", cust},
		{"card_delete_unreadable", "DELETE", fmt.Sprintf("/api/card/%d", f.private), "", cust},
		{"card_delete", "DELETE", fmt.Sprintf("/api/card/%d", f.ownCard[who]), "", cust},
		{"card_delete_again", "DELETE", fmt.Sprintf("/api/card/%d", f.ownCard[who]), "", cust},
		{"dashboard_delete_unreadable", "DELETE", fmt.Sprintf("/api/dashboard/%d", f.privateDash), "", cust},
		{"dashboard_delete", "DELETE", fmt.Sprintf("/api/dashboard/%d", f.own[who]), "", cust},
		{"dashboard_delete_unauthenticated", "DELETE", fmt.Sprintf("/api/dashboard/%d", f.mixed), "", anon},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			se := *e
			se.t = t
			ct := ""
			if tt.body != "" {
				ct = "application/json"
			}
			checkAPIGolden(t, tt.name, se.do(tt.c, tt.method, tt.path, ct, tt.body))
		})
	}
}

// TestDeleteContent checks what deleting questions and dashboards does
// beyond the answer: the object is gone for everyone, a dashboard that
// showed a deleted question no longer runs it (even from the cache a page
// load filled), someone who may only view a collection cannot delete from
// it, and a question a sandbox uses as its view cannot be deleted at all.
func TestDeleteContent(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	f := setupRefsFixture(t, e, sqliteLeakSample(t, e))
	ctx := context.Background()
	a, adminUser := e.app, e.adminUser()
	admin, cust := f.clients["admin"], f.clients["sandboxed-28"]

	// The customer's dashboard runs countCard; after the question is
	// deleted, its card is gone and running it is not found.
	run := fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.dash, f.dashcard, f.countCard)
	if r := e.postJSON(cust, run, ""); r.status != http.StatusAccepted {
		t.Fatalf("POST %s = %d %s", run, r.status, r.body)
	}
	if r := e.do(admin, "DELETE", fmt.Sprintf("/api/card/%d", f.countCard), "", ""); r.status != http.StatusNoContent {
		t.Fatalf("DELETE the question as the administrator = %d %s, want 204", r.status, r.body)
	}
	if r := e.postJSON(cust, run, ""); r.status != http.StatusNotFound {
		t.Errorf("POST %s after the question was deleted = %d %s, want 404", run, r.status, r.body)
	}
	if r := e.get(admin, fmt.Sprintf("/api/card/%d", f.countCard)); r.status != http.StatusNotFound {
		t.Errorf("GET the deleted question = %d, want 404", r.status)
	}

	// A collection the customer may only view.
	ro, err := a.CreateCollection(ctx, adminUser, "Read only", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	cg, err := a.CollectionPermissionGraph(ctx, adminUser)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]map[string]string{}
	for id := range cg.Groups {
		if id != itoa(sightline.AdminGroupID) {
			groups[id] = map[string]string{itoa(ro.ID): access.CollectionRead}
		}
	}
	if _, err := a.SaveCollectionPermissionGraph(ctx, adminUser, access.WireCollectionGraph{Revision: cg.Revision, Groups: groups}, false); err != nil {
		t.Fatal(err)
	}
	d, err := a.CreateDashboard(ctx, adminUser, &sightline.Dashboard{Name: "Viewed only", CollectionID: ro.ID})
	if err != nil {
		t.Fatal(err)
	}
	r := e.do(cust, "DELETE", fmt.Sprintf("/api/dashboard/%d", d.ID), "", "")
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "You can view this collection but not change what is in it.") {
		t.Errorf("DELETE a dashboard of a view-only collection = %d %s, want 403 saying why", r.status, r.body)
	}
	if r := e.get(admin, fmt.Sprintf("/api/dashboard/%d", d.ID)); r.status != http.StatusOK {
		t.Errorf("the refused delete removed the dashboard: GET = %d", r.status)
	}

	// A question used as a sandbox's view.
	view, err := a.CreateCard(ctx, adminUser, &sightline.Card{Name: "Account 28 view", CollectionID: f.adminOnly, Query: &sightline.Query{Database: f.db,
		Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: f.accounts, Fields: []sightline.Expr{&sightline.FieldRef{ID: f.email}}}}})
	if err != nil {
		t.Fatal(err)
	}
	grp, err := a.CreateGroup(ctx, adminUser, "Viewed through a question")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveSandbox(ctx, adminUser, sandbox.Policy{GroupID: grp.ID, TableID: f.accounts, CardID: view.ID}); err != nil {
		t.Fatal(err)
	}
	r = e.do(admin, "DELETE", fmt.Sprintf("/api/card/%d", view.ID), "", "")
	if r.status != http.StatusConflict || !strings.Contains(r.body, "a row-level sandbox uses it") {
		t.Errorf("DELETE a sandbox's question = %d %s, want 409 saying a sandbox uses it", r.status, r.body)
	}
	policies, err := a.Sandboxes(ctx, adminUser)
	if err != nil {
		t.Fatal(err)
	}
	kept := false
	for _, p := range policies {
		kept = kept || p.CardID == view.ID
	}
	if !kept {
		t.Error("the refused delete dropped the sandbox")
	}
}

// selectOptions reads the options of the select with the given id in a
// page: "id name" each, with " (selected)" after the preselected one.
func selectOptions(t *testing.T, page, id string) []string {
	t.Helper()
	start := strings.Index(page, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("page has no select %q", id)
	}
	rest := page[start:]
	rest = rest[:strings.Index(rest, "</select>")]
	var out []string
	for _, m := range optionRE.FindAllStringSubmatch(rest, -1) {
		o := m[1] + " " + html.UnescapeString(m[3])
		if m[2] != "" {
			o += " (selected)"
		}
		out = append(out, o)
	}
	return out
}

var optionRE = regexp.MustCompile(`<option value="(\d+)"( selected)?>([^<]*)</option>`)

// TestSaveDialogsOfferWritableCollections checks that the new-dashboard
// form and the question page's save dialog offer exactly the collections
// the person may save into (the rule GET /api/collection reports as
// can_write), preselecting the one asked for or the question's own when
// the person may save there, else their personal collection.
func TestSaveDialogsOfferWritableCollections(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	f := setupRefsFixture(t, e, sqliteLeakSample(t, e))
	ctx := context.Background()
	a, adminUser := e.app, e.adminUser()
	ro, err := a.CreateCollection(ctx, adminUser, "Read only", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	cg, err := a.CollectionPermissionGraph(ctx, adminUser)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]map[string]string{}
	for id := range cg.Groups {
		if id != itoa(sightline.AdminGroupID) {
			groups[id] = map[string]string{itoa(ro.ID): access.CollectionRead}
		}
	}
	if _, err := a.SaveCollectionPermissionGraph(ctx, adminUser, access.WireCollectionGraph{Revision: cg.Revision, Groups: groups}, false); err != nil {
		t.Fatal(err)
	}
	roCard, err := a.CreateCard(ctx, adminUser, &sightline.Card{Name: "Viewed only", CollectionID: ro.ID, Query: &sightline.Query{Database: f.db,
		Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: f.inv}}})
	if err != nil {
		t.Fatal(err)
	}
	const who = "sandboxed-28"
	c := f.clients[who]
	personal := fmt.Sprintf("%d %s's Personal Collection", f.personal[who], "sandboxed-28@example.com")
	mine := fmt.Sprintf("%d Mine", f.ownColl[who])
	tests := []struct {
		name, path, sel string
		want            []string
	}{
		{"new dashboard", "/dashboard/new", "new-dashboard-collection", []string{"0 Our analytics (selected)", mine, personal}},
		{"new dashboard in a view-only collection", fmt.Sprintf("/dashboard/new?collection=%d", ro.ID), "new-dashboard-collection",
			[]string{"0 Our analytics", mine, personal + " (selected)"}},
		{"new dashboard in a private collection", fmt.Sprintf("/dashboard/new?collection=%d", f.adminOnly), "new-dashboard-collection",
			[]string{"0 Our analytics", mine, personal + " (selected)"}},
		{"new dashboard in a sub-collection", fmt.Sprintf("/dashboard/new?collection=%d", f.ownColl[who]), "new-dashboard-collection",
			[]string{"0 Our analytics", mine + " (selected)", personal}},
		{"new question", "/question/new", "save-collection", []string{"0 Our analytics (selected)", mine, personal}},
		{"question of a view-only collection", fmt.Sprintf("/question/%d", roCard.ID), "save-collection",
			[]string{"0 Our analytics", mine, personal + " (selected)"}},
		{"own question", fmt.Sprintf("/question/%d", f.ownCard[who]), "save-collection", []string{"0 Our analytics", mine, personal + " (selected)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.get(c, tt.path)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s = %d", tt.path, r.status)
			}
			if diff := cmp.Diff(tt.want, selectOptions(t, r.body, tt.sel)); diff != "" {
				t.Errorf("GET %s offers (-want +got):\n%s", tt.path, diff)
			}
		})
	}
	// The question page offers to add a new question to the dashboards the
	// person may change: those in a collection they may write.
	dash := map[string]int64{}
	for name, coll := range map[string]int64{"Root board": 0, "Read-only board": ro.ID, "Private board": f.adminOnly, "My board": f.ownColl[who]} {
		d, err := a.CreateDashboard(ctx, adminUser, &sightline.Dashboard{Name: name, CollectionID: coll})
		if err != nil {
			t.Fatal(err)
		}
		dash[name] = d.ID
	}
	archived, err := a.CreateDashboard(ctx, adminUser, &sightline.Dashboard{Name: "Archived board", CollectionID: f.ownColl[who]})
	if err != nil {
		t.Fatal(err)
	}
	archived.Archived = true
	if _, err := a.UpdateDashboard(ctx, adminUser, archived); err != nil {
		t.Fatal(err)
	}
	all, err := a.Dashboards(ctx, adminUser, "all")
	if err != nil {
		t.Fatal(err)
	}
	// boards lists, as "id name" sorted, the dashboards that are not
	// archived in the collections in.
	boards := func(in ...int64) []string {
		var out []string
		for _, d := range all {
			if slices.Contains(in, d.CollectionID) {
				out = append(out, fmt.Sprintf("%d %s", d.ID, d.Name))
			}
		}
		slices.Sort(out)
		return out
	}
	colls, err := a.Collections(ctx, adminUser, app.CollectionListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	everyColl, everyOption := []int64{0}, []string{"0 Our analytics"}
	for _, cl := range colls {
		everyColl = append(everyColl, cl.Collection.ID)
		everyOption = append(everyOption, fmt.Sprintf("%d %s", cl.Collection.ID, cl.Collection.Name))
	}
	slices.Sort(everyOption)
	for _, tt := range []struct {
		name        string
		c           *http.Client
		colls, want []string
	}{
		// The customer may write the root, their own sub-collection and
		// their personal collection, not "Read only" nor "Admin only".
		{"customer", c, []string{"0 Our analytics (selected)", mine, personal}, boards(0, f.ownColl[who], f.personal[who])},
		// An administrator may write every collection.
		{"administrator", f.clients["admin"], everyOption, boards(everyColl...)},
	} {
		t.Run("offers to a "+tt.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.get(tt.c, "/question/new")
			if r.status != http.StatusOK {
				t.Fatalf("GET /question/new = %d", r.status)
			}
			got := selectOptions(t, r.body, "save-collection")
			if tt.name == "administrator" {
				for i := range got {
					got[i] = strings.TrimSuffix(got[i], " (selected)")
				}
				slices.Sort(got)
			}
			if diff := cmp.Diff(tt.colls, got); diff != "" {
				t.Errorf("the save dialog offers the collections (-want +got):\n%s", diff)
			}
			offered := selectOptions(t, r.body, "save-dashboard")
			slices.Sort(offered)
			if diff := cmp.Diff(tt.want, offered); diff != "" {
				t.Errorf("the add-to-dashboard offer lists (-want +got):\n%s", diff)
			}
			if slices.ContainsFunc(offered, func(o string) bool { return strings.HasSuffix(o, " Archived board") }) {
				t.Errorf("the add-to-dashboard offer lists an archived dashboard: %q", offered)
			}
		})
	}
	// The API reports the same rule.
	var list []struct {
		ID       any  `json:"id"`
		CanWrite bool `json:"can_write"`
	}
	decodeBody(t, e.get(c, "/api/collection"), &list)
	var writable []string
	for _, l := range list {
		if l.CanWrite {
			writable = append(writable, fmt.Sprint(l.ID))
		}
	}
	if want := []string{"root", itoa(f.ownColl[who]), itoa(f.personal[who])}; !slices.Equal(writable, want) {
		t.Errorf("GET /api/collection says the customer may write %v, want %v", writable, want)
	}
}

// TestTrailingSlash checks that API paths answer with a trailing slash, as
// the reference vendor writes its list endpoints, exactly as without one.
func TestTrailingSlash(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	f := setupRefsFixture(t, e, sqliteLeakSample(t, e))
	c := f.clients["sandboxed-28"]
	for _, p := range []string{"/api/card", "/api/dashboard?f=mine", "/api/collection", "/api/collection/root/items",
		fmt.Sprintf("/api/card/%d", f.private)} {
		t.Run(p, func(t *testing.T) {
			se := *e
			se.t = t
			slashed := strings.Replace(p, "?", "/?", 1)
			if !strings.Contains(p, "?") {
				slashed = p + "/"
			}
			want, got := se.get(c, p), se.get(c, slashed)
			if got.status != want.status || got.body != want.body {
				t.Errorf("GET %s = %d %.200s, want as GET %s: %d %.200s", slashed, got.status, got.body, p, want.status, want.body)
			}
		})
	}
}
