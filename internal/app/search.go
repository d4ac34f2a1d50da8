package app

import (
	"context"
	"strings"

	"sightline"
)

// SearchStore finds content by text.
type SearchStore interface {
	// SearchContent finds content by text, in a stable order, limit
	// results from offset on.
	SearchContent(ctx context.Context, text string, limit, offset int) ([]sightline.SearchResult, error)
	ArchivedItems(ctx context.Context) ([]sightline.SearchResult, error)
	RecentViews(ctx context.Context, userID int64, limit int) ([]sightline.RecentView, error)
}

// searchLimit bounds the items of each search. A search reads the store a
// page of searchLimit at a time, keeping what the person may see, until it
// has searchLimit items or has read searchPages pages: someone who may see
// little still finds it among many items they may not, and no search reads
// more than searchLimit * searchPages rows.
const (
	searchLimit = 200
	searchPages = 10
)

// Search finds dashboards, questions, collections and tables whose name or
// description contains text, limited to what the user may see. models, when
// not empty, keeps only those kinds ("dashboard", "card", "collection",
// "table").
func (a *App) Search(ctx context.Context, actor *sightline.User, text string, models []string) ([]sightline.SearchResult, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	want := func(m string) bool {
		if len(models) == 0 {
			return true
		}
		for _, x := range models {
			if x == m {
				return true
			}
		}
		return false
	}
	colls, err := a.content.Collections(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*sightline.Collection{}
	for _, c := range colls {
		byID[c.ID] = c
	}
	visible := func(collID int64) bool {
		if collID == 0 {
			return a.canReadCollection(ctx, actor, 0)
		}
		c := byID[collID]
		return c != nil && a.canSeeCollection(actor, c, byID)
	}
	var out []sightline.SearchResult
	for page := 0; page < searchPages && len(out) < searchLimit; page++ {
		found, err := a.search.SearchContent(ctx, text, searchLimit, page*searchLimit)
		if err != nil {
			return nil, err
		}
		for _, r := range found {
			if len(out) == searchLimit || !want(r.Model) {
				continue
			}
			if r.Model == "collection" {
				if !visible(r.ID) {
					continue
				}
			} else if !visible(r.CollectionID) {
				continue
			}
			out = append(out, r)
		}
		if len(found) < searchLimit {
			break
		}
	}
	if want("table") {
		needle := strings.ToLower(text)
		dbs, err := a.meta.Databases(ctx)
		if err != nil {
			return nil, err
		}
		for _, d := range dbs {
			if !a.canSeeDatabase(ctx, actor, d.ID) {
				continue
			}
			if _, err := a.metadata(ctx, d.ID); err != nil {
				continue
			}
			a.metaCache.mu.Lock()
			tables := a.metaCache.entries[d.ID].tables
			a.metaCache.mu.Unlock()
			for i := range tables {
				t := &tables[i]
				if t.Visibility == sightline.VisibilityHidden || !a.canSeeTable(ctx, actor, t) {
					continue
				}
				if strings.Contains(strings.ToLower(t.DisplayName), needle) || strings.Contains(strings.ToLower(t.Name), needle) ||
					strings.Contains(strings.ToLower(t.Description), needle) {
					out = append(out, sightline.SearchResult{Model: "table", ID: t.ID, Name: t.DisplayName, Description: t.Description, DatabaseID: d.ID})
				}
			}
		}
	}
	return out, nil
}

// RecentItem is an item the user opened recently, with its name.
type RecentItem struct {
	Model string
	ID    int64
	Name  string
}

// RecentItems returns what the user opened most recently and may still see.
func (a *App) RecentItems(ctx context.Context, actor *sightline.User, limit int) ([]RecentItem, error) {
	a.flushViews(ctx)
	views, err := a.search.RecentViews(ctx, actor.ID, limit)
	if err != nil {
		return nil, err
	}
	var cardIDs []int64
	for _, v := range views {
		if v.Model == "card" {
			cardIDs = append(cardIDs, v.ID)
		}
	}
	cards, err := a.content.CardsByID(ctx, cardIDs)
	if err != nil {
		return nil, err
	}
	var out []RecentItem
	for _, v := range views {
		switch v.Model {
		case "card":
			if c := cards[v.ID]; c != nil && !c.Archived && a.cardVisible(ctx, actor, c) {
				out = append(out, RecentItem{Model: "card", ID: c.ID, Name: c.Name})
			}
		case "dashboard":
			d, err := a.loadDashboard(ctx, v.ID, false)
			if err == nil && !d.Archived && a.dashboardVisible(ctx, actor, d) {
				out = append(out, RecentItem{Model: "dashboard", ID: d.ID, Name: d.Name})
			}
		}
	}
	return out, nil
}

// Trash lists archived items (administrators see all; others what they may see).
func (a *App) Trash(ctx context.Context, actor *sightline.User) ([]sightline.SearchResult, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	items, err := a.search.ArchivedItems(ctx)
	if err != nil {
		return nil, err
	}
	out := items[:0]
	for _, it := range items {
		coll := it.CollectionID
		if it.Model == "collection" {
			coll = it.ID
		}
		// Readable, not merely visible: an archived item of the root is
		// listed only to those who may read the root.
		if a.canReadCollection(ctx, actor, coll) {
			out = append(out, it)
		}
	}
	return out, nil
}

// ItemEdit moves, pins, archives or restores a dashboard or question.
type ItemEdit struct {
	CollectionID *int64
	Pinned       *bool
	Archived     *bool
}

// UpdateItem applies an ItemEdit to a "dashboard" or a "card".
func (a *App) UpdateItem(ctx context.Context, actor *sightline.User, model string, id int64, e ItemEdit) error {
	switch model {
	case "card":
		c, err := a.Card(ctx, actor, id)
		if err != nil {
			return err
		}
		applyItemEdit(e, &c.CollectionID, &c.Pinned, &c.Archived)
		_, err = a.UpdateCard(ctx, actor, c)
		return err
	case "dashboard":
		d, err := a.Dashboard(ctx, actor, id)
		if err != nil {
			return err
		}
		cp := *d
		applyItemEdit(e, &cp.CollectionID, &cp.Pinned, &cp.Archived)
		_, err = a.UpdateDashboard(ctx, actor, &cp)
		return err
	case "collection":
		_, err := a.UpdateCollection(ctx, actor, id, CollectionEdit{ParentID: e.CollectionID, Archived: e.Archived})
		return err
	}
	return sightline.Errorf(sightline.EINVALID, "Unknown kind of item %q.", model)
}

func applyItemEdit(e ItemEdit, coll *int64, pinned, archived *bool) {
	if e.CollectionID != nil {
		*coll = *e.CollectionID
	}
	if e.Pinned != nil {
		*pinned = *e.Pinned
	}
	if e.Archived != nil {
		*archived = *e.Archived
	}
}
