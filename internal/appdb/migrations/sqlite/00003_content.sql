-- +goose Up
CREATE TABLE collections (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    parent_id         INTEGER REFERENCES collections(id) ON DELETE CASCADE,
    personal_owner_id INTEGER UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    archived          BOOLEAN NOT NULL DEFAULT 0,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX collections_parent ON collections (parent_id);

CREATE TABLE cards (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    collection_id  INTEGER REFERENCES collections(id) ON DELETE SET NULL,
    database_id    INTEGER NOT NULL,
    table_id       INTEGER,
    query          TEXT NOT NULL,
    display        TEXT NOT NULL DEFAULT 'table',
    viz_settings   TEXT NOT NULL DEFAULT '{}',
    archived       BOOLEAN NOT NULL DEFAULT 0,
    pinned         BOOLEAN NOT NULL DEFAULT 0,
    creator_id     INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    revision       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cards_collection ON cards (collection_id);

CREATE TABLE dashboards (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    collection_id  INTEGER REFERENCES collections(id) ON DELETE SET NULL,
    parameters     TEXT NOT NULL DEFAULT '[]',
    tabs           TEXT NOT NULL DEFAULT '[]',
    auto_refresh   INTEGER NOT NULL DEFAULT 0,
    archived       BOOLEAN NOT NULL DEFAULT 0,
    pinned         BOOLEAN NOT NULL DEFAULT 0,
    creator_id     INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    revision       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX dashboards_collection ON dashboards (collection_id);

CREATE TABLE dashboard_cards (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    dashboard_id   INTEGER NOT NULL REFERENCES dashboards(id) ON DELETE CASCADE,
    card_id        INTEGER REFERENCES cards(id) ON DELETE CASCADE,
    tab_id         INTEGER NOT NULL DEFAULT 0,
    row_pos        INTEGER NOT NULL,
    col_pos        INTEGER NOT NULL,
    size_x         INTEGER NOT NULL,
    size_y         INTEGER NOT NULL,
    mappings       TEXT NOT NULL DEFAULT '[]',
    viz_settings   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX dashboard_cards_dashboard ON dashboard_cards (dashboard_id);

CREATE TABLE recent_views (
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    model     TEXT NOT NULL,
    model_id  INTEGER NOT NULL,
    viewed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, model, model_id)
);

-- +goose Down
DROP TABLE recent_views;
DROP TABLE dashboard_cards;
DROP TABLE dashboards;
DROP TABLE cards;
DROP TABLE collections;
