package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"sightline"
)

// TestStaticEmbedRequiredAndLinkedFilters checks, on every engine of the
// leak matrix, a published dashboard whose Account filter tokens lock,
// with an editable Plan filter that is required (default Premium) and
// limited by two editable filters, Other account and Payment. A card runs
// with the required default when neither the token nor the URL gives a
// plan; Plan's choices narrow by the linked filters' values on top of the
// locked account, so a token locked to account 28 never lists another
// account's plans, whatever the URL asks.
func TestStaticEmbedRequiredAndLinkedFilters(t *testing.T) {
	for _, eng := range leakEngines() {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			e.setup()
			lf := setupLeakFixtureOn(t, e, eng.sample(t, e))
			lf.addEmbed(t, e)
			ctx := context.Background()
			a, admin := e.app, e.adminUser()
			tables, err := a.Tables(ctx, admin, lf.db)
			if err != nil {
				t.Fatal(err)
			}
			var payment int64
			for _, tb := range tables {
				for _, fl := range tb.Fields {
					if tb.ID == lf.inv && fl.Name == "PAYMENT" {
						payment = fl.ID
					}
				}
			}
			if payment == 0 {
				t.Fatal("no INVOICES.PAYMENT")
			}
			wire := func(param string, field int64) sightline.ParameterMapping {
				return sightline.ParameterMapping{ParameterID: param, CardID: lf.countCard, Target: json.RawMessage(fmt.Sprintf(`["dimension", ["field", %d, null]]`, field))}
			}
			d, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Linked embed",
				Parameters: []sightline.DashboardParameter{
					{ID: "acct", Name: "Account", Slug: "account_id", Type: "id"},
					{ID: "plan", Name: "Plan", Slug: "plan", Type: "category", Required: true, Default: []any{"Premium"}, FilteringParameters: []string{"other", "pay"}},
					{ID: "other", Name: "Other account", Slug: "other_account", Type: "id"},
					{ID: "pay", Name: "Payment", Slug: "payment", Type: "number/="},
				},
				Cards: []sightline.DashboardCard{{CardID: lf.countCard, SizeX: 4, SizeY: 4, Mappings: []sightline.ParameterMapping{
					wire("acct", lf.acct), wire("plan", lf.plan), wire("other", lf.acct), wire("pay", payment)}}},
				EnableEmbedding: true,
				EmbeddingParams: map[string]string{"account_id": sightline.EmbedLocked, "plan": sightline.EmbedEnabled, "other_account": sightline.EmbedEnabled, "payment": sightline.EmbedEnabled},
			})
			if err != nil {
				t.Fatal(err)
			}
			if d, err = a.Dashboard(ctx, admin, d.ID); err != nil {
				t.Fatal(err)
			}
			token := func(account int) string {
				return lf.embed.sign(t, map[string]any{"dashboard": d.ID}, map[string]any{"account_id": account})
			}
			c := e.client()
			for _, tt := range []struct {
				name    string
				account int
				query   string
				want    string
			}{
				{"no plan given: the required default Premium applies", 23, "", "202 count=1"},
				{"a plan from the URL replaces the default", 23, "?plan=Basic", "202 count=13"},
				{"another account in the URL finds nothing beside the locked one", 28, "?other_account=23&plan=Basic", "202 count=0"},
			} {
				t.Run(tt.name, func(t *testing.T) {
					path := fmt.Sprintf("/api/embed/dashboard/%s/dashcard/%d/card/%d%s", token(tt.account), d.Cards[0].ID, lf.countCard, tt.query)
					if got := outcome(t, e.do(c, "GET", path, "", ""), countOfDataset); got != tt.want {
						t.Errorf("card of a token locked to account %d with %q = %q, want %q", tt.account, tt.query, got, tt.want)
					}
				})
			}
			for _, tt := range []struct {
				name    string
				account int
				query   string
				want    string
			}{
				{"plans of account 23", 23, "", "200 [[Basic] [Premium]]"},
				{"plans of account 23 limited by the payment", 23, "?payment=875", "200 [[Premium]]"},
				{"plans of account 28", 28, "", "200 [[Basic]]"},
				{"account 28 asking for account 23's plans", 28, "?other_account=23", "200 []"},
				{"account 28 asking for plans of a payment it never made", 28, "?payment=875", "200 []"},
				{"account 28 naming itself", 28, "?other_account=28", "200 [[Basic]]"},
			} {
				t.Run(tt.name, func(t *testing.T) {
					path := fmt.Sprintf("/api/embed/dashboard/%s/params/plan/values%s", token(tt.account), tt.query)
					if got := outcome(t, e.do(c, "GET", path, "", ""), fieldValues); got != tt.want {
						t.Errorf("Plan's choices for a token locked to account %d with %q = %q, want %q", tt.account, tt.query, got, tt.want)
					}
				})
			}
			// The locked filter stays out of the URL, linked or not.
			r := e.do(c, "GET", fmt.Sprintf("/api/embed/dashboard/%s/params/plan/values?account_id=23", token(28)), "", "")
			if r.status == http.StatusOK {
				t.Errorf("Plan's choices with the locked account in the URL = %d %.200s, want refused", r.status, r.body)
			}
		})
	}
}
