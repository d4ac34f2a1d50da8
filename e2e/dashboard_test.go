package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// invoicesFields returns the id of INVOICES and of its fields by name.
func invoicesFields(t *testing.T, s *sightline, c *http.Client) (int64, int64, map[string]int64) {
	t.Helper()
	_, body := apiCall(t, c, "GET", s.URL+"/api/database", "")
	var dbs struct {
		Data []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"data"`
	}
	json.Unmarshal(body, &dbs)
	var db int64
	for _, d := range dbs.Data {
		if d.Name == "Sample Database" {
			db = d.ID
		}
	}
	_, body = apiCall(t, c, "GET", fmt.Sprintf("%s/api/database/%d/metadata", s.URL, db), "")
	var md struct {
		Tables []struct {
			ID     int64  `json:"id"`
			Name   string `json:"name"`
			Fields []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"fields"`
		} `json:"tables"`
	}
	if err := json.Unmarshal(body, &md); err != nil {
		t.Fatalf("metadata: %v", err)
	}
	for _, tb := range md.Tables {
		if tb.Name == "INVOICES" {
			f := map[string]int64{}
			for _, x := range tb.Fields {
				f[x.Name] = x.ID
			}
			return db, tb.ID, f
		}
	}
	t.Fatal("no INVOICES table")
	return 0, 0, nil
}

// savedDashboard is the part of GET /api/dashboard/{id} this test reads.
type savedDashboard struct {
	Name       string `json:"name"`
	Revision   int    `json:"revision"`
	Parameters []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Slug string `json:"slug"`
		Type string `json:"type"`
	} `json:"parameters"`
	Cards []struct {
		ID       int64 `json:"id"`
		CardID   int64 `json:"card_id"`
		Row      int   `json:"row"`
		Col      int   `json:"col"`
		SizeX    int   `json:"size_x"`
		SizeY    int   `json:"size_y"`
		Mappings []struct {
			ParameterID string          `json:"parameter_id"`
			Target      json.RawMessage `json:"target"`
		} `json:"parameter_mappings"`
		VizSettings json.RawMessage `json:"visualization_settings"`
	} `json:"dashcards"`
}

// cardNumbers returns the text of each question card, by title.
func cardNumbers(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	return eval[map[string]string](t, ctx, `Object.fromEntries(Array.from(document.querySelectorAll(".dash-card")).filter((b) => b.querySelector(".dash-card-body"))
		.map((b) => [b.querySelector(".dash-card-title").textContent, b.querySelector(".dash-card-body").textContent.trim()]))`)
}

// TestDashboardByHand builds a dashboard in the browser: two saved
// questions, a text card and a Plan filter wired to both; it resizes a card
// by dragging gridstack's resize handle, saves, reloads and finds the layout
// and the filter intact; ?plan=Premium reproduces the filtered view; and a
// save over someone else's change shows the conflict and keeps the edits.
func TestDashboardByHand(t *testing.T) {
	s, api := startWithSample(t)
	db, inv, f := invoicesFields(t, s, api)
	newCard := func(name, agg string) int64 {
		q := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [%s]}}`, db, inv, agg)
		st, body := apiCall(t, api, "POST", s.URL+"/api/card", `{"name": "`+name+`", "display": "number", "dataset_query": `+q+`}`)
		var c struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(body, &c); st != 200 || c.ID == 0 {
			t.Fatalf("create %s = %d %s", name, st, body)
		}
		return c.ID
	}
	count := newCard("Invoice count", `["count"]`)
	total := newCard("Total payments", fmt.Sprintf(`["sum", ["field", %d, null]]`, f["PAYMENT"]))

	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)

	// + New -> Dashboard opens the new dashboard in edit mode.
	do(t, ctx, chromedp.Navigate(s.URL+"/"), chromedp.Click(chromedp.CSS(".new-menu summary")),
		chromedp.Click(chromedp.CSS(`.new-menu a[href="/dashboard/new"]`)), chromedp.WaitVisible(chromedp.CSS("#new-dashboard-form")),
		chromedp.SendKeys(chromedp.CSS(`#new-dashboard-form input[name="name"]`), "Plans at a glance"))
	submitAndWait(t, ctx, `#new-dashboard-form button[type="submit"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-editing="true"]`)))
	m := regexp.MustCompile(`/dashboard/(\d+)-plans-at-a-glance#edit$`).FindStringSubmatch(location(t, ctx))
	if m == nil {
		t.Fatalf("the new dashboard opened at %s", location(t, ctx))
	}
	id := m[1]

	// Two questions from the picker, then a text card.
	for _, c := range []int64{count, total} {
		do(t, ctx, chromedp.Click(chromedp.CSS("#dash-add-question")),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#dash-picker-list button[data-model="card"][data-id="%d"]`, c))),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`.dash-card[data-card-id="%d"] .dash-card-body[data-state="done"]`, c))))
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#dash-add-text")),
		chromedp.SendKeys(chromedp.CSS(".dash-text textarea.dash-edit-text"), "Invoices by plan, all time."))

	// A Plan filter wired to the PLAN column of both questions.
	target := fmt.Sprintf(`["dimension",["field",%d,null]]`, f["PLAN"])
	do(t, ctx, chromedp.Click(chromedp.CSS("#dash-add-filter")), chromedp.WaitVisible(chromedp.CSS("#dash-filter-name")),
		chromedp.SendKeys(chromedp.CSS("#dash-filter-name"), "Plan"),
		chromedp.WaitVisible(chromedp.CSS(`#dash-filter-mappings select[data-ready="true"]`)))
	n := eval[int](t, ctx, fmt.Sprintf(`(() => { let n = 0; document.querySelectorAll("#dash-filter-mappings select").forEach((s) => { s.value = %q; if (s.value) n++; }); return n; })()`, target))
	if n != 2 {
		t.Fatalf("wired the filter to %d questions, want 2 (are the mapping lists loaded?)", n)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#dash-filter-editor .btn-primary")), chromedp.WaitVisible(chromedp.CSS(`.dash-filter[data-slug="plan"]`)))

	// Resize the first question from 12 to 16 columns by dragging the
	// resize handle in its bottom-right corner.
	box := fmt.Sprintf(`.dash-card[data-card-id="%d"]`, count)
	center := eval[[]float64](t, ctx, fmt.Sprintf(`(() => { const b = document.querySelector(%q); b.scrollIntoView({block: "center"});
		const r = b.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2, document.getElementById("dash-grid").getBoundingClientRect().width / 24]; })()`, box))
	// gridstack shows the handle while the pointer is over the card.
	do(t, ctx, chromedp.MouseEvent(chromedp.MouseMoved, center[0], center[1]), chromedp.Sleep(200*time.Millisecond))
	handle := eval[[]float64](t, ctx, fmt.Sprintf(`(() => { const h = document.querySelector(%q + " .ui-resizable-se"); if (!h) return [];
		const r = h.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`, box))
	if len(handle) != 2 {
		t.Fatal("the card has no resize handle")
	}
	x, y, col := handle[0], handle[1], center[2]
	steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MouseMoved, x, y), chromedp.Sleep(100 * time.Millisecond),
		chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1))}
	for i := 1; i <= 10; i++ {
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, x+col*4*float64(i)/10, y, chromedp.ButtonLeft), chromedp.Sleep(30*time.Millisecond))
	}
	steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, x+col*4, y, chromedp.ButtonLeft, chromedp.ClickCount(1)), chromedp.Sleep(300*time.Millisecond))
	do(t, ctx, steps...)
	if w := eval[int](t, ctx, fmt.Sprintf(`document.querySelector(%q).gridstackNode.w`, box)); w != 16 {
		t.Fatalf("after dragging the resize handle the card is %d columns wide, want 16", w)
	}
	shot(t, ctx, "editing")

	do(t, ctx, chromedp.Click(chromedp.CSS("#dash-save")), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)),
		chromedp.WaitNotPresent(chromedp.CSS("#dashboard-name-input")))
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/dashboard/"+id+"-plans-at-a-glance") {
		t.Errorf("after saving the page is %s", loc)
	}

	// Reload: the layout and the filter are intact.
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)))
	all := waitCards(t, ctx, "#dashboard")
	if all.Drawn != 2 || len(all.Failed) > 0 {
		t.Errorf("after reload: %+v, want both questions drawn", all)
	}
	if style := eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).getAttribute("style")`, box)); !strings.Contains(style, "span 16") {
		t.Errorf("the resized card's box is styled %q, want 16 columns", style)
	}
	if got := text(t, ctx, `.dash-filter[data-slug="plan"] label`); got != "Plan" {
		t.Errorf("filter label = %q, want Plan", got)
	}
	if got := text(t, ctx, ".dash-text .dash-text-body"); got != "Invoices by plan, all time." {
		t.Errorf("text card = %q", got)
	}
	_, body := apiCall(t, api, "GET", s.URL+"/api/dashboard/"+id, "")
	var saved savedDashboard
	if err := json.Unmarshal(body, &saved); err != nil {
		t.Fatal(err)
	}
	if len(saved.Parameters) != 1 || saved.Parameters[0].Slug != "plan" || saved.Parameters[0].Type != "category" || len(saved.Cards) != 3 {
		t.Fatalf("saved dashboard = %s", body)
	}
	for _, c := range saved.Cards {
		switch c.CardID {
		case 0:
			if !strings.Contains(string(c.VizSettings), "Invoices by plan") {
				t.Errorf("text card settings = %s", c.VizSettings)
			}
		default:
			if len(c.Mappings) != 1 || c.Mappings[0].ParameterID != saved.Parameters[0].ID || strings.ReplaceAll(string(c.Mappings[0].Target), " ", "") != target {
				t.Errorf("card %d mappings = %+v, want the Plan filter on PLAN", c.CardID, c.Mappings)
			}
			if c.CardID == count && (c.SizeX != 16 || c.Col != 0) {
				t.Errorf("resized card saved at col %d width %d, want 0 and 16", c.Col, c.SizeX)
			}
		}
	}
	unfiltered := cardNumbers(t, ctx)
	shot(t, ctx, "saved")

	// The URL with ?plan=Premium reproduces the filtered view.
	do(t, ctx, chromedp.Navigate(s.URL+"/dashboard/"+id+"?plan=Premium"), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)))
	if st := waitCards(t, ctx, "#dashboard"); st.Drawn != 2 {
		t.Errorf("filtered view: %+v", st)
	}
	premium := cardNumbers(t, ctx)
	for name, v := range unfiltered {
		if premium[name] == "" || premium[name] == v {
			t.Errorf("%s: %q with ?plan=Premium, %q without; want a different number", name, premium[name], v)
		}
	}
	if v := eval[string](t, ctx, `document.querySelector('.dash-filter[data-slug="plan"] select').value`); v != "Premium" {
		t.Errorf("the Plan filter shows %q, want Premium", v)
	}
	shot(t, ctx, "premium")

	// Choosing Basic in the filter updates the URL and the cards.
	do(t, ctx, chromedp.WaitReady(chromedp.CSS(`.dash-filter[data-slug="plan"] select option[value="Basic"]`)),
		chromedp.SetValue(chromedp.CSS(`.dash-filter[data-slug="plan"] select`), "Basic"))
	eval[bool](t, ctx, `(() => { const s = document.querySelector('.dash-filter[data-slug="plan"] select'); document.getElementById("dashboard").dataset.loaded = "false"; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	waitCards(t, ctx, "#dashboard")
	if loc := location(t, ctx); !strings.HasSuffix(loc, "?plan=Basic") {
		t.Errorf("after choosing Basic the URL is %s", loc)
	}
	if basic := cardNumbers(t, ctx); basic["Invoice count"] == premium["Invoice count"] || basic["Invoice count"] == unfiltered["Invoice count"] {
		t.Errorf("Basic count %q, Premium %q, all %q: want three different numbers", basic["Invoice count"], premium["Invoice count"], unfiltered["Invoice count"])
	}

	// Someone else saves meanwhile: our save shows the conflict and keeps
	// the edits on screen.
	do(t, ctx, chromedp.Click(chromedp.CSS("#dash-edit")), chromedp.WaitVisible(chromedp.CSS("#dashboard-name-input")))
	if st, body := apiCall(t, api, "PUT", s.URL+"/api/dashboard/"+id, fmt.Sprintf(`{"description": "Changed by someone else", "revision": %d}`, saved.Revision)); st != 200 {
		t.Fatalf("concurrent save = %d %s", st, body)
	}
	eval[bool](t, ctx, `(() => { document.getElementById("dashboard-name-input").value = ""; return true; })()`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#dashboard-name-input"), "My new name"),
		chromedp.Click(chromedp.CSS("#dash-save")), chromedp.WaitVisible(chromedp.CSS("#dash-alert:not([hidden])")))
	if msg := text(t, ctx, "#dash-alert"); !strings.Contains(msg, "Someone else changed this dashboard") {
		t.Errorf("conflict message = %q", msg)
	}
	if v := eval[string](t, ctx, `document.getElementById("dashboard-name-input").value`); v != "My new name" {
		t.Errorf("after the conflict the name field holds %q, want the edit kept", v)
	}
	_, body = apiCall(t, api, "GET", s.URL+"/api/dashboard/"+id, "")
	if !strings.Contains(string(body), "Changed by someone else") || strings.Contains(string(body), "My new name") {
		t.Errorf("after the conflict the stored dashboard = %.200s, want the other change kept and ours not saved", body)
	}
	// The browser logs the refused save itself; anything else is a bug.
	for _, e := range console() {
		if !strings.Contains(e, "409 (Conflict)") {
			t.Errorf("console error: %s", e)
		}
	}
}

// tabDashboard creates the Invoice count and Total payments questions and a
// dashboard holding both side by side, and returns the dashboard's id and
// the two question ids.
func tabDashboard(t *testing.T, s *sightline, api *http.Client, params, mapping string) (string, int64, int64) {
	t.Helper()
	db, inv, f := invoicesFields(t, s, api)
	newCard := func(name, agg string) int64 {
		q := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [%s]}}`, db, inv, agg)
		st, body := apiCall(t, api, "POST", s.URL+"/api/card", `{"name": "`+name+`", "display": "number", "dataset_query": `+q+`}`)
		var c struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(body, &c); st != 200 || c.ID == 0 {
			t.Fatalf("create %s = %d %s", name, st, body)
		}
		return c.ID
	}
	count := newCard("Invoice count", `["count"]`)
	total := newCard("Total payments", fmt.Sprintf(`["sum", ["field", %d, null]]`, f["PAYMENT"]))
	maps := func(card int64) string {
		if mapping == "" {
			return "[]"
		}
		return fmt.Sprintf(`[{"parameter_id": "when", "card_id": %d, "target": ["dimension", ["field", %d, null]]}]`, card, f[mapping])
	}
	body := fmt.Sprintf(`{"name": "Tabbed", "parameters": %s, "dashcards": [
		{"card_id": %d, "row": 0, "col": 0, "size_x": 12, "size_y": 4, "parameter_mappings": %s},
		{"card_id": %d, "row": 0, "col": 12, "size_x": 12, "size_y": 4, "parameter_mappings": %s}]}`, params, count, maps(count), total, maps(total))
	st, resp := apiCall(t, api, "POST", s.URL+"/api/dashboard", body)
	var d struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(resp, &d); st != 200 || d.ID == 0 {
		t.Fatalf("create dashboard = %d %s", st, resp)
	}
	return fmt.Sprint(d.ID), count, total
}

// tabbedDashboard is the part of GET /api/dashboard/{id} the tabs test reads.
type tabbedDashboard struct {
	Tabs []struct {
		ID       int64  `json:"id"`
		Name     string `json:"name"`
		Position int    `json:"position"`
	} `json:"tabs"`
	Cards []struct {
		CardID int64 `json:"card_id"`
		TabID  int64 `json:"dashboard_tab_id"`
		Row    int   `json:"row"`
		Col    int   `json:"col"`
		SizeX  int   `json:"size_x"`
		SizeY  int   `json:"size_y"`
	} `json:"dashcards"`
}

// cardTitles lists the titles of the cards on screen.
func cardTitles(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `Array.from(document.querySelectorAll(".dash-card .dash-card-title")).map((a) => a.textContent).sort().join("|")`)
}

// TestDashboardTabs adds tabs to a dashboard without tabs in edit mode:
// the existing cards land in "Tab 1", the new tab is renamed, a card is
// moved to it; after saving, the tabs are links that keep the tab in the
// URL, and ?tab= opens either. Deleting a tab moves its cards to the one
// left, and a dashboard left with one tab has none.
func TestDashboardTabs(t *testing.T) {
	s, api := startWithSample(t)
	id, count, total := tabDashboard(t, s, api, "[]", "")
	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)

	do(t, ctx, chromedp.Navigate(s.URL+"/dashboard/"+id+"#edit"), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-editing="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`.dash-card[data-card-id="%d"] .dash-card-body[data-state="done"]`, total))))
	do(t, ctx, chromedp.Click(chromedp.CSS("#dash-add-tab")), chromedp.WaitVisible(chromedp.CSS(`#dash-tabs .dash-tab.active[data-tab-id="-2"]`)))
	if got := text(t, ctx, "#dash-tabs"); !strings.Contains(got, "Tab 1") || !strings.Contains(got, "Tab 2") {
		t.Errorf("after Add a tab the tabs read %q, want Tab 1 and Tab 2", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#dash-grid .dash-card").length`); n != 0 {
		t.Errorf("the new tab shows %d cards, want none", n)
	}
	if loc := location(t, ctx); !strings.Contains(loc, "?tab=-2") {
		t.Errorf("on the new tab the URL is %s, want ?tab=-2", loc)
	}

	// Rename the new tab, then move Total payments from Tab 1 to it.
	do(t, ctx, chromedp.Click(chromedp.CSS(`.dash-tab[data-tab-id="-2"] .dash-tab-rename`)), chromedp.WaitVisible(chromedp.CSS(".dash-tab-input")))
	eval[bool](t, ctx, `(() => { const i = document.querySelector(".dash-tab-input"); i.value = "Details";
		i.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true})); return true; })()`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.dash-tab[data-tab-id="-2"] .dash-tab-name`)))
	if got := text(t, ctx, `.dash-tab[data-tab-id="-2"] .dash-tab-name`); got != "Details" {
		t.Errorf("renamed tab = %q, want Details", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`.dash-tab[data-tab-id="-1"] .dash-tab-name`)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`.dash-card[data-card-id="%d"] .dash-card-body[data-state="done"]`, total))))
	if got := cardTitles(t, ctx); got != "Invoice count|Total payments" {
		t.Errorf("Tab 1 holds %q, want both questions", got)
	}
	eval[bool](t, ctx, fmt.Sprintf(`(() => { const s = document.querySelector('.dash-card[data-card-id="%d"] select.dash-move'); s.value = "-2";
		s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, total))
	do(t, ctx, chromedp.WaitNotPresent(chromedp.CSS(fmt.Sprintf(`#dash-grid .dash-card[data-card-id="%d"]`, total))))
	shot(t, ctx, "editing")

	do(t, ctx, chromedp.Click(chromedp.CSS("#dash-save")), chromedp.WaitNotPresent(chromedp.CSS("#dash-editbar:not([hidden])")),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="true"]`)))
	if loc := location(t, ctx); !strings.HasSuffix(loc, "-tabbed?tab=1") {
		t.Errorf("after saving on Tab 1 the page is %s, want /dashboard/%s-tabbed?tab=1", loc, id)
	}
	if got := cardTitles(t, ctx); got != "Invoice count" {
		t.Errorf("saved Tab 1 shows %q, want Invoice count", got)
	}
	_, body := apiCall(t, api, "GET", s.URL+"/api/dashboard/"+id, "")
	var saved tabbedDashboard
	if err := json.Unmarshal(body, &saved); err != nil {
		t.Fatal(err)
	}
	if len(saved.Tabs) != 2 || saved.Tabs[0].ID != 1 || saved.Tabs[0].Name != "Tab 1" || saved.Tabs[1].ID != 2 || saved.Tabs[1].Name != "Details" || saved.Tabs[1].Position != 1 {
		t.Errorf("saved tabs = %+v, want 1 Tab 1 and 2 Details", saved.Tabs)
	}
	for _, c := range saved.Cards {
		if want := map[int64]int64{count: 1, total: 2}[c.CardID]; c.TabID != want {
			t.Errorf("question %d saved on tab %d, want %d", c.CardID, c.TabID, want)
		}
	}

	// The Details tab is a link that puts its id in the URL; ?tab=1 leads back.
	submitAndWait(t, ctx, `#dash-tabs a[data-tab-id="2"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="true"]`)))
	if loc := location(t, ctx); !strings.HasSuffix(loc, "?tab=2") {
		t.Errorf("the Details tab opened %s, want ?tab=2", loc)
	}
	if st := waitCards(t, ctx, "#dashboard"); st.Drawn != 1 || cardTitles(t, ctx) != "Total payments" {
		t.Errorf("?tab=2 shows %q (%+v), want Total payments drawn", cardTitles(t, ctx), st)
	}
	shot(t, ctx, "details")
	do(t, ctx, chromedp.Navigate(s.URL+"/dashboard/"+id+"?tab=1"), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="true"]`)))
	if got := cardTitles(t, ctx); got != "Invoice count" {
		t.Errorf("?tab=1 shows %q, want Invoice count", got)
	}

	// Delete Tab 1 from the Details tab: its card moves below Total
	// payments, and with one tab left the dashboard has no tabs.
	do(t, ctx, chromedp.Navigate(s.URL+"/dashboard/"+id+"?tab=2"), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)),
		chromedp.Click(chromedp.CSS("#dash-edit")), chromedp.WaitVisible(chromedp.CSS(`.dash-tab[data-tab-id="1"] .dash-tab-delete`)),
		chromedp.Click(chromedp.CSS(`.dash-tab[data-tab-id="1"] .dash-tab-delete`)), chromedp.WaitNotVisible(chromedp.CSS("#dash-tabs")))
	if got := cardTitles(t, ctx); got != "Invoice count|Total payments" {
		t.Errorf("after deleting Tab 1 the grid holds %q, want both questions", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#dash-save")), chromedp.WaitNotPresent(chromedp.CSS("#dash-editbar:not([hidden])")),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-loaded="true"]`)))
	if loc := location(t, ctx); strings.Contains(loc, "tab=") {
		t.Errorf("after the tabs went the URL is %s, want no tab", loc)
	}
	_, body = apiCall(t, api, "GET", s.URL+"/api/dashboard/"+id, "")
	saved = tabbedDashboard{}
	if err := json.Unmarshal(body, &saved); err != nil {
		t.Fatal(err)
	}
	if len(saved.Tabs) != 0 || len(saved.Cards) != 2 {
		t.Fatalf("after deleting Tab 1: tabs %+v, %d cards; want no tabs and both cards", saved.Tabs, len(saved.Cards))
	}
	a, b := saved.Cards[0], saved.Cards[1]
	if a.Row < b.Row+b.SizeY && b.Row < a.Row+a.SizeY && a.Col < b.Col+b.SizeX && b.Col < a.Col+a.SizeX {
		t.Errorf("the cards overlap: %+v and %+v", a, b)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#dash-tabs").length`); n != 0 {
		t.Errorf("a dashboard without tabs still shows a tab bar")
	}
	for _, e := range console() {
		t.Errorf("console error: %s", e)
	}
}

// TestDenseLineDrill draws line and area charts of 120 days, too many
// for symbols, in the visualization harness, and clicks on the line, on
// the shaded area and on an x-axis label: each click is a drill event for
// the day under it.
func TestDenseLineDrill(t *testing.T) {
	s := startSightline(t, "127.0.0.1", nil)
	ctx := browser(t)
	console := watchConsole(t, ctx)
	do(t, ctx, chromedp.Navigate(vizHarness(t, s)), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	// Each case draws a chart into a fresh box at the top of the page and
	// returns where to click: on the line at day 60, inside the area under
	// day 90 half-way down, and on the label of day 0.
	const draw = `((display, where) => {
		const cols = [{name: "D", display_name: "Day", base_type: "type/Date", source: "breakout", unit: "day"},
			{name: "N", display_name: "Count", base_type: "type/Integer", source: "aggregation"}];
		const rows = [];
		for (let i = 0; i < 120; i++) rows.push([new Date(Date.UTC(2024, 0, 1 + i)).toISOString(), 100 + (i * 37) % 50]);
		const box = document.createElement("div");
		box.id = "case-dense-" + display;
		box.style.cssText = "height: 300px; width: 900px";
		document.body.prepend(box);
		window.scrollTo(0, 0);
		const h = SightlineViz.render(box, {cols, rows}, {display: display, animation: false});
		window.__dense = h;
		const r = box.getBoundingClientRect();
		const at = (i, v) => h.chart.convertToPixel({seriesIndex: 0}, [i, v]);
		let p;
		if (where === "line") p = at(60, rows[60][1]);
		if (where === "area") p = [at(90, 0)[0], (at(90, 0)[1] + at(90, rows[90][1])[1]) / 2];
		if (where === "label") p = [at(0, 0)[0] + 2, at(0, 0)[1] + 14];
		return [r.left + p[0], r.top + p[1], h.chart.getOption().series[0].showSymbol ? 1 : 0];
	})`
	tests := []struct {
		display, where, want string
	}{
		{"line", "line", "2024-03-01T00:00:00.000Z"},
		{"area", "area", "2024-03-31T00:00:00.000Z"},
		{"line", "label", "2024-01-01T00:00:00.000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.display+" "+tt.where, func(t *testing.T) {
			do(t, ctx, chromedp.Evaluate[chromedp.Void](`__drills.length = 0; document.querySelectorAll("[id^=case-dense-]").forEach((e) => e.remove())`))
			p := eval[[]float64](t, ctx, fmt.Sprintf("%s(%q, %q)", draw, tt.display, tt.where))
			if len(p) != 3 || p[2] != 0 {
				t.Fatalf("chart = %v, want a click point and no symbols drawn", p)
			}
			do(t, ctx, chromedp.MouseClickXY(p[0], p[1]))
			var got []drill
			deadline := time.Now().Add(3 * time.Second)
			for len(got) == 0 && time.Now().Before(deadline) {
				got = eval[[]drill](t, ctx, `__drills`)
				time.Sleep(50 * time.Millisecond)
			}
			if len(got) != 1 || len(got[0].Dimensions) != 1 || got[0].Dimensions[0].Value != tt.want || got[0].Column != "N" {
				t.Errorf("click on the %s of a dense %s chart: drills %+v, want one on N for %s", tt.where, tt.display, got, tt.want)
			}
		})
	}
	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}

// TestDateFilterPicker shows a date filter's value in words and sets it
// through the picker: a preset, a count of months, a month of a year and
// a range, each written to the URL in the API's form and narrowing the
// cards without an error.
func TestDateFilterPicker(t *testing.T) {
	s, api := startWithSample(t)
	id, _, _ := tabDashboard(t, s, api, `[{"id": "when", "name": "Received", "slug": "when", "type": "date/all-options"}]`, "DATE_RECEIVED")
	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)

	t.Run("labels", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(s.URL+"/dashboard/"+id), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)))
		tests := []struct{ value, want string }{
			{"past30days", "Previous 30 days"},
			{"past30days~", "Previous 30 days, including today"},
			{"next2weeks", "Next 2 weeks"},
			{"past1months", "Previous month"},
			{"thisweek", "This week"},
			{"lastyear", "Last year"},
			{"today", "Today"},
			{"2024-03", "March 2024"},
			{"Q1-2024", "Q1 2024"},
			{"2024-03-05", "Mar 5, 2024"},
			{"2024-01-01~2024-03-31", "Jan 1, 2024 – Mar 31, 2024"},
			{"2024-01-01~", "On or after Jan 1, 2024"},
			{"~2024-03-31", "On or before Mar 31, 2024"},
			{"2024-13", "2024-13"},
		}
		for _, tt := range tests {
			if got := eval[string](t, ctx, fmt.Sprintf("SightlineDashboard.dateLabel(%q)", tt.value)); got != tt.want {
				t.Errorf("dateLabel(%q) = %q, want %q", tt.value, got, tt.want)
			}
		}
	})

	summary := `.dash-filter[data-slug="when"] summary`
	// pick opens the picker, runs js on it, clicks Apply (or a preset) and
	// returns the URL and the filter's text once the cards have reloaded.
	pick := func(t *testing.T, js, click string) (string, string) {
		t.Helper()
		do(t, ctx, chromedp.Click(chromedp.CSS(summary)), chromedp.WaitVisible(chromedp.CSS(".dash-date-panel .dash-date-apply")))
		eval[bool](t, ctx, `(() => { const p = document.querySelector(".dash-date-panel"); `+js+`; document.getElementById("dashboard").dataset.loaded = "false"; return true; })()`)
		do(t, ctx, chromedp.Click(chromedp.CSS(click)))
		if st := waitCards(t, ctx, "#dashboard"); len(st.Failed) > 0 || st.Drawn+st.Empty != 2 {
			t.Errorf("cards after picking: %+v, want both without errors", st)
		}
		return location(t, ctx), text(t, ctx, summary)
	}
	mode := func(m string) string {
		return fmt.Sprintf(`p.querySelector('.dash-date-mode[data-mode="%s"]').click()`, m)
	}
	set := func(sel, v string) string {
		return fmt.Sprintf(`(() => { const e = p.querySelectorAll(%q)[%s]; e.value = %q; e.dispatchEvent(new Event("change", {bubbles: true})); e.dispatchEvent(new Event("input", {bubbles: true})); })()`,
			strings.Split(sel, "@")[0], strings.Split(sel+"@0", "@")[1], v)
	}
	before := cardNumbers(t, ctx)
	tests := []struct {
		name, js, click, query, label string
	}{
		{"preset", "", `.dash-date-preset[data-value="past30days"]`, "when=past30days", "Previous 30 days"},
		{"previous 18 months", mode("relative") + ";" + set(".dash-date-body select@0", "past") + ";" + set(".dash-date-n", "18") + ";" + set(".dash-date-body select@1", "month"),
			".dash-date-apply", "when=past18months", "Previous 18 months"},
		{"month", mode("month") + ";" + set(".dash-date-body select", "3") + ";" + set(".dash-date-year", "2025"), ".dash-date-apply", "when=2025-03", "March 2025"},
		{"quarter", mode("quarter") + ";" + set(".dash-date-body select", "2") + ";" + set(".dash-date-year", "2025"), ".dash-date-apply", "when=Q2-2025", "Q2 2025"},
		{"range", mode("range") + ";" + set(`.dash-date-body input[type="date"]@0`, "2025-01-01") + ";" + set(`.dash-date-body input[type="date"]@1`, "2025-06-30"),
			".dash-date-apply", "when=2025-01-01~2025-06-30", "Jan 1, 2025 – Jun 30, 2025"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, label := pick(t, tt.js, tt.click)
			if u, _ := url.Parse(loc); u == nil || u.Query().Encode() != tt.query {
				t.Errorf("URL after picking = %s, want ?%s", loc, tt.query)
			}
			if label != tt.label {
				t.Errorf("the filter reads %q, want %q", label, tt.label)
			}
		})
	}
	if after := cardNumbers(t, ctx); after["Invoice count"] == before["Invoice count"] {
		t.Errorf("Invoice count %q with the range, %q without; want the filter to narrow it", after["Invoice count"], before["Invoice count"])
	}
	// Reopening shows the range as set; the URL reproduces the label.
	do(t, ctx, chromedp.Click(chromedp.CSS(summary)), chromedp.WaitVisible(chromedp.CSS(".dash-date-panel .dash-date-apply")))
	if v := eval[string](t, ctx, `document.querySelector('.dash-date-panel input[type="date"]').value`); v != "2025-01-01" {
		t.Errorf("the reopened picker's start = %q, want 2025-01-01", v)
	}
	shot(t, ctx, "picker")
	do(t, ctx, chromedp.Navigate(s.URL+"/dashboard/"+id+"?when=past30days~"), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)))
	if got := text(t, ctx, summary); got != "Previous 30 days, including today" {
		t.Errorf("?when=past30days~ reads %q", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(summary)), chromedp.WaitVisible(chromedp.CSS(".dash-date-panel .dash-date-n")))
	if got := eval[string](t, ctx, `(() => { const p = document.querySelector(".dash-date-panel");
		return [p.querySelector(".dash-date-mode.active").dataset.mode, p.querySelector(".dash-date-n").value, p.querySelector(".dash-date-check input").checked].join("|"); })()`); got != "relative|30|true" {
		t.Errorf("the picker opened on past30days~ shows mode|count|include = %q, want relative|30|true", got)
	}
	shot(t, ctx, "relative")
	for _, e := range console() {
		t.Errorf("console error: %s", e)
	}
}
