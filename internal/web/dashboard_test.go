package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"sightline"
)

func TestDashboardAPI(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, f := invoicesMeta(t, e)

	newCard := func(name, agg string) int64 {
		q := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [%s]}}`, inv, agg)
		r := e.postJSON(admin, "/api/card", `{"name": "`+name+`", "display": "number", "dataset_query": `+q+`}`)
		var c sightline.Card
		if err := json.Unmarshal([]byte(r.body), &c); err != nil || c.ID == 0 {
			t.Fatalf("create card %s = %d %s", name, r.status, r.body)
		}
		return c.ID
	}
	count := newCard("Invoice count", `["count"]`)
	total := newCard("Total payments", fmt.Sprintf(`["sum", ["field", %d, null]]`, f["PAYMENT"]))

	target := fmt.Sprintf(`["dimension", ["field", %d, null]]`, f["PLAN"])
	body := fmt.Sprintf(`{"name": "Revenue", "parameters": [{"id": "plan", "name": "Plan", "slug": "plan", "type": "category"}],
		"dashcards": [
		 {"card_id": %d, "row": 0, "col": 0, "size_x": 12, "size_y": 4, "parameter_mappings": [{"parameter_id": "plan", "card_id": %d, "target": %s}]},
		 {"card_id": %d, "row": 0, "col": 12, "size_x": 12, "size_y": 4, "parameter_mappings": [{"parameter_id": "plan", "card_id": %d, "target": %s}]},
		 {"row": 4, "col": 0, "size_x": 24, "size_y": 1, "visualization_settings": {"virtual_card": {"display": "text"}, "text": "Hello"}}]}`,
		count, count, target, total, total, target)
	r := e.postJSON(admin, "/api/dashboard", body)
	var d sightline.Dashboard
	if err := json.Unmarshal([]byte(r.body), &d); err != nil || d.ID == 0 || len(d.Cards) != 3 {
		t.Fatalf("POST /api/dashboard = %d %s", r.status, r.body)
	}
	run := func(dc sightline.DashboardCard, params string) (int, string) {
		r := e.postJSON(admin, fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", d.ID, dc.ID, dc.CardID), `{"parameters": `+params+`}`)
		var ds dataset
		json.Unmarshal([]byte(r.body), &ds)
		if r.status != http.StatusAccepted {
			return r.status, r.body
		}
		return r.status, fmt.Sprint(ds.Data.Rows)
	}
	if _, got := run(d.Cards[0], `[]`); got != "[[13856]]" {
		t.Errorf("count without filter = %s, want [[13856]]", got)
	}
	_, basic := run(d.Cards[0], `[{"id": "plan", "value": ["Basic"]}]`)
	_, premium := run(d.Cards[0], `[{"id": "plan", "value": ["Premium"]}]`)
	if basic == premium || basic == "[[13856]]" {
		t.Errorf("the Plan filter does not narrow the card: Basic %s, Premium %s", basic, premium)
	}
	if st, _ := run(d.Cards[0], `[{"id": "nope", "value": "x"}]`); st != 400 {
		t.Errorf("an unknown filter = %d, want 400", st)
	}

	// Two people edit the same revision: the second save is refused, the
	// first one's change stays.
	r = e.do(admin, "PUT", fmt.Sprintf("/api/dashboard/%d", d.ID), "application/json", `{"name": "Revenue (Alice)", "revision": 1}`)
	if r.status != 200 {
		t.Fatalf("first save = %d %s", r.status, r.body)
	}
	r = e.do(admin, "PUT", fmt.Sprintf("/api/dashboard/%d", d.ID), "application/json", `{"name": "Revenue (Bob)", "revision": 1}`)
	if r.status != 409 || !strings.Contains(r.body, "Someone else changed this dashboard") {
		t.Errorf("stale save = %d %s, want 409", r.status, r.body)
	}
	r = e.do(admin, "GET", fmt.Sprintf("/api/dashboard/%d", d.ID), "", "")
	if !strings.Contains(r.body, "Revenue (Alice)") || len(d.Cards) != 3 {
		t.Errorf("after the conflict the dashboard = %s, want Alice's name and its 3 cards", r.body)
	}
	json.Unmarshal([]byte(r.body), &d)

	// A card whose question was archived shows its own error; the others load.
	if r := e.do(admin, "PUT", fmt.Sprintf("/api/card/%d", total), "application/json", `{"archived": true}`); r.status != 200 {
		t.Fatalf("archive card = %d %s", r.status, r.body)
	}
	r = e.do(admin, "GET", fmt.Sprintf("/api/dashboard/%d", d.ID), "", "") // reload, as the page does
	json.Unmarshal([]byte(r.body), &d)
	if st, msg := run(d.Cards[1], `[]`); st != 400 || !strings.Contains(msg, "archived") {
		t.Errorf("archived card = %d %s, want 400 saying it was archived", st, msg)
	}
	if _, got := run(d.Cards[0], `[]`); got != "[[13856]]" {
		t.Errorf("the other card = %s, want it to still load", got)
	}

	// Items of the root collection; a copy of the dashboard.
	r = e.do(admin, "GET", "/api/collection/root/items?models=dashboard", "", "")
	if !strings.Contains(r.body, "Revenue (Alice)") {
		t.Errorf("root items = %s, want the dashboard", r.body)
	}
	r = e.postJSON(admin, fmt.Sprintf("/api/dashboard/%d/copy", d.ID), "")
	if r.status != 200 || !strings.Contains(r.body, "Revenue (Alice) - Duplicate") {
		t.Errorf("copy = %d %s", r.status, r.body)
	}
}
