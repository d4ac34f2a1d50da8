package sightline

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Card is a saved question: a query, how to show its result, and where it
// lives.
type Card struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	CollectionID int64  `json:"collection_id,omitempty"` // 0 is the root collection
	DatabaseID   int64  `json:"database_id"`
	TableID      int64  `json:"table_id,omitempty"`
	Query        *Query `json:"dataset_query"`
	// Display is the visualization: table, number, line, bar, ...
	Display string `json:"display"`
	// VizSettings are the visualization's settings as the front end keeps them.
	VizSettings json.RawMessage `json:"visualization_settings"`
	Archived    bool            `json:"archived"`
	// Pinned places the card at the top of its collection.
	Pinned    bool      `json:"pinned"`
	CreatorID int64     `json:"creator_id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Revision increases on every save; a save that names an older revision
	// is a conflict.
	Revision int `json:"revision"`
	// EnableEmbedding is true when an administrator published the question
	// for static (signed) embedding.
	EnableEmbedding bool `json:"enable_embedding"`
	// EmbeddingParams says, per parameter slug, what a signed token may do
	// with it: EmbedDisabled, EmbedEnabled or EmbedLocked.
	EmbeddingParams map[string]string `json:"embedding_params"`
	// CacheTTL, when set and positive, is how many hours the results of
	// this question are kept in the result cache while query caching is
	// on, in place of the duration rule.
	CacheTTL *int `json:"cache_ttl"`
}

// Displays lists every visualization a card can use.
var Displays = []string{"table", "number", "trend", "progress", "gauge", "line", "area", "bar", "stacked-bar",
	"row", "combo", "pie", "donut", "scatter", "funnel", "waterfall", "pivot", "map", "map-pin", "sankey", "object"}

// CanonicalDisplay is Sightline's name for a visualization given by either
// name: the reference vendor's "scalar" is "number", "smartscalar" is
// "trend", and its "map" is "map-pin" when the settings' "map.type" is
// "pin" (the pin choice is then carried by the name, so "map.type" is
// dropped from the settings it returns) and the region "map" otherwise.
// Any other name is returned as given.
func CanonicalDisplay(display string, viz json.RawMessage) (string, json.RawMessage) {
	switch display {
	case "scalar":
		return "number", viz
	case "smartscalar":
		return "trend", viz
	case "map":
		var m map[string]json.RawMessage
		if json.Unmarshal(viz, &m) != nil {
			return display, viz
		}
		switch string(m["map.type"]) {
		case `"pin"`:
			delete(m, "map.type")
			out, err := json.Marshal(m)
			if err != nil {
				return "map-pin", viz
			}
			return "map-pin", out
		case `"region"`:
			delete(m, "map.type")
			if out, err := json.Marshal(m); err == nil {
				return "map", out
			}
		}
	}
	return display, viz
}

// VendorDisplay is the reference vendor's name for a Sightline
// visualization, with the settings it implies: "number" is "scalar",
// "trend" is "smartscalar", "map-pin" is "map" with "map.type" "pin" and
// the region "map" is "map" with "map.type" "region". Other names are the
// same in both.
func VendorDisplay(display string, viz json.RawMessage) (string, json.RawMessage) {
	mapType := ""
	switch display {
	case "number":
		return "scalar", viz
	case "trend":
		return "smartscalar", viz
	case "map-pin":
		mapType = "pin"
	case "map":
		mapType = "region"
	default:
		return display, viz
	}
	m := map[string]json.RawMessage{}
	if len(viz) > 0 && json.Unmarshal(viz, &m) != nil {
		return "map", viz
	}
	m["map.type"] = json.RawMessage(`"` + mapType + `"`)
	out, err := json.Marshal(m)
	if err != nil {
		return "map", viz
	}
	return "map", out
}

// MarshalJSON writes c with the reference vendor's visualization names
// (see VendorDisplay); Validate reads them back.
func (c Card) MarshalJSON() ([]byte, error) {
	type plain Card
	p := plain(c)
	p.Display, p.VizSettings = VendorDisplay(c.Display, c.VizSettings)
	return json.Marshal(p)
}

// Validate checks a card before it is saved.
func (c *Card) Validate() error {
	if strings.TrimSpace(c.Name) == "" {
		return Errorf(EINVALID, "A question needs a name.")
	}
	if len(c.Name) > 254 {
		return Errorf(EINVALID, "Names must be at most 254 characters.")
	}
	if c.Query == nil {
		return Errorf(EINVALID, "A question needs a query.")
	}
	if err := c.Query.Validate(); err != nil {
		return err
	}
	if c.Display == "" {
		c.Display = "table"
	}
	c.Display, c.VizSettings = CanonicalDisplay(c.Display, c.VizSettings)
	ok := false
	for _, d := range Displays {
		ok = ok || d == c.Display
	}
	if !ok {
		return Errorf(EINVALID, "Unknown visualization %q.", c.Display)
	}
	if len(c.VizSettings) == 0 {
		c.VizSettings = json.RawMessage("{}")
	}
	if !json.Valid(c.VizSettings) {
		return Errorf(EINVALID, "Visualization settings must be a JSON object.")
	}
	return checkChartSettings(c.VizSettings)
}

// chartSettingChoices lists the sankey and pin map settings that take a
// column name or one of a few words, with the words allowed (none: any
// column name).
var chartSettingChoices = []struct {
	key   string
	words []string
}{
	{"sankey.source", nil},
	{"sankey.target", nil},
	{"sankey.value", nil},
	{"sankey.node_align", []string{"left", "right", "justify"}},
	{"sankey.label_value_formatting", []string{"auto", "compact", "full"}},
	{"sankey.edge_color", []string{"gray", "source", "target"}},
	{"map.latitude_column", nil},
	{"map.longitude_column", nil},
	{"map.pin_type", []string{"tiles", "markers", "heat", "grid"}},
}

// checkChartSettings refuses sankey and pin map settings of the wrong
// shape: a column setting that is not text, a choice that is not one of
// its words. null clears a setting and is always accepted; other keys
// are left to the charts, which ignore what they do not understand.
func checkChartSettings(viz json.RawMessage) error {
	var m map[string]json.RawMessage
	if json.Unmarshal(viz, &m) != nil {
		return Errorf(EINVALID, "Visualization settings must be a JSON object.")
	}
	for _, c := range chartSettingChoices {
		key, words := c.key, c.words
		raw, ok := m[key]
		if !ok || string(raw) == "null" {
			continue
		}
		var v string
		if json.Unmarshal(raw, &v) != nil {
			return Errorf(EINVALID, "The visualization setting %q must be text.", key)
		}
		if words != nil && !slices.Contains(words, v) {
			return Errorf(EINVALID, "The visualization setting %q must be one of %s, not %q.", key, strings.Join(words, ", "), v)
		}
	}
	return nil
}

// Slug makes the readable part of a URL from a name:
// "A look at your Invoices table" -> "a-look-at-your-invoices-table".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return b.String()
}

// What a static embedding token may do with a parameter of a published
// question or dashboard, by the parameter's slug.
const (
	// EmbedDisabled: the parameter is not shown and may not be set.
	EmbedDisabled = "disabled"
	// EmbedEnabled: the viewer may set it in the page's query string.
	EmbedEnabled = "enabled"
	// EmbedLocked: only the signed token sets it, and it must.
	EmbedLocked = "locked"
)

// ValidateEmbeddingParams checks that every value of m is one of
// EmbedDisabled, EmbedEnabled or EmbedLocked.
func ValidateEmbeddingParams(m map[string]string) error {
	for slug, v := range m {
		switch v {
		case EmbedDisabled, EmbedEnabled, EmbedLocked:
		default:
			return Errorf(EINVALID, "The embedding setting of parameter %q must be disabled, enabled or locked, not %q.", slug, v)
		}
	}
	return nil
}
