package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
	"sightline/internal/access"
)

// walkDashboard is the part of GET /api/dashboard/{id} the walkthrough
// reads: its collection and the questions on it.
type walkDashboard struct {
	ID           int64 `json:"id"`
	CollectionID int64 `json:"collection_id"`
	Dashcards    []struct {
		ID     int64 `json:"id"`
		CardID int64 `json:"card_id"`
		Card   struct {
			Name         string `json:"name"`
			DatasetQuery struct {
				Query struct {
					Aggregation json.RawMessage `json:"aggregation"`
					Breakout    json.RawMessage `json:"breakout"`
					Filter      json.RawMessage `json:"filter"`
				} `json:"query"`
			} `json:"dataset_query"`
		} `json:"card"`
	} `json:"dashcards"`
}

// walkRows is the part of a query answer the walkthrough reads.
type walkRows struct {
	Data struct {
		Rows [][]any `json:"rows"`
	} `json:"data"`
}

// TestAPIWalkthrough has a client holding only the X-Metabase-Session
// header and one holding only an Administrators API key each run the
// interactive-embedding walkthrough's admin steps through the API alone:
// X-ray INVOICES and save it, create the customer group, map the JWT group
// to it and enable JWT sign-in through the settings API, block All Users in
// the permission graph and sandbox the group on INVOICES, give All Users
// view access to the X-ray's collection. A customer then signs in through
// /auth/sso with a token carrying account_id 28 and the group, and reads
// the saved dashboard's questions through the API (with the cookie the
// sign-in set, and with its session id as the header): the count question
// answers account 28's 22 invoices, not the table's.
func TestAPIWalkthrough(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.setup()
	e.adminClient = ada
	e.withSample()
	inv, fields := invoicesMeta(t, e)
	acct := fields["ACCOUNT_ID"]
	clients := []struct {
		name string
		c    *http.Client
		// bulk sets the JWT settings in one PUT /api/setting and the
		// sandbox in the permission graph's sandboxes, instead of one
		// PUT /api/setting/{key} per key and POST /api/mt/gtap.
		bulk bool
	}{
		{"session header", headerClient(headerSession, e.sessionID("ada@example.com", "correct horse")), false},
		{"api key", headerClient(headerAPIKey, e.createAPIKey(ada, "Onboarding", 2).UnmaskedKey), true},
	}
	for i, tt := range clients {
		t.Run(tt.name, func(t *testing.T) {
			se := *e
			se.t = t
			c := tt.c
			ok := func(r resp, want int, what string) {
				t.Helper()
				if r.status != want {
					t.Fatalf("%s = %d %.400s, want %d", what, r.status, r.body, want)
				}
			}

			// X-ray INVOICES and save it.
			r := se.do(c, "GET", fmt.Sprintf("/api/automagic-dashboards/table/%d", inv), "", "")
			ok(r, http.StatusOK, "GET /api/automagic-dashboards/table/{id}")
			r = se.postJSON(c, "/api/dashboard/save", r.body)
			ok(r, http.StatusOK, "POST /api/dashboard/save")
			var saved walkDashboard
			decodeBody(t, r, &saved)
			if saved.ID == 0 || saved.CollectionID == 0 {
				t.Fatalf("POST /api/dashboard/save = %.300s, want a dashboard in a collection", r.body)
			}
			r = se.do(c, "GET", fmt.Sprintf("/api/collection/%d", saved.CollectionID), "", "")
			if r.status != http.StatusOK || !strings.Contains(r.body, `"name":"Automatically Generated Dashboards"`) {
				t.Errorf("GET /api/collection/%d = %d %.300s, want Automatically Generated Dashboards", saved.CollectionID, r.status, r.body)
			}

			// The customer group.
			tenant := fmt.Sprintf("Customer Acme %d", i)
			r = se.postJSON(c, "/api/permissions/group", fmt.Sprintf(`{"name": %q}`, tenant))
			ok(r, http.StatusOK, "POST /api/permissions/group")
			var g struct {
				ID int64 `json:"id"`
			}
			decodeBody(t, r, &g)

			// JWT: the secret, the group mapping, then enabled.
			jwtGroup := fmt.Sprintf("Customer-Acme-%d", i)
			settings := []struct {
				key   string
				value string
			}{
				{sightline.SettingJWTSharedSecret, fmt.Sprintf("%q", ssoSecret)},
				{sightline.SettingJWTGroupSync, "true"},
				{sightline.SettingJWTGroupMappings, fmt.Sprintf(`{%q: [%d]}`, jwtGroup, g.ID)},
				{sightline.SettingJWTEnabled, "true"},
			}
			if tt.bulk {
				parts := make([]string, 0, len(settings))
				for _, s := range settings {
					parts = append(parts, fmt.Sprintf("%q: %s", s.key, s.value))
				}
				ok(se.do(c, "PUT", "/api/setting", "application/json", "{"+strings.Join(parts, ", ")+"}"), http.StatusNoContent, "PUT /api/setting")
			} else {
				for _, s := range settings {
					ok(se.do(c, "PUT", "/api/setting/"+s.key, "application/json", `{"value": `+s.value+`}`), http.StatusNoContent, "PUT /api/setting/"+s.key)
				}
			}
			r = se.do(c, "GET", "/api/setting/"+sightline.SettingJWTEnabled, "", "")
			if strings.TrimSpace(r.body) != "true" {
				t.Errorf("GET /api/setting/%s = %d %s, want true", sightline.SettingJWTEnabled, r.status, r.body)
			}

			// Data permissions: All Users blocked with no self-service, the
			// group sandboxed on INVOICES by account_id.
			policy := fmt.Sprintf(`{"group_id": %d, "table_id": %d, "card_id": null,
				"attribute_remappings": {"account_id": ["dimension", ["field", %d, null]]}}`, g.ID, inv, acct)
			if !tt.bulk {
				ok(se.postJSON(c, "/api/mt/gtap", policy), http.StatusOK, "POST /api/mt/gtap")
			}
			var graph struct {
				Revision int64 `json:"revision"`
			}
			r = se.do(c, "GET", "/api/permissions/graph", "", "")
			ok(r, http.StatusOK, "GET /api/permissions/graph")
			decodeBody(t, r, &graph)
			put := fmt.Sprintf(`{"revision": %d, "groups": {"1": {"1": {"view-data": %q, "create-queries": %q}},
				"%d": {"1": {"view-data": {"PUBLIC": {"%d": %q}}, "create-queries": %q}}}`,
				graph.Revision, access.ViewBlocked, access.QueryNone, g.ID, inv, access.ViewSandboxed, access.QueryNone)
			if tt.bulk {
				put += `, "sandboxes": [` + policy + `]`
			}
			ok(se.do(c, "PUT", "/api/permissions/graph", "application/json", put+"}"), http.StatusOK, "PUT /api/permissions/graph")
			r = se.do(c, "GET", "/api/mt/gtap", "", "")
			if !strings.Contains(r.body, fmt.Sprintf(`"group_id":%d`, g.ID)) {
				t.Fatalf("GET /api/mt/gtap = %d %.400s, want the group's sandbox", r.status, r.body)
			}

			// Collections: All Users may view the X-ray's collection.
			var cgraph struct {
				Revision int64 `json:"revision"`
			}
			r = se.do(c, "GET", "/api/collection/graph", "", "")
			ok(r, http.StatusOK, "GET /api/collection/graph")
			decodeBody(t, r, &cgraph)
			r = se.do(c, "PUT", "/api/collection/graph", "application/json",
				fmt.Sprintf(`{"revision": %d, "groups": {"1": {"%d": "read"}}}`, cgraph.Revision, saved.CollectionID))
			ok(r, http.StatusOK, "PUT /api/collection/graph")
			if i == 0 {
				checkAPIGolden(t, "walkthrough-collection-graph-put", r)
			}

			// The customer signs in through the host app's JWT.
			email := fmt.Sprintf("rene%d@acme.example", i)
			token := ssoToken(t, jwt.MapClaims{"email": email, "first_name": "René", "last_name": "Acme",
				"groups": []string{jwtGroup}, "account_id": 28})
			cookie := se.client()
			r = se.get(cookie, "/auth/sso?jwt="+token+"&return_to="+url.QueryEscape(fmt.Sprintf("/dashboard/%d", saved.ID)))
			ok(r, http.StatusFound, "GET /auth/sso")
			u, _ := url.Parse(e.srv.URL)
			var sid string
			for _, ck := range cookie.Jar.Cookies(u) {
				if ck.Name == sessionCookie {
					sid = ck.Value
				}
			}
			if sid == "" {
				t.Fatal("the SSO sign-in set no session cookie")
			}
			customers := map[string]*http.Client{"cookie": cookie, "session header": headerClient(headerSession, sid)}
			r = se.do(customers["session header"], "GET", "/api/user/current", "", "")
			if r.status != http.StatusOK || !strings.Contains(r.body, email) || !strings.Contains(r.body, `"jwt_attributes":{"account_id":"28"}`) {
				t.Errorf("GET /api/user/current as the customer = %d %.400s, want them signed in with account_id 28", r.status, r.body)
			}
			r = se.do(c, "GET", fmt.Sprintf("/api/permissions/group/%d", g.ID), "", "")
			if r.status != http.StatusOK || !strings.Contains(r.body, email) {
				t.Errorf("GET /api/permissions/group/%d = %d %.400s, want the customer a member through the JWT mapping", g.ID, r.status, r.body)
			}

			// What the table holds in all, for comparison.
			var all walkRows
			decodeBody(t, se.postJSON(c, "/api/dataset", fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, inv)), &all)
			if len(all.Data.Rows) != 1 || fmt.Sprint(all.Data.Rows[0][0]) == "22" {
				t.Fatalf("the administrator's count of INVOICES = %v, want one row other than 22", all.Data.Rows)
			}

			for how, cc := range customers {
				r := se.do(cc, "GET", fmt.Sprintf("/api/dashboard/%d", saved.ID), "", "")
				ok(r, http.StatusOK, how+": GET /api/dashboard/{id} as the customer")
				var d walkDashboard
				decodeBody(t, r, &d)
				counts := 0
				for _, dc := range d.Dashcards {
					if dc.CardID == 0 {
						continue
					}
					r := se.postJSON(cc, fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", d.ID, dc.ID, dc.CardID), `{"parameters": []}`)
					// Questions that join ACCOUNTS, which the group may not
					// see, are refused whole.
					joinsAccounts := strings.Contains(dc.Card.Name, "Account ")
					if joinsAccounts && (r.status != http.StatusForbidden || !strings.Contains(r.body, "the table Accounts")) {
						t.Errorf("%s: question %q, which joins ACCOUNTS, as the customer = %d %.300s, want 403 naming the table", how, dc.Card.Name, r.status, r.body)
					}
					if joinsAccounts {
						checkAPIGolden(t, "walkthrough-customer-joined-403", r)
					}
					if !joinsAccounts && r.status != http.StatusAccepted {
						t.Errorf("%s: question %q as the customer = %d %.300s, want 202", how, dc.Card.Name, r.status, r.body)
					}
					if r.status != http.StatusAccepted {
						continue
					}
					q := dc.Card.DatasetQuery.Query
					if strings.ReplaceAll(string(q.Aggregation), " ", "") != `[["count"]]` || len(q.Breakout) > 2 || len(q.Filter) > 4 {
						continue
					}
					var rows walkRows
					decodeBody(t, r, &rows)
					counts++
					checkAPIGolden(t, "walkthrough-customer-count", r)
					checkAPIGolden(t, "walkthrough-anonymous-401", se.postJSON(&http.Client{},
						fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", d.ID, dc.ID, dc.CardID), `{"parameters": []}`))
					if len(rows.Data.Rows) != 1 || fmt.Sprint(rows.Data.Rows[0]) != "[22]" {
						t.Errorf("%s: question %q as the customer = %v, want account 28's 22 invoices", how, dc.Card.Name, rows.Data.Rows)
					}
				}
				// No self-service: the group may not write its own queries,
				// and a customer changes no settings.
				r = se.postJSON(cc, "/api/dataset", fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d}}`, inv))
				if r.status != http.StatusForbidden || strings.Contains(r.body, `"rows"`) {
					t.Errorf("%s: POST /api/dataset as the customer = %d %.300s, want 403 and no rows", how, r.status, r.body)
				}
				r = se.do(cc, "PUT", "/api/setting/"+sightline.SettingJWTEnabled, "application/json", `{"value": false}`)
				if r.status != http.StatusForbidden || !strings.Contains(r.body, "Only administrators") {
					t.Errorf("%s: PUT /api/setting as the customer = %d %.300s, want 403 for administrators only", how, r.status, r.body)
				}
				if counts == 0 {
					t.Errorf("%s: the saved X-ray has no count question among %d cards", how, len(d.Dashcards))
				}
			}
		})
	}
}
