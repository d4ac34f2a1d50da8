-- +goose Up
-- Per item result caching: how many hours the results of a saved
-- question or of a dashboard's cards are cached while query caching is on
-- (NULL: the duration rule of the caching settings decides).
ALTER TABLE cards ADD COLUMN cache_ttl INTEGER;
ALTER TABLE dashboards ADD COLUMN cache_ttl INTEGER;

-- +goose Down
ALTER TABLE dashboards DROP COLUMN cache_ttl;
ALTER TABLE cards DROP COLUMN cache_ttl;
