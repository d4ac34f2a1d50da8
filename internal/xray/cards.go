package xray

import (
	"encoding/json"
	"strconv"

	"sightline"
)

// builder collects the candidate questions of one X-ray.
type builder struct {
	p     *profile
	opts  Options
	cands []candidate
}

// headings are the texts of the section headings.
func (b *builder) headings() [sectionCount]string {
	n := b.p.name
	return [sectionCount]string{
		sectionSummary: "Summary",
		sectionTime:    "How these " + n + " are spread over time",
		sectionPlace:   "Where these " + n + " are",
		sectionSpread:  "How these " + n + " are distributed",
	}
}

// question is a candidate question about the table: sq gets the table as
// its source; dims and metrics, when set, name the result columns the chart
// draws.
type question struct {
	section, priority, height  int
	name, description, display string
	sq                         *sightline.StructuredQuery
	dims, metrics              []string
	// region is the region map a "map" question shades.
	region string
}

// add turns q into a saved question on the table and a candidate.
func (b *builder) add(q question) {
	t := b.p.table
	q.sq.SourceTable = t.ID
	viz := map[string]any{}
	if len(q.dims) > 0 {
		viz["graph.dimensions"] = q.dims
	}
	if len(q.metrics) > 0 {
		viz["graph.metrics"] = q.metrics
	}
	if q.region != "" {
		viz["map.region"] = q.region
	}
	b.cands = append(b.cands, candidate{
		section:  q.section,
		priority: q.priority,
		height:   q.height,
		card: &sightline.Card{
			Name:        q.name,
			Description: q.description,
			DatabaseID:  t.DatabaseID,
			TableID:     t.ID,
			Query: &sightline.Query{
				Version:    sightline.QueryVersion,
				Database:   t.DatabaseID,
				Type:       sightline.QueryTypeStructured,
				Structured: q.sq,
			},
			Display:     q.display,
			VizSettings: vizJSON(viz),
		},
	})
}

// vizJSON encodes visualization settings, which hold only strings, lists
// and maps of strings and so always encode.
func vizJSON(v map[string]any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("xray: visualization settings: " + err.Error())
	}
	return b
}

// ref refers to field f, through the foreign key via when it is not nil.
func ref(f, via *sightline.Field) *sightline.FieldRef {
	r := &sightline.FieldRef{ID: f.ID}
	if via != nil {
		r.SourceField = via.ID
	}
	return r
}

// count is the row count metric.
func count() []sightline.Aggregation {
	return []sightline.Aggregation{{Op: sightline.AggCount}}
}

// byCountDesc sorts by the first metric, largest first; the compiler adds
// the breakouts after it, so ties come out the same on every engine.
func byCountDesc() []sightline.OrderBy {
	return []sightline.OrderBy{{Desc: true, Expr: &sightline.AggregationRef{Index: 0}}}
}

// summary adds the row count, the rows of the last 30 days and the
// distinct values of each foreign key.
func (b *builder) summary() {
	p := b.p
	b.add(question{
		section: sectionSummary, priority: 1, height: numberHeight,
		name: "Total " + p.name, description: "How many rows the " + p.name + " table has.", display: "number",
		sq: &sightline.StructuredQuery{Aggregations: count()},
	})
	if p.date != nil {
		name := p.name + " added in the last 30 days"
		if !p.created {
			name = p.name + " with " + label(p.date, nil) + " in the last 30 days"
		}
		b.add(question{
			section: sectionSummary, priority: 1, height: numberHeight,
			name: name, description: "Rows whose " + label(p.date, nil) + " falls in the previous 30 days.", display: "number",
			sq: &sightline.StructuredQuery{
				Aggregations: count(),
				Filter:       &sightline.TimeInterval{Arg: ref(p.date, nil), N: -30, Unit: sightline.UnitDay},
			},
		})
	}
	for _, l := range p.links {
		what := label(l.fk, nil) + " values"
		if l.target != nil {
			what = displayName(l.target.DisplayName, l.target.Name)
		}
		b.add(question{
			section: sectionSummary, priority: 2, height: numberHeight,
			name: "Distinct " + what + " in " + p.name, display: "number",
			description: "How many different " + label(l.fk, nil) + " values the " + p.name + " table refers to.",
			sq:          &sightline.StructuredQuery{Aggregations: []sightline.Aggregation{{Op: sightline.AggDistinct, Arg: ref(l.fk, nil)}}},
		})
	}
}

// overTime adds the monthly count, sums and averages on the main date and
// the day-of-week and month-of-year breakdowns.
func (b *builder) overTime() {
	p := b.p
	if p.date == nil {
		return
	}
	byUnit := func(unit string) []sightline.Expr {
		r := ref(p.date, nil)
		r.TemporalUnit = unit
		return []sightline.Expr{r}
	}
	dim := []string{p.date.Name}
	b.add(question{
		section: sectionTime, priority: 1, height: chartHeight,
		name: p.name + " per month", description: "Rows per month of " + label(p.date, nil) + ".", display: "line",
		sq:   &sightline.StructuredQuery{Aggregations: count(), Breakouts: byUnit(sightline.UnitMonth)},
		dims: dim, metrics: []string{"count"},
	})
	for i, f := range p.numbers {
		ops := []string{sightline.AggSum, sightline.AggAvg}
		if averageOnly(f) {
			ops = ops[1:]
		}
		for _, op := range ops {
			priority, title := 3, "Sum of "
			if op == sightline.AggAvg {
				priority, title = 4, "Average "
			}
			if i == 0 {
				priority = 2
			}
			b.add(question{
				section: sectionTime, priority: priority, height: chartHeight,
				name: title + label(f, nil) + " per month", display: "line",
				description: title + label(f, nil) + " of the " + p.name + " per month of " + label(p.date, nil) + ".",
				sq: &sightline.StructuredQuery{
					Aggregations: []sightline.Aggregation{{Op: op, Arg: ref(f, nil)}},
					Breakouts:    byUnit(sightline.UnitMonth),
				},
				dims: dim, metrics: []string{op},
			})
		}
	}
	for _, u := range []struct{ unit, words string }{
		{sightline.UnitDayOfWeek, "day of the week"},
		{sightline.UnitMonthOfYear, "month of the year"},
	} {
		b.add(question{
			section: sectionTime, priority: 2, height: chartHeight,
			name: p.name + " per " + u.words, display: "bar",
			description: "Rows per " + u.words + " of " + label(p.date, nil) + ".",
			sq:          &sightline.StructuredQuery{Aggregations: count(), Breakouts: byUnit(u.unit)},
			dims:        dim, metrics: []string{"count"},
		})
	}
}

// where adds region maps of the countries and states (with row charts of
// the top ten when there are more values than a row chart holds), a pin
// map of the coordinates and a table of the top cities.
func (b *builder) where() {
	p, pl := b.p, b.p.place
	for _, a := range []struct {
		f      *sightline.Field
		region string
	}{{pl.country, RegionCountries}, {pl.state, RegionStates}} {
		if a.f == nil {
			continue
		}
		b.regionMap(a.f, pl.via, a.region)
		if !isSmall(a.f) {
			b.topValues(sectionPlace, 3, "row", a.f, pl.via)
		}
	}
	if pl.hasCoordinates {
		var fields []sightline.Expr
		var order []sightline.OrderBy
		if p.pk != nil {
			fields = append(fields, ref(p.pk, nil))
			order = append(order, sightline.OrderBy{Expr: ref(p.pk, nil)})
		}
		if pl.via != nil {
			fields = append(fields, ref(pl.via, nil))
		}
		fields = append(fields, ref(pl.latitude, pl.via), ref(pl.longitude, pl.via))
		name := p.name + " by location"
		if pl.via != nil {
			name = p.name + " by " + viaName(pl.via) + " location"
		}
		b.add(question{
			section: sectionPlace, priority: 2, height: tableHeight,
			name: name, display: "map-pin",
			description: "Where the rows are, from " + label(pl.latitude, pl.via) + " and " + label(pl.longitude, pl.via) + ".",
			sq: &sightline.StructuredQuery{
				Fields: fields,
				Filter: &sightline.Logical{Op: sightline.OpAnd, Args: []sightline.Expr{
					&sightline.NullCheck{Op: sightline.OpNotNull, Arg: ref(pl.latitude, pl.via)},
					&sightline.NullCheck{Op: sightline.OpNotNull, Arg: ref(pl.longitude, pl.via)},
				}},
				OrderBy: order,
				Limit:   b.opts.PinRows,
			},
		})
	}
	if pl.city != nil {
		b.topValues(sectionPlace, 4, "table", pl.city, pl.via)
	}
}

// regionMap adds a map of the count of rows per value of f (reached
// through via), shading the regions of the region map ("world_countries"
// or "us_states").
func (b *builder) regionMap(f, via *sightline.Field, region string) {
	b.add(question{
		section: sectionPlace, priority: 2, height: tableHeight,
		name: "Map of " + b.p.name + " per " + label(f, via), display: "map",
		description: "How many rows have each " + label(f, via) + " value, shaded on a map.",
		sq: &sightline.StructuredQuery{
			Aggregations: count(),
			Breakouts:    []sightline.Expr{ref(f, via)},
			OrderBy:      byCountDesc(),
		},
		dims: []string{f.Name}, metrics: []string{"count"}, region: region,
	})
}

// spread adds a chart or table per category, of the table and of linked
// tables, and a histogram per numeric column.
func (b *builder) spread() {
	p := b.p
	for _, f := range p.categories {
		if isSmall(f) && f.BaseType != sightline.BaseBoolean {
			b.topValues(sectionSpread, 2, "row", f, nil)
		}
	}
	for _, f := range p.categories {
		if f.BaseType == sightline.BaseBoolean {
			b.topValues(sectionSpread, 3, "row", f, nil)
		}
	}
	for _, f := range p.categories {
		if !isSmall(f) && f.BaseType != sightline.BaseBoolean {
			b.topValues(sectionSpread, 3, "table", f, nil)
		}
	}
	for _, l := range p.links {
		if l.target == nil || l.target.ID == p.table.ID {
			continue
		}
		n := 0
		for i := range l.target.Fields {
			f := &l.target.Fields[i]
			if n == RelatedCategories || f.Visibility == sightline.VisibilityHidden || f.BaseType == sightline.BaseBoolean ||
				f.SemanticType != sightline.SemanticCategory || !isSmall(f) {
				continue
			}
			b.topValues(sectionSpread, 3, "row", f, l.fk)
			n++
		}
	}
	for i, f := range p.numbers {
		priority := 3
		if i == 0 {
			priority = 2
		}
		r := ref(f, nil)
		r.Binning = &sightline.Binning{Strategy: sightline.NumBins, NumBins: HistogramBins}
		b.add(question{
			section: sectionSpread, priority: priority, height: chartHeight,
			name: "Distribution of " + label(f, nil), display: "bar",
			description: "How many rows fall in each range of " + label(f, nil) + ".",
			sq:          &sightline.StructuredQuery{Aggregations: count(), Breakouts: []sightline.Expr{r}},
			dims:        []string{f.Name}, metrics: []string{"count"},
		})
	}
}

// topValues adds a count of rows per value of f (reached through via),
// largest first: every value for a small category, the top TopValues
// otherwise.
func (b *builder) topValues(section, priority int, display string, f, via *sightline.Field) {
	sq := &sightline.StructuredQuery{
		Aggregations: count(),
		Breakouts:    []sightline.Expr{ref(f, via)},
		OrderBy:      byCountDesc(),
	}
	name := b.p.name + " per " + label(f, via)
	if !isSmall(f) {
		sq.Limit = TopValues
		name += " (top " + strconv.Itoa(TopValues) + ")"
	}
	height := chartHeight
	if display == "table" {
		height = tableHeight
	}
	q := question{
		section: section, priority: priority, height: height,
		name: name, display: display,
		description: "How many rows have each " + label(f, via) + " value, most common first.",
		sq:          sq,
	}
	if display != "table" {
		q.dims, q.metrics = []string{f.Name}, []string{"count"}
	}
	b.add(q)
}
