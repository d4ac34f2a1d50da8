package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// drill is one sightline:drill event as the harness page records it.
type drill struct {
	Target     string `json:"target"`
	Column     string `json:"column"`
	Value      any    `json:"value"`
	Row        []any  `json:"row"`
	Dimensions []struct {
		Column string `json:"column"`
		Value  any    `json:"value"`
	} `json:"dimensions"`
}

// TestVisualizations opens the visualization harness in Chromium, served by
// the real binary under its strict Content-Security-Policy, and checks each
// display, the automatic choice of display, formatting, table sorting and
// paging, pivot totals, resizing, and drill events from a table cell, a bar
// and a pivot cell.
func TestVisualizations(t *testing.T) {
	s := startSightline(t, "127.0.0.1", nil)
	ctx := browser(t)

	console := watchConsole(t, ctx)
	do(t, ctx, chromedp.Navigate(vizHarness(t, s)), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	shot(t, ctx, "viz")

	t.Run("displays", func(t *testing.T) {
		got := eval[map[string]string](t, ctx, `Object.fromEntries(Object.entries(__viz).map(([k, h]) => [k, h.display]))`)
		want := map[string]string{
			"table": "table", "number": "number", "number-currency": "number", "trend": "trend", "progress": "progress",
			"gauge": "gauge", "line": "line", "area": "area", "bar": "bar", "stacked-bar": "stacked-bar", "row": "row",
			"combo": "combo", "pie": "pie", "donut": "donut", "scatter": "scatter", "funnel": "funnel", "weekday": "bar",
			"map-pin": "map-pin", "sankey": "sankey", "sankey-loop": "sankey", "sankey-many": "sankey", "map-world": "map", "map-us": "map", "pivot": "pivot", "empty": "bar",
			"small-counts": "bar", "one-point": "line", "settings-line": "line", "normalized": "bar", "range": "bar",
			"chosen-axes": "bar", "table-columns": "table", "pie-threshold": "pie", "scatter-settings": "scatter", "histogram": "bar", "waterfall": "waterfall", "row-negative": "row",
			"table-formatting": "table", "object": "object",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("displays drawn (-want +got):\n%s", diff)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll(".viz-error").length`); n != 0 {
			t.Errorf("%d visualizations failed: %s", n, eval[string](t, ctx, `Array.from(document.querySelectorAll(".viz-error")).map(e => e.parentElement.id + ": " + e.textContent).join("; ")`))
		}
	})

	t.Run("charts", func(t *testing.T) {
		for _, id := range []string{"gauge", "line", "area", "bar", "stacked-bar", "row", "combo", "pie", "donut", "scatter", "funnel", "weekday", "map-pin", "sankey", "map-world", "map-us", "waterfall", "row-negative"} {
			t.Run(id, func(t *testing.T) {
				js := fmt.Sprintf(`(() => { const c = document.querySelector("#case-%s canvas, #case-%s svg"); return c ? Math.round(c.getBoundingClientRect().height) : 0; })()`, id, id)
				if h := eval[int](t, ctx, js); h < 150 {
					t.Errorf("#case-%s chart height = %d px, want a drawn canvas at least 150 px tall", id, h)
				}
			})
		}
	})

	t.Run("chart options", func(t *testing.T) {
		tests := []struct {
			name, js, want string
		}{
			{"brand colour from --brand", `__viz.line.chart.getOption().color[0]`, "#0f9d58"},
			{"legend with two metrics", `String(__viz.line.chart.getOption().legend[0].show)`, "true"},
			{"second y axis for a metric of another scale", `String(__viz.line.chart.getOption().yAxis.length)`, "2"},
			{"one y axis when stacked", `String(__viz["stacked-bar"].chart.getOption().yAxis.length)`, "1"},
			{"series names", `__viz.line.chart.getOption().series.map(s => s.name).join("|")`, "Count|Sum of Total"},
			{"x axis title from display name", `__viz.bar.chart.getOption().xAxis[0].name`, "Category"},
			{"y axis title from settings", `__viz.bar.chart.getOption().yAxis[0].name`, "Orders"},
			{"month labels", `__viz.line.chart.getOption().xAxis[0].data.slice(0, 2).join("|")`, "January 2024|February 2024"},
			{"day-of-week labels", `__viz.weekday.chart.getOption().xAxis[0].data.join("|")`, "Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"},
			{"graph.colors", `__viz["stacked-bar"].chart.getOption().series.find(s => s.name === "Widget").itemStyle.color`, "#444444"},
			{"stacked", `__viz["stacked-bar"].chart.getOption().series.map(s => s.stack).join("|")`, "total|total|total|total"},
			{"row chart is horizontal", `__viz.row.chart.getOption().yAxis[0].type`, "category"},
			{"combo series types", `__viz.combo.chart.getOption().series.map(s => s.type).join("|")`, "bar|line"},
			// Sankey: nodes shared between steps, links summed, values on links;
			// a loop and too many nodes say so instead of drawing.
			{"sankey nodes and links", `(() => { const s = __viz.sankey.chart.getOption().series[0]; return [s.type, s.data.map(d => d.name).join(","), s.links.length, s.edgeLabel.show].join("|"); })()`, "sankey|Entry,Home,Product,Cart,Checkout|6|true"},
			{"sankey loop message", `document.querySelector("#case-sankey-loop .viz-sankey-problem").textContent + "|" + !__viz["sankey-loop"].chart`,
				"A sankey cannot draw flows that loop back: Home \u2192 Product \u2192 Cart \u2192 Home. Remove one of these links to draw it.|true"},
			{"sankey node limit message", `document.querySelector("#case-sankey-many .viz-sankey-problem").textContent`,
				"This sankey has 120 nodes; it draws at most 100. Filter the question or group its values to draw fewer."},
			// Pin map: points outside the US draw on the world outlines, at
			// their longitude and latitude, and the map zooms and pans.
			{"pins on the world", `(() => { const o = __viz["map-pin"].chart.getOption(); return [o.geo[0].map, o.geo[0].roam, o.series[0].coordinateSystem, o.series[0].data.length, o.series[0].data[0].join()].join("|"); })()`,
				"sightline-world_countries|true|geo|7|2.3522,48.8566"},
			// Small data: whole, distinct ticks for counts; a lone point
			// keeps its label inside the chart.
			{"counts 1,1,1,0,0,0 tick at 0 and 1", `(() => { const y = __viz["small-counts"].chart.getOption().yAxis[0]; return [y.min, y.max, y.interval].join("|"); })()`, "0|1|1"},
			{"one-point line keeps its label", `(() => { const o = __viz["one-point"].chart.getOption(); return [o.xAxis[0].data.join(), o.xAxis[0].boundaryGap, o.series[0].showSymbol, o.series[0].label.show].join("|"); })()`, "January 2024|true|true|true"},
			// The vendor's keys.
			{"graph.y_axis.scale log", `__viz["settings-line"].chart.getOption().yAxis[0].type`, "log"},
			{"graph.y_axis.axis_enabled", `String(__viz["settings-line"].chart.getOption().yAxis[0].show)`, "false"},
			{"graph.x_axis.title_text", `__viz["settings-line"].chart.getOption().xAxis[0].name`, "Month"},
			{"series_settings", `(() => { const s = __viz["settings-line"].chart.getOption().series[0]; return [s.name, s.itemStyle.color, s.lineStyle.type, s.showSymbol].join("|"); })()`, "Orders|#ff0000|dashed|false"},
			{"graph.show_goal", `(() => { const m = __viz["settings-line"].chart.getOption().series[0].markLine; return m.data[0].yAxis + "|" + m.label.formatter; })()`, "150|Target"},
			{"graph.show_trendline", `__viz["settings-line"].chart.getOption().series.map(s => s.name).join("|")`, "Orders|Sum of Total|Orders (trend)|Sum of Total (trend)"},
			{"stackable.stack_type normalized", `(() => { const o = __viz.normalized.chart.getOption(); const sum = o.series.reduce((a, s) => a + s.data[0], 0); return [o.yAxis[0].max, Math.round(sum * 1000) / 1000, o.series[0].stack].join("|"); })()`, "1|1|total"},
			{"graph.y_axis.auto_range false with min and max", `(() => { const y = __viz.range.chart.getOption().yAxis[0]; return y.min + "|" + y.max; })()`, "0|100"},
			{"column_settings on value labels", `__viz.range.chart.getOption().series[0].label.formatter({value: 42, dataIndex: 0})`, "~42 orders"},
			{"graph.dimensions and graph.metrics", `(() => { const o = __viz["chosen-axes"].chart.getOption(); return [o.xAxis[0].data[0], o.series.map(s => s.name).join()].join("|"); })()`, "user1@example.com|Quantity"},
			{"graph.y_axis.scale pow", `(() => { const o = __viz["chosen-axes"].chart.getOption(); return [o.series[0].data[3], o.yAxis[0].axisLabel.formatter(2)].join("|"); })()`, "2|4"},
			{"an outlier does not collapse a histogram", `(() => { const o = __viz.histogram.chart.getOption(); const d = o.series[0].data; const labels = o.xAxis[0].data;
				return [labels.length >= 6, Math.max(...d.slice(0, -1)) < 100, labels[labels.length - 1].startsWith("> "), d[d.length - 1], d.reduce((a, b) => a + (b || 0), 0)].join("|"); })()`, "true|true|true|1|201"},
			{"waterfall steps cross zero", `(() => { const o = __viz.waterfall.chart.getOption(); return o.xAxis[0].data.join() + "|" + o.series[0].data.map(d => d[1] + ">" + d[2]).join() + "|" + (o.yAxis[0].min <= -30 && o.yAxis[0].max >= 120); })()`,
				"Start,Refunds,Upsell,Churn,Total|0>100,100>70,70>120,120>-30,0>-30|true"},
			{"row chart with negative values", `(() => { const o = __viz["row-negative"].chart.getOption(); return [o.xAxis[0].min < -25, o.yAxis[0].axisLine.onZero, o.series[0].data[1].label.position].join("|"); })()`, "true|false|left"},
			{"pie.slice_threshold", `__viz["pie-threshold"].chart.getOption().series[0].data.map(d => d.name).join("|")`, "Gadget|Widget|Other"},
			{"scatter log y and colour", `(() => { const o = __viz["scatter-settings"].chart.getOption(); return o.yAxis[0].type + "|" + o.series[0].itemStyle.color; })()`, "log|#00aa00"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := eval[string](t, ctx, tt.js); got != tt.want {
					t.Errorf("%s = %q, want %q", tt.js, got, tt.want)
				}
			})
		}
	})

	t.Run("table settings", func(t *testing.T) {
		heads := eval[string](t, ctx, `Array.from(document.querySelectorAll("#case-table-columns th")).map(th => th.textContent).join("|")`)
		if want := "Email|Total|User ID|Quantity|Created At|Discount|Paid"; heads != strings.Replace(want, "Total", "Amount", 1) {
			t.Errorf("table.columns headers = %q, want %q (ID hidden, Email first, TOTAL titled Amount)", heads, strings.Replace(want, "Total", "Amount", 1))
		}
		cells := eval[string](t, ctx, `Array.from(document.querySelectorAll("#case-table-columns tbody tr:first-child td")).map(td => td.textContent).join("|")`)
		if !strings.HasPrefix(cells, "user1@example.com|€13|") || !strings.Contains(cells, "|1/1/2024") {
			t.Errorf("first row = %q, want the email, the total as €13 and the date as 1/1/2024", cells)
		}
	})

	t.Run("conditional formatting", func(t *testing.T) {
		// Each row of the table as "background of the row: backgrounds of
		// TOTAL, QUANTITY and DISCOUNT" (data-col 2, 3 and 6).
		got := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#case-table-formatting tbody tr")).map(tr =>
			tr.style.backgroundColor + ": " + [2, 3, 6].map(c => tr.querySelector('td[data-col="' + c + '"]').style.backgroundColor).join(" | "))`)
		want := []string{
			": rgb(255, 255, 255) |  | ",
			": rgb(227, 227, 255) |  | ",
			"rgb(255, 255, 0): rgb(198, 198, 255) |  | ",
			": rgb(170, 170, 255) |  | ",
			": rgb(142, 142, 255) | rgb(255, 0, 0) | ",
			": rgb(113, 113, 255) |  | ",
			": rgb(85, 85, 255) |  | ",
			": rgb(57, 57, 255) |  | ",
			": rgb(28, 28, 255) |  | ",
			": rgb(0, 0, 255) | rgb(255, 0, 0) | ",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("formatted rows, row: TOTAL | QUANTITY | DISCOUNT backgrounds (-want +got):\n%s", diff)
		}
		// The rule with a colour that is not hex colours nothing, so no
		// style carries its text.
		if n := eval[int](t, ctx, `Array.from(document.querySelectorAll("#case-table-formatting [style]")).filter(e => /url|red/.test(e.getAttribute("style"))).length`); n != 0 {
			t.Errorf("%d elements carry the non-hex colour in their style, want 0", n)
		}
	})

	t.Run("mini bars", func(t *testing.T) {
		got := eval[string](t, ctx, `Array.from(document.querySelectorAll('#case-table-formatting td[data-col="3"]')).map(td => {
			const f = td.querySelector(".viz-minibar-fill");
			return td.querySelector(".viz-minibar-text").textContent + "@" + (f ? f.style.width : "none");
		}).join(" ")`)
		if want := "1@20% 2@40% 3@60% 4@80% 5@100% 1@20% 2@40% 3@60% 4@80% 5@100%"; got != want {
			t.Errorf("QUANTITY mini bars (value@width) = %q, want %q", got, want)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll('#case-table-formatting td:not([data-col="3"]) .viz-minibar').length`); n != 0 {
			t.Errorf("%d mini bars outside QUANTITY, want 0 (only show_mini_bar columns get one)", n)
		}
		// A click on the bar drills like a click on the cell.
		before := eval[int](t, ctx, `__drills.length`)
		do(t, ctx, chromedp.Click(chromedp.CSS(`#case-table-formatting tbody tr:nth-child(2) td[data-col="3"] .viz-minibar`)))
		d := eval[drill](t, ctx, `__drills[__drills.length - 1]`)
		if eval[int](t, ctx, `__drills.length`) != before+1 || d.Column != "QUANTITY" || d.Value != float64(2) {
			t.Errorf("click on a mini bar: drill %+v, want QUANTITY = 2", d)
		}
	})

	t.Run("object detail", func(t *testing.T) {
		read := `(() => {
			const box = document.getElementById("case-object");
			const pairs = Array.from(box.querySelectorAll("dt")).map(dt => dt.textContent + "=" + dt.nextElementSibling.textContent);
			return [box.querySelector(".viz-pager-info").textContent, box.querySelector(".viz-object-prev").disabled, box.querySelector(".viz-object-next").disabled, pairs.slice(0, 3).join(", "), pairs[5]].join(" | ");
		})()`
		if got, want := eval[string](t, ctx, read), "Item 1 of 3 | true | false | ID=1001, User ID=1, Amount=12.50 | Email=user1@example.com"; got != want {
			t.Errorf("object detail, first record = %q, want %q", got, want)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS("#case-object .viz-object-next")), chromedp.Click(chromedp.CSS("#case-object .viz-object-next")))
		if got, want := eval[string](t, ctx, read), "Item 3 of 3 | false | true | ID=1003, User ID=2, Amount=60.00 | Email=user3@example.com"; got != want {
			t.Errorf("object detail after Next twice = %q, want %q", got, want)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS("#case-object .viz-object-prev")))
		if got, want := eval[string](t, ctx, read), "Item 2 of 3 | false | false | ID=1002, User ID=8, Amount=36.25 | Email=user2@example.com"; got != want {
			t.Errorf("object detail after Previous = %q, want %q", got, want)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`#case-object dd[data-col="5"]`)))
		if d := eval[drill](t, ctx, `__drills[__drills.length - 1]`); d.Target != "case-object" || d.Column != "EMAIL" || d.Value != "user2@example.com" {
			t.Errorf("click on an object detail value: drill %+v, want EMAIL = user2@example.com from case-object", d)
		}
	})

	t.Run("region maps", func(t *testing.T) {
		tests := []struct {
			id, mapName string
			regions     int
			note        string
			// shaded and blank are regions with and without data, given as
			// a name ECharts finds the region's centre by.
			shaded, blank string
		}{
			{"map-world", "sightline-world_countries", 11, "3 rows with unknown regions", "United States of America", "China"},
			{"map-us", "sightline-us_states", 27, "1 row with an unknown region", "California", "Oregon"},
		}
		for _, tt := range tests {
			t.Run(tt.id, func(t *testing.T) {
				got := eval[string](t, ctx, fmt.Sprintf(`(() => {
					const s = __viz[%q].chart.getOption().series[0];
					return [s.type, s.map, s.data.filter((d) => typeof d.value === "number" && !isNaN(d.value)).length].join("|");
				})()`, tt.id))
				if want := fmt.Sprintf("map|%s|%d", tt.mapName, tt.regions); got != want {
					t.Errorf("series type|map|regions = %q, want %q", got, want)
				}
				if got := strings.TrimSpace(text(t, ctx, "#case-"+tt.id+" .viz-map-note")); got != tt.note {
					t.Errorf("note under the map = %q, want %q", got, tt.note)
				}
				// The pixel at the centre of a region with data differs from
				// the grey of one without; both must lie on the map.
				px := func(name string) []int {
					return eval[[]int](t, ctx, fmt.Sprintf(`(() => {
						const c = __viz[%q].chart;
						const p = c.convertToPixel({seriesIndex: 0}, %q);
						if (!p || isNaN(p[0])) return [];
						const canvas = c.getDom().querySelector("canvas");
						const k = canvas.width / c.getWidth();
						return Array.from(canvas.getContext("2d").getImageData(Math.round(p[0] * k), Math.round(p[1] * k), 1, 1).data);
					})()`, tt.id, name))
				}
				shaded, blank := px(tt.shaded), px(tt.blank)
				if len(shaded) != 4 || len(blank) != 4 {
					t.Fatalf("pixels of %s and %s = %v and %v, want RGBA of both", tt.shaded, tt.blank, shaded, blank)
				}
				if blank[3] == 0 || shaded[3] == 0 {
					t.Errorf("%s or %s is not drawn: %v, %v", tt.shaded, tt.blank, shaded, blank)
				}
				if fmt.Sprint(shaded) == fmt.Sprint(blank) {
					t.Errorf("%s is shaded like %s (no data): %v", tt.shaded, tt.blank, shaded)
				}
			})
		}
		for _, tt := range tests {
			shotOf(t, ctx, "#case-"+tt.id, tt.id)
		}
		// The question editor offers a region map only for a country or
		// state column and an amount.
		fits := eval[string](t, ctx, `(() => {
			const country = {name: "COUNTRY", display_name: "Country", base_type: "type/Text", semantic_type: "type/Country", source: "breakout"};
			const state = Object.assign({}, country, {name: "STATE", semantic_type: "type/State"});
			const category = Object.assign({}, country, {name: "PLAN", semantic_type: "type/Category"});
			const count = {name: "count", display_name: "Count", base_type: "type/Integer", source: "aggregation"};
			return [[country, count], [state, count], [category, count], [country]]
				.map((cols) => SightlineViz.fitsRegionMap({cols: cols, rows: []}, {})).join("|");
		})()`)
		if want := "true|true|false|false"; fits != want {
			t.Errorf("fitsRegionMap of country+count|state+count|category+count|country = %q, want %q", fits, want)
		}
	})

	t.Run("scalars", func(t *testing.T) {
		tests := []struct {
			sel, want string
		}{
			{"#case-number .viz-scalar-value", "12,345"},
			{"#case-number .viz-scalar-label", "Count"},
			{"#case-number-currency .viz-scalar-value", "$1,234,567.89"},
			{"#case-trend .viz-scalar-value", "$10,923.50"},
			{"#case-trend .viz-scalar-label", "August 2024"},
			{"#case-trend .viz-trend-change", "▲ 12% vs. July 2024: $9,783.00"},
			{"#case-progress .viz-progress-value", "7,500.00"},
			{"#case-progress .viz-progress-pct", "75% of goal"},
			{"#case-progress .viz-progress-target", "Goal 10,000.00"},
			{"#case-empty", "No results"},
		}
		for _, tt := range tests {
			t.Run(tt.sel, func(t *testing.T) {
				if got := strings.TrimSpace(text(t, ctx, tt.sel)); got != tt.want {
					t.Errorf("text of %s = %q, want %q", tt.sel, got, tt.want)
				}
			})
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("#case-empty canvas, #case-empty .viz-chart").length`); n != 0 {
			t.Errorf("the empty result drew %d chart elements, want none", n)
		}
	})

	t.Run("pivot", func(t *testing.T) {
		got := eval[[][]string](t, ctx, `Array.from(document.querySelectorAll("#case-pivot tr")).map(tr => Array.from(tr.children).map(c => c.textContent))`)
		want := [][]string{
			{"Category / Source", "Affiliate", "Facebook", "Google", "Row totals"},
			{"Doohickey", "12", "20", "31", "63"},
			{"Gadget", "15", "22", "40", "77"},
			{"Gizmo", "9", "28", "33", "70"},
			{"Widget", "", "25", "36", "61"},
			{"Grand totals", "36", "95", "140", "271"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("pivot table (-want +got):\n%s", diff)
		}
	})

	t.Run("autoDisplay", func(t *testing.T) {
		col := func(name, base, source, extra string) string {
			return fmt.Sprintf(`{"name":%q,"display_name":%q,"base_type":%q,"source":%q%s}`, name, name, base, source, extra)
		}
		count := col("count", "type/Integer", "aggregation", "")
		sum := col("sum", "type/Float", "aggregation", `,"semantic_type":"type/Currency"`)
		month := col("CREATED_AT", "type/Date", "breakout", `,"unit":"month"`)
		cat := col("CATEGORY", "type/Text", "breakout", "")
		var many []string
		for i := range 30 {
			many = append(many, fmt.Sprintf(`["c%d",%d]`, i, i))
		}
		tests := []struct {
			name, cols, rows, want string
		}{
			{"one number", count, `[[5]]`, "number"},
			{"date breakout", month + "," + count, `[["2024-01-01T00:00:00Z",3],["2024-02-01T00:00:00Z",4]]`, "line"},
			{"date breakout, two metrics", month + "," + count + "," + sum, `[["2024-01-01T00:00:00Z",3,1.5]]`, "line"},
			{"unit in the name", col("CREATED_AT:year", "type/Integer", "breakout", "") + "," + count, `[[2024,3]]`, "line"},
			{"category breakout", cat + "," + count, `[["Gizmo",3],["Widget",4]]`, "bar"},
			{"boolean breakout", col("PAID", "type/Boolean", "breakout", "") + "," + count, `[[true,3],[false,4]]`, "bar"},
			{"30 categories", cat + "," + count, "[" + strings.Join(many, ",") + "]", "row"},
			{"day of week", col("CREATED_AT", "type/Integer", "breakout", `,"unit":"day-of-week"`) + "," + count, `[[1,3]]`, "bar"},
			{"two breakouts with a date", month + "," + cat + "," + count, `[["2024-01-01T00:00:00Z","Gizmo",3]]`, "stacked-bar"},
			{"two category breakouts", cat + "," + col("SOURCE", "type/Text", "breakout", "") + "," + count, `[["Gizmo","Google",3]]`, "pivot"},
			{"raw rows", col("ID", "type/Integer", "fields", `,"semantic_type":"type/PK"`) + "," + col("NAME", "type/Text", "fields", ""), `[[1,"a"],[2,"b"]]`, "table"},
			{"no rows", count, `[]`, "table"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				js := fmt.Sprintf(`SightlineViz.autoDisplay({"cols":[%s],"rows":%s})`, tt.cols, tt.rows)
				if got := eval[string](t, ctx, js); got != tt.want {
					t.Errorf("autoDisplay(%s) = %q, want %q", tt.name, got, tt.want)
				}
			})
		}
	})

	t.Run("format", func(t *testing.T) {
		tests := []struct {
			value, col, settings, want string
		}{
			{`1234567.891`, `{"base_type":"type/Float","semantic_type":"type/Currency"}`, `{}`, "1,234,567.89"},
			{`-42`, `{"base_type":"type/Decimal","semantic_type":"type/Currency"}`, `{}`, "-42.00"},
			{`1234567`, `{"base_type":"type/Integer"}`, `{}`, "1,234,567"},
			{`1234567`, `{"base_type":"type/Integer","semantic_type":"type/PK"}`, `{}`, "1234567"},
			{`98765`, `{"base_type":"type/BigInteger","semantic_type":"type/FK"}`, `{}`, "98765"},
			{`3.14159`, `{"base_type":"type/Float"}`, `{}`, "3.14"},
			{`"12345678901234567890"`, `{"base_type":"type/BigInteger"}`, `{}`, "12,345,678,901,234,567,890"},
			{`1234.5`, `{"base_type":"type/Float"}`, `{"number.prefix":"$","number.decimals":2}`, "$1,234.50"},
			{`"2024-01-31T00:00:00Z"`, `{"base_type":"type/Date","name":"CREATED_AT:month"}`, `{}`, "January 2024"},
			{`"2024-01-31T00:00:00Z"`, `{"base_type":"type/Date"}`, `{"unit":"month"}`, "January 2024"},
			{`"2024-01-31T00:00:00Z"`, `{"base_type":"type/Date"}`, `{"unit":"year"}`, "2024"},
			{`"2024-05-01T00:00:00Z"`, `{"base_type":"type/Date","display_name":"Created At: Quarter"}`, `{}`, "Q2 2024"},
			{`"2024-01-31T00:00:00Z"`, `{"base_type":"type/Date"}`, `{}`, "January 31, 2024"},
			{`"2024-01-31T15:04:05Z"`, `{"base_type":"type/DateTime"}`, `{}`, "January 31, 2024, 3:04 PM"},
			{`2024`, `{"base_type":"type/Integer","name":"CREATED_AT:year"}`, `{}`, "2024"},
			{`1`, `{"base_type":"type/Integer","unit":"day-of-week"}`, `{}`, "Sunday"},
			{`7`, `{"base_type":"type/Integer","name":"CREATED_AT:day-of-week"}`, `{}`, "Saturday"},
			{`12`, `{"base_type":"type/Integer","unit":"month-of-year"}`, `{}`, "December"},
			{`true`, `{"base_type":"type/Boolean"}`, `{}`, "true"},
			{`false`, `{"base_type":"type/Boolean"}`, `{}`, "false"},
			{`null`, `{"base_type":"type/Text"}`, `{}`, "—"},
			{`"Gizmo"`, `{"base_type":"type/Text"}`, `{}`, "Gizmo"},
		}
		for _, tt := range tests {
			t.Run(tt.want, func(t *testing.T) {
				js := fmt.Sprintf(`SightlineViz.format(%s, %s, %s)`, tt.value, tt.col, tt.settings)
				if got := eval[string](t, ctx, js); got != tt.want {
					t.Errorf("format(%s, %s, %s) = %q, want %q", tt.value, tt.col, tt.settings, got, tt.want)
				}
			})
		}
	})

	t.Run("table", func(t *testing.T) {
		if n := eval[int](t, ctx, `document.querySelectorAll("#case-table tbody tr").length`); n != 25 {
			t.Errorf("table rows on the first page = %d, want 25", n)
		}
		if got := text(t, ctx, "#case-table .viz-pager-info"); got != "Rows 1–25 of 60" {
			t.Errorf("pager = %q, want %q", got, "Rows 1–25 of 60")
		}
		first := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#case-table tbody tr:first-child td")).map(td => td.textContent)`)
		want := []string{"1001", "1", "12.50", "1", "January 1, 2024, 9:00 AM", "user1@example.com", "—", "true"}
		if diff := cmp.Diff(want, first); diff != "" {
			t.Errorf("first row (-want +got):\n%s", diff)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS("#case-table .viz-next")))
		if got := text(t, ctx, "#case-table .viz-pager-info"); got != "Rows 26–50 of 60" {
			t.Errorf("pager after Next = %q, want %q", got, "Rows 26–50 of 60")
		}
		if got := text(t, ctx, "#case-table tbody tr:first-child td"); got != "1026" {
			t.Errorf("first ID on page 2 = %q, want 1026", got)
		}
		// Sorting by Total: ascending, then descending; sorting returns to page 1.
		do(t, ctx, chromedp.Click(chromedp.CSS("#case-table thead th:nth-child(3) button")))
		if got := text(t, ctx, "#case-table tbody tr:first-child td:nth-child(3)"); got != "12.50" {
			t.Errorf("smallest Total = %q, want 12.50", got)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS("#case-table thead th:nth-child(3) button")))
		if got := text(t, ctx, "#case-table tbody tr:first-child td:nth-child(3)"); got != "1,413.75" {
			t.Errorf("largest Total = %q, want 1,413.75", got)
		}
		if got := eval[string](t, ctx, `document.querySelector("#case-table thead th:nth-child(3)").getAttribute("aria-sort")`); got != "descending" {
			t.Errorf("aria-sort = %q, want descending", got)
		}
		if got := text(t, ctx, "#case-table .viz-pager-info"); got != "Rows 1–25 of 60" {
			t.Errorf("pager after sorting = %q, want %q", got, "Rows 1–25 of 60")
		}
	})

	t.Run("drill", func(t *testing.T) {
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`__drills.length = 0`))

		// A table cell: the second row's Total, sorted descending (ID 1059).
		do(t, ctx, chromedp.Click(chromedp.CSS("#case-table tbody tr:nth-child(2) td:nth-child(3)")))
		// A bar: Gizmo, the third category, clicked half-way up.
		x, y := barPoint(t, ctx, "bar", 2, 51)
		do(t, ctx, chromedp.MouseClickXY(x, y))
		// A pivot cell: Gadget from Google.
		do(t, ctx, chromedp.Click(chromedp.CSS("#case-pivot tbody tr:nth-child(2) td:nth-child(4)")))

		var got []drill
		deadline := time.Now().Add(5 * time.Second)
		for len(got) < 3 && time.Now().Before(deadline) {
			got = eval[[]drill](t, ctx, `__drills`)
			time.Sleep(50 * time.Millisecond)
		}
		if len(got) != 3 {
			t.Fatalf("drill events = %+v, want 3", got)
		}
		checks := []struct {
			name, target, column string
			value                float64
			dims                 string
		}{
			{"table cell", "case-table", "TOTAL", 1390, ""},
			{"bar", "case-bar", "count", 51, "CATEGORY=Gizmo"},
			{"pivot cell", "case-pivot", "count", 40, "CATEGORY=Gadget SOURCE=Google"},
		}
		for i, c := range checks {
			t.Run(c.name, func(t *testing.T) {
				d := got[i]
				var dims []string
				for _, x := range d.Dimensions {
					dims = append(dims, fmt.Sprintf("%s=%v", x.Column, x.Value))
				}
				v, _ := d.Value.(float64)
				if d.Target != c.target || d.Column != c.column || v != c.value || strings.Join(dims, " ") != c.dims {
					t.Errorf("drill = {%s %s %v %q}, want {%s %s %v %q}", d.Target, d.Column, d.Value, strings.Join(dims, " "), c.target, c.column, c.value, c.dims)
				}
				if len(d.Row) == 0 {
					t.Errorf("drill from %s carries no row", c.name)
				}
			})
		}
		if id := got[0].Row[0]; id != float64(1059) {
			t.Errorf("table drill row ID = %v, want 1059", id)
		}
	})

	t.Run("tooltip", func(t *testing.T) {
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`__viz.bar.chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 1})`))
		got := eval[string](t, ctx, `(() => { const t = document.querySelector("#case-bar .viz-tip-title"); return t ? t.parentElement.textContent : ""; })()`)
		if want := "GadgetCount 53"; got != want {
			t.Errorf("bar tooltip = %q, want %q", got, want)
		}
	})

	t.Run("large results", func(t *testing.T) {
		// Informational: how long drawing takes, logged rather than asserted.
		ms := eval[[]float64](t, ctx, `(() => {
			const cols = [{name: "D", display_name: "Day", base_type: "type/Date", source: "breakout", unit: "day"},
				{name: "N", display_name: "Count", base_type: "type/Integer", source: "aggregation"}];
			const rows = [];
			for (let i = 0; i < 10000; i++) rows.push([new Date(Date.UTC(2000, 0, 1 + i)).toISOString(), (i * 7919) % 1000]);
			const box = document.createElement("div");
			box.style.height = "300px";
			document.body.appendChild(box);
			let t0 = performance.now();
			let h = SightlineViz.render(box, {cols, rows}, {display: "table", animation: false});
			box.querySelector(".viz-sort").click();
			const table = performance.now() - t0;
			t0 = performance.now();
			h = SightlineViz.render(box, {cols, rows}, {display: "line", animation: false});
			const line = performance.now() - t0;
			h.dispose();
			box.remove();
			return [table, line];
		})()`)
		t.Logf("10,000 rows: table drawn and sorted in %.0f ms, line chart in %.0f ms", ms[0], ms[1])
	})

	t.Run("render again", func(t *testing.T) {
		// Drawing into an element that holds a chart disposes of the old one.
		got := eval[string](t, ctx, `(() => {
			const el = document.getElementById("case-funnel");
			const old = __viz.funnel;
			__viz.funnel = SightlineViz.render(el, {cols: [{name: "n", display_name: "N", base_type: "type/Integer", source: "aggregation"}], rows: [[7]]}, {});
			return [old.chart.isDisposed(), el.querySelectorAll("canvas").length, el.querySelector(".viz-scalar-value").textContent].join("|");
		})()`)
		if want := "true|0|7"; got != want {
			t.Errorf("after drawing a number over the funnel: disposed|canvases|value = %q, want %q", got, want)
		}
	})

	t.Run("resize", func(t *testing.T) {
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("case-bar").style.width = "240px"`))
		var w int
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if w = eval[int](t, ctx, `__viz.bar.chart.getWidth()`); w == 240 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if w != 240 {
			t.Errorf("chart width after the container shrank to 240 px = %d", w)
		}
	})

	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	return run(t, ctx, chromedp.Evaluate[T](js))
}

// shotOf keeps a screenshot of the element sel in e2e/artifacts, like shot
// does for the whole page.
func shotOf(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Logf("screenshot of %s: %v", sel, err)
		return
	}
	os.MkdirAll("artifacts", 0o755)
	file := filepath.Join("artifacts", strings.ReplaceAll(t.Name(), "/", "_")+"-"+name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Logf("write screenshot: %v", err)
		return
	}
	t.Logf("screenshot kept at e2e/%s", file)
}

// barPoint scrolls a chart into view and returns the viewport position of
// the middle of the bar at category index i with value v.
func barPoint(t *testing.T, ctx context.Context, id string, i int, v float64) (x, y float64) {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const h = __viz[%q];
		h.chart.getDom().scrollIntoView({block: "center"});
		const r = h.chart.getDom().getBoundingClientRect();
		const top = h.chart.convertToPixel({seriesIndex: 0}, [%d, %v]);
		const base = h.chart.convertToPixel({seriesIndex: 0}, [%d, 0]);
		return [r.left + top[0], r.top + (top[1] + base[1]) / 2];
	})()`, id, i, v, i)
	p := eval[[]float64](t, ctx, js)
	if len(p) != 2 {
		t.Fatalf("bar position = %v", p)
	}
	return p[0], p[1]
}

// watchConsole collects the page's errors and uncaught exceptions (a
// Content-Security-Policy violation is one) until the returned function is
// called, which stops watching and returns them.
func watchConsole(t *testing.T, ctx context.Context) func() []string {
	t.Helper()
	cctx, cancel := context.WithCancel(ctx)
	var (
		mu   sync.Mutex
		msgs []string
		done = make(chan struct{})
	)
	messages := chromedp.Console(cctx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b, _ := json.Marshal(m.URL)
				mu.Lock()
				msgs = append(msgs, m.String()+" at "+string(b))
				mu.Unlock()
			}
		}
	}()
	stop := func() []string {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return msgs
	}
	t.Cleanup(func() { cancel() })
	return stop
}
