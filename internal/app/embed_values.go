package app

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"

	"sightline"
)

// Filter values of static embeds and public links. A drop-down offers the
// values of the columns its filter is wired to, computed as the item's
// cards run: each card's own query, with the token's locked values applied
// as filters, grouped by the column. So a token locked to one account
// lists that account's values only, and a column no card reads is never
// reached.

// EmbedParamValues lists the values the editable filter param (a
// dashboard filter's id, or a question's variable name) of the item a
// token names offers. A locked or disabled filter offers none.
func (a *App) EmbedParamValues(ctx context.Context, token string, qs url.Values, param string) (*ParamValues, error) {
	e, err := a.ResolveEmbed(ctx, token, qs)
	if err != nil {
		return nil, err
	}
	return a.embedParamValues(ctx, e, param)
}

func (a *App) embedParamValues(ctx context.Context, e *Embed, param string) (*ParamValues, error) {
	if e.Dashboard != nil {
		d := e.Dashboard
		i := slices.IndexFunc(d.Parameters, func(p sightline.DashboardParameter) bool { return p.ID == param })
		if i < 0 {
			return nil, notFoundErr("Dashboard filter")
		}
		p := d.Parameters[i]
		if err := editableOnly(d.EmbeddingParams[p.Slug], p.Name); err != nil {
			return nil, err
		}
		var locked []FilterValue
		bySlug := e.bySlug()
		for _, slug := range sortedKeys(e.Locked) {
			locked = append(locked, FilterValue{ID: bySlug[slug].ID, Value: e.Locked[slug]})
		}
		return a.itemParamValues(ctx, embedActor(), d, p.ID, locked, e.linkedValues(p), true)
	}
	c := e.Card
	tag := cardTag(c, param)
	if tag == nil {
		return nil, sightline.Errorf(sightline.ENOTFOUND, "The question has no variable %q.", param)
	}
	if err := editableOnly(c.EmbeddingParams[tag.Name], tag.Name); err != nil {
		return nil, err
	}
	if len(e.Locked) > 0 {
		// The values would come from the variable's table, which the
		// question's SQL (and so the locked value) does not filter.
		return nil, sightline.Errorf(sightline.EFORBIDDEN,
			"The question is written in SQL, so the values of %s cannot be narrowed by the token's locked values; it offers none.", tag.Name)
	}
	return a.tagValues(embedUnfiltered(asSavedQuestion(ctx), true), embedActor(), c, tag)
}

// linkedValues is the query string's values of the editable filters that
// limit p's choices (p.FilteringParameters), as filter values. Locked
// values need no such link: they narrow every list.
func (e *Embed) linkedValues(p sightline.DashboardParameter) []FilterValue {
	var out []FilterValue
	for _, id := range p.FilteringParameters {
		i := slices.IndexFunc(e.Dashboard.Parameters, func(q sightline.DashboardParameter) bool { return q.ID == id })
		if i < 0 || id == p.ID {
			continue
		}
		if v, ok := e.Editable[e.Dashboard.Parameters[i].Slug]; ok && !sightline.EmptyFilterValue(v) {
			out = append(out, FilterValue{ID: id, Value: v})
		}
	}
	return out
}

// editableOnly refuses the values of a filter that is not editable in
// embeds: a locked one takes its value from the token only, a disabled one
// takes none.
func editableOnly(mode, name string) error {
	switch mode {
	case sightline.EmbedEnabled:
		return nil
	case sightline.EmbedLocked:
		return sightline.Errorf(sightline.EFORBIDDEN, "The filter %s is locked: its value comes from the token, so it offers no values.", name)
	}
	return sightline.Errorf(sightline.EINVALID, "The filter %s is disabled for embedding, so it offers no values.", name)
}

// cardTag is the variable of question c named name, nil for none.
func cardTag(c *sightline.Card, name string) *sightline.TemplateTag {
	if c == nil || c.Query == nil || c.Query.Native == nil {
		return nil
	}
	for i := range c.Query.Native.TemplateTags {
		if c.Query.Native.TemplateTags[i].Name == name {
			return &c.Query.Native.TemplateTags[i]
		}
	}
	return nil
}

// tagValues lists the values of a question's field filter variable: the
// distinct values of its field. Other variables offer none.
func (a *App) tagValues(ctx context.Context, actor *sightline.User, c *sightline.Card, tag *sightline.TemplateTag) (*ParamValues, error) {
	out := &ParamValues{Values: []any{}}
	if tag.Type != sightline.TagDimension || tag.Dimension == nil || tag.Dimension.ID == 0 {
		return out, nil
	}
	t, err := a.tableOfCardField(ctx, c.Query.Database, tag.Dimension.ID)
	if err != nil {
		return nil, err
	}
	vals, err := a.distinctValues(ctx, actor, t, tag.Dimension.ID)
	if err != nil {
		return nil, err
	}
	out.Values, out.HasMore = vals, len(vals) >= MaxFieldValues
	return out, nil
}

// itemParamValues lists the values dashboard filter paramID of d offers
// to actor, with the locked filter values applied: of each card the
// filter is wired to and that runs for these locked values (embed: every
// locked value wired to it, or the card marked safe to show unfiltered),
// the distinct values of the wired column among the rows the card reads.
// linked are the values of the filters that limit paramID's choices; each
// narrows the cards it is wired to, as it does when they run. Values are
// merged, sorted and capped like DashboardParamValues.
func (a *App) itemParamValues(ctx context.Context, actor *sightline.User, d *sightline.Dashboard, paramID string, locked, linked []FilterValue, embed bool) (*ParamValues, error) {
	var vc valueCollector
	for i := range d.Cards {
		dc := &d.Cards[i]
		c := dc.Card
		if c == nil || c.Archived || c.Query == nil {
			continue
		}
		var target json.RawMessage
		wired := 0
		for _, v := range locked {
			if slices.ContainsFunc(dc.Mappings, func(m sightline.ParameterMapping) bool { return m.ParameterID == v.ID && len(m.Target) > 0 }) {
				wired++
			}
		}
		for _, m := range dc.Mappings {
			if m.ParameterID == paramID && len(m.Target) > 0 && target == nil {
				target = m.Target
			}
		}
		if target == nil || wired < len(locked) && !unfilteredOK(dc) {
			continue
		}
		run := asSavedQuestion(ctx)
		if embed {
			run = embedUnfiltered(run, wired == 0)
		}
		vals, err := a.dashcardValues(run, actor, d, dc, target, locked, linked)
		if err := vc.add(vals, err); err != nil {
			return nil, err
		}
	}
	return vc.result()
}

// dashcardValues is the distinct values of the column target of dc's
// question among the rows it reads with the locked values applied: its
// query grouped by that column instead of its own columns and
// aggregations. A SQL question's field filter offers its field's values
// only when nothing is locked or linked (its SQL, not the field's table,
// is what those values filter).
func (a *App) dashcardValues(ctx context.Context, actor *sightline.User, d *sightline.Dashboard, dc *sightline.DashboardCard, target json.RawMessage, locked, linked []FilterValue) ([]any, error) {
	b, err := json.Marshal([]map[string]any{{"target": target}})
	if err != nil {
		return nil, sightline.Errorf(sightline.EINVALID, "A filter's target is not valid JSON.")
	}
	ps, err := sightline.ParseParameters(b)
	if err != nil || len(ps) != 1 {
		return nil, sightline.Errorf(sightline.EINVALID, "A filter needs exactly one target.")
	}
	c := dc.Card
	ref, err := a.resolveTarget(ctx, c.Query, ps[0])
	if err != nil {
		return nil, err
	}
	if err := a.checkBeyond(ctx, actor, c.Query.Database, ref.beyond); err != nil {
		return nil, err
	}
	if c.Query.Structured == nil || ps[0].Field == nil {
		if ref.field == 0 {
			return nil, nil
		}
		if len(locked) > 0 {
			return nil, sightline.Errorf(sightline.EFORBIDDEN,
				"The question %q is written in SQL, so its filter values cannot be narrowed by the token's locked values; it offers none.", c.Name)
		}
		if len(linked) > 0 {
			// The field's table is not what the linked filters narrow.
			return nil, nil
		}
		t, err := a.tableOfCardField(ctx, c.Query.Database, ref.field)
		if err != nil {
			return nil, err
		}
		return a.distinctValues(ctx, actor, t, ref.field)
	}
	col := ps[0].Field
	s := *c.Query.Structured
	notNull := sightline.Expr(&sightline.NullCheck{Op: sightline.OpNotNull, Arg: col})
	if s.Filter != nil {
		notNull = &sightline.Logical{Op: sightline.OpAnd, Args: []sightline.Expr{s.Filter, notNull}}
	}
	s.Aggregations, s.Fields, s.Breakouts, s.Filter = nil, nil, []sightline.Expr{col}, notNull
	s.OrderBy, s.Limit = []sightline.OrderBy{{Expr: col}}, MaxFieldValues
	q := *c.Query
	q.Structured = &s
	params, err := a.mapFilters(ctx, actor, d, dc, append(slices.Clone(locked), linked...))
	if err != nil {
		return nil, err
	}
	lockEveryColumn(params, locked)
	q.Parameters = append(append([]sightline.Parameter{}, q.Parameters...), params...)
	res, err := a.RunQuery(ctx, actor, &q, a.cached(ctx, RunOptions{MaxRows: MaxFieldValues}))
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(res.Rows))
	for _, row := range res.Rows {
		out = append(out, row[0])
	}
	return out, nil
}

// PublicDashboardParamValues lists the values filter paramID of the
// dashboard shared by public link uuid offers, computed as its cards run
// for the link (sandboxed tables refused). qs holds other filters' values
// by filter id (?other-filter-id=value), as on a signed-in dashboard; those
// of the filters that limit paramID's choices narrow them, the rest are
// ignored.
func (a *App) PublicDashboardParamValues(ctx context.Context, uuid, paramID string, qs url.Values) (*ParamValues, error) {
	d, g, err := a.publicDashboard(ctx, uuid)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(d.Parameters, func(p sightline.DashboardParameter) bool { return p.ID == paramID })
	if i < 0 {
		return nil, notFoundErr("Dashboard filter")
	}
	return a.itemParamValues(withPublicGrant(ctx, g), anonymous(), d, paramID, nil, linkedByID(d, d.Parameters[i], qs), false)
}

// linkedByID is the query string's values, keyed by filter id, of the
// filters that limit p's choices (p.FilteringParameters), as filter values.
func linkedByID(d *sightline.Dashboard, p sightline.DashboardParameter, qs url.Values) []FilterValue {
	var out []FilterValue
	for _, id := range p.FilteringParameters {
		vs := qs[id]
		if id == p.ID || len(vs) == 0 || !slices.ContainsFunc(d.Parameters, func(q sightline.DashboardParameter) bool { return q.ID == id }) {
			continue
		}
		var v any = vs[0]
		if len(vs) > 1 {
			l := make([]any, len(vs))
			for i, s := range vs {
				l[i] = s
			}
			v = l
		}
		if !sightline.EmptyFilterValue(v) {
			out = append(out, FilterValue{ID: id, Value: v})
		}
	}
	return out
}

// PublicCardParamValues lists the values the variable param of the
// question shared by public link uuid offers.
func (a *App) PublicCardParamValues(ctx context.Context, uuid, param string) (*ParamValues, error) {
	c, err := a.PublicCard(ctx, uuid)
	if err != nil {
		return nil, err
	}
	tag := cardTag(c, param)
	if tag == nil {
		return nil, sightline.Errorf(sightline.ENOTFOUND, "The question has no variable %q.", param)
	}
	return a.tagValues(withPublicGrant(ctx, &publicGrant{cards: map[int64]bool{c.ID: true}}), anonymous(), c, tag)
}
