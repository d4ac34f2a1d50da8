package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/app"
)

// refsFixture adds to the leak fixture what the reference checks need: an
// "Admin only" collection no other group may read, holding a question that
// counts INVOICES, a SQL question and a dashboard; a dashboard in the root
// collection (which everyone may read and write) that an administrator
// saved with both private questions next to a readable one and a filter
// wired to a private question; a person under "No self-service"; and the
// personal collection and own dashboard of each hostile customer.
type refsFixture struct {
	*leakFixture
	// accounts and email are ACCOUNTS and its EMAIL column, which no
	// customer may read.
	accounts, email int64
	adminOnly       int64
	// private counts INVOICES, privateSQL is SQL; both sit in adminOnly,
	// as does privateDash.
	private, privateSQL, privateDash int64
	// mixed is the administrator's root dashboard; mixedPrivate and
	// mixedPublic are its dashcards of private and countCard.
	mixed, mixedPrivate, mixedPublic int64
	// personal, own and ownColl are each customer's personal collection
	// and the dashboard and collection they keep in it; ownCard is the
	// question the sandboxed customer (who may build queries) keeps there.
	personal, own, ownCard, ownColl map[string]int64
	adminID                         int64
}

// refsCustomers are the hostile customers of the reference checks: one
// sandboxed to account 28, one whose group has "No self-service" access.
var refsCustomers = []string{"sandboxed-28", "no-self-service"}

// Markers that only the private questions' definitions contain.
const (
	privateName = "Private invoice count"
	privateSQL  = "secret_sql_marker"
)

// setupRefsFixture sets up the leak fixture on database db of e and adds
// the reference fixture to it.
func setupRefsFixture(t *testing.T, e *testEnv, db int64) *refsFixture {
	t.Helper()
	ctx := context.Background()
	lf := setupLeakFixtureOn(t, e, db)
	a, admin := e.app, e.adminUser()
	f := &refsFixture{leakFixture: lf, personal: map[string]int64{}, own: map[string]int64{}, ownCard: map[string]int64{},
		ownColl: map[string]int64{}, adminID: admin.ID}
	tables, err := a.Tables(ctx, admin, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if tb.Name != "ACCOUNTS" {
			continue
		}
		f.accounts = tb.ID
		for _, fl := range tb.Fields {
			if fl.Name == "EMAIL" {
				f.email = fl.ID
			}
		}
	}
	if f.accounts == 0 || f.email == 0 {
		t.Fatal("no ACCOUNTS.EMAIL")
	}

	// "No self-service": saved questions of readable collections run, new
	// queries do not.
	noSelf, err := a.CreateGroup(ctx, admin, "No self-service")
	if err != nil {
		t.Fatal(err)
	}
	g, err := a.DataPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveDataPermissionGraph(ctx, admin, access.WireGraph{Revision: g.Revision, Groups: map[string]map[string]access.WireDBPerms{
		itoa(noSelf.ID): {itoa(db): {ViewData: access.ViewNoSelfService, CreateQueries: access.QueryNone}},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateUser(ctx, admin, app.NewUserInput{Email: "no-self-service@example.com", Password: "a password", GroupIDs: []int64{noSelf.ID}}); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	if r := e.postJSON(c, "/api/session", `{"username": "no-self-service@example.com", "password": "a password"}`); r.status != http.StatusOK {
		t.Fatalf("sign in = %d %s", r.status, r.body)
	}
	f.clients["no-self-service"] = c

	coll, err := a.CreateCollection(ctx, admin, "Admin only", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	f.adminOnly = coll.ID
	cg, err := a.CollectionPermissionGraph(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	none := map[string]string{itoa(f.adminOnly): access.CollectionNone}
	groups := map[string]map[string]string{itoa(sightline.AllUsersGroupID): none, itoa(noSelf.ID): none}
	for id := range cg.Groups {
		if id != itoa(sightline.AdminGroupID) {
			groups[id] = none
		}
	}
	if _, err := a.SaveCollectionPermissionGraph(ctx, admin, access.WireCollectionGraph{Revision: cg.Revision, Groups: groups}, false); err != nil {
		t.Fatal(err)
	}
	count := &sightline.Query{Database: db, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
		SourceTable: f.inv, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}
	card, err := a.CreateCard(ctx, admin, &sightline.Card{Name: privateName, CollectionID: f.adminOnly, Query: count})
	if err != nil {
		t.Fatal(err)
	}
	f.private = card.ID
	sqlQ := &sightline.Query{Database: db, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{SQL: "SELECT 1 AS " + privateSQL}}
	if card, err = a.CreateCard(ctx, admin, &sightline.Card{Name: "Private SQL", CollectionID: f.adminOnly, Query: sqlQ}); err != nil {
		t.Fatal(err)
	}
	f.privateSQL = card.ID
	pd, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Private dashboard", CollectionID: f.adminOnly,
		Cards: []sightline.DashboardCard{{CardID: f.countCard, SizeX: 4, SizeY: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	f.privateDash = pd.ID

	plan := json.RawMessage(fmt.Sprintf(`["dimension", ["field", %d, null]]`, f.plan))
	mixed, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Mixed",
		Parameters: []sightline.DashboardParameter{{ID: "plan", Name: "Plan", Slug: "plan", Type: "category"}},
		Cards: []sightline.DashboardCard{
			{CardID: f.private, SizeX: 4, SizeY: 4, Mappings: []sightline.ParameterMapping{{ParameterID: "plan", CardID: f.private, Target: plan}}},
			// The dashboard's own settings of a card name the question's
			// columns.
			{CardID: f.privateSQL, Col: 4, SizeX: 4, SizeY: 4, VizSettings: json.RawMessage(`{"column_settings": {"[\"name\",\"` + privateSQL + `\"]": {"column_title": "Marker"}}}`)},
			{CardID: f.countCard, Col: 8, SizeX: 4, SizeY: 4},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if mixed, err = a.Dashboard(ctx, admin, mixed.ID); err != nil {
		t.Fatal(err)
	}
	f.mixed, f.mixedPrivate, f.mixedPublic = mixed.ID, mixed.Cards[0].ID, mixed.Cards[2].ID

	for _, who := range refsCustomers {
		u, _, err := e.db.UserByEmail(ctx, who+"@example.com")
		if err != nil {
			t.Fatal(err)
		}
		pc, err := a.PersonalCollection(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		f.personal[who] = pc.ID
		d, err := a.CreateDashboard(ctx, u, &sightline.Dashboard{Name: "Mine", CollectionID: pc.ID,
			Parameters: []sightline.DashboardParameter{{ID: "plan", Name: "Plan", Slug: "plan", Type: "category"}},
			Cards:      []sightline.DashboardCard{{CardID: f.countCard, SizeX: 4, SizeY: 4}}})
		if err != nil {
			t.Fatalf("%s builds a dashboard of a question they may read: %v", who, err)
		}
		f.own[who] = d.ID
		sub, err := a.CreateCollection(ctx, u, "Mine", "", pc.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.ownColl[who] = sub.ID
		if who != "sandboxed-28" {
			continue
		}
		own, err := a.CreateCard(ctx, u, &sightline.Card{Name: "Mine", CollectionID: pc.ID, Query: &sightline.Query{Database: db,
			Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: f.inv}}})
		if err != nil {
			t.Fatal(err)
		}
		f.ownCard[who] = own.ID
	}
	return f
}

// TestDashboardOfUnreadableQuestions checks, on every engine of the leak
// matrix, a dashboard that an administrator saved in a collection everyone
// may read, with questions from a collection customers may not read: a
// customer gets neither those questions' definitions (in the API and in
// the page) nor their rows nor their filter values, and still gets the
// readable question, through their sandbox.
func TestDashboardOfUnreadableQuestions(t *testing.T) {
	for _, eng := range leakEngines() {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			e.setup()
			f := setupRefsFixture(t, e, eng.sample(t, e))
			run := func(dc, card int64) string {
				return fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.mixed, dc, card)
			}
			tests := []struct {
				who                         string
				private, public, planValues string
				shows                       bool
			}{
				{"admin", "202 count=13856", "202 count=13856", "200 [[Basic] [Business] [Premium]]", true},
				{"sandboxed-28", "403 " + app.CardRestrictedMessage, "202 count=22", "200 []", false},
				{"no-self-service", "403 " + app.CardRestrictedMessage, "202 count=13856", "200 []", false},
				{"unrestricted", "403 " + app.CardRestrictedMessage, "202 count=13856", "200 []", false},
			}
			for _, tt := range tests {
				t.Run(tt.who, func(t *testing.T) {
					se := *e
					se.t = t
					c := f.clients[tt.who]
					if got := outcome(t, se.postJSON(c, run(f.mixedPrivate, f.private), `{}`), countOfDataset); got != tt.private {
						t.Errorf("run the private question's card = %q, want %q", got, tt.private)
					}
					if got := outcome(t, se.postJSON(c, run(f.mixedPublic, f.countCard), `{}`), countOfDataset); got != tt.public {
						t.Errorf("run the readable question's card = %q, want %q", got, tt.public)
					}
					pv := se.do(c, "GET", fmt.Sprintf("/api/dashboard/%d/params/plan/values", f.mixed), "", "")
					if got := outcome(t, pv, fieldValues); got != tt.planValues {
						t.Errorf("values of the filter wired to the private question = %q, want %q", got, tt.planValues)
					}
					for _, path := range []string{fmt.Sprintf("/api/dashboard/%d", f.mixed), fmt.Sprintf("/dashboard/%d", f.mixed)} {
						r := se.get(c, path)
						if r.status != http.StatusOK {
							t.Fatalf("GET %s = %d %.300s", path, r.status, r.body)
						}
						if !tt.shows && path[1:4] == "api" {
							var d sightline.Dashboard
							decodeBody(t, r, &d)
							for _, dc := range d.Cards {
								for _, m := range dc.Mappings {
									if dc.Card != nil && dc.Card.Name == app.CardRestrictedMessage && len(m.Target) > 0 && string(m.Target) != "null" {
										t.Errorf("GET %s shows where filter %q is wired on question %d, which they may not read: %s", path, m.ParameterID, dc.CardID, m.Target)
									}
								}
							}
						}
						shows := strings.Contains(r.body, privateName) || strings.Contains(r.body, privateSQL)
						placeholder := strings.Contains(r.body, app.CardRestrictedMessage) || strings.Contains(r.body, jsonEscapedHTML(app.CardRestrictedMessage))
						if shows != tt.shows || placeholder == tt.shows {
							t.Errorf("GET %s shows the private definitions: %v, the placeholder: %v; want %v, %v", path, shows, placeholder, tt.shows, !tt.shows)
						}
					}
				})
			}
			// A customer who may curate the root renames the dashboard:
			// the private questions stay on it, still hidden from them.
			c := f.clients["sandboxed-28"]
			r := e.do(c, "PUT", fmt.Sprintf("/api/dashboard/%d", f.mixed), "application/json", `{"name": "Mixed, renamed"}`)
			if r.status != http.StatusOK || showsPrivate(r.body) {
				t.Errorf("PUT the dashboard as a curator who may not read some of its questions = %d %.300s, want saved without their definitions", r.status, r.body)
			}
			var d sightline.Dashboard
			decodeBody(t, e.get(f.clients["admin"], fmt.Sprintf("/api/dashboard/%d", f.mixed)), &d)
			if len(d.Cards) != 3 || d.Cards[0].Card == nil || d.Cards[0].Card.Name != privateName {
				t.Errorf("after the customer's save the administrator sees %d cards, the first %+v; want the three, the private one intact", len(d.Cards), d.Cards[0].Card)
			}
			// Nor does the customer's save, the layout sent back as they
			// read it, take away the filter wiring and the settings of the
			// cards they may not read.
			var seen map[string]any
			decodeBody(t, e.get(c, fmt.Sprintf("/api/dashboard/%d", f.mixed)), &seen)
			b, _ := json.Marshal(map[string]any{"name": "Mixed", "dashcards": seen["dashcards"]})
			if r := e.do(c, "PUT", fmt.Sprintf("/api/dashboard/%d", f.mixed), "application/json", string(b)); r.status != http.StatusOK || showsPrivate(r.body) {
				t.Errorf("PUT the dashboard's layout as read by a curator who may not read some of its questions = %d %.300s, want saved without their definitions", r.status, r.body)
			}
			decodeBody(t, e.get(f.clients["admin"], fmt.Sprintf("/api/dashboard/%d", f.mixed)), &d)
			if len(d.Cards) != 3 || len(d.Cards[0].Mappings) != 1 || len(d.Cards[0].Mappings[0].Target) == 0 || !strings.Contains(string(d.Cards[1].VizSettings), privateSQL) {
				t.Errorf("after the customer's save the administrator sees the private cards' wiring %+v and settings %s; want them intact", d.Cards[0].Mappings, d.Cards[1].VizSettings)
			}
		})
	}
}

// jsonEscapedHTML is s as html/template writes it inside a script's JSON.
func jsonEscapedHTML(s string) string {
	return strings.ReplaceAll(s, "'", `\u0027`)
}

// outcome is a response's status and, for a success (200, or 202 for a
// query), its summary, or the message of an error.
func outcome(t *testing.T, r resp, summarize func(t *testing.T, body string) string) string {
	t.Helper()
	if r.status == http.StatusOK || r.status == http.StatusAccepted {
		return strconv.Itoa(r.status) + " " + summarize(t, r.body)
	}
	var e struct {
		Message string `json:"message"`
	}
	json.Unmarshal([]byte(r.body), &e) // a page answers HTML; its status is what counts
	return strings.TrimSpace(strconv.Itoa(r.status) + " " + e.Message)
}

// privateMarkers are texts that only the definitions customers may not
// read contain: the private questions' name and SQL, the private
// collection's and dashboard's names.
var privateMarkers = []string{privateName, privateSQL, "Admin only", "Private dashboard"}

// showsPrivate reports whether a response carries any private marker.
func showsPrivate(body string) bool {
	for _, m := range privateMarkers {
		if strings.Contains(body, m) || strings.Contains(body, jsonEscapedHTML(m)) {
			return true
		}
	}
	return false
}

// defsRequests is how the definitions matrix calls each route that
// returns definitions, aimed at the private ones.
func (f *refsFixture) defsRequests() map[string]string {
	return map[string]string{
		"GET /api/card/{id}":             fmt.Sprintf("/api/card/%d", f.private),
		"GET /question/{id}":             fmt.Sprintf("/question/%d", f.privateSQL),
		"GET /api/dashboard/{id}":        fmt.Sprintf("/api/dashboard/%d", f.mixed),
		"GET /dashboard/{id}":            fmt.Sprintf("/dashboard/%d", f.mixed),
		"GET /api/collection/{id}":       fmt.Sprintf("/api/collection/%d", f.adminOnly),
		"GET /api/collection/{id}/items": fmt.Sprintf("/api/collection/%d/items", f.adminOnly),
		"GET /collection/{id}":           fmt.Sprintf("/collection/%d", f.adminOnly),
		"GET /api/search":                "/api/search?q=private",
		"GET /search":                    "/search?q=private",
		"GET /trash":                     "/trash",
		"GET /{$}":                       "/",
		"GET /api/card":                  "/api/card",
		"GET /api/card/{id}/dashboards":  fmt.Sprintf("/api/card/%d/dashboards", f.countCard),
		"GET /api/dashboard":             "/api/dashboard",
		"GET /api/collection":            "/api/collection",
		"GET /api/collection/tree":       "/api/collection/tree",
	}
}

// TestDefinitionsMatrix runs every route that returns definitions (as the
// route table marks them, so that a new one cannot be forgotten) as each
// person of the leak matrix and the "No self-service" customer: only the
// administrator gets the definitions of the private collection, its
// questions (name and SQL) and its dashboard, whether asked for directly,
// listed, searched, in the trash or shown on a dashboard of the root.
func TestDefinitionsMatrix(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	f := setupRefsFixture(t, e, sqliteLeakSample(t, e))
	ctx := context.Background()
	admin := e.adminUser()
	old := &sightline.Card{Name: privateName + " (old)", CollectionID: f.adminOnly, Query: &sightline.Query{Database: f.db,
		Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: f.inv}}}
	if _, err := e.app.CreateCard(ctx, admin, old); err != nil {
		t.Fatal(err)
	}
	if err := e.app.UpdateItem(ctx, admin, "card", old.ID, app.ItemEdit{Archived: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	// The administrator opened the private items, so their home page
	// lists them among the recent ones.
	for _, p := range []string{fmt.Sprintf("/api/card/%d", f.private), fmt.Sprintf("/api/dashboard/%d", f.privateDash)} {
		if r := e.get(f.clients["admin"], p); r.status != http.StatusOK {
			t.Fatalf("GET %s as the administrator = %d", p, r.status)
		}
	}
	ws, err := New(e.app, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.defsRequests()
	n := 0
	for _, rt := range ws.routes() {
		if !rt.defs {
			continue
		}
		n++
		path, ok := reqs[rt.pattern]
		if !ok {
			t.Errorf("definitions route %q has no entry in the definitions matrix: add one", rt.pattern)
			continue
		}
		for who, c := range f.clients {
			t.Run(rt.pattern+"/"+who, func(t *testing.T) {
				se := *e
				se.t = t
				r := se.get(c, path)
				if who == "admin" {
					if r.status != http.StatusOK || !showsPrivate(r.body) {
						t.Errorf("GET %s as the administrator = %d without the private definitions (%.200s)", path, r.status, r.body)
					}
					return
				}
				if r.status >= 500 || showsPrivate(r.body) {
					t.Errorf("GET %s as %s = %d and shows private definitions (%.300s)", path, who, r.status, r.body)
				}
			})
		}
	}
	if n != len(reqs) {
		t.Errorf("the route table marks %d definitions routes, the matrix knows %d", n, len(reqs))
	}
}

// writeBodies names the request type of every write route on dashboards,
// questions and collections (nil for a route without a body). The field
// matrix lists the id-bearing fields of each type by reflection, so a new
// id field in a request type fails TestWriteRouteIDFields until the test
// knows what a hostile value in it must do.
var writeBodies = map[string]reflect.Type{
	"POST /api/dashboard":                    reflect.TypeFor[dashboardBody](),
	"PUT /api/dashboard/{id}":                reflect.TypeFor[dashboardBody](),
	"POST /api/dashboard/save":               reflect.TypeFor[sightline.Dashboard](),
	"POST /api/dashboard/{id}/copy":          nil,
	"POST /api/card":                         reflect.TypeFor[cardBody](),
	"POST /api/card/{id}/public_link":        nil,
	"DELETE /api/card/{id}/public_link":      nil,
	"POST /api/dashboard/{id}/public_link":   nil,
	"DELETE /api/dashboard/{id}/public_link": nil,
	"PUT /api/card/{id}":                     reflect.TypeFor[cardBody](),
	"POST /api/collection":                   reflect.TypeFor[collectionBody](),
	"PUT /api/collection/{id}":               reflect.TypeFor[app.CollectionEdit](),
	"PUT /api/collection/graph":              reflect.TypeFor[collectionGraphInput](),
	"DELETE /api/card/{id}":                  nil,
	"DELETE /api/dashboard/{id}":             nil,
}

// adminWrites are the write routes of writeBodies that only
// administrators may use at all; their ids are in map keys (group and
// collection ids), so the matrix sends a body granting the customer the
// private collection and checks that it is refused whole.
var adminWrites = map[string]bool{"PUT /api/collection/graph": true}

// idFields lists the JSON paths ("dashcards[].card_id") of the fields of t
// that carry an id: names ending in "id" or "target", lists of names
// ending in "parameters", and queries (which
// name databases, tables, fields and saved questions). It looks into
// nested objects and lists.
func idFields(t reflect.Type, prefix string) []string {
	var out []string
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		ft := sf.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		lower := strings.ToLower(name)
		path := prefix + name
		switch {
		case strings.HasSuffix(lower, "id") || strings.HasSuffix(lower, "target") || strings.HasSuffix(lower, "_query") || ft == reflect.TypeFor[sightline.Query](),
			// A list of names of other objects ("filteringParameters": filter ids).
			ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.String && strings.HasSuffix(lower, "parameters"):
			out = append(out, path)
		case path == "dashcards[].visualization_settings":
			// A dashboard card's settings carry ids in its click behaviors:
			// the card's own and each column's.
			out = append(out, path+".click_behavior", path+".column_settings")
		case ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]():
			out = append(out, idFields(ft, path+".")...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			out = append(out, idFields(ft.Elem(), path+"[].")...)
		}
	}
	return out
}

// What a hostile value in an id field must do.
const (
	// refused: 400, 403 or 404 with a message, and nothing stored.
	refused = "refused"
	// ignored: saved, but the stored object does not carry the value
	// (the server computes or replaces it).
	ignored = "ignored"
	// defines: the field names something inside the request itself (a
	// filter or a tab of the dashboard sent), not another object.
	defines = "defines"
)

// idCase is a hostile value for one id field and what it must do.
type idCase struct {
	value  func(f *refsFixture) any
	expect string
}

// hostileIDs gives, for every id field path of the write bodies, values
// naming objects the actor may not read (or that do not belong there).
func hostileIDs(f *refsFixture) map[string][]idCase {
	v := func(x any) func(*refsFixture) any { return func(*refsFixture) any { return x } }
	adminOnly := func(f *refsFixture) any { return f.adminOnly }
	query := func(src any) func(*refsFixture) any {
		return func(f *refsFixture) any {
			return map[string]any{"database": f.db, "type": "query", "query": map[string]any{"source-table": src}}
		}
	}
	queries := []idCase{
		{query(f.accounts), refused},
		{query(fmt.Sprintf("card__%d", f.private)), refused},
		{func(f *refsFixture) any {
			return map[string]any{"database": f.db, "type": "native", "native": map[string]any{"query": "SELECT EMAIL FROM ACCOUNTS"}}
		}, refused},
	}
	return map[string][]idCase{
		"id":                     {{func(f *refsFixture) any { return f.privateDash }, ignored}},
		"collection_id":          {{adminOnly, refused}},
		"parent_id":              {{adminOnly, refused}},
		"creator_id":             {{func(f *refsFixture) any { return f.adminID }, ignored}},
		"dataset_query":          queries,
		"parameters[].id":        {{v("plan"), defines}},
		"parameters[].sectionId": {{v("id"), defines}},
		// A filter may be limited only by filters of the same dashboard.
		"parameters[].filteringParameters":              {{v([]any{"no-such-filter"}), refused}, {v([]any{"plan"}), refused}},
		"tabs[].id":                                     {{v(1), defines}},
		"dashcards[].id":                                {{func(f *refsFixture) any { return f.mixedPrivate }, ignored}},
		"dashcards[].card_id":                           {{func(f *refsFixture) any { return f.private }, refused}, {func(f *refsFixture) any { return f.privateSQL }, refused}},
		"dashcards[].dashboard_tab_id":                  {{v(424242), ignored}},
		"dashcards[].parameter_mappings[].parameter_id": {{v("no-such-filter"), refused}},
		"dashcards[].parameter_mappings[].card_id":      {{func(f *refsFixture) any { return f.private }, refused}},
		"dashcards[].parameter_mappings[].target": {
			{func(f *refsFixture) any { return []any{"dimension", []any{"field", f.email, nil}} }, refused},
			{func(f *refsFixture) any { return []any{"dimension", []any{"template-tag", "email"}} }, refused},
		},
		"dashcards[].visualization_settings.click_behavior": {
			{func(f *refsFixture) any { return clickLink("dashboard", f.privateDash) }, refused},
			{func(f *refsFixture) any { return clickLink("dashboard", 424242) }, refused},
			{func(f *refsFixture) any { return clickLink("question", f.private) }, refused},
			{v(map[string]any{"type": "link", "linkType": "url", "linkTemplate": "javascript:alert(document.cookie)"}), refused},
			{v(map[string]any{"type": "link", "linkType": "url", "linkTemplate": "//evil.example/{{PLAN}}"}), refused},
			{v(map[string]any{"type": "crossfilter", "parameterMapping": map[string]any{"no-such-filter": map[string]any{
				"source": map[string]any{"id": "PLAN", "type": "column"}, "target": map[string]any{"id": "no-such-filter", "type": "parameter"}}}}), refused},
		},
		"dashcards[].visualization_settings.column_settings": {
			{func(f *refsFixture) any {
				return map[string]any{`["name","PLAN"]`: map[string]any{"click_behavior": clickLink("question", f.private)}}
			}, refused},
		},
		"dashcards[].card.id":            {{func(f *refsFixture) any { return f.private }, ignored}},
		"dashcards[].card.collection_id": {{adminOnly, refused}},
		"dashcards[].card.database_id":   {{v(424242), ignored}},
		"dashcards[].card.table_id":      {{func(f *refsFixture) any { return f.accounts }, ignored}},
		"dashcards[].card.dataset_query": queries,
		"dashcards[].card.creator_id":    {{func(f *refsFixture) any { return f.adminID }, ignored}},
	}
}

// clickLink is a click behavior that links to a dashboard or a question.
func clickLink(kind string, id int64) map[string]any {
	return map[string]any{"type": "link", "linkType": kind, "targetId": id}
}

// idExpectOverride is what a hostile value does on one route when that
// differs from hostileIDs: an X-ray is always saved in its own collection.
var idExpectOverride = map[string]string{
	"POST /api/dashboard/save collection_id":                  ignored,
	"POST /api/dashboard/save dashcards[].card.collection_id": ignored,
	// An X-ray's cards are wired to the questions they carry.
	"POST /api/dashboard/save dashcards[].parameter_mappings[].card_id": ignored,
}

// setPath sets the field at a JSON path of idFields in m ("[]" is the
// first element of a list).
func setPath(t *testing.T, m map[string]any, path string, v any) {
	t.Helper()
	parts := strings.Split(path, ".")
	cur := m
	for i, p := range parts {
		name, list := strings.CutSuffix(p, "[]")
		if i == len(parts)-1 && !list {
			cur[name] = v
			return
		}
		next, ok := cur[name]
		if !ok && !list {
			// A settings object the base body leaves out starts empty.
			next = map[string]any{}
			cur[name] = next
		}
		if list {
			l, ok := next.([]any)
			if !ok || len(l) == 0 {
				t.Fatalf("the base body has no list at %s of %s", name, path)
			}
			next = l[0]
		}
		nm, ok := next.(map[string]any)
		if !ok {
			t.Fatalf("the base body has no object at %s of %s", name, path)
		}
		cur = nm
	}
}

// getPath reads the value at a JSON path of idFields in m, nil if absent.
func getPath(m map[string]any, path string) any {
	var cur any = m
	for _, p := range strings.Split(path, ".") {
		name, list := strings.CutSuffix(p, "[]")
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = obj[name]
		if list {
			l, ok := cur.([]any)
			if !ok || len(l) == 0 {
				return nil
			}
			cur = l[0]
		}
	}
	return cur
}

// writeBase is a valid body for a write route as customer who, and the
// path of the object it changes (empty for a route that creates one).
func (f *refsFixture) writeBase(route, who, field string) (path string, body map[string]any) {
	dc := map[string]any{"card_id": f.countCard, "dashboard_tab_id": 1, "size_x": 4, "size_y": 4,
		"parameter_mappings": []any{map[string]any{"parameter_id": "plan", "card_id": f.countCard, "target": []any{"dimension", []any{"field", f.plan, nil}}}}}
	if strings.HasPrefix(field, "dashcards[].card.") {
		dc = map[string]any{"size_x": 4, "size_y": 4, "card": map[string]any{"name": "Inline", "display": "table",
			"dataset_query": map[string]any{"database": f.db, "type": "query", "query": map[string]any{"source-table": f.inv}}}}
	}
	dash := map[string]any{"name": "Hostile", "collection_id": f.personal[who],
		"parameters": []any{map[string]any{"id": "plan", "name": "Plan", "slug": "plan", "type": "category"}},
		"tabs":       []any{map[string]any{"id": 1, "name": "One"}}, "dashcards": []any{dc}}
	card := map[string]any{"name": "Hostile", "collection_id": f.personal[who], "display": "table",
		"dataset_query": map[string]any{"database": f.db, "type": "query", "query": map[string]any{"source-table": f.inv}}}
	switch route {
	case "POST /api/dashboard", "POST /api/dashboard/save":
		return "", dash
	case "PUT /api/dashboard/{id}":
		return fmt.Sprintf("/api/dashboard/%d", f.own[who]), dash
	case "POST /api/card":
		return "", card
	case "PUT /api/card/{id}":
		return fmt.Sprintf("/api/card/%d", f.ownCard[who]), card
	case "POST /api/collection":
		return "", map[string]any{"name": "Hostile", "parent_id": f.personal[who]}
	case "PUT /api/collection/{id}":
		return fmt.Sprintf("/api/collection/%d", f.ownColl[who]), map[string]any{"name": "Hostile", "parent_id": f.personal[who]}
	case "PUT /api/collection/graph":
		return "", map[string]any{"revision": 1, "groups": map[string]any{itoa(sightline.AllUsersGroupID): map[string]any{itoa(f.adminOnly): "write"}}}
	}
	return "", nil
}

// hostilePaths are the objects customers may not read that each write
// route with an id in its path is aimed at.
func (f *refsFixture) hostilePaths() map[string]string {
	return map[string]string{
		"PUT /api/dashboard/{id}":                fmt.Sprintf("/api/dashboard/%d", f.privateDash),
		"POST /api/dashboard/{id}/copy":          fmt.Sprintf("/api/dashboard/%d/copy", f.privateDash),
		"PUT /api/card/{id}":                     fmt.Sprintf("/api/card/%d", f.private),
		"PUT /api/collection/{id}":               fmt.Sprintf("/api/collection/%d", f.adminOnly),
		"DELETE /api/card/{id}":                  fmt.Sprintf("/api/card/%d", f.private),
		"DELETE /api/dashboard/{id}":             fmt.Sprintf("/api/dashboard/%d", f.privateDash),
		"POST /api/card/{id}/public_link":        fmt.Sprintf("/api/card/%d/public_link", f.private),
		"DELETE /api/card/{id}/public_link":      fmt.Sprintf("/api/card/%d/public_link", f.private),
		"POST /api/dashboard/{id}/public_link":   fmt.Sprintf("/api/dashboard/%d/public_link", f.privateDash),
		"DELETE /api/dashboard/{id}/public_link": fmt.Sprintf("/api/dashboard/%d/public_link", f.privateDash),
	}
}

// TestWriteRouteIDFields fills every id-bearing field of every write route
// on dashboards, questions and collections (found from the router and the
// request types) with ids of objects the sandboxed customer may not read,
// and every id in their paths likewise: each is refused with a message and
// stores nothing, or is ignored by the server, as hostileIDs says.
func TestWriteRouteIDFields(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	f := setupRefsFixture(t, e, sqliteLeakSample(t, e))
	ws, err := New(e.app, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	const who = "sandboxed-28"
	c, admin := f.clients[who], f.clients["admin"]
	cases := hostileIDs(f)
	// snapshot is what the administrator sees of everything a refused
	// write must leave alone.
	snapshot := func(t *testing.T, extra string) string {
		var b strings.Builder
		for _, p := range []string{fmt.Sprintf("/api/collection/%d/items", f.personal[who]), fmt.Sprintf("/api/collection/%d/items", f.adminOnly),
			"/api/collection/root/items", fmt.Sprintf("/api/card/%d", f.private), fmt.Sprintf("/api/dashboard/%d", f.privateDash),
			fmt.Sprintf("/api/dashboard/%d", f.mixed), fmt.Sprintf("/api/collection/%d", f.adminOnly), "/api/collection/graph", extra} {
			if p == "" {
				continue
			}
			r := e.do(admin, "GET", p, "", "")
			b.WriteString(p + " " + strconv.Itoa(r.status) + " " + r.body + "\n")
		}
		return b.String()
	}
	// others is what a write that is accepted must leave alone.
	others := func(t *testing.T) string {
		var b strings.Builder
		for _, p := range []string{fmt.Sprintf("/api/collection/%d/items", f.adminOnly), fmt.Sprintf("/api/card/%d", f.private),
			fmt.Sprintf("/api/dashboard/%d", f.privateDash), fmt.Sprintf("/api/dashboard/%d", f.mixed), fmt.Sprintf("/api/collection/%d", f.adminOnly)} {
			r := e.do(admin, "GET", p, "", "")
			b.WriteString(p + " " + strconv.Itoa(r.status) + " " + r.body + "\n")
		}
		return b.String()
	}
	hostile := f.hostilePaths()
	routes := 0
	for _, rt := range ws.routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if method == "GET" || rt.data || !(strings.HasPrefix(path, "/api/dashboard") || strings.HasPrefix(path, "/api/card") || strings.HasPrefix(path, "/api/collection")) {
			continue
		}
		routes++
		typ, ok := writeBodies[rt.pattern]
		if !ok {
			t.Errorf("write route %q has no entry in writeBodies: add its request type", rt.pattern)
			continue
		}
		if strings.Contains(path, "{") {
			t.Run(rt.pattern+"/path", func(t *testing.T) {
				se := *e
				se.t = t
				target, ok := hostile[rt.pattern]
				if !ok {
					t.Fatalf("write route %q has an id in its path and no entry in hostilePaths", rt.pattern)
				}
				_, base := f.writeBase(rt.pattern, who, "")
				b, _ := json.Marshal(base)
				before := snapshot(t, "")
				r := se.do(c, method, target, "application/json", string(b))
				if msg := outcome(t, r, func(*testing.T, string) string { return "" }); r.status != http.StatusNotFound && r.status != http.StatusForbidden || len(msg) < 10 {
					t.Errorf("%s %s as %s = %q, want refused with a message", method, target, who, msg)
				}
				if after := snapshot(t, ""); after != before {
					t.Errorf("%s %s changed what the administrator sees:\n%s\nwant\n%s", method, target, after, before)
				}
			})
		}
		if adminWrites[rt.pattern] {
			t.Run(rt.pattern+"/body", func(t *testing.T) {
				se := *e
				se.t = t
				_, base := f.writeBase(rt.pattern, who, "")
				b, _ := json.Marshal(base)
				before := snapshot(t, "")
				r := se.do(c, method, path, "application/json", string(b))
				if msg := outcome(t, r, func(*testing.T, string) string { return "" }); r.status != http.StatusForbidden || len(msg) < 10 {
					t.Errorf("%s %s as %s = %q, want refused with a message", method, path, who, msg)
				}
				if after := snapshot(t, ""); after != before {
					t.Errorf("%s %s changed what the administrator sees", method, path)
				}
			})
		}
		if typ == nil {
			continue
		}
		for _, field := range idFields(typ, "") {
			tcs, ok := cases[field]
			if !ok {
				t.Errorf("%s: id field %q of %s has no entry in hostileIDs: say what a hostile value in it must do", rt.pattern, field, typ)
				continue
			}
			for i, tc := range tcs {
				t.Run(fmt.Sprintf("%s/%s/%d", rt.pattern, field, i), func(t *testing.T) {
					se := *e
					se.t = t
					target, base := f.writeBase(rt.pattern, who, field)
					url := path
					if target != "" {
						url = target
					}
					value := tc.value(f)
					setPath(t, base, field, value)
					b, _ := json.Marshal(base)
					expect := tc.expect
					if o, ok := idExpectOverride[rt.pattern+" "+field]; ok {
						expect = o
					}
					before, othersBefore := snapshot(t, target), others(t)
					r := se.do(c, method, url, "application/json", string(b))
					msg := outcome(t, r, func(*testing.T, string) string { return "" })
					switch expect {
					case refused:
						if r.status != http.StatusBadRequest && r.status != http.StatusForbidden && r.status != http.StatusNotFound || len(msg) < 10 {
							t.Errorf("%s %s with %s = %v: %q, want refused with a message", method, url, field, value, msg)
						}
						if after := snapshot(t, target); after != before {
							t.Errorf("refused %s %s with %s = %v changed what the administrator sees:\n%s\nwant\n%s", method, url, field, value, after, before)
						}
					case ignored, defines:
						if r.status != http.StatusOK {
							t.Fatalf("%s %s with %s = %v: %q, want it saved", method, url, field, value, msg)
						}
						if expect == defines {
							return
						}
						var saved struct {
							ID int64 `json:"id"`
						}
						decodeBody(t, r, &saved)
						kind := "dashboard"
						if strings.HasPrefix(path, "/api/card") {
							kind = "card"
						}
						stored := e.do(admin, "GET", fmt.Sprintf("/api/%s/%d", kind, saved.ID), "", "")
						var m map[string]any
						decodeBody(t, stored, &m)
						want, _ := json.Marshal(value)
						if got, _ := json.Marshal(getPath(m, field)); string(got) == string(want) {
							t.Errorf("%s %s stored %s = %s as sent, want the server's own value", method, url, field, got)
						}
						if after := others(t); after != othersBefore {
							t.Errorf("%s %s with %s = %v changed another object:\n%s\nwant\n%s", method, url, field, value, after, othersBefore)
						}
					}
				})
			}
		}
	}
	if routes != len(writeBodies) {
		t.Errorf("the router has %d write routes on dashboards, questions and collections, writeBodies knows %d", routes, len(writeBodies))
	}
}

// TestCustomerBuiltDashboard has each hostile customer build their own
// dashboard and questions out of ids they may not read (an administrator's
// private questions, another customer's personal question, a column of a
// table they may not read) on every engine of the leak matrix: every such
// attempt is refused, and what they may build returns only their rows.
func TestCustomerBuiltDashboard(t *testing.T) {
	for _, eng := range leakEngines() {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			e.setup()
			f := setupRefsFixture(t, e, eng.sample(t, e))
			// The sandboxed customer's own question, in their personal
			// collection, is another tenant's to the other customer.
			theirs := f.ownCard["sandboxed-28"]
			for _, tt := range []struct {
				who, own string
			}{{"sandboxed-28", "202 count=22"}, {"no-self-service", "202 count=13856"}} {
				t.Run(tt.who, func(t *testing.T) {
					se := *e
					se.t = t
					c := f.clients[tt.who]
					dash := func(dc string) string {
						return fmt.Sprintf(`{"name": "Mine too", "collection_id": %d, "parameters": [{"id": "p", "name": "P", "slug": "p", "type": "category"}], "dashcards": [%s]}`, f.personal[tt.who], dc)
					}
					refusedBodies := map[string]string{
						"an administrator's private question": dash(fmt.Sprintf(`{"card_id": %d, "size_x": 4, "size_y": 4}`, f.private)),
						"an administrator's private SQL":      dash(fmt.Sprintf(`{"card_id": %d, "size_x": 4, "size_y": 4}`, f.privateSQL)),
						"a filter on another table's emails": dash(fmt.Sprintf(`{"card_id": %d, "size_x": 4, "size_y": 4, "parameter_mappings": [{"parameter_id": "p", "card_id": %d, "target": ["dimension", ["field", %d, null]]}]}`,
							f.countCard, f.countCard, f.email)),
					}
					if tt.who != "sandboxed-28" {
						refusedBodies["another customer's personal question"] = dash(fmt.Sprintf(`{"card_id": %d, "size_x": 4, "size_y": 4}`, theirs))
					}
					for name, body := range refusedBodies {
						if r := se.postJSON(c, "/api/dashboard", body); r.status < 400 || r.status >= 500 {
							t.Errorf("a dashboard with %s = %d %.200s, want refused", name, r.status, r.body)
						}
					}
					for name, q := range map[string]string{
						"a private question as source": fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": "card__%d"}}`, f.db, f.private),
						"a private question joined": fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "joins": [{"alias": "P", "source-table": "card__%d", "condition": ["=", ["field", %d, null], ["field", %d, {"join-alias": "P"}]]}]}}`,
							f.db, f.inv, f.private, f.plan, f.plan),
					} {
						card := fmt.Sprintf(`{"name": "Mine", "collection_id": %d, "display": "table", "dataset_query": %s}`, f.personal[tt.who], q)
						if r := se.postJSON(c, "/api/card", card); r.status < 400 || r.status >= 500 {
							t.Errorf("a question on %s = %d %.200s, want refused", name, r.status, r.body)
						}
						if r := se.postJSON(c, "/api/dataset", q); r.status < 400 || r.status >= 500 {
							t.Errorf("running %s = %d %.200s, want refused", name, r.status, r.body)
						}
					}
					// Copying the administrator's dashboard would make the
					// private questions theirs to place: refused.
					if r := se.postJSON(c, fmt.Sprintf("/api/dashboard/%d/copy", f.mixed), ""); r.status != http.StatusForbidden || !strings.Contains(r.body, "permission") {
						t.Errorf("copy of a dashboard with private questions = %d %.300s, want refused", r.status, r.body)
					}
					// A card of someone else's dashboard cannot be run
					// through one's own.
					r := se.postJSON(c, fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.own[tt.who], f.mixedPrivate, f.private), `{}`)
					if got := outcome(t, r, countOfDataset); !strings.HasPrefix(got, "404") {
						t.Errorf("running another dashboard's card through one's own = %q, want 404", got)
					}
					// What they may build returns their rows only.
					r = se.postJSON(c, "/api/dashboard", dash(fmt.Sprintf(`{"card_id": %d, "size_x": 4, "size_y": 4, "parameter_mappings": [{"parameter_id": "p", "card_id": %d, "target": ["dimension", ["field", %d, null]]}]}`,
						f.countCard, f.countCard, f.plan)))
					var d sightline.Dashboard
					decodeBody(t, r, &d)
					if r.status != http.StatusOK || len(d.Cards) != 1 {
						t.Fatalf("a dashboard of a readable question = %d %.300s", r.status, r.body)
					}
					r = se.postJSON(c, fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", d.ID, d.Cards[0].ID, f.countCard), `{}`)
					if got := outcome(t, r, countOfDataset); got != tt.own {
						t.Errorf("running their own dashboard's card = %q, want %q", got, tt.own)
					}
					// A filter they wire through a foreign key to a table
					// they may not query offers none of its values, and
					// does not narrow their question by it.
					acct := accountIDField(t, e, f)
					r = se.postJSON(c, "/api/dashboard", dash(fmt.Sprintf(`{"card_id": %d, "size_x": 4, "size_y": 4, "parameter_mappings": [{"parameter_id": "p", "card_id": %d, "target": ["dimension", ["field", %d, {"source-field": %d}]]}]}`,
						f.countCard, f.countCard, f.email, acct)))
					var fk sightline.Dashboard
					decodeBody(t, r, &fk)
					if r.status == http.StatusOK {
						pv := se.do(c, "GET", fmt.Sprintf("/api/dashboard/%d/params/p/values", fk.ID), "", "")
						if strings.Contains(pv.body, "@") || pv.status >= 500 {
							t.Errorf("values of a filter on ACCOUNTS.EMAIL through a foreign key = %d %.200s, want none", pv.status, pv.body)
						}
						r = se.postJSON(c, fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", fk.ID, fk.Cards[0].ID, f.countCard),
							`{"parameters": [{"id": "p", "value": ["nobody@example.com"]}]}`)
						if got := outcome(t, r, countOfDataset); got != "403 "+fkRefusal {
							t.Errorf("running with a filter on ACCOUNTS.EMAIL through a foreign key = %q, want %q", got, "403 "+fkRefusal)
						}
					}
					// Nor can they add such a filter to a question they run.
					r = se.postJSON(c, fmt.Sprintf("/api/card/%d/query", f.countCard), fmt.Sprintf(
						`{"parameters": [{"id": "p", "type": "category", "target": ["dimension", ["field", %d, {"source-field": %d}]], "value": ["nobody@example.com"]}]}`, f.email, acct))
					if got := outcome(t, r, countOfDataset); got != "403 "+fkRefusal {
						t.Errorf("running a question with a filter on ACCOUNTS.EMAIL through a foreign key = %q, want %q", got, "403 "+fkRefusal)
					}
					// The question named in the path must be the card's.
					r = se.postJSON(c, fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", d.ID, d.Cards[0].ID, f.private), `{}`)
					if got := outcome(t, r, countOfDataset); !strings.HasPrefix(got, "404") {
						t.Errorf("running their own card under a private question's id = %q, want 404", got)
					}
				})
			}
		})
	}
}

// accountIDField is INVOICES.ACCOUNT_ID of the fixture's database.
func accountIDField(t *testing.T, e *testEnv, f *refsFixture) int64 {
	t.Helper()
	tables, err := e.app.Tables(context.Background(), e.adminUser(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		for _, fl := range tb.Fields {
			if tb.ID == f.inv && fl.Name == "ACCOUNT_ID" {
				return fl.ID
			}
		}
	}
	t.Fatal("no INVOICES.ACCOUNT_ID")
	return 0
}

// fkRefusal is the refusal of a filter that reaches, through a foreign key,
// a table the person may not query.
const fkRefusal = "A filter here reads the table Accounts through a foreign key, and you may not query that table yourself."
