package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestNotebookStepPreview previews the steps of a notebook question that
// filters on a plan the first invoices do not have and then counts: the
// data step's preview shows those first invoices, the filter step's only
// matching rows (at most ten, before the summary), the summarize step's
// the count; the preview closes.
func TestNotebookStepPreview(t *testing.T) {
	s := startSightline(t, "127.0.0.1", map[string]string{"SIGHTLINE_ADMIN_EMAIL": adminEmail, "SIGHTLINE_ADMIN_PASSWORD": adminPassword})
	_, invoices := waitSampleSynced(t, s.URL, adminEmail, adminPassword)
	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)

	do(t, ctx, chromedp.Navigate(s.URL+"/question/new"), chromedp.WaitVisible(chromedp.CSS("#nb-table")))
	waitJS(t, ctx, `document.querySelector("#nb-database").value !== ""`)
	pick(t, ctx, "#nb-table", fmt.Sprint(invoices))
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#add-filter")), chromedp.Click(chromedp.CSS("#add-filter")),
		chromedp.WaitVisible(chromedp.CSS(".nb-filter-column")))
	pick(t, ctx, ".nb-filter-column", "Plan")
	pick(t, ctx, ".nb-filter-op", "Is")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(".nb-values .nb-value"), "Business"),
		chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS(".nb-filter")),
		chromedp.Click(chromedp.CSS("#add-metric")), chromedp.WaitVisible(chromedp.CSS(".nb-agg-op")))
	pick(t, ctx, ".nb-agg-op", "Count of rows")
	do(t, ctx, chromedp.Click(chromedp.CSS(".nb-editor .nb-done")), chromedp.WaitVisible(chromedp.CSS(".nb-metric")))

	// previewed reads a step's preview: its column names and its Plan
	// column.
	previewed := func(step string) (got struct {
		Head []string `json:"head"`
		Plan []string `json:"plan"`
	}) {
		t.Helper()
		do(t, ctx, chromedp.Click(chromedp.CSS("#step-"+step+" .nb-preview-button")),
			chromedp.WaitVisible(chromedp.CSS("#step-"+step+" .nb-preview table")))
		raw := eval[string](t, ctx, `(() => {
			const box = document.querySelector("#step-`+step+` .nb-preview");
			const head = Array.from(box.querySelectorAll("thead th")).map(h => h.textContent);
			const i = head.indexOf("Plan");
			return JSON.stringify({head, plan: Array.from(box.querySelectorAll("tbody tr")).map(r => i < 0 ? "?" : r.children[i].textContent)});
		})()`)
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	// The data step's preview is the first ten invoices, some of them on
	// another plan than the filter's.
	if data := previewed("data"); len(data.Plan) != 10 || !slices.ContainsFunc(data.Plan, func(p string) bool { return p != "Business" }) {
		t.Errorf("the data step's preview shows plans %q, want ten invoices, some not on the Business plan", data.Plan)
	}
	got := previewed("filter")
	shot(t, ctx, "filter-preview")
	if len(got.Plan) == 0 || len(got.Plan) > 10 {
		t.Errorf("the filter step's preview shows %d rows, want 1 to 10", len(got.Plan))
	}
	for _, p := range got.Plan {
		if p != "Business" {
			t.Errorf("the filter step's preview shows plans %q, want only Business (the filter Plan is Business)", got.Plan)
			break
		}
	}
	if len(got.Head) < 3 || slices.Contains(got.Head, "Count") {
		t.Errorf("the filter step's preview has the columns %q, want the invoice columns, not the later summary", got.Head)
	}
	if st := text(t, ctx, "#step-filter .nb-preview-status"); st != fmt.Sprintf("First %d rows", len(got.Plan)) {
		t.Errorf("the preview says %q, want First %d rows", st, len(got.Plan))
	}

	// The summarize step's preview is the count; opening it closes the
	// filter step's.
	do(t, ctx, chromedp.Click(chromedp.CSS("#step-summarize .nb-preview-button")),
		chromedp.WaitVisible(chromedp.CSS("#step-summarize .nb-preview table")))
	if head := strings.TrimSpace(text(t, ctx, "#step-summarize .nb-preview thead")); head != "Count" {
		t.Errorf("the summarize step's preview has the columns %q, want Count", head)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".nb-preview").length`); n != 1 {
		t.Errorf("%d previews are open, want only the last one asked for", n)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#step-summarize .nb-preview-close")))
	waitJS(t, ctx, `document.querySelector(".nb-preview") === null`)

	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}

	// A refusal shows in place: signed out, the server answers no rows
	// (the browser logs the 401, so the console is no longer watched).
	run(t, ctx, chromedp.Evaluate[bool](`fetch("/api/session", {method: "DELETE"}).then(r => r.ok)`, chromedp.EvalAwaitPromise))
	do(t, ctx, chromedp.Click(chromedp.CSS("#step-filter .nb-preview-button")),
		chromedp.WaitVisible(chromedp.CSS("#step-filter .nb-preview .nb-preview-error")))
	if msg := text(t, ctx, "#step-filter .nb-preview-error"); !strings.Contains(msg, "sign in") {
		t.Errorf("the preview of a signed-out person shows %q, want the server's request to sign in", msg)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#step-filter .nb-preview tbody tr").length`); n != 0 {
		t.Errorf("the refused preview shows %d rows, want none", n)
	}
}

// TestSaveQuestionToDashboard saves a new notebook question into a chosen
// collection, accepts the offer to add it to a dashboard, and finds it at
// the bottom of that dashboard.
func TestSaveQuestionToDashboard(t *testing.T) {
	s, api := startWithSample(t)
	db, invoices := waitSampleSynced(t, s.URL, adminEmail, adminPassword)
	st, body := apiCall(t, api, "POST", s.URL+"/api/collection", `{"name": "Team reports"}`)
	var coll struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(body, &coll); st != 200 || coll.ID == 0 {
		t.Fatalf("create collection = %d %s", st, body)
	}
	st, body = apiCall(t, api, "POST", s.URL+"/api/card", fmt.Sprintf(`{"name": "Invoice count", "display": "scalar", "visualization_settings": {},
		"collection_id": %d, "dataset_query": {"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}}`, coll.ID, db, invoices))
	var first struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(body, &first); st != 200 || first.ID == 0 {
		t.Fatalf("create card = %d %s", st, body)
	}
	st, body = apiCall(t, api, "POST", s.URL+"/api/dashboard", fmt.Sprintf(`{"name": "Ops board", "collection_id": %d,
		"dashcards": [{"card_id": %d, "row": 0, "col": 0, "size_x": 12, "size_y": 4}]}`, coll.ID, first.ID))
	var dash struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(body, &dash); st != 200 || dash.ID == 0 {
		t.Fatalf("create dashboard = %d %s", st, body)
	}

	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)
	do(t, ctx, chromedp.Navigate(s.URL+"/question/new"), chromedp.WaitVisible(chromedp.CSS("#nb-table")))
	waitJS(t, ctx, `document.querySelector("#nb-database").value !== ""`)
	pick(t, ctx, "#nb-table", fmt.Sprint(invoices))
	do(t, ctx, chromedp.Click(chromedp.CSS("#visualize")), chromedp.WaitVisible(chromedp.CSS(`#viz table`)),
		chromedp.Click(chromedp.CSS("#save-button")), chromedp.WaitVisible(chromedp.CSS("#save-name")))
	const name = "Every invoice"
	run(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#save-name").value = ""; true`))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#save-name"), name),
		chromedp.SendKeys(chromedp.CSS("#save-description"), "All of them"))
	pick(t, ctx, "#save-collection", "Team reports")
	do(t, ctx, chromedp.Click(chromedp.CSS("#save-submit")), chromedp.WaitVisible(chromedp.CSS("#save-dashboard")))
	shot(t, ctx, "add-to-dashboard")
	if got := eval[string](t, ctx, `Array.from(document.querySelectorAll("#save-dashboard option")).map(o => o.textContent).join("|")`); got != "Ops board" {
		t.Errorf("the add-to-dashboard offer lists %q, want Ops board", got)
	}
	pick(t, ctx, "#save-dashboard", "Ops board")
	submitAndWait(t, ctx, "#add-dashboard-submit")
	waitJS(t, ctx, `/^\/dashboard\/\d+/.test(location.pathname)`)
	if want := fmt.Sprintf("/dashboard/%d", dash.ID); !strings.Contains(location(t, ctx), want) {
		t.Errorf("after adding, the page is %s, want %s", location(t, ctx), want)
	}
	waitJS(t, ctx, fmt.Sprintf(`Array.from(document.querySelectorAll(".dash-card-title")).some(e => e.textContent.trim() === %q)`, name))

	_, body = apiCall(t, api, "GET", fmt.Sprintf("%s/api/dashboard/%d", s.URL, dash.ID), "")
	var saved struct {
		Cards []struct {
			CardID int64 `json:"card_id"`
			Row    int   `json:"row"`
			Col    int   `json:"col"`
		} `json:"dashcards"`
	}
	if err := json.Unmarshal(body, &saved); err != nil {
		t.Fatal(err)
	}
	if len(saved.Cards) != 2 || saved.Cards[0].CardID != first.ID {
		t.Fatalf("the dashboard holds %+v, want the first card and the new question", saved.Cards)
	}
	added := saved.Cards[1]
	if added.Row != 4 || added.Col != 0 {
		t.Errorf("the new question is at row %d, column %d; want the bottom, row 4, column 0", added.Row, added.Col)
	}
	_, body = apiCall(t, api, "GET", fmt.Sprintf("%s/api/card/%d", s.URL, added.CardID), "")
	var card struct {
		Name         string `json:"name"`
		Description  string `json:"description"`
		CollectionID int64  `json:"collection_id"`
	}
	if err := json.Unmarshal(body, &card); err != nil {
		t.Fatal(err)
	}
	if card.Name != name || card.Description != "All of them" || card.CollectionID != coll.ID {
		t.Errorf("the saved question is %+v, want %q described %q in collection %d", card, name, "All of them", coll.ID)
	}
	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}
