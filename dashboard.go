package sightline

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// GridColumns is the width of the dashboard grid.
const GridColumns = 24

// Dashboard is a grid of cards with filters.
type Dashboard struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	CollectionID int64  `json:"collection_id,omitempty"`
	// Parameters are the dashboard's filters.
	Parameters []DashboardParameter `json:"parameters"`
	Tabs       []DashboardTab       `json:"tabs"`
	Cards      []DashboardCard      `json:"dashcards"`
	// AutoRefresh is the refresh period in minutes, 0 for none.
	AutoRefresh int       `json:"auto_refresh"`
	Archived    bool      `json:"archived"`
	Pinned      bool      `json:"pinned"`
	CreatorID   int64     `json:"creator_id"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Revision    int       `json:"revision"`
	// EnableEmbedding is true when an administrator published the dashboard
	// for static (signed) embedding.
	EnableEmbedding bool `json:"enable_embedding"`
	// EmbeddingParams says, per filter slug, what a signed token may do
	// with it: EmbedDisabled, EmbedEnabled or EmbedLocked.
	EmbeddingParams map[string]string `json:"embedding_params"`
	// CacheTTL, when set and positive, is how many hours the results of
	// this dashboard are kept in the result cache while query caching is
	// on, in place of the duration rule.
	CacheTTL *int `json:"cache_ttl"`
}

// DashboardTab is one tab of a dashboard.
type DashboardTab struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Position int    `json:"position"`
}

// DashboardParameter is a dashboard filter.
type DashboardParameter struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
	// Type is "date/single", "date/range", "date/relative", "date/month-year",
	// "date/quarter-year", "date/all-options", "category", "id",
	// "number/=", "number/between", "string/=", "string/contains", ...
	Type     string `json:"type"`
	Default  any    `json:"default,omitempty"`
	Multiple bool   `json:"multiple,omitempty"`
	// Required filters always apply a value: Default when nobody picked
	// one, so a required filter needs a default.
	Required bool `json:"required,omitempty"`
	// FilteringParameters are the ids of the dashboard's other filters
	// that narrow the values this one offers (linked filters).
	FilteringParameters []string `json:"filteringParameters,omitempty"`
	// SectionID groups the parameter in the filter bar.
	SectionID string `json:"sectionId,omitempty"`
}

// MarshalJSON writes d with its empty lists as [] rather than null, as
// the reference vendor's API sends them.
func (d Dashboard) MarshalJSON() ([]byte, error) {
	type plain Dashboard
	p := plain(d)
	p.Parameters = nonNil(p.Parameters)
	p.Tabs = nonNil(p.Tabs)
	p.Cards = nonNil(p.Cards)
	return json.Marshal(p)
}

// MarshalJSON writes c with no parameter mappings as [] rather than null.
func (c DashboardCard) MarshalJSON() ([]byte, error) {
	type plain DashboardCard
	p := plain(c)
	p.Mappings = nonNil(p.Mappings)
	return json.Marshal(p)
}

// nonNil is s, or an empty slice for nil, so that it is sent as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// DashboardCard places a card (or a text or heading card) on the grid.
type DashboardCard struct {
	ID     int64 `json:"id"`
	CardID int64 `json:"card_id,omitempty"` // 0 for text and heading cards
	TabID  int64 `json:"dashboard_tab_id,omitempty"`
	Row    int   `json:"row"`
	Col    int   `json:"col"`
	SizeX  int   `json:"size_x"`
	SizeY  int   `json:"size_y"`
	// Mappings wire dashboard filters to a column (or a SQL variable) of the card.
	Mappings    []ParameterMapping `json:"parameter_mappings"`
	VizSettings json.RawMessage    `json:"visualization_settings"`
	// Card is filled when a dashboard is loaded.
	Card *Card `json:"card,omitempty"`
}

// ParameterMapping wires a dashboard filter to a card: Target is a field
// reference (["dimension", ["field", 12, null]]) or a template tag
// (["variable", ["template-tag", "plan"]]) in the wire format.
type ParameterMapping struct {
	ParameterID string          `json:"parameter_id"`
	CardID      int64           `json:"card_id"`
	Target      json.RawMessage `json:"target"`
}

// EmptyFilterValue reports whether v sets no filter value: nil, "" or an
// empty list.
func EmptyFilterValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	}
	return false
}

// Limits on what one dashboard holds. Every page load, copy and card run
// of a dashboard reads all of it, so its size is bounded when it is saved
// (dashboards saved before a limit existed still open). The values are far
// above what people build by hand or the X-ray makes.
const (
	// MaxDashboardCards bounds the cards (questions, text and headings)
	// of a dashboard.
	MaxDashboardCards = 1000

	// MaxDashboardTabs bounds the tabs of a dashboard.
	MaxDashboardTabs = 100

	// MaxDashboardFilters bounds the filters of a dashboard, and the
	// filters that narrow the values of one of them: as many as the
	// parameters a question runs with.
	MaxDashboardFilters = MaxParameters

	// MaxFilterMappings bounds the wires from filters to cards over a
	// whole dashboard.
	MaxFilterMappings = 10_000

	// MaxFilterDefaultValues bounds the default values of a dashboard's
	// filters together, like the values sent with a question.
	MaxFilterDefaultValues = MaxExpressionTerms
)

// checkLimits refuses a dashboard over one of the limits above.
func (d *Dashboard) checkLimits() error {
	switch {
	case len(d.Cards) > MaxDashboardCards:
		return OverLimit("This dashboard has", int64(len(d.Cards)), "cards", MaxDashboardCards)
	case len(d.Tabs) > MaxDashboardTabs:
		return OverLimit("This dashboard has", int64(len(d.Tabs)), "tabs", MaxDashboardTabs)
	case len(d.Parameters) > MaxDashboardFilters:
		return OverLimit("This dashboard has", int64(len(d.Parameters)), "filters", MaxDashboardFilters)
	}
	var defaults int64
	for _, p := range d.Parameters {
		if n := len(p.FilteringParameters); n > MaxDashboardFilters {
			return OverLimit(fmt.Sprintf("The filter %q is narrowed by", p.Name), int64(n), "filters", MaxDashboardFilters)
		}
		switch v := p.Default.(type) {
		case nil:
		case []any:
			defaults += int64(len(v))
		default:
			defaults++
		}
	}
	if defaults > MaxFilterDefaultValues {
		return OverLimit("This dashboard's filters have", defaults, "default values", MaxFilterDefaultValues)
	}
	var mappings int64
	for _, c := range d.Cards {
		mappings += int64(len(c.Mappings))
	}
	if mappings > MaxFilterMappings {
		return OverLimit("This dashboard has", mappings, "wires from filters to cards", MaxFilterMappings)
	}
	return nil
}

// Validate checks a dashboard's name, size and layout.
func (d *Dashboard) Validate() error {
	if strings.TrimSpace(d.Name) == "" {
		return Errorf(EINVALID, "A dashboard needs a name.")
	}
	if len(d.Name) > 254 {
		return Errorf(EINVALID, "Names must be at most 254 characters.")
	}
	if err := d.checkLimits(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, p := range d.Parameters {
		if p.ID == "" || seen[p.ID] {
			return Errorf(EINVALID, "Every filter needs a unique id.")
		}
		seen[p.ID] = true
		if p.Required && EmptyFilterValue(p.Default) {
			return Errorf(EINVALID, "The filter %q is required, so it needs a default value.", p.Name)
		}
	}
	// A card on a tab that is gone (or on none) shows on the first tab.
	tabs := map[int64]bool{}
	for _, t := range d.Tabs {
		if t.ID == 0 || tabs[t.ID] {
			return Errorf(EINVALID, "Every tab needs a unique id.")
		}
		if strings.TrimSpace(t.Name) == "" {
			return Errorf(EINVALID, "Every tab needs a name.")
		}
		tabs[t.ID] = true
	}
	for _, c := range d.Cards {
		if c.Col < 0 || c.Row < 0 || c.SizeX < 1 || c.SizeY < 1 || c.Col+c.SizeX > GridColumns {
			return Errorf(EINVALID, "A card is placed outside the %d-column grid.", GridColumns)
		}
		for _, m := range c.Mappings {
			if !seen[m.ParameterID] {
				return Errorf(EINVALID, "A card is wired to a filter %q that the dashboard does not have.", m.ParameterID)
			}
		}
	}
	return nil
}

// Collection is a folder of dashboards, questions and other collections.
// ID 0 is the root collection, "Our analytics".
type Collection struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	ParentID    int64  `json:"parent_id,omitempty"`
	// PersonalOwnerID is set on a user's personal collection.
	PersonalOwnerID int64     `json:"personal_owner_id,omitempty"`
	Archived        bool      `json:"archived"`
	CreatedAt       time.Time `json:"created_at"`
}

// RootCollectionName is the name of the root collection.
const RootCollectionName = "Our analytics"

// AutoDashboardsCollectionName is where saved X-rays go.
const AutoDashboardsCollectionName = "Automatically Generated Dashboards"

// RecentView is an item a user opened recently.
type RecentView struct {
	Model string // "dashboard", "card" or "table"
	ID    int64
}

// MaxSearchText bounds, in characters, the text a search of names and
// descriptions (content, people, audit topics) may look for.
const MaxSearchText = 1000

// SearchResult is one item found by search.
type SearchResult struct {
	Model        string `json:"model"` // "dashboard", "card", "collection", "table"
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	CollectionID int64  `json:"collection_id,omitempty"`
	DatabaseID   int64  `json:"database_id,omitempty"`
}
