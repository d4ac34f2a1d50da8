package sightline

import (
	"encoding/json"
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
}

// Displays lists every visualization a card can use.
var Displays = []string{"table", "number", "trend", "progress", "gauge", "line", "area", "bar", "stacked-bar",
	"row", "combo", "pie", "donut", "scatter", "funnel", "pivot", "map", "map-pin"}

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
