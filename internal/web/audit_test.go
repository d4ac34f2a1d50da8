package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// auditAPIPage is the answer of GET /api/audit.
type auditAPIPage struct {
	Data []struct {
		ID      int64           `json:"id"`
		Topic   string          `json:"topic"`
		Details json.RawMessage `json:"details"`
		UserID  int64           `json:"user_id"`
		User    struct {
			Email      string `json:"email"`
			CommonName string `json:"common_name"`
		} `json:"user"`
	} `json:"data"`
	Page     int    `json:"page"`
	PerPage  int    `json:"per_page"`
	NextPage *int   `json:"next_page"`
	Topic    string `json:"topic"`
}

// getAuditAPI fetches GET /api/audit with the query as the admin.
func getAuditAPI(t *testing.T, e *testEnv, query string) auditAPIPage {
	t.Helper()
	r := e.do(e.adminClient, "GET", "/api/audit"+query, "", "")
	if r.status != http.StatusOK {
		t.Fatalf("GET /api/audit%s = %d %s", query, r.status, r.body)
	}
	var p auditAPIPage
	if err := json.Unmarshal([]byte(r.body), &p); err != nil {
		t.Fatalf("GET /api/audit%s: %v in %s", query, err, r.body)
	}
	return p
}

// auditTopicsOnPage returns the topics of the audit page's rows, top to bottom.
func auditTopicsOnPage(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<td><code>([a-z-]+)</code></td>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestAuditPage(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	_, bobID := nonAdmin(t, e, "bob@example.com")
	carol, _ := nonAdmin(t, e, "carol@example.com")
	createGroup(t, e, "Customer Acme")
	if r := e.do(e.adminClient, "PUT", "/api/setting/site-name", "application/json", `{"value":"Acme BI"}`); r.status != http.StatusNoContent {
		t.Fatalf("PUT /api/setting/site-name = %d %s", r.status, r.body)
	}
	if r := e.postForm(e.adminClient, "/admin/people/"+itoa(bobID)+"/active", url.Values{"active": {"false"}}); r.status != http.StatusSeeOther {
		t.Fatalf("deactivate Bob = %d %s", r.status, r.body)
	}
	newestFirst := []string{"user-deactivate", "settings", "group-create", "user-create", "user-create"}

	r := e.do(e.adminClient, "GET", "/admin/audit", "", "")
	if r.status != http.StatusOK {
		t.Fatalf("GET /admin/audit = %d %s", r.status, r.body)
	}
	if diff := cmp.Diff(newestFirst, auditTopicsOnPage(r.body)); diff != "" {
		t.Errorf("the audit page's topics mismatch (-want +got):\n%s", diff)
	}
	for _, want := range []string{"Ada Lovelace", "ada@example.com", "Changed site-name from “Acme Analytics” to “Acme BI”", "name: Customer Acme",
		`<option value="group" >Groups</option>`, `href="/static/audit.css"`, `href="/admin/audit" class="active"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the audit page lacks %q", want)
		}
	}
	for _, unwanted := range []string{"cannot list it yet", `id="audit-newer"`, `id="audit-older"`} {
		if strings.Contains(r.body, unwanted) {
			t.Errorf("the audit page shows %q", unwanted)
		}
	}

	p := getAuditAPI(t, e, "")
	var topics []string
	for _, d := range p.Data {
		topics = append(topics, d.Topic)
		if d.User.CommonName != "Ada Lovelace" || d.User.Email != "ada@example.com" {
			t.Errorf("API entry %s was made by %q <%s>, want Ada Lovelace", d.Topic, d.User.CommonName, d.User.Email)
		}
	}
	if diff := cmp.Diff(newestFirst, topics); diff != "" {
		t.Errorf("GET /api/audit topics mismatch (-want +got):\n%s", diff)
	}
	if p.Page != 1 || p.PerPage != auditPerPage || p.NextPage != nil {
		t.Errorf("GET /api/audit paging = page %d, per page %d, next %v; want 1, %d, none", p.Page, p.PerPage, p.NextPage, auditPerPage)
	}
	if got, want := string(p.Data[1].Details), `{"previous":{"site-name":"Acme Analytics"},"site-name":"Acme BI"}`; got != want {
		t.Errorf("the settings entry's details = %s, want %s", got, want)
	}

	r = e.do(e.adminClient, "GET", "/admin/audit?topic=group", "", "")
	if diff := cmp.Diff([]string{"group-create"}, auditTopicsOnPage(r.body)); diff != "" {
		t.Errorf("the audit page for groups mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.body, `<option value="group" selected>Groups</option>`) {
		t.Errorf("the audit page for groups does not select Groups in the filter")
	}
	if p := getAuditAPI(t, e, "?topic=user"); len(p.Data) != 3 || p.Data[0].Topic != "user-deactivate" || p.Topic != "user" {
		t.Errorf("GET /api/audit?topic=user = %+v, want the three changes to people", p)
	}

	tests := []struct {
		name   string
		client *http.Client
		path   string
		want   int
	}{
		{"page as non-admin", carol, "/admin/audit", http.StatusForbidden},
		{"API as non-admin", carol, "/api/audit", http.StatusForbidden},
		{"API signed out", e.client(), "/api/audit", http.StatusUnauthorized},
		{"page signed out", e.client(), "/admin/audit", http.StatusFound},
		{"page zero", e.adminClient, "/admin/audit?page=0", http.StatusBadRequest},
		{"page not a number", e.adminClient, "/api/audit?page=two", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := e.do(tt.client, "GET", tt.path, "", ""); r.status != tt.want {
				t.Errorf("GET %s = %d, want %d", tt.path, r.status, tt.want)
			}
		})
	}
}

func TestAuditPaging(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	ctx := context.Background()
	ada := mustUser(t, e)
	// Two full pages and five entries more, numbered from the oldest.
	const total = 2*auditPerPage + 5
	for i := 1; i <= total; i++ {
		topic := "group-member-add"
		if i%2 == 0 {
			topic = "settings"
		}
		if err := e.db.Audit(ctx, ada.ID, topic, fmt.Sprintf(`{"n": %d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		query              string
		first, last, count int
		newer, older       bool
	}{
		{"", total, total - auditPerPage + 1, auditPerPage, false, true},
		{"?page=2", total - auditPerPage, 6, auditPerPage, true, true},
		{"?page=3", 5, 1, 5, true, false},
		{"?page=4", 0, 0, 0, true, false},
	}
	for _, tt := range tests {
		t.Run("page"+tt.query, func(t *testing.T) {
			p := getAuditAPI(t, e, tt.query)
			var first, last int
			if len(p.Data) > 0 {
				first, last = detailN(t, p.Data[0].Details), detailN(t, p.Data[len(p.Data)-1].Details)
			}
			if len(p.Data) != tt.count || first != tt.first || last != tt.last || (p.NextPage != nil) != tt.older {
				t.Errorf("GET /api/audit%s = %d entries from n=%d to n=%d, next %v; want %d from %d to %d, next page %t",
					tt.query, len(p.Data), first, last, p.NextPage, tt.count, tt.first, tt.last, tt.older)
			}
			r := e.do(e.adminClient, "GET", "/admin/audit"+tt.query, "", "")
			if r.status != http.StatusOK {
				t.Fatalf("GET /admin/audit%s = %d", tt.query, r.status)
			}
			if got := len(auditTopicsOnPage(r.body)); got != tt.count {
				t.Errorf("GET /admin/audit%s shows %d rows, want %d", tt.query, got, tt.count)
			}
			if got := strings.Contains(r.body, `id="audit-newer"`); got != tt.newer {
				t.Errorf("GET /admin/audit%s has a Newer link: %t, want %t", tt.query, got, tt.newer)
			}
			if got := strings.Contains(r.body, `id="audit-older"`); got != tt.older {
				t.Errorf("GET /admin/audit%s has an Older link: %t, want %t", tt.query, got, tt.older)
			}
		})
	}
	if p := getAuditAPI(t, e, ""); p.NextPage == nil || *p.NextPage != 2 {
		t.Errorf("GET /api/audit next_page = %v, want 2", p.NextPage)
	}

	// The filter keeps to its topic across pages.
	p := getAuditAPI(t, e, "?topic=settings&page=2")
	if len(p.Data) != total/2-auditPerPage || p.NextPage != nil {
		t.Errorf("settings page 2 has %d entries, next %v; want %d and no next page", len(p.Data), p.NextPage, total/2-auditPerPage)
	}
	r := e.do(e.adminClient, "GET", "/admin/audit?topic=settings", "", "")
	if !strings.Contains(r.body, `href="/admin/audit?page=2&amp;topic=settings" id="audit-older"`) {
		t.Errorf("the settings page's Older link does not keep the topic")
	}
}

// detailN reads n from a {"n": …} detail.
func detailN(t *testing.T, raw json.RawMessage) int {
	t.Helper()
	var d struct{ N int }
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("detail %s: %v", raw, err)
	}
	return d.N
}

func TestAuditLongDetail(t *testing.T) {
	e := newEnv(t, nil)
	e.adminClient = e.setup()
	long := `{"origins": "` + strings.Repeat("https://a.example ", 30) + `"}`
	if err := e.db.Audit(context.Background(), mustUser(t, e).ID, "settings", long); err != nil {
		t.Fatal(err)
	}
	r := e.do(e.adminClient, "GET", "/admin/audit", "", "")
	want := auditLines("settings", long)[0]
	if !want.Cut {
		t.Fatalf("formatAuditDetail(%d characters) was not cut", len(long))
	}
	for _, s := range []string{"<details><summary>Set origins to \u201chttps://a.example", "…</summary>"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the audit page lacks %q", s)
		}
	}
	if n := strings.Count(r.body, "https://a.example"); n != 30+strings.Count(want.Short, "https://a.example") {
		t.Errorf("the audit page shows the origin %d times, want the whole detail once and its beginning", n)
	}
}

func TestFormatAuditDetail(t *testing.T) {
	long := `{"k":"` + strings.Repeat("é", 200) + `"}`
	tests := []struct {
		name string
		in   string
		want auditDetail
	}{
		{"compacted", `{"a": 1, "b": [1, 2]}`, auditDetail{Full: `{"a":1,"b":[1,2]}`, Short: `{"a":1,"b":[1,2]}`}},
		{"not JSON", `not json`, auditDetail{Full: `not json`, Short: `not json`}},
		{"cut by characters", long, auditDetail{Full: long, Short: string([]rune(long)[:auditDetailMax]) + "…", Cut: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, formatAuditDetail(tt.in)); diff != "" {
				t.Errorf("formatAuditDetail(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseAuditPage(t *testing.T) {
	tests := []struct {
		in   string
		want int
		code string
	}{
		{"", 1, ""},
		{"1", 1, ""},
		{"7", 7, ""},
		{"0", 0, sightline.EINVALID},
		{"-2", 0, sightline.EINVALID},
		{"x", 0, sightline.EINVALID},
		{"99999999999999999999", 0, sightline.EINVALID},
	}
	for _, tt := range tests {
		got, err := parseAuditPage(tt.in)
		if got != tt.want || sightline.ErrorCode(err) != tt.code {
			t.Errorf("parseAuditPage(%q) = %d, %v; want %d, code %q", tt.in, got, err, tt.want, tt.code)
		}
	}
}

// TestAuditLines checks the words the audit log shows for an entry.
func TestAuditLines(t *testing.T) {
	tests := []struct {
		name, topic, detail string
		want                []string
	}{
		{"setting from and to", "settings", `{"jwt-group-sync":"true","previous":{"jwt-group-sync":"false"}}`,
			[]string{"Changed jwt-group-sync from false to true"}},
		{"several settings, by key", "settings", `{"site-name":"Acme BI","jwt-max-token-lifetime":"600","previous":{"site-name":"Sightline","jwt-max-token-lifetime":"180"}}`,
			[]string{"Changed jwt-max-token-lifetime from 180 to 600", "Changed site-name from \u201cSightline\u201d to \u201cAcme BI\u201d"}},
		{"setting cleared", "settings", `{"jwt-identity-provider-uri":"","previous":{"jwt-identity-provider-uri":"https://app.example.com/sso"}}`,
			[]string{"Cleared jwt-identity-provider-uri (was \u201chttps://app.example.com/sso\u201d)"}},
		{"setting set the first time", "settings", `{"jwt-attribute-groups":"teams","previous":{"jwt-attribute-groups":""}}`,
			[]string{"Set jwt-attribute-groups to \u201cteams\u201d"}},
		{"secret", "settings", `{"jwt-shared-secret":"(secret)","previous":{"jwt-shared-secret":"(secret)"}}`,
			[]string{"Changed jwt-shared-secret (a secret: its value is not recorded)"}},
		{"entry recorded before previous values", "settings", `{"site-name":"Acme BI"}`,
			[]string{"Set site-name to \u201cAcme BI\u201d"}},
		{"made with an API key", "group-create", `{"group_id":3,"name":"Customer Acme","by_api_key":{"id":1,"name":"CI"}}`,
			[]string{"Made with the API key \u201cCI\u201d", "group_id: 3", "name: Customer Acme"}},
		{"nested value", "user-access-update", `{"user_id":7,"set":[2,3]}`, []string{"set: [2,3]", "user_id: 7"}},
		{"not JSON", "legacy", `not json`, []string{"not json"}},
		{"empty object", "view-as-stop", `{}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range auditLines(tt.topic, tt.detail) {
				got = append(got, l.Full)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("auditLines(%q, %q) mismatch (-want +got):\n%s", tt.topic, tt.detail, diff)
			}
		})
	}
}
