package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestChartSettingsRoundTrip saves a card with the reference vendor's chart
// keys (as the Settings sidebar or an API client writes them) and reads
// them back unchanged, nulls and JSON-text keys included, on a waterfall
// card too; an unknown display is refused with a message.
func TestChartSettingsRoundTrip(t *testing.T) {
	e := newEnv(t, nil)
	f := setupLeakFixture(t, e)
	admin := f.clients["admin"]
	const viz = `{
		"graph.dimensions": ["PLAN"], "graph.metrics": ["count"],
		"graph.x_axis.title_text": "Plan", "graph.y_axis.title_text": "Invoices",
		"graph.x_axis.scale": "histogram", "graph.y_axis.scale": "pow",
		"graph.y_axis.auto_range": false, "graph.y_axis.min": 0, "graph.y_axis.max": 1000,
		"graph.show_values": true, "stackable.stack_type": null,
		"graph.show_goal": true, "graph.goal_value": 150, "graph.goal_label": "Target", "graph.show_trendline": true,
		"series_settings": {"count": {"title": "Invoices", "color": "#ff0000", "line.style": "dashed", "line.marker_enabled": false}},
		"column_settings": {"[\"name\",\"count\"]": {"number_style": "currency", "currency": "EUR", "decimals": 0, "prefix": "~", "scale": 0.001}},
		"table.columns": [{"name": "PLAN", "enabled": true}, {"name": "count", "enabled": false}],
		"pie.slice_threshold": 5,
		"waterfall.show_total": false, "waterfall.increase_color": "#00aa00"
	}`
	var want map[string]any
	if err := json.Unmarshal([]byte(viz), &want); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/card/%d", f.countCard)
	for _, display := range []string{"bar", "waterfall"} {
		t.Run(display, func(t *testing.T) {
			se := *e
			se.t = t
			r := se.do(admin, "PUT", path, "application/json", fmt.Sprintf(`{"display": %q, "visualization_settings": %s}`, display, viz))
			if r.status != http.StatusOK {
				t.Fatalf("PUT %s = %d %.300s, want 200", path, r.status, r.body)
			}
			var got struct {
				Display string         `json:"display"`
				Viz     map[string]any `json:"visualization_settings"`
			}
			decodeBody(t, se.do(admin, "GET", path, "", ""), &got)
			if got.Display != display {
				t.Errorf("GET %s display = %q, want %q", path, got.Display, display)
			}
			if diff := cmp.Diff(want, got.Viz); diff != "" {
				t.Errorf("GET %s visualization_settings changed (-sent +got):\n%s", path, diff)
			}
		})
	}
	r := e.do(admin, "PUT", path, "application/json", `{"display": "sparkle"}`)
	var msg struct {
		Message string `json:"message"`
	}
	decodeBody(t, r, &msg)
	if r.status != http.StatusBadRequest || msg.Message != `Unknown visualization "sparkle".` {
		t.Errorf("PUT %s with display sparkle = %d %q, want 400 Unknown visualization \"sparkle\".", path, r.status, msg.Message)
	}
}
