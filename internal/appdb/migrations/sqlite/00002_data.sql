-- +goose Up
CREATE TABLE databases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL UNIQUE,
    engine          TEXT NOT NULL,
    details         TEXT NOT NULL DEFAULT '{}',
    is_sample       BOOLEAN NOT NULL DEFAULT 0,
    sync_status     TEXT NOT NULL DEFAULT '',
    sync_progress   TEXT NOT NULL DEFAULT '',
    last_sync_at    TIMESTAMP,
    last_sync_error TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

CREATE TABLE tables (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    database_id         INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
    schema_name         TEXT NOT NULL DEFAULT '',
    name                TEXT NOT NULL,
    display_name        TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    visibility          TEXT NOT NULL DEFAULT 'normal',
    is_view             BOOLEAN NOT NULL DEFAULT 0,
    row_count           INTEGER NOT NULL DEFAULT 0,
    active              BOOLEAN NOT NULL DEFAULT 1,
    edited_display_name BOOLEAN NOT NULL DEFAULT 0,
    edited_description  BOOLEAN NOT NULL DEFAULT 0,
    UNIQUE (database_id, schema_name, name)
);

CREATE TABLE fields (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    table_id             INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    display_name         TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    database_type        TEXT NOT NULL DEFAULT '',
    base_type            TEXT NOT NULL,
    semantic_type        TEXT NOT NULL DEFAULT '',
    position             INTEGER NOT NULL DEFAULT 0,
    nullable             BOOLEAN NOT NULL DEFAULT 1,
    fk_target_field_id   INTEGER,
    visibility           TEXT NOT NULL DEFAULT 'normal',
    distinct_count       INTEGER NOT NULL DEFAULT 0,
    active               BOOLEAN NOT NULL DEFAULT 1,
    edited_display_name  BOOLEAN NOT NULL DEFAULT 0,
    edited_description   BOOLEAN NOT NULL DEFAULT 0,
    edited_semantic_type BOOLEAN NOT NULL DEFAULT 0,
    UNIQUE (table_id, name)
);

CREATE TABLE field_values (
    field_id   INTEGER PRIMARY KEY REFERENCES fields(id) ON DELETE CASCADE,
    vals       TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE field_values;
DROP TABLE fields;
DROP TABLE tables;
DROP TABLE databases;
