-- +goose Up
-- API keys for scripts and API clients. Only a SHA-256 hash of each key is
-- kept; prefix is its first characters, shown in lists so a person can tell
-- keys apart. A key acts as a member of its group (and All Users); deleting
-- the group deletes its keys, so no key outlives the rights it was given.
CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    group_id    INTEGER NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    key_hash    TEXT NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    creator_id  INTEGER NOT NULL,
    updated_by  INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE api_keys;
