-- +goose Up
CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    is_active     BOOLEAN NOT NULL DEFAULT TRUE,
    sso_source    TEXT NOT NULL DEFAULT '',
    jwt_attributes  TEXT NOT NULL DEFAULT '{}',
    attributes    TEXT NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    last_login    TIMESTAMPTZ
);

CREATE TABLE user_groups (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

INSERT INTO user_groups (id, name, created_at) VALUES (1, 'All Users', now()), (2, 'Administrators', now());
SELECT setval('user_groups_id_seq', 2);

CREATE TABLE group_members (
    group_id   BIGINT NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    is_manager BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE sessions (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    auth_method TEXT NOT NULL DEFAULT 'password',
    embed       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE audit_log (
    id      BIGSERIAL PRIMARY KEY,
    user_id BIGINT,
    at      TIMESTAMPTZ NOT NULL,
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
