package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCustomColumnEditor writes a custom column and a metric in the
// notebook's formula editor as a person would: completing a function and
// a column name, seeing where a formula is incomplete, then running it.
func TestCustomColumnEditor(t *testing.T) {
	sa := startSignedIn(t)
	s, ctx, console := sa.s, sa.ctx, sa.console
	invoices := sa.invoices
	do(t, ctx, chromedp.Navigate(s.URL+"/question/new"), chromedp.WaitVisible(chromedp.CSS("#nb-table")))
	waitJS(t, ctx, `document.querySelector("#nb-database").value !== ""`)
	pick(t, ctx, "#nb-table", fmt.Sprint(invoices))
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#add-expression")), chromedp.Click(chromedp.CSS("#add-expression")),
		chromedp.WaitVisible(chromedp.CSS(".nb-formula .nb-expr")))

	// "roun" offers round; Tab takes it.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(".nb-formula .nb-expr"), "roun"), chromedp.WaitVisible(chromedp.CSS(".nb-suggest")))
	if got := text(t, ctx, ".nb-suggest .nb-suggest-item.active span"); got != "round" {
		t.Errorf("first suggestion for roun = %q, want round", got)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(".nb-formula .nb-expr"), "\t"))
	// "[pay" offers the Payment column; Enter takes it.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(".nb-formula .nb-expr"), "[pay"), chromedp.WaitVisible(chromedp.CSS(".nb-suggest")))
	if got := text(t, ctx, ".nb-suggest .nb-suggest-item.active span"); got != "Payment" {
		t.Errorf("first suggestion for [pay = %q, want Payment", got)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(".nb-formula .nb-expr"), "\r"))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(".nb-formula .nb-expr"), " * 2"))
	if got := eval[string](t, ctx, `document.querySelector(".nb-formula .nb-expr").value`); got != "round([Payment] * 2" {
		t.Fatalf("formula after completing = %q, want round([Payment] * 2", got)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(".nb-expr-name"), "Double"),
		chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS(".nb-error")))
	if got := text(t, ctx, ".nb-error"); got != "Expected a closing parenthesis after [Payment] * 2." {
		t.Errorf("error for an unclosed call = %q", got)
	}
	shot(t, ctx, "formula-error")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(".nb-formula .nb-expr"), ")"),
		chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS("#step-expression .nb-pill-text")))
	if got := text(t, ctx, "#step-expression .nb-pill-text"); got != "Double = round([Payment] * 2)" {
		t.Errorf("custom column pill = %q, want Double = round([Payment] * 2)", got)
	}

	// A metric written as a formula: CountIf.
	do(t, ctx, chromedp.Click(chromedp.CSS("#add-metric")), chromedp.WaitVisible(chromedp.CSS(".nb-agg-op")))
	pick(t, ctx, ".nb-agg-op", "Custom expression")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.nb-formula input[aria-label="Metric formula"]`)),
		chromedp.SendKeys(chromedp.CSS(`.nb-formula input[aria-label="Metric formula"]`), "CountIf([Double] > 1000)"),
		chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS(".nb-metric")))
	if got := text(t, ctx, ".nb-metric .nb-pill-text"); got != "CountIf([Double] > 1000)" {
		t.Errorf("metric pill = %q, want CountIf([Double] > 1000)", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#visualize")), chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="number"]`)))
	shot(t, ctx, "countif")

	// The question in the URL carries the vendor's MBQL, and CountIf
	// counts what a filter on the same condition keeps, fewer than all.
	res := run(t, ctx, chromedp.Evaluate[map[string]any](`(async () => {
		const q = new URLSearchParams(location.search).get("q").replace(/-/g, "+").replace(/_/g, "/");
		const state = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(q + "===".slice((q.length + 3) % 4)), c => c.charCodeAt(0))));
		const post = async (query) => (await (await fetch("/api/dataset", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(query)})).json()).data;
		const counted = await post(state.dataset_query);
		const filtered = JSON.parse(JSON.stringify(state.dataset_query));
		filtered.query.filter = [">", ["expression", "Double"], 1000];
		filtered.query.aggregation = [["count"], ["min", ["expression", "Double"]]];
		const all = JSON.parse(JSON.stringify(state.dataset_query));
		all.query.aggregation = [["count"]];
		return {
			expressions: JSON.stringify(state.dataset_query.query.expressions),
			aggregation: JSON.stringify(state.dataset_query.query.aggregation),
			count: counted.rows[0][0],
			want: (await post(filtered)).rows[0][0],
			rows: (await post(all)).rows[0][0],
		};
	})()`, chromedp.EvalAwaitPromise))
	if got := res["expressions"]; !strings.HasPrefix(got.(string), `{"Double":["round",["*",["field",`) {
		t.Errorf("expressions = %v, want Double as round of a product", got)
	}
	if got := res["aggregation"]; got != `[["count-where",[">",["expression","Double"],1000]]]` {
		t.Errorf("aggregation = %v, want count-where", got)
	}
	if c, _ := res["count"].(float64); c == 0 || c >= res["rows"].(float64) || res["count"] != res["want"] {
		t.Errorf("CountIf = %v, want %v (of %v rows)", res["count"], res["want"], res["rows"])
	}

	// A custom column that is a condition, and a filter written as a
	// formula that uses it: the editor says what is wrong with a filter
	// that is not true or false, then keeps the formula as typed.
	do(t, ctx, chromedp.Click(chromedp.CSS("#add-expression")), chromedp.WaitVisible(chromedp.CSS(".nb-formula .nb-expr")),
		chromedp.SendKeys(chromedp.CSS(".nb-formula .nb-expr"), "[Payment] > 500"),
		chromedp.SendKeys(chromedp.CSS(".nb-expr-name"), "Big"),
		chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS("#add-filter")))
	do(t, ctx, chromedp.Click(chromedp.CSS("#add-filter")), chromedp.WaitVisible(chromedp.CSS(".nb-filter-column")))
	pick(t, ctx, ".nb-filter-column", "Custom expression")
	filterInput := `.nb-formula input[aria-label="Filter formula"]`
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(filterInput)), chromedp.SendKeys(chromedp.CSS(filterInput), "[Payment]"),
		chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS(".nb-error")))
	if got, want := text(t, ctx, ".nb-error"), "Expected a true/false expression for a filter, such as [Total] > 10; [Payment] is a number."; got != want {
		t.Errorf("error for a filter that is a number = %q, want %q", got, want)
	}
	const formula = `[Big] AND (contains([Plan], "Prem") OR isNull([Date Received]))`
	eval[string](t, ctx, `(() => { const i = document.querySelector(`+"`"+filterInput+"`"+`); i.value = ""; return ""; })()`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(filterInput), formula),
		chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS("#step-filter .nb-pill-text")))
	// Each part of the top-level AND shows as a filter of its own.
	pills := eval[string](t, ctx, `Array.from(document.querySelectorAll("#step-filter .nb-pill-text")).map(p => p.textContent).join(" | ")`)
	if want := `[Big] | contains([Plan], "Prem") OR isNull([Date Received])`; pills != want {
		t.Errorf("filter pills = %q, want %q", pills, want)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#visualize")))
	waitJS(t, ctx, `(() => {
		const q = new URLSearchParams(location.search).get("q");
		if (!q) return false;
		const s = q.replace(/-/g, "+").replace(/_/g, "/");
		const state = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(s + "===".slice((s.length + 3) % 4)), c => c.charCodeAt(0))));
		return !!state.dataset_query.query.filter && !!document.querySelector('#viz[data-display="number"]');
	})()`)
	shot(t, ctx, "boolean-filter")
	// The filter keeps the rows the same condition written out keeps.
	res = run(t, ctx, chromedp.Evaluate[map[string]any](`(async () => {
		const q = new URLSearchParams(location.search).get("q").replace(/-/g, "+").replace(/_/g, "/");
		const state = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(q + "===".slice((q.length + 3) % 4)), c => c.charCodeAt(0))));
		const post = async (query) => (await (await fetch("/api/dataset", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(query)})).json()).data;
		const mine = JSON.parse(JSON.stringify(state.dataset_query));
		mine.query.aggregation = [["count"]];
		const written = JSON.parse(JSON.stringify(mine));
		const f = state.dataset_query.query.filter;
		written.query.filter = ["and", [">", state.dataset_query.query.expressions.Big[1], 500], f[2]];
		const all = JSON.parse(JSON.stringify(mine));
		delete all.query.filter;
		return {filter: JSON.stringify(f), count: (await post(mine)).rows[0][0], want: (await post(written)).rows[0][0], rows: (await post(all)).rows[0][0]};
	})()`, chromedp.EvalAwaitPromise))
	if got := res["filter"].(string); !strings.HasPrefix(got, `["and",["expression","Big"],["or",["contains",["field",`) {
		t.Errorf("filter = %s, want the custom column Big and an or", got)
	}
	if c, _ := res["count"].(float64); c == 0 || c >= res["rows"].(float64) || res["count"] != res["want"] {
		t.Errorf("rows kept by the formula filter = %v, want %v (of %v rows)", res["count"], res["want"], res["rows"])
	}
	if msgs := console(); len(msgs) > 0 {
		t.Errorf("console errors: %v", msgs)
	}
}

// TestMetricArithmetic writes arithmetic between metrics in the notebook's
// metric editor, names it, and runs it: the result is the sum of payments
// over the invoice count, per plan, as the API computes from the two
// metrics apart.
func TestMetricArithmetic(t *testing.T) {
	sa := startSignedIn(t)
	s, ctx, console := sa.s, sa.ctx, sa.console
	invoices := sa.invoices
	do(t, ctx, chromedp.Navigate(s.URL+"/question/new"), chromedp.WaitVisible(chromedp.CSS("#nb-table")))
	waitJS(t, ctx, `document.querySelector("#nb-database").value !== ""`)
	pick(t, ctx, "#nb-table", fmt.Sprint(invoices))

	formula := `.nb-formula input[aria-label="Metric formula"]`
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#add-metric")), chromedp.Click(chromedp.CSS("#add-metric")), chromedp.WaitVisible(chromedp.CSS(".nb-agg-op")))
	pick(t, ctx, ".nb-agg-op", "Custom expression")
	// A column outside a metric is explained, not sent.
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(formula)), chromedp.SendKeys(chromedp.CSS(formula), "[Payment] / Count"),
		chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS(".nb-error")))
	if got := text(t, ctx, ".nb-error"); !strings.Contains(got, "Payment must be inside a metric") {
		t.Errorf("error for a bare column = %q, want it to say Payment must be inside a metric", got)
	}
	eval[string](t, ctx, `(() => { document.querySelector(`+"`"+formula+"`"+`).value = ""; return ""; })()`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(formula), "Sum([Payment]) / Count"),
		chromedp.SendKeys(chromedp.CSS(".nb-metric-name"), "Per invoice"),
		chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS(".nb-metric")))
	do(t, ctx, chromedp.Click(chromedp.CSS("#visualize")), chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="number"]`)))

	res := run(t, ctx, chromedp.Evaluate[map[string]any](`(async () => {
		const q = new URLSearchParams(location.search).get("q").replace(/-/g, "+").replace(/_/g, "/");
		const state = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(q + "===".slice((q.length + 3) % 4)), c => c.charCodeAt(0))));
		const post = async (query) => (await (await fetch("/api/dataset", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(query)})).json()).data;
		const got = await post(state.dataset_query);
		const apart = JSON.parse(JSON.stringify(state.dataset_query));
		apart.query.aggregation = [["sum", state.dataset_query.query.aggregation[0][1][1][1]], ["count"]];
		const parts = (await post(apart)).rows[0];
		return {aggregation: JSON.stringify(state.dataset_query.query.aggregation), column: got.cols[0].display_name,
			value: got.rows[0][0], want: parts[0] / parts[1]};
	})()`, chromedp.EvalAwaitPromise))
	if got := res["aggregation"].(string); !strings.HasPrefix(got, `[["aggregation-options",["/",["sum",["field",`) || !strings.HasSuffix(got, `["count"]],{"name":"Per invoice","display-name":"Per invoice"}]]`) {
		t.Errorf("aggregation = %s, want the vendor's named division of sum by count", got)
	}
	if res["column"] != "Per invoice" {
		t.Errorf("result column = %v, want Per invoice", res["column"])
	}
	v, _ := res["value"].(float64)
	w, _ := res["want"].(float64)
	if w == 0 || v < w-1e-6 || v > w+1e-6 {
		t.Errorf("Sum([Payment]) / Count = %v, want %v", res["value"], res["want"])
	}
	for _, e := range console() {
		t.Errorf("console error: %s", e)
	}
}
