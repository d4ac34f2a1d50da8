-- +goose Up
-- Public links: a saved question or dashboard with a public_uuid can be
-- seen by anyone who has the link, without signing in. Revoking a link
-- clears the uuid, so the old link stops working for good.
ALTER TABLE cards ADD COLUMN public_uuid TEXT;
ALTER TABLE dashboards ADD COLUMN public_uuid TEXT;
CREATE UNIQUE INDEX cards_public_uuid ON cards (public_uuid);
CREATE UNIQUE INDEX dashboards_public_uuid ON dashboards (public_uuid);

-- +goose Down
DROP INDEX cards_public_uuid;
DROP INDEX dashboards_public_uuid;
ALTER TABLE cards DROP COLUMN public_uuid;
ALTER TABLE dashboards DROP COLUMN public_uuid;
