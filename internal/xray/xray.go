package xray

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"sightline"
)

// Limits of an X-ray.
const (
	// DefaultMaxCards is how many questions an X-ray has at most when
	// Options.MaxCards is zero; headings do not count.
	DefaultMaxCards = 24
	// DefaultPinRows is how many rows a pin map shows when Options.PinRows
	// is zero.
	DefaultPinRows = 2000
	// SmallCategory is the most distinct values a category may have to get
	// a row chart; larger ones get a table of their top values.
	SmallCategory = 10
	// TopValues is how many values the charts and tables of larger
	// categories, countries and states show.
	TopValues = 10
	// HistogramBins is the number of bins of a numeric column's histogram.
	HistogramBins = 10
	// MaxCategoryFilters is how many category filters a dashboard gets.
	MaxCategoryFilters = 2
	// RelatedCategories is how many category columns of a linked table an
	// X-ray breaks rows down by, per foreign key.
	RelatedCategories = 2
)

// Region maps a "map" question shades, as its "map.region" visualization
// setting names them.
const (
	RegionCountries = "world_countries"
	RegionStates    = "us_states"
)

// Options tune an X-ray.
type Options struct {
	// MaxCards caps the number of questions; the least telling ones are
	// left out first. Zero means DefaultMaxCards.
	MaxCards int
	// PinRows caps the rows of a pin map; zero means DefaultPinRows.
	PinRows int
	// Runnable, when set, tells whether the viewer may run a question;
	// those they may not are left out before the cap and the layout, so
	// that the dashboard has neither refused cards nor gaps.
	Runnable func(*sightline.Query) bool
}

// Metadata finds the tables that foreign keys point at. Lookups of unknown
// IDs return an ENOTFOUND *sightline.Error, which the X-ray takes as "not
// known" and goes on without that table. query.Metadata satisfies it.
type Metadata interface {
	Table(id int64) (*sightline.Table, error)
	Field(id int64) (*sightline.Field, error)
}

// Sections of an X-ray, in dashboard order.
const (
	sectionSummary = iota
	sectionTime
	sectionPlace
	sectionSpread
	sectionCount
)

// Card sizes on the grid.
const (
	numberHeight = 3
	chartHeight  = 6
	tableHeight  = 8
	numbersInRow = 4
	chartsInRow  = 2
)

// candidate is a question the X-ray may show: the lower its priority, the
// more it tells, and the later the cap leaves it out.
type candidate struct {
	section  int
	priority int
	height   int
	card     *sightline.Card
}

// Generate builds the X-ray of table t: a dashboard named "A look at your
// <Table> table" whose cards are questions on t (their DashboardCard has
// Card set and CardID 0) and headings (Card nil), laid out on the 24-column
// grid, with filters for the main date and the main categories wired to
// every question. md resolves foreign keys to the tables they point at and
// may be nil. A table without fields, or without an ID, is EINVALID.
func Generate(t *sightline.Table, md Metadata, opts Options) (*sightline.Dashboard, error) {
	if t == nil || len(t.Fields) == 0 {
		return nil, sightline.Errorf(sightline.EINVALID, "This table has no columns to X-ray; sync its database first.")
	}
	if t.ID == 0 {
		return nil, sightline.Errorf(sightline.EINVALID, "Only a synced table can be X-rayed.")
	}
	if opts.MaxCards <= 0 {
		opts.MaxCards = DefaultMaxCards
	}
	if opts.PinRows <= 0 {
		opts.PinRows = DefaultPinRows
	}
	p, err := newProfile(t, md)
	if err != nil {
		return nil, err
	}
	b := &builder{p: p, opts: opts}
	b.summary()
	b.overTime()
	b.where()
	b.spread()
	d := &sightline.Dashboard{
		Name:        "A look at your " + p.name + " table",
		Description: fmt.Sprintf("An automatic look at the %s table, generated from its metadata.", p.name),
		Parameters:  []sightline.DashboardParameter{},
		Tabs:        []sightline.DashboardTab{},
		Cards:       layout(b.headings(), keep(runnable(b.cands, opts.Runnable), opts.MaxCards)),
	}
	fs := p.filters()
	for _, f := range fs {
		d.Parameters = append(d.Parameters, f.param)
	}
	for i := range d.Cards {
		if d.Cards[i].Card != nil {
			d.Cards[i].Mappings = mappings(fs)
		}
	}
	return d, nil
}

// runnable returns the candidates whose question ok accepts (all of them
// when ok is nil).
func runnable(cands []candidate, ok func(*sightline.Query) bool) []candidate {
	if ok == nil {
		return cands
	}
	out := make([]candidate, 0, len(cands))
	for _, c := range cands {
		if ok(c.card.Query) {
			out = append(out, c)
		}
	}
	return out
}

// keep returns the candidates left after the cap, in their original order:
// the best (lowest) priorities win, earlier candidates break ties.
func keep(cands []candidate, limit int) []candidate {
	if len(cands) <= limit {
		return cands
	}
	idx := make([]int, len(cands))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return cands[idx[a]].priority < cands[idx[b]].priority })
	idx = idx[:limit]
	sort.Ints(idx)
	out := make([]candidate, len(idx))
	for i, k := range idx {
		out[i] = cands[k]
	}
	return out
}

// layout places each section's heading and questions on the grid, top to
// bottom: numbers four to a row, other cards two to a row, the cards of a
// row sharing its width equally and taking the height of its tallest.
// Sections without questions are left out.
func layout(headings [sectionCount]string, cands []candidate) []sightline.DashboardCard {
	var out []sightline.DashboardCard
	y := 0
	for sec := range sectionCount {
		var cs []candidate
		for _, c := range cands {
			if c.section == sec {
				cs = append(cs, c)
			}
		}
		if len(cs) == 0 {
			continue
		}
		out = append(out, heading(headings[sec], y))
		y++
		perRow := chartsInRow
		if sec == sectionSummary {
			perRow = numbersInRow
		}
		for start := 0; start < len(cs); start += perRow {
			row := cs[start:min(start+perRow, len(cs))]
			h := 0
			for _, c := range row {
				h = max(h, c.height)
			}
			w := sightline.GridColumns / len(row)
			for i, c := range row {
				out = append(out, sightline.DashboardCard{
					Row: y, Col: i * w, SizeX: w, SizeY: h,
					VizSettings: json.RawMessage("{}"),
					Card:        c.card,
				})
			}
			y += h
		}
	}
	return out
}

// heading is a full-width heading card at row y.
func heading(text string, y int) sightline.DashboardCard {
	return sightline.DashboardCard{
		Row: y, SizeX: sightline.GridColumns, SizeY: 1,
		Mappings:    []sightline.ParameterMapping{},
		VizSettings: vizJSON(map[string]any{"virtual_card": map[string]any{"display": "heading"}, "text": text}),
	}
}

// filter is a dashboard filter and the column it filters.
type filter struct {
	field *sightline.Field
	param sightline.DashboardParameter
}

// filters returns the dashboard's filters: the main date, then up to
// MaxCategoryFilters categories (small text categories, then areas, then
// larger categories, then booleans). IDs and slugs come from the column
// names ("date_received", "plan") and are unique.
func (p *profile) filters() []filter {
	var out []filter
	seen := map[string]bool{}
	add := func(f *sightline.Field, typ, section string) {
		name := displayName(f.DisplayName, f.Name)
		slug := strings.ReplaceAll(sightline.Slug(name), "-", "_")
		if slug == "" {
			slug = "field_" + strconv.FormatInt(f.ID, 10)
		}
		id := slug
		for n := 2; seen[id]; n++ {
			id = slug + "_" + strconv.Itoa(n)
		}
		seen[id] = true
		out = append(out, filter{field: f, param: sightline.DashboardParameter{
			ID: id, Name: name, Slug: id, Type: typ, SectionID: section,
		}})
	}
	if p.date != nil {
		add(p.date, "date/all-options", "date")
	}
	for _, f := range p.filterCategories() {
		section := "string"
		if isArea(f) {
			section = "location"
		}
		add(f, "category", section)
	}
	return out
}

// filterCategories picks the columns of the category filters.
func (p *profile) filterCategories() []*sightline.Field {
	rank := func(f *sightline.Field) int {
		switch {
		case f.BaseType == sightline.BaseBoolean:
			return 3
		case isSmall(f):
			return 0
		case isArea(f):
			return 1
		}
		return 2
	}
	fs := append([]*sightline.Field{}, p.categories...)
	if p.place.via == nil {
		for _, f := range []*sightline.Field{p.place.country, p.place.state} {
			if f != nil {
				fs = append(fs, f)
			}
		}
	}
	sort.SliceStable(fs, func(a, b int) bool { return rank(fs[a]) < rank(fs[b]) })
	return fs[:min(len(fs), MaxCategoryFilters)]
}

// isArea reports whether f names a country or a state.
func isArea(f *sightline.Field) bool {
	return f.SemanticType == sightline.SemanticCountry || f.SemanticType == sightline.SemanticState
}

// mappings wires every filter to its column on a question of the table.
func mappings(fs []filter) []sightline.ParameterMapping {
	out := make([]sightline.ParameterMapping, 0, len(fs))
	for _, f := range fs {
		target := fmt.Sprintf(`["dimension",["field",%d,null]]`, f.field.ID)
		out = append(out, sightline.ParameterMapping{ParameterID: f.param.ID, Target: json.RawMessage(target)})
	}
	return out
}
