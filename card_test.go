package sightline

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCardValidateChartSettings checks the sankey and pin map settings a
// question is saved with: column settings are text, choices are one of
// their words, and the vendor's pin map comes back as "map-pin".
func TestCardValidateChartSettings(t *testing.T) {
	tests := []struct {
		name        string
		display     string
		viz         string
		want        string // "" for valid
		wantDisplay string
	}{
		{"a sankey with its columns", "sankey", `{"sankey.source":"FROM","sankey.target":"TO","sankey.value":"N","sankey.node_align":"justify","sankey.edge_color":"source","sankey.label_value_formatting":"compact","sankey.show_edge_labels":true}`, "", "sankey"},
		{"a sankey with no settings", "sankey", `{}`, "", "sankey"},
		{"null clears a setting", "sankey", `{"sankey.source":null}`, "", "sankey"},
		{"a source column that is not text", "sankey", `{"sankey.source":3}`, `"sankey.source" must be text`, ""},
		{"an unknown alignment", "sankey", `{"sankey.node_align":"center"}`, `must be one of left, right, justify, not "center"`, ""},
		{"an unknown edge colour", "sankey", `{"sankey.edge_color":"red"}`, `"sankey.edge_color" must be one of`, ""},
		{"the vendor's pin map", "map", `{"map.type":"pin","map.latitude_column":"LATITUDE","map.longitude_column":"LONGITUDE","map.pin_type":"markers"}`, "", "map-pin"},
		{"a latitude column that is a list", "map", `{"map.type":"pin","map.latitude_column":["LATITUDE"]}`, `"map.latitude_column" must be text`, ""},
		{"an unknown pin type", "map-pin", `{"map.pin_type":"hexagons"}`, `"map.pin_type" must be one of tiles, markers, heat, grid`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Card{Name: "Flows", Display: tt.display, VizSettings: json.RawMessage(tt.viz),
				Query: &Query{Database: 1, Type: QueryTypeStructured, Structured: &StructuredQuery{SourceTable: 1}}}
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate = %v, want valid", err)
			case tt.want != "" && (err == nil || ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want)):
				t.Fatalf("Validate = %v, want an invalid error containing %q", err, tt.want)
			}
			if tt.want == "" && c.Display != tt.wantDisplay {
				t.Errorf("Display = %q, want %q", c.Display, tt.wantDisplay)
			}
		})
	}
}
