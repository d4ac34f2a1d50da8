-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL UNIQUE,
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    is_active     BOOLEAN NOT NULL DEFAULT 1,
    sso_source    TEXT NOT NULL DEFAULT '',
    jwt_attributes  TEXT NOT NULL DEFAULT '{}',
    attributes    TEXT NOT NULL DEFAULT '{}',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    last_login    TIMESTAMP
);

CREATE TABLE user_groups (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

INSERT INTO user_groups (id, name, created_at) VALUES (1, 'All Users', CURRENT_TIMESTAMP), (2, 'Administrators', CURRENT_TIMESTAMP);

CREATE TABLE group_members (
    group_id   INTEGER NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    is_manager BOOLEAN NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    auth_method TEXT NOT NULL DEFAULT 'password',
    embed       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER,
    at      TIMESTAMP NOT NULL,
    topic   TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT '{}'
);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE settings;
DROP TABLE sessions;
DROP TABLE group_members;
DROP TABLE user_groups;
DROP TABLE users;
