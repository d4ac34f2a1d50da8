-- +goose Up
-- The ids (jti) of JWTs that have signed someone in, hashed, kept until the
-- token expires so that no instance accepts the same token twice.
CREATE TABLE jwt_token_ids (
    id_hash    TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX jwt_token_ids_expires ON jwt_token_ids (expires_at);

-- +goose Down
DROP TABLE jwt_token_ids;
