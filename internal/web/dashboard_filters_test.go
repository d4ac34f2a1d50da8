package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"sightline"
)

// filterDashboard creates a question counting invoices and a dashboard
// showing it with the given filters and mappings (%[1]d in mappings is the
// question's id), and returns the dashboard.
func filterDashboard(t *testing.T, e *testEnv, params, mappings string) sightline.Dashboard {
	t.Helper()
	inv, _ := invoicesMeta(t, e)
	q := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, inv)
	r := e.postJSON(e.adminClient, "/api/card", `{"name": "Invoice count", "display": "number", "dataset_query": `+q+`}`)
	var c sightline.Card
	if err := json.Unmarshal([]byte(r.body), &c); err != nil || c.ID == 0 {
		t.Fatalf("create card = %d %s", r.status, r.body)
	}
	body := fmt.Sprintf(`{"name": "Filters", "parameters": %s, "dashcards": [{"card_id": %d, "row": 0, "col": 0, "size_x": 12, "size_y": 4, "parameter_mappings": %s}]}`,
		params, c.ID, fmt.Sprintf(mappings, c.ID))
	r = e.postJSON(e.adminClient, "/api/dashboard", body)
	var d sightline.Dashboard
	if err := json.Unmarshal([]byte(r.body), &d); err != nil || d.ID == 0 || len(d.Cards) != 1 {
		t.Fatalf("POST /api/dashboard = %d %s", r.status, r.body)
	}
	return d
}

// runDashcard runs the dashboard's first card with the given parameters
// and returns its rows as printed, or the status and body of a refusal.
func runDashcard(t *testing.T, e *testEnv, d sightline.Dashboard, params string) string {
	t.Helper()
	dc := d.Cards[0]
	r := e.postJSON(e.adminClient, fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", d.ID, dc.ID, dc.CardID), `{"parameters": `+params+`}`)
	if r.status != http.StatusAccepted {
		return fmt.Sprintf("%d %s", r.status, r.body)
	}
	var ds dataset
	if err := json.Unmarshal([]byte(r.body), &ds); err != nil {
		t.Fatalf("dashcard query answer %s: %v", r.body, err)
	}
	return fmt.Sprint(ds.Data.Rows)
}

// adhocCount counts invoices matching filter (a filter clause in the wire
// format) with an ad-hoc query.
func adhocCount(t *testing.T, e *testEnv, filter string) string {
	t.Helper()
	inv, _ := invoicesMeta(t, e)
	r := e.postJSON(e.adminClient, "/api/dataset", fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]], "filter": %s}}`, inv, filter))
	var ds dataset
	if err := json.Unmarshal([]byte(r.body), &ds); err != nil || r.status != http.StatusAccepted {
		t.Fatalf("POST /api/dataset = %d %s", r.status, r.body)
	}
	return fmt.Sprint(ds.Data.Rows)
}

func TestRequiredFilterDefaults(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	_, f := invoicesMeta(t, e)
	mapping := fmt.Sprintf(`[{"parameter_id": "plan", "card_id": %%[1]d, "target": ["dimension", ["field", %d, null]]}]`, f["PLAN"])

	// A required filter without a default is refused, on create and on edit.
	r := e.postJSON(e.adminClient, "/api/dashboard", `{"name": "No default", "parameters": [{"id": "plan", "name": "Plan", "slug": "plan", "type": "category", "required": true}]}`)
	if want := `The filter \"Plan\" is required, so it needs a default value.`; r.status != 400 || !strings.Contains(r.body, want) {
		t.Errorf("create a required filter without a default = %d %s, want 400 %s", r.status, r.body, want)
	}

	d := filterDashboard(t, e, `[{"id": "plan", "name": "Plan", "slug": "plan", "type": "category", "required": true, "default": ["Basic"]}]`, mapping)
	if len(d.Parameters) != 1 || !d.Parameters[0].Required {
		t.Fatalf("saved parameters = %+v, want the required Plan filter", d.Parameters)
	}
	r = e.do(e.adminClient, "PUT", fmt.Sprintf("/api/dashboard/%d", d.ID), "application/json",
		`{"parameters": [{"id": "plan", "name": "Plan", "slug": "plan", "type": "category", "required": true, "default": []}]}`)
	if r.status != 400 || !strings.Contains(r.body, "needs a default value") {
		t.Errorf("emptying a required filter's default = %d %s, want 400", r.status, r.body)
	}

	basic := adhocCount(t, e, fmt.Sprintf(`["=", ["field", %d, null], "Basic"]`, f["PLAN"]))
	premium := adhocCount(t, e, fmt.Sprintf(`["=", ["field", %d, null], "Premium"]`, f["PLAN"]))
	all := adhocCount(t, e, `null`)
	if basic == all || basic == premium {
		t.Fatalf("the sample data cannot tell the plans apart: Basic %s, Premium %s, all %s", basic, premium, all)
	}
	for _, tt := range []struct {
		name, params, want string
	}{
		{"left out", `[]`, basic},
		{"emptied", `[{"id": "plan", "value": []}]`, basic},
		{"null", `[{"id": "plan", "value": null}]`, basic},
		{"set", `[{"id": "plan", "value": ["Premium"]}]`, premium},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := runDashcard(t, e, d, tt.params); got != tt.want {
				t.Errorf("card with Plan %s = %s, want %s", tt.params, got, tt.want)
			}
		})
	}
}

func TestLinkedFilterValues(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	_, f := invoicesMeta(t, e)
	mapping := fmt.Sprintf(`[{"parameter_id": "plan", "card_id": %%[1]d, "target": ["dimension", ["field", %d, null]]},
		{"parameter_id": "account", "card_id": %%[1]d, "target": ["dimension", ["field", %d, null]]}]`, f["PLAN"], f["ACCOUNT_ID"])

	r := e.postJSON(e.adminClient, "/api/dashboard", `{"name": "Linked", "parameters": [{"id": "plan", "name": "Plan", "slug": "plan", "type": "category", "filteringParameters": ["nope"]}]}`)
	if want := `The filter \"Plan\" is limited by the filter \"nope\", which this dashboard does not have.`; r.status != 400 || !strings.Contains(r.body, want) {
		t.Errorf("a filter limited by a filter the dashboard lacks = %d %s, want 400 %s", r.status, r.body, want)
	}

	d := filterDashboard(t, e, `[{"id": "plan", "name": "Plan", "slug": "plan", "type": "category", "filteringParameters": ["account"]},
		{"id": "account", "name": "Account", "slug": "account", "type": "id"}]`, mapping)
	if got := d.Parameters[0].FilteringParameters; len(got) != 1 || got[0] != "account" {
		t.Fatalf("saved filteringParameters = %v, want [account]", got)
	}
	for _, tt := range []struct {
		name, param, query, want string
	}{
		{"not limited", "plan", "", `[["Basic"],["Business"],["Premium"]]`},
		{"limited by an account", "plan", "?account=28", `[["Basic"]]`},
		{"a filter it is not limited by", "account", "?plan=Premium", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(e.adminClient, "GET", fmt.Sprintf("/api/dashboard/%d/params/%s/values%s", d.ID, tt.param, tt.query), "", "")
			var pv struct {
				Values json.RawMessage `json:"values"`
			}
			if err := json.Unmarshal([]byte(r.body), &pv); err != nil || r.status != http.StatusOK {
				t.Fatalf("GET values%s = %d %s", tt.query, r.status, r.body)
			}
			if tt.want != "" && string(pv.Values) != tt.want {
				t.Errorf("values of %s%s = %s, want %s", tt.param, tt.query, pv.Values, tt.want)
			}
			if tt.want == "" {
				all := e.do(e.adminClient, "GET", fmt.Sprintf("/api/dashboard/%d/params/%s/values", d.ID, tt.param), "", "")
				if !strings.Contains(all.body, string(pv.Values)) {
					t.Errorf("values of %s%s = %s, want the same as without it (%.200s)", tt.param, tt.query, pv.Values, all.body)
				}
			}
		})
	}
}

// TestFilterOnSeveralColumns wires one Plan filter to two columns of one
// card, the invoice's plan and (through its foreign key) the account's
// plan: the card keeps the invoices where either column matches.
func TestFilterOnSeveralColumns(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	_, f := invoicesMeta(t, e)
	r := e.do(e.adminClient, "GET", "/api/database/1/metadata", "", "")
	var md struct {
		Tables []sightline.Table `json:"tables"`
	}
	if err := json.Unmarshal([]byte(r.body), &md); err != nil {
		t.Fatal(err)
	}
	var accPlan int64
	for _, tb := range md.Tables {
		for _, fl := range tb.Fields {
			if tb.Name == "ACCOUNTS" && fl.Name == "PLAN" {
				accPlan = fl.ID
			}
		}
	}
	invPlan := fmt.Sprintf(`["field", %d, null]`, f["PLAN"])
	acctPlan := fmt.Sprintf(`["field", %d, {"source-field": %d}]`, accPlan, f["ACCOUNT_ID"])
	d := filterDashboard(t, e, `[{"id": "plan", "name": "Plan", "slug": "plan", "type": "category"}]`,
		`[{"parameter_id": "plan", "card_id": %[1]d, "target": ["dimension", `+invPlan+`]},
		  {"parameter_id": "plan", "card_id": %[1]d, "target": ["dimension", `+acctPlan+`]}]`)
	if n := len(d.Cards[0].Mappings); n != 2 {
		t.Fatalf("saved mappings = %d, want both columns", n)
	}
	either := adhocCount(t, e, `["or", ["=", `+invPlan+`, "Premium"], ["=", `+acctPlan+`, "Premium"]]`)
	both := adhocCount(t, e, `["and", ["=", `+invPlan+`, "Premium"], ["=", `+acctPlan+`, "Premium"]]`)
	if either == both {
		t.Fatalf("the sample data cannot tell either from both: %s", either)
	}
	if got := runDashcard(t, e, d, `[{"id": "plan", "value": ["Premium"]}]`); got != either {
		t.Errorf("card with Plan = Premium on two columns = %s, want %s (either column), not %s (both)", got, either, both)
	}
	// The drop-down offers the values of both columns.
	r = e.do(e.adminClient, "GET", fmt.Sprintf("/api/dashboard/%d/params/plan/values", d.ID), "", "")
	if r.status != http.StatusOK || !strings.Contains(r.body, `["Premium"]`) {
		t.Errorf("values of the filter = %d %s, want the plans", r.status, r.body)
	}
}
