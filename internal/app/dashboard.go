package app

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"sightline"
)

// dashCache keeps recently loaded dashboards, with their cards' questions,
// so that opening a dashboard and running its cards cost no app-database
// query: the cached object is the stored definition, and every request
// still checks the reader's rights on it. Every write to content on this
// instance (dashboards, questions, collections, public links) and every
// change to permissions, people or metadata empties it (see
// contentWatch); edits on another instance sharing the app database show
// here within dashTTL, or at once through the cache bus (see liveTTL).
//
// It keeps the list of collections too, read by every dashboard page for
// its breadcrumbs and the Edit button, and saved questions run by id,
// under the same rules and lifetimes.
type dashCache struct {
	mu      sync.Mutex
	entries timedMap[*sightline.Dashboard]
	// gen counts invalidations (see permCache.gen).
	gen  uint64
	load flights[dashKey, *sightline.Dashboard]
	// colls is the list of every collection and when it was read; nil
	// until read and after every invalidation.
	colls       []*sightline.Collection
	collsLoaded time.Time
	loadColls   flights[uint64, []*sightline.Collection]
	// cards keeps saved questions run by id (POST /api/card/{id}/query),
	// under the same rules.
	cards    timedMap[*sightline.Card]
	loadCard flights[dashKey, *sightline.Card]
}

type dashKey struct {
	id, gen uint64
}

// timedMap keeps values by id with the time each was read; the lock of
// the cache that holds it guards it. It holds at most
// maxCachedDashboards values: when full it starts again empty.
type timedMap[V any] map[int64]timed[V]

type timed[V any] struct {
	v      V
	loaded time.Time
}

// fresh returns the value of id if it was read within ttl.
func (m timedMap[V]) fresh(id int64, now time.Time, ttl time.Duration) (V, bool) {
	e, ok := m[id]
	if !ok || now.Sub(e.loaded) > ttl {
		var zero V
		return zero, false
	}
	return e.v, true
}

// keep stores v as read now.
func (m *timedMap[V]) keep(id int64, v V, now time.Time) {
	if *m == nil || len(*m) >= maxCachedDashboards {
		*m = timedMap[V]{}
	}
	(*m)[id] = timed[V]{v: v, loaded: now}
}

const dashTTL = 60 * time.Second

// maxCachedDashboards bounds the dashboard cache; when it is full it
// starts again empty.
const maxCachedDashboards = 1000

func (c *dashCache) get(id int64, now time.Time, ttl time.Duration) (*sightline.Dashboard, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, _ := c.entries.fresh(id, now, ttl)
	return d, c.gen
}

// put keeps d unless the cache was emptied since gen.
func (c *dashCache) put(d *sightline.Dashboard, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.entries.keep(d.ID, d, now)
	}
}

// drop forgets dashboard id, and the collections, whose items may have
// changed with it.
func (c *dashCache) drop(id int64) {
	c.mu.Lock()
	delete(c.entries, id)
	c.colls = nil
	clear(c.cards)
	c.gen++
	c.mu.Unlock()
}

// forgetAll empties the cache.
func (c *dashCache) forgetAll() {
	c.mu.Lock()
	clear(c.entries)
	c.colls = nil
	clear(c.cards)
	c.gen++
	c.mu.Unlock()
}

// collections returns the cached list of collections if it is fresh
// (read within ttl), and the generation to load it under otherwise.
func (c *dashCache) collections(now time.Time, ttl time.Duration) ([]*sightline.Collection, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.colls == nil || now.Sub(c.collsLoaded) > ttl {
		return nil, c.gen
	}
	return c.colls, c.gen
}

// putCollections keeps list unless the cache was emptied since gen.
func (c *dashCache) putCollections(list []*sightline.Collection, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if list == nil {
		list = []*sightline.Collection{}
	}
	c.colls, c.collsLoaded = list, now
}

// card returns a cached question if it is fresh (read within ttl), and
// the generation to load it under otherwise.
func (c *dashCache) card(id int64, now time.Time, ttl time.Duration) (*sightline.Card, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	card, _ := c.cards.fresh(id, now, ttl)
	return card, c.gen
}

// putCard keeps card unless the cache was emptied since gen.
func (c *dashCache) putCard(card *sightline.Card, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.cards.keep(card.ID, card, now)
	}
}

// cachedCard reads a saved question through the cache; concurrent
// requests share one read. The question returned is shared: callers never
// change it.
func (a *App) cachedCard(ctx context.Context, id int64) (*sightline.Card, error) {
	c, gen := a.dashes.card(id, a.now(), a.fresh.ttl(dashTTL))
	if c != nil {
		return c, nil
	}
	return a.dashes.loadCard.do(ctx, a.life, dashKey{uint64(id), gen}, func(ctx context.Context) (*sightline.Card, error) {
		at := a.now()
		c, err := a.content.Card(ctx, id)
		if err != nil {
			return nil, err
		}
		a.dashes.putCard(c, gen, at)
		return c, nil
	})
}

// cachedCollections returns every collection through the cache; concurrent
// requests share one read. The list and the collections in it are shared:
// callers never change them.
func (a *App) cachedCollections(ctx context.Context) ([]*sightline.Collection, error) {
	list, gen := a.dashes.collections(a.now(), a.fresh.ttl(dashTTL))
	if list != nil {
		return list, nil
	}
	return a.dashes.loadColls.do(ctx, a.life, gen, func(ctx context.Context) ([]*sightline.Collection, error) {
		at := a.now()
		list, err := a.content.Collections(ctx)
		if err != nil {
			return nil, err
		}
		a.dashes.putCollections(list, gen, at)
		return list, nil
	})
}

// cachedCollection returns a copy of collection id from the cached list;
// one missing from it (created on another instance since the list was
// read) is read from the store.
func (a *App) cachedCollection(ctx context.Context, id int64) (*sightline.Collection, error) {
	all, err := a.cachedCollections(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range all {
		if c.ID == id {
			cp := *c
			return &cp, nil
		}
	}
	return a.content.Collection(ctx, id)
}

// loadDashboard reads a dashboard through the cache; fresh reads it from
// the app database (and caches it). Concurrent requests share one read.
// The dashboard returned may be shared: callers never change it.
func (a *App) loadDashboard(ctx context.Context, id int64, fresh bool) (*sightline.Dashboard, error) {
	d, gen := a.dashes.get(id, a.now(), a.fresh.ttl(dashTTL))
	if d != nil && !fresh {
		return d, nil
	}
	if fresh {
		d, err := a.content.Dashboard(ctx, id)
		if err != nil {
			return nil, err
		}
		a.dashes.put(d, gen, a.now())
		return d, nil
	}
	return a.dashes.load.do(ctx, a.life, dashKey{uint64(id), gen}, func(ctx context.Context) (*sightline.Dashboard, error) {
		at := a.now()
		d, err := a.content.Dashboard(ctx, id)
		if err != nil {
			return nil, err
		}
		a.dashes.put(d, gen, at)
		return d, nil
	})
}

// Dashboard returns a dashboard the user may see, with its cards, and
// records the view. A card whose question the user may not read carries a
// placeholder instead of the question (see redactDashboard).
func (a *App) Dashboard(ctx context.Context, actor *sightline.User, id int64) (*sightline.Dashboard, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	d, err := a.loadDashboard(ctx, id, false)
	if err != nil {
		return nil, err
	}
	if !a.dashboardVisible(ctx, actor, d) {
		return nil, notFoundErr("Dashboard")
	}
	a.recordView(ctx, actor, "dashboard", id)
	return a.redactDashboard(ctx, actor, cloneDashboard(d)), nil
}

// cloneDashboard copies a cached dashboard deeply enough that the copy's
// fields, lists, dashcards and their questions' fields can be changed
// without touching the cache.
func cloneDashboard(d *sightline.Dashboard) *sightline.Dashboard {
	cp := *d
	cp.Parameters = slices.Clone(d.Parameters)
	cp.Tabs = slices.Clone(d.Tabs)
	cp.EmbeddingParams = maps.Clone(d.EmbeddingParams)
	cp.Cards = slices.Clone(d.Cards)
	for i, dc := range cp.Cards {
		cp.Cards[i].Mappings = slices.Clone(dc.Mappings)
		cp.Cards[i].VizSettings = slices.Clone(dc.VizSettings)
		if dc.Card != nil {
			c := *dc.Card
			cp.Cards[i].Card = &c
		}
	}
	return &cp
}

// CreateDashboard saves a new dashboard (with any new questions its cards
// carry) in one transaction.
func (a *App) CreateDashboard(ctx context.Context, actor *sightline.User, d *sightline.Dashboard) (*sightline.Dashboard, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	d.Name = strings.TrimSpace(d.Name)
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := a.checkCollectionWrite(ctx, actor, d.CollectionID); err != nil {
		return nil, err
	}
	if err := a.checkDashcards(ctx, actor, d, nil); err != nil {
		return nil, err
	}
	if err := checkEmbeddingEdit(actor, false, d.EnableEmbedding, nil, d.EmbeddingParams, nil, unfilteredCards(d)); err != nil {
		return nil, err
	}
	d.CreatorID = actor.ID
	if err := a.content.CreateDashboard(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// checkDashcards validates the cards of a dashboard being saved and
// resolves every id they refer to (see checkDashboardRefs).
func (a *App) checkDashcards(ctx context.Context, actor *sightline.User, d, old *sightline.Dashboard) error {
	for _, dc := range d.Cards {
		if len(dc.VizSettings) > 0 && !json.Valid(dc.VizSettings) {
			return sightline.Errorf(sightline.EINVALID, "Card settings must be JSON.")
		}
	}
	return a.checkDashboardRefs(ctx, actor, d, old)
}

// UpdateDashboard saves a dashboard edited from revision d.Revision. If
// someone saved it meanwhile, the save is refused with a conflict and the
// other person's change stays.
func (a *App) UpdateDashboard(ctx context.Context, actor *sightline.User, d *sightline.Dashboard) (*sightline.Dashboard, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	old, err := a.content.Dashboard(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	if err := a.checkCollectionWrite(ctx, actor, old.CollectionID); err != nil {
		return nil, err
	}
	if d.CollectionID != old.CollectionID {
		if err := a.checkCollectionWrite(ctx, actor, d.CollectionID); err != nil {
			return nil, err
		}
	}
	d.Name = strings.TrimSpace(d.Name)
	if err := d.Validate(); err != nil {
		return nil, err
	}
	// Marks are compared by dashcard id, which checkDashcards clears.
	marks := unfilteredCards(d)
	if err := a.checkDashcards(ctx, actor, d, old); err != nil {
		return nil, err
	}
	if err := checkEmbeddingEdit(actor, old.EnableEmbedding, d.EnableEmbedding, old.EmbeddingParams, d.EmbeddingParams,
		unfilteredCards(old), marks); err != nil {
		return nil, err
	}
	d.CreatorID, d.CreatedAt = old.CreatorID, old.CreatedAt
	// The layout is saved anew on every write, so dashcard ids are not
	// part of what is compared.
	if d.Revision != 0 && d.Revision != old.Revision || !unchanged(layoutOf(old), d, "revision", "updated_at", "card") {
		if err := a.content.UpdateDashboard(ctx, d); err != nil {
			return nil, err
		}
		a.dashes.drop(d.ID)
	}
	saved, err := a.loadDashboard(ctx, d.ID, true)
	if err != nil {
		return nil, err
	}
	return a.redactDashboard(ctx, actor, saved), nil
}

// layoutOf is d with its dashcards' ids cleared, as a dashboard being
// saved carries them.
func layoutOf(d *sightline.Dashboard) *sightline.Dashboard {
	cp := *d
	cp.Cards = make([]sightline.DashboardCard, len(d.Cards))
	for i, dc := range d.Cards {
		dc.ID = 0
		cp.Cards[i] = dc
	}
	return &cp
}

// DuplicateDashboard copies a dashboard (its layout, filters and the same
// questions) into the same collection.
func (a *App) DuplicateDashboard(ctx context.Context, actor *sightline.User, id int64) (*sightline.Dashboard, error) {
	d, err := a.Dashboard(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	cp := *d
	cp.ID, cp.Revision, cp.Pinned = 0, 0, false
	// A copy is not published for embedding until an administrator says so.
	cp.EnableEmbedding, cp.EmbeddingParams = false, nil
	cp.Name = d.Name + " - Duplicate"
	cp.Cards = make([]sightline.DashboardCard, len(d.Cards))
	for i, dc := range d.Cards {
		dc.ID, dc.Card = 0, nil
		if !actor.IsAdmin {
			// Only administrators mark cards safe to show unfiltered.
			dc.VizSettings = withoutUnfilteredMark(dc.VizSettings)
		}
		for j := range dc.Mappings {
			dc.Mappings[j].CardID = dc.CardID
		}
		cp.Cards[i] = dc
	}
	return a.CreateDashboard(ctx, actor, &cp)
}

// FilterValue is a dashboard filter's current value, as the page sends it.
type FilterValue struct {
	ID    string `json:"id"`
	Value any    `json:"value"`
}

// RunDashboardCard runs one card of a dashboard with the dashboard's
// current filter values, mapped to the card's columns or SQL variables.
// Unmapped filters do not apply to the card. It reads the dashboard from the
// cache the page load filled, so a dashboard's cards cost no app-database
// query each.
func (a *App) RunDashboardCard(ctx context.Context, actor *sightline.User, dashID, dashcardID int64, values []FilterValue, opts RunOptions) (*Result, error) {
	return a.RunDashcard(ctx, actor, dashID, dashcardID, 0, values, opts)
}

// RunDashcard is RunDashboardCard for a request that also names the card's
// question (cardID, 0 for none): a question that is not the one on that
// card of that dashboard is not found.
// The result cache is used as savedRunCache says, with the question's and
// then the dashboard's cache_ttl.
func (a *App) RunDashcard(ctx context.Context, actor *sightline.User, dashID, dashcardID, cardID int64, values []FilterValue, opts RunOptions) (*Result, error) {
	d, card, q, err := a.dashcardQuery(ctx, actor, dashID, dashcardID, cardID, values)
	if err != nil {
		return nil, err
	}
	opts = a.savedRunCache(ctx, opts, hoursOf(card.CacheTTL), hoursOf(d.CacheTTL))
	// The question's collection is readable, so it runs as a saved
	// question.
	return a.RunQuery(asSavedQuestion(ctx), actor, q, opts)
}

// runDashcard is RunDashcard with opts as given, for public links, whose
// caching the embedding-cache-ttl setting decides.
func (a *App) runDashcard(ctx context.Context, actor *sightline.User, dashID, dashcardID, cardID int64, values []FilterValue, opts RunOptions) (*Result, error) {
	_, _, q, err := a.dashcardQuery(ctx, actor, dashID, dashcardID, cardID, values)
	if err != nil {
		return nil, err
	}
	// The question's collection is readable, so it runs as a saved
	// question.
	return a.RunQuery(asSavedQuestion(ctx), actor, q, opts)
}

// DownloadDashcard streams the results of a dashboard card like Download,
// with the dashboard's filter values applied as RunDashcard applies them,
// and returns the number of rows written. open receives the card's
// question once the request is resolved (to name the file) and returns
// the writer.
func (a *App) DownloadDashcard(ctx context.Context, actor *sightline.User, dashID, dashcardID, cardID int64, values []FilterValue, open func(*sightline.Card) RowWriter) (int, error) {
	_, card, q, err := a.dashcardQuery(ctx, actor, dashID, dashcardID, cardID, values)
	if err != nil {
		return 0, err
	}
	return a.Download(asSavedQuestion(ctx), actor, q, open(card))
}

// dashcardQuery is the one resolution of a request to run a dashboard
// card, for showing and for downloading: the dashboard must be readable,
// the card must be on it (and show question cardID when that is not 0),
// the question must be readable and not archived, and the filter values
// are mapped to its columns or variables through the card's mappings. It
// returns the dashboard, the question and the query to run.
func (a *App) dashcardQuery(ctx context.Context, actor *sightline.User, dashID, dashcardID, cardID int64, values []FilterValue) (*sightline.Dashboard, *sightline.Card, *sightline.Query, error) {
	d, err := a.readableDashboard(ctx, actor, dashID)
	if err != nil {
		return nil, nil, nil, err
	}
	var dc *sightline.DashboardCard
	for i := range d.Cards {
		if d.Cards[i].ID == dashcardID {
			dc = &d.Cards[i]
		}
	}
	if dc == nil || dc.CardID == 0 || cardID != 0 && cardID != dc.CardID {
		return nil, nil, nil, notFoundErr("Dashboard card")
	}
	card := dc.Card
	if card == nil {
		return nil, nil, nil, sightline.Errorf(sightline.EINVALID, "This card's question no longer exists.")
	}
	// Whoever saved the dashboard, its viewer runs only the questions they
	// may read.
	if !a.cardVisible(ctx, actor, card) {
		return nil, nil, nil, errCardRestricted()
	}
	if card.Archived {
		return nil, nil, nil, sightline.Errorf(sightline.EINVALID, "The question %q was archived.", card.Name)
	}
	params, err := a.mapFilters(ctx, actor, d, dc, withRequiredDefaults(d, values))
	if err != nil {
		return nil, nil, nil, err
	}
	q := *card.Query
	q.Parameters = append(append([]sightline.Parameter{}, q.Parameters...), params...)
	return d, card, &q, nil
}

// withRequiredDefaults is values with the default of every required filter
// of d that values leaves out or empties: a required filter always
// applies a value.
func withRequiredDefaults(d *sightline.Dashboard, values []FilterValue) []FilterValue {
	set := map[string]bool{}
	for _, v := range values {
		if !sightline.EmptyFilterValue(v.Value) {
			set[v.ID] = true
		}
	}
	out := slices.Clone(values)
	for _, p := range d.Parameters {
		if p.Required && !set[p.ID] && !sightline.EmptyFilterValue(p.Default) {
			out = append(out, FilterValue{ID: p.ID, Value: p.Default})
		}
	}
	return out
}

// readableDashboard loads a dashboard from the cache the page load filled,
// if the user may read its collection.
func (a *App) readableDashboard(ctx context.Context, actor *sightline.User, dashID int64) (*sightline.Dashboard, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	d, err := a.loadDashboard(ctx, dashID, false)
	if err != nil {
		return nil, err
	}
	if !a.dashboardVisible(ctx, actor, d) {
		return nil, notFoundErr("Dashboard")
	}
	return d, nil
}

// mapFilters turns filter values into the card's parameters through the
// dashcard's mappings. Each mapping that applies is resolved again (see
// filterTarget), so a target stored before targets were checked cannot
// narrow the question by a column it does not read.
func (a *App) mapFilters(ctx context.Context, actor *sightline.User, d *sightline.Dashboard, dc *sightline.DashboardCard, values []FilterValue) ([]sightline.Parameter, error) {
	types := map[string]string{}
	for _, p := range d.Parameters {
		types[p.ID] = p.Type
	}
	// A request sets at most one value per filter, and a question runs
	// with at most sightline.MaxParameters: both are counted as the values
	// are read, so that many values times many wires never build up.
	set := 0
	for _, v := range values {
		if !sightline.EmptyFilterValue(v.Value) {
			set++
		}
	}
	if limit := max(len(d.Parameters), sightline.MaxDashboardFilters); set > limit {
		return nil, sightline.OverLimit("This request sets", int64(set), "filter values", int64(limit))
	}
	var wire []map[string]any
	for _, v := range values {
		if sightline.EmptyFilterValue(v.Value) {
			continue
		}
		typ, ok := types[v.ID]
		if !ok {
			return nil, sightline.Errorf(sightline.EINVALID, "The dashboard has no filter %q.", v.ID)
		}
		for _, m := range dc.Mappings {
			if m.ParameterID == v.ID && len(m.Target) > 0 {
				if len(wire) == sightline.MaxParameters {
					return nil, sightline.OverLimit("This question has more than", sightline.MaxParameters, "parameters", sightline.MaxParameters)
				}
				wire = append(wire, map[string]any{"id": v.ID, "type": typ, "target": m.Target, "value": v.Value})
			}
		}
	}
	if len(wire) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(wire)
	if err != nil {
		return nil, sightline.Errorf(sightline.EINVALID, "Filter values must be text, numbers, booleans or lists of them.")
	}
	ps, err := sightline.ParseParameters(b)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		ref, err := a.resolveTarget(ctx, dc.Card.Query, p)
		if err != nil {
			return nil, err
		}
		if err := a.checkBeyond(ctx, actor, dc.Card.Query.Database, ref.beyond); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// ParamValues are the values a dashboard filter offers in its drop-down.
type ParamValues struct {
	Values []any
	// HasMore is true when the list was cut at MaxFieldValues.
	HasMore bool
}

// DashboardParamValues lists the values dashboard filter paramID offers:
// the distinct values of every column it is wired to (a SQL question's
// field filter counts as its field), merged, sorted and capped at
// MaxFieldValues. They are computed the way the dashboard's cards run, as
// saved questions, so that people who may only view dashboards get them
// too, and through the sandbox of every table they read. A filter wired
// only to plain SQL variables has no values. A column the person may not
// read adds none; if no column could be read, the refusal is the answer.
//
// linked holds the current values of other filters, by filter id. Those
// the filter names in its FilteringParameters narrow its values (linked
// filters) where they are wired to a column of the same table, or of a
// table that table's foreign keys point at (see linkedFilters); the rest
// are ignored.
func (a *App) DashboardParamValues(ctx context.Context, actor *sightline.User, dashID int64, paramID string, linked map[string][]string) (*ParamValues, error) {
	d, err := a.readableDashboard(ctx, actor, dashID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(d.Parameters, func(p sightline.DashboardParameter) bool { return p.ID == paramID })
	if i < 0 {
		return nil, notFoundErr("Dashboard filter")
	}
	// The dashboard's collection is readable, so its filters' values are
	// read as its questions are.
	saved := asSavedQuestion(ctx)
	var vc valueCollector
	for _, pf := range a.paramFields(ctx, actor, d, paramID) {
		t, err := a.tableOfCardField(ctx, pf.db, pf.field)
		id := pf.field
		var vals []any
		if err == nil {
			err = a.checkBeyond(ctx, actor, pf.db, pf.beyond)
		}
		var where []sightline.Parameter
		if err == nil {
			where, err = a.linkedFilters(ctx, actor, d, d.Parameters[i], t, linked)
		}
		if err == nil {
			vals, err = a.distinctValuesWhere(saved, actor, t, id, where)
		}
		if err := vc.add(vals, err); err != nil {
			return nil, err
		}
	}
	return vc.result()
}

// linkedFilters turns the values of the filters that p is limited by
// (p.FilteringParameters) into filters on table t, whose column p lists.
// A linking filter applies through the first column it is wired to (on a
// card the actor may read) that is a column of t, or of a table a foreign
// key of t points at; one wired to no such column, or to a table the
// actor may not query, does not narrow the list.
func (a *App) linkedFilters(ctx context.Context, actor *sightline.User, d *sightline.Dashboard, p sightline.DashboardParameter, t *sightline.Table, linked map[string][]string) ([]sightline.Parameter, error) {
	types := map[string]string{}
	for _, q := range d.Parameters {
		types[q.ID] = q.Type
	}
	var wire []map[string]any
	for _, id := range p.FilteringParameters {
		vals := linkedValue(types[id], linked[id])
		if vals == nil || id == p.ID {
			continue
		}
		for _, lf := range a.paramFields(ctx, actor, d, id) {
			target, ok := a.linkTarget(ctx, actor, t, lf)
			if ok {
				wire = append(wire, map[string]any{"id": id, "type": types[id], "target": target, "value": vals})
				break
			}
		}
	}
	if len(wire) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(wire)
	if err != nil {
		return nil, sightline.Errorf(sightline.EINVALID, "Filter values must be text or numbers.")
	}
	return sightline.ParseParameters(b)
}

// linkedValue is a linking filter's values from the query string in the
// form a card request sends them: numbers for number filters, one value
// for date filters, a list otherwise; nil for none.
func linkedValue(typ string, vals []string) any {
	vals = slices.DeleteFunc(slices.Clone(vals), func(s string) bool { return strings.TrimSpace(s) == "" })
	switch {
	case len(vals) == 0:
		return nil
	case strings.HasPrefix(typ, "date"):
		return vals[0]
	case strings.HasPrefix(typ, "number"):
		var nums []any
		for _, v := range vals {
			var f float64
			if _, err := fmt.Sscan(v, &f); err == nil {
				nums = append(nums, f)
			}
		}
		if len(nums) == 0 {
			return nil
		}
		return nums
	}
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out
}

// linkTarget is the target that filters table t by field lf: the field
// itself when it is a column of t, or the field reached through the
// foreign key of t that points at its table, when the actor may query
// that table (see checkBeyond).
func (a *App) linkTarget(ctx context.Context, actor *sightline.User, t *sightline.Table, lf paramField) (any, bool) {
	if lf.db != t.DatabaseID {
		return nil, false
	}
	md, err := a.metadata(ctx, lf.db)
	if err != nil {
		return nil, false
	}
	f, err := md.Field(lf.field)
	if err != nil {
		return nil, false
	}
	if f.TableID == t.ID {
		return []any{"dimension", []any{"field", f.ID, nil}}, true
	}
	for _, fk := range t.Fields {
		if fk.FKTargetFieldID == 0 {
			continue
		}
		pk, err := md.Field(fk.FKTargetFieldID)
		if err != nil || pk.TableID != f.TableID {
			continue
		}
		other, err := md.Table(f.TableID)
		if err != nil || a.checkBeyond(ctx, actor, lf.db, other) != nil {
			return nil, false
		}
		return []any{"dimension", []any{"field", f.ID, map[string]any{"source-field": fk.ID}}}, true
	}
	return nil, false
}

// paramField is a field a dashboard filter offers the values of, in the
// database of the question it is wired to.
type paramField struct {
	db, field int64
	// beyond is the table a foreign key reaches, beyond what the question
	// reads (see checkBeyond), nil for none.
	beyond *sightline.Table
}

// paramFields lists, once each and in card order, the fields whose values
// dashboard filter paramID offers the actor: the columns it is wired to and
// the fields of the SQL field filters it sets, on the questions the actor
// may read. Cards whose question is gone, archived or not readable do not
// run for the actor, so they add none; nor does a target that is not a
// column of its question (see filterTarget).
func (a *App) paramFields(ctx context.Context, actor *sightline.User, d *sightline.Dashboard, paramID string) []paramField {
	var out []paramField
	for _, dc := range d.Cards {
		if dc.Card == nil || dc.Card.Archived || dc.Card.Query == nil || !a.cardVisible(ctx, actor, dc.Card) {
			continue
		}
		for _, m := range dc.Mappings {
			if m.ParameterID != paramID || len(m.Target) == 0 {
				continue
			}
			ref, err := a.targetRef(ctx, dc.Card.Query, m.Target)
			pf := paramField{db: dc.Card.Query.Database, field: ref.field, beyond: ref.beyond}
			if err == nil && ref.field != 0 && !slices.ContainsFunc(out, func(x paramField) bool { return x.db == pf.db && x.field == pf.field }) {
				out = append(out, pf)
			}
		}
	}
	return out
}

// tableOfCardField is the table of field id in database db's metadata.
func (a *App) tableOfCardField(ctx context.Context, db, id int64) (*sightline.Table, error) {
	md, err := a.metadata(ctx, db)
	if err != nil {
		return nil, err
	}
	f, err := md.Field(id)
	if err != nil {
		return nil, notFoundErr("Field")
	}
	return md.Table(f.TableID)
}

// compareValues orders the values of a merged drop-down: numbers by value,
// then text, times and booleans each in their own order; anything else by
// its printed form.
func compareValues(x, y any) int {
	kx, ky := valueKind(x), valueKind(y)
	if kx != ky {
		return cmp.Compare(kx, ky)
	}
	switch kx {
	case 0:
		if xi, ok := x.(int64); ok {
			if yi, ok := y.(int64); ok {
				return cmp.Compare(xi, yi)
			}
		}
		return cmp.Compare(asFloat(x), asFloat(y))
	case 1:
		return strings.Compare(x.(string), y.(string))
	case 2:
		return x.(time.Time).Compare(y.(time.Time))
	case 3:
		xb, yb := x.(bool), y.(bool)
		switch {
		case xb == yb:
			return 0
		case yb:
			return -1
		}
		return 1
	}
	return strings.Compare(fmt.Sprint(x), fmt.Sprint(y))
}

// valueKind ranks the kinds of column values for compareValues.
func valueKind(v any) int {
	switch v.(type) {
	case int64, float64:
		return 0
	case string:
		return 1
	case time.Time:
		return 2
	case bool:
		return 3
	}
	return 4
}

func asFloat(v any) float64 {
	if i, ok := v.(int64); ok {
		return float64(i)
	}
	f, _ := v.(float64)
	return f
}

// valueCollector gathers the distinct values a filter offers from each
// card wired to it: a card the viewer may not read (403, 404) is passed
// over unless no card could be read, any other error stops the listing.
type valueCollector struct {
	values  []any
	hasMore bool
	read    int
	refused error
}

// add takes one card's values, or the error that card's listing met.
func (vc *valueCollector) add(vals []any, err error) error {
	switch code := sightline.ErrorCode(err); {
	case err == nil:
		vc.read++
		vc.values = append(vc.values, vals...)
		vc.hasMore = vc.hasMore || len(vals) >= MaxFieldValues
	case code == sightline.EFORBIDDEN || code == sightline.ENOTFOUND:
		if vc.refused == nil {
			vc.refused = err
		}
	default:
		return err
	}
	return nil
}

// result is the sorted distinct values, at most MaxFieldValues of them.
func (vc *valueCollector) result() (*ParamValues, error) {
	if vc.read == 0 && vc.refused != nil {
		return nil, vc.refused
	}
	out := &ParamValues{Values: append([]any{}, vc.values...), HasMore: vc.hasMore}
	slices.SortFunc(out.Values, compareValues)
	out.Values = slices.CompactFunc(out.Values, func(x, y any) bool { return compareValues(x, y) == 0 })
	if len(out.Values) > MaxFieldValues {
		out.Values, out.HasMore = out.Values[:MaxFieldValues], true
	}
	return out, nil
}
