-- +goose Up
CREATE TABLE collections (
    id                BIGSERIAL PRIMARY KEY,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    parent_id         BIGINT REFERENCES collections(id) ON DELETE CASCADE,
    personal_owner_id BIGINT UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    archived          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX collections_parent ON collections (parent_id);

CREATE TABLE cards (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    collection_id  BIGINT REFERENCES collections(id) ON DELETE SET NULL,
    database_id    BIGINT NOT NULL,
    table_id       BIGINT,
    query          TEXT NOT NULL,
    display        TEXT NOT NULL DEFAULT 'table',
    viz_settings   TEXT NOT NULL DEFAULT '{}',
    archived       BOOLEAN NOT NULL DEFAULT FALSE,
    pinned         BOOLEAN NOT NULL DEFAULT FALSE,
    creator_id     BIGINT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    revision       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cards_collection ON cards (collection_id);

CREATE TABLE dashboards (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    collection_id  BIGINT REFERENCES collections(id) ON DELETE SET NULL,
    parameters     TEXT NOT NULL DEFAULT '[]',
    tabs           TEXT NOT NULL DEFAULT '[]',
    auto_refresh   INTEGER NOT NULL DEFAULT 0,
    archived       BOOLEAN NOT NULL DEFAULT FALSE,
    pinned         BOOLEAN NOT NULL DEFAULT FALSE,
    creator_id     BIGINT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    revision       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX dashboards_collection ON dashboards (collection_id);

CREATE TABLE dashboard_cards (
    id             BIGSERIAL PRIMARY KEY,
    dashboard_id   BIGINT NOT NULL REFERENCES dashboards(id) ON DELETE CASCADE,
    card_id        BIGINT REFERENCES cards(id) ON DELETE CASCADE,
    tab_id         BIGINT NOT NULL DEFAULT 0,
    row_pos        INTEGER NOT NULL,
    col_pos        INTEGER NOT NULL,
    size_x         INTEGER NOT NULL,
    size_y         INTEGER NOT NULL,
    mappings       TEXT NOT NULL DEFAULT '[]',
    viz_settings   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX dashboard_cards_dashboard ON dashboard_cards (dashboard_id);

CREATE TABLE recent_views (
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    model     TEXT NOT NULL,
    model_id  BIGINT NOT NULL,
    viewed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, model, model_id)
);

-- +goose Down
DROP TABLE recent_views;
DROP TABLE dashboard_cards;
DROP TABLE dashboards;
DROP TABLE cards;
DROP TABLE collections;
