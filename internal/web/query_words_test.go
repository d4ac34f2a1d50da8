package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sightline"
)

// TestFilterTargetsWriteNoSQL sends a filter whose target field carries a
// temporal unit that is SQL, by every route that takes a filter's target
// from the request: the dataset API and a saved question's run as a
// sandboxed tenant, and a public link as an anonymous visitor. PostgreSQL
// buckets dates with the unit written into the SQL text, so each must be
// refused with a 400 naming the unit, on every engine, before anything
// runs.
func TestFilterTargetsWriteNoSQL(t *testing.T) {
	const attack = `day', NULL::timestamp), 'x') = 'y' OR (SELECT COUNT(*) FROM \"INVOICES\") > 0 OR to_char(date_trunc('day`
	for _, eng := range leakEngines() {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			e.setup()
			f := setupLeakFixtureOn(t, e, eng.sample(t, e))
			ctx := context.Background()
			admin := e.adminUser()
			tables, err := e.app.Tables(ctx, admin, f.db)
			if err != nil {
				t.Fatal(err)
			}
			var received, products, created int64
			for _, tb := range tables {
				for _, fl := range tb.Fields {
					switch tb.Name + "." + fl.Name {
					case "INVOICES.DATE_RECEIVED":
						received = fl.ID
					case "PRODUCTS.CREATED_AT":
						products, created = tb.ID, fl.ID
					}
				}
			}
			if received == 0 || created == 0 {
				t.Fatalf("database %d has no INVOICES.DATE_RECEIVED or PRODUCTS.CREATED_AT", f.db)
			}
			card, err := e.app.CreateCard(ctx, admin, &sightline.Card{Name: "Products", Query: &sightline.Query{Database: f.db,
				Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{SourceTable: products,
					Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}})
			if err != nil {
				t.Fatal(err)
			}
			link, err := e.app.CreatePublicLink(ctx, admin, sightline.PublicCard, card.ID)
			if err != nil {
				t.Fatal(err)
			}
			params := func(field int64) string {
				return fmt.Sprintf(`[{"type": "category", "target": ["dimension", ["field", %d, {"temporal-unit": "%s"}]], "value": ["2025-01-31"]}]`, field, attack)
			}
			tenant := f.clients["sandboxed-28"]
			for _, c := range []struct {
				name   string
				client *http.Client
				method string
				path   string
				body   string
			}{
				{"dataset", tenant, "POST", "/api/dataset", fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}, "parameters": %s}`, f.db, f.inv, params(received))},
				{"saved question", tenant, "POST", fmt.Sprintf("/api/card/%d/query", f.countCard), `{"parameters": ` + params(received) + `}`},
				{"public link", e.client(), "GET", "/api/public/card/" + link + "/query?parameters=" + url.QueryEscape(params(created)), ""},
			} {
				ct := ""
				if c.body != "" {
					ct = "application/json"
				}
				r := e.do(c.client, c.method, c.path, ct, c.body)
				if r.status != http.StatusBadRequest || !strings.Contains(r.body, "unknown temporal unit") {
					t.Errorf("%s: %s %s = %d %.400s, want 400 naming the unknown temporal unit", c.name, c.method, c.path, r.status, r.body)
				}
			}
		})
	}
}
