package app

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"sightline"
)

// Card list filters, as the reference vendor's GET /api/card names them.
const (
	CardsAll        = "all"
	CardsMine       = "mine"
	CardsBookmarked = "bookmarked"
	CardsDatabase   = "database"
	CardsTable      = "table"
	CardsArchived   = "archived"
	CardsRecent     = "recent"
	CardsPopular    = "popular"
	// CardsUsingModel, CardsUsingMetric and CardsUsingSegment list the
	// questions built on a model, metric or segment, which Sightline does
	// not have: always empty.
	CardsUsingModel   = "using_model"
	CardsUsingMetric  = "using_metric"
	CardsUsingSegment = "using_segment"
)

// Cards lists the saved questions the actor may read, narrowed by filter f
// (one of the Cards* constants, "" for all). CardsDatabase and CardsTable
// need modelID, the database or table. Sightline keeps no bookmarks, so
// CardsBookmarked is always empty; CardsPopular orders like CardsRecent
// (the questions the actor opened most recently), since view counts are
// not kept. Sightline has no models, metrics or segments, so the filters
// on them are always empty. Only archived questions are listed by CardsArchived, and only
// the others by every other filter.
func (a *App) Cards(ctx context.Context, actor *sightline.User, f string, modelID int64) ([]*sightline.Card, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if f == "" {
		f = CardsAll
	}
	switch f {
	case CardsAll, CardsMine, CardsArchived, CardsBookmarked, CardsRecent, CardsPopular, CardsUsingModel, CardsUsingMetric, CardsUsingSegment:
	case CardsDatabase, CardsTable:
		if modelID <= 0 {
			return nil, sightline.Errorf(sightline.EINVALID, "The filter f=%s needs model_id, the id of the %s.", f, f)
		}
	default:
		return nil, sightline.Errorf(sightline.EINVALID, "Unknown filter f=%s: use all, mine, bookmarked, database, table, archived, recent, popular, using_model, using_metric or using_segment.", f)
	}
	if f == CardsBookmarked || f == CardsUsingModel || f == CardsUsingMetric || f == CardsUsingSegment {
		return []*sightline.Card{}, nil
	}
	if f == CardsRecent || f == CardsPopular {
		return a.recentCards(ctx, actor)
	}
	all, err := a.content.Cards(ctx)
	if err != nil {
		return nil, err
	}
	out := []*sightline.Card{}
	for _, c := range all {
		if c.Archived != (f == CardsArchived) || !a.cardVisible(ctx, actor, c) {
			continue
		}
		switch {
		case f == CardsMine && c.CreatorID != actor.ID,
			f == CardsDatabase && c.DatabaseID != modelID,
			f == CardsTable && c.TableID != modelID:
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// recentCards is the questions the actor opened most recently and may
// still read, newest first.
func (a *App) recentCards(ctx context.Context, actor *sightline.User) ([]*sightline.Card, error) {
	items, err := a.RecentItems(ctx, actor, 50)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, it := range items {
		if it.Model == "card" {
			ids = append(ids, it.ID)
		}
	}
	byID, err := a.content.CardsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := []*sightline.Card{}
	for _, id := range ids {
		if c := byID[id]; c != nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// Dashboard list filters, as the reference vendor's GET /api/dashboard
// names them.
const (
	DashboardsAll      = "all"
	DashboardsMine     = "mine"
	DashboardsArchived = "archived"
)

// Dashboards lists the dashboards the actor may open (without their
// cards), narrowed by filter f (one of the Dashboards* constants, "" for
// all).
func (a *App) Dashboards(ctx context.Context, actor *sightline.User, f string) ([]*sightline.Dashboard, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if f == "" {
		f = DashboardsAll
	}
	if f != DashboardsAll && f != DashboardsMine && f != DashboardsArchived {
		return nil, sightline.Errorf(sightline.EINVALID, "Unknown filter f=%s: use all, mine or archived.", f)
	}
	all, err := a.content.Dashboards(ctx)
	if err != nil {
		return nil, err
	}
	out := []*sightline.Dashboard{}
	for _, d := range all {
		if d.Archived != (f == DashboardsArchived) || !a.dashboardVisible(ctx, actor, d) {
			continue
		}
		if f == DashboardsMine && d.CreatorID != actor.ID {
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

// CardDashboards lists the dashboards showing saved question id that the
// actor may open; the question itself must be readable.
func (a *App) CardDashboards(ctx context.Context, actor *sightline.User, id int64) ([]*sightline.Dashboard, error) {
	if _, err := a.Card(ctx, actor, id); err != nil {
		return nil, err
	}
	ids, err := a.content.DashboardsWithCard(ctx, id)
	if err != nil {
		return nil, err
	}
	// The stored dashboards, not the cache a page load filled: a dashboard
	// moved to a collection the actor may not read must not be named.
	all, err := a.content.Dashboards(ctx)
	if err != nil {
		return nil, err
	}
	out := []*sightline.Dashboard{}
	for _, d := range all {
		if slices.Contains(ids, d.ID) && !d.Archived && a.dashboardVisible(ctx, actor, d) {
			out = append(out, d)
		}
	}
	return out, nil
}

// QueryMetadata is what a client needs to show saved questions: the
// databases and tables they read, as the actor may see them (without
// connection details or row counts for anyone but administrators).
type QueryMetadata struct {
	Databases []*sightline.Database
	Tables    []*sightline.Table
}

// CardQueryMetadata returns the metadata of saved question id, which the
// actor must be able to read.
func (a *App) CardQueryMetadata(ctx context.Context, actor *sightline.User, id int64) (*QueryMetadata, error) {
	c, err := a.Card(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return a.queryMetadata(ctx, actor, []*sightline.Card{c})
}

// DashboardQueryMetadata returns the metadata of the questions of
// dashboard id that the actor may read.
func (a *App) DashboardQueryMetadata(ctx context.Context, actor *sightline.User, id int64) (*QueryMetadata, error) {
	d, err := a.Dashboard(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	var cards []*sightline.Card
	for _, dc := range d.Cards {
		// Dashboard already replaced the questions the actor may not read.
		if dc.CardID != 0 && dc.Card != nil && dc.Card.Query != nil {
			cards = append(cards, dc.Card)
		}
	}
	return a.queryMetadata(ctx, actor, cards)
}

// queryMetadata gathers the databases and tables that cards read, leaving
// out those the actor may not see. It follows only the source questions
// the actor may read, so that it never tells what a private question
// reads.
func (a *App) queryMetadata(ctx context.Context, actor *sightline.User, cards []*sightline.Card) (*QueryMetadata, error) {
	out := &QueryMetadata{Databases: []*sightline.Database{}, Tables: []*sightline.Table{}}
	readable := func(c *sightline.Card) bool {
		_, err := a.Card(ctx, actor, c.ID)
		return err == nil
	}
	dbs, tables := map[int64]bool{}, map[int64]bool{}
	for _, c := range cards {
		if c.Query == nil {
			continue
		}
		dbs[c.Query.Database] = true
		if c.Query.Structured == nil {
			continue
		}
		md, err := a.metadata(ctx, c.Query.Database)
		if err != nil {
			continue
		}
		a.queryTablesOf(ctx, md, c.Query, tables, 0, readable)
	}
	for _, id := range slices.Sorted(maps.Keys(dbs)) {
		if d, err := a.Database(ctx, actor, id); err == nil {
			out.Databases = append(out.Databases, d)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(tables)) {
		if t, err := a.Table(ctx, actor, id); err == nil {
			out.Tables = append(out.Tables, t)
		}
	}
	return out, nil
}

// DeleteCard removes saved question id for good. The actor must be able to
// read it (else it is not found) and to change its collection. A question
// that a row-level sandbox uses as its view is refused: deleting it would
// drop the sandbox, and the rows it hides would show.
func (a *App) DeleteCard(ctx context.Context, actor *sightline.User, id int64) error {
	c, err := a.Card(ctx, actor, id)
	if err != nil {
		return err
	}
	if err := a.checkCollectionWrite(ctx, actor, c.CollectionID); err != nil {
		return err
	}
	policies, err := a.permStore.Sandboxes(ctx)
	if err != nil {
		return err
	}
	for _, p := range policies {
		if p.CardID == id {
			return sightline.Errorf(sightline.ECONFLICT, "The question %q cannot be deleted: a row-level sandbox uses it to decide which rows a group sees. Change or remove that sandbox first.", c.Name)
		}
	}
	dashes, err := a.content.DashboardsWithCard(ctx, id)
	if err != nil {
		return err
	}
	if err := a.content.DeleteCard(ctx, id); err != nil {
		return err
	}
	// The dashboards that showed it lose that card; none may keep running
	// it from the cache.
	for _, d := range dashes {
		a.dashes.drop(d)
	}
	return nil
}

// DeleteDashboard removes dashboard id (and its cards, not the questions
// they show) for good. The actor must be able to open it (else it is not
// found) and to change its collection.
func (a *App) DeleteDashboard(ctx context.Context, actor *sightline.User, id int64) error {
	d, err := a.Dashboard(ctx, actor, id)
	if err != nil {
		return err
	}
	if err := a.checkCollectionWrite(ctx, actor, d.CollectionID); err != nil {
		return err
	}
	if err := a.content.DeleteDashboard(ctx, id); err != nil {
		return err
	}
	a.dashes.drop(id)
	return nil
}

// CollectionEntry is a collection as a list shows it to one person: with
// the path of the ancestors they may read and whether they may change
// what is in it.
type CollectionEntry struct {
	Collection *sightline.Collection
	// Location is "/1/4/": the ids of the ancestors the person may read,
	// outermost first ("/" for a collection at the top).
	Location string
	CanWrite bool
	// Children are the entries below this one, for a tree.
	Children []*CollectionEntry
}

// CollectionListOptions narrows Collections.
type CollectionListOptions struct {
	// Archived lists archived collections instead of the others.
	Archived bool
	// PersonalOnly keeps only personal collections (and none of their
	// sub-collections).
	PersonalOnly bool
	// ExcludeOtherUsers leaves out other people's personal collections
	// and what is inside them (administrators see them otherwise).
	ExcludeOtherUsers bool
}

// Collections lists every collection the actor may read, by name, with
// CanWrite set by the rule that saving into a collection follows
// (checkCollectionWrite, through checkWriteLoaded). The actor's personal
// collection is created if they have none yet, so that it is always
// listed (an API key has none). The root is not in the list; see RootEntry.
func (a *App) Collections(ctx context.Context, actor *sightline.User, o CollectionListOptions) ([]*CollectionEntry, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if !actor.IsAPIKey() {
		if _, err := a.PersonalCollection(ctx, actor); err != nil {
			return nil, err
		}
	}
	all, err := a.content.Collections(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*sightline.Collection, len(all))
	for _, c := range all {
		byID[c.ID] = c
	}
	ownedByOther := func(c *sightline.Collection) bool {
		for cur := c; cur != nil; cur = byID[cur.ParentID] {
			if cur.PersonalOwnerID != 0 && cur.PersonalOwnerID != actor.ID {
				return true
			}
			if cur.ParentID == 0 {
				break
			}
		}
		return false
	}
	out := []*CollectionEntry{}
	for _, c := range all {
		if c.Archived != o.Archived || !a.canSeeCollection(actor, c, byID) {
			continue
		}
		if o.PersonalOnly && c.PersonalOwnerID == 0 || o.ExcludeOtherUsers && ownedByOther(c) {
			continue
		}
		loc := "/"
		for p := byID[c.ParentID]; p != nil; p = byID[p.ParentID] {
			if a.canSeeCollection(actor, p, byID) {
				loc = "/" + strconv.FormatInt(p.ID, 10) + loc
			}
			if p.ParentID == 0 {
				break
			}
		}
		out = append(out, &CollectionEntry{Collection: c, Location: loc, CanWrite: a.checkWriteLoaded(ctx, actor, c) == nil})
	}
	slices.SortStableFunc(out, func(x, y *CollectionEntry) int {
		return strings.Compare(strings.ToLower(x.Collection.Name), strings.ToLower(y.Collection.Name))
	})
	return out, nil
}

// RootEntry is the root collection ("Our analytics") as the actor sees
// it: whether they may save into it.
func (a *App) RootEntry(ctx context.Context, actor *sightline.User) (*CollectionEntry, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	return &CollectionEntry{Collection: rootCollection(), Location: "/", CanWrite: a.checkCollectionWrite(ctx, actor, 0) == nil}, nil
}

// CollectionTree is Collections arranged by parent: each entry's Children
// are the listed collections whose nearest listed ancestor it is, and a
// collection none of whose ancestors is listed is at the top.
func (a *App) CollectionTree(ctx context.Context, actor *sightline.User, o CollectionListOptions) ([]*CollectionEntry, error) {
	list, err := a.Collections(ctx, actor, o)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*CollectionEntry, len(list))
	for _, e := range list {
		e.Children = []*CollectionEntry{}
		byID[e.Collection.ID] = e
	}
	top := []*CollectionEntry{}
	for _, e := range list {
		parts := strings.Split(strings.Trim(e.Location, "/"), "/")
		// The nearest listed ancestor is the last id of the location.
		var parent *CollectionEntry
		if p, err := strconv.ParseInt(parts[len(parts)-1], 10, 64); err == nil {
			parent = byID[p]
		}
		if parent == nil {
			top = append(top, e)
			continue
		}
		parent.Children = append(parent.Children, e)
	}
	return top, nil
}

// WritableCollections lists the collections the actor may save into, the
// root first when they may, then by name: what a save dialog offers.
func (a *App) WritableCollections(ctx context.Context, actor *sightline.User) ([]*CollectionEntry, error) {
	root, err := a.RootEntry(ctx, actor)
	if err != nil {
		return nil, err
	}
	list, err := a.Collections(ctx, actor, CollectionListOptions{})
	if err != nil {
		return nil, err
	}
	var out []*CollectionEntry
	if root.CanWrite {
		out = append(out, root)
	}
	for _, e := range list {
		if e.CanWrite {
			out = append(out, e)
		}
	}
	return out, nil
}

// WritableDashboards lists the dashboards (not archived) the actor may
// change, those in a collection they may write: what "add this question to
// a dashboard" offers.
func (a *App) WritableDashboards(ctx context.Context, actor *sightline.User) ([]*sightline.Dashboard, error) {
	colls, err := a.WritableCollections(ctx, actor)
	if err != nil {
		return nil, err
	}
	writable := make(map[int64]bool, len(colls))
	for _, e := range colls {
		writable[e.Collection.ID] = true
	}
	all, err := a.Dashboards(ctx, actor, DashboardsAll)
	if err != nil {
		return nil, err
	}
	out := []*sightline.Dashboard{}
	for _, d := range all {
		if writable[d.CollectionID] {
			out = append(out, d)
		}
	}
	return out, nil
}

// SaveTargets is what a save dialog offers: the collections the actor may
// save into (WritableCollections) and the one to preselect, want when it is
// among them, else the actor's personal collection.
func (a *App) SaveTargets(ctx context.Context, actor *sightline.User, want int64) ([]*CollectionEntry, int64, error) {
	list, err := a.WritableCollections(ctx, actor)
	if err != nil {
		return nil, 0, err
	}
	var personal int64
	for _, e := range list {
		if e.Collection.ID == want {
			return list, want, nil
		}
		if e.Collection.PersonalOwnerID == actor.ID {
			personal = e.Collection.ID
		}
	}
	return list, personal, nil
}
