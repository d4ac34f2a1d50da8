package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// drillDashboard creates a dashboard over INVOICES with a Plan filter wired
// to three cards that drill: "Payments by month" (a bar chart), "Invoice
// list" (a table) and "Invoice count" (a number), and three with click
// behaviors: "Plans" (cross-filtering), "Accounts" (a URL per account, the
// "Plan details" dashboard per plan) and "Go to the list" (a question). It
// returns the dashboard's id and INVOICES' field ids by name, with the ids
// of "details" (the Plan details dashboard) and "list" (Invoice list).
func drillDashboard(t *testing.T, s *sightline, api *http.Client) (int64, map[string]int64) {
	t.Helper()
	db, inv, f := invoicesFields(t, s, api)
	newCard := func(name, display, query string) int64 {
		q := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d%s}}`, db, inv, query)
		st, body := apiCall(t, api, "POST", s.URL+"/api/card", `{"name": "`+name+`", "display": "`+display+`", "dataset_query": `+q+`}`)
		var c struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(body, &c); st != 200 || c.ID == 0 {
			t.Fatalf("create %s = %d %s", name, st, body)
		}
		return c.ID
	}
	bar := newCard("Payments by month", "bar", fmt.Sprintf(`, "aggregation": [["sum", ["field", %d, null]]], "breakout": [["field", %d, {"temporal-unit": "month"}]]`,
		f["PAYMENT"], f["DATE_RECEIVED"]))
	table := newCard("Invoice list", "table", `, "limit": 20`)
	number := newCard("Invoice count", "scalar", `, "aggregation": [["count"]]`)
	plans := newCard("Plans", "table", fmt.Sprintf(`, "aggregation": [["count"]], "breakout": [["field", %d, null]]`, f["PLAN"]))
	mapping := func(card int64, param string) string {
		return fmt.Sprintf(`[{"parameter_id": %q, "card_id": %d, "target": ["dimension", ["field", %d, null]]}]`, param, card, f["PLAN"])
	}
	create := func(body string) int64 {
		st, resp := apiCall(t, api, "POST", s.URL+"/api/dashboard", body)
		var d struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(resp, &d); st != 200 || d.ID == 0 {
			t.Fatalf("create dashboard = %d %s", st, resp)
		}
		return d.ID
	}
	// The dashboard a click on a plan opens, with that plan in its filter.
	details := create(fmt.Sprintf(`{"name": "Plan details", "parameters": [{"id": "p", "name": "Plan", "slug": "plan_name", "type": "category"}],
		"dashcards": [{"card_id": %d, "row": 0, "col": 0, "size_x": 6, "size_y": 3, "parameter_mappings": %s}]}`, number, mapping(number, "p")))
	// Cards with click behaviors: a plan in "Plans" sets the Plan filter;
	// in "Accounts" an account opens a URL and a plan the details
	// dashboard; "Go to the list" opens the Invoice list question.
	plansClick := `{"click_behavior": {"type": "crossfilter", "parameterMapping": {"plan": {"id": "plan",
		"source": {"id": "PLAN", "name": "Plan", "type": "column"}, "target": {"id": "plan", "type": "parameter"}}}}}`
	accountsClick := fmt.Sprintf(`{"card.title": "Accounts", "column_settings": {
		"[\"name\",\"ACCOUNT_ID\"]": {"click_behavior": {"type": "link", "linkType": "url", "linkTemplate": "/browse?account={{ACCOUNT_ID}}&plan={{plan}}"}},
		"[\"name\",\"PLAN\"]": {"click_behavior": {"type": "link", "linkType": "dashboard", "targetId": %d, "parameterMapping": {"p": {"id": "p",
			"source": {"id": "PLAN", "name": "Plan", "type": "column"}, "target": {"id": "p", "type": "parameter"}}}}}}}`, details)
	listClick := fmt.Sprintf(`{"card.title": "Go to the list", "click_behavior": {"type": "link", "linkType": "question", "targetId": %d}}`, table)
	id := create(fmt.Sprintf(`{"name": "Drilling", "parameters": [{"id": "plan", "name": "Plan", "slug": "plan", "type": "category"}], "dashcards": [
		{"card_id": %d, "row": 0, "col": 0, "size_x": 12, "size_y": 6, "parameter_mappings": %s},
		{"card_id": %d, "row": 0, "col": 12, "size_x": 12, "size_y": 6, "parameter_mappings": %s},
		{"card_id": %d, "row": 6, "col": 0, "size_x": 6, "size_y": 3, "parameter_mappings": %s},
		{"card_id": %d, "row": 6, "col": 6, "size_x": 6, "size_y": 3, "parameter_mappings": %s, "visualization_settings": %s},
		{"card_id": %d, "row": 6, "col": 12, "size_x": 12, "size_y": 6, "parameter_mappings": %s, "visualization_settings": %s},
		{"card_id": %d, "row": 9, "col": 0, "size_x": 6, "size_y": 3, "parameter_mappings": %s, "visualization_settings": %s},
		{"row": 12, "col": 0, "size_x": 12, "size_y": 3, "visualization_settings": {"virtual_card": {"display": "text"},
			"text": "# Plan {{plan}}\nRead **[the guide](https://example.com/guide)** or [this](javascript:alert(1)) <b>raw</b>\n- one *item*"}}]}`,
		bar, mapping(bar, "plan"), table, mapping(table, "plan"), number, mapping(number, "plan"),
		plans, mapping(plans, "plan"), plansClick, table, mapping(table, "plan"), accountsClick, number, mapping(number, "plan"), listClick))
	f["details"], f["list"] = details, table
	return id, f
}

// drilled is the ad-hoc question a drill opened, read from the page URL,
// and its whole result run through /api/dataset.
type drilled struct {
	Query   map[string]any `json:"query"`
	Display string         `json:"display"`
	Cols    []string       `json:"cols"`
	Rows    [][]any        `json:"rows"`
	Error   string         `json:"error"`
}

// readDrilled waits for the question page a drill opened and returns its
// question and result.
func readDrilled(t *testing.T, ctx context.Context) drilled {
	t.Helper()
	waitTrue(t, ctx, `location.pathname === "/question" && document.readyState === "complete" && !!document.querySelector("#viz[data-display]")`)
	return run(t, ctx, chromedp.Evaluate[drilled](`(async () => {
		const q = new URLSearchParams(location.search).get("q").replace(/-/g, "+").replace(/_/g, "/");
		const state = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(q + "===".slice((q.length + 3) % 4)), c => c.charCodeAt(0))));
		const res = await fetch("/api/dataset", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(state.dataset_query)});
		const body = await res.json();
		if (!res.ok) return {query: state.dataset_query.query, display: state.display, cols: [], rows: [], error: body.message || String(res.status)};
		return {query: state.dataset_query.query, display: state.display, cols: body.data.cols.map(c => c.name), rows: body.data.rows, error: ""};
	})()`, chromedp.EvalAwaitPromise))
}

// column returns the values of the named column of a drilled result.
func (d drilled) column(name string) []any {
	i := -1
	for k, c := range d.Cols {
		if c == name {
			i = k
		}
	}
	var out []any
	if i < 0 {
		return out
	}
	for _, r := range d.Rows {
		out = append(out, r[i])
	}
	return out
}

// distinct lists the distinct values of vs as text.
func distinct(vs []any) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range vs {
		s := fmt.Sprint(v)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// openDrillDashboard opens the dashboard filtered to the Premium plan and
// waits for its cards.
func openDrillDashboard(t *testing.T, ctx context.Context, base string, id int64) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/dashboard/%d?plan=Premium", base, id)))
	if st := waitCards(t, ctx, "#dashboard"); st.Drawn != 6 || len(st.Failed) > 0 {
		t.Fatalf("dashboard cards: %+v, want 6 drawn", st)
	}
}

// cardSel is the CSS selector of the dashboard card titled title.
func cardSel(t *testing.T, ctx context.Context, title string) string {
	t.Helper()
	find := fmt.Sprintf(`(() => { const c = [...document.querySelectorAll(".dash-card")].find((c) => {
		const h = c.querySelector(".dash-card-title"); return h && h.textContent.trim() === %q; }); return c ? c.id : ""; })()`, title)
	// A dashboard leaving edit mode draws its cards again: wait for the
	// card rather than read the grid while it is being rebuilt.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if id := eval[string](t, ctx, find); id != "" {
			return "#" + id
		}
		if time.Now().After(deadline) {
			t.Fatalf("no card titled %q", title)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDashboardDrillThrough drills from three kinds of dashboard card with
// the Plan filter set to Premium: the number opens its underlying invoices,
// as many as it counts and all Premium; a bar of the chart zooms into its
// month by week, still Premium; a table cell filters by its value. Each
// drilled question carries the dashboard's filter as a filter of its own.
func TestDashboardDrillThrough(t *testing.T) {
	s, api := startWithSample(t)
	id, f := drillDashboard(t, s, api)
	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)
	planFilter := fmt.Sprintf(`["=",["field",%d,null],"Premium"]`, f["PLAN"])

	t.Run("number", func(t *testing.T) {
		openDrillDashboard(t, ctx, s.URL, id)
		card := cardSel(t, ctx, "Invoice count")
		count := text(t, ctx, card+" .viz-scalar-value")
		do(t, ctx, chromedp.Click(chromedp.CSS(card+" .viz-scalar-value")), chromedp.WaitVisible(chromedp.CSS("#drill-menu #drill-underlying")))
		shot(t, ctx, "drill-number-menu")
		if head := text(t, ctx, "#drill-menu .drill-head"); !strings.Contains(head, "Count") {
			t.Errorf("drill menu heading = %q, want the clicked count", head)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS("#drill-underlying")))
		d := readDrilled(t, ctx)
		if d.Error != "" || d.Display != "table" {
			t.Fatalf("View these records opened %+v", d)
		}
		if got := fmt.Sprint(len(d.Rows)); strings.ReplaceAll(count, ",", "") != got {
			t.Errorf("View these records from the number %s shows %s rows, want as many", count, got)
		}
		if plans := distinct(d.column("PLAN")); len(plans) != 1 || plans[0] != "Premium" {
			t.Errorf("the underlying invoices' plans = %v, want Premium only", plans)
		}
		if got, _ := json.Marshal(d.Query["filter"]); string(got) != planFilter {
			t.Errorf("the drilled question's filter = %s, want the dashboard's %s", got, planFilter)
		}
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="table"] table`)))
		shot(t, ctx, "drill-number-records")
	})

	t.Run("bar", func(t *testing.T) {
		openDrillDashboard(t, ctx, s.URL, id)
		card := cardSel(t, ctx, "Payments by month")
		p := eval[[]any](t, ctx, `(() => {
			const c = echarts.getInstanceByDom(document.querySelector("`+card+` .viz-chart"));
			c.getDom().scrollIntoView({block: "center"});
			const o = c.getOption();
			const i = 2;
			const v = o.series[0].data[i];
			const top = c.convertToPixel({seriesIndex: 0}, [i, Array.isArray(v) ? v[1] : (v && v.value !== undefined ? v.value : v)]);
			const base = c.convertToPixel({seriesIndex: 0}, [i, 0]);
			const r = c.getDom().getBoundingClientRect();
			return [r.left + top[0], r.top + (top[1] + base[1]) / 2, o.xAxis[0].data[i]];
		})()`)
		if len(p) != 3 {
			t.Fatalf("bar position = %v", p)
		}
		do(t, ctx, chromedp.MouseClickXY(p[0].(float64), p[1].(float64)), chromedp.WaitVisible(chromedp.CSS("#drill-menu #drill-zoom")))
		items := eval[string](t, ctx, `[...document.querySelectorAll("#drill-menu .drill-item")].map((b) => b.textContent).join(", ")`)
		if items != "View these records, Zoom in, Break out by…" {
			t.Errorf("drill menu of a bar = %q, want records, zoom and break out", items)
		}
		shot(t, ctx, "drill-bar-menu")
		do(t, ctx, chromedp.Click(chromedp.CSS("#drill-zoom")))
		d := readDrilled(t, ctx)
		if d.Error != "" || len(d.Rows) == 0 {
			t.Fatalf("Zoom in opened %+v", d)
		}
		if got, _ := json.Marshal(d.Query["breakout"]); string(got) != fmt.Sprintf(`[["field",%d,{"temporal-unit":"week"}]]`, f["DATE_RECEIVED"]) {
			t.Errorf("zoomed breakout = %s, want Date Received by week", got)
		}
		filter, _ := json.Marshal(d.Query["filter"])
		if !strings.Contains(string(filter), planFilter) || !strings.Contains(string(filter), `"between"`) {
			t.Errorf("zoomed filter = %s, want the dashboard's Plan and the clicked month", filter)
		}
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#viz canvas`)))
		shot(t, ctx, "drill-bar-zoom")
	})

	t.Run("table cell", func(t *testing.T) {
		openDrillDashboard(t, ctx, s.URL, id)
		card := cardSel(t, ctx, "Invoice list")
		// The cell of the ACCOUNT_ID column in the first row.
		cell := eval[string](t, ctx, `(() => {
			const ths = [...document.querySelectorAll("`+card+` thead th")];
			const i = ths.findIndex((th) => th.textContent.trim().startsWith("Account"));
			const td = document.querySelector("`+card+` tbody tr:first-child").children[i];
			td.scrollIntoView({block: "center"});
			td.id = "drill-cell";
			return td.textContent.trim();
		})()`)
		do(t, ctx, chromedp.Click(chromedp.CSS("#drill-cell")), chromedp.WaitVisible(chromedp.CSS("#drill-menu #drill-filter")))
		shot(t, ctx, "drill-cell-menu")
		do(t, ctx, chromedp.Click(chromedp.CSS("#drill-filter")))
		d := readDrilled(t, ctx)
		if d.Error != "" || len(d.Rows) == 0 {
			t.Fatalf("Filter by this value opened %+v", d)
		}
		if accounts := distinct(d.column("ACCOUNT_ID")); len(accounts) != 1 || accounts[0] != cell {
			t.Errorf("filtered by account %s: accounts %v, want that one only", cell, accounts)
		}
		if plans := distinct(d.column("PLAN")); len(plans) != 1 || plans[0] != "Premium" {
			t.Errorf("filtered by account %s: plans %v, want Premium only", cell, plans)
		}
	})
	t.Run("text card", func(t *testing.T) {
		openDrillDashboard(t, ctx, s.URL, id)
		const read = `(() => { const b = document.querySelector(".dash-text .dash-text-body");
			return [b.querySelector("h3") ? b.querySelector("h3").textContent : "",
				[...b.querySelectorAll("a")].map((a) => a.getAttribute("href") + " " + a.textContent).join("|"),
				b.querySelectorAll("b, script").length + " " + b.querySelectorAll("strong, em, li").length,
				b.querySelector("p") ? b.querySelector("p").textContent : ""]; })()`
		got := eval[[]string](t, ctx, read)
		want := []string{"Plan Premium", "https://example.com/guide the guide", "0 3", "Read the guide or [this](javascript:alert(1)) <b>raw</b>"}
		if strings.Join(got, " / ") != strings.Join(want, " / ") {
			t.Errorf("the text card = %q, want %q", got, want)
		}
		choose(t, ctx, `.dash-filter[data-slug="plan"] select`, "Basic")
		waitTrue(t, ctx, `document.querySelector(".dash-text h3").textContent === "Plan Basic"`)
	})

	t.Run("download", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: "allow", DownloadPath: dir}); err != nil {
			t.Fatalf("allow downloads: %v", err)
		}
		openDrillDashboard(t, ctx, s.URL, id)
		card := cardSel(t, ctx, "Plans")
		do(t, ctx, chromedp.Click(chromedp.CSS(card+" .dash-download summary")), chromedp.WaitVisible(chromedp.CSS(card+` .dash-download button[data-format="csv"]`)),
			chromedp.Click(chromedp.CSS(card+` .dash-download button[data-format="csv"]`)))
		var got string
		deadline := time.Now().Add(15 * time.Second)
		for got == "" && time.Now().Before(deadline) {
			files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
			if len(files) == 1 {
				b, _ := os.ReadFile(files[0])
				got = string(b)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(got, "\r", "")), "\n"); len(lines) != 2 || lines[0] != "Plan,Count" || !strings.HasPrefix(lines[1], "Premium,") {
			t.Errorf("the Plans card's CSV with the Plan filter on Premium = %q, want its header and the Premium row only", got)
		}
	})

	t.Run("click behavior editor", func(t *testing.T) {
		openDrillDashboard(t, ctx, s.URL, id)
		card := cardSel(t, ctx, "Invoice count")
		do(t, ctx, chromedp.Click(chromedp.CSS("#dash-edit")), chromedp.WaitVisible(chromedp.CSS(card+" .dash-click-edit")),
			chromedp.Click(chromedp.CSS(card+" .dash-click-edit")), chromedp.WaitVisible(chromedp.CSS("#dash-click-kind")))
		choose(t, ctx, "#dash-click-kind", "url")
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#dash-click-url"), "javascript:alert(1)"),
			chromedp.Click(chromedp.CSS(`#dash-click-editor .btn-primary`)))
		if msg := text(t, ctx, "#dash-click-editor .dash-card-error"); msg != "The URL must start with http://, https:// or /." {
			t.Errorf("a javascript: URL in the editor says %q, want it refused", msg)
		}
		do(t, ctx, chromedp.SetValue(chromedp.CSS("#dash-click-url"), "https://crm.example/plans?n={{count}}&plan={{plan}}"),
			chromedp.Click(chromedp.CSS(`#dash-click-editor .btn-primary`)), chromedp.WaitNotVisible(chromedp.CSS("#dash-click-editor")))
		shot(t, ctx, "click-editor-done")
		do(t, ctx, chromedp.Click(chromedp.CSS("#dash-save")))
		waitTrue(t, ctx, `!document.querySelector('#dashboard[data-editing="true"]') && !!document.querySelector('#dashboard[data-loaded="true"]')`)
		_, body := apiCall(t, api, "GET", fmt.Sprintf("%s/api/dashboard/%d", s.URL, id), "")
		var d savedDashboard
		json.Unmarshal(body, &d)
		var got []string
		for _, c := range d.Cards {
			if strings.Contains(string(c.VizSettings), "crm.example") {
				got = append(got, string(c.VizSettings))
			}
		}
		want := `{"click_behavior":{"type":"link","linkType":"url","linkTemplate":"https://crm.example/plans?n={{count}}\u0026plan={{plan}}"}}`
		if len(got) != 1 || got[0] != want {
			t.Errorf("saved click behaviors = %v, want one card with %s", got, want)
		}
	})
	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}

// TestEmbeddedSandboxedDrill drills inside the sample host app's iframe,
// opened with top_nav=false and logo=false, as Rene of Customer Acme, whose
// INVOICES are sandboxed to his account (28): View these records from the
// dashboard's count opens his 22 invoices only, and the question page keeps
// the frame's hidden top bar and logo.
func TestEmbeddedSandboxedDrill(t *testing.T) {
	const secret = "3f1a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3b"
	s, client := startWithSample(t)
	id, f := drillDashboard(t, s, client)
	_, inv, _ := invoicesFields(t, s, client)
	site, host := tlsSite(t, s)

	api := &adminAPI{t: t, base: s.URL}
	api.signIn(adminEmail, adminPassword)
	var graph struct {
		Revision int `json:"revision"`
	}
	json.Unmarshal(api.call("GET", "/api/permissions/graph", nil), &graph)
	api.call("PUT", "/api/permissions/graph", json.RawMessage(fmt.Sprintf(`{"revision": %d, "groups": {"1": {"1": {"view-data": "legacy-no-self-service", "create-queries": "no", "download": {"schemas": "none"}}}}}`, graph.Revision)))
	json.Unmarshal(api.call("GET", "/api/collection/graph", nil), &graph)
	api.call("PUT", "/api/collection/graph", json.RawMessage(fmt.Sprintf(`{"revision": %d, "groups": {"1": {"root": "read"}}}`, graph.Revision)))
	var group struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal(api.call("POST", "/api/permissions/group", map[string]string{"name": "Customer Acme"}), &group)
	api.call("POST", "/api/mt/gtap", json.RawMessage(fmt.Sprintf(`{"group_id": %d, "table_id": %d, "card_id": null,
		"attribute_remappings": {"account_id": ["dimension", ["field", %d, null]]}}`, group.ID, inv, f["ACCOUNT_ID"])))
	dashPath := fmt.Sprintf("/dashboard/%d", id)
	api.put(map[string]any{
		"site-url":                          site,
		"jwt-shared-secret":                 secret,
		"jwt-identity-provider-uri":         host + "/sso/sightline",
		"jwt-enabled":                       true,
		"jwt-group-sync":                    true,
		"jwt-group-mappings":                map[string][]int64{"Customer-Acme": {group.ID}},
		"enable-embedding-interactive":      true,
		"embedding-app-origins-interactive": host,
		"session-cookie-samesite":           "none",
	})
	start(t, build(t, "cmd/hostapp"), map[string]string{"HOSTAPP_ADDR": strings.TrimPrefix(host, "http://"),
		"SIGHTLINE_SITE_URL": site, "SIGHTLINE_JWT_SHARED_SECRET": secret, "SIGHTLINE_DASHBOARD_PATH": dashPath})
	waitHealthy(t, host+"/login")

	ctx := browser(t, chromedp.Flag("ignore-certificate-errors", true))
	console := watchConsole(t, ctx)
	do(t, ctx, chromedp.Navigate(host+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "rene@acme.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo-password"))
	submitAndWait(t, ctx, "#signin")
	do(t, ctx, chromedp.Navigate(host+"/analytics?hide_ui=true"), chromedp.WaitVisible(chromedp.CSS("iframe#sightline")))
	frame := frameCtx(t, ctx, site+dashPath)
	if st := waitCards(t, frame, "#dashboard"); st.Drawn != 6 || len(st.Failed) > 0 {
		t.Fatalf("Rene's dashboard cards: %+v, want 6 drawn", st)
	}
	card := cardSel(t, frame, "Invoice count")
	if got := text(t, frame, card+" .viz-scalar-value"); got != "22" {
		t.Errorf("Rene's Invoice count = %q, want 22 (account 28 only)", got)
	}
	eval[bool](t, frame, `(() => { document.querySelector("`+card+` .viz-scalar-value").click(); return true; })()`)
	waitTrue(t, frame, `!!document.querySelector("#drill-menu #drill-underlying")`)
	shot(t, ctx, "embedded-drill-menu")
	eval[bool](t, frame, `(() => { document.getElementById("drill-underlying").click(); return true; })()`)
	d := readDrilled(t, frame)
	if d.Error != "" || len(d.Rows) != 22 {
		t.Errorf("Rene's View these records = %d rows (error %q), want his 22", len(d.Rows), d.Error)
	}
	if accounts := distinct(d.column("ACCOUNT_ID")); len(accounts) != 1 || accounts[0] != "28" {
		t.Errorf("Rene's drilled invoices' accounts = %v, want 28 only", accounts)
	}
	waitTrue(t, frame, `document.querySelectorAll("#viz table tbody tr").length > 0`)
	if got := text(t, frame, "#row-count"); got != "Showing 22 rows" {
		t.Errorf("the drilled question says %q, want Showing 22 rows", got)
	}
	for _, sel := range []string{"#topbar", "#logo"} {
		if n := eval[int](t, frame, `document.querySelectorAll("`+sel+`").length`); n != 0 {
			t.Errorf("after drilling inside the frame opened with top_nav=false, %s is shown again", sel)
		}
	}
	shot(t, ctx, "embedded-drill-records")
	noTopBar := func(where string) {
		t.Helper()
		for _, sel := range []string{"#topbar", "#logo"} {
			if n := eval[int](t, frame, `document.querySelectorAll("`+sel+`").length`); n != 0 {
				t.Errorf("%s inside the frame opened with top_nav=false, %s is shown again", where, sel)
			}
		}
	}
	// back opens the dashboard again inside the frame and returns the
	// selector of the cell of column col (by header) in the first row of
	// the card titled title.
	back := func(title, col string) string {
		t.Helper()
		// The mark tells the page being left from the new one.
		eval[bool](t, frame, `(() => { window.__left = true; location.href = "`+dashPath+`"; return true; })()`)
		waitTrue(t, frame, `!window.__left && location.pathname === "`+dashPath+`" && !!document.querySelector('#dashboard[data-loaded="true"]')`)
		card := cardSel(t, frame, title)
		waitTrue(t, frame, `(() => { const ths = [...document.querySelectorAll("`+card+` thead th")];
			const i = ths.findIndex((th) => th.textContent.trim() === "`+col+`");
			const tr = document.querySelector("`+card+` tbody tr");
			if (i < 0 || !tr) return false;
			tr.children[i].id = "click-cell";
			return true; })()`)
		return "#click-cell"
	}

	// Cross-filtering: a plan in "Plans" sets the dashboard's Plan filter.
	cell := back("Plans", "Plan")
	eval[bool](t, frame, `(() => { document.querySelector("`+cell+`").click(); return true; })()`)
	waitTrue(t, frame, `new URLSearchParams(location.search).get("plan") === "Basic" && document.querySelector('.dash-filter[data-slug="plan"] select').value === "Basic"`)
	shot(t, ctx, "embedded-crossfilter")

	// A URL template: an account in "Accounts" opens /browse with the
	// account and the Plan filter's value, URL-encoded.
	cell = back("Accounts", "Account ID")
	eval[bool](t, frame, `(() => { document.querySelector("`+cell+`").click(); return true; })()`)
	waitTrue(t, frame, `location.pathname === "/browse" && document.readyState === "complete"`)
	if got := eval[string](t, frame, `location.search`); got != "?account=28&plan=Basic" {
		t.Errorf("the URL click behavior opened /browse%s, want ?account=28&plan=Basic (the Plan filter kept from the cross-filter)", got)
	}
	noTopBar("after a URL click behavior")

	// Another dashboard: a plan in "Accounts" opens Plan details with the
	// plan in its filter.
	cell = back("Accounts", "Plan")
	eval[bool](t, frame, `(() => { document.querySelector("`+cell+`").click(); return true; })()`)
	details := fmt.Sprintf("/dashboard/%d", f["details"])
	waitTrue(t, frame, `location.pathname === "`+details+`" && !!document.querySelector('#dashboard[data-loaded="true"]')`)
	if got := eval[string](t, frame, `location.search + " " + document.querySelector('.dash-filter[data-slug="plan_name"] select').value`); got != "?plan_name=Basic Basic" {
		t.Errorf("the dashboard click behavior opened %s with filter %q, want ?plan_name=Basic set to Basic", details, got)
	}
	noTopBar("after a dashboard click behavior")
	shot(t, ctx, "embedded-click-dashboard")

	// A saved question: "Go to the list" opens Invoice list.
	back("Plans", "Plan")
	eval[bool](t, frame, `(() => { document.querySelector("`+cardSel(t, frame, "Go to the list")+` .viz-scalar-value").click(); return true; })()`)
	waitTrue(t, frame, fmt.Sprintf(`location.pathname.startsWith("/question/%d") && !!document.querySelector("#viz table")`, f["list"]))
	noTopBar("after a question click behavior")
	shot(t, ctx, "embedded-click-question")
	for _, m := range console() {
		// The host app serves no favicon; its own page is not under test.
		if !strings.Contains(m, host+"/favicon.ico") {
			t.Errorf("browser console: %s", m)
		}
	}
}

// tlsSite puts Sightline behind a TLS reverse proxy on https://127.0.0.1
// and returns that site and the address for the host app on
// http://localhost (another site).
func tlsSite(t *testing.T, s *sightline) (site, host string) {
	t.Helper()
	target, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewTLSServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Host = pr.In.Host
	}})
	t.Cleanup(proxy.Close)
	return proxy.URL, fmt.Sprintf("http://localhost:%d", freePort(t))
}
