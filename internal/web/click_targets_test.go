package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// clickTargets lists the click behavior links ("dashboard 12",
// "question 7") of every card of a dashboard answer, sorted.
func clickTargets(t *testing.T, r resp) []string {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("dashboard = %d %.300s", r.status, r.body)
	}
	var d struct {
		Cards []struct {
			Viz struct {
				ClickBehavior  map[string]any `json:"click_behavior"`
				ColumnSettings map[string]struct {
					ClickBehavior map[string]any `json:"click_behavior"`
				} `json:"column_settings"`
			} `json:"visualization_settings"`
		} `json:"dashcards"`
	}
	if err := json.Unmarshal([]byte(r.body), &d); err != nil {
		t.Fatalf("dashboard answer: %v", err)
	}
	var out []string
	add := func(cb map[string]any) {
		if cb != nil && cb["type"] == "link" {
			out = append(out, fmt.Sprintf("%v %v", cb["linkType"], cb["targetId"]))
		}
	}
	for _, c := range d.Cards {
		add(c.Viz.ClickBehavior)
		for _, cs := range c.Viz.ColumnSettings {
			add(cs.ClickBehavior)
		}
	}
	slices.Sort(out)
	return out
}

// TestClickTargetsOnlyForReaders checks that a dashboard's click
// behaviors name only the dashboards and questions its reader may open:
// an administrator saved, in the root collection everyone reads, a card
// whose clicks lead to a private dashboard, a private question, a
// readable question and a readable dashboard. Customers get the readable
// links only; a public link only the question on the shared dashboard; a
// static embed none, since a token opens nothing else.
func TestClickTargetsOnlyForReaders(t *testing.T) {
	e := newEnv(t, nil)
	e.setup()
	f := setupRefsFixture(t, e, sqliteLeakSample(t, e))
	f.addEmbed(t, e)
	ctx := context.Background()
	a, admin := e.app, e.adminUser()
	link := func(kind string, id int64) string {
		return fmt.Sprintf(`{"type": "link", "linkType": %q, "targetId": %d}`, kind, id)
	}
	viz := fmt.Sprintf(`{"click_behavior": %s, "column_settings": {"[\"name\",\"count\"]": {"click_behavior": %s, "column_title": "N"}, "[\"name\",\"plan\"]": {"click_behavior": %s}, "[\"name\",\"n\"]": {"click_behavior": %s}}}`,
		link("dashboard", f.privateDash), link("question", f.private), link("question", f.countCard), link("dashboard", f.mixed))
	d, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Links",
		Cards:           []sightline.DashboardCard{{CardID: f.countCard, SizeX: 4, SizeY: 4, VizSettings: json.RawMessage(viz)}},
		EnableEmbedding: true})
	if err != nil {
		t.Fatal(err)
	}
	e.settings(map[string]string{sightline.SettingPublicSharing: "true"})
	uuid, err := a.CreatePublicLink(ctx, admin, sightline.PublicDashboard, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	token := f.embed.sign(t, map[string]any{"dashboard": d.ID}, map[string]any{})
	readable := []string{fmt.Sprintf("dashboard %d", f.mixed), fmt.Sprintf("question %d", f.countCard)}
	all := append([]string{fmt.Sprintf("dashboard %d", f.privateDash), fmt.Sprintf("question %d", f.private)}, readable...)
	slices.Sort(all)
	path := fmt.Sprintf("/api/dashboard/%d", d.ID)
	tests := []struct {
		name   string
		client *http.Client
		path   string
		want   []string
	}{
		{"administrator", f.clients["admin"], path, all},
		{"sandboxed customer", f.clients["sandboxed-28"], path, readable},
		{"customer without self-service", f.clients["no-self-service"], path, readable},
		{"public link", e.client(), "/api/public/dashboard/" + uuid, []string{fmt.Sprintf("question %d", f.countCard)}},
		{"static embed", e.client(), "/api/embed/dashboard/" + token, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, clickTargets(t, e.get(tt.client, tt.path))); diff != "" {
				t.Errorf("click links offered (-want +got):\n%s", diff)
			}
		})
	}
	// Removing a link keeps the rest of the column's settings.
	c := f.clients["sandboxed-28"]
	r := e.get(c, path)
	if !json.Valid([]byte(r.body)) || !strings.Contains(r.body, `"column_title":"N"`) {
		t.Errorf("the customer's dashboard lost the column title next to a removed link: %.500s", r.body)
	}
	// The customer, who may change the root collection, saves the
	// dashboard as they read it: the links they never saw stay.
	if put := e.do(c, "PUT", path, "application/json", r.body); put.status != http.StatusOK {
		t.Fatalf("PUT the dashboard as read = %d %.300s", put.status, put.body)
	}
	if diff := cmp.Diff(all, clickTargets(t, e.get(f.clients["admin"], path))); diff != "" {
		t.Errorf("after the customer's save the administrator's links (-want +got):\n%s", diff)
	}
	// But they may not add a link to what they may not open.
	var body map[string]any
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatal(err)
	}
	dcs := body["dashcards"].([]any)
	settings := dcs[0].(map[string]any)["visualization_settings"].(map[string]any)
	settings["column_settings"].(map[string]any)[`["name","plan"]`] = map[string]any{"click_behavior": clickLink("dashboard", f.privateDash)}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	if put := e.do(c, "PUT", path, "application/json", string(b)); put.status != http.StatusBadRequest {
		t.Errorf("PUT a new link to the private dashboard = %d %.300s, want 400", put.status, put.body)
	}
}
