package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// sampleCard saves a question on the Sample Database through the API and
// returns its id; query is the dataset_query JSON without the database.
func sampleCard(t *testing.T, s *sightline, api *http.Client, db int64, name, display, query, viz string) int64 {
	t.Helper()
	body := fmt.Sprintf(`{"name": %q, "display": %q, "dataset_query": {"database": %d, %s}, "visualization_settings": %s}`, name, display, db, query, viz)
	st, resp := apiCall(t, api, "POST", s.URL+"/api/card", body)
	var c struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(resp, &c); st != 200 || c.ID == 0 {
		t.Fatalf("create %s = %d %s", name, st, resp)
	}
	return c.ID
}

// sampleTableID is the id of a Sample Database table.
func sampleTableID(t *testing.T, s *sightline, api *http.Client, db int64, name string) int64 {
	t.Helper()
	_, body := apiCall(t, api, "GET", fmt.Sprintf("%s/api/database/%d/metadata", s.URL, db), "")
	var md struct {
		Tables []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"tables"`
	}
	if err := json.Unmarshal(body, &md); err != nil {
		t.Fatalf("metadata: %v", err)
	}
	for _, tb := range md.Tables {
		if tb.Name == name {
			return tb.ID
		}
	}
	t.Fatalf("no %s table", name)
	return 0
}

// chartState is what a drawn chart shows, read from its ECharts instance
// and the note under it.
type chartState struct {
	Display string `json:"display"`
	Series  string `json:"series"`
	Nodes   int    `json:"nodes"`
	Links   int    `json:"links"`
	Points  int    `json:"points"`
	Geo     string `json:"geo"`
	Roam    bool   `json:"roam"`
	Note    string `json:"note"`
	Problem string `json:"problem"`
}

// chartStateJS reads the chartState of the visualization under %s.
const chartStateJS = `(() => {
	const v = document.querySelector(%q);
	if (!v) return {display: ""};
	const out = {display: v.dataset.display || "", series: "", nodes: 0, links: 0, points: 0, geo: "", roam: false, note: "", problem: ""};
	const p = v.querySelector(".viz-sankey-problem");
	if (p) out.problem = p.textContent;
	const n = v.querySelector(".viz-pin-note");
	if (n && !n.hidden) out.note = n.textContent;
	const box = v.querySelector(".viz-chart");
	const c = box && echarts.getInstanceByDom(box);
	if (!c) return out;
	const o = c.getOption();
	const s = (o.series || [])[0];
	if (!s) return out;
	out.series = s.type + (s.coordinateSystem ? "/" + s.coordinateSystem : "");
	out.nodes = (s.data || []).length;
	out.links = (s.links || []).length;
	if (s.type === "scatter") out.points = (s.data || []).length;
	if (o.geo && o.geo[0]) { out.geo = o.geo[0].map; out.roam = o.geo[0].roam === true; }
	return out;
})()`

// TestSankeyAndPinMap saves three questions on the Sample Database: the
// accounts' sign-up sources flowing into their plans as a sankey, a flow
// that loops back, and the people's latitudes and longitudes as a pin map.
// Each is drawn on its question page and on a dashboard: the sankey with
// its nodes and links, the loop as a message naming it, the pins over the
// US states outlines with a note that only a sample of them is drawn; no
// console errors anywhere.
func TestSankeyAndPinMap(t *testing.T) {
	s, api := startWithSample(t)
	db, _, _ := invoicesFields(t, s, api)
	people := sampleTableID(t, s, api, db, "PEOPLE")
	flows := sampleCard(t, s, api, db, "Sources to plans", "sankey",
		`"type": "native", "native": {"query": "SELECT SOURCE, PLAN, COUNT(*) AS ACCOUNTS FROM ACCOUNTS WHERE SOURCE IS NOT NULL GROUP BY SOURCE, PLAN"}`, `{}`)
	loop := sampleCard(t, s, api, db, "A loop", "sankey",
		`"type": "native", "native": {"query": "SELECT 'Home' AS PAGE_FROM, 'Cart' AS PAGE_TO, 5 AS VISITS UNION ALL SELECT 'Cart', 'Home', 2"}`,
		`{"sankey.source": "PAGE_FROM", "sankey.target": "PAGE_TO", "sankey.value": "VISITS"}`)
	pins := sampleCard(t, s, api, db, "Where people are", "map",
		fmt.Sprintf(`"type": "query", "query": {"source-table": %d}`, people), `{"map.type": "pin", "map.pin_type": "markers"}`)

	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)

	const wantNote = "Showing 1,000 of 2,000 points"
	checkFlows := func(t *testing.T, got chartState) {
		t.Helper()
		// Four sources (Facebook, Google, Invite, Twitter) into three plans.
		if got.Display != "sankey" || got.Series != "sankey" || got.Nodes != 7 || got.Links < 4 || got.Problem != "" {
			t.Errorf("sources to plans = %+v, want a sankey of 7 nodes and its links", got)
		}
	}
	checkLoop := func(t *testing.T, got chartState) {
		t.Helper()
		if got.Series != "" || !strings.Contains(got.Problem, "loop back: Home \u2192 Cart \u2192 Home") {
			t.Errorf("the loop = %+v, want no chart and a message naming Home \u2192 Cart \u2192 Home", got)
		}
	}
	checkPins := func(t *testing.T, got chartState) {
		t.Helper()
		if got.Display != "map-pin" || got.Series != "scatter/geo" || got.Geo != "sightline-us_states" || !got.Roam ||
			got.Points != 1000 || !strings.HasPrefix(got.Note, wantNote) {
			t.Errorf("the pin map = %+v, want 1,000 pins on the US states that zoom and pan, noted %q", got, wantNote)
		}
	}

	t.Run("question pages", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/question/%d", s.URL, flows)), chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="sankey"] canvas`)))
		checkFlows(t, eval[chartState](t, ctx, fmt.Sprintf(chartStateJS, "#viz")))
		if !eval[bool](t, ctx, `!!document.querySelector('#viz-picker option[value="sankey"]')`) {
			t.Error("the visualization picker offers no sankey")
		}
		// The settings sidebar shows the columns drawn by default.
		do(t, ctx, chromedp.Click(chromedp.CSS("#viz-settings-button")), chromedp.WaitVisible(chromedp.CSS(`#viz-settings select[name="sankey.source"]`)))
		got := eval[string](t, ctx, `["sankey.source", "sankey.target", "sankey.value"].map((k) => document.querySelector('#viz-settings select[name="' + k + '"]').value).join(" ")`)
		if got != "SOURCE PLAN ACCOUNTS" {
			t.Errorf("the sankey settings show %q, want SOURCE PLAN ACCOUNTS", got)
		}
		shot(t, ctx, "sankey-question")

		do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/question/%d", s.URL, loop)), chromedp.WaitVisible(chromedp.CSS(`#viz .viz-sankey-problem`)))
		checkLoop(t, eval[chartState](t, ctx, fmt.Sprintf(chartStateJS, "#viz")))

		do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/question/%d", s.URL, pins)), chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="map-pin"] canvas`)))
		waitJS(t, ctx, `(() => { const c = echarts.getInstanceByDom(document.querySelector("#viz .viz-chart")); return c && c.getOption().geo; })()`)
		checkPins(t, eval[chartState](t, ctx, fmt.Sprintf(chartStateJS, "#viz")))
		shot(t, ctx, "pinmap-question")
	})

	t.Run("dashboard", func(t *testing.T) {
		st, resp := apiCall(t, api, "POST", s.URL+"/api/dashboard", fmt.Sprintf(`{"name": "Flows and places", "dashcards": [
			{"card_id": %d, "row": 0, "col": 0, "size_x": 12, "size_y": 6},
			{"card_id": %d, "row": 0, "col": 12, "size_x": 12, "size_y": 6},
			{"card_id": %d, "row": 6, "col": 0, "size_x": 12, "size_y": 4}]}`, flows, pins, loop))
		var d struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(resp, &d); st != 200 || d.ID == 0 {
			t.Fatalf("create dashboard = %d %s", st, resp)
		}
		do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/dashboard/%d", s.URL, d.ID)))
		if cs := waitCards(t, ctx, "#dashboard"); cs.Drawn != 2 || len(cs.Failed) > 0 {
			t.Fatalf("dashboard cards: %+v, want the sankey and the pin map drawn", cs)
		}
		waitJS(t, ctx, `(() => { const b = document.querySelector('.viz[data-display="map-pin"] .viz-chart'); const c = b && echarts.getInstanceByDom(b); return c && c.getOption().geo; })()`)
		checkFlows(t, eval[chartState](t, ctx, fmt.Sprintf(chartStateJS, cardSel(t, ctx, "Sources to plans")+" .viz")))
		checkPins(t, eval[chartState](t, ctx, fmt.Sprintf(chartStateJS, cardSel(t, ctx, "Where people are")+" .viz")))
		checkLoop(t, eval[chartState](t, ctx, fmt.Sprintf(chartStateJS, cardSel(t, ctx, "A loop")+" .viz")))
		shot(t, ctx, "sankey-pinmap-dashboard")
	})

	if msgs := console(); len(msgs) > 0 {
		t.Errorf("console errors: %v", msgs)
	}
}
