-- +goose Up
-- Static embedding: whether an administrator published a question or a
-- dashboard for signed embedding, and for each of its filters (by slug)
-- whether a token may not set it ("disabled"), a viewer may change it
-- ("enabled") or only the token sets it ("locked").
ALTER TABLE cards ADD COLUMN enable_embedding BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE cards ADD COLUMN embedding_params TEXT NOT NULL DEFAULT '{}';
ALTER TABLE dashboards ADD COLUMN enable_embedding BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dashboards ADD COLUMN embedding_params TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE dashboards DROP COLUMN embedding_params;
ALTER TABLE dashboards DROP COLUMN enable_embedding;
ALTER TABLE cards DROP COLUMN embedding_params;
ALTER TABLE cards DROP COLUMN enable_embedding;
