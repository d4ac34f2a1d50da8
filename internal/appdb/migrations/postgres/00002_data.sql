-- +goose Up
CREATE TABLE databases (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    engine          TEXT NOT NULL,
    details         TEXT NOT NULL DEFAULT '{}',
    is_sample       BOOLEAN NOT NULL DEFAULT FALSE,
    sync_status     TEXT NOT NULL DEFAULT '',
    sync_progress   TEXT NOT NULL DEFAULT '',
    last_sync_at    TIMESTAMPTZ,
    last_sync_error TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE tables (
    id                  BIGSERIAL PRIMARY KEY,
    database_id         BIGINT NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
    schema_name         TEXT NOT NULL DEFAULT '',
    name                TEXT NOT NULL,
    display_name        TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    visibility          TEXT NOT NULL DEFAULT 'normal',
    is_view             BOOLEAN NOT NULL DEFAULT FALSE,
    row_count           BIGINT NOT NULL DEFAULT 0,
    active              BOOLEAN NOT NULL DEFAULT TRUE,
    edited_display_name BOOLEAN NOT NULL DEFAULT FALSE,
    edited_description  BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (database_id, schema_name, name)
);

CREATE TABLE fields (
    id                   BIGSERIAL PRIMARY KEY,
    table_id             BIGINT NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    display_name         TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    database_type        TEXT NOT NULL DEFAULT '',
    base_type            TEXT NOT NULL,
    semantic_type        TEXT NOT NULL DEFAULT '',
    position             INTEGER NOT NULL DEFAULT 0,
    nullable             BOOLEAN NOT NULL DEFAULT TRUE,
    fk_target_field_id   BIGINT,
    visibility           TEXT NOT NULL DEFAULT 'normal',
    distinct_count       BIGINT NOT NULL DEFAULT 0,
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    edited_display_name  BOOLEAN NOT NULL DEFAULT FALSE,
    edited_description   BOOLEAN NOT NULL DEFAULT FALSE,
    edited_semantic_type BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (table_id, name)
);

CREATE TABLE field_values (
    field_id   BIGINT PRIMARY KEY REFERENCES fields(id) ON DELETE CASCADE,
    vals       TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE field_values;
DROP TABLE fields;
DROP TABLE tables;
DROP TABLE databases;
