-- +goose Up
-- One revision counter per permission graph ("data", "collection"): a save
-- names the revision it started from and fails if another save came first.
CREATE TABLE permission_revisions (
    graph      TEXT PRIMARY KEY,
    revision   BIGINT NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ
);
INSERT INTO permission_revisions (graph, revision) VALUES ('data', 0), ('collection', 0);

-- A group's grant on a database. No row means the default: everything for
-- All Users, nothing for any other group.
CREATE TABLE data_permissions (
    group_id       BIGINT NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    database_id    BIGINT NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
    view_data      TEXT NOT NULL,
    create_queries TEXT NOT NULL,
    download       TEXT NOT NULL,
    PRIMARY KEY (group_id, database_id)
);

-- Per-table levels of a granular grant.
CREATE TABLE table_permissions (
    group_id  BIGINT NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    table_id  BIGINT NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
    view_data TEXT NOT NULL,
    PRIMARY KEY (group_id, table_id)
);

-- Collection access; collection_id 0 is the root collection.
CREATE TABLE collection_permissions (
    group_id      BIGINT NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    collection_id BIGINT NOT NULL,
    access        TEXT NOT NULL,
    PRIMARY KEY (group_id, collection_id)
);

-- Row-level sandboxes: at most one per group and table.
CREATE TABLE sandboxes (
    id                   BIGSERIAL PRIMARY KEY,
    group_id             BIGINT NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    table_id             BIGINT NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
    card_id              BIGINT REFERENCES cards(id) ON DELETE CASCADE,
    attribute_remappings TEXT NOT NULL DEFAULT '{}',
    UNIQUE (group_id, table_id)
);

-- +goose Down
DROP TABLE sandboxes;
DROP TABLE collection_permissions;
DROP TABLE table_permissions;
DROP TABLE data_permissions;
DROP TABLE permission_revisions;
