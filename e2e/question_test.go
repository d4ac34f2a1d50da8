package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// questionAPI is a signed-in HTTP client for the question journey's setup.
type questionAPI struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (a *questionAPI) get(path string, v any) {
	a.t.Helper()
	res, err := a.c.Get(a.base + path)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		a.t.Fatalf("GET %s = %d", path, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
}

// signedInAdmin is a Sightline with an administrator and a synced Sample
// Database, and a browser signed in as that administrator.
type signedInAdmin struct {
	s            *sightline
	db, invoices int64
	ctx          context.Context
	// console returns the browser console's errors so far.
	console func() []string
}

// startSignedIn starts Sightline with an administrator, waits for the
// Sample Database, and signs the administrator in on a new browser.
func startSignedIn(t *testing.T) signedInAdmin {
	t.Helper()
	s := startSightline(t, "127.0.0.1", map[string]string{"SIGHTLINE_ADMIN_EMAIL": signedInEmail, "SIGHTLINE_ADMIN_PASSWORD": signedInPassword})
	db, invoices := waitSampleSynced(t, s.URL, signedInEmail, signedInPassword)
	ctx := browser(t)
	console := watchConsole(t, ctx)
	do(t, ctx, chromedp.Navigate(s.URL+"/auth/login"), chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), signedInEmail),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), signedInPassword))
	submitAndWait(t, ctx, `form button[type=submit]`)
	return signedInAdmin{s: s, db: db, invoices: invoices, ctx: ctx, console: console}
}

// The administrator startSignedIn signs in.
const signedInEmail, signedInPassword = "admin@example.com", "admin password 1"

// waitSampleSynced signs in and waits until the Sample Database is synced;
// it returns its ID and the ID of INVOICES.
func waitSampleSynced(t *testing.T, base, email, password string) (db, invoices int64) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	a := &questionAPI{t: t, base: base, c: &http.Client{Jar: jar}}
	res, err := a.c.Post(base+"/api/session", "application/json", strings.NewReader(fmt.Sprintf(`{"email": %q, "password": %q}`, email, password)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("POST /api/session = %d", res.StatusCode)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		var dbs struct {
			Data []struct {
				ID         int64  `json:"id"`
				IsSample   bool   `json:"is_sample"`
				SyncStatus string `json:"sync_status"`
			} `json:"data"`
		}
		a.get("/api/database", &dbs)
		for _, d := range dbs.Data {
			if d.IsSample && d.SyncStatus == "complete" {
				db = d.ID
			}
		}
		if db != 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Sample Database was not synced within 60 s: %+v", dbs.Data)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var md struct {
		Tables []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"tables"`
	}
	a.get(fmt.Sprintf("/api/database/%d/metadata", db), &md)
	for _, tb := range md.Tables {
		if tb.Name == "INVOICES" {
			invoices = tb.ID
		}
	}
	if invoices == 0 {
		t.Fatal("no INVOICES table in the Sample Database")
	}
	return db, invoices
}

// pick sets a select to the option whose text is label (or whose value is
// label) and fires change, as a person choosing it would.
func pick(t *testing.T, ctx context.Context, sel, label string) {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		if (!s) return "no " + %q;
		const o = Array.from(s.options).find(o => o.textContent.trim() === %q || o.value === %q);
		if (!o) return "no option " + %q + " in " + Array.from(s.options).map(o => o.textContent).join("|");
		s.value = o.value;
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return "";
	})()`, sel, sel, label, label, label)
	if msg := eval[string](t, ctx, js); msg != "" {
		t.Fatalf("pick %s %q: %s", sel, label, msg)
	}
}

// waitJS polls a JavaScript condition until it is true.
func waitJS(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !eval[bool](t, ctx, "!!("+cond+")") {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", cond)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestQuestionJourney builds "Sum of Payment by Date Received: Month" on
// INVOICES in the notebook editor, sees a line chart, drills into one
// month's underlying invoices, saves the question and reopens it by URL.
func TestQuestionJourney(t *testing.T) {
	sa := startSignedIn(t)
	s, ctx, console := sa.s, sa.ctx, sa.console
	invoices := sa.invoices

	// The notebook editor: data, a metric, a group-by, Visualize.
	do(t, ctx, chromedp.Navigate(s.URL+"/question/new"), chromedp.WaitVisible(chromedp.CSS("#nb-table")))
	waitJS(t, ctx, `document.querySelector("#nb-database").value !== ""`)
	pick(t, ctx, "#nb-table", fmt.Sprint(invoices))
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#add-metric")), chromedp.Click(chromedp.CSS("#add-metric")),
		chromedp.WaitVisible(chromedp.CSS(".nb-agg-op")))
	pick(t, ctx, ".nb-agg-op", "Sum of")
	pick(t, ctx, ".nb-agg-column", "Payment")
	do(t, ctx, chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS(".nb-metric")),
		chromedp.Click(chromedp.CSS("#add-breakout")), chromedp.WaitVisible(chromedp.CSS(".nb-breakout-column")))
	pick(t, ctx, ".nb-breakout-column", "Date Received")
	pick(t, ctx, ".nb-unit", "month")
	do(t, ctx, chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS(".nb-breakout")))
	if got := text(t, ctx, ".nb-metric .nb-pill-text") + " | " + text(t, ctx, ".nb-breakout .nb-pill-text"); got != "Sum of Payment | Date Received: Month" {
		t.Errorf("summarize step = %q, want Sum of Payment | Date Received: Month", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#visualize")), chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="line"] canvas`)))
	if got := text(t, ctx, "#question-title"); got != "Invoices, Sum of Payment, Grouped by Date Received: Month" {
		t.Errorf("title = %q, want the question described", got)
	}
	if !strings.Contains(location(t, ctx), "/question?q=") {
		t.Errorf("after Visualize the URL is %s, want the ad-hoc question in it", location(t, ctx))
	}
	adHoc := location(t, ctx)
	shot(t, ctx, "line")

	// Drill: click the twelfth month and view its invoices.
	point := eval[[]any](t, ctx, `(() => {
		const c = echarts.getInstanceByDom(document.querySelector("#viz .viz-chart"));
		c.getDom().scrollIntoView({block: "center"});
		const o = c.getOption();
		const i = 11;
		const p = c.convertToPixel({seriesIndex: 0}, [i, o.series[0].data[i]]);
		const r = c.getDom().getBoundingClientRect();
		return [r.left + p[0], r.top + p[1], o.xAxis[0].data[i]];
	})()`)
	month := point[2].(string)
	do(t, ctx, chromedp.MouseClickXY(point[0].(float64), point[1].(float64)), chromedp.WaitVisible(chromedp.CSS("#drill-underlying")))
	shot(t, ctx, "drill-menu")
	if head := text(t, ctx, "#drill-menu .drill-head"); !strings.Contains(head, "Sum of Payment") {
		t.Errorf("drill menu heading = %q, want the clicked metric", head)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#drill-underlying")), chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="table"] table`)))
	shot(t, ctx, "underlying")
	// Every underlying invoice falls in the clicked month, on this page and
	// in the whole result of the question in the URL.
	parsed, err := time.Parse("January 2006", month)
	if err != nil {
		t.Fatalf("month label %q: %v", month, err)
	}
	prefix := parsed.Format("2006-01")
	res := run(t, ctx, chromedp.Evaluate[map[string]any](`(async () => {
		const q = new URLSearchParams(location.search).get("q").replace(/-/g, "+").replace(/_/g, "/");
		const state = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(q + "===".slice((q.length + 3) % 4)), c => c.charCodeAt(0))));
		const res = await fetch("/api/dataset", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(state.dataset_query)});
		const body = await res.json();
		const i = body.data.cols.findIndex(c => c.name === "DATE_RECEIVED");
		return {dates: body.data.rows.map(r => r[i]), display: state.display, filter: JSON.stringify(state.dataset_query.query.filter)};
	})()`, chromedp.EvalAwaitPromise))
	dates, _ := res["dates"].([]any)
	if len(dates) == 0 {
		t.Fatalf("the underlying records are empty (%v)", res)
	}
	for _, d := range dates {
		if !strings.HasPrefix(fmt.Sprint(d), prefix) {
			t.Errorf("underlying invoice dated %v, want every one in %s (filter %v)", d, prefix, res["filter"])
			break
		}
	}
	cells := eval[[]string](t, ctx, `(() => {
		const th = Array.from(document.querySelectorAll("#viz thead th")).map(h => h.textContent.trim());
		const i = th.findIndex(h => h.startsWith("Date Received"));
		return Array.from(document.querySelectorAll("#viz tbody tr")).map(r => r.children[i].textContent);
	})()`)
	for _, c := range cells {
		if !strings.Contains(c, parsed.Format("January")) || !strings.Contains(c, parsed.Format("2006")) {
			t.Errorf("table cell %q, want a date in %s", c, month)
			break
		}
	}
	if len(cells) == 0 {
		t.Error("the underlying records table shows no rows")
	}

	// Back to the chart: save it, then reopen it by its URL.
	do(t, ctx, chromedp.Navigate(adHoc), chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="line"] canvas`)),
		chromedp.Click(chromedp.CSS("#save-button")), chromedp.WaitVisible(chromedp.CSS("#save-name")))
	const name = "Sum of Payment by Date Received: Month"
	run(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#save-name").value = ""; true`))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#save-name"), name))
	// The dialog offers the collections the administrator may save into,
	// the root preselected for a new question; save into their personal
	// collection instead.
	opts := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#save-collection option")).map(o => o.textContent + (o.selected ? " (selected)" : ""))`)
	if len(opts) < 2 || opts[0] != "Our analytics (selected)" {
		t.Errorf("the save dialog offers %q, want the root preselected and the personal collection", opts)
	}
	personal := eval[string](t, ctx, `(() => {
		const sel = document.querySelector("#save-collection");
		const o = Array.from(sel.options).find(o => o.textContent.endsWith("Personal Collection"));
		if (o) sel.value = o.value;
		return o ? o.value : "";
	})()`)
	if personal == "" {
		t.Errorf("the save dialog does not offer the personal collection: %q", opts)
	}
	submitAndWait(t, ctx, "#save-submit")
	saved := location(t, ctx)
	if !regexp.MustCompile(`/question/\d+-sum-of-payment-by-date-received-month$`).MatchString(saved) {
		t.Fatalf("after saving the URL is %s, want /question/ID-sum-of-payment-by-date-received-month", saved)
	}
	coll := run(t, ctx, chromedp.Evaluate[float64](`(async () => {
		const id = location.pathname.split("/")[2].split("-")[0];
		return (await (await fetch("/api/card/" + id)).json()).collection_id || 0;
	})()`, chromedp.EvalAwaitPromise))
	if got := strconv.FormatFloat(coll, 'f', -1, 64); got != personal {
		t.Errorf("the question was saved in collection %s, want the chosen one, %s", got, personal)
	}
	ctx2 := ctx
	do(t, ctx2, chromedp.Navigate("about:blank"), chromedp.Navigate(saved), chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="line"] canvas`)))
	if got := text(t, ctx2, "#question-title"); got != name {
		t.Errorf("reopened title = %q, want %q", got, name)
	}
	if info := text(t, ctx2, "#question-info"); !strings.Contains(info, "Edited") {
		t.Errorf("edited-by line = %q", info)
	}
	shot(t, ctx2, "saved")
	if msgs := console(); len(msgs) > 0 {
		t.Errorf("console errors: %v", msgs)
	}
}

// TestSQLQuestion writes a SQL question with a {{variable}}, runs it with a
// value bound by the server, and shows an engine error as it comes back.
func TestSQLQuestion(t *testing.T) {
	const email, password = "admin@example.com", "admin password 1"
	s := startSightline(t, "127.0.0.1", map[string]string{"SIGHTLINE_ADMIN_EMAIL": email, "SIGHTLINE_ADMIN_PASSWORD": password})
	waitSampleSynced(t, s.URL, email, password)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(s.URL+"/auth/login"), chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password))
	submitAndWait(t, ctx, `form button[type=submit]`)

	do(t, ctx, chromedp.Navigate(s.URL+"/question/new?type=native"), chromedp.WaitVisible(chromedp.CSS("#sql-text")),
		chromedp.SendKeys(chromedp.CSS("#sql-text"), "SELECT COUNT(*) AS invoices FROM INVOICES WHERE PLAN = {{plan}}"),
		chromedp.WaitVisible(chromedp.CSS(`.sql-var[data-name="plan"] .var-value`)),
		chromedp.SendKeys(chromedp.CSS(`.sql-var[data-name="plan"] .var-value`), "Basic' OR '1'='1\t"),
		chromedp.Click(chromedp.CSS("#visualize")), chromedp.WaitVisible(chromedp.CSS(`#viz[data-display="number"] .viz-scalar-value`)))
	// SQLite gives COUNT(*) no declared type; its values make it an
	// integer, so the one-number result shows as a number.
	if got := text(t, ctx, "#viz .viz-scalar-value"); got != "0" {
		t.Errorf("count for an injection attempt = %q, want 0: the value is bound, not pasted", got)
	}
	run(t, ctx, chromedp.Evaluate[bool](`document.querySelector(".sql-var .var-value").value = ""; true`))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`.sql-var[data-name="plan"] .var-value`), "Basic\t"),
		chromedp.Click(chromedp.CSS("#visualize")))
	waitJS(t, ctx, `document.querySelector("#viz .viz-scalar-value") && document.querySelector("#viz .viz-scalar-value").textContent !== "0"`)
	shot(t, ctx, "sql")
	run(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#sql-text").value = ""; true`))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#sql-text"), "SELEC 1"), chromedp.Click(chromedp.CSS("#visualize")),
		chromedp.WaitVisible(chromedp.CSS("#question-error")))
	if msg := text(t, ctx, "#question-error"); !strings.Contains(msg, "syntax error") {
		t.Errorf("engine error shown = %q, want the engine's syntax error", msg)
	}
	shot(t, ctx, "sql-error")
}
