package appdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"sightline"
)

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// ---- collections ----

const collectionColumns = "id, name, description, parent_id, personal_owner_id, archived, created_at"

func scanCollection(sc interface{ Scan(...any) error }) (*sightline.Collection, error) {
	c := &sightline.Collection{}
	var parent, owner sql.NullInt64
	if err := sc.Scan(&c.ID, &c.Name, &c.Description, &parent, &owner, &c.Archived, &c.CreatedAt); err != nil {
		return nil, err
	}
	c.ParentID, c.PersonalOwnerID = parent.Int64, owner.Int64
	return c, nil
}

// CreateCollection inserts a collection.
func (db *DB) CreateCollection(ctx context.Context, c *sightline.Collection) error {
	now := db.Now()
	id, err := db.insertID(ctx, db.w, `INSERT INTO collections (name, description, parent_id, personal_owner_id, created_at)
		VALUES (?, ?, ?, ?, ?)`, c.Name, c.Description, nullID(c.ParentID), nullID(c.PersonalOwnerID), now)
	if isUnique(err) {
		return sightline.Errorf(sightline.ECONFLICT, "That user already has a personal collection.")
	}
	if err != nil {
		return fmt.Errorf("create collection: %w", err)
	}
	c.ID, c.CreatedAt = id, now
	return nil
}

// Collections returns every collection (archived ones too) in one query.
func (db *DB) Collections(ctx context.Context) ([]*sightline.Collection, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+collectionColumns+" FROM collections ORDER BY LOWER(name), id")
	if err != nil {
		return nil, fmt.Errorf("list collections: %w", err)
	}
	defer rows.Close()
	var out []*sightline.Collection
	for rows.Next() {
		c, err := scanCollection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Collection returns one collection.
func (db *DB) Collection(ctx context.Context, id int64) (*sightline.Collection, error) {
	c, err := scanCollection(db.r.QueryRowContext(ctx, db.rebind("SELECT "+collectionColumns+" FROM collections WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Collection")
	}
	return c, err
}

// CollectionByName finds a top-level, shared collection by name (for
// "Automatically Generated Dashboards").
func (db *DB) CollectionByName(ctx context.Context, name string) (*sightline.Collection, error) {
	c, err := scanCollection(db.r.QueryRowContext(ctx, db.rebind("SELECT "+collectionColumns+
		" FROM collections WHERE name = ? AND parent_id IS NULL AND personal_owner_id IS NULL ORDER BY id LIMIT 1"), name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Collection")
	}
	return c, err
}

// UpdateCollection saves a collection's name, description, parent and
// archived flag.
func (db *DB) UpdateCollection(ctx context.Context, c *sightline.Collection) error {
	res, err := db.w.ExecContext(ctx, db.rebind("UPDATE collections SET name = ?, description = ?, parent_id = ?, archived = ? WHERE id = ?"),
		c.Name, c.Description, nullID(c.ParentID), c.Archived, c.ID)
	if err != nil {
		return fmt.Errorf("update collection: %w", err)
	}
	return mustAffect(res, "Collection")
}

// ---- cards ----

const cardColumns = `id, name, description, collection_id, database_id, table_id, query, display, viz_settings, archived,
	pinned, creator_id, created_at, updated_at, revision, enable_embedding, embedding_params, cache_ttl`

func scanCard(sc interface{ Scan(...any) error }) (*sightline.Card, error) {
	c := &sightline.Card{}
	var coll, table sql.NullInt64
	var q, viz, embedParams string
	var cacheTTL sql.NullInt64
	if err := sc.Scan(&c.ID, &c.Name, &c.Description, &coll, &c.DatabaseID, &table, &q, &c.Display, &viz, &c.Archived,
		&c.Pinned, &c.CreatorID, &c.CreatedAt, &c.UpdatedAt, &c.Revision, &c.EnableEmbedding, &embedParams, &cacheTTL); err != nil {
		return nil, err
	}
	c.CacheTTL = intPtr(cacheTTL)
	if err := json.Unmarshal([]byte(embedParams), &c.EmbeddingParams); err != nil {
		return nil, fmt.Errorf("card %d embedding parameters: %w", c.ID, err)
	}
	c.CollectionID, c.TableID = coll.Int64, table.Int64
	c.VizSettings = json.RawMessage(viz)
	parsed, err := sightline.ParseStoredQuery([]byte(q))
	if err != nil {
		return nil, fmt.Errorf("card %d query: %w", c.ID, err)
	}
	c.Query = parsed
	return c, nil
}

func cardQueryJSON(c *sightline.Card) (string, error) {
	b, err := json.Marshal(c.Query)
	if err != nil {
		return "", fmt.Errorf("encode query: %w", err)
	}
	return string(b), nil
}

// embedParamsJSON is the stored form of a published item's embedding
// parameters, {} for none.
func embedParamsJSON(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func vizJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "{}"
	}
	return string(raw)
}

// CreateCard inserts a saved question.
func (db *DB) CreateCard(ctx context.Context, c *sightline.Card) error {
	return db.createCard(ctx, db.w, c)
}

func (db *DB) createCard(ctx context.Context, q querier, c *sightline.Card) error {
	qj, err := cardQueryJSON(c)
	if err != nil {
		return err
	}
	now := db.Now()
	id, err := db.insertID(ctx, q, `INSERT INTO cards (name, description, collection_id, database_id, table_id, query, display,
		viz_settings, pinned, creator_id, created_at, updated_at, revision, enable_embedding, embedding_params, cache_ttl)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
		c.Name, c.Description, nullID(c.CollectionID), c.DatabaseID, nullID(c.TableID), qj, c.Display, vizJSON(c.VizSettings),
		c.Pinned, c.CreatorID, now, now, c.EnableEmbedding, embedParamsJSON(c.EmbeddingParams), nullInt(c.CacheTTL))
	if err != nil {
		return fmt.Errorf("create card: %w", err)
	}
	c.ID, c.CreatedAt, c.UpdatedAt, c.Revision = id, now, now, 1
	return nil
}

// Card returns one saved question.
func (db *DB) Card(ctx context.Context, id int64) (*sightline.Card, error) {
	c, err := scanCard(db.r.QueryRowContext(ctx, db.rebind("SELECT "+cardColumns+" FROM cards WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Question")
	}
	return c, err
}

// CardsByID returns the saved questions with the given ids in one query.
func (db *DB) CardsByID(ctx context.Context, ids []int64) (map[int64]*sightline.Card, error) {
	out := make(map[int64]*sightline.Card, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.r.QueryContext(ctx, db.rebind("SELECT "+cardColumns+" FROM cards WHERE id IN ("+marks+")"), args...)
	if err != nil {
		return nil, fmt.Errorf("load cards: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCard(rows)
		if err != nil {
			return nil, err
		}
		out[c.ID] = c
	}
	return out, rows.Err()
}

// UpdateCard saves a card if its stored revision is still c.Revision, and
// bumps the revision; otherwise someone saved meanwhile: ECONFLICT.
func (db *DB) UpdateCard(ctx context.Context, c *sightline.Card) error {
	qj, err := cardQueryJSON(c)
	if err != nil {
		return err
	}
	now := db.Now()
	res, err := db.w.ExecContext(ctx, db.rebind(`UPDATE cards SET name = ?, description = ?, collection_id = ?, database_id = ?,
		table_id = ?, query = ?, display = ?, viz_settings = ?, archived = ?, pinned = ?, updated_at = ?, revision = revision + 1,
		enable_embedding = ?, embedding_params = ?, cache_ttl = ?
		WHERE id = ? AND revision = ?`), c.Name, c.Description, nullID(c.CollectionID), c.DatabaseID, nullID(c.TableID), qj,
		c.Display, vizJSON(c.VizSettings), c.Archived, c.Pinned, now, c.EnableEmbedding, embedParamsJSON(c.EmbeddingParams),
		nullInt(c.CacheTTL), c.ID, c.Revision)
	if err != nil {
		return fmt.Errorf("update card: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		if _, err := db.Card(ctx, c.ID); err != nil {
			return err
		}
		return sightline.Errorf(sightline.ECONFLICT, "Someone else changed this question since you opened it. Reload to see their changes.")
	}
	c.Revision++
	c.UpdatedAt = now
	return nil
}

// ---- dashboards ----

const dashboardColumns = `id, name, description, collection_id, parameters, tabs, auto_refresh, archived, pinned, creator_id,
	created_at, updated_at, revision, enable_embedding, embedding_params, cache_ttl`

func scanDashboard(sc interface{ Scan(...any) error }) (*sightline.Dashboard, error) {
	d := &sightline.Dashboard{}
	var coll sql.NullInt64
	var params, tabs, embedParams string
	var cacheTTL sql.NullInt64
	if err := sc.Scan(&d.ID, &d.Name, &d.Description, &coll, &params, &tabs, &d.AutoRefresh, &d.Archived, &d.Pinned,
		&d.CreatorID, &d.CreatedAt, &d.UpdatedAt, &d.Revision, &d.EnableEmbedding, &embedParams, &cacheTTL); err != nil {
		return nil, err
	}
	d.CacheTTL = intPtr(cacheTTL)
	if err := json.Unmarshal([]byte(embedParams), &d.EmbeddingParams); err != nil {
		return nil, fmt.Errorf("dashboard %d embedding parameters: %w", d.ID, err)
	}
	d.CollectionID = coll.Int64
	if err := json.Unmarshal([]byte(params), &d.Parameters); err != nil {
		return nil, fmt.Errorf("dashboard %d parameters: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(tabs), &d.Tabs); err != nil {
		return nil, fmt.Errorf("dashboard %d tabs: %w", d.ID, err)
	}
	return d, nil
}

// Dashboard returns a dashboard with its cards and their saved questions,
// in three queries whatever the number of cards.
func (db *DB) Dashboard(ctx context.Context, id int64) (*sightline.Dashboard, error) {
	d, err := scanDashboard(db.r.QueryRowContext(ctx, db.rebind("SELECT "+dashboardColumns+" FROM dashboards WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Dashboard")
	}
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, db.rebind(`SELECT dc.id, dc.card_id, dc.tab_id, dc.row_pos, dc.col_pos, dc.size_x, dc.size_y,
		dc.mappings, dc.viz_settings FROM dashboard_cards dc WHERE dc.dashboard_id = ? ORDER BY dc.row_pos, dc.col_pos, dc.id`), id)
	if err != nil {
		return nil, fmt.Errorf("dashboard cards: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var dc sightline.DashboardCard
		var card sql.NullInt64
		var mappings, viz string
		if err := rows.Scan(&dc.ID, &card, &dc.TabID, &dc.Row, &dc.Col, &dc.SizeX, &dc.SizeY, &mappings, &viz); err != nil {
			return nil, err
		}
		dc.CardID = card.Int64
		if err := json.Unmarshal([]byte(mappings), &dc.Mappings); err != nil {
			return nil, fmt.Errorf("dashboard card %d mappings: %w", dc.ID, err)
		}
		dc.VizSettings = json.RawMessage(viz)
		if dc.CardID != 0 {
			ids = append(ids, dc.CardID)
		}
		d.Cards = append(d.Cards, dc)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cards, err := db.CardsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range d.Cards {
		d.Cards[i].Card = cards[d.Cards[i].CardID]
	}
	return d, nil
}

// CreateDashboard inserts a dashboard with its cards; cards carrying a new
// saved question (Card set, CardID 0, not a text card) get it created in the
// same transaction, so a half-saved X-ray never exists.
func (db *DB) CreateDashboard(ctx context.Context, d *sightline.Dashboard) error {
	return db.tx(ctx, func(q querier) error {
		now := db.Now()
		params, _ := json.Marshal(nonNil(d.Parameters))
		tabs, _ := json.Marshal(nonNil(d.Tabs))
		id, err := db.insertID(ctx, q, `INSERT INTO dashboards (name, description, collection_id, parameters, tabs, auto_refresh,
			pinned, creator_id, created_at, updated_at, revision, enable_embedding, embedding_params, cache_ttl)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
			d.Name, d.Description, nullID(d.CollectionID), string(params), string(tabs), d.AutoRefresh, d.Pinned, d.CreatorID, now, now,
			d.EnableEmbedding, embedParamsJSON(d.EmbeddingParams), nullInt(d.CacheTTL))
		if err != nil {
			return fmt.Errorf("create dashboard: %w", err)
		}
		d.ID, d.CreatedAt, d.UpdatedAt, d.Revision = id, now, now, 1
		return db.insertDashboardCards(ctx, q, d)
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (db *DB) insertDashboardCards(ctx context.Context, q querier, d *sightline.Dashboard) error {
	for i := range d.Cards {
		dc := &d.Cards[i]
		if dc.CardID == 0 && dc.Card != nil && dc.Card.Query != nil {
			dc.Card.CreatorID = d.CreatorID
			if dc.Card.CollectionID == 0 {
				dc.Card.CollectionID = d.CollectionID
			}
			if err := db.createCard(ctx, q, dc.Card); err != nil {
				return err
			}
			dc.CardID = dc.Card.ID
		}
		for j := range dc.Mappings {
			if dc.Mappings[j].CardID == 0 {
				dc.Mappings[j].CardID = dc.CardID
			}
		}
		mappings, _ := json.Marshal(nonNil(dc.Mappings))
		id, err := db.insertID(ctx, q, `INSERT INTO dashboard_cards (dashboard_id, card_id, tab_id, row_pos, col_pos, size_x, size_y,
			mappings, viz_settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, nullID(dc.CardID), dc.TabID, dc.Row, dc.Col,
			dc.SizeX, dc.SizeY, string(mappings), vizJSON(dc.VizSettings))
		if err != nil {
			return fmt.Errorf("add card to dashboard: %w", err)
		}
		dc.ID = id
	}
	return nil
}

// UpdateDashboard replaces a dashboard's fields and cards if its stored
// revision is still d.Revision; otherwise ECONFLICT, and nothing changes.
func (db *DB) UpdateDashboard(ctx context.Context, d *sightline.Dashboard) error {
	return db.tx(ctx, func(q querier) error {
		now := db.Now()
		params, _ := json.Marshal(nonNil(d.Parameters))
		tabs, _ := json.Marshal(nonNil(d.Tabs))
		res, err := q.ExecContext(ctx, db.rebind(`UPDATE dashboards SET name = ?, description = ?, collection_id = ?, parameters = ?,
			tabs = ?, auto_refresh = ?, archived = ?, pinned = ?, updated_at = ?, revision = revision + 1, enable_embedding = ?,
			embedding_params = ?, cache_ttl = ? WHERE id = ? AND revision = ?`),
			d.Name, d.Description, nullID(d.CollectionID), string(params), string(tabs), d.AutoRefresh, d.Archived, d.Pinned, now,
			d.EnableEmbedding, embedParamsJSON(d.EmbeddingParams), nullInt(d.CacheTTL), d.ID, d.Revision)
		if err != nil {
			return fmt.Errorf("update dashboard: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var exists bool
			if err := q.QueryRowContext(ctx, db.rebind("SELECT EXISTS (SELECT 1 FROM dashboards WHERE id = ?)"), d.ID).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return notFound("Dashboard")
			}
			return sightline.Errorf(sightline.ECONFLICT, "Someone else changed this dashboard since you opened it. Reload to see their changes; yours were not saved.")
		}
		if _, err := q.ExecContext(ctx, db.rebind("DELETE FROM dashboard_cards WHERE dashboard_id = ?"), d.ID); err != nil {
			return err
		}
		if err := db.insertDashboardCards(ctx, q, d); err != nil {
			return err
		}
		d.Revision++
		d.UpdatedAt = now
		return nil
	})
}

// CollectionItems lists the dashboards and cards directly in a collection
// (0 for the root), without their contents.
func (db *DB) CollectionItems(ctx context.Context, collectionID int64, archived bool) ([]*sightline.Dashboard, []*sightline.Card, error) {
	cond, args := "collection_id IS NULL", []any{archived}
	if collectionID != 0 {
		cond, args = "collection_id = ?", []any{collectionID, archived}
	}
	rows, err := db.r.QueryContext(ctx, db.rebind("SELECT "+dashboardColumns+" FROM dashboards WHERE "+cond+" AND archived = ? ORDER BY pinned DESC, LOWER(name)"), args...)
	if err != nil {
		return nil, nil, err
	}
	var dashes []*sightline.Dashboard
	for rows.Next() {
		d, err := scanDashboard(rows)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		dashes = append(dashes, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	crows, err := db.r.QueryContext(ctx, db.rebind("SELECT "+cardColumns+" FROM cards WHERE "+cond+" AND archived = ? ORDER BY pinned DESC, LOWER(name)"), args...)
	if err != nil {
		return nil, nil, err
	}
	defer crows.Close()
	var cards []*sightline.Card
	for crows.Next() {
		c, err := scanCard(crows)
		if err != nil {
			return nil, nil, err
		}
		cards = append(cards, c)
	}
	return dashes, cards, crows.Err()
}

// ---- recently viewed ----

// RecordView notes that a user opened an item ("dashboard", "card", "table").
func (db *DB) RecordView(ctx context.Context, userID int64, model string, id int64) error {
	_, err := db.w.ExecContext(ctx, db.rebind(`INSERT INTO recent_views (user_id, model, model_id, viewed_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, model, model_id) DO UPDATE SET viewed_at = excluded.viewed_at`), userID, model, id, db.Now())
	return err
}

// RecentViews returns a user's most recently opened items, newest first.
func (db *DB) RecentViews(ctx context.Context, userID int64, limit int) ([]sightline.RecentView, error) {
	rows, err := db.r.QueryContext(ctx, db.rebind("SELECT model, model_id FROM recent_views WHERE user_id = ? ORDER BY viewed_at DESC LIMIT ?"), userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sightline.RecentView
	for rows.Next() {
		var v sightline.RecentView
		if err := rows.Scan(&v.Model, &v.ID); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SearchContent finds non-archived dashboards, cards and collections whose
// name or description contains text, ignoring case.
func (db *DB) SearchContent(ctx context.Context, text string, limit, offset int) ([]sightline.SearchResult, error) {
	like, err := likePattern("%", strings.ToLower(text), "%")
	if err != nil {
		return nil, err
	}
	q := `SELECT 'dashboard', id, name, description, COALESCE(collection_id, 0) FROM dashboards
		WHERE archived = ? AND (LOWER(name) LIKE ? ESCAPE '\' OR LOWER(description) LIKE ? ESCAPE '\')
		UNION ALL SELECT 'card', id, name, description, COALESCE(collection_id, 0) FROM cards
		WHERE archived = ? AND (LOWER(name) LIKE ? ESCAPE '\' OR LOWER(description) LIKE ? ESCAPE '\')
		UNION ALL SELECT 'collection', id, name, description, COALESCE(parent_id, 0) FROM collections
		WHERE archived = ? AND (LOWER(name) LIKE ? ESCAPE '\' OR LOWER(description) LIKE ? ESCAPE '\')
		ORDER BY 1, 2 LIMIT ? OFFSET ?`
	rows, err := db.r.QueryContext(ctx, db.rebind(q), false, like, like, false, like, like, false, like, like, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return scanResults(rows)
}

// scanResults reads rows of (model, id, name, description, collection id).
func scanResults(rows *sql.Rows) ([]sightline.SearchResult, error) {
	defer rows.Close()
	var out []sightline.SearchResult
	for rows.Next() {
		var r sightline.SearchResult
		if err := rows.Scan(&r.Model, &r.ID, &r.Name, &r.Description, &r.CollectionID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ArchivedItems lists every archived dashboard, card and collection (the trash).
func (db *DB) ArchivedItems(ctx context.Context) ([]sightline.SearchResult, error) {
	rows, err := db.r.QueryContext(ctx, db.rebind(`SELECT 'dashboard', id, name, description, COALESCE(collection_id, 0) FROM dashboards WHERE archived = ?
		UNION ALL SELECT 'card', id, name, description, COALESCE(collection_id, 0) FROM cards WHERE archived = ?
		UNION ALL SELECT 'collection', id, name, description, COALESCE(parent_id, 0) FROM collections WHERE archived = ?`), true, true, true)
	if err != nil {
		return nil, fmt.Errorf("trash: %w", err)
	}
	return scanResults(rows)
}

// ---- listing and deleting content ----

// Cards returns every saved question, archived ones too, by name.
func (db *DB) Cards(ctx context.Context) ([]*sightline.Card, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+cardColumns+" FROM cards ORDER BY LOWER(name), id")
	if err != nil {
		return nil, fmt.Errorf("list cards: %w", err)
	}
	defer rows.Close()
	var out []*sightline.Card
	for rows.Next() {
		c, err := scanCard(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Dashboards returns every dashboard, archived ones too, by name, without
// their cards.
func (db *DB) Dashboards(ctx context.Context) ([]*sightline.Dashboard, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+dashboardColumns+" FROM dashboards ORDER BY LOWER(name), id")
	if err != nil {
		return nil, fmt.Errorf("list dashboards: %w", err)
	}
	defer rows.Close()
	var out []*sightline.Dashboard
	for rows.Next() {
		d, err := scanDashboard(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DashboardsWithCard returns the ids of the dashboards that show saved
// question cardID on one of their cards.
func (db *DB) DashboardsWithCard(ctx context.Context, cardID int64) ([]int64, error) {
	rows, err := db.r.QueryContext(ctx, db.rebind("SELECT DISTINCT dashboard_id FROM dashboard_cards WHERE card_id = ? ORDER BY dashboard_id"), cardID)
	if err != nil {
		return nil, fmt.Errorf("dashboards of card %d: %w", cardID, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// DeleteCard removes a saved question for good; the dashboard cards that
// showed it go with it.
func (db *DB) DeleteCard(ctx context.Context, id int64) error {
	return db.deleteRow(ctx, "cards", "Question", id)
}

// DeleteDashboard removes a dashboard and its cards for good.
func (db *DB) DeleteDashboard(ctx context.Context, id int64) error {
	return db.deleteRow(ctx, "dashboards", "Dashboard", id)
}

// deleteRow deletes row id of table (a constant), not found when absent.
func (db *DB) deleteRow(ctx context.Context, table, what string, id int64) error {
	res, err := db.w.ExecContext(ctx, db.rebind("DELETE FROM "+table+" WHERE id = ?"), id)
	if err != nil {
		return fmt.Errorf("delete from %s: %w", table, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

// intPtr reads an optional integer column.
func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

// nullInt writes an optional integer column.
func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
