package app

import (
	"context"
	"slices"
	"strings"

	"sightline"
)

// CollectionView is a collection page: the collection, its ancestors for
// breadcrumbs, and its items.
type CollectionView struct {
	Collection  *sightline.Collection
	Ancestors   []*sightline.Collection
	Collections []*sightline.Collection
	Dashboards  []*sightline.Dashboard
	Cards       []*sightline.Card
	// CanWrite tells whether the user may change what is in the
	// collection.
	CanWrite bool
}

// rootCollection is the virtual root, "Our analytics".
func rootCollection() *sightline.Collection {
	return &sightline.Collection{Name: sightline.RootCollectionName}
}

// CreateCollection adds a collection under parent (0 for the root).
func (a *App) CreateCollection(ctx context.Context, actor *sightline.User, name, description string, parent int64) (*sightline.Collection, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, sightline.Errorf(sightline.EINVALID, "A collection needs a name.")
	}
	if err := a.checkCollectionWrite(ctx, actor, parent); err != nil {
		return nil, err
	}
	c := &sightline.Collection{Name: name, Description: strings.TrimSpace(description), ParentID: parent}
	if err := a.content.CreateCollection(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// PersonalCollection returns the user's personal collection, creating it on
// first use. An API key has none.
func (a *App) PersonalCollection(ctx context.Context, actor *sightline.User) (*sightline.Collection, error) {
	if actor.IsAPIKey() {
		return nil, sightline.Errorf(sightline.ENOTFOUND, "API keys have no personal collection.")
	}
	all, err := a.content.Collections(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range all {
		if c.PersonalOwnerID == actor.ID {
			return c, nil
		}
	}
	c := &sightline.Collection{Name: actor.CommonName() + "'s Personal Collection", PersonalOwnerID: actor.ID}
	if err := a.content.CreateCollection(ctx, c); err != nil {
		if sightline.ErrorCode(err) == sightline.ECONFLICT {
			return a.PersonalCollection(ctx, actor)
		}
		return nil, err
	}
	return c, nil
}

// CollectionView returns a collection (0 for the root) with what the user
// may see in it. Other people's personal collections are not found.
func (a *App) CollectionView(ctx context.Context, actor *sightline.User, id int64) (*CollectionView, error) {
	return a.CollectionItems(ctx, actor, id, false)
}

// CollectionItems is CollectionView listing either the archived items of
// the collection (archived true) or the others.
func (a *App) CollectionItems(ctx context.Context, actor *sightline.User, id int64, archived bool) (*CollectionView, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	all, err := a.content.Collections(ctx)
	if err != nil {
		return nil, err
	}
	v, byID, err := a.collectionPath(actor, id, all)
	if err != nil {
		return nil, err
	}
	// readableAncestor reports whether some ancestor of c is readable: a
	// collection whose ancestors all are not is listed in the root, so
	// that people can reach it.
	readableAncestor := func(c *sightline.Collection) bool {
		for p := byID[c.ParentID]; p != nil; p = byID[p.ParentID] {
			if a.canSeeCollection(actor, p, byID) {
				return true
			}
			if p.ParentID == 0 {
				break
			}
		}
		return false
	}
	for _, c := range all {
		listed := c.ParentID == id || (id == 0 && c.ParentID != 0 && !readableAncestor(c))
		if listed && c.Archived == archived && a.canSeeCollection(actor, c, byID) {
			if id == 0 && c.PersonalOwnerID != 0 && c.PersonalOwnerID != actor.ID {
				continue
			}
			v.Collections = append(v.Collections, c)
		}
	}
	// The user's own personal collection first, then the others by name.
	slices.SortStableFunc(v.Collections, func(x, y *sightline.Collection) int {
		xo, yo := x.PersonalOwnerID == actor.ID, y.PersonalOwnerID == actor.ID
		switch {
		case xo && !yo:
			return -1
		case yo && !xo:
			return 1
		}
		return strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name))
	})
	v.CanWrite = a.checkWriteLoaded(ctx, actor, v.Collection) == nil
	// The root is listed to everyone, for the collections in it they may
	// read; its dashboards and questions only to those who may read it.
	if id == 0 && !a.canReadCollection(ctx, actor, 0) {
		return v, nil
	}
	if v.Dashboards, v.Cards, err = a.content.CollectionItems(ctx, id, archived); err != nil {
		return nil, err
	}
	return v, nil
}

// CollectionPath returns a collection (0 for the root) with its ancestors
// the user may read, for breadcrumbs, and whether the user may change what
// is in it, without its items: what a dashboard page shows of the
// collection it is in. It reads the collections through the app's cache,
// so that opening a dashboard costs no app-database query. Other people's
// personal collections are not found.
func (a *App) CollectionPath(ctx context.Context, actor *sightline.User, id int64) (*CollectionView, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	all, err := a.cachedCollections(ctx)
	if err != nil {
		return nil, err
	}
	v, _, err := a.collectionPath(actor, id, all)
	if err != nil {
		return nil, err
	}
	// The view's collections are the cache's own: hand out copies.
	cp := *v.Collection
	v.Collection = &cp
	for i, c := range v.Ancestors {
		cp := *c
		v.Ancestors[i] = &cp
	}
	v.CanWrite = a.checkWriteLoaded(ctx, actor, v.Collection) == nil
	return v, nil
}

// collectionPath is the view of collection id out of all the collections,
// with the ancestors the user may read and no items, and all by id.
func (a *App) collectionPath(actor *sightline.User, id int64, all []*sightline.Collection) (*CollectionView, map[int64]*sightline.Collection, error) {
	byID := make(map[int64]*sightline.Collection, len(all))
	for _, c := range all {
		byID[c.ID] = c
	}
	v := &CollectionView{Collection: rootCollection(), Ancestors: []*sightline.Collection{}}
	if id == 0 {
		return v, byID, nil
	}
	c, ok := byID[id]
	if !ok || !a.canSeeCollection(actor, c, byID) {
		return nil, nil, notFoundErr("Collection")
	}
	v.Collection = c
	// Breadcrumbs name only the ancestors the user may read.
	for p := c.ParentID; p != 0; p = byID[p].ParentID {
		if byID[p] == nil {
			break
		}
		if a.canSeeCollection(actor, byID[p], byID) {
			v.Ancestors = append([]*sightline.Collection{byID[p]}, v.Ancestors...)
		}
	}
	return v, byID, nil
}

// canSeeCollection hides other people's personal collections (and what is
// inside them) from everyone but administrators.
func (a *App) canSeeCollection(u *sightline.User, c *sightline.Collection, byID map[int64]*sightline.Collection) bool {
	for cur := c; cur != nil; cur = byID[cur.ParentID] {
		if cur.PersonalOwnerID != 0 && cur.PersonalOwnerID != u.ID && !u.IsAdmin {
			return false
		}
		if cur.ParentID == 0 {
			break
		}
	}
	return a.canReadCollection(context.Background(), u, c.ID)
}

// CollectionEdit changes a collection; nil fields stay.
type CollectionEdit struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	ParentID    *int64  `json:"parent_id"`
	Archived    *bool   `json:"archived"`
}

// UpdateCollection renames, moves, archives or restores a collection. A
// collection cannot move into itself or one of its descendants, and moves
// only for someone who may curate both its parent and the new one.
func (a *App) UpdateCollection(ctx context.Context, actor *sightline.User, id int64, e CollectionEdit) (*sightline.Collection, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if err := a.checkCollectionWrite(ctx, actor, id); err != nil {
		return nil, err
	}
	c, err := a.content.Collection(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Name != nil {
		if strings.TrimSpace(*e.Name) == "" {
			return nil, sightline.Errorf(sightline.EINVALID, "A collection needs a name.")
		}
		c.Name = strings.TrimSpace(*e.Name)
	}
	if e.Description != nil {
		c.Description = *e.Description
	}
	if e.Archived != nil {
		c.Archived = *e.Archived
	}
	if e.ParentID != nil && *e.ParentID != c.ParentID {
		all, err := a.content.Collections(ctx)
		if err != nil {
			return nil, err
		}
		byID := map[int64]*sightline.Collection{}
		for _, x := range all {
			byID[x.ID] = x
		}
		for p := *e.ParentID; p != 0; {
			if p == id {
				return nil, sightline.Errorf(sightline.EINVALID, "A collection cannot move into itself or one of its sub-collections.")
			}
			x := byID[p]
			if x == nil {
				return nil, notFoundErr("Collection")
			}
			p = x.ParentID
		}
		// Moving changes what both parents hold, as moving a question
		// changes both its collections.
		for _, p := range []int64{c.ParentID, *e.ParentID} {
			if err := a.checkCollectionWrite(ctx, actor, p); err != nil {
				return nil, err
			}
		}
		c.ParentID = *e.ParentID
	}
	if err := a.content.UpdateCollection(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}
