package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRequiredFilter opens a dashboard whose date filter is required: the
// page starts with the default, an address that empties the filter still
// applies it, and Clear in the picker puts the default back instead of
// showing every row.
func TestRequiredFilter(t *testing.T) {
	s, api := startWithSample(t)
	id, _, _ := tabDashboard(t, s, api, `[{"id": "when", "name": "Received", "slug": "when", "type": "date/all-options",
		"required": true, "default": "2025-01-01~2025-06-30"}]`, "DATE_RECEIVED")
	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)

	summary := `.dash-filter[data-slug="when"] summary`
	const label = "Jan 1, 2025 – Jun 30, 2025"
	open := func(t *testing.T, path, label string) map[string]string {
		t.Helper()
		do(t, ctx, chromedp.Navigate(s.URL+path), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)))
		if st := waitCards(t, ctx, "#dashboard"); len(st.Failed) > 0 {
			t.Errorf("cards on %s: %+v, want no errors", path, st)
		}
		if got := text(t, ctx, summary); got != label {
			t.Errorf("on %s the filter reads %q, want %q", path, got, label)
		}
		return cardNumbers(t, ctx)
	}
	narrowed := open(t, "/dashboard/"+id, label)
	if got := open(t, "/dashboard/"+id+"?when=", label); got["Invoice count"] != narrowed["Invoice count"] {
		t.Errorf("Invoice count with ?when= = %q, want %q as with the default", got["Invoice count"], narrowed["Invoice count"])
	}
	// A wider range counts more invoices, so the default is what narrowed
	// the card.
	all := open(t, "/dashboard/"+id+"?when=2000-01-01~2100-01-01", "Jan 1, 2000 – Jan 1, 2100")
	if all["Invoice count"] == narrowed["Invoice count"] {
		t.Fatalf("Invoice count %q for all dates and with the default; the default does not narrow it", all["Invoice count"])
	}

	do(t, ctx, chromedp.Click(chromedp.CSS(summary)), chromedp.WaitVisible(chromedp.CSS(".dash-date-panel .dash-date-clear")))
	eval[bool](t, ctx, `(() => { document.getElementById("dashboard").dataset.loaded = "false"; return true; })()`)
	do(t, ctx, chromedp.Click(chromedp.CSS(".dash-date-clear")))
	if st := waitCards(t, ctx, "#dashboard"); len(st.Failed) > 0 {
		t.Errorf("cards after Clear: %+v, want no errors", st)
	}
	if got := text(t, ctx, summary); got != label {
		t.Errorf("after Clear the filter reads %q, want the default %q", got, label)
	}
	if got := cardNumbers(t, ctx); got["Invoice count"] != narrowed["Invoice count"] {
		t.Errorf("Invoice count after Clear = %q, want %q (the default)", got["Invoice count"], narrowed["Invoice count"])
	}
	if u, _ := url.Parse(location(t, ctx)); u == nil || u.Query().Has("when") {
		t.Errorf("URL after Clear = %s, want no when= (the default)", location(t, ctx))
	}
	for _, e := range console() {
		t.Errorf("console error: %s", e)
	}
}

// TestLinkedFilter opens a dashboard whose Plan filter is limited by its
// Account filter: the Plan drop-down lists every plan, then only the plans
// of the account typed in, and the filter editor shows the link.
func TestLinkedFilter(t *testing.T) {
	s, api := startWithSample(t)
	db, inv, f := invoicesFields(t, s, api)
	q := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, db, inv)
	st, body := apiCall(t, api, "POST", s.URL+"/api/card", `{"name": "Invoice count", "display": "number", "dataset_query": `+q+`}`)
	var c struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(body, &c); st != 200 || c.ID == 0 {
		t.Fatalf("create card = %d %s", st, body)
	}
	st, body = apiCall(t, api, "POST", s.URL+"/api/dashboard", fmt.Sprintf(`{"name": "Linked", "parameters": [
		{"id": "plan", "name": "Plan", "slug": "plan", "type": "category", "filteringParameters": ["account"]},
		{"id": "account", "name": "Account", "slug": "account", "type": "id"}],
		"dashcards": [{"card_id": %[1]d, "row": 0, "col": 0, "size_x": 12, "size_y": 4, "parameter_mappings": [
		{"parameter_id": "plan", "card_id": %[1]d, "target": ["dimension", ["field", %[2]d, null]]},
		{"parameter_id": "account", "card_id": %[1]d, "target": ["dimension", ["field", %[3]d, null]]}]}]}`, c.ID, f["PLAN"], f["ACCOUNT_ID"]))
	var d struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(body, &d); st != 200 || d.ID == 0 {
		t.Fatalf("create dashboard = %d %s", st, body)
	}
	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)

	loaded := chromedp.WaitVisible(chromedp.CSS(`.dash-filter[data-slug="plan"][data-values="loaded"]`))
	options := func() string {
		return eval[string](t, ctx, `Array.from(document.querySelectorAll("#filter-plan option")).map((o) => o.textContent).join("|")`)
	}
	do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/dashboard/%d", s.URL, d.ID)), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)), loaded)
	if got := options(); got != "All|Basic|Business|Premium" {
		t.Errorf("Plan choices = %q, want every plan", got)
	}
	eval[bool](t, ctx, `(() => { const i = document.getElementById("filter-account"); i.value = "28"; i.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	do(t, ctx, loaded)
	if got := options(); got != "All|Basic" {
		t.Errorf("Plan choices with account 28 = %q, want All|Basic (that account's plan)", got)
	}
	do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/dashboard/%d?account=28", s.URL, d.ID)), chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-ready="true"]`)), loaded)
	if got := options(); got != "All|Basic" {
		t.Errorf("Plan choices on ?account=28 = %q, want All|Basic", got)
	}

	eval[bool](t, ctx, `(() => { document.querySelector('.dash-filter[data-slug="plan"] .dash-filter-edit').click(); return true; })()`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#dash-filter-linked")))
	if got := eval[string](t, ctx, `Array.from(document.querySelectorAll("#dash-filter-linked input")).map((c) => c.value + "=" + c.checked).join("|")`); got != "account=true" {
		t.Errorf("the editor's Limit this filter's choices = %q, want account=true", got)
	}

	// Wire the Plan filter to a second column of the card and save.
	second := fmt.Sprintf(`["dimension",["field",%d,null]]`, f["ACCOUNT_ID"])
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#dash-filter-mappings select[data-ready="true"]`)), chromedp.Click(chromedp.CSS(".dash-mapping-more")),
		chromedp.WaitVisible(chromedp.CSS(`#dash-filter-mappings select:nth-of-type(2)[data-ready="true"]`)))
	if n := eval[int](t, ctx, fmt.Sprintf(`(() => { const s = document.querySelectorAll("#dash-filter-mappings select"); s[1].value = %q; return s[1].value ? s.length : 0; })()`, second)); n != 2 {
		t.Fatalf("the card has %d column lists with the second column chosen, want 2", n)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#dash-filter-editor .btn-primary")), chromedp.Click(chromedp.CSS("#dash-save")),
		chromedp.WaitNotPresent(chromedp.CSS("#dash-editbar:not([hidden])")))
	st, body = apiCall(t, api, "GET", fmt.Sprintf("%s/api/dashboard/%d", s.URL, d.ID), "")
	var saved struct {
		Cards []struct {
			Mappings []struct {
				ParameterID string          `json:"parameter_id"`
				Target      json.RawMessage `json:"target"`
			} `json:"parameter_mappings"`
		} `json:"dashcards"`
	}
	if err := json.Unmarshal(body, &saved); err != nil || st != 200 || len(saved.Cards) != 1 {
		t.Fatalf("GET the dashboard = %d %s", st, body)
	}
	var plan []string
	for _, m := range saved.Cards[0].Mappings {
		if m.ParameterID == "plan" {
			plan = append(plan, string(m.Target))
		}
	}
	if want := fmt.Sprintf(`[["dimension",["field",%d,null]] %s]`, f["PLAN"], second); fmt.Sprint(plan) != want {
		t.Errorf("saved Plan mappings = %v, want %s", plan, want)
	}
	for _, e := range console() {
		t.Errorf("console error: %s", e)
	}
}
