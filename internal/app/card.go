package app

import (
	"context"
	"strings"

	"sightline"
	"sightline/internal/query"
)

// ContentStore keeps collections, saved questions and dashboards.
type ContentStore interface {
	CreateCollection(ctx context.Context, c *sightline.Collection) error
	Collections(ctx context.Context) ([]*sightline.Collection, error)
	Collection(ctx context.Context, id int64) (*sightline.Collection, error)
	CollectionByName(ctx context.Context, name string) (*sightline.Collection, error)
	UpdateCollection(ctx context.Context, c *sightline.Collection) error
	CollectionItems(ctx context.Context, collectionID int64, archived bool) ([]*sightline.Dashboard, []*sightline.Card, error)

	CreateCard(ctx context.Context, c *sightline.Card) error
	Card(ctx context.Context, id int64) (*sightline.Card, error)
	CardsByID(ctx context.Context, ids []int64) (map[int64]*sightline.Card, error)
	UpdateCard(ctx context.Context, c *sightline.Card) error

	CreateDashboard(ctx context.Context, d *sightline.Dashboard) error
	Dashboard(ctx context.Context, id int64) (*sightline.Dashboard, error)
	UpdateDashboard(ctx context.Context, d *sightline.Dashboard) error

	RecordView(ctx context.Context, userID int64, model string, id int64) error

	Cards(ctx context.Context) ([]*sightline.Card, error)
	Dashboards(ctx context.Context) ([]*sightline.Dashboard, error)
	DashboardsWithCard(ctx context.Context, cardID int64) ([]int64, error)
	DeleteCard(ctx context.Context, id int64) error
	DeleteDashboard(ctx context.Context, id int64) error

	PublicLinkStore
}

// cardMetadata adds saved questions (as query sources) to a database's
// cached metadata.
type cardMetadata struct {
	*query.StaticMetadata
	ctx   context.Context
	store ContentStore
}

// Table returns a table the compiler needs; a table that sync no longer
// finds gets a message that says what happened.
func (m cardMetadata) Table(id int64) (*sightline.Table, error) {
	t, err := m.StaticMetadata.Table(id)
	if sightline.ErrorCode(err) == sightline.ENOTFOUND {
		return nil, sightline.Errorf(sightline.EINVALID, "This question uses a table (id %d) that is no longer in the database: it was dropped or renamed. Edit the question to use another table.", id)
	}
	return t, err
}

// Card returns the query of a saved question used as a source.
func (m cardMetadata) Card(id int64) (*sightline.Query, error) {
	c, err := m.SavedCard(id)
	if err != nil {
		return nil, err
	}
	return c.Query, nil
}

// SavedCard returns a saved question used as a source, refusing an archived
// one.
func (m cardMetadata) SavedCard(id int64) (*sightline.Card, error) {
	if m.store == nil {
		return nil, sightline.Errorf(sightline.ENOTFOUND, "Saved question %d does not exist.", id)
	}
	c, err := m.store.Card(m.ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Archived {
		return nil, sightline.Errorf(sightline.EINVALID, "The saved question %q used as a source is archived.", c.Name)
	}
	return c, nil
}

// CardInput is what the editor sends to save a question.
type CardInput struct {
	Name         string           `json:"name"`
	Description  string           `json:"description"`
	CollectionID int64            `json:"collection_id"`
	Query        *sightline.Query `json:"dataset_query"`
	Display      string           `json:"display"`
	VizSettings  []byte           `json:"-"`
	Revision     int              `json:"revision"`
}

// sourceTable is the table a structured query starts from, 0 otherwise.
func sourceTable(q *sightline.Query) int64 {
	if q != nil && q.Structured != nil {
		return q.Structured.SourceTable
	}
	return 0
}

// CreateCard saves a new question after checking that its author may run it.
func (a *App) CreateCard(ctx context.Context, actor *sightline.User, c *sightline.Card) (*sightline.Card, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if err := a.checkNewCard(ctx, actor, c); err != nil {
		return nil, err
	}
	if err := a.content.CreateCard(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// checkNewCard is the one check of a question about to be created, on its
// own or carried by a card of a dashboard being saved: its author may run
// its query and write its collection, and only administrators publish it
// for embedding. It trims the name and sets what the server decides (the
// database, source table and creator).
func (a *App) checkNewCard(ctx context.Context, actor *sightline.User, c *sightline.Card) error {
	c.Name = strings.TrimSpace(c.Name)
	if err := c.Validate(); err != nil {
		return err
	}
	if err := a.checkQuery(ctx, actor, c.Query); err != nil {
		return err
	}
	if err := a.checkCollectionWrite(ctx, actor, c.CollectionID); err != nil {
		return err
	}
	if err := checkEmbeddingEdit(actor, false, c.EnableEmbedding, nil, c.EmbeddingParams, nil, nil); err != nil {
		return err
	}
	c.ID, c.DatabaseID, c.TableID, c.CreatorID = 0, c.Query.Database, sourceTable(c.Query), actor.ID
	return nil
}

// Card returns a saved question the user may see, and records the view.
func (a *App) Card(ctx context.Context, actor *sightline.User, id int64) (*sightline.Card, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	c, err := a.content.Card(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.cardVisible(ctx, actor, c) {
		return nil, notFoundErr("Question")
	}
	a.recordView(ctx, actor, "card", id)
	return c, nil
}

// UpdateCard saves changes to a question. The input's Revision must be the
// one the editor loaded: a question changed meanwhile is a conflict, and
// neither change is lost.
func (a *App) UpdateCard(ctx context.Context, actor *sightline.User, c *sightline.Card) (*sightline.Card, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	old, err := a.content.Card(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if err := a.checkCollectionWrite(ctx, actor, old.CollectionID); err != nil {
		return nil, err
	}
	if c.CollectionID != old.CollectionID {
		if err := a.checkCollectionWrite(ctx, actor, c.CollectionID); err != nil {
			return nil, err
		}
	}
	c.Name = strings.TrimSpace(c.Name)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := a.checkQuery(ctx, actor, c.Query); err != nil {
		return nil, err
	}
	if err := checkEmbeddingEdit(actor, old.EnableEmbedding, c.EnableEmbedding, old.EmbeddingParams, c.EmbeddingParams, nil, nil); err != nil {
		return nil, err
	}
	c.DatabaseID, c.TableID, c.CreatorID, c.CreatedAt = c.Query.Database, sourceTable(c.Query), old.CreatorID, old.CreatedAt
	if (c.Revision == 0 || c.Revision == old.Revision) && unchanged(old, c, "revision", "updated_at") {
		return old, nil
	}
	if err := a.content.UpdateCard(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// RunCard runs a saved question through the data door, with optional
// parameter values (a SQL question's variables, or dashboard filters).
// The question is read through the dashboard cache, so that running one
// again costs no app-database query; the reader's rights on it are checked
// on every run all the same.
func (a *App) RunCard(ctx context.Context, actor *sightline.User, id int64, params []sightline.Parameter, opts RunOptions) (*sightline.Card, *Result, error) {
	if actor == nil {
		return nil, nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	shared, err := a.cachedCard(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !a.cardVisible(ctx, actor, shared) {
		return nil, nil, notFoundErr("Question")
	}
	a.recordView(ctx, actor, "card", id)
	cp := *shared
	c := &cp
	if c.Archived {
		return c, nil, sightline.Errorf(sightline.EINVALID, "The question %q is archived.", c.Name)
	}
	if err := a.checkParams(ctx, actor, c.Query, params); err != nil {
		return c, nil, err
	}
	q := *c.Query
	if len(params) > 0 {
		q.Parameters = append(append([]sightline.Parameter{}, q.Parameters...), params...)
	}
	// Card checked that the question's collection is readable.
	res, err := a.RunQuery(asSavedQuestion(ctx), actor, &q, a.savedRunCache(ctx, opts, hoursOf(c.CacheTTL)))
	return c, res, err
}

// checkQuery verifies that the user may create q (the data door's
// permission check for an ad-hoc query) and that it compiles (which also
// catches unknown tables and fields), without running it.
func (a *App) checkQuery(ctx context.Context, actor *sightline.User, q *sightline.Query) error {
	if !a.canSeeDatabase(ctx, actor, q.Database) {
		return notFoundErr("Database")
	}
	d, err := a.database(ctx, q.Database)
	if err != nil {
		return err
	}
	md, err := a.metadata(ctx, d.ID)
	if err != nil {
		return err
	}
	dr, err := a.guard(ctx, actor, q, cardMetadata{md, ctx, a.content})
	if err != nil {
		return err
	}
	_, err = a.compile(ctx, q, dr.md, d, query.Options{Now: a.now(), Location: a.reportLocation(ctx), Views: dr.views})
	return err
}
