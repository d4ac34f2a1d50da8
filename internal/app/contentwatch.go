package app

import (
	"context"

	"sightline"
)

// contentWatch is the content store with the dashboard cache emptied
// after every write, whatever use case makes it: a dashboard shows its
// questions, their collections and its public link, so any of them
// changing may change what a cached dashboard should say. A write of a
// collection empties the permission state as well (treeChanged), since it
// holds the collection tree: who may read a collection follows its
// parents and whose personal collection it sits in, so a move must take
// effect on the next request, not when the cached tree expires.
type contentWatch struct {
	ContentStore
	changed     func()
	treeChanged func()
}

func (c contentWatch) CreateCollection(ctx context.Context, col *sightline.Collection) error {
	defer c.treeChanged()
	return c.ContentStore.CreateCollection(ctx, col)
}

func (c contentWatch) UpdateCollection(ctx context.Context, col *sightline.Collection) error {
	defer c.treeChanged()
	return c.ContentStore.UpdateCollection(ctx, col)
}

func (c contentWatch) CreateCard(ctx context.Context, card *sightline.Card) error {
	defer c.changed()
	return c.ContentStore.CreateCard(ctx, card)
}

func (c contentWatch) UpdateCard(ctx context.Context, card *sightline.Card) error {
	defer c.changed()
	return c.ContentStore.UpdateCard(ctx, card)
}

func (c contentWatch) DeleteCard(ctx context.Context, id int64) error {
	defer c.changed()
	return c.ContentStore.DeleteCard(ctx, id)
}

func (c contentWatch) CreateDashboard(ctx context.Context, d *sightline.Dashboard) error {
	defer c.changed()
	return c.ContentStore.CreateDashboard(ctx, d)
}

func (c contentWatch) UpdateDashboard(ctx context.Context, d *sightline.Dashboard) error {
	defer c.changed()
	return c.ContentStore.UpdateDashboard(ctx, d)
}

func (c contentWatch) DeleteDashboard(ctx context.Context, id int64) error {
	defer c.changed()
	return c.ContentStore.DeleteDashboard(ctx, id)
}

func (c contentWatch) SetPublicUUID(ctx context.Context, model string, id int64, uuid string) error {
	defer c.changed()
	return c.ContentStore.SetPublicUUID(ctx, model, id, uuid)
}
