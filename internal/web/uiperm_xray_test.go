package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"sightline"
	"sightline/internal/access"
)

// TestXRayLeavesOutRefusedCards X-rays INVOICES as a customer whose
// sandbox covers INVOICES but who may not read ACCOUNTS: the questions that
// break invoices down by an account's column are left out (the
// administrator's X-ray has them), and every question the customer gets
// runs instead of showing a refusal.
func TestXRayLeavesOutRefusedCards(t *testing.T) {
	e, _ := newSandboxEnv(t, t, nil)
	f := setupSandboxedXray(t, e)
	ctx := context.Background()
	a := e.app
	tables, err := a.Tables(ctx, f.admin, 1)
	if err != nil {
		t.Fatal(err)
	}
	var inv, accounts int64
	var schema string
	for _, tb := range tables {
		switch tb.Name {
		case "INVOICES":
			inv, schema = tb.ID, tb.Schema
		case "ACCOUNTS":
			accounts = tb.ID
		}
	}
	groups, err := a.Groups(ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	var acme int64
	for _, g := range groups {
		if g.Name == "Customer Acme" {
			acme = g.ID
		}
	}
	g, err := a.DataPermissionGraph(ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	perTable := map[string]any{strconv.FormatInt(inv, 10): access.ViewSandboxed, strconv.FormatInt(accounts, 10): access.ViewBlocked}
	if _, err := a.SaveDataPermissionGraph(ctx, f.admin, access.WireGraph{Revision: g.Revision, Groups: map[string]map[string]access.WireDBPerms{
		itoa(acme): {"1": {ViewData: map[string]any{schema: perTable}, CreateQueries: access.QueryBuilder}},
	}}); err != nil {
		t.Fatal(err)
	}

	xray := func(cookies []*http.Cookie) (*http.Client, *sightline.Dashboard) {
		t.Helper()
		c := e.client()
		c.Jar.SetCookies(mustURL(e.srv.URL), cookies)
		r := e.do(c, "GET", fmt.Sprintf("/api/automagic-dashboards/table/%d", inv), "", "")
		var d sightline.Dashboard
		if err := json.Unmarshal([]byte(r.body), &d); err != nil || r.status != http.StatusOK {
			t.Fatalf("GET X-ray = %d %.300s", r.status, r.body)
		}
		return c, &d
	}
	_, adminX := xray(f.adminCookies)
	customer, customerX := xray(f.customerCookies)
	names := func(d *sightline.Dashboard) map[string]bool {
		out := map[string]bool{}
		for _, dc := range d.Cards {
			if dc.Card != nil {
				out[dc.Card.Name] = true
			}
		}
		return out
	}
	adminNames, customerNames := names(adminX), names(customerX)
	var left []string
	for n := range adminNames {
		if !customerNames[n] {
			left = append(left, n)
		}
	}
	if len(left) == 0 {
		t.Fatalf("the customer's X-ray has every question of the administrator's (%d), want those on ACCOUNTS left out", len(adminNames))
	}
	if len(customerNames) == 0 {
		t.Fatal("the customer's X-ray has no question")
	}
	for _, dc := range customerX.Cards {
		if dc.Card == nil {
			continue
		}
		q, _ := json.Marshal(dc.Card.Query)
		r := e.postJSON(customer, "/api/dataset", string(q))
		if r.status != http.StatusAccepted {
			t.Errorf("the customer runs X-ray question %q = %d %.200s, want 202", dc.Card.Name, r.status, r.body)
		}
	}
	t.Logf("left out for the customer: %v", left)
}

// TestViewOnlyControls opens a dashboard, one of its questions, their
// collection and an X-ray as the administrator and as a customer who may read the
// collection but not write it: the administrator gets every control, the
// customer none that would change the items.
func TestViewOnlyControls(t *testing.T) {
	e, _ := newSandboxEnv(t, t, nil)
	f := setupSandboxedXray(t, e)
	var card, table int64
	for _, dc := range f.dash.Cards {
		if dc.CardID != 0 {
			card, table = dc.CardID, dc.Card.TableID
			break
		}
	}
	pages := []struct {
		name, path string
		// controls are markers of the controls that change the item.
		controls []string
	}{
		{"dashboard", fmt.Sprintf("/dashboard/%d", f.dash.ID),
			[]string{`id="dash-edit"`, `id="dash-duplicate"`, `id="dash-editbar"`, `id="dash-save"`, `"can_edit":true`}},
		{"question", fmt.Sprintf("/question/%d", card),
			[]string{`id="save-replace"`, `value="replace"`, `"can_replace":true`}},
		{"collection", fmt.Sprintf("/collection/%d", f.dash.CollectionID),
			[]string{`class="menu item-menu"`, `value="archive"`, `value="move"`, `value="pin"`, `id="new-collection"`}},
		// Saving an X-ray writes the collection the customer only reads.
		{"x-ray", fmt.Sprintf("/auto/dashboard/table/%d", table), []string{`id="xray-save"`}},
	}
	for _, who := range []struct {
		name     string
		cookies  []*http.Cookie
		controls bool
	}{{"admin", f.adminCookies, true}, {"customer", f.customerCookies, false}} {
		c := e.client()
		c.Jar.SetCookies(mustURL(e.srv.URL), who.cookies)
		for _, p := range pages {
			t.Run(who.name+"/"+p.name, func(t *testing.T) {
				r := e.do(c, "GET", p.path, "", "")
				if r.status != http.StatusOK {
					t.Fatalf("GET %s = %d %.300s", p.path, r.status, r.body)
				}
				for _, m := range p.controls {
					if got := strings.Contains(r.body, m); got != who.controls {
						t.Errorf("GET %s as %s: page has %s = %v, want %v", p.path, who.name, m, got, who.controls)
					}
				}
			})
		}
		// Save on a question: the administrator may overwrite it; the
		// customer may save a copy into their personal collection once
		// they change it, so the button waits hidden for a change.
		r := e.do(c, "GET", fmt.Sprintf("/question/%d", card), "", "")
		wait := strings.Contains(r.body, `id="save-button" data-when-modified hidden`)
		if !strings.Contains(r.body, `id="save-button"`) || wait == who.controls {
			t.Errorf("question page as %s: Save waits for a change = %v, want %v", who.name, wait, !who.controls)
		}
	}
}
