package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"sightline"
	"sightline/internal/access"
)

// TestLenientRequestBodies sends bodies the way the reference vendor's
// clients do, with keys Sightline does not read and the snake_case
// spellings of query keys: they are ignored or read, never a 400. Values
// that matter are still checked.
func TestLenientRequestBodies(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, f := invoicesMeta(t, e)
	query := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source_table": %d, "aggregation": [["count"]],
		"filter": ["=", ["field", %d, null], 28]}, "async?": true, "middleware": {"js-int-to-string?": true}}`, inv, f["ACCOUNT_ID"])
	r := e.postJSON(admin, "/api/card", `{"name": "Account 28", "display": "number", "dataset_query": `+query+`,
		"visualization_settings": {}, "collection_position": null, "dashboard_id": null, "dashboard_tab_id": null,
		"entity_id": "x", "cache_invalidated_at": null, "made_up_key": {"a": [1, 2]}}`)
	var card sightline.Card
	if err := json.Unmarshal([]byte(r.body), &card); err != nil || r.status != http.StatusOK || card.ID == 0 {
		t.Fatalf("POST /api/card with keys Sightline does not read = %d %s, want 200", r.status, r.body)
	}
	id := itoa(card.ID)
	user := itoa(e.adminUser().ID)

	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string // in the body
	}{
		{"card query hints", "POST", "/api/card/" + id + "/query",
			`{"ignore_cache": true, "collection_preview": false, "dashboard_id": null, "parameters": []}`, http.StatusAccepted, `"rows":[[22]]`},
		{"dataset snake_case and hints", "POST", "/api/dataset", query, http.StatusAccepted, `"rows":[[22]]`},
		{"native template_tags", "POST", "/api/dataset", `{"database": 1, "type": "native", "native": {"query": "SELECT COUNT(*) AS n FROM INVOICES WHERE ACCOUNT_ID = {{acct}}",
			"template_tags": {"acct": {"name": "acct", "display_name": "Account", "type": "number", "id": "a1"}}},
			"parameters": [{"type": "number/=", "target": ["variable", ["template-tag", "acct"]], "value": "28"}]}`, http.StatusAccepted, `"rows":[[22]]`},
		{"card update with read-only keys", "PUT", "/api/card/" + id, `{"name": "Account 28 invoices", "creator": {"id": 1}, "can_write": true,
			"last-edit-info": {}, "made_up_key": 1}`, http.StatusOK, `"name":"Account 28 invoices"`},
		{"user update with read-only keys", "PUT", "/api/user/" + user, `{"first_name": "Ada", "common_name": "Ada Lovelace",
			"personal_collection_id": 5, "has_invited_second_user": true, "made_up_key": null}`, http.StatusOK, `"first_name":"Ada"`},
		{"sign-in with extra keys", "POST", "/api/session", `{"username": "ada@example.com", "password": "correct horse", "remember": true}`, http.StatusOK, `"id"`},
		// Still strict: the type of a key that is read, the query's own
		// clauses, and a rule that would be dropped.
		{"wrong type of a read key", "PUT", "/api/card/" + id, `{"collection_id": "root"}`, http.StatusBadRequest, `collection_id`},
		{"unknown query clause", "POST", "/api/dataset", fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "filtre": []}}`, inv),
			http.StatusBadRequest, `Unknown clause \"filtre\"`},
		{"attributes not a map", "PUT", "/api/user/" + user, `{"login_attributes": ["account_id"]}`, http.StatusBadRequest, `login_attributes`},
		{"sandboxes where none are applied", "PUT", "/api/collection/graph", `{"revision": 0, "groups": {}, "sandboxes": [{"group_id": 1}]}`,
			http.StatusBadRequest, `does not apply \"sandboxes\"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(admin, tt.method, tt.path, "application/json", tt.body)
			if r.status != tt.status || !strings.Contains(r.body, tt.want) {
				t.Errorf("%s %s = %d %.400s, want %d with %s", tt.method, tt.path, r.status, r.body, tt.status, tt.want)
			}
		})
	}
}

// TestUserAttributesRoundTrip signs a customer in with a token, has an
// administrator read the customer and send the record back unchanged, then
// signs the customer in with a token for another account: the customer
// must see the new account's rows. The response keeps the token's
// attributes apart from the hand-set ones, and a PUT stores only
// login_attributes, so a round trip never freezes a token value.
func TestUserAttributesRoundTrip(t *testing.T) {
	e := newEnv(t, nil)
	f := setupLeakFixture(t, e)
	e.settings(map[string]string{sightline.SettingJWTEnabled: "true", sightline.SettingJWTSharedSecret: ssoSecret,
		sightline.SettingJWTIdentityProvider: "http://localhost:8080/sso/sightline"})
	ctx := context.Background()
	admin := e.adminUser()
	groups, err := e.app.Groups(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	var acme int64
	for _, g := range groups {
		if g.Name == "Customer Acme" {
			acme = g.ID
		}
	}
	signIn := func(account string) *http.Client {
		t.Helper()
		c := e.client()
		r := e.get(c, "/auth/sso?jwt="+ssoToken(t, jwt.MapClaims{"email": "rene@acme.example", "account_id": account}))
		if r.status != http.StatusFound {
			t.Fatalf("SSO sign-in with account %s = %d %s", account, r.status, r.body)
		}
		return c
	}
	customer := signIn("28")
	rene, _, err := e.db.UserByEmail(ctx, "rene@acme.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.AddMembership(ctx, admin, access.Membership{GroupID: acme, UserID: rene.ID}); err != nil {
		t.Fatal(err)
	}
	run := fmt.Sprintf("/api/card/%d/query", f.countCard)
	if got := outcome(t, e.postJSON(customer, run, ""), countOfDataset); got != "202 count=22" {
		t.Fatalf("the customer's count with account 28 = %q, want 202 count=22", got)
	}

	userPath := "/api/user/" + itoa(rene.ID)
	r := e.do(f.clients["admin"], "GET", userPath, "", "")
	var got struct {
		Login      map[string]string `json:"login_attributes"`
		JWT        map[string]string `json:"jwt_attributes"`
		Structured map[string]struct {
			Source string `json:"source"`
			Value  string `json:"value"`
		} `json:"structured_attributes"`
	}
	decodeBody(t, r, &got)
	if len(got.Login) != 0 || got.JWT["account_id"] != "28" || got.Structured["account_id"].Source != "jwt" || got.Structured["account_id"].Value != "28" {
		t.Errorf("GET %s attributes = login %v, jwt %v, structured %v; want none hand-set and account_id 28 from the token", userPath, got.Login, got.JWT, got.Structured)
	}
	if r := e.do(f.clients["admin"], "PUT", userPath, "application/json", r.body); r.status != http.StatusOK {
		t.Fatalf("PUT %s with what GET returned = %d %s", userPath, r.status, r.body)
	}

	customer = signIn("13")
	want := outcome(t, e.postJSON(f.clients["admin"], "/api/dataset", fmt.Sprintf(
		`{"database": %d, "type": "native", "native": {"query": "SELECT COUNT(*) AS count FROM INVOICES WHERE ACCOUNT_ID = 13"}}`, f.db)), countOfDataset)
	if got := outcome(t, e.postJSON(customer, run, ""), countOfDataset); got != want || want == "202 count=22" {
		t.Errorf("the customer's count after a round trip and a token for account 13 = %q, want %q (account 13's rows)", got, want)
	}
}

// roundTrip is one kind of object that the API reads with a GET and
// writes back with a PUT: get is the path to read, put the path to write,
// and item picks the object out of what get answers (a list, for the kinds
// read in a list); body turns the object into the PUT body.
type roundTrip struct {
	name, get, put string
	item           func(t *testing.T, body string) any
	body           func(obj any) any
}

// whole is the item of an endpoint that answers the object itself.
func whole(t *testing.T, body string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not JSON: %v (%.300s)", err, body)
	}
	return v
}

// itemWhere picks the object whose key is value out of a JSON list.
func itemWhere(key string, value any) func(t *testing.T, body string) any {
	return func(t *testing.T, body string) any {
		t.Helper()
		var list []map[string]any
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatalf("not a JSON list: %v (%.300s)", err, body)
		}
		for _, m := range list {
			if fmt.Sprint(m[key]) == fmt.Sprint(value) {
				return m
			}
		}
		t.Fatalf("no item with %s %v in %.300s", key, value, body)
		return nil
	}
}

// membershipItem picks membership id out of GET /api/permissions/membership,
// which lists each person's memberships under their id.
func membershipItem(id string) func(t *testing.T, body string) any {
	return func(t *testing.T, body string) any {
		t.Helper()
		var byUser map[string][]map[string]any
		if err := json.Unmarshal([]byte(body), &byUser); err != nil {
			t.Fatalf("not a JSON object of lists: %v (%.300s)", err, body)
		}
		for _, ms := range byUser {
			for _, m := range ms {
				if fmt.Sprint(m["membership_id"]) == id {
					return m
				}
			}
		}
		t.Fatalf("no membership %s in %.300s", id, body)
		return nil
	}
}

// TestRoundTripsChangeNothing reads every kind of object that has a GET and
// a PUT, sends it back unchanged, and checks that nothing changed: the
// second GET answers the same, and the audit log records no change.
func TestRoundTripsChangeNothing(t *testing.T) {
	e := newEnv(t, nil)
	f := setupLeakFixture(t, e)
	admin := f.clients["admin"]
	ctx := context.Background()
	groups, err := e.app.Groups(ctx, e.adminUser())
	if err != nil {
		t.Fatal(err)
	}
	var acme int64
	for _, g := range groups {
		if g.Name == "Customer Acme" {
			acme = g.ID
		}
	}
	r := e.postJSON(admin, "/api/collection", `{"name": "Acme reports", "description": "For Acme", "color": "#509EE3"}`)
	var coll struct {
		ID int64 `json:"id"`
	}
	decodeBody(t, r, &coll)
	var sandboxes []map[string]any
	decodeBody(t, e.do(admin, "GET", "/api/mt/gtap", "", ""), &sandboxes)
	if len(sandboxes) == 0 {
		t.Fatal("the fixture has no sandbox")
	}
	sandbox := fmt.Sprint(sandboxes[0]["id"])
	e.settings(map[string]string{sightline.SettingJWTSharedSecret: ssoSecret, sightline.SettingJWTEnabled: "true",
		sightline.SettingJWTGroupMappings: fmt.Sprintf(`{"Acme": [%d]}`, acme)})
	// A question and a dashboard with their own cache_ttl round-trip it.
	for _, path := range []string{fmt.Sprintf("/api/card/%d", f.countCard), fmt.Sprintf("/api/dashboard/%d", f.dash)} {
		if r := e.do(admin, "PUT", path, "application/json", `{"cache_ttl": 3}`); r.status != http.StatusOK {
			t.Fatalf("PUT %s cache_ttl = %d %.300s", path, r.status, r.body)
		}
	}
	same := func(obj any) any { return obj }
	key := e.createAPIKey(admin, "Round trip", acme)
	membership := fmt.Sprintf("%d-%d", acme, e.userID("sandboxed-28@example.com"))

	kinds := []roundTrip{
		{"card", fmt.Sprintf("/api/card/%d", f.countCard), fmt.Sprintf("/api/card/%d", f.countCard), whole, same},
		{"dashboard", fmt.Sprintf("/api/dashboard/%d", f.dash), fmt.Sprintf("/api/dashboard/%d", f.dash), whole, same},
		{"collection", fmt.Sprintf("/api/collection/%d", coll.ID), fmt.Sprintf("/api/collection/%d", coll.ID), whole, same},
		{"user", fmt.Sprintf("/api/user/%d", e.userID("sandboxed-28@example.com")), fmt.Sprintf("/api/user/%d", e.userID("sandboxed-28@example.com")), whole, same},
		{"group", "/api/permissions/group", fmt.Sprintf("/api/permissions/group/%d", acme), itemWhere("id", acme), same},
		{"group with members", fmt.Sprintf("/api/permissions/group/%d", acme), fmt.Sprintf("/api/permissions/group/%d", acme), whole, same},
		{"field", fmt.Sprintf("/api/field/%d", f.plan), fmt.Sprintf("/api/field/%d", f.plan), whole, same},
		{"database", fmt.Sprintf("/api/database/%d", f.db), fmt.Sprintf("/api/database/%d", f.db), whole, same},
		{"table", fmt.Sprintf("/api/table/%d", f.inv), fmt.Sprintf("/api/table/%d", f.inv), whole, same},
		{"sandbox", "/api/mt/gtap/" + sandbox, "/api/mt/gtap/" + sandbox, whole, same},
		{"membership", "/api/permissions/membership", "/api/permissions/membership/" + membership, membershipItem(membership), same},
		{"hand-set attributes", fmt.Sprintf("/api/user/%d", e.userID("sandboxed-28@example.com")),
			fmt.Sprintf("/api/mt/user/%d/attributes", e.userID("sandboxed-28@example.com")), whole,
			func(obj any) any { return map[string]any{"login_attributes": obj.(map[string]any)["login_attributes"]} }},
		{"api key", "/api/api-key", fmt.Sprintf("/api/api-key/%d", key.ID), itemWhere("id", key.ID), same},
		{"settings in bulk", "/api/setting", "/api/setting", whole, func(obj any) any {
			m := map[string]any{}
			for _, s := range obj.([]any) {
				m[fmt.Sprint(s.(map[string]any)["key"])] = s.(map[string]any)["value"]
			}
			return m
		}},
		{"permission graph", "/api/permissions/graph", "/api/permissions/graph", whole, same},
		{"collection graph", "/api/collection/graph", "/api/collection/graph", whole, same},
	}
	var settings []map[string]any
	decodeBody(t, e.do(admin, "GET", "/api/setting", "", ""), &settings)
	for _, s := range settings {
		key := fmt.Sprint(s["key"])
		kinds = append(kinds, roundTrip{"setting " + key, "/api/setting", "/api/setting/" + key, itemWhere("key", key),
			func(obj any) any { return map[string]any{"value": obj.(map[string]any)["value"]} }})
		kinds = append(kinds, roundTrip{"setting by key " + key, "/api/setting/" + key, "/api/setting/" + key, whole,
			func(obj any) any { return map[string]any{"value": obj} }})
	}
	audit := func() string {
		t.Helper()
		r := e.do(admin, "GET", "/api/audit", "", "")
		if r.status != http.StatusOK {
			t.Fatalf("GET /api/audit = %d %.300s", r.status, r.body)
		}
		return r.body
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(admin, "GET", k.get, "", "")
			if r.status != http.StatusOK {
				t.Fatalf("GET %s = %d %.300s", k.get, r.status, r.body)
			}
			before := k.item(t, r.body)
			logged := audit()
			body, err := json.Marshal(k.body(before))
			if err != nil {
				t.Fatal(err)
			}
			if r := se.do(admin, "PUT", k.put, "application/json", string(body)); r.status/100 != 2 {
				t.Fatalf("PUT %s with what GET answered = %d %.400s", k.put, r.status, r.body)
			}
			r = se.do(admin, "GET", k.get, "", "")
			after := k.item(t, r.body)
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("GET %s changed after sending it back (-before +after):\n%s", k.get, diff)
			}
			if now := audit(); now != logged {
				t.Errorf("PUT %s of an unchanged object was recorded in the audit log:\n%.600s", k.put, now)
			}
		})
	}
	// The JWT secret, shown masked and sent back masked, still verifies
	// tokens signed with the real one.
	r = e.get(e.client(), "/auth/sso?jwt="+ssoToken(t, jwt.MapClaims{"email": "rene@acme.example", "groups": []string{"Acme"}}))
	if r.status != http.StatusFound {
		t.Errorf("SSO sign-in after the settings round trip = %d %.300s, want 302", r.status, r.body)
	}
}

// TestSettingsTyped checks that GET /api/setting sends each value as the
// JSON type of its kind and that PUT /api/setting/{key} takes typed values.
func TestSettingsTyped(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	tests := []struct {
		key, put string
		want     any
	}{
		{sightline.SettingJWTEnabled, `true`, true},
		{sightline.SettingEnableXrays, `false`, false},
		{sightline.SettingJWTMaxTokenLifetime, `900`, float64(900)},
		{sightline.SettingJWTGroupMappings, `{"Acme": [2]}`, map[string]any{"Acme": []any{float64(2)}}},
		{sightline.SettingSiteName, `"Acme BI"`, "Acme BI"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			se := *e
			se.t = t
			if r := se.do(admin, "PUT", "/api/setting/"+tt.key, "application/json", `{"value": `+tt.put+`}`); r.status != http.StatusNoContent {
				t.Fatalf("PUT /api/setting/%s %s = %d %s, want 204", tt.key, tt.put, r.status, r.body)
			}
			var all []map[string]any
			decodeBody(t, se.do(admin, "GET", "/api/setting", "", ""), &all)
			got := itemWhere("key", tt.key)(t, mustJSON(t, all)).(map[string]any)
			if diff := cmp.Diff(tt.want, got["value"]); diff != "" {
				t.Errorf("GET /api/setting %s value (-want +got):\n%s", tt.key, diff)
			}
		})
	}
}

// mustJSON is v as JSON text.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// vendorLists are keys whose value is a list in the reference vendor's
// shapes, wherever they appear.
var vendorLists = []string{"data", "rows", "cols", "dashcards", "tabs", "parameters", "parameter_mappings", "fields",
	"tables", "group_ids", "user_group_memberships", "ordered_cards", "schemas", "values", "results", "models",
	"effective_ancestors", "ancestors", "children", "result_metadata", "field_values", "fks", "segments", "metrics"}

// nullLists lists the paths in v (decoded JSON) where a key that holds a
// list (a vendor list key, or one that holds a list anywhere in v) is null.
func nullLists(v any) []string {
	lists := map[string]bool{}
	for _, k := range vendorLists {
		lists[k] = true
	}
	var seen func(v any)
	seen = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if _, ok := e.([]any); ok {
					lists[k] = true
				}
				seen(e)
			}
		case []any:
			for _, e := range x {
				seen(e)
			}
		}
	}
	seen(v)
	var out []string
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if e == nil && lists[k] {
					out = append(out, at+"."+k)
				}
				walk(at+"."+k, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", at, i), e)
			}
		}
	}
	walk("", v)
	return out
}

// TestNoNullLists requests every GET route of the JSON API (the route table
// lists them, so a new one is covered without being named here) as an
// administrator and as a sandboxed customer, on objects with empty lists
// (a dashboard without cards, an empty collection, a query with no rows),
// and fails on any list sent as null instead of [].
func TestNoNullLists(t *testing.T) {
	e := newEnv(t, nil)
	f := setupLeakFixture(t, e)
	admin := f.clients["admin"]
	var coll, dash struct {
		ID int64 `json:"id"`
	}
	decodeBody(t, e.postJSON(admin, "/api/collection", `{"name": "Empty", "color": "#509EE3"}`), &coll)
	decodeBody(t, e.postJSON(admin, "/api/dashboard", `{"name": "Empty dashboard"}`), &dash)
	var sandboxes []map[string]any
	decodeBody(t, e.do(admin, "GET", "/api/mt/gtap", "", ""), &sandboxes)
	if len(sandboxes) == 0 {
		t.Fatal("the fixture has no sandbox")
	}
	// ids are the objects each resource's {id} names; params the other
	// path parameters.
	ids := map[string][]string{
		"user": {itoa(e.userID("sandboxed-28@example.com"))}, "database": {itoa(f.db)}, "table": {itoa(f.inv)},
		"field": {itoa(f.plan)}, "card": {itoa(f.countCard)}, "dashboard": {itoa(f.dash), itoa(dash.ID)},
		"collection": {itoa(coll.ID), "root"}, "gtap": {fmt.Sprint(sandboxes[0]["id"])}, "group": {"1"},
		"automagic-dashboards": {itoa(f.inv)}, "permissions": {"1"},
	}
	inv, err := e.app.Table(context.Background(), e.adminUser(), f.inv)
	if err != nil {
		t.Fatal(err)
	}
	ids["db"] = ids["database"]
	f.addEmbed(t, e)
	// Public links: the fixture's, and one to the empty dashboard.
	emptyLink, err := e.app.CreatePublicLink(context.Background(), e.adminUser(), sightline.PublicDashboard, dash.ID)
	if err != nil {
		t.Fatal(err)
	}
	uuids := map[string][]string{"card": {f.publicCard}, "dashboard": {f.publicDash, emptyLink}}
	// dashcards are the dashboard cards each API area's {dashcard} names.
	dashcards := map[string]string{"embed": itoa(f.embed.filtered), "public": itoa(f.dashcard), "dashboard": itoa(f.dashcard)}
	params := map[string]string{"param": "plan", "key": sightline.SettingSiteName, "schema": url.PathEscape(inv.Schema), "$": "",
		"token": f.embed.sign(t, map[string]any{"dashboard": f.embed.dash}, map[string]any{"account_id": 28}),
		"card":  itoa(f.countCard)}
	ws, err := New(e.app, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, rt := range ws.routes() {
		method, pattern, _ := strings.Cut(rt.pattern, " ")
		if method != "GET" || !strings.HasPrefix(pattern, "/api/") || strings.Contains(pattern, "{format}") {
			continue
		}
		segs := strings.Split(strings.TrimPrefix(pattern, "/api/"), "/")
		variants := []string{""}
		for i, s := range segs {
			var opts []string
			switch {
			case s == "{id}":
				opts = ids[segs[max(i-1, 0)]]
				if i >= 2 && segs[i-1] == "table" && segs[i-2] == "automagic-dashboards" {
					opts = ids["table"]
				}
			case s == "{uuid}":
				opts = uuids[segs[max(i-1, 0)]]
			case s == "{dashcard}":
				opts = []string{dashcards[segs[0]]}
			case strings.HasPrefix(s, "{"):
				if p, ok := params[strings.Trim(s, "{}.")]; ok {
					opts = []string{p}
				}
			default:
				opts = []string{s}
			}
			if len(opts) == 0 {
				t.Errorf("route %s: no value for %s; add one to TestNoNullLists", rt.pattern, s)
				variants = nil
				break
			}
			var next []string
			for _, v := range variants {
				for _, o := range opts {
					next = append(next, v+"/"+o)
				}
			}
			variants = next
		}
		for _, v := range variants {
			paths = append(paths, "/api"+v)
		}
	}
	empty := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "filter": ["=", ["field", %d, null], "none"]}}`, f.db, f.inv, f.plan)
	for _, who := range []string{"admin", "sandboxed-28"} {
		for _, p := range append(paths, "POST /api/dataset") {
			method, path, body := "GET", p, ""
			if p == "POST /api/dataset" {
				method, path, body = "POST", "/api/dataset", empty
			}
			t.Run(who+" "+method+" "+path, func(t *testing.T) {
				se := *e
				se.t = t
				ct := ""
				if body != "" {
					ct = "application/json"
				}
				r := se.do(f.clients[who], method, path, ct, body)
				if r.status/100 != 2 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
					return // refusals have their own shape, checked elsewhere
				}
				var v any
				if err := json.Unmarshal([]byte(r.body), &v); err != nil {
					t.Fatalf("%s %s: not JSON: %v", method, path, err)
				}
				if nulls := nullLists(v); len(nulls) > 0 {
					slices.Sort(nulls)
					t.Errorf("%s %s as %s sends null where a list belongs at %v", method, path, who, nulls)
				}
			})
		}
	}
}

// TestDisplayNames saves questions under the reference vendor's
// visualization names and Sightline's own, and checks what is stored and
// what the API answers: the vendor's names, with "map.type" for maps.
func TestDisplayNames(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, _ := invoicesMeta(t, e)
	tests := []struct {
		display, viz       string
		stored, api        string
		storedViz, apiType string // apiType is visualization_settings["map.type"]
	}{
		{"scalar", `{}`, "number", "scalar", `{}`, ""},
		{"number", `{}`, "number", "scalar", `{}`, ""},
		{"smartscalar", `{}`, "trend", "smartscalar", `{}`, ""},
		{"map", `{"map.type": "pin", "map.latitude_column": "LAT"}`, "map-pin", "map", `{"map.latitude_column":"LAT"}`, "pin"},
		{"map-pin", `{}`, "map-pin", "map", `{}`, "pin"},
		{"map", `{"map.type": "region", "map.region": "us_states"}`, "map", "map", `{"map.region":"us_states"}`, "region"},
		{"bar", `{}`, "bar", "bar", `{}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.display+" "+tt.viz, func(t *testing.T) {
			se := *e
			se.t = t
			body := fmt.Sprintf(`{"name": "Q", "display": %q, "visualization_settings": %s,
				"dataset_query": {"database": 1, "type": "query", "query": {"source-table": %d}}}`, tt.display, tt.viz, inv)
			r := se.postJSON(admin, "/api/card", body)
			var created struct {
				ID int64 `json:"id"`
			}
			decodeBody(t, r, &created)
			c, err := e.db.Card(context.Background(), created.ID)
			if err != nil {
				t.Fatal(err)
			}
			if c.Display != tt.stored || string(c.VizSettings) != tt.storedViz {
				t.Errorf("stored display %q %s, want %q %s", c.Display, c.VizSettings, tt.stored, tt.storedViz)
			}
			var got struct {
				Display string         `json:"display"`
				Viz     map[string]any `json:"visualization_settings"`
			}
			decodeBody(t, se.do(admin, "GET", "/api/card/"+itoa(created.ID), "", ""), &got)
			if mt, _ := got.Viz["map.type"].(string); got.Display != tt.api || mt != tt.apiType {
				t.Errorf("GET /api/card display = %q with map.type %q, want %q with %q", got.Display, mt, tt.api, tt.apiType)
			}
		})
	}
}

// TestXRaySavedUnderVendorNames saves an X-ray as a client does, sending
// back the dashboard the API answered (with the vendor's display names):
// every question is stored under Sightline's own name.
func TestXRaySavedUnderVendorNames(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	inv, _ := invoicesMeta(t, e)
	r := e.do(e.adminClient, "GET", fmt.Sprintf("/api/automagic-dashboards/table/%d", inv), "", "")
	if !strings.Contains(r.body, `"display":"scalar"`) {
		t.Fatalf("GET X-ray = %d %.300s, want questions with the vendor's display names", r.status, r.body)
	}
	var d sightline.Dashboard
	decodeBody(t, e.postJSON(e.adminClient, "/api/dashboard/save", r.body), &d)
	saved, err := e.db.Dashboard(context.Background(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, dc := range saved.Cards {
		if dc.CardID == 0 {
			continue
		}
		c, err := e.db.Card(context.Background(), dc.CardID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(sightline.Displays, c.Display) || strings.Contains(string(c.VizSettings), "map.type") {
			t.Errorf("question %q is stored with display %q and settings %s, want one of Sightline's names (which carries the map type)", c.Name, c.Display, c.VizSettings)
		}
	}
}
