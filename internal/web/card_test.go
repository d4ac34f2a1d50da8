package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"sightline"
)

// invoicesMeta returns the ids of INVOICES and its fields by name.
func invoicesMeta(t *testing.T, e *testEnv) (tableID int64, fields map[string]int64) {
	t.Helper()
	r := e.do(e.adminClient, "GET", "/api/database/1/metadata", "", "")
	var md struct {
		Tables []sightline.Table `json:"tables"`
	}
	if err := json.Unmarshal([]byte(r.body), &md); err != nil {
		t.Fatal(err)
	}
	fields = map[string]int64{}
	for _, tb := range md.Tables {
		if tb.Name == "INVOICES" {
			tableID = tb.ID
			for _, f := range tb.Fields {
				fields[f.Name] = f.ID
			}
		}
	}
	return tableID, fields
}

type dataset struct {
	Data struct {
		Cols []map[string]any `json:"cols"`
		Rows [][]any          `json:"rows"`
	} `json:"data"`
	RowCount int    `json:"row_count"`
	Status   string `json:"status"`
}

func TestDatasetAndCards(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	inv, f := invoicesMeta(t, e)

	sum := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d,
		"filter": ["=", ["field", %d, null], 28],
		"aggregation": [["sum", ["field", %d, null]], ["count"]]}}`, inv, f["ACCOUNT_ID"], f["PAYMENT"])
	r := e.postJSON(admin, "/api/dataset", sum)
	var ds dataset
	if err := json.Unmarshal([]byte(r.body), &ds); err != nil || r.status != http.StatusAccepted {
		t.Fatalf("POST /api/dataset = %d %s, want 202", r.status, r.body)
	}
	if ds.Status != "completed" || ds.RowCount != 1 || fmt.Sprint(ds.Data.Rows[0]) != "[6490 22]" {
		t.Errorf("account 28 sum and count = %v, want [6490 22]", ds.Data.Rows)
	}
	if ds.Data.Cols[0]["display_name"] != "Sum of Payment" {
		t.Errorf("first column = %v, want Sum of Payment", ds.Data.Cols[0])
	}

	// Bad queries: 400s that name the problem, and SQL errors in the engine's words.
	bad := []struct{ body, want string }{
		{`{"database": 1, "type": "query", "query": {"source-table": 1, "frobnicate": 1}}`, "frobnicate"},
		{`{"database": 1, "type": "query", "query": {"source-table": 1, "filter": ["~~", ["field", 1, null], 1]}}`, "~~"},
		{`{"database": 1, "type": "query", "query": {"source-table": 999999}}`, "999999"},
		{`{"database": 1, "type": "native", "native": {"query": "SELEC 1"}}`, "syntax error"},
		{`{"database": 1, "type": "query"`, "JSON"},
	}
	for _, b := range bad {
		r := e.postJSON(admin, "/api/dataset", b.body)
		if r.status != 400 || !strings.Contains(r.body, b.want) {
			t.Errorf("POST /api/dataset %s = %d %s, want 400 mentioning %q", b.body, r.status, r.body, b.want)
		}
	}

	// Injection through a filter value and a SQL parameter is inert.
	inj := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d,
		"filter": ["=", ["field", %d, null], "Basic' OR '1'='1"], "aggregation": [["count"]]}}`, inv, f["PLAN"])
	r = e.postJSON(admin, "/api/dataset", inj)
	if json.Unmarshal([]byte(r.body), &ds); r.status != http.StatusAccepted || fmt.Sprint(ds.Data.Rows) != "[[0]]" {
		t.Errorf("injection through a filter = %d %s, want a count of 0", r.status, r.body)
	}
	native := `{"database": 1, "type": "native", "native": {"query": "SELECT COUNT(*) AS n FROM INVOICES WHERE PLAN = {{plan}}",
		"template-tags": {"plan": {"name": "plan", "display-name": "Plan", "type": "text"}}},
		"parameters": [{"type": "category", "target": ["variable", ["template-tag", "plan"]], "value": "x' OR 1=1 --"}]}`
	r = e.postJSON(admin, "/api/dataset", native)
	if json.Unmarshal([]byte(r.body), &ds); r.status != http.StatusAccepted || fmt.Sprint(ds.Data.Rows) != "[[0]]" {
		t.Errorf("injection through a SQL parameter = %d %s, want a count of 0", r.status, r.body)
	}

	// Save, read, run and update a question.
	r = e.postJSON(admin, "/api/card", `{"name": "Account 28 revenue", "display": "number", "dataset_query": `+sum+`,
		"visualization_settings": {}, "parameters": [], "result_metadata": null}`)
	var card sightline.Card
	if err := json.Unmarshal([]byte(r.body), &card); err != nil || r.status != 200 || card.ID == 0 {
		t.Fatalf("POST /api/card = %d %s", r.status, r.body)
	}
	r = e.postJSON(admin, "/api/card/"+itoa(card.ID)+"/query", "")
	if json.Unmarshal([]byte(r.body), &ds); r.status != http.StatusAccepted || fmt.Sprint(ds.Data.Rows[0]) != "[6490 22]" {
		t.Errorf("POST /api/card/%d/query = %d %s", card.ID, r.status, r.body)
	}
	r = e.do(admin, "PUT", "/api/card/"+itoa(card.ID), "application/json", `{"name": "Renamed", "revision": 1}`)
	if r.status != 200 || !strings.Contains(r.body, `"revision":2`) {
		t.Errorf("PUT /api/card with the current revision = %d %s", r.status, r.body)
	}
	r = e.do(admin, "PUT", "/api/card/"+itoa(card.ID), "application/json", `{"name": "Stale edit", "revision": 1}`)
	if r.status != 409 || !strings.Contains(r.body, "Someone else changed this question") {
		t.Errorf("PUT /api/card with a stale revision = %d %s, want 409", r.status, r.body)
	}
	r = e.do(admin, "GET", "/api/card/"+itoa(card.ID), "", "")
	if !strings.Contains(r.body, `"name":"Renamed"`) {
		t.Errorf("after a refused stale edit the question = %s, want the first edit kept", r.body)
	}
	if r := e.do(admin, "GET", "/api/card/99999", "", ""); r.status != 404 {
		t.Errorf("GET /api/card/99999 = %d, want 404", r.status)
	}
}
