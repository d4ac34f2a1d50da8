package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"sightline"
	"sightline/internal/app"
	"sightline/internal/appdb"
)

// revenueDashboard creates two INVOICES questions and a dashboard with a
// Plan filter wired to both and a text card, and returns the dashboard.
func revenueDashboard(t testing.TB, e *testEnv, c *http.Client, inv int64, f map[string]int64) *sightline.Dashboard {
	t.Helper()
	newCard := func(name, agg string) int64 {
		q := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [%s]}}`, inv, agg)
		r := e.postJSON(c, "/api/card", `{"name": "`+name+`", "display": "number", "dataset_query": `+q+`}`)
		var card sightline.Card
		if err := json.Unmarshal([]byte(r.body), &card); err != nil || card.ID == 0 {
			t.Fatalf("create card %s = %d %s", name, r.status, r.body)
		}
		return card.ID
	}
	count := newCard("Invoice count", `["count"]`)
	total := newCard("Total payments", fmt.Sprintf(`["sum", ["field", %d, null]]`, f["PAYMENT"]))
	target := fmt.Sprintf(`["dimension", ["field", %d, null]]`, f["PLAN"])
	body := fmt.Sprintf(`{"name": "Revenue & Plans", "description": "By plan", "parameters": [{"id": "p1", "name": "Plan", "slug": "plan", "type": "category"}],
		"dashcards": [
		 {"card_id": %d, "row": 0, "col": 0, "size_x": 12, "size_y": 4, "parameter_mappings": [{"parameter_id": "p1", "card_id": %d, "target": %s}]},
		 {"card_id": %d, "row": 0, "col": 12, "size_x": 12, "size_y": 4, "parameter_mappings": [{"parameter_id": "p1", "card_id": %d, "target": %s}]},
		 {"row": 4, "col": 0, "size_x": 24, "size_y": 1, "visualization_settings": {"virtual_card": {"display": "text"}, "text": "Hello <b>there</b>"}}]}`,
		count, count, target, total, total, target)
	r := e.postJSON(c, "/api/dashboard", body)
	var d sightline.Dashboard
	if err := json.Unmarshal([]byte(r.body), &d); err != nil || d.ID == 0 {
		t.Fatalf("POST /api/dashboard = %d %s", r.status, r.body)
	}
	return &d
}

// pageConfig reads the JSON block the dashboard page hands to dashboard.js.
func pageConfig(t *testing.T, body string) dashboardConfig {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="dashboard-data">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no dashboard-data block in the page")
	}
	var cfg dashboardConfig
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatalf("dashboard-data is not JSON: %v\n%s", err, m[1])
	}
	return cfg
}

func TestDashboardPage(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, f := invoicesMeta(t, e)
	d := revenueDashboard(t, e, admin, inv, f)
	id := itoa(d.ID)

	tests := []struct {
		name, path string
		status     int
		want       []string
	}{
		{"bare id", "/dashboard/" + id, 200, []string{`id="dashboard-name">Revenue &amp; Plans<`, `id="dashcard-`, `id="dash-filters"`, `data-slug="plan"`, "Hello &lt;b&gt;there&lt;/b&gt;", `id="dashboard-info"`, "/question/"}},
		{"id and slug", "/dashboard/" + id + "-revenue-plans", 200, []string{`id="dashboard-name"`}},
		{"wrong slug still works", "/dashboard/" + id + "-old-name", 200, []string{`id="dashboard-name"`}},
		{"unknown id", "/dashboard/99999", 404, nil},
		{"not a number", "/dashboard/abc", 404, nil},
		{"new", "/dashboard/new", 200, []string{`id="new-dashboard-form"`, "Our analytics"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(admin, tt.path)
			if r.status != tt.status {
				t.Fatalf("GET %s = %d, want %d", tt.path, r.status, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("GET %s lacks %q", tt.path, w)
				}
			}
		})
	}
	if r := e.get(e.client(), "/dashboard/"+id); r.status != http.StatusFound {
		t.Errorf("GET /dashboard/%s signed out = %d, want a redirect to sign in", id, r.status)
	}

	// Each card box is placed on the 24-column grid without JavaScript.
	r := e.get(admin, "/dashboard/"+id)
	for _, w := range []string{"grid-column: 1 / span 12; grid-row: 1 / span 4;", "grid-column: 13 / span 12; grid-row: 1 / span 4;", "grid-column: 1 / span 24; grid-row: 5 / span 1;"} {
		if !strings.Contains(r.body, w) {
			t.Errorf("the grid lacks a box styled %q", w)
		}
	}

	// Filter values from the URL reach the cards: the page hands them to
	// the script, which sends them with every card query.
	r = e.get(admin, "/dashboard/"+id+"?plan=Premium")
	if !strings.Contains(r.body, `name="plan" value="Premium"`) {
		t.Errorf("the filter bar does not show the URL's value Premium")
	}
	cfg := pageConfig(t, r.body)
	if diff := cmp.Diff([]app.FilterValue{{ID: "p1", Value: []any{"Premium"}}}, cfg.Values); diff != "" {
		t.Fatalf("values handed to the cards (-want +got):\n%s", diff)
	}
	run := func(dc sightline.DashboardCard, values []app.FilterValue) string {
		b, _ := json.Marshal(map[string]any{"parameters": values})
		r := e.postJSON(admin, fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", d.ID, dc.ID, dc.CardID), string(b))
		var ds dataset
		if err := json.Unmarshal([]byte(r.body), &ds); err != nil || r.status != http.StatusAccepted {
			t.Fatalf("card query = %d %s, want 202", r.status, r.body)
		}
		return fmt.Sprint(ds.Data.Rows)
	}
	for _, dc := range cfg.Dashboard.Cards[:2] {
		if all, premium := run(dc, nil), run(dc, cfg.Values); all == premium {
			t.Errorf("card %d: Premium %s = all plans %s, want the URL's filter to narrow it", dc.ID, premium, all)
		}
	}
}

func TestFilterValues(t *testing.T) {
	params := []sightline.DashboardParameter{
		{ID: "a", Slug: "plan", Type: "category"},
		{ID: "b", Slug: "date", Type: "date/range"},
		{ID: "c", Slug: "when", Type: "date/relative", Default: "past30days"},
		{ID: "d", Slug: "amount", Type: "number/between"},
		{ID: "e", Slug: "q", Type: "date/quarter-year"},
		{ID: "f", Slug: "id", Type: "id", Default: []any{"1", "2"}},
	}
	tests := []struct {
		query string
		want  []app.FilterValue
	}{
		{"", []app.FilterValue{{ID: "c", Value: "past30days"}, {ID: "f", Value: []any{"1", "2"}}}},
		{"plan=Basic&plan=Premium&when=&id=", []app.FilterValue{{ID: "a", Value: []any{"Basic", "Premium"}}}},
		{"date=2024-01-01&date=2024-03-31&when=thisyear", []app.FilterValue{{ID: "b", Value: "2024-01-01~2024-03-31"}, {ID: "c", Value: "thisyear"}, {ID: "f", Value: []any{"1", "2"}}}},
		{"date=2024-01-01~2024-03-31&amount=10&amount=20.5&q=Q2-2025&when=&id=7",
			[]app.FilterValue{{ID: "b", Value: "2024-01-01~2024-03-31"}, {ID: "d", Value: []any{10.0, 20.5}}, {ID: "e", Value: "Q2-2025"}, {ID: "f", Value: []any{"7"}}}},
		{"amount=x&when=&id=", []app.FilterValue{}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			if diff := cmp.Diff(tt.want, filterValues(params, q)); diff != "" {
				t.Errorf("filterValues(%q) (-want +got):\n%s", tt.query, diff)
			}
		})
	}
}

func TestActiveTab(t *testing.T) {
	d := &sightline.Dashboard{Tabs: []sightline.DashboardTab{{ID: 7, Name: "One"}, {ID: 9, Name: "Two"}}}
	tests := []struct {
		want  string
		tab   int64
		card  int64
		shown bool
	}{
		{"", 7, 0, true},
		{"9", 9, 7, false},
		{"9", 9, 0, false},
		{"9", 9, 9, true},
		{"42", 7, 7, true},
		{"", 7, 5, true},
		{"9", 9, 5, false},
	}
	for _, tt := range tests {
		if got := activeTab(d, tt.want); got != tt.tab {
			t.Errorf("activeTab(%q) = %d, want %d", tt.want, got, tt.tab)
		}
		if got := onTab(d, sightline.DashboardCard{TabID: tt.card}, tt.tab); got != tt.shown {
			t.Errorf("onTab(card on %d, tab %d) = %v, want %v", tt.card, tt.tab, got, tt.shown)
		}
	}
	if got := activeTab(&sightline.Dashboard{}, "3"); got != 0 {
		t.Errorf("activeTab(no tabs) = %d, want 0", got)
	}
}

func TestDashboardTabsAndMissingCards(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, f := invoicesMeta(t, e)
	d := revenueDashboard(t, e, admin, inv, f)
	body := fmt.Sprintf(`{"tabs": [{"id": 1, "name": "Overview"}, {"id": 2, "name": "Detail"}], "dashcards": [
		{"card_id": %d, "dashboard_tab_id": 1, "row": 0, "col": 0, "size_x": 6, "size_y": 3},
		{"card_id": %d, "dashboard_tab_id": 2, "row": 0, "col": 0, "size_x": 6, "size_y": 3}]}`, d.Cards[0].CardID, d.Cards[1].CardID)
	if r := e.do(admin, "PUT", "/api/dashboard/"+itoa(d.ID), "application/json", body); r.status != 200 {
		t.Fatalf("PUT tabs = %d %s", r.status, r.body)
	}
	first := e.get(admin, "/dashboard/"+itoa(d.ID))
	second := e.get(admin, "/dashboard/"+itoa(d.ID)+"?tab=2&plan=Basic")
	if !strings.Contains(first.body, `id="dash-tabs"`) || !strings.Contains(first.body, ">Invoice count<") || strings.Contains(first.body, ">Total payments<") {
		t.Errorf("first tab: want the tabs and only the Invoice count card")
	}
	if !strings.Contains(second.body, ">Total payments<") || strings.Contains(second.body, ">Invoice count<") {
		t.Errorf("?tab=2: want only the Total payments card")
	}
	if !strings.Contains(html.UnescapeString(second.body), "plan=Basic&tab=1") {
		t.Errorf("tab links drop the filter values")
	}
	if cfg := pageConfig(t, second.body); cfg.Tab != 2 || len(cfg.Dashboard.Tabs) != 2 || len(cfg.Dashboard.Cards) != 2 {
		t.Errorf("?tab=2 hands the script tab %d, %d tabs and %d cards; want tab 2 and every tab and card for edit mode", cfg.Tab, len(cfg.Dashboard.Tabs), len(cfg.Dashboard.Cards))
	}
	if !strings.Contains(first.body, `id="dash-add-tab"`) {
		t.Errorf("the edit bar has no Add a tab button")
	}
	// A third tab is added and the second card moved to it, as the editor
	// saves them; a card left on a tab that no longer exists shows on the
	// first tab rather than nowhere.
	moved := fmt.Sprintf(`{"tabs": [{"id": 1, "name": "Overview"}, {"id": 2, "name": "Detail"}, {"id": 3, "name": "More", "position": 2}], "dashcards": [
		{"id": %d, "card_id": %d, "dashboard_tab_id": 9, "row": 0, "col": 0, "size_x": 6, "size_y": 3},
		{"id": %d, "card_id": %d, "dashboard_tab_id": 3, "row": 0, "col": 0, "size_x": 6, "size_y": 3}]}`,
		d.Cards[0].ID, d.Cards[0].CardID, d.Cards[1].ID, d.Cards[1].CardID)
	if r := e.do(admin, "PUT", "/api/dashboard/"+itoa(d.ID), "application/json", moved); r.status != 200 {
		t.Fatalf("PUT a third tab = %d %s", r.status, r.body)
	}
	tabs := []struct {
		query      string
		shows, not string
	}{
		{"", ">Invoice count<", ">Total payments<"},
		{"?tab=2", "", ">Invoice count<"},
		{"?tab=3", ">Total payments<", ">Invoice count<"},
		{"?tab=77", ">Invoice count<", ">Total payments<"},
	}
	for _, tt := range tabs {
		r := e.get(admin, "/dashboard/"+itoa(d.ID)+tt.query)
		if (tt.shows != "" && !strings.Contains(r.body, tt.shows)) || strings.Contains(r.body, tt.not) || !strings.Contains(r.body, `>More</a>`) {
			t.Errorf("GET /dashboard/%d%s: want %q and not %q, and the tab More", d.ID, tt.query, tt.shows, tt.not)
		}
	}
	// An archived question shows its own message; the other card loads.
	if r := e.do(admin, "PUT", "/api/card/"+itoa(d.Cards[1].CardID), "application/json", `{"archived": true}`); r.status != 200 {
		t.Fatalf("archive = %d", r.status)
	}
	second = e.get(admin, "/dashboard/"+itoa(d.ID)+"?tab=3")
	if !strings.Contains(second.body, `class="dash-card-error"`) || !strings.Contains(second.body, "was archived") {
		t.Errorf("an archived question's card does not say so")
	}
}

func TestDashboardShellFlags(t *testing.T) {
	e := ssoEnv(t)
	e.withSample()
	e.adminClient = e.client()
	if r := e.postForm(e.adminClient, "/auth/login", url.Values{"email": {"ada@example.com"}, "password": {"correct horse"}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign in = %d", r.status)
	}
	inv, f := invoicesMeta(t, e)
	d := revenueDashboard(t, e, e.adminClient, inv, f)
	path := "/dashboard/" + itoa(d.ID)
	tests := []struct {
		name, options    string
		header, info, bt bool
	}{
		{"everything", "", true, true, true},
		{"no additional info", "additional_info=false", true, false, true},
		{"no action buttons", "action_buttons=false", true, true, false},
		{"no header", "header=false", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.client()
			tok := ssoToken(t, jwt.MapClaims{"email": "rene@acme.example", "first_name": "Rene"})
			if r := e.get(c, "/auth/sso?"+url.Values{"jwt": {tok}, "return_to": {path + "?" + tt.options}}.Encode()); r.status != http.StatusFound {
				t.Fatalf("GET /auth/sso = %d %s", r.status, r.body)
			}
			r := e.get(c, path+"?"+tt.options, "Sec-Fetch-Dest", "iframe")
			if r.status != 200 {
				t.Fatalf("GET %s = %d", path, r.status)
			}
			got := [3]bool{strings.Contains(r.body, `id="dash-head"`), strings.Contains(r.body, `id="dashboard-info"`), strings.Contains(r.body, `id="dash-actions"`)}
			if want := [3]bool{tt.header, tt.info, tt.bt}; got != want {
				t.Errorf("%s: header, edited info, actions shown = %v, want %v", tt.options, got, want)
			}
			if !strings.Contains(r.body, `id="dash-grid"`) || !strings.Contains(r.body, `id="dash-filters"`) {
				t.Errorf("%s: the grid and the filters must always show", tt.options)
			}
		})
	}
}

func TestNewDashboardForm(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	r := e.postForm(admin, "/dashboard", url.Values{"name": {"  "}, "collection_id": {"0"}})
	if r.status != 400 || !strings.Contains(r.body, "A dashboard needs a name.") || !strings.Contains(r.body, `id="new-dashboard-form"`) {
		t.Errorf("POST /dashboard without a name = %d, want 400 with the form and the message", r.status)
	}
	r = e.postForm(admin, "/dashboard", url.Values{"name": {"Sales Q3"}, "description": {"Numbers"}, "collection_id": {"0"}})
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !regexp.MustCompile(`^/dashboard/\d+-sales-q3#edit$`).MatchString(loc) {
		t.Fatalf("POST /dashboard = %d -> %q, want 303 to /dashboard/ID-sales-q3#edit", r.status, loc)
	}
	if r := e.get(admin, strings.TrimSuffix(loc, "#edit")); r.status != 200 || !strings.Contains(r.body, "Sales Q3") || !strings.Contains(r.body, `id="dash-empty"`) {
		t.Errorf("the new dashboard = %d, want it empty and named", r.status)
	}
}

func TestXrayPageAndLinks(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, _ := invoicesMeta(t, e)
	tests := []struct {
		name, path string
		status     int
		want       string
	}{
		{"x-ray", "/auto/dashboard/table/" + itoa(inv), 200, `A look at your Invoices table`},
		{"save button", "/auto/dashboard/table/" + itoa(inv), 200, `id="xray-save"`},
		{"unknown table", "/auto/dashboard/table/99999", 404, ""},
		{"browse tiles", "/browse/1", 200, `href="/auto/dashboard/table/` + itoa(inv) + `"`},
		{"table view", "/table/" + itoa(inv), 200, `id="table-xray"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(admin, tt.path)
			if r.status != tt.status || !strings.Contains(r.body, tt.want) {
				t.Errorf("GET %s = %d, want %d containing %q", tt.path, r.status, tt.status, tt.want)
			}
		})
	}
	e.settings(map[string]string{sightline.SettingEnableXrays: "false"})
	if r := e.get(admin, "/auto/dashboard/table/"+itoa(inv)); r.status != 404 || !strings.Contains(r.body, "X-rays are turned off") {
		t.Errorf("X-ray with X-rays off = %d, want 404 saying they are off", r.status)
	}
	// With X-rays off the table view offers no X-ray.
	if r := e.get(admin, "/table/"+itoa(inv)); r.status != 200 || strings.Contains(r.body, `id="table-xray"`) || strings.Contains(r.body, "/auto/dashboard/table/") {
		t.Errorf("GET /table/%d with X-rays off = %d, want 200 without the X-ray button", inv, r.status)
	}
	if r := e.get(admin, "/browse/1"); r.status != 200 || strings.Contains(r.body, "/auto/dashboard/table/") {
		t.Errorf("GET /browse/1 with X-rays off = %d, want 200 without X-ray links", r.status)
	}
}

// countingStore is the app database with a count of calls per method, to
// show how many app-database round trips a dashboard load makes.
type countingStore struct {
	*appdb.DB
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingStore) count(name string) {
	c.mu.Lock()
	c.calls[name]++
	c.mu.Unlock()
}

// take returns the calls counted since the last take and resets them.
func (c *countingStore) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.calls
	c.calls = map[string]int{}
	return m
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// newCountingEnv is newEnv over a countingStore.
func newCountingEnv(t *testing.T) (*testEnv, *countingStore) {
	t.Helper()
	db, err := appdb.Open(context.Background(), appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cs := &countingStore{DB: db, calls: map[string]int{}}
	a := app.New(app.Options{Store: cs, Meta: cs, Content: cs, Search: cs})
	t.Cleanup(func() { a.Close() })
	ws, err := New(a, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReady(true)
	srv := httptest.NewServer(ws.Handler())
	t.Cleanup(srv.Close)
	return &testEnv{t: t, srv: srv, db: db, app: a, env: map[string]string{}}, cs
}

// savedXray generates and saves the INVOICES X-ray and returns it loaded.
func savedXray(t *testing.T, e *testEnv, inv int64) *sightline.Dashboard {
	t.Helper()
	r := e.get(e.adminClient, "/api/automagic-dashboards/table/"+itoa(inv))
	if r.status != 200 {
		t.Fatalf("GET X-ray = %d %.300s", r.status, r.body)
	}
	r = e.postJSON(e.adminClient, "/api/dashboard/save", r.body)
	var d sightline.Dashboard
	if err := json.Unmarshal([]byte(r.body), &d); err != nil || d.ID == 0 {
		t.Fatalf("save X-ray = %d %.300s", r.status, r.body)
	}
	r = e.get(e.adminClient, "/api/dashboard/"+itoa(d.ID))
	if err := json.Unmarshal([]byte(r.body), &d); err != nil {
		t.Fatal(err)
	}
	return &d
}

// loadDashboard serves the page and then every card's query as the browser
// would, in process, and returns the server time spent on the cards.
func loadDashboard(tb testing.TB, h http.Handler, cookies []*http.Cookie, d *sightline.Dashboard) time.Duration {
	tb.Helper()
	send := func(method, path, body string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusAccepted {
			tb.Fatalf("%s %s = %d %.300s", method, path, rec.Code, rec.Body.String())
		}
	}
	send("GET", "/dashboard/"+itoa(d.ID), "")
	start := time.Now()
	for _, dc := range d.Cards {
		if dc.CardID != 0 {
			send("POST", fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", d.ID, dc.ID, dc.CardID), `{"parameters": []}`)
		}
	}
	return time.Since(start)
}

// BenchmarkXrayDashboardLoad measures the server time to produce every card
// of the saved INVOICES X-ray on the SQLite Sample Database (ms/dashboard,
// target under 150), and counts the app-database store calls of one load
// (the page and all card queries): appdb-calls/load for the whole X-ray and
// appdb-calls/extra-card, the growth per card against a copy with half the
// cards. Session look-ups (one per HTTP request) are counted apart as
// session-calls/load.
func BenchmarkXrayDashboardLoad(b *testing.B) {
	type fixture struct {
		e    *testEnv
		cs   *countingStore
		full *sightline.Dashboard
	}
	f := benchSetup(b, func(t *testing.T) fixture {
		e, cs := newCountingEnv(t)
		e.t = t
		e.adminClient = e.setup()
		e.withSample()
		inv, _ := invoicesMeta(t, e)
		return fixture{e, cs, savedXray(t, e, inv)}
	})
	e, cs, full := f.e, f.cs, f.full
	half := *full
	var questions []sightline.DashboardCard
	for _, dc := range full.Cards {
		if dc.CardID != 0 {
			questions = append(questions, dc)
		}
	}
	half.Cards = questions[:len(questions)/2]
	body, _ := json.Marshal(map[string]any{"name": "Half X-ray", "dashcards": half.Cards, "parameters": full.Parameters})
	r := e.postJSON(e.adminClient, "/api/dashboard", string(body))
	if err := json.Unmarshal([]byte(r.body), &half); err != nil || half.ID == 0 {
		b.Fatalf("create half dashboard = %d %.300s", r.status, r.body)
	}
	r = e.get(e.adminClient, "/api/dashboard/"+itoa(half.ID))
	json.Unmarshal([]byte(r.body), &half)
	h := e.srv.Config.Handler
	cookies := e.adminClient.Jar.Cookies(mustURL(e.srv.URL))

	// Warm caches (metadata, connections), then count one load of each.
	loadDashboard(b, h, cookies, full)
	loadDashboard(b, h, cookies, &half)
	cs.take()
	loadDashboard(b, h, cookies, full)
	fullCalls := cs.take()
	loadDashboard(b, h, cookies, &half)
	halfCalls := cs.take()
	nFull, nHalf := len(questions), len(half.Cards)
	sessions := fullCalls["SessionUser"]
	delete(fullCalls, "SessionUser")
	delete(halfCalls, "SessionUser")
	b.Logf("%d-card X-ray: app-database calls %v (+%d session look-ups); %d-card copy: %v", nFull, fullCalls, sessions, nHalf, halfCalls)

	b.ResetTimer()
	var spent time.Duration
	for i := 0; i < b.N; i++ {
		spent += loadDashboard(b, h, cookies, full)
	}
	b.ReportMetric(float64(spent.Microseconds())/1000/float64(b.N), "ms/dashboard")
	b.ReportMetric(float64(nFull), "cards")
	b.ReportMetric(float64(total(fullCalls)), "appdb-calls/load")
	b.ReportMetric(float64(total(fullCalls)-total(halfCalls))/float64(nFull-nHalf), "appdb-calls/extra-card")
	b.ReportMetric(float64(sessions), "session-calls/load")
}
func (st *countingStore) CountUsers(ctx context.Context) (int, error) {
	st.count("CountUsers")
	return st.DB.CountUsers(ctx)
}

func (st *countingStore) CreateFirstAdmin(ctx context.Context, u *sightline.User, passwordHash string) error {
	st.count("CreateFirstAdmin")
	return st.DB.CreateFirstAdmin(ctx, u, passwordHash)
}

func (st *countingStore) CreateUser(ctx context.Context, u *sightline.User, passwordHash string, admin bool) error {
	st.count("CreateUser")
	return st.DB.CreateUser(ctx, u, passwordHash, admin)
}

func (st *countingStore) UserByID(ctx context.Context, id int64) (*sightline.User, error) {
	st.count("UserByID")
	return st.DB.UserByID(ctx, id)
}

func (st *countingStore) UserByEmail(ctx context.Context, email string) (*sightline.User, string, error) {
	st.count("UserByEmail")
	return st.DB.UserByEmail(ctx, email)
}

func (st *countingStore) ListUsers(ctx context.Context, query, status string) ([]*sightline.User, error) {
	st.count("ListUsers")
	return st.DB.ListUsers(ctx, query, status)
}

func (st *countingStore) UpdateUser(ctx context.Context, u *sightline.User) error {
	st.count("UpdateUser")
	return st.DB.UpdateUser(ctx, u)
}

func (st *countingStore) SetPassword(ctx context.Context, userID int64, hash string) error {
	st.count("SetPassword")
	return st.DB.SetPassword(ctx, userID, hash)
}

func (st *countingStore) SetUserActive(ctx context.Context, userID int64, active bool) error {
	st.count("SetUserActive")
	return st.DB.SetUserActive(ctx, userID, active)
}

func (st *countingStore) RecordLogin(ctx context.Context, userID int64, at time.Time) error {
	st.count("RecordLogin")
	return st.DB.RecordLogin(ctx, userID, at)
}

func (st *countingStore) Groups(ctx context.Context) ([]sightline.Group, error) {
	st.count("Groups")
	return st.DB.Groups(ctx)
}

func (st *countingStore) CreateGroup(ctx context.Context, g *sightline.Group) error {
	st.count("CreateGroup")
	return st.DB.CreateGroup(ctx, g)
}

func (st *countingStore) SetUserGroups(ctx context.Context, userID int64, add, remove []int64) error {
	st.count("SetUserGroups")
	return st.DB.SetUserGroups(ctx, userID, add, remove)
}

func (st *countingStore) UpdateSSOUser(ctx context.Context, id int64, first, last *string, jwtAttrs map[string]string, at time.Time) error {
	st.count("UpdateSSOUser")
	return st.DB.UpdateSSOUser(ctx, id, first, last, jwtAttrs, at)
}

func (st *countingStore) GroupIDsByName(ctx context.Context) (map[string]int64, error) {
	st.count("GroupIDsByName")
	return st.DB.GroupIDsByName(ctx)
}

func (st *countingStore) CountActiveAdmins(ctx context.Context) (int, error) {
	st.count("CountActiveAdmins")
	return st.DB.CountActiveAdmins(ctx)
}

func (st *countingStore) CreateSession(ctx context.Context, s *sightline.Session, tokenHash, method string) error {
	st.count("CreateSession")
	return st.DB.CreateSession(ctx, s, tokenHash, method)
}

func (st *countingStore) SessionUser(ctx context.Context, tokenHash string) (*sightline.Session, *sightline.User, error) {
	st.count("SessionUser")
	return st.DB.SessionUser(ctx, tokenHash)
}

func (st *countingStore) SetSessionEmbed(ctx context.Context, sessionID int64, embed string) error {
	st.count("SetSessionEmbed")
	return st.DB.SetSessionEmbed(ctx, sessionID, embed)
}

func (st *countingStore) DeleteSession(ctx context.Context, tokenHash string) error {
	st.count("DeleteSession")
	return st.DB.DeleteSession(ctx, tokenHash)
}

func (st *countingStore) Settings(ctx context.Context) (map[string]string, error) {
	st.count("Settings")
	return st.DB.Settings(ctx)
}

func (st *countingStore) SetSettings(ctx context.Context, kv map[string]string) error {
	st.count("SetSettings")
	return st.DB.SetSettings(ctx, kv)
}

func (st *countingStore) Audit(ctx context.Context, userID int64, topic, detailJSON string) error {
	st.count("Audit")
	return st.DB.Audit(ctx, userID, topic, detailJSON)
}

func (st *countingStore) CreateDatabase(ctx context.Context, d *sightline.Database) error {
	st.count("CreateDatabase")
	return st.DB.CreateDatabase(ctx, d)
}

func (st *countingStore) UpdateDatabase(ctx context.Context, d *sightline.Database) error {
	st.count("UpdateDatabase")
	return st.DB.UpdateDatabase(ctx, d)
}

func (st *countingStore) DeleteDatabase(ctx context.Context, id int64) error {
	st.count("DeleteDatabase")
	return st.DB.DeleteDatabase(ctx, id)
}

func (st *countingStore) Database(ctx context.Context, id int64) (*sightline.Database, error) {
	st.count("Database")
	return st.DB.Database(ctx, id)
}

func (st *countingStore) Databases(ctx context.Context) ([]*sightline.Database, error) {
	st.count("Databases")
	return st.DB.Databases(ctx)
}

func (st *countingStore) SetSyncState(ctx context.Context, id int64, status, progress, lastError string, finished time.Time) error {
	st.count("SetSyncState")
	return st.DB.SetSyncState(ctx, id, status, progress, lastError, finished)
}

func (st *countingStore) SaveSync(ctx context.Context, dbID int64, tables []sightline.Table) error {
	st.count("SaveSync")
	return st.DB.SaveSync(ctx, dbID, tables)
}

func (st *countingStore) Tables(ctx context.Context, dbID int64) ([]sightline.Table, error) {
	st.count("Tables")
	return st.DB.Tables(ctx, dbID)
}

func (st *countingStore) Table(ctx context.Context, id int64) (*sightline.Table, error) {
	st.count("Table")
	return st.DB.Table(ctx, id)
}

func (st *countingStore) FieldValues(ctx context.Context, fieldID int64) ([]any, error) {
	st.count("FieldValues")
	return st.DB.FieldValues(ctx, fieldID)
}

func (st *countingStore) UpdateTable(ctx context.Context, id int64, e sightline.TableEdit) error {
	st.count("UpdateTable")
	return st.DB.UpdateTable(ctx, id, e)
}

func (st *countingStore) UpdateField(ctx context.Context, id int64, e sightline.FieldEdit) error {
	st.count("UpdateField")
	return st.DB.UpdateField(ctx, id, e)
}

func (st *countingStore) CreateCollection(ctx context.Context, c *sightline.Collection) error {
	st.count("CreateCollection")
	return st.DB.CreateCollection(ctx, c)
}

func (st *countingStore) Collections(ctx context.Context) ([]*sightline.Collection, error) {
	st.count("Collections")
	return st.DB.Collections(ctx)
}

func (st *countingStore) Collection(ctx context.Context, id int64) (*sightline.Collection, error) {
	st.count("Collection")
	return st.DB.Collection(ctx, id)
}

func (st *countingStore) CollectionByName(ctx context.Context, name string) (*sightline.Collection, error) {
	st.count("CollectionByName")
	return st.DB.CollectionByName(ctx, name)
}

func (st *countingStore) UpdateCollection(ctx context.Context, c *sightline.Collection) error {
	st.count("UpdateCollection")
	return st.DB.UpdateCollection(ctx, c)
}

func (st *countingStore) CollectionItems(ctx context.Context, collectionID int64, archived bool) ([]*sightline.Dashboard, []*sightline.Card, error) {
	st.count("CollectionItems")
	return st.DB.CollectionItems(ctx, collectionID, archived)
}

func (st *countingStore) CreateCard(ctx context.Context, c *sightline.Card) error {
	st.count("CreateCard")
	return st.DB.CreateCard(ctx, c)
}

func (st *countingStore) Card(ctx context.Context, id int64) (*sightline.Card, error) {
	st.count("Card")
	return st.DB.Card(ctx, id)
}

func (st *countingStore) CardsByID(ctx context.Context, ids []int64) (map[int64]*sightline.Card, error) {
	st.count("CardsByID")
	return st.DB.CardsByID(ctx, ids)
}

func (st *countingStore) UpdateCard(ctx context.Context, c *sightline.Card) error {
	st.count("UpdateCard")
	return st.DB.UpdateCard(ctx, c)
}

func (st *countingStore) CreateDashboard(ctx context.Context, d *sightline.Dashboard) error {
	st.count("CreateDashboard")
	return st.DB.CreateDashboard(ctx, d)
}

func (st *countingStore) Dashboard(ctx context.Context, id int64) (*sightline.Dashboard, error) {
	st.count("Dashboard")
	return st.DB.Dashboard(ctx, id)
}

func (st *countingStore) UpdateDashboard(ctx context.Context, d *sightline.Dashboard) error {
	st.count("UpdateDashboard")
	return st.DB.UpdateDashboard(ctx, d)
}

func (st *countingStore) RecordView(ctx context.Context, userID int64, model string, id int64) error {
	st.count("RecordView")
	return st.DB.RecordView(ctx, userID, model, id)
}

func (st *countingStore) SearchContent(ctx context.Context, text string, limit, offset int) ([]sightline.SearchResult, error) {
	st.count("SearchContent")
	return st.DB.SearchContent(ctx, text, limit, offset)
}

func (st *countingStore) ArchivedItems(ctx context.Context) ([]sightline.SearchResult, error) {
	st.count("ArchivedItems")
	return st.DB.ArchivedItems(ctx)
}

func (st *countingStore) RecentViews(ctx context.Context, userID int64, limit int) ([]sightline.RecentView, error) {
	st.count("RecentViews")
	return st.DB.RecentViews(ctx, userID, limit)
}
