package app

import (
	"context"

	"sightline"
	"sightline/internal/query"
	"sightline/internal/xray"
)

// XRay generates the automatic dashboard of a table: unsaved, its cards
// carrying their questions, to be run through the data door and saved with
// SaveXRay.
func (a *App) XRay(ctx context.Context, actor *sightline.User, tableID int64) (*sightline.Dashboard, error) {
	if !a.settings.Bool(ctx, sightline.SettingEnableXrays) {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "X-rays are turned off. An administrator can turn them on in Admin settings.")
	}
	t, err := a.Table(ctx, actor, tableID)
	if err != nil {
		return nil, err
	}
	md, err := a.metadata(ctx, t.DatabaseID)
	if err != nil {
		return nil, err
	}
	runnable := func(q *sightline.Query) bool { return a.compiles(ctx, actor, q, md) }
	sandboxed, err := a.sandboxedTables(ctx, actor, t.DatabaseID)
	if err != nil {
		return nil, err
	}
	pm := profileMetadata{md, sandboxed}
	return xray.Generate(pm.profiled(t), pm, xray.Options{Runnable: runnable})
}

// sandboxedTables returns the tables of database db whose rows are filtered
// for the actor (none for an administrator).
func (a *App) sandboxedTables(ctx context.Context, actor *sightline.User, db int64) (map[int64][]int64, error) {
	if actor.IsAdmin {
		return nil, nil
	}
	up, _, err := a.userPerms(ctx, actor)
	if err != nil {
		return nil, err
	}
	return up.Sandboxed(db, true), nil
}

// compiles reports whether q passes the data door's permission check and
// compiles for the actor, without running it: an X-ray leaves out the
// questions the viewer could not run (a linked table they may not read, a
// column their sandbox hides) instead of showing them refused.
func (a *App) compiles(ctx context.Context, actor *sightline.User, q *sightline.Query, md *query.StaticMetadata) bool {
	if q.Validate() != nil {
		return false
	}
	d, err := a.database(ctx, q.Database)
	if err != nil {
		return false
	}
	dr, err := a.guard(ctx, actor, q, cardMetadata{md, ctx, a.content})
	if err != nil {
		return false
	}
	_, err = a.compile(ctx, q, dr.md, d, query.Options{Now: a.now(), Location: a.reportLocation(ctx), MaxRows: 1, Views: dr.views})
	return err == nil
}

// profileMetadata is the metadata an X-ray picks its charts from. Sync
// measures distinct-value counts over every row of a table, across every
// tenant of a shared one: for a table sandboxed for the viewer they would
// let the choice of charts tell how many values the other tenants' rows
// hold, so there they are left unknown (the X-ray then charts those
// categories as it does any category of unknown size).
type profileMetadata struct {
	*query.StaticMetadata
	sandboxed map[int64][]int64
}

// Table returns table id with its counts, or without them nor its cached
// values when it is sandboxed for the viewer.
func (m profileMetadata) Table(id int64) (*sightline.Table, error) {
	t, err := m.StaticMetadata.Table(id)
	if err != nil {
		return nil, err
	}
	if _, ok := m.sandboxed[id]; !ok {
		return t, nil
	}
	c := withCounts(t, nil)
	for i := range c.Fields {
		c.Fields[i].Values = nil
	}
	return c, nil
}

// profiled gives back the distinct-value counts that shaping for a viewer
// took out of t, so that everyone who may X-ray a table without a sandbox
// gets the same choice of charts; the counts only pick charts and are
// never shown.
func (m profileMetadata) profiled(t *sightline.Table) *sightline.Table {
	full, err := m.Table(t.ID)
	if err != nil {
		return t
	}
	counts := make(map[int64]int64, len(full.Fields))
	for _, f := range full.Fields {
		counts[f.ID] = f.DistinctCount
	}
	return withCounts(t, counts)
}

// withCounts copies t with the distinct-value counts of counts (zero, that
// is unknown, for a field it does not name).
func withCounts(t *sightline.Table, counts map[int64]int64) *sightline.Table {
	c := *t
	c.Fields = make([]sightline.Field, len(t.Fields))
	for i, f := range t.Fields {
		f.DistinctCount = counts[f.ID]
		c.Fields[i] = f
	}
	return &c
}

// CanSaveXRay reports whether the actor may save an X-ray: write the
// "Automatically Generated Dashboards" collection or, before it exists,
// the root where SaveXRay creates it.
func (a *App) CanSaveXRay(ctx context.Context, actor *sightline.User) bool {
	coll, err := a.content.CollectionByName(ctx, sightline.AutoDashboardsCollectionName)
	switch {
	case err == nil:
		return a.checkWriteLoaded(ctx, actor, coll) == nil
	case sightline.ErrorCode(err) == sightline.ENOTFOUND:
		return a.checkCollectionWrite(ctx, actor, 0) == nil
	}
	return false
}

// SaveXRay saves a generated dashboard, with its questions, into the
// "Automatically Generated Dashboards" collection (created on first use).
func (a *App) SaveXRay(ctx context.Context, actor *sightline.User, d *sightline.Dashboard) (*sightline.Dashboard, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	coll, err := a.content.CollectionByName(ctx, sightline.AutoDashboardsCollectionName)
	if sightline.ErrorCode(err) == sightline.ENOTFOUND {
		// The collection goes in the root: only those who may add to the
		// root create it.
		if err := a.checkCollectionWrite(ctx, actor, 0); err != nil {
			return nil, err
		}
		coll = &sightline.Collection{Name: sightline.AutoDashboardsCollectionName,
			Description: "Dashboards saved from X-rays."}
		err = a.content.CreateCollection(ctx, coll)
	}
	if err != nil {
		return nil, err
	}
	d.ID, d.Revision, d.CollectionID = 0, 0, coll.ID
	for i := range d.Cards {
		dc := &d.Cards[i]
		dc.ID = 0
		if dc.Card != nil {
			dc.CardID = 0
			dc.Card.ID, dc.Card.CollectionID = 0, coll.ID
		}
		for j := range dc.Mappings {
			dc.Mappings[j].CardID = 0
		}
	}
	return a.CreateDashboard(ctx, actor, d)
}
