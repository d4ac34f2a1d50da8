package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// TestBooleanCustomColumn checks that a custom column written as a
// condition comes back as true or false on every row (never empty, never
// 1 and 0), typed boolean, and that it filters like the condition itself.
func TestBooleanCustomColumn(t *testing.T) {
	e := newEnv(t, nil)
	lf := setupLeakFixture(t, e)
	admin := lf.clients["admin"]
	run := func(filter string) (cols []map[string]any, rows [][]any) {
		t.Helper()
		body := fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d,
			"expressions": {"Is basic": ["=", ["field", %d, null], "Basic"]}%s,
			"fields": [["field", %d, null], ["expression", "Is basic"]], "limit": 200}}`, lf.db, lf.inv, lf.plan, filter, lf.plan)
		r := e.postJSON(admin, "/api/dataset", body)
		if r.status != http.StatusAccepted && r.status != http.StatusOK {
			t.Fatalf("POST /api/dataset = %d %.300s", r.status, r.body)
		}
		var d struct {
			Data struct {
				Rows [][]any          `json:"rows"`
				Cols []map[string]any `json:"cols"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(r.body), &d); err != nil {
			t.Fatal(err)
		}
		return d.Data.Cols, d.Data.Rows
	}
	cols, rows := run("")
	if got := cols[1]["base_type"]; got != "type/Boolean" {
		t.Errorf("the custom column's base_type = %v, want type/Boolean", got)
	}
	seen := map[bool]int{}
	for _, row := range rows {
		b, ok := row[1].(bool)
		if !ok {
			t.Fatalf("row %v: Is basic = %#v, want true or false", row, row[1])
		}
		if want := row[0] == "Basic"; b != want {
			t.Errorf("row %v: Is basic = %v, want %v", row, b, want)
		}
		seen[b]++
	}
	if seen[true] == 0 || seen[false] == 0 {
		t.Fatalf("the rows show only %v: a weak sample", seen)
	}
	_, kept := run(`, "filter": ["expression", "Is basic"]`)
	for _, row := range kept {
		if row[0] != "Basic" || row[1] != true {
			t.Errorf("filtered by the custom column, a row shows %v, want Basic and true", row)
		}
	}
	if len(kept) == 0 {
		t.Error("filtering by the custom column kept no rows")
	}
}
