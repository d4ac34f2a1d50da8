package web

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"sightline"
)

// TestClickBehaviorStored saves each kind of click behavior on a dashboard
// card in the vendor's keys and reads it back unchanged, and refuses the
// ones that name nothing or something unsafe with a message saying why.
func TestClickBehaviorStored(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, _ := invoicesMeta(t, e)
	q := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, inv)
	r := e.postJSON(admin, "/api/card", `{"name": "Invoice count", "display": "scalar", "dataset_query": `+q+`}`)
	var card sightline.Card
	if json.Unmarshal([]byte(r.body), &card); card.ID == 0 {
		t.Fatalf("create card = %d %s", r.status, r.body)
	}
	r = e.postJSON(admin, "/api/dashboard", `{"name": "Details", "parameters": [{"id": "acct", "name": "Account", "slug": "account", "type": "id"}]}`)
	var target sightline.Dashboard
	if json.Unmarshal([]byte(r.body), &target); target.ID == 0 {
		t.Fatalf("create target dashboard = %d %s", r.status, r.body)
	}
	mapping := func(id string) string {
		return fmt.Sprintf(`{%q: {"id": %q, "source": {"id": "ACCOUNT_ID", "name": "Account ID", "type": "column"}, "target": {"id": %q, "type": "parameter"}}}`, id, id, id)
	}
	tests := []struct {
		name, settings string
		status         int
		message        string
	}{
		{"link to a dashboard", fmt.Sprintf(`{"click_behavior": {"type": "link", "linkType": "dashboard", "targetId": %d, "parameterMapping": %s}}`, target.ID, mapping("acct")), 200, ""},
		{"link to a question", fmt.Sprintf(`{"click_behavior": {"type": "link", "linkType": "question", "targetId": %d, "parameterMapping": {}}}`, card.ID), 200, ""},
		{"url of a column", `{"column_settings": {"[\"name\",\"ACCOUNT_ID\"]": {"click_behavior": {"type": "link", "linkType": "url", "linkTemplate": "https://crm.example/accounts/{{ACCOUNT_ID}}"}}}}`, 200, ""},
		{"relative url", `{"click_behavior": {"type": "link", "linkType": "url", "linkTemplate": "/browse?plan={{PLAN}}"}}`, 200, ""},
		{"crossfilter", `{"click_behavior": {"type": "crossfilter", "parameterMapping": ` + mapping("plan") + `}}`, 200, ""},
		{"drill menu", `{"click_behavior": {"type": "actionMenu"}}`, 200, ""},
		{"javascript url", `{"click_behavior": {"type": "link", "linkType": "url", "linkTemplate": " JavaScript:alert(1)"}}`, 400, "must start with http://, https:// or /"},
		{"protocol-relative url", `{"click_behavior": {"type": "link", "linkType": "url", "linkTemplate": "//evil.example"}}`, 400, "must start with http://, https:// or /"},
		{"missing dashboard", `{"click_behavior": {"type": "link", "linkType": "dashboard", "targetId": 424242}}`, 400, "does not exist or which you may not see"},
		{"dashboard without the filter", fmt.Sprintf(`{"click_behavior": {"type": "link", "linkType": "dashboard", "targetId": %d, "parameterMapping": %s}}`, target.ID, mapping("plan")), 400, `sets the filter "plan"`},
		{"crossfilter of a filter this dashboard lacks", `{"click_behavior": {"type": "crossfilter", "parameterMapping": ` + mapping("acct") + `}}`, 400, `sets the filter "acct"`},
		{"missing question", `{"click_behavior": {"type": "link", "linkType": "question", "targetId": 424242}}`, 404, "Question 424242 does not exist."},
		{"no target", `{"click_behavior": {"type": "link", "linkType": "dashboard"}}`, 400, "needs its id as targetId"},
		{"unknown kind", `{"click_behavior": {"type": "popup"}}`, 400, `Unknown click behavior "popup"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := fmt.Sprintf(`{"name": "Clicks", "parameters": [{"id": "plan", "name": "Plan", "slug": "plan", "type": "category"}],
				"dashcards": [{"card_id": %d, "row": 0, "col": 0, "size_x": 6, "size_y": 4, "visualization_settings": %s}]}`, card.ID, tt.settings)
			r := e.postJSON(admin, "/api/dashboard", body)
			var answer struct {
				Message string `json:"message"`
			}
			json.Unmarshal([]byte(r.body), &answer)
			if r.status != tt.status || !strings.Contains(answer.Message, tt.message) {
				t.Fatalf("POST /api/dashboard with %s = %d %s, want %d %q", tt.settings, r.status, r.body, tt.status, tt.message)
			}
			if tt.status != 200 {
				return
			}
			var saved struct {
				ID    int64 `json:"id"`
				Cards []struct {
					VizSettings json.RawMessage `json:"visualization_settings"`
				} `json:"dashcards"`
			}
			json.Unmarshal([]byte(r.body), &saved)
			r = e.get(admin, fmt.Sprintf("/api/dashboard/%d", saved.ID))
			json.Unmarshal([]byte(r.body), &saved)
			var got, want any
			json.Unmarshal([]byte(tt.settings), &want)
			if len(saved.Cards) != 1 || json.Unmarshal(saved.Cards[0].VizSettings, &got) != nil {
				t.Fatalf("GET /api/dashboard/%d = %s", saved.ID, r.body)
			}
			if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
				t.Errorf("stored settings = %s, want %s", g, w)
			}
		})
	}
}
