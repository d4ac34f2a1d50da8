package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sightline"
	"sightline/internal/app"
)

// writeDataset writes a query's result. Like the reference vendor, which
// streams results, every endpoint that runs a query answers 202 Accepted;
// errors found before the query runs keep their own status.
func (s *Server) writeDataset(w http.ResponseWriter, res *app.Result, started time.Time) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusAccepted)
	if err := writeDatasetJSON(w, res, time.Since(started).Milliseconds()); err != nil {
		s.log.Warn("write json", "err", err)
	}
}

// apiDataset serves POST /api/dataset: run an ad-hoc query.
func (s *Server) apiDataset(w http.ResponseWriter, r *http.Request) error {
	started := time.Now()
	q, err := decodeQuery(r)
	if err != nil {
		return err
	}
	res, err := s.app.RunQuery(r.Context(), userFrom(r.Context()), q, app.RunOptions{})
	if err != nil {
		return err
	}
	s.writeDataset(w, res, started)
	return nil
}

// decodeQuery reads a query in the wire format; malformed or unknown
// clauses are 400s that name the problem.
func decodeQuery(r *http.Request) (*sightline.Query, error) {
	var raw json.RawMessage
	if err := decodeJSON(r, &raw); err != nil {
		return nil, err
	}
	return sightline.ParseQuery(raw)
}

// cardBody is the API form of a saved question being created or updated.
type cardBody struct {
	Name         *string         `json:"name"`
	Description  *string         `json:"description"`
	CollectionID *int64          `json:"collection_id"`
	Query        json.RawMessage `json:"dataset_query"`
	Display      *string         `json:"display"`
	VizSettings  json.RawMessage `json:"visualization_settings"`
	Archived     *bool           `json:"archived"`
	Pinned       *bool           `json:"pinned"`
	Revision     *int            `json:"revision"`
	// EnableEmbedding and EmbeddingParams publish the question for static
	// embedding (administrators only).
	EnableEmbedding *bool              `json:"enable_embedding"`
	EmbeddingParams *map[string]string `json:"embedding_params"`
	// Accepted for compatibility with the reference vendor's clients and
	// ignored: Sightline derives or does not use them.
	Parameters     json.RawMessage `json:"parameters"`
	ResultMetadata json.RawMessage `json:"result_metadata"`
	Type           json.RawMessage `json:"type"`
	// CacheTTL is the hours the question's results are cached (null: the
	// caching settings decide).
	CacheTTL json.RawMessage `json:"cache_ttl"`
}

// maxCacheTTL is the longest cache_ttl in hours (about eleven years).
const maxCacheTTL = 100_000

// parseCacheTTL reads a cache_ttl: null, or a whole number of hours from
// 0 to maxCacheTTL.
func parseCacheTTL(raw json.RawMessage) (*int, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	var n int
	if err := json.Unmarshal(raw, &n); err != nil || n < 0 || n > maxCacheTTL {
		return nil, sightline.Errorf(sightline.EINVALID, "cache_ttl must be a whole number of hours from 0 to %d, or null, not %s.", maxCacheTTL, raw)
	}
	return &n, nil
}

// apply copies the fields present in the body onto c.
func (b *cardBody) apply(c *sightline.Card) error {
	if len(b.CacheTTL) > 0 {
		ttl, err := parseCacheTTL(b.CacheTTL)
		if err != nil {
			return err
		}
		c.CacheTTL = ttl
	}
	if b.Name != nil {
		c.Name = *b.Name
	}
	if b.Description != nil {
		c.Description = *b.Description
	}
	if b.CollectionID != nil {
		c.CollectionID = *b.CollectionID
	}
	if len(b.Query) > 0 {
		q, err := sightline.ParseQuery(b.Query)
		if err != nil {
			return err
		}
		c.Query = q
	}
	if b.Display != nil {
		c.Display = *b.Display
	}
	if len(b.VizSettings) > 0 {
		c.VizSettings = b.VizSettings
	}
	if b.EnableEmbedding != nil {
		c.EnableEmbedding = *b.EnableEmbedding
	}
	if b.EmbeddingParams != nil {
		c.EmbeddingParams = *b.EmbeddingParams
	}
	if b.Archived != nil {
		c.Archived = *b.Archived
	}
	if b.Pinned != nil {
		c.Pinned = *b.Pinned
	}
	if b.Revision != nil {
		c.Revision = *b.Revision
	}
	return nil
}

// apiCreateCard serves POST /api/card.
func (s *Server) apiCreateCard(w http.ResponseWriter, r *http.Request) error {
	var b cardBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	c := &sightline.Card{}
	if err := b.apply(c); err != nil {
		return err
	}
	c, err := s.app.CreateCard(r.Context(), userFrom(r.Context()), c)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, c)
	return nil
}

// apiGetCard serves GET /api/card/{id}.
func (s *Server) apiGetCard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.app.Card(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, c)
	return nil
}

// apiUpdateCard serves PUT /api/card/{id}. Without a "revision" the update
// applies to the current revision; with one, a stale revision is a 409.
func (s *Server) apiUpdateCard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b cardBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	c, err := s.app.Card(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if err := b.apply(c); err != nil {
		return err
	}
	if c, err = s.app.UpdateCard(r.Context(), userFrom(r.Context()), c); err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, c)
	return nil
}

// apiRunCard serves POST /api/card/{id}/query with optional
// {"parameters": [...]}.
func (s *Server) apiRunCard(w http.ResponseWriter, r *http.Request) error {
	started := time.Now()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	params, ignoreCache, err := decodeRunBody(r)
	if err != nil {
		return err
	}
	_, res, err := s.app.RunCard(r.Context(), userFrom(r.Context()), id, params, app.RunOptions{IgnoreCache: ignoreCache})
	if err != nil {
		return err
	}
	s.writeDataset(w, res, started)
	return nil
}

// parametersBody is an optional body of the routes that run a question:
// the filter values, and ignore_cache to re-run the question instead of
// answering from the result cache (the fresh result replaces the cached one).
type parametersBody struct {
	Parameters  json.RawMessage `json:"parameters"`
	IgnoreCache bool            `json:"ignore_cache"`
}

// decodeParameters reads an optional {"parameters": [...]} body.
func decodeParameters(r *http.Request) ([]sightline.Parameter, error) {
	params, _, err := decodeRunBody(r)
	return params, err
}

// decodeRunBody reads an optional {"parameters": [...], "ignore_cache": b} body.
func decodeRunBody(r *http.Request) ([]sightline.Parameter, bool, error) {
	if r.ContentLength == 0 {
		return nil, false, nil
	}
	var body parametersBody
	if err := decodeJSON(r, &body); err != nil {
		return nil, false, err
	}
	if len(body.Parameters) == 0 {
		return nil, body.IgnoreCache, nil
	}
	params, err := sightline.ParseParameters(body.Parameters)
	return params, body.IgnoreCache, err
}

// idFromSlug reads "12" or "12-a-look-at-your-invoices-table".
func idFromSlug(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	if i := strings.IndexByte(v, '-'); i > 0 {
		v = v[:i]
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, sightline.Errorf(sightline.ENOTFOUND, "The page you asked for does not exist.")
	}
	return id, nil
}
