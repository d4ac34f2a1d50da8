package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/prometheus/client_golang/prometheus"

	"sightline"
	"sightline/internal/access"
)

// TestFailClosedMatrix runs every data route (as the route table marks
// them, so that a new one is covered) as a person signed in through JWT
// with a token that names no group, so that they are in All Users alone,
// while All Users has "no self-service" (the walkthrough) or unrestricted
// access (a fresh install) to a database whose INVOICES a customer group
// sandboxes: each route must refuse, never return every account's rows.
// A sandboxed customer and an unrestricted analyst keep their answers.
func TestFailClosedMatrix(t *testing.T) {
	for _, allUsers := range []access.WireDBPerms{
		{ViewData: access.ViewNoSelfService, CreateQueries: access.QueryNone},
		{ViewData: access.ViewUnrestricted, CreateQueries: access.QueryNative, Download: &access.WireDownload{Schemas: access.DownloadFull}},
	} {
		t.Run(allUsers.ViewData.(string), func(t *testing.T) {
			e := newEnv(t, nil)
			f := setupLeakFixture(t, e)
			ctx := context.Background()
			admin := e.adminUser()
			g, err := e.app.DataPermissionGraph(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.app.SaveDataPermissionGraph(ctx, admin, access.WireGraph{Revision: g.Revision, Groups: map[string]map[string]access.WireDBPerms{
				"1": {strconv.FormatInt(f.db, 10): allUsers}}}); err != nil {
				t.Fatal(err)
			}
			e.settings(map[string]string{sightline.SettingJWTEnabled: "true", sightline.SettingJWTSharedSecret: ssoSecret, sightline.SettingJWTGroupSync: "true"})
			stray := e.client()
			path := "/auth/sso?" + url.Values{"jwt": {ssoToken(t, jwt.MapClaims{"email": "stray@acme.example", "account_id": 28, "groups": []string{}})}, "return_to": {"/"}}.Encode()
			if r := e.get(stray, path); r.status != http.StatusFound {
				t.Fatalf("SSO sign-in with groups [] = %d %s", r.status, r.body)
			}

			ws, err := New(e.app, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
			if err != nil {
				t.Fatal(err)
			}
			reqs := f.requests(t)
			for _, rt := range ws.routes() {
				if !rt.data || strings.HasPrefix(rt.pattern, "GET /api/embed/") {
					// Static embedding routes ignore who asks: the token
					// alone decides, and TestLeakMatrix checks them.
					continue
				}
				req, ok := reqs[rt.pattern]
				if !ok {
					t.Errorf("data route %q has no request in the leak matrix", rt.pattern)
					continue
				}
				ct := ""
				if req.body != "" {
					ct = "application/json"
				}
				r := e.do(stray, req.method, req.path, ct, req.body)
				if r.status != http.StatusForbidden && r.status != http.StatusNotFound {
					t.Errorf("%s %s for a person in no group = %d (%.200s), want 403 or 404", req.method, req.path, r.status, r.body)
				}
			}
			r := e.do(stray, "POST", reqs["POST /api/card/{id}/query"].path, "", "")
			if !strings.Contains(r.body, "is sandboxed, and you are in no group that may read it") {
				t.Errorf("the saved question's refusal = %d %.300s, want it to say the table is sandboxed and why", r.status, r.body)
			}
			for who, want := range map[string]string{"sandboxed-28": "count=22", "unrestricted": "count=13856", "admin": "count=13856"} {
				req := reqs["POST /api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query"]
				r := e.do(f.clients[who], req.method, req.path, "", "")
				if r.status != http.StatusAccepted || countOfDataset(t, r.body) != want {
					t.Errorf("dashboard card as %s = %d %.200s, want %s", who, r.status, r.body, want)
				}
			}
		})
	}
}
