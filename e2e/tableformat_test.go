package e2e

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDashboardTableFormatting puts two cards made through the API on a
// dashboard: a table whose visualization_settings colour the Basic plan's
// row (table.column_formatting) and draw mini bars, and the same result as
// an object detail. The dashboard draws both as the settings say.
func TestDashboardTableFormatting(t *testing.T) {
	s, api := startWithSample(t)
	db, _, _ := invoicesFields(t, s, api)
	const sql = "SELECT PLAN, COUNT(*) AS invoices FROM INVOICES GROUP BY PLAN ORDER BY PLAN"
	newCard := func(name, display, settings string) int64 {
		t.Helper()
		body := fmt.Sprintf(`{"name": %q, "display": %q, "visualization_settings": %s,
			"dataset_query": {"database": %d, "type": "native", "native": {"query": %q}}}`, name, display, settings, db, sql)
		st, resp := apiCall(t, api, "POST", s.URL+"/api/card", body)
		var c struct {
			ID      int64  `json:"id"`
			Display string `json:"display"`
		}
		if json.Unmarshal(resp, &c); st != 200 || c.ID == 0 || c.Display != display {
			t.Fatalf("POST /api/card %s = %d %s, want 200 with display %q", name, st, resp, display)
		}
		return c.ID
	}
	table := newCard("Plans, formatted", "table", `{
		"table.column_formatting": [
			{"columns": ["PLAN"], "type": "single", "operator": "=", "value": "Basic", "color": "#00ff00", "highlight_row": true},
			{"columns": ["invoices"], "type": "single", "operator": "not-null", "color": "javascript:alert(1)", "highlight_row": false}],
		"column_settings": {"[\"name\",\"invoices\"]": {"show_mini_bar": true}}}`)
	object := newCard("Plans, one at a time", "object", `{}`)
	st, resp := apiCall(t, api, "POST", s.URL+"/api/dashboard", fmt.Sprintf(`{"name": "Formatted", "parameters": [], "dashcards": [
		{"card_id": %d, "row": 0, "col": 0, "size_x": 12, "size_y": 5, "parameter_mappings": []},
		{"card_id": %d, "row": 0, "col": 12, "size_x": 12, "size_y": 5, "parameter_mappings": []}]}`, table, object))
	var d struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(resp, &d); st != 200 || d.ID == 0 {
		t.Fatalf("POST /api/dashboard = %d %s", st, resp)
	}

	ctx := browser(t)
	console := watchConsole(t, ctx)
	signIn(t, ctx, s.URL)
	do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/dashboard/%d", s.URL, d.ID)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`.dash-card[data-card-id="%d"] .dash-card-body[data-state="done"] td`, table))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`.dash-card[data-card-id="%d"] .dash-card-body[data-state="done"] dl`, object))))
	shot(t, ctx, "dashboard-table-formatting")

	tableSel := fmt.Sprintf(`.dash-card[data-card-id="%d"]`, table)
	rows := eval[[]string](t, ctx, fmt.Sprintf(`Array.from(document.querySelectorAll('%s tbody tr')).map((tr) =>
		tr.firstElementChild.textContent + "=" + tr.style.backgroundColor + "/" + tr.lastElementChild.style.backgroundColor)`, tableSel))
	if want := fmt.Sprint([]string{"Basic=rgb(0, 255, 0)/", "Business=/", "Premium=/"}); fmt.Sprint(rows) != want {
		t.Errorf("dashboard table rows (plan=row/invoices cell background) = %v, want %s (the non-hex colour ignored)", rows, want)
	}
	if n := eval[int](t, ctx, fmt.Sprintf(`document.querySelectorAll('%s tbody .viz-minibar-fill').length`, tableSel)); n != 3 {
		t.Errorf("mini bars on the dashboard table = %d, want 3", n)
	}

	objSel := fmt.Sprintf(`.dash-card[data-card-id="%d"]`, object)
	read := fmt.Sprintf(`(() => { const b = document.querySelector('%s');
		return b.querySelector(".viz-pager-info").textContent + " " + Array.from(b.querySelectorAll("dt")).map((dt) => dt.textContent + "=" + dt.nextElementSibling.textContent).join(", "); })()`, objSel)
	first := eval[string](t, ctx, read)
	if want := "Item 1 of 3 Plan=Basic, "; len(first) < len(want) || first[:len(want)] != want {
		t.Errorf("object detail card = %q, want it to start %q", first, want)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(objSel+" .viz-object-next")))
	if got, want := eval[string](t, ctx, read), "Item 2 of 3 Plan=Business, "; len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("object detail card after Next = %q, want it to start %q", got, want)
	}
	for _, m := range console() {
		t.Errorf("browser console: %s", m)
	}
}
