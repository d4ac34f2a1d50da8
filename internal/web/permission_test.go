package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/app"
	"sightline/internal/sandbox"
)

// decodeBody unmarshals a JSON response body or fails the test.
func decodeBody(t *testing.T, r resp, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("response %d %q is not JSON: %v", r.status, r.body, err)
	}
}

func TestPermissionGraphAPI(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	if err := e.app.EnsureSampleDatabase(context.Background(), t.TempDir()); err != nil {
		t.Fatal(err)
	}
	r := e.do(admin, "GET", "/api/permissions/graph", "", "")
	if r.status != http.StatusOK {
		t.Fatalf("GET /api/permissions/graph = %d %s", r.status, r.body)
	}
	var g struct {
		Revision int64                                `json:"revision"`
		Groups   map[string]map[string]map[string]any `json:"groups"`
	}
	decodeBody(t, r, &g)
	if g.Groups["1"]["1"]["view-data"] != "unrestricted" || g.Groups["2"]["1"]["create-queries"] != "query-builder-and-native" {
		t.Fatalf("fresh graph = %s, want All Users unrestricted and Administrators native", r.body)
	}
	restrict := fmt.Sprintf(`{"revision": %d, "groups": {"1": {"1": {"view-data": "legacy-no-self-service", "create-queries": "no", "download": {"schemas": "none"}}}}}`, g.Revision)
	r = e.do(admin, "PUT", "/api/permissions/graph", "application/json", restrict)
	if r.status != http.StatusOK || !strings.Contains(r.body, `"legacy-no-self-service"`) {
		t.Fatalf("PUT /api/permissions/graph = %d %s", r.status, r.body)
	}
	// The same body again names a revision that is now stale.
	r = e.do(admin, "PUT", "/api/permissions/graph", "application/json", restrict)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Someone else changed the permissions") {
		t.Errorf("stale PUT /api/permissions/graph = %d %s, want 409", r.status, r.body)
	}
	bad := []string{
		`{"revision": 1, "groups": {"1": {"1": {"view-data": "everything"}}}}`,
		`{"revision": 1, "groups": {"x": {}}}`,
		`{"revision": 1, "groups": {}, "sandboxes": [{"group_id": "x"}]}`,
	}
	for _, body := range bad {
		if r := e.do(admin, "PUT", "/api/permissions/graph", "application/json", body); r.status != http.StatusBadRequest {
			t.Errorf("PUT /api/permissions/graph %s = %d %s, want 400", body, r.status, r.body)
		}
	}

	r = e.do(admin, "GET", "/api/collection/graph", "", "")
	var cg struct {
		Revision int64                        `json:"revision"`
		Groups   map[string]map[string]string `json:"groups"`
	}
	decodeBody(t, r, &cg)
	if cg.Groups["1"]["root"] != "write" {
		t.Errorf("fresh collection graph = %s, want All Users writing the root", r.body)
	}
	body := fmt.Sprintf(`{"revision": %d, "groups": {"1": {"root": "read"}}}`, cg.Revision)
	if r := e.do(admin, "PUT", "/api/collection/graph", "application/json", body); r.status != http.StatusOK || !strings.Contains(r.body, `"root":"read"`) {
		t.Errorf("PUT /api/collection/graph = %d %s", r.status, r.body)
	}
	if r := e.do(admin, "PUT", "/api/collection/graph", "application/json", body); r.status != http.StatusConflict {
		t.Errorf("stale PUT /api/collection/graph = %d %s, want 409", r.status, r.body)
	}

	// People who are not administrators see none of it.
	r = e.postJSON(admin, "/api/user", `{"email": "bob@example.com", "password": "bob password"}`)
	if r.status != http.StatusOK {
		t.Fatalf("POST /api/user = %d %s", r.status, r.body)
	}
	bob := e.client()
	if r := e.postJSON(bob, "/api/session", `{"username": "bob@example.com", "password": "bob password"}`); r.status != http.StatusOK {
		t.Fatalf("sign in as Bob = %d %s", r.status, r.body)
	}
	for _, p := range []string{"/api/permissions/graph", "/api/collection/graph", "/api/mt/gtap", "/api/permissions/membership"} {
		if r := e.do(bob, "GET", p, "", ""); r.status != http.StatusForbidden {
			t.Errorf("GET %s as a member = %d, want 403", p, r.status)
		}
	}
}

func TestGroupsMembershipsAndSandboxesAPI(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	ctx := context.Background()
	if err := e.app.EnsureSampleDatabase(ctx, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	r := e.postJSON(admin, "/api/permissions/group", `{"name": "Customer Acme"}`)
	var g struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	decodeBody(t, r, &g)
	if r.status != http.StatusOK || g.Name != "Customer Acme" {
		t.Fatalf("POST /api/permissions/group = %d %s", r.status, r.body)
	}
	if r := e.postJSON(admin, "/api/permissions/group", `{"name": "Customer Acme"}`); r.status != http.StatusConflict {
		t.Errorf("duplicate group = %d %s, want 409", r.status, r.body)
	}
	if r := e.do(admin, "PUT", fmt.Sprintf("/api/permissions/group/%d", g.ID), "application/json", `{"name": "Acme"}`); r.status != http.StatusOK || !strings.Contains(r.body, `"Acme"`) {
		t.Errorf("rename = %d %s", r.status, r.body)
	}
	if r := e.do(admin, "PUT", "/api/permissions/group/1", "application/json", `{"name": "Everyone"}`); r.status != http.StatusBadRequest {
		t.Errorf("rename All Users = %d %s, want 400", r.status, r.body)
	}

	r = e.postJSON(admin, "/api/user", `{"email": "ann@acme.example", "password": "ann password", "login_attributes": {"account_id": "28"}}`)
	var ann struct {
		ID int64 `json:"id"`
	}
	decodeBody(t, r, &ann)
	r = e.postJSON(admin, "/api/permissions/membership", fmt.Sprintf(`{"group_id": %d, "user_id": %d, "is_group_manager": false}`, g.ID, ann.ID))
	mid := fmt.Sprintf("%d-%d", g.ID, ann.ID)
	if r.status != http.StatusOK || !strings.Contains(r.body, mid) {
		t.Fatalf("POST /api/permissions/membership = %d %s", r.status, r.body)
	}
	if r := e.do(admin, "GET", "/api/permissions/membership", "", ""); !strings.Contains(r.body, fmt.Sprintf(`"%d":[`, ann.ID)) {
		t.Errorf("GET /api/permissions/membership = %s, want Ann's memberships", r.body)
	}

	tables, err := e.app.Tables(ctx, e.adminUser(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var inv, acct int64
	for _, tb := range tables {
		if tb.Name == "INVOICES" {
			inv = tb.ID
			for _, f := range tb.Fields {
				if f.Name == "ACCOUNT_ID" {
					acct = f.ID
				}
			}
		}
	}
	r = e.postJSON(admin, "/api/mt/gtap", fmt.Sprintf(`{"group_id": %d, "table_id": %d, "card_id": null,
		"attribute_remappings": {"account_id": ["dimension", ["field", %d, null]]}}`, g.ID, inv, acct))
	var p struct {
		ID     int64 `json:"id"`
		CardID any   `json:"card_id"`
	}
	decodeBody(t, r, &p)
	if r.status != http.StatusOK || p.ID == 0 || p.CardID != nil {
		t.Fatalf("POST /api/mt/gtap = %d %s", r.status, r.body)
	}
	r = e.do(admin, "GET", "/api/permissions/graph", "", "")
	want := fmt.Sprintf(`"%d":"sandboxed"`, inv)
	if !strings.Contains(r.body, want) {
		t.Errorf("graph after sandboxing = %s, want %s", r.body, want)
	}
	if r := e.do(admin, "GET", "/api/mt/user/attributes", "", ""); !strings.Contains(r.body, "account_id") {
		t.Errorf("GET /api/mt/user/attributes = %s, want account_id", r.body)
	}
	badPolicies := []string{
		fmt.Sprintf(`{"group_id": %d, "table_id": %d, "attribute_remappings": {"account_id": ["dimension", ["field", 999999, null]]}}`, g.ID, inv),
		fmt.Sprintf(`{"group_id": %d, "table_id": %d, "attribute_remappings": {"account_id": "ACCOUNT_ID"}}`, g.ID, inv),
		fmt.Sprintf(`{"group_id": 2, "table_id": %d, "attribute_remappings": {"account_id": ["dimension", ["field", %d, null]]}}`, inv, acct),
	}
	for _, body := range badPolicies {
		if r := e.postJSON(admin, "/api/mt/gtap", body); r.status != http.StatusBadRequest && r.status != http.StatusForbidden {
			t.Errorf("POST /api/mt/gtap %s = %d %s, want refused", body, r.status, r.body)
		}
	}

	// Ann now sees only account 28's invoices through the dataset API.
	annClient := e.client()
	if r := e.postJSON(annClient, "/api/session", `{"username": "ann@acme.example", "password": "ann password"}`); r.status != http.StatusOK {
		t.Fatalf("sign in as Ann = %d %s", r.status, r.body)
	}
	q := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, inv)
	graph := e.do(admin, "GET", "/api/permissions/graph", "", "")
	var rev struct {
		Revision int64 `json:"revision"`
	}
	decodeBody(t, graph, &rev)
	restrict := fmt.Sprintf(`{"revision": %d, "groups": {"1": {"1": {"view-data": "legacy-no-self-service", "create-queries": "no"}}}}`, rev.Revision)
	if r := e.do(admin, "PUT", "/api/permissions/graph", "application/json", restrict); r.status != http.StatusOK {
		t.Fatalf("restrict All Users = %d %s", r.status, r.body)
	}
	if r := e.postJSON(annClient, "/api/dataset", q); !strings.Contains(r.body, "[[22]]") {
		t.Errorf("POST /api/dataset as Ann = %d %.300s, want 22", r.status, r.body)
	}
	native := `{"database": 1, "type": "native", "native": {"query": "SELECT COUNT(*) FROM INVOICES"}}`
	if r := e.postJSON(annClient, "/api/dataset", native); r.status != http.StatusForbidden || !strings.Contains(r.body, "Native SQL") {
		t.Errorf("native SQL as Ann = %d %.300s, want refused", r.status, r.body)
	}

	if r := e.do(admin, "PUT", fmt.Sprintf("/api/mt/gtap/%d", p.ID), "application/json",
		fmt.Sprintf(`{"attribute_remappings": {"acct": ["dimension", ["field", %d, null]]}}`, acct)); r.status != http.StatusOK || !strings.Contains(r.body, `"acct"`) {
		t.Errorf("PUT /api/mt/gtap/%d = %d %s", p.ID, r.status, r.body)
	}
	if r := e.postJSON(annClient, "/api/dataset", q); !strings.Contains(r.body, "requires the user attribute acct") {
		t.Errorf("POST /api/dataset after remapping to a missing attribute = %d %.300s, want refused", r.status, r.body)
	}
	if r := e.do(admin, "DELETE", fmt.Sprintf("/api/mt/gtap/%d", p.ID), "", ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE /api/mt/gtap = %d %s", r.status, r.body)
	}
	if r := e.do(admin, "GET", fmt.Sprintf("/api/mt/gtap/%d", p.ID), "", ""); r.status != http.StatusNotFound {
		t.Errorf("GET a deleted sandbox = %d, want 404", r.status)
	}
	if r := e.postJSON(annClient, "/api/dataset", q); strings.Contains(r.body, "[[13856]]") || strings.Contains(r.body, "[[22]]") {
		t.Errorf("POST /api/dataset after deleting the sandbox = %d %.300s, want the table blocked", r.status, r.body)
	}

	if r := e.do(admin, "DELETE", "/api/permissions/membership/"+mid, "", ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE membership = %d %s", r.status, r.body)
	}
	if r := e.do(admin, "DELETE", "/api/permissions/membership/nonsense", "", ""); r.status != http.StatusNotFound {
		t.Errorf("DELETE a malformed membership id = %d, want 404", r.status)
	}
	if r := e.do(admin, "DELETE", fmt.Sprintf("/api/permissions/group/%d", g.ID), "", ""); r.status != http.StatusNoContent {
		t.Errorf("DELETE group = %d %s", r.status, r.body)
	}
	if r := e.do(admin, "DELETE", "/api/permissions/group/2", "", ""); r.status != http.StatusBadRequest {
		t.Errorf("DELETE Administrators = %d, want 400", r.status)
	}
}

// leakFixture is one engine's copy of the Sample Database set up for the
// leak matrix: All Users blocked on it, a group with unrestricted access,
// and Customer Acme with INVOICES sandboxed by ACCOUNT_ID = account_id (and
// full downloads), plus saved questions and a dashboard in the root
// collection everyone may read, with a Plan filter wired to INVOICES.PLAN.
type leakFixture struct {
	db                      int64
	inv, plan, acct         int64
	countCard, accountsCard int64
	dash, dashcard          int64
	publicCard, publicDash  string
	clients                 map[string]*http.Client
	// embed is the statically embedded dashboard and question, with a
	// filter on ACCOUNT_ID that tokens lock (set by addEmbed).
	embed embedFixture
}

// leakUsers are the people of the matrix besides the administrator: their
// groups ("acme" is sandboxed, "analysts" unrestricted) and attributes.
var leakUsers = []struct {
	name  string
	group string
	attrs map[string]string
}{
	{"unrestricted", "analysts", nil},
	{"sandboxed-28", "acme", map[string]string{"account_id": "28"}},
	{"sandboxed-no-attribute", "acme", nil},
	{"sandboxed-or-1=1", "acme", map[string]string{"account_id": "28 OR 1=1"}},
	{"sandboxed-quote-comment", "acme", map[string]string{"account_id": "28'; --"}},
	{"blocked", "", nil},
}

// setupLeakFixture sets up a fresh e (its first administrator and the
// bundled Sample Database) for the matrix.
func setupLeakFixture(t *testing.T, e *testEnv) *leakFixture {
	t.Helper()
	e.setup()
	return setupLeakFixtureOn(t, e, sqliteLeakSample(t, e))
}

// setupLeakFixtureOn sets up the matrix on database db of e, which holds
// the Sample Database's data on any engine.
func setupLeakFixtureOn(t *testing.T, e *testEnv, db int64) *leakFixture {
	t.Helper()
	ctx := context.Background()
	a, admin := e.app, e.adminUser()
	tables, err := a.Tables(ctx, admin, db)
	if err != nil {
		t.Fatal(err)
	}
	f := &leakFixture{db: db, clients: map[string]*http.Client{}}
	var acct int64
	var schema string
	for _, tb := range tables {
		if tb.Name != "INVOICES" {
			continue
		}
		f.inv, schema = tb.ID, tb.Schema
		for _, fl := range tb.Fields {
			switch fl.Name {
			case "ACCOUNT_ID":
				acct = fl.ID
			case "PLAN":
				f.plan = fl.ID
			}
		}
	}
	if f.inv == 0 || acct == 0 || f.plan == 0 {
		t.Fatalf("database %d has no INVOICES with ACCOUNT_ID and PLAN: %d tables", db, len(tables))
	}
	count := &sightline.Query{Database: db, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
		SourceTable: f.inv, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}
	accounts := &sightline.Query{Database: db, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
		SourceTable: f.inv, Fields: []sightline.Expr{&sightline.FieldRef{ID: acct}}}}
	for _, c := range []struct {
		id   *int64
		name string
		q    *sightline.Query
	}{{&f.countCard, "Invoice count", count}, {&f.accountsCard, "Invoice accounts", accounts}} {
		card, err := a.CreateCard(ctx, admin, &sightline.Card{Name: c.name, Query: c.q})
		if err != nil {
			t.Fatal(err)
		}
		*c.id = card.ID
	}
	plan := sightline.ParameterMapping{ParameterID: "plan", CardID: f.countCard, Target: json.RawMessage(fmt.Sprintf(`["dimension", ["field", %d, null]]`, f.plan))}
	d, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Invoices",
		Parameters: []sightline.DashboardParameter{{ID: "plan", Name: "Plan", Slug: "plan", Type: "category"}},
		Cards:      []sightline.DashboardCard{{CardID: f.countCard, SizeX: 4, SizeY: 4, Mappings: []sightline.ParameterMapping{plan}}}})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = a.Dashboard(ctx, admin, d.ID); err != nil {
		t.Fatal(err)
	}
	f.dash, f.dashcard = d.ID, d.Cards[0].ID
	f.acct = acct
	// Public links to the count question and the dashboard: they answer
	// the same to everyone, and refuse because invoices is sandboxed.
	e.settings(map[string]string{sightline.SettingPublicSharing: "true"})
	if f.publicCard, err = a.CreatePublicLink(ctx, admin, sightline.PublicCard, f.countCard); err != nil {
		t.Fatal(err)
	}
	if f.publicDash, err = a.CreatePublicLink(ctx, admin, sightline.PublicDashboard, f.dash); err != nil {
		t.Fatal(err)
	}

	groups := map[string]int64{}
	for _, g := range []struct{ key, name string }{{"analysts", "Analysts"}, {"acme", "Customer Acme"}} {
		created, err := a.CreateGroup(ctx, admin, g.name)
		if err != nil {
			t.Fatal(err)
		}
		groups[g.key] = created.ID
	}
	g, err := a.DataPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	dbKey := strconv.FormatInt(db, 10)
	full := &access.WireDownload{Schemas: access.DownloadFull}
	_, err = a.SaveDataPermissionGraph(ctx, admin, access.WireGraph{Revision: g.Revision, Groups: map[string]map[string]access.WireDBPerms{
		"1": {dbKey: {ViewData: access.ViewBlocked, CreateQueries: access.QueryNone}},
		strconv.FormatInt(groups["analysts"], 10): {dbKey: {ViewData: access.ViewUnrestricted, CreateQueries: access.QueryNative, Download: full}},
		strconv.FormatInt(groups["acme"], 10): {dbKey: {ViewData: map[string]any{schema: map[string]any{strconv.FormatInt(f.inv, 10): access.ViewSandboxed}},
			CreateQueries: access.QueryBuilder, Download: full}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveSandbox(ctx, admin, sandbox.Policy{GroupID: groups["acme"], TableID: f.inv,
		Remappings: map[string]sandbox.Target{"account_id": {Kind: sandbox.TargetDimension, FieldID: acct}}}); err != nil {
		t.Fatal(err)
	}
	for _, u := range leakUsers {
		email := u.name + "@example.com"
		var ids []int64
		if u.group != "" {
			ids = []int64{groups[u.group]}
		}
		if _, err := a.CreateUser(ctx, admin, app.NewUserInput{Email: email, Password: "a password", GroupIDs: ids, Attributes: u.attrs}); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		if r := e.postJSON(c, "/api/session", fmt.Sprintf(`{"username": %q, "password": "a password"}`, email)); r.status != http.StatusOK {
			t.Fatalf("sign in as %s = %d %s", email, r.status, r.body)
		}
		f.clients[u.name] = c
	}
	// API keys are one more kind of actor: a key of the sandboxed group has
	// no attributes, so it must be refused like a person without one; a key
	// of the unrestricted group sees what its members see.
	for _, k := range []struct{ name, group string }{{"api-key-acme", "acme"}, {"api-key-analysts", "analysts"}} {
		_, secret, err := a.CreateAPIKey(ctx, admin, k.name, groups[k.group])
		if err != nil {
			t.Fatal(err)
		}
		f.clients[k.name] = headerClient(headerAPIKey, secret)
	}
	f.clients["admin"] = e.client()
	if r := e.postJSON(f.clients["admin"], "/api/session", `{"username": "ada@example.com", "password": "correct horse"}`); r.status != http.StatusOK {
		t.Fatalf("sign in as the admin = %d %s", r.status, r.body)
	}
	return f
}

// leakRequest is how the matrix calls one data route, and what it reads
// from a successful answer: a count, a list of values or rows of accounts.
type leakRequest struct {
	method, path, body string
	summarize          func(t *testing.T, body string) string
}

// countOfDataset reads the single number of a dataset answer. Counts are
// decoded as json.Number so that an engine answering "22" (a string) shows
// as such instead of passing for the number 22.
func countOfDataset(t *testing.T, body string) string {
	t.Helper()
	var d struct {
		Data struct {
			Rows [][]any `json:"rows"`
		} `json:"data"`
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil || len(d.Data.Rows) != 1 || len(d.Data.Rows[0]) != 1 {
		t.Fatalf("not a one-number dataset: %.300s", body)
	}
	switch v := d.Data.Rows[0][0].(type) {
	case json.Number:
		return "count=" + v.String()
	default:
		return fmt.Sprintf("count=%#v", v)
	}
}

// accountsOfCSV reads a one-column CSV of account ids.
func accountsOfCSV(t *testing.T, body string) string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(body), "\n")
	seen := map[string]bool{}
	for _, l := range lines[1:] {
		seen[strings.TrimSpace(l)] = true
	}
	if len(seen) > 3 {
		return fmt.Sprintf("rows=%d accounts=many", len(lines)-1)
	}
	return fmt.Sprintf("rows=%d accounts=%s", len(lines)-1, strings.Join(slices.Sorted(maps.Keys(seen)), ","))
}

// countOfCSV reads the single number of a one-column, one-row CSV.
func countOfCSV(t *testing.T, body string) string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 2 {
		t.Fatalf("not a one-number CSV: %.300s", body)
	}
	return "count=" + strings.TrimSpace(lines[1])
}

// tableSummary reads the table page's row count and how many rows it shows.
func tableSummary(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `id="row-count">`)
	if i < 0 {
		t.Fatalf("table page without a row count")
	}
	rest := body[i+len(`id="row-count">`):]
	start, end := strings.Index(body, "<tbody>"), strings.Index(body, "</tbody>")
	if start < 0 || end < start {
		t.Fatalf("table page without a table body")
	}
	tbody := body[start:end]
	shown := strings.Count(tbody, "<tr>")
	if strings.Contains(tbody, "No rows match.") {
		shown = 0
	}
	return fmt.Sprintf("%s, %d shown", rest[:strings.Index(rest, "<")], shown)
}

// fieldValues reads the values of GET /api/field/{id}/values.
func fieldValues(t *testing.T, body string) string {
	t.Helper()
	var v struct {
		Values []any `json:"values"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(v.Values)
}

func (f *leakFixture) requests(t *testing.T) map[string]leakRequest {
	count := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, f.db, f.inv)
	card := strconv.FormatInt(f.accountsCard, 10)
	return map[string]leakRequest{
		"GET /table/{id}":            {"GET", fmt.Sprintf("/table/%d", f.inv), "", tableSummary},
		"GET /api/field/{id}/values": {"GET", fmt.Sprintf("/api/field/%d/values", f.plan), "", fieldValues},
		"POST /api/dataset":          {"POST", "/api/dataset", count, countOfDataset},
		"POST /api/card/{id}/query":  {"POST", fmt.Sprintf("/api/card/%d/query", f.countCard), "", countOfDataset},
		"POST /api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query": {"POST", fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.dash, f.dashcard, f.countCard), "", countOfDataset},
		"GET /api/dashboard/{id}/params/{param}/values":                  {"GET", fmt.Sprintf("/api/dashboard/%d/params/plan/values", f.dash), "", fieldValues},
		"GET /api/public/card/{uuid}/query":                              {"GET", "/api/public/card/" + f.publicCard + "/query", "", countOfDataset},
		"GET /api/public/dashboard/{uuid}/dashcard/{dashcard}/card/{card}": {"GET",
			fmt.Sprintf("/api/public/dashboard/%s/dashcard/%d/card/%d", f.publicDash, f.dashcard, f.countCard), "", countOfDataset},
		"POST /api/dataset/{format}": {"POST", "/api/dataset/csv",
			fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": "card__%s"}}`, f.db, card), accountsOfCSV},
		"GET /api/card/{id}/query/{format}":  {"GET", "/api/card/" + card + "/query/csv", "", accountsOfCSV},
		"POST /api/card/{id}/query/{format}": {"POST", "/api/card/" + card + "/query/csv", "", accountsOfCSV},
		"POST /api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query/{format}": {"POST",
			fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query/csv", f.dash, f.dashcard, f.countCard), "", countOfCSV},
		// Token routes answer everyone holding the token alike: locked to
		// account 28, every person gets account 28's rows.
		"GET /api/embed/dashboard/{token}/dashcard/{dashcard}/card/{card}": {"GET", fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d",
			f.embed.sign(t, map[string]any{"dashboard": f.embed.dash}, map[string]any{"account_id": 28}), f.embed.filtered, f.countCard), "", countOfDataset},
		"GET /api/embed/card/{token}/query": {"GET", fmt.Sprintf("/api/embed/card/%s/query",
			f.embed.sign(t, map[string]any{"question": f.embed.card}, map[string]any{"account_id": 28})), "", countOfDataset},
		"GET /api/embed/dashboard/{token}/params/{param}/values": {"GET", fmt.Sprintf("/api/embed/dashboard/%s/params/plan/values",
			f.embed.sign(t, map[string]any{"dashboard": f.embed.dash}, map[string]any{"account_id": 28})), "", fieldValues},
		"GET /api/embed/card/{token}/params/{param}/values": {"GET", fmt.Sprintf("/api/embed/card/%s/params/account_id/values",
			f.embed.sign(t, map[string]any{"question": f.embed.card}, map[string]any{"account_id": 28})), "", fieldValues},
		"GET /api/embed/card/{token}/query/{format}": {"GET", fmt.Sprintf("/api/embed/card/%s/query/csv",
			f.embed.sign(t, map[string]any{"question": f.embed.card}, map[string]any{"account_id": 28})), "", countOfCSV},
		"GET /api/embed/dashboard/{token}/dashcard/{dashcard}/card/{card}/{format}": {"GET", fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d/csv",
			f.embed.sign(t, map[string]any{"dashboard": f.embed.dash}, map[string]any{"account_id": 28}), f.embed.filtered, f.countCard), "", countOfCSV},
		"GET /api/preview_embed/dashboard/{token}/dashcard/{dashcard}/card/{card}": {"GET", fmt.Sprintf("/api/preview_embed/dashboard/%s/dashcard/%d/card/%d",
			f.embed.preview(t, map[string]any{"dashboard": f.embed.dash}, map[string]any{"account_id": 28}), f.embed.filtered, f.countCard), "", countOfDataset},
		"GET /api/preview_embed/dashboard/{token}/params/{param}/values": {"GET", fmt.Sprintf("/api/preview_embed/dashboard/%s/params/plan/values",
			f.embed.preview(t, map[string]any{"dashboard": f.embed.dash}, map[string]any{"account_id": 28})), "", fieldValues},
		"GET /api/preview_embed/card/{token}/query": {"GET", fmt.Sprintf("/api/preview_embed/card/%s/query",
			f.embed.preview(t, map[string]any{"question": f.embed.card}, map[string]any{"account_id": 28})), "", countOfDataset},
		"GET /api/public/dashboard/{uuid}/params/{param}/values": {"GET", "/api/public/dashboard/" + f.publicDash + "/params/plan/values", "", fieldValues},
		"GET /api/public/card/{uuid}/params/{param}/values":      {"GET", "/api/public/card/" + f.publicCard + "/params/plan/values", "", fieldValues},
		"GET /api/public/card/{uuid}/query/{format}":             {"GET", "/api/public/card/" + f.publicCard + "/query/csv", "", countOfCSV},
		"POST /api/public/dashboard/{uuid}/dashcard/{dashcard}/card/{card}/{format}": {"POST",
			fmt.Sprintf("/api/public/dashboard/%s/dashcard/%d/card/%d/csv", f.publicDash, f.dashcard, f.countCard), "", countOfCSV},
	}
}

// TestLeakMatrix runs every route that returns rows or column values (as
// the route table marks them, so that a new one cannot be forgotten) as
// each kind of person, on the Sample Database in SQLite and the same data
// in PostgreSQL and MariaDB, and checks exactly what each one gets back:
// the answers must be the same on every engine.
func TestLeakMatrix(t *testing.T) {
	for _, eng := range leakEngines() {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			e.setup()
			f := setupLeakFixtureOn(t, e, eng.sample(t, e))
			runLeakMatrix(t, e, f)
		})
	}
}

// runLeakMatrix checks every data route as every person of f.
func runLeakMatrix(t *testing.T, e *testEnv, f *leakFixture) {
	t.Helper()
	ws, err := New(e.app, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	f.addEmbed(t, e)
	reqs := f.requests(t)
	kinds := map[string]string{
		"GET /table/{id}":                               "table",
		"GET /api/field/{id}/values":                    "values",
		"GET /api/dashboard/{id}/params/{param}/values": "values",
		"POST /api/dataset":                             "count", "POST /api/card/{id}/query": "count",
		"POST /api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query":          "count",
		"POST /api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query/{format}": "csv-count",
		"GET /api/public/card/{uuid}/query":                                       "public",
		"GET /api/public/dashboard/{uuid}/dashcard/{dashcard}/card/{card}":        "public",
		"POST /api/dataset/{format}":                                              "csv", "GET /api/card/{id}/query/{format}": "csv", "POST /api/card/{id}/query/{format}": "csv",
		"GET /api/embed/dashboard/{token}/dashcard/{dashcard}/card/{card}": "token-28", "GET /api/embed/card/{token}/query": "token-28",
		"GET /api/embed/dashboard/{token}/params/{param}/values":                     "token-28-values",
		"GET /api/embed/card/{token}/params/{param}/values":                          "token-locked-values",
		"GET /api/embed/card/{token}/query/{format}":                                 "token-28-csv",
		"GET /api/embed/dashboard/{token}/dashcard/{dashcard}/card/{card}/{format}":  "token-28-csv",
		"GET /api/public/dashboard/{uuid}/params/{param}/values":                     "public",
		"GET /api/public/card/{uuid}/params/{param}/values":                          "public-no-variable",
		"GET /api/public/card/{uuid}/query/{format}":                                 "public",
		"POST /api/public/dashboard/{uuid}/dashcard/{dashcard}/card/{card}/{format}": "public",
	}
	// want maps a kind of answer and a person to the status and summary.
	// An account_id that is not a whole number matches no row.
	want := map[string]map[string]string{
		"table": {"admin": "200 Showing the first 2,000 of 13,856 rows, 50 shown", "unrestricted": "200 Showing the first 2,000 of 13,856 rows, 50 shown",
			"api-key-analysts": "200 Showing the first 2,000 of 13,856 rows, 50 shown", "api-key-acme": "403",
			"sandboxed-28": "200 22 rows, 22 shown", "sandboxed-no-attribute": "403", "blocked": "404",
			"sandboxed-or-1=1": "200 0 rows, 0 shown", "sandboxed-quote-comment": "200 0 rows, 0 shown"},
		"values": {"admin": "200 [[Basic] [Business] [Premium]]", "unrestricted": "200 [[Basic] [Business] [Premium]]",
			"api-key-analysts": "200 [[Basic] [Business] [Premium]]", "api-key-acme": "403",
			"sandboxed-28": "200 [[Basic]]", "sandboxed-no-attribute": "403", "blocked": "404",
			"sandboxed-or-1=1": "200 []", "sandboxed-quote-comment": "200 []"},
		"count": {"admin": "202 count=13856", "unrestricted": "202 count=13856",
			"api-key-analysts": "202 count=13856", "api-key-acme": "403",
			"sandboxed-28": "202 count=22", "sandboxed-no-attribute": "403", "blocked": "404",
			"sandboxed-or-1=1": "202 count=0", "sandboxed-quote-comment": "202 count=0"},
		"csv-count": {"admin": "200 count=13856", "unrestricted": "200 count=13856",
			"api-key-analysts": "200 count=13856", "api-key-acme": "403",
			"sandboxed-28": "200 count=22", "sandboxed-no-attribute": "403", "blocked": "404",
			"sandboxed-or-1=1": "200 count=0", "sandboxed-quote-comment": "200 count=0"},
		"csv": {"admin": "200 rows=13856 accounts=many", "unrestricted": "200 rows=13856 accounts=many",
			"api-key-analysts": "200 rows=13856 accounts=many", "api-key-acme": "403",
			"sandboxed-28": "200 rows=22 accounts=28", "sandboxed-no-attribute": "403", "blocked": "404",
			"sandboxed-or-1=1": "200 rows=0 accounts=", "sandboxed-quote-comment": "200 rows=0 accounts="},
		"token-28": {"admin": "202 count=22", "unrestricted": "202 count=22", "api-key-analysts": "202 count=22", "api-key-acme": "202 count=22",
			"sandboxed-28": "202 count=22", "sandboxed-no-attribute": "202 count=22", "blocked": "202 count=22",
			"sandboxed-or-1=1": "202 count=22", "sandboxed-quote-comment": "202 count=22"},
	}
	people := []string{"admin", "api-key-acme", "api-key-analysts"}
	for _, u := range leakUsers {
		people = append(people, u.name)
	}
	slices.Sort(people)
	// A public link has no person to filter a sandboxed table for: it
	// refuses invoices to everyone alike.
	// Token routes answer everyone alike too.
	for kind, answer := range map[string]string{"public": "403", "public-no-variable": "404",
		"token-28-values": "200 [[Basic]]", "token-locked-values": "403", "token-28-csv": "200 count=22"} {
		want[kind] = map[string]string{}
		for _, p := range people {
			want[kind][p] = answer
		}
	}
	// Previews are for administrators only.
	for kind, answer := range map[string]string{"preview-28": "202 count=22", "preview-28-values": "200 [[Basic]]"} {
		want[kind] = map[string]string{}
		for _, p := range people {
			want[kind][p] = "403"
		}
		want[kind]["admin"] = answer
	}
	for kind, m := range want {
		if got := slices.Sorted(maps.Keys(m)); !slices.Equal(got, people) {
			t.Errorf("the matrix expects %q answers for %v, want one for each of %v", kind, got, people)
		}
	}
	n := 0
	for _, rt := range ws.routes() {
		if !rt.data {
			continue
		}
		n++
		req, ok := reqs[rt.pattern]
		if !ok {
			t.Errorf("data route %q has no entry in the leak matrix: add one", rt.pattern)
			continue
		}
		for _, who := range slices.Sorted(maps.Keys(want[kinds[rt.pattern]])) {
			expected := want[kinds[rt.pattern]][who]
			t.Run(rt.pattern+"/"+who, func(t *testing.T) {
				se := *e
				se.t = t
				ct := ""
				if req.body != "" {
					ct = "application/json"
				}
				r := se.do(f.clients[who], req.method, req.path, ct, req.body)
				got := strconv.Itoa(r.status)
				if r.status == http.StatusOK || r.status == http.StatusAccepted {
					got += " " + req.summarize(t, r.body)
				}
				if got != expected {
					t.Errorf("%s %s as %s = %q, want %q (body %.200s)", req.method, req.path, who, got, expected, r.body)
				}
			})
		}
	}
	if n != len(reqs) {
		t.Errorf("the route table marks %d data routes, the matrix knows %d", n, len(reqs))
	}
	// Arithmetic between metrics reads rows through the same door: the
	// sandboxed person's Sum / Count of ACCOUNT_ID is their own account,
	// which a single row of another account would move; with no rows the
	// divisor is zero and the answer empty.
	ratio := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [["/", ["sum", ["field", %d, null]], ["count"]]]}}`, f.db, f.inv, f.acct)
	all := e.do(f.clients["admin"], "POST", "/api/dataset", "application/json", ratio)
	if all.status != http.StatusAccepted {
		t.Fatalf("Sum / Count as admin = %d %.200s", all.status, all.body)
	}
	everyone := countOfDataset(t, all.body)
	for who, want := range map[string]string{"unrestricted": "202 " + everyone, "sandboxed-28": "202 count=28", "sandboxed-or-1=1": "202 count=<nil>",
		"sandboxed-no-attribute": "403", "blocked": "404", "api-key-acme": "403"} {
		r := e.do(f.clients[who], "POST", "/api/dataset", "application/json", ratio)
		got := strconv.Itoa(r.status)
		if r.status == http.StatusAccepted {
			got += " " + countOfDataset(t, r.body)
		}
		if got != want || everyone == "count=28" {
			t.Errorf("Sum / Count of ACCOUNT_ID as %s = %q, want %q (everyone's %s)", who, got, want, everyone)
		}
	}
}
