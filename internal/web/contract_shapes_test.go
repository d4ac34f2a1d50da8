package web

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
)

// TestContractShapes checks the status and body of the endpoints whose
// shapes follow the reference vendor's (queries answering 202, cards with
// the vendor's display names, users' three attribute maps, typed
// settings) and the error shape for 400, 401, 403 and 404, against golden
// files.
func TestContractShapes(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	e.withSample()
	admin := e.adminClient
	e.settings(map[string]string{sightline.SettingJWTEnabled: "true", sightline.SettingJWTSharedSecret: ssoSecret,
		sightline.SettingJWTIdentityProvider: "http://localhost:8080/sso/sightline"})
	inv, f := invoicesMeta(t, e)
	count := fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]],
		"filter": ["=", ["field", %d, null], 28]}}`, inv, f["ACCOUNT_ID"])
	var card struct {
		ID int64 `json:"id"`
	}
	decodeBody(t, e.postJSON(admin, "/api/card", `{"name": "Account 28 invoices", "display": "scalar", "dataset_query": `+count+`}`), &card)
	customer := e.client()
	if r := e.get(customer, "/auth/sso?jwt="+ssoToken(t, jwt.MapClaims{"email": "rene@acme.example", "first_name": "Rene", "account_id": "28"})); r.status != http.StatusFound {
		t.Fatalf("SSO sign-in = %d %s", r.status, r.body)
	}
	rene := itoa(e.userID("rene@acme.example"))
	if r := e.do(admin, "PUT", "/api/user/"+rene, "application/json", `{"login_attributes": {"account_id": "13", "region": "EU"}}`); r.status != http.StatusOK {
		t.Fatalf("PUT /api/user/%s = %d %s", rene, r.status, r.body)
	}

	tests := []struct {
		name, method, path, body string
		client                   *http.Client
	}{
		{"dataset", "POST", "/api/dataset", count, admin},
		{"card-query", "POST", "/api/card/" + itoa(card.ID) + "/query", `{"ignore_cache": false, "parameters": []}`, admin},
		{"card", "GET", "/api/card/" + itoa(card.ID), "", admin},
		{"user", "GET", "/api/user/" + rene, "", admin},
		{"settings", "GET", "/api/setting", "", admin},
		{"error-400", "POST", "/api/dataset", fmt.Sprintf(`{"database": 1, "type": "query", "query": {"source-table": %d, "filtre": []}}`, inv), admin},
		{"error-401", "GET", "/api/card/" + itoa(card.ID), "", e.client()},
		{"error-403", "GET", "/api/setting", "", customer},
		{"error-404", "GET", "/api/card/99999", "", admin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			se := *e
			se.t = t
			ct := ""
			if tt.body != "" {
				ct = "application/json"
			}
			checkAPIGolden(t, tt.name, se.do(tt.client, tt.method, tt.path, ct, tt.body))
		})
	}
}
