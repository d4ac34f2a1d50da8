package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/app"
)

// auditCount counts the audit log's entries of one topic.
func (e *testEnv) auditCount(topic string) int {
	e.t.Helper()
	entries, err := e.app.AuditLog(context.Background(), e.adminUser(), 0, 500, topic)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, en := range entries {
		if en.Topic == topic {
			n++
		}
	}
	return n
}

// userID returns the id of the user with email.
func (e *testEnv) userID(email string) int64 {
	e.t.Helper()
	u, _, err := e.db.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

// previewFixture is the leak matrix's set-up (the Sample Database with All
// Users blocked, an unrestricted group and Customer Acme sandboxed on
// INVOICES by ACCOUNT_ID = account_id, a saved count of invoices on a
// dashboard) with a signed-in client for the administrator and for the
// person sandboxed to account 28.
type previewFixture struct {
	db, inv         int64
	card, dash, dc  int64
	admin, customer *http.Client
}

// The fixture's people: sandboxed to account 28, unrestricted, blocked.
const (
	customerEmail = "sandboxed-28@example.com"
	analystEmail  = "unrestricted@example.com"
	blockedEmail  = "blocked@example.com"
)

func newPreviewFixture(t *testing.T, e *testEnv) *previewFixture {
	t.Helper()
	l := setupLeakFixture(t, e)
	return &previewFixture{db: l.db, inv: l.inv, card: l.countCard, dash: l.dash, dc: l.dashcard,
		admin: l.clients["admin"], customer: l.clients["sandboxed-28"]}
}

// passwordClient returns a client signed in with a password.
func (e *testEnv) passwordClient(email, password string) *http.Client {
	e.t.Helper()
	c := e.client()
	if r := e.postJSON(c, "/api/session", fmt.Sprintf(`{"username": %q, "password": %q}`, email, password)); r.status != http.StatusOK {
		e.t.Fatalf("sign in as %s = %d %s", email, r.status, r.body)
	}
	return c
}

// countBody is the INVOICES count for POST /api/dataset.
func (f *previewFixture) countBody() string {
	return fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": %d, "aggregation": [["count"]]}}`, f.db, f.inv)
}

// count reads the one number of a query answer, or the status of a refusal.
func count(t *testing.T, r resp) string {
	t.Helper()
	if r.status != http.StatusAccepted {
		return fmt.Sprintf("status=%d", r.status)
	}
	var d struct {
		Data struct {
			Rows [][]json.Number `json:"rows"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(r.body), &d); err != nil || len(d.Data.Rows) != 1 || len(d.Data.Rows[0]) != 1 {
		t.Fatalf("not a one-number answer: %.300s", r.body)
	}
	return "count=" + d.Data.Rows[0][0].String()
}

// invoiceCount runs the INVOICES count through POST /api/dataset.
func (f *previewFixture) invoiceCount(t *testing.T, e *testEnv, c *http.Client) string {
	t.Helper()
	return count(t, e.postJSON(c, "/api/dataset", f.countBody()))
}

func TestViewAs(t *testing.T) {
	e := newEnv(t, nil)
	f := newPreviewFixture(t, e)
	admin := f.admin
	target := e.userID(customerEmail)
	refusal := "You are viewing Sightline as " + customerEmail + ": changes are turned off. Stop viewing as " + customerEmail + " to make changes."

	if got := f.invoiceCount(t, e, admin); got != "count=13856" {
		t.Fatalf("admin's invoice count before the preview = %s, want count=13856", got)
	}
	r := e.postForm(admin, fmt.Sprintf("/admin/people/%d/view-as", target), nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		t.Fatalf("POST /admin/people/{id}/view-as = %d -> %q %s, want 303 -> /", r.status, r.header.Get("Location"), r.body)
	}
	if n := e.auditCount("view-as-start"); n != 1 {
		t.Errorf("audit log has %d view-as-start entries, want 1", n)
	}

	t.Run("data is the user's", func(t *testing.T) {
		for _, tt := range []struct{ method, path, body string }{
			{"POST", "/api/dataset", f.countBody()},
			{"POST", fmt.Sprintf("/api/card/%d/query", f.card), ""},
			{"POST", fmt.Sprintf("/api/dashboard/%d/dashcard/%d/card/%d/query", f.dash, f.dc, f.card), ""},
		} {
			ct := ""
			if tt.body != "" {
				ct = "application/json"
			}
			if got := count(t, e.do(admin, tt.method, tt.path, ct, tt.body)); got != "count=22" {
				t.Errorf("%s %s while viewing as account 28 = %s, want count=22", tt.method, tt.path, got)
			}
		}
		r := e.postJSON(admin, "/api/dataset/csv", fmt.Sprintf(`{"database": %d, "type": "query", "query": {"source-table": "card__%d"}}`, f.db, f.card))
		if r.status != http.StatusOK || !strings.Contains(r.body, "\n22") {
			t.Errorf("POST /api/dataset/csv while viewing as = %d %.200s, want the count 22", r.status, r.body)
		}
		if r := e.do(admin, "GET", fmt.Sprintf("/table/%d", f.inv), "", ""); r.status != http.StatusOK || strings.Contains(r.body, "13,856") {
			t.Errorf("GET /table/{id} while viewing as = %d, want the sandboxed rows only", r.status)
		}
		r = e.do(admin, "GET", "/api/user/current", "", "")
		if r.status != http.StatusOK || !strings.Contains(r.body, `"email":"`+customerEmail+`"`) || !strings.Contains(r.body, `"is_superuser":false`) {
			t.Errorf("GET /api/user/current while viewing as = %d %s, want the previewed user", r.status, r.body)
		}
	})

	t.Run("nothing is recorded for the user", func(t *testing.T) {
		if r := e.do(admin, "GET", fmt.Sprintf("/dashboard/%d", f.dash), "", ""); r.status != http.StatusOK {
			t.Fatalf("GET /dashboard/%d while viewing as = %d", f.dash, r.status)
		}
		u, err := e.app.User(context.Background(), e.adminUser(), target)
		if err != nil {
			t.Fatal(err)
		}
		if recent, err := e.app.RecentItems(context.Background(), u, 8); err != nil || len(recent) != 0 {
			t.Errorf("the previewed user's recently viewed items = %v, %v; want none", recent, err)
		}
	})

	t.Run("admin pages are refused", func(t *testing.T) {
		for _, p := range []string{"/admin/people", "/admin/permissions", "/api/user"} {
			if r := e.do(admin, "GET", p, "", ""); r.status != http.StatusForbidden {
				t.Errorf("GET %s while viewing as = %d, want 403", p, r.status)
			}
		}
	})

	t.Run("changes are refused", func(t *testing.T) {
		for _, tt := range []struct {
			method, path, contentType, body string
		}{
			{"PUT", fmt.Sprintf("/api/card/%d", f.card), "application/json", `{"name": "Renamed"}`},
			{"POST", "/api/collection", "application/json", `{"name": "Mine"}`},
			{"POST", "/collection", "application/x-www-form-urlencoded", "name=Mine"},
			{"POST", fmt.Sprintf("/admin/people/%d/view-as", e.userID(analystEmail)), "application/x-www-form-urlencoded", ""},
			{"POST", "/admin/groups", "application/x-www-form-urlencoded", "name=Sneaky"},
			{"DELETE", fmt.Sprintf("/api/user/%d", target), "", ""},
		} {
			r := e.do(admin, tt.method, tt.path, tt.contentType, tt.body)
			if r.status != http.StatusForbidden || !strings.Contains(r.body, refusal) {
				t.Errorf("%s %s while viewing as = %d %.300s, want 403 with %q", tt.method, tt.path, r.status, r.body, refusal)
			}
		}
		c, err := e.app.Card(context.Background(), e.adminUser(), f.card)
		if err != nil || c.Name != "Invoice count" {
			t.Errorf("card after a refused change = %v, %v; want it unchanged", c, err)
		}
	})

	t.Run("banner", func(t *testing.T) {
		r := e.do(admin, "GET", "/", "", "")
		if r.status != http.StatusOK || !strings.Contains(r.body, `id="view-as-banner"`) || !strings.Contains(r.body, "Viewing as <strong>"+customerEmail+"</strong>") ||
			!strings.Contains(r.body, `action="/admin/view-as/stop"`) || !strings.Contains(r.body, "viewing-as") {
			t.Errorf("GET / while viewing as = %d, want the banner with a stop button", r.status)
		}
		if strings.Contains(r.body, `href="/admin"`) {
			t.Errorf("GET / while viewing as links to the admin settings, which the user cannot open")
		}
		// Embedding parameters that hide the navigation keep the banner.
		r = e.get(admin, "/?top_nav=false&side_nav=false", "Sec-Fetch-Dest", "iframe")
		if r.status != http.StatusOK || strings.Contains(r.body, `id="topbar"`) || !strings.Contains(r.body, `id="view-as-banner"`) {
			t.Errorf("GET /?top_nav=false framed while viewing as = %d, want no top bar but the banner", r.status)
		}
	})

	r = e.postForm(admin, "/admin/view-as/stop", nil)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/admin/people") {
		t.Fatalf("POST /admin/view-as/stop = %d -> %q, want 303 -> /admin/people", r.status, r.header.Get("Location"))
	}
	if n := e.auditCount("view-as-stop"); n != 1 {
		t.Errorf("audit log has %d view-as-stop entries, want 1", n)
	}
	if got := f.invoiceCount(t, e, admin); got != "count=13856" {
		t.Errorf("admin's invoice count after the preview = %s, want count=13856", got)
	}
	if r := e.do(admin, "GET", "/admin/people", "", ""); r.status != http.StatusOK || strings.Contains(r.body, `id="view-as-banner"`) {
		t.Errorf("GET /admin/people after the preview = %d, want the page without the banner", r.status)
	}
}

func TestViewAsRefused(t *testing.T) {
	e := newEnv(t, nil)
	f := newPreviewFixture(t, e)
	ctx := context.Background()
	adminUser := e.adminUser()
	blocked := e.userID(blockedEmail)
	if err := e.app.SetUserActive(ctx, adminUser, blocked, false); err != nil {
		t.Fatal(err)
	}
	other, err := e.app.CreateUser(ctx, adminUser, app.NewUserInput{Email: "grace@example.com", FirstName: "Grace", Password: "a password", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	analyst := e.userID(analystEmail)
	viewAs := func(id int64) string { return fmt.Sprintf("/admin/people/%d/view-as", id) }
	for _, tt := range []struct {
		name   string
		client *http.Client
		path   string
		status int
	}{
		{"by a non-admin", f.customer, viewAs(analyst), http.StatusForbidden},
		{"signed out", e.client(), viewAs(analyst), http.StatusUnauthorized},
		{"a deactivated user", f.admin, viewAs(blocked), http.StatusBadRequest},
		{"another administrator", f.admin, viewAs(other.ID), http.StatusBadRequest},
		{"oneself", f.admin, viewAs(adminUser.ID), http.StatusBadRequest},
		{"nobody", f.admin, viewAs(99999), http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.postForm(tt.client, tt.path, nil)
			if r.status != tt.status || strings.Contains(r.header.Get("Set-Cookie"), viewAsCookie) {
				t.Errorf("POST %s = %d (Set-Cookie %q), want %d and no preview", tt.path, r.status, r.header.Get("Set-Cookie"), tt.status)
			}
		})
	}
	if n := e.auditCount("view-as-start"); n != 0 {
		t.Errorf("audit log has %d view-as-start entries after refusals, want 0", n)
	}

	// People lists the button only for active users without admin rights.
	for _, status := range []string{"active", "deactivated"} {
		r := e.do(f.admin, "GET", "/admin/people?status="+status, "", "")
		for id, want := range map[int64]bool{analyst: status == "active", blocked: false, other.ID: false, adminUser.ID: false} {
			if got := strings.Contains(r.body, `action="`+viewAs(id)+`"`); got != want {
				t.Errorf("Admin > People (%s) has a View as button for user %d = %v, want %v", status, id, got, want)
			}
		}
	}

	// A cookie a non-admin makes for their own session is not honoured.
	u, _ := url.Parse(e.srv.URL)
	var token string
	for _, c := range f.customer.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			token = c.Value
		}
	}
	f.customer.Jar.SetCookies(u, []*http.Cookie{{Name: viewAsCookie, Value: viewAsValue(token, analyst), Path: "/"}})
	if got := f.invoiceCount(t, e, f.customer); got != "count=22" {
		t.Errorf("non-admin with a self-made preview cookie counts %s, want their own count=22", got)
	}
	// Nor is a cookie made for another session.
	f.admin.Jar.SetCookies(u, []*http.Cookie{{Name: viewAsCookie, Value: viewAsValue(token, e.userID(customerEmail)), Path: "/"}})
	if got := f.invoiceCount(t, e, f.admin); got != "count=13856" {
		t.Errorf("admin with another session's preview cookie counts %s, want count=13856", got)
	}
}

// TestViewAsEnds checks that a preview ends when it stops being allowed:
// the previewed user is deactivated or made an administrator, or the
// signed-in user stops being one.
func TestViewAsEnds(t *testing.T) {
	e := newEnv(t, nil)
	f := newPreviewFixture(t, e)
	ctx := context.Background()
	adminUser := e.adminUser()
	target := e.userID(customerEmail)
	grace, err := e.app.CreateUser(ctx, adminUser, app.NewUserInput{Email: "grace@example.com", Password: "a password", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	graceClient := e.passwordClient("grace@example.com", "a password")
	for _, tt := range []struct {
		name          string
		client        *http.Client
		change, after func() error
		want          string
	}{
		{"target deactivated", f.admin,
			func() error { return e.app.SetUserActive(ctx, adminUser, target, false) },
			func() error { return e.app.SetUserActive(ctx, adminUser, target, true) }, "count=13856"},
		{"target made an administrator", f.admin,
			func() error {
				return e.app.AddMembership(ctx, adminUser, access.Membership{GroupID: sightline.AdminGroupID, UserID: target})
			},
			func() error { return e.app.RemoveMembership(ctx, adminUser, sightline.AdminGroupID, target) }, "count=13856"},
		// Grace, no longer an administrator, is in All Users only, which
		// is blocked.
		{"viewer no longer an administrator", graceClient,
			func() error { return e.app.RemoveMembership(ctx, adminUser, sightline.AdminGroupID, grace.ID) },
			func() error { return nil }, "status=404"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if r := e.postForm(tt.client, fmt.Sprintf("/admin/people/%d/view-as", target), nil); r.status != http.StatusSeeOther {
				t.Fatalf("start view-as = %d %s", r.status, r.body)
			}
			if got := f.invoiceCount(t, e, tt.client); got != "count=22" {
				t.Fatalf("count while viewing as = %s, want count=22", got)
			}
			if err := tt.change(); err != nil {
				t.Fatal(err)
			}
			if got := f.invoiceCount(t, e, tt.client); got != tt.want {
				t.Errorf("count after the change = %s, want %s", got, tt.want)
			}
			if r := e.do(tt.client, "GET", "/", "", ""); strings.Contains(r.body, `id="view-as-banner"`) {
				t.Errorf("GET / after the change still shows the banner")
			}
			if err := tt.after(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestViewAsCookie(t *testing.T) {
	tok := "session-token"
	v := viewAsValue(tok, 42)
	for _, tt := range []struct {
		name, token, value string
		id                 int64
		ok                 bool
	}{
		{"made for this session", tok, v, 42, true},
		{"another session", "other-token", v, 0, false},
		{"no session", "", v, 0, false},
		{"other user id", tok, "43" + v[2:], 0, false},
		{"no tag", tok, "42", 0, false},
		{"garbage", tok, "x.y", 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id, ok := parseViewAs(tt.token, tt.value)
			if id != tt.id || ok != tt.ok {
				t.Errorf("parseViewAs(%q, %q) = %d, %v; want %d, %v", tt.token, tt.value, id, ok, tt.id, tt.ok)
			}
		})
	}
}

func TestPreviewAllows(t *testing.T) {
	writes := previewWrites([]route{{pattern: "POST /api/dataset", data: true}, {pattern: "POST /api/card"}})
	for _, tt := range []struct {
		method, pattern string
		want            bool
	}{
		{"GET", "GET /admin/people", true},
		{"HEAD", "GET /", true},
		{"POST", "POST /api/dataset", true},
		{"POST", "POST /admin/view-as/stop", true},
		{"POST", "POST /auth/logout", true},
		{"DELETE", "DELETE /api/session", true},
		{"POST", "POST /api/card", false},
		{"PUT", "PUT /api/card/{id}", false},
		{"DELETE", "DELETE /api/user/{id}", false},
		{"POST", "", false},
	} {
		if got := previewAllows(tt.method, tt.pattern, writes); got != tt.want {
			t.Errorf("previewAllows(%s, %q) = %v, want %v", tt.method, tt.pattern, got, tt.want)
		}
	}
}
