package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"

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
	personal, own                    map[string]int64
	users                            map[string]*sightline.User
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
	f := &refsFixture{leakFixture: lf, personal: map[string]int64{}, own: map[string]int64{}, users: map[string]*sightline.User{}}
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
	pd, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Private dashboard", CollectionID: f.adminOnly})
	if err != nil {
		t.Fatal(err)
	}
	f.privateDash = pd.ID

	plan := json.RawMessage(fmt.Sprintf(`["dimension", ["field", %d, null]]`, f.plan))
	mixed, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Mixed",
		Parameters: []sightline.DashboardParameter{{ID: "plan", Name: "Plan", Slug: "plan", Type: "category"}},
		Cards: []sightline.DashboardCard{
			{CardID: f.private, SizeX: 4, SizeY: 4, Mappings: []sightline.ParameterMapping{{ParameterID: "plan", CardID: f.private, Target: plan}}},
			{CardID: f.privateSQL, Col: 4, SizeX: 4, SizeY: 4},
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
		f.users[who] = u
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
				{"admin", "200 count=13856", "200 count=13856", "200 [[Basic] [Business] [Premium]]", true},
				{"sandboxed-28", "403 " + app.CardRestrictedMessage, "200 count=22", "200 []", false},
				{"no-self-service", "403 " + app.CardRestrictedMessage, "200 count=13856", "200 []", false},
				{"unrestricted", "403 " + app.CardRestrictedMessage, "200 count=13856", "200 []", false},
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
						shows := strings.Contains(r.body, privateName) || strings.Contains(r.body, privateSQL)
						placeholder := strings.Contains(r.body, app.CardRestrictedMessage) || strings.Contains(r.body, jsonEscapedHTML(app.CardRestrictedMessage))
						if shows != tt.shows || placeholder == tt.shows {
							t.Errorf("GET %s shows the private definitions: %v, the placeholder: %v; want %v, %v", path, shows, placeholder, tt.shows, !tt.shows)
						}
					}
				})
			}
		})
	}
}

// jsonEscapedHTML is s as html/template writes it inside a script's JSON.
func jsonEscapedHTML(s string) string {
	return strings.ReplaceAll(s, "'", `\u0027`)
}

// outcome is a response's status and, for a 200, its summary, or the
// message of an error.
func outcome(t *testing.T, r resp, summarize func(t *testing.T, body string) string) string {
	t.Helper()
	if r.status == http.StatusOK {
		return "200 " + summarize(t, r.body)
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
