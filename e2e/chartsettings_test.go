package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// chartSummary reads what the question page's chart draws from its ECharts
// instance: categories, axis titles, series and how the y axis writes a
// value, with the y axis's tick interval.
const chartSummary = `(() => {
	const box = document.querySelector("#viz .viz-chart");
	const c = box && echarts.getInstanceByDom(box);
	if (!c) return "";
	const o = c.getOption();
	const y = o.yAxis[0];
	return JSON.stringify({
		x: o.xAxis[0].data, xName: o.xAxis[0].name, yName: y.name,
		series: o.series.map((s) => ({name: s.name, type: s.type, data: s.data})),
		interval: y.interval === undefined ? null : y.interval,
		label: y.axisLabel.formatter(12.34),
	});
})()`

// summary is chartSummary decoded.
type summary struct {
	X      []string `json:"x"`
	XName  string   `json:"xName"`
	YName  string   `json:"yName"`
	Series []struct {
		Name string    `json:"name"`
		Type string    `json:"type"`
		Data []float64 `json:"data"`
	} `json:"series"`
	Interval *float64 `json:"interval"`
	Label    string   `json:"label"`
}

func readChart(t *testing.T, raw string) summary {
	t.Helper()
	var s summary
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatalf("chart summary %q: %v", raw, err)
	}
	return s
}

// TestChartSettings charts a SQL result, changes its y axis, axis titles
// and number formatting in the Settings sidebar, saves the question and
// reloads it to see the same chart; a card created through the API with
// the saved visualization_settings draws the same chart too.
func TestChartSettings(t *testing.T) {
	sa := startSignedIn(t)
	s, ctx, console := sa.s, sa.ctx, sa.console
	db := sa.db

	const sql = "SELECT PLAN, COUNT(*) AS invoices, SUM(PAYMENT) AS revenue FROM INVOICES GROUP BY PLAN ORDER BY PLAN"
	do(t, ctx, chromedp.Navigate(s.URL+"/question/new?type=native"), chromedp.WaitVisible(chromedp.CSS("#sql-text")),
		chromedp.SendKeys(chromedp.CSS("#sql-text"), sql),
		chromedp.Click(chromedp.CSS("#visualize")), chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="table"] td`)))

	// A bar chart of the SQL result picks its axes: the text column as x,
	// both amounts as metrics.
	pick(t, ctx, "#viz-picker", "bar")
	waitJS(t, ctx, chartSummary+` !== ""`)
	got := readChart(t, eval[string](t, ctx, chartSummary))
	if diff := cmp.Diff([]string{"Basic", "Business", "Premium"}, got.X); diff != "" {
		t.Errorf("default x axis of the SQL result (-want +got):\n%s", diff)
	}
	if len(got.Series) != 2 || got.Series[0].Name != "Invoices" || got.Series[1].Name != "Revenue" {
		t.Errorf("default metrics of the SQL result = %+v, want Invoices and Revenue", got.Series)
	}

	// The Settings sidebar: only invoices on the y axis (a count: whole
	// ticks), then only revenue with titles and a number format.
	do(t, ctx, chromedp.Click(chromedp.CSS("#viz-settings-button")), chromedp.WaitVisible(chromedp.CSS(`#viz-settings input[name="graph.metrics"][value="revenue"]`)),
		chromedp.Click(chromedp.CSS(`#viz-settings input[name="graph.metrics"][value="revenue"]`)))
	waitJS(t, ctx, `JSON.parse(`+chartSummary+` || "{}").series.length === 1`)
	got = readChart(t, eval[string](t, ctx, chartSummary))
	if got.Series[0].Name != "Invoices" || got.Interval == nil || *got.Interval < 1 || *got.Interval != float64(int(*got.Interval)) {
		t.Errorf("invoices alone: series %q with tick interval %v, want Invoices with a whole interval", got.Series[0].Name, got.Interval)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#viz-settings input[name="graph.metrics"][value="revenue"]`)))
	waitJS(t, ctx, `JSON.parse(`+chartSummary+` || "{}").series.length === 2`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`#viz-settings input[name="graph.metrics"][value="invoices"]`)))
	waitJS(t, ctx, `JSON.parse(`+chartSummary+` || "{}").series[0].name === "Revenue"`)
	typeInto(t, ctx, `#viz-settings input[name="graph.x_axis.title_text"]`, "Plan billed")
	typeInto(t, ctx, `#viz-settings input[name="graph.y_axis.title_text"]`, "Revenue (USD)")
	pick(t, ctx, `#viz-settings select[name="format-column"]`, "revenue")
	pick(t, ctx, `#viz-settings select[name="column:number_style"]`, "currency")
	waitJS(t, ctx, `document.querySelector('#viz-settings input[name="column:currency"]')`)
	typeInto(t, ctx, `#viz-settings input[name="column:currency"]`, "EUR")
	typeInto(t, ctx, `#viz-settings input[name="column:decimals"]`, "0")
	waitJS(t, ctx, `JSON.parse(`+chartSummary+` || "{}").label === "€12"`)
	edited := readChart(t, eval[string](t, ctx, chartSummary))
	if edited.XName != "Plan billed" || edited.YName != "Revenue (USD)" || edited.Label != "€12" || len(edited.Series) != 1 {
		t.Errorf("after the settings: x %q, y %q, label %q, %d series; want Plan billed, Revenue (USD), €12 and one series",
			edited.XName, edited.YName, edited.Label, len(edited.Series))
	}
	shot(t, ctx, "chart-settings")

	// Save, then reload the saved question: the same chart.
	do(t, ctx, chromedp.Click(chromedp.CSS("#save-button")), chromedp.WaitVisible(chromedp.CSS("#save-name")))
	run(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#save-name").value = ""; true`))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#save-name"), "Revenue by plan"))
	submitAndWait(t, ctx, "#save-submit")
	waitJS(t, ctx, `/\/question\/\d+/.test(location.pathname)`)
	saved := location(t, ctx)
	do(t, ctx, chromedp.Navigate(saved))
	waitJS(t, ctx, chartSummary+` !== ""`)
	if diff := cmp.Diff(edited, readChart(t, eval[string](t, ctx, chartSummary))); diff != "" {
		t.Errorf("the saved question reloaded draws another chart (-before +after):\n%s", diff)
	}

	// The stored settings use the vendor's keys.
	id := regexp.MustCompile(`/question/(\d+)`).FindStringSubmatch(saved)[1]
	jar, _ := cookiejar.New(nil)
	a := &questionAPI{t: t, base: s.URL, c: &http.Client{Jar: jar}}
	if res, err := a.c.Post(s.URL+"/api/session", "application/json", strings.NewReader(fmt.Sprintf(`{"email": %q, "password": %q}`, signedInEmail, signedInPassword))); err != nil {
		t.Fatal(err)
	} else {
		res.Body.Close()
	}
	var card struct {
		Display  string         `json:"display"`
		Settings map[string]any `json:"visualization_settings"`
	}
	a.get("/api/card/"+id, &card)
	wantSettings := map[string]any{
		"graph.dimensions":        []any{"PLAN"},
		"graph.metrics":           []any{"revenue"},
		"graph.x_axis.title_text": "Plan billed",
		"graph.y_axis.title_text": "Revenue (USD)",
		"column_settings":         map[string]any{`["name","revenue"]`: map[string]any{"number_style": "currency", "currency": "EUR", "decimals": float64(0)}},
	}
	if diff := cmp.Diff(wantSettings, card.Settings); diff != "" || card.Display != "bar" {
		t.Errorf("GET /api/card/%s display %q, visualization_settings (-want +got):\n%s", id, card.Display, diff)
	}

	// A card made through the API with those keys draws the same chart.
	body, _ := json.Marshal(map[string]any{
		"name": "Revenue by plan (API)", "display": "bar", "visualization_settings": wantSettings,
		"dataset_query": map[string]any{"database": db, "type": "native", "native": map[string]any{"query": sql}},
	})
	res, err := a.c.Post(s.URL+"/api/card", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	var made struct {
		ID int64 `json:"id"`
	}
	err = json.NewDecoder(res.Body).Decode(&made)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || made.ID == 0 {
		t.Fatalf("POST /api/card = %d, %v", res.StatusCode, err)
	}
	do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/question/%d", s.URL, made.ID)))
	waitJS(t, ctx, chartSummary+` !== ""`)
	if diff := cmp.Diff(edited, readChart(t, eval[string](t, ctx, chartSummary))); diff != "" {
		t.Errorf("the card made through the API draws another chart (-UI +API):\n%s", diff)
	}

	// As a table: hide a column and rename another in the sidebar.
	pick(t, ctx, "#viz-picker", "table")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="table"] th`)), chromedp.Click(chromedp.CSS("#viz-settings-button")),
		chromedp.WaitVisible(chromedp.CSS(`#viz-settings input[name="table.columns:invoices"]`)),
		chromedp.Click(chromedp.CSS(`#viz-settings input[name="table.columns:invoices"]`)))
	pick(t, ctx, `#viz-settings select[name="format-column"]`, "PLAN")
	typeInto(t, ctx, `#viz-settings input[name="column:column_title"]`, "Plan name")
	heads := `Array.from(document.querySelectorAll("#viz th")).map((th) => th.textContent).join("|")`
	waitJS(t, ctx, heads+` === "Plan name|Revenue"`)
	if cell := text(t, ctx, "#viz tbody tr:first-child td:last-child"); !strings.HasPrefix(cell, "€") {
		t.Errorf("revenue cell = %q, want it in euros as the column_settings say", cell)
	}

	// A mini bar on revenue, then a conditional formatting rule that
	// colours the Basic plan's row, then the rule removed again.
	pick(t, ctx, `#viz-settings select[name="format-column"]`, "revenue")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#viz-settings input[name="column:show_mini_bar"]`)))
	waitJS(t, ctx, `document.querySelectorAll("#viz tbody .viz-minibar-fill").length === 3`)
	if w := eval[float64](t, ctx, `Math.max(...Array.from(document.querySelectorAll("#viz tbody .viz-minibar-fill")).map(f => parseFloat(f.style.width)))`); w != 100 {
		t.Errorf("widest revenue mini bar = %v%%, want 100%%", w)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#viz-settings button[name="cf:add"]`)), chromedp.WaitVisible(chromedp.CSS(`#viz-settings select[name="cf:0:columns"]`)))
	pick(t, ctx, `#viz-settings select[name="cf:0:columns"]`, "PLAN")
	pick(t, ctx, `#viz-settings select[name="cf:0:operator"]`, "=")
	typeInto(t, ctx, `#viz-settings input[name="cf:0:value"]`, "Basic")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#viz-settings input[name="cf:0:highlight_row"]`)))
	run(t, ctx, chromedp.Evaluate[bool](`(() => { const c = document.querySelector('#viz-settings input[name="cf:0:color"]'); c.value = "#00ff00"; c.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`))
	rowColors := `Array.from(document.querySelectorAll("#viz tbody tr")).map((tr) => tr.firstElementChild.textContent + "=" + tr.style.backgroundColor).join("|")`
	waitJS(t, ctx, rowColors+` === "Basic=rgb(0, 255, 0)|Business=|Premium="`)
	if n := eval[int](t, ctx, `document.querySelectorAll("#viz-settings .vs-rule").length`); n != 1 {
		t.Errorf("rules in the sidebar = %d, want 1", n)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#viz-settings button[name="cf:0:remove"]`)))
	waitJS(t, ctx, rowColors+` === "Basic=|Business=|Premium="`)
	if n := eval[int](t, ctx, `document.querySelectorAll("#viz-settings .vs-rule").length`); n != 0 {
		t.Errorf("rules in the sidebar after Remove = %d, want 0", n)
	}

	// As an object detail: the same columns, one plan at a time.
	pick(t, ctx, "#viz-picker", "object")
	waitJS(t, ctx, `document.querySelector('#viz[data-display="object"] dl')`)
	fields := `Array.from(document.querySelectorAll("#viz dt")).map((dt) => dt.textContent + "=" + dt.nextElementSibling.textContent).join("|")`
	if got := eval[string](t, ctx, fields); !strings.HasPrefix(got, "Plan name=Basic|Revenue=€") || strings.Contains(got, "Invoices") {
		t.Errorf("object detail = %q, want Plan name=Basic then Revenue in euros, invoices hidden", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#viz .viz-object-next")))
	waitJS(t, ctx, fields+`.startsWith("Plan name=Business|")`)
	waitJS(t, ctx, `document.querySelector('#viz-settings[data-display="object"]')`)
	if got := eval[string](t, ctx, `Array.from(document.querySelectorAll("#viz-settings legend")).map((l) => l.textContent).join("|")`); got != "Columns|Formatting" {
		t.Errorf("sidebar sections for an object detail = %q, want Columns|Formatting", got)
	}
	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}

// typeInto replaces a text field's value by typing, then leaves the field
// (Tab), which commits it as a person would.
func typeInto(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	run(t, ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.focus(); e.value = ""; return true; })()`, sel)))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(sel), value+"\t"))
}
