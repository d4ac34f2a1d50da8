package web

import (
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestFlashOnlyFromServer checks that a page's status line says only what
// the server put there for this session. A flash from a form post shows
// after its redirect; the same address opened in another session shows
// nothing; and no page that answers GET shows a flash written into a link,
// with no signature or with the signature of another message.
func TestFlashOnlyFromServer(t *testing.T) {
	e := newEnv(t, nil)
	admin := e.setup()
	if r := e.postJSON(admin, "/api/collection", `{"name": "Reports"}`); r.status != http.StatusOK {
		t.Fatalf("POST /api/collection = %d %s", r.status, r.body)
	}
	r := e.postForm(admin, "/admin/groups", url.Values{"name": {"Flash <b>Team</b>"}})
	loc, err := url.Parse(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || err != nil {
		t.Fatalf("POST /admin/groups = %d, Location %q", r.status, r.header.Get("Location"))
	}
	const said = "The group Flash <b>Team</b> was created."
	sig := loc.Query().Get("flash_sig")
	if loc.Query().Get("flash") != said || sig == "" {
		t.Fatalf("POST /admin/groups Location = %q, want the flash %q with its signature", loc, said)
	}
	shows := func(r resp, text string) bool {
		return r.status == http.StatusOK && strings.Contains(html.UnescapeString(r.body), text)
	}
	if r := e.do(admin, "GET", loc.String(), "", ""); !shows(r, said) {
		t.Errorf("GET %s = %d, want the page to say %q:\n%.500s", loc, r.status, said, r.body)
	}
	if r := e.do(e.signIn("ada@example.com", "correct horse"), "GET", loc.String(), "", ""); r.status != http.StatusOK || shows(r, said) {
		t.Errorf("GET %s in another session = %d, want the page without %q", loc, r.status, said)
	}

	ws, err := New(e.app, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	const planted = "Your password expired: sign in again at evil.example"
	signed := map[string]bool{}
	for _, rt := range ws.routes() {
		method, path := routePath(rt.pattern)
		if method != "GET" || strings.HasPrefix(path, "/static/") || path == "/auth/logout" {
			continue // signing out here would end the session the rest uses
		}
		for _, q := range []url.Values{{"flash": {planted}}, {"flash": {planted}, "flash_sig": {sig}}} {
			if r := e.do(admin, "GET", path+"?"+q.Encode(), "", ""); strings.Contains(html.UnescapeString(r.body), planted) {
				t.Errorf("GET %s?%s = %d, shows the planted flash", path, q.Encode(), r.status)
			}
		}
		if r := e.do(admin, "GET", path+"?"+url.Values{"flash": {said}, "flash_sig": {sig}}.Encode(), "", ""); shows(r, said) {
			signed[path] = true
		}
	}
	// The pages that show a flash after a form post still show a signed one.
	for _, p := range []string{"/admin/people", "/admin/people/1", "/admin/groups", "/admin/groups/1", "/admin/permissions",
		"/admin/databases", "/admin/datamodel", "/admin/settings", "/admin/settings/appearance", "/admin/settings/authentication",
		"/admin/settings/embedding", "/admin/settings/api-keys", "/collection/1"} {
		if !signed[p] {
			t.Errorf("GET %s with the signed flash does not show it", p)
		}
	}
}
